//! Quoted titles: pairs of quote marks in a sentence, the title between a pair if it reads
//! like one, and the head of a title before its colon ("Tom and Jerry"), a name of its own
//! wherever the article writes it.
use super::doc::Sentence;
use super::lexicon::Lexicon;
use super::spans::{Origin, Span, cap_word, span};
use super::tokens::TokKind;

const OPEN: &[char] = &['"', '“', '‘', '\'', '«', '「', '『', '″', '„'];

fn closer(open: char) -> &'static [char] {
    match open {
        '“' | '„' => &['”', '"', '“'],
        '‘' => &['’', '\''],
        '«' => &['»'],
        '「' => &['」'],
        '『' => &['』'],
        '″' => &['″', '"', '”'],
        '\'' => &['\'', '’'],
        _ => &['"', '”'],
    }
}

fn quote_char(s: &Sentence, k: usize) -> Option<char> {
    match s.toks[k].kind {
        TokKind::Punct(c) => Some(c),
        _ => None,
    }
}

/// Pairs of quote marks (token indices of the opening and closing mark), outer pairs first;
/// a pair inside another is kept too (a title quoted inside a quoted remark).
pub(super) fn quote_pairs(s: &Sentence) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut closed = vec![false; s.toks.len()];
    for k in 0..s.toks.len() {
        let Some(open) = quote_char(s, k).filter(|c| OPEN.contains(c)) else {
            continue;
        };
        // a straight quote between two letters is an apostrophe ("weekend"s"); a mark that
        // closed a quote opens none
        let glued = k > 0 && s.touching(k - 1, k) && s.is_word(k - 1);
        if closed[k] || glued {
            continue;
        }
        let close = (k + 1..s.toks.len().min(k + 30))
            .take_while(|&j| !matches!(s.toks[j].kind, TokKind::Newline))
            .find(|&j| !closed[j] && quote_char(s, j).is_some_and(|c| closer(open).contains(&c)));
        if let Some(c) = close.filter(|&c| c > k + 1) {
            closed[c] = true;
            out.push((k, c));
        }
    }
    out
}

/// The title between quote marks `o` and `c`, if it reads like one.
pub(super) fn quoted_title(s: &Sentence, sent: usize, o: usize, c: usize) -> Option<Span> {
    let a = o + 1;
    let mut b = c;
    // "Idol," / "Seven." inside the marks; "APT.." keeps its own period
    while b > a && (s.is_punct(b - 1, ',') || s.is_punct(b - 1, ';')) {
        b -= 1;
    }
    // a period inside the marks ends the sentence ("... released "Seven."") unless the
    // sentence goes on ("the duet "APT." through ...") or the title has its own ("APT..")
    let at_end = (c + 1..s.toks.len()).all(|j| !s.is_word(j));
    if b > a + 1 && s.is_punct(b - 1, '.') && at_end && !s.is_punct(b - 2, '.') {
        b -= 1;
    }
    // "Blue Hour (feat. Sunmi)": the credit is no part of the title, its act a name of its own
    if let Some(k) = (a + 1..b).find(|&k| s.is_punct(k, '(') && super::kinds::song_credit(s, k + 1))
    {
        b = k;
    }
    if a >= b || !s.is_word(a) && !s.is_punct(a, '(') {
        return None;
    }
    let words: Vec<usize> = (a..b).filter(|&k| s.is_word(k)).collect();
    if words.is_empty() || words.len() > 12 {
        return None;
    }
    if words
        .iter()
        .all(|&k| s.tok(k).chars().all(|ch| ch.is_ascii_digit()))
    {
        return None;
    }
    let lower = words
        .iter()
        .filter(|&&k| {
            let w = s.tok(k);
            w.chars().next().is_some_and(char::is_lowercase)
                && !w.chars().any(char::is_uppercase)
                && !TITLE_CASE_SMALL_WORDS.contains(&s.words.lower(k))
                && w.chars().count() > 1
        })
        .count();
    let first_lower = s
        .tok(words[0])
        .chars()
        .next()
        .is_some_and(char::is_lowercase)
        && !s.tok(words[0]).chars().any(char::is_uppercase);
    if lower > 0 && (words.len() > 4 || lower * 2 > words.len() + 1) && !first_lower {
        return None;
    }
    if first_lower && words.len() > 4 {
        return None;
    }
    let text = s.slice(a, b).trim().to_string();
    Some(Span {
        sent,
        a,
        b,
        text,
        origin: Origin::Quoted {
            lower: first_lower || lower > 0,
        },
        known: None,
        initial: false,
    })
}

const TITLE_CASE_SMALL_WORDS: &[&str] = &[
    "a", "an", "the", "of", "in", "on", "at", "to", "for", "and", "or", "with", "by", "from", "as",
    "vs", "is", "my", "me", "you", "it", "up", "into", "out",
];

/// "Tom and Jerry: The Forbidden Compass" quoted, "Tom and Jerry's 85th anniversary" not: the
/// part of a quoted title before its colon is a name of its own (the franchise), wherever the
/// article writes it.
pub fn title_heads(sents: &[Sentence], per: &mut [Vec<Span>], lex: &Lexicon) {
    let mut heads: Vec<String> = Vec::new();
    for sp in per.iter().flatten() {
        if let (Origin::Quoted { lower: false }, Some((head, _))) =
            (sp.origin, sp.text.split_once(':'))
        {
            let head = head.trim();
            if head.split_whitespace().count() >= 2 && !heads.iter().any(|h| h == head) {
                heads.push(head.to_string());
            }
        }
    }
    for head in heads {
        let words: Vec<String> = super::tokens::tokenize(&head)
            .iter()
            .map(|t| head[t.start..t.end].to_string())
            .collect();
        for (i, s) in sents.iter().enumerate() {
            for a in 0..s.toks.len() {
                let b = a + words.len();
                let hit = b <= s.toks.len()
                    && (a..b).zip(&words).all(|(k, w)| s.tok(k) == w)
                    && !(b < s.toks.len() && (s.is_punct(b, ':') || cap_word(s, b)))
                    && !per[i].iter().any(|sp| a < sp.b && sp.a < b);
                if hit {
                    per[i].push(span(s, i, a, b, Origin::Head, lex));
                }
            }
            per[i].sort_by_key(|sp| sp.a);
        }
    }
}
