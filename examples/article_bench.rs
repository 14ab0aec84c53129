//! kwiki's HTML extraction over the article-extraction benchmark's pages: writes, for its
//! scorer, `OUT_DIR/kwiki.json` (the body as an article keeps it: after kwiki's own cleaning)
//! and `OUT_DIR/kwiki-raw.json` (before it), and prints the pages per second of the reading
//! alone (decode, parse, metadata, body, Markdown) on the one thread it runs on. Run by
//! `bench/article-extraction.sh`, which scores the output beside the references.
//!
//!   cargo run --release --example article_bench -- HTML_DIR OUT_DIR
use std::io::Read;
use std::time::{Duration, Instant};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dir, out] = args.as_slice() else {
        return Err("usage: article_bench HTML_DIR OUT_DIR".into());
    };
    let mut files: Vec<_> = std::fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    files.retain(|p| p.to_string_lossy().ends_with(".html.gz"));
    files.sort();
    let mut pages = Vec::with_capacity(files.len());
    for f in &files {
        let mut bytes = Vec::new();
        flate2::read::GzDecoder::new(std::fs::File::open(f)?).read_to_end(&mut bytes)?;
        let name = f.file_name().unwrap_or_default().to_string_lossy();
        pages.push((name.trim_end_matches(".html.gz").to_string(), bytes));
    }
    // $PAGE_RULES: other rules than data/page.yaml, to measure a change to them
    let custom = match std::env::var("PAGE_RULES") {
        Ok(path) => Some(kwiki::ingest::html::rules::PageRules::from_yaml(
            &std::fs::read_to_string(path)?,
        )?),
        Err(_) => None,
    };
    let rules = custom
        .as_ref()
        .unwrap_or_else(|| kwiki::ingest::html::rules::PageRules::builtin());
    // the fastest of three rounds (or $ROUNDS): the machine is shared
    let mut best = Duration::MAX;
    let mut read = Vec::new();
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    for _ in 0..rounds {
        let t = Instant::now();
        read = pages
            .iter()
            .map(|(_, bytes)| {
                let page = kwiki::ingest::html::read_page_with(bytes, None, None, rules);
                let _ = page.markdown();
                page
            })
            .collect();
        best = best.min(t.elapsed());
    }
    let boilerplate = kwiki::ingest::clean::Boilerplate::builtin();
    let (mut raw, mut kept) = (serde_json::Map::new(), serde_json::Map::new());
    for ((id, _), page) in pages.iter().zip(&read) {
        let text = page.text();
        let cleaned = kwiki::ingest::clean::clean_page(&text, &boilerplate)
            .lines
            .join("\n\n");
        raw.insert(id.clone(), serde_json::json!({ "articleBody": text }));
        kept.insert(id.clone(), serde_json::json!({ "articleBody": cleaned }));
    }
    let dir = std::path::Path::new(out);
    for (name, output) in [("kwiki.json", kept), ("kwiki-raw.json", raw)] {
        let json = serde_json::json!({ "version": env!("CARGO_PKG_VERSION"), "output": output });
        std::fs::write(dir.join(name), serde_json::to_string_pretty(&json)?)?;
    }
    println!(
        "kwiki: {} pages in {:.2} s on one thread: {:.0} pages/s",
        pages.len(),
        best.as_secs_f64(),
        pages.len() as f64 / best.as_secs_f64()
    );
    Ok(())
}
