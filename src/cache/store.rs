//! Per article, its ingest result and extraction, between builds.
//!
//! Two files in the cache directory: `articles.idx` (sealed, see `write_sealed`) maps each
//! article key to a record in a data file (offset, length, checksum), and the data file
//! `articles-N.dat` holds the records (postcard), appended as a build makes them. When more than
//! half of the data file is records no build uses any more, it is written anew as
//! `articles-N+1.dat`: the index names its data file, so the switch is one rename.
//!
//! Format compared on the 10,000-article bench corpus (every record encoded then decoded,
//! one thread, minimum of 3): postcard 50.8 MB, 0.10 s to encode, 0.10 s to decode; bincode 2
//! 50.6 MB, 0.09 s / 0.11 s; bitcode 49.5 MB, 0.16 s / 0.12 s; MessagePack (rmp-serde)
//! 55.6 MB, 0.15 s / 0.23 s; serde_json 85.2 MB, 0.25 s / 0.40 s. postcard: as fast as
//! bincode, with a documented stable wire format and an active upstream (bincode's stopped).
use super::{Unusable, read_sealed, write_sealed};
use crate::extract::Extraction;
use crate::ingest::ReadResult;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What the cache keeps of one article file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Record {
    pub read: ReadResult,
    /// `None` for a file that gave no article (a draft, a skipped file).
    pub extraction: Option<Arc<Extraction>>,
}

/// Where a record lives in the data file.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
struct Slot {
    offset: u64,
    len: u32,
    sum: u64,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Index {
    /// The data file's name in the cache directory.
    data: String,
    generation: u64,
    /// Bytes of the data file the index knows of (later bytes are an unfinished append).
    data_len: u64,
    slots: Vec<(u128, Slot)>,
    /// The near-duplicate search's answer for the last set of articles.
    twins: Option<Twins>,
}

/// The near-duplicates found among a set of articles, and the search's counts.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Twins {
    /// A hash of the articles' keys, in order, and the near-duplicate settings.
    pub key: u128,
    pub twins: Vec<Vec<String>>,
    /// common sentences, candidate pairs, buckets skipped, pairs found
    pub counts: [usize; 4],
}

const INDEX: &str = "articles.idx";

/// The article store of one cache directory, as opened for one build.
pub struct Store {
    dir: PathBuf,
    version: String,
    index: Index,
    slots: FxHashMap<u128, Slot>,
    data: Option<std::fs::File>,
    /// The data file this build appends its new records to, and where the next one goes.
    writer: Option<(std::fs::File, u64)>,
    /// Why the cache on disk was not used, or a record could not be (said once).
    pub unusable: Option<Unusable>,
    twins: Option<Twins>,
}

impl Store {
    /// The store in `dir`: empty when there is none or it cannot be used (`unusable` says
    /// why). Never fails: without a cache the build only takes longer.
    pub fn open(dir: &Path, version: &str) -> Store {
        let mut store = Store {
            dir: dir.to_path_buf(),
            version: version.to_string(),
            index: Index::default(),
            slots: FxHashMap::default(),
            data: None,
            writer: None,
            unusable: None,
            twins: None,
        };
        match read_sealed::<Index>(&dir.join(INDEX), version) {
            Ok(Some(index)) => {
                let data = std::fs::File::open(dir.join(&index.data));
                match data {
                    Ok(f) if f.metadata().is_ok_and(|m| m.len() >= index.data_len) => {
                        store.slots = index.slots.iter().copied().collect();
                        store.twins = index.twins.clone();
                        store.data = Some(f);
                        store.index = index;
                    }
                    _ => {
                        store.unusable = Some(Unusable::Corrupt(format!(
                            "{} is missing or cut short",
                            index.data
                        )))
                    }
                }
            }
            Ok(None) => {}
            Err(why) => store.unusable = Some(why),
        }
        store
    }

    /// How many records the cache holds.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    pub fn contains(&self, key: u128) -> bool {
        self.slots.contains_key(&key)
    }

    /// The records of `keys` (in parallel). A record that does not check out is `None`, and
    /// the store is marked unusable (the caller reads those articles again).
    pub fn load(&mut self, keys: &[u128]) -> Vec<Option<Record>> {
        let Some(file) = &self.data else {
            return vec![None; keys.len()];
        };
        let out: Vec<Result<Record, String>> = keys
            .par_iter()
            .map(|k| {
                let slot = self.slots.get(k).ok_or("no such record")?;
                let buf = read_slot(file, slot)?;
                postcard::from_bytes(&buf).map_err(|e| e.to_string())
            })
            .collect();
        out.into_iter()
            .zip(keys)
            .map(|(r, k)| match r {
                Ok(rec) => Some(rec),
                Err(why) => {
                    self.slots.remove(k);
                    self.unusable.get_or_insert(Unusable::Corrupt(why));
                    None
                }
            })
            .collect()
    }

    /// Encode a record made by this build, for `append`.
    pub fn encode(read: &ReadResult, extraction: Option<&Arc<Extraction>>) -> Option<Vec<u8>> {
        postcard::to_allocvec(&(read, extraction)).ok()
    }

    /// Keep a record made by this build (written to the data file at once, so that a large
    /// build never holds them all). Failing to write only costs the next build time.
    pub fn append(&mut self, key: u128, bytes: &[u8]) {
        if self.slots.contains_key(&key) {
            return;
        }
        if self.writer.is_none() {
            self.writer = self.open_writer().ok();
        }
        let Some((f, end)) = &mut self.writer else {
            return;
        };
        if std::io::Write::write_all(f, bytes).is_err() {
            self.writer = None;
            return;
        }
        let slot = Slot {
            offset: *end,
            len: bytes.len() as u32,
            sum: xxhash_rust::xxh3::xxh3_64(bytes),
        };
        *end += bytes.len() as u64;
        self.slots.insert(key, slot);
    }

    /// The data file opened to append after its last known record (a new one when the cache
    /// had none).
    fn open_writer(&mut self) -> std::io::Result<(std::fs::File, u64)> {
        std::fs::create_dir_all(&self.dir)?;
        if self.data.is_none() {
            self.index = Index {
                generation: self.index.generation + 1,
                ..Index::default()
            };
            self.index.data = format!("articles-{}.dat", self.index.generation);
            self.slots.clear();
        }
        let path = self.dir.join(&self.index.data);
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(&path)?;
        // anything after the known length is another build's unfinished append
        f.set_len(self.index.data_len)?;
        std::io::Seek::seek(&mut f, std::io::SeekFrom::Start(self.index.data_len))?;
        if self.data.is_none() {
            self.data = Some(f.try_clone()?);
        }
        Ok((f, self.index.data_len))
    }

    /// The near-duplicates of the last build's articles when `key` is theirs.
    pub fn twins(&self, key: u128) -> Option<&Twins> {
        self.twins.as_ref().filter(|t| t.key == key)
    }

    pub fn set_twins(&mut self, twins: Twins) {
        self.twins = Some(twins);
    }

    /// Keep the records of `live` (the keys of this build's articles; the others are
    /// dropped). When most of the data file is then records no build uses, the live ones
    /// are copied into a new one.
    pub fn save(mut self, live: &[u128]) -> std::io::Result<()> {
        let data_len = match self.writer.take() {
            Some((f, end)) => {
                f.sync_data()?;
                end
            }
            None => self.index.data_len,
        };
        let mut keys: Vec<u128> = live
            .iter()
            .copied()
            .filter(|k| self.slots.contains_key(k))
            .collect();
        keys.sort_unstable();
        keys.dedup();
        let kept: u64 = keys.iter().map(|k| u64::from(self.slots[k].len)).sum();
        let mut index = Index {
            data: self.index.data.clone(),
            generation: self.index.generation,
            data_len,
            slots: keys.iter().map(|k| (*k, self.slots[k])).collect(),
            twins: self.twins.take(),
        };
        let old = index.data.clone();
        if kept * 2 < data_len
            && let Some(f) = &self.data
        {
            index.generation += 1;
            index.data = format!("articles-{}.dat", index.generation);
            let mut out = Vec::with_capacity(kept as usize);
            for (_, slot) in index.slots.iter_mut() {
                let bytes = read_slot(f, slot).map_err(std::io::Error::other)?;
                slot.offset = out.len() as u64;
                out.extend(bytes);
            }
            index.data_len = out.len() as u64;
            std::fs::write(self.dir.join(&index.data), &out)?;
        }
        if index.data.is_empty() {
            return Ok(()); // nothing was ever written
        }
        write_sealed(&self.dir.join(INDEX), &self.version, &index)?;
        if old != index.data && !old.is_empty() {
            let _ = std::fs::remove_file(self.dir.join(old));
        }
        Ok(())
    }
}

/// A record's bytes, checked.
fn read_slot(f: &std::fs::File, slot: &Slot) -> Result<Vec<u8>, String> {
    let mut buf = vec![0; slot.len as usize];
    read_at(f, &mut buf, slot.offset).map_err(|e| e.to_string())?;
    if xxhash_rust::xxh3::xxh3_64(&buf) != slot.sum {
        return Err("a record's checksum does not match".into());
    }
    Ok(buf)
}

#[cfg(unix)]
fn read_at(f: &std::fs::File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(f, buf, offset)
}

#[cfg(not(unix))]
fn read_at(f: &std::fs::File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    let mut done = 0;
    while done < buf.len() {
        let n =
            std::os::windows::fs::FileExt::seek_read(f, &mut buf[done..], offset + done as u64)?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        done += n;
    }
    Ok(())
}
