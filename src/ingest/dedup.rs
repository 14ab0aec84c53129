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
use rustc_hash::{FxHashMap, FxHashSet};

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
    let mut all: Vec<u64> = keys
        .par_iter()
        .flat_map_iter(|k| distinct(k.clone()))
        .collect();
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
            for h in distinct(shingles_of(i)) {
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
fn distinct(mut v: Vec<u64>) -> Vec<u64> {
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
                .map(|(i, sig)| (band_key(sig, b), i as u32))
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

/// The near-duplicate search with its per-article work kept between calls (for `kwiki
/// serve`, where one edited article must not cost a search over all of them).
///
/// The full build's state is kept and updated: how many articles hold each sentence (so the
/// common set), the count-min sketch as exact `u32` counters (read as min(255, n) they equal
/// the full build's saturating `u8` sketch, collisions included), per article its sentence
/// keys, shingles, which of them passed the rare filter and its signature, and the LSH
/// buckets with the candidate pairs they make.
#[derive(Default)]
pub struct DedupCache {
    /// Article id to its slot in `slots`.
    ids: FxHashMap<String, u32>,
    /// Per cached article, what was computed for it (`None`: a free slot).
    slots: Vec<Option<Entry>>,
    free: Vec<u32>,
    /// Counts the calls, to tell the entries seen in this one.
    call: u64,
    /// How many of the cached articles hold each sentence key (keys held by none removed).
    key_counts: FxHashMap<u64, u32>,
    /// How many keys are common (held by at least `common_min` articles).
    common_sentences: usize,
    /// The sketch's counters, `SKETCH_ROWS * SKETCH_WIDTH` of them (empty before first use).
    counters: Vec<u32>,
    /// One bit per counter: its count, as the `u8` sketch reads it, is at most `rare`.
    low: Vec<u64>,
    rare: u8,
    /// The settings the cached work was done with.
    common_min: usize,
    shingle: usize,
    /// Per LSH band, (bucket key, slot) of every non-empty signature, sorted.
    bands: Vec<Vec<(u64, u32)>>,
    /// The candidate pairs (slots, lower first): in how many bands they share a bucket of at
    /// most `MAX_BUCKET`, and their similarity.
    pairs: FxHashMap<(u32, u32), (u32, f64)>,
    /// Buckets of more than `MAX_BUCKET` signatures, over all bands.
    skipped: usize,
}

struct Entry {
    id: String,
    /// Whether `ids` leads here (not so for the second article of a repeated id).
    keyed: bool,
    /// The call that last saw the article.
    seen: u64,
    /// Hash of the article's text and sentence bounds: all the work below depends on.
    text: u128,
    /// The article's text as last seen: the same shared text next time has the same hash
    /// (held here, its address cannot be reused by another text).
    blocks: std::sync::Arc<[super::Block]>,
    keys: Vec<u64>,
    /// The shingles of the non-common sentences, in text order (repeats kept, as `minhash`
    /// counts them).
    shingles: Vec<u64>,
    /// One bit per shingle: it passed the rare filter.
    kept: Vec<u64>,
    sig: Vec<u64>,
}

impl DedupCache {
    /// The twins of each article (ids, sorted), exactly as `link_twins` would set them on the
    /// same articles, and the same stats. Work done for an article whose sentences did not
    /// change since the last call (same id, same sentence texts) is reused.
    pub fn twins(
        &mut self,
        articles: &[&Article],
        cfg: &NearDuplicates,
    ) -> (Vec<Vec<String>>, DedupStats) {
        if self.counters.is_empty() || cfg.shingle != self.shingle {
            // every shingle changes with the shingle length: start over
            *self = DedupCache {
                counters: vec![0; SKETCH_ROWS * SKETCH_WIDTH],
                low: vec![0; (SKETCH_ROWS * SKETCH_WIDTH).div_ceil(64)],
                common_min: common_threshold(cfg),
                shingle: cfg.shingle,
                bands: vec![Vec::new(); HASHES / ROWS],
                ..DedupCache::default()
            };
        }
        self.call += 1;
        let texts: Vec<u128> = articles
            .par_iter()
            .map(|a| {
                let last = self
                    .ids
                    .get(&a.id)
                    .and_then(|&s| self.slots[s as usize].as_ref());
                match last {
                    Some(e) if std::sync::Arc::ptr_eq(&e.blocks, &a.blocks) => e.text,
                    _ => text_hash(a),
                }
            })
            .collect();
        // 1. match the articles with the cached entries. Old versions of changed articles,
        //    and articles gone, are taken out of every count below.
        let mut gone: Vec<(u32, Entry)> = Vec::new();
        let mut at: Vec<u32> = Vec::with_capacity(articles.len());
        let mut fresh: Vec<(usize, bool)> = Vec::new();
        for (i, (a, &text)) in articles.iter().zip(&texts).enumerate() {
            let slot = self.ids.get(&a.id).copied();
            let claimed = slot
                .and_then(|s| self.slots[s as usize].as_mut())
                .filter(|e| e.seen != self.call);
            match (slot, claimed) {
                (Some(s), Some(e)) => {
                    e.seen = self.call;
                    e.blocks = a.blocks.clone();
                    if e.text != text {
                        if let Some(old) = self.slots[s as usize].take() {
                            gone.push((s, old));
                        }
                        fresh.push((i, true));
                    }
                    at.push(s);
                }
                _ => {
                    let s = self.free.pop().unwrap_or_else(|| {
                        self.slots.push(None);
                        (self.slots.len() - 1) as u32
                    });
                    // a repeated id: the first article keeps the key
                    let keyed = slot.is_none();
                    if keyed {
                        self.ids.insert(a.id.clone(), s);
                    }
                    fresh.push((i, keyed));
                    at.push(s);
                }
            }
        }
        for s in 0..self.slots.len() {
            if self.slots[s].as_ref().is_some_and(|e| e.seen != self.call)
                && let Some(e) = self.slots[s].take()
            {
                if e.keyed {
                    self.ids.remove(&e.id);
                }
                self.free.push(s as u32);
                gone.push((s as u32, e));
            }
        }
        let fresh_keys: Vec<Vec<u64>> = fresh
            .par_iter()
            .map(|&(i, _)| sentence_keys(articles[i]))
            .collect();
        // 2. sentence counts, and the keys whose common status flipped
        let mut before: FxHashMap<u64, u32> = FxHashMap::default();
        for (_, e) in &gone {
            for k in distinct(e.keys.clone()) {
                let c = self.key_counts.entry(k).or_insert(0);
                before.entry(k).or_insert(*c);
                *c -= 1;
                if *c == 0 {
                    self.key_counts.remove(&k);
                }
            }
        }
        for keys in &fresh_keys {
            for k in distinct(keys.clone()) {
                let c = self.key_counts.entry(k).or_insert(0);
                before.entry(k).or_insert(*c);
                *c += 1;
            }
        }
        let (was, now) = (self.common_min, common_threshold(cfg));
        let count = |k: &u64| self.key_counts.get(k).copied().unwrap_or(0);
        let mut flipped: FxHashSet<u64> = before
            .iter()
            .filter(|&(k, &b)| (b as usize >= was) != (count(k) as usize >= now))
            .map(|(&k, _)| k)
            .collect();
        if was != now {
            flipped.extend(
                self.key_counts
                    .iter()
                    .filter(|&(k, &c)| {
                        !before.contains_key(k) && ((c as usize >= was) != (c as usize >= now))
                    })
                    .map(|(&k, _)| k),
            );
        }
        for k in &flipped {
            if count(k) as usize >= now {
                self.common_sentences += 1;
            } else {
                self.common_sentences -= 1;
            }
        }
        self.common_min = now;
        // 3. shingles: of the new articles, and again of those holding a flipped sentence
        //    (still there, so their sentences stay counted)
        let mut redo: Vec<(usize, bool, Vec<u64>)> = fresh
            .into_iter()
            .zip(fresh_keys)
            .map(|((i, keyed), keys)| (i, keyed, keys))
            .collect();
        if !flipped.is_empty() {
            for (i, &s) in at.iter().enumerate() {
                let slot = &mut self.slots[s as usize];
                if slot
                    .as_ref()
                    .is_some_and(|e| e.keys.iter().any(|k| flipped.contains(k)))
                    && let Some(e) = slot.take()
                {
                    redo.push((i, e.keyed, e.keys.clone()));
                    gone.push((s, e));
                }
            }
        }
        let rare = rare_threshold(articles.len());
        // past a few hundred articles' worth of counters, recomputing every bit is cheaper
        let mut touched = Touched::new(self.rare != rare || redo.len() + gone.len() > 500);
        for (_, e) in &gone {
            self.count(&e.shingles, -1, &mut touched);
        }
        let key_counts = &self.key_counts;
        let is_common = |k: u64| key_counts.get(&k).is_some_and(|&c| c as usize >= now);
        let redone: Vec<(usize, Entry)> = redo
            .into_par_iter()
            .map(|(i, keyed, keys)| {
                let e = Entry {
                    id: articles[i].id.clone(),
                    keyed,
                    seen: self.call,
                    text: texts[i],
                    blocks: articles[i].blocks.clone(),
                    shingles: shingles(articles[i], &keys, is_common, cfg.shingle),
                    keys,
                    kept: Vec::new(),
                    sig: Vec::new(),
                };
                (i, e)
            })
            .collect();
        let mut dirty = vec![false; self.slots.len()];
        for (i, e) in redone {
            self.count(&e.shingles, 1, &mut touched);
            let s = at[i] as usize;
            self.slots[s] = Some(e);
            dirty[s] = true;
        }
        // 4. the rare filter, as the full build's sketch reads. A count shared through a
        //    collision may cross the threshold for any article: all are filtered again when
        //    any bit of `low` changed.
        self.rare = rare;
        let refilter = match touched.slots {
            None => {
                let low = self.rebuild_low();
                let changed = low != self.low;
                self.low = low;
                changed
            }
            Some(slots) => {
                // every bit set: no short-circuit
                let mut changed = false;
                for s in slots {
                    changed |= self.set_low(s);
                }
                changed
            }
        };
        let low = &self.low;
        let is_low = |s: usize| low[s / 64] >> (s % 64) & 1 == 1;
        // per slot: its signature changed (with the old one when it was in the buckets)
        let changed: Vec<(u32, Option<Vec<u64>>)> = self
            .slots
            .par_iter_mut()
            .zip(dirty)
            .enumerate()
            .filter_map(|(s, (e, dirty))| {
                let e = e.as_mut().filter(|_| dirty || refilter)?;
                let mut kept = vec![0u64; e.shingles.len().div_ceil(64)];
                for (n, &h) in e.shingles.iter().enumerate() {
                    if (0..SKETCH_ROWS).any(|r| is_low(Sketch::slot(r, h))) {
                        kept[n / 64] |= 1 << (n % 64);
                    }
                }
                if !dirty && kept == e.kept {
                    return None;
                }
                let shingles: Vec<u64> = e
                    .shingles
                    .iter()
                    .enumerate()
                    .filter(|(n, _)| kept[n / 64] >> (n % 64) & 1 == 1)
                    .map(|(_, &h)| h)
                    .collect();
                e.kept = kept;
                let sig = minhash(&shingles);
                if !dirty && sig == e.sig {
                    return None;
                }
                let old = std::mem::replace(&mut e.sig, sig);
                Some((s as u32, (!dirty).then_some(old)))
            })
            .collect();
        // 5. LSH buckets and candidate pairs: the changed signatures moved, or all redone
        let mut out: Vec<(u32, Vec<u64>)> = gone.into_iter().map(|(s, e)| (s, e.sig)).collect();
        out.extend(
            changed
                .iter()
                .filter_map(|(s, old)| Some((*s, old.clone()?))),
        );
        out.retain(|(_, sig)| !sig.is_empty());
        let into: Vec<u32> = changed.into_iter().map(|(s, _)| s).collect();
        if out.len() + into.len() > (articles.len() / 200).max(16) {
            self.rebuild_buckets();
        } else {
            for (s, sig) in out {
                self.leave(s, &sig);
            }
            for s in into {
                self.join(s);
            }
        }
        // 6. the twins, in the articles' order
        let mut index = vec![0usize; self.slots.len()];
        for (i, &s) in at.iter().enumerate() {
            index[s as usize] = i;
        }
        let mut twins: Vec<Vec<usize>> = vec![Vec::new(); articles.len()];
        let mut twin_pairs = 0;
        for (&(a, b), &(_, sim)) in &self.pairs {
            if sim >= cfg.threshold {
                let (i, j) = (index[a as usize], index[b as usize]);
                twins[i].push(j);
                twins[j].push(i);
                twin_pairs += 1;
            }
        }
        let stats = DedupStats {
            common_sentences: self.common_sentences,
            candidate_pairs: self.pairs.len(),
            skipped_buckets: self.skipped,
            twin_pairs,
        };
        (twin_ids(twins, |k| &articles[k].id), stats)
    }

    /// Add (`by` 1) or take away (-1) an article's distinct shingles in the counters.
    fn count(&mut self, shingles: &[u64], by: i32, touched: &mut Touched) {
        for h in distinct(shingles.to_vec()) {
            for r in 0..SKETCH_ROWS {
                let s = Sketch::slot(r, h);
                self.counters[s] = self.counters[s].wrapping_add_signed(by);
                if let Some(t) = &mut touched.slots {
                    t.push(s);
                }
            }
        }
    }

    /// Whether the counter at `s` reads, saturated at 255 as the `u8` sketch, at most `rare`.
    fn is_rare(&self, s: usize) -> bool {
        self.counters[s].min(u8::MAX as u32) <= self.rare as u32
    }

    /// Set the bit of `low` for counter `s`; whether it changed.
    fn set_low(&mut self, s: usize) -> bool {
        let bit = 1u64 << (s % 64);
        let old = self.low[s / 64];
        if self.is_rare(s) {
            self.low[s / 64] |= bit;
        } else {
            self.low[s / 64] &= !bit;
        }
        old != self.low[s / 64]
    }

    fn rebuild_low(&self) -> Vec<u64> {
        (0..self.counters.len().div_ceil(64))
            .into_par_iter()
            .map(|w| {
                let mut bits = 0u64;
                for b in 0..64 {
                    let s = w * 64 + b;
                    if s < self.counters.len() && self.is_rare(s) {
                        bits |= 1 << b;
                    }
                }
                bits
            })
            .collect()
    }

    fn sig(&self, s: u32) -> &[u64] {
        self.slots[s as usize].as_ref().map_or(&[], |e| &e.sig)
    }

    /// A pair now shares one more bucket (its similarity taken when it is new).
    fn pair_in(&mut self, a: u32, b: u32) {
        let key = (a.min(b), a.max(b));
        match self.pairs.get_mut(&key) {
            Some(p) => p.0 += 1,
            None => {
                let sim = similarity(self.sig(a), self.sig(b));
                self.pairs.insert(key, (1, sim));
            }
        }
    }

    /// A pair now shares one bucket less.
    fn pair_out(&mut self, a: u32, b: u32) {
        let key = (a.min(b), a.max(b));
        if let Some(p) = self.pairs.get_mut(&key) {
            p.0 -= 1;
            if p.0 == 0 {
                self.pairs.remove(&key);
            }
        }
    }

    /// Take slot `s`, whose signature was `sig`, out of the buckets.
    fn leave(&mut self, s: u32, sig: &[u64]) {
        for b in 0..self.bands.len() {
            let key = band_key(sig, b);
            let (lo, hi) = run(&self.bands[b], key);
            let members: Vec<u32> = self.bands[b][lo..hi]
                .iter()
                .map(|x| x.1)
                .filter(|&x| x != s)
                .collect();
            if hi - lo <= MAX_BUCKET {
                for &x in &members {
                    self.pair_out(s, x);
                }
            } else if hi - lo == MAX_BUCKET + 1 {
                // back to a bucket that counts
                self.skipped -= 1;
                for (n, &x) in members.iter().enumerate() {
                    for &y in &members[n + 1..] {
                        self.pair_in(x, y);
                    }
                }
            }
            if let Ok(p) = self.bands[b].binary_search(&(key, s)) {
                self.bands[b].remove(p);
            }
        }
    }

    /// Put slot `s`, with its current signature, into the buckets.
    fn join(&mut self, s: u32) {
        let sig = self.sig(s).to_vec();
        if sig.is_empty() {
            return;
        }
        for b in 0..self.bands.len() {
            let key = band_key(&sig, b);
            let (lo, hi) = run(&self.bands[b], key);
            let members: Vec<u32> = self.bands[b][lo..hi].iter().map(|x| x.1).collect();
            if members.len() < MAX_BUCKET {
                for &x in &members {
                    self.pair_in(s, x);
                }
            } else if members.len() == MAX_BUCKET {
                // too full from now on
                self.skipped += 1;
                for (n, &x) in members.iter().enumerate() {
                    for &y in &members[n + 1..] {
                        self.pair_out(x, y);
                    }
                }
            }
            let p = self.bands[b].partition_point(|x| *x < (key, s));
            self.bands[b].insert(p, (key, s));
        }
    }

    /// The buckets and pairs of all cached signatures, from scratch.
    fn rebuild_buckets(&mut self) {
        let slots = &self.slots;
        let bands: Vec<Vec<(u64, u32)>> = (0..HASHES / ROWS)
            .into_par_iter()
            .map(|b| {
                let mut keys: Vec<(u64, u32)> = slots
                    .iter()
                    .enumerate()
                    .filter_map(|(s, e)| {
                        let sig = &e.as_ref()?.sig;
                        (!sig.is_empty()).then(|| (band_key(sig, b), s as u32))
                    })
                    .collect();
                keys.sort_unstable();
                keys
            })
            .collect();
        let mut skipped = 0;
        let mut pairs: FxHashMap<(u32, u32), (u32, f64)> = FxHashMap::default();
        for band in &bands {
            for run in band.chunk_by(|x, y| x.0 == y.0) {
                if run.len() > MAX_BUCKET {
                    skipped += 1;
                    continue;
                }
                for (n, &(_, x)) in run.iter().enumerate() {
                    for &(_, y) in &run[n + 1..] {
                        pairs.entry((x.min(y), x.max(y))).or_insert((0, 0.0)).0 += 1;
                    }
                }
            }
        }
        for (&(a, b), p) in pairs.iter_mut() {
            p.1 = similarity(self.sig(a), self.sig(b));
        }
        self.bands = bands;
        self.pairs = pairs;
        self.skipped = skipped;
    }
}

/// The LSH bucket key of a signature in band `b`.
fn band_key(sig: &[u64], b: usize) -> u64 {
    sig[b * ROWS..(b + 1) * ROWS]
        .iter()
        .fold(0xcbf29ce484222325u64, |h, v| mix(h ^ v))
}

/// The range of a sorted band holding bucket `key`.
fn run(band: &[(u64, u32)], key: u64) -> (usize, usize) {
    let lo = band.partition_point(|x| x.0 < key);
    let hi = lo + band[lo..].partition_point(|x| x.0 == key);
    (lo, hi)
}

/// The sketch counters changed in one call, or `None` when so many changed (or the rare
/// threshold did) that every bit of `low` is computed again.
struct Touched {
    slots: Option<Vec<usize>>,
}

impl Touched {
    fn new(all: bool) -> Touched {
        Touched {
            slots: (!all).then(Vec::new),
        }
    }
}

/// A hash of an article's text and sentence bounds: equal for equal sentence texts (the
/// text between sentences counts too, which at worst redoes an article for nothing).
fn text_hash(a: &Article) -> u128 {
    let mut h = xxhash_rust::xxh3::Xxh3Default::new();
    for b in a.blocks.iter() {
        let bounds = b.sentences.iter().fold(b.text.len() as u64, |h, r| {
            mix(mix(h ^ r.start as u64) ^ r.end as u64)
        });
        h.update(&bounds.to_le_bytes());
        h.update(b.text.as_bytes());
    }
    h.digest128()
}

/// The document frequency at or below which a shingle counts (in `n` articles): 0.5% of the
/// articles, at least 5, at most what the `u8` sketch can tell apart: it saturates, so 255
/// means "255 or more", and a threshold of 255 would let the commonest shingles count.
fn rare_threshold(n: usize) -> u8 {
    (n / 200).clamp(5, u8::MAX as usize - 1) as u8
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

/// MinHash signature of a set of shingle hashes (empty when there are too few to judge), by
/// one-permutation hashing: each shingle is hashed once and lands in one of `HASHES` bins,
/// each bin keeping its least hash; empty bins then borrow a filled bin's value, picked by a
/// seeded sequence shared by all signatures (optimal densification, Shrivastava 2017). Equal
/// bins estimate the Jaccard similarity as `HASHES` independent hashes would, at one hash
/// per shingle instead of `HASHES`.
fn minhash(shingles: &[u64]) -> Vec<u64> {
    if shingles.len() < 5 {
        return Vec::new();
    }
    let mut bins = [u64::MAX; HASHES];
    for &base in shingles {
        let h = mix(base);
        let bin = bin_of(h);
        if h < bins[bin] {
            bins[bin] = h;
        }
    }
    (0..HASHES).map(|i| densified(&bins, i)).collect()
}

/// The bin of a hash: its high bits scaled to `HASHES`.
fn bin_of(h: u64) -> usize {
    ((h as u128 * HASHES as u128) >> 64) as usize
}

/// Bin `i`'s value, or for an empty bin the value of the first filled bin of the sequence
/// seeded by `i` (every signature follows the same sequence, so two sets agree on an empty
/// bin exactly as often as on a filled one).
fn densified(bins: &[u64; HASHES], i: usize) -> u64 {
    if bins[i] != u64::MAX {
        return bins[i];
    }
    let mut probe = SEEDS[i];
    // a set of 5 or more shingles fills a bin; the walk ends in a few steps on average
    for _ in 0..HASHES * 64 {
        probe = mix(probe);
        let v = bins[bin_of(probe)];
        if v != u64::MAX {
            return v;
        }
    }
    bins.iter()
        .copied()
        .find(|&v| v != u64::MAX)
        .unwrap_or(u64::MAX)
}

/// A count-min sketch of shingle document frequencies (saturating at 255).
struct Sketch(Vec<u8>);

const SKETCH_ROWS: usize = 4;
/// Narrow in tests, so that count-min collisions happen in small corpora and the incremental
/// path has to reproduce them.
const SKETCH_WIDTH: usize = if cfg!(test) { 1 << 10 } else { 1 << 20 };

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
            author: None,
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

    /// `DedupCache::twins` on `articles`, checked against a fresh `link_twins` on a copy.
    fn check(cache: &mut DedupCache, articles: &[Article], cfg: &NearDuplicates) -> DedupStats {
        let refs: Vec<&Article> = articles.iter().collect();
        let (twins, stats) = cache.twins(&refs, cfg);
        let mut full = articles.to_vec();
        let want = link_twins(&mut full, cfg);
        let want_twins: Vec<Vec<String>> = full.into_iter().map(|a| a.twins).collect();
        assert_eq!(stats, want, "stats");
        assert_eq!(twins, want_twins, "twins");
        stats
    }

    fn find(articles: &[Article], id: &str) -> usize {
        articles
            .iter()
            .position(|a| a.id == id)
            .expect("test article")
    }

    #[test]
    fn the_cache_gives_what_a_full_search_gives_through_edits() {
        let stock: Vec<String> = (0..3)
            .map(|k| format!("The industry keeps growing worldwide as stock line number {k} says."))
            .collect();
        let border = "Fans lined up outside the theater for hours before the premiere began.";
        let mut articles: Vec<Article> = (0..24)
            .map(|i| {
                let mut s: Vec<String> = (0..4).map(|k| own(i, k)).collect();
                if i < 10 {
                    s.extend(stock.iter().cloned());
                }
                if (10..13).contains(&i) {
                    s.insert(2, border.to_string());
                }
                article(&format!("a{i:02}"), &s)
            })
            .collect();
        let retold = |story: usize, id: &str| {
            let mut s: Vec<String> = (0..4).map(|k| own(story, k)).collect();
            s.push(format!("A reporter added one more line about {id} here."));
            article(id, &s)
        };
        articles.push(retold(0, "t00"));
        articles.push(retold(5, "t05"));
        articles.push(retold(11, "t11"));
        let sentences_of =
            |a: &Article| -> Vec<String> { a.sentences().map(|(_, s)| s.to_string()).collect() };
        let mut cfg = NearDuplicates {
            common_sentence: 4,
            ..NearDuplicates::default()
        };
        let mut cache = DedupCache::default();
        let cold = check(&mut cache, &articles, &cfg);
        assert_eq!(cold.common_sentences, 3, "{cold:?}");
        assert!(cold.twin_pairs >= 2, "{cold:?}");
        // a second call with nothing changed
        check(&mut cache, &articles, &cfg);
        // one article's text edited
        let i = find(&articles, "a03");
        articles[i] = article("a03", &[own(3, 0), own(3, 9), own(3, 2), own(3, 3)]);
        check(&mut cache, &articles, &cfg);
        // the border sentence reaches 4 articles: it turns common, and the shingles of the
        // three that held it already must leave it out
        let i = find(&articles, "a13");
        let mut s = sentences_of(&articles[i]);
        s.insert(1, border.to_string());
        articles[i] = article("a13", &s);
        let flipped = check(&mut cache, &articles, &cfg);
        assert_eq!(flipped.common_sentences, 4, "{flipped:?}");
        // two articles made twins
        let i = find(&articles, "a07");
        let mut s: Vec<String> = (0..4).map(|k| own(8, k)).collect();
        s.push("Another outlet told it again.".into());
        articles[i] = article("a07", &s);
        let twinned = check(&mut cache, &articles, &cfg);
        assert!(twinned.twin_pairs > flipped.twin_pairs, "{twinned:?}");
        // one removed, one added
        articles.remove(find(&articles, "t00"));
        check(&mut cache, &articles, &cfg);
        articles.push(retold(2, "n02"));
        check(&mut cache, &articles, &cfg);
        // the border sentence back to 3 articles: common no more
        let i = find(&articles, "a10");
        articles[i] = article("a10", &(0..4).map(|k| own(10, k)).collect::<Vec<_>>());
        let back = check(&mut cache, &articles, &cfg);
        assert_eq!(back.common_sentences, 3, "{back:?}");
        // the common threshold changed: the stock lines (10 articles) are kept, then the
        // border sentence (3) is left out as well
        cfg.common_sentence = 11;
        assert_eq!(check(&mut cache, &articles, &cfg).common_sentences, 0);
        cfg.common_sentence = 3;
        assert_eq!(check(&mut cache, &articles, &cfg).common_sentences, 4);
        // reordered; an edit and a removal in the same call
        articles.reverse();
        check(&mut cache, &articles, &cfg);
        let i = find(&articles, "a20");
        articles[i] = retold(20, "a20");
        articles.remove(find(&articles, "a12"));
        check(&mut cache, &articles, &cfg);
        // another shingle length, another threshold
        cfg.shingle = 2;
        check(&mut cache, &articles, &cfg);
        cfg.threshold = 0.6;
        check(&mut cache, &articles, &cfg);
        // a repeated id (assemble never passes one, but the result must not depend on it)
        articles.push(retold(3, "a05"));
        check(&mut cache, &articles, &cfg);
        articles.pop();
        check(&mut cache, &articles, &cfg);
    }

    #[test]
    fn the_cache_follows_the_rare_threshold_as_the_article_count_crosses_it() {
        // 1,199 articles: the threshold is 5; one more makes it 6. Six articles share a
        // story's sentences: their shingles count only from 1,200 articles on.
        let shared: Vec<String> = (0..4).map(|k| own(900, k)).collect();
        let mut articles: Vec<Article> = (0..1199)
            .map(|i| {
                if i < 6 {
                    let mut s = shared.clone();
                    s.push(own(i, 0));
                    article(&format!("s{i}"), &s)
                } else if i < 40 {
                    article(&format!("o{i:04}"), &[own(i, 0), own(i, 1)])
                } else {
                    article(&format!("f{i:04}"), &["Short one.".to_string()])
                }
            })
            .collect();
        let cfg = NearDuplicates::default();
        let mut cache = DedupCache::default();
        let five = check(&mut cache, &articles, &cfg);
        articles.push(article("f9999", &["Short two.".to_string()]));
        let six = check(&mut cache, &articles, &cfg);
        assert!(six.twin_pairs > five.twin_pairs, "{five:?} {six:?}");
        articles.pop();
        check(&mut cache, &articles, &cfg);
    }

    #[test]
    fn the_cache_follows_buckets_filling_past_the_limit_and_back() {
        // 13,200 articles make the rare threshold 66: a story told by 66 articles keeps its
        // shingles, and fills buckets past MAX_BUCKET (64), which are skipped
        let crowd = |i: usize| {
            // told word for word alike: every band holds the whole crowd in one bucket
            let s: Vec<String> = (0..5).map(|k| own(500, k)).collect();
            article(&format!("c{i:02}"), &s)
        };
        let mut articles: Vec<Article> = (0..66).map(crowd).collect();
        articles.extend((66..13_200).map(|i| article(&format!("f{i:05}"), &[])));
        let cfg = NearDuplicates {
            common_sentence: 100,
            ..NearDuplicates::default()
        };
        let mut cache = DedupCache::default();
        let full = check(&mut cache, &articles, &cfg);
        assert!(full.skipped_buckets > 0, "{full:?}");
        // 65 left in the crowd: still too many
        articles[0] = article("c00", &[own(700, 0), own(700, 1)]);
        assert_eq!(
            check(&mut cache, &articles, &cfg).skipped_buckets,
            full.skipped_buckets
        );
        // 64: the buckets count again
        articles[1] = article("c01", &[own(701, 0), own(701, 1)]);
        let fits = check(&mut cache, &articles, &cfg);
        assert_eq!(fits.skipped_buckets, 0, "{fits:?}");
        assert_eq!(fits.twin_pairs, 64 * 63 / 2, "{fits:?}");
        // and back past the limit, then out again by a removal
        articles[1] = crowd(1);
        check(&mut cache, &articles, &cfg);
        articles.remove(2);
        check(&mut cache, &articles, &cfg);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
        /// Random articles drawn from a small pool of sentences (so sentences are shared, turn
        /// common and back, and articles become near-duplicates), random edits in between.
        #[test]
        fn the_cache_matches_a_full_search_after_any_edits(
            start in proptest::collection::vec(proptest::collection::vec(0usize..40, 0..9), 1..25),
            ops in proptest::collection::vec(
                (0usize..6, 0usize..100, proptest::collection::vec(0usize..40, 0..9)),
                1..10,
            ),
        ) {
            let pool: Vec<String> = (0..40).map(|k| own(k % 13, k)).collect();
            let make = |id: String, picks: &[usize]| {
                let s: Vec<String> = picks.iter().map(|&p| pool[p].clone()).collect();
                article(&id, &s)
            };
            let mut articles: Vec<Article> = start
                .iter()
                .enumerate()
                .map(|(i, p)| make(format!("p{i}"), p))
                .collect();
            let mut cfg = NearDuplicates { common_sentence: 3, ..NearDuplicates::default() };
            let mut cache = DedupCache::default();
            check(&mut cache, &articles, &cfg);
            for (n, (op, at, picks)) in ops.into_iter().enumerate() {
                let i = at % articles.len().max(1);
                match op {
                    0 | 1 if !articles.is_empty() => {
                        let id = articles[i].id.clone();
                        articles[i] = make(id, &picks);
                    }
                    2 if articles.len() > 1 => {
                        articles.remove(i);
                    }
                    3 => articles.insert(i, make(format!("q{n}"), &picks)),
                    4 => cfg.common_sentence = 2 + at % 5,
                    _ => articles.rotate_left(i),
                }
                check(&mut cache, &articles, &cfg);
            }
        }
    }

    #[test]
    fn rare_threshold_saturates_instead_of_wrapping() {
        assert_eq!(rare_threshold(0), 5);
        assert_eq!(rare_threshold(10_000), 50);
        assert_eq!(rare_threshold(50_800), 254);
        // 256 as u8 would be 0: no shingle would count, and no article get a signature
        assert_eq!(rare_threshold(51_200), 254);
        assert_eq!(rare_threshold(100_000), 254);
    }

    #[test]
    fn a_shingle_in_every_article_is_never_rare() {
        // the sketch saturates at 255: a shingle seen 1,000 times must still be too common
        let mut sk = Sketch::new();
        for _ in 0..1000 {
            sk.add(42);
        }
        for n in [1_000, 50_000, 51_200, 100_000, 1_000_000] {
            assert!(sk.count(42) > rare_threshold(n), "{n} articles");
        }
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
