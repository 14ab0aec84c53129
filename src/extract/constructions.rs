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
        // "True Detective's Nic Pizzolatto"
        if is_work(t, p.entity)
            && s.toks[p.b - 1].possessive
            && is_person(t, n.entity)
            && n.a == p.b
        {
            out.push(claim(n.entity, p.entity, "a work's person"));
        }
        // "the song "Hangover" with Snoop Dog": the clause's act with the named one
        if t.entities[p.entity].kind == Kind::Song && s.is_word(p.b + usize::from(is_quote(s, p.b)))
        {
            let w = p.b + usize::from(is_quote(s, p.b));
            if s.words.lower(w) == "with"
                && n.a <= w + 2
                && t.entities[n.entity].kind == Kind::Artist
            {
                let subject = ps[..i]
                    .iter()
                    .find(|x| !x.stand_in && t.entities[x.entity].kind == Kind::Artist);
                if let Some(subj) = subject.filter(|x| x.entity != n.entity) {
                    out.push(Claim {
                        kind: PK::MusicalCollaboration,
                        parties: vec![subj.entity, n.entity],
                        via: Some(p.entity),
                        confidence: 0.65,
                        cues: vec!["rule: a song 'with' an act".into()],
                    });
                }
            }
        }
        if is_work(t, p.entity) && is_person(t, n.entity) {
            if let Some(role) = role_between(s, p.b, n.a, lex) {
                out.push(claim(
                    n.entity,
                    p.entity,
                    &format!("work, role '{role}', person"),
                ));
            }
        }
        // "Check out Park Hyung Sik in "Happiness"": a person in a work
        if is_person(t, p.entity)
            && is_work(t, n.entity)
            && !n.stand_in
            && s.is_word(p.b)
            && s.words.lower(p.b) == "in"
            && n.a <= p.b + 2
            && (p.b + 1..n.a).all(|k| is_quote(s, k))
        {
            out.push(claim(p.entity, n.entity, "a person 'in' a work"));
        }
        // "co-writer Riko Sakaguchi of "The Tale of Princess Kaguya""
        if is_person(t, p.entity)
            && is_work(t, n.entity)
            && !n.stand_in
            && s.is_word(p.b)
            && s.words.lower(p.b) == "of"
            && n.a <= p.b + 2
        {
            out.push(claim(p.entity, n.entity, "a person 'of' a work"));
        }
        if is_person(t, p.entity)
            && s.toks[p.b - 1].possessive
            && is_work(t, n.entity)
            && !n.stand_in
            && owned(s, p.b, n.a)
        {
            out.push(claim(p.entity, n.entity, "a person's work"));
        }
        if is_person(t, p.entity) && s.is_punct(p.b, '(') {
            let close = (p.b..s.toks.len())
                .find(|&k| s.is_punct(k, ')'))
                .unwrap_or(s.toks.len());
            for w in ps[i + 1..].iter().take_while(|w| w.b <= close) {
                if is_work(t, w.entity) {
                    out.push(claim(p.entity, w.entity, "a person's works in parentheses"));
                }
            }
        }
    }
    out
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
