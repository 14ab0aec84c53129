//! Property tests: no input makes ingest, extraction, slugs or the Markdown renderer panic,
//! and what they return keeps its promises. Case counts are modest so `cargo test` stays
//! quick; the fuzz targets under `fuzz/` run the same code for as long as one likes.
use kwiki::extract::{Lexicon, extract};
use kwiki::ingest::segment::{MAX_SENTENCE_BYTES, sentences};
use kwiki::ingest::{self, Format, clean, frontmatter};
use kwiki::link::slug::{SlugSet, slugify};
use kwiki::render::linker::{Linker, markdown, safe_destination};
use kwiki::write::safe_relative;
use proptest::prelude::*;
use std::path::{Component, Path};
use std::sync::OnceLock;

fn bp() -> &'static clean::Boilerplate {
    static BP: OnceLock<clean::Boilerplate> = OnceLock::new();
    BP.get_or_init(clean::Boilerplate::builtin)
}

fn lexicon() -> &'static Lexicon {
    static LEX: OnceLock<Lexicon> = OnceLock::new();
    LEX.get_or_init(Lexicon::builtin)
}

/// Text that looks a little like an article: words, names, punctuation, odd characters.
fn articleish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => "[A-Z][a-z]{1,8}",
        4 => "[a-z]{1,8}",
        2 => prop::sample::select(vec![
            "Rosé", "BLACKPINK", "Lee Min Ho", "Netflix", "OST", "feat.", "Mr.", "“APT.”",
            "Pt.1", "J. K.", "Source: https://example.com/a", "2024/07/18 07:31 KST",
            "로제", "ซีรี่ย์", "---", "# ", "* ", "<script>", "&amp;", "\u{200b}", "\u{301}",
        ]).prop_map(str::to_string),
        2 => prop::sample::select(vec![". ", "! ", "? ", ", ", "\n", "\n\n", " ", "\t", "\"", "'", "(", ")", ":"])
            .prop_map(str::to_string),
        1 => any::<char>().prop_map(|c| c.to_string()),
    ];
    prop::collection::vec(piece, 0..80).prop_map(|v| v.concat())
}

fn check_sentences(text: &str) -> Result<(), TestCaseError> {
    let mut last = 0;
    for r in sentences(text) {
        prop_assert!(
            r.start >= last && r.start < r.end && r.end <= text.len(),
            "{r:?}"
        );
        let s = text.get(r.clone());
        prop_assert!(s.is_some(), "{r:?} is not on character boundaries");
        let s = s.unwrap();
        prop_assert_eq!(s.trim(), s);
        prop_assert!(s.len() <= MAX_SENTENCE_BYTES);
        last = r.end;
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn decode_never_panics_and_keeps_utf8(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        match ingest::decode(&bytes) {
            Ok(text) => {
                if let Ok(s) = std::str::from_utf8(&bytes)
                    && !s.starts_with('\u{feff}') && !bytes.contains(&0) {
                        // plain UTF-8 comes back unchanged (unless it looked like UTF-16)
                        prop_assert!(text == s || bytes.len() % 2 == 0, "{text:?}");
                    }
            }
            Err(e) => {
                prop_assert!(!e.message.is_empty());
                prop_assert!(e.line.is_none_or(|l| l >= 1) && e.column.is_none_or(|c| c >= 1));
            }
        }
    }

    #[test]
    fn decode_reads_utf16_with_a_bom(text in "[^\u{0}]{0,200}", le in any::<bool>()) {
        let mut bytes = if le { vec![0xFF, 0xFE] } else { vec![0xFE, 0xFF] };
        for u in text.encode_utf16() {
            bytes.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        prop_assert_eq!(ingest::decode(&bytes).unwrap(), text);
    }

    #[test]
    fn decode_points_at_the_bad_byte(prefix in "[a-z \n]{0,50}", bad in 0x80u8..=0xFF) {
        let mut bytes = prefix.as_bytes().to_vec();
        bytes.push(bad);
        bytes.push(0xFF); // never valid, so the error is at `bad` or right after it
        if let Err(e) = ingest::decode(&bytes) {
            let line = prefix.matches('\n').count() + 1;
            prop_assert_eq!(e.line, Some(line));
            let col = prefix.rsplit('\n').next().unwrap().chars().count() + 1;
            prop_assert!(e.column == Some(col) || e.column == Some(col + 1), "{e:?}");
        }
    }

    #[test]
    fn clean_gives_trimmed_single_lines(text in articleish()) {
        let c = clean::clean(&text, bp());
        for l in &c.lines {
            prop_assert!(!l.is_empty());
            prop_assert_eq!(l.trim(), l.as_str());
            prop_assert!(!l.chars().any(|c| c.is_control()), "{l:?}");
        }
        if let Some(s) = &c.source {
            prop_assert!(s.starts_with("http"));
        }
    }

    #[test]
    fn sentences_are_well_formed(text in articleish()) {
        check_sentences(&text)?;
    }

    #[test]
    fn sentences_of_any_string_are_well_formed(text in any::<String>()) {
        check_sentences(&text)?;
    }

    #[test]
    fn runaway_lines_are_cut(word in "[a-zA-Zé]{1,12}", n in 100usize..1500, sep in prop::sample::select(vec![" ", "", ", "])) {
        let text = vec![word.as_str(); n].join(sep);
        check_sentences(&text)?;
    }

    #[test]
    fn front_matter_never_panics(text in articleish(), yaml in "[a-z:\\[\\]{}\"' \n-]{0,60}") {
        for t in [text.clone(), format!("---\n{yaml}\n---\n{text}")] {
            match frontmatter::split(&t) {
                Ok((_, body, line, _)) => {
                    prop_assert!(t.ends_with(body));
                    prop_assert!(line >= 1);
                }
                Err(e) => prop_assert!(e.line >= 1 && e.column >= 1),
            }
        }
    }

    // the characters YAML allows (its `c-printable`, which leaves out U+FFFE and U+FFFF even
    // inside quotes), less the line breaks and the BOM
    #[test]
    fn front_matter_title_round_trips(title in "[^\u{0}-\u{1f}\u{7f}-\u{9f}\u{feff}\u{2028}\u{2029}\u{85}\u{fffe}\u{ffff}]{1,40}") {
        // a JSON string is a YAML string
        let quoted = serde_json::to_string(&title).unwrap();
        let text = format!("---\ntitle: {quoted}\n---\nBody.\n");
        let (fm, body, _, warnings) = frontmatter::split(&text).unwrap();
        prop_assert_eq!(fm.title.as_deref(), Some(title.as_str()));
        prop_assert_eq!(body, "Body.\n");
        prop_assert!(warnings.is_empty());
    }

    #[test]
    fn parse_article_never_panics(text in articleish(), md in any::<bool>()) {
        let format = if md { Format::Markdown } else { Format::Text };
        if let Ok((Some(a), _)) = ingest::parse_article(Path::new("seeds/x.txt"), text.as_bytes(), format, bp()) {
            prop_assert!(!a.blocks.is_empty());
            prop_assert_eq!(a.id.as_str(), "x");
            for b in a.blocks.iter() {
                for r in &b.sentences {
                    prop_assert!(b.text.get(r.clone()).is_some());
                }
            }
        }
    }

    #[test]
    fn slugs_are_safe_path_segments(name in any::<String>()) {
        let s = slugify(&name);
        prop_assert!(!s.is_empty() && s.len() <= 80, "{name:?} -> {s:?}");
        prop_assert!(s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'), "{s:?}");
        prop_assert!(!s.starts_with('-') && !s.ends_with('-'), "{s:?}");
        let path = format!("artist/{s}/index.html");
        prop_assert!(safe_relative(&path), "{path}");
    }

    #[test]
    fn hostile_names_get_safe_slugs(parts in prop::collection::vec(prop::sample::select(vec![
        "/", "..", "\0", "</script>", "!!!", "\\", "%2e", ".", " ", "Rosé", "로제", "&", "\u{202e}",
    ]), 1..8)) {
        let name = parts.concat();
        let s = slugify(&name);
        prop_assert!(s != "." && s != ".." && !s.contains('/') && !s.contains('\0'));
        prop_assert!(s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'), "{s:?}");
    }

    #[test]
    fn slug_sets_never_hand_out_a_slug_twice(names in prop::collection::vec("[a-zA-Z &é-]{0,6}", 0..30)) {
        let mut set = SlugSet::default();
        let mut seen = std::collections::HashSet::new();
        for n in &names {
            let s = set.claim(n);
            prop_assert!(seen.insert(s.clone()), "{s} twice");
        }
    }

    #[test]
    fn safe_relative_paths_stay_inside(path in "[a-z./\\\\\0]{0,20}") {
        if safe_relative(&path) {
            prop_assert!(Path::new(&path).components().all(|c| matches!(c, Component::Normal(_))));
            prop_assert!(!path.contains('\0'));
        }
    }

    #[test]
    fn web_urls_are_web_urls(url in "[ \tA-Za-z:/\"<>.\0-]{0,30}") {
        if ingest::is_web_url(&url) {
            let lower = url.to_ascii_lowercase();
            prop_assert!(lower.starts_with("http://") || lower.starts_with("https://"), "{url:?}");
            prop_assert!(!url.chars().any(|c| c.is_whitespace() || c.is_control() || "\"<>".contains(c)));
        }
    }

    #[test]
    fn markdown_never_emits_an_unsafe_link_or_raw_tag(
        parts in prop::collection::vec(prop::sample::select(vec![
            "[a](", "javascript:", "JaVaScRiPt:", "java\tscript:", "data:", "https://x.y/", "mailto:a@b",
            ")", "![i](", "<", ">", "<script>", "</script>", "<a href=\"javascript:x\">", "\"", "'",
            " onerror=", "text ", "\n\n", "`", "*", "&#106;avascript:", "%6a",
        ]), 0..20)
    ) {
        let md = parts.concat();
        let html = markdown(&md, &Linker::new(Vec::new()));
        for tag in html.split('<').skip(1) {
            let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
            let name: String = tag.trim_start_matches('/').chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
            prop_assert!(
                ["p", "a", "img", "code", "em", "strong", "pre", "br", "h1", "h2", "ul", "ol", "li", "del", "blockquote", "hr", "table", "thead", "tbody", "tr", "th", "td"].contains(&name.as_str()),
                "unexpected tag <{tag}> in {html:?}"
            );
            for attr in [" href=\"", " src=\""] {
                if let Some(i) = tag.find(attr) {
                    let v = &tag[i + attr.len()..];
                    let v = &v[..v.find('"').unwrap_or(v.len())];
                    prop_assert!(safe_destination(&html_unescape(v)), "{attr}{v} in {html:?}");
                }
            }
        }
    }
}

/// Enough HTML unescaping to see what a browser would follow.
fn html_unescape(s: &str) -> String {
    s.replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

proptest! {
    // extraction is the slowest stage: fewer cases
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn extract_never_panics(text in articleish(), md in any::<bool>()) {
        let format = if md { Format::Markdown } else { Format::Text };
        if let Ok((Some(a), _)) = ingest::parse_article(Path::new("seeds/x.txt"), text.as_bytes(), format, bp()) {
            let e = extract(&a, lexicon());
            prop_assert_eq!(e.article.as_str(), "x");
        }
    }

    #[test]
    fn extract_survives_any_sentence(text in any::<String>()) {
        let blocks = vec![ingest::Block {
            kind: ingest::BlockKind::Paragraph,
            sentences: sentences(&text),
            text: text.clone(),
        }];
        let a = ingest::Article {
            id: "x".into(),
            path: "seeds/x.txt".into(),
            format: Format::Text,
            title: "x".into(),
            date: None,
            source: None,
            publisher: None,
            author: None,
            lang: "en".into(),
            blocks: blocks.into(),
            markdown: None,
            twins: Vec::new(),
        };
        let _ = extract(&a, lexicon());
    }
}

/// Found by the `frontmatter` fuzz target: a front matter with bare `\r` line breaks. YAML
/// counts them as lines, so the error's line is past `str::lines`' count; after ingest turns
/// them into `\n` both agree, and the article is skipped with a line inside the file.
#[test]
fn regression_front_matter_with_bare_carriage_returns() {
    let input: &[u8] = include_bytes!("../fuzz/seeds/frontmatter/regression-bare-cr.md");
    let text = std::str::from_utf8(input).unwrap();
    if let Err(e) = frontmatter::split(text) {
        assert!(e.line <= text.split(['\n', '\r']).count() + 1, "{e:?}");
    }
    let err = ingest::parse_article(Path::new("seeds/cr.md"), input, Format::Markdown, bp())
        .expect_err("the front matter is not valid YAML");
    let lines = String::from_utf8_lossy(input)
        .replace('\r', "\n")
        .lines()
        .count();
    assert!(err.line.is_some_and(|l| l >= 1 && l <= lines), "{err:?}");
    // and a bare-CR article reads as lines, not as one run-on line
    let (a, _) = ingest::parse_article(
        Path::new("seeds/mac.txt"),
        b"Old Mac Title\rRose sang with BLACKPINK.\rThen she left.\r",
        Format::Text,
        bp(),
    )
    .unwrap();
    assert_eq!(a.unwrap().blocks.len(), 2);
}

/// Found by the `frontmatter` fuzz target: NEL (U+0085, often a mis-decoded "…") inside
/// front matter is a line break to YAML, so its error lines count it. Not a panic; the line
/// stays within the file's lines as YAML counts them.
#[test]
fn regression_front_matter_with_next_line_characters() {
    let input: &[u8] = include_bytes!("../fuzz/seeds/frontmatter/regression-nel.md");
    let text = String::from_utf8_lossy(input);
    if let Err(e) = frontmatter::split(&text) {
        assert!(
            e.line <= text.split(['\n', '\r', '\u{85}']).count() + 1,
            "{e:?}"
        );
    }
    let _ = ingest::parse_article(Path::new("seeds/nel.md"), input, Format::Markdown, bp());
}

/// Found by the frontmatter fuzzer: YAML also breaks lines at U+2028 and U+2029, so an error
/// may name a line past the last `\n`; it still names a line of the text.
#[test]
fn regression_front_matter_with_unicode_line_separators() {
    let input: &[u8] = include_bytes!("../fuzz/seeds/frontmatter/regression-line-separator.md");
    let text = String::from_utf8_lossy(input);
    if let Err(e) = frontmatter::split(&text) {
        let lines = text
            .split(['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}'])
            .count();
        assert!(e.line >= 1 && e.line <= lines + 1, "{e:?}");
    }
}
