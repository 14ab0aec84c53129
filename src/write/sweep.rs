//! Removing what a build did not write, without walking the whole output: a directory whose
//! modification time is the one the last build left it with holds no file but those it
//! wrote (adding or removing a file changes its directory's time), so only the files the
//! manifest lists and the directories whose time changed are looked at. At 10,000 articles
//! the output has ~40,000 directories (one per page): listing them all took most of a
//! one-article rebuild's write stage.
use super::manifest::{Manifest, nanos};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// The directories of an output (relative, `/`-separated; `""` for the output itself) with
/// their modification times.
pub type Dirs = Vec<(String, u128)>;

/// What a build leaves to remove, found before its new files move into place.
pub struct Stale {
    /// Files to remove: not kept nor staged.
    pub files: Vec<PathBuf>,
    /// Directories that may be left without a kept file once they are gone.
    emptied: FxHashSet<PathBuf>,
    /// Every directory the last build left, with its time when it still is one.
    now: Vec<(String, Option<u128>)>,
}

/// The files of `out` not in `keep` nor `staged`: those `previous` lists, and any other
/// found in a directory whose time is not the one `known` recorded. Nothing is removed.
pub fn stale(
    out: &Path,
    keep: &HashSet<PathBuf>,
    staged: &HashSet<&Path>,
    previous: &Manifest,
    known: &FxHashMap<String, u128>,
) -> std::io::Result<Stale> {
    let gone = |p: &Path| !keep.contains(p) && !staged.contains(p);
    let mut emptied: FxHashSet<PathBuf> = FxHashSet::default();
    let mut files: FxHashSet<PathBuf> = FxHashSet::default();
    // 1. the last build's files this one does not write
    for path in previous.0.keys() {
        let full = out.join(path);
        if gone(&full) && std::fs::symlink_metadata(&full).is_ok_and(|m| !m.is_dir()) {
            if let Some(d) = full.parent() {
                emptied.insert(d.to_path_buf());
            }
            files.insert(full);
        }
    }
    // 2. the directories whose time changed: listed, and what is not kept is stale
    let now: Vec<(String, Option<u128>)> = known
        .par_iter()
        .map(|(d, _)| (d.clone(), mtime(&out.join(d))))
        .collect();
    let changed: Vec<PathBuf> = now
        .iter()
        .filter(|(d, t)| t.is_some() && *t != known.get(d).copied())
        .map(|(d, _)| out.join(d))
        .collect();
    for dir in changed {
        for entry in std::fs::read_dir(&dir)?.flatten() {
            let path = entry.path();
            let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
            if is_dir && known.contains_key(&rel_of(out, &path)) {
                continue; // looked at on its own
            }
            if is_dir {
                // a directory new since the last build: everything in it
                for e in walkdir::WalkDir::new(&path).into_iter().flatten() {
                    if e.file_type().is_dir() {
                        emptied.insert(e.path().to_path_buf());
                    } else if gone(e.path()) {
                        files.insert(e.path().to_path_buf());
                    }
                }
            } else if gone(&path) {
                files.insert(path);
            }
        }
        emptied.insert(dir);
    }
    Ok(Stale {
        files: files.into_iter().collect(),
        emptied,
        now,
    })
}

/// Once the stale files are removed and the new ones in place (in the directories
/// `written_in`): remove the directories left without a kept file, and return every
/// directory of `out` with its time.
pub fn tidy(
    out: &Path,
    keep: &HashSet<PathBuf>,
    stale: Stale,
    written_in: impl Iterator<Item = PathBuf>,
) -> Dirs {
    let Stale { emptied, now, .. } = stale;
    // 3. directories left without a kept file, deepest first
    let kept_dirs: HashSet<&Path> = keep.iter().flat_map(|p| p.ancestors().skip(1)).collect();
    let listed: Vec<PathBuf> = emptied.iter().cloned().collect();
    let mut gone: Vec<PathBuf> = emptied
        .into_iter()
        .flat_map(|d| {
            d.ancestors()
                .take_while(|a| a.starts_with(out) && *a != out)
                .map(Path::to_path_buf)
                .collect::<Vec<_>>()
        })
        .filter(|d| !kept_dirs.contains(d.as_path()))
        .collect();
    gone.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
    gone.dedup();
    for d in &gone {
        let _ = std::fs::remove_dir(d); // only succeeds when empty
    }
    // 4. every directory of the output now, with its time: those not touched here nor
    //    written into keep the time read before
    let touched: FxHashSet<String> = gone
        .iter()
        .chain(&listed)
        .chain(&emptied_dirs(&gone, out))
        .cloned()
        .chain(written_in)
        .map(|d| rel_of(out, &d))
        .collect();
    let mut dirs: FxHashMap<String, Option<u128>> = now
        .into_iter()
        .filter(|(d, t)| t.is_some() && !touched.contains(d))
        .collect();
    for d in kept_dirs.iter().filter(|d| d.starts_with(out)) {
        dirs.entry(rel_of(out, d)).or_insert(None);
    }
    dirs.into_par_iter()
        .filter_map(|(d, t)| {
            let t = t.or_else(|| mtime(&out.join(&d)))?;
            Some((d, t))
        })
        .collect()
}

/// The parents of removed directories (their times changed too).
fn emptied_dirs(gone: &[PathBuf], out: &Path) -> Vec<PathBuf> {
    gone.iter()
        .filter_map(|d| d.parent())
        .filter(|p| p.starts_with(out))
        .map(Path::to_path_buf)
        .collect()
}

fn rel_of(out: &Path, path: &Path) -> String {
    path.strip_prefix(out)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

fn mtime(path: &Path) -> Option<u128> {
    let m = std::fs::symlink_metadata(path).ok()?;
    m.is_dir().then_some(())?;
    Some(nanos(m.modified().ok()?))
}
