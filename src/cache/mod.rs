//! The build cache: what a build learned, kept between builds in the cache directory
//! (`cache_dir` in site.yaml, `.kwiki-cache/` under the site root by default; `kwiki clean`
//! removes it).
//!
//! - `store`: per article, its ingest result and extraction, keyed by a hash of the article's
//!   bytes and path and of the rules (`Keys`): an article whose key is found is neither read
//!   nor extracted again;
//! - `pages`: per output directory, what the last build wrote there: a key of all its inputs
//!   (a build with the same key and an intact output has nothing to do) and, per page, a
//!   fingerprint of what the page shows (a page whose fingerprint and file are unchanged is
//!   not rendered again).
//!
//! The build never depends on the cache for correctness: a file that is cut short, corrupt
//! or from another kwiki is found out (magic, version, checksums) and ignored with one
//! warning, and the output is byte-identical with and without a cache.
pub mod articles;
pub mod files;
pub mod pages;
pub mod store;

use crate::site::Site;
use std::hash::Hasher;
use std::path::Path;
use xxhash_rust::xxh3::Xxh3;

/// kwiki's version as the cache knows it: the package version, a hash of its code and one of
/// every data file compiled in (see build.rs). Entries made by any other kwiki are not used.
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    "+code.",
    env!("KWIKI_CODE_HASH"),
    "+data.",
    env!("KWIKI_DATA_HASH")
);

/// What every key of a build is made from besides its own input.
#[derive(Debug, Clone)]
pub struct Keys {
    /// `VERSION`, unless a test injects another.
    pub version: String,
    /// The rules an article is read and extracted with: the version, the site's extra
    /// lexicons and the ingest settings.
    pub rules: u128,
}

impl Keys {
    pub fn new(site: &Site, version: &str) -> Keys {
        let mut h = Xxh3::new();
        put_str(&mut h, version);
        for path in &site.config.lexicons {
            put_str(&mut h, &path.to_string_lossy());
            // an unreadable lexicon fails Site::load first; hash what can be read
            put_bytes(
                &mut h,
                &std::fs::read(site.root.join(path)).unwrap_or_default(),
            );
        }
        h.write_u64(site.config.max_article_bytes);
        Keys {
            version: version.to_string(),
            rules: h.digest128(),
        }
    }

    /// The key of one article file: its path relative to the root (the article's id and
    /// format come from it), its bytes and the rules.
    pub fn article(&self, rel: &Path, bytes: &[u8]) -> u128 {
        let mut h = Xxh3::new();
        h.write_u128(self.rules);
        put_str(&mut h, &rel.to_string_lossy());
        put_bytes(&mut h, bytes);
        h.digest128()
    }
}

/// A string into a hash, its length first so that two strings never run together.
pub fn put_str(h: &mut Xxh3, s: &str) {
    put_bytes(h, s.as_bytes());
}

pub fn put_bytes(h: &mut Xxh3, b: &[u8]) {
    h.write_u64(b.len() as u64);
    h.update(b);
}

/// The leading bytes of every cache file, then its format number.
const MAGIC: &[u8] = b"kwiki cache\n";
/// Bumped when a file's layout changes (the version covers the types inside).
const FORMAT: u32 = 1;

/// Why a cache file was not used: said once per build as a warning.
#[derive(Debug, Clone, PartialEq)]
pub enum Unusable {
    /// Cut short, or bytes that do not check out.
    Corrupt(String),
    /// Written by another kwiki (or another cache layout).
    OtherVersion,
}

impl std::fmt::Display for Unusable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unusable::Corrupt(why) => write!(f, "is damaged ({why})"),
            Unusable::OtherVersion => write!(f, "was made by another version of kwiki"),
        }
    }
}

/// Write `body` to `path` sealed: magic, format, the version, the body (postcard) and a
/// checksum of all of it; through a temp file and a rename, so a reader never sees half.
pub fn write_sealed<T: serde::Serialize>(
    path: &Path,
    version: &str,
    body: &T,
) -> std::io::Result<()> {
    let mut out = MAGIC.to_vec();
    out.extend(FORMAT.to_le_bytes());
    let head = postcard::to_allocvec(version).map_err(std::io::Error::other)?;
    out.extend(head);
    postcard::to_io(body, &mut out).map_err(std::io::Error::other)?;
    let sum = xxhash_rust::xxh3::xxh3_64(&out);
    out.extend(sum.to_le_bytes());
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, &out)?;
    std::fs::rename(&tmp, path)
}

/// Read a file written by `write_sealed` with the same `version`: `Ok(None)` when there is
/// none, `Err` when it cannot be used.
pub fn read_sealed<T: serde::de::DeserializeOwned>(
    path: &Path,
    version: &str,
) -> Result<Option<T>, Unusable> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Unusable::Corrupt(e.to_string())),
    };
    let corrupt = |why: &str| Unusable::Corrupt(why.to_string());
    if !bytes.starts_with(MAGIC) {
        return Err(corrupt("not a kwiki cache file"));
    }
    if bytes.len() < MAGIC.len() + 4 + 8 {
        return Err(corrupt("cut short"));
    }
    let (sealed, sum) = bytes.split_at(bytes.len() - 8);
    let rest = &sealed[MAGIC.len()..];
    let (format, rest) = rest.split_at(4);
    if format != FORMAT.to_le_bytes() {
        return Err(Unusable::OtherVersion);
    }
    let (made_by, body): (String, &[u8]) =
        postcard::take_from_bytes(rest).map_err(|_| corrupt("cut short"))?;
    if made_by != version {
        return Err(Unusable::OtherVersion);
    }
    if xxhash_rust::xxh3::xxh3_64(sealed).to_le_bytes() != sum {
        return Err(corrupt("checksum mismatch"));
    }
    postcard::from_bytes(body)
        .map(Some)
        .map_err(|e| corrupt(&e.to_string()))
}

/// Remove the cache directory `dir` (what `kwiki clean` does with it): only the files
/// kwiki keeps there, then the directory when that leaves it empty (an output's lock stays:
/// the clean holds it, others may wait on it). `Ok(false)` when there was none; an error,
/// removing nothing, when it holds anything else (a `cache_dir` set to a directory of the
/// user's by mistake).
pub fn remove(dir: &Path) -> std::io::Result<bool> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e.collect::<std::io::Result<Vec<_>>>()?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(e),
    };
    let ours = |name: &str| {
        let known = name == "articles.idx"
            || name == "files.idx"
            || (name.starts_with("articles-") && name.ends_with(".dat"))
            || name.ends_with(".pages")
            || name.ends_with(".manifest")
            || name.ends_with(".journal");
        known || name.ends_with(".tmp") && known_stem(name)
    };
    let lock = |name: &str| name.ends_with(".lock");
    if let Some(e) = entries.iter().find(|e| {
        let name = e.file_name().to_string_lossy().into_owned();
        !e.file_type().is_ok_and(|t| t.is_file()) || !(ours(&name) || lock(&name))
    }) {
        return Err(std::io::Error::other(format!(
            "{} is not a file kwiki keeps in its cache: nothing removed",
            e.path().display()
        )));
    }
    let mut removed = false;
    for e in &entries {
        if ours(&e.file_name().to_string_lossy()) {
            std::fs::remove_file(e.path())?;
            removed = true;
        }
    }
    // only succeeds when no lock is left in it
    Ok(std::fs::remove_dir(dir).is_ok() || removed)
}

/// Whether `NAME.tmp` is a temp file of a cache file.
fn known_stem(name: &str) -> bool {
    let stem = name.trim_end_matches(".tmp");
    stem == "articles"
        || stem == "files"
        || stem.ends_with(".pages")
        || stem.ends_with(".manifest")
        || stem.ends_with(".journal")
        || stem.starts_with("output-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_files_refuse_damage_and_other_versions() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.idx");
        assert_eq!(read_sealed::<Vec<u32>>(&p, "v1"), Ok(None));
        write_sealed(&p, "v1", &vec![1u32, 2, 3]).unwrap();
        assert_eq!(read_sealed::<Vec<u32>>(&p, "v1"), Ok(Some(vec![1, 2, 3])));
        assert_eq!(
            read_sealed::<Vec<u32>>(&p, "v2"),
            Err(Unusable::OtherVersion)
        );
        let full = std::fs::read(&p).unwrap();
        std::fs::write(&p, &full[..full.len() - 3]).unwrap();
        assert!(matches!(
            read_sealed::<Vec<u32>>(&p, "v1"),
            Err(Unusable::Corrupt(_))
        ));
        let mut flipped = full.clone();
        let n = flipped.len() - 10;
        flipped[n] ^= 0x40;
        std::fs::write(&p, &flipped).unwrap();
        assert!(matches!(
            read_sealed::<Vec<u32>>(&p, "v1"),
            Err(Unusable::Corrupt(_))
        ));
        std::fs::write(&p, b"garbage").unwrap();
        assert!(matches!(
            read_sealed::<Vec<u32>>(&p, "v1"),
            Err(Unusable::Corrupt(_))
        ));
    }
}
