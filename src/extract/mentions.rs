//! Pass 5, mentions: where each kept entity is named, sentence by sentence. Its own spans,
//! and the places the article names it again without the signals that found it (in a
//! title-case headline, at the start of a sentence, in a list of capitals).
use super::doc::Sentence;
use super::entities::Table;
use super::spans::cap_word;
use super::tokens::tokenize;
use rustc_hash::FxHashMap;

/// An entity named at tokens [a, b) of a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    pub a: usize,
    pub b: usize,
    pub entity: usize,
    /// The table's span, when the mention was a candidate name.
    pub span: Option<usize>,
}

/// The mentions of every sentence, in order of position.
pub fn find(sents: &[Sentence], t: &Table) -> Vec<Vec<Mention>> {
    let forms = surface_forms(t);
    sents
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut out: Vec<Mention> = t
                .spans_of(i)
                .filter_map(|sp| {
                    let e = t.entity_of(sp)?;
                    let span = &t.spans[sp];
                    Some(Mention {
                        a: span.a,
                        b: span.b,
                        entity: e,
                        span: Some(sp),
                    })
                })
                .collect();
            let covered: Vec<(usize, usize)> = t
                .spans_of(i)
                .map(|sp| (t.spans[sp].a, t.spans[sp].b))
                .collect();
            rescan(s, &forms, &covered, &mut out);
            out.sort_by_key(|m| m.a);
            out
        })
        .collect()
}

/// A surface form as lower-cased tokens, and its entity.
struct Form {
    toks: Vec<String>,
    entity: usize,
    lower: bool,
}

/// Every kept entity's surface forms, by their first lower-cased token.
fn surface_forms(t: &Table) -> FxHashMap<String, Vec<Form>> {
    let mut by_first: FxHashMap<String, Vec<Form>> = FxHashMap::default();
    for (e, ent) in t.entities.iter().enumerate() {
        if !ent.kept() {
            continue;
        }
        for s in &ent.surfaces {
            let toks: Vec<String> = tokenize(s)
                .iter()
                .map(|tk| s[tk.start..tk.end].to_lowercase())
                .collect();
            let Some(first) = toks.first().cloned() else {
                continue;
            };
            let lower = s.starts_with(|c: char| c.is_lowercase());
            by_first.entry(first).or_default().push(Form {
                toks,
                entity: e,
                lower,
            });
        }
    }
    for forms in by_first.values_mut() {
        forms.sort_by_key(|f| std::cmp::Reverse(f.toks.len()));
    }
    by_first
}

/// Names of known entities the span finder did not take at this place.
fn rescan(
    s: &Sentence,
    forms: &FxHashMap<String, Vec<Form>>,
    covered: &[(usize, usize)],
    out: &mut Vec<Mention>,
) {
    let mut k = 0;
    while k < s.toks.len() {
        let free = |j: usize| !covered.iter().any(|&(a, b)| j >= a && j < b) && !s.in_credit(j);
        let hit = s
            .is_word(k)
            .then(|| forms.get(s.words.lower(k)))
            .flatten()
            .and_then(|fs| {
                fs.iter().find(|f| {
                    let b = k + f.toks.len();
                    b <= s.toks.len()
                        && (f.lower || cap_word(s, k))
                        && (k..b).all(free)
                        && (k..b)
                            .zip(&f.toks)
                            .all(|(j, w)| s.tok(j).to_lowercase() == *w)
                        && !(b < s.toks.len() && cap_word(s, b) && !s.toks[b - 1].possessive)
                })
            });
        match hit {
            Some(f) => {
                out.push(Mention {
                    a: k,
                    b: k + f.toks.len(),
                    entity: f.entity,
                    span: None,
                });
                k += f.toks.len();
            }
            None => k += 1,
        }
    }
}
