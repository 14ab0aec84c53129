//! One writer per output directory. A build, `kwiki serve` and `kwiki clean` hold an exclusive
//! lock on `.kwiki-cache/NAME.lock` beside the output while they may write it; the file names
//! the holder (`PID COMMAND`) for the message of whoever waits. The lock is the operating
//! system's (`flock` on Unix, `LockFileEx` on Windows, through `std::fs::File::lock`): it is
//! released when the holder ends, however it ends, so a killed build never leaves a stale lock.
//! Taking it first finishes or undoes what a killed writer left (see `journal`).
use crate::error::{Error, Result, shown};
use std::fs::{File, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The outputs this process holds the lock of (resolved paths): a write stage inside a
/// command that took the lock already (the build, the server) does not take it again.
static HELD: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// The lock on an output directory, held until dropped.
#[derive(Debug)]
pub struct OutputLock {
    file: File,
    out: PathBuf,
}

/// Whether to wait for another process's lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    /// Wait, saying once whom for.
    Yes,
    /// Fail at once, naming the holder (`--no-wait`).
    No,
}

/// Take the lock of `out` for `command` (e.g. "build"), then finish or undo what a killed
/// writer left there. Messages (whom it waits for, what it recovered) go to `note`.
pub fn lock_output(
    out: &Path,
    command: &str,
    wait: Wait,
    note: &dyn Fn(&str),
) -> Result<OutputLock> {
    let resolved = crate::site::resolved(out);
    let path = super::manifest::state_path(&resolved, "lock")
        .ok_or_else(|| Error::input(out, "has no parent directory"))?;
    let dir = path.parent().unwrap_or(&resolved);
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut said = false;
    let mut file = loop {
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let holder = holder(&file);
                if wait == Wait::No {
                    return Err(Error::Other(format!(
                        "{} is being written by {holder}: try again when it ends (or without --no-wait, to wait for it)",
                        shown(out)
                    )));
                }
                if !said {
                    note(&format!(
                        "waiting for {holder}, which is writing {}…",
                        shown(out)
                    ));
                    said = true;
                }
                file.lock().map_err(|e| Error::io(&path, e))?;
            }
            Err(TryLockError::Error(e)) => return Err(Error::io(&path, e)),
        }
        // a lock on a file removed and made anew since it was opened locks nothing
        if same_file(&file, &path) {
            break file;
        }
    };
    let _ = file.set_len(0);
    let _ = writeln!(file, "{} kwiki {command}", std::process::id());
    let _ = file.flush();
    HELD.lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(resolved.clone());
    let lock = OutputLock {
        file,
        out: resolved,
    };
    if let Some(done) = super::journal::recover(out)? {
        note(&done.describe(out));
    }
    Ok(lock)
}

/// The lock of `out` for a write stage: `None` when this process holds it already, else
/// taken (waiting if need be) for as long as the returned lock lives.
pub fn hold(out: &Path) -> Result<Option<OutputLock>> {
    let resolved = crate::site::resolved(out);
    if HELD
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .contains(&resolved)
    {
        return Ok(None);
    }
    lock_output(out, "write", Wait::Yes, &|m| eprintln!("{m}")).map(Some)
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        let mut held = HELD.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(i) = held.iter().position(|p| *p == self.out) {
            held.remove(i);
        }
        // no pid left behind to mislead the next reader; the lock goes with the file
        let _ = self.file.set_len(0);
        let _ = self.file.unlock();
    }
}

/// Who holds the lock, as the lock file says ("kwiki build (pid 123)").
fn holder(mut file: &File) -> String {
    let mut text = String::new();
    let _ = file.rewind();
    let _ = file.take(200).read_to_string(&mut text);
    let mut words = text.split_whitespace();
    match (
        words.next().and_then(|p| p.parse::<u32>().ok()),
        words.collect::<Vec<_>>(),
    ) {
        (Some(pid), cmd) if !cmd.is_empty() => {
            format!("`{}` (pid {pid})", crate::error::escaped(&cmd.join(" ")))
        }
        (Some(pid), _) => format!("another kwiki process (pid {pid})"),
        _ => "another kwiki process".to_string(),
    }
}

#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_: &File, path: &Path) -> bool {
    path.exists()
}
