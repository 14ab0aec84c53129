//! Reading the data files a site names (`site.yaml`, lexicons, corrections, templates): only
//! regular files, never more than a size cap, never a wait on a pipe or a device. A file
//! named by a contributed `site.yaml` may be anything (`/dev/zero`, a FIFO, a secret), so
//! it is judged by what it is before a byte of it is read.
use crate::error::{Error, Result};
use std::io::Read;
use std::path::Path;

/// The default cap of a data file (`max_data_file_bytes` in `site.yaml`): a lexicon of a
/// hundred thousand names is a few megabytes.
pub const DEFAULT_MAX_BYTES: u64 = 10_000_000;

/// The text of the data file at `path`, or `None` when there is none. Refused with a message
/// naming it: anything but a regular file, a file over `max` bytes (or one that grows past it
/// while read), and bytes that are not UTF-8.
pub fn read(path: &Path, max: u64) -> Result<Option<String>> {
    let file = match open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(path, e)),
    };
    // the opened file's own type and size (a link is judged by what it leads to)
    let meta = file.metadata().map_err(|e| Error::io(path, e))?;
    if !meta.is_file() {
        return Err(Error::input(
            path,
            "is not a regular file (a directory, pipe, socket or device): name a YAML file",
        ));
    }
    let too_large = |size: u64| {
        Error::input(
            path,
            format!(
                "{} is too large for a data file (the limit is {}; raise max_data_file_bytes in site.yaml if it really is one)",
                crate::ingest::human_size(size),
                crate::ingest::human_size(max)
            ),
        )
    };
    if meta.len() > max {
        return Err(too_large(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // one byte past the cap tells a file that grew while read (files under /proc say 0)
    file.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, e))?;
    if bytes.len() as u64 > max {
        return Err(too_large(bytes.len() as u64));
    }
    let bytes = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .map(<[u8]>::to_vec)
        .unwrap_or(bytes);
    String::from_utf8(bytes).map(Some).map_err(|e| {
        Error::input(
            path,
            format!(
                "is not UTF-8 text (byte {} is not valid): save it as UTF-8",
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

/// Open for reading without waiting: opening a FIFO that has no writer would block.
fn open(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    options.open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_regular_files_under_the_cap() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("lex.yaml");
        std::fs::write(&f, "\u{feff}cues: []\n").unwrap();
        assert_eq!(read(&f, 100).unwrap().as_deref(), Some("cues: []\n"));
        assert!(read(&dir.path().join("none.yaml"), 100).unwrap().is_none());
        let e = read(&f, 4).unwrap_err().to_string();
        assert!(e.contains("too large for a data file"), "{e}");
        let e = read(dir.path(), 100).unwrap_err().to_string();
        assert!(e.contains("not a regular file"), "{e}");
        std::fs::write(&f, b"a: \xff\n").unwrap();
        let e = read(&f, 100).unwrap_err().to_string();
        assert!(
            e.contains("byte 3 is not valid") && !e.contains('\u{fffd}'),
            "{e}"
        );
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn devices_and_pipes_are_refused_without_reading() {
        let e = read(Path::new("/dev/zero"), 1000).unwrap_err().to_string();
        assert!(e.contains("not a regular file"), "{e}");
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo.yaml");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let e = read(&fifo, 1000).unwrap_err().to_string();
        assert!(e.contains("not a regular file"), "{e}");
    }
}
