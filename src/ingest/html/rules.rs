//! The rules of article extraction, read from `data/page.yaml`.
use regex::{Regex, RegexBuilder};
use serde::Deserialize;
use std::collections::HashSet;
use std::sync::OnceLock;

/// The built-in page rules.
pub const DEFAULT_PAGE_RULES: &str = include_str!("../../../data/page.yaml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PageRulesFile {
    drop_tags: Vec<String>,
    hidden_names: String,
    furniture_tags: Vec<String>,
    furniture_roles: Vec<String>,
    junk_names: String,
    discussion_names: String,
    minor_names: String,
    content_names: String,
    min_paragraph_chars: usize,
    max_paragraph_link_share: f64,
    long_paragraph_chars: usize,
    max_long_paragraph_link_share: f64,
    junk_cost: f64,
    plain_cost: f64,
    furniture_prose: f64,
    content_name_bonus: f64,
    max_block_link_share: f64,
    min_title_chars: usize,
    min_title_link_share: f64,
    article_types: Vec<String>,
}

/// Compiled page rules.
#[derive(Debug)]
pub struct PageRules {
    pub drop_tags: HashSet<String>,
    pub hidden_names: Regex,
    pub furniture_tags: HashSet<String>,
    pub furniture_roles: HashSet<String>,
    pub junk_names: Regex,
    pub discussion_names: Regex,
    pub minor_names: Regex,
    pub content_names: Regex,
    pub min_paragraph_chars: usize,
    pub max_paragraph_link_share: f64,
    pub long_paragraph_chars: usize,
    pub max_long_paragraph_link_share: f64,
    pub junk_cost: f64,
    pub plain_cost: f64,
    pub furniture_prose: f64,
    pub content_name_bonus: f64,
    pub max_block_link_share: f64,
    pub min_title_chars: usize,
    pub min_title_link_share: f64,
    /// schema.org types read for metadata, the best first.
    pub article_types: Vec<String>,
}

impl PageRules {
    pub fn from_yaml(text: &str) -> Result<PageRules, String> {
        let f: PageRulesFile = crate::yaml::from_str(text, 0).map_err(|e| e.to_string())?;
        let re = |p: &str| {
            RegexBuilder::new(p)
                .case_insensitive(true)
                .build()
                .map_err(|e| format!("bad pattern {p:?}: {e}"))
        };
        Ok(PageRules {
            drop_tags: f.drop_tags.into_iter().collect(),
            hidden_names: re(&f.hidden_names)?,
            furniture_tags: f.furniture_tags.into_iter().collect(),
            furniture_roles: f.furniture_roles.into_iter().collect(),
            junk_names: re(&f.junk_names)?,
            discussion_names: re(&f.discussion_names)?,
            minor_names: re(&f.minor_names)?,
            content_names: re(&f.content_names)?,
            min_paragraph_chars: f.min_paragraph_chars,
            max_paragraph_link_share: f.max_paragraph_link_share,
            long_paragraph_chars: f.long_paragraph_chars,
            max_long_paragraph_link_share: f.max_long_paragraph_link_share,
            junk_cost: f.junk_cost,
            plain_cost: f.plain_cost,
            furniture_prose: f.furniture_prose,
            content_name_bonus: f.content_name_bonus,
            max_block_link_share: f.max_block_link_share,
            min_title_chars: f.min_title_chars,
            min_title_link_share: f.min_title_link_share,
            article_types: f.article_types,
        })
    }

    /// The built-in rules, compiled once.
    pub fn builtin() -> &'static PageRules {
        static RULES: OnceLock<PageRules> = OnceLock::new();
        RULES.get_or_init(|| {
            PageRules::from_yaml(DEFAULT_PAGE_RULES).expect("built-in page.yaml is valid")
        })
    }
}
