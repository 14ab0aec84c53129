//! Site settings from `site.yaml`; every key has a default, so the file is optional.
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SiteConfig {
    /// Site title, shown in the header and the feed.
    pub title: String,
    pub description: String,
    /// Absolute URL of the published site, e.g. `https://user.github.io/repo`. Internal links
    /// are relative, so it is only used for canonical URLs, the sitemap and the feed.
    pub base_url: String,
    pub language: String,
    pub seeds_dir: PathBuf,
    pub output_dir: PathBuf,
    pub templates_dir: PathBuf,
    pub static_dir: PathBuf,
    /// Extra lexicon files merged over the built-in one (cue words, known platforms...).
    pub lexicons: Vec<PathBuf>,
    pub near_duplicates: NearDuplicates,
    /// Entities and partnerships below this confidence are listed by `kwiki check`.
    pub review_below: f32,
    /// Article files larger than this many bytes are skipped with a warning.
    pub max_article_bytes: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NearDuplicates {
    /// Estimated Jaccard similarity of word shingles above which two articles are one story.
    pub threshold: f64,
    /// Words per shingle.
    pub shingle: usize,
    /// A sentence found word for word in at least this many articles is a standing line of
    /// the outlet or the genre, not the story: it is left out of the comparison.
    pub common_sentence: usize,
}

impl Default for NearDuplicates {
    fn default() -> Self {
        NearDuplicates {
            threshold: 0.3,
            shingle: 3,
            common_sentence: 20,
        }
    }
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            title: "kwiki".into(),
            description: "Who worked with whom in K-content: a wiki built from news articles."
                .into(),
            base_url: String::new(),
            language: "en".into(),
            seeds_dir: "seeds".into(),
            output_dir: "public".into(),
            templates_dir: "templates".into(),
            static_dir: "static".into(),
            lexicons: Vec::new(),
            near_duplicates: NearDuplicates::default(),
            review_below: 0.5,
            max_article_bytes: crate::ingest::DEFAULT_MAX_ARTICLE_BYTES,
        }
    }
}

impl SiteConfig {
    /// Load `site.yaml` from `root`; a missing file gives the defaults.
    pub fn load(root: &Path) -> Result<SiteConfig> {
        let path = root.join("site.yaml");
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(SiteConfig::default()),
            Err(e) => return Err(Error::io(&path, e)),
        };
        if text.trim().is_empty() {
            return Ok(SiteConfig::default());
        }
        let config: SiteConfig =
            crate::yaml::from_str(&text, 0).map_err(|e| Error::yaml(&path, e))?;
        if !(0.0..=1.0).contains(&config.near_duplicates.threshold) {
            return Err(Error::input(
                &path,
                "near_duplicates.threshold must be between 0 and 1",
            ));
        }
        if config.near_duplicates.common_sentence < 2 {
            return Err(Error::input(
                &path,
                "near_duplicates.common_sentence must be at least 2",
            ));
        }
        if config.near_duplicates.shingle == 0 {
            return Err(Error::input(
                &path,
                "near_duplicates.shingle must be at least 1",
            ));
        }
        Ok(config)
    }

    /// `base_url` without a trailing slash.
    pub fn base_url(&self) -> &str {
        self.base_url.trim_end_matches('/')
    }
}
