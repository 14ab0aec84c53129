//! Kind votes from the words before a name: a cue noun ("girl group X", "the film X"), a
//! verb's object, an owner, a character's verb, a broadcaster, a list's introduction.
use super::doc::Sentence;
use super::kinds::{Class, Vote, before_ids, cue_before, is_quote, lex_words, vote, word_of};
use super::lexicon::Lexicon;
use super::shape::{korean_name, person_shape};
use super::spans::{Origin, Span};

type Rule = fn(&Sentence, &Span, &Lexicon, &mut Vec<Vote>);

/// Rules that read the words before any name.
const ALWAYS: &[Rule] = &[parenthesis, group_of_member, owned_by_person, in_a_work];
/// Rules for a name with no cue noun right before it.
const UNCUED: &[Rule] = &[
    object_past_adjectives,
    character,
    broadcaster,
    introduced,
    cue_past_owner,
    titled,
    sung,
    by_after_title,
];

pub(super) fn votes(s: &Sentence, sp: &Span, lex: &Lexicon, out: &mut Vec<Vote>) {
    for rule in ALWAYS {
        rule(s, sp, lex, out);
    }
    if let Some((class, w, cue)) = cue_before(s, sp.a, lex) {
        // "K-pop stars Stray Kids": a plural noun before one name names a group
        let listed = (s.is_punct(sp.b, ',') || s.is_word(sp.b) && s.words.lower(sp.b) == "and")
            && (sp.b + 1..(sp.b + 3).min(s.toks.len())).any(|k| super::spans::cap_word(s, k));
        // "The drama stars Lee Min-ho": after a work noun or a title, the word is a verb
        let cue_at =
            sp.a.saturating_sub(1 + usize::from(sp.a > 0 && super::kinds::is_quote(s, sp.a - 1)));
        let kc = &lex.kc;
        let verb = cue_at > 0
            && (super::kinds::is_quote(s, cue_at - 1)
                || [&kc.film_before, &kc.show_before]
                    .iter()
                    .any(|set| s.word_in(cue_at - 1, set)));
        let plural = class == Class::Person
            && cue.ends_with("s'")
            && !cue.ends_with("ss'")
            && !listed
            && !verb;
        let class = if plural { Class::Group } else { class };
        out.push(vote(class, w, cue));
        return;
    }
    for rule in UNCUED {
        rule(s, sp, lex, out);
    }
}

/// The token before the name, past its opening quote mark.
fn opening(s: &Sentence, sp: &Span) -> usize {
    if sp.a > 0 && is_quote(s, sp.a - 1) {
        sp.a - 1
    } else {
        sp.a
    }
}

/// Where the capitalized owner ends before `e` starts ("HBO's "X"": HBO).
fn owner_start(s: &Sentence, e: usize) -> Option<usize> {
    if e == 0 || !s.toks[e - 1].possessive {
        return None;
    }
    let mut o = e - 1;
    while o > 0 && s.is_word(o - 1) && super::spans::cap_word(s, o - 1) {
        o -= 1;
    }
    Some(o)
}

/// "Check out Park Hyung Sik in "Happiness"": what a person is in is a screen work.
fn in_a_work(s: &Sentence, sp: &Span, _lex: &Lexicon, out: &mut Vec<Vote>) {
    let e = opening(s, sp);
    if sp.quoted()
        && e >= 2
        && s.is_word(e - 1)
        && s.words.lower(e - 1) == "in"
        && super::spans::cap_word(s, e - 2)
    {
        out.push(vote(Class::Film, 1.0, "what a name is 'in'"));
    }
}

/// "tvN 'Boy friend'", "HBO's "The White Lotus"": what a broadcaster airs.
/// Not a name that a screen noun and a title follow: "Netflix's Michelle Obama documentary
/// Becoming" airs "Becoming", about her.
fn broadcaster(s: &Sentence, sp: &Span, lex: &Lexicon, out: &mut Vec<Vote>) {
    let b = sp.b + usize::from(super::kinds::is_quote(s, sp.b));
    let modifies_a_title = s.is_word(b)
        && (lex.kc.film_before.contains_word(s.words.id(b))
            || lex.kc.show_before.contains_word(s.words.id(b)))
        && (super::kinds::is_quote(s, b + 1) || super::spans::cap_word(s, b + 1));
    if e_screen(s, sp, lex) && !modifies_a_title {
        out.push(vote(Class::Film, 1.5, "aired by a broadcaster"));
    }
}

/// "albums, including SEVENTEEN's FML": the cue before "including" is FML's, past its owner.
fn introduced(s: &Sentence, sp: &Span, lex: &Lexicon, out: &mut Vec<Vote>) {
    if s.toks[sp.b - 1].possessive {
        return;
    }
    let e = opening(s, sp);
    let a = owner_start(s, e).unwrap_or(e);
    if let Some(v) = super::lists::intro_cue(s, a, lex) {
        out.push(v);
    }
}

/// "appearance in HBO's "The White Lotus"": the cue before the owner.
fn cue_past_owner(s: &Sentence, sp: &Span, lex: &Lexicon, out: &mut Vec<Vote>) {
    let Some(o) = owner_start(s, opening(s, sp)) else {
        return;
    };
    let work = |c: &(Class, f32, String)| matches!(c.0, Class::Film | Class::Show | Class::Song);
    if let Some((class, w, cue)) = cue_before(s, o, lex).filter(work) {
        out.push(vote(class, w * 0.8, format!("{cue} (past its owner)")));
    }
}

/// "the sequel titled 'X'", "a song by Dua Lipa called 'X'": the noun before the verb.
fn titled(s: &Sentence, sp: &Span, lex: &Lexicon, out: &mut Vec<Vote>) {
    let (ids, _) = before_ids(s, sp.a);
    let Some(&last) = ids.last() else { return };
    if !matches!(
        word_of(lex, last),
        "titled" | "called" | "named" | "dubbed" | "entitled"
    ) {
        return;
    }
    let j = (0..sp.a)
        .rev()
        .find(|&k| s.is_word(k) && s.words.id(k) == last);
    if let Some((class, w, cue)) = j.and_then(|j| noun_back(s, j, lex)) {
        out.push(vote(class, w, cue));
    }
}

/// ""Stay" by Zion.T": the name after a quoted title's "by" made it.
fn by_after_title(s: &Sentence, sp: &Span, _lex: &Lexicon, out: &mut Vec<Vote>) {
    let by =
        sp.a.checked_sub(1)
            .filter(|&k| s.is_word(k) && s.words.lower(k) == "by");
    if by.is_some_and(|k| k > 0 && is_quote(s, k - 1)) {
        out.push(vote(Class::Artist, 1.2, "'by' after a quoted title"));
    }
}

/// "performed "Chk Chk Boom"", "covered 'Yesterday'": what is sung right after a music verb;
/// what is released right after "released" is a work.
fn sung(s: &Sentence, sp: &Span, lex: &Lexicon, out: &mut Vec<Vote>) {
    if !sp.quoted() || sp.a < 2 {
        return;
    }
    let verb = sp.a - 1 - usize::from(is_quote(s, sp.a - 1));
    if s.word_in(verb, &lex.kc.music_verbs) {
        out.push(vote(
            Class::Song,
            1.2,
            format!("sung after '{}'", s.tok(verb)),
        ));
    } else if s.word_in(verb, &lex.kc.song_object) {
        // "released 'moonlit (Remix)'": a work, of the kind the article is about
        let cue = format!("object of '{}'", s.tok(verb));
        out.push(vote(Class::Title, 0.8, cue));
    }
}

/// "models for the top-selling Chamisul", "appear on the popular X": a verb's object past an
/// article and an adjective or two.
fn object_past_adjectives(s: &Sentence, sp: &Span, lex: &Lexicon, out: &mut Vec<Vote>) {
    if let Some(v) = object_vote(s, sp.a, lex) {
        out.push(v);
    }
}

fn object_vote(s: &Sentence, a: usize, lex: &Lexicon) -> Option<Vote> {
    let mut k = a;
    let mut skipped = 0;
    while k > 0
        && skipped < 3
        && s.is_word(k - 1)
        && !super::spans::cap_word(s, k - 1)
        && !super::spans::is_cue_noun(s.words.id(k - 1), lex)
        && !matches!(s.words.lower(k - 1), "the" | "a" | "an")
    {
        k -= 1;
        skipped += 1;
    }
    if k > 0
        && s.is_word(k - 1)
        && matches!(
            s.words.lower(k - 1),
            "the" | "a" | "an" | "its" | "their" | "his" | "her"
        )
    {
        k -= 1;
        skipped += 1;
    }
    if skipped == 0 {
        return None;
    }
    let ids = s.words.ids(k.saturating_sub(4), k);
    let k_ = &lex.kc;
    [
        (&k_.show_object, Class::Show),
        (&k_.film_object, Class::Film),
        (&k_.label_object, Class::Label),
        (&k_.song_object, Class::Song),
    ]
    .into_iter()
    .find_map(|(set, class)| {
        set.longest_suffix(ids).map(|n| {
            vote(
                class,
                0.9,
                format!("object of '{}'", lex_words(lex, &ids[ids.len() - n..], n)),
            )
        })
    })
}

/// "PARK Hoon-jung's New World", "Bong's 2013 thriller Snowpiercer": what a person owns is
/// their work.
fn owned_by_person(s: &Sentence, sp: &Span, lex: &Lexicon, out: &mut Vec<Vote>) {
    let mut k = sp.a;
    let mut gap = 0;
    while k > 0 && gap < 4 && !s.toks[k - 1].possessive {
        let t = k - 1;
        let plain = (s.is_word(t) && !super::spans::cap_word(s, t))
            || is_quote(s, t)
            || matches!(s.toks[t].kind, super::tokens::TokKind::Newline);
        if !plain {
            return;
        }
        k -= 1;
        gap += 1;
    }
    if k == 0 || !s.toks[k - 1].possessive {
        return;
    }
    // the owner: the capitalized words ending at k - 1
    let mut a = k - 1;
    while a > 0 && s.is_word(a - 1) && super::spans::cap_word(s, a - 1) {
        a -= 1;
    }
    let owner = Span {
        sent: sp.sent,
        a,
        b: k,
        text: s.slice(a, k).to_string(),
        origin: Origin::Caps,
        known: None,
        initial: false,
    };
    // in a sentence about music ("The OST lineup features Taeyeon's "Blue""), an act's song;
    // not a company's title, nor one whose soundtrack is meant ("Netflix's "X" soundtrack")
    let after = sp.b + usize::from(is_quote(s, sp.b));
    let companys = lex.known_label(&owner.text).is_some() || s.word_in(k - 1, &lex.kc.label_suffix);
    let its_music = s.word_in(after, &lex.kc.song_before);
    if sp.quoted() && !companys && !its_music && super::kinds::said_of_music(s, lex) {
        out.push(vote(Class::Song, 1.0, "owned by an act, said of music"));
    } else if korean_name(s, &owner, lex) || person_shape(s, &owner) {
        out.push(vote(Class::Title, 1.0, "owned by a person"));
    }
}

/// A character: "played the determined ninja X", "As X, a Chinese assassin", "X, ..., played
/// by Y".
fn character(s: &Sentence, sp: &Span, lex: &Lexicon, out: &mut Vec<Vote>) {
    const PLAY: &[&str] = &[
        "play",
        "plays",
        "played",
        "playing",
        "voices",
        "voiced",
        "portrays",
        "portrayed",
        "portray",
    ];
    let mut k = sp.a;
    let mut steps = 0;
    while k > 0 && steps < 4 && s.is_word(k - 1) && !super::spans::cap_word(s, k - 1) {
        k -= 1;
        steps += 1;
        if PLAY.contains(&s.words.lower(k)) && steps > 1 {
            out.push(vote(
                Class::Not,
                2.5,
                format!("a character ('{}')", s.tok(k)),
            ));
            return;
        }
    }
    let first = (0..sp.a).all(|j| !s.is_word(j));
    if sp.a >= 1 && first && s.words.lower(sp.a - 1) == "as" && s.is_punct(sp.b, ',') {
        out.push(vote(Class::Not, 2.5, "a character ('As X,')"));
    }
    let _ = lex;
}

/// The nearest cue noun within a few words before token `j` (for "X titled 'Y'").
fn noun_back(s: &Sentence, j: usize, lex: &Lexicon) -> Option<(Class, f32, String)> {
    (j.saturating_sub(6)..j)
        .rev()
        .filter(|&k| s.is_word(k))
        .find_map(|k| {
            cue_before(s, k + 1, lex)
                .filter(|c| !matches!(c.0, Class::Artist | Class::Person | Class::Group))
        })
}

/// Whether a broadcaster or streaming service of the lexicon names the span's work just
/// before it ("tvN 'Boy friend'", "HBO's 'The White Lotus'").
fn e_screen(s: &Sentence, sp: &Span, lex: &Lexicon) -> bool {
    let mut e = sp.a;
    if e > 0 && is_quote(s, e - 1) {
        e -= 1;
    }
    if e == 0 || !s.is_word(e - 1) {
        return false;
    }
    let mut o = e - 1;
    while o > 0 && s.is_word(o - 1) && super::spans::cap_word(s, o - 1) && e - o < 4 {
        o -= 1;
    }
    (o..e).any(|a| {
        lex.known_label(s.slice(a, e))
            .is_some_and(|l| lex.labels[l].screen)
    })
}

/// "Rosé (Blackpink)", "Jimin (BTS)": one name in parentheses after a person's name is their
/// group.
fn parenthesis(s: &Sentence, sp: &Span, _lex: &Lexicon, out: &mut Vec<Vote>) {
    let a = sp.a;
    if a < 2 || !s.is_punct(a - 1, '(') || !s.is_punct(sp.b, ')') || sp.quoted() || sp.words() != 1
    {
        return;
    }
    if s.is_word(a - 2) && super::spans::cap_word(s, a - 2) && !s.in_credit(a) {
        out.push(vote(Class::Group, 1.2, "in parentheses after a name"));
    }
}

/// Whether the quoted name opening at token `a` follows "NAME of", directly or as the next
/// item of a list that does ("X of "A" and "B"").
pub(super) fn of_a_name(s: &Sentence, a: usize, hops: usize) -> bool {
    let mut k = a;
    while k > 0 && is_quote(s, k - 1) {
        k -= 1;
    }
    if k == 0 || !s.is_word(k - 1) {
        return false;
    }
    match s.words.lower(k - 1) {
        "of" => k >= 2 && super::spans::cap_word(s, k - 2),
        "and" if hops > 0 => {
            // past the list item before: a quoted name
            let mut j = k - 1;
            if j > 0 && s.is_punct(j - 1, ',') {
                j -= 1;
            }
            if j == 0 || !is_quote(s, j - 1) {
                return false;
            }
            let open = (j.saturating_sub(6)..j - 1).rev().find(|&q| is_quote(s, q));
            open.is_some_and(|q| of_a_name(s, q + 1, hops - 1))
        }
        _ => false,
    }
}

/// "Lisa of BLACKPINK", "Karina from Aespa": the group a member is "of"; "a member of VELVA",
/// "the leader of X": the group a membership word is "of".
fn group_of_member(s: &Sentence, sp: &Span, lex: &Lexicon, out: &mut Vec<Vote>) {
    let of = sp.a >= 2 && s.is_word(sp.a - 1) && s.words.lower(sp.a - 1) == "of";
    if of && !sp.quoted() && s.word_in(sp.a - 2, &lex.rc.membership) {
        let cue = format!("the group of a '{}'", s.tok(sp.a - 2));
        out.push(vote(Class::Group, 1.5, cue));
        return;
    }
    if sp.words() == 1
        && sp.a >= 2
        && s.is_word(sp.a - 1)
        && matches!(s.words.lower(sp.a - 1), "of" | "from")
        && super::spans::cap_word(s, sp.a - 2)
        && !sp.quoted()
        && !super::spans::cap_word(s, sp.b)
    {
        out.push(vote(
            Class::Group,
            1.0,
            format!("the group a name is '{}'", s.tok(sp.a - 1)),
        ));
    }
}
