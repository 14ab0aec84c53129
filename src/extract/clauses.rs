//! Pass 8a, what a sentence says relations with: its parties (the entities it names, and the
//! article's work or group where a noun phrase stands for them: "The series is directed by
//! X"), its clauses, and the triggers in them (the phrases of `data/triggers.yaml`).
use super::Kind;
use super::Subtype;
use super::doc::Sentence;
use super::entities::Table;
use super::lexicon::{Lexicon, NO_WORD, TriggerClass, WordId};
use super::mentions::Mention;

/// An entity named at tokens [a, b), or a noun phrase standing for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Party {
    pub a: usize,
    pub b: usize,
    pub entity: usize,
    /// "the series" standing for the article's series.
    pub stand_in: bool,
    /// A platform standing for a work whose title the text lost ("the US Netflix TV series
    /// "The").
    pub as_work: bool,
}

/// A trigger phrase at tokens [a, b).
#[derive(Debug, Clone, PartialEq)]
pub struct Trigger {
    pub a: usize,
    pub b: usize,
    pub class: TriggerClass,
    pub phrase: String,
}

/// What each sentence can relate: its parties, and the article's work at that point.
pub struct Parties {
    pub of: Vec<Vec<Party>>,
    pub focus: Vec<Option<usize>>,
}

/// The parties of every sentence: mentions, and noun phrases standing for the article's
/// main work, group or person ("the series", "the group", "the actor", "she"): the one the
/// article names most so far, its headline counting twice; for "the series" after a film,
/// the series named last.
pub fn parties(sents: &[Sentence], t: &Table, mentions: &[Vec<Mention>], lex: &Lexicon) -> Parties {
    let mut memory = Memory {
        seen: vec![0; t.entities.len()],
        last_seen: vec![0; t.entities.len()],
    };
    let mut out = Vec::with_capacity(sents.len());
    let mut focus_of = Vec::with_capacity(sents.len());
    for (i, (s, ms)) in sents.iter().zip(mentions).enumerate() {
        let mut ps: Vec<Party> = ms
            .iter()
            .map(|m| Party {
                a: m.a,
                b: m.b,
                entity: m.entity,
                stand_in: false,
                as_work: false,
            })
            .collect();
        // the work the sentence before named, if it named one, else the article's main work
        let recent = i.checked_sub(1).and_then(|j| only_work(t, &mentions[j]));
        let work = recent.or_else(|| memory.most(t, is_work));
        focus_of.push(work);
        for (a, b, what) in anaphors(s, ms, lex) {
            if let Some(p) = cut_off_title(s, t, ms, a, b, lex) {
                ps.push(p);
                continue;
            }
            let e = match what {
                Anaphor::Work(noun) => memory.typed_work(t, lex, noun, work),
                Anaphor::Group => memory
                    .most(t, is_group)
                    .or_else(|| memory.most(t, is_artist)),
                // "the star", "she": the person named last, in this sentence or before
                Anaphor::Person => ms
                    .iter()
                    .rev()
                    .find(|m| m.b <= a && not_a_group(t, m.entity))
                    .map(|m| m.entity)
                    .or_else(|| memory.last(t, not_a_group)),
            };
            ps.extend(e.map(|entity| Party {
                a,
                b,
                entity,
                stand_in: true,
                as_work: false,
            }));
        }
        ps.sort_by_key(|p| p.a);
        memory.note(ms, if i == 0 && s.heading { 3 } else { 1 }, i + 1);
        out.push(ps);
    }
    Parties {
        of: out,
        focus: focus_of,
    }
}

/// The work a sentence names, if it names one only.
fn only_work(t: &Table, ms: &[Mention]) -> Option<usize> {
    let mut works = ms.iter().map(|m| m.entity).filter(|&e| is_work(t, e));
    let first = works.next()?;
    works.all(|e| e == first).then_some(first)
}

/// How often (weighted) and when (sentence number from 1) each entity was named so far.
struct Memory {
    seen: Vec<usize>,
    last_seen: Vec<usize>,
}

impl Memory {
    fn note(&mut self, ms: &[Mention], weight: usize, sentence: usize) {
        for m in ms {
            self.seen[m.entity] += weight;
            self.last_seen[m.entity] = sentence;
        }
    }

    /// The entity of a kind named most so far (the latest of equals).
    fn most(&self, t: &Table, want: fn(&Table, usize) -> bool) -> Option<usize> {
        (0..self.seen.len())
            .filter(|&e| self.seen[e] > 0 && want(t, e))
            .max_by_key(|&e| (self.seen[e], self.last_seen[e]))
    }

    /// The entity of a kind named last (the most named of equals).
    fn last(&self, t: &Table, want: fn(&Table, usize) -> bool) -> Option<usize> {
        (0..self.seen.len())
            .filter(|&e| self.seen[e] > 0 && want(t, e))
            .max_by_key(|&e| (self.last_seen[e], self.seen[e]))
    }

    /// What "the series" stands for: the main work if it is one (or of no known type), else
    /// the work of that type named last.
    fn typed_work(
        &self,
        t: &Table,
        lex: &Lexicon,
        noun: WorkType,
        main: Option<usize>,
    ) -> Option<usize> {
        let main = main?;
        let types = types_of(t, lex, main);
        if types.is_empty() || types.contains(&noun) {
            return Some(main);
        }
        (0..t.entities.len())
            .filter(|&e| self.seen[e] > 0 && is_work(t, e) && types_of(t, lex, e).contains(&noun))
            .max_by_key(|&e| self.last_seen[e])
            .or(Some(main))
    }
}

/// "the US Netflix TV series "The" (the text cut off): the broadcaster named in the noun
/// phrase stands for the work.
fn cut_off_title(
    s: &Sentence,
    t: &Table,
    ms: &[Mention],
    a: usize,
    b: usize,
    lex: &Lexicon,
) -> Option<Party> {
    let quote_next = super::kinds::is_quote(s, b);
    let lost = quote_next && !ms.iter().any(|m| m.a == b + 1) || b == s.toks.len();
    if !lost {
        return None;
    }
    let m = ms
        .iter()
        .find(|m| m.a > a && m.b < b && t.entities[m.entity].kind == Kind::Label)?;
    let screen = lex
        .known_label(&t.entities[m.entity].name)
        .is_some_and(|l| lex.labels[l].screen);
    screen.then_some(Party {
        a,
        b,
        entity: m.entity,
        stand_in: true,
        as_work: true,
    })
}

/// Screen works come as films or as series; "the series" after a film names a series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WorkType {
    Film,
    Series,
}

fn work_type(lex: &Lexicon, noun: WordId) -> Option<WorkType> {
    if lex.rc.film_nouns.contains_word(noun) {
        Some(WorkType::Film)
    } else if lex.rc.series_nouns.contains_word(noun) {
        Some(WorkType::Series)
    } else {
        None
    }
}

/// The types an entity's cues gave it.
fn types_of(t: &Table, lex: &Lexicon, e: usize) -> Vec<WorkType> {
    t.entities[e]
        .votes
        .iter()
        .filter_map(|v| v.cue.rsplit_once(' ').map(|(_, w)| w.trim_matches('\'')))
        .filter_map(|w| work_type(lex, lex.word_id(w)))
        .collect()
}

fn is_work(t: &Table, e: usize) -> bool {
    t.entities[e].kind == Kind::Film
}

fn is_group(t: &Table, e: usize) -> bool {
    t.entities[e].kind == Kind::Artist && t.entities[e].subtype == Some(Subtype::Group)
}

fn is_artist(t: &Table, e: usize) -> bool {
    t.entities[e].kind == Kind::Artist
}

/// A person, or an act not known as a group ("Lisa" with nothing saying she is a person).
fn not_a_group(t: &Table, e: usize) -> bool {
    is_artist(t, e) && !is_group(t, e)
}

/// What a noun phrase stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Anaphor {
    Work(WorkType),
    Group,
    Person,
}

/// "The series", "the Apple TV+ thriller", "the film's", "the group", "the actor", "she": a
/// definite noun phrase whose head is a work, group or person noun and that names no title of
/// its own, or a personal pronoun as a subject.
fn anaphors(s: &Sentence, ms: &[Mention], lex: &Lexicon) -> Vec<(usize, usize, Anaphor)> {
    let inside = |k: usize| ms.iter().any(|m| k >= m.a && k < m.b);
    (0..s.toks.len())
        .filter(|&k| s.is_word(k) && !inside(k))
        .filter_map(|k| pronoun(s, k, lex).or_else(|| noun_phrase(s, k, ms, lex)))
        .collect()
}

/// "she", "he" before a word, "his role", "her cameo"; "It is directed by ...", "It stars
/// ...", "It's scripted by": the work, as the sentence's subject.
fn pronoun(s: &Sentence, k: usize, lex: &Lexicon) -> Option<(usize, usize, Anaphor)> {
    let word = s.words.lower(k);
    let role_next = || s.is_word(k + 1) && lex.rc.possessed_roles.contains_word(s.words.id(k + 1));
    if matches!(word, "he" | "she") && s.is_word(k + 1)
        || matches!(word, "his" | "her") && role_next()
    {
        return Some((k, k + 1, Anaphor::Person));
    }
    let subject_verb = s.is_word(k + 1)
        && matches!(
            s.words.lower(k + 1),
            "is" | "was" | "will" | "stars" | "starred" | "has"
        );
    let first = (0..k).all(|j| !s.is_word(j));
    (word == "it" && first && (subject_verb || s.toks[k].possessive)).then_some((
        k,
        k + 1,
        Anaphor::Work(WorkType::Film),
    ))
}

/// What a noun stands for when it heads a definite noun phrase.
fn head_noun(s: &Sentence, k: usize, lex: &Lexicon) -> Option<Anaphor> {
    let id = s.words.id(k);
    let word = s.words.lower(k);
    // a noun of its own, not the last part of a compound ("self-production")
    if id == NO_WORD || word.contains('-') && lex.vocab.get(word) == NO_WORD {
        return None;
    }
    if lex.kc.film_before.contains_word(id) || lex.kc.show_before.contains_word(id) {
        Some(Anaphor::Work(work_type(lex, id).unwrap_or(WorkType::Film)))
    } else if lex.kc.group_before.contains_word(id) {
        Some(Anaphor::Group)
    } else if lex.rc.person_anaphora.contains_word(id) {
        Some(Anaphor::Person)
    } else {
        None
    }
}

/// "the series", "this drama", "his show" (a host's), "NBC's late-night show": a determiner
/// (or, before a show noun, a possessive) and only adjectives and names up to the noun at `k`.
fn noun_phrase(
    s: &Sentence,
    k: usize,
    ms: &[Mention],
    lex: &Lexicon,
) -> Option<(usize, usize, Anaphor)> {
    let what = head_noun(s, k, lex)?;
    if names_its_own(s, k, ms, lex) {
        return None;
    }
    let show = lex.kc.show_before.contains_word(s.words.id(k));
    let d = (k.saturating_sub(5)..k).rev().find(|&j| {
        s.is_word(j)
            && (matches!(s.words.lower(j), "the" | "this" | "that")
                || show
                    && (matches!(s.words.lower(j), "his" | "her" | "their" | "its")
                        || s.toks[j].possessive))
    })?;
    // "Aimer, the singer responsible ...": an apposition names the name before it again
    if d >= 2 && s.is_punct(d - 1, ',') && ms.iter().any(|m| m.b == d - 1) {
        return None;
    }
    let plain = (d + 1..k).all(|j| s.is_word(j) || s.is_punct(j, '-') || s.is_punct(j, '+'));
    // "the same series", "another film": some other work
    let generic = matches!(what, Anaphor::Work(_)) && s.any_word_in(d + 1, k, &lex.rc.other_work);
    (plain && !generic).then_some((d, k + 1, what))
}

/// The noun at `k` names its own title ("the film "X"", "the series X") or is part of a longer
/// noun ("the film industry").
fn names_its_own(s: &Sentence, k: usize, ms: &[Mention], lex: &Lexicon) -> bool {
    let next = k + 1;
    let titled = ms
        .iter()
        .any(|m| m.a == next || (m.a == next + 1 && super::kinds::is_quote(s, next)));
    let compound = s.is_word(next)
        && !s.toks[k].possessive
        && (lex.kc.film_before.contains_word(s.words.id(next))
            || lex.rc.compound_tails.contains_word(s.words.id(next)));
    titled || compound
}

/// Clauses of a sentence as token ranges: split at ";", a line break, and "while",
/// "whereas", "but", "although".
pub fn clauses(s: &Sentence) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut a = 0;
    for k in 0..s.toks.len() {
        // a line break ends a clause where a headline or a crumb ran into the sentence
        let line_break = matches!(s.toks[k].kind, super::tokens::TokKind::Newline)
            && (s.shouty_at(k.saturating_sub(1)) || s.shouty_at(k + 1));
        let cut = s.is_punct(k, ';')
            || line_break
            || (s.is_word(k)
                && matches!(
                    s.words.lower(k),
                    "while" | "whereas" | "but" | "although" | "though"
                )
                && !(s.is_word(k + 1) && s.words.lower(k + 1).ends_with("ing")));
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
pub fn triggers(
    s: &Sentence,
    a: usize,
    b: usize,
    parties: &[Party],
    lex: &Lexicon,
) -> Vec<Trigger> {
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
        if n == 1
            && s.words.lower(k) == "x"
            && (s.tok(k) != "x" || !(k > 0 && named(k - 1) && named(k + 1)))
        {
            k += 1;
            continue;
        }
        // every class that reads a trigger here, each with its own phrase ("produced by" is a
        // collaboration's and, as "produced", a credit's)
        for &(class, m) in &lens {
            let phrase = (k..k + m)
                .map(|j| s.words.lower(j))
                .collect::<Vec<_>>()
                .join(" ");
            out.push(Trigger {
                a: k,
                b: k + m,
                class,
                phrase,
            });
        }
        k += n;
    }
    out
}
