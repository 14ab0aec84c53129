//! Pass 8a, what a sentence says relations with: its parties (the entities it names, and the
//! article's work or group where a noun phrase stands for them: "The series is directed by
//! X"), its clauses, and the triggers in them (the phrases of `data/triggers.yaml`).
use super::Kind;
use super::Subtype;
use super::doc::Sentence;
use super::entities::Table;
use super::lexicon::{Lexicon, TriggerClass};
use super::mentions::Mention;

/// An entity named at tokens [a, b), or a noun phrase standing for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Party {
    pub a: usize,
    pub b: usize,
    pub entity: usize,
    /// "the series" standing for the article's series.
    pub stand_in: bool,
}

/// A trigger phrase at tokens [a, b).
#[derive(Debug, Clone, PartialEq)]
pub struct Trigger {
    pub a: usize,
    pub b: usize,
    pub class: TriggerClass,
    pub phrase: String,
}

/// The parties of every sentence: mentions, and noun phrases standing for the article's
/// main work or group.
pub fn parties(sents: &[Sentence], t: &Table, mentions: &[Vec<Mention>], lex: &Lexicon) -> Vec<Vec<Party>> {
    let mut seen = vec![0usize; t.entities.len()];
    let mut last_seen = vec![0usize; t.entities.len()];
    let mut out = Vec::with_capacity(sents.len());
    for (i, (s, ms)) in sents.iter().zip(mentions).enumerate() {
        let mut ps: Vec<Party> = ms
            .iter()
            .map(|m| Party {
                a: m.a,
                b: m.b,
                entity: m.entity,
                stand_in: false,
            })
            .collect();
        let focus = |want: fn(&Table, usize) -> bool| {
            (0..t.entities.len())
                .filter(|&e| seen[e] > 0 && want(t, e))
                .max_by_key(|&e| (seen[e], last_seen[e]))
        };
        for (a, b, group) in anaphors(s, ms, lex) {
            let want: fn(&Table, usize) -> bool = if group { is_group } else { is_work };
            if let Some(e) = focus(want) {
                ps.push(Party {
                    a,
                    b,
                    entity: e,
                    stand_in: true,
                });
            }
        }
        ps.sort_by_key(|p| p.a);
        for m in ms {
            seen[m.entity] += 1;
            last_seen[m.entity] = i + 1;
        }
        out.push(ps);
    }
    out
}

fn is_work(t: &Table, e: usize) -> bool {
    t.entities[e].kind == Kind::Film
}

fn is_group(t: &Table, e: usize) -> bool {
    t.entities[e].kind == Kind::Artist && t.entities[e].subtype == Some(Subtype::Group)
}

/// "The series", "the Apple TV+ thriller", "the film's", "the group": a definite noun phrase
/// whose head is a work noun (or a group noun) and that names no title of its own.
fn anaphors(s: &Sentence, ms: &[Mention], lex: &Lexicon) -> Vec<(usize, usize, bool)> {
    let mut out = Vec::new();
    let inside = |k: usize| ms.iter().any(|m| k >= m.a && k < m.b);
    for k in 0..s.toks.len() {
        if !s.is_word(k) || inside(k) {
            continue;
        }
        let id = s.words.id(k);
        let work = lex.kc.film_before.contains_word(id) || lex.kc.show_before.contains_word(id);
        let group = lex.kc.group_before.contains_word(id) && !work;
        if !work && !group {
            continue;
        }
        // names its own title ("the film "X"", "the series X") or is part of a longer noun
        let next = k + 1;
        let titled = ms.iter().any(|m| m.a == next || (m.a == next + 1 && super::kinds::is_quote(s, next)));
        let compound = s.is_word(next)
            && !s.toks[k].possessive
            && (lex.kc.film_before.contains_word(s.words.id(next))
                || matches!(s.words.lower(next), "of" | "industry" | "member" | "members" | "market"));
        if titled || compound {
            continue;
        }
        let det = (k.saturating_sub(5)..k).rev().find(|&j| {
            s.is_word(j) && matches!(s.words.lower(j), "the" | "this" | "that")
        });
        let Some(d) = det else { continue };
        // only adjectives and names between the article and the noun
        let plain = (d + 1..k).all(|j| s.is_word(j) || s.is_punct(j, '-') || s.is_punct(j, '+'));
        if plain {
            out.push((d, k + 1, group));
        }
    }
    out
}

/// Clauses of a sentence as token ranges: split at ";", a line break, and "while",
/// "whereas", "but", "although".
pub fn clauses(s: &Sentence) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut a = 0;
    for k in 0..s.toks.len() {
        let cut = s.is_punct(k, ';')
            || matches!(s.toks[k].kind, super::tokens::TokKind::Newline)
            || (s.is_word(k) && matches!(s.words.lower(k), "while" | "whereas" | "but" | "although" | "though"));
        if cut {
            if k > a {
                out.push((a, k));
            }
            a = k + 1;
        }
    }
    if a < s.toks.len() {
        out.push((a, s.toks.len()));
    }
    out
}

/// The triggers in tokens [a, b), longest phrase first; a phrase of several classes is a
/// trigger of each.
pub fn triggers(s: &Sentence, a: usize, b: usize, parties: &[Party], lex: &Lexicon) -> Vec<Trigger> {
    let mut out = Vec::new();
    let named = |k: usize| parties.iter().any(|p| !p.stand_in && k >= p.a && k < p.b);
    let mut k = a;
    while k < b {
        if !s.is_word(k) || named(k) {
            k += 1;
            continue;
        }
        let ids = s.words.ids(k, (k + 5).min(b));
        let lens: Vec<(TriggerClass, usize)> = lex
            .triggers
            .iter()
            .filter_map(|(c, set)| set.longest_prefix(ids).map(|n| (*c, n)))
            .collect();
        let Some(n) = lens.iter().map(|&(_, n)| n).max() else {
            k += 1;
            continue;
        };
        // "x" joins two names only: "LE SSERAFIM x OVERWATCH 2"
        if n == 1 && s.words.lower(k) == "x" && (s.tok(k) != "x" || !(k > 0 && named(k - 1) && named(k + 1))) {
            k += 1;
            continue;
        }
        let phrase = (k..k + n).map(|j| s.words.lower(j)).collect::<Vec<_>>().join(" ");
        for &(class, _) in lens.iter().filter(|&&(_, m)| m == n) {
            out.push(Trigger {
                a: k,
                b: k + n,
                class,
                phrase: phrase.clone(),
            });
        }
        k += n;
    }
    out
}
