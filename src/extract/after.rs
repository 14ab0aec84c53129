//! Kind votes from the words after a name: a role or kind noun ("X star", "X members"), a
//! verb it is the subject of, what it owns, an apposition, a parenthesis (a year, a group, an
//! actor), what it is used as.
use super::doc::Sentence;
use super::kinds::{Class, Vote, after_sets, cue_at, is_quote, lex_words, skip_aux, vote};
use super::lexicon::Lexicon;
use super::shape::{is_year_or_number, korean_name, person_shape};
use super::spans::{Origin, Span};

/// The words after a span, as the rules below read them.
struct After<'a> {
    s: &'a Sentence,
    sp: &'a Span,
    lex: &'a Lexicon,
    /// The token right after the name (after its closing quote mark).
    at: usize,
    /// The token after that, past a parenthesis and a comma ("Jimin (BTS) collaborated").
    past: usize,
}

/// The rules that read what follows a name, in order.
const RULES: &[fn(&After, &mut Vec<Vote>)] = &[
    group_in_parentheses,
    heading_before_colon,
    cue_or_owner,
    apposition_rule,
    member_of_group,
    used_as,
    made_for_a_work,
    year_in_parentheses,
    in_work_pronoun,
    played_by,
    actor_in_parentheses,
    voiced_by,
    song_by,
];

pub(super) fn votes(s: &Sentence, sp: &Span, lex: &Lexicon, out: &mut Vec<Vote>) {
    let mut at = sp.b;
    if sp.quoted() && is_quote(s, at) {
        at += 1;
    }
    let close = s
        .is_punct(at, '(')
        .then(|| (at + 1..(at + 30).min(s.toks.len())).find(|&k| s.is_punct(k, ')')))
        .flatten();
    let past = close.map_or(at, |c| c + 1 + usize::from(s.is_punct(c + 1, ',')));
    let cx = After {
        s,
        sp,
        lex,
        at,
        past,
    };
    for rule in RULES {
        rule(&cx, out);
    }
}

/// "Jimin (BTS)": a person, with their group in parentheses.
fn group_in_parentheses(c: &After, out: &mut Vec<Vote>) {
    let (s, at) = (c.s, c.at);
    if !c.sp.quoted()
        && s.is_punct(at, '(')
        && s.is_punct(at + 2, ')')
        && super::spans::cap_word(s, at + 1)
    {
        out.push(vote(Class::Person, 1.0, "a group in parentheses after it"));
    }
}

/// "Enhancing Emotional Depth: ...": a heading that opens its line.
fn heading_before_colon(c: &After, out: &mut Vec<Vote>) {
    let (s, sp) = (c.s, c.sp);
    let line_a = s.line(sp.a).a;
    if !sp.quoted()
        && (line_a..sp.a).all(|k| !s.is_word(k))
        && s.is_punct(sp.b, ':')
        && sp.words() >= 2
    {
        out.push(vote(Class::Not, 1.5, "a heading before a colon"));
    }
}

/// "X's album" (what owns it), "X star", "X members" (a cue noun after it), "X said" (the
/// subject of a verb).
fn cue_or_owner(c: &After, out: &mut Vec<Vote>) {
    let (s, sp, lex, b) = (c.s, c.sp, c.lex, c.past);
    if s.toks[sp.b - 1].possessive {
        owner(s, b, lex, out);
        return;
    }
    let ids = s.words.ids(b, (b + 4).min(s.toks.len()));
    for (i, (set, class, w, what)) in after_sets(lex).into_iter().enumerate() {
        // "the 'X' campaign" names a campaign; "an Overwatch 2 event" is the game's
        if i == 0 && !sp.quoted() {
            continue;
        }
        if let Some(n) = set.longest_prefix(ids) {
            out.push(vote(class, w, format!("{what} '{}'", s.slice(b, b + n))));
            break;
        }
    }
    // a quoted title is a work, whatever it is said to do ("“Sour Candy” features ...")
    let verbs = skip_aux(s, b, lex);
    if let Some(n) = lex
        .kc
        .artist_verbs
        .longest_prefix(verbs)
        .filter(|_| !sp.quoted())
    {
        out.push(vote(
            Class::Artist,
            1.0,
            format!("subject of '{}'", lex_words(lex, verbs, n)),
        ));
    }
}

fn apposition_rule(c: &After, out: &mut Vec<Vote>) {
    apposition(c.s, c.past, c.lex, out);
}

/// "Lisa of BLACKPINK", "Karina from Aespa": a member, and the group named right after.
fn member_of_group(c: &After, out: &mut Vec<Vote>) {
    let (s, sp, b) = (c.s, c.sp, c.past);
    if !sp.quoted()
        && sp.words() <= 2
        && s.is_word(b)
        && matches!(s.words.lower(b), "of" | "from")
        && super::spans::cap_word(s, b + 1)
        && !super::spans::cap_word(s, b + 2)
    {
        out.push(vote(
            Class::Person,
            1.0,
            format!("a member '{}' a group", s.tok(b)),
        ));
    }
}

/// ""Glow" for the film ...", "'Dizzy' for the new drama": a title made for a screen work is a
/// song (a work is not made for another).
fn made_for_a_work(c: &After, out: &mut Vec<Vote>) {
    let (s, b, lex) = (c.s, c.past, c.lex);
    if !c.sp.quoted() || !s.is_word(b) || s.words.lower(b) != "for" {
        return;
    }
    let work_noun = |k: usize| {
        s.is_word(k)
            && (lex.kc.film_before.contains_word(s.words.id(k))
                || lex.kc.show_before.contains_word(s.words.id(k)))
    };
    // past a determiner and an adjective or two ("for the new Netflix drama")
    if let Some(k) = (b + 1..(b + 5).min(s.toks.len())).find(|&k| work_noun(k)) {
        let cue = format!("made for a {}", s.words.lower(k));
        out.push(vote(Class::Song, 1.5, cue));
    }
}

/// "selecting ILLIT's 'Secret Quest' as the latest ending theme": what it is used as.
fn used_as(c: &After, out: &mut Vec<Vote>) {
    let (s, b) = (c.s, c.past);
    if !(s.is_word(b)
        && s.words.lower(b) == "as"
        && s.is_word(b + 1)
        && matches!(s.words.lower(b + 1), "the" | "a" | "an" | "its" | "their"))
    {
        return;
    }
    for j in b + 2..(b + 6).min(s.toks.len()) {
        if !s.is_word(j) {
            break;
        }
        let work =
            |cl: &(Class, f32, String)| matches!(cl.0, Class::Song | Class::Film | Class::Show);
        if let Some((class, w, cue)) = cue_at(s, j, c.lex).filter(work) {
            out.push(vote(class, w * 0.6, format!("used as {cue}")));
            break;
        }
    }
}

/// ""Train to Busan" (2016)": a screen work's year.
fn year_in_parentheses(c: &After, out: &mut Vec<Vote>) {
    let (s, b) = (c.s, c.at);
    if s.is_punct(b, '(')
        && s.is_word(b + 1)
        && s.tok(b + 1).len() == 4
        && is_year_or_number(s.tok(b + 1))
        && s.is_punct(b + 2, ')')
    {
        out.push(vote(Class::Film, 1.0, "a year in parentheses"));
    }
}

/// "In RED 2, he played ...": a screen work.
fn in_work_pronoun(c: &After, out: &mut Vec<Vote>) {
    let (s, sp, b) = (c.s, c.sp, c.past);
    let pronoun = s.is_punct(b, ',')
        && s.is_word(b + 1)
        && matches!(s.words.lower(b + 1), "he" | "she" | "they");
    if pronoun
        && sp.a >= 1
        && s.words.lower(sp.a - 1) == "in"
        && (0..sp.a - 1).all(|j| !s.is_word(j))
    {
        out.push(vote(Class::Film, 1.5, "'In X, he ...'"));
    }
}

/// "Tae-oh Yoon, a Korean student ..., played by Jong-hyeop Chae": a character.
fn played_by(c: &After, out: &mut Vec<Vote>) {
    let (s, b) = (c.s, c.past);
    if !s.is_punct(b, ',') {
        return;
    }
    let end = (b + 14).min(s.toks.len());
    let by = (b + 1..end).any(|j| {
        s.is_word(j)
            && matches!(s.words.lower(j), "played" | "voiced" | "portrayed")
            && s.is_word(j + 1)
            && s.words.lower(j + 1) == "by"
            && s.is_punct(j - 1, ',')
    });
    if by {
        out.push(vote(Class::Not, 2.5, "a character (, played by)"));
    }
}

/// "Cha Soo-hyun (Song Hye-kyo)": a character, then the actor who plays them.
fn actor_in_parentheses(c: &After, out: &mut Vec<Vote>) {
    let (s, sp, b) = (c.s, c.sp, c.at);
    if !s.is_punct(b, '(') || !person_shape(s, sp) {
        return;
    }
    let Some(close) = (b + 1..(b + 6).min(s.toks.len())).find(|&k| s.is_punct(k, ')')) else {
        return;
    };
    let inner = Span {
        sent: sp.sent,
        a: b + 1,
        b: close,
        text: s.slice(b + 1, close).to_string(),
        origin: Origin::Caps,
        known: None,
        initial: false,
    };
    if close > b + 2 && (person_shape(s, &inner) || korean_name(s, &inner, c.lex)) {
        out.push(vote(
            Class::Not,
            2.5,
            "a character (its actor in parentheses)",
        ));
    }
}

/// "Bailey (voiced by Josh Gad)": the name before is a character; a quoted title with a
/// credit in parentheses ("'Blue Hour' (feat. Jae Park)") is a song.
fn voiced_by(c: &After, out: &mut Vec<Vote>) {
    let (s, b) = (c.s, c.at);
    let credit = super::kinds::song_credit(s, b + 1);
    if s.is_punct(b, '(') && credit {
        out.push(vote(Class::Song, 2.0, "a song crediting its featured act"));
    } else if s.is_punct(b, '(') && !c.sp.quoted() {
        let inner = s.words.ids(b + 1, (b + 3).min(s.toks.len()));
        if c.lex.kc.artist_objects.longest_prefix(inner).is_some() {
            out.push(vote(Class::Not, 2.5, "a character (played or voiced by)"));
        }
    }
}

/// "X's NOUN": what owns a song is an artist, what has a cast is a film.
fn owner(s: &Sentence, b: usize, lex: &Lexicon, out: &mut Vec<Vote>) {
    let k = &lex.kc;
    for skip in 0..3 {
        let ids = s.words.ids(
            (b + skip).min(s.toks.len()),
            (b + skip + 3).min(s.toks.len()),
        );
        for (set, class, what) in [
            (&k.artist_owns, Class::Artist, "owns a"),
            (&k.film_owns, Class::Film, "has a"),
            (&k.label_owns, Class::Label, "has a"),
        ] {
            if let Some(n) = set.longest_prefix(ids) {
                let noun = lex_words(lex, ids, n);
                out.push(vote(class, 1.5, format!("{what} {noun}")));
                return;
            }
        }
        if b + skip >= s.toks.len() || !s.is_word(b + skip) {
            break;
        }
    }
    // "Lady Gaga's "Chromatica"": owns a title; "SEVENTEEN's FML": owns a name
    if is_quote(s, b) {
        out.push(vote(Class::Artist, 1.0, "owns a quoted title"));
    } else if super::spans::cap_word(s, b) {
        out.push(vote(Class::Artist, 0.8, "owns a name"));
    }
}

/// "X, a member of ...", "X, the singer ...", "X is a US label": the noun says what X is.
fn apposition(s: &Sentence, b: usize, lex: &Lexicon, out: &mut Vec<Vote>) {
    let mut k = b;
    let comma = s.is_punct(k, ',');
    let copula = s.is_word(k)
        && matches!(
            s.words.lower(k),
            "is" | "are" | "was" | "were" | "becomes" | "became"
        );
    if comma || copula {
        k += 1;
    } else if s.is_word(k)
        && s.words.lower(k) == "will"
        && s.is_word(k + 1)
        && s.words.lower(k + 1) == "serve"
        && s.is_word(k + 2)
        && s.words.lower(k + 2) == "as"
    {
        k += 3;
        return apposition_noun(s, k, lex, out);
    } else if s.is_word(k)
        && matches!(s.words.lower(k), "serves" | "served")
        && s.is_word(k + 1)
        && s.words.lower(k + 1) == "as"
    {
        return apposition_noun(s, k + 2, lex, out);
    } else {
        return;
    }
    // "PUBG Mobile, also a debut venture for the hit mobile game"
    if s.is_word(k) && s.words.lower(k) == "also" {
        k += 1;
    }
    if !(s.is_word(k)
        && matches!(
            s.words.lower(k),
            "a" | "an" | "the" | "its" | "their" | "his" | "her" | "one"
        ))
    {
        // "said Avery Lipman, chief operating officer": a title with no article
        if comma && let Some((Class::Not, w, cue)) = cue_at(s, k, lex) {
            out.push(vote(Class::Not, w, cue));
        }
        return;
    }
    apposition_noun(s, k + 1, lex, out);
}

/// The first cue noun within a few words from `k`: what an apposition says the name is.
fn apposition_noun(s: &Sentence, k: usize, lex: &Lexicon, out: &mut Vec<Vote>) {
    for j in k..(k + 5).min(s.toks.len()) {
        if !s.is_word(j) {
            break;
        }
        // "..., the actor has been cast": a new subject, not an apposition
        let clause = |n: usize| {
            s.is_word(j + n)
                && matches!(
                    s.words.lower(j + n),
                    "has" | "have" | "had" | "is" | "was" | "will" | "would" | "said" | "says"
                )
        };
        if let Some((class, w, cue)) = cue_at(s, j, lex).filter(|_| !clause(1) && !clause(2)) {
            // "Isoko Mochizuki, a journalist for ...": what is said of a name outweighs its shape
            let w = if class == Class::Not { w } else { w * 0.75 };
            if class != Class::Artist {
                out.push(vote(class, w, format!("apposition: {cue}")));
            }
            return;
        }
    }
}

/// ""Stay" by Zion.T", in a sentence about music: a song and who made it.
fn song_by(c: &After, out: &mut Vec<Vote>) {
    let (s, b) = (c.s, c.at);
    let by = s.is_word(b) && s.words.lower(b) == "by" && super::spans::cap_word(s, b + 1);
    if c.sp.quoted() && by && super::kinds::said_of_music(s, c.lex) {
        out.push(vote(
            Class::Song,
            1.0,
            "a title 'by' someone, said of music",
        ));
    }
}
