//! Extraction on an article built by ingest from arbitrary bytes: never a panic, and the
//! evidence it returns is text of the article.
#![no_main]
use kwiki::extract::{Lexicon, extract};
use kwiki::ingest::{self, Format, clean};
use libfuzzer_sys::fuzz_target;
use std::path::Path;
use std::sync::OnceLock;

static DATA: OnceLock<(clean::Boilerplate, Lexicon)> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let (bp, lex) = DATA.get_or_init(|| (clean::Boilerplate::builtin(), Lexicon::builtin()));
    let (format, body) = match data.split_first() {
        Some((b, rest)) if b % 2 == 1 => (Format::Markdown, rest),
        Some((_, rest)) => (Format::Text, rest),
        None => return,
    };
    if let Ok((Some(article), _)) =
        ingest::parse_article(Path::new("seeds/a.txt"), body, format, bp)
    {
        let _ = extract(&article, lex);
    }
});
