//! Stable, unique, ASCII slugs.
use rustc_hash::FxHashSet;

/// An ASCII slug: transliterated (Rosé -> rose, 로제 -> roje), lower case, words joined by
/// `-`. Never empty, never `.` or `..`, never longer than 80 bytes.
pub fn slugify(name: &str) -> String {
    let ascii = deunicode::deunicode(name);
    let mut out = String::with_capacity(ascii.len());
    let mut dash = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
            dash = false;
        } else if c == '&' {
            if !out.is_empty() && !dash {
                out.push('-');
            }
            out.push_str("and");
            out.push('-');
            dash = true;
        } else if !out.is_empty() && !dash {
            out.push('-');
            dash = true;
        }
    }
    let mut s = out.trim_matches('-').to_string();
    if s.len() > 80 {
        s.truncate(80);
        s = s.trim_end_matches('-').to_string();
    }
    if s.is_empty() {
        "untitled".to_string()
    } else {
        s
    }
}

/// Hands out slugs unique within one namespace: `name`, then `name-2`, `name-3`...
#[derive(Debug, Default)]
pub struct SlugSet {
    used: FxHashSet<String>,
}

impl SlugSet {
    /// Claim `s` as it is (it must already be a safe path segment), numbering on collision.
    pub fn claim_exact(&mut self, s: &str) -> String {
        if self.used.insert(s.to_string()) {
            return s.to_string();
        }
        self.claim(s)
    }

    pub fn claim(&mut self, base: &str) -> String {
        let base = slugify(base);
        if self.used.insert(base.clone()) {
            return base;
        }
        (2..)
            .map(|n| format!("{base}-{n}"))
            .find(|s| !self.used.contains(s))
            .inspect(|s| {
                self.used.insert(s.clone());
            })
            .unwrap_or(base)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transliterates() {
        assert_eq!(slugify("Rosé"), "rose");
        assert_eq!(slugify("BLACKPINK"), "blackpink");
        assert_eq!(slugify("Fast & Furious 10"), "fast-and-furious-10");
        assert_eq!(
            slugify("Rebel Moon – Part Two: The Scargiver"),
            "rebel-moon-part-two-the-scargiver"
        );
        assert!(slugify("로제").chars().all(|c| c.is_ascii_lowercase()));
    }

    #[test]
    fn never_empty_or_a_path() {
        for s in ["", "...", "/", "..", "</script>", "\0", "!!!"] {
            let slug = slugify(s);
            assert!(
                !slug.is_empty() && !slug.contains('/') && slug != "." && slug != "..",
                "{s:?} -> {slug}"
            );
        }
    }

    #[test]
    fn collisions_get_numbers() {
        let mut set = SlugSet::default();
        assert_eq!(set.claim("Rosé"), "rose");
        assert_eq!(set.claim("Rose"), "rose-2");
        assert_eq!(set.claim("ROSE"), "rose-3");
    }
}
