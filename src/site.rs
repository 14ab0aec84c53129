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

mod cached;

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
        let triggers: LexiconFile =
            crate::yaml::from_str(crate::extract::lexicon::DEFAULT_TRIGGERS, 0)
                .map_err(|e| Error::yaml("data/triggers.yaml (built in)", e))?;
        lex.merge(triggers);
        for extra in &config.lexicons {
            let path = root.join(extra);
            let text =
                crate::datafile::read(&path, config.max_data_file_bytes)?.ok_or_else(|| {
                    Error::input(
                        &path,
                        "no such lexicon file (listed under lexicons: in site.yaml)",
                    )
                })?;
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

    /// Link articles and their extractions into the wiki, with this site's corrections.
    pub fn link(
        &self,
        articles: Vec<crate::ingest::Article>,
        extractions: Vec<std::sync::Arc<crate::extract::Extraction>>,
    ) -> Result<Wiki> {
        let corrections = Corrections::load(&self.seeds_dir(), self.config.max_data_file_bytes)?;
        Ok(crate::link::link(
            articles,
            extractions,
            &corrections,
            &self.lexicon.korean_surnames,
        ))
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

    /// The output directory must not be inside the seeds: the build would read its own pages.
    pub fn check_output(&self) -> Result<()> {
        let seeds = self.seeds_dir();
        let out = self.output_dir();
        if resolved(&out).starts_with(resolved(&seeds)) {
            return Err(Error::input(
                &out,
                format!(
                    "the output directory is inside the seeds directory {}: the build would read its own pages; set output_dir elsewhere",
                    crate::error::shown(&seeds)
                ),
            ));
        }
        Ok(())
    }

    /// Ingest, extract and link: the wiki, with the warnings met on the way.
    pub fn wiki(&self, timings: &mut Timings) -> Result<(Wiki, Vec<Warning>)> {
        self.wiki_with_progress(timings, &|_| {})
    }

    /// `wiki`, telling `progress` which stage runs and how far it got.
    pub fn wiki_with_progress(
        &self,
        timings: &mut Timings,
        progress: &(dyn Fn(Progress) + Sync),
    ) -> Result<(Wiki, Vec<Warning>)> {
        self.check_output()?;
        let t = Instant::now();
        progress(Progress::new("reading", 0, 0));
        let ingested =
            crate::ingest::ingest(&self.root, &self.config.seeds_dir, &self.ingest_options())?;
        timings.push("ingest", t.elapsed());
        let d = &ingested.dedup;
        timings.count("common sentences", d.common_sentences);
        timings.count("near-duplicate candidate pairs", d.candidate_pairs);
        timings.count("near-duplicate buckets skipped", d.skipped_buckets);
        timings.count("near-duplicate pairs", d.twin_pairs);
        let t = Instant::now();
        let n = ingested.articles.len();
        let done = std::sync::atomic::AtomicUsize::new(0);
        progress(Progress::new("extracting", 0, n));
        // an article is extracted as its file says, before its title was told apart from its
        // twins' (as the build cache and serve extract it, one file at a time)
        let read_titles: rustc_hash::FxHashMap<usize, &str> = (ingested.read_titles.iter())
            .map(|(i, t)| (*i, t.as_str()))
            .collect();
        let extractions: Vec<_> = ingested
            .articles
            .par_iter()
            .enumerate()
            .map(|(i, a)| {
                let x = match read_titles.get(&i) {
                    Some(title) => {
                        let mut as_read = a.clone();
                        as_read.title = title.to_string();
                        crate::extract::extract(&as_read, &self.lexicon)
                    }
                    None => crate::extract::extract(a, &self.lexicon),
                };
                let x = std::sync::Arc::new(x);
                let k = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                if k.is_multiple_of(64) || k == n {
                    progress(Progress::new("extracting", k, n));
                }
                x
            })
            .collect();
        timings.push("extract", t.elapsed());
        let t = Instant::now();
        progress(Progress::new("linking", 0, 0));
        let wiki = self.link(ingested.articles, extractions)?;
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

/// How far a build got: the stage running, and `done` of `total` items (0 of 0 when the
/// stage cannot tell).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    pub stage: &'static str,
    pub done: usize,
    pub total: usize,
}

impl Progress {
    pub fn new(stage: &'static str, done: usize, total: usize) -> Progress {
        Progress { stage, done, total }
    }
}

/// The peak resident set of this process so far (Linux: VmHWM), in KiB.
fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Wall and CPU time summed over the parts of a stage that runs in turns with another.
#[derive(Debug, Clone, Copy)]
pub struct StageClock {
    wall: Duration,
    cpu: f64,
    cpu_known: bool,
    since: (Instant, Option<f64>),
}

impl StageClock {
    pub fn new() -> StageClock {
        StageClock {
            wall: Duration::ZERO,
            cpu: 0.0,
            cpu_known: true,
            since: (Instant::now(), cpu_seconds()),
        }
    }

    /// Start timing a turn of this stage.
    pub fn start(&mut self) {
        self.since = (Instant::now(), cpu_seconds());
    }

    /// End the turn begun by the last `start` (or `new`).
    pub fn stop(&mut self) {
        self.wall += self.since.0.elapsed();
        match (self.since.1, cpu_seconds()) {
            (Some(a), Some(b)) => self.cpu += b - a,
            _ => self.cpu_known = false,
        }
    }
}

impl Default for StageClock {
    fn default() -> Self {
        StageClock::new()
    }
}

/// CPU seconds this process used so far, user and system, all threads (Linux).
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // the fields after the command name, which is in parentheses and may hold spaces
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0) // USER_HZ is 100 on Linux
}

/// Wall time per stage, and a few counts that explain them (e.g. candidate pairs compared).
#[derive(Debug, Default, Clone)]
pub struct Timings(
    pub Vec<(&'static str, Duration)>,
    pub Vec<(&'static str, usize)>,
    /// The process's peak resident memory (KiB) when each stage ended, where the system tells.
    pub Vec<(&'static str, u64)>,
    /// CPU seconds (user + system, all threads) each stage used, where the system tells:
    /// steadier than wall time on a busy machine.
    pub Vec<(&'static str, f64)>,
    /// CPU seconds used when the last stage ended.
    Option<f64>,
);

impl Timings {
    pub fn push(&mut self, stage: &'static str, d: Duration) {
        self.0.push((stage, d));
        if let Some(kib) = peak_memory_kib() {
            self.2.push((stage, kib));
        }
        if let Some(now) = cpu_seconds() {
            let before = self.4.unwrap_or(0.0);
            self.3.push((stage, now - before));
            self.4 = Some(now);
        }
    }

    /// Two stages that ran interleaved (render and write, part by part): their wall and
    /// CPU times were summed by the caller (see `StageClock`).
    pub fn push_interleaved(
        &mut self,
        a: (&'static str, StageClock),
        b: (&'static str, StageClock),
    ) {
        for (stage, clock) in [a, b] {
            self.0.push((stage, clock.wall));
            if let Some(kib) = peak_memory_kib() {
                self.2.push((stage, kib));
            }
            if clock.cpu_known {
                self.3.push((stage, clock.cpu));
            }
        }
        self.4 = cpu_seconds();
    }

    pub fn count(&mut self, what: &'static str, n: usize) {
        self.1.push((what, n));
    }
}

/// The form of a noun that goes with `n`: `one` for 1, `many` otherwise ("1 article",
/// "2 articles", "0 entities").
pub fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
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
    /// What the output directory holds once built.
    pub published: Published,
}

/// The size of a built site, as a host counts it.
#[derive(Debug, Default, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Published {
    pub bytes: u64,
    pub files: usize,
    /// The largest file, and the largest HTML page (path, bytes).
    pub largest: Option<(String, u64)>,
    pub largest_html: Option<(String, u64)>,
}

/// GitHub Pages publishes a site of at most 1 GB; GitHub refuses files over 100 MB in a
/// repository (a gh-pages branch) and warns from 50 MB.
pub const HOST_SITE_LIMIT: u64 = 1_000_000_000;
pub const HOST_FILE_LIMIT: u64 = 100_000_000;
const HOST_FILE_WARN: u64 = 50_000_000;

impl Published {
    /// The files the last build wrote into `out` (from the write stage's record of them).
    pub fn of(out: &Path) -> Published {
        Published::from_files(&crate::write::written_files(out))
    }

    /// The size of these files: (path, length, time).
    pub fn from_files(files: &[(String, u64, u128)]) -> Published {
        let mut p = Published::default();
        for (path, len, _) in files {
            let (path, len) = (path.clone(), *len);
            p.bytes += len;
            p.files += 1;
            if p.largest.as_ref().is_none_or(|l| len > l.1) {
                p.largest = Some((path.clone(), len));
            }
            if path.ends_with(".html") && p.largest_html.as_ref().is_none_or(|l| len > l.1) {
                p.largest_html = Some((path, len));
            }
        }
        p
    }

    /// Warnings for a site near what its host accepts, naming the settings of `publish` that
    /// would make it smaller.
    pub fn warnings(&self, out: &Path, publish: &crate::config::Publish) -> Vec<Warning> {
        let mut w = Vec::new();
        if self.bytes * 10 >= HOST_SITE_LIMIT * 8 {
            let advice = format!(
                "site.yaml settings that make it smaller by leaving something out: {} (docs/performance.md gives what each saves)",
                publish.to_make_smaller().join(", ")
            );
            w.push(Warning::new(
                out,
                format!(
                    "the site is {}: GitHub Pages publishes sites up to {}; {advice}",
                    human_bytes(self.bytes),
                    human_bytes(HOST_SITE_LIMIT)
                ),
            ));
        }
        if let Some((path, len)) = self.largest.as_ref().filter(|l| l.1 >= HOST_FILE_WARN) {
            w.push(Warning::new(
                out.join(path),
                format!(
                    "is {}: GitHub warns about files over {} and refuses them over {}",
                    human_bytes(*len),
                    human_bytes(HOST_FILE_WARN),
                    human_bytes(HOST_FILE_LIMIT)
                ),
            ));
        }
        w
    }
}

/// A size for people: `412.3 MB`, `1.2 GB`, `850 kB`.
pub fn human_bytes(n: u64) -> String {
    match n {
        n if n >= 1_000_000_000 => format!("{:.2} GB", n as f64 / 1e9),
        n if n >= 1_000_000 => format!("{:.1} MB", n as f64 / 1e6),
        n if n >= 1_000 => format!("{:.0} kB", n as f64 / 1e3),
        n => format!("{n} bytes"),
    }
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
        for (stage, secs) in &self.timings.3 {
            out.push_str(&format!("cpu {stage} {secs:.2}\n"));
        }
        for (stage, kib) in &self.timings.2 {
            out.push_str(&format!("peak memory after {stage}: {} MiB\n", kib / 1024));
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
            "cpu": self.timings.3,
            "peak_mib": self.timings.2.iter().map(|(s, k)| (*s, k / 1024)).collect::<Vec<_>>(),
            "total": (total.as_secs_f64() * 1000.0).round() / 1000.0,
            "articles": self.articles,
            "entities": self.entities,
            "partnerships": self.partnerships,
            "pages": self.pages,
            "written": self.written,
            "published_bytes": self.published.bytes,
            "published_files": self.published.files,
            "largest_file": self.published.largest,
            "largest_html": self.published.largest_html,
        });
        out.push_str(&json.to_string());
        out.push('\n');
        out
    }
}

/// Pages rendered and staged at a time: enough to keep both cores busy, few enough that a
/// 100,000-article site never holds all its pages' bytes at once.
const RENDER_PART: usize = 2048;

/// How a build uses the build cache (see `cache`).
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Read and update the cache (`kwiki build --no-cache`: false).
    pub cache: bool,
    /// kwiki's version as the cache's keys know it: `cache::VERSION`, unless a test injects
    /// another.
    pub version: String,
}

impl BuildOptions {
    pub fn cached() -> BuildOptions {
        BuildOptions {
            cache: true,
            version: crate::cache::VERSION.to_string(),
        }
    }

    pub fn uncached() -> BuildOptions {
        BuildOptions {
            cache: false,
            ..BuildOptions::cached()
        }
    }
}

impl Site {
    /// Where the build cache lives.
    pub fn cache_dir(&self) -> PathBuf {
        self.root.join(&self.config.cache_dir)
    }
}

/// `kwiki clean`: remove what builds leave behind: the output directory (only when kwiki
/// made it), the record of its files beside it, and the build cache. Returns what was
/// removed.
pub fn clean(
    site: &Site,
    wait: crate::write::lock::Wait,
    note: &dyn Fn(&str),
) -> Result<Vec<PathBuf>> {
    // under the output's lock: no build reads the cache or writes the output meanwhile
    let out = site.output_dir();
    let _lock = crate::write::lock::lock_output(&out, "clean", wait, note)?;
    let mut removed = crate::write::clean_locked(&out)?;
    let cache = site.cache_dir();
    if crate::cache::remove(&cache).map_err(|e| Error::io(&cache, e))? {
        removed.push(cache);
    }
    Ok(removed)
}

/// Build the site into its output directory, without the build cache.
pub fn build(site: &Site) -> Result<BuildReport> {
    build_with_progress(site, &BuildOptions::uncached(), &|_| {})
}

/// Build, telling `progress` which stage runs and how far it got (for a progress bar).
pub fn build_with_progress(
    site: &Site,
    opts: &BuildOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<BuildReport> {
    let mut timings = Timings::default();
    let theme = Theme::load(&site.root.join(&site.config.templates_dir))?;
    let statics = render::theme::static_files(
        &site.root.join(&site.config.static_dir),
        &site.config.static_include,
    )?;
    if !opts.cache {
        let (wiki, warnings) = site.wiki_with_progress(&mut timings, progress)?;
        // what `--timings` says of a cached build, for comparison: nothing came from a cache
        timings.count("articles from the cache", 0);
        timings.count("articles read and extracted", wiki.articles.len());
        return render_and_write(site, &theme, statics, wiki, warnings, timings, progress);
    }
    cached::build(site, opts, theme, statics, timings, progress)
}

/// Stage each part of pages `render` hands its sink as soon as it is rendered, then the static
/// files, and commit the write; the render clock runs while rendering, the write clock while
/// staging (the render clock is running when it is called). `(total, html)`: the pages to
/// render and the HTML pages kept as they were. Returns the site's HTML pages and what the
/// write did.
pub(crate) fn stage_rendered(
    mut stager: crate::write::Stager,
    statics: Vec<render::Page>,
    (total, html): (usize, usize),
    (render_clock, write_clock): (&mut StageClock, &mut StageClock),
    progress: &(dyn Fn(Progress) + Sync),
    render: impl FnOnce(&mut dyn FnMut(Vec<render::Page>) -> Result<()>) -> Result<()>,
) -> Result<(usize, crate::write::WriteStats)> {
    let mut n_pages = html;
    let mut done = 0;
    progress(Progress::new("writing pages", 0, total));
    render(&mut |pages| {
        render_clock.stop();
        write_clock.start();
        done += pages.len();
        n_pages += pages.iter().filter(|p| p.path.ends_with(".html")).count();
        stager.stage(pages)?;
        write_clock.stop();
        progress(Progress::new("writing pages", done.min(total), total));
        render_clock.start();
        Ok(())
    })?;
    render_clock.stop();
    write_clock.start();
    stager.stage(statics)?;
    let stats = stager.commit()?;
    write_clock.stop();
    Ok((n_pages, stats))
}

/// Render every page of `wiki` and write the site.
pub(crate) fn render_and_write(
    site: &Site,
    theme: &Theme,
    statics: Vec<crate::render::Page>,
    wiki: Wiki,
    warnings: Vec<Warning>,
    mut timings: Timings,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<BuildReport> {
    // render in parts, each staged as temp files as soon as it is rendered; nothing replaces
    // the old site before every page has rendered (see `write::Stager`)
    let mut render_clock = StageClock::new();
    let mut write_clock = StageClock::default();
    let stager = crate::write::Stager::new(&site.output_dir())?;
    let rsite = render::Site::new(&wiki, &site.config);
    let total = render::page_count(&wiki);
    let clocks = (&mut render_clock, &mut write_clock);
    let (n_pages, stats) = stage_rendered(stager, statics, (total, 0), clocks, progress, |sink| {
        render::render_parts(&rsite, theme, RENDER_PART, sink)
    })?;
    timings.push_interleaved(("render", render_clock), ("write", write_clock));
    Ok(BuildReport {
        articles: wiki.articles.len(),
        entities: wiki.entities.len(),
        partnerships: wiki.partnerships.len(),
        pages: n_pages,
        written: stats.written,
        warnings,
        timings,
        published: Published::of(&site.output_dir()),
    })
}
