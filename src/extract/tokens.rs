//! A small tokenizer for extraction: words (with inner hyphens and apostrophes), punctuation,
//! line breaks, and the possessive marks that follow a word.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokKind {
    Word,
    Punct(char),
    /// A line break inside a sentence (a scraped line that runs on): names never cross it.
    Newline,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub kind: TokKind,
    /// The word is followed by a possessive mark (`'s`, `’s`, or `'` after an s).
    pub possessive: bool,
}

impl Token {
    pub fn is_word(&self) -> bool {
        self.kind == TokKind::Word
    }

    pub fn is_punct(&self, c: char) -> bool {
        self.kind == TokKind::Punct(c)
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// The char at byte `p` and its length: ASCII is read straight from the byte, the rest
/// decoded (`p` is always a char boundary).
#[inline]
fn char_at(text: &str, p: usize) -> Option<(char, usize)> {
    let b = *text.as_bytes().get(p)?;
    if b < 0x80 {
        return Some((b as char, 1));
    }
    let c = text.get(p..)?.chars().next()?;
    Some((c, c.len_utf8()))
}

/// Whether the char at byte `p` is a word char.
#[inline]
fn word_at(text: &str, p: usize) -> bool {
    char_at(text, p).is_some_and(|(c, _)| is_word_char(c))
}

/// Split `text` into tokens. Possessive marks are folded into the flag of the word before.
/// Walks bytes (decoding only non-ASCII chars) instead of collecting every char first.
pub fn tokenize(text: &str) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut out: Vec<Token> = Vec::with_capacity(text.len() / 4);
    let mut p = 0;
    while let Some((c, len)) = char_at(text, p) {
        if c == '\n' {
            out.push(Token {
                start: p,
                end: p + 1,
                kind: TokKind::Newline,
                possessive: false,
            });
            p += 1;
            continue;
        }
        if c.is_whitespace() {
            p += len;
            continue;
        }
        if is_word_char(c) {
            let start = p;
            // the last char taken into the word, and where it starts
            let mut last = c;
            let mut last_start = p;
            p += len;
            while let Some((ch, l)) = char_at(text, p) {
                if is_word_char(ch) {
                    last = ch;
                    last_start = p;
                    p += l;
                    continue;
                }
                let next = char_at(text, p + l);
                let take = match ch {
                    // inner hyphen: "Lily-Rose", "K-pop", "Young-ah"; "IZ*ONE"
                    '-' | '*' => next.is_some_and(|(n, _)| is_word_char(n)),
                    // dotted initials: "T.O.P", "I.N" (single letters joined by dots)
                    '.' => {
                        next.is_some_and(|(n, nl)| n.is_uppercase() && !word_at(text, p + l + nl))
                            && ((last_start == start && c.is_uppercase())
                                || (last_start > 0 && bytes[last_start - 1] == b'.'))
                    }
                    // trailing plus of platform names: "Disney+"
                    '+' => {
                        if !next.is_some_and(|(n, _)| is_word_char(n)) {
                            last = ch;
                            p += l;
                        }
                        break;
                    }
                    // inner apostrophe that is not a possessive: "doesn't", "O'Brien"
                    '\'' | '’' => next.is_some_and(|(n, nl)| {
                        is_word_char(n) && !(matches!(n, 's' | 'S') && !word_at(text, p + l + nl))
                    }),
                    _ => false,
                };
                match next {
                    Some((n, nl)) if take => {
                        last = n;
                        last_start = p + l;
                        p += l + nl;
                    }
                    _ => break,
                }
            }
            let mut tok = Token {
                start,
                end: p,
                kind: TokKind::Word,
                possessive: false,
            };
            // possessive: 's / ’s, or a bare apostrophe after a word ending in s ("BTS'")
            if let Some(('\'' | '’', l)) = char_at(text, p) {
                if matches!(char_at(text, p + l), Some(('s' | 'S', _))) && !word_at(text, p + l + 1)
                {
                    tok.possessive = true;
                    p += l + 1;
                } else if matches!(last, 's' | 'S') && !word_at(text, p + l) {
                    tok.possessive = true;
                    p += l;
                }
            }
            out.push(tok);
            continue;
        }
        out.push(Token {
            start: p,
            end: p + len,
            kind: TokKind::Punct(c),
            possessive: false,
        });
        p += len;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The char-indexed tokenizer `tokenize` replaced: the tests check they agree.
    fn tokenize_reference(text: &str) -> Vec<Token> {
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let at = |i: usize| chars.get(i).map(|&(_, c)| c);
        let pos = |i: usize| chars.get(i).map_or(text.len(), |&(p, _)| p);
        let mut out: Vec<Token> = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i].1;
            if c == '\n' {
                out.push(Token {
                    start: pos(i),
                    end: pos(i + 1),
                    kind: TokKind::Newline,
                    possessive: false,
                });
                i += 1;
                continue;
            }
            if c.is_whitespace() {
                i += 1;
                continue;
            }
            if is_word_char(c) {
                let start = i;
                i += 1;
                loop {
                    match at(i) {
                        Some(ch) if is_word_char(ch) => i += 1,
                        // inner hyphen: "Lily-Rose", "K-pop", "Young-ah"; "IZ*ONE"
                        Some('-' | '*') if at(i + 1).is_some_and(is_word_char) => i += 2,
                        // dotted initials: "T.O.P", "I.N" (single letters joined by dots)
                        Some('.')
                            if at(i + 1).is_some_and(|c| c.is_uppercase())
                                && !at(i + 2).is_some_and(is_word_char)
                                && i - start == 1
                                && chars[start].1.is_uppercase() =>
                        {
                            i += 2
                        }
                        Some('.')
                            if at(i + 1).is_some_and(|c| c.is_uppercase())
                                && !at(i + 2).is_some_and(is_word_char)
                                && i >= 2
                                && chars[i - 2].1 == '.' =>
                        {
                            i += 2
                        }
                        // trailing plus of platform names: "Disney+"
                        Some('+') if !at(i + 1).is_some_and(is_word_char) => {
                            i += 1;
                            break;
                        }
                        // inner apostrophe that is not a possessive: "doesn't", "O'Brien"
                        Some('\'' | '’')
                            if at(i + 1).is_some_and(is_word_char)
                                && !(matches!(at(i + 1), Some('s' | 'S'))
                                    && !at(i + 2).is_some_and(is_word_char)) =>
                        {
                            i += 2
                        }
                        _ => break,
                    }
                }
                let mut tok = Token {
                    start: pos(start),
                    end: pos(i),
                    kind: TokKind::Word,
                    possessive: false,
                };
                // possessive: 's / ’s, or a bare apostrophe after a word ending in s ("BTS'")
                if matches!(at(i), Some('\'' | '’')) {
                    let last = chars[i - 1].1;
                    if matches!(at(i + 1), Some('s' | 'S')) && !at(i + 2).is_some_and(is_word_char)
                    {
                        tok.possessive = true;
                        i += 2;
                    } else if matches!(last, 's' | 'S') && !at(i + 1).is_some_and(is_word_char) {
                        tok.possessive = true;
                        i += 1;
                    }
                }
                out.push(tok);
                continue;
            }
            out.push(Token {
                start: pos(i),
                end: pos(i + 1),
                kind: TokKind::Punct(c),
                possessive: false,
            });
            i += 1;
        }
        out
    }

    #[test]
    fn agrees_with_the_char_indexed_tokenizer() {
        let cases = [
            "BTS's show, Doja Cat’s song; BTS' Jimin",
            "Lily-Rose doesn't O'Brien K-pop IZ*ONE Disney+ and Apple TV+.",
            "T.O.P, I.N, .a.B x.Y a.B.C U.S. A.b ..A.B",
            "Amazon Prime\nVideo\r\n\t  (tab)",
            "블랙핑크의 지수 — «Snowdrop» ‘quoted’ “double” Beyoncé’S JENNIE'S ros\u{e9}'",
            "ends with apostrophe s' and 's and ’ and - and -x x- x-- x-'s",
            "Ünïcödé İstanbul ǅ ß.Ü é.É 1.A 12's 90s' 2020’s é's É’ é.",
            "\u{a0}non-breaking\u{2003}em space\u{200b}zero width",
        ];
        for t in cases {
            assert_eq!(tokenize(t), tokenize_reference(t), "{t:?}");
        }
    }

    fn words(t: &str) -> Vec<(String, bool)> {
        tokenize(t)
            .into_iter()
            .filter(|x| x.is_word())
            .map(|x| (t[x.start..x.end].to_string(), x.possessive))
            .collect()
    }

    #[test]
    fn possessives_are_flags() {
        assert_eq!(
            words("BTS's show"),
            vec![("BTS".into(), true), ("show".into(), false)]
        );
        assert_eq!(
            words("Doja Cat’s song"),
            vec![
                ("Doja".into(), false),
                ("Cat".into(), true),
                ("song".into(), false)
            ]
        );
        assert_eq!(
            words("BTS' Jimin"),
            vec![("BTS".into(), true), ("Jimin".into(), false)]
        );
    }

    #[test]
    fn inner_hyphens_and_apostrophes_stay() {
        assert_eq!(
            words("Lily-Rose doesn't"),
            vec![("Lily-Rose".into(), false), ("doesn't".into(), false)]
        );
    }

    #[test]
    fn dotted_initials_are_one_word() {
        assert_eq!(
            words("T.O.P, and I.N left"),
            vec![
                ("T.O.P".into(), false),
                ("and".into(), false),
                ("I.N".into(), false),
                ("left".into(), false)
            ]
        );
        assert_eq!(words("IZ*ONE"), vec![("IZ*ONE".into(), false)]);
    }

    #[test]
    fn newline_is_a_token() {
        let t = tokenize("Amazon Prime\nVideo");
        assert_eq!(t[2].kind, TokKind::Newline);
    }
}
