//! Pass 2, evidence of kind: what the words around a candidate name say it is. Each piece of
//! evidence is a vote for a class with a weight and the cue that made it, so `kwiki explain`
//! can say why. Votes are summed per name over the article in `entities`. The rules live by
//! where they look: the name's own words (`shape`), the words before it (`before`), the
//! words after it (`after`); this file holds the cue tables they share.
use super::doc::Sentence;
use super::lexicon::{Lexicon, PhraseSet};
use super::spans::Span;

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

pub(super) fn vote(class: Class, weight: f32, cue: impl Into<String>) -> Vote {
    Vote {
        class,
        weight,
        cue: cue.into(),
    }
}

/// The votes for one span, from its shape and from the words beside it.
pub fn votes(s: &Sentence, sp: &Span, lex: &Lexicon) -> Vec<Vote> {
    let mut out = Vec::new();
    super::shape::votes(s, sp, lex, &mut out);
    super::before::votes(s, sp, lex, &mut out);
    super::after::votes(s, sp, lex, &mut out);
    if s.in_credit(sp.a) {
        super::shape::credit(s, sp, lex, &mut out);
    }
    out
}

/// The tokens before the span, skipping one quote mark; and whether a comma was skipped
/// ("rapper, Nicki Minaj").
pub(super) fn before_ids(s: &Sentence, a: usize) -> (&[super::lexicon::WordId], bool) {
    let mut e = a;
    let mut comma = false;
    if e > 0 && matches!(s.toks[e - 1].kind, super::tokens::TokKind::Newline) {
        e -= 1;
    }
    // "feat. Sunmi", "ft. Ozuna": an abbreviation's period
    let abbreviated = e > 1 && s.is_punct(e - 1, '.') && song_credit(s, e - 2);
    if abbreviated || e > 0 && is_quote(s, e - 1) {
        e -= 1;
    } else if e > 0
        && [',', ':', '–', '—', '-']
            .iter()
            .any(|&c| s.is_punct(e - 1, c))
    {
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
        if (owner && i >= 7)
            || (comma
                && !matches!(
                    class,
                    Class::Person | Class::Group | Class::Artist | Class::Label | Class::Not
                ))
        {
            continue;
        }
        if let Some(n) = set.longest_suffix(ids)
            && best.is_none_or(|b| n > b.0)
        {
            best = Some((n, class, w, what));
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
    // "season 2 will feature Lee Byung-hun": after a modal the noun is a verb, whose object
    // is no work or company
    let modal = start > 0 && s.word_in(start - 1, &lex.rc.role_verb_before);
    if modal
        && matches!(
            class,
            Class::Film | Class::Show | Class::Song | Class::Label
        )
    {
        return None;
    }
    if comma
        && (start == 0
            || (s.is_word(start - 1) && PREPOSITIONS.contains(&s.words.lower(start - 1))))
        && start < a
    {
        let lead = (start.saturating_sub(2)..start)
            .any(|k| s.is_word(k) && PREPOSITIONS.contains(&s.words.lower(k)));
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
pub(super) fn word_of(lex: &Lexicon, id: super::lexicon::WordId) -> &str {
    lex.vocab.word(id).unwrap_or("?")
}

/// Cue sets that say what the name before them is.
pub(super) fn after_sets(lex: &Lexicon) -> [(&PhraseSet, Class, f32, &'static str); 6] {
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

pub(super) fn lex_words(lex: &Lexicon, ids: &[super::lexicon::WordId], n: usize) -> String {
    ids[..n]
        .iter()
        .map(|&i| word_of(lex, i))
        .collect::<Vec<_>>()
        .join(" ")
}

const AUX: &[&str] = &[
    "will",
    "would",
    "has",
    "have",
    "had",
    "also",
    "recently",
    "is",
    "are",
    "was",
    "were",
    "then",
    "now",
    "previously",
    "already",
    "just",
    "reportedly",
    "first",
    "later",
    "again",
    "too",
];

/// The word ids from `b` on, past auxiliaries and adverbs ("will also star").
pub(super) fn skip_aux<'a>(
    s: &'a Sentence,
    b: usize,
    _lex: &Lexicon,
) -> &'a [super::lexicon::WordId] {
    let mut k = b;
    while k < s.toks.len() && s.is_word(k) && AUX.contains(&s.words.lower(k)) {
        k += 1;
    }
    s.words.ids(k, (k + 4).min(s.toks.len()))
}

/// A cue noun that starts at token `j` (a phrase of a before-set).
pub(super) fn cue_at(s: &Sentence, j: usize, lex: &Lexicon) -> Option<(Class, f32, String)> {
    let ids = s.words.ids(j, (j + 4).min(s.toks.len()));
    let mut best: Option<(usize, Class, f32, &str)> = None;
    for (set, class, w, what) in before_sets(lex).into_iter().take(7) {
        if let Some(n) = set.longest_prefix(ids)
            && best.is_none_or(|b| n > b.0)
        {
            best = Some((n, class, w, what));
        }
    }
    let (n, class, w, what) = best?;
    Some((class, w, format!("{what} '{}'", s.slice(j, j + n))))
}

/// Whether the sentence speaks of music: a song noun written in lower case or in capitals
/// ("soundtrack", "single", "OST"), not as a word of a name ("Single Ladies").
pub(super) fn said_of_music(s: &Sentence, lex: &Lexicon) -> bool {
    (0..s.toks.len()).any(|j| {
        let t = s.tok(j);
        let not_a_name = t.starts_with(char::is_lowercase) || !t.chars().any(char::is_lowercase);
        not_a_name && s.word_in(j, &lex.kc.song_before)
    })
}

/// "feat.", "ft.", "featuring", "prod.": a word that credits an act on a song.
pub(super) fn song_credit(s: &Sentence, k: usize) -> bool {
    s.is_word(k) && matches!(s.words.lower(k), "feat" | "ft" | "featuring" | "prod")
}
