//! Decode and clean arbitrary bytes, then the whole article parse (front matter, cleaning,
//! segmentation) in both formats: never a panic, and the cleaned lines are single lines.
#![no_main]
use kwiki::ingest::{self, Format, clean};
use libfuzzer_sys::fuzz_target;
use std::path::Path;
use std::sync::OnceLock;

static BP: OnceLock<clean::Boilerplate> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let bp = BP.get_or_init(clean::Boilerplate::builtin);
    if let Ok(text) = ingest::decode(data) {
        let c = clean::clean(&text, bp);
        for l in &c.lines {
            assert!(!l.is_empty() && !l.contains('\n') && l.trim() == l, "{l:?}");
        }
    }
    for format in [Format::Text, Format::Markdown] {
        if let Ok((Some(a), _)) = ingest::parse_article(Path::new("seeds/f.txt"), data, format, bp)
        {
            assert!(!a.blocks.is_empty());
            for b in a.blocks.iter() {
                for r in &b.sentences {
                    assert!(b.text.get(r.clone()).is_some(), "{r:?} in {:?}", b.text);
                }
            }
        }
    }
});
