//! Pass 4, the article's entities: spans that name the same thing become one entity (same key,
//! a short form of a longer name, a name in the other order), votes are summed over the
//! article so one name keeps one kind, list items lend each other their kind, and what is not
//! an entity (a character, a place, a byline, a stray capital) is dropped.
use super::Kind;
use super::Subtype;
use super::doc::Sentence;
use super::kinds::{self, Class, Vote};
use super::lexicon::Lexicon;
use super::lists::{self, List};
use super::names;
use super::quotes;
use super::spans::{self, Span};
use rustc_hash::FxHashMap;

#[derive(Debug, Clone)]
pub struct Entity {
    /// The fullest surface form.
    pub name: String,
    pub surfaces: Vec<String>,
    pub votes: Vec<Vote>,
    /// What it was decided to be (`Class::Not` when dropped).
    pub class: Class,
    pub kind: Kind,
    pub subtype: Option<Subtype>,
    pub score: f32,
    /// Indices of its spans.
    pub spans: Vec<usize>,
}

impl Entity {
    pub fn kept(&self) -> bool {
        self.class != Class::Not
    }
}

/// The article's names: every span, the entity it names (if kept), the lists.
#[derive(Debug, Default)]
pub struct Table {
    pub spans: Vec<Span>,
    pub span_entity: Vec<Option<usize>>,
    pub entities: Vec<Entity>,
    pub lists: Vec<List>,
    /// The first span of each sentence (spans are in sentence order).
    pub sent_start: Vec<usize>,
}

impl Table {
    /// The kept entity a span names.
    pub fn entity_of(&self, span: usize) -> Option<usize> {
        self.span_entity[span].filter(|&e| self.entities[e].kept())
    }

    /// The spans of sentence `s`.
    pub fn spans_of(&self, s: usize) -> std::ops::Range<usize> {
        let end = self
            .sent_start
            .get(s + 1)
            .copied()
            .unwrap_or(self.spans.len());
        self.sent_start[s]..end
    }
}

/// Find the article's entities.
pub fn build(sents: &[Sentence], lex: &Lexicon) -> Table {
    let mut t = Table::default();
    let mut votes: Vec<Vec<Vote>> = Vec::new();
    let mut per: Vec<Vec<Span>> = sents
        .iter()
        .enumerate()
        .map(|(i, s)| spans::find(s, i, lex))
        .collect();
    quotes::title_heads(sents, &mut per, lex);
    for (s, found) in sents.iter().zip(per) {
        t.sent_start.push(t.spans.len());
        for sp in &found {
            votes.push(kinds::votes(s, sp, lex));
        }
        let first = t.spans.len();
        let ls = lists::find(s, &found, first);
        for l in &ls {
            lists::lend_cue(s, l, &found[l.items[0] - first], &mut votes, lex);
        }
        t.spans.extend(found);
        t.lists.extend(ls);
    }
    group(&mut t, votes, lex);
    join_aliases(&mut t, sents);
    merge_short_forms(&mut t);
    let genre = film_share(sents, lex);
    for e in &mut t.entities {
        decide(e, genre, &t.spans);
    }
    filmography(&mut t, sents, genre);
    lend_list_kinds(&mut t, genre);
    t
}

/// "X, also known as Y", "X (aka Y)", "X, whose real name is Y": one entity.
fn join_aliases(t: &mut Table, sents: &[Sentence]) {
    const CUES: &[&[&str]] = &[
        &["also", "known", "as"],
        &["known", "as"],
        &["aka"],
        &["a", "k", "a"],
        &["better", "known", "as"],
        &["whose", "real", "name", "is"],
        &["real", "name"],
        &["formerly", "known", "as"],
    ];
    for (si, s) in sents.iter().enumerate() {
        let r = t.spans_of(si);
        for i in r.clone() {
            let Some(j) = (i + 1 < r.end).then_some(i + 1) else {
                continue;
            };
            let (x, y) = (&t.spans[i], &t.spans[j]);
            let gap: Vec<&str> = (x.b..y.a)
                .filter(|&k| s.is_word(k))
                .map(|k| s.words.lower(k))
                .collect();
            let only_marks = (x.b..y.a).all(|k| {
                s.is_word(k)
                    || s.is_punct(k, ',')
                    || s.is_punct(k, '(')
                    || kinds::is_quote(s, k)
                    || s.is_punct(k, '.')
            });
            // "Next Entertainment World (NEW)", ""Fast & Furious 10" (Fast X)": another name
            let bracket = (x.b..y.a).all(|k| s.is_punct(k, '(') || kinds::is_quote(s, k))
                && s.is_punct(y.b, ')')
                && (initials_of(&x.text, &y.text) || (x.quoted() && y.words() >= 2));
            if bracket || (only_marks && CUES.iter().any(|c| gap == *c)) {
                let (Some(a), Some(b)) = (t.span_entity[i], t.span_entity[j]) else {
                    continue;
                };
                if a != b {
                    merge_into(t, b, a);
                }
            }
        }
    }
}

/// Whether `abbr` is made of the initials of `name` ("NEW" of "Next Entertainment World").
fn initials_of(name: &str, abbr: &str) -> bool {
    let initials: String = name
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .collect();
    abbr.len() >= 2 && abbr.chars().all(|c| c.is_uppercase()) && initials.eq_ignore_ascii_case(abbr)
}

/// Move entity `from` into `to`.
fn merge_into(t: &mut Table, from: usize, to: usize) {
    let moved = std::mem::take(&mut t.entities[from].spans);
    for &sp in &moved {
        t.span_entity[sp] = Some(to);
    }
    let votes = std::mem::take(&mut t.entities[from].votes);
    let surfaces = std::mem::take(&mut t.entities[from].surfaces);
    let target = &mut t.entities[to];
    target.spans.extend(moved);
    target.spans.sort();
    target.votes.extend(votes);
    for s in surfaces {
        if !target.surfaces.contains(&s) {
            target.surfaces.push(s);
        }
    }
}

/// "Park Chan-wook (Oldboy, Stoker)": names in parentheses after a person are their works;
/// "Stray Kids (Bang Chan, Lee Know, ...)": after a group, its members.
fn filmography(t: &mut Table, sents: &[Sentence], genre: f32) {
    for (si, s) in sents.iter().enumerate() {
        let r = t.spans_of(si);
        for i in r.clone() {
            let Some(p) = t.entity_of(i) else { continue };
            let (class, cue) = match (t.entities[p].kind, t.entities[p].subtype) {
                (Kind::Artist, Some(Subtype::Person)) => {
                    (Class::Film, "in parentheses after a person: their work")
                }
                (Kind::Artist, _) => (Class::Person, "in parentheses after a group: a member"),
                _ => continue,
            };
            if !s.is_punct(t.spans[i].b, '(') {
                continue;
            }
            let close = (t.spans[i].b..s.toks.len()).find(|&k| s.is_punct(k, ')'));
            let Some(close) = close else { continue };
            let inside: Vec<usize> = (i + 1..r.end)
                .take_while(|&j| t.spans[j].b <= close)
                .collect();
            // one name after an act not known as a group says nothing ("Yuri (Velvet Crown)")
            let group = t.entities[p].subtype == Some(Subtype::Group);
            if class == Class::Person && !group && inside.len() < 2 {
                continue;
            }
            for j in inside {
                let Some(e) = t.span_entity[j] else { continue };
                if e == p {
                    continue;
                }
                let ent = &mut t.entities[e];
                let agrees =
                    ent.class == class || (class == Class::Person && ent.class == Class::Artist);
                let clash = class == Class::Film && ent.class == Class::Artist && ent.score >= 0.75;
                if (ent.score < 1.5 || agrees) && !clash {
                    ent.votes.push(Vote {
                        class,
                        weight: 1.5,
                        cue: cue.into(),
                    });
                    decide(ent, genre, &t.spans);
                }
            }
        }
    }
}

/// The key names share to be one entity in an article: folded, without spaces, without a
/// leading "the".
pub fn article_key(text: &str) -> String {
    let f = names::fold(text);
    let f = f.strip_prefix("the ").unwrap_or(&f);
    f.replace(' ', "")
}

fn group(t: &mut Table, votes: Vec<Vec<Vote>>, lex: &Lexicon) {
    let mut by_key: FxHashMap<String, usize> = FxHashMap::default();
    t.span_entity = vec![None; t.spans.len()];
    for (i, v) in votes.into_iter().enumerate() {
        // a known organization by its one name ("Kakao" is Kakao Entertainment)
        let key = match t.spans[i].known {
            Some(l) => article_key(&lex.labels[l].name),
            None => article_key(&t.spans[i].text),
        };
        if key.is_empty() {
            continue;
        }
        let e = *by_key.entry(key).or_insert_with(|| {
            t.entities.push(Entity {
                name: String::new(),
                surfaces: Vec::new(),
                votes: Vec::new(),
                class: Class::Not,
                kind: Kind::Artist,
                subtype: None,
                score: 0.0,
                spans: Vec::new(),
            });
            t.entities.len() - 1
        });
        let ent = &mut t.entities[e];
        ent.votes.extend(v);
        ent.spans.push(i);
        let text = &t.spans[i].text;
        if !ent.surfaces.contains(text) {
            ent.surfaces.push(text.clone());
        }
        t.span_entity[i] = Some(e);
    }
}

/// The best class of a set of votes, and its score (before the article's genre splits titles).
fn provisional(votes: &[Vote]) -> (Class, f32) {
    let mut sums: FxHashMap<Class, f32> = FxHashMap::default();
    for v in votes {
        let c = match v.class {
            Class::Person | Class::Group | Class::Artist => Class::Artist,
            Class::Film | Class::Show | Class::Title => Class::Film,
            c => c,
        };
        *sums.entry(c).or_default() += v.weight;
    }
    let mut best = (Class::Not, 0.0);
    for (c, w) in sums {
        if w > best.1 || (w == best.1 && c < best.0) {
            best = (c, w);
        }
    }
    best
}

/// "Larson" is "Brie Larson", "Seo-Joon" is "Park Seo-Joon", "Byung-hun Lee" is "Lee
/// Byung-hun", "Sony" is "Sony Pictures", "The Crimes Of Grindelwald" is "Fantastic Beasts: The
/// Crimes Of Grindelwald": a form that only one longer name of the article contains.
fn merge_short_forms(t: &mut Table) {
    let n = t.entities.len();
    let words: Vec<Vec<String>> = t
        .entities
        .iter()
        .map(|e| {
            e.surfaces
                .first()
                .map(|s| name_words(s))
                .unwrap_or_default()
        })
        .collect();
    let classes: Vec<(Class, f32)> = t.entities.iter().map(|e| provisional(&e.votes)).collect();
    let mut into: Vec<Option<usize>> = vec![None; n];
    // longest names first, so a short form meets only names that are not short forms themselves
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(words[i].len()));
    for &i in &order {
        let short = &words[i];
        if short.is_empty() {
            continue;
        }
        let targets: Vec<usize> = (0..n)
            .filter(|&j| j != i && into[j].is_none() && words[j].len() > short.len())
            .filter(|&j| contains_form(&words[j], short, &t.entities[j], classes[j].0))
            .collect();
        // a name the lexicon knows is its own organization ("Adidas" beside "Adidas Originals")
        let known = t.entities[i]
            .votes
            .iter()
            .any(|v| v.cue == "known organization");
        if let ([j], false) = (&targets[..], known) {
            let j = *j;
            // a short form is never stronger evidence than the name it stands for
            if classes[i].0 == Class::Not || classes[i].0 == classes[j].0 || classes[i].1 < 1.5 {
                into[i] = Some(j);
            }
        } else if targets.is_empty() {
            into[i] = (0..n).find(|&j| {
                j != i
                    && into[j].is_none()
                    && (j < i || words[j].len() > words[i].len())
                    && same_person(&words[i], &words[j], classes[j].0)
            });
        }
    }
    for i in 0..n {
        let Some(mut j) = into[i] else { continue };
        while let Some(k) = into[j] {
            j = k;
        }
        merge_into(t, i, j);
    }
}

fn name_words(text: &str) -> Vec<String> {
    names::fold(text)
        .split([' ', '-'])
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Whether `long` (an entity of class `class`) contains the short form `short`.
fn contains_form(long: &[String], short: &[String], e: &Entity, class: Class) -> bool {
    let n = short.len();
    let person_like = e
        .votes
        .iter()
        .any(|v| v.cue == "a person's name" || v.cue.starts_with("an executive"));
    match class {
        Class::Not if person_like => long[..n] == *short || long[long.len() - n..] == *short,
        Class::Artist => {
            // a person's family or given name, or a trailing part ("Seo-Joon", "Jung Kook" -> "Kook")
            long[..n] == *short || long[long.len() - n..] == *short
        }
        Class::Label => {
            // "Sony" for "Sony Pictures": the words before the organization's suffix;
            // "Hilfiger" for "Tommy Hilfiger": a brand named for a person
            long[..n] == *short && e.votes.iter().any(|v| v.cue.starts_with("ends in"))
                || long[long.len() - n..] == *short
                    && e.votes.iter().any(|v| v.cue == "known organization")
        }
        Class::Film => {
            // a subtitle alone: "The Crimes Of Grindelwald"
            e.surfaces[0].contains(':') && long[long.len() - n..] == *short && n >= 2
        }
        _ => false,
    }
}

/// The same person's name in the other order ("Byung-hun Lee" / "Lee Byung-hun") or with a
/// letter dropped or doubled ("Inman" / "Iman Vellani", "Katheryn" / "Kathryn Prescott").
fn same_person(a: &[String], b: &[String], class: Class) -> bool {
    if class != Class::Artist || a.len() != b.len() || a.len() < 2 || a == b {
        return false;
    }
    // the same words in another order (names are two to four words: no sorting needed)
    let same_words = a
        .iter()
        .all(|w| a.iter().filter(|x| *x == w).count() == b.iter().filter(|x| *x == w).count());
    if same_words {
        return true;
    }
    let mut differ = (0..a.len()).filter(|&i| a[i] != b[i]);
    match (differ.next(), differ.next()) {
        (Some(i), None) => a[i].len() >= 4 && b[i].len() >= 4 && one_letter_apart(&a[i], &b[i]),
        _ => false,
    }
}

/// Whether one word is the other with one letter more.
fn one_letter_apart(a: &str, b: &str) -> bool {
    let (long, short) = if a.len() > b.len() { (a, b) } else { (b, a) };
    if long.len() != short.len() + 1 {
        return false;
    }
    if !long.is_ascii() || !short.is_ascii() {
        let l: Vec<char> = long.chars().collect();
        let s: Vec<char> = short.chars().collect();
        let p = l.iter().zip(&s).take_while(|(x, y)| x == y).count();
        return l[p + 1..] == s[p..];
    }
    let (l, s) = (long.as_bytes(), short.as_bytes());
    let p = l.iter().zip(s.iter()).take_while(|(x, y)| x == y).count();
    l[p + 1..] == s[p..]
}

/// The share of screen words among screen and music words in the article: what an untyped
/// quoted title most likely is.
fn film_share(sents: &[Sentence], lex: &Lexicon) -> f32 {
    let (mut film, mut song) = (1.0f32, 1.0f32);
    for s in sents {
        for k in 0..s.toks.len() {
            let id = s.words.id(k);
            if id == super::lexicon::NO_WORD {
                continue;
            }
            if lex.kc.film_before.contains_word(id) || lex.kc.show_before.contains_word(id) {
                film += 1.0;
            } else if lex.kc.song_before.contains_word(id) {
                song += 1.0;
            }
        }
    }
    film / (film + song)
}

/// Decide what an entity is from its votes; `Class::Not` drops it.
fn decide(e: &mut Entity, film_share: f32, spans: &[Span]) {
    if e.spans.is_empty() {
        e.class = Class::Not;
        return;
    }
    let mut s = [0.0f32; 9];
    for v in &e.votes {
        s[v.class as usize] += v.weight;
    }
    let at = |c: Class| s[c as usize];
    let title = at(Class::Title);
    let artist = at(Class::Person) + at(Class::Group) + at(Class::Artist);
    let film = at(Class::Film) + at(Class::Show) + title * film_share;
    let song = at(Class::Song) + title * (1.0 - film_share);
    let label = at(Class::Label);
    let not = at(Class::Not);
    // a title is a work in full; the article's subject only says which kind
    let work = at(Class::Film) + at(Class::Show) + at(Class::Song) + title;
    let work_kind = if film >= song {
        Class::Film
    } else {
        Class::Song
    };
    let mut best = (Class::Not, not);
    for (c, w) in [
        (Class::Label, label),
        (Class::Artist, artist),
        (work_kind, work),
    ] {
        if w > best.1 {
            best = (c, w);
        }
    }
    e.score = best.1;
    e.class = if best.1 < 0.75 || best.1 < 2.0 && only_openers(e, spans) {
        Class::Not
    } else {
        best.0
    };
    e.kind = match e.class {
        Class::Film | Class::Show | Class::Title => Kind::Film,
        Class::Song => Kind::Song,
        Class::Label => Kind::Label,
        _ => Kind::Artist,
    };
    // a name's look says less than a word about it: "the group Stray Kids" stays a group
    // however often its two capitalized words are seen
    let looks: f32 = e
        .votes
        .iter()
        .filter(|v| v.cue == "a person's name")
        .map(|v| v.weight)
        .sum();
    e.subtype = match e.kind {
        Kind::Artist if at(Class::Group) > 0.0 && at(Class::Group) > at(Class::Person) - looks => {
            Some(Subtype::Group)
        }
        Kind::Artist if at(Class::Person) > 0.0 => Some(Subtype::Person),
        Kind::Film if at(Class::Show) > at(Class::Film) => Some(Subtype::Show),
        _ => None,
    };
    e.name = fullest(e, spans);
}

/// A single word that only ever opens a sentence, with nothing but its shape for it
/// ("Gaining international popularity ..."); not one an act's verb follows ("Jennie
/// collaborated with ...", "IU will star in ...").
fn only_openers(e: &Entity, spans: &[Span]) -> bool {
    e.spans
        .iter()
        .all(|&i| spans[i].initial && spans[i].words() == 1)
        && e.votes.iter().all(|v| v.weight < 1.5)
        && !e
            .votes
            .iter()
            .any(|v| v.weight >= 1.0 && v.cue.starts_with("subject of"))
}

/// The name to show: the most complete surface, quoted or written mid-sentence first, then
/// quoted (a title as its marks hold it, "APT." with its period), then the longest.
fn fullest(e: &Entity, spans: &[Span]) -> String {
    // words, written mid-sentence or quoted, quoted, length
    type Rank = (usize, bool, bool, usize);
    let mut best: Option<(Rank, &str)> = None;
    for &i in &e.spans {
        let sp = &spans[i];
        let rank = (
            sp.words(),
            !sp.initial || sp.quoted(),
            sp.quoted(),
            sp.text.len(),
        );
        if best.is_none_or(|b| rank > b.0) {
            best = Some((rank, sp.text.as_str()));
        }
    }
    best.map(|b| b.1.to_string()).unwrap_or_default()
}

/// Items of a list whose kind is weak take the kind of the items that are sure of theirs.
fn lend_list_kinds(t: &mut Table, genre: f32) {
    for li in 0..t.lists.len() {
        let items: Vec<usize> = t.lists[li]
            .items
            .iter()
            .filter_map(|&sp| t.span_entity[sp])
            .collect();
        let sure: Vec<Class> = items
            .iter()
            .map(|&e| &t.entities[e])
            // sure of its kind by a cue, not by the article's subject alone
            .filter(|e| {
                e.kept()
                    && e.score >= 1.0
                    && e.votes
                        .iter()
                        .any(|v| v.class != Class::Title && v.class != Class::Not)
            })
            .map(|e| e.class)
            .collect();
        let Some(&class) = sure.first() else { continue };
        // a list lends an act's or a work's kind: "Esperanto Filmoj, and David Levine, ..."
        // lists companies and people alike
        if sure.iter().any(|&c| c != class) || class == Class::Label {
            continue;
        }
        let spans = &t.spans;
        for &e in &items {
            let ent = &mut t.entities[e];
            if ent.score < 1.5
                && !ent
                    .votes
                    .iter()
                    .any(|v| v.class == Class::Not && v.weight >= 2.0)
            {
                ent.votes.push(Vote {
                    class,
                    weight: 1.0,
                    cue: "listed with names of its kind".into(),
                });
                decide(ent, genre, spans);
            }
        }
    }
}
