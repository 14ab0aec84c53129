//! Which names are spellings of one another: the same letters once case, accents, spacing
//! and punctuation are set aside, a possessive `s`, a typo or a word-order swap, in the same
//! script. For the names shown to readers (`render`) and the duplicates `kwiki check` suggests.
/// A name reduced to what tells names apart.
pub struct Form {
    pub script: Script,
    /// Transliterated, lower-cased, letters and digits only ("Rosé" and "ROSE" are "rose").
    pub letters: String,
    /// Its words so reduced, a hyphenated word as one ("Lily-Rose Depp": `lilyrose`, `depp`).
    pub words: Vec<String>,
    /// Its words with hyphenated ones split (`lily`, `rose`, `depp`).
    pub parts: Vec<String>,
}

impl Form {
    pub fn of(name: &str) -> Form {
        use crate::ingest::titles::folded_words;
        let words = folded_words(name, char::is_whitespace);
        let parts = folded_words(name, |c: char| c.is_whitespace() || c == '-');
        Form {
            script: Script::of(name),
            letters: words.concat(),
            words,
            parts,
        }
    }

    /// Whether this is another spelling of `other`, in the same script: the same letters, or
    /// one more `s` (a possessive: "Doja Cats"), or the same words in any order, each a typo
    /// apart ("Inman Vellani", "Nikaido Fumi").
    pub fn is_variant_of(&self, other: &Form) -> bool {
        if self.script != other.script {
            return false;
        }
        let (a, b) = (&self.letters, &other.letters);
        if a == b || a.strip_suffix('s') == Some(b) || b.strip_suffix('s') == Some(a) {
            return true;
        }
        // a word more is another name ("Super Junior M"), not a spelling
        if self.parts.len() != other.parts.len() {
            return false;
        }
        let sorted = |f: &Form| {
            let mut p = f.parts.clone();
            p.sort();
            p
        };
        sorted(self)
            .iter()
            .zip(sorted(other))
            .all(|(x, y)| typo_apart(x, &y))
    }
}

/// Two words that are one word mistyped: equal, or of four letters or more and at most a
/// quarter of them off (at least one): "Netflx" is Netflix, "Lalisa" is not "Lisa".
fn typo_apart(x: &str, y: &str) -> bool {
    let longer = x.chars().count().max(y.chars().count());
    x == y || longer >= 4 && strsim::damerau_levenshtein(x, y) <= (longer / 4).max(1)
}

/// The writing system of most of a name's letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    Latin,
    Hangul,
    Kana,
    Han,
    Cyrillic,
    Other,
    None,
}

impl Script {
    pub fn of(name: &str) -> Script {
        const ALL: [Script; 6] = [
            Script::Latin,
            Script::Hangul,
            Script::Kana,
            Script::Han,
            Script::Cyrillic,
            Script::Other,
        ];
        let mut counts = [0usize; ALL.len()];
        for c in name.chars().filter(|c| c.is_alphabetic()) {
            let s = Script::of_char(c);
            counts[ALL.iter().position(|&x| x == s).unwrap_or(ALL.len() - 1)] += 1;
        }
        // the first of the most used, so a tie is decided the same way every time
        let (i, n) = counts.iter().enumerate().fold(
            (0, 0),
            |best, (i, &n)| {
                if n > best.1 { (i, n) } else { best }
            },
        );
        if n == 0 { Script::None } else { ALL[i] }
    }

    fn of_char(c: char) -> Script {
        match c {
            'a'..='z' | 'A'..='Z' | '\u{c0}'..='\u{24f}' | '\u{1e00}'..='\u{1eff}' => Script::Latin,
            '\u{1100}'..='\u{11ff}' | '\u{3130}'..='\u{318f}' | '\u{ac00}'..='\u{d7af}' => {
                Script::Hangul
            }
            '\u{3040}'..='\u{30ff}' | '\u{31f0}'..='\u{31ff}' => Script::Kana,
            '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' => Script::Han,
            '\u{400}'..='\u{4ff}' => Script::Cyrillic,
            _ => Script::Other,
        }
    }
}
