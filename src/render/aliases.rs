//! The other names a reader is shown ("also known as"): real alternative names, such as a
//! name in another script, a stage name beside a birth name, an abbreviation. The variants
//! the articles also used (a case or accent difference, a possessive, a typo, a word-order
//! swap) still find the entity in search and redirect to it, but are not shown as names.
use crate::link::variants::Form;

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
        assert!(shown("Netflix", &["Netflx", "NETFLIX"]).is_empty());
        assert!(shown("Iman Vellani", &["Inman Vellani"]).is_empty());
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
        // another name beside a word more, or a letter apart in a short word
        assert_eq!(
            shown("Super Junior", &["Super Junior M"]),
            ["Super Junior M"]
        );
        assert_eq!(
            shown("Park Jin-young", &["Park Min-young"]),
            ["Park Min-young"]
        );
        // of two spellings of one alternative name, the first is shown
        assert_eq!(
            shown("Rosé", &["Park Chae-young", "Park Chaeyoung", "박채영"]),
            ["Park Chae-young", "박채영"]
        );
    }
}
