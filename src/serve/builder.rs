//! Incremental builds for `kwiki serve`: the last articles, extractions, wiki, theme and
//! pages stay in memory, and a rebuild redoes only what a change touches.
//!
//! - an article changed: re-read and re-extract that file only (every other extraction is
//!   cached, keyed by path, size and modification time), then link and render again;
//! - `seeds/_corrections.yaml` changed: link and render again (no file is re-read);
//! - a template changed: reload the theme and render again (no ingest, no extraction);
//! - a static file changed: copy the static files again (no render);
//! - `site.yaml` or a lexicon changed: start over.
//!
//! Every rebuild ends in the ordinary write stage, which rewrites only the files that changed.
use crate::error::{Error, Result};
use crate::extract::Extraction;
use crate::ingest::{self, Format, ReadResult, Warning};
use crate::link::Wiki;
use crate::render::{self, Page, Theme};
use crate::site::{Site, Timings};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Instant, SystemTime};

/// What a change touched.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Dirty {
    /// `site.yaml` or a lexicon file.
    pub config: bool,
    /// An article or the corrections file.
    pub seeds: bool,
    pub templates: bool,
    pub statics: bool,
}

impl Dirty {
    pub fn all() -> Dirty {
        Dirty {
            config: true,
            seeds: true,
            templates: true,
            statics: true,
        }
    }

    pub fn any(&self) -> bool {
        self.config || self.seeds || self.templates || self.statics
    }

    pub fn merge(&mut self, o: Dirty) {
        self.config |= o.config;
        self.seeds |= o.seeds;
        self.templates |= o.templates;
        self.statics |= o.statics;
    }
}

/// A file's identity for the cache: it is read again when any of these change.
#[derive(Debug, Clone, PartialEq)]
struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
}

fn stamp(path: &Path) -> Option<Stamp> {
    let m = std::fs::metadata(path).ok()?;
    Some(Stamp {
        len: m.len(),
        modified: m.modified().ok(),
    })
}

struct Cached {
    stamp: Option<Stamp>,
    read: ReadResult,
    extraction: Option<Extraction>,
}

/// What the server shows: the pages of the last good build.
pub struct Snapshot {
    pub rendered: Arc<Vec<Page>>,
    pub statics: Arc<Vec<Page>>,
    /// The 404 page rendered with links from the server's root ("/"), whatever `base_url` says.
    pub not_found: Arc<Vec<u8>>,
    index: HashMap<String, (bool, usize)>,
}

impl Snapshot {
    fn new(rendered: Arc<Vec<Page>>, statics: Arc<Vec<Page>>, not_found: Arc<Vec<u8>>) -> Self {
        let mut index = HashMap::with_capacity(rendered.len() + statics.len());
        for (i, p) in statics.iter().enumerate() {
            index.insert(p.path.clone(), (false, i));
        }
        // rendered pages win over static files of the same path, as in the written site
        for (i, p) in rendered.iter().enumerate() {
            index.insert(p.path.clone(), (true, i));
        }
        Snapshot {
            rendered,
            statics,
            not_found,
            index,
        }
    }

    /// The bytes of the file at `path` (relative to the site root, e.g. `artist/rose/index.html`).
    pub fn get(&self, path: &str) -> Option<&[u8]> {
        let &(rendered, i) = self.index.get(path)?;
        let pages = if rendered {
            &self.rendered
        } else {
            &self.statics
        };
        Some(&pages[i].content)
    }
}

/// What one rebuild did.
#[derive(Debug, Default)]
pub struct Rebuild {
    /// The stages that ran, with their wall time.
    pub timings: Timings,
    pub total: std::time::Duration,
    /// Article files read (and extracted) again.
    pub reread: usize,
    pub written: usize,
    pub removed: usize,
    pub warnings: Vec<Warning>,
}

impl std::fmt::Display for Rebuild {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "rebuilt in {} ms (", self.total.as_millis())?;
        for (i, (stage, d)) in self.timings.0.iter().enumerate() {
            if i > 0 {
                write!(f, ", ")?;
            }
            write!(f, "{stage} {} ms", d.as_millis())?;
        }
        write!(
            f,
            "); {} article file(s) read, {} file(s) written, {} removed",
            self.reread, self.written, self.removed
        )
    }
}

/// The in-memory state of a site being served.
pub struct Builder {
    root: PathBuf,
    site: Option<Site>,
    cache: HashMap<PathBuf, Cached>,
    wiki: Option<Wiki>,
    warnings: Vec<Warning>,
    theme: Option<Theme>,
    rendered: Option<Arc<Vec<Page>>>,
    not_found: Arc<Vec<u8>>,
    statics: Option<Arc<Vec<Page>>>,
}

impl Builder {
    pub fn new(root: &Path) -> Builder {
        Builder {
            root: root.to_path_buf(),
            site: None,
            cache: HashMap::new(),
            wiki: None,
            warnings: Vec::new(),
            theme: None,
            rendered: None,
            not_found: Arc::new(Vec::new()),
            statics: None,
        }
    }

    /// The loaded site settings (after the first successful load).
    pub fn site(&self) -> Option<&Site> {
        self.site.as_ref()
    }

    /// The pages of the last successful build.
    pub fn snapshot(&self) -> Option<Snapshot> {
        Some(Snapshot::new(
            self.rendered.clone()?,
            self.statics.clone()?,
            self.not_found.clone(),
        ))
    }

    /// Rebuild what `dirty` touched; `changed` lists the files the watcher saw change (they
    /// are read again even when their size and time look the same).
    pub fn rebuild(&mut self, dirty: Dirty, changed: &[PathBuf]) -> Result<Rebuild> {
        let start = Instant::now();
        let mut report = Rebuild::default();
        let mut dirty = dirty;
        if dirty.config || self.site.is_none() {
            // settings or lexicon changed: nothing cached can be trusted
            self.site = None;
            self.cache.clear();
            self.wiki = None;
            self.theme = None;
            self.rendered = None;
            self.statics = None;
            let t = Instant::now();
            self.site = Some(Site::load(&self.root)?);
            report.timings.push("config", t.elapsed());
            dirty = Dirty::all();
        }
        let site = self.site.as_ref().expect("loaded above");
        if dirty.seeds || self.wiki.is_none() {
            self.wiki = None;
            let (wiki, warnings, reread) =
                wiki_incremental(site, &mut self.cache, changed, &mut report.timings)?;
            self.wiki = Some(wiki);
            self.warnings = warnings;
            report.reread = reread;
        }
        if dirty.templates || self.theme.is_none() {
            self.theme = None;
            let t = Instant::now();
            self.theme = Some(Theme::load(&site.root.join(&site.config.templates_dir))?);
            report.timings.push("templates", t.elapsed());
        }
        if dirty.seeds || dirty.templates || self.rendered.is_none() {
            self.rendered = None;
            let t = Instant::now();
            let wiki = self.wiki.as_ref().expect("built above");
            let theme = self.theme.as_ref().expect("loaded above");
            let rsite = render::Site::new(wiki, &site.config);
            let pages = render::render(&rsite, theme)?;
            self.not_found = Arc::new(serve_not_found(&rsite, theme)?);
            self.rendered = Some(Arc::new(pages));
            report.timings.push("render", t.elapsed());
        }
        if dirty.statics || self.statics.is_none() {
            let t = Instant::now();
            let pages = crate::write::static_pages(&site.root.join(&site.config.static_dir))?;
            self.statics = Some(Arc::new(pages));
            report.timings.push("static", t.elapsed());
        }
        let t = Instant::now();
        let rendered = self.rendered.as_ref().expect("rendered above");
        let statics = self.statics.as_ref().expect("read above");
        // static files first, rendered pages last: the later page of a path wins on disk
        let mut all: Vec<&Page> = Vec::with_capacity(rendered.len() + statics.len());
        let rendered_paths: HashSet<&str> = rendered.iter().map(|p| p.path.as_str()).collect();
        all.extend(
            statics
                .iter()
                .filter(|p| !rendered_paths.contains(p.path.as_str())),
        );
        all.extend(rendered.iter());
        let stats = crate::write::write_page_refs(&site.output_dir(), &all)?;
        report.timings.push("write", t.elapsed());
        report.written = stats.written;
        report.removed = stats.removed;
        report.warnings = self.warnings.clone();
        report.total = start.elapsed();
        Ok(report)
    }
}

/// 404.html as the server sends it: the same template and context as the built page, with
/// links from "/" (the built page's links start from `base_url`'s path, which the local
/// server does not have).
fn serve_not_found(rsite: &render::Site, theme: &Theme) -> Result<Vec<u8>> {
    let Some((template, mut ctx)) = render::context_for(rsite, "404.html") else {
        return Ok(b"<!DOCTYPE html><title>Not found</title><h1>Not found</h1>".to_vec());
    };
    ctx.insert("root", "/");
    Ok(theme.render(&template, &ctx)?.into_bytes())
}

/// Ingest, extract and link like `Site::wiki`, reading and extracting only the files that
/// are new or changed since the last call. Returns the wiki, its warnings and the number of
/// files read.
fn wiki_incremental(
    site: &Site,
    cache: &mut HashMap<PathBuf, Cached>,
    changed: &[PathBuf],
    timings: &mut Timings,
) -> Result<(Wiki, Vec<Warning>, usize)> {
    let seeds = site.seeds_dir();
    let out = site.output_dir();
    if out.starts_with(&seeds) {
        return Err(Error::input(
            &out,
            format!(
                "the output directory is inside the seeds directory {}: the build would read its own pages; set output_dir elsewhere",
                seeds.display()
            ),
        ));
    }
    if !seeds.is_dir() {
        return Err(Error::input(
            &seeds,
            "no seeds directory: create it and put .txt or .md articles in it (or set seeds_dir in site.yaml)",
        ));
    }
    let t = Instant::now();
    let mut warnings = Vec::new();
    let files = ingest::discover(&site.root, &seeds, &[out], &mut warnings);
    let changed: HashSet<&PathBuf> = changed.iter().collect();
    let stale: Vec<(PathBuf, PathBuf, Format, Option<Stamp>)> = files
        .iter()
        .filter_map(|(rel, abs, format)| {
            let s = stamp(abs);
            let fresh = !changed.contains(abs)
                && cache
                    .get(abs)
                    .is_some_and(|c| c.stamp.is_some() && c.stamp == s);
            (!fresh).then(|| (rel.clone(), abs.clone(), *format, s))
        })
        .collect();
    let reread = stale.len();
    let opts = site.ingest_options();
    let fresh: Vec<(PathBuf, ReadResult)> = stale
        .par_iter()
        .map(|(rel, abs, format, _)| (abs.clone(), ingest::read_one(rel, abs, *format, &opts)))
        .collect();
    timings.push("ingest", t.elapsed());
    let t = Instant::now();
    let extracted: Vec<Option<Extraction>> = fresh
        .par_iter()
        .map(|(_, (_, r, _))| match r {
            Ok(Some(a)) => Some(crate::extract::extract(a, &site.lexicon)),
            _ => None,
        })
        .collect();
    for (((abs, read), extraction), (_, _, _, s)) in fresh.into_iter().zip(extracted).zip(stale) {
        cache.insert(
            abs,
            Cached {
                stamp: s,
                read,
                extraction,
            },
        );
    }
    let present: HashSet<&PathBuf> = files.iter().map(|(_, abs, _)| abs).collect();
    cache.retain(|k, _| present.contains(k));
    timings.push("extract", t.elapsed());
    let t = Instant::now();
    // the same order as a full build: files in path order
    let mut results = Vec::with_capacity(files.len());
    let mut by_id: HashMap<&str, &Extraction> = HashMap::new();
    for (_, abs, _) in &files {
        let c = &cache[abs];
        results.push(c.read.clone());
        if let (Ok(Some(a)), Some(x)) = (&c.read.1, &c.extraction) {
            by_id.entry(a.id.as_str()).or_insert(x);
        }
    }
    let ingested = ingest::assemble(results, warnings, &site.config.near_duplicates);
    let extractions: Vec<Extraction> = ingested
        .articles
        .iter()
        .map(|a| {
            by_id
                .get(a.id.as_str())
                .map(|x| (*x).clone())
                .unwrap_or_default()
        })
        .collect();
    let wiki = site.link(ingested.articles, extractions)?;
    timings.push("link", t.elapsed());
    Ok((wiki, ingested.warnings, reread))
}
