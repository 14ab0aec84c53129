//! Kind votes from a name's own words: a known organization, a company's suffix, an event's
//! head word, a person's or a Korean name's shape, a title's "The"; and what a credit line
//! says of the names in it.
use super::doc::Sentence;
use super::kinds::{Class, Vote, vote};
use super::lexicon::Lexicon;
use super::spans::{Origin, Span};

/// What the name's own words say.
pub(super) fn votes(s: &Sentence, sp: &Span, lex: &Lexicon, out: &mut Vec<Vote>) {
    let ids = s.words.ids(sp.a, sp.b);
    if sp.known.is_some() {
        out.push(vote(Class::Label, 3.0, "known organization"));
    } else if lex.media.contains(ids) {
        out.push(vote(Class::Label, 1.0, "news outlet"));
    }
    if lex.generic.contains(ids) || lex.places.contains(ids) || lex.nationalities.contains(ids) {
        out.push(vote(Class::Not, 6.0, "a place or a generic term"));
    }
    if quoted(s, sp, out) {
        return;
    }
    let (suffix, branch) = company(s, sp, lex, out);
    no_name(s, sp, lex, out);
    if !branch {
        name_shape(s, sp, lex, suffix, out);
    }
}

/// A quoted title, or the head of one: its words say nothing more.
fn quoted(s: &Sentence, sp: &Span, out: &mut Vec<Vote>) -> bool {
    if sp.origin == Origin::Head {
        out.push(vote(Class::Film, 2.0, "the head of a quoted title"));
        return true;
    }
    let Origin::Quoted { lower } = sp.origin else {
        return false;
    };
    let w = if lower { 0.3 } else { 1.0 };
    out.push(vote(Class::Title, w, "quoted title"));
    // "Ok Taecyeon of "Mas" and "2PM"": a one-word name a person is "of" is their group
    if sp.words() == 1 && super::before::of_a_name(s, sp.a, 2) {
        out.push(vote(Class::Group, 1.5, "what a name is 'of'"));
    }
    true
}

/// A company's words: a suffix ("Entertainment"), one inside, a branch's place; returns
/// whether the name ends in a suffix and whether it is a branch.
fn company(s: &Sentence, sp: &Span, lex: &Lexicon, out: &mut Vec<Vote>) -> (bool, bool) {
    let (last, words) = (sp.b - 1, sp.words());
    let suffix = words >= 2 && lex.kc.label_suffix.contains_word(s.words.id(last));
    if suffix {
        let cue = format!("ends in '{}'", s.tok(last));
        out.push(vote(Class::Label, 2.5, cue));
    } else if words >= 3
        && (sp.a + 1..last).any(|k| lex.kc.label_suffix.contains_word(s.words.id(k)))
    {
        // "Next Entertainment World", "Sony Music Entertainment Japan"
        out.push(vote(Class::Label, 1.5, "a company's word inside"));
    }
    // "Company SangSang": the kind noun as the name's first word, as written
    if words >= 2
        && lex.kc.label_prefix.contains_word(s.words.id(sp.a))
        && s.tok(sp.a).starts_with(char::is_uppercase)
    {
        let cue = format!("begins with '{}'", s.tok(sp.a));
        out.push(vote(Class::Label, 2.5, cue));
    }
    let branch = words >= 2 && lex.places.contains_word(s.words.id(last));
    if branch {
        let cue = format!("a branch named for '{}'", s.tok(last));
        out.push(vote(Class::Label, 1.2, cue));
    }
    (suffix, branch)
}

/// Words that make a name no entity of ours: an event's or a place's head, an executive's
/// title, an award, common nouns only.
fn no_name(s: &Sentence, sp: &Span, lex: &Lexicon, out: &mut Vec<Vote>) {
    let (last, words) = (sp.b - 1, sp.words());
    let last_id = s.words.id(last);
    if words >= 2
        && (lex.non_entity_heads.contains_word(last_id) || lex.kc.not_after.contains_word(last_id))
    {
        let cue = format!("an event or a place ('{}')", s.tok(last));
        out.push(vote(Class::Not, 3.0, cue));
    }
    if lex.executive_titles.contains_word(s.words.id(sp.a)) && words >= 2 {
        let cue = format!("an executive ('{}')", s.tok(sp.a));
        out.push(vote(Class::Not, 3.0, cue));
    }
    if lex.kc.award_openers.contains_word(s.words.id(sp.a)) && words >= 2 {
        out.push(vote(Class::Not, 3.0, "an award or a category"));
    }
    if (sp.a..sp.b)
        .filter(|&k| s.is_word(k))
        .all(|k| super::spans::is_cue_noun(s.words.id(k), lex) || lex.stopwords.contains(s.tok(k)))
    {
        out.push(vote(Class::Not, 2.0, "a common noun"));
    }
}

/// A title's "The" or number, a Korean name, a person's name.
fn name_shape(s: &Sentence, sp: &Span, lex: &Lexicon, suffix: bool, out: &mut Vec<Vote>) {
    let words = sp.words();
    if s.tok(sp.a) == "The" && words >= 2 {
        out.push(vote(Class::Title, 0.6, "starts with 'The'"));
    } else if korean_name(s, sp, lex) {
        out.push(vote(Class::Person, 1.5, "a Korean name"));
    } else if person_shape(s, sp) && !suffix {
        out.push(vote(Class::Person, 0.8, "a person's name"));
    }
    if words >= 2 && (sp.a..sp.b).any(|k| is_year_or_number(s.tok(k))) {
        out.push(vote(Class::Title, 0.4, "a numbered title"));
    }
}

pub(super) fn is_year_or_number(w: &str) -> bool {
    w.chars().all(|c| c.is_ascii_digit())
}

/// Two to four capitalized words, each a plain name word: "Brie Larson", "J.K. Rowling".
pub(super) fn person_shape(s: &Sentence, sp: &Span) -> bool {
    let n = sp.b - sp.a;
    if !(2..=5).contains(&n) {
        return false;
    }
    let mut words = 0;
    let shout = |w: &str| {
        w.chars().filter(|c| c.is_alphabetic()).count() > 2 && !w.chars().any(char::is_lowercase)
    };
    // "Roy LEE": a family name in capitals beside a given name that is not
    let mixed = (sp.a..sp.b).any(|k| s.is_word(k) && !shout(s.tok(k)));
    for k in sp.a..sp.b {
        if s.is_punct(k, '.') {
            continue;
        }
        let w = s.tok(k);
        let ok = s.is_word(k)
            && (mixed || !shout(w))
            && w.chars().next().is_some_and(char::is_uppercase)
            && w.chars()
                .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’' | '.'));
        if !ok {
            return false;
        }
        words += 1;
    }
    (2..=4).contains(&words)
}

/// A romanized Korean name: a family name and a given name ("Park Seo-joon", "Han Hyo Ju",
/// "Byung-hun Lee").
pub(super) fn korean_name(s: &Sentence, sp: &Span, lex: &Lexicon) -> bool {
    let words: Vec<&str> = (sp.a..sp.b)
        .filter(|&k| s.is_word(k))
        .map(|k| s.tok(k))
        .collect();
    let surname = |w: &str| {
        let mut c = w.chars();
        let cap: String = c
            .next()
            .into_iter()
            .chain(c.flat_map(char::to_lowercase))
            .collect();
        lex.korean_surnames.contains(&cap)
    };
    let given = |w: &str| super::names::is_romanized_korean(&w.to_lowercase().replace('-', ""));
    match words.as_slice() {
        [f, g] => {
            (surname(f) && given(g) && g.contains('-'))
                || (given(f) && f.contains('-') && surname(g))
        }
        [f, g, h] => surname(f) && given(g) && given(h),
        _ => false,
    }
}

/// Inside a byline or a photo credit: people and agencies are not the story, the studios
/// and brands credited are.
pub(super) fn credit(s: &Sentence, sp: &Span, lex: &Lexicon, out: &mut Vec<Vote>) {
    let ids = s.words.ids(sp.a, sp.b);
    if lex.media.contains(ids) {
        out.push(vote(Class::Not, 6.0, "an agency credit"));
    } else if person_shape(s, sp) || korean_name(s, sp, lex) {
        out.push(vote(Class::Not, 2.0, "a byline or photo credit"));
    } else if matches!(sp.origin, Origin::Caps)
        && (sp.words() >= 2
            || sp
                .text
                .chars()
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase))
    {
        out.push(vote(Class::Label, 0.8, "credited for a photo"));
    }
}
