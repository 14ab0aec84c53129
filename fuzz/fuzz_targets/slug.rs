//! Slugs of arbitrary names: non-empty ASCII `[a-z0-9-]`, no leading or trailing dash, at
//! most 80 bytes, and a safe path segment; numbered slugs stay unique.
#![no_main]
use kwiki::link::slug::{SlugSet, slugify};
use kwiki::write::safe_relative;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|names: Vec<String>| {
    let mut set = SlugSet::default();
    let mut seen = std::collections::HashSet::new();
    for name in &names {
        let s = slugify(name);
        assert!(!s.is_empty() && s.len() <= 80, "{name:?} -> {s:?}");
        assert!(
            s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        );
        assert!(
            !s.starts_with('-') && !s.ends_with('-'),
            "{name:?} -> {s:?}"
        );
        assert!(safe_relative(&format!("artist/{s}/index.html")));
        let claimed = set.claim(name);
        assert!(seen.insert(claimed.clone()), "{claimed} handed out twice");
    }
});
