//! Likely duplicates for `kwiki check`: pairs of entities that may be one thing told two ways.
//! A shared word is never enough ("Rosé" is a part of "Lily-Rose Depp"): each pair is weighed
//! on how its names relate, its kinds, the articles that name both, the sentences that name
//! both side by side and the partners both have, and the pairs are listed best first.
use crate::extract::Subtype;
use crate::link::variants::{Form, Script};
use crate::link::{Entity, Wiki};
use rustc_hash::{FxHashMap, FxHashSet};

/// The evidence a pair needs to be suggested: the same name (across kinds), a variant of one
/// name of the same kind, or a short form of a person's name used in the same article.
pub const SUGGEST: i32 = 5;
/// Entities sharing a word beyond this many are not compared through it ("Kim", "The").
const BUCKET_MAX: usize = 300;
/// Mentions of an entity read for sentences naming both.
const SENTENCES_READ: usize = 50;

/// A pair worth an editor's look, with its score and the evidence for and against.
#[derive(Debug, Clone, PartialEq)]
pub struct Duplicate {
    pub a: usize,
    pub b: usize,
    pub score: i32,
    pub evidence: Vec<&'static str>,
}

/// The pairs with at least `SUGGEST`, best first (then by ids).
pub fn suggestions(w: &Wiki) -> Vec<Duplicate> {
    let forms: Vec<Form> = w.entities.iter().map(|e| Form::of(&e.name)).collect();
    let partners = partners(w);
    let mut out: Vec<Duplicate> = candidates(&forms)
        .into_iter()
        .filter_map(|(a, b)| weigh(w, &forms, &partners, a, b))
        .filter(|d| d.score >= SUGGEST)
        .collect();
    out.sort_by(|x, y| {
        let ids = |d: &Duplicate| (&w.entities[d.a].id, &w.entities[d.b].id);
        y.score.cmp(&x.score).then_with(|| ids(x).cmp(&ids(y)))
    });
    out
}

/// Pairs (a < b) sharing a word or a part of one, the same letters, or their first four
/// letters (a typo elsewhere in the name).
fn candidates(forms: &[Form]) -> Vec<(usize, usize)> {
    let mut buckets: FxHashMap<String, Vec<usize>> = FxHashMap::default();
    for (i, f) in forms.iter().enumerate() {
        let mut keys: Vec<String> = f.parts.iter().map(|p| format!("w:{p}")).collect();
        keys.push(format!("l:{}", f.letters));
        keys.push(format!(
            "p:{}",
            f.letters.chars().take(4).collect::<String>()
        ));
        keys.sort();
        keys.dedup();
        for k in keys {
            buckets.entry(k).or_default().push(i);
        }
    }
    let mut pairs: FxHashSet<(usize, usize)> = FxHashSet::default();
    for members in buckets.values().filter(|m| m.len() <= BUCKET_MAX) {
        for (x, &a) in members.iter().enumerate() {
            pairs.extend(members[x + 1..].iter().map(|&b| (a, b)));
        }
    }
    let mut pairs: Vec<(usize, usize)> = pairs.into_iter().collect();
    pairs.sort_unstable();
    pairs
}

/// How two names relate, from the strongest sign of one thing to the weakest.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Names {
    /// The same letters ("Messy" the song, "Messy" the film).
    Same,
    /// A possessive, a typo or a word-order swap.
    Variant,
    /// One name is the first or last word of the other ("Fallon", "Jimmy Fallon").
    ShortForm,
    /// One name of several words runs inside the other ("Super Junior", "Super Junior M").
    Inside,
    /// Only a word or a part of a hyphenated word in common ("Rosé", "Lily-Rose Depp").
    SharedPart,
}

fn names(x: &Form, y: &Form) -> Option<Names> {
    let (short, long) = if x.words.len() <= y.words.len() {
        (x, y)
    } else {
        (y, x)
    };
    if x.letters == y.letters {
        Some(Names::Same)
    } else if x.is_variant_of(y) || romanized_apart(x, y) {
        Some(Names::Variant)
    } else if short.words.len() == 1
        && long.words.len() > 1
        && (long.words.first() == short.words.first() || long.words.last() == short.words.last())
    {
        Some(Names::ShortForm)
    } else if short.words.len() > 1
        && long
            .words
            .windows(short.words.len())
            .any(|w| w == short.words.as_slice())
    {
        Some(Names::Inside)
    } else if x.parts.iter().any(|p| y.parts.contains(p)) {
        Some(Names::SharedPart)
    } else {
        None
    }
}

/// Names of two words or more that differ only in vowels, word by word in any order: the
/// spellings of one romanized name ("Kim Ji Hun", "Kim Ji Hoon"; "Chae Jong-hyeop", "Jong-hyeop
/// Chae"), not two names ("Park Jin-young", "Park Min-young").
fn romanized_apart(x: &Form, y: &Form) -> bool {
    let skeleton = |f: &Form| -> Vec<String> {
        let mut words: Vec<String> = (f.words.iter())
            .map(|w| w.chars().filter(|c| !"aeiouwy".contains(*c)).collect())
            .collect();
        words.sort();
        words
    };
    x.script == Script::Latin
        && y.script == Script::Latin
        && x.words.len() > 1
        && x.words.len() == y.words.len()
        && skeleton(x) == skeleton(y)
        && skeleton(x).iter().all(|w| !w.is_empty())
}

/// The score of a pair and its evidence; `None` when the names have nothing in common.
fn weigh(
    w: &Wiki,
    forms: &[Form],
    partners: &[FxHashSet<usize>],
    a: usize,
    b: usize,
) -> Option<Duplicate> {
    let (x, y) = (&w.entities[a], &w.entities[b]);
    let relation = names(&forms[a], &forms[b])?;
    let mut score = 0;
    let mut evidence = Vec::new();
    let mut add = |points: i32, why: &'static str| {
        score += points;
        evidence.push(why);
    };
    match relation {
        Names::Same => add(7, "the same name"),
        Names::Variant => add(4, "names a few letters apart"),
        Names::ShortForm => add(2, "one name is the first or last word of the other"),
        Names::Inside => add(2, "one name inside the other"),
        Names::SharedPart => add(1, "a word in common"),
    }
    if x.kind == y.kind {
        add(1, "the same kind");
    } else {
        add(-2, "different kinds");
    }
    if let (Some(s), Some(t)) = (x.subtype, y.subtype)
        && s != t
    {
        add(-2, "a person and a group");
    }
    // people go by their given name or surname: the longer name must be a person's
    let person = |e: &Entity| e.subtype == Some(Subtype::Person) && e.members.is_empty();
    let longer = if forms[a].words.len() > forms[b].words.len() {
        x
    } else {
        y
    };
    let group = |e: &Entity| e.subtype == Some(Subtype::Group) || !e.members.is_empty();
    let called_by_one_name =
        relation == Names::ShortForm && person(longer) && !group(x) && !group(y);
    if called_by_one_name {
        add(1, "a person called by one name");
    }
    let short_or_inside = matches!(relation, Names::ShortForm | Names::Inside);
    if short_or_inside && shares_an_article(x, y) {
        add(1, "both named in one article");
    }
    // "Jimmy Fallon ... Fallon" in one sentence is one person; "Billboard and Billboard
    // Korea" are two companies
    if !called_by_one_name && side_by_side(x, y) {
        add(-3, "named side by side in one sentence");
    }
    let shared = partners[a].intersection(&partners[b]).count().min(2) as i32;
    if shared > 0 {
        add(shared, "partners in common");
    }
    Some(Duplicate {
        a,
        b,
        score,
        evidence,
    })
}

/// Per entity, who it is in partnerships with (participants and the work that carries one).
fn partners(w: &Wiki) -> Vec<FxHashSet<usize>> {
    let mut out = vec![FxHashSet::default(); w.entities.len()];
    for p in &w.partnerships {
        let all: Vec<usize> = p.participants.iter().copied().chain(p.via).collect();
        for &e in &all {
            out[e].extend(all.iter().copied().filter(|&o| o != e));
        }
    }
    out
}

fn shares_an_article(x: &Entity, y: &Entity) -> bool {
    let of_y: FxHashSet<usize> = y.mentions.iter().map(|m| m.article).collect();
    x.mentions.iter().any(|m| of_y.contains(&m.article))
}

/// Whether a sentence that names one also names the other apart from it: two names in one
/// sentence are two things (or the extractor cut one name in two).
fn side_by_side(x: &Entity, y: &Entity) -> bool {
    let (short, long) = if x.name.chars().count() <= y.name.chars().count() {
        (x, y)
    } else {
        (y, x)
    };
    let (s, l) = (short.name.to_lowercase(), long.name.to_lowercase());
    let sentences = (x.mentions.iter().take(SENTENCES_READ))
        .chain(y.mentions.iter().take(SENTENCES_READ))
        .map(|m| m.sentence.to_lowercase());
    sentences.into_iter().any(|text| {
        // the long name's own words do not count as the short name
        let rest = text.replace(&l, "\u{0}");
        text.contains(&l) && has_word(&rest, &s)
    })
}

/// Whether `word` is in `text` with no letter or digit on either side.
fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::Kind;

    fn rel(a: &str, b: &str) -> Option<Names> {
        names(&Form::of(a), &Form::of(b))
    }

    #[test]
    fn how_names_relate() {
        assert_eq!(rel("Messy", "MESSY"), Some(Names::Same));
        assert_eq!(rel("Kim Ji Hun", "Kim Ji Hoon"), Some(Names::Variant));
        assert_eq!(
            rel("Chae Jong-hyeop", "Jong-hyeop Chae"),
            Some(Names::Variant)
        );
        assert_eq!(
            rel("Park Jin-young", "Park Min-young"),
            Some(Names::SharedPart)
        );
        assert_eq!(
            rel("JYP Entertainment", "SM Entertainment"),
            Some(Names::SharedPart)
        );
        assert_eq!(rel("Fallon", "Jimmy Fallon"), Some(Names::ShortForm));
        assert_eq!(rel("Henry Lau", "Henry"), Some(Names::ShortForm));
        assert_eq!(rel("Super Junior", "Super Junior M"), Some(Names::Inside));
        // a part of a hyphenated first name is not a name of its own
        assert_eq!(rel("Rosé", "Lily-Rose Depp"), Some(Names::SharedPart));
        assert_eq!(rel("Jin", "Kim Jin-hyuk"), Some(Names::SharedPart));
        assert_eq!(rel("Rosé", "Jennie"), None);
    }

    /// An entity of a test: name, kind, subtype, and (article, sentence) naming it.
    type Named<'t> = (&'t str, Kind, Option<Subtype>, &'t [(usize, &'t str)]);

    /// A wiki of these entities and partnerships (participant indexes).
    fn wiki(ents: &[Named], parts: &[&[usize]]) -> Wiki {
        use crate::link::{Evidence, Partnership};
        let entity = |&(name, kind, subtype, said): &Named| Entity {
            id: format!("{}/{}", kind.as_str(), crate::link::slug::slugify(name)),
            slug: String::new(),
            name: name.into(),
            kind,
            subtype,
            aliases: Vec::new(),
            member_of: Vec::new(),
            members: Vec::new(),
            mentions: (said.iter())
                .map(|&(article, s)| Evidence {
                    article,
                    sentence: s.into(),
                })
                .collect(),
            partnerships: Vec::new(),
            related: Vec::new(),
            confidence: 0.9,
            cues: Vec::new(),
            description: None,
            links: Vec::new(),
        };
        let partnership = |p: &&[usize]| Partnership {
            id: String::new(),
            kind: crate::extract::PartnershipKind::Other,
            participants: p.to_vec(),
            via: None,
            evidence: Vec::new(),
            confidence: 0.9,
            cues: Vec::new(),
        };
        Wiki {
            entities: ents.iter().map(entity).collect(),
            partnerships: parts.iter().map(partnership).collect(),
            ..Wiki::default()
        }
    }

    fn suggested(w: &Wiki) -> Vec<(String, String)> {
        (suggestions(w).into_iter())
            .map(|d| (w.entities[d.a].name.clone(), w.entities[d.b].name.clone()))
            .collect()
    }

    #[test]
    fn a_shared_word_is_not_enough() {
        let person = Some(Subtype::Person);
        let a = Kind::Artist;
        let w = wiki(
            &[
                // both named in one article, each in a sentence of its own
                (
                    "Rosé",
                    a,
                    person,
                    &[(0, "Rosé sang Messy."), (1, "Rosé led.")],
                ),
                (
                    "Lily-Rose Depp",
                    a,
                    person,
                    &[(0, "Lily-Rose Depp starred in The Idol.")],
                ),
                // a word in common and partners in common are still not one name
                ("Jin", a, person, &[(2, "Jin hosts it.")]),
                ("Run Jin", Kind::Film, None, &[(2, "Run Jin is a show.")]),
                ("Kim Mu Jun", a, person, &[(3, "Kim Mu Jun stars.")]),
                ("Kim Tae Hee", a, person, &[(3, "Kim Tae Hee stars.")]),
                ("Black", Kind::Film, None, &[(3, "Black airs in Japan.")]),
                // two companies named side by side
                (
                    "Billboard",
                    Kind::Label,
                    None,
                    &[(4, "Kakao signed with Billboard and Billboard Korea.")],
                ),
                (
                    "Billboard Korea",
                    Kind::Label,
                    None,
                    &[(4, "Kakao signed with Billboard and Billboard Korea.")],
                ),
            ],
            &[&[4, 6], &[5, 6]],
        );
        assert_eq!(suggested(&w), Vec::<(String, String)>::new());
    }

    #[test]
    fn one_thing_named_two_ways_is_suggested_best_first() {
        let person = Some(Subtype::Person);
        let a = Kind::Artist;
        let w = wiki(
            &[
                (
                    "Jimmy Fallon",
                    a,
                    person,
                    &[(0, "BTS joined Jimmy Fallon on his show.")],
                ),
                ("Fallon", a, None, &[(0, "Fallon laughed.")]),
                ("Messy", Kind::Song, None, &[(1, "Rosé sang Messy.")]),
                ("Messy", Kind::Film, None, &[(2, "Messy is a film.")]),
                ("Kim Ji Hun", a, person, &[(3, "Kim Ji Hun stars.")]),
                ("Kim Ji Hoon", a, person, &[(4, "Kim Ji Hoon stars.")]),
                // the same short name in an article of its own may be anybody
                ("Henry", a, None, &[(5, "Henry sang.")]),
                ("Henry Lau", a, person, &[(6, "Henry Lau acted.")]),
                (
                    "Butterfly",
                    Kind::Film,
                    None,
                    &[(3, "Butterfly airs."), (4, "Butterfly airs.")],
                ),
            ],
            &[&[4, 8], &[5, 8]],
        );
        let got = suggested(&w);
        // a spelling with a partner in common first (4 + 1 + 1), then the others of 5 by id
        assert_eq!(
            got,
            [
                ("Kim Ji Hun", "Kim Ji Hoon"),
                ("Jimmy Fallon", "Fallon"),
                ("Messy", "Messy")
            ]
            .map(|(x, y)| (x.to_string(), y.to_string()))
            .to_vec(),
            "{got:?}"
        );
        let scores: Vec<i32> = suggestions(&w).iter().map(|d| d.score).collect();
        assert!(scores.windows(2).all(|s| s[0] >= s[1]), "{scores:?}");
    }

    #[test]
    fn words_stand_alone() {
        assert!(has_word("billboard and \u{0}", "billboard"));
        assert!(!has_word("lily-rosebud", "rose"));
    }
}
