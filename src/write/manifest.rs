//! What the last build wrote, so the next one need not read every file to learn that it is
//! unchanged: per file, its length, modification time and a 128-bit hash of its bytes. A file
//! whose length and time still match, and whose new bytes hash the same, is left alone unread;
//! anything else (no manifest, a file edited by hand, a build that stopped) falls back to
//! comparing the bytes. Kept beside the output (`.kwiki-cache/NAME.manifest` in its parent
//! directory), never inside it: it is not part of the site.
use rustc_hash::FxHashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub len: u64,
    /// Modification time in nanoseconds since the epoch.
    pub mtime: u128,
    pub hash: u128,
}

/// The manifest of an output directory: file path (relative, `/`-separated) -> entry.
#[derive(Debug, Default)]
pub struct Manifest(pub FxHashMap<String, Entry>);

pub fn hash(bytes: &[u8]) -> u128 {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

pub fn nanos(t: SystemTime) -> u128 {
    t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos())
}

/// Where the manifest of `out` lives; `None` when `out` has no parent or name.
pub fn path_for(out: &Path) -> Option<PathBuf> {
    state_path(out, "manifest")
}

/// `.kwiki-cache/NAME.EXT` beside the output `out` (its manifest, journal, lock).
pub fn state_path(out: &Path, ext: &str) -> Option<PathBuf> {
    let name = out.file_name()?.to_string_lossy().into_owned();
    Some(
        out.parent()?
            .join(".kwiki-cache")
            .join(format!("{name}.{ext}")),
    )
}

impl Manifest {
    /// The manifest of `out`, or an empty one (missing or unreadable: every file is compared).
    pub fn load(out: &Path) -> Manifest {
        let Some(text) = path_for(out).and_then(|p| std::fs::read_to_string(p).ok()) else {
            return Manifest::default();
        };
        let mut map = FxHashMap::default();
        for line in text.lines() {
            let mut f = line.splitn(4, ' ');
            let (Some(h), Some(len), Some(mtime), Some(path)) =
                (f.next(), f.next(), f.next(), f.next())
            else {
                return Manifest::default(); // not ours, or cut short: trust none of it
            };
            let (Ok(hash), Ok(len), Ok(mtime)) = (
                u128::from_str_radix(h, 16),
                len.parse::<u64>(),
                mtime.parse::<u128>(),
            ) else {
                return Manifest::default();
            };
            map.insert(path.to_string(), Entry { len, mtime, hash });
        }
        Manifest(map)
    }

    /// Whether the file at `path` with metadata `len`/`mtime` holds `bytes`, when this
    /// manifest knows (it recorded the file with that length and time); `None` when it does
    /// not, and only reading the file can tell.
    pub fn holds(&self, path: &str, len: u64, mtime: u128, bytes: &[u8]) -> Option<bool> {
        let e = self
            .0
            .get(path)
            .filter(|e| e.len == len && e.mtime == mtime)?;
        Some(len == bytes.len() as u64 && e.hash == hash(bytes))
    }

    /// Whether every file of this manifest is in `out` with its recorded length and time
    /// (read from the file system, not the files' bytes): none was removed or edited since the
    /// build that saved it. Files added beside them are not looked for.
    pub fn intact(&self, out: &Path) -> bool {
        use rayon::prelude::*;
        self.0.par_iter().all(|(path, e)| {
            std::fs::symlink_metadata(out.join(path)).is_ok_and(|m| {
                m.is_file() && m.len() == e.len && m.modified().is_ok_and(|t| nanos(t) == e.mtime)
            })
        })
    }

    /// Save it for `out` (written to a temp file and renamed: never half a manifest). Failing
    /// to save only costs the next build time, so errors are ignored.
    pub fn save(&self, out: &Path) {
        let Some(path) = path_for(out) else { return };
        let mut rows: Vec<(&String, &Entry)> = self.0.iter().collect();
        rows.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let mut text = String::with_capacity(rows.len() * 96);
        for (p, e) in rows {
            // straight into the one string, not a string per line (45,000 lines at 10,000 articles)
            let _ = writeln!(text, "{:032x} {} {} {p}", e.hash, e.len, e.mtime);
        }
        let Some(dir) = path.parent() else { return };
        let tmp = path.with_extension("manifest.tmp");
        if std::fs::create_dir_all(dir).is_ok() && std::fs::write(&tmp, text).is_ok() {
            let _ = std::fs::rename(&tmp, &path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_mismatches() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let mut m = Manifest::default();
        let e = Entry {
            len: 3,
            mtime: 42,
            hash: hash(b"abc"),
        };
        m.0.insert("a b/index.html".into(), e);
        m.save(&out);
        let back = Manifest::load(&out);
        assert_eq!(back.0.get("a b/index.html"), Some(&e));
        assert_eq!(back.holds("a b/index.html", 3, 42, b"abc"), Some(true));
        // other bytes: known to differ without a read
        assert_eq!(back.holds("a b/index.html", 3, 42, b"abd"), Some(false));
        // touched since, or never recorded: only a read can tell
        assert_eq!(back.holds("a b/index.html", 3, 43, b"abc"), None);
        assert_eq!(back.holds("other.html", 3, 42, b"abc"), None);
        std::fs::write(path_for(&out).unwrap(), "garbage\n").unwrap();
        assert!(Manifest::load(&out).0.is_empty());
    }
}
