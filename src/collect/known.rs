//! What the seeds already hold: each article's source URL, and the articles themselves for
//! the near-duplicate search (ingest's, so `kwiki add` refuses what the build would call one
//! story).
use crate::ingest::Article;
use crate::ingest::dedup::DedupCache;
use crate::site::Site;
use std::collections::HashMap;
use std::path::PathBuf;

pub struct Known {
    articles: Vec<Article>,
    /// Normalized source URL -> the file holding it.
    sources: HashMap<String, PathBuf>,
    cache: DedupCache,
}

/// A URL as compared: no fragment, no trailing slash, scheme and host in lower case, and
/// `http` the same as `https`.
pub fn normalize(url: &str) -> String {
    let Ok(mut u) = url::Url::parse(url.trim()) else {
        return url.trim().to_string();
    };
    u.set_fragment(None);
    let s = u.to_string();
    let s = s
        .strip_prefix("https://")
        .or(s.strip_prefix("http://"))
        .unwrap_or(&s);
    s.trim_end_matches('/').to_string()
}

impl Known {
    /// Read the site's seeds (as the build does; their warnings are the build's business).
    pub fn load(site: &Site) -> crate::Result<Known> {
        let ingested = if site.seeds_dir().is_dir() {
            crate::ingest::ingest(&site.root, &site.config.seeds_dir, &site.ingest_options())?
        } else {
            Default::default()
        };
        let mut known = Known {
            articles: Vec::new(),
            sources: HashMap::new(),
            cache: DedupCache::default(),
        };
        for a in ingested.articles {
            let source = a.source.clone();
            known.insert(a, source.as_deref().unwrap_or(""));
        }
        Ok(known)
    }

    /// The file whose article came from `url`.
    pub fn by_source(&self, url: &str) -> Option<PathBuf> {
        self.sources.get(&normalize(url)).cloned()
    }

    pub fn has_id(&self, id: &str) -> bool {
        self.articles.iter().any(|a| a.id == id)
    }

    /// The file of an article that tells the same story as `candidate`.
    pub fn near_duplicate(&mut self, candidate: &Article, site: &Site) -> Option<PathBuf> {
        let mut all: Vec<&Article> = self.articles.iter().collect();
        all.push(candidate);
        let (twins, _) = self.cache.twins(&all, &site.config.near_duplicates);
        let twin = twins.last()?.first()?;
        self.articles
            .iter()
            .find(|a| &a.id == twin)
            .map(|a| a.path.clone())
    }

    pub fn insert(&mut self, article: Article, source: &str) {
        if !source.is_empty() {
            self.sources
                .entry(normalize(source))
                .or_insert_with(|| article.path.clone());
        }
        self.articles.push(article);
    }
}
