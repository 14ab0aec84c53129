//! Pass 1, candidate names: quoted titles, runs of capitalized words, the lexicon's known
//! organizations, and a lower-case word right after a cue that announces a name ("girl group
//! aespa"). Nothing is decided here but where a name could start and end.
use super::doc::Sentence;
use super::lexicon::Lexicon;
use super::quotes::{quote_pairs, quoted_title};

/// A stretch of one sentence that may name an entity.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    pub sent: usize,
    /// Tokens [a, b) of the sentence.
    pub a: usize,
    pub b: usize,
    pub text: String,
    pub origin: Origin,
    /// The lexicon's organization this span names exactly.
    pub known: Option<usize>,
    /// The span opens its sentence, where every word is capitalized.
    pub initial: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Between quote marks; `lower` when its words are in lower case ("moonlit").
    Quoted { lower: bool },
    /// A run of capitalized words.
    Caps,
    /// A lower-case word that a cue announces as a name.
    Cued,
    /// The head of a longer title the article quotes ("Tom and Jerry" of "Tom and Jerry:
    /// The Forbidden Compass").
    Head,
}

impl Span {
    pub fn quoted(&self) -> bool {
        matches!(self.origin, Origin::Quoted { .. })
    }

    pub fn words(&self) -> usize {
        self.text.split_whitespace().count()
    }
}

/// The candidate names of one sentence, in order.
pub fn find(s: &Sentence, sent: usize, lex: &Lexicon) -> Vec<Span> {
    let mut out = Vec::new();
    let quotes = quote_pairs(s);
    let mut taken = vec![false; s.toks.len()];
    for &(o, c) in &quotes {
        if taken[o..=c].iter().any(|&t| t) {
            continue;
        }
        if let Some(span) = quoted_title(s, sent, o, c) {
            // a credit inside the marks ("Blue Hour (feat. Sunmi)") is read as any text
            let end = if span.b < c && s.is_punct(span.b, '(') {
                span.b
            } else {
                c
            };
            taken[o..=end].iter_mut().for_each(|t| *t = true);
            out.push(span);
        }
    }
    let known = known_labels(s, sent, lex);
    for span in &known {
        if !taken[span.a..span.b].iter().any(|&t| t) {
            out.push(span.clone());
        }
    }
    // in a title-case headline capitals say nothing: its names are found from the prose
    let mut k = 0;
    while k < s.toks.len() {
        if taken[k] || (s.shouty_at(k) && !s.in_credit(k)) || !starts_run(s, k) {
            if let Some(span) = cued_lower_word(s, sent, k, lex).filter(|_| !taken[k]) {
                out.push(span);
            }
            k += 1;
            continue;
        }
        let mut end = run_end(s, k, &taken);
        // "TV Asahi Music Station": a known network before a name of its own
        // "Billboard Korea CEO & Publisher Yuna Kim": a title starts a name of its own
        if let Some(t) = (k + 1..end)
            .find(|&j| s.is_word(j) && lex.executive_titles.contains_word(s.words.id(j)))
        {
            out.extend(trimmed_run(s, sent, t, end, lex));
            end = t;
        }
        let lead = |kn: &Span| {
            (k..kn.a).all(|j| {
                !s.is_word(j)
                    || lex.stopwords.contains(s.tok(j))
                    || lex.places.contains_word(s.words.id(j))
                    || lex.nationalities.contains_word(s.words.id(j))
            })
        };
        if let Some(kn) = known.iter().find(|kn| kn.a >= k && kn.b < end && lead(kn)) {
            // "Sony Music Entertainment Japan", "Interscope Geffen A&M": one company's name
            let event = lex.non_entity_heads.contains_word(s.words.id(end - 1));
            let company = event
                || lex.kc.label_suffix.contains_word(s.words.id(end - 1))
                || lex.places.contains_word(s.words.id(end - 1))
                || known.iter().any(|o| o.a >= kn.b && o.b <= end)
                || (kn.b..end).any(|j| s.is_punct(j, '&'));
            if !company {
                out.extend(trimmed_run(s, sent, kn.b, end, lex));
                end = kn.b;
            }
        }
        out.extend(trimmed_run(s, sent, k, end, lex));
        k = end.max(k + 1);
    }
    out.sort_by_key(|sp| (sp.a, std::cmp::Reverse(sp.b)));
    drop_overlaps(out)
}

/// A capitalized word: "Rosé", "BTS", camel case "iKON" / "tvN", "2PM".
pub fn cap_word(s: &Sentence, k: usize) -> bool {
    if !s.is_word(k) {
        return false;
    }
    let w = s.tok(k);
    let mut chars = w.chars();
    match chars.next() {
        Some(c) if c.is_uppercase() => true,
        Some(c) if c.is_lowercase() => chars.any(char::is_uppercase),
        Some(c) if c.is_ascii_digit() => chars.filter(|c| c.is_uppercase()).count() >= 2,
        _ => false,
    }
}

/// "(G)I-DLE": a bracketed capital glued to the name that follows.
fn bracket_prefix(s: &Sentence, k: usize) -> bool {
    s.is_punct(k, '(')
        && s.toks.get(k + 1).is_some_and(|t| t.end - t.start <= 2)
        && cap_word(s, k + 1)
        && s.is_punct(k + 2, ')')
        && cap_word(s, k + 3)
        && s.touching(k, k + 1)
        && s.touching(k + 1, k + 2)
        && s.toks[k + 3].start - s.toks[k + 2].end <= 1
}

fn starts_run(s: &Sentence, k: usize) -> bool {
    cap_word(s, k) || bracket_prefix(s, k)
}

/// Words a title may open with (a person's name never does).
const TITLE_STARTS: &[&str] = &["The", "A", "An"];

/// A capitalized word that opens sentences ("While", "However").
fn is_sentence_word(s: &Sentence, k: usize) -> bool {
    matches!(
        s.words.lower(k),
        "while"
            | "however"
            | "but"
            | "and"
            | "meanwhile"
            | "although"
            | "since"
            | "when"
            | "after"
            | "before"
            | "it"
            | "they"
            | "he"
            | "she"
            | "this"
            | "that"
            | "in"
            | "on"
            | "at"
            | "for"
    )
}

const TITLE_CONNECTORS: &[&str] = &[
    "of", "the", "in", "on", "at", "by", "for", "with", "to", "a", "an", "from", "and",
];

/// One past the last token of the run of capitalized words from `k`.
fn run_end(s: &Sentence, k: usize, taken: &[bool]) -> usize {
    let title = TITLE_STARTS.contains(&s.tok(k));
    let mut e = if bracket_prefix(s, k) { k + 4 } else { k + 1 };
    loop {
        if s.toks[e - 1].possessive || e >= s.toks.len() || taken[e] {
            return e;
        }
        let next_cap = |j: usize| j < s.toks.len() && !taken[j] && cap_word(s, j);
        if next_cap(e) {
            e += 1;
        } else if is_number(s, e) {
            return e + 1;
        } else if s.is_punct(e, '&') && next_cap(e + 1) {
            e += 2;
        } else if s.is_punct(e, '.')
            && e + 1 < s.toks.len()
            && s.touching(e - 1, e)
            && s.touching(e, e + 1)
            && s.tok(e + 1).len() == 1
            && s.tok(e + 1).chars().all(|c| c.is_ascii_uppercase())
        {
            // "Zion.T": a stage name with a letter after its dot
            e += 2;
        } else if s.is_punct(e, '.') && initials(s.tok(e - 1)) && s.touching(e - 1, e) {
            e += 1;
            // "U.S. While BTS ...": a new sentence after the abbreviation
            if !next_cap(e)
                || TITLE_STARTS.contains(&s.tok(e))
                || !s.words.lower(e).chars().all(char::is_alphanumeric)
                || is_sentence_word(s, e)
            {
                return e;
            }
        } else if (s.is_punct(e, '/') || s.is_punct(e, ':'))
            && next_cap(e + 1)
            && s.touching(e - 1, e)
            && s.touching(e, e + 1)
            && glued_pair(s.tok(e - 1), s.tok(e + 1), s.is_punct(e, ':'))
        {
            e += 2;
        } else if title && s.is_word(e) && TITLE_CONNECTORS.contains(&s.words.lower(e)) {
            let mut j = e;
            while j < s.toks.len() && s.is_word(j) && TITLE_CONNECTORS.contains(&s.words.lower(j)) {
                j += 1;
            }
            if !next_cap(j) {
                return e;
            }
            e = j;
        } else {
            return e;
        }
    }
}

/// A short number that ends a title: "Overwatch 2", "Produce 101" (not a year).
fn is_number(s: &Sentence, k: usize) -> bool {
    s.is_word(k) && {
        let w = s.tok(k);
        w.len() <= 3 && w.chars().all(|c| c.is_ascii_digit())
    }
}

/// "J", "J.K", "Jr": initials that a period follows inside a name.
fn initials(w: &str) -> bool {
    w == "Jr" || w == "Sr" || (w.len() <= 4 && w.split('.').all(|p| p.len() == 1))
}

/// Two words joined without spaces into one name: "K/DA", "POP/STARS", "Be:First".
fn glued_pair(left: &str, right: &str, colon: bool) -> bool {
    let caps = |w: &str| w.chars().all(|c| !c.is_lowercase());
    colon || left.len() <= 2 || (caps(left) && caps(right))
}

/// The span of a run, without the words that cannot start or end a name: stopwords, a
/// nationality ("South Korean Soo-hyun"), an adjective ("Oscar-winning"), a common noun that
/// opens the sentence ("Actor Ji Chang-wook").
fn trimmed_run(s: &Sentence, sent: usize, a: usize, b: usize, lex: &Lexicon) -> Option<Span> {
    let mut a = a;
    let mut b = b;
    // "October 26": a month and its day
    if lex.months.contains(s.tok(a)) && (a + 1 == b || is_number(s, a + 1)) {
        return None;
    }
    // an adjective inside the run ends it there ("Pulitzer Prize-winning")
    if let Some(k) = (a..b).find(|&k| hyphen_tail(s, k, lex).is_some() && k + 1 < b) {
        if k == a {
            a += 1;
        } else {
            b = k + 1;
        }
    }
    a = trim_openers(s, a, b, lex);
    while b > a && s.is_word(b - 1) && TITLE_CONNECTORS.contains(&s.words.lower(b - 1)) {
        b -= 1;
    }
    if a < b && TITLE_STARTS.contains(&s.tok(a)) {
        let rest = s.slice(a + 1, b);
        if b == a + 1 || lex.known_label(rest).is_some() || lex.stopwords.contains(rest) {
            a += 1;
        }
    }
    if a >= b || not_a_name(s, a, b, lex) {
        return None;
    }
    let mut sp = span(s, sent, a, b, Origin::Caps, lex);
    if let Some(tail) = hyphen_tail(s, b - 1, lex) {
        // "Chris Pratt-like" is Chris Pratt; "The Oscar-winning" is nothing
        if b == a + 1 || (b == a + 2 && TITLE_STARTS.contains(&s.tok(a))) {
            return None;
        }
        sp.text.truncate(sp.text.len() - tail);
        sp.known = lex.known_label(&sp.text);
    }
    Some(sp)
}

/// The start of a run past the words that cannot open a name: stopwords, a nationality, a
/// place before a known name ("U.S. Billboard"), a cue noun opening the line ("Actor X").
fn trim_openers(s: &Sentence, mut a: usize, b: usize, lex: &Lexicon) -> usize {
    loop {
        let before = a;
        // "Park's New World": mid-sentence, a capitalized "New" opens the title
        let mid_sentence = |k: usize| (0..k).any(|j| s.is_word(j));
        while a < b
            && s.is_word(a)
            && s.tok(a) != "The"
            && lex.stopwords.contains(s.tok(a))
            && !(mid_sentence(a) && s.word_in(a, &lex.kc.title_openers))
        {
            a += 1;
        }
        if let Some(n) = lex
            .nationalities
            .longest_prefix(s.words.ids(a, b))
            .filter(|&n| a + n < b)
        {
            a += n;
        }
        // "U.S. Billboard", "Korean Netflix": a place before a name
        if let Some(n) = lex
            .places
            .longest_prefix(s.words.ids(a, b))
            .filter(|&n| a + n < b && lex.known_label(s.slice(a + n, b)).is_some())
        {
            a += n;
            while a < b && !s.is_word(a) {
                a += 1;
            }
        }
        let line_a = s.line(a).a;
        let opener = (line_a..a).all(|k| !s.is_word(k));
        if opener && a + 1 < b && is_cue_noun(s.words.id(a), lex) {
            a += 1;
        }
        if a == before {
            break;
        }
    }
    a
}

/// Tokens [a, b) (a < b) are no name: one stopword or letter, only numbers, an adverb
/// opening the sentence ("Alternatively,").
fn not_a_name(s: &Sentence, a: usize, b: usize, lex: &Lexicon) -> bool {
    // "BTS member V", "singer J": one capital letter is a name only after a person cue
    let letter = s.tok(a).chars().count() == 1
        && !(a > 0
            && s.tok(a).starts_with(char::is_uppercase)
            && s.word_in(a - 1, &lex.kc.person_before));
    if (b == a + 1 && (lex.stopwords.contains(s.tok(a)) || letter))
        || (a..b).all(|k| !s.is_word(k) || is_number(s, k))
    {
        return true;
    }
    let line_a = s.line(a).a;
    b == a + 1
        && (line_a..a).all(|k| !s.is_word(k))
        && s.words.lower(a).ends_with("ly")
        && s.is_punct(b, ',')
}

/// The byte length of an adjective tail ("-winning", "-like") of token `k`, hyphen included.
fn hyphen_tail(s: &Sentence, k: usize, lex: &Lexicon) -> Option<usize> {
    let w = s.words.lower(k);
    let (_, tail) = w.rsplit_once('-')?;
    let id = lex.vocab.get(tail);
    (id != super::lexicon::NO_WORD && lex.kc.hyphen_tails.contains_word(id))
        .then_some(tail.len() + 1)
}

/// A common noun that cues a kind ("actor", "drama", "brand").
pub fn is_cue_noun(id: super::lexicon::WordId, lex: &Lexicon) -> bool {
    let k = &lex.kc;
    id != super::lexicon::NO_WORD
        && [
            &k.person_before,
            &k.group_before,
            &k.film_before,
            &k.show_before,
            &k.song_before,
            &k.label_before,
            &k.not_before,
        ]
        .iter()
        .any(|set| set.contains_word(id))
}

pub(super) fn span(
    s: &Sentence,
    sent: usize,
    a: usize,
    b: usize,
    origin: Origin,
    lex: &Lexicon,
) -> Span {
    let text = s.slice(a, b).to_string();
    let first_word = (0..a).all(|k| !s.is_word(k));
    Span {
        sent,
        a,
        b,
        known: lex.known_label(&text),
        initial: first_word && !s.shouty_at(a),
        text,
        origin,
    }
}

/// The lexicon's organizations named in the sentence, on whole tokens.
fn known_labels(s: &Sentence, sent: usize, lex: &Lexicon) -> Vec<Span> {
    let mut out = Vec::new();
    for m in lex.label_matcher.find_iter(&s.text) {
        let Some(a) = s.toks.iter().position(|t| t.start == m.start()) else {
            continue;
        };
        let Some(b) = s.toks[a..].iter().position(|t| t.end == m.end()) else {
            continue;
        };
        // "Hyundai Motor", "Samsung Electronics": a company word after it is its own
        let mut end = a + b + 1;
        while end < s.toks.len() && cap_word(s, end) && s.word_in(end, &lex.kc.label_suffix) {
            end += 1;
        }
        // but "TV Asahi Music Station" is the broadcaster's show
        if end < s.toks.len() && cap_word(s, end) {
            end = a + b + 1;
        }
        // not the start of a longer capitalized name ("Netflix Originals" stays whole below)
        out.push(span(s, sent, a, end, Origin::Caps, lex));
    }
    out
}

/// A lower-case word a group cue announces: "girl group aespa".
fn cued_lower_word(s: &Sentence, sent: usize, k: usize, lex: &Lexicon) -> Option<Span> {
    // the cue first: the one test most words fail, on word ids
    if !s.is_word(k)
        || k == 0
        || lex
            .kc
            .group_before
            .longest_suffix(s.words.ids(k.saturating_sub(3), k))
            .is_none()
    {
        return None;
    }
    let w = s.tok(k);
    if !w.chars().next().is_some_and(char::is_lowercase)
        || w.len() < 2
        || !w.chars().all(char::is_alphanumeric)
    {
        return None;
    }
    // a known word (a cue, a trigger) or an inflected one is not a name
    const GRAMMAR: &[&str] = &[
        "can", "could", "will", "would", "shall", "should", "may", "might", "must", "has", "have",
        "had", "is", "are", "was", "were", "be", "been", "also", "that", "which", "who", "whose",
        "and", "or", "but", "so", "then", "than", "as", "if", "when", "since", "its", "their",
        "his", "her", "this", "these", "those", "such", "not", "now", "still", "yet",
    ];
    if s.words.id(k) != super::lexicon::NO_WORD
        || TITLE_CONNECTORS.contains(&w)
        || GRAMMAR.contains(&w)
        || ["ed", "ing", "ly", "ous", "ive", "al"]
            .iter()
            .any(|e| w.ends_with(e))
    {
        return None;
    }
    let ids = s.words.ids(k.saturating_sub(3), k);
    let n = lex.kc.group_before.longest_suffix(ids)?;
    // one name after a singular noun: "girl group aespa" (not "six groups present")
    if s.words.lower(k - 1).ends_with('s') && s.words.lower(k - 1) != "kids" {
        return None;
    }
    // "the group gave", "the girl group's gratitude": a group already named
    let cue = k - n;
    let determined = cue > 0
        && s.is_word(cue - 1)
        && matches!(
            s.words.lower(cue - 1),
            "the" | "this" | "that" | "its" | "their" | "his" | "her" | "our" | "a" | "an"
        );
    if determined || s.toks[k - 1].possessive {
        return None;
    }
    let next_ok = s.toks.get(k + 1).is_none_or(|t| !t.is_word())
        || (s.words.id(k + 1) != super::lexicon::NO_WORD && s.words.lower(k + 1) != "of");
    next_ok.then(|| span(s, sent, k, k + 1, Origin::Cued, lex))
}

/// Keep the first (longest) of overlapping spans.
fn drop_overlaps(spans: Vec<Span>) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::with_capacity(spans.len());
    for sp in spans {
        if out.last().is_some_and(|l| sp.a < l.b) {
            // a known organization inside a longer run of capitals: the run, unless the
            // rest is not part of an organization's name
            continue;
        }
        out.push(sp);
    }
    out
}
