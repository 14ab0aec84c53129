//! Web pages to articles: the HTML reader shared by `kwiki add` (pages fetched) and ingest
//! (`.html` and `.htm` files saved under `seeds/`). A list of passes: decode the bytes in
//! their declared charset, read the page's own metadata, gather its text blocks without the
//! page furniture, find the article body among them, and write it as Markdown.
pub mod blocks;
pub mod body;
pub mod charset;
pub mod markdown;
pub mod meta;
pub mod rules;
pub mod teasers;
#[cfg(test)]
mod tests;

pub use meta::PageMeta;
use rules::PageRules;

/// A web page read as an article.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub meta: PageMeta,
    /// The article body (empty when the page holds none).
    pub blocks: Vec<blocks::TextBlock>,
    /// The encoding the page was read in.
    pub encoding: &'static str,
}

impl Page {
    /// The body as plain text, blocks separated by blank lines.
    pub fn text(&self) -> String {
        let texts: Vec<&str> = self.blocks.iter().map(|b| b.text.as_str()).collect();
        texts.join("\n\n")
    }

    /// The body as Markdown.
    pub fn markdown(&self) -> String {
        markdown::markdown(&self.blocks)
    }
}

/// The page's metadata as front matter (`source` is its canonical URL).
pub fn front_matter(page: &Page) -> crate::ingest::frontmatter::FrontMatter {
    let m = &page.meta;
    crate::ingest::frontmatter::FrontMatter {
        title: m.title.clone(),
        date: m.date.clone(),
        source: m.canonical.clone(),
        publisher: m.publisher.clone(),
        lang: m.lang.clone(),
        author: m.author.clone(),
        ..Default::default()
    }
}

/// Read a page: `content_type` is the HTTP header when the page was fetched, `url` where it
/// came from (to make relative links absolute). Pure.
pub fn read_page(bytes: &[u8], content_type: Option<&str>, url: Option<&str>) -> Page {
    read_page_with(bytes, content_type, url, PageRules::builtin())
}

/// `read_page` with other rules than the built-in ones (to measure a change to them).
pub fn read_page_with(
    bytes: &[u8],
    content_type: Option<&str>,
    url: Option<&str>,
    rules: &PageRules,
) -> Page {
    let (text, encoding) = charset::decode(bytes, content_type);
    let doc = scraper::Html::parse_document(&text);
    let meta = meta::meta(&doc, url, rules);
    let found = blocks::blocks(&doc, rules);
    let blocks = body::body(found, meta.title.as_deref(), rules);
    Page {
        meta,
        blocks,
        encoding,
    }
}
