//! Near-duplicate stories: MinHash signatures of word shingles, banded into LSH buckets, so
//! only articles that share a bucket are compared (never all pairs). Two articles whose
//! estimated Jaccard similarity reaches the threshold are one story.
use super::Article;
use crate::config::NearDuplicates;
use rayon::prelude::*;
use std::collections::HashMap;

const HASHES: usize = 96;
/// 48 bands of 2 rows: a pair at J=0.3 shares a band with p = 0.99, at J=0.05 with p = 0.11.
const ROWS: usize = 2;
/// Buckets larger than this hold shared boilerplate, not one story: skipped.
const MAX_BUCKET: usize = 64;

/// Fill each article's `twins` with the ids of its near-duplicates. Shingles that many
/// articles share (boilerplate, stock sentences) say nothing about one story: a first pass
/// counts each shingle's document frequency in a count-min sketch, and the signatures are
/// made of the rarer shingles only.
pub fn link_twins(articles: &mut [Article], cfg: &NearDuplicates) {
    let words: Vec<Vec<String>> = articles.par_iter().map(words).collect();
    let df = words
        .par_iter()
        .fold(Sketch::new, |mut sk, w| {
            let mut seen: Vec<u64> = shingles(w, cfg.shingle).collect();
            seen.sort_unstable();
            seen.dedup();
            for h in seen {
                sk.add(h);
            }
            sk
        })
        .reduce(Sketch::new, Sketch::merge);
    let common = (articles.len() / 200).max(5) as u8;
    let sigs: Vec<Vec<u64>> = words
        .par_iter()
        .map(|w| signature(shingles(w, cfg.shingle).filter(|&h| df.count(h) <= common)))
        .collect();
    let mut buckets: HashMap<(usize, u64), Vec<usize>> = HashMap::new();
    for (i, sig) in sigs.iter().enumerate() {
        if sig.is_empty() {
            continue;
        }
        for (b, band) in sig.chunks(ROWS).enumerate() {
            let key = band.iter().fold(0xcbf29ce484222325u64, |h, v| mix(h ^ v));
            buckets.entry((b, key)).or_default().push(i);
        }
    }
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for members in buckets.values() {
        if members.len() < 2 || members.len() > MAX_BUCKET {
            continue;
        }
        for (x, &i) in members.iter().enumerate() {
            for &j in &members[x + 1..] {
                pairs.push((i.min(j), i.max(j)));
            }
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    let mut twins: Vec<Vec<usize>> = vec![Vec::new(); articles.len()];
    for (i, j) in pairs {
        if similarity(&sigs[i], &sigs[j]) >= cfg.threshold {
            twins[i].push(j);
            twins[j].push(i);
        }
    }
    let ids: Vec<String> = articles.iter().map(|a| a.id.clone()).collect();
    for (a, t) in articles.iter_mut().zip(twins) {
        let mut t: Vec<String> = t.into_iter().map(|k| ids[k].clone()).collect();
        t.sort();
        a.twins = t;
    }
}

/// A count-min sketch of shingle document frequencies (saturating at 255).
struct Sketch(Vec<u8>);

const SKETCH_ROWS: usize = 4;
const SKETCH_WIDTH: usize = 1 << 20;

impl Sketch {
    fn new() -> Sketch {
        Sketch(vec![0; SKETCH_ROWS * SKETCH_WIDTH])
    }
    fn slot(row: usize, h: u64) -> usize {
        row * SKETCH_WIDTH + (mix(h ^ SEEDS[row]) as usize & (SKETCH_WIDTH - 1))
    }
    fn add(&mut self, h: u64) {
        for r in 0..SKETCH_ROWS {
            let s = Sketch::slot(r, h);
            self.0[s] = self.0[s].saturating_add(1);
        }
    }
    fn count(&self, h: u64) -> u8 {
        (0..SKETCH_ROWS)
            .map(|r| self.0[Sketch::slot(r, h)])
            .min()
            .unwrap_or(0)
    }
    fn merge(mut self, other: Sketch) -> Sketch {
        for (a, b) in self.0.iter_mut().zip(other.0) {
            *a = a.saturating_add(b);
        }
        self
    }
}

/// Hashes of the `k`-word shingles of `words`.
fn shingles(words: &[String], k: usize) -> impl Iterator<Item = u64> + '_ {
    words.windows(k.max(1)).map(|w| {
        w.iter()
            .fold(0x84222325cbf29ce4u64, |h, s| mix(h ^ fnv(s.as_bytes())))
    })
}

/// Lower-cased words of an article's body, punctuation dropped.
fn words(a: &Article) -> Vec<String> {
    a.blocks
        .iter()
        .flat_map(|b| {
            b.text
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(str::to_lowercase)
        })
        .collect()
}

/// MinHash signature of a set of shingle hashes (empty when there are too few to judge).
pub fn signature(shingles: impl Iterator<Item = u64>) -> Vec<u64> {
    let mut sig = vec![u64::MAX; HASHES];
    let mut n = 0;
    for base in shingles {
        n += 1;
        for (slot, seed) in sig.iter_mut().zip(SEEDS.iter()) {
            let h = mix(base ^ seed);
            if h < *slot {
                *slot = h;
            }
        }
    }
    if n < 5 { Vec::new() } else { sig }
}

/// Estimated Jaccard similarity: the share of equal signature slots.
pub fn similarity(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() || a.len() != b.len() {
        return 0.0;
    }
    a.iter().zip(b).filter(|(x, y)| x == y).count() as f64 / a.len() as f64
}

fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf29ce484222325u64, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x100000001b3)
    })
}

/// SplitMix64 finalizer: a cheap, well-mixed hash of a u64.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e3779b97f4a7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d049bb133111eb);
    z ^ (z >> 31)
}

const SEEDS: [u64; HASHES] = {
    let mut s = [0u64; HASHES];
    let mut i = 0;
    while i < HASHES {
        s[i] = (i as u64 + 1).wrapping_mul(0x9e3779b97f4a7c15);
        i += 1;
    }
    s
};

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Vec<String> {
        s.split_whitespace().map(|x| x.to_lowercase()).collect()
    }

    #[test]
    fn identical_texts_are_similar() {
        let a = signature(shingles(&w("one two three four five six seven eight"), 3));
        assert_eq!(similarity(&a, &a), 1.0);
    }

    #[test]
    fn unrelated_texts_are_not() {
        let a = w("rose released the soundtrack song for the american movie f1 starring brad pitt");
        let b = w(
            "billboard and kakao entertainment announced a partnership to promote korean music worldwide",
        );
        assert!(similarity(&signature(shingles(&a, 3)), &signature(shingles(&b, 3))) < 0.1);
    }
}
