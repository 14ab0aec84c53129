//! Pass 7, membership: which person the article ties to which group ("BLACKPINK's Rosé",
//! "Lisa of BLACKPINK", "LE SSERAFIM member Kim Chaewon", "Rosé (Blackpink)", "Blackpink is
//! comprised of four members: Jennie, Lisa, Rosé and Jisoo"). A member and their group are
//! never partners of each other.
use super::Kind;
use super::Subtype;
use super::doc::Sentence;
use super::entities::Table;
use super::lists;
use super::mentions::Mention;

/// For each entity, the groups the article says it belongs to.
pub fn find(sents: &[Sentence], t: &Table, mentions: &[Vec<Mention>]) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); t.entities.len()];
    for (s, ms) in sents.iter().zip(mentions) {
        for (i, m) in ms.iter().enumerate() {
            for (p, g) in ties(s, t, ms, i, m) {
                if p != g && !out[p].contains(&g) && !out[g].contains(&p) {
                    out[p].push(g);
                }
            }
        }
    }
    out
}

fn is_group(t: &Table, e: usize) -> bool {
    let x = &t.entities[e];
    x.kind == Kind::Artist && x.subtype != Some(Subtype::Person)
}

fn is_person(t: &Table, e: usize) -> bool {
    let x = &t.entities[e];
    x.kind == Kind::Artist && x.subtype != Some(Subtype::Group)
}

/// The list of mentions starting at `i` (the mention and those listed after it).
fn list_from(s: &Sentence, ms: &[Mention], i: usize) -> Vec<usize> {
    let mut out = vec![i];
    let mut j = i;
    while j + 1 < ms.len() && lists::joins(s, ms[j].b, ms[j + 1].a) {
        j += 1;
        out.push(j);
    }
    out
}

fn word_is(s: &Sentence, k: usize, words: &[&str]) -> bool {
    s.is_word(k) && words.contains(&s.words.lower(k))
}

const MEMBER: &[&str] = &[
    "member",
    "members",
    "leader",
    "frontman",
    "frontwoman",
    "maknae",
    "vocalist",
    "rapper",
    "bandleader",
];

/// The (person, group) ties stated around mention `i`.
fn ties(s: &Sentence, t: &Table, ms: &[Mention], i: usize, m: &Mention) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let next = ms.get(i + 1);
    // "BLACKPINK's Rosé", "BTS' Jin": the group owns the member
    if s.toks[m.b - 1].possessive
        && is_group(t, m.entity)
        && let Some(n) = next.filter(|n| n.a == m.b && is_person(t, n.entity))
    {
        out.push((n.entity, m.entity));
    }
    // "LE SSERAFIM member Kim Chaewon", "all four Blackpink members – Jennie, Lisa ..."
    if is_group(t, m.entity) && word_is(s, m.b, MEMBER) {
        let mut k = m.b + 1;
        while k < s.toks.len() && !s.is_word(k) {
            k += 1;
        }
        if let Some(j) = (i + 1..ms.len()).find(|&j| ms[j].a == k) {
            for p in list_from(s, ms, j) {
                if is_person(t, ms[p].entity) {
                    out.push((ms[p].entity, m.entity));
                }
            }
        }
    }
    if let Some(n) = next {
        let between: Vec<&str> = (m.b..n.a)
            .filter(|&k| s.is_word(k))
            .map(|k| s.words.lower(k))
            .collect();
        let marks_only = (m.b..n.a).all(|k| s.is_word(k) || s.is_punct(k, ','));
        let of = matches!(
            between[..],
            ["of"]
                | ["from"]
                | ["of", "the", ..]
                | ["a", "member", "of", ..]
                | ["member", "of", ..]
        ) || (between.len() >= 3 && between[..3] == ["is", "a", "member"]);
        if of && marks_only && is_person(t, m.entity) && is_group(t, n.entity) && between.len() <= 5
        {
            out.push((m.entity, n.entity));
        }
        // "Rosé (Blackpink)"
        if s.is_punct(m.b, '(')
            && n.a == m.b + 1
            && s.is_punct(n.b, ')')
            && is_person(t, m.entity)
            && is_group(t, n.entity)
        {
            out.push((m.entity, n.entity));
        }
    }
    // "Blackpink is comprised of four members: A, B, C and D"; "Stray Kids (Stray Kids/A, B, C)"
    if is_group(t, m.entity) {
        let window = (m.b..(m.b + 9).min(s.toks.len())).find(|&k| {
            word_is(
                s,
                k,
                &["comprised", "composed", "consisting", "consists", "made"],
            ) || s.is_punct(k, '(')
        });
        if let Some(k) = window {
            let start = (i + 1..ms.len()).find(|&j| ms[j].a > k && ms[j].a <= k + 8);
            if let Some(j) = start {
                let j = if ms[j].entity == m.entity { j + 1 } else { j };
                if j < ms.len() {
                    for p in list_from(s, ms, j) {
                        if ms[p].entity != m.entity && is_person(t, ms[p].entity) {
                            out.push((ms[p].entity, m.entity));
                        }
                    }
                }
            }
        }
    }
    out
}
