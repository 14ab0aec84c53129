//! A sentence's words lower-cased once, aligned with its tokens: cue matching reads every
//! word many times (once per cue set), so lower-casing and looking a word up in the lexicon
//! happen here, once per token.
use super::lexicon::{Lexicon, NO_WORD, WordId};
use super::tokens::Token;

#[derive(Debug, Default)]
pub struct Words {
    /// The lower-cased words, one after another.
    lower: String,
    /// Per token: its lower-cased word in `lower` (empty for punctuation).
    range: Vec<(u32, u32)>,
    /// Per token: its lexicon id (`NO_WORD` for punctuation and words the lexicon lacks).
    ids: Vec<WordId>,
}

impl Words {
    pub fn new(text: &str, toks: &[Token], lex: &Lexicon) -> Words {
        let mut lower = String::with_capacity(text.len());
        let mut range = Vec::with_capacity(toks.len());
        let mut ids = Vec::with_capacity(toks.len());
        for t in toks {
            let start = lower.len();
            if t.is_word() {
                let w = &text[t.start..t.end];
                if w.is_ascii() {
                    lower.push_str(w);
                    lower[start..].make_ascii_lowercase();
                } else {
                    lower.push_str(&w.to_lowercase());
                }
                ids.push(word_id(&lower[start..], lex));
            } else {
                ids.push(NO_WORD);
            }
            range.push((start as u32, lower.len() as u32));
        }
        Words { lower, range, ids }
    }

    /// The lower-cased word of token `k` ("" for punctuation).
    pub fn lower(&self, k: usize) -> &str {
        let (s, e) = self.range[k];
        &self.lower[s as usize..e as usize]
    }

    /// The lexicon id of token `k`.
    pub fn id(&self, k: usize) -> WordId {
        self.ids[k]
    }

    /// The ids of tokens [a, b).
    pub fn ids(&self, a: usize, b: usize) -> &[WordId] {
        &self.ids[a..b]
    }
}

/// A lower-cased word's lexicon id; a hyphenated word the lexicon lacks counts by its last
/// part ("model-turned-actor" is an actor).
fn word_id(lower: &str, lex: &Lexicon) -> WordId {
    let id = lex.vocab.get(lower);
    match lower.rsplit_once('-') {
        Some((_, last)) if id == super::lexicon::NO_WORD && !last.is_empty() => lex.vocab.get(last),
        _ => id,
    }
}
