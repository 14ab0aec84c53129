//! Write: put the rendered pages on disk without ever leaving a half-written site. Every
//! changed file is first written beside its target as a temp file; only when all of them
//! are written are they renamed into place. Unchanged files are left alone and stale ones
//! removed, so a rebuild touches only what changed (deleting a whole tree is slow).
//!
//! Crash safety: the output's lock is held throughout (see `lock`), and a journal records
//! each step before it is taken (see `journal`): a process killed at any point leaves what
//! the next kwiki command on the output needs to finish or undo the publish.
mod clean;
mod fresh;
pub mod journal;
pub mod lock;
mod manifest;
mod sweep;

use crate::error::{Error, Result, shown};
use crate::render::Page;
pub use clean::{clean, clean_locked};
use manifest::{Entry, Manifest};
use rayon::prelude::*;
use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

/// A file kwiki leaves in every site it writes, so it never cleans a directory it did not make.
pub const MARKER: &str = ".kwiki-site";
const TMP_SUFFIX: &str = ".kwiki-tmp";

#[derive(Debug, Default, Clone, PartialEq)]
pub struct WriteStats {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
    /// When the build said which directories it knew (`Stager::known_dirs`): every file
    /// written or kept (path, length, time) and every directory with its time.
    pub listing: Option<Listing>,
}

#[derive(Debug, Default, Clone, PartialEq)]
pub struct Listing {
    pub files: Vec<(String, u64, u128)>,
    pub dirs: Vec<(String, u128)>,
}

/// Static files under `dir` as pages (copied as they are). Hidden and backup files and
/// folders (`.env`, `.git/`, `x~`, `x.swp`, `#x#`) are left out, as Hugo, Zola and Jekyll
/// do, unless `include` lists them (paths relative to `dir`; a folder counts for what it
/// holds): they are secrets and editor debris far more often than content.
pub fn static_pages(dir: &Path, include: &[String]) -> Result<Vec<Page>> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        return Ok(out);
    }
    let include: Vec<&Path> = include
        .iter()
        .map(|i| Path::new(i.trim_matches('/')))
        .collect();
    // a hidden name is walked only on the way to, or inside, an included path
    let walker = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let rel = e.path().strip_prefix(dir).unwrap_or(e.path());
            !hidden_or_backup(&e.file_name().to_string_lossy())
                || e.depth() == 0
                || include
                    .iter()
                    .any(|i| i.starts_with(rel) || rel.starts_with(i))
        });
    for entry in walker {
        let entry = entry.map_err(|e| Error::input(dir, e.to_string()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let hidden = rel
            .components()
            .any(|c| hidden_or_backup(&c.as_os_str().to_string_lossy()));
        if hidden && !include.iter().any(|i| rel.starts_with(i)) {
            continue;
        }
        let content = std::fs::read(entry.path()).map_err(|e| Error::io(entry.path(), e))?;
        out.push(Page {
            path: rel.to_string_lossy().replace('\\', "/"),
            content,
        });
    }
    Ok(out)
}

/// A file or folder name that marks a hidden file or an editor's backup, swap or lock file.
fn hidden_or_backup(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(TMP_SUFFIX)
        || (name.starts_with('#') && name.ends_with('#'))
        || [".swp", ".swo", ".swx", ".bak", ".orig", ".rej", ".tmp"]
            .iter()
            .any(|ext| name.ends_with(ext))
        || matches!(name, "Thumbs.db" | "desktop.ini")
}

/// Whether every file the last build wrote into `out` is still as it left it (see
/// `Manifest::intact`); `false` when there is no record of that build.
pub fn output_intact(out: &Path) -> bool {
    let m = Manifest::load(out);
    !m.0.is_empty() && m.intact(out)
}

/// Where the record of `out`'s files is kept (beside it, in `.kwiki-cache/`).
pub fn manifest_path(out: &Path) -> Option<PathBuf> {
    manifest::path_for(out)
}

/// The files the last build wrote into `out`, as it left them: (path, length, modification
/// time in nanoseconds since the epoch).
pub fn written_files(out: &Path) -> Vec<(String, u64, u128)> {
    let m = Manifest::load(out);
    m.0.into_iter().map(|(p, e)| (p, e.len, e.mtime)).collect()
}

/// Whether a page path stays inside the output directory.
pub fn safe_relative(path: &str) -> bool {
    let p = Path::new(path);
    !path.is_empty()
        && !path.contains('\0')
        && p.components().all(|c| matches!(c, Component::Normal(_)))
}

/// Write `pages` into `out`. Either the whole new site is in place when this returns `Ok`,
/// or (on an error or an interrupt while staging) `out` is left exactly as it was.
pub fn write_site(out: &Path, pages: Vec<Page>) -> Result<WriteStats> {
    let mut stager = Stager::new(out)?;
    stager.stage(pages)?;
    stager.commit()
}

/// `write_site` borrowing the files as (path, bytes) (`kwiki serve` keeps its pages to serve
/// them from memory).
pub fn write_slices(out: &Path, files: &[(&str, &[u8])]) -> Result<WriteStats> {
    let mut stager = Stager::new(out)?;
    stager.stage_slices(files)?;
    stager.commit()
}

/// Write some files of a site already written and remove `removed` (paths like the pages'),
/// leaving every other file as it is: after an edit, `kwiki serve` writes only what the edit
/// changed. The changed files are staged and renamed into place like a whole site.
pub fn update_pages<'a>(
    out: &Path,
    files: impl Iterator<Item = (&'a str, &'a [u8])>,
    removed: &[String],
) -> Result<WriteStats> {
    let files: Vec<(&str, &[u8])> = files.collect();
    let mut stager = Stager::new(out)?;
    stager.sweep = false;
    stager.stage_slices(&files)?;
    stager.gone = removed
        .iter()
        .filter(|r| safe_relative(r))
        .cloned()
        .collect();
    stager.commit()
}

/// A site being written in parts: each part's changed files are staged as temp files beside
/// their targets (so the pages' bytes need not all be held at once), and nothing is renamed
/// into place before `commit`. Dropped without `commit` (a later part failed to render, or
/// the build was interrupted), it removes its temp files and the directories it made, and
/// the old site is as it was. An interrupt waits while the renames of `commit` run.
pub struct Stager {
    out: PathBuf,
    staging: Staging,
    keep: HashSet<PathBuf>,
    unchanged: usize,
    /// Whether `commit` removes the files this build did not write.
    sweep: bool,
    /// Without a sweep: the files `commit` removes (paths relative to the output).
    gone: Vec<String>,
    /// What the last build wrote, and what this one keeps or writes (see `manifest`).
    previous: Manifest,
    manifest: Manifest,
    /// The output's directories and their times as the last build left them (see `sweep`).
    known_dirs: Option<rustc_hash::FxHashMap<String, u128>>,
    /// An absent or empty output: the new site is written whole beside it (see `fresh`).
    fresh: Option<fresh::Fresh>,
    _guard: crate::interrupt::WriteGuard,
    /// Whether the journal must stay on disk (a commit that failed halfway: the next command
    /// finishes it).
    keep_journal: bool,
    _lock: Option<lock::OutputLock>,
}

impl Stager {
    /// Check that `out` may be written: absent, empty, or made by kwiki.
    pub fn new(out: &Path) -> Result<Stager> {
        // one writer at a time; what a killed one left is finished or undone first
        let lock = lock::hold(out)?;
        if out.exists() && !out.is_dir() {
            return Err(Error::input(
                out,
                "the output path is a file, not a directory: move it away or set output_dir in site.yaml",
            ));
        }
        if out.is_dir()
            && !out.join(MARKER).exists()
            && std::fs::read_dir(out)
                .map_err(|e| Error::io(out, e))?
                .next()
                .is_some()
        {
            return Err(Error::input(
                out,
                "the output directory is not empty and was not made by kwiki: empty it or choose another output_dir",
            ));
        }
        let fresh = match fresh::is_empty_output(out) {
            true => fresh::Fresh::start(out)?,
            false => None,
        };
        Ok(Stager {
            fresh,
            out: out.to_path_buf(),
            staging: Staging::default(),
            keep: HashSet::new(),
            unchanged: 0,
            sweep: true,
            gone: Vec::new(),
            previous: Manifest::load(out),
            manifest: Manifest::default(),
            known_dirs: None,
            _guard: crate::interrupt::WriteGuard::enter(),
            keep_journal: false,
            _lock: lock,
        })
    }

    /// Stage the changed files among `pages`; unchanged ones are only noted.
    pub fn stage(&mut self, pages: Vec<Page>) -> Result<()> {
        self.stage_refs(&pages.iter().collect::<Vec<_>>())
    }

    pub fn stage_refs(&mut self, pages: &[&Page]) -> Result<()> {
        let files: Vec<(&str, &[u8])> = pages
            .iter()
            .map(|p| (p.path.as_str(), p.content.as_slice()))
            .collect();
        self.stage_slices(&files)
    }

    /// Stage files given as (path relative to the output, bytes).
    pub fn stage_slices(&mut self, pages: &[(&str, &[u8])]) -> Result<()> {
        for &(path, _) in pages {
            if !safe_relative(path) || path.ends_with(TMP_SUFFIX) {
                return Err(Error::Other(format!(
                    "refusing to write {path:?}: it would land outside {}",
                    shown(&self.out)
                )));
            }
            if !self.keep.insert(self.out.join(path)) {
                return Err(Error::Other(format!(
                    "two pages would be written to {}: check the templates and static files",
                    shown(&self.out.join(path))
                )));
            }
        }
        let before = self.staging.files.len();
        match &mut self.fresh {
            Some(f) => f.write(pages, &mut self.manifest)?,
            None => stage(
                &self.out,
                pages,
                &self.previous,
                &mut self.manifest,
                &mut self.staging,
            )?,
        }
        if crate::interrupt::requested() {
            return Err(Error::Interrupted(format!(
                "{} was left as it was",
                shown(&self.out)
            )));
        }
        if self.fresh.is_none() {
            self.unchanged += pages.len() - (self.staging.files.len() - before);
        }
        Ok(())
    }

    /// The output's directories and their times as the last build left them: `commit` then
    /// looks only into those whose time changed for files to remove (see `sweep`), and
    /// reports every file and directory of the new site.
    pub fn known_dirs(&mut self, dirs: impl IntoIterator<Item = (String, u128)>) {
        self.known_dirs = Some(dirs.into_iter().collect());
    }

    /// Keep, without their bytes, the files the last build wrote that this one would write
    /// again the same (the caller knows: see `cache::pages`): each `(path, length, time)`
    /// is kept when the manifest and the file on disk both still say that length and time.
    /// Returns, per file, whether it was kept; one not kept must be staged.
    pub fn keep_unchanged(&mut self, files: &[(&str, u64, u128)]) -> Vec<bool> {
        // an empty output keeps nothing: no file to look for
        if self.fresh.is_some() {
            return vec![false; files.len()];
        }
        let found: Vec<Option<Entry>> = files
            .par_iter()
            .map(|&(path, len, mtime)| {
                let e = *self.previous.0.get(path)?;
                let m = std::fs::symlink_metadata(self.out.join(path)).ok()?;
                let same = e.len == len
                    && e.mtime == mtime
                    && m.is_file()
                    && m.len() == len
                    && m.modified().is_ok_and(|t| manifest::nanos(t) == mtime);
                (same && safe_relative(path)).then_some(e)
            })
            .collect();
        files
            .iter()
            .zip(found)
            .map(|(&(path, _, _), e)| match e {
                Some(e) if self.keep.insert(self.out.join(path)) => {
                    self.manifest.0.insert(path.to_string(), e);
                    self.unchanged += 1;
                    true
                }
                _ => false,
            })
            .collect()
    }

    /// Rename every staged file into place and remove what this build did not write.
    pub fn commit(mut self) -> Result<WriteStats> {
        let extra = [
            Page {
                path: MARKER.into(),
                content: b"made by kwiki: files here are replaced on every build\n".to_vec(),
            },
            Page {
                path: ".nojekyll".into(),
                content: Vec::new(),
            },
        ];
        self.stage_refs(&extra.iter().collect::<Vec<_>>())?;
        if let Some(f) = self.fresh.take() {
            f.finish()?;
            self.manifest.save(&self.out);
            crate::interrupt::site_complete();
            return Ok(WriteStats {
                written: self.manifest.0.len(),
                unchanged: 0,
                removed: 0,
                listing: None,
            });
        }
        // renames are quick, and an interrupt now waits until they are all done
        let moves = std::mem::take(&mut self.staging.files);
        self.staging.dirs.clear();
        // what the new site removes, found before anything moves
        let mut swept = None;
        let (stale_files, stale_dirs) = if self.sweep {
            let staged: HashSet<&Path> = moves.iter().map(|(tmp, _)| tmp.as_path()).collect();
            match self.known_dirs.take() {
                Some(known) => {
                    let s = sweep::stale(&self.out, &self.keep, &staged, &self.previous, &known)
                        .map_err(|e| Error::io(&self.out, e))?;
                    let files = s.files.clone();
                    swept = Some(s);
                    (files, Vec::new())
                }
                None => self.stale(&staged)?,
            }
        } else {
            let files = self
                .gone
                .iter()
                .map(|r| self.out.join(r))
                .collect::<Vec<_>>();
            let dirs = files
                .iter()
                .filter_map(|f| f.parent().filter(|d| *d != self.out).map(Path::to_path_buf))
                .collect();
            (files, dirs)
        };
        // nothing to move or remove: the old site is the new one, nothing to journal
        if moves.is_empty() && stale_files.is_empty() {
            return self.finish(moves, 0, swept);
        }
        // the new files' bytes on disk, then the journal of the renames and removals
        journal::sync_files(&self.out, moves.iter().map(|(tmp, _)| tmp.as_path()));
        let rel = |p: &Path| {
            let r = p.strip_prefix(&self.out).unwrap_or(p);
            r.to_string_lossy().replace('\\', "/")
        };
        let phase = journal::Phase::Commit {
            renames: moves.iter().map(|(_, target)| rel(target)).collect(),
            removals: stale_files.iter().map(|p| rel(p)).collect(),
        };
        if let Err(e) = journal::write(&self.out, phase) {
            self.staging.files = moves; // undone on drop
            return Err(e);
        }
        // from here on a failure leaves the journal: the next command finishes the publish
        self.keep_journal = true;
        let unfinished = |e: std::io::Error, at: &Path| {
            Error::Other(format!(
                "{}: {e}: the new site is not all in place; the next kwiki build, serve or clean finishes it",
                shown(at)
            ))
        };
        for (tmp, target) in &moves {
            std::fs::rename(tmp, target).map_err(|e| unfinished(e, target))?;
        }
        let mut removed = 0;
        for f in &stale_files {
            match std::fs::remove_file(f) {
                Ok(()) => removed += 1,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(unfinished(e, f)),
            }
        }
        // a directory holding a kept file stays: only the others are tried (children first)
        for d in &stale_dirs {
            let _ = std::fs::remove_dir(d); // only succeeds when empty
        }
        // no journal: a file system that journals its metadata in order (ext4, XFS, APFS,
        // NTFS) never keeps this removal without the renames and removals before it
        journal::remove(&self.out);
        self.staging.journaled = false;
        self.keep_journal = false;
        self.finish(moves, removed, swept)
    }

    /// After the renames and removals: the manifest, the directories left empty by a sweep
    /// (see `sweep`), and what the write did.
    fn finish(
        mut self,
        moves: Vec<(PathBuf, PathBuf)>,
        removed: usize,
        swept: Option<sweep::Stale>,
    ) -> Result<WriteStats> {
        // the written files' times, for the manifest (entries without one are dropped)
        let written: Vec<(String, u128)> = moves
            .par_iter()
            .filter_map(|(_, target)| {
                let rel = target.strip_prefix(&self.out).ok()?;
                let m = std::fs::symlink_metadata(target).ok()?;
                Some((
                    rel.to_string_lossy().replace('\\', "/"),
                    manifest::nanos(m.modified().ok()?),
                ))
            })
            .collect();
        let staged_times: rustc_hash::FxHashMap<String, u128> = written.into_iter().collect();
        self.manifest.0.retain(|path, e| {
            if e.mtime != 0 {
                return true;
            }
            match staged_times.get(path) {
                Some(&t) => {
                    e.mtime = t;
                    true
                }
                None => false,
            }
        });
        let listing = swept.map(|stale| {
            let written_in = moves
                .iter()
                .filter_map(|(_, t)| t.parent().map(Path::to_path_buf));
            let dirs = sweep::tidy(&self.out, &self.keep, stale, written_in);
            let files = (self.manifest.0.iter())
                .map(|(p, e)| (p.clone(), e.len, e.mtime))
                .collect();
            Listing { files, dirs }
        });
        if !self.sweep {
            // a partial write (serve): the files gone, the other entries as they were
            let mut merged = std::mem::take(&mut self.previous);
            merged.0.extend(std::mem::take(&mut self.manifest).0);
            for r in &self.gone {
                merged.0.remove(r);
            }
            self.manifest = merged;
        }
        self.manifest.save(&self.out);
        if crate::interrupt::requested() {
            return Err(Error::Interrupted(format!(
                "the new site was finished first: {} is complete",
                shown(&self.out)
            )));
        }
        crate::interrupt::site_complete();
        Ok(WriteStats {
            written: moves.len(),
            unchanged: self.unchanged,
            removed,
            listing,
        })
    }
}

impl Stager {
    /// What this build does not write: the files not kept (nor staged), and the directories
    /// that hold no kept file (children first), to remove once the new files are in place.
    /// The top-level directories are walked in parallel (one of them holds a directory per
    /// partnership).
    fn stale(&self, staged: &HashSet<&Path>) -> Result<(Vec<PathBuf>, Vec<PathBuf>)> {
        let top: Vec<PathBuf> = std::fs::read_dir(&self.out)
            .map_err(|e| Error::io(&self.out, e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        let walked: Vec<(Vec<PathBuf>, Vec<PathBuf>)> = top
            .par_iter()
            .map(|t| {
                let (mut files, mut dirs) = (Vec::new(), Vec::new());
                for entry in walkdir::WalkDir::new(t).contents_first(true) {
                    let Ok(entry) = entry else { continue };
                    if entry.file_type().is_dir() {
                        dirs.push(entry.into_path());
                    } else if !self.keep.contains(entry.path()) && !staged.contains(entry.path()) {
                        files.push(entry.into_path());
                    }
                }
                (files, dirs)
            })
            .collect();
        let kept_dirs: HashSet<&Path> = self
            .keep
            .iter()
            .flat_map(|p| p.ancestors().skip(1))
            .collect();
        let (mut files, mut dirs) = (Vec::new(), Vec::new());
        for (f, d) in walked {
            files.extend(f);
            dirs.extend(d.into_iter().filter(|d| !kept_dirs.contains(d.as_path())));
        }
        Ok((files, dirs))
    }
}

impl Drop for Stager {
    fn drop(&mut self) {
        self.staging.undo();
        if self.staging.journaled && !self.keep_journal {
            journal::remove(&self.out);
        }
    }
}

/// What staging put on disk, so that it can be taken back.
#[derive(Default)]
struct Staging {
    /// (temp file, target) for every changed page.
    files: Vec<(PathBuf, PathBuf)>,
    /// Directories that did not exist before, parents first.
    dirs: Vec<PathBuf>,
    /// Whether the journal says staging is under way (written before the first thing is).
    journaled: bool,
}

impl Staging {
    /// Journal the staging before the first file or folder is made (a write that changes
    /// nothing journals nothing).
    fn begin(&mut self, out: &Path) -> Result<()> {
        if !self.journaled {
            journal::write(out, journal::Phase::Staging)?;
            self.journaled = true;
        }
        Ok(())
    }
}

impl Staging {
    /// Remove every temp file and new directory: the output is as it was.
    fn undo(&mut self) {
        for (tmp, _) in self.files.drain(..) {
            let _ = std::fs::remove_file(&tmp);
        }
        for d in self.dirs.drain(..).rev() {
            let _ = std::fs::remove_dir(&d);
        }
    }
}

/// Step 1: make the missing directories and write every changed page as a temp file
/// beside its target. Nothing that exists is modified.
fn stage(
    out: &Path,
    pages: &[(&str, &[u8])],
    previous: &Manifest,
    manifest: &mut Manifest,
    staging: &mut Staging,
) -> Result<()> {
    if !out.exists() {
        staging.begin(out)?;
        std::fs::create_dir_all(out).map_err(|e| Error::io(out, e))?;
        staging.dirs.push(out.to_path_buf());
    }
    // 1. which pages changed: unchanged ones are known from the manifest, or compared
    let decided: Vec<Result<Option<Entry>>> = pages
        .par_iter()
        .map(|&(path, content)| {
            let target = out.join(path);
            let len = content.len() as u64;
            match std::fs::symlink_metadata(&target) {
                Ok(m) if m.is_dir() => Err(Error::input(
                    &target,
                    "is a directory where kwiki must write a file: remove it (it is inside the output directory)",
                )),
                Ok(m) if m.is_file() && m.len() == len => {
                    let mtime = m.modified().map_or(0, manifest::nanos);
                    // the manifest tells a changed file without reading it (a search
                    // shard whose ids moved by one keeps its length)
                    let same = || match previous.holds(path, len, mtime, content) {
                        Some(same) => same,
                        None => std::fs::read(&target).is_ok_and(|old| old == content),
                    };
                    if mtime != 0 && same() {
                        Ok(Some(Entry {
                            len,
                            mtime,
                            hash: manifest::hash(content),
                        }))
                    } else {
                        Ok(None)
                    }
                }
                _ => Ok(None),
            }
        })
        .collect();
    let mut changed: Vec<(&str, &[u8])> = Vec::new();
    for (d, &(path, content)) in decided.into_iter().zip(pages) {
        match d? {
            Some(entry) => {
                manifest.0.insert(path.to_string(), entry);
            }
            None => changed.push((path, content)),
        }
    }
    if !changed.is_empty() {
        staging.begin(out)?;
    }
    // 2. the directories the changed pages need (checked, so that nothing is written through
    //    a file or a link standing where a directory should be)
    let mut needed: Vec<PathBuf> = changed
        .iter()
        .flat_map(|(path, _)| Path::new(path).ancestors().skip(1).map(Path::to_path_buf))
        .filter(|d| !d.as_os_str().is_empty())
        .collect();
    needed.sort(); // parents sort before their children
    needed.dedup();
    for rel in needed {
        let dir = out.join(&rel);
        match std::fs::symlink_metadata(&dir) {
            Ok(m) if m.is_dir() => {}
            Ok(m) => {
                let what = if m.file_type().is_symlink() {
                    "a symbolic link"
                } else {
                    "a file"
                };
                return Err(Error::input(
                    &dir,
                    format!(
                        "is {what} where kwiki needs a directory: remove it (it is inside the output directory)"
                    ),
                ));
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                std::fs::create_dir(&dir).map_err(|e| Error::io(&dir, e))?;
                staging.dirs.push(dir);
            }
            Err(e) => return Err(Error::io(&dir, e)),
        }
    }
    // 3. each changed page as a temp file beside its target, with the manifest entry its
    //    file gets once renamed (its time is filled in then)
    let staged: Vec<Result<Option<(PathBuf, PathBuf)>>> = changed
        .par_iter()
        .map(|&(path, content)| {
            if crate::interrupt::requested() {
                return Ok(None);
            }
            let target = out.join(path);
            let tmp = tmp_path(&target);
            let create = || {
                std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&tmp)
            };
            let write = || -> std::io::Result<()> {
                // a temp file left by a killed build (or a planted link) is replaced, not
                // followed; removed only when found (an unlink locks the directory)
                let mut f = match create() {
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                        std::fs::remove_file(&tmp)?;
                        create()?
                    }
                    f => f?,
                };
                std::io::Write::write_all(&mut f, content)
            };
            match write() {
                Ok(()) => Ok(Some((tmp, target))),
                Err(e) => {
                    let _ = std::fs::remove_file(&tmp);
                    Err(Error::io(&target, e))
                }
            }
        })
        .collect();
    let mut failure = None;
    for (s, &(path, content)) in staged.into_iter().zip(&changed) {
        match s {
            Ok(Some(m)) => {
                staging.files.push(m);
                let entry = Entry {
                    len: content.len() as u64,
                    mtime: 0,
                    hash: manifest::hash(content),
                };
                manifest.0.insert(path.to_string(), entry);
            }
            Ok(None) => {}
            Err(e) => failure = failure.or(Some(e)),
        }
    }
    failure.map_or(Ok(()), Err)
}

fn tmp_path(target: &Path) -> PathBuf {
    let mut name = target
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(TMP_SUFFIX);
    target.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_must_stay_inside() {
        assert!(safe_relative("artist/rose/index.html"));
        assert!(!safe_relative("../etc/passwd"));
        assert!(!safe_relative("/etc/passwd"));
        assert!(!safe_relative("a/../../b"));
        assert!(!safe_relative(""));
    }

    #[test]
    fn rewrites_only_changes_and_removes_stale() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let s = write_site(
            &out,
            vec![page("a/index.html", "A"), page("b/index.html", "B")],
        )
        .unwrap();
        assert_eq!(s.written, 4);
        let s = write_site(&out, vec![page("a/index.html", "A2")]).unwrap();
        assert_eq!((s.written, s.removed), (1, 1));
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "A2"
        );
        assert!(!out.join("b").exists());
    }

    #[cfg(unix)]
    #[test]
    fn a_temp_file_or_link_left_at_a_temp_name_is_replaced_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, vec![page("a.html", "A"), page("b.html", "B")]).unwrap();
        let outside = dir.path().join("outside.txt");
        std::fs::write(&outside, "keep me").unwrap();
        std::fs::write(out.join("a.html.kwiki-tmp"), "debris").unwrap();
        std::os::unix::fs::symlink(&outside, out.join("b.html.kwiki-tmp")).unwrap();
        write_site(&out, vec![page("a.html", "A2"), page("b.html", "B2")]).unwrap();
        assert_eq!(std::fs::read_to_string(out.join("a.html")).unwrap(), "A2");
        assert_eq!(std::fs::read_to_string(out.join("b.html")).unwrap(), "B2");
        assert_eq!(std::fs::read_to_string(&outside).unwrap(), "keep me");
        assert!(!out.join("a.html.kwiki-tmp").exists());
        assert!(std::fs::symlink_metadata(out.join("b.html.kwiki-tmp")).is_err());
    }

    #[test]
    fn the_manifest_skips_reads_but_not_hand_edits() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let pages = || vec![page("a/index.html", "AAAA"), page("b/index.html", "BBBB")];
        write_site(&out, pages()).unwrap();
        assert!(dir.path().join(".kwiki-cache/public.manifest").is_file());
        let s = write_site(&out, pages()).unwrap();
        assert_eq!(s.written, 0);
        // the same length, another time: found changed and put back
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(out.join("a/index.html"), "XXXX").unwrap();
        let s = write_site(&out, pages()).unwrap();
        assert_eq!(s.written, 1);
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "AAAA"
        );
    }

    fn page(p: &str, c: &str) -> Page {
        Page {
            path: p.into(),
            content: c.as_bytes().to_vec(),
        }
    }

    #[test]
    fn an_empty_output_is_written_whole_beside_it_then_put_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir(&out).unwrap();
        let pages = || vec![page("a/index.html", "A"), page("b/c/index.html", "C")];
        let mut stager = Stager::new(&out).unwrap();
        stager.stage(pages()).unwrap();
        let beside = dir.path().join("public.kwiki-tmp");
        assert!(beside.join("b/c/index.html").is_file());
        assert!(std::fs::read_dir(&out).unwrap().next().is_none());
        let s = stager.commit().unwrap();
        assert_eq!((s.written, s.unchanged), (4, 0));
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "A"
        );
        assert!(out.join(MARKER).is_file() && !beside.exists());
        assert!(journal::path_for(&out).is_some_and(|j| !j.exists()));
        // the manifest it left lets a rebuild skip every file
        assert_eq!(write_site(&out, pages()).unwrap().written, 0);
        // dropped before its commit (an error, an interrupt): no output, nothing beside it
        let other = dir.path().join("other");
        let mut stager = Stager::new(&other).unwrap();
        stager.stage(pages()).unwrap();
        drop(stager);
        assert!(!other.exists() && !dir.path().join("other.kwiki-tmp").exists());
        assert!(journal::path_for(&other).is_some_and(|j| !j.exists()));
    }

    #[test]
    fn refuses_a_foreign_directory() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("precious.txt"), "x").unwrap();
        let e = write_site(dir.path(), vec![]).unwrap_err();
        assert!(e.to_string().contains("not made by kwiki"), "{e}");
        assert!(dir.path().join("precious.txt").exists());
    }
}
