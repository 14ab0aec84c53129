//! Sentence segmentation: pure functions over one paragraph of text.
use std::ops::Range;

/// Words whose trailing period does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "vs", "etc", "e.g", "i.e", "pt", "no", "vol", "jr", "sr", "inc",
    "co", "corp", "ltd", "feat", "ft", "approx", "dept", "est", "ep", "ch", "u.s", "u.k", "a.k.a",
    "aka", "prof", "gen", "gov", "sen", "rep", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec", "mt", "ave", "bros",
];

/// The longest sentence handed on, in bytes. A run of text with no sentence end longer than
/// this (a dump, a list glued into one line) is cut at white space into pieces of at most
/// this size: real sentences are far shorter (the longest in the test corpora is under 600
/// bytes), and the extractor's work grows faster than linearly with a sentence's length.
pub const MAX_SENTENCE_BYTES: usize = 2000;

/// Byte ranges of the sentences of `text`, trimmed, in order, none longer than
/// `MAX_SENTENCE_BYTES`. A sentence ends at `.`, `!`
/// or `?` (with any closing quotes or brackets) followed by white space and a character that
/// can open a sentence; abbreviations and initials ("Pt.1", "Mr.", "J. K.") do not end one.
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    // byte offsets, walking from one terminator to the next (no per-character buffer)
    let mut i = 0;
    while let Some(off) = text[i..].find(['.', '!', '?', '…']) {
        let pos = i + off;
        let Some(c) = text[pos..].chars().next() else {
            break;
        };
        // absorb repeated terminators and closing quotes/brackets
        let mut j = pos + c.len_utf8();
        for ch in text[j..].chars() {
            if !matches!(ch, '.' | '!' | '?' | '"' | '\'' | '”' | '’' | ')' | ']') {
                break;
            }
            j += ch.len_utf8();
        }
        let end = j;
        let rest = &text[j..];
        let next_starts = rest.chars().find(|ch| !ch.is_whitespace());
        let had_space = rest.chars().next().is_some_and(char::is_whitespace);
        let opens = next_starts.is_none_or(|ch| {
            ch.is_uppercase()
                || ch.is_ascii_digit()
                || matches!(ch, '"' | '“' | '\'' | '‘' | '(' | '[')
        });
        // "in the US.The group", "Fallon said.BTS is": a scrape that lost the space
        let before = text[..pos].chars().next_back();
        let mut next2 = rest.chars();
        let (n1, n2) = (next2.next(), next2.next());
        let glued = c == '.'
            && before.is_some_and(char::is_alphabetic)
            && !text[..pos].chars().rev().nth(1).is_some_and(|ch| ch == '.')
            && n1.is_some_and(char::is_uppercase)
            && n2.is_some_and(|ch| {
                ch.is_lowercase() || (ch.is_uppercase() && before.is_some_and(char::is_lowercase))
            });
        if (had_space || rest.is_empty() || glued)
            && opens
            && !(c == '.' && is_abbreviation(&text[start..pos]))
        {
            push_trimmed(text, start..end, &mut out);
            start = end;
        }
        i = j;
    }
    push_trimmed(text, start..text.len(), &mut out);
    if out.iter().any(|r| r.len() > MAX_SENTENCE_BYTES) {
        out = out
            .into_iter()
            .flat_map(|r| cut_long(text, r, MAX_SENTENCE_BYTES))
            .collect();
    }
    // every block keeps its ranges: most hold one or two, not the four a Vec grows to
    out.shrink_to_fit();
    out
}

/// Cut `r` into pieces of at most `max` bytes, at the last white space before the limit
/// (or at a character boundary when there is none).
fn cut_long(text: &str, r: Range<usize>, max: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = r.start;
    while r.end - start > max {
        let mut limit = start + max;
        while !text.is_char_boundary(limit) {
            limit -= 1;
        }
        let piece = &text[start..limit];
        let cut = match piece.rfind(char::is_whitespace) {
            Some(i) if i > 0 => start + i,
            _ => limit,
        };
        push_trimmed(text, start..cut, &mut out);
        start = cut;
        // skip the white space the cut stopped at
        start += text[start..r.end].len() - text[start..r.end].trim_start().len();
    }
    push_trimmed(text, start..r.end, &mut out);
    out
}

fn is_abbreviation(before: &str) -> bool {
    let from = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric() || *c == '.')
        .last()
        .map_or(before.len(), |(k, _)| k);
    let word = &before[from..];
    if word.is_empty() {
        return false;
    }
    // a single capital letter is an initial ("J. K. Rowling")
    let mut chars = word.chars();
    if let (Some(c), None) = (chars.next(), chars.next())
        && c.is_uppercase()
    {
        return true;
    }
    if word.is_ascii() {
        return ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word));
    }
    ABBREVIATIONS.contains(&word.to_lowercase().as_str())
}

fn push_trimmed(text: &str, r: Range<usize>, out: &mut Vec<Range<usize>>) {
    let s = &text[r.clone()];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    if lead + trail < s.len() {
        out.push(r.start + lead..r.end - trail);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(t: &str) -> Vec<&str> {
        sentences(t).into_iter().map(|r| &t[r]).collect()
    }

    #[test]
    fn splits_on_terminal_punctuation() {
        assert_eq!(
            split("The effectiveness was evident. The song “Messy” by Rose debuted."),
            vec![
                "The effectiveness was evident.",
                "The song “Messy” by Rose debuted."
            ]
        );
    }

    #[test]
    fn keeps_abbreviations_and_titles_together() {
        assert_eq!(
            split("He sang \"Angel Pt.1\" with Mr. Kim. Then he left."),
            vec!["He sang \"Angel Pt.1\" with Mr. Kim.", "Then he left."]
        );
    }

    #[test]
    fn closing_quote_stays_with_its_sentence() {
        assert_eq!(
            split("He said, \"It is done.\" Fans cheered!"),
            vec!["He said, \"It is done.\"", "Fans cheered!"]
        );
    }

    #[test]
    fn runaway_sentences_are_cut_at_white_space() {
        let text = "word ".repeat(1000) + "end.";
        let parts = sentences(&text);
        assert!(parts.len() > 2, "{parts:?}");
        assert!(parts.iter().all(|r| r.len() <= MAX_SENTENCE_BYTES));
        assert!(parts.iter().all(|r| text[r.clone()].starts_with("word")));
        let joined: Vec<&str> = parts.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(joined.join(" "), text);
        // no white space at all: cut at character boundaries
        let text = "é".repeat(3000);
        let parts = sentences(&text);
        assert!(parts.iter().all(|r| r.len() <= MAX_SENTENCE_BYTES));
        assert_eq!(parts.iter().map(|r| r.len()).sum::<usize>(), text.len());
    }

    #[test]
    fn ellipsis_after_a_terminator_and_non_ascii_words() {
        assert_eq!(
            split("Wait.… Then Élan Co. signed. Ça va."),
            vec!["Wait.…", "Then Élan Co. signed.", "Ça va."]
        );
        assert_eq!(split("É. Kim sang."), vec!["É. Kim sang."]);
    }

    #[test]
    fn unfinished_sentence_is_kept() {
        assert_eq!(
            split("will appear in the US Netflix TV series \"The"),
            vec!["will appear in the US Netflix TV series \"The"]
        );
    }
}
