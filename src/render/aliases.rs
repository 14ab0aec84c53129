//! The other names a reader is shown ("also known as"): real alternative names, such as a
//! name in another script, a stage name beside a birth name, an abbreviation. The variants
//! the articles also used (a case or accent difference, a possessive, a typo, a word-order
//! swap) still find the entity in search and redirect to it, but are not shown as names.
use deunicode::deunicode;

/// The aliases of `name` worth showing to readers, in their order.
pub fn for_readers<'a>(name: &str, aliases: &'a [String]) -> Vec<&'a str> {
    let mut shown: Vec<(&str, Form)> = Vec::new();
    let own = Form::of(name);
    for alias in aliases {
        let form = Form::of(alias);
        let variant = form.is_variant_of(&own) || shown.iter().any(|(_, f)| form.is_variant_of(f));
        if !variant {
            shown.push((alias, form));
        }
    }
    shown.into_iter().map(|(a, _)| a).collect()
}

/// A name reduced to what tells names apart.
struct Form {
    script: Script,
    /// Transliterated, lower-cased, letters and digits only ("Rosé" and "ROSE" are "rose").
    letters: String,
    /// The same, word by word in sorted order ("Fumi Nikaido" and "Nikaido Fumi" agree).
    sorted: String,
}

impl Form {
    fn of(name: &str) -> Form {
        let folded = deunicode(name).to_lowercase();
        let word = |w: &str| -> String { w.chars().filter(|c| c.is_alphanumeric()).collect() };
        let mut words: Vec<String> = folded
            .split(|c: char| c.is_whitespace() || c == '-')
            .map(word)
            .filter(|w| !w.is_empty())
            .collect();
        let letters = words.concat();
        words.sort();
        Form {
            script: Script::of(name),
            letters,
            sorted: words.concat(),
        }
    }

    /// Whether this is another spelling of `other`: the same script, and the same letters,
    /// or one more `s` (a possessive: "Doja Cats"), or a few letters off in any word order.
    fn is_variant_of(&self, other: &Form) -> bool {
        if self.script != other.script {
            return false;
        }
        let (a, b) = (&self.letters, &other.letters);
        if a == b || a.strip_suffix('s') == Some(b) || b.strip_suffix('s') == Some(a) {
            return true;
        }
        let longer = self
            .sorted
            .chars()
            .count()
            .max(other.sorted.chars().count());
        strsim::damerau_levenshtein(&self.sorted, &other.sorted) <= (longer / 6).max(1)
    }
}

/// The writing system of most of a name's letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    Latin,
    Hangul,
    Kana,
    Han,
    Cyrillic,
    Other,
    None,
}

impl Script {
    fn of(name: &str) -> Script {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(name: &str, aliases: &[&str]) -> Vec<String> {
        let aliases: Vec<String> = aliases.iter().map(|a| a.to_string()).collect();
        for_readers(name, &aliases)
            .into_iter()
            .map(String::from)
            .collect()
    }

    #[test]
    fn variants_are_not_names() {
        // accents and case, a possessive garble, a typo, a word-order swap, spacing
        assert!(shown("Rosé", &["Rose", "ROSÉ"]).is_empty());
        assert!(shown("Doja Cat", &["Doja Cats", "Doja Cat's"]).is_empty());
        assert!(shown("Netflix", &["Netflix T", "Netflx"]).is_empty());
        assert!(shown("Mission Impossible 8", &["Incessible mission 8"]).is_empty());
        assert!(shown("Fumi Nikaido", &["Nikaido Fumi"]).is_empty());
        assert!(shown("NewJeans", &["New Jeans", "New-Jeans"]).is_empty());
        assert!(
            shown(
                "Rebel Moon - Part Two: The Scargiver",
                &["Rebel Moon - Part Two: The scargiver"]
            )
            .is_empty()
        );
    }

    #[test]
    fn real_alternative_names_are_shown() {
        // another script, a birth name, an abbreviation, a short or other title
        assert_eq!(shown("Rosé", &["로제", "Rose"]), ["로제"]);
        assert_eq!(
            shown("Lisa", &["Lalisa Manobal", "Lalisa"]),
            ["Lalisa Manobal", "Lalisa"]
        );
        assert_eq!(shown("Stray Kids", &["SKZ"]), ["SKZ"]);
        assert_eq!(shown("Fast & Furious 10", &["Fast X"]), ["Fast X"]);
        assert_eq!(shown("Kakao Entertainment", &["Kakao"]), ["Kakao"]);
        // of two spellings of one alternative name, the first is shown
        assert_eq!(
            shown("Rosé", &["Park Chae-young", "Park Chaeyoung", "박채영"]),
            ["Park Chae-young", "박채영"]
        );
    }
}
