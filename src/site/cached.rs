//! A build with the build cache (see `crate::cache`): the same stages and the same output as
//! without it, doing only the work the inputs' changes call for.
//!
//! 1. every article file is read and hashed; a build whose inputs are all those of the
//!    last build into an intact output has nothing to do;
//! 2. articles the cache does not know are read and extracted, the others taken from it;
//! 3. link runs over every extraction (it is global);
//! 4. each page is fingerprinted (`render::plan`); a page whose fingerprint and file are
//!    as the last build left them is kept, the others are rendered and written.
use super::{BuildOptions, BuildReport, Progress, RENDER_PART, Site, StageClock, Timings};
use crate::cache::pages::{self, Record, Summary, Written};
use crate::cache::store::Store;
use crate::cache::{Keys, Unusable, articles, put_bytes, put_str};
use crate::error::{Error, Result};
use crate::ingest::Warning;
use crate::link::Wiki;
use crate::render::{self, Page, Theme};
use std::hash::Hasher;
use std::path::Path;
use std::time::Instant;

pub(super) fn build(
    site: &Site,
    opts: &BuildOptions,
    theme: Theme,
    statics: Vec<Page>,
    mut timings: Timings,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<BuildReport> {
    site.check_output()?;
    let out = site.output_dir();
    let dir = site.cache_dir();
    let t = Instant::now();
    let keys = Keys::new(site, &opts.version);
    let mut store = Store::open(&dir, &opts.version);
    let last = pages::load(&dir, &out, &opts.version);
    let mut cache_warning = (store.unusable.clone())
        .or(last.as_ref().err().cloned())
        .map(|why| warning(&dir, &why));
    let last = last.ok().flatten();
    let known = crate::cache::files::Known::load(&dir, &opts.version, keys.rules);
    let scan = articles::scan(site, (&keys, &known), &store, progress)?;
    let taken = scan.taken;
    timings.count("article files unchanged, not read", scan.unread);
    let key = build_key(site, &keys, &theme, &statics, &scan)?;
    timings.push("ingest", t.elapsed());
    // 1. nothing changed
    let t = Instant::now();
    let same = last.as_ref().is_some_and(|l| l.build == key);
    let intact = |l: &Record| l.dirs_intact(&out) && crate::write::output_intact(&out);
    if let Some(last) = last.as_ref().filter(|l| same && intact(l)) {
        timings.push("check output", t.elapsed());
        timings.count("nothing changed since the last build", 1);
        let s = &last.summary;
        let mut warnings = s.warnings.clone();
        warnings.extend(cache_warning);
        return Ok(BuildReport {
            articles: s.articles,
            entities: s.entities,
            partnerships: s.partnerships,
            pages: s.pages,
            written: 0,
            warnings,
            timings,
            published: s.published.clone(),
        });
    }
    // from here on the output changes: the record of what it holds goes first
    pages::forget(&dir, &out);
    // 2. the articles
    let mut gathered = articles::gather(scan, site, &mut store, &mut timings, progress)?;
    let t = Instant::now();
    if let Some(u) = &store.unusable {
        cache_warning.get_or_insert_with(|| warning(&dir, u));
    }
    let saved = store.save(&gathered.keys).and_then(|()| {
        let seen = std::mem::take(&mut gathered.seen);
        crate::cache::files::save(&dir, &opts.version, keys.rules, taken, seen)
    });
    if let Err(e) = saved {
        cache_warning.get_or_insert_with(|| not_saved(&dir, &e));
    }
    timings.push("cache save", t.elapsed());
    // 3. link
    let t = Instant::now();
    progress(Progress::new("linking", 0, 0));
    let ing = gathered.ingested;
    timings.count("common sentences", ing.dedup.common_sentences);
    timings.count("near-duplicate pairs", ing.dedup.twin_pairs);
    let wiki = site.link(ing.articles, gathered.extractions)?;
    timings.push("link", t.elapsed());
    // 4. the pages
    let salt = salt(site, &keys, &theme)?;
    let Wrote {
        mut report,
        pages: written,
        dirs,
    } = render_and_write(
        site,
        &theme,
        statics,
        &wiki,
        salt,
        last.as_ref(),
        &mut timings,
        progress,
    )?;
    let record = Record {
        output: out.clone(),
        build: key,
        summary: Summary {
            articles: report.articles,
            entities: report.entities,
            partnerships: report.partnerships,
            pages: report.pages,
            warnings: ing.warnings.clone(),
            published: report.published.clone(),
        },
        pages: written,
        dirs,
    };
    if let Err(e) = pages::save(&dir, &opts.version, &record) {
        cache_warning.get_or_insert_with(|| not_saved(&dir, &e));
    }
    report.warnings = ing.warnings;
    report.warnings.extend(cache_warning);
    report.timings = timings;
    Ok(report)
}

/// What `render_and_write` did: the report, each fingerprinted page as it was left, and
/// every directory of the output with its time.
struct Wrote {
    report: BuildReport,
    pages: Vec<(String, Written)>,
    dirs: Vec<(String, u128)>,
}

/// Render the pages whose fingerprint or file changed, keep the others, write the site.
#[allow(clippy::too_many_arguments)]
fn render_and_write(
    site: &Site,
    theme: &Theme,
    statics: Vec<Page>,
    wiki: &Wiki,
    salt: u128,
    last: Option<&Record>,
    timings: &mut Timings,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<Wrote> {
    let mut render_clock = StageClock::new();
    let rsite = render::Site::new(wiki, &site.config);
    let plan = render::plan(&rsite, salt);
    render_clock.stop();
    let mut write_clock = StageClock::new();
    let mut stager = crate::write::Stager::new(&site.output_dir())?;
    if let Some(l) = last.filter(|l| !l.dirs.is_empty()) {
        stager.known_dirs(l.dirs.iter().cloned());
    }
    // the pages that show what they showed, in files as they were left: kept
    let before = last.map(Record::by_path).unwrap_or_default();
    let candidates: Vec<(usize, (&str, u64, u128))> = (0..plan.paths.len())
        .filter_map(|i| {
            let w = before.get(plan.paths[i].as_str())?;
            (plan.prints[i] == Some(w.print))
                .then_some((i, (plan.paths[i].as_str(), w.len, w.mtime)))
        })
        .collect();
    let files: Vec<(&str, u64, u128)> = candidates.iter().map(|c| c.1).collect();
    let kept = stager.keep_unchanged(&files);
    let mut render = vec![true; plan.paths.len()];
    for ((i, _), k) in candidates.iter().zip(&kept) {
        render[*i] = !k;
    }
    write_clock.stop();
    let n_kept = kept.iter().filter(|k| **k).count();
    timings.count("pages unchanged, not rendered", n_kept);
    timings.count("pages rendered", plan.paths.len() - n_kept);
    let html_kept = (plan.paths.iter().zip(&render))
        .filter(|(p, r)| !**r && p.ends_with(".html"))
        .count();
    let total = plan.paths.len() - n_kept;
    render_clock.start();
    let clocks = (&mut render_clock, &mut write_clock);
    let counts = (total, html_kept);
    let (n_pages, stats) =
        super::stage_rendered(stager, statics, counts, clocks, progress, |sink| {
            render::render_plan(&rsite, theme, &plan, &render, RENDER_PART, sink)
        })?;
    timings.push_interleaved(("render", render_clock), ("write", write_clock));
    // every file and directory as this build left them, and each fingerprinted page's
    let out = site.output_dir();
    let listing = stats.listing.clone().unwrap_or_else(|| {
        let files = crate::write::written_files(&out);
        let dirs = pages::directories(&out, files.iter().map(|(p, _, _)| p.as_str()));
        crate::write::Listing { files, dirs }
    });
    let on_disk: rustc_hash::FxHashMap<&str, (u64, u128)> = (listing.files.iter())
        .map(|(p, len, mtime)| (p.as_str(), (*len, *mtime)))
        .collect();
    let written = (plan.paths.iter().zip(&plan.prints))
        .filter_map(|(path, print)| {
            let &(len, mtime) = on_disk.get(path.as_str())?;
            Some((
                path.clone(),
                Written {
                    print: (*print)?,
                    len,
                    mtime,
                },
            ))
        })
        .collect();
    let report = BuildReport {
        articles: wiki.articles.len(),
        entities: wiki.entities.len(),
        partnerships: wiki.partnerships.len(),
        pages: n_pages,
        written: stats.written,
        warnings: Vec::new(),
        timings: Timings::default(),
        published: super::Published::from_files(&listing.files),
    };
    Ok(Wrote {
        report,
        pages: written,
        dirs: listing.dirs,
    })
}

/// The one warning a build gives about a cache it could not use.
fn warning(dir: &Path, why: &Unusable) -> Warning {
    Warning::new(
        dir,
        format!("the build cache {why}: not used this time (it is made again)"),
    )
}

fn not_saved(dir: &Path, e: &std::io::Error) -> Warning {
    Warning::new(dir, format!("the build cache could not be saved: {e}"))
}

/// What goes into every page's fingerprint: kwiki's version, the templates, the settings.
fn salt(site: &Site, keys: &Keys, theme: &Theme) -> Result<u128> {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    put_str(&mut h, &keys.version);
    h.write_u128(theme.hash);
    let config = serde_json::to_string(&site.config).map_err(|e| Error::Other(e.to_string()))?;
    put_str(&mut h, &config);
    Ok(h.digest128())
}

/// A hash of everything a build reads: kwiki and its rules, the settings, the templates,
/// the static files, the corrections and every article file (by key), with the warnings met
/// listing them. Two builds with the same key write the same site.
fn build_key(
    site: &Site,
    keys: &Keys,
    theme: &Theme,
    statics: &[Page],
    scan: &articles::Scan,
) -> Result<u128> {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.write_u128(keys.rules);
    h.write_u128(salt(site, keys, theme)?);
    put_str(
        &mut h,
        &super::resolved(&site.output_dir()).to_string_lossy(),
    );
    for p in statics {
        put_str(&mut h, &p.path);
        put_bytes(&mut h, &p.content);
    }
    let corrections = site.seeds_dir().join(crate::link::corrections::FILE_NAME);
    match std::fs::read(&corrections) {
        Ok(b) => put_bytes(&mut h, &b),
        Err(_) => put_str(&mut h, "no corrections"),
    }
    for w in &scan.listed {
        put_str(&mut h, &w.to_string());
    }
    for k in scan.keys() {
        h.write_u128(k);
    }
    Ok(h.digest128())
}
