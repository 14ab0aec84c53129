//! `kwiki explain`: why the extractor found what it found in one article, in words a reader
//! follows (the cues behind each entity, the trigger and rule behind each partnership, the
//! sentence that says it), and with `--verbose` how it read each sentence.
use crate::extract::{self, Extraction, Lexicon, SentenceTrace};
use crate::ingest::Article;
use std::fmt::Write;

/// The explanation of one article's extraction.
pub fn report(article: &Article, lex: &Lexicon, verbose: bool) -> String {
    let (x, trace) = extract::trace(article, lex);
    let mut out = String::new();
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let _ = writeln!(out, "{} ({})", article.title, article.id);
    let _ = writeln!(
        out,
        "{}, {}",
        plural(x.found.len(), "entity", "entities"),
        plural(x.relations.len(), "partnership", "partnerships")
    );
    entities(&mut out, &x);
    partnerships(&mut out, &x);
    if verbose {
        sentences(&mut out, &trace);
    }
    out
}

fn entities(out: &mut String, x: &Extraction) {
    if !x.found.is_empty() {
        out.push_str("\nEntities\n");
    }
    for f in &x.found {
        let subtype = f.subtype.map(|s| format!(" ({s:?})").to_lowercase());
        let _ = writeln!(
            out,
            "  {}{} {}, confidence {:.2}",
            f.kind.as_str(),
            subtype.unwrap_or_default(),
            f.name,
            f.confidence
        );
        let others: Vec<&str> = f
            .surfaces
            .iter()
            .filter(|s| **s != f.name)
            .map(String::as_str)
            .collect();
        if !others.is_empty() {
            let _ = writeln!(out, "    also written: {}", others.join(", "));
        }
        if !f.member_of.is_empty() {
            let _ = writeln!(out, "    member of: {}", f.member_of.join(", "));
        }
        let _ = writeln!(out, "    why: {}", f.cues.join("; "));
        if let Some(&i) = f.sentences.first() {
            let _ = writeln!(
                out,
                "    first named in sentence {}: \"{}\"",
                i + 1,
                x.sentence(i)
            );
        }
    }
}

fn partnerships(out: &mut String, x: &Extraction) {
    if !x.relations.is_empty() {
        out.push_str("\nPartnerships\n");
    }
    for r in &x.relations {
        let via = r.via.as_ref().map(|v| format!(", via {v}"));
        let _ = writeln!(
            out,
            "  {}: {}{}, confidence {:.2}",
            r.kind.as_str(),
            r.participants.join(" and "),
            via.unwrap_or_default(),
            r.confidence
        );
        let _ = writeln!(out, "    why: {}", r.cues.join("; "));
        let _ = writeln!(
            out,
            "    sentence {}: \"{}\"",
            r.sentence + 1,
            x.sentence(r.sentence)
        );
    }
}

fn sentences(out: &mut String, trace: &[SentenceTrace]) {
    out.push_str("\nSentences\n");
    for (i, s) in trace.iter().enumerate() {
        let heading = if s.heading { " (heading)" } else { "" };
        let _ = writeln!(
            out,
            "  {}{heading}: \"{}\"",
            i + 1,
            s.text.replace('\n', " / ")
        );
        let list = |items: Vec<String>| items.join("; ");
        let names = s.names.iter().map(|(w, b)| format!("\"{w}\" -> {b}"));
        let stand_ins = s.stand_ins.iter().map(|(w, e)| format!("\"{w}\" -> {e}"));
        for (label, items) in [
            ("names", names.collect::<Vec<_>>()),
            ("stands for", stand_ins.collect()),
            ("triggers", s.triggers.clone()),
            ("left out", s.dropped.clone()),
        ] {
            if !items.is_empty() {
                let _ = writeln!(out, "    {label}: {}", list(items));
            }
        }
    }
}
