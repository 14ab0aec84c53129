//! Near-duplicate stories: MinHash signatures of word shingles, banded into LSH buckets, so
//! only articles that share a bucket are compared (never all pairs). Two articles whose
//! estimated Jaccard similarity reaches the threshold are one story.
//!
//! Sentences repeated word for word across many articles (an outlet's standing lines, the
//! stock phrases of a genre) are left out first: they would make unrelated articles look
//! alike, and fill the buckets with pairs to compare.
use super::Article;
use crate::config::NearDuplicates;
use rayon::prelude::*;
use rustc_hash::FxHashSet;

const HASHES: usize = 96;
/// 48 bands of 2 rows: a pair at J=0.3 shares a band with p = 0.99, at J=0.05 with p = 0.11.
const ROWS: usize = 2;
/// Buckets larger than this hold shared boilerplate, not one story: skipped.
const MAX_BUCKET: usize = 64;

/// What the near-duplicate search did, for `kwiki build --timings` and the benchmark.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct DedupStats {
    /// Distinct sentences left out as boilerplate.
    pub common_sentences: usize,
    /// Distinct article pairs that shared a bucket and had their signatures compared.
    pub candidate_pairs: usize,
    /// Buckets skipped for holding more than `MAX_BUCKET` articles.
    pub skipped_buckets: usize,
    /// Pairs found to be near-duplicates.
    pub twin_pairs: usize,
}

/// Fill each article's `twins` with the ids of its near-duplicates.
pub fn link_twins(articles: &mut [Article], cfg: &NearDuplicates) -> DedupStats {
    let mut stats = DedupStats::default();
    // 1. sentences found in many articles. Each sentence's key is computed once here and
    //    reused below.
    let keys: Vec<Vec<u64>> = articles
        .par_iter()
        .map(|a| a.sentences().map(|(_, s)| sentence_key(s)).collect())
        .collect();
    let mut all: Vec<u64> = keys
        .par_iter()
        .flat_map_iter(|k| {
            let mut v = k.clone();
            v.sort_unstable();
            v.dedup();
            v
        })
        .collect();
    all.par_sort_unstable();
    let mut common: FxHashSet<u64> = FxHashSet::default();
    for run in all.chunk_by(|a, b| a == b) {
        if run.len() >= cfg.common_sentence.max(2) {
            common.insert(run[0]);
        }
    }
    drop(all);
    stats.common_sentences = common.len();
    // 2. signatures of what is left, made of the rarer shingles only: templated sentences
    //    that differ by a name still share most shingles, and say nothing about one story.
    //    Document frequencies are counted in a count-min sketch (fixed memory).
    let shingles_of = |i: usize| -> Vec<u64> {
        let mut words = Vec::new();
        for ((_, s), k) in articles[i].sentences().zip(&keys[i]) {
            if !common.contains(k) {
                words.extend(word_hashes(s));
            }
        }
        shingle_hashes(&words, cfg.shingle)
    };
    // one sketch per thread's share of the articles, not one per rayon split: each is 4 MiB
    let share = articles
        .len()
        .div_ceil(rayon::current_num_threads().max(1))
        .max(1);
    let df = (0..articles.len())
        .into_par_iter()
        .with_min_len(share)
        .fold(Sketch::new, |mut sk, i| {
            let mut seen = shingles_of(i);
            seen.sort_unstable();
            seen.dedup();
            for h in seen {
                sk.add(h);
            }
            sk
        })
        .reduce_with(Sketch::merge)
        .unwrap_or_else(Sketch::new);
    let rare = (articles.len() / 200).max(5) as u8;
    let sigs: Vec<Vec<u64>> = (0..articles.len())
        .into_par_iter()
        .map(|i| {
            let shingles: Vec<u64> = shingles_of(i)
                .into_iter()
                .filter(|&h| df.count(h) <= rare)
                .collect();
            minhash(&shingles)
        })
        .collect();
    drop(keys);
    // 3. LSH: per band, sort the (bucket key, article) pairs and pair up each run
    let bands = HASHES / ROWS;
    let per_band: Vec<(Vec<(u32, u32)>, usize)> = (0..bands)
        .into_par_iter()
        .map(|b| {
            let mut keys: Vec<(u64, u32)> = sigs
                .iter()
                .enumerate()
                .filter(|(_, sig)| !sig.is_empty())
                .map(|(i, sig)| {
                    let band = &sig[b * ROWS..(b + 1) * ROWS];
                    let key = band.iter().fold(0xcbf29ce484222325u64, |h, v| mix(h ^ v));
                    (key, i as u32)
                })
                .collect();
            keys.sort_unstable();
            let mut pairs = Vec::new();
            let mut skipped = 0;
            for run in keys.chunk_by(|x, y| x.0 == y.0) {
                if run.len() < 2 {
                    continue;
                }
                if run.len() > MAX_BUCKET {
                    skipped += 1;
                    continue;
                }
                for (x, &(_, i)) in run.iter().enumerate() {
                    for &(_, j) in &run[x + 1..] {
                        pairs.push((i.min(j), i.max(j)));
                    }
                }
            }
            (pairs, skipped)
        })
        .collect();
    let mut pairs: Vec<(u32, u32)> = Vec::new();
    for (p, skipped) in per_band {
        pairs.extend(p);
        stats.skipped_buckets += skipped;
    }
    pairs.par_sort_unstable();
    pairs.dedup();
    stats.candidate_pairs = pairs.len();
    let found: Vec<(u32, u32)> = pairs
        .into_par_iter()
        .filter(|&(i, j)| similarity(&sigs[i as usize], &sigs[j as usize]) >= cfg.threshold)
        .collect();
    stats.twin_pairs = found.len();
    let mut twins: Vec<Vec<usize>> = vec![Vec::new(); articles.len()];
    for (i, j) in found {
        twins[i as usize].push(j as usize);
        twins[j as usize].push(i as usize);
    }
    let ids: Vec<String> = articles.iter().map(|a| a.id.clone()).collect();
    for (a, t) in articles.iter_mut().zip(twins) {
        let mut t: Vec<String> = t.into_iter().map(|k| ids[k].clone()).collect();
        t.sort();
        a.twins = t;
    }
    stats
}

/// The hashes of the lower-cased words of `text`, punctuation dropped.
fn word_hashes(text: &str) -> impl Iterator<Item = u64> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut h = 0xcbf29ce484222325u64;
            let mut byte = |b: u8| h = (h ^ b as u64).wrapping_mul(0x100000001b3);
            if w.is_ascii() {
                // the same bytes as the general path: ASCII lower-cases to ASCII
                w.bytes().for_each(|b| byte(b.to_ascii_lowercase()));
            } else {
                for c in w.chars().flat_map(char::to_lowercase) {
                    let mut buf = [0u8; 4];
                    c.encode_utf8(&mut buf).bytes().for_each(&mut byte);
                }
            }
            h
        })
}

/// A sentence's words, as one hash: the same for the same words whatever the case and
/// punctuation.
fn sentence_key(s: &str) -> u64 {
    word_hashes(s).fold(0x9e3779b97f4a7c15u64, |h, w| mix(h ^ w))
}

/// MinHash signature of the article's word shingles (empty for very short texts).
pub fn signature(words: &[String], k: usize) -> Vec<u64> {
    let hashes: Vec<u64> = words.iter().flat_map(|w| word_hashes(w)).collect();
    minhash(&shingle_hashes(&hashes, k))
}

/// The hashes of the `k`-word shingles of a run of word hashes.
fn shingle_hashes(words: &[u64], k: usize) -> Vec<u64> {
    if words.len() < k.max(1) {
        return Vec::new();
    }
    words
        .windows(k.max(1))
        .map(|w| w.iter().fold(0x84222325cbf29ce4u64, |h, &s| mix(h ^ s)))
        .collect()
}

/// MinHash signature of a set of shingle hashes (empty when there are too few to judge).
fn minhash(shingles: &[u64]) -> Vec<u64> {
    if shingles.len() < 5 {
        return Vec::new();
    }
    let mut sig = vec![u64::MAX; HASHES];
    for &base in shingles {
        for (slot, seed) in sig.iter_mut().zip(SEEDS.iter()) {
            let h = mix(base ^ seed);
            if h < *slot {
                *slot = h;
            }
        }
    }
    sig
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

/// Estimated Jaccard similarity: the share of equal signature slots.
pub fn similarity(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() || a.len() != b.len() {
        return 0.0;
    }
    a.iter().zip(b).filter(|(x, y)| x == y).count() as f64 / a.len() as f64
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

    fn article(id: &str, sentences: &[String]) -> Article {
        let text = sentences.join(" ");
        Article {
            id: id.into(),
            path: format!("seeds/{id}.txt").into(),
            format: crate::ingest::Format::Text,
            title: id.into(),
            date: None,
            source: None,
            publisher: None,
            lang: "en".into(),
            blocks: vec![crate::ingest::Block {
                kind: crate::ingest::BlockKind::Paragraph,
                sentences: crate::ingest::segment::sentences(&text),
                text,
            }]
            .into(),
            markdown: None,
            twins: Vec::new(),
        }
    }

    /// A story's own sentence: words no other story uses.
    fn own(story: usize, k: usize) -> String {
        format!("Story{story} fact{k} about thing{story}x{k} and place{story}y{k} happened today.")
    }

    #[test]
    fn shared_stock_sentences_do_not_make_stories_twins() {
        // 30 different stories that share five stock sentences, and one retelling of story 0
        let stock: Vec<String> = (0..5)
            .map(|k| format!("The industry keeps growing worldwide as stock line number {k} says."))
            .collect();
        let mut articles: Vec<Article> = (0..30)
            .map(|i| {
                let mut s: Vec<String> = stock.clone();
                s.extend((0..4).map(|k| own(i, k)));
                article(&format!("a{i:02}"), &s)
            })
            .collect();
        let mut retold: Vec<String> = (0..4).map(|k| own(0, k)).collect();
        retold.push("A reporter added one more line here.".into());
        articles.push(article("z-retold", &retold));
        let cfg = NearDuplicates::default();
        let stats = link_twins(&mut articles, &cfg);
        assert_eq!(stats.common_sentences, 5, "{stats:?}");
        assert_eq!(articles[0].twins, vec!["z-retold".to_string()]);
        assert_eq!(articles[30].twins, vec!["a00".to_string()]);
        for a in &articles[1..30] {
            assert!(a.twins.is_empty(), "{} has twins {:?}", a.id, a.twins);
        }
        assert_eq!(stats.twin_pairs, 1);
        // with the stock sentences kept, their shingles are still too common to count: the
        // shingle filter alone keeps the stories apart
        let mut articles2: Vec<Article> = articles.clone();
        let loose = NearDuplicates {
            common_sentence: 1000,
            ..NearDuplicates::default()
        };
        let stats = link_twins(&mut articles2, &loose);
        assert_eq!(stats.common_sentences, 0);
        assert_eq!(stats.twin_pairs, 1, "{stats:?}");
    }

    #[test]
    fn identical_texts_are_similar() {
        let a = signature(&w("one two three four five six seven eight"), 3);
        assert_eq!(similarity(&a, &a), 1.0);
    }

    #[test]
    fn unrelated_texts_are_not() {
        let a = signature(
            &w("rose released the soundtrack song for the american movie f1 starring brad pitt"),
            3,
        );
        let b = signature(
            &w(
                "billboard and kakao entertainment announced a partnership to promote korean music worldwide",
            ),
            3,
        );
        assert!(similarity(&a, &b) < 0.1);
    }
}
