//! Collect: articles straight from the web (`kwiki add URL`, `kwiki add --feed URL`,
//! `kwiki update`). Not a build stage: it fetches pages and feeds, reads each page with the
//! HTML reader ingest uses for saved pages (`ingest::html`), and writes the article with the
//! page's own metadata as Markdown into `seeds/`, where the build reads it like any other.
//! Passes: fetch -> page to article -> already present? -> write the seed.
pub mod feeds;
pub mod fetch;
pub mod known;
pub mod seed;

use crate::site::Site;
use fetch::{FetchOptions, Fetcher};
use known::Known;
use std::path::PathBuf;
use thiserror::Error;

/// Why one URL could not be added: one line, naming the URL.
#[derive(Debug, Error)]
pub enum CollectError {
    #[error("{0}: not a web address (only http:// and https:// URLs can be added)")]
    NotWeb(String),
    #[error("{url}: the server answered {status} {reason}")]
    Status {
        url: String,
        status: u16,
        reason: String,
        /// Seconds, from a `Retry-After` header.
        retry_after: Option<u64>,
    },
    #[error("{url}: no answer within {seconds} s (the limit is --timeout)")]
    Timeout { url: String, seconds: f64 },
    #[error("{url}: larger than {limit} bytes, too large for an article")]
    TooLarge { url: String, limit: u64 },
    #[error("{url}: {message}")]
    Network { url: String, message: String },
    #[error("{url}: not a web page ({content_type}); only HTML articles can be added")]
    NotHtml { url: String, content_type: String },
    #[error("{url}: no article text found in the page")]
    NoArticle { url: String },
    #[error("{url}: not an RSS, Atom or JSON feed ({message})")]
    NotFeed { url: String, message: String },
    #[error("{path}: cannot write the article: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// What became of one URL that did not fail.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Written to this file (relative to the site root).
    Added(PathBuf),
    /// Not added again: this file already holds the article, for this reason.
    Present { path: PathBuf, why: &'static str },
}

/// The result of one URL, with the URL.
pub type Attempt = (String, Result<Outcome, CollectError>);

/// Counts for the summary line.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Tally {
    pub added: usize,
    pub present: usize,
    pub failed: usize,
}

impl Tally {
    pub fn count(&mut self, r: &Result<Outcome, CollectError>) {
        match r {
            Ok(Outcome::Added(_)) => self.added += 1,
            Ok(Outcome::Present { .. }) => self.present += 1,
            Err(_) => self.failed += 1,
        }
    }
}

impl std::fmt::Display for Tally {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = if self.added == 1 { "" } else { "s" };
        write!(
            f,
            "added {} article{s}, {} already present, {} failed",
            self.added, self.present, self.failed
        )
    }
}

/// Adds articles from the web to one site's seeds.
pub struct Collector<'a> {
    site: &'a Site,
    fetcher: Fetcher,
    known: Known,
}

impl<'a> Collector<'a> {
    /// Reads the site's seeds first, to know what is already there.
    pub fn new(site: &'a Site, opts: FetchOptions) -> crate::Result<Collector<'a>> {
        Ok(Collector {
            site,
            fetcher: Fetcher::new(opts),
            known: Known::load(site)?,
        })
    }

    /// Fetch `url`, read its article, and write it into the seeds unless it is there.
    pub fn add_page(&mut self, url: &str) -> Result<Outcome, CollectError> {
        let url = url.trim();
        if !crate::ingest::is_web_url(url) {
            return Err(CollectError::NotWeb(url.into()));
        }
        if let Some(path) = self.known.by_source(url) {
            return Ok(Outcome::Present {
                path,
                why: "the same source",
            });
        }
        let page = self.fetcher.get(url)?;
        let draft = seed::draft(&page, self.site)?;
        if let Some(path) = self.known.by_source(&draft.source) {
            return Ok(Outcome::Present {
                path,
                why: "the same source",
            });
        }
        let (rel, article) = seed::place(&draft, self.site, &self.known)?;
        if let Some(path) = self.known.near_duplicate(&article, self.site) {
            return Ok(Outcome::Present {
                path,
                why: "a near duplicate",
            });
        }
        seed::write(&self.site.root.join(&rel), &draft.text)?;
        self.known.insert(article, &draft.source);
        Ok(Outcome::Added(rel))
    }

    /// The article links of the feed at `url`: published since `since` (items without a
    /// date are kept), at most `limit` of them, in the feed's order.
    pub fn feed_links(
        &mut self,
        url: &str,
        since: Option<&str>,
        limit: Option<usize>,
    ) -> Result<Vec<String>, CollectError> {
        let fetched = self.fetcher.get(url)?;
        feeds::links(&fetched, since, limit)
    }
}
