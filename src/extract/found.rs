//! The entities of the extraction's output: each kept entity with its surface forms, the
//! sentences that name it, its confidence and the cues that decided its kind.
use super::Found;
use super::entities::{Entity, Table};
use super::kinds::Class;
use super::mentions::Mention;

/// The kept entities, in the order the article first names them, with their groups.
pub fn entities(t: &Table, mentions: &[Vec<Mention>], member_of: &[Vec<usize>]) -> Vec<Found> {
    let mut first: Vec<Option<(usize, usize)>> = vec![None; t.entities.len()];
    let mut sentences: Vec<Vec<usize>> = vec![Vec::new(); t.entities.len()];
    for (s, ms) in mentions.iter().enumerate() {
        for m in ms {
            first[m.entity].get_or_insert((s, m.a));
            if sentences[m.entity].last() != Some(&s) {
                sentences[m.entity].push(s);
            }
        }
    }
    let mut order: Vec<usize> = (0..t.entities.len())
        .filter(|&e| t.entities[e].kept() && first[e].is_some())
        .collect();
    order.sort_by_key(|&e| first[e]);
    order
        .into_iter()
        .map(|e| {
            let ent = &t.entities[e];
            Found {
                name: ent.name.clone(),
                surfaces: surfaces(ent),
                kind: ent.kind,
                subtype: ent.subtype,
                confidence: confidence(ent.score),
                cues: cues(ent),
                member_of: member_of[e]
                    .iter()
                    .map(|&g| t.entities[g].name.clone())
                    .collect(),
                sentences: std::mem::take(&mut sentences[e]),
            }
        })
        .collect()
}

/// How sure the extractor is of an entity with this much evidence for its kind.
pub fn confidence(score: f32) -> f32 {
    (score / (score + 1.0)).clamp(0.05, 0.99)
}

/// Its name first, then the other forms in the order seen; not the short forms ("Larson" of
/// "Brie Larson"), which name different people in different articles.
fn surfaces(e: &Entity) -> Vec<String> {
    let full = super::names::fold(&e.name);
    let full: Vec<&str> = full.split(' ').collect();
    let mut out = vec![e.name.clone()];
    for s in &e.surfaces {
        let f = super::names::fold(s);
        let words: Vec<&str> = f.split(' ').collect();
        let short =
            words.len() < full.len() && (full.starts_with(&words) || full.ends_with(&words));
        if !out.contains(s) && !short {
            out.push(s.clone());
        }
    }
    out
}

/// The cues that voted for the kind it was given, strongest first, each once.
fn cues(e: &Entity) -> Vec<String> {
    let agrees = |c: Class| match e.class {
        Class::Artist | Class::Person | Class::Group => {
            matches!(c, Class::Artist | Class::Person | Class::Group)
        }
        Class::Film | Class::Show => matches!(c, Class::Film | Class::Show | Class::Title),
        Class::Song => matches!(c, Class::Song | Class::Title),
        other => c == other,
    };
    let mut votes: Vec<_> = e.votes.iter().filter(|v| agrees(v.class)).collect();
    votes.sort_by(|a, b| b.weight.total_cmp(&a.weight));
    let mut out: Vec<String> = Vec::new();
    for v in votes {
        if !out.contains(&v.cue) && out.len() < 6 {
            out.push(v.cue.clone());
        }
    }
    out
}
