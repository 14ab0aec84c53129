//! `kwiki clean`: remove the output directory and what kwiki keeps beside it, under the
//! output's lock, after finishing or undoing what a killed writer left there.
use super::lock::{self, Wait};
use super::{MARKER, journal, manifest};
use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// Remove `out` (only when kwiki made it) and its files in `.kwiki-cache/`; the paths
/// removed. A `clean` killed halfway is finished by the next kwiki command on `out`.
pub fn clean(out: &Path, wait: Wait, note: &dyn Fn(&str)) -> Result<Vec<PathBuf>> {
    let _lock = lock::lock_output(out, "clean", wait, note)?;
    clean_locked(out)
}

/// `clean` with the output's lock already held (by a caller that removes more under it).
pub fn clean_locked(out: &Path) -> Result<Vec<PathBuf>> {
    let mut removed = Vec::new();
    if std::fs::symlink_metadata(out).is_ok() {
        if !out.is_dir() || out.is_symlink() {
            return Err(Error::input(
                out,
                "is not a directory kwiki made: not removed",
            ));
        }
        let ours = out.join(MARKER).is_file()
            || std::fs::read_dir(out)
                .map_err(|e| Error::io(out, e))?
                .next()
                .is_none();
        if !ours {
            return Err(Error::input(
                out,
                "was not made by kwiki (it has no .kwiki-site file): not removed",
            ));
        }
        journal::write(out, journal::Phase::Clean)?;
        std::fs::remove_dir_all(out).map_err(|e| Error::io(out, e))?;
        journal::remove(out);
        removed.push(out.to_path_buf());
    }
    // what kwiki keeps about this output (not its lock, which others may be waiting on)
    if let Some(m) = manifest::path_for(&crate::site::resolved(out))
        && std::fs::remove_file(&m).is_ok()
    {
        removed.push(m);
    }
    Ok(removed)
}
