//! What the last build learned of each article file without reading it again: its length,
//! times and inode when it was read, and the key its bytes gave. A file whose length and
//! times are those recorded has those bytes still, so its key is taken as it was (`make`,
//! `cargo` and `git` trust a file's times the same way; like git, the inode-change time
//! counts too, which no copy tool can set back), and a build with few changes does not read
//! every article.
//!
//! Two cases fall back to reading: another set of rules (the keys depend on them), and a
//! file whose time is not well before the moment the record was made, since a file written
//! twice within the clock's resolution keeps its time (git's "racily clean" entries).
use super::{read_sealed, write_sealed};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

const FILE: &str = "files.idx";

/// A file time this close to the record's making (or later) is not trusted.
const RACY: Duration = Duration::from_secs(2);

/// A file as a build found it, before reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seen {
    pub len: u64,
    /// Modification time, nanoseconds since the epoch (0: unknown, never trusted).
    pub mtime: u128,
    /// Inode-change time (seconds and nanoseconds) and inode number, where the system has
    /// them (0 elsewhere).
    pub ctime: (i64, i64),
    pub ino: u64,
}

impl Seen {
    pub fn of(meta: &std::fs::Metadata) -> Seen {
        let mtime = (meta.modified().ok())
            .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        #[cfg(unix)]
        let (ctime, ino) = {
            use std::os::unix::fs::MetadataExt;
            ((meta.ctime(), meta.ctime_nsec()), meta.ino())
        };
        #[cfg(not(unix))]
        let (ctime, ino) = ((0, 0), 0);
        Seen {
            len: meta.len(),
            mtime,
            ctime,
            ino,
        }
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Record {
    /// The rules the keys were made under (`Keys::rules`).
    rules: u128,
    /// When the files were looked at, nanoseconds since the epoch.
    taken: u128,
    files: Vec<(PathBuf, Seen, u128)>,
}

/// The keys of the last build's files, by path, usable under `rules`.
#[derive(Debug, Default)]
pub struct Known {
    taken: u128,
    files: FxHashMap<PathBuf, (Seen, u128)>,
}

impl Known {
    /// What `dir` holds for `rules` (nothing when it holds none, or for other rules or
    /// another kwiki: every file is then read).
    pub fn load(dir: &Path, version: &str, rules: u128) -> Known {
        match read_sealed::<Record>(&dir.join(FILE), version) {
            Ok(Some(r)) if r.rules == rules => Known {
                taken: r.taken,
                files: (r.files.into_iter())
                    .map(|(p, seen, key)| (p, (seen, key)))
                    .collect(),
            },
            _ => Known::default(),
        }
    }

    /// The key of the file at `rel`, when it is as it was when last read and that was
    /// safely after its last change.
    pub fn key(&self, rel: &Path, now: Seen) -> Option<u128> {
        let &(seen, key) = self.files.get(rel)?;
        let settled = now.mtime != 0 && now.mtime + RACY.as_nanos() <= self.taken;
        (seen == now && settled).then_some(key)
    }
}

/// Record each file's length and time as found before it was read, with its key, as of
/// `taken` (when the files were looked at). Failing to save only costs the next build time.
pub fn save(
    dir: &Path,
    version: &str,
    rules: u128,
    taken: SystemTime,
    files: Vec<(PathBuf, Seen, u128)>,
) -> std::io::Result<()> {
    let taken = (taken.duration_since(SystemTime::UNIX_EPOCH)).map_or(0, |d| d.as_nanos());
    write_sealed(
        &dir.join(FILE),
        version,
        &Record {
            rules,
            taken,
            files,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_trusted_only_for_the_same_file_settled_before_the_record() {
        let dir = tempfile::tempdir().unwrap();
        let seen = Seen {
            len: 10,
            mtime: 1_000_000_000_000,
            ctime: (1000, 0),
            ino: 5,
        };
        let later = SystemTime::UNIX_EPOCH + Duration::from_nanos(1_000_000_000_000) + RACY;
        let files = vec![(PathBuf::from("seeds/a.txt"), seen, 7)];
        save(dir.path(), "v1", 3, later, files.clone()).unwrap();
        let known = Known::load(dir.path(), "v1", 3);
        assert_eq!(known.key(Path::new("seeds/a.txt"), seen), Some(7));
        let edited = Seen {
            mtime: seen.mtime + 1,
            ..seen
        };
        assert_eq!(known.key(Path::new("seeds/a.txt"), edited), None);
        let longer = Seen { len: 11, ..seen };
        assert_eq!(known.key(Path::new("seeds/a.txt"), longer), None);
        // its time set back after an edit, or another file moved in its place
        let touched = Seen {
            ctime: (1001, 0),
            ..seen
        };
        assert_eq!(known.key(Path::new("seeds/a.txt"), touched), None);
        let moved = Seen { ino: 6, ..seen };
        assert_eq!(known.key(Path::new("seeds/a.txt"), moved), None);
        assert_eq!(known.key(Path::new("seeds/b.txt"), seen), None);
        // other rules, another kwiki: nothing is known
        assert_eq!(
            Known::load(dir.path(), "v1", 4).key(Path::new("seeds/a.txt"), seen),
            None
        );
        assert_eq!(
            Known::load(dir.path(), "v2", 3).key(Path::new("seeds/a.txt"), seen),
            None
        );
        // changed within the clock's reach of the record: read again
        let racy = SystemTime::UNIX_EPOCH + Duration::from_nanos(1_000_000_000_000) + RACY / 2;
        save(dir.path(), "v1", 3, racy, files).unwrap();
        let known = Known::load(dir.path(), "v1", 3);
        assert_eq!(known.key(Path::new("seeds/a.txt"), seen), None);
    }
}
