//! Writing into an output directory that is absent or empty (a first build, a fresh CI
//! runner): every file is new, so each is written at its final name in a new directory
//! beside the output (`NAME.kwiki-tmp`), which takes the output's place once everything is
//! written. No temp file per page, no rename per page, nothing to compare: on this kind of
//! disk creating files is most of a first build's time, and one rename in the output's
//! place keeps the write all or nothing.
//!
//! Crash safety as for any write (see `journal`): the journal says `staging` before the new
//! directory is made, so a killed build's directory is removed by the next command on the
//! output; the files are flushed to disk before the rename, which is the commit.
use super::journal;
use super::manifest::{Entry, Manifest, hash, nanos};
use crate::error::{Error, Result};
use rayon::prelude::*;
use rustc_hash::FxHashSet;
use std::path::{Path, PathBuf};

/// The directory a fresh write of `out` fills (`public.kwiki-tmp` beside `public`).
pub fn dir_for(out: &Path) -> Option<PathBuf> {
    let name = out.file_name()?.to_string_lossy().into_owned();
    Some(out.with_file_name(format!("{name}{}", super::TMP_SUFFIX)))
}

/// Whether `out` is absent or an empty directory (not a link to one: its target stays).
pub fn is_empty_output(out: &Path) -> bool {
    match std::fs::symlink_metadata(out) {
        Err(e) => e.kind() == std::io::ErrorKind::NotFound,
        Ok(m) => m.is_dir() && std::fs::read_dir(out).is_ok_and(|mut d| d.next().is_none()),
    }
}

pub struct Fresh {
    /// The directory being filled, beside the output.
    pub root: PathBuf,
    /// The output it replaces.
    out: PathBuf,
    /// Its directories made so far (relative; `""` is the root itself).
    made: FxHashSet<String>,
    /// Put in the output's place: nothing to remove.
    done: bool,
}

impl Fresh {
    /// A new directory beside `out` (which is absent or empty), journaled first; `None`
    /// when one cannot be made there (the ordinary write is used).
    pub fn start(out: &Path) -> Result<Option<Fresh>> {
        let Some(root) = dir_for(out) else {
            return Ok(None);
        };
        journal::write(out, journal::Phase::Staging)?;
        // a directory left by a killed build (recovery removes it too)
        let _ = std::fs::remove_dir_all(&root);
        let made = root
            .parent()
            .is_some_and(|p| std::fs::create_dir_all(p).is_ok())
            && std::fs::create_dir(&root).is_ok();
        if !made {
            journal::remove(out);
            return Ok(None);
        }
        Ok(Some(Fresh {
            root,
            out: out.to_path_buf(),
            made: std::iter::once(String::new()).collect(),
            done: false,
        }))
    }

    /// Write `pages` at their final names (their directories first, a level at a time), and
    /// note each in `manifest` with its time.
    pub fn write(&mut self, pages: &[(&str, &[u8])], manifest: &mut Manifest) -> Result<()> {
        let mut dirs: Vec<&str> = pages
            .iter()
            .flat_map(|(p, _)| {
                p.char_indices()
                    .filter(|&(_, c)| c == '/')
                    .map(move |(i, _)| &p[..i])
            })
            .filter(|d| !self.made.contains(*d))
            .collect();
        dirs.sort_unstable_by_key(|d| (d.matches('/').count(), *d));
        dirs.dedup();
        for level in dirs.chunk_by(|a, b| a.matches('/').count() == b.matches('/').count()) {
            // one thread per parent: two making entries in one directory take turns on its
            // lock, and the waiting one spins (a fifth of a fresh build's time, measured)
            let mut by_parent: Vec<&str> = level.to_vec();
            by_parent.sort_unstable_by_key(|d| parent_of(d));
            by_parent
                .chunk_by(|a, b| parent_of(a) == parent_of(b))
                .collect::<Vec<_>>()
                .par_iter()
                .map(|siblings| {
                    siblings.iter().try_for_each(|d| {
                        let p = self.root.join(d);
                        std::fs::create_dir(&p).map_err(|e| Error::io(&p, e))
                    })
                })
                .collect::<Result<()>>()?;
        }
        self.made.extend(dirs.iter().map(|d| d.to_string()));
        let entries: Vec<Result<(String, Entry)>> = pages
            .par_iter()
            .map(|&(path, content)| {
                let target = self.root.join(path);
                let write = || -> std::io::Result<u128> {
                    let mut f = std::fs::OpenOptions::new()
                        .write(true)
                        .create_new(true)
                        .open(&target)?;
                    std::io::Write::write_all(&mut f, content)?;
                    Ok(nanos(f.metadata()?.modified()?))
                };
                let mtime = write().map_err(|e| Error::io(&target, e))?;
                let entry = Entry {
                    len: content.len() as u64,
                    mtime,
                    hash: hash(content),
                };
                Ok((path.to_string(), entry))
            })
            .collect();
        for e in entries {
            let (path, entry) = e?;
            manifest.0.insert(path, entry);
        }
        Ok(())
    }

    /// Put the new directory in the output's place (an empty output directory is removed
    /// first), its files on disk before.
    pub fn finish(mut self) -> Result<()> {
        journal::sync_fs(&self.root);
        let out = self.out.clone();
        if out.is_dir() {
            std::fs::remove_dir(&out).map_err(|e| Error::io(&out, e))?;
        }
        std::fs::rename(&self.root, &out).map_err(|e| Error::io(&out, e))?;
        self.done = true;
        journal::remove(&out);
        Ok(())
    }
}

impl Drop for Fresh {
    /// Never finished (an error, an interrupt): the new directory goes, the output is as it
    /// was.
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_dir_all(&self.root);
            journal::remove(&self.out);
        }
    }
}

/// The directory `path` is in: `a/b` for `a/b/c`, `""` at the top.
fn parent_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}
