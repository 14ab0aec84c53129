//! Partnerships stated in a sentence, found by cue phrases and the roles around them:
//! who stars in what, whose song is a film's soundtrack, who released a song with whom,
//! which organizations made a deal, which artist fronts which brand.
use super::lexicon::{Lexicon, PhraseSet, WordId};
use super::mentions::{Mention, Table};
use super::tokens::{TokKind, Token};
use super::words::Words;
use super::{Kind, PartnershipKind, Relation, Subtype, Unit};
use std::collections::HashSet;

/// A cue phrase found in a sentence: tokens [start, end).
#[derive(Debug, Clone, Copy)]
struct Cue {
    start: usize,
    end: usize,
}

struct Sentence<'a> {
    u: usize,
    /// Role words ("actor", "singer") allowed inside a list of names.
    roles: &'a PhraseSet,
    toks: &'a [Token],
    /// The sentence's words, lower-cased, aligned with `toks`.
    w: &'a Words,
    ms: &'a [Mention],
    table: &'a Table,
}

impl Sentence<'_> {
    fn word(&self, k: usize) -> &str {
        self.w.lower(k)
    }

    fn kind(&self, m: usize) -> Option<Kind> {
        self.table.kind(self.ms[m].entity)
    }

    fn is_artist(&self, m: usize) -> bool {
        self.kind(m) == Some(Kind::Artist) && !self.ms[m].attached
    }

    fn is_person(&self, m: usize) -> bool {
        self.is_artist(m) && self.table.is_person(self.ms[m].entity)
    }

    fn name(&self, m: usize) -> String {
        self.table.name(self.ms[m].entity).to_string()
    }

    /// Every occurrence of a phrase of `set` in the sentence (words next to each other).
    fn cues(&self, set: &PhraseSet) -> Vec<Cue> {
        let mut out = Vec::new();
        let n = self.toks.len();
        let mut k = 0;
        while k < n {
            if !self.toks[k].is_word() {
                k += 1;
                continue;
            }
            if !set.has_first(self.w.id(k)) {
                k += 1;
                continue;
            }
            // the run of words a phrase may span: it stops after a possessive
            let mut j = k;
            while j < n && self.toks[j].is_word() && j - k < set.max_len() {
                j += 1;
                if self.toks[j - 1].possessive {
                    break;
                }
            }
            let best = set.longest_prefix(self.w.ids(k, j)).map(|len| k + len);
            if let Some(end) = best {
                // a cue inside a name is no cue ("Star" in a title)
                if !self.ms.iter().any(|m| m.tok_start <= k && k < m.tok_end) {
                    out.push(Cue { start: k, end });
                }
                k = end;
            } else {
                k += 1;
            }
        }
        out
    }

    /// Tokens between two positions are only list glue: commas, "and", "&".
    fn list_glue(&self, a: usize, b: usize) -> bool {
        (a..b).all(|k| match self.toks[k].kind {
            TokKind::Punct(c) => matches!(c, ',' | '&' | '"' | '“' | '”'),
            TokKind::Word => {
                // "IU and actor Park Bo-gum": a role word may stand before a listed name
                matches!(self.word(k), "and" | "as" | "well")
                    || self.roles.contains_word(self.w.id(k))
            }
            TokKind::Newline => true,
        })
    }

    /// The run of artists that ends nearest before token `pos` (a list joined by commas
    /// and "and"), within `reach` tokens.
    fn artists_before(&self, pos: usize, reach: usize, persons_only: bool) -> Vec<usize> {
        let ok = |m: usize| {
            if persons_only {
                self.is_person(m)
            } else {
                self.is_artist(m)
            }
        };
        let Some(last) = (0..self.ms.len())
            .rev()
            .find(|&m| self.ms[m].tok_end <= pos && ok(m))
        else {
            return Vec::new();
        };
        if pos - self.ms[last].tok_end > reach {
            return Vec::new();
        }
        let mut run = vec![last];
        let mut cur = last;
        while let Some(prev) = (0..cur)
            .rev()
            .find(|&m| self.ms[m].tok_end <= self.ms[cur].tok_start && !self.ms[m].attached)
        {
            if !ok(prev) || !self.list_glue(self.ms[prev].tok_end, self.ms[cur].tok_start) {
                break;
            }
            run.insert(0, prev);
            cur = prev;
        }
        run
    }

    /// The run of artists that starts right after token `pos` (allowing role words such as
    /// "actor" between), joined by commas and "and".
    fn artists_after(&self, pos: usize, lex: &Lexicon) -> Vec<usize> {
        let role = &lex.kc.artist_before;
        let Some(first) = (0..self.ms.len()).find(|&m| self.ms[m].tok_start >= pos) else {
            return Vec::new();
        };
        let gap_ok = (pos..self.ms[first].tok_start).all(|k| match self.toks[k].kind {
            TokKind::Word => {
                let id = self.w.id(k);
                role.contains_word(id)
                    || lex.nationalities.contains_word(id)
                    || matches!(
                        self.word(k),
                        "the"
                            | "by"
                            | "actors"
                            | "actresses"
                            | "surprise"
                            | "cameos"
                            | "cameo"
                            | "opposite"
                            | "alongside"
                            | "with"
                    )
            }
            TokKind::Punct(c) => matches!(c, ',' | ':' | '"' | '“'),
            TokKind::Newline => true,
        });
        if !gap_ok || !self.is_artist(first) {
            return Vec::new();
        }
        let mut run = vec![first];
        let mut cur = first;
        while let Some(next) = (cur + 1..self.ms.len())
            .find(|&m| !self.ms[m].attached && self.ms[m].tok_start >= self.ms[cur].tok_end)
        {
            if !self.is_artist(next)
                || !self.list_glue(self.ms[cur].tok_end, self.ms[next].tok_start)
            {
                break;
            }
            run.push(next);
            cur = next;
        }
        run
    }

    fn first_after(&self, pos: usize, kind: Kind) -> Option<usize> {
        (0..self.ms.len()).find(|&m| self.ms[m].tok_start >= pos && self.kind(m) == Some(kind))
    }

    fn last_before(&self, pos: usize, kind: Kind) -> Option<usize> {
        (0..self.ms.len())
            .rev()
            .find(|&m| self.ms[m].tok_end <= pos && self.kind(m) == Some(kind))
    }
}

/// What the rules below found, before names are attached.
struct Found {
    kind: PartnershipKind,
    participants: Vec<String>,
    via: Option<String>,
    confidence: f32,
    cue: String,
}

/// The film an article is about: the one named in the most sentences (the first on a tie).
fn main_film(units: &[Unit], table: &Table) -> Option<String> {
    let mut best: Option<(usize, usize, usize)> = None;
    for (e, c) in table.entities.iter().enumerate() {
        if table.kind(e) != Some(Kind::Film) {
            continue;
        }
        let n = c.sentences.iter().filter(|&&u| !units[u].heading).count();
        let first = c.sentences.iter().next().copied().unwrap_or(usize::MAX);
        if best.is_none_or(|(bn, bf, _)| n > bn || (n == bn && first < bf)) {
            best = Some((n, first, e));
        }
    }
    best.map(|(_, _, e)| table.name(e).to_string())
}

pub fn find(units: &[Unit], table: &Table, lex: &Lexicon) -> Vec<Relation> {
    let mut out: Vec<Relation> = Vec::new();
    let main = main_film(units, table);
    let mut last_film: Option<String> = None;
    for (u, unit) in units.iter().enumerate() {
        if unit.heading {
            continue;
        }
        let s = Sentence {
            u,
            roles: &lex.kc.artist_before,
            toks: &table.tokens[u],
            w: &table.words[u],
            ms: &table.mentions[u],
            table,
        };
        let speculative = !s.cues(&lex.rc.speculation).is_empty();
        let found = if speculative {
            Vec::new()
        } else {
            sentence_relations(&s, lex, last_film.as_deref(), main.as_deref())
        };
        for f in found {
            push_relation(&mut out, f, u);
        }
        if let Some(m) = (0..s.ms.len())
            .rev()
            .find(|&m| s.kind(m) == Some(Kind::Film))
        {
            last_film = Some(s.name(m));
        }
    }
    out
}

fn push_relation(out: &mut Vec<Relation>, f: Found, sentence: usize) {
    let mut participants: Vec<String> = Vec::new();
    for p in f.participants {
        if !participants.contains(&p) {
            participants.push(p);
        }
    }
    if participants.len() < 2 {
        return;
    }
    let mut set: Vec<&String> = participants.iter().collect();
    set.sort();
    if let Some(r) = out.iter_mut().find(|r| {
        let mut s2: Vec<&String> = r.participants.iter().collect();
        s2.sort();
        s2 == set && (r.kind == f.kind || same_pair_kinds(r.kind, f.kind))
    }) {
        if r.via.is_none() {
            r.via = f.via;
        }
        if !r.cues.contains(&f.cue) {
            r.cues.push(f.cue);
        }
        r.confidence = r.confidence.max(f.confidence);
        return;
    }
    out.push(Relation {
        kind: f.kind,
        participants,
        via: f.via,
        sentence,
        confidence: f.confidence,
        cues: vec![f.cue],
    });
}

fn same_pair_kinds(a: PartnershipKind, b: PartnershipKind) -> bool {
    use PartnershipKind::*;
    matches!((a, b), (Casting, Appearance) | (Appearance, Casting))
}

fn sentence_relations(
    s: &Sentence,
    lex: &Lexicon,
    last_film: Option<&str>,
    main: Option<&str>,
) -> Vec<Found> {
    let mut out = Vec::new();
    let mut cast: HashSet<usize> = HashSet::new();
    casting(s, lex, last_film, main, &mut out, &mut cast);
    soundtrack(s, lex, main, &cast, &mut out);
    collaboration(s, lex, &cast, &mut out);
    organizations(s, lex, &mut out);
    out
}

fn casting_kind(s: &Sentence, work: usize, cue: &str) -> PartnershipKind {
    let show = s.table.entities[s.ms[work].entity].subtype() == Some(Subtype::Show);
    if show && !cue.starts_with("star") && !cue.contains("host") {
        PartnershipKind::Appearance
    } else {
        PartnershipKind::Casting
    }
}

/// Films named one after another from `first` ("the dramas "A", "B" and "C"").
fn film_list(s: &Sentence, first: usize) -> Vec<usize> {
    let mut out = vec![first];
    let mut cur = first;
    while let Some(next) = (cur + 1..s.ms.len()).find(|&m| s.ms[m].tok_start >= s.ms[cur].tok_end) {
        let glue = s.list_glue(s.ms[cur].tok_end, s.ms[next].tok_start) || {
            // "and the JTBC drama "Nevertheless"": "and", then a few words ending in a cue
            let gap: Vec<usize> = (s.ms[cur].tok_end..s.ms[next].tok_start)
                .filter(|&k| s.toks[k].is_word())
                .collect();
            gap.len() <= 5
                && gap.first().is_some_and(|&k| s.word(k) == "and")
                && s.table.entities[s.ms[next].entity].votes[Kind::Film as usize] > 0.0
        };
        if s.kind(next) != Some(Kind::Film) || !glue {
            break;
        }
        out.push(next);
        cur = next;
    }
    out
}

/// A work the sentence refers to without naming it ("The series was created by...",
/// "The drama, starring..."): the anaphor's position, if one opens the sentence or precedes `pos`.
fn anaphor_before(s: &Sentence, lex: &Lexicon, pos: usize) -> bool {
    s.cues(&lex.rc.work_anaphora)
        .iter()
        .any(|a| a.end <= pos && pos - a.end <= 6)
}

fn phrase(s: &Sentence, c: Cue) -> String {
    s.w.phrase(c.start, c.end)
}

fn casting(
    s: &Sentence,
    lex: &Lexicon,
    last_film: Option<&str>,
    main: Option<&str>,
    out: &mut Vec<Found>,
    cast: &mut HashSet<usize>,
) {
    let mut emit = |persons: &[usize],
                    work: String,
                    kind: PartnershipKind,
                    conf: f32,
                    cue: String,
                    cast: &mut HashSet<usize>| {
        for &p in persons {
            cast.insert(p);
            out.push(Found {
                kind,
                participants: vec![s.name(p), work.clone()],
                via: None,
                confidence: conf,
                cue: cue.clone(),
            });
        }
    };
    let anaphora = s.cues(&lex.rc.work_anaphora);
    let talks_of_roles = (0..s.toks.len()).any(|k| {
        s.toks[k].is_word()
            && matches!(
                s.word(k),
                "role" | "roles" | "cast" | "character" | "characters"
            )
    });
    let mut fallback: Vec<(Vec<usize>, String, String)> = Vec::new();
    // PERSON <cue> WORK
    for c in s.cues(&lex.rc.casting_person_first) {
        let phrase = phrase(s, c);
        let persons = s.artists_before(c.start, 30, false);
        if persons.is_empty() {
            continue;
        }
        if let Some(w) = s
            .first_after(c.end, Kind::Film)
            .filter(|&w| s.ms[w].tok_start - c.end <= 12)
        {
            for w in film_list(s, w) {
                let kind = casting_kind(s, w, &phrase);
                emit(&persons, s.name(w), kind, 0.8, format!("'{phrase}'"), cast);
            }
            continue;
        }
        // ""Love in the Moonlight", in which she starred": the work before a relative clause
        let relative = s.last_before(c.start, Kind::Film).filter(|&w| {
            c.start - s.ms[w].tok_end <= 6
                && (s.ms[w].tok_end..c.start)
                    .any(|k| s.toks[k].is_word() && matches!(s.word(k), "which" | "where"))
        });
        if let Some(w) = relative {
            emit(
                &persons,
                s.name(w),
                PartnershipKind::Casting,
                0.7,
                format!("'{phrase}' (relative)"),
                cast,
            );
            continue;
        }
        if let Some(a) = anaphora
            .iter()
            .find(|a| a.start >= c.end && a.start - c.end <= 3)
        {
            let earlier = s
                .last_before(a.start, Kind::Film)
                .map(|w| s.name(w))
                .or(last_film.map(str::to_string));
            if let Some(work) = earlier {
                emit(
                    &persons,
                    work,
                    PartnershipKind::Casting,
                    0.6,
                    format!("'{phrase}' + earlier work"),
                    cast,
                );
                continue;
            }
        }
        // the title is missing but the platform is named: "in the US Netflix TV series"
        if let Some(l) = s
            .first_after(c.end, Kind::Label)
            .filter(|&l| s.ms[l].tok_start - c.end <= 4)
        {
            let next_word = s.ms[l].tok_end;
            let series = (next_word..(next_word + 3).min(s.toks.len())).any(|k| {
                s.toks[k].is_word() && matches!(s.word(k), "series" | "drama" | "show" | "original")
            });
            if series {
                emit(
                    &persons,
                    s.name(l),
                    PartnershipKind::Casting,
                    0.5,
                    format!("'{phrase}' + platform"),
                    cast,
                );
                continue;
            }
        }
        // "... also appear in supporting roles": the work the article is about, when the
        // sentence names none
        let no_work_here = !(0..s.ms.len()).any(|m| s.kind(m) == Some(Kind::Film));
        if talks_of_roles
            && no_work_here
            && let Some(work) = main
        {
            fallback.push((persons, work.to_string(), phrase));
        }
    }
    // "The new players include Im Si-wan, Kang Ha-neul, ..."
    for c in s.cues(&lex.rc.cast_list) {
        let phrase = phrase(s, c);
        let persons = s.artists_after(c.end, lex);
        let work = s
            .last_before(c.start, Kind::Film)
            .or_else(|| s.first_after(c.end, Kind::Film))
            .map(|w| s.name(w))
            .or(main.map(str::to_string));
        if let Some(work) = work {
            emit(
                &persons,
                work,
                PartnershipKind::Casting,
                0.6,
                format!("'{phrase}'"),
                cast,
            );
        }
    }
    // WORK <cue> PERSON
    for c in s.cues(&lex.rc.casting_work_first) {
        let phrase = phrase(s, c);
        let persons = s.artists_after(c.end, lex);
        if persons.is_empty() {
            continue;
        }
        let work = match s.last_before(c.start, Kind::Film) {
            Some(w)
                if c.start - s.ms[w].tok_end <= 3
                    || (c.start - s.ms[w].tok_end <= 8 && phrase.ends_with("by")) =>
            {
                Some(s.name(w))
            }
            // "The series was created by showrunner Soo Hugh", "The drama, starring ..."
            _ if anaphor_before(s, lex, c.start) => main.map(str::to_string),
            _ => None,
        };
        if let Some(work) = work {
            let kind = s
                .last_before(c.start, Kind::Film)
                .filter(|w| s.name(*w) == work)
                .map_or(PartnershipKind::Casting, |w| casting_kind(s, w, &phrase));
            emit(&persons, work, kind, 0.8, format!("'{phrase}'"), cast);
        }
    }
    // <cue> WORK PERSON: "Star of the movie "X" Tom Cruise"
    for c in s.cues(&lex.rc.casting_work_then_person) {
        let phrase = phrase(s, c);
        let Some(w) = s.first_after(c.end, Kind::Film) else {
            continue;
        };
        if s.ms[w].tok_start - c.end > 4 {
            continue;
        }
        let persons = s.artists_after(s.ms[w].tok_end, lex);
        emit(
            &persons,
            s.name(w),
            PartnershipKind::Casting,
            0.8,
            format!("'{phrase}'"),
            cast,
        );
    }
    // PERSON <role>: "featured Lisa as the main character"
    for c in s.cues(&lex.rc.casting_role_after) {
        let phrase = phrase(s, c);
        let persons = s.artists_before(c.start, 2, false);
        let Some(&p) = persons.last() else { continue };
        if let Some(w) = s.last_before(s.ms[p].tok_start, Kind::Film) {
            emit(
                &persons,
                s.name(w),
                PartnershipKind::Casting,
                0.7,
                format!("'{phrase}'"),
                cast,
            );
        }
    }
    // PERSON plays CHARACTER [in WORK]: "Yoo Ji-tae plays the Professor"
    for c in s.cues(&lex.kc.character_before) {
        let phrase = phrase(s, c);
        if !matches!(
            phrase.as_str(),
            "plays"
                | "played"
                | "play"
                | "will play"
                | "playing"
                | "voices"
                | "voiced"
                | "portrays"
                | "portrayed"
                | "returning as"
                | "returns as"
                | "comes back as"
                | "come back as"
                | "appeared as"
                | "stars as"
                | "cast as"
                | "the role of"
                | "role of"
        ) {
            continue;
        }
        let persons: Vec<usize> = s
            .artists_before(c.start, 8, false)
            .into_iter()
            .filter(|p| !cast.contains(p))
            .collect();
        if persons.is_empty() {
            continue;
        }
        let work = s
            .first_after(c.end, Kind::Film)
            .or_else(|| s.last_before(c.start, Kind::Film))
            .map(|w| s.name(w))
            .or(main.map(str::to_string));
        if let Some(work) = work {
            emit(
                &persons,
                work,
                PartnershipKind::Casting,
                0.6,
                format!("'{phrase}' a character"),
                cast,
            );
        }
    }
    for (persons, work, phrase) in fallback {
        let persons: Vec<usize> = persons.into_iter().filter(|p| !cast.contains(p)).collect();
        emit(
            &persons,
            work,
            PartnershipKind::Casting,
            0.5,
            format!("'{phrase}' + the article's work"),
            cast,
        );
    }
    // a person's own show: "Jin (BTS)'s variety show "Run Jin""
    let film_cue = &lex.kc.film_before;
    for (m, mention) in s.ms.iter().enumerate() {
        if !mention.possessive || !s.is_person(m) {
            continue;
        }
        let Some(w) = s.first_after(mention.tok_end, Kind::Film) else {
            continue;
        };
        // skip "(BTS)'s" between the person and the cue
        let mut from = mention.tok_end;
        if s.toks.get(from).is_some_and(|t| t.is_punct('('))
            && let Some(close) = (from..s.ms[w].tok_start).find(|&k| s.toks[k].is_punct(')'))
        {
            from = close + 1;
        }
        let gap: Vec<usize> = (from..s.ms[w].tok_start)
            .filter(|&k| s.toks[k].is_word() && s.word(k) != "s")
            .collect();
        let gap_ids: Vec<WordId> = gap.iter().map(|&k| s.w.id(k)).collect();
        let punct_ok = (from..s.ms[w].tok_start).all(|k| {
            s.toks[k].is_word()
                || matches!(s.toks[k].kind, TokKind::Punct('"' | '“' | ')' | '\'' | '’'))
        });
        if !gap.is_empty() && gap.len() <= 3 && film_cue.contains(&gap_ids) && punct_ok {
            let words: Vec<&str> = gap.iter().map(|&k| s.word(k)).collect();
            emit(
                &[m],
                s.name(w),
                PartnershipKind::Casting,
                0.6,
                format!("own {}", words.join(" ")),
                cast,
            );
        }
    }
    // "X of "Work"" when the work is a film
    for (u, p_tok, works) in &s.table.of_groups {
        if *u != s.u {
            continue;
        }
        let Some(p) = s.ms.iter().position(|m| m.tok_start == *p_tok) else {
            continue;
        };
        if !s.is_person(p) {
            continue;
        }
        for w_tok in works {
            if let Some(w) = s.ms.iter().position(|m| m.tok_start == *w_tok)
                && s.kind(w) == Some(Kind::Film)
            {
                emit(
                    &[p],
                    s.name(w),
                    PartnershipKind::Casting,
                    0.6,
                    "'of' a work".into(),
                    cast,
                );
            }
        }
    }
}

fn soundtrack(
    s: &Sentence,
    lex: &Lexicon,
    last_film: Option<&str>,
    cast: &HashSet<usize>,
    out: &mut Vec<Found>,
) {
    let cues = s.cues(&lex.rc.soundtrack);
    let songs: Vec<usize> = (0..s.ms.len())
        .filter(|&m| s.kind(m) == Some(Kind::Song))
        .collect();
    for (i, &song) in songs.iter().enumerate() {
        let performers = performers_of(s, song, i == 0, cast, lex);
        if performers.is_empty() {
            continue;
        }
        let film = s
            .first_after(s.ms[song].tok_end, Kind::Film)
            .or_else(|| s.last_before(s.ms[song].tok_start, Kind::Film));
        let for_film = film.is_some_and(|f| {
            let (a, b) = if s.ms[f].tok_start > s.ms[song].tok_end {
                (s.ms[song].tok_end, s.ms[f].tok_start)
            } else {
                (s.ms[f].tok_end, s.ms[song].tok_start)
            };
            (a..b).any(|k| s.toks[k].is_word() && s.word(k) == "for")
        });
        let via = s.name(song);
        let work = match film {
            Some(f) if !cues.is_empty() || for_film => Some(s.name(f)),
            // "recorded "Takedown" for the soundtrack": the article's film
            None if !cues.is_empty() => last_film.map(str::to_string),
            _ => None,
        };
        if let Some(work) = work {
            let mut participants: Vec<String> = performers.iter().map(|&p| s.name(p)).collect();
            participants.push(work);
            out.push(Found {
                kind: PartnershipKind::Soundtrack,
                participants,
                via: Some(via.clone()),
                confidence: 0.8,
                cue: "soundtrack".into(),
            });
        }
        if separate_acts(s, &performers) >= 2 {
            let participants = performers.iter().map(|&p| s.name(p)).collect();
            out.push(Found {
                kind: PartnershipKind::MusicalCollaboration,
                participants,
                via: Some(via),
                confidence: 0.7,
                cue: "one song, several acts".into(),
            });
        }
    }
}

/// How many separate acts: members of one group count as one.
fn separate_acts(s: &Sentence, artists: &[usize]) -> usize {
    let mut acts: Vec<usize> = Vec::new();
    for &a in artists {
        let e = s.ms[a].entity;
        let groups = &s.table.entities[e].member_of;
        let act = groups.first().copied().unwrap_or(e);
        if !acts.contains(&act) {
            acts.push(act);
        }
    }
    acts.len()
}

/// The artists a sentence credits with a song: its possessive owners ("Don Toliver and Doja
/// Cat's "Lose My Mind""), "by ..." after it, or, for the first song, the artists before it.
fn performers_of(
    s: &Sentence,
    song: usize,
    first_song: bool,
    cast: &HashSet<usize>,
    lex: &Lexicon,
) -> Vec<usize> {
    let st = s.ms[song].tok_start;
    // possessive owner right before (or "ARTIST song TITLE")
    if let Some(owner) = (0..song).rev().find(|&m| !s.ms[m].attached) {
        let gap = &s.toks[s.ms[owner].tok_end..st];
        let gap_words = s.w.word_ids(s.toks, s.ms[owner].tok_end, st);
        let quotes_only = gap
            .iter()
            .all(|t| matches!(t.kind, TokKind::Punct('"' | '“' | '‘')) || t.is_word());
        let song_cue = gap_words.is_empty()
            || (gap_words.len() <= 2 && lex.kc.song_before.contains(&gap_words));
        if s.is_artist(owner)
            && (s.ms[owner].possessive || !gap_words.is_empty())
            && quotes_only
            && song_cue
        {
            let mut run = s.artists_before(s.ms[owner].tok_end, 0, false);
            if run.is_empty() {
                run.push(owner);
            }
            return run;
        }
    }
    // "TITLE by ARTIST"
    let mut k = s.ms[song].tok_end;
    while k < s.toks.len() && matches!(s.toks[k].kind, TokKind::Punct('"' | '”' | '’')) {
        k += 1;
    }
    if k < s.toks.len() && s.toks[k].is_word() && s.word(k) == "by" {
        let run = s.artists_after(k + 1, lex);
        if !run.is_empty() {
            return run;
        }
    }
    if !first_song {
        return Vec::new();
    }
    (0..song)
        .filter(|&m| s.is_artist(m) && !cast.contains(&m))
        .collect()
}

const MUSIC_WORDS: &[&str] = &[
    "collaboration",
    "collaborations",
    "song",
    "songs",
    "single",
    "track",
    "album",
    "remix",
    "duet",
    "music",
    "feature",
    "featuring",
    "verse",
    "stage",
    "performance",
    "performed",
    "concert",
    "record",
    "recorded",
    "ost",
    "soundtrack",
    "rapper",
    "singer",
    "producer",
];

fn collaboration(s: &Sentence, lex: &Lexicon, cast: &HashSet<usize>, out: &mut Vec<Found>) {
    let musical = (0..s.ms.len()).any(|m| s.kind(m) == Some(Kind::Song))
        || (0..s.toks.len()).any(|k| s.toks[k].is_word() && MUSIC_WORDS.contains(&s.word(k)));
    if !musical {
        return;
    }
    for c in s.cues(&lex.rc.musical_collaboration) {
        let phrase = phrase(s, c);
        let left: Vec<usize> = s
            .artists_before(c.start, 12, false)
            .into_iter()
            .filter(|m| !cast.contains(m))
            .collect();
        let mut right: Vec<usize> = s
            .artists_after(c.end, lex)
            .into_iter()
            .filter(|m| !cast.contains(m))
            .collect();
        // "X featured on Y's "S"": the owners of the song right after the cue
        if right.is_empty()
            && let Some(song) = s
                .first_after(c.end, Kind::Song)
                .filter(|&m| s.ms[m].tok_start - c.end <= 6)
        {
            let owners = performers_of(s, song, false, cast, lex);
            right = owners.into_iter().filter(|m| !left.contains(m)).collect();
        }
        if left.is_empty() || (right.is_empty() && left.len() < 2) {
            continue;
        }
        let all: Vec<usize> = left.iter().chain(&right).copied().collect();
        if separate_acts(s, &all) < 2 {
            continue;
        }
        let mut participants: Vec<String> = all.iter().map(|&m| s.name(m)).collect();
        participants.dedup();
        let via = s
            .first_after(c.end, Kind::Song)
            .or_else(|| s.last_before(c.start, Kind::Song))
            .map(|m| s.name(m));
        // "Rodgers has worked with David Bowie, Madonna and Daft Punk": with no shared song,
        // each partner worked with the subject, not with each other
        if via.is_none() && left.len() == 1 && right.len() >= 2 {
            for &r in &right {
                out.push(Found {
                    kind: PartnershipKind::MusicalCollaboration,
                    participants: vec![s.name(left[0]), s.name(r)],
                    via: None,
                    confidence: 0.6,
                    cue: format!("'{phrase}'"),
                });
            }
            continue;
        }
        out.push(Found {
            kind: PartnershipKind::MusicalCollaboration,
            participants,
            via,
            confidence: 0.7,
            cue: format!("'{phrase}'"),
        });
    }
}

/// Whether a known organization is named only as where something is shown or counted
/// ("released on Netflix", "streams on Spotify", "under HYBE").
fn platform_only(s: &Sentence, m: usize) -> bool {
    let st = s.ms[m].tok_start;
    let before = (0..st)
        .rev()
        .find(|&k| s.toks[k].is_word())
        .map(|k| s.word(k));
    let after = (s.ms[m].tok_end..s.toks.len())
        .find(|&k| s.toks[k].is_word())
        .map(|k| s.word(k));
    matches!(before, Some("on" | "via" | "under" | "through" | "at"))
        || matches!(
            after,
            Some(
                "original"
                    | "originals"
                    | "streams"
                    | "views"
                    | "chart"
                    | "charts"
                    | "drama"
                    | "series"
                    | "show"
                    | "film"
                    | "movie"
                    | "variety"
            )
        )
}

fn organizations(s: &Sentence, lex: &Lexicon, out: &mut Vec<Found>) {
    // "CJ ENM's streaming service TVING": the parent is not a party
    let parent = |m: usize| {
        s.ms[m].possessive
            && (m + 1..s.ms.len())
                .find(|&n| s.ms[n].tok_start >= s.ms[m].tok_end)
                .is_some_and(|n| {
                    s.kind(n) == Some(Kind::Label)
                        && (s.ms[m].tok_end..s.ms[n].tok_start)
                            .filter(|&k| s.toks[k].is_word())
                            .count()
                            <= 3
                })
    };
    let labels: Vec<usize> = (0..s.ms.len())
        .filter(|&m| s.kind(m) == Some(Kind::Label) && !platform_only(s, m) && !parent(m))
        .collect();
    if labels.len() >= 2 && !s.cues(&lex.rc.business_partnership).is_empty() {
        let participants = labels.iter().map(|&m| s.name(m)).collect();
        out.push(Found {
            kind: PartnershipKind::BusinessPartnership,
            participants,
            via: None,
            confidence: 0.7,
            cue: "deal".into(),
        });
    }
    if labels.is_empty() || s.cues(&lex.rc.endorsement).is_empty() {
        return;
    }
    // each artist with the nearest brand: "Hanni for Gucci and Danielle for Burberry"
    for a in (0..s.ms.len()).filter(|&m| s.is_artist(m)) {
        let dist = |l: usize| {
            if s.ms[l].tok_start >= s.ms[a].tok_end {
                s.ms[l].tok_start - s.ms[a].tok_end
            } else {
                (s.ms[a].tok_start - s.ms[l].tok_end) + 2
            }
        };
        if let Some(&l) = labels.iter().min_by_key(|&&l| dist(l)) {
            out.push(Found {
                kind: PartnershipKind::Endorsement,
                participants: vec![s.name(a), s.name(l)],
                via: None,
                confidence: 0.6,
                cue: "endorsement".into(),
            });
        }
    }
}
