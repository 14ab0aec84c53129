//! What the last build wrote into one output directory: a key of everything it was built
//! from, what it reported, and per page the fingerprint of what the page shows with the
//! length and modification time its file was left with.
//!
//! A page is rendered again unless its fingerprint is the one recorded and its file is still
//! as that build left it (same length and time: a file edited by hand, or written since by
//! `kwiki serve`, is rendered again). The record is removed before a build writes anything
//! and saved once it is done, so it never describes files a later build changed.
use super::{Unusable, read_sealed, write_sealed};
use crate::ingest::Warning;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// How the last build ended, for a build with nothing to do to report the same.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Summary {
    pub articles: usize,
    pub entities: usize,
    pub partnerships: usize,
    pub pages: usize,
    pub warnings: Vec<Warning>,
    pub published: crate::site::Published,
}

/// A page as the last build left it.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
pub struct Written {
    pub print: u128,
    pub len: u64,
    /// Modification time, nanoseconds since the epoch.
    pub mtime: u128,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Record {
    /// The output directory, as given to the build.
    pub output: PathBuf,
    /// A hash of every input of the build (see `site::build_key`).
    pub build: u128,
    pub summary: Summary,
    /// Page path (relative to the output) -> how it was left.
    pub pages: Vec<(String, Written)>,
    /// Every directory of the output (relative; `""` for the output itself) with its
    /// modification time: a file added or removed changes its directory's.
    pub dirs: Vec<(String, u128)>,
}

/// The record of `out` in the cache directory `dir`.
pub fn path(dir: &Path, out: &Path) -> PathBuf {
    let abs = crate::site::resolved(out);
    let h = xxhash_rust::xxh3::xxh3_64(abs.to_string_lossy().as_bytes());
    dir.join(format!("output-{h:016x}.pages"))
}

/// The last build's record for `out`, if one can be used.
pub fn load(dir: &Path, out: &Path, version: &str) -> Result<Option<Record>, Unusable> {
    let rec: Option<Record> = read_sealed(&path(dir, out), version)?;
    Ok(rec.filter(|r| crate::site::resolved(&r.output) == crate::site::resolved(out)))
}

/// Forget the record of `out` (before a build writes into it).
pub fn forget(dir: &Path, out: &Path) {
    let _ = std::fs::remove_file(path(dir, out));
}

pub fn save(dir: &Path, version: &str, rec: &Record) -> std::io::Result<()> {
    write_sealed(&path(dir, &rec.output), version, rec)
}

/// The directories holding `files` (paths relative to `out`), with their modification times.
pub fn directories<'a>(out: &Path, files: impl Iterator<Item = &'a str>) -> Vec<(String, u128)> {
    use rayon::prelude::*;
    let mut dirs: Vec<&str> = files
        .flat_map(|f| {
            f.char_indices()
                .filter(|&(_, c)| c == '/')
                .map(move |(i, _)| &f[..i])
                .chain([""])
        })
        .collect();
    dirs.par_sort_unstable();
    dirs.dedup();
    dirs.par_iter()
        .filter_map(|d| Some((d.to_string(), mtime(&out.join(d))?)))
        .collect()
}

fn mtime(path: &Path) -> Option<u128> {
    let m = std::fs::symlink_metadata(path).ok()?;
    let t = m.modified().ok()?;
    Some(t.duration_since(std::time::UNIX_EPOCH).ok()?.as_nanos())
}

impl Record {
    /// Whether no file was added to or removed from the output's directories since.
    pub fn dirs_intact(&self, out: &Path) -> bool {
        use rayon::prelude::*;
        !self.dirs.is_empty()
            && (self.dirs.par_iter()).all(|(d, t)| mtime(&out.join(d)) == Some(*t))
    }

    /// The pages by path.
    pub fn by_path(&self) -> FxHashMap<&str, Written> {
        self.pages.iter().map(|(p, w)| (p.as_str(), *w)).collect()
    }
}
