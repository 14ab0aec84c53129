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
    /// Where the build cache is kept (relative to the site root); `kwiki clean` removes it.
    pub cache_dir: PathBuf,
    /// Extra lexicon files merged over the built-in one (cue words, known platforms...).
    pub lexicons: Vec<PathBuf>,
    pub near_duplicates: NearDuplicates,
    /// Entities and partnerships below this confidence are listed by `kwiki check`.
    pub review_below: f32,
    /// Article files larger than this many bytes are skipped with a warning.
    pub max_article_bytes: u64,
    /// Data files (lexicons, corrections, templates) larger than this many bytes stop the
    /// build with an error.
    pub max_data_file_bytes: u64,
    /// Hidden and backup files in `static/` (`.env`, `.git/`, `x~`, `x.swp`...) are not
    /// copied, except these paths (relative to `static/`, a folder counts for what it holds).
    pub static_include: Vec<String>,
    /// News feeds (RSS, Atom or JSON Feed URLs) whose new articles `kwiki update` adds.
    pub feeds: Vec<String>,
    /// How many items each page of a long list holds.
    pub paginate: Paginate,
    /// What a build publishes beyond the pages a reader needs (see docs/performance.md).
    pub publish: Publish,
}

/// Choices that make a large site smaller by leaving something out; the defaults leave
/// nothing out. The build names them when the site nears its host's limit.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Publish {
    /// The JSON export of entities and partnerships under `api/` (no page reads it).
    pub api: bool,
    /// Which mentions of a name in an article are links to its page.
    pub mention_links: MentionLinks,
    /// How much of an article's text its page shows.
    pub article_text: ArticleText,
    /// A partnership has a page of its own from this many sentences; one stated by fewer is
    /// shown on its participants' pages (with its sentences), where links to it lead.
    pub partnership_pages_from: usize,
}

impl Default for Publish {
    fn default() -> Self {
        Publish {
            api: true,
            mention_links: MentionLinks::All,
            article_text: ArticleText::Full,
            partnership_pages_from: 1,
        }
    }
}

impl Publish {
    /// Whether a partnership stated by `sentences` sentences has a page of its own.
    pub fn partnership_page(&self, sentences: usize) -> bool {
        sentences >= self.partnership_pages_from
    }

    /// The settings that would make this site smaller than these do, as written in
    /// site.yaml, with what each leaves out; the largest saving first (docs/performance.md).
    pub fn to_make_smaller(&self) -> Vec<&'static str> {
        let mut v = Vec::new();
        if self.article_text == ArticleText::Full {
            v.push("`publish: {article_text: lead}` (an article's page shows its first lines)");
        }
        if self.api {
            v.push("`publish: {api: false}` (no JSON export under api/)");
        }
        // a higher threshold always leaves out more
        v.push(match self.partnership_pages_from {
            1 => "`publish: {partnership_pages_from: 2}` (a partnership stated once is shown on its participants' pages only)",
            _ => "a higher `publish: {partnership_pages_from: N}` (fewer partnerships with a page of their own)",
        });
        if self.mention_links == MentionLinks::All {
            v.push("`publish: {mention_links: first}` (a name is linked at its first mention)");
        }
        v
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MentionLinks {
    /// Every mention.
    All,
    /// The first mention of each name in an article (Wikipedia's rule).
    First,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ArticleText {
    /// The whole text.
    Full,
    /// Its first paragraph: the page keeps its title, dates, source link and lists of the
    /// names and partnerships it states.
    Lead,
}

/// Long lists are cut into pages linked by previous and next: at 100,000 articles an index
/// or a popular entity's page would otherwise run to megabytes.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Paginate {
    /// The indexes (of a kind, of partnerships, of articles) and the timeline's pages.
    pub index: usize,
    /// Stories under an entity's "Mentioned in".
    pub mentions: usize,
    /// An entity's partnerships.
    pub partnerships: usize,
    /// A partnership's sentences.
    pub evidence: usize,
}

impl Default for Paginate {
    fn default() -> Self {
        Paginate {
            index: 1000,
            mentions: 50,
            partnerships: 100,
            evidence: 200,
        }
    }
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
            cache_dir: ".kwiki-cache".into(),
            lexicons: Vec::new(),
            near_duplicates: NearDuplicates::default(),
            review_below: 0.5,
            max_article_bytes: crate::ingest::DEFAULT_MAX_ARTICLE_BYTES,
            max_data_file_bytes: crate::datafile::DEFAULT_MAX_BYTES,
            static_include: vec![".well-known".into()],
            feeds: Vec::new(),
            paginate: Paginate::default(),
            publish: Publish::default(),
        }
    }
}

impl SiteConfig {
    /// Load `site.yaml` from `root`; a missing file gives the defaults.
    pub fn load(root: &Path) -> Result<SiteConfig> {
        let path = root.join("site.yaml");
        let Some(text) = crate::datafile::read(&path, crate::datafile::DEFAULT_MAX_BYTES)? else {
            return Ok(SiteConfig::default());
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
        config
            .check_base_url()
            .map_err(|m| Error::input(&path, m))?;
        if config.publish.partnership_pages_from == 0 {
            return Err(Error::input(
                &path,
                "publish.partnership_pages_from must be at least 1 (1: every partnership has a page)",
            ));
        }
        let p = &config.paginate;
        if [p.index, p.mentions, p.partnerships, p.evidence].contains(&0) {
            return Err(Error::input(
                &path,
                "paginate: every page size must be at least 1",
            ));
        }
        Ok(config)
    }

    /// `base_url` must be empty or an absolute http(s) URL: it is written as it is into
    /// pages, the feed and the sitemap, where a stray `\` or quote would point a script
    /// or a link at another host.
    pub fn check_base_url(&self) -> std::result::Result<(), String> {
        check_base_url(&self.base_url).map_err(|why| {
            format!(
                "base_url {:?} {why}: write an absolute URL such as https://user.github.io/repo, or leave it empty",
                crate::error::escaped(&self.base_url)
            )
        })
    }

    /// `base_url` without a trailing slash.
    pub fn base_url(&self) -> &str {
        self.base_url.trim_end_matches('/')
    }
}

/// Why `url` is not a base URL kwiki writes into pages (see `SiteConfig::check_base_url`).
fn check_base_url(url: &str) -> std::result::Result<(), &'static str> {
    if url.is_empty() {
        return Ok(());
    }
    let lower = url.to_ascii_lowercase();
    let Some(rest) = ["https://", "http://"]
        .iter()
        .find_map(|s| lower.starts_with(s).then(|| &url[s.len()..]))
    else {
        return Err("does not start with http:// or https://");
    };
    // the characters of a URL's host and path (RFC 3986), `%` escapes and non-ASCII letters;
    // no query or fragment, no user name
    let allowed = |c: char| {
        c.is_ascii_alphanumeric()
            || "-._~!$&()*+,;=:/%[]".contains(c)
            || (!c.is_ascii() && c.is_alphanumeric())
    };
    if let Some(c) = rest.chars().find(|&c| !allowed(c)) {
        return Err(match c {
            '\\' => "holds a backslash, which browsers read as a slash",
            '?' | '#' => "holds a query or fragment",
            '@' => "holds a user name",
            c if c.is_whitespace() || c.is_control() => "holds white space or a control character",
            _ => "holds a character that is not allowed in a URL",
        });
    }
    let host = rest.split('/').next().unwrap_or_default();
    let (name, port) = match host.strip_prefix('[') {
        Some(v6) => match v6.split_once(']') {
            Some((addr, after))
                if !addr.is_empty() && (after.is_empty() || after.starts_with(':')) =>
            {
                (addr, after.strip_prefix(':'))
            }
            _ => return Err("has a malformed IPv6 address"),
        },
        None => match host.split_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        },
    };
    if port.is_some_and(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_digit())) {
        return Err("has a port that is not a number");
    }
    if name.is_empty() || name.starts_with('.') || name.contains("..") || name.contains(['[', ']'])
    {
        return Err("has no valid host name");
    }
    if rest.contains("//") {
        return Err("holds an empty path segment (`//`)");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check_base_url;

    #[test]
    fn base_urls() {
        for ok in [
            "",
            "https://user.github.io/repo",
            "https://user.github.io/repo/",
            "http://localhost:8000",
            "https://[::1]:8080/x",
            "https://例え.jp/wiki",
            "https://example.com/a%20b/",
        ] {
            assert_eq!(check_base_url(ok), Ok(()), "{ok}");
        }
        for bad in [
            "/\\evil.example",
            "https:/\\evil.example",
            "https://evil.example\\x",
            "javascript:alert(1)",
            "//evil.example",
            "example.com",
            "https://",
            "https:///x",
            "https://a.example/\"onload=x",
            "https://a.example/<x>",
            "https://a.example/x?q=1",
            "https://u:p@a.example/",
            "https://a.example:80x/",
            "https://a.example/ x",
            "ftp://a.example/",
        ] {
            assert!(check_base_url(bad).is_err(), "{bad}");
        }
    }
}
