//! `kwiki check`: what an editor should look at.
use crate::extract::names::{fold, key};
use crate::link::Wiki;
use std::collections::HashMap;

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
    // likely duplicates: same folded name across kinds, or one name inside the other
    let mut by_fold: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, e) in w.entities.iter().enumerate() {
        by_fold.entry(key(&e.name)).or_default().push(i);
    }
    let mut dupes: Vec<(String, String)> = Vec::new();
    for ids in by_fold.values().filter(|v| v.len() > 1) {
        let names: Vec<String> = ids.iter().map(|&i| w.entities[i].id.clone()).collect();
        dupes.push((names[0].clone(), names[1..].join(", ")));
    }
    for (i, a) in w.entities.iter().enumerate() {
        for b in &w.entities[i + 1..] {
            if a.kind == b.kind && a.kind != crate::extract::Kind::Label {
                let (fa, fb) = (
                    format!(" {} ", fold(&a.name)),
                    format!(" {} ", fold(&b.name)),
                );
                if fa != fb
                    && (fa.len() > 4 && fb.contains(&fa) || fb.len() > 4 && fa.contains(&fb))
                {
                    dupes.push((a.id.clone(), b.id.clone()));
                }
            }
        }
    }
    dupes.sort();
    for (a, b) in dupes {
        out.push(format!(
            "possible duplicate: {a} / {b} (merge them in seeds/_corrections.yaml if they are one)"
        ));
    }
    for s in &w.stale_corrections {
        out.push(format!("stale correction: {s}"));
    }
    out
}
