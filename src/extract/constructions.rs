//! Pass 8c, relations stated without a verb: "Squid Game star Hoyeon", "'Eternals' director
//! Chloe Zhao" (a work, a role, a person); "Alfonso Cuarón's Disclaimer", "Bong Joon-ho's
//! masterpiece 'Parasite'" (a person's work); "Park Chan-wook (Oldboy, Stoker)" (a person's
//! works in parentheses).
use super::Kind;
use super::PartnershipKind as PK;
use super::Subtype;
use super::clauses::Party;
use super::doc::Sentence;
use super::entities::Table;
use super::kinds::is_quote;
use super::lexicon::Lexicon;
use super::lists;
use super::relate::Claim;
use super::tokens::TokKind;

fn is_work(t: &Table, e: usize) -> bool {
    t.entities[e].kind == Kind::Film
}

fn is_person(t: &Table, e: usize) -> bool {
    t.entities[e].kind == Kind::Artist && t.entities[e].subtype != Some(Subtype::Group)
}

fn claim(p: usize, w: usize, rule: &str) -> Claim {
    Claim {
        kind: PK::Casting,
        parties: vec![p, w],
        via: None,
        confidence: 0.7,
        cues: vec![format!("rule: {rule}")],
    }
}

/// A name of a sentence and the name after it: where a construction is read.
struct Pair<'a> {
    s: &'a Sentence,
    t: &'a Table,
    ps: &'a [Party],
    i: usize,
    p: &'a Party,
    n: &'a Party,
    lex: &'a Lexicon,
}

impl Pair<'_> {
    fn person_then_work(&self) -> bool {
        is_person(self.t, self.p.entity) && is_work(self.t, self.n.entity) && !self.n.stand_in
    }

    /// The word right after the first name is `word`, and the next name follows within
    /// `gap` tokens.
    fn word_between(&self, word: &str, gap: usize) -> bool {
        let b = self.p.b;
        self.s.is_word(b) && self.s.words.lower(b) == word && self.n.a <= b + gap
    }
}

/// The constructions of two names side by side, each a rule.
const CONSTRUCTIONS: [fn(&Pair) -> Option<Claim>; 6] = [
    work_possessive_person,
    song_with_act,
    work_role_person,
    person_in_work,
    person_of_work,
    person_possessive_work,
];

/// The verbless claims of one sentence (`focus`: the article's work at this point).
pub fn claims(
    s: &Sentence,
    t: &Table,
    ps: &[Party],
    focus: Option<usize>,
    lex: &Lexicon,
) -> Vec<Claim> {
    let mut out = Vec::new();
    for (i, p) in ps.iter().enumerate() {
        if p.stand_in || s.in_credit(p.a) {
            continue;
        }
        character_actor(s, t, ps, i, focus, &mut out);
        let Some(n) = ps.get(i + 1) else { continue };
        let pair = Pair {
            s,
            t,
            ps,
            i,
            p,
            n,
            lex,
        };
        out.extend(CONSTRUCTIONS.iter().filter_map(|rule| rule(&pair)));
        works_in_parentheses(s, t, ps, i, &mut out);
        out.extend(song_for_work(&pair));
        out.extend(co_owners(&pair));
    }
    out
}

/// "True Detective's Nic Pizzolatto"
fn work_possessive_person(x: &Pair) -> Option<Claim> {
    let (s, t, p, n) = (x.s, x.t, x.p, x.n);
    (is_work(t, p.entity) && s.toks[p.b - 1].possessive && is_person(t, n.entity) && n.a == p.b)
        .then(|| claim(n.entity, p.entity, "a work's person"))
}

/// "the song "Hangover" with Snoop Dog": the clause's act with the named one.
fn song_with_act(x: &Pair) -> Option<Claim> {
    let (s, t, p, n) = (x.s, x.t, x.p, x.n);
    let w = p.b + usize::from(is_quote(s, p.b));
    let with = t.entities[p.entity].kind == Kind::Song
        && s.is_word(w)
        && s.words.lower(w) == "with"
        && n.a <= w + 2
        && t.entities[n.entity].kind == Kind::Artist;
    if !with {
        return None;
    }
    let subject = x.ps[..x.i]
        .iter()
        .find(|y| !y.stand_in && t.entities[y.entity].kind == Kind::Artist)
        .filter(|y| y.entity != n.entity)?;
    Some(Claim {
        kind: PK::MusicalCollaboration,
        parties: vec![subject.entity, n.entity],
        via: Some(p.entity),
        confidence: 0.65,
        cues: vec!["rule: a song 'with' an act".into()],
    })
}

/// "Don Toliver and Doja Cat's 'Lose My Mind'": acts owning one song made it together.
/// Read at the list's first act, every pair of the list.
fn co_owners(x: &Pair) -> Vec<Claim> {
    let (s, t, ps) = (x.s, x.t, x.ps);
    let is_act = |i: usize| t.entities[ps[i].entity].kind == Kind::Artist && !ps[i].stand_in;
    let starts = x.i == 0 || !lists::joins(s, ps[x.i - 1].b, x.p.a);
    if !starts || !is_act(x.i) {
        return Vec::new();
    }
    let Some(song) = super::slots::owned_song(s, t, ps, x.lex, x.i) else {
        return Vec::new();
    };
    let mut acts = vec![x.i];
    while let Some(&last) = acts.last() {
        let next = last + 1;
        if next >= ps.len() || !lists::joins(s, ps[last].b, ps[next].a) || !is_act(next) {
            break;
        }
        acts.push(next);
    }
    let mut out = Vec::new();
    for (k, &a) in acts.iter().enumerate() {
        for &b in &acts[k + 1..] {
            out.push(Claim {
                kind: PK::MusicalCollaboration,
                parties: vec![ps[a].entity, ps[b].entity],
                via: Some(song),
                confidence: 0.65,
                cues: vec!["rule: acts owning one song".into()],
            });
        }
    }
    out
}

/// "Squid Game star Hoyeon", "'Eternals' director Chloe Zhao"
fn work_role_person(x: &Pair) -> Option<Claim> {
    if !is_work(x.t, x.p.entity) || !is_person(x.t, x.n.entity) {
        return None;
    }
    let role = role_between(x.s, x.p.b, x.n.a, x.lex)?;
    Some(claim(
        x.n.entity,
        x.p.entity,
        &format!("work, role '{role}', person"),
    ))
}

/// "Check out Park Hyung Sik in "Happiness"": a person in a work.
fn person_in_work(x: &Pair) -> Option<Claim> {
    let quoted = (x.p.b + 1..x.n.a).all(|k| is_quote(x.s, k));
    (x.person_then_work() && x.word_between("in", 2) && quoted)
        .then(|| claim(x.p.entity, x.n.entity, "a person 'in' a work"))
}

/// "co-writer Riko Sakaguchi of "The Tale of Princess Kaguya""
fn person_of_work(x: &Pair) -> Option<Claim> {
    (x.person_then_work() && x.word_between("of", 2))
        .then(|| claim(x.p.entity, x.n.entity, "a person 'of' a work"))
}

/// "Alfonso Cuarón's Disclaimer", "Bong Joon-ho's masterpiece 'Parasite'"
fn person_possessive_work(x: &Pair) -> Option<Claim> {
    let possessive = x.s.toks[x.p.b - 1].possessive;
    (x.person_then_work() && possessive && owned(x.s, x.p.b, x.n.a))
        .then(|| claim(x.p.entity, x.n.entity, "a person's work"))
}

/// "A and B released "S" for the drama W": a song for a work is its soundtrack, by the acts
/// named before the song.
fn song_for_work(x: &Pair) -> Vec<Claim> {
    let (s, t, p, n) = (x.s, x.t, x.p, x.n);
    let f = p.b + usize::from(is_quote(s, p.b));
    let for_work = t.entities[p.entity].kind == Kind::Song
        && is_work(t, n.entity)
        && s.is_word(f)
        && s.words.lower(f) == "for"
        && n.a > f
        && n.a <= f + 5
        && (f + 1..n.a).all(|k| s.is_word(k) || is_quote(s, k));
    if !for_work {
        return Vec::new();
    }
    // the nearest list of acts before the song, past names in parentheses ("Rosé (BLACKPINK)")
    let act = |y: &Party| {
        t.entities[y.entity].kind == Kind::Artist
            && !s.in_credit(y.a)
            && !(y.a > 0 && s.is_punct(y.a - 1, '(') && s.is_punct(y.b, ')'))
    };
    let Some(last) = (0..x.i).rev().find(|&j| act(&x.ps[j])) else {
        return Vec::new();
    };
    let mut first = last;
    while first > 0 && act(&x.ps[first - 1]) && lists::joins(s, x.ps[first - 1].b, x.ps[first].a) {
        first -= 1;
    }
    let mut acts: Vec<usize> = x.ps[first..=last].iter().map(|y| y.entity).collect();
    acts.dedup();
    acts.into_iter()
        .map(|a| Claim {
            kind: PK::Soundtrack,
            parties: vec![a, n.entity],
            via: Some(p.entity),
            confidence: 0.65,
            cues: vec!["rule: a song 'for' a work".into()],
        })
        .collect()
}

/// "Park Chan-wook (Oldboy, Stoker)": a person's works in parentheses.
fn works_in_parentheses(s: &Sentence, t: &Table, ps: &[Party], i: usize, out: &mut Vec<Claim>) {
    let p = &ps[i];
    if !is_person(t, p.entity) || !s.is_punct(p.b, '(') {
        return;
    }
    let close = (p.b..s.toks.len())
        .find(|&k| s.is_punct(k, ')'))
        .unwrap_or(s.toks.len());
    for w in ps[i + 1..].iter().take_while(|w| w.b <= close) {
        if is_work(t, w.entity) {
            out.push(claim(p.entity, w.entity, "a person's works in parentheses"));
        }
    }
}

/// "the Captain (Hoa Xuande)", "Kamala Khan (Iman Vellani)": a person in parentheses after a
/// character's name plays in the article's work.
fn character_actor(
    s: &Sentence,
    t: &Table,
    ps: &[Party],
    i: usize,
    focus: Option<usize>,
    out: &mut Vec<Claim>,
) {
    let p = &ps[i];
    let Some(work) = focus else { return };
    if !is_person(t, p.entity) || p.a < 2 || !s.is_punct(p.a - 1, '(') || !s.is_punct(p.b, ')') {
        return;
    }
    let before = p.a - 2;
    let named = ps.iter().any(|x| before >= x.a && before < x.b);
    if !named && super::spans::cap_word(s, before) {
        out.push(claim(
            p.entity,
            work,
            "an actor in parentheses after a character",
        ));
    }
}

/// A role noun between a work and a person: "star", "director", "executive producer"
/// (words that name a person after a work: `film_after` and `person_before` at once).
fn role_between(s: &Sentence, b: usize, a: usize, lex: &Lexicon) -> Option<String> {
    let mut k = b;
    while k < a && is_quote(s, k) {
        k += 1;
    }
    // "'Star Trek Beyond' (2016) writer Doug Jung"
    if s.is_punct(k, '(') && s.is_punct(k + 2, ')') && s.is_word(k + 1) {
        k += 3;
    }
    let words: Vec<usize> = (k..a).collect();
    if words.is_empty() || words.len() > 3 || !words.iter().all(|&j| s.is_word(j)) {
        return None;
    }
    let role = |j: usize| {
        let id = s.words.id(j);
        lex.kc.film_after.contains_word(id) && lex.kc.person_before.contains_word(id)
    };
    let last = *words.last()?;
    (role(last)
        && words
            .iter()
            .all(|&j| role(j) || s.words.lower(j) == "executive"))
    .then(|| s.slice(k, a).to_string())
}

/// Whether only a few plain words (adjectives, a year, a kind noun) stand between a
/// possessive name and the work it owns.
fn owned(s: &Sentence, b: usize, a: usize) -> bool {
    a >= b
        && a - b <= 5
        && (b..a).all(|k| {
            s.is_word(k) && !s.words.lower(k).ends_with("ly")
                || is_quote(s, k)
                || s.is_punct(k, '-')
                || matches!(s.toks[k].kind, TokKind::Newline)
        })
        && (b..a).filter(|&k| s.is_word(k)).count() <= 4
}
