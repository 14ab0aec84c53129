//! Sentence ranges of arbitrary text: in bounds, on character boundaries, in order, not
//! overlapping, trimmed, never empty, never longer than the cap.
#![no_main]
use kwiki::ingest::segment::{MAX_SENTENCE_BYTES, sentences};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let mut last = 0;
    for r in sentences(text) {
        assert!(
            r.start >= last && r.start < r.end && r.end <= text.len(),
            "{r:?}"
        );
        let s = text
            .get(r.clone())
            .expect("ranges fall on character boundaries");
        assert_eq!(s.trim(), s);
        assert!(s.len() <= MAX_SENTENCE_BYTES);
        last = r.end;
    }
});
