//! A site: its settings and data files, and the build that runs the stages in order.
use crate::config::SiteConfig;
use crate::error::{Error, Result};
use crate::extract::lexicon::{Lexicon, LexiconFile};
use crate::ingest::clean::Boilerplate;
use crate::ingest::{IngestOptions, Warning};
use crate::link::Wiki;
use crate::link::corrections::Corrections;
use crate::render::{self, Theme};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Everything a build reads besides the articles.
pub struct Site {
    pub root: PathBuf,
    pub config: SiteConfig,
    pub lexicon: Lexicon,
    pub boilerplate: Boilerplate,
}

impl Site {
    pub fn load(root: &Path) -> Result<Site> {
        let config = SiteConfig::load(root)?;
        let mut lex: LexiconFile =
            crate::yaml::from_str(crate::extract::lexicon::DEFAULT_LEXICON, 0)
                .map_err(|e| Error::yaml("data/lexicon.yaml (built in)", e))?;
        for extra in &config.lexicons {
            let path = root.join(extra);
            let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
            let f: LexiconFile =
                crate::yaml::from_str(&text, 0).map_err(|e| Error::yaml(&path, e))?;
            lex.merge(f);
        }
        let lexicon =
            Lexicon::from_file(lex).map_err(|m| Error::input(root.join("site.yaml"), m))?;
        Ok(Site {
            root: root.to_path_buf(),
            config,
            lexicon,
            boilerplate: Boilerplate::builtin(),
        })
    }

    pub fn seeds_dir(&self) -> PathBuf {
        self.root.join(&self.config.seeds_dir)
    }

    /// How ingest reads this site's articles.
    pub fn ingest_options(&self) -> IngestOptions<'_> {
        IngestOptions {
            boilerplate: &self.boilerplate,
            near_duplicates: &self.config.near_duplicates,
            exclude: vec![self.output_dir()],
            max_article_bytes: self.config.max_article_bytes,
        }
    }

    pub fn output_dir(&self) -> PathBuf {
        self.root.join(&self.config.output_dir)
    }

    /// Ingest, extract and link: the wiki, with the warnings met on the way.
    pub fn wiki(&self, timings: &mut Timings) -> Result<(Wiki, Vec<Warning>)> {
        let seeds = self.seeds_dir();
        let out = self.output_dir();
        if resolved(&out).starts_with(resolved(&seeds)) {
            return Err(Error::input(
                &out,
                format!(
                    "the output directory is inside the seeds directory {}: the build would read its own pages; set output_dir elsewhere",
                    seeds.display()
                ),
            ));
        }
        let t = Instant::now();
        let ingested =
            crate::ingest::ingest(&self.root, &self.config.seeds_dir, &self.ingest_options())?;
        timings.push("ingest", t.elapsed());
        let t = Instant::now();
        let extractions: Vec<_> = ingested
            .articles
            .par_iter()
            .map(|a| crate::extract::extract(a, &self.lexicon))
            .collect();
        timings.push("extract", t.elapsed());
        let t = Instant::now();
        let corrections = Corrections::load(&seeds)?;
        let wiki = crate::link::link(
            ingested.articles,
            extractions,
            &corrections,
            &self.lexicon.korean_surnames,
        );
        timings.push("link", t.elapsed());
        Ok((wiki, ingested.warnings))
    }
}

/// `path` made absolute with its symbolic links and `..` resolved, as far as it exists (an
/// output directory may not exist yet): what two paths are compared by.
pub fn resolved(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = abs.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            let mut out = real;
            for part in rest.iter().rev() {
                match part {
                    std::path::Component::ParentDir => {
                        out.pop();
                    }
                    std::path::Component::CurDir => {}
                    c => out.push(c),
                }
            }
            return out;
        }
        match (existing.parent(), existing.components().next_back()) {
            (Some(parent), Some(last)) => {
                rest.push(last);
                existing = parent;
            }
            _ => return abs,
        }
    }
}

/// Wall time per stage.
#[derive(Debug, Default, Clone)]
pub struct Timings(pub Vec<(&'static str, Duration)>);

impl Timings {
    pub fn push(&mut self, stage: &'static str, d: Duration) {
        self.0.push((stage, d));
    }
}

#[derive(Debug, Default)]
pub struct BuildReport {
    pub articles: usize,
    pub entities: usize,
    pub partnerships: usize,
    pub pages: usize,
    pub written: usize,
    pub warnings: Vec<Warning>,
    pub timings: Timings,
}

/// Build the site into its output directory.
pub fn build(site: &Site) -> Result<BuildReport> {
    let mut timings = Timings::default();
    let theme = Theme::load(&site.root.join(&site.config.templates_dir))?;
    let (wiki, warnings) = site.wiki(&mut timings)?;
    let t = Instant::now();
    let rsite = render::Site::new(&wiki, &site.config);
    let mut pages = render::render(&rsite, &theme)?;
    pages.extend(crate::write::static_pages(
        &site.root.join(&site.config.static_dir),
    )?);
    timings.push("render", t.elapsed());
    let t = Instant::now();
    let n_pages = pages.iter().filter(|p| p.path.ends_with(".html")).count();
    let stats = crate::write::write_site(&site.output_dir(), pages)?;
    timings.push("write", t.elapsed());
    Ok(BuildReport {
        articles: wiki.articles.len(),
        entities: wiki.entities.len(),
        partnerships: wiki.partnerships.len(),
        pages: n_pages,
        written: stats.written,
        warnings,
        timings,
    })
}
