//! The site's articles and their extractions, taken from the build cache where it has them:
//! every article file is read and hashed (its key), and only those whose key the cache does
//! not hold are parsed and extracted. The result is what `Site::wiki` makes without a cache.
use super::files::{Known, Seen};
use super::store::{Record, Store, Twins};
use super::{Keys, put_bytes, put_str};
use crate::error::{Error, Result};
use crate::extract::Extraction;
use crate::ingest::{self, Format, Ingested, ReadResult, Warning};
use crate::site::{Progress, Site, Timings};
use rayon::prelude::*;
use std::hash::Hasher;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

/// What was read: the articles (with their near-duplicates), their extractions, and what came
/// from the cache.
pub struct Gathered {
    pub ingested: Ingested,
    pub extractions: Vec<Arc<Extraction>>,
    /// The key of every article file, in path order: a build's inputs (see `site::build_key`).
    pub keys: Vec<u128>,
    /// The warnings met listing the seeds.
    pub listed: Vec<Warning>,
    /// Each article file as found before it was read, with its key (see `files`).
    pub seen: Vec<(std::path::PathBuf, Seen, u128)>,
}

/// One article file: its key, and its record, from the cache or made by this build.
struct Slot {
    key: u128,
    /// Whether the record may be kept (not for a file too large or unreadable).
    keep: bool,
    record: Option<Record>,
    /// Read by this build, not extracted yet.
    fresh: Option<ReadResult>,
    /// The file's length and time before it was read (none when it could not be looked at).
    seen: Option<Seen>,
    /// Known unchanged by its length and time: not read.
    unread: bool,
}

impl Slot {
    /// A file whose record the cache holds (`unread`: known by its length and times alone).
    fn cached(key: u128, seen: Option<Seen>, unread: bool) -> Slot {
        Slot {
            key,
            keep: true,
            record: None,
            fresh: None,
            seen,
            unread,
        }
    }
}

/// The article files of a site, each read and hashed; those the cache does not hold parsed.
pub struct Scan {
    files: Vec<(std::path::PathBuf, std::path::PathBuf, Format)>,
    slots: Vec<Slot>,
    /// The warnings met listing the seeds.
    pub listed: Vec<Warning>,
    /// When the files were looked at.
    pub taken: std::time::SystemTime,
    /// How many files were known unchanged by their length and time, and not read.
    pub unread: usize,
}

impl Scan {
    /// The key of every article file, in path order.
    pub fn keys(&self) -> impl Iterator<Item = u128> + '_ {
        self.slots.iter().map(|s| s.key)
    }
}

/// Read and hash every article file under the seeds (unless `known` has its key: see
/// `files`), parsing those whose key `store` does not hold.
pub fn scan(
    site: &Site,
    (keys, known): (&Keys, &Known),
    store: &Store,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<Scan> {
    let seeds = site.seeds_dir();
    if !seeds.is_dir() {
        return Err(Error::input(
            &seeds,
            "no seeds directory: create it and put .txt or .md articles in it (or set seeds_dir in site.yaml)",
        ));
    }
    progress(Progress::new("reading", 0, 0));
    let opts = site.ingest_options();
    let mut listed = Vec::new();
    let taken = std::time::SystemTime::now();
    let files = ingest::discover(&site.root, &seeds, &opts.exclude, &mut listed);
    let slots: Vec<Slot> = files
        .par_iter()
        .map(|(rel, abs, format)| see(rel, abs, *format, (keys, known), store, &opts))
        .collect();
    let unread = slots.iter().filter(|s: &&Slot| s.unread).count();
    Ok(Scan {
        files,
        slots,
        listed,
        taken,
        unread,
    })
}

/// The articles of a scan: the cached records loaded (one that does not check out is read
/// again), the others extracted and appended to `store`, and their near-duplicates found.
pub fn gather(
    scan: Scan,
    site: &Site,
    store: &mut Store,
    timings: &mut Timings,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<Gathered> {
    let Scan {
        files,
        mut slots,
        listed,
        ..
    } = scan;
    let t = Instant::now();
    let opts = site.ingest_options();
    let hits: Vec<u128> = (slots.iter())
        .filter(|s| s.fresh.is_none())
        .map(|s| s.key)
        .collect();
    let mut cached = store.load(&hits).into_iter();
    for s in slots.iter_mut().filter(|s| s.fresh.is_none()) {
        s.record = cached.next().flatten();
    }
    let again: Vec<usize> = (0..slots.len())
        .filter(|&i| slots[i].record.is_none() && slots[i].fresh.is_none())
        .collect();
    let reread: Vec<ReadResult> = again
        .par_iter()
        .map(|&i| {
            let (rel, abs, format) = &files[i];
            ingest::read_one(rel, abs, *format, &opts)
        })
        .collect();
    for (i, read) in again.into_iter().zip(reread) {
        slots[i].fresh = Some(read);
    }
    timings.push("cache load", t.elapsed());
    // 3. the new ones extracted, and kept
    let t = Instant::now();
    let n = slots.iter().filter(|s| s.fresh.is_some()).count();
    timings.count("articles from the cache", slots.len() - n);
    timings.count("articles read and extracted", n);
    progress(Progress::new("extracting", 0, n));
    let done = std::sync::atomic::AtomicUsize::new(0);
    for chunk in slots.chunks_mut(1024) {
        let made: Vec<Option<Vec<u8>>> = chunk
            .par_iter_mut()
            .map(|s| {
                let read = s.fresh.take()?;
                let extraction = match &read.1 {
                    Ok(Some(a)) => Some(Arc::new(crate::extract::extract(a, &site.lexicon))),
                    _ => None,
                };
                let bytes = s
                    .keep
                    .then(|| Store::encode(&read, extraction.as_ref()))
                    .flatten();
                s.record = Some(Record { read, extraction });
                let k = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                if k.is_multiple_of(64) || k == n {
                    progress(Progress::new("extracting", k, n));
                }
                bytes
            })
            .collect();
        for (s, bytes) in chunk.iter().zip(made) {
            if let Some(b) = bytes {
                store.append(s.key, &b);
            }
        }
    }
    timings.push("extract", t.elapsed());
    // 4. the articles, with their near-duplicates (known when the articles are the last
    //    build's)
    let t = Instant::now();
    let file_keys: Vec<u128> = slots.iter().map(|s| s.key).collect();
    let seen = (files.iter().zip(&slots))
        .filter_map(|((rel, _, _), s)| Some((rel.clone(), s.seen.filter(|_| s.keep)?, s.key)))
        .collect();
    let twins_key = twins_key(&file_keys, &site.config.near_duplicates);
    let (reads, extracted): (Vec<ReadResult>, Vec<Option<Arc<Extraction>>>) = slots
        .into_iter()
        .map(|s| {
            let r = s.record.expect("cached or read above");
            (r.read, r.extraction)
        })
        .unzip();
    let ingested = match store.twins(twins_key) {
        Some(known) if known.twins.len() <= reads.len() => {
            let [
                common_sentences,
                candidate_pairs,
                skipped_buckets,
                twin_pairs,
            ] = known.counts;
            let stats = ingest::dedup::DedupStats {
                common_sentences,
                candidate_pairs,
                skipped_buckets,
                twin_pairs,
            };
            ingest::assemble_known(reads, listed.clone(), &known.twins, stats)
        }
        _ => {
            let ing = ingest::assemble(reads, listed.clone(), &site.config.near_duplicates);
            let d = &ing.dedup;
            store.set_twins(Twins {
                key: twins_key,
                twins: ing.articles.iter().map(|a| a.twins.clone()).collect(),
                counts: [
                    d.common_sentences,
                    d.candidate_pairs,
                    d.skipped_buckets,
                    d.twin_pairs,
                ],
            });
            ing
        }
    };
    let extractions = (ingested.read_index.iter())
        .map(|&i| extracted[i].clone().unwrap_or_default())
        .collect();
    timings.push("near-duplicates", t.elapsed());
    Ok(Gathered {
        ingested,
        extractions,
        keys: file_keys,
        listed,
        seen,
    })
}

/// The key of the near-duplicate search's answer: the articles' keys and its settings.
fn twins_key(keys: &[u128], cfg: &crate::config::NearDuplicates) -> u128 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.write_u64(cfg.threshold.to_bits());
    h.write_usize(cfg.shingle);
    h.write_usize(cfg.common_sentence);
    for &k in keys {
        h.write_u128(k);
    }
    h.digest128()
}

/// Read one file, hash it, and parse it unless the cache holds its key; a file as it was
/// when `known` last saw it is not read.
fn see(
    rel: &Path,
    abs: &Path,
    format: Format,
    (keys, known): (&Keys, &Known),
    store: &Store,
    opts: &ingest::IngestOptions,
) -> Slot {
    let meta = std::fs::metadata(abs).ok();
    let seen = meta.as_ref().map(Seen::of);
    let unchanged = seen.and_then(|s| known.key(rel, s));
    if let Some(key) = unchanged.filter(|&k| store.contains(k)) {
        return Slot::cached(key, seen, true);
    }
    let bytes = (meta.as_ref())
        .filter(|m| m.len() <= opts.max_article_bytes)
        .and_then(|_| std::fs::read(abs).ok());
    let Some(bytes) = bytes else {
        // too large or unreadable: read_one says why, and nothing is kept
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        put_str(&mut h, "not read");
        put_bytes(&mut h, rel.to_string_lossy().as_bytes());
        h.write_u64(meta.as_ref().map_or(0, |m| m.len()));
        return Slot {
            key: h.digest128(),
            keep: false,
            record: None,
            fresh: Some(ingest::read_one(rel, abs, format, opts)),
            seen,
            unread: false,
        };
    };
    let key = keys.article(rel, &bytes);
    if store.contains(key) {
        return Slot::cached(key, seen, false);
    }
    let mut warnings = Vec::new();
    let read = ingest::parse_article(rel, &bytes, format, opts.boilerplate).map(|(a, w)| {
        warnings = w;
        a
    });
    Slot {
        key,
        keep: true,
        record: None,
        fresh: Some((rel.to_path_buf(), read, warnings)),
        seen,
        unread: false,
    }
}
