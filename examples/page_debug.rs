use std::io::Read;
fn main() {
    let f = std::env::args().nth(1).unwrap();
    let mut b = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(&f).unwrap())
        .read_to_end(&mut b)
        .unwrap();
    let (text, _) = kwiki::ingest::html::charset::decode(&b, None);
    let doc = scraper::Html::parse_document(&text);
    let rules = kwiki::ingest::html::rules::PageRules::builtin();
    let bl = kwiki::ingest::html::blocks::blocks(&doc, rules);
    for x in &bl.blocks {
        let mut chain = vec![];
        let mut e = x.element;
        while e != usize::MAX {
            chain.push(if bl.furniture[e] {
                format!("F{e}")
            } else {
                format!("{e}")
            });
            e = bl.parents[e];
        }
        let t: String = x.text.chars().take(60).collect();
        println!(
            "{:>5} {:.2} {:?} [{}] {}",
            x.chars(),
            x.link_share(),
            x.kind,
            chain.join(" "),
            t
        );
    }
}
