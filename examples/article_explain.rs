//! Why kwiki's HTML reader keeps what it keeps on one page, to study a page the benchmark
//! scores badly: the best-scoring elements, then every text block of the page in order with
//! its characters, its share in links, its kind, and the last elements of its path (each
//! with its score; `[F]` marks furniture). The first column says `K` for a block the article
//! keeps, the second `P` for prose and `T` for a teaser.
//!
//!   cargo run --release --example article_explain -- PAGE.html[.gz] [PATH_DEPTH]
use kwiki::ingest::html::{blocks, body, charset, meta, rules::PageRules, teasers};
use std::io::Read;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        return Err("usage: article_explain PAGE.html[.gz] [PATH_DEPTH]".into());
    };
    let depth: usize = args.get(1).map_or(Ok(4), |d| d.parse())?;
    let mut bytes = Vec::new();
    let file = std::fs::File::open(path)?;
    if path.ends_with(".gz") {
        flate2::read::GzDecoder::new(file).read_to_end(&mut bytes)?;
    } else {
        std::io::BufReader::new(file).read_to_end(&mut bytes)?;
    }
    let rules = PageRules::builtin();
    let (text, _) = charset::decode(&bytes, None);
    let doc = scraper::Html::parse_document(&text);
    let title = meta::meta(&doc, None, rules).title;
    let page = blocks::blocks(&doc, rules);
    let teasers = teasers::teasers(&page, rules);
    let scores = body::scores(&page, &teasers, rules);
    let kept = body::body(blocks::blocks(&doc, rules), title.as_deref(), rules);

    let name = |e: usize| {
        let el = doc
            .tree
            .get(page.nodes[e])
            .and_then(|n| n.value().as_element());
        let mut s = format!("{e}:{}", el.map_or("?", |el| el.name()));
        if let Some(id) = el.and_then(|el| el.attr("id")) {
            s += &format!("#{id}");
        }
        if let Some(class) = el.and_then(|el| el.attr("class")) {
            s += &format!(
                ".{}",
                class.split_whitespace().collect::<Vec<_>>().join(".")
            );
        }
        if page.furniture[e] != blocks::Furniture::No {
            s += "[F]";
        }
        format!("{s}({:.0})", scores[e])
    };
    let path_of = |mut e: usize| {
        let mut names = Vec::new();
        while e != usize::MAX {
            names.push(name(e));
            e = page.parents[e];
        }
        names.reverse();
        names
    };

    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|a, b| scores[*b].total_cmp(&scores[*a]));
    for &e in order.iter().take(5) {
        println!("best {}", path_of(e).join(" > "));
    }
    let mut next_kept = kept.iter().peekable();
    for (b, teaser) in page.blocks.iter().zip(&teasers) {
        let keep = next_kept.next_if(|k| k.text == b.text).is_some();
        let path = path_of(b.element);
        let text: String = b.text.chars().take(90).collect();
        println!(
            "{}{}{} {:5} {:3.0}% {:?} | {} | {text}",
            if keep { "K" } else { " " },
            if b.prose { "P" } else { " " },
            if *teaser { "T" } else { " " },
            b.chars(),
            b.link_share() * 100.0,
            b.kind,
            path[path.len().saturating_sub(depth)..].join(" > "),
        );
    }
    Ok(())
}
