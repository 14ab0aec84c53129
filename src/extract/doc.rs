//! The article as the extractor reads it: each sentence's tokens and lower-cased words, and
//! what kind of line it is. Capitals say "name" only in prose: in a headline set in title case
//! or a crumb in capitals they say nothing, and a byline or a photo credit names sources, not
//! the story.
use super::Unit;
use super::lexicon::{Lexicon, PhraseSet};
use super::tokens::{TokKind, Token, tokenize};
use super::words::Words;

/// One sentence, ready for the passes.
#[derive(Debug)]
pub struct Sentence {
    pub text: String,
    pub toks: Vec<Token>,
    pub words: Words,
    pub heading: bool,
    /// The scraped lines the sentence runs over (most sentences have one).
    pub lines: Vec<Line>,
    /// The whole sentence is shouty (every line is).
    pub shouty: bool,
}

/// One scraped line of a sentence: tokens [a, b).
#[derive(Debug, Clone, Copy)]
pub struct Line {
    pub a: usize,
    pub b: usize,
    /// Capitals carry no signal: no lower-case content word (a title-case headline, a crumb).
    pub shouty: bool,
    /// Tokens from here on credit a source (byline, photo credit, agency): `b` if none.
    pub credit_from: usize,
    /// Tokens before this are a dateline ("SEOUL, Aug. 19 (Yonhap) —"): `a` if none.
    pub dateline_to: usize,
}

impl Sentence {
    pub fn new(unit: Unit, lex: &Lexicon) -> Sentence {
        let mut toks = tokenize(&straight_possessives(&unit.text));
        close_single_quotes(&unit.text, &mut toks);
        let words = Words::new(&unit.text, &toks, lex);
        let mut s = Sentence {
            text: unit.text,
            toks,
            words,
            heading: unit.heading,
            lines: Vec::new(),
            shouty: false,
        };
        let mut a = 0;
        for k in 0..=s.toks.len() {
            if k == s.toks.len() || s.toks[k].kind == TokKind::Newline {
                let mut line = Line {
                    a,
                    b: k,
                    shouty: false,
                    credit_from: k,
                    dateline_to: a,
                };
                // a line that continues the sentence before it is shouty only when long
                line.shouty =
                    shouty(&s, &line) && (a == 0 || (a..k).filter(|&j| s.is_word(j)).count() >= 4);
                line.credit_from = credit_start(&s, &line, lex).unwrap_or(k);
                line.dateline_to = dateline_end(&s, &line);
                s.lines.push(line);
                a = k + 1;
            }
        }
        s.shouty = s.lines.iter().all(|l| l.shouty);
        s
    }

    /// The line token `k` is on.
    pub fn line(&self, k: usize) -> &Line {
        self.lines
            .iter()
            .find(|l| k < l.b)
            .unwrap_or(&self.lines[self.lines.len() - 1])
    }

    /// Whether token `k` is on a line whose capitals say nothing.
    pub fn shouty_at(&self, k: usize) -> bool {
        self.line(k).shouty
    }

    /// The text of token `k`.
    pub fn tok(&self, k: usize) -> &str {
        let t = &self.toks[k];
        &self.text[t.start..t.end]
    }

    /// The text of tokens [a, b), as written.
    pub fn slice(&self, a: usize, b: usize) -> &str {
        if a >= b {
            return "";
        }
        &self.text[self.toks[a].start..self.toks[b - 1].end]
    }

    pub fn is_word(&self, k: usize) -> bool {
        self.toks.get(k).is_some_and(|t| t.is_word())
    }

    /// Whether token `k` is a word that is one of the set's one-word phrases.
    pub fn word_in(&self, k: usize, set: &PhraseSet) -> bool {
        self.is_word(k) && set.contains_word(self.words.id(k))
    }

    /// Whether some word of tokens `a..b` is one of the set's one-word phrases.
    pub fn any_word_in(&self, a: usize, b: usize, set: &PhraseSet) -> bool {
        (a..b).any(|k| self.word_in(k, set))
    }

    pub fn is_punct(&self, k: usize, c: char) -> bool {
        self.toks.get(k).is_some_and(|t| t.is_punct(c))
    }

    /// Whether token `k` is in a credit or a dateline.
    pub fn in_credit(&self, k: usize) -> bool {
        let l = self.line(k);
        k >= l.credit_from || k < l.dateline_to
    }

    /// Whether tokens `a` and `b` (b = a + 1) touch with no space between.
    pub fn touching(&self, a: usize, b: usize) -> bool {
        self.toks[a].end == self.toks[b].start
    }
}

/// A machine garble writes the possessive with a double quote ("True Detective"s Nic"): read
/// it as an apostrophe (same byte length, so token offsets hold for the original text).
fn straight_possessives(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("\"s") {
        return std::borrow::Cow::Borrowed(text);
    }
    let b = text.as_bytes();
    let mut out = b.to_vec();
    for i in 1..b.len().saturating_sub(1) {
        let after = b.get(i + 2).is_none_or(|c| !c.is_ascii_alphanumeric());
        if b[i] == b'"' && b[i - 1].is_ascii_alphabetic() && b[i + 1] == b's' && after {
            out[i] = b'\'';
        }
    }
    std::borrow::Cow::Owned(String::from_utf8(out).unwrap_or_else(|_| text.to_string()))
}

/// "'KPop Demon Hunters'": a single quote opened before a name closes after a word ending in
/// s, which the tokenizer read as a possessive ("Hunters'"): make it the closing mark.
fn close_single_quotes(text: &str, toks: &mut Vec<Token>) {
    let mut open = false;
    let mut k = 0;
    while k < toks.len() {
        let t = toks[k];
        match t.kind {
            TokKind::Punct('\'' | '‘') => {
                let before_space = k == 0 || toks[k - 1].end < t.start;
                let after_word = toks
                    .get(k + 1)
                    .is_some_and(|n| n.start == t.end && n.is_word());
                open = before_space && after_word;
            }
            TokKind::Punct('’') if open => open = false,
            TokKind::Word if open && t.possessive => {
                let mark = text[t.end..].chars().next();
                let len = mark.map_or(0, char::len_utf8);
                let bare = matches!(mark, Some('\'' | '’'))
                    && !text[t.end + len..].starts_with(['s', 'S']);
                if bare {
                    toks[k].possessive = false;
                    toks.insert(
                        k + 1,
                        Token {
                            start: t.end,
                            end: t.end + len,
                            kind: TokKind::Punct(mark.unwrap_or('\'')),
                            possessive: false,
                        },
                    );
                    open = false;
                    k += 1;
                }
            }
            TokKind::Newline => open = false,
            _ => {}
        }
        k += 1;
    }
}

/// Words that stay lower case in a title-case headline.
const TITLE_CASE_SMALL: &[&str] = &[
    "a", "an", "the", "of", "in", "on", "at", "to", "for", "and", "or", "with", "by", "from", "as",
    "vs", "via", "is", "are", "x", "de", "feat", "ft", "into", "over", "up",
];

/// A line whose capitals say nothing: no content word in lower case.
fn shouty(s: &Sentence, line: &Line) -> bool {
    let mut words = 0;
    let mut lower = 0;
    for k in line.a..line.b {
        if !s.is_word(k) {
            continue;
        }
        let w = s.tok(k);
        if !w.chars().any(char::is_alphabetic) {
            continue;
        }
        words += 1;
        let first_lower = w.chars().next().is_some_and(char::is_lowercase);
        let camel = w.chars().skip(1).any(char::is_uppercase);
        if first_lower && !camel && !TITLE_CASE_SMALL.contains(&s.words.lower(k)) {
            lower += 1;
        }
    }
    words > 0 && lower == 0 && (words >= 3 || s.heading || line.b - line.a <= 3)
}

/// Where a credit starts: "By X" lines, "Photo: X", "Courtesy of X", "source X/Y", a final
/// "(Agency)" or "/Agency", "— Publication", "X - site.com", lines with an e-mail address.
fn credit_start(s: &Sentence, line: &Line, lex: &Lexicon) -> Option<usize> {
    let (a, n) = (line.a, line.b);
    if a >= n {
        return None;
    }
    let text = s.slice(a, n);
    if text.contains('@') && text.contains('.') && n - a <= 16 {
        return Some(a);
    }
    let words = (a..n).filter(|&k| s.is_word(k)).count();
    if s.tok(a) == "By" && words <= 7 {
        return Some(a);
    }
    // "This article ... is translated by ...": a note on the article itself
    if s.tok(a) == "This"
        && s.is_word(a + 1)
        && matches!(s.words.lower(a + 1), "article" | "story" | "report")
    {
        return Some(a);
    }
    // "By Yim Hyun-su (hyunsu@heraldcorp.com)" run into the last sentence
    if let Some(k) =
        (a..n).find(|&k| s.tok(k) == "By" && (k + 1..(k + 8).min(n)).any(|j| s.is_punct(j, '@')))
    {
        return Some(k);
    }
    for k in a..n {
        if !s.is_word(k) {
            continue;
        }
        let w = s.tok(k);
        let next_is_name = s.is_punct(k + 1, ':')
            || s.toks.get(k + 1).is_some_and(|t| {
                t.is_word() && s.text[t.start..].starts_with(|c: char| c.is_uppercase())
            });
        let cue = match w {
            "Photo" | "Photos" | "Image" | "Images" | "Credit" | "CREDIT" | "Credits"
            | "Source" | "Copyright" | "Screenshot" | "Capture" => next_is_name || k == 0,
            "Courtesy" => true,
            // "... on “Sour Candy.” source Lady Gaga/Twitter/Getty Images"
            "source" => next_is_name && (k == a || !s.is_word(k - 1)),
            "via" => next_is_name && k + 3 >= n,
            _ => false,
        };
        if cue && (k == a || k + 20 >= n) {
            return Some(k);
        }
    }
    final_agency(s, line, lex)
}

/// A sentence that ends by naming its agency or publication: "(Yonhap)", "/Yonhap",
/// "— The Korea Herald", "Kristofer Purnell - Philstar.com".
fn final_agency(s: &Sentence, line: &Line, lex: &Lexicon) -> Option<usize> {
    let n = line.b;
    // the last run of words, and what stands before it
    let mut end = n;
    while end > line.a && !s.is_word(end - 1) {
        end -= 1;
    }
    let mut start = end;
    while start > line.a && (s.is_word(start - 1) || s.is_punct(start - 1, '.')) {
        start -= 1;
    }
    if start == end || end - start > 5 {
        return None;
    }
    let tail = s.slice(start, end).as_bytes();
    let media = lex.media.contains(s.words.ids(start, end))
        || tail.len() > 4 && tail[tail.len() - 4..].eq_ignore_ascii_case(b".com");
    let before = (start > line.a).then(|| s.toks[start - 1].kind);
    match before {
        Some(TokKind::Punct('(' | '/' | '—' | '–' | '|')) if media => Some(start - 1),
        Some(TokKind::Punct('-')) if media => Some(line.a),
        None if media && end == n => Some(line.a),
        _ => None,
    }
}

/// The end of a dateline: "SEOUL, Aug. 19 (Yonhap) —", "MANILA, Philippines —".
fn dateline_end(s: &Sentence, line: &Line) -> usize {
    let a = line.a;
    if a >= line.b || !s.is_word(a) {
        return a;
    }
    let w = s.tok(a);
    if w.len() < 3 || !w.chars().all(|c| c.is_uppercase()) || !s.is_punct(a + 1, ',') {
        return a;
    }
    (a + 2..line.b.min(a + 12))
        .find(|&k| s.is_punct(k, '—') || s.is_punct(k, '–') || s.is_punct(k, '-'))
        .map_or(a, |k| k + 1)
}
