//! Which pages an edit changed: the old and the new wiki are compared thing by thing (by id,
//! with every index turned into the id it points at, so an entity added before another does
//! not make the other look changed), and a changed thing's page is rendered again with the
//! pages that show it: its neighbours' pages (names, links, graph degrees), the partnerships
//! it takes part in, the articles that mention it.
//!
//! Pages that list everything (home, indexes, timeline, search, sitemap, feed, API, alias
//! redirects) are not in the answer: the caller renders them after the pages here.
use crate::ingest::Article;
use crate::link::Wiki;
use crate::render::Selection;
use rayon::prelude::*;
use rustc_hash::{FxBuildHasher, FxHashMap, FxHashSet, FxHasher};
use std::hash::{BuildHasher, Hash, Hasher};

/// The pages to render again in `new` after an edit that turned `old` into `new`, and the
/// paths of pages that are gone (relative to the site root, as `Page::path`).
#[derive(Debug, Default, PartialEq)]
pub struct Changes {
    pub selection: Selection,
    pub removed: Vec<String>,
}

/// Fingerprints of every entity, partnership and article of a wiki, by index: owned, so the
/// server keeps those of its current wiki for the next edit's comparison.
#[derive(Debug, Clone, Default)]
pub struct Fingerprints {
    entities: Vec<u64>,
    partnerships: Vec<u64>,
    /// Per article: its fingerprint, and that of what other pages show of it.
    articles: Vec<(u64, u64)>,
}

/// Fingerprints of every entity, partnership and article of a wiki, by id.
struct Prints<'a> {
    entities: FxHashMap<&'a str, (usize, u64)>,
    partnerships: FxHashMap<&'a str, (usize, u64)>,
    /// Per article: index, fingerprint, and the fingerprint of what other pages show of it.
    articles: FxHashMap<&'a str, (usize, u64, u64)>,
}

fn prints<'a>(w: &'a Wiki, f: &Fingerprints) -> Prints<'a> {
    Prints {
        entities: (w.entities.iter().zip(&f.entities).enumerate())
            .map(|(i, (e, &fp))| (e.id.as_str(), (i, fp)))
            .collect(),
        partnerships: (w.partnerships.iter().zip(&f.partnerships).enumerate())
            .map(|(i, (p, &fp))| (p.id.as_str(), (i, fp)))
            .collect(),
        articles: (w.articles.iter().zip(&f.articles).enumerate())
            .map(|(i, (a, &(fp, shown)))| (a.id.as_str(), (i, fp, shown)))
            .collect(),
    }
}

/// What other pages show of an article, and what makes its URL: when these are the same, an
/// edit of the article changes only its own page and the sentences it lends as evidence.
pub fn shown(a: &Article) -> impl Hash + PartialEq + '_ {
    (
        &a.id,
        &a.path,
        &a.title,
        &a.date,
        &a.source,
        &a.publisher,
        &a.lang,
    )
}

/// The fingerprints of `w`'s things. A sentence a thing cites is fingerprinted by where it
/// was found (article, and index in its extraction), not by its text: reading every cited
/// sentence was most of the work, and an article not read again keeps its extraction, so the
/// place names the text. The sentences of articles read again are compared by `changes`.
pub fn fingerprints(w: &Wiki) -> Fingerprints {
    // each id hashed once, then stood for by its hash
    let hash = |id: &String| FxBuildHasher.hash_one(id);
    let (e_id, (p_id, a_id)): (Vec<u64>, (Vec<u64>, Vec<u64>)) = rayon::join(
        || w.entities.par_iter().map(|e| hash(&e.id)).collect(),
        || {
            rayon::join(
                || w.partnerships.par_iter().map(|p| hash(&p.id)).collect(),
                || w.articles.par_iter().map(|a| hash(&a.id)).collect(),
            )
        },
    );
    let no_sources = Vec::new();
    let entities = w
        .entities
        .par_iter()
        .enumerate()
        .map(|(i, e)| {
            let mut h = FxHasher::default();
            (&e.id, &e.slug, &e.name, e.kind, e.subtype, &e.aliases).hash(&mut h);
            for list in [&e.member_of, &e.members, &e.related] {
                list.len().hash(&mut h);
                list.iter().for_each(|&x| e_id[x].hash(&mut h));
            }
            e.partnerships.len().hash(&mut h);
            e.partnerships.iter().for_each(|&p| p_id[p].hash(&mut h));
            e.mentions.len().hash(&mut h);
            let from = w.sources.mentions.get(i).unwrap_or(&no_sources);
            for (k, m) in e.mentions.iter().enumerate() {
                a_id[m.article].hash(&mut h);
                match from.get(k) {
                    Some(f) => f.hash(&mut h),
                    None => m.sentence.hash(&mut h),
                }
            }
            (e.confidence.to_bits(), &e.cues, &e.description).hash(&mut h);
            for l in &e.links {
                (&l.title, &l.url).hash(&mut h);
            }
            h.finish()
        })
        .collect();
    let partnerships = w
        .partnerships
        .par_iter()
        .enumerate()
        .map(|(i, p)| {
            let mut h = FxHasher::default();
            (&p.id, p.kind, p.confidence.to_bits(), &p.cues).hash(&mut h);
            p.participants.iter().for_each(|&x| e_id[x].hash(&mut h));
            p.via.map(|x| e_id[x]).hash(&mut h);
            let from = w.sources.evidence.get(i);
            for (k, ev) in p.evidence.iter().enumerate() {
                a_id[ev.article].hash(&mut h);
                // an editor's sentence (from the corrections file) has no place: its text
                match from.and_then(|f| f.get(k)).copied().flatten() {
                    Some(f) => f.hash(&mut h),
                    None => ev.sentence.hash(&mut h),
                }
            }
            h.finish()
        })
        .collect();
    let articles = w
        .articles
        .par_iter()
        .enumerate()
        .map(|(i, a)| {
            let mut h = FxHasher::default();
            shown(a).hash(&mut h);
            let shown = h.finish();
            // not the text: only re-read articles' text can differ, and those are changed
            // anyway (see `changes`)
            a.twins.hash(&mut h);
            for &e in w.article_entities.get(i).into_iter().flatten() {
                e_id[e].hash(&mut h);
            }
            for &p in w.article_partnerships.get(i).into_iter().flatten() {
                p_id[p].hash(&mut h);
            }
            w.story_of.get(i).map(|&s| a_id[s]).hash(&mut h);
            (h.finish(), shown)
        })
        .collect();
    Fingerprints {
        entities,
        partnerships,
        articles,
    }
}

/// The sentences `evidence` cites from article `a`.
fn cited(evidence: &[crate::link::Evidence], a: usize) -> Vec<&str> {
    (evidence.iter())
        .filter(|ev| ev.article == a)
        .map(|ev| &*ev.sentence)
        .collect()
}

/// The entities and partnerships (by id) whose sentences from the articles read again
/// (`reread`, by id) are not the same in `old` and `new`: fingerprints do not read sentences.
fn reworded<'a>(
    old: &'a Wiki,
    po: &Prints<'a>,
    new: &'a Wiki,
    pn: &Prints<'a>,
    reread: &[String],
) -> FxHashSet<&'a str> {
    let mut out = FxHashSet::default();
    for id in reread {
        let (Some(&(ao, ..)), Some(&(an, ..))) =
            (po.articles.get(id.as_str()), pn.articles.get(id.as_str()))
        else {
            continue;
        };
        for &e in new.article_entities.get(an).into_iter().flatten() {
            let ent = &new.entities[e];
            if let Some(&(k, _)) = po.entities.get(ent.id.as_str())
                && cited(&ent.mentions, an) != cited(&old.entities[k].mentions, ao)
            {
                out.insert(ent.id.as_str());
            }
        }
        for &p in new.article_partnerships.get(an).into_iter().flatten() {
            let part = &new.partnerships[p];
            if let Some(&(k, _)) = po.partnerships.get(part.id.as_str())
                && cited(&part.evidence, an) != cited(&old.partnerships[k].evidence, ao)
            {
                out.insert(part.id.as_str());
            }
        }
    }
    out
}

/// What one changed thing touches in a wiki: the entities, partnerships and articles whose
/// pages show it.
#[derive(Default)]
struct Touched<'a> {
    entities: FxHashSet<&'a str>,
    partnerships: FxHashSet<&'a str>,
    articles: FxHashSet<&'a str>,
}

impl<'a> Touched<'a> {
    /// Everything in `w` that shows entity `e`.
    fn entity(&mut self, w: &'a Wiki, e: usize, mentions_of: &[Vec<usize>]) {
        let ent = &w.entities[e];
        self.entities.insert(&ent.id);
        for &x in ent.member_of.iter().chain(&ent.members).chain(&ent.related) {
            self.entities.insert(&w.entities[x].id);
        }
        for &p in &ent.partnerships {
            self.partnership(w, p);
        }
        for &a in &mentions_of[e] {
            self.articles.insert(&w.articles[a].id);
        }
        // pages that list it as related (related is not symmetric)
        for (k, other) in w.entities.iter().enumerate() {
            if k != e && other.related.contains(&e) {
                self.entities.insert(&other.id);
            }
        }
    }

    /// Everything in `w` that shows partnership `p`.
    fn partnership(&mut self, w: &'a Wiki, p: usize) {
        let part = &w.partnerships[p];
        self.partnerships.insert(&part.id);
        for &x in part.participants.iter().chain(&part.via) {
            self.entities.insert(&w.entities[x].id);
        }
        for ev in &part.evidence {
            self.articles.insert(&w.articles[ev.article].id);
        }
    }

    /// Everything in `w` that shows article `a`: its own page, and when what others show of
    /// it changed (title, date...), the pages that cite it.
    fn article(&mut self, w: &'a Wiki, a: usize, shown_changed: bool) {
        let art = &w.articles[a];
        self.articles.insert(&art.id);
        if !shown_changed {
            return;
        }
        for t in &art.twins {
            self.articles.insert(t);
        }
        for &e in w.article_entities.get(a).into_iter().flatten() {
            self.entities.insert(&w.entities[e].id);
        }
        for &p in w.article_partnerships.get(a).into_iter().flatten() {
            self.partnership(w, p);
        }
    }
}

/// Articles mentioning each entity.
fn mentions_of(w: &Wiki) -> Vec<Vec<usize>> {
    let mut out = vec![Vec::new(); w.entities.len()];
    for (a, es) in w.article_entities.iter().enumerate() {
        for &e in es {
            out[e].push(a);
        }
    }
    for (e, ent) in w.entities.iter().enumerate() {
        out[e].extend(ent.mentions.iter().map(|m| m.article));
    }
    out
}

/// The pages to render again after an edit that kept the wiki's shape (the same entities,
/// partnerships and articles at the same indices, with the same links between them) and
/// changed what the given entities, partnerships and articles (by index) show: the answer
/// `changes` gives for such an edit, without comparing every thing.
pub fn changes_in_place(
    w: &Wiki,
    entities: &[usize],
    partnerships: &[usize],
    articles: &[usize],
) -> Changes {
    let mentions = mentions_of(w);
    let mut touched = Touched::default();
    for &e in entities {
        touched.entity(w, e, &mentions);
    }
    for &p in partnerships {
        touched.partnership(w, p);
    }
    for &a in articles {
        touched.article(w, a, false);
    }
    let mut selection = Selection::default();
    let mut more: FxHashSet<usize> = FxHashSet::default();
    // a changed entity's partners (their graphs show its degree), as `changes` does
    for &e in entities {
        for &p in &w.entities[e].partnerships {
            let part = &w.partnerships[p];
            more.extend(part.participants.iter().chain(&part.via));
        }
    }
    selection.entities = (w.entities.iter().enumerate())
        .filter(|(i, e)| more.contains(i) || touched.entities.contains(e.id.as_str()))
        .map(|(i, _)| i)
        .collect();
    selection.partnerships = (w.partnerships.iter().enumerate())
        .filter(|(_, p)| touched.partnerships.contains(p.id.as_str()))
        .map(|(i, _)| i)
        .collect();
    selection.articles = (w.articles.iter().enumerate())
        .filter(|(_, a)| touched.articles.contains(a.id.as_str()))
        .map(|(i, _)| i)
        .collect();
    Changes {
        selection,
        removed: Vec::new(),
    }
}

/// The pages of `new` to render again, and the pages of `old` that are gone; `None` when
/// articles were added or removed (article URLs may then move: render everything).
/// `reread` are the ids of the articles read again: the others have the same text.
/// `old_prints` are `old`'s fingerprints when known; the answer comes with `new`'s.
pub fn changes(
    old: &Wiki,
    old_prints: Option<Fingerprints>,
    new: &Wiki,
    reread: &[String],
) -> Option<(Changes, Fingerprints)> {
    if old.articles.len() != new.articles.len()
        || old
            .articles
            .iter()
            .zip(&new.articles)
            .any(|(a, b)| a.id != b.id)
    {
        return None;
    }
    let ((fo, fnew), (mo, mn)) = rayon::join(
        || {
            rayon::join(
                || old_prints.unwrap_or_else(|| fingerprints(old)),
                || fingerprints(new),
            )
        },
        || (mentions_of(old), mentions_of(new)),
    );
    let (po, pn) = (prints(old, &fo), prints(new, &fnew));
    let reworded = reworded(old, &po, new, &pn, reread);
    let mut in_old = Touched::default();
    let mut in_new = Touched::default();
    let mut removed = Vec::new();
    // entities whose own data changed (their partnerships, members...): their graph degree
    // may have, which their neighbours' graphs show
    let mut changed_entities: Vec<&str> = Vec::new();
    let changed = |before: Option<&(usize, u64)>, id: &str, fp: u64| {
        before.is_none_or(|&(_, f)| f != fp) || reworded.contains(id)
    };
    for (id, &(i, fp)) in &pn.entities {
        if changed(po.entities.get(id), id, fp) {
            changed_entities.push(id);
            in_new.entity(new, i, &mn);
        }
    }
    for (id, &(i, fp)) in &po.entities {
        match pn.entities.get(id) {
            None => {
                changed_entities.push(id);
                in_old.entity(old, i, &mo);
                removed.push(format!("{id}/index.html"));
            }
            Some(&(_, f)) if f != fp || reworded.contains(id) => in_old.entity(old, i, &mo),
            _ => {}
        }
    }
    for (id, &(i, fp)) in &pn.partnerships {
        if changed(po.partnerships.get(id), id, fp) {
            in_new.partnership(new, i);
        }
    }
    for (id, &(i, fp)) in &po.partnerships {
        match pn.partnerships.get(id) {
            None => {
                in_old.partnership(old, i);
                removed.push(format!("partnership/{id}/index.html"));
            }
            Some(&(_, f)) if f != fp || reworded.contains(id) => in_old.partnership(old, i),
            _ => {}
        }
    }
    for (id, &(i, fp, shown)) in &pn.articles {
        if let Some(&(k, f, s)) = po.articles.get(id)
            && (f != fp || reread.iter().any(|r| r == id))
        {
            in_new.article(new, i, s != shown);
            in_old.article(old, k, s != shown);
        }
    }
    let mut selection = Selection::default();
    let mut entities: FxHashSet<usize> = in_new
        .entities
        .iter()
        .chain(&in_old.entities)
        .filter_map(|id| pn.entities.get(id).map(|&(i, _)| i))
        .collect();
    for id in changed_entities {
        if let Some(&(i, _)) = pn.entities.get(id) {
            for &p in &new.entities[i].partnerships {
                let part = &new.partnerships[p];
                entities.extend(part.participants.iter().chain(&part.via));
            }
        }
        if let Some(&(i, _)) = po.entities.get(id) {
            for &p in &old.entities[i].partnerships {
                let part = &old.partnerships[p];
                for &x in part.participants.iter().chain(&part.via) {
                    if let Some(&(k, _)) = pn.entities.get(old.entities[x].id.as_str()) {
                        entities.insert(k);
                    }
                }
            }
        }
    }
    selection.entities = entities.into_iter().collect();
    selection.partnerships = in_new
        .partnerships
        .iter()
        .chain(&in_old.partnerships)
        .filter_map(|id| pn.partnerships.get(id).map(|&(i, _)| i))
        .collect();
    selection.articles = in_new
        .articles
        .iter()
        .chain(&in_old.articles)
        .filter_map(|id| pn.articles.get(id).map(|&(i, _, _)| i))
        .collect();
    for v in [
        &mut selection.entities,
        &mut selection.partnerships,
        &mut selection.articles,
    ] {
        v.sort_unstable();
        v.dedup();
    }
    removed.sort();
    Some((Changes { selection, removed }, fnew))
}
