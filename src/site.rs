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

    pub fn output_dir(&self) -> PathBuf {
        self.root.join(&self.config.output_dir)
    }

    /// Ingest, extract and link: the wiki, with the warnings met on the way.
    pub fn wiki(&self, timings: &mut Timings) -> Result<(Wiki, Vec<Warning>)> {
        let seeds = self.seeds_dir();
        let out = self.output_dir();
        if out.starts_with(&seeds) {
            return Err(Error::input(
                &out,
                format!(
                    "the output directory is inside the seeds directory {}: the build would read its own pages; set output_dir elsewhere",
                    seeds.display()
                ),
            ));
        }
        let t = Instant::now();
        let opts = IngestOptions {
            boilerplate: &self.boilerplate,
            near_duplicates: &self.config.near_duplicates,
            exclude: vec![out],
        };
        let ingested = crate::ingest::ingest(&self.root, &self.config.seeds_dir, &opts)?;
        timings.push("ingest", t.elapsed());
        let d = &ingested.dedup;
        timings.count("common sentences", d.common_sentences);
        timings.count("near-duplicate candidate pairs", d.candidate_pairs);
        timings.count("near-duplicate buckets skipped", d.skipped_buckets);
        timings.count("near-duplicate pairs", d.twin_pairs);
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

/// Wall time per stage, and a few counts that explain them (e.g. candidate pairs compared).
#[derive(Debug, Default, Clone)]
pub struct Timings(
    pub Vec<(&'static str, Duration)>,
    pub Vec<(&'static str, usize)>,
);

impl Timings {
    pub fn push(&mut self, stage: &'static str, d: Duration) {
        self.0.push((stage, d));
    }

    pub fn count(&mut self, what: &'static str, n: usize) {
        self.1.push((what, n));
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

impl BuildReport {
    /// The stage timings as `timing STAGE SECONDS` lines, then one JSON line with the same
    /// figures and the counts (`{"stages":[["ingest",0.41],...],"total":..,"articles":..}`),
    /// for people and for scripts such as `bench/run.sh`.
    pub fn timings_text(&self, total: Duration) -> String {
        let mut out = String::new();
        for (stage, d) in &self.timings.0 {
            out.push_str(&format!("timing {stage} {:.3}\n", d.as_secs_f64()));
        }
        out.push_str(&format!("timing total {:.3}\n", total.as_secs_f64()));
        for (what, n) in &self.timings.1 {
            out.push_str(&format!("count {what}: {n}\n"));
        }
        let stages: Vec<(&str, f64)> = self
            .timings
            .0
            .iter()
            .map(|(s, d)| (*s, (d.as_secs_f64() * 1000.0).round() / 1000.0))
            .collect();
        let json = serde_json::json!({
            "stages": stages,
            "counts": self.timings.1,
            "total": (total.as_secs_f64() * 1000.0).round() / 1000.0,
            "articles": self.articles,
            "entities": self.entities,
            "partnerships": self.partnerships,
            "pages": self.pages,
            "written": self.written,
        });
        out.push_str(&json.to_string());
        out.push('\n');
        out
    }
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
