//! `kwiki check`: what an editor should look at.
pub mod duplicates;

use crate::link::Wiki;

/// One line for the editor.
pub fn review(w: &Wiki, below: f32) -> Vec<String> {
    let mut out = Vec::new();
    for e in &w.entities {
        if e.confidence < below {
            out.push(format!(
                "low confidence {:.2}: {} {:?} ({}) cues: {}",
                e.confidence,
                e.kind.as_str(),
                e.name,
                e.id,
                e.cues.join("; ")
            ));
        }
    }
    for p in &w.partnerships {
        if p.confidence < below {
            let names: Vec<&str> = p
                .participants
                .iter()
                .map(|&x| w.entities[x].name.as_str())
                .collect();
            out.push(format!(
                "low confidence {:.2}: partnership {} {:?} ({})",
                p.confidence,
                p.kind.as_str(),
                names,
                p.id
            ));
        }
    }
    // likely duplicates, best first
    for d in duplicates::suggestions(w) {
        let (a, b) = (&w.entities[d.a], &w.entities[d.b]);
        out.push(format!(
            "possible duplicate: {} / {} (evidence {}: {}); merge them in seeds/_corrections.yaml if they are one",
            a.id,
            b.id,
            d.score,
            d.evidence.join(", ")
        ));
    }
    for s in &w.stale_corrections {
        out.push(format!("stale correction: {s}"));
    }
    out
}
