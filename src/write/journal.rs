//! The write stage's journal: what a publish is about to do, on disk before it does it, so
//! that a process killed at any moment (`kill -9`, out of memory, power loss) leaves enough
//! behind for the next kwiki command on the same output to finish or undo its work.
//!
//! - `staging`: temp files (`*.kwiki-tmp`) and new folders are being written; nothing of the
//!   old site is touched yet. Recovery undoes: temp files and empty folders removed, the old
//!   site as it was.
//! - `commit`: every temp file is written and flushed to disk, and the journal lists the
//!   renames and removals that make the new site. Recovery finishes them: the new site.
//! - `clean`: the output is being removed (`kwiki clean`). Recovery finishes the removal.
//!
//! The journal sits beside the output (`.kwiki-cache/NAME.journal`, like the manifest), is
//! replaced by a rename (never half written) and removed when the publish ends.
use crate::error::{Error, Result, shown};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

const VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "phase", rename_all = "lowercase")]
pub enum Phase {
    Staging,
    Commit {
        /// Paths (relative to the output) whose temp file is renamed over them.
        renames: Vec<String>,
        /// Paths removed once the renames are done.
        removals: Vec<String>,
    },
    Clean,
}

#[derive(Debug, Serialize, Deserialize)]
struct Record {
    version: u32,
    /// The output directory (absolute, links resolved) the record is about.
    output: PathBuf,
    #[serde(flatten)]
    phase: Phase,
}

/// Where the journal of `out` lives.
pub fn path_for(out: &Path) -> Option<PathBuf> {
    super::manifest::state_path(&crate::site::resolved(out), "journal")
}

/// Record `phase` for `out` before doing it; a commit durably (staging needs no flush: temp
/// files that outlive a power loss without their journal are swept by the next full build).
pub fn write(out: &Path, phase: Phase) -> Result<()> {
    let durable = matches!(phase, Phase::Commit { .. } | Phase::Clean);
    let path = path_for(out).ok_or_else(|| Error::input(out, "has no parent directory"))?;
    let record = Record {
        version: VERSION,
        output: crate::site::resolved(out),
        phase,
    };
    let text = serde_json::to_vec(&record).map_err(|e| Error::Other(e.to_string()))?;
    let dir = path.parent().unwrap_or(out);
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let tmp = path.with_extension("journal.tmp");
    let write = || -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        std::io::Write::write_all(&mut f, &text)?;
        if durable {
            f.sync_all()?;
        }
        std::fs::rename(&tmp, &path)?;
        if durable { sync_dir(dir) } else { Ok(()) }
    };
    write().map_err(|e| Error::io(&path, e))
}

/// The publish is over (what it did is on disk): the journal goes.
pub fn remove(out: &Path) {
    if let Some(path) = path_for(out) {
        let _ = std::fs::remove_file(&path);
    }
}

/// What `recover` found and did.
#[derive(Debug, PartialEq, Eq)]
pub enum Recovered {
    /// A publish was killed while staging: undone, the previous site is as it was.
    Undone,
    /// A publish was killed during its renames or removals: finished, the new site is whole.
    Finished,
    /// `kwiki clean` was killed: the removal is finished.
    Cleaned,
}

impl Recovered {
    pub fn describe(&self, out: &Path) -> String {
        let out = shown(out);
        match self {
            Recovered::Undone => format!(
                "note: a kwiki process writing {out} was killed before its new site was ready: its temp files were removed, the previous site is as it was"
            ),
            Recovered::Finished => format!(
                "note: a kwiki process writing {out} was killed while putting its new site in place: that was finished, the new site is complete"
            ),
            Recovered::Cleaned => {
                format!("note: a `kwiki clean` of {out} was killed: the removal was finished")
            }
        }
    }
}

/// Finish or undo what the journal of `out` says was under way, and remove the debris it
/// left (temp files, empty folders). `Ok(None)` when there was nothing to do. Run with the
/// output's lock held, before anything else touches the output. Safe to run again if it is
/// itself killed: every step may be repeated.
pub fn recover(out: &Path) -> Result<Option<Recovered>> {
    let Some(path) = path_for(out) else {
        return Ok(None);
    };
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(&path, e)),
    };
    let record: Record = match serde_json::from_slice(&bytes) {
        Ok(r) => r,
        // not one of ours (or of another version): undoing staging is always safe
        Err(_) => Record {
            version: VERSION,
            output: crate::site::resolved(out),
            phase: Phase::Staging,
        },
    };
    if record.version != VERSION || record.output != crate::site::resolved(out) {
        // about another directory that once had this path (moved or copied): not ours to act on
        let _ = std::fs::remove_file(&path);
        return Ok(None);
    }
    let fail = |e: std::io::Error, at: &Path| {
        Error::Other(format!(
            "cannot finish the interrupted write of {}: {}: {e} (fix that, or run `kwiki clean` to start over)",
            shown(out),
            shown(at)
        ))
    };
    let done = match record.phase {
        Phase::Staging => {
            remove_debris(out);
            // a new site being written whole beside an empty output (see `fresh`)
            if let Some(dir) = super::fresh::dir_for(out) {
                let _ = std::fs::remove_dir_all(dir);
            }
            Recovered::Undone
        }
        Phase::Commit { renames, removals } => {
            for rel in &renames {
                let target = out.join(rel);
                let tmp = super::tmp_path(&target);
                match std::fs::rename(&tmp, &target) {
                    Ok(()) => {}
                    // renamed before the kill
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => return Err(fail(e, &target)),
                }
            }
            for rel in &removals {
                let p = out.join(rel);
                match std::fs::remove_file(&p) {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => return Err(fail(e, &p)),
                }
            }
            remove_debris(out);
            // the last manifest speaks of the old files: trust none of it
            if let Some(m) = super::manifest::path_for(out) {
                let _ = std::fs::remove_file(m);
            }
            Recovered::Finished
        }
        Phase::Clean => {
            match std::fs::remove_dir_all(out) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(fail(e, out)),
            }
            Recovered::Cleaned
        }
    };
    sync_fs(out);
    remove(out);
    Ok(Some(done))
}

/// Remove every temp file and every empty folder under `out` (and `out` itself when that
/// leaves it empty): a kwiki site never holds either.
fn remove_debris(out: &Path) {
    for entry in walkdir::WalkDir::new(out)
        .contents_first(true)
        .into_iter()
        .filter_map(|e| e.ok())
    {
        if entry.file_type().is_dir() {
            let _ = std::fs::remove_dir(entry.path()); // only succeeds when empty
        } else if entry
            .file_name()
            .to_string_lossy()
            .ends_with(super::TMP_SUFFIX)
        {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Flush the written files to disk before the journal points at them: each one when they are
/// few (an edit in `kwiki serve`), the whole file system at once when they are many.
pub fn sync_files<'a>(out: &Path, files: impl ExactSizeIterator<Item = &'a Path> + Send) {
    use rayon::prelude::*;
    if files.len() > 64 {
        return sync_fs(out);
    }
    let files: Vec<&Path> = files.collect();
    files.par_iter().for_each(|f| {
        if let Ok(file) = std::fs::File::open(f) {
            let _ = file.sync_data();
        }
    });
}

/// Flush the file system holding `dir` to disk: one call instead of an `fsync` per file
/// (thousands of them).
pub fn sync_fs(dir: &Path) {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        // the output itself, or its parent when it is gone
        let open = std::fs::File::open(dir).or_else(|e| match dir.parent() {
            Some(p) => std::fs::File::open(p),
            None => Err(e),
        });
        if let Ok(f) = open {
            // SAFETY: a plain system call on a descriptor this function owns
            unsafe { libc::syncfs(f.as_raw_fd()) };
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = dir;
        // SAFETY: sync(2) takes no arguments
        #[cfg(unix)]
        unsafe {
            libc::sync()
        };
    }
}

fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    std::fs::File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}
