//! Pass 2, evidence of kind: what the words around a candidate name say it is. Each piece of
//! evidence is a vote for a class with a weight and the cue that made it, so `kwiki explain`
//! can say why. Votes are summed per name over the article in `entities`.
use super::doc::Sentence;
use super::lexicon::{Lexicon, PhraseSet};
use super::spans::{Origin, Span};

/// What a name may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Class {
    Person,
    Group,
    /// A person or a group.
    Artist,
    Film,
    Show,
    Song,
    /// A screen work or a song: the article's subject decides.
    Title,
    Label,
    /// Not an entity: a character, an executive, a byline, an event, a place.
    Not,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Vote {
    pub class: Class,
    pub weight: f32,
    pub cue: String,
}

fn vote(class: Class, weight: f32, cue: impl Into<String>) -> Vote {
    Vote {
        class,
        weight,
        cue: cue.into(),
    }
}

/// The votes for one span, from its shape and from the words beside it.
pub fn votes(s: &Sentence, sp: &Span, lex: &Lexicon) -> Vec<Vote> {
    let mut out = Vec::new();
    shape(s, sp, lex, &mut out);
    before(s, sp, lex, &mut out);
    after(s, sp, lex, &mut out);
    if s.in_credit(sp.a) {
        credit(s, sp, lex, &mut out);
    }
    out
}

/// What the name's own words say.
fn shape(s: &Sentence, sp: &Span, lex: &Lexicon, out: &mut Vec<Vote>) {
    let ids = s.words.ids(sp.a, sp.b);
    if sp.known.is_some() {
        out.push(vote(Class::Label, 3.0, "known organization"));
    } else if lex.media.contains(ids) {
        out.push(vote(Class::Label, 1.0, "news outlet"));
    }
    if lex.generic.contains(ids) || lex.places.contains(ids) || lex.nationalities.contains(ids) {
        out.push(vote(Class::Not, 6.0, "a place or a generic term"));
    }
    let last = sp.b - 1;
    let words = sp.words();
    if sp.origin == Origin::Head {
        out.push(vote(Class::Film, 2.0, "the head of a quoted title"));
        return;
    }
    if let Origin::Quoted { lower } = sp.origin {
        let w = if lower { 0.3 } else { 1.0 };
        out.push(vote(Class::Title, w, "quoted title"));
        // "Ok Taecyeon of "Mas" and "2PM"": a one-word name a person is "of" is their group
        if words == 1 && of_a_name(s, sp.a, 2) {
            out.push(vote(Class::Group, 1.5, "what a name is 'of'"));
        }
        return;
    }
    let suffix = words >= 2 && lex.kc.label_suffix.contains_word(s.words.id(last));
    if suffix {
        out.push(vote(Class::Label, 2.5, format!("ends in '{}'", s.tok(last))));
    } else if words >= 3 && (sp.a + 1..last).any(|k| lex.kc.label_suffix.contains_word(s.words.id(k))) {
        // "Next Entertainment World", "Sony Music Entertainment Japan"
        out.push(vote(Class::Label, 1.5, "a company's word inside"));
    }
    let branch = words >= 2 && lex.places.contains_word(s.words.id(last));
    if branch {
        out.push(vote(Class::Label, 1.2, format!("a branch named for '{}'", s.tok(last))));
    }
    if words >= 2
        && (lex.non_entity_heads.contains_word(s.words.id(last))
            || lex.kc.not_after.contains_word(s.words.id(last)))
    {
        out.push(vote(Class::Not, 3.0, format!("an event or a place ('{}')", s.tok(last))));
    }
    if lex.executive_titles.contains_word(s.words.id(sp.a)) && words >= 2 {
        out.push(vote(Class::Not, 3.0, format!("an executive ('{}')", s.tok(sp.a))));
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
    if branch {
        return;
    }
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

fn is_year_or_number(w: &str) -> bool {
    w.chars().all(|c| c.is_ascii_digit())
}

/// Two to four capitalized words, each a plain name word: "Brie Larson", "J.K. Rowling".
fn person_shape(s: &Sentence, sp: &Span) -> bool {
    let n = sp.b - sp.a;
    if !(2..=5).contains(&n) {
        return false;
    }
    let mut words = 0;
    let shout = |w: &str| w.chars().filter(|c| c.is_alphabetic()).count() > 2 && !w.chars().any(char::is_lowercase);
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
            && w.chars().all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’' | '.'));
        if !ok {
            return false;
        }
        words += 1;
    }
    (2..=4).contains(&words)
}

/// A romanized Korean name: a family name and a given name ("Park Seo-joon", "Han Hyo Ju",
/// "Byung-hun Lee").
fn korean_name(s: &Sentence, sp: &Span, lex: &Lexicon) -> bool {
    let words: Vec<&str> = (sp.a..sp.b).filter(|&k| s.is_word(k)).map(|k| s.tok(k)).collect();
    let surname = |w: &str| {
        let mut c = w.chars();
        let cap: String = c.next().into_iter().chain(c.flat_map(char::to_lowercase)).collect();
        lex.korean_surnames.contains(&cap)
    };
    let given = |w: &str| super::names::is_romanized_korean(&w.to_lowercase().replace('-', ""));
    match words.as_slice() {
        [f, g] => (surname(f) && given(g) && g.contains('-')) || (given(f) && f.contains('-') && surname(g)),
        [f, g, h] => surname(f) && given(g) && given(h),
        _ => false,
    }
}

/// The tokens before the span, skipping one quote mark; and whether a comma was skipped
/// ("rapper, Nicki Minaj").
fn before_ids(s: &Sentence, a: usize) -> (&[super::lexicon::WordId], bool) {
    let mut e = a;
    let mut comma = false;
    if e > 0 && matches!(s.toks[e - 1].kind, super::tokens::TokKind::Newline) {
        e -= 1;
    }
    if e > 0 && is_quote(s, e - 1) {
        e -= 1;
    } else if e > 0 && [',', ':', '–', '—', '-'].iter().any(|&c| s.is_punct(e - 1, c)) {
        e -= 1;
        comma = true;
    }
    (s.words.ids(e.saturating_sub(5), e), comma)
}

const PREPOSITIONS: &[&str] = &[
    "in", "on", "at", "for", "with", "from", "after", "during", "by", "of", "to", "into", "like",
];

pub fn is_quote(s: &Sentence, k: usize) -> bool {
    matches!(
        s.toks.get(k).map(|t| t.kind),
        Some(super::tokens::TokKind::Punct(
            '"' | '“' | '”' | '‘' | '’' | '\'' | '«' | '»' | '「' | '」' | '″'
        ))
    )
}

/// Cue sets that name what follows them, with the class and weight each gives.
fn before_sets(lex: &Lexicon) -> [(&PhraseSet, Class, f32, &'static str); 11] {
    let k = &lex.kc;
    [
        (&k.not_before, Class::Not, 2.5, "not a name after"),
        (&k.show_before, Class::Show, 2.2, "show cue"),
        (&k.group_before, Class::Group, 2.0, "group cue"),
        (&k.person_before, Class::Person, 2.0, "person cue"),
        (&k.film_before, Class::Film, 2.0, "screen cue"),
        (&k.song_before, Class::Song, 2.0, "song cue"),
        (&k.label_before, Class::Label, 2.0, "organization cue"),
        (&k.artist_objects, Class::Artist, 1.5, "credit cue"),
        (&k.show_object, Class::Show, 1.2, "show verb"),
        (&k.film_object, Class::Film, 1.2, "screen verb"),
        (&k.label_object, Class::Label, 1.0, "organization verb"),
    ]
}

/// The cue that ends right before tokens `a..`: its class, weight and description.
pub fn cue_before(s: &Sentence, a: usize, lex: &Lexicon) -> Option<(Class, f32, String)> {
    let (ids, comma) = before_ids(s, a);
    let mut best: Option<(usize, Class, f32, &str)> = None;
    // what a name owns takes the verb's object cue, not the owner ("star in Cuarón's X")
    let owner = s.toks.get(a).is_some_and(|_| owner_at(s, a));
    for (i, (set, class, w, what)) in before_sets(lex).into_iter().enumerate() {
        if (owner && i >= 7) || (comma && !matches!(class, Class::Person | Class::Group | Class::Artist | Class::Label)) {
            continue;
        }
        if let Some(n) = set.longest_suffix(ids) {
            if best.is_none_or(|b| n > b.0) {
                best = Some((n, class, w, what));
            }
        }
    }
    let (n, class, w, what) = best?;
    // "In the thriller, Blanchett": a phrase after a preposition names nothing after a comma
    let start = a - usize::from(comma) - n;
    // "the drama's "music" concept": a cue that owns what follows is not its name
    let end = a - usize::from(comma) - usize::from(!comma && a > 0 && is_quote(s, a - 1));
    if end > 0 && s.toks[end - 1].possessive {
        return None;
    }
    if comma
        && (start == 0 || (s.is_word(start - 1) && PREPOSITIONS.contains(&s.words.lower(start - 1))))
        && start < a
    {
        let lead = (start.saturating_sub(2)..start).any(|k| s.is_word(k) && PREPOSITIONS.contains(&s.words.lower(k)));
        if lead {
            return None;
        }
    }
    let phrase = &ids[ids.len() - n..];
    let text: Vec<&str> = phrase.iter().map(|&id| word_of(lex, id)).collect();
    Some((class, w, format!("{what} '{}'", text.join(" "))))
}

/// Whether the name starting at token `a` ends in a possessive (it owns what follows).
fn owner_at(s: &Sentence, a: usize) -> bool {
    (a..s.toks.len())
        .take_while(|&k| s.is_word(k) || s.is_punct(k, '.'))
        .take(6)
        .any(|k| s.toks[k].possessive)
}

/// The word of a lexicon id (for messages).
fn word_of(lex: &Lexicon, id: super::lexicon::WordId) -> &str {
    lex.vocab.word(id).unwrap_or("?")
}

fn before(s: &Sentence, sp: &Span, lex: &Lexicon, out: &mut Vec<Vote>) {
    owned_by_person(s, sp, lex, out);
    // "Check out Park Hyung Sik in "Happiness"": what a person is in is a screen work
    let mut e = sp.a;
    if e > 0 && is_quote(s, e - 1) {
        e -= 1;
    }
    if e >= 2 && s.is_word(e - 1) && s.words.lower(e - 1) == "in" && super::spans::cap_word(s, e - 2) && sp.quoted() {
        out.push(vote(Class::Film, 1.0, "what a name is 'in'"));
    }
    if let Some((class, w, cue)) = cue_before(s, sp.a, lex) {
        // "K-pop stars Stray Kids": a plural noun before one name names a group
        let listed = (s.is_punct(sp.b, ',') || s.is_word(sp.b) && s.words.lower(sp.b) == "and")
            && (sp.b + 1..(sp.b + 3).min(s.toks.len())).any(|k| super::spans::cap_word(s, k));
        let plural = class == Class::Person && cue.ends_with("s'") && !listed;
        let class = if plural { Class::Group } else { class };
        out.push(vote(class, w, cue));
        return;
    }
    // "models for the top-selling Chamisul", "appear on the popular X": a verb's object past
    // an article and an adjective or two
    if let Some(v) = object_past_adjectives(s, sp.a, lex) {
        out.push(v);
    }
    character(s, sp, lex, out);
    // "tvN 'Boy friend'", "HBO's "The White Lotus"": what a broadcaster airs
    if e_screen(s, sp, lex) {
        out.push(vote(Class::Film, 1.5, "aired by a broadcaster"));
    }
    // "albums, including SEVENTEEN's FML": the cue is FML's, past its owner
    if !s.toks[sp.b - 1].possessive {
        let mut a = sp.a;
        if a > 0 && is_quote(s, a - 1) {
            a -= 1;
        }
        if a > 0 && s.toks[a - 1].possessive {
            a -= 1;
            while a > 0 && s.is_word(a - 1) && super::spans::cap_word(s, a - 1) {
                a -= 1;
            }
        }
        if let Some(v) = super::lists::intro_cue(s, a, lex) {
            out.push(v);
        }
    }
    // "appearance in HBO's "The White Lotus"": the cue before the owner
    let mut e = sp.a;
    if e > 0 && is_quote(s, e - 1) {
        e -= 1;
    }
    if e > 0 && s.toks[e - 1].possessive {
        let mut o = e - 1;
        while o > 0 && s.is_word(o - 1) && super::spans::cap_word(s, o - 1) {
            o -= 1;
        }
        if let Some((class, w, cue)) = cue_before(s, o, lex).filter(|c| matches!(c.0, Class::Film | Class::Show | Class::Song)) {
            out.push(vote(class, w * 0.8, format!("{cue} (past its owner)")));
        }
    }
    // "the sequel titled 'X'", "a song by Dua Lipa called 'X'": the noun before the verb
    let (ids, _) = before_ids(s, sp.a);
    if let Some(&last) = ids.last() {
        if matches!(word_of(lex, last), "titled" | "called" | "named" | "dubbed" | "entitled") {
            let j = (0..sp.a).rev().find(|&k| s.is_word(k) && s.words.id(k) == last);
            if let Some((class, w, cue)) = j.and_then(|j| noun_back(s, j, lex)) {
                out.push(vote(class, w, cue));
            }
        }
    }
}

fn object_past_adjectives(s: &Sentence, a: usize, lex: &Lexicon) -> Option<Vote> {
    let mut k = a;
    let mut skipped = 0;
    while k > 0 && skipped < 3 && s.is_word(k - 1) && !super::spans::cap_word(s, k - 1) && !super::spans::is_cue_noun(s.words.id(k - 1), lex) && !matches!(s.words.lower(k - 1), "the" | "a" | "an") {
        k -= 1;
        skipped += 1;
    }
    if k > 0 && s.is_word(k - 1) && matches!(s.words.lower(k - 1), "the" | "a" | "an" | "its" | "their" | "his" | "her") {
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
        set.longest_suffix(ids).map(|n| vote(class, 0.9, format!("object of '{}'", lex_words(lex, &ids[ids.len() - n..], n))))
    })
}

/// "PARK Hoon-jung's New World", "Bong's 2013 thriller Snowpiercer": what a person owns is
/// their work.
fn owned_by_person(s: &Sentence, sp: &Span, lex: &Lexicon, out: &mut Vec<Vote>) {
    let mut k = sp.a;
    let mut gap = 0;
    while k > 0 && gap < 4 && !s.toks[k - 1].possessive {
        let t = k - 1;
        let plain = (s.is_word(t) && !super::spans::cap_word(s, t)) || is_quote(s, t) || matches!(s.toks[t].kind, super::tokens::TokKind::Newline);
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
    let owner = Span { sent: sp.sent, a, b: k, text: s.slice(a, k).to_string(), origin: Origin::Caps, known: None, initial: false };
    if korean_name(s, &owner, lex) || person_shape(s, &owner) {
        out.push(vote(Class::Title, 1.0, "owned by a person"));
    }
}

/// A character: "played the determined ninja X", "As X, a Chinese assassin", "X, ..., played
/// by Y".
fn character(s: &Sentence, sp: &Span, lex: &Lexicon, out: &mut Vec<Vote>) {
    const PLAY: &[&str] = &[
        "play", "plays", "played", "playing", "voices", "voiced", "portrays", "portrayed", "portray",
    ];
    let mut k = sp.a;
    let mut steps = 0;
    while k > 0 && steps < 4 && s.is_word(k - 1) && !super::spans::cap_word(s, k - 1) {
        k -= 1;
        steps += 1;
        if PLAY.contains(&s.words.lower(k)) && steps > 1 {
            out.push(vote(Class::Not, 2.5, format!("a character ('{}')", s.tok(k))));
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
        .find_map(|k| cue_before(s, k + 1, lex).filter(|c| !matches!(c.0, Class::Artist | Class::Person | Class::Group)))
}

/// Cue sets that say what the name before them is.
fn after_sets(lex: &Lexicon) -> [(&PhraseSet, Class, f32, &'static str); 6] {
    let k = &lex.kc;
    [
        (&k.not_after, Class::Not, 2.0, "an event or campaign after"),
        (&k.film_after, Class::Film, 2.0, "screen role after"),
        (&k.group_after, Class::Group, 2.0, "member cue after"),
        (&k.song_after, Class::Song, 1.5, "song cue after"),
        (&k.label_after, Class::Label, 1.5, "organization cue after"),
        (&k.artist_after, Class::Artist, 1.0, "artist cue after"),
    ]
}

fn after(s: &Sentence, sp: &Span, lex: &Lexicon, out: &mut Vec<Vote>) {
    let mut b = sp.b;
    if sp.quoted() && is_quote(s, b) {
        b += 1;
    }
    parenthesis(s, sp, b, out);
    // "Jimin (BTS) collaborated": read past a short parenthesis
    let paren_end = s
        .is_punct(b, '(')
        .then(|| (b + 1..(b + 30).min(s.toks.len())).find(|&k| s.is_punct(k, ')')))
        .flatten();
    if let Some(c) = paren_end.filter(|&c| c == b + 2 && super::spans::cap_word(s, b + 1) && !sp.quoted()) {
        let _ = c;
        out.push(vote(Class::Person, 1.0, "a group in parentheses after it"));
    }
    let b0 = b;
    let b = paren_end.map_or(b, |c| c + 1 + usize::from(s.is_punct(c + 1, ',')));
    // "Enhancing Emotional Depth: ...": a heading that opens its line
    let line_a = s.line(sp.a).a;
    if !sp.quoted() && (line_a..sp.a).all(|k| !s.is_word(k)) && s.is_punct(sp.b, ':') && sp.words() >= 2 {
        out.push(vote(Class::Not, 1.5, "a heading before a colon"));
    }
    let ids = s.words.ids(b, (b + 4).min(s.toks.len()));
    let possessive = s.toks[sp.b - 1].possessive;
    if possessive {
        owner(s, b, lex, out);
    } else {
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
        if let Some(n) = lex.kc.artist_verbs.longest_prefix(skip_aux(s, b, lex)).filter(|_| !sp.quoted()) {
            out.push(vote(Class::Artist, 1.0, format!("subject of '{}'", lex_words(lex, skip_aux(s, b, lex), n))));
        }
    }
    apposition(s, b, lex, out);
    // "Lisa of BLACKPINK", "Karina from Aespa": a member and the group named right after
    if !sp.quoted() && sp.words() <= 2 && s.is_word(b) && matches!(s.words.lower(b), "of" | "from") && super::spans::cap_word(s, b + 1) && !super::spans::cap_word(s, b + 2) {
        out.push(vote(Class::Person, 1.0, format!("a member '{}' a group", s.tok(b))));
    }
    if sp.words() == 1 && sp.a >= 2 && s.is_word(sp.a - 1) && matches!(s.words.lower(sp.a - 1), "of" | "from") && super::spans::cap_word(s, sp.a - 2) && !sp.quoted() && !super::spans::cap_word(s, sp.b) {
        out.push(vote(Class::Group, 1.0, format!("the group a name is '{}'", s.tok(sp.a - 1))));
    }
    // "selecting ILLIT's 'Secret Quest' as the latest ending theme": what it is used as
    if s.is_word(b) && s.words.lower(b) == "as" && s.is_word(b + 1) && matches!(s.words.lower(b + 1), "the" | "a" | "an" | "its" | "their") {
        for j in b + 2..(b + 6).min(s.toks.len()) {
            if !s.is_word(j) {
                break;
            }
            if let Some((class, w, cue)) = cue_at(s, j, lex).filter(|c| matches!(c.0, Class::Song | Class::Film | Class::Show)) {
                out.push(vote(class, w * 0.6, format!("used as {cue}")));
                break;
            }
        }
    }
    if s.is_punct(b0, '(') && s.is_word(b0 + 1) && s.tok(b0 + 1).len() == 4 && is_year_or_number(s.tok(b0 + 1)) && s.is_punct(b0 + 2, ')') {
        out.push(vote(Class::Film, 1.0, "a year in parentheses"));
    }
    // "In RED 2, he played ...": a screen work
    let pronoun = s.is_punct(b, ',') && s.is_word(b + 1) && matches!(s.words.lower(b + 1), "he" | "she" | "they");
    if pronoun && sp.a >= 1 && s.words.lower(sp.a - 1) == "in" && (0..sp.a - 1).all(|j| !s.is_word(j)) {
        out.push(vote(Class::Film, 1.5, "'In X, he ...'"));
    }
    // "Tae-oh Yoon, a Korean student ..., played by Jong-hyeop Chae": a character
    if s.is_punct(b, ',') {
        let end = (b + 14).min(s.toks.len());
        if (b + 1..end).any(|j| {
            s.is_word(j) && matches!(s.words.lower(j), "played" | "voiced" | "portrayed") && s.is_word(j + 1) && s.words.lower(j + 1) == "by" && s.is_punct(j - 1, ',')
        }) {
            out.push(vote(Class::Not, 2.5, "a character (, played by)"));
        }
    }
    // "Cha Soo-hyun (Song Hye-kyo)": a character, then the actor who plays them
    if s.is_punct(b0, '(') && person_shape(s, sp) {
        let close = (b0 + 1..(b0 + 6).min(s.toks.len())).find(|&k| s.is_punct(k, ')'));
        if let Some(c) = close {
            let inner = Span { sent: sp.sent, a: b0 + 1, b: c, text: s.slice(b0 + 1, c).to_string(), origin: Origin::Caps, known: None, initial: false };
            if c > b0 + 2 && (person_shape(s, &inner) || korean_name(s, &inner, lex)) {
                out.push(vote(Class::Not, 2.5, "a character (its actor in parentheses)"));
            }
        }
    }
    // "Bailey (voiced by Josh Gad)": the name before is a character
    if s.is_punct(b0, '(') {
        let inner = s.words.ids(b0 + 1, (b0 + 3).min(s.toks.len()));
        if lex.kc.artist_objects.longest_prefix(inner).is_some() {
            out.push(vote(Class::Not, 2.5, "a character (played or voiced by)"));
        }
    }
}

fn lex_words(lex: &Lexicon, ids: &[super::lexicon::WordId], n: usize) -> String {
    ids[..n].iter().map(|&i| word_of(lex, i)).collect::<Vec<_>>().join(" ")
}

const AUX: &[&str] = &[
    "will", "would", "has", "have", "had", "also", "recently", "is", "are", "was", "were", "then",
    "now", "previously", "already", "just", "reportedly", "first", "later", "again", "too",
];

/// The word ids from `b` on, past auxiliaries and adverbs ("will also star").
fn skip_aux<'a>(s: &'a Sentence, b: usize, _lex: &Lexicon) -> &'a [super::lexicon::WordId] {
    let mut k = b;
    while k < s.toks.len() && s.is_word(k) && AUX.contains(&s.words.lower(k)) {
        k += 1;
    }
    s.words.ids(k, (k + 4).min(s.toks.len()))
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
    (o..e).any(|a| lex.known_label(s.slice(a, e)).is_some_and(|l| lex.labels[l].screen))
}

/// Whether the quoted name opening at token `a` follows "NAME of", directly or as the next
/// item of a list that does ("X of "A" and "B"").
fn of_a_name(s: &Sentence, a: usize, hops: usize) -> bool {
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

/// "Rosé (Blackpink)", "Jimin (BTS)": one name in parentheses after a person's name is their
/// group.
fn parenthesis(s: &Sentence, sp: &Span, _b: usize, out: &mut Vec<Vote>) {
    let a = sp.a;
    if a < 2 || !s.is_punct(a - 1, '(') || !s.is_punct(sp.b, ')') || sp.quoted() || sp.words() != 1 {
        return;
    }
    if s.is_word(a - 2) && super::spans::cap_word(s, a - 2) && !s.in_credit(a) {
        out.push(vote(Class::Group, 1.2, "in parentheses after a name"));
    }
}

/// "X's NOUN": what owns a song is an artist, what has a cast is a film.
fn owner(s: &Sentence, b: usize, lex: &Lexicon, out: &mut Vec<Vote>) {
    let k = &lex.kc;
    for skip in 0..3 {
        let ids = s.words.ids((b + skip).min(s.toks.len()), (b + skip + 3).min(s.toks.len()));
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
    if comma {
        k += 1;
    } else if s.is_word(k) && matches!(s.words.lower(k), "is" | "are" | "was" | "were" | "becomes" | "became") {
        k += 1;
    } else if s.is_word(k) && s.words.lower(k) == "will" && s.is_word(k + 1) && s.words.lower(k + 1) == "serve" && s.is_word(k + 2) && s.words.lower(k + 2) == "as" {
        k += 3;
        return apposition_noun(s, k, lex, out);
    } else if s.is_word(k) && matches!(s.words.lower(k), "serves" | "served") && s.is_word(k + 1) && s.words.lower(k + 1) == "as" {
        return apposition_noun(s, k + 2, lex, out);
    } else {
        return;
    }
    // "PUBG Mobile, also a debut venture for the hit mobile game"
    if s.is_word(k) && s.words.lower(k) == "also" {
        k += 1;
    }
    if !(s.is_word(k) && matches!(s.words.lower(k), "a" | "an" | "the" | "its" | "their" | "his" | "her" | "one")) {
        // "said Avery Lipman, chief operating officer": a title with no article
        if comma {
            if let Some((Class::Not, w, cue)) = cue_at(s, k, lex) {
                out.push(vote(Class::Not, w, cue));
            }
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
        let clause = |n: usize| s.is_word(j + n) && matches!(s.words.lower(j + n), "has" | "have" | "had" | "is" | "was" | "will" | "would" | "said" | "says");
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

/// A cue noun that starts at token `j` (a phrase of a before-set).
fn cue_at(s: &Sentence, j: usize, lex: &Lexicon) -> Option<(Class, f32, String)> {
    let ids = s.words.ids(j, (j + 4).min(s.toks.len()));
    let mut best: Option<(usize, Class, f32, &str)> = None;
    for (set, class, w, what) in before_sets(lex).into_iter().take(7) {
        if let Some(n) = set.longest_prefix(ids) {
            if best.is_none_or(|b| n > b.0) {
                best = Some((n, class, w, what));
            }
        }
    }
    let (n, class, w, what) = best?;
    Some((class, w, format!("{what} '{}'", s.slice(j, j + n))))
}

/// Inside a byline or a photo credit: people and agencies are not the story, the studios
/// and brands credited are.
fn credit(s: &Sentence, sp: &Span, lex: &Lexicon, out: &mut Vec<Vote>) {
    let ids = s.words.ids(sp.a, sp.b);
    if lex.media.contains(ids) {
        out.push(vote(Class::Not, 6.0, "an agency credit"));
    } else if person_shape(s, sp) || korean_name(s, sp, lex) {
        out.push(vote(Class::Not, 2.0, "a byline or photo credit"));
    } else if matches!(sp.origin, Origin::Caps) && (sp.words() >= 2 || sp.text.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase)) {
        out.push(vote(Class::Label, 0.8, "credited for a photo"));
    }
}
