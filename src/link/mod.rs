//! Link: the one global step. Resolves the names each article found into one entity per
//! real-world thing, applies editor corrections, merges partnerships stated more than once,
//! assigns slugs, and computes members, backlinks and related entities. Output: `Wiki`.
pub mod corrections;
pub mod slug;
pub mod variants;

use crate::extract::names::{fold, key, korean_key};
use crate::extract::{Extraction, Kind, PartnershipKind, Subtype};
use crate::ingest::Article;
use corrections::{Corrections, LinkFix};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet, FxHasher};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// A real-world thing: an artist, film, label or song.
#[derive(Debug, Clone, Serialize)]
pub struct Entity {
    /// `kind/slug`, e.g. `artist/rose`.
    pub id: String,
    pub slug: String,
    pub name: String,
    pub kind: Kind,
    pub subtype: Option<Subtype>,
    pub aliases: Vec<String>,
    pub member_of: Vec<usize>,
    pub members: Vec<usize>,
    /// Where it is mentioned: one per article, with the first sentence that names it.
    pub mentions: Vec<Evidence>,
    pub partnerships: Vec<usize>,
    pub related: Vec<usize>,
    pub confidence: f32,
    pub cues: Vec<String>,
    /// Markdown written by an editor in the corrections file.
    pub description: Option<String>,
    pub links: Vec<LinkFix>,
}

impl Entity {
    /// The page URL relative to the site root, ending in `/`.
    pub fn url(&self) -> String {
        format!("{}/", self.id)
    }
}

/// A sentence of an article that states a fact.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    pub article: usize,
    /// Shared with the extraction it was found in, and between the entities and
    /// partnerships that cite it.
    pub sentence: Arc<str>,
}

/// Two or more parties working together, with the sentences that say so.
#[derive(Debug, Clone, Serialize)]
pub struct Partnership {
    pub id: String,
    pub kind: PartnershipKind,
    pub participants: Vec<usize>,
    pub via: Option<usize>,
    pub evidence: Vec<Evidence>,
    pub confidence: f32,
    pub cues: Vec<String>,
}

impl Partnership {
    pub fn url(&self) -> String {
        format!("partnership/{}/", self.id)
    }
}

/// The wiki model every page reads.
#[derive(Debug, Default)]
pub struct Wiki {
    pub articles: Vec<Article>,
    pub entities: Vec<Entity>,
    pub partnerships: Vec<Partnership>,
    /// Entities and partnerships each article names, by article index.
    pub article_entities: Vec<Vec<usize>>,
    pub article_partnerships: Vec<Vec<usize>>,
    /// Story id of each article: near-duplicate articles share one.
    pub story_of: Vec<usize>,
    /// Corrections that matched nothing, for `kwiki check`.
    pub stale_corrections: Vec<String>,
    /// Where each evidence sentence was taken from.
    pub sources: Sources,
}

/// Where each evidence sentence of a wiki was taken from, in its article's `Extraction`: what
/// `kwiki serve` needs to put an edited article's new sentences in place without linking
/// again, when the edit changed no name and no relation (see `serve::patch`).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Sources {
    /// Per entity, per mention: the index in `Extraction::found` of the name it came from.
    pub mentions: Vec<Vec<u32>>,
    /// Per partnership, per evidence: the index in `Extraction::relations` of the relation it
    /// came from (`None`: the sentence is an editor's, from the corrections file).
    pub evidence: Vec<Vec<Option<u32>>>,
}

impl Wiki {
    pub fn entity_index(&self) -> HashMap<String, usize> {
        self.entities
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.clone(), i))
            .collect()
    }
}

/// One entity as one article found it.
struct Rec<'a> {
    article: usize,
    /// The index of `found` in its extraction.
    index: usize,
    found: &'a crate::extract::Found,
}

struct UnionFind(Vec<usize>);

impl UnionFind {
    fn find(&mut self, mut x: usize) -> usize {
        while self.0[x] != x {
            self.0[x] = self.0[self.0[x]];
            x = self.0[x];
        }
        x
    }
    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            // the smaller index wins, so groups are deterministic
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.0[hi] = lo;
        }
    }
}

/// Build the wiki from the articles and what was extracted from each. Evidence shares the
/// extractions' sentences (`kwiki serve` keeps the extractions between rebuilds).
pub fn link(
    articles: Vec<Article>,
    extractions: Vec<Arc<Extraction>>,
    corrections: &Corrections,
    surnames: &HashSet<String>,
) -> Wiki {
    let recs: Vec<Rec> = extractions
        .iter()
        .enumerate()
        .flat_map(|(a, x)| {
            x.found.iter().enumerate().map(move |(index, f)| Rec {
                article: a,
                index,
                found: f,
            })
        })
        .collect();
    let mut uf = UnionFind((0..recs.len()).collect());
    // the same few thousand names recur in every article: fold each distinct one once
    let names = SurfaceKeys::of(&recs, surnames);

    // 1. the same name, or a spelling variant of it, of the same kind is one entity.
    //    Keys are interned ids, so this is array work; a run of equal keys is joined to its
    //    first record, as a map of first records did (a root is its group's smallest record
    //    whatever the order of the unions).
    let n_keys = names.n_keys;
    let mut first: Vec<u32> = vec![u32::MAX; Kind::ALL.len() * n_keys];
    for (i, r) in recs.iter().enumerate() {
        let kind = r.found.kind as usize;
        for &sid in names.surfaces_of(i) {
            let k = &names.folded[sid as usize];
            for kid in [k.key_id, k.name_key_id] {
                let slot = &mut first[kind * n_keys + kid as usize];
                if *slot == u32::MAX {
                    *slot = i as u32;
                } else {
                    uf.union(i, *slot as usize);
                }
            }
        }
    }
    // "Doja Cats" is "Doja Cat", "HBOs" is "HBO"
    for kind in 0..Kind::ALL.len() {
        for (kid, stem) in names.stem_of.iter().enumerate() {
            let Some(stem) = *stem else { continue };
            let (i, j) = (
                first[kind * n_keys + kid],
                first[kind * n_keys + stem as usize],
            );
            if i != u32::MAX && j != u32::MAX {
                uf.union(i as usize, j as usize);
            }
        }
    }
    drop(first);
    // "Nikaido Fumi" is "Fumi Nikaido": two-word names of people in either order
    let mut by_order: Vec<u32> = vec![u32::MAX; names.n_orders];
    for (i, r) in recs.iter().enumerate() {
        if r.found.kind != Kind::Artist || r.found.subtype == Some(Subtype::Group) {
            continue;
        }
        for &sid in names.surfaces_of(i) {
            let Some(o) = names.folded[sid as usize].order_id else {
                continue;
            };
            let slot = &mut by_order[o as usize];
            if *slot == u32::MAX {
                *slot = i as u32;
            } else {
                uf.union(i, *slot as usize);
            }
        }
    }
    drop(by_order);
    // 2. near-duplicate articles: an unmatched name in a sentence that translates another
    //    is the same thing as the unmatched name of that sentence ("Mission Impossible 8" /
    //    "Incessible mission 8")
    let starts = record_starts(&recs, extractions.len());
    align_twins(&articles, &extractions, &recs, &starts, &mut uf);

    // 3. groups -> entity drafts
    // a group's root is its smallest member, so groups come out in the order of their roots
    let mut groups: Vec<Vec<usize>> = vec![Vec::new(); recs.len()];
    for i in 0..recs.len() {
        let root = uf.find(i);
        groups[root].push(i);
    }
    let mut drafts: Vec<Draft> = groups
        .into_par_iter()
        .filter(|members| !members.is_empty())
        .map(|members| Draft::from_recs(&recs, members, &names))
        .collect();
    let stale = apply_entity_corrections(&mut drafts, corrections);
    drafts.retain(|d| !d.rejected);

    // 4. order and slugs
    let mut keyed: Vec<(String, Draft)> = drafts
        .into_par_iter()
        .map(|d| {
            let f = names
                .find(&d.name)
                .map_or_else(|| fold(&d.name), |k| k.fold.clone());
            (f, d)
        })
        .collect();
    keyed.sort_by(|(fa, a), (fb, b)| (a.kind, fa, &a.name).cmp(&(b.kind, fb, &b.name)));
    let drafts: Vec<Draft> = keyed.into_iter().map(|(_, d)| d).collect();
    // each name's slug, once: entity slugs and partnership ids are made of them
    let name_slugs: Vec<String> = drafts.par_iter().map(|d| slug::slugify(&d.name)).collect();
    let mut slugs: FxHashMap<Kind, slug::SlugSet> = FxHashMap::default();
    let mut entities: Vec<Entity> = Vec::with_capacity(drafts.len());
    let mut rec_entity: Vec<Option<usize>> = vec![None; recs.len()];
    let mut draft_recs: Vec<Vec<usize>> = Vec::with_capacity(drafts.len());
    for (ei, mut d) in drafts.into_iter().enumerate() {
        // `claim(name)` is `claim_exact(slugify(name))`: a slug is its own slug
        let slug = slugs
            .entry(d.kind)
            .or_default()
            .claim_exact(&name_slugs[ei]);
        for &r in &d.recs {
            rec_entity[r] = Some(ei);
        }
        draft_recs.push(std::mem::take(&mut d.recs));
        entities.push(Entity {
            id: format!("{}/{}", d.kind.as_str(), slug),
            slug,
            name: d.name,
            kind: d.kind,
            subtype: d.subtype,
            aliases: d.aliases,
            member_of: Vec::new(),
            members: Vec::new(),
            mentions: Vec::new(),
            partnerships: Vec::new(),
            related: Vec::new(),
            confidence: d.confidence,
            cues: d.cues,
            description: d.description,
            links: d.links,
        });
    }
    // per article: the entity of each name it used
    let by_name = ByName::new(&recs, &rec_entity, &starts);
    // 5. membership
    for (r, rec) in recs.iter().enumerate() {
        let Some(e) = rec_entity[r] else { continue };
        for g in &rec.found.member_of {
            if let Some(ge) = by_name.get(rec.article, g)
                && ge != e
                && entities[ge].kind == Kind::Artist
                && !entities[e].member_of.contains(&ge)
            {
                entities[e].member_of.push(ge);
                entities[ge].members.push(e);
                entities[ge].subtype = Some(Subtype::Group);
            }
        }
    }
    // 6. partnerships
    let mut stale = stale;
    // where each entity is mentioned: one per article, with the first sentence that names it
    let mentions = || -> Vec<Vec<EvidenceRef>> {
        draft_recs
            .par_iter()
            .map(|members| {
                let mut firsts: Vec<(usize, usize, usize)> = members
                    .iter()
                    .enumerate()
                    .map(|(pos, &r)| (recs[r].article, pos, r))
                    .collect();
                firsts.sort_unstable();
                firsts.dedup_by_key(|x| x.0);
                firsts
                    .into_iter()
                    .map(|(article, _, r)| EvidenceRef {
                        article,
                        from: Some(recs[r].index as u32),
                        sentence: recs[r]
                            .found
                            .sentences
                            .first()
                            .map_or_else(|| "".into(), |&s| extractions[article].sentence(s)),
                    })
                    .collect()
            })
            .collect()
    };
    // the mentions do not depend on the partnerships: both are made at once
    let (all_mentions, (mut partnerships, evidence)) = rayon::join(mentions, || {
        build_partnerships(
            &extractions,
            &by_name,
            &entities,
            &name_slugs,
            corrections,
            &mut stale,
        )
    });
    drop(draft_recs);
    // the sentences are shared with the extractions (`Arc<str>`): evidence costs no copy
    let mut sources = Sources::default();
    for (e, refs) in entities.iter_mut().zip(all_mentions) {
        sources
            .mentions
            .push(refs.iter().map(|r| r.from.unwrap_or(0)).collect());
        e.mentions = refs.into_iter().map(EvidenceRef::into_evidence).collect();
    }
    for (p, refs) in partnerships.iter_mut().zip(evidence) {
        sources.evidence.push(refs.iter().map(|r| r.from).collect());
        p.evidence = refs.into_iter().map(EvidenceRef::into_evidence).collect();
    }
    drop(recs);
    // freeing every extracted name is real work (seconds at 100,000 articles): both cores
    // share it here; on a thread of its own it slowed the render that runs on both cores
    extractions.into_par_iter().for_each(drop);
    for (pi, p) in partnerships.iter().enumerate() {
        for &e in &p.participants {
            entities[e].partnerships.push(pi);
        }
    }
    let n_articles = articles.len();
    let mut article_entities = vec![Vec::new(); n_articles];
    for (ei, e) in entities.iter().enumerate() {
        for m in &e.mentions {
            article_entities[m.article].push(ei);
        }
    }
    let mut article_partnerships = vec![Vec::new(); n_articles];
    for (pi, p) in partnerships.iter().enumerate() {
        for ev in &p.evidence {
            if !article_partnerships[ev.article].contains(&pi) {
                article_partnerships[ev.article].push(pi);
            }
        }
    }
    related(&mut entities, &partnerships, &article_entities);
    for e in &mut entities {
        e.members.sort();
        e.member_of.sort();
    }
    let story_of = stories(&articles);
    Wiki {
        articles,
        entities,
        partnerships,
        article_entities,
        article_partnerships,
        story_of,
        stale_corrections: stale,
        sources,
    }
}

/// The entity of each name an article used: an article names a dozen things, so a look
/// through its own records beats hashing every record's name.
struct ByName<'a> {
    recs: &'a [Rec<'a>],
    rec_entity: &'a [Option<usize>],
    /// See `record_starts`.
    starts: &'a [usize],
}

/// Where each article's records start in `recs` (which are in article order), and where the
/// last article's end: article `a`'s records are `starts[a]..starts[a + 1]`.
fn record_starts(recs: &[Rec], articles: usize) -> Vec<usize> {
    let mut starts = vec![0; articles + 1];
    for r in recs {
        starts[r.article + 1] += 1;
    }
    for a in 0..articles {
        starts[a + 1] += starts[a];
    }
    starts
}

impl<'a> ByName<'a> {
    fn new(
        recs: &'a [Rec<'a>],
        rec_entity: &'a [Option<usize>],
        starts: &'a [usize],
    ) -> ByName<'a> {
        ByName {
            recs,
            rec_entity,
            starts,
        }
    }

    /// The entity of the article's last record of that name that has one.
    fn get(&self, article: usize, name: &str) -> Option<usize> {
        (self.starts[article]..self.starts[article + 1])
            .rev()
            .find_map(|r| self.rec_entity[r].filter(|_| self.recs[r].found.name == name))
    }
}

/// An entity before it has a slug.
struct Draft {
    recs: Vec<usize>,
    name: String,
    kind: Kind,
    subtype: Option<Subtype>,
    aliases: Vec<String>,
    confidence: f32,
    cues: Vec<String>,
    rejected: bool,
    description: Option<String>,
    links: Vec<LinkFix>,
}

impl Draft {
    fn from_recs(recs: &[Rec], members: Vec<usize>, names: &SurfaceKeys) -> Draft {
        // surfaces by interned id, in order of first use, with their counts: ids compare
        // and copy cheaply, and only the name and aliases are copied out as strings
        let mut surfaces: Vec<(u32, usize)> = Vec::new();
        // per kind (in `Kind` order): seen, and the summed confidence
        let mut kind_weight = [(false, 0.0f32); Kind::ALL.len()];
        let mut subtypes = [0usize; SUBTYPES.len()];
        let mut miss = 1.0f32;
        let mut cues: Vec<String> = Vec::new();
        for &i in &members {
            let f = recs[i].found;
            let w = &mut kind_weight[f.kind as usize];
            w.0 = true;
            w.1 += f.confidence;
            if let Some(s) = f.subtype {
                subtypes[s as usize] += 1;
            }
            miss *= 1.0 - f.confidence.clamp(0.0, 0.99);
            for &sid in names.surfaces_of(i) {
                match surfaces.iter_mut().find(|(x, _)| *x == sid) {
                    Some((_, n)) => *n += 1,
                    None => surfaces.push((sid, 1)),
                }
            }
            for c in &f.cues {
                if !cues.contains(c) {
                    cues.push(c.clone());
                }
            }
        }
        let kind = Kind::ALL
            .iter()
            .zip(kind_weight)
            .filter(|(_, (seen, _))| *seen)
            .fold((Kind::Artist, -1.0f32), |acc, (k, (_, w))| {
                if w > acc.1 { (*k, w) } else { acc }
            })
            .0;
        let best = canonical_name(&surfaces, names);
        let name = best.map_or_else(String::new, |b| {
            names.strs[surfaces[b].0 as usize].to_string()
        });
        let aliases = surfaces
            .iter()
            .enumerate()
            .filter(|&(j, _)| Some(j) != best)
            .map(|(_, &(sid, _))| names.strs[sid as usize].to_string())
            .collect();
        let subtype = SUBTYPES
            .iter()
            .zip(subtypes)
            .filter(|(_, n)| *n > 0)
            .max_by_key(|(_, n)| *n)
            .map(|(s, _)| *s);
        Draft {
            recs: members,
            name,
            kind,
            subtype,
            aliases,
            confidence: ((1.0 - miss) * 100.0).round() / 100.0,
            cues,
            rejected: false,
            description: None,
            links: Vec::new(),
        }
    }

    fn names(&self) -> impl Iterator<Item = &String> {
        std::iter::once(&self.name).chain(&self.aliases)
    }

    fn answers_to(&self, name: &str) -> bool {
        let k = key(name);
        self.names().any(|n| key(n) == k)
    }
}

/// Every subtype, in `Subtype` order (`s as usize` indexes it).
const SUBTYPES: [Subtype; 3] = [Subtype::Person, Subtype::Group, Subtype::Show];

/// The proper form among the distinct surface forms (ids, with counts), as an index into
/// them: the one with diacritics or hyphens when another form folds to it ("Rosé" over
/// "Rose"), else the most used, then the longest.
fn canonical_name(surfaces: &[(u32, usize)], names: &SurfaceKeys) -> Option<usize> {
    struct Form {
        key_id: u32,
        richness: usize,
        garbled: bool,
        n: usize,
        chars: usize,
    }
    let keys: Vec<&str> = surfaces
        .iter()
        .map(|&(sid, _)| names.folded[sid as usize].key.as_str())
        .collect();
    // each form's measures once, not once per comparison
    let forms: Vec<Form> = surfaces
        .iter()
        .zip(&keys)
        .map(|(&(sid, n), k)| {
            let s = names.strs[sid as usize];
            Form {
                key_id: names.folded[sid as usize].key_id,
                richness: s.chars().filter(|c| !c.is_ascii() || *c == '-').count(),
                // "Doja Cats" is a possessive garble of "Doja Cat": never the name when both
                // are seen
                garbled: k.strip_suffix('s').is_some_and(|stem| keys.contains(&stem)),
                n,
                chars: s.chars().count(),
            }
        })
        .collect();
    forms
        .iter()
        .enumerate()
        .max_by(|(ia, a), (ib, b)| {
            let same = a.key_id == b.key_id;
            let ra = if same { a.richness } else { 0 };
            let rb = if same { b.richness } else { 0 };
            b.garbled
                .cmp(&a.garbled)
                .then(ra.cmp(&rb))
                .then(a.n.cmp(&b.n))
                .then(a.chars.cmp(&b.chars))
                .then(ib.cmp(ia))
        })
        .map(|(i, _)| i)
}

fn apply_entity_corrections(drafts: &mut Vec<Draft>, c: &Corrections) -> Vec<String> {
    let mut stale = Vec::new();
    for fix in &c.entities {
        let Some(i) = drafts.iter().position(|d| d.answers_to(&fix.name)) else {
            stale.push(format!("entity `{}` matches no entity", fix.name));
            continue;
        };
        for other in &fix.merge {
            match drafts.iter().position(|d| d.answers_to(other)) {
                Some(j) if j != i => {
                    let d = drafts.remove(j);
                    let i = if j < i { i - 1 } else { i };
                    let target = &mut drafts[i];
                    target.recs.extend(d.recs);
                    for n in std::iter::once(d.name).chain(d.aliases) {
                        if n != target.name && !target.aliases.contains(&n) {
                            target.aliases.push(n);
                        }
                    }
                }
                Some(_) => {}
                None => stale.push(format!(
                    "entity `{}`: merge `{other}` matches no entity",
                    fix.name
                )),
            }
        }
        let Some(i) = drafts.iter().position(|d| d.answers_to(&fix.name)) else {
            continue;
        };
        let d = &mut drafts[i];
        if let Some(k) = fix.kind.as_deref().and_then(Kind::parse) {
            d.kind = k;
            d.confidence = 1.0;
        }
        for a in &fix.aliases {
            if *a != d.name && !d.aliases.contains(a) {
                d.aliases.push(a.clone());
            }
        }
        d.rejected |= fix.reject;
        if fix.description.is_some() {
            d.description = fix.description.clone();
        }
        d.links.extend(fix.links.iter().cloned());
        d.cues.push("corrected by an editor".into());
    }
    stale
}

fn align_twins(
    articles: &[Article],
    extractions: &[Arc<Extraction>],
    recs: &[Rec],
    starts: &[usize],
    uf: &mut UnionFind,
) {
    let index: FxHashMap<&str, usize> = articles
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.as_str(), i))
        .collect();
    let words = |s: &str| -> HashSet<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.len() > 2)
            .map(str::to_lowercase)
            .collect()
    };
    // each sentence's words as a sorted set of hashes, once per article that has a twin
    let word_sets: Vec<Vec<Vec<u64>>> = articles
        .par_iter()
        .zip(extractions)
        .map(|(art, x)| {
            if art.twins.is_empty() {
                return Vec::new();
            }
            // extractions keep only the sentences they cite: all of them from the article,
            // numbered as the extraction read them (its title as read: a title told apart
            // from its twins' ("(version 2)") no longer repeats the first line, and would
            // count as a sentence of its own)
            let mut units = crate::extract::units(art);
            if units.len() == x.sentences.len() + 1 && units[0].heading {
                units.remove(0);
            }
            units.iter().map(|u| word_set(&u.text)).collect()
        })
        .collect();
    // twin pairs in article order, and each one's aligned sentences (in parallel: pure)
    let pairs: Vec<(usize, usize)> = articles
        .iter()
        .enumerate()
        .flat_map(|(a, art)| {
            art.twins
                .iter()
                .filter_map(|t| index.get(t.as_str()).copied())
                .filter(move |&b| b > a)
                .map(move |b| (a, b))
        })
        .collect();
    let aligned: Vec<Vec<(usize, usize)>> = pairs
        .par_iter()
        .map(|&(a, b)| best_matches(&word_sets[a], &word_sets[b]))
        .collect();
    // the merges, in order: each depends on the ones before
    let mut roots: Vec<usize> = Vec::new();
    for (&(a, b), sentences) in pairs.iter().zip(&aligned) {
        for &(i, j) in sentences {
            // the records naming something in each sentence; a kind with none on either
            // side merges nothing
            let in_sentence = |art: usize, sent: usize| -> Vec<usize> {
                (starts[art]..starts[art + 1])
                    .filter(|&r| recs[r].found.sentences.contains(&sent))
                    .collect()
            };
            let (ra_all, rb_all) = (in_sentence(a, i), in_sentence(b, j));
            if ra_all.is_empty() || rb_all.is_empty() {
                continue;
            }
            for kind in Kind::ALL {
                let of_kind = |rs: &[usize]| -> Vec<usize> {
                    rs.iter()
                        .copied()
                        .filter(|&r| recs[r].found.kind == kind)
                        .collect()
                };
                let (ra, rb) = (of_kind(&ra_all), of_kind(&rb_all));
                if ra.is_empty() || rb.is_empty() {
                    continue;
                }
                // the records of one side whose entity the other side does not have
                let mut only = |mine: &[usize], theirs: &[usize]| -> Vec<usize> {
                    roots.clear();
                    roots.extend(theirs.iter().map(|&r| uf.find(r)));
                    mine.iter()
                        .copied()
                        .filter(|&r| !roots.contains(&uf.find(r)))
                        .collect()
                };
                let only_a = only(&ra, &rb);
                let only_b = only(&rb, &ra);
                if let ([x], [y]) = (only_a.as_slice(), only_b.as_slice()) {
                    let (sx, sy) = (recs[*x].found.name.as_str(), recs[*y].found.name.as_str());
                    // the two forms must still share something: a word or a number
                    let share = words(sx).intersection(&words(sy)).count() > 0
                        || sx
                            .chars()
                            .filter(char::is_ascii_digit)
                            .eq(sy.chars().filter(char::is_ascii_digit))
                            && sx.chars().any(|c| c.is_ascii_digit());
                    if share {
                        uf.union(*x, *y);
                    }
                }
            }
        }
    }
}

/// For each sentence of one article (as word sets), the most similar sentence of its twin,
/// when they share at least 30% of their words: (sentence, twin's sentence). Ties go to the
/// twin's later sentence. Counted through the twin's words, not by comparing every pair.
fn best_matches(wa: &[Vec<u64>], wb: &[Vec<u64>]) -> Vec<(usize, usize)> {
    let mut holders: FxHashMap<u64, Vec<u32>> = FxHashMap::default();
    for (j, sb) in wb.iter().enumerate() {
        for &w in sb {
            holders.entry(w).or_default().push(j as u32);
        }
    }
    let mut shared = vec![0usize; wb.len()];
    let mut out = Vec::new();
    for (i, sa) in wa.iter().enumerate() {
        shared.iter_mut().for_each(|n| *n = 0);
        for w in sa {
            for &j in holders.get(w).map_or(&[][..], Vec::as_slice) {
                shared[j as usize] += 1;
            }
        }
        // the sentences sharing no word have similarity 0, below the bar
        let mut best: Option<(usize, f64)> = None;
        for (j, &both) in shared.iter().enumerate() {
            if both == 0 {
                continue;
            }
            let sim = similarity(sa.len(), wb[j].len(), both);
            if best.is_none_or(|(_, s)| sim >= s) {
                best = Some((j, sim));
            }
        }
        if let Some((j, sim)) = best
            && sim >= 0.3
        {
            out.push((i, j));
        }
    }
    out
}

/// The distinct words of more than two bytes of a sentence, lower-cased, as sorted hashes.
fn word_set(s: &str) -> Vec<u64> {
    use std::hash::BuildHasher;
    let state = rustc_hash::FxBuildHasher;
    let mut lower = String::new();
    let mut v: Vec<u64> = s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() > 2)
        .map(|w| {
            lower.clear();
            if w.is_ascii() {
                lower.push_str(w);
                lower.make_ascii_lowercase();
            } else {
                lower.push_str(&w.to_lowercase());
            }
            state.hash_one(lower.as_str())
        })
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Jaccard similarity of two sets of these sizes with `both` elements in common.
fn similarity(a: usize, b: usize, both: usize) -> f64 {
    let union = a + b - both;
    both as f64 / union.max(1) as f64
}

fn build_partnerships(
    xs: &[Arc<Extraction>],
    by_name: &ByName,
    entities: &[Entity],
    name_slugs: &[String],
    corrections: &Corrections,
    stale: &mut Vec<String>,
) -> (Vec<Partnership>, Vec<Vec<EvidenceRef>>) {
    struct P {
        kind: PartnershipKind,
        participants: Vec<usize>,
        via: Option<usize>,
        evidence: Vec<EvidenceRef>,
        confidence: f32,
        cues: Vec<String>,
    }
    // partnerships with the same participants and kind (casting and appearance count as one)
    // are one: found through this index, not by scanning them all
    type Key = (Vec<usize>, u8);
    let class = |k: PartnershipKind| match k {
        PartnershipKind::Appearance => PartnershipKind::Casting as u8,
        k => k as u8,
    };
    let reindex = |ps: &[P]| -> FxHashMap<Key, usize> {
        let mut index = FxHashMap::with_capacity_and_hasher(ps.len(), Default::default());
        for (i, p) in ps.iter().enumerate() {
            let mut set = p.participants.clone();
            set.sort();
            index.entry((set, class(p.kind))).or_insert(i);
        }
        index
    };
    // a group named beside its own member is not a second party ("BTS member V"); the
    // participants without them (in order, each once), and as a sorted set for the key
    let parties = |participants: Vec<usize>| -> Option<(Vec<usize>, Vec<usize>)> {
        let participants: Vec<usize> = participants
            .iter()
            .copied()
            .filter(|&g| {
                !participants
                    .iter()
                    .any(|&m| entities[m].member_of.contains(&g))
            })
            .collect();
        let mut set = participants.clone();
        set.sort();
        set.dedup();
        if set.len() < 2 {
            return None;
        }
        let mut seen = FxHashSet::default();
        let participants = participants
            .into_iter()
            .filter(|x| seen.insert(*x))
            .collect();
        Some((participants, set))
    };
    /// A relation (or an editor's addition) as a partnership claim: its parties resolved.
    struct Claim<'x> {
        kind: PartnershipKind,
        participants: Vec<usize>,
        set: Vec<usize>,
        via: Option<usize>,
        ev: Option<EvidenceRef>,
        conf: f32,
        cues: &'x [String],
    }
    let add = |ps: &mut Vec<P>, index: &mut FxHashMap<Key, usize>, f: Claim, in_order: bool| {
        let key = (f.set, class(f.kind));
        match index.get(&key).map(|&i| &mut ps[i]) {
            Some(p) => {
                // in article order, an article's evidence can only be the last one
                let known = |ev: &EvidenceRef| match in_order {
                    true => p.evidence.last().is_some_and(|e| e.article == ev.article),
                    false => p.evidence.iter().any(|e| e.article == ev.article),
                };
                if let Some(ev) = f.ev
                    && !known(&ev)
                {
                    p.evidence.push(ev);
                }
                p.via = p.via.or(f.via);
                p.confidence = p.confidence.max(f.conf);
                for c in f.cues {
                    if !p.cues.contains(c) {
                        p.cues.push(c.clone());
                    }
                }
            }
            None => {
                index.insert(key, ps.len());
                ps.push(P {
                    kind: f.kind,
                    participants: f.participants,
                    via: f.via,
                    evidence: f.ev.into_iter().collect(),
                    confidence: f.conf,
                    cues: f.cues.to_vec(),
                });
            }
        }
    };
    // each relation's parties resolved to entities (per article, in parallel), then merged
    // in article order
    let claims: Vec<Vec<Claim>> = xs
        .par_iter()
        .enumerate()
        .map(|(a, x)| {
            x.relations
                .iter()
                .enumerate()
                .filter_map(|(ri, r)| {
                    let parts: Option<Vec<usize>> =
                        r.participants.iter().map(|n| by_name.get(a, n)).collect();
                    let parts = parts?;
                    let via = r
                        .via
                        .as_deref()
                        .and_then(|v| by_name.get(a, v))
                        .filter(|v| !parts.contains(v));
                    let (participants, set) = parties(parts)?;
                    Some(Claim {
                        kind: r.kind,
                        participants,
                        set,
                        via,
                        ev: Some(EvidenceRef {
                            article: a,
                            from: Some(ri as u32),
                            sentence: x.sentence(r.sentence),
                        }),
                        conf: r.confidence,
                        cues: &r.cues,
                    })
                })
                .collect()
        })
        .collect();
    // the claims of one key all fall in one shard: each shard merges its own in order (the
    // shards in parallel), and the partnerships are put in the order of their first claim,
    // which is the order one merge of every claim in order gives
    const SHARDS: usize = 16;
    let mut shards: Vec<Vec<(usize, Claim)>> = (0..SHARDS).map(|_| Vec::new()).collect();
    for (i, f) in claims.into_iter().flatten().enumerate() {
        let mut h = FxHasher::default();
        f.set.hash(&mut h);
        shards[h.finish() as usize % SHARDS].push((i, f));
    }
    let mut merged: Vec<(usize, P)> = shards
        .into_par_iter()
        .flat_map_iter(|shard| {
            let (mut ps, mut firsts) = (Vec::new(), Vec::new());
            let mut index = FxHashMap::default();
            for (i, f) in shard {
                let known = ps.len();
                add(&mut ps, &mut index, f, true);
                if ps.len() > known {
                    firsts.push(i);
                }
            }
            firsts.into_iter().zip(ps)
        })
        .collect();
    merged.sort_unstable_by_key(|(i, _)| *i);
    let mut ps: Vec<P> = merged.into_iter().map(|(_, p)| p).collect();
    // found by key again only for an editor's additions
    let mut index: FxHashMap<Key, usize> = match corrections.partnerships.add.is_empty() {
        true => FxHashMap::default(),
        false => reindex(&ps),
    };
    // editor corrections
    let find = |entities: &[Entity], name: &str| {
        let k = key(name);
        entities
            .iter()
            .position(|e| key(&e.name) == k || e.aliases.iter().any(|x| key(x) == k))
    };
    for rm in &corrections.partnerships.remove {
        let ids: Option<Vec<usize>> = rm.participants.iter().map(|n| find(entities, n)).collect();
        let Some(mut ids) = ids else {
            stale.push(format!(
                "partnership removal {:?} names an unknown entity",
                rm.participants
            ));
            continue;
        };
        ids.sort();
        let before = ps.len();
        ps.retain(|p| {
            let mut s = p.participants.clone();
            s.sort();
            !(s == ids && rm.kind.as_deref().is_none_or(|k| k == p.kind.as_str()))
        });
        if ps.len() == before {
            stale.push(format!(
                "partnership removal {:?} matches no partnership",
                rm.participants
            ));
        } else {
            index = reindex(&ps);
        }
    }
    for ad in &corrections.partnerships.add {
        let ids: Option<Vec<usize>> = ad.participants.iter().map(|n| find(entities, n)).collect();
        let Some(ids) = ids else {
            stale.push(format!(
                "partnership addition {:?} names an unknown entity",
                ad.participants
            ));
            continue;
        };
        let kind = PartnershipKind::parse(&ad.kind).unwrap_or(PartnershipKind::Other);
        let via = ad.via.as_deref().and_then(|v| find(entities, v));
        let ev = ad
            .article
            .as_ref()
            .and_then(|id| xs.iter().position(|x| &x.article == id))
            .map(|a| EvidenceRef {
                article: a,
                from: None,
                sentence: ad.sentence.as_deref().unwrap_or_default().into(),
            });
        let Some((participants, set)) = parties(ids) else {
            continue;
        };
        let cues = ["added by an editor".to_string()];
        let f = Claim {
            kind,
            participants,
            set,
            via,
            ev,
            conf: 1.0,
            cues: &cues,
        };
        add(&mut ps, &mut index, f, false);
    }
    // ids from the participants' names; order by id
    let mut out: Vec<(Partnership, Vec<EvidenceRef>)> = ps
        .into_par_iter()
        .map(|p| {
            let base = p
                .participants
                .iter()
                .map(|&e| name_slugs[e].as_str())
                .collect::<Vec<_>>()
                .join("-x-");
            let partnership = Partnership {
                id: base,
                kind: p.kind,
                participants: p.participants,
                via: p.via,
                evidence: Vec::new(),
                confidence: p.confidence,
                cues: p.cues,
            };
            (partnership, p.evidence)
        })
        .collect();
    out.par_sort_by(|(a, _), (b, _)| (&a.id, a.kind).cmp(&(&b.id, b.kind)));
    // `claim(id)` is `claim_exact(slugify(id))`; the slugs are made in parallel
    let slugs: Vec<String> = out.par_iter().map(|(p, _)| slug::slugify(&p.id)).collect();
    let mut ids = slug::SlugSet::default();
    for ((p, _), s) in out.iter_mut().zip(slugs) {
        p.id = ids.claim_exact(&s);
    }
    out.into_iter().unzip()
}

/// Evidence while linking: the sentence, and where it was found.
struct EvidenceRef {
    article: usize,
    /// The found name or relation it came from (see `Sources`).
    from: Option<u32>,
    sentence: Arc<str>,
}

impl EvidenceRef {
    fn into_evidence(self) -> Evidence {
        Evidence {
            article: self.article,
            sentence: self.sentence,
        }
    }
}

/// Related entities: partners first, then those named in the same articles.
fn related(entities: &mut [Entity], ps: &[Partnership], article_entities: &[Vec<usize>]) {
    let n = entities.len();
    // each entity's scores are summed on its own (in parallel, in a dense scratch array);
    // the scores are small whole numbers, so the order of the sums does not matter
    let mut via_of: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (pi, p) in ps.iter().enumerate() {
        if let Some(v) = p.via {
            via_of[v].push(pi);
        }
    }
    let related: Vec<Vec<usize>> = (0..n)
        .into_par_iter()
        .map_init(
            || (vec![0f32; n], Vec::new()),
            |(score, touched), x| {
                let mut add = |b: usize, w: f32| {
                    if score[b] == 0.0 {
                        touched.push(b);
                    }
                    score[b] += w;
                };
                let e = &entities[x];
                for &pi in &e.partnerships {
                    let p = &ps[pi];
                    for &b in &p.participants {
                        if b != x {
                            add(b, 3.0);
                        }
                    }
                    if let Some(v) = p.via {
                        add(v, 2.0);
                    }
                }
                for &pi in &via_of[x] {
                    for &a in &ps[pi].participants {
                        add(a, 2.0);
                    }
                }
                for m in &e.mentions {
                    let ents = &article_entities[m.article];
                    if ents.len() > 40 {
                        continue;
                    }
                    for &b in ents {
                        if b != x {
                            add(b, 1.0);
                        }
                    }
                }
                let mut v: Vec<(usize, f32)> = touched.drain(..).map(|b| (b, score[b])).collect();
                for &(b, _) in &v {
                    score[b] = 0.0;
                }
                // a total order (entities are distinct): select the best 8, then sort only them
                let order =
                    |x: &(usize, f32), y: &(usize, f32)| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0));
                if v.len() > 8 {
                    v.select_nth_unstable_by(7, order);
                    v.truncate(8);
                }
                v.sort_by(order);
                v.into_iter().map(|(e, _)| e).collect()
            },
        )
        .collect();
    for (e, r) in entities.iter_mut().zip(related) {
        e.related = r;
    }
}

/// Story ids: articles joined by near-duplicate links share the smallest index among them.
fn stories(articles: &[Article]) -> Vec<usize> {
    let index: FxHashMap<&str, usize> = articles
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.as_str(), i))
        .collect();
    let mut uf = UnionFind((0..articles.len()).collect());
    for (i, a) in articles.iter().enumerate() {
        for t in &a.twins {
            if let Some(&j) = index.get(t.as_str()) {
                uf.union(i, j);
            }
        }
    }
    (0..articles.len()).map(|i| uf.find(i)).collect()
}

/// The folded forms of every distinct surface form, computed once, with their keys interned:
/// the unions compare integers, not strings.
struct SurfaceKeys<'a> {
    /// The index of each distinct surface in `folded`.
    ids: FxHashMap<&'a str, u32>,
    /// The distinct surfaces, by id.
    strs: Vec<&'a str>,
    folded: Vec<Folded>,
    /// The surfaces of every record, as ids, one record after another (see `starts`).
    rec_surfaces: Vec<u32>,
    starts: Vec<u32>,
    /// The number of distinct `key`s and `name_key`s.
    n_keys: usize,
    /// Per key id: the id of the key without its final `s` (keys of more than 3 bytes).
    stem_of: Vec<Option<u32>>,
    /// The number of distinct two-word orders (see `Folded::order_id`).
    n_orders: usize,
}

struct Folded {
    /// `names::fold`.
    fold: String,
    /// `names::key`: the fold without spaces.
    key: String,
    /// The Korean-name key, or `key`.
    name_key: String,
    key_id: u32,
    name_key_id: u32,
    /// The id of the fold's two words in sorted order, when it has exactly two.
    order_id: Option<u32>,
}

impl<'a> SurfaceKeys<'a> {
    fn of(recs: &[Rec<'a>], surnames: &HashSet<String>) -> SurfaceKeys<'a> {
        // each surface of each record is hashed once, here, to its distinct surface's id
        let mut ids: FxHashMap<&'a str, u32> = FxHashMap::default();
        let mut distinct: Vec<&'a str> = Vec::new();
        let mut rec_surfaces: Vec<u32> = Vec::new();
        let mut starts: Vec<u32> = Vec::with_capacity(recs.len() + 1);
        for r in recs {
            starts.push(rec_surfaces.len() as u32);
            for s in &r.found.surfaces {
                let id = *ids.entry(s.as_str()).or_insert_with(|| {
                    distinct.push(s.as_str());
                    (distinct.len() - 1) as u32
                });
                rec_surfaces.push(id);
            }
        }
        starts.push(rec_surfaces.len() as u32);
        let mut folded: Vec<Folded> = distinct
            .par_iter()
            .map(|&s| {
                let fold = fold(s);
                // `key` is `fold` without its spaces
                let key = fold.replace(' ', "");
                let name_key = korean_key(s, surnames).unwrap_or_else(|| key.clone());
                Folded {
                    fold,
                    key,
                    name_key,
                    key_id: 0,
                    name_key_id: 0,
                    order_id: None,
                }
            })
            .collect();
        // intern the keys and orders (ids only ever compared for equality)
        let mut key_ids: FxHashMap<String, u32> = FxHashMap::default();
        let mut order_ids: FxHashMap<String, u32> = FxHashMap::default();
        let intern = |m: &mut FxHashMap<String, u32>, k: &str| -> u32 {
            if let Some(&id) = m.get(k) {
                return id;
            }
            let id = m.len() as u32;
            m.insert(k.to_string(), id);
            id
        };
        for f in &mut folded {
            f.key_id = intern(&mut key_ids, &f.key);
            f.name_key_id = intern(&mut key_ids, &f.name_key);
            let mut words: Vec<&str> = f.fold.split(' ').collect();
            if words.len() == 2 {
                words.sort();
                f.order_id = Some(intern(&mut order_ids, &words.join(" ")));
            }
        }
        let mut stem_of: Vec<Option<u32>> = vec![None; key_ids.len()];
        for (k, &id) in &key_ids {
            if k.len() > 3
                && let Some(stem) = k.strip_suffix('s')
            {
                stem_of[id as usize] = key_ids.get(stem).copied();
            }
        }
        SurfaceKeys {
            ids,
            strs: distinct,
            folded,
            rec_surfaces,
            starts,
            n_keys: key_ids.len(),
            stem_of,
            n_orders: order_ids.len(),
        }
    }

    /// The surfaces of record `r`, as ids.
    fn surfaces_of(&self, r: usize) -> &[u32] {
        &self.rec_surfaces[self.starts[r] as usize..self.starts[r + 1] as usize]
    }

    fn find(&self, s: &str) -> Option<&Folded> {
        self.ids.get(s).map(|&i| &self.folded[i as usize])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Jaccard similarity of two sorted sets.
    fn jaccard(a: &[u64], b: &[u64]) -> f64 {
        let (mut i, mut j, mut both) = (0, 0, 0);
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    both += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        similarity(a.len(), b.len(), both)
    }

    proptest::proptest! {
        /// The counted search finds what comparing every pair of sentences finds: the most
        /// similar, the later one on a tie, at 30% or more.
        #[test]
        fn best_matches_are_those_of_every_pair(
            wa in proptest::collection::vec(proptest::collection::btree_set(0u64..12, 0..6), 0..6),
            wb in proptest::collection::vec(proptest::collection::btree_set(0u64..12, 0..6), 0..6),
        ) {
            let wa: Vec<Vec<u64>> = wa.into_iter().map(|s| s.into_iter().collect()).collect();
            let wb: Vec<Vec<u64>> = wb.into_iter().map(|s| s.into_iter().collect()).collect();
            let every_pair: Vec<(usize, usize)> = wa
                .iter()
                .enumerate()
                .filter_map(|(i, sa)| {
                    let (j, sim) = wb
                        .iter()
                        .enumerate()
                        .map(|(j, sb)| (j, jaccard(sa, sb)))
                        .max_by(|x, y| x.1.total_cmp(&y.1))?;
                    (sim >= 0.3).then_some((i, j))
                })
                .collect();
            proptest::prop_assert_eq!(best_matches(&wa, &wb), every_pair);
        }
    }

    #[test]
    fn word_sets_fold_case() {
        assert_eq!(word_set("Rosé, ROSÉ; BTS bts!"), word_set("rosé bts"));
        // words of one or two bytes do not count
        assert_eq!(word_set("a an of"), Vec::<u64>::new());
    }
}
