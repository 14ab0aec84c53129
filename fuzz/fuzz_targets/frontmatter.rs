//! Front matter of arbitrary text: never a panic; the body is the end of the text; errors
//! point at a line of the text.
#![no_main]
use kwiki::ingest::frontmatter::split;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    match split(text) {
        Ok((_, body, body_line, _)) => {
            assert!(text.ends_with(body));
            assert!(body_line >= 1);
        }
        Err(e) => {
            assert!(e.line >= 1 && e.column >= 1, "{e:?}");
            // YAML counts a bare `\r`, NEL (U+0085) and the Unicode line and paragraph
    // separators (U+2028, U+2029) as line breaks too
            assert!(e.line <= yaml_lines(text) + 1, "{e:?}");
        }
    }
});

fn yaml_lines(text: &str) -> usize {
    text.split(['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}']).count()
}
