//! The lead of an entity page: a sentence or three composed from its facts, the way a
//! Wikipedia article opens ("Rosé is an artist and a member of Blackpink. Rosé's Messy is on the
//! soundtrack of F1."). The wording is data (`data/lead.yaml`); this file picks the facts and
//! fills the sentences in. Each sentence states one of the page's own facts (its kind, its
//! groups or members, a partnership it is in or carries) and nothing more.
use super::linker::escape_into;
use crate::extract::{Kind, PartnershipKind, Subtype};
use crate::link::{Entity, Wiki};
use serde::Deserialize;
use std::collections::HashMap;

/// Partnership sentences in a lead, at most (the page lists them all below it).
const FACTS: usize = 2;

pub const LEAD_PHRASES: &str = include_str!("../../data/lead.yaml");

#[derive(Debug, Deserialize)]
struct Phrases {
    is: HashMap<String, String>,
    partnerships: HashMap<String, HashMap<String, String>>,
    join: Join,
}

#[derive(Debug, Deserialize)]
struct Join {
    comma: String,
    and: String,
    most: usize,
    others: String,
}

fn phrases() -> &'static Phrases {
    static PHRASES: std::sync::OnceLock<Phrases> = std::sync::OnceLock::new();
    PHRASES.get_or_init(|| {
        // compiled in and checked by a test: a mistake there is the project's, not the user's
        crate::yaml::from_str(LEAD_PHRASES, 0).unwrap_or_else(|e| panic!("data/lead.yaml: {e}"))
    })
}

/// An entity's place in a partnership.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Role {
    Party,
    Work,
    Carrier,
}

impl Role {
    fn key(self) -> &'static str {
        match self {
            Role::Party => "party",
            Role::Work => "work",
            Role::Carrier => "carrier",
        }
    }
}

/// Partnerships of one kind in which the entity has one place (and one carrying work): one
/// sentence of the lead.
struct Fact {
    kind: PartnershipKind,
    role: Role,
    via: Option<usize>,
    works: Vec<usize>,
    parties: Vec<usize>,
    evidence: usize,
}

/// The lead of entity `e`, which carries the partnerships `carried`, as HTML (names linked
/// from `root`); `None` when it has no kind sentence in the phrases.
pub fn lead_html(w: &Wiki, e: usize, carried: &[usize], root: &str) -> Option<String> {
    let p = phrases();
    let ent = &w.entities[e];
    let name = escaped(&ent.name);
    let names = |ids: &[usize]| join_names(w, ids, root, &p.join);
    let slots = [
        ("name", name.clone()),
        ("groups", names(&ent.member_of)),
        ("members", names(&ent.members)),
    ];
    let mut out = fill(p.is.get(identity(ent))?, &slots)?;
    for fact in facts(w, e, carried).into_iter().take(FACTS) {
        let others: Vec<usize> = fact.works.iter().chain(&fact.parties).copied().collect();
        let slots = [
            ("name", name.clone()),
            ("via", fact.via.map(|v| names(&[v])).unwrap_or_default()),
            ("works", names(&fact.works)),
            ("parties", names(&fact.parties)),
            ("others", names(&others)),
        ];
        let sentence = sentence_keys(fact.kind, fact.role, fact.via.is_some())
            .find_map(|(kind, key)| fill(p.partnerships.get(kind)?.get(&key)?, &slots));
        if let Some(s) = sentence {
            out.push(' ');
            out.push_str(&s);
        }
    }
    Some(out)
}

/// The key of the first sentence of an entity in `is`.
fn identity(ent: &Entity) -> &'static str {
    match (ent.kind, ent.subtype) {
        (Kind::Artist, Some(Subtype::Group)) => "group",
        (Kind::Artist, _) if !ent.members.is_empty() => "group",
        (Kind::Artist, Some(Subtype::Person)) => "person",
        (Kind::Artist, _) => "artist",
        (Kind::Film, Some(Subtype::Show)) => "show",
        (Kind::Film, _) => "film",
        (Kind::Song, _) => "song",
        (Kind::Label, _) => "label",
    }
}

/// The sentences to try, in order: the kind's (with `_via` first when a work carries it),
/// then `other`'s.
fn sentence_keys(
    kind: PartnershipKind,
    role: Role,
    via: bool,
) -> impl Iterator<Item = (&'static str, String)> {
    let keys = move |k: &'static str| {
        let base = role.key();
        let with_via = via.then(|| (k, format!("{base}_via")));
        with_via.into_iter().chain([(k, base.to_string())])
    };
    keys(kind.as_str()).chain(keys(PartnershipKind::Other.as_str()))
}

/// The entity's partnerships (and those it carries) as facts, one per kind, place and carrying
/// work, best attested first.
fn facts(w: &Wiki, e: usize, carried: &[usize]) -> Vec<Fact> {
    let ent = &w.entities[e];
    let mut facts: Vec<Fact> = Vec::new();
    // a popular entity has thousands of partnerships: facts are found by key
    let mut index: HashMap<(PartnershipKind, Role, Option<usize>), usize> = HashMap::new();
    let carried = carried
        .iter()
        .filter(|&&p| !w.partnerships[p].participants.contains(&e));
    for &p in ent.partnerships.iter().chain(carried) {
        let part = &w.partnerships[p];
        let role = if !part.participants.contains(&e) {
            Role::Carrier
        } else if ent.kind == Kind::Film {
            Role::Work
        } else {
            Role::Party
        };
        let via = part.via.filter(|&v| v != e);
        let others = part.participants.iter().copied().filter(|&o| o != e);
        let (works, parties): (Vec<usize>, Vec<usize>) =
            others.partition(|&o| w.entities[o].kind == Kind::Film);
        match index.get(&(part.kind, role, via)).map(|&i| &mut facts[i]) {
            Some(f) => {
                add_new(&mut f.works, works);
                add_new(&mut f.parties, parties);
                f.evidence += part.evidence.len();
            }
            None => {
                index.insert((part.kind, role, via), facts.len());
                facts.push(Fact {
                    kind: part.kind,
                    role,
                    via,
                    works,
                    parties,
                    evidence: part.evidence.len(),
                })
            }
        }
    }
    // best attested first; a stable sort keeps the page's order among equals
    facts.sort_by_key(|f| std::cmp::Reverse(f.evidence));
    facts
}

fn add_new(to: &mut Vec<usize>, from: Vec<usize>) {
    for x in from {
        if !to.contains(&x) {
            to.push(x);
        }
    }
}

/// Names linked to their pages, "A, B and C" (the first `most`, then "N others").
fn join_names(w: &Wiki, ids: &[usize], root: &str, join: &Join) -> String {
    let mut items: Vec<String> = ids
        .iter()
        .take(join.most)
        .map(|&i| {
            let ent = &w.entities[i];
            let mut a = String::from("<a href=\"");
            escape_into(root, &mut a);
            escape_into(&ent.url(), &mut a);
            a.push_str("\">");
            a.push_str(&escaped(&ent.name));
            a.push_str("</a>");
            a
        })
        .collect();
    if ids.len() > join.most {
        let count = (ids.len() - join.most).to_string();
        items.push(escaped(&join.others.replace("{count}", &count)));
    }
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{}{}{last}", rest.join(&join.comma), join.and),
    }
}

/// Text for an element's content: `&`, `<` and `>` escaped (quotes need not be, and an
/// apostrophe reads better as itself in the page's source).
fn escaped(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A phrase with its `{slots}` filled in (HTML); a `[part]` is left out when a slot in it is
/// empty. `None` when a slot outside brackets is empty or unknown.
fn fill(phrase: &str, slots: &[(&str, String)]) -> Option<String> {
    let mut out = String::new();
    let mut rest = phrase;
    while let Some(c) = rest.chars().next() {
        match c {
            '[' => {
                let end = rest.find(']')?;
                if let Some(part) = fill(&rest[1..end], slots) {
                    out.push_str(&part);
                }
                rest = &rest[end + 1..];
            }
            '{' => {
                let end = rest.find('}')?;
                let slot = &rest[1..end];
                let (_, value) = slots.iter().find(|(k, v)| *k == slot && !v.is_empty())?;
                out.push_str(value);
                rest = &rest[end + 1..];
            }
            _ => {
                let end = rest.find(['[', '{']).unwrap_or(rest.len());
                out.push_str(&escaped(&rest[..end]));
                rest = &rest[end..];
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_phrases_parse_and_name_every_kind() {
        let p = phrases();
        for key in ["person", "group", "artist", "film", "show", "song", "label"] {
            assert!(p.is.contains_key(key), "data/lead.yaml: no `is.{key}`");
        }
        for k in PartnershipKind::ALL {
            assert!(
                p.partnerships.contains_key(k.as_str()),
                "no sentence for {k:?}"
            );
        }
        // the fallback fits every place
        for role in ["party", "work", "carrier"] {
            assert!(
                p.partnerships["other"].contains_key(role),
                "no other.{role}"
            );
        }
    }

    #[test]
    fn brackets_drop_what_is_missing() {
        let slots = [("name", escaped("R&B")), ("groups", String::new())];
        assert_eq!(
            fill("{name} is an artist[ and a member of {groups}].", &slots).as_deref(),
            Some("R&amp;B is an artist.")
        );
        assert_eq!(fill("{name} is in {works}.", &slots), None);
        assert_eq!(
            fill("{name}'s song", &slots).as_deref(),
            Some("R&amp;B's song")
        );
    }
}
