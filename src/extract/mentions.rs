//! Finding the names an article uses and deciding what each one is.
//!
//! Pass 1 reads every sentence for candidate names (quoted titles, known organizations,
//! capitalized runs, names after group cues, parentheses) and collects votes for their kind
//! from the words around them. Votes are summed per name across the article. Pass 2 finds
//! the later bare mentions of the names kept ("Messy is currently...") and settles the
//! constructions that need the kinds (possessives, "X of Y").
use super::lexicon::{Lexicon, PhraseSet};
use super::names::{self, korean_key};
use super::tokens::{TokKind, Token, tokenize};
use super::words::Words;
use super::{Found, Kind, Subtype, Unit};
use std::collections::{BTreeSet, HashMap};

/// Votes below this total make no entity.
const KEEP: f32 = 1.0;

/// One occurrence of a name in one sentence.
#[derive(Debug, Clone)]
pub struct Mention {
    pub tok_start: usize,
    pub tok_end: usize,
    pub surface: String,
    pub entity: usize,
    pub possessive: bool,
    pub quoted: bool,
    /// A group named only to say whose member someone is ("Rosé (Blackpink)").
    pub attached: bool,
    /// A lone capitalized word that opens its sentence: weak evidence of a name.
    pub weak: bool,
}

/// A name as the article uses it, with the votes for its kind.
#[derive(Debug, Clone, Default)]
pub struct Candidate {
    pub surfaces: Vec<(String, usize)>,
    pub votes: [f32; 4],
    pub person: f32,
    pub group: f32,
    pub show: f32,
    pub cues: Vec<String>,
    pub member_of: Vec<usize>,
    pub excluded: bool,
    pub sentences: BTreeSet<usize>,
    /// Index of the known organization in the lexicon, if it is one.
    pub known_label: Option<usize>,
}

impl Candidate {
    fn vote(&mut self, kind: Kind, weight: f32, cue: impl Into<String>) {
        self.votes[kind as usize] += weight;
        let cue = cue.into();
        if !self.cues.contains(&cue) {
            self.cues.push(cue);
        }
    }

    pub fn kind(&self) -> Option<Kind> {
        if self.excluded {
            return None;
        }
        let (i, best) =
            self.votes.iter().enumerate().fold(
                (0, 0.0f32),
                |acc, (i, &v)| if v > acc.1 { (i, v) } else { acc },
            );
        (best >= KEEP).then(|| Kind::ALL[i])
    }

    pub fn name(&self) -> &str {
        // the most used surface; ties go to the longest, then the first seen
        self.surfaces
            .iter()
            .enumerate()
            .max_by(|(ia, (a, na)), (ib, (b, nb))| {
                na.cmp(nb)
                    .then(a.chars().count().cmp(&b.chars().count()))
                    .then(ib.cmp(ia))
            })
            .map_or("", |(_, (s, _))| s.as_str())
    }

    pub fn subtype(&self) -> Option<Subtype> {
        match self.kind()? {
            Kind::Artist if self.group > self.person && self.group > 0.0 => Some(Subtype::Group),
            Kind::Artist if self.person > 0.0 => Some(Subtype::Person),
            Kind::Film if self.show > 0.0 => Some(Subtype::Show),
            _ => None,
        }
    }

    fn add_surface(&mut self, s: &str) {
        match self.surfaces.iter_mut().find(|(x, _)| x == s) {
            Some((_, n)) => *n += 1,
            None => self.surfaces.push((s.to_string(), 1)),
        }
    }
}

/// The names of an article and where they occur.
#[derive(Debug, Default)]
pub struct Table {
    pub tokens: Vec<Vec<Token>>,
    /// Per sentence: its words lower-cased, aligned with `tokens`.
    pub words: Vec<Words>,
    pub mentions: Vec<Vec<Mention>>,
    pub entities: Vec<Candidate>,
    keys: HashMap<String, usize>,
    /// (unit, owner, owned) by first token: "G's M", settled once kinds are known.
    possessions: Vec<(usize, usize, usize)>,
    /// (unit, person, groups) by first token: "X of Y and Z".
    pub of_groups: Vec<(usize, usize, Vec<usize>)>,
    /// Whether each sentence has a song cue word ("albums", "single").
    song_cue_in: Vec<bool>,
}

impl Table {
    pub fn kind(&self, entity: usize) -> Option<Kind> {
        self.entities[entity].kind()
    }

    pub fn name(&self, entity: usize) -> &str {
        self.entities[entity].name()
    }

    pub fn is_person(&self, entity: usize) -> bool {
        let c = &self.entities[entity];
        c.kind() == Some(Kind::Artist) && c.subtype() != Some(Subtype::Group)
    }

    fn entity_for(&mut self, surface: &str, label: Option<usize>, lex: &Lexicon) -> usize {
        let k = match label {
            // every surface form of a known organization is one name
            Some(l) => entity_key(&lex.labels[l].name, lex),
            None => entity_key(surface, lex),
        };
        if let Some(&i) = self.keys.get(&k) {
            return i;
        }
        self.entities.push(Candidate::default());
        let i = self.entities.len() - 1;
        self.keys.insert(k, i);
        i
    }

    /// The kept entities as `Found` records, with plural-less variants merged in
    /// ("Doja Cats" into "Doja Cat").
    pub fn into_found(self) -> Vec<Found> {
        let mut found: Vec<Found> = Vec::new();
        let mut index: Vec<Option<usize>> = vec![None; self.entities.len()];
        for (i, c) in self.entities.iter().enumerate() {
            let Some(kind) = c.kind() else { continue };
            index[i] = Some(found.len());
            found.push(Found {
                name: c.name().to_string(),
                surfaces: c.surfaces.iter().map(|(s, _)| s.clone()).collect(),
                kind,
                subtype: c.subtype(),
                confidence: confidence(c.votes[kind as usize]),
                cues: c.cues.clone(),
                member_of: Vec::new(),
                sentences: c.sentences.iter().copied().collect(),
            });
        }
        for (i, c) in self.entities.iter().enumerate() {
            let Some(fi) = index[i] else { continue };
            let groups: Vec<String> = c
                .member_of
                .iter()
                .filter_map(|&g| index[g].map(|gi| found[gi].name.clone()))
                .collect();
            for g in groups {
                if !found[fi].member_of.contains(&g) {
                    found[fi].member_of.push(g);
                }
            }
        }
        found
    }
}

pub fn confidence(votes: f32) -> f32 {
    let c = 1.0 - (-votes / 2.5).exp();
    (c * 100.0).round() / 100.0
}

/// The key that makes two surface forms in one article one name.
fn entity_key(surface: &str, lex: &Lexicon) -> String {
    korean_key(surface, &lex.korean_surnames).unwrap_or_else(|| names::key(surface))
}

/// A candidate span in one sentence, before it becomes a mention.
#[derive(Debug, Clone)]
struct Span {
    tok_start: usize,
    tok_end: usize,
    start: usize,
    end: usize,
    quoted: bool,
    label: Option<usize>,
    /// A known organization's regional branch ("Billboard Korea").
    branch: bool,
    possessive: bool,
    initial: bool,
}

pub fn find(units: &[Unit], lex: &Lexicon) -> Table {
    let mut t = Table::default();
    for (u, unit) in units.iter().enumerate() {
        let toks = tokenize(&unit.text);
        let words = Words::new(&unit.text, &toks, lex);
        let spans = spans_of(&unit.text, &toks, &words, unit.heading, lex);
        let mut ms = Vec::new();
        for sp in spans {
            let surface = clean_surface(&unit.text[sp.start..sp.end]);
            if surface.is_empty() {
                continue;
            }
            let e = t.entity_for(&surface, sp.label, lex);
            t.entities[e].add_surface(&surface);
            t.entities[e].sentences.insert(u);
            if let Some(l) = sp.label {
                t.entities[e].known_label = Some(l);
            }
            let weak = !sp.quoted
                && sp.label.is_none()
                && sp.tok_end - sp.tok_start == 1
                && (sp.initial || lex.korean_surnames.contains(&surface));
            ms.push(Mention {
                tok_start: sp.tok_start,
                tok_end: sp.tok_end,
                surface,
                entity: e,
                possessive: sp.possessive,
                quoted: sp.quoted,
                attached: false,
                weak,
            });
            let m = ms.len() - 1;
            vote_span(
                &mut t,
                &unit.text,
                &toks,
                &words,
                &sp,
                &ms[m],
                unit.heading,
                lex,
            );
        }
        t.song_cue_in
            .push((0..toks.len()).any(|k| lex.kc.song_before.contains_word(words.id(k))));
        t.mentions.push(ms);
        let text = unit.text.as_str();
        structures(&mut t, u, text, &toks, lex);
        slots(&mut t, u, text, &toks, &words, lex);
        characters(&mut t, u, text, &toks, &words, lex);
        member_lists(&mut t, u, text, &toks, &words, lex);
        t.tokens.push(toks);
        t.words.push(words);
    }
    settle_structures(&mut t);
    known_label_names(&mut t, lex);
    later_mentions(&mut t, units, lex);
    t
}

// ---------------------------------------------------------------------------------- spans

fn is_cap_word(text: &str, tok: &Token) -> bool {
    tok.is_word()
        && text[tok.start..tok.end].chars().next().is_some_and(|c| {
            c.is_uppercase()
                || (c.is_ascii_digit()
                    && text[tok.start..tok.end].chars().any(|x| x.is_uppercase()))
        })
}

fn is_number(text: &str, tok: &Token) -> bool {
    tok.is_word() && text[tok.start..tok.end].chars().all(|c| c.is_ascii_digit())
}

/// Quoted spans: (open quote token, close quote token).
fn quotes(text: &str, toks: &[Token]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let open = match toks[i].kind {
            TokKind::Punct('"') => Some('"'),
            TokKind::Punct('“') => Some('”'),
            TokKind::Punct('‘') => Some('’'),
            TokKind::Punct('”') => Some('”'), // machine translations open with a closing quote
            _ => None,
        };
        // 'Castaway Diva': a straight single quote before a capitalized word opens a title
        let single = toks[i].is_punct('\'')
            && (i == 0 || !toks[i - 1].is_word() || toks[i - 1].end < toks[i].start)
            && toks.get(i + 1).is_some_and(|n| {
                n.is_word()
                    && n.start == toks[i].end
                    && text[n.start..n.end]
                        .chars()
                        .next()
                        .is_some_and(char::is_uppercase)
            });
        if single && let Some(j) = (i + 1..toks.len().min(i + 14)).find(|&j| toks[j].is_punct('\''))
        {
            out.push((i, j));
            i = j + 1;
            continue;
        }
        if let Some(close) = open {
            let end = (i + 1..toks.len()).find(|&j| {
                matches!(toks[j].kind, TokKind::Punct(c) if c == close || (close == '”' && c == '"') || (close == '"' && c == '”'))
            });
            if let Some(j) = end {
                if j > i + 1 && j - i <= 24 {
                    out.push((i, j));
                }
                i = j + 1;
                continue;
            }
            // an unclosed quote at the end of a cut-off line: nothing to take
            break;
        }
        i += 1;
    }
    out
}

/// Function words allowed in lower case inside a title.
const TITLE_SMALL: &[&str] = &[
    "a", "an", "the", "of", "and", "or", "in", "on", "at", "to", "for", "with", "by", "from", "is",
    "it", "me", "my", "you", "we", "us", "be", "pt", "vs", "x", "no", "de", "la", "le", "el",
    "del", "das", "der", "feat", "ft",
];

fn looks_like_title(words: &[&str]) -> bool {
    let first_ok = words.first().is_some_and(|w| {
        w.chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
    });
    let lower_content = words
        .iter()
        .filter(|w| {
            w.chars().next().is_some_and(|c| c.is_lowercase())
                && !TITLE_SMALL.contains(&w.to_lowercase().as_str())
        })
        .count();
    // machine translation lower-cases title words ("Incessible mission 8"): allow one
    first_ok
        && words.len() <= 12
        && lower_content <= (words.len() / 4).max(usize::from(words.len() >= 2))
}

fn spans_of(text: &str, toks: &[Token], w: &Words, heading: bool, lex: &Lexicon) -> Vec<Span> {
    let mut taken = vec![false; toks.len()];
    let mut spans = Vec::new();
    let first_word = toks.iter().position(|t| t.is_word());

    // 1. quoted titles
    for (o, c) in quotes(text, toks) {
        let inner = &toks[o + 1..c];
        let words: Vec<&str> = inner
            .iter()
            .filter(|t| t.is_word())
            .map(|t| &text[t.start..t.end])
            .collect();
        let s = toks[o + 1].start;
        let e = toks[c - 1].end;
        let raw = &text[s..e];
        let ends_sentence = raw.trim_end().ends_with(['.', '!', '?']) && words.len() > 3;
        if words.is_empty() || !looks_like_title(&words) || ends_sentence {
            continue;
        }
        let mut end_tok = c;
        // trailing punctuation inside the quotes ("Seoul Mate,")
        while end_tok > o + 1
            && matches!(
                toks[end_tok - 1].kind,
                TokKind::Punct(',' | '.' | ';' | ':' | '!' | '?')
            )
        {
            end_tok -= 1;
        }
        // ""Unforgiven (feat. Nile Rodgers)"": the title is what comes before the credit
        if let Some(p) = (o + 2..end_tok).find(|&k| {
            toks[k].is_punct('(')
                && toks.get(k + 1).is_some_and(|_| {
                    matches!(
                        w.lower(k + 1),
                        "feat" | "ft" | "featuring" | "with" | "prod"
                    )
                })
        }) {
            end_tok = p;
        }
        if end_tok == o + 1 {
            continue;
        }
        for x in taken.iter_mut().take(c + 1).skip(o) {
            *x = true;
        }
        let possessive = toks[end_tok - 1].possessive;
        spans.push(Span {
            tok_start: o + 1,
            tok_end: end_tok,
            start: toks[o + 1].start,
            end: toks[end_tok - 1].end,
            quoted: true,
            label: None,
            branch: false,
            possessive,
            initial: false,
        });
    }
    if heading {
        // headings are Title Case: only quoted titles and known organizations count there
        spans.extend(label_spans(text, toks, &mut taken, lex, true));
        spans.sort_by_key(|s| s.tok_start);
        return spans;
    }

    // 2. regions of capitalized words, split into known organizations and name shapes
    let mut i = 0;
    let starts_name = |t: &Token| {
        is_cap_word(text, t)
            || (t.is_word() && lex.label_first_words.contains(&text[t.start..t.end]))
    };
    while i < toks.len() {
        if taken[i] || !starts_name(&toks[i]) {
            i += 1;
            continue;
        }
        let start = i;
        let mut j = i;
        loop {
            let t = &toks[j];
            let ok = !taken[j] && (starts_name(t) || (j > start && is_number(text, t)));
            if !ok {
                break;
            }
            j += 1;
            if t.possessive || j >= toks.len() {
                break;
            }
            // "&" between capitalized words stays inside ("Fast & Furious")
            if toks[j].is_punct('&')
                && toks.get(j + 1).is_some_and(|n| is_cap_word(text, n))
                && !taken[j]
            {
                j += 1;
            }
        }
        region_spans(
            text,
            toks,
            w,
            start,
            j,
            first_word == Some(start),
            lex,
            &mut spans,
        );
        for x in taken.iter_mut().take(j).skip(start) {
            *x = true;
        }
        i = j.max(i + 1);
    }

    // 3. lower-case names right after a group cue ("girl group aespa")
    let group = &lex.kc.group_before;
    for (k, t) in toks.iter().enumerate() {
        if taken[k] || !t.is_word() {
            continue;
        }
        let word = &text[t.start..t.end];
        if !word.chars().all(|c| c.is_lowercase() || c.is_ascii_digit())
            || TITLE_SMALL.contains(&word)
            || word.len() < 2
        {
            continue;
        }
        // a bare "group" is too loose ("the most successful group overseas"); the cue is
        // tested first: it is rare, and the word lists are long
        let strong_cue = cue_before(toks, w, k, group)
            .is_some_and(|c| c.contains(' ') || matches!(c.as_str(), "band" | "duo" | "trio"));
        if !strong_cue {
            continue;
        }
        let next_ok = match toks.get(k + 1) {
            None => true,
            Some(n) if !n.is_word() => true,
            Some(_) => FUNCTION_WORDS.contains(&w.lower(k + 1)),
        };
        if next_ok && !FUNCTION_WORDS.contains(&word) {
            spans.push(Span {
                tok_start: k,
                tok_end: k + 1,
                start: t.start,
                end: t.end,
                quoted: false,
                label: None,
                branch: false,
                possessive: t.possessive,
                initial: false,
            });
        }
    }
    spans.sort_by_key(|s| s.tok_start);
    spans
}

/// Words that follow "group" in prose and are never a name ("a K-pop group can...").
const FUNCTION_WORDS: &[&str] = &[
    "that",
    "which",
    "who",
    "whom",
    "whose",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "being",
    "has",
    "had",
    "have",
    "will",
    "would",
    "can",
    "could",
    "may",
    "might",
    "must",
    "should",
    "shall",
    "also",
    "members",
    "member",
    "with",
    "and",
    "or",
    "but",
    "its",
    "their",
    "his",
    "her",
    "as",
    "recently",
    "then",
    "debuted",
    "released",
    "made",
    "said",
    "announced",
    "to",
    "in",
    "on",
    "at",
    "by",
    "for",
    "of",
    "formed",
    "became",
    "under",
    "from",
    "did",
    "does",
    "do",
    "not",
    "now",
    "still",
    "just",
    "only",
    "even",
    "already",
    "soon",
    "first",
    "last",
    "such",
    "like",
    "than",
    "this",
    "these",
    "those",
    "they",
    "it",
    "he",
    "she",
    "we",
    "you",
    "if",
    "when",
    "while",
    "after",
    "before",
    "since",
    "so",
    "yet",
    "there",
    "here",
    "activities",
    "concept",
    "debut",
    "album",
    "song",
    "single",
    "music",
    "fans",
    "fandom",
    "leader",
];

/// Known organizations anywhere in the sentence (used for headings).
fn label_spans(
    text: &str,
    toks: &[Token],
    taken: &mut [bool],
    lex: &Lexicon,
    heading: bool,
) -> Vec<Span> {
    let mut out = Vec::new();
    for m in lex.label_matcher.find_iter(text) {
        let Some(ts) = toks.iter().position(|t| t.start == m.start()) else {
            continue;
        };
        let Some(te) = toks.iter().position(|t| {
            t.end == m.end() || (t.possessive && t.start < m.end() && t.end >= m.end())
        }) else {
            continue;
        };
        if (ts..=te).any(|k| taken[k]) || !heading {
            continue;
        }
        for x in taken.iter_mut().take(te + 1).skip(ts) {
            *x = true;
        }
        out.push(Span {
            tok_start: ts,
            tok_end: te + 1,
            start: toks[ts].start,
            end: toks[te].end,
            quoted: false,
            label: Some(lex.label_of_pattern[m.pattern().as_usize()]),
            branch: false,
            possessive: toks[te].possessive,
            initial: false,
        });
    }
    out
}

/// The known organization whose surface form is exactly `words` (case-sensitive).
fn known_label(surface: &str, lex: &Lexicon) -> Option<usize> {
    lex.known_label(surface)
}

/// Split one region of capitalized words [a, b) into spans.
#[allow(clippy::too_many_arguments)]
fn region_spans(
    text: &str,
    toks: &[Token],
    w: &Words,
    a: usize,
    b: usize,
    initial: bool,
    lex: &Lexicon,
    out: &mut Vec<Span>,
) {
    let words = w.word_ids(toks, a, b);
    // a romanized Korean name is one name even when a syllable looks like a stop word
    // ("Son On Ji", "Ha In Gi")
    if b - a >= 2
        && korean_key(&text[toks[a].start..toks[b - 1].end], &lex.korean_surnames).is_some()
    {
        out.push(Span {
            tok_start: a,
            tok_end: b,
            start: toks[a].start,
            end: toks[b - 1].end,
            quoted: false,
            label: None,
            branch: false,
            possessive: toks[b - 1].possessive,
            initial,
        });
        return;
    }
    // after "the movie" or "song", the whole region is one title ("Lose My Mind")
    let titled = cue_before(toks, w, a, &lex.kc.film_before).is_some()
        || cue_before(toks, w, a, &lex.kc.song_before).is_some()
        || (a > 0 && toks[a - 1].possessive && toks[a - 1].end < toks[a].start);
    // an award, event or place name is no entity, whatever it contains ("MBC Drama Awards")
    let heads = lex.non_entity_heads.max_len();
    for n in 1..=heads.min(words.len()) {
        if lex.non_entity_heads.contains(&words[words.len() - n..]) && words.len() > n {
            return;
        }
    }
    if lex.is_not_a_name(&words) {
        return;
    }
    // walk the region: known organizations (longest first), then name pieces split at
    // stop words and titles
    let mut k = a;
    let mut piece_start = a;
    let flush = |from: usize, to: usize, out: &mut Vec<Span>| {
        if from >= to {
            return;
        }
        // drop leading/trailing places, nationalities and generic words; a capitalized
        // article starts a name ("The Weeknd") except at the start of a sentence
        let (mut s, mut e) = (from, to);
        while s < e && is_filler(text, toks, w, s, lex) && !(s > a || !initial) {
            s += 1;
        }
        while s < e && is_filler(text, toks, w, s, lex) && !is_article(text, &toks[s]) {
            s += 1;
        }
        if s + 1 == e && is_article(text, &toks[s]) {
            return;
        }
        while e > s
            && is_filler(text, toks, w, e - 1, lex)
            && !toks[e - 1].possessive
            && !(e - 1 > s && lex.kc.label_suffixes.contains_word(w.id(e - 1)))
        {
            e -= 1;
        }
        if s >= e {
            return;
        }
        let ws = w.word_ids(toks, s, e);
        if lex.is_not_a_name(&ws)
            || (s..e)
                .filter(|&k| toks[k].is_word())
                .all(|k| w.lower(k).chars().all(|c| c.is_ascii_digit()))
        {
            return;
        }
        // "May 1", "March 2024": a date
        if lex.months.contains(&text[toks[s].start..toks[s].end])
            && (e - s == 1 || is_number(text, &toks[s + 1]))
        {
            return;
        }
        let surface = &text[toks[s].start..toks[e - 1].end];
        // one letter is a name only right after a role ("BTS member V", "BTS' V")
        let letter_ok = surface.chars().count() == 1
            && surface.chars().all(char::is_uppercase)
            && (cue_before(toks, w, s, &lex.kc.artist_before).is_some()
                || (s > 0 && toks[s - 1].possessive));
        if surface.starts_with("K-")
            || surface.starts_with("k-")
            || (surface.chars().count() < 2 && !letter_ok)
        {
            return;
        }
        // "AUREVOs Savage Falling": a capitals name with a bare s is a possessive
        let bare = caps_possessive(&text[toks[e - 1].start..toks[e - 1].end]);
        out.push(Span {
            tok_start: s,
            tok_end: e,
            start: toks[s].start,
            end: if bare {
                toks[e - 1].end - 1
            } else {
                toks[e - 1].end
            },
            quoted: false,
            label: None,
            branch: false,
            possessive: toks[e - 1].possessive || bare,
            initial: initial && s == a,
        });
    };
    while k < b {
        // the longest known organization starting here
        let mut best: Option<(usize, usize)> = None;
        for end in (k + 1..=b).rev() {
            let surface = &text[toks[k].start..toks[end - 1].end];
            if let Some(l) = known_label(surface, lex) {
                best = Some((end, l));
                break;
            }
            // possessive without apostrophe on a known name: "HBOs The White Lotus"
            if surface.len() > 2
                && surface.ends_with('s')
                && !toks[end - 1].possessive
                && let Some(l) = known_label(&surface[..surface.len() - 1], lex)
                && (end < b || toks.get(end).is_some_and(|t| t.is_word()))
            {
                best = Some((end, l));
                break;
            }
        }
        if let Some((mut end, l)) = best {
            flush(piece_start, k, out);
            // a known organization followed by a place is its regional branch ("Billboard Korea")
            let mut label = Some(l);
            let before_work =
                end + 1 < toks.len() && lex.kc.work_words.contains_word(w.id(end + 1));
            if end < b
                && !before_work
                && (lex.places.contains_word(w.id(end))
                    || lex.kc.label_suffixes.contains_word(w.id(end)))
            {
                end += 1;
                label = None;
            } else if end < b && b - end <= 3 && !toks[end - 1].possessive {
                // one of its products, named after it: "IFPI Global Album Chart" is IFPI's
                if lex.kc.label_suffixes.contains_word(w.id(b - 1)) && !toks[b - 1].possessive {
                    end = b;
                }
            }
            let last = &toks[end - 1];
            let bare_plural = !last.possessive
                && label.is_some()
                && known_label(&text[toks[k].start..last.end], lex).is_none();
            out.push(Span {
                tok_start: k,
                tok_end: end,
                start: toks[k].start,
                end: if bare_plural { last.end - 1 } else { last.end },
                quoted: false,
                label,
                branch: label.is_none(),
                possessive: last.possessive || bare_plural,
                initial: initial && k == a,
            });
            k = end;
            piece_start = k;
            continue;
        }
        let word = &text[toks[k].start..toks[k].end];
        let id = w.id(k);
        let is_title = lex.executive_titles.contains_word(id);
        // a role word before a name is a cue, not part of it ("Actor Ahn Hyo-seop")
        let role_word = k == piece_start
            && k + 1 < b
            && (lex.kc.artist_before.contains_word(id) || lex.kc.film_before.contains_word(id));
        if caps_possessive(word) && k + 1 < b {
            flush(piece_start, k + 1, out);
            piece_start = k + 1;
            k += 1;
            continue;
        }
        let splits = is_title
            || role_word
            || (!titled
                && lex.stopwords.contains(word)
                && !(is_article(text, &toks[k]) && k + 1 < b)
                && !(k > piece_start && lex.kc.label_suffixes.contains_word(id)));
        if splits {
            flush(piece_start, k, out);
            piece_start = k + 1;
        }
        k += 1;
    }
    flush(piece_start, b, out);
}

/// "AUREVOs", "HBOs": capitals then a bare possessive s.
fn caps_possessive(w: &str) -> bool {
    let Some(stem) = w.strip_suffix('s') else {
        return false;
    };
    stem.chars().count() >= 2
        && stem.chars().all(|c| c.is_uppercase() || c.is_ascii_digit())
        && stem.chars().any(char::is_uppercase)
}

fn is_article(text: &str, t: &Token) -> bool {
    matches!(&text[t.start..t.end], "The" | "A" | "An")
}

fn is_filler(text: &str, toks: &[Token], w: &Words, k: usize, lex: &Lexicon) -> bool {
    let t = &toks[k];
    let word = &text[t.start..t.end];
    // "Friday-Saturday", "Seoul-Tokyo"
    if word.contains('-')
        && word.split('-').all(|p| {
            lex.stopwords.contains(p) || lex.is_not_a_name(&[lex.vocab.get(&p.to_lowercase())])
        })
    {
        return true;
    }
    lex.is_not_a_name(&[w.id(k)]) || lex.stopwords.contains(word)
}

/// Strip quotes, spaces and trailing punctuation from a surface form.
fn clean_surface(s: &str) -> String {
    let s = s
        .trim()
        .trim_matches(|c: char| matches!(c, '"' | '“' | '”' | '‘' | '’' | ',' | '.' | ';' | ':'));
    let s = s
        .strip_suffix("'s")
        .or_else(|| s.strip_suffix("’s"))
        .unwrap_or(s);
    let s = s
        .strip_suffix('\'')
        .or_else(|| s.strip_suffix('’'))
        .unwrap_or(s);
    // fast path, the same result: printable ASCII with single inner spaces is already normal
    let b = s.as_bytes();
    if b.first() != Some(&b' ')
        && b.last() != Some(&b' ')
        && b.iter().all(|&c| (b' '..=b'~').contains(&c))
        && !s.contains("  ")
    {
        return s.to_string();
    }
    crate::ingest::clean::normalize_spaces(s)
}

// ---------------------------------------------------------------------------------- votes

/// The cue phrase of `set` that ends right before token `k` (skipping an opening quote and
/// "the"), if any.
fn cue_before(toks: &[Token], w: &Words, k: usize, set: &PhraseSet) -> Option<String> {
    let mut end = k;
    while end > 0 && matches!(toks[end - 1].kind, TokKind::Punct('"' | '“' | '‘' | '”')) {
        end -= 1;
    }
    let mut j = end;
    while j > 0 && end - j < set.max_len() {
        let t = &toks[j - 1];
        if !t.is_word() || t.possessive {
            break;
        }
        j -= 1;
    }
    // the longest phrase first
    (j..end)
        .find(|&s| set.contains(w.ids(s, end)))
        .map(|s| w.phrase(s, end))
}

/// The longest cue phrase of `set` starting at token `j`.
fn cue_words_at(toks: &[Token], w: &Words, j: usize, set: &PhraseSet) -> Option<String> {
    toks.get(j).filter(|t| t.is_word())?;
    if !set.has_first(w.id(j)) {
        return None;
    }
    let mut end = j;
    while end < toks.len() && end - j < set.max_len() && toks[end].is_word() {
        end += 1;
    }
    (j + 1..=end)
        .rev()
        .find(|&e| set.contains(w.ids(j, e)))
        .map(|e| w.phrase(j, e))
}

/// The cue phrase of `set` that starts right after token `k - 1` (skipping a closing quote
/// and punctuation like "," or "-" when `appositive`).
fn cue_after(
    text: &str,
    toks: &[Token],
    w: &Words,
    k: usize,
    set: &PhraseSet,
    appositive: bool,
) -> Option<String> {
    let mut j = k;
    while j < toks.len() && matches!(toks[j].kind, TokKind::Punct('"' | '”' | '’')) {
        j += 1;
    }
    if appositive {
        if !(j < toks.len() && matches!(toks[j].kind, TokKind::Punct(',' | '-' | '–' | '—'))) {
            return None;
        }
        j += 1;
        let article = toks.get(j).is_some_and(|t| {
            matches!(
                &text[t.start..t.end],
                "the" | "a" | "an" | "its" | "their" | "her" | "his"
            )
        });
        if !article {
            return None;
        }
        j += 1;
        // up to three modifiers before the noun: ", the tvN fantasy drama"
        let mut skip = 0;
        loop {
            if let Some(found) = cue_words_at(toks, w, j + skip, set) {
                return Some(found);
            }
            let crosses = toks.get(j + skip).is_none_or(|t| {
                !t.is_word()
                    || matches!(
                        &text[t.start..t.end],
                        "for"
                            | "of"
                            | "to"
                            | "in"
                            | "on"
                            | "with"
                            | "by"
                            | "from"
                            | "and"
                            | "the"
                            | "a"
                            | "that"
                            | "which"
                    )
            });
            skip += 1;
            if crosses || skip > 3 {
                return None;
            }
        }
    }
    let start = j;
    let mut end = j;
    while end < toks.len() && end - start < set.max_len() {
        let t = &toks[end];
        if !t.is_word() {
            break;
        }
        end += 1;
        if t.possessive {
            break;
        }
    }
    (start + 1..=end)
        .rev()
        .find(|&e| set.contains(w.ids(start, e)))
        .map(|e| w.phrase(start, e))
}

#[allow(clippy::too_many_arguments)]
fn vote_span(
    t: &mut Table,
    text: &str,
    toks: &[Token],
    w: &Words,
    sp: &Span,
    m: &Mention,
    heading: bool,
    lex: &Lexicon,
) {
    let e = m.entity;
    let n_words = toks[sp.tok_start..sp.tok_end]
        .iter()
        .filter(|x| x.is_word())
        .count();
    let surface = &m.surface;
    let c = &mut t.entities[e];
    if let Some(l) = sp.label.or_else(|| known_label(surface, lex)) {
        c.known_label = Some(l);
        c.vote(Kind::Label, 4.0, "known organization");
        return;
    }
    if sp.branch {
        c.vote(Kind::Label, 3.0, "branch of a known organization");
        return;
    }
    if heading {
        return;
    }
    // executives and credit names: "co-CEO Joseph Chang", "Billboard President Mike Van"
    let titled_before = {
        let mut j = sp.tok_start;
        while j > 0 && toks[j - 1].is_punct(',') {
            j -= 1;
        }
        j > 0 && lex.executive_titles.contains_word(w.id(j - 1))
    };
    let titled_after = sp.tok_end + 1 < toks.len()
        && toks[sp.tok_end].is_punct(',')
        && lex.executive_titles.contains_word(w.id(sp.tok_end + 1));
    if !sp.quoted && (titled_before || titled_after) {
        c.excluded = true;
        c.cues.push("executive or credit name".into());
        return;
    }
    let mut evidence = false;
    if let Some(cue) = cue_before(toks, w, sp.tok_start, &lex.kc.group_before) {
        c.vote(Kind::Artist, 2.5, format!("cue '{cue}'"));
        c.group += 2.0;
        evidence = true;
    } else if let Some(cue) = cue_before(toks, w, sp.tok_start, &lex.kc.artist_before) {
        c.vote(Kind::Artist, 2.0, format!("cue '{cue}'"));
        c.person += 1.0;
        evidence = true;
    }
    if let Some(cue) = cue_before(toks, w, sp.tok_start, &lex.kc.film_before) {
        c.vote(Kind::Film, 2.5, format!("cue '{cue}'"));
        if cue.ends_with("show") {
            c.show += 1.0;
        }
        evidence = true;
    }
    if let Some(cue) = cue_before(toks, w, sp.tok_start, &lex.kc.song_before) {
        c.vote(Kind::Song, 2.5, format!("cue '{cue}'"));
        evidence = true;
    }
    if let Some(cue) = cue_before(toks, w, sp.tok_start, &lex.kc.label_before)
        && !sp.quoted
    {
        c.vote(Kind::Label, 2.0, format!("cue '{cue}'"));
        evidence = true;
    }
    // "the Streamly original series", "2 million streams on Flixa"
    if !sp.quoted
        && !sp.possessive
        && let Some(cue) = cue_after(text, toks, w, sp.tok_end, &lex.kc.label_after, false)
        && (cue.starts_with("original")
            || cue.ends_with("views")
            || cue == "streams"
            || n_words == 1)
    {
        c.vote(Kind::Label, 1.5, format!("cue '{cue}' after"));
        evidence = true;
    }
    if let Some(cue) = cue_after(text, toks, w, sp.tok_end, &lex.kc.member_after, false)
        && !sp.quoted
    {
        c.vote(Kind::Artist, 2.0, format!("cue '{cue}' after"));
        c.group += 1.0;
        evidence = true;
    }
    if let Some(cue) = cue_after(text, toks, w, sp.tok_end, &lex.kc.film_after, false)
        && sp.quoted
    {
        c.vote(Kind::Film, 2.0, format!("cue '{cue}' after"));
        evidence = true;
    }
    // ""ZJD" also entered the top 24", ""Copper Sunrise", which debuted at number 27"
    let skip = match toks.get(sp.tok_end) {
        Some(t) if t.is_punct('"') || t.is_punct('”') => 1,
        _ => 0,
    };
    let mut k = sp.tok_end + skip;
    while toks.get(k).is_some_and(|t| {
        t.is_punct(',')
            || t.is_word()
                && matches!(
                    &text[t.start..t.end],
                    "which" | "that" | "also" | "has" | "had" | "quickly" | "then"
                )
    }) {
        k += 1;
    }
    if sp.quoted
        && let Some(cue) = cue_words_at(toks, w, k, &lex.kc.song_after)
    {
        c.vote(Kind::Song, 2.0, format!("cue '{cue}' after"));
        evidence = true;
    }
    if sp.quoted {
        if let Some(cue) = cue_after(text, toks, w, sp.tok_end, &lex.kc.song_before, true) {
            c.vote(Kind::Song, 2.0, format!("apposition '{cue}'"));
            evidence = true;
        } else if let Some(cue) = cue_after(text, toks, w, sp.tok_end, &lex.kc.film_before, true) {
            c.vote(Kind::Film, 2.0, format!("apposition '{cue}'"));
            evidence = true;
        }
        // "to release "Angel Pt.1""
        let mut j = sp.tok_start;
        while j > 0 && !toks[j - 1].is_word() {
            j -= 1;
        }
        if j > 0 && lex.kc.song_verbs.contains_word(w.id(j - 1)) {
            c.vote(Kind::Song, 1.5, "released title");
            evidence = true;
        }
    }
    if !sp.quoted && !(sp.initial && n_words == 1) {
        if let Some(cue) = cue_after(text, toks, w, sp.tok_end, &lex.kc.group_before, true) {
            c.vote(Kind::Artist, 2.0, format!("apposition '{cue}'"));
            c.group += 1.0;
            evidence = true;
        } else if let Some(cue) = cue_after(text, toks, w, sp.tok_end, &lex.kc.artist_before, true)
        {
            c.vote(Kind::Artist, 1.5, format!("apposition '{cue}'"));
            c.person += 0.5;
            evidence = true;
        }
    }
    if !sp.quoted && n_words >= 2 {
        let last = &text[toks[sp.tok_end - 1].start..toks[sp.tok_end - 1].end];
        if lex.kc.label_suffixes.contains_word(w.id(sp.tok_end - 1))
            && last.chars().next().is_some_and(char::is_uppercase)
        {
            c.vote(Kind::Label, 3.0, format!("suffix '{last}'"));
            evidence = true;
        }
    }
    if !sp.quoted && korean_key(surface, &lex.korean_surnames).is_some() {
        c.vote(Kind::Artist, 2.5, "Korean personal name");
        c.person += 1.0;
        evidence = true;
    }
    if !evidence && !sp.quoted {
        let all_caps = surface
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase);
        let lone_surname = n_words == 1 && lex.korean_surnames.contains(surface.as_str());
        if lone_surname {
            c.cues.push("lone surname".into());
        } else if (2..=4).contains(&n_words) && !sp.initial {
            c.vote(Kind::Artist, 1.0, "name shape");
            c.person += 0.5;
        } else if (2..=3).contains(&n_words) && sp.initial {
            c.vote(Kind::Artist, 0.6, "name shape");
        } else if !sp.initial && (n_words == 1 || all_caps) {
            c.vote(Kind::Artist, 0.5, "capitalized word");
        }
    }
}

/// Constructions inside one sentence: parentheses, "X of Y", possessives, lists.
fn structures(t: &mut Table, u: usize, text: &str, toks: &[Token], lex: &Lexicon) {
    let n = t.mentions[u].len();
    for a in 0..n {
        let (ae, a_end, a_quoted) = {
            let m = &t.mentions[u][a];
            (m.entity, m.tok_end, m.quoted)
        };
        // X (Y)
        let mut k = a_end;
        if a_quoted {
            while k < toks.len() && matches!(toks[k].kind, TokKind::Punct('"' | '”' | '’' | ','))
            {
                k += 1;
            }
        }
        if k < toks.len() && toks[k].is_punct('(') {
            let close = (k + 1..toks.len().min(k + 7)).find(|&j| toks[j].is_punct(')'));
            if let Some(close) = close {
                let inner = &text[toks[k].end..toks[close].start];
                let inner = inner.trim();
                let credit = inner
                    .split(|c: char| !c.is_alphanumeric())
                    .next()
                    .is_some_and(|w| {
                        matches!(
                            w.to_lowercase().as_str(),
                            "feat" | "ft" | "featuring" | "prod" | "with"
                        )
                    });
                if credit {
                    continue;
                }
                let hangul = inner
                    .chars()
                    .any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c));
                let b = (a + 1..n)
                    .find(|&b| t.mentions[u][b].tok_start > k && t.mentions[u][b].tok_end <= close);
                let film_like = t.entities[ae].votes[Kind::Film as usize] > 0.0
                    || t.entities[ae].votes[Kind::Song as usize] > 0.0;
                if hangul || (film_like && !inner.is_empty()) {
                    // an alias: "Fast & Furious 10 (Fast X)", "Rosé (로제)"
                    if !inner.chars().all(|c| c.is_ascii_digit()) {
                        t.entities[ae].add_surface(inner);
                        let key = entity_key(inner, lex);
                        t.keys.entry(key).or_insert(ae);
                        if let Some(b) = b {
                            let be = t.mentions[u][b].entity;
                            if be != ae {
                                t.entities[be].excluded = true;
                            }
                            t.mentions[u][b].entity = ae;
                        }
                    }
                } else if let Some(b) = b {
                    let be = t.mentions[u][b].entity;
                    if be != ae
                        && t.entities[ae].known_label.is_none()
                        && t.entities[be].known_label.is_none()
                    {
                        // a member and the group: "Rosé (Blackpink)", "Jimin (BTS)"
                        t.entities[ae].vote(Kind::Artist, 2.0, "member (group) in parentheses");
                        t.entities[ae].person += 2.0;
                        t.entities[be].vote(Kind::Artist, 2.0, "group of a member in parentheses");
                        t.entities[be].group += 2.0;
                        if !t.entities[ae].member_of.contains(&be) {
                            t.entities[ae].member_of.push(be);
                        }
                        t.mentions[u][b].attached = true;
                        // "Jin (BTS)'s show": the possessive belongs to the member
                        if toks[close].end < text.len()
                            && text[toks[close].end..].starts_with(['\'', '’'])
                        {
                            t.mentions[u][a].possessive = true;
                        }
                    }
                }
            }
        }
        // X of Y [and Z]
        if !a_quoted && a_end + 1 < toks.len() && text[toks[a_end].start..toks[a_end].end] == *"of"
        {
            let mut groups = Vec::new();
            let mut b = a + 1;
            while b < n {
                let mb = &t.mentions[u][b];
                let gap_ok = {
                    let prev_end = if groups.is_empty() {
                        a_end + 1
                    } else {
                        t.mentions[u][b - 1].tok_end
                    };
                    toks[prev_end..mb.tok_start].iter().all(|x| {
                        matches!(x.kind, TokKind::Punct('"' | '“' | '”' | ','))
                            || (x.is_word() && &text[x.start..x.end] == "and")
                    })
                };
                if !gap_ok {
                    break;
                }
                groups.push(b);
                b += 1;
            }
            if !groups.is_empty() {
                let starts = groups.iter().map(|&g| t.mentions[u][g].tok_start).collect();
                t.of_groups.push((u, t.mentions[u][a].tok_start, starts));
                for g in groups {
                    let ge = t.mentions[u][g].entity;
                    t.entities[ge].vote(Kind::Artist, 1.0, "group after 'of'");
                    t.entities[ge].group += 1.0;
                }
            }
        }
        // G's M: settled once kinds are known
        if t.mentions[u][a].possessive && a + 1 < n {
            let next = &t.mentions[u][a + 1];
            let gap = &toks[a_end..next.tok_start];
            if gap
                .iter()
                .all(|x| matches!(x.kind, TokKind::Punct('"' | '“' | '‘')))
            {
                t.possessions
                    .push((u, t.mentions[u][a].tok_start, next.tok_start));
                // "HBO's "The White Lotus"", but not "Samsung's Galaxy smartphones"
                let product = toks.get(next.tok_end).is_some_and(|x| {
                    let w = &text[x.start..x.end];
                    x.is_word()
                        && w.chars().next().is_some_and(char::is_lowercase)
                        && !FUNCTION_WORDS.contains(&w)
                        && !lex.kc.work_words.contains_word(lex.word_id(w))
                        && !lex.rc.casting_work_first.contains_word(lex.word_id(w))
                });
                let work_follows = next.quoted || !product;
                if t.entities[ae].known_label.is_some() && work_follows {
                    let ne = next.entity;
                    t.entities[ne].vote(Kind::Film, 1.5, "work of a known organization");
                }
            }
        }
    }
}

/// Names in the places where a partnership sentence puts people: before "will star in",
/// after "starring" or "collaborated with"; and names listed with an artist ("JVKE and Muni
/// Long") are artists too.
fn slots(t: &mut Table, u: usize, text: &str, toks: &[Token], wd: &Words, lex: &Lexicon) {
    let words: Vec<(usize, u32)> = toks
        .iter()
        .enumerate()
        .filter(|(_, x)| x.is_word())
        .map(|(k, _)| (k, wd.id(k)))
        .collect();
    let lower: Vec<u32> = words.iter().map(|&(_, w)| w).collect();
    // run[i]: how many contiguous words start at word i (counted once, from the end, rather
    // than rescanned per phrase set and start)
    let mut run = vec![0usize; words.len()];
    for i in (0..words.len()).rev() {
        run[i] = match words.get(i + 1) {
            Some(&(k, _)) if k == words[i].0 + 1 => run[i + 1] + 1,
            _ => 1,
        };
    }
    let find = |set: &PhraseSet| -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for i in 0..words.len() {
            if !set.has_first(lower[i]) {
                continue;
            }
            // the phrase must be contiguous words: stop at the first gap
            if let Some(n) = set.longest_prefix(&lower[i..i + run[i]]) {
                out.push((words[i].0, words[i + n - 1].0 + 1));
            }
        }
        out
    };
    let ms = &t.mentions[u];
    let before = |pos: usize, reach: usize| {
        ms.iter()
            .rposition(|m| m.tok_end <= pos && pos - m.tok_end <= reach && !m.quoted)
    };
    let role = &lex.kc.artist_before;
    let after = |pos: usize| {
        ms.iter().position(|m| {
            m.tok_start >= pos
                && !m.quoted
                && toks[pos..m.tok_start].iter().all(|x| match x.kind {
                    TokKind::Word => {
                        role.contains_word(lex.word_id(&text[x.start..x.end]))
                            || &text[x.start..x.end] == "the"
                    }
                    _ => true,
                })
                && m.tok_start - pos <= 3
        })
    };
    let mut hits: Vec<(usize, &'static str)> = Vec::new();
    for (s, _) in find(&lex.rc.casting_person_first) {
        if let Some(m) = before(s, 8) {
            hits.push((m, "subject of a casting verb"));
        }
    }
    for set in [
        &lex.rc.casting_work_first,
        &lex.rc.musical_collaboration,
        &lex.rc.casting_work_then_person,
        &lex.rc.cast_list,
    ] {
        for (_, e) in find(set) {
            if let Some(m) = after(e) {
                hits.push((m, "named after a partnership cue"));
            }
        }
    }
    for (s, _) in find(&lex.rc.musical_collaboration) {
        if let Some(m) = before(s, 2) {
            hits.push((m, "named before a collaboration cue"));
        }
    }
    for (s, _) in find(&lex.rc.casting_role_after) {
        if let Some(m) = before(s, 1) {
            hits.push((m, "given a role"));
        }
    }
    // "Paul Kim sang ...", "Punch recorded ..."
    for (s, _) in find(&lex.kc.song_verbs) {
        if let Some(m) = before(s, 1) {
            hits.push((m, "subject of a release verb"));
        }
    }
    // the work in a casting sentence: "starred in "X"", ""X", in which she starred"
    let quoted_near = |from: usize, to: usize| {
        ms.iter()
            .position(|m| m.quoted && m.tok_start >= from && m.tok_end <= to)
    };
    let mut works: Vec<usize> = Vec::new();
    for (_, e) in find(&lex.rc.casting_person_first) {
        works.extend(quoted_near(e, (e + 8).min(toks.len())));
    }
    for (s, _) in find(&lex.rc.casting_work_first) {
        if let Some(m) = ms
            .iter()
            .rposition(|m| m.quoted && m.tok_end <= s && s - m.tok_end <= 6)
        {
            works.push(m);
        }
    }
    for m in works {
        let e = t.mentions[u][m].entity;
        if t.entities[e].votes[Kind::Song as usize] == 0.0 {
            t.entities[e].vote(Kind::Film, 1.0, "work of a casting sentence");
        }
    }
    // ""Sweet Night" of BTS member V", ""Drawer" by 10CM"
    for (i, m) in t.mentions[u].clone().iter().enumerate() {
        if !m.quoted {
            continue;
        }
        let mut k = m.tok_end;
        while k < toks.len() && matches!(toks[k].kind, TokKind::Punct('"' | '”' | '’')) {
            k += 1;
        }
        let by = toks
            .get(k)
            .is_some_and(|x| matches!(&text[x.start..x.end], "by" | "of"));
        let next_artist = t.mentions[u]
            .get(i + 1)
            .filter(|n| n.tok_start <= k + 4 && n.tok_start > k)
            .map(|n| n.entity);
        if by && let Some(a) = next_artist {
            let artistish = t.entities[a].votes[Kind::Artist as usize] > 0.0
                || cue_before(
                    toks,
                    wd,
                    t.mentions[u][i + 1].tok_start,
                    &lex.kc.artist_before,
                )
                .is_some();
            if artistish && t.entities[m.entity].votes[Kind::Film as usize] == 0.0 {
                t.entities[m.entity].vote(Kind::Song, 1.0, "work by an artist");
            }
        }
    }
    for (m, why) in hits {
        if t.mentions[u][m].weak {
            continue;
        }
        let e = t.mentions[u][m].entity;
        if t.entities[e].known_label.is_none() && t.entities[e].votes[Kind::Film as usize] == 0.0 {
            t.entities[e].vote(Kind::Artist, 1.0, why);
        }
    }
    // lists: "JVKE and Muni Long", "Park Hae Soo, Kim Tae Hee, and Kim Ji Hun"
    let ms = t.mentions[u].clone();
    for w in ms.windows(2) {
        let glue = toks[w[0].tok_end..w[1].tok_start]
            .iter()
            .all(|x| match x.kind {
                TokKind::Punct(c) => c == ',',
                TokKind::Word => &text[x.start..x.end] == "and",
                TokKind::Newline => false,
            });
        let quoted_glue = toks[w[0].tok_end..w[1].tok_start]
            .iter()
            .all(|x| match x.kind {
                TokKind::Punct(c) => matches!(c, ',' | '"' | '“' | '”' | '‘' | '’'),
                TokKind::Word => &text[x.start..x.end] == "and",
                TokKind::Newline => false,
            });
        if w[0].quoted && w[1].quoted && quoted_glue {
            // "the dramas "Boys Over Flowers", "The Heirs" and "The King""
            let (a, b) = (w[0].entity, w[1].entity);
            for (x, y) in [(a, b), (b, a)] {
                let vx = t.entities[x].votes;
                let best = (0..4).max_by(|&i, &j| vx[i].total_cmp(&vx[j])).unwrap_or(0);
                let y_free = t.entities[y].votes.iter().all(|v| *v == 0.0);
                if vx[best] >= 1.0 && y_free {
                    t.entities[y].vote(Kind::ALL[best], 1.0, "listed with a title");
                }
            }
            continue;
        }
        if !glue
            || w[0].quoted
            || w[1].quoted
            || w[0].weak
            || w[1].weak
            || w[0].tok_end == w[1].tok_start
        {
            continue;
        }
        let (a, b) = (w[0].entity, w[1].entity);
        for (x, y) in [(a, b), (b, a)] {
            let artist_x = t.entities[x].votes[Kind::Artist as usize] >= 1.0
                && t.entities[x].known_label.is_none();
            let y_free = t.entities[y]
                .votes
                .iter()
                .enumerate()
                .all(|(k, v)| k == Kind::Artist as usize || *v == 0.0);
            if artist_x && y_free {
                t.entities[y].vote(Kind::Artist, 0.6, "listed with an artist");
            }
        }
    }
}

/// Fictional characters: the names after "plays", "the role of", "as", "voices"... (and the
/// names listed with them) are no entity ("Lee Jung-jae returning as player 456 Seong Gi-hun").
fn characters(t: &mut Table, u: usize, text: &str, toks: &[Token], wd: &Words, lex: &Lexicon) {
    let set = &lex.kc.character_before;
    let casting_sentence = {
        let ws = wd.word_ids(toks, 0, toks.len());
        [&lex.rc.casting_person_first, &lex.rc.casting_work_first]
            .iter()
            .any(|rs| {
                (0..ws.len()).any(|i| {
                    rs.has_first(ws[i])
                        && (1..=rs.max_len().min(ws.len() - i)).any(|n| rs.contains(&ws[i..i + n]))
                })
            })
            || (0..toks.len())
                .any(|k| toks[k].is_word() && matches!(wd.lower(k), "role" | "character"))
    };
    let work_words = &lex.kc.work_words;
    let mut k = 0;
    while k < toks.len() {
        let Some(cue) = cue_words_at(toks, wd, k, set) else {
            k += 1;
            continue;
        };
        let n = cue.split(' ').count();
        let end = k + n;
        let prev = (0..k).rev().find(|&x| toks[x].is_word()).map(|x| wd.id(x));
        let ok = match cue.as_str() {
            "as" => {
                casting_sentence
                    && !prev.is_some_and(|p| lex.kc.not_a_role_before_as.contains_word(p))
            }
            "follows" | "follow" | "followed" => {
                // "The film follows Rumi": the subject is a work
                let quoted_subject = t.mentions[u]
                    .first()
                    .is_some_and(|m| m.quoted && m.tok_end <= k);
                (quoted_subject
                    || (k.saturating_sub(4)..k).any(|x| {
                        work_words.contains_word(wd.id(x))
                            || lex.kc.film_before.contains_word(wd.id(x))
                    }))
                    && toks.get(end).is_none_or(|x| &text[x.start..x.end] != "by")
            }
            _ => true,
        };
        k = end;
        if !ok {
            continue;
        }
        // skip descriptors: "the older", "the crisis negotiator", "player 456", "again the role of the"
        let mut j = end;
        let mut skipped = 0;
        while j < toks.len() && skipped < 6 {
            let x = &toks[j];
            let w = &text[x.start..x.end];
            let lower = x.is_word()
                && w.chars()
                    .next()
                    .is_some_and(|c| c.is_lowercase() || c.is_ascii_digit());
            if !lower
                || matches!(
                    w,
                    "and"
                        | "in"
                        | "on"
                        | "with"
                        | "to"
                        | "by"
                        | "for"
                        | "from"
                        | "at"
                        | "of"
                        | "belong"
                        | "belongs"
                )
            {
                break;
            }
            j += 1;
            skipped += 1;
        }
        let Some(first) = t.mentions[u].iter().position(|m| m.tok_start == j) else {
            continue;
        };
        let mut cur = first;
        loop {
            let m = &t.mentions[u][cur];
            if m.quoted || t.entities[m.entity].known_label.is_some() || m.possessive {
                break;
            }
            let e = m.entity;
            t.entities[e].excluded = true;
            if !t.entities[e]
                .cues
                .iter()
                .any(|c| c == "fictional character")
            {
                t.entities[e].cues.push("fictional character".into());
            }
            let Some(next) = t.mentions[u].get(cur + 1) else {
                break;
            };
            let glue = toks[m.tok_end..next.tok_start]
                .iter()
                .all(|x| x.is_punct(',') || (x.is_word() && &text[x.start..x.end] == "and"));
            // "Rumi, May Hong voices Mira": a name followed by a verb starts a new clause
            let starts_clause = toks.get(next.tok_end).is_some_and(|x| {
                x.is_word() && {
                    let w = wd.id(next.tok_end);
                    set.contains_word(w) || lex.kc.song_verbs.contains_word(w)
                }
            });
            if !glue || m.tok_end == next.tok_start || starts_clause {
                break;
            }
            cur += 1;
        }
    }
}

/// "Stray Kids members Bang Chan, Lee Know, ... and I.N": the listed names are members.
fn member_lists(t: &mut Table, u: usize, text: &str, toks: &[Token], wd: &Words, lex: &Lexicon) {
    let n = t.mentions[u].len();
    for a in 0..n {
        let after = t.mentions[u][a].tok_end;
        let Some(cue) = cue_words_at(toks, wd, after, &lex.kc.member_after) else {
            continue;
        };
        if !matches!(cue.as_str(), "members" | "member") {
            continue;
        }
        let group = t.mentions[u][a].entity;
        let mut k = after + cue.split(' ').count();
        let mut listed = Vec::new();
        for b in a + 1..n {
            let m = &t.mentions[u][b];
            let gap_ok = toks[k..m.tok_start].iter().all(|x| {
                matches!(x.kind, TokKind::Punct(',' | ':'))
                    || (x.is_word() && matches!(&text[x.start..x.end], "and" | "including"))
            });
            if !gap_ok || m.quoted {
                break;
            }
            listed.push(b);
            k = m.tok_end;
        }
        // "BTS member V": one member right after; "NewJeans members Minji, Hanni, ...": a list
        let single = cue == "member"
            && listed
                .first()
                .is_some_and(|&b| t.mentions[u][b].tok_start == after + 1);
        if listed.len() < 2 && !single {
            continue;
        }
        if single {
            listed.truncate(1);
        }
        t.mentions[u][a].attached = true;
        t.entities[group].vote(Kind::Artist, 1.5, "group with a member list");
        t.entities[group].group += 2.0;
        for b in listed {
            let e = t.mentions[u][b].entity;
            if e == group {
                continue;
            }
            t.entities[e].vote(Kind::Artist, 1.5, "in a member list");
            t.entities[e].person += 1.5;
            if !t.entities[e].member_of.contains(&group) {
                t.entities[e].member_of.push(group);
            }
        }
    }
}

/// Names of known organizations also stand for them when written with a plural s.
fn known_label_names(t: &mut Table, lex: &Lexicon) {
    for c in &mut t.entities {
        if let Some(l) = c.known_label {
            let canonical = lex.labels[l].name.clone();
            if !c.surfaces.iter().any(|(s, _)| *s == canonical) {
                c.surfaces.push((canonical, 0));
            }
        }
    }
}

/// Pass 2: bare later mentions of kept names, matched case-sensitively on word boundaries
/// ("Messy is currently..."; "Doja Cats" for "Doja Cat").
fn later_mentions(t: &mut Table, units: &[Unit], lex: &Lexicon) {
    let mut patterns: Vec<String> = Vec::new();
    let mut owner: Vec<usize> = Vec::new();
    for (i, c) in t.entities.iter().enumerate() {
        if c.kind().is_none() {
            continue;
        }
        for (s, _) in &c.surfaces {
            if s.chars().count() >= 2 && !patterns.contains(s) {
                patterns.push(s.clone());
                owner.push(i);
            }
        }
    }
    // a person named again by surname alone ("Rodgers has worked with..."), when only one
    // person of the article has that surname; Korean surnames are too common for this
    let mut surnames: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, c) in t.entities.iter().enumerate() {
        if c.kind() != Some(Kind::Artist) || c.subtype() == Some(Subtype::Group) {
            continue;
        }
        let name = c.name();
        let words: Vec<&str> = name.split(' ').collect();
        if (2..=3).contains(&words.len()) && korean_key(name, &lex.korean_surnames).is_none() {
            let last = words[words.len() - 1];
            if last.chars().count() >= 3
                && last.chars().next().is_some_and(char::is_uppercase)
                && !lex.stopwords.contains(last)
            {
                surnames.entry(last.to_string()).or_default().push(i);
            }
        }
    }
    let mut lone: Vec<(String, usize)> = surnames
        .into_iter()
        .filter(|(_, v)| v.len() == 1)
        .map(|(k, v)| (k, v[0]))
        .collect();
    lone.sort();
    for (last, i) in lone {
        if !patterns.contains(&last) {
            patterns.push(last);
            owner.push(i);
        }
    }
    let finder = LeftmostLongest::new(&patterns);
    let mut displaced: Vec<usize> = Vec::new();
    for (u, unit) in units.iter().enumerate() {
        if unit.heading {
            continue;
        }
        let text = &unit.text;
        let toks = &t.tokens[u];
        let mut added = Vec::new();
        for (s, e, pattern) in finder.find_iter(text) {
            let open_before = !text[..s]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric);
            let open_after = !text[e..].chars().next().is_some_and(char::is_alphanumeric);
            let plural = text[e..].starts_with('s')
                && !text[e + 1..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphanumeric);
            if !open_before || !(open_after || plural) {
                continue;
            }
            let Some(ts) = toks.iter().position(|x| x.start == s) else {
                continue;
            };
            let Some(te) = toks.iter().position(|x| x.start < e && x.end >= e) else {
                continue;
            };
            let overlapping: Vec<usize> = (0..t.mentions[u].len())
                .filter(|&i| t.mentions[u][i].tok_start <= te && ts < t.mentions[u][i].tok_end)
                .collect();
            // a longer known name wins over the pieces a capitalized region was cut into
            // ("Call Me Now" over "Call Me")
            let swallows = !overlapping.is_empty()
                && overlapping.iter().all(|&i| {
                    let x = &t.mentions[u][i];
                    !x.quoted
                        && x.tok_start >= ts
                        && x.tok_end <= te + 1
                        && ((x.tok_end - x.tok_start) < te + 1 - ts
                            || t.entities[x.entity].kind().is_none())
                });
            if !overlapping.is_empty() && !swallows {
                continue;
            }
            for &i in overlapping.iter().rev() {
                displaced.push(t.mentions[u][i].entity);
                t.mentions[u].remove(i);
            }
            added.push(Mention {
                tok_start: ts,
                tok_end: te + 1,
                surface: text[s..e].to_string(),
                entity: owner[pattern],
                possessive: toks[te].possessive || plural,
                quoted: false,
                attached: false,
                weak: false,
            });
        }
        for m in added {
            t.entities[m.entity].sentences.insert(u);
            t.mentions[u].push(m);
        }
        t.mentions[u].sort_by_key(|m| m.tok_start);
    }
    // a piece that now names nothing on its own is no entity
    for e in displaced {
        if !t.mentions.iter().flatten().any(|m| m.entity == e) {
            t.entities[e].excluded = true;
        }
    }
}

/// Leftmost-longest, non-overlapping search for a few dozen patterns (what an aho-corasick
/// automaton with `MatchKind::LeftmostLongest` finds): the patterns are grouped by first byte,
/// so most positions of the text cost one table look-up. Building an automaton per article
/// cost more than the search itself.
struct LeftmostLongest<'p> {
    patterns: &'p [String],
    /// First byte -> pattern indices, longest first.
    by_byte: Vec<Vec<usize>>,
}

impl<'p> LeftmostLongest<'p> {
    fn new(patterns: &'p [String]) -> Self {
        let mut by_byte: Vec<Vec<usize>> = vec![Vec::new(); 256];
        for (i, p) in patterns.iter().enumerate() {
            if let Some(&b) = p.as_bytes().first() {
                by_byte[b as usize].push(i);
            }
        }
        for list in &mut by_byte {
            list.sort_by_key(|&i| std::cmp::Reverse(patterns[i].len()));
        }
        LeftmostLongest { patterns, by_byte }
    }

    /// (start, end, pattern index) of each match.
    fn find_iter<'a>(&'a self, text: &'a str) -> impl Iterator<Item = (usize, usize, usize)> + 'a {
        let bytes = text.as_bytes();
        let mut at = 0;
        std::iter::from_fn(move || {
            while at < bytes.len() {
                let here = &bytes[at..];
                let hit = self.by_byte[bytes[at] as usize]
                    .iter()
                    .find(|&&i| here.starts_with(self.patterns[i].as_bytes()));
                if let Some(&i) = hit {
                    let m = (at, at + self.patterns[i].len(), i);
                    at = m.1;
                    return Some(m);
                }
                at += 1;
            }
            None
        })
    }
}

fn mention_at(t: &Table, u: usize, tok_start: usize) -> Option<usize> {
    t.mentions[u].iter().position(|m| m.tok_start == tok_start)
}

/// Settle "G's M" and "X of Y" now that the article's votes are in; a lone word that is
/// part of an executive's name ("Van" for "Mike Van") is the executive again.
fn settle_structures(t: &mut Table) {
    let excluded_words: Vec<String> = t
        .entities
        .iter()
        .filter(|c| c.excluded)
        .flat_map(|c| {
            c.surfaces
                .iter()
                .flat_map(|(s, _)| s.split_whitespace().map(str::to_string).collect::<Vec<_>>())
        })
        .collect();
    for c in t.entities.iter_mut() {
        if c.surfaces
            .iter()
            .all(|(s, _)| !s.contains(' ') && excluded_words.contains(s))
        {
            c.excluded = true;
        }
    }
    for (u, owner_tok, owned_tok) in t.possessions.clone() {
        let (Some(a), Some(b)) = (mention_at(t, u, owner_tok), mention_at(t, u, owned_tok)) else {
            continue;
        };
        let (ae, be) = (t.mentions[u][a].entity, t.mentions[u][b].entity);
        if ae == be || t.entities[ae].known_label.is_some() {
            continue;
        }
        // "Streamly's "The Restless Ember"": whoever owns a screen work, unless a person, is
        // its studio or platform
        if t.mentions[u][b].quoted
            && t.entities[be].votes[Kind::Film as usize] >= 2.0
            && t.entities[ae].votes[Kind::Artist as usize] < 1.0
            && t.entities[ae].person == 0.0
        {
            t.entities[ae].vote(Kind::Label, 1.5, "owner of a screen work");
            continue;
        }
        let owner_groupish = t.entities[ae].group > 0.0
            || t.mentions[u][a]
                .surface
                .chars()
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase);
        let owned = &t.entities[be];
        let owned_caps = t.mentions[u][b]
            .surface
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase);
        let owned_person = !t.mentions[u][b].quoted
            && !(owned_caps && t.song_cue_in[u])
            && owned.votes[Kind::Film as usize] == 0.0
            && owned.votes[Kind::Song as usize] == 0.0
            && (owned.person > 0.0 || t.mentions[u][b].surface.split_whitespace().count() == 1);
        if owner_groupish && owned_person && t.entities[ae].kind() != Some(Kind::Film) {
            // "BTS' Jimin"
            t.entities[ae].vote(Kind::Artist, 1.5, "group of a member (possessive)");
            t.entities[ae].group += 1.5;
            t.entities[be].vote(Kind::Artist, 1.5, "member of a group (possessive)");
            t.entities[be].person += 1.5;
            if !t.entities[be].member_of.contains(&ae) {
                t.entities[be].member_of.push(ae);
            }
            t.mentions[u][a].attached = true;
        } else if matches!(t.entities[ae].kind(), Some(Kind::Artist) | None)
            && t.entities[be].votes[Kind::Film as usize] == 0.0
            && t.entities[be].votes[Kind::Artist as usize] < 2.0
            && (t.mentions[u][b].quoted || owned_caps || t.song_cue_in[u])
        {
            // "Doja Cat's "Lose My Mind"", "SEVENTEEN's FML"
            t.entities[ae].vote(Kind::Artist, 1.0, "owner of a work (possessive)");
            t.entities[be].vote(Kind::Song, 1.5, "work of an artist (possessive)");
        }
    }
    for (u, person_tok, group_toks) in t.of_groups.clone() {
        let Some(a) = mention_at(t, u, person_tok) else {
            continue;
        };
        let ae = t.mentions[u][a].entity;
        for g in group_toks {
            let Some(b) = mention_at(t, u, g) else {
                continue;
            };
            let be = t.mentions[u][b].entity;
            if t.entities[be].kind() == Some(Kind::Artist) && be != ae {
                t.entities[ae].vote(Kind::Artist, 1.5, "member of a group ('of')");
                t.entities[ae].person += 1.0;
                if !t.entities[ae].member_of.contains(&be) {
                    t.entities[ae].member_of.push(be);
                }
                t.mentions[u][b].attached = true;
            }
        }
    }
}
