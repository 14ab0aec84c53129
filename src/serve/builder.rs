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
use crate::ingest::dedup::DedupCache;
use crate::ingest::{self, Article, Format, ReadResult, Warning};
use crate::link::Wiki;
use crate::render::{self, Theme};
use crate::site::{Site, Timings, plural};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
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
    extraction: Option<Arc<Extraction>>,
}

/// Rendered pages by path.
pub type PageMap = FxHashMap<String, Arc<Vec<u8>>>;

/// What the server shows: the pages of the last good build.
#[derive(Clone)]
pub struct Snapshot {
    rendered: Arc<PageMap>,
    statics: Arc<PageMap>,
    /// The 404 page rendered with links from the server's root ("/"), whatever `base_url` says.
    pub not_found: Arc<Vec<u8>>,
}

impl Snapshot {
    /// The bytes of the file at `path` (relative to the site root, e.g. `artist/rose/index.html`).
    /// Rendered pages win over static files of the same path, as in the written site.
    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.rendered
            .get(path)
            .or_else(|| self.statics.get(path))
            .map(|b| b.as_slice())
    }

    /// Every path served, sorted.
    pub fn paths(&self) -> Vec<&str> {
        let mut out: Vec<&str> = self
            .rendered
            .keys()
            .chain(self.statics.keys())
            .map(String::as_str)
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// Which pages an early snapshot (see `Builder::rebuild_with`) brings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Early {
    /// Every page an article edit changed, exact; the lists follow.
    Changed,
    /// Every page (a rebuild that rendered everything), before the disk copy is written.
    All,
}

/// What one rebuild did.
#[derive(Debug, Default)]
pub struct Rebuild {
    /// The stages that ran, with their wall time.
    pub timings: Timings,
    pub total: std::time::Duration,
    /// Article files read (and extracted) again.
    pub reread: usize,
    /// Pages rendered again (all of them, or those an article edit changed and the lists).
    pub rendered: usize,
    /// Of those, the pages of entities, partnerships and articles an article edit changed.
    pub rendered_changed: usize,
    /// The edit changed nothing linking reads: the last wiki was patched, not linked again.
    pub in_place: bool,
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
        let n = |n: usize, one: &str, many: &str| format!("{n} {}", plural(n, one, many));
        write!(
            f,
            "); {} read{}, {} rendered ({} changed by an edit), {} written, {} removed",
            n(self.reread, "article file", "article files"),
            if self.in_place {
                " (no name or relation changed: wiki patched in place)"
            } else {
                ""
            },
            n(self.rendered, "page", "pages"),
            self.rendered_changed,
            n(self.written, "file", "files"),
            self.removed
        )
    }
}

/// The in-memory state of a site being served.
pub struct Builder {
    root: PathBuf,
    site: Option<Site>,
    cache: HashMap<PathBuf, Cached>,
    listing: Option<Listing>,
    wiki: Option<Wiki>,
    /// The near-duplicate search's work on the articles of `wiki`.
    dedup: DedupCache,
    /// The fingerprints of `wiki`, for the next edit's comparison (see `diff`).
    prints: Option<super::diff::Fingerprints>,
    warnings: Vec<Warning>,
    theme: Option<Theme>,
    rendered: Option<Arc<PageMap>>,
    /// Paths of the pages `render_globals` made (home, indexes, search...).
    globals: Vec<String>,
    not_found: Arc<Vec<u8>>,
    statics: Option<Arc<PageMap>>,
}

impl Builder {
    pub fn new(root: &Path) -> Builder {
        Builder {
            root: root.to_path_buf(),
            site: None,
            cache: HashMap::new(),
            listing: None,
            wiki: None,
            dedup: DedupCache::default(),
            prints: None,
            warnings: Vec::new(),
            theme: None,
            rendered: None,
            globals: Vec::new(),
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
        Some(Snapshot {
            rendered: self.rendered.clone()?,
            statics: self.statics.clone()?,
            not_found: self.not_found.clone(),
        })
    }

    /// Rebuild what `dirty` touched; `changed` lists the files the watcher saw change (they
    /// are read again even when their size and time look the same).
    pub fn rebuild(&mut self, dirty: Dirty, changed: &[PathBuf]) -> Result<Rebuild> {
        self.rebuild_with(dirty, changed, &mut |_, _| {})
    }

    /// `rebuild`, handing `early` a snapshot as soon as the pages an article edit changed
    /// are rendered, before the pages that list everything (home, indexes, search...) are.
    pub fn rebuild_with(
        &mut self,
        dirty: Dirty,
        changed: &[PathBuf],
        early: &mut dyn FnMut(Snapshot, Early),
    ) -> Result<Rebuild> {
        let start = Instant::now();
        let mut report = Rebuild::default();
        let mut dirty = dirty;
        if dirty.config || self.site.is_none() {
            // settings or lexicon changed: nothing cached can be trusted
            self.site = None;
            self.cache.clear();
            self.listing = None;
            self.wiki = None;
            self.prints = None;
            self.theme = None;
            self.rendered = None;
            self.statics = None;
            let t = Instant::now();
            self.site = Some(Site::load(&self.root)?);
            report.timings.push("config", t.elapsed());
            dirty = Dirty::all();
        }
        let site = self.site.as_ref().expect("loaded above");
        let mut old_wiki = None;
        let mut old_prints = None;
        // ids of the articles read again, whose own pages are rendered again in any case
        let mut edited: Vec<String> = Vec::new();
        let mut patched = None;
        if dirty.seeds || self.wiki.is_none() {
            old_wiki = self.wiki.take();
            old_prints = self.prints.take();
            let quick = !dirty.templates && !dirty.config;
            // the last wiki, to patch in place, when only articles changed
            let last = old_wiki.as_mut().filter(|_| quick);
            let (relinked, reread, ids) = wiki_incremental(
                site,
                &mut self.cache,
                &mut self.dedup,
                &mut self.listing,
                changed,
                last,
                &mut report.timings,
            )?;
            edited = ids;
            match relinked {
                Relinked::Linked(wiki, warnings) => {
                    self.wiki = Some(wiki);
                    self.warnings = warnings;
                }
                Relinked::Patched(changes) => {
                    report.in_place = true;
                    self.wiki = old_wiki.take();
                    patched = Some(changes);
                }
            }
            report.reread = reread;
        }
        if dirty.templates || self.theme.is_none() {
            self.theme = None;
            old_wiki = None;
            let t = Instant::now();
            self.theme = Some(Theme::load(&site.root.join(&site.config.templates_dir))?);
            report.timings.push("templates", t.elapsed());
        }
        if dirty.statics || self.statics.is_none() {
            let t = Instant::now();
            let pages = render::theme::static_files(
                &site.root.join(&site.config.static_dir),
                &site.config.static_include,
            )?;
            self.statics = Some(Arc::new(
                pages
                    .into_iter()
                    .map(|p| (p.path, Arc::new(p.content)))
                    .collect(),
            ));
            report.timings.push("static", t.elapsed());
        }
        let mut to_write: Option<Vec<String>> = None;
        let mut removed_pages = Vec::new();
        if dirty.seeds || dirty.templates || self.rendered.is_none() {
            let wiki = self.wiki.as_ref().expect("built above");
            let theme = self.theme.as_ref().expect("loaded above");
            let t = Instant::now();
            let (rsite, edit) = rayon::join(
                || render::Site::new(wiki, &site.config),
                || match (patched, &old_wiki, &self.rendered) {
                    (Some(changes), _, Some(_)) => (Some(changes), None),
                    (None, Some(old), Some(_)) => {
                        match super::diff::changes(old, old_prints, wiki, &edited) {
                            Some((changes, prints)) => (Some(changes), Some(prints)),
                            None => (None, None),
                        }
                    }
                    _ => (None, None),
                },
            );
            let (edit, prints) = edit;
            if prints.is_some() {
                self.prints = prints;
            }
            report.timings.push("diff", t.elapsed());
            let t = Instant::now();
            self.not_found = Arc::new(serve_not_found(&rsite, theme)?);
            if let (Some(mut changes), Some(rendered)) = (edit, self.rendered.as_mut()) {
                // the edited articles' own pages (their text changed)
                for (i, a) in wiki.articles.iter().enumerate() {
                    if edited.contains(&a.id) {
                        changes.selection.articles.push(i);
                    }
                }
                changes.selection.articles.sort_unstable();
                changes.selection.articles.dedup();
                // an article edit: its pages first, published at once, then the lists
                let pages = render::render_selected(&rsite, theme, &changes.selection)?;
                report.timings.push("render changed", t.elapsed());
                let t = Instant::now();
                let map = Arc::make_mut(rendered);
                let mut paths = Vec::with_capacity(pages.len());
                for p in pages {
                    paths.push(p.path.clone());
                    map.insert(p.path, Arc::new(p.content));
                }
                changes.removed.retain(|gone| !paths.contains(gone));
                for gone in &changes.removed {
                    map.remove(gone);
                }
                report.rendered = paths.len();
                report.rendered_changed = paths.len();
                report.timings.push("swap", t.elapsed());
                early(
                    Snapshot {
                        rendered: rendered.clone(),
                        statics: self.statics.clone().expect("read above"),
                        not_found: self.not_found.clone(),
                    },
                    Early::Changed,
                );
                // freeing the last wiki is real work: not while the changed pages wait
                drop_aside(old_wiki.take());
                let t = Instant::now();
                let globals = render::render_globals(&rsite, theme)?;
                let map = Arc::make_mut(rendered);
                let own: HashSet<&String> = paths.iter().collect();
                for g in self.globals.iter().filter(|g| !own.contains(g)) {
                    map.remove(g);
                }
                self.globals = globals.iter().map(|p| p.path.clone()).collect();
                for p in globals {
                    paths.push(p.path.clone());
                    map.insert(p.path, Arc::new(p.content));
                }
                report.rendered += self.globals.len();
                removed_pages = changes.removed;
                to_write = Some(paths);
                report.timings.push("render lists", t.elapsed());
            } else {
                drop_aside(old_wiki.take());
                self.rendered = None;
                let pages = render::render(&rsite, theme)?;
                // the pages not of one entity, partnership or article are the lists
                let own: HashSet<String> = wiki
                    .entities
                    .iter()
                    .map(|e| format!("{}index.html", e.url()))
                    .chain(
                        wiki.partnerships
                            .iter()
                            .map(|p| format!("{}index.html", p.url())),
                    )
                    .chain(
                        (0..wiki.articles.len())
                            .map(|a| format!("{}index.html", rsite.article_url(a))),
                    )
                    .collect();
                self.globals = pages
                    .iter()
                    .filter(|p| !own.contains(&p.path))
                    .map(|p| p.path.clone())
                    .collect();
                report.rendered = pages.len();
                self.rendered = Some(Arc::new(
                    pages
                        .into_iter()
                        .map(|p| (p.path, Arc::new(p.content)))
                        .collect(),
                ));
                report.timings.push("render", t.elapsed());
                // served from memory at once; the copy on disk follows
                early(
                    self.snapshot().expect("rendered and read above"),
                    Early::All,
                );
            }
        }
        let t = Instant::now();
        let rendered = self.rendered.as_ref().expect("rendered above");
        let statics = self.statics.as_ref().expect("read above");
        let stats = match to_write {
            // only what the edit changed; every other file on disk is already right
            Some(paths) => crate::write::update_pages(
                &site.output_dir(),
                paths.iter().map(|p| (p.as_str(), rendered[p].as_slice())),
                &removed_pages,
            )?,
            None => {
                // a rendered page wins over a static file of the same path
                let mut all: Vec<(&str, &[u8])> = statics
                    .iter()
                    .filter(|(p, _)| !rendered.contains_key(*p))
                    .chain(rendered.iter())
                    .map(|(p, b)| (p.as_str(), b.as_slice()))
                    .collect();
                all.sort_unstable_by_key(|(p, _)| *p);
                crate::write::write_slices(&site.output_dir(), &all)?
            }
        };
        report.timings.push("write", t.elapsed());
        report.written = stats.written;
        if self.prints.is_none() {
            // for the next edit, now that this one is served and written
            let t = Instant::now();
            self.prints = self.wiki.as_ref().map(super::diff::fingerprints);
            report.timings.push("fingerprints", t.elapsed());
        }
        report.removed = stats.removed;
        report.warnings = self.warnings.clone();
        report.total = start.elapsed();
        Ok(report)
    }
}

/// Free `wiki` on a thread of its own.
fn drop_aside(wiki: Option<Wiki>) {
    if let Some(old) = wiki {
        std::thread::spawn(move || drop(old));
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

/// The article files of the seeds as last listed: (relative path, absolute path, format), and
/// the warnings met listing them.
type Listing = (Vec<(PathBuf, PathBuf, Format)>, Vec<Warning>);

/// What `wiki_incremental` made of an article edit.
enum Relinked {
    /// A new wiki, and its warnings.
    Linked(Wiki, Vec<Warning>),
    /// The edit was put in place in the last wiki (see `patch`): the pages it changed.
    Patched(super::diff::Changes),
}

/// Ingest, extract and link like `Site::wiki`, reading and extracting only the files that
/// are new or changed since the last call. When every changed file is an article already
/// known, the seeds are not listed again, and when the edit changed nothing linking reads,
/// `last` (the last wiki) is patched instead of linking again.
#[allow(clippy::too_many_arguments)]
fn wiki_incremental(
    site: &Site,
    cache: &mut HashMap<PathBuf, Cached>,
    dedup: &mut DedupCache,
    listing: &mut Option<Listing>,
    changed: &[PathBuf],
    last: Option<&mut Wiki>,
    timings: &mut Timings,
) -> Result<(Relinked, usize, Vec<String>)> {
    let seeds = site.seeds_dir();
    let out = site.output_dir();
    if out.starts_with(&seeds) {
        return Err(Error::input(
            &out,
            format!(
                "the output directory is inside the seeds directory {}: the build would read its own pages; set output_dir elsewhere",
                crate::error::shown(&seeds)
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
    // only known articles changed (no file added, removed or renamed, no corrections): the
    // listing stands, and only those files are looked at
    let known = !changed.is_empty()
        && listing.is_some()
        && changed.iter().all(|p| cache.contains_key(p) && p.is_file());
    if !known {
        let mut warnings = Vec::new();
        let files = ingest::discover(&site.root, &seeds, &[out], &mut warnings);
        *listing = Some((files, warnings));
    }
    let (files, listed_warnings) = listing.as_ref().expect("listed above");
    let changed: HashSet<&PathBuf> = changed.iter().collect();
    let stale: Vec<(PathBuf, PathBuf, Format, Option<Stamp>)> = files
        .iter()
        .filter(|(_, abs, _)| !known || changed.contains(abs))
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
    let extracted: Vec<Option<Arc<Extraction>>> = fresh
        .par_iter()
        .map(|(_, (_, r, _))| match r {
            Ok(Some(a)) => Some(Arc::new(crate::extract::extract(a, &site.lexicon))),
            _ => None,
        })
        .collect();
    let reread_paths: Vec<PathBuf> = stale.iter().map(|(_, abs, _, _)| abs.clone()).collect();
    let mut before: Vec<Option<Cached>> = Vec::with_capacity(reread_paths.len());
    for (((abs, read), extraction), (_, _, _, s)) in fresh.into_iter().zip(extracted).zip(stale) {
        before.push(cache.insert(
            abs,
            Cached {
                stamp: s,
                read,
                extraction,
            },
        ));
    }
    if !known {
        let present: HashSet<&PathBuf> = files.iter().map(|(_, abs, _)| abs).collect();
        cache.retain(|k, _| present.contains(k));
    }
    timings.push("extract", t.elapsed());
    // the ids of the articles read again
    let edited: Vec<String> = reread_paths
        .iter()
        .filter_map(|abs| match &cache.get(abs)?.read.1 {
            Ok(Some(a)) => Some(a.id.clone()),
            _ => None,
        })
        .collect();
    if let (true, Some(wiki)) = (known, last) {
        let t = Instant::now();
        let edits = edits_in_place(wiki, cache, &reread_paths, &before);
        let changes = edits.and_then(|edits| {
            super::patch::patch(wiki, &edits, |w| twins_after(w, &edits, site, dedup))
        });
        timings.push("patch", t.elapsed());
        if let Some(changes) = changes {
            return Ok((Relinked::Patched(changes), reread, edited));
        }
    }
    let relinked = relink(site, cache, files, listed_warnings, dedup, timings)?;
    Ok((relinked, reread, edited))
}

/// Assemble every article (the cached reads, in path order) and link them.
fn relink(
    site: &Site,
    cache: &HashMap<PathBuf, Cached>,
    files: &[(PathBuf, PathBuf, Format)],
    listed_warnings: &[Warning],
    dedup: &mut DedupCache,
    timings: &mut Timings,
) -> Result<Relinked> {
    let t = Instant::now();
    // the same order as a full build: files in path order
    let (results, extracted): (Vec<ReadResult>, Vec<Option<Arc<Extraction>>>) = files
        .par_iter()
        .map(|(_, abs, _)| {
            let c = &cache[abs];
            (c.read.clone(), c.extraction.clone())
        })
        .unzip();
    let ingested = ingest::assemble_cached(
        results,
        listed_warnings.to_vec(),
        &site.config.near_duplicates,
        dedup,
    );
    let extractions: Vec<Arc<Extraction>> = (ingested.read_index.iter())
        .map(|&i| extracted[i].clone().unwrap_or_default())
        .collect();
    timings.push("assemble", t.elapsed());
    let t = Instant::now();
    let wiki = site.link(ingested.articles, extractions)?;
    timings.push("link", t.elapsed());
    Ok(Relinked::Linked(wiki, ingested.warnings))
}

/// The re-read files as edits of `wiki`'s articles, when each one was and still is an article
/// of the wiki (not a draft, not skipped, its id unchanged) with the same warnings; `None`
/// otherwise.
fn edits_in_place<'a>(
    wiki: &Wiki,
    cache: &'a HashMap<PathBuf, Cached>,
    paths: &[PathBuf],
    before: &'a [Option<Cached>],
) -> Option<Vec<super::patch::Edit<'a>>> {
    let index: HashMap<&str, usize> = (wiki.articles.iter().enumerate())
        .map(|(i, a)| (a.id.as_str(), i))
        .collect();
    paths
        .iter()
        .zip(before)
        .map(|(abs, old)| {
            let (old, new) = (old.as_ref()?, cache.get(abs)?);
            let (Ok(Some(a)), Some(new_x)) = (&new.read.1, &new.extraction) else {
                return None;
            };
            let (Ok(Some(_)), Some(old_x)) = (&old.read.1, &old.extraction) else {
                return None;
            };
            let i = *index.get(a.id.as_str())?;
            (wiki.articles[i].path == a.path && old.read.2 == new.read.2).then_some(
                super::patch::Edit {
                    index: i,
                    article: a,
                    old: old_x,
                    new: new_x,
                },
            )
        })
        .collect()
}

/// The near-duplicates of every article of `wiki` once `edits` are made.
fn twins_after(
    wiki: &Wiki,
    edits: &[super::patch::Edit],
    site: &Site,
    dedup: &mut DedupCache,
) -> Vec<Vec<String>> {
    let mut articles: Vec<&Article> = wiki.articles.iter().collect();
    for e in edits {
        articles[e.index] = e.article;
    }
    dedup.twins(&articles, &site.config.near_duplicates).0
}
