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
    let keys: Vec<Vec<u64>> = articles.par_iter().map(sentence_keys).collect();
    let mut all: Vec<u64> = keys.par_iter().flat_map_iter(|k| distinct(k)).collect();
    all.par_sort_unstable();
    let mut common: FxHashSet<u64> = FxHashSet::default();
    for run in all.chunk_by(|a, b| a == b) {
        if run.len() >= common_threshold(cfg) {
            common.insert(run[0]);
        }
    }
    drop(all);
    stats.common_sentences = common.len();
    // 2. signatures of what is left, made of the rarer shingles only: templated sentences
    //    that differ by a name still share most shingles, and say nothing about one story.
    //    Document frequencies are counted in a count-min sketch (fixed memory). The shingles
    //    are computed twice rather than kept: at 100,000 articles they would take GiBs.
    let is_common = |k: u64| common.contains(&k);
    let shingles_of = |i: usize| shingles(&articles[i], &keys[i], is_common, cfg.shingle);
    // one sketch per thread's share of the articles, not one per rayon split: each is 4 MiB
    let share = articles
        .len()
        .div_ceil(rayon::current_num_threads().max(1))
        .max(1);
    let df = (0..articles.len())
        .into_par_iter()
        .with_min_len(share)
        .fold(Sketch::new, |mut sk, i| {
            for h in distinct(&shingles_of(i)) {
                sk.add(h);
            }
            sk
        })
        .reduce_with(Sketch::merge)
        .unwrap_or_else(Sketch::new);
    let rare = rare_threshold(articles.len());
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
    // 3. LSH buckets, and the comparisons
    let twins = compare(&sigs, cfg.threshold, &mut stats);
    let ids: Vec<String> = articles.iter().map(|a| a.id.clone()).collect();
    for (a, t) in articles.iter_mut().zip(twin_ids(twins, |k| &ids[k])) {
        a.twins = t;
    }
    stats
}

/// The keys of an article's sentences, in order.
fn sentence_keys(a: &Article) -> Vec<u64> {
    a.sentences().map(|(_, s)| sentence_key(s)).collect()
}

/// The values of `v`, sorted, each once.
fn distinct(v: &[u64]) -> Vec<u64> {
    let mut v = v.to_vec();
    v.sort_unstable();
    v.dedup();
    v
}

/// In how many articles a sentence must be found to be left out as boilerplate.
fn common_threshold(cfg: &NearDuplicates) -> usize {
    cfg.common_sentence.max(2)
}

/// The `k`-word shingles of an article's sentences that are not common (`keys`: the
/// sentences' keys). The words run on across sentences, as in the text.
fn shingles(a: &Article, keys: &[u64], is_common: impl Fn(u64) -> bool, k: usize) -> Vec<u64> {
    let mut words = Vec::new();
    for ((_, s), &key) in a.sentences().zip(keys) {
        if !is_common(key) {
            words.extend(word_hashes(s));
        }
    }
    shingle_hashes(&words, k)
}

/// LSH over the signatures: per band, sort the (bucket key, article) pairs and pair up each
/// run; the pairs found similar enough are twins. Returns each article's twins (indices,
/// unsorted) and fills in the pair counts of `stats`.
fn compare<S: AsRef<[u64]> + Sync>(
    sigs: &[S],
    threshold: f64,
    stats: &mut DedupStats,
) -> Vec<Vec<usize>> {
    let bands = HASHES / ROWS;
    let per_band: Vec<(Vec<(u32, u32)>, usize)> = (0..bands)
        .into_par_iter()
        .map(|b| {
            let mut keys: Vec<(u64, u32)> = sigs
                .iter()
                .map(AsRef::as_ref)
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
        .filter(|&(i, j)| {
            similarity(sigs[i as usize].as_ref(), sigs[j as usize].as_ref()) >= threshold
        })
        .collect();
    stats.twin_pairs = found.len();
    let mut twins: Vec<Vec<usize>> = vec![Vec::new(); sigs.len()];
    for (i, j) in found {
        twins[i as usize].push(j as usize);
        twins[j as usize].push(i as usize);
    }
    twins
}

/// Each article's twins as sorted ids.
fn twin_ids<'a>(twins: Vec<Vec<usize>>, id: impl Fn(usize) -> &'a str) -> Vec<Vec<String>> {
    twins
        .into_iter()
        .map(|t| {
            let mut t: Vec<String> = t.into_iter().map(|k| id(k).to_string()).collect();
            t.sort();
            t
        })
        .collect()
}

/// The document frequency at or below which a shingle counts (in `n` articles): 0.5% of the
/// articles, at least 5, at most what the `u8` sketch can tell apart.
fn rare_threshold(n: usize) -> u8 {
    (n / 200).clamp(5, u8::MAX as usize) as u8
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
            }],
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
    fn rare_threshold_saturates_instead_of_wrapping() {
        assert_eq!(rare_threshold(0), 5);
        assert_eq!(rare_threshold(10_000), 50);
        assert_eq!(rare_threshold(51_000), 255);
        // 256 as u8 would be 0: no shingle would count, and no article get a signature
        assert_eq!(rare_threshold(51_200), 255);
        assert_eq!(rare_threshold(100_000), 255);
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
