//! Early cutoff for an article edit: when the edit changed none of what linking reads (the
//! names the article found, its relations, its near-duplicates, its title and the like), the
//! new wiki is the old one with the article's new text and its new evidence sentences put in
//! place, so the edit skips the global link step and the wiki comparison.
//!
//! Linking reads, of each article: its id, twins and the names and relations extracted from
//! it, but never the text of a sentence: sentences are only carried into the wiki as evidence,
//! and `Wiki::sources` says which name or relation each one came from.
use super::diff::{self, Changes, shown};
use crate::extract::{Extraction, Found, Relation};
use crate::ingest::Article;
use crate::link::Wiki;

/// One edited article: the wiki's index of it, and its new text and extraction.
pub struct Edit<'a> {
    pub index: usize,
    pub article: &'a Article,
    pub old: &'a Extraction,
    pub new: &'a Extraction,
}

/// Whether an edit changed nothing linking reads but the near-duplicates (which cost more to
/// find: see `patch`).
fn fits(wiki: &Wiki, e: &Edit) -> Option<()> {
    let old = wiki.articles.get(e.index)?;
    // twins are aligned sentence by sentence (link::align_twins): their text matters
    if !old.twins.is_empty() || !e.article.twins.is_empty() || shown(old) != shown(e.article) {
        return None;
    }
    let same = e.old.article == e.new.article
        && e.old.found.len() == e.new.found.len()
        && e.old.relations.len() == e.new.relations.len()
        && e.old.found.iter().zip(&e.new.found).all(same_found)
        && e.old
            .relations
            .iter()
            .zip(&e.new.relations)
            .all(same_relation);
    same.then_some(())
}

/// Put the edits in place in `wiki` and say which pages changed; `None` (and `wiki` untouched)
/// when an edit changed something linking reads, so the wiki must be linked again.
/// `twins_after` gives the near-duplicates of every article after the edits, in the wiki's
/// article order: asked for only when nothing else rules the edits out.
pub fn patch(
    wiki: &mut Wiki,
    edits: &[Edit],
    twins_after: impl FnOnce(&Wiki) -> Vec<Vec<String>>,
) -> Option<Changes> {
    if !edits.iter().all(|e| fits(wiki, e).is_some()) {
        return None;
    }
    let twins = twins_after(wiki);
    if twins.len() != wiki.articles.len()
        || wiki.articles.iter().zip(&twins).any(|(a, t)| a.twins != *t)
    {
        return None;
    }
    let mut entities = Vec::new();
    let mut partnerships = Vec::new();
    for e in edits {
        wiki.articles[e.index] = e.article.clone();
        let a = e.index;
        // the new extraction's sentence, shared
        let text = |i: Option<&usize>| -> std::sync::Arc<str> {
            i.map_or_else(|| "".into(), |&i| e.new.sentence(i))
        };
        for &x in &wiki.article_entities[a] {
            let ent = &mut wiki.entities[x];
            let sources = &wiki.sources.mentions[x];
            for (m, &from) in ent.mentions.iter_mut().zip(sources) {
                if m.article != a {
                    continue;
                }
                // `from` is an index into the old names, which are the new ones in number
                let first = e
                    .new
                    .found
                    .get(from as usize)
                    .and_then(|f| f.sentences.first());
                let now = text(first);
                if m.sentence != now {
                    m.sentence = now;
                    entities.push(x);
                }
            }
        }
        for &p in &wiki.article_partnerships[a] {
            let part = &mut wiki.partnerships[p];
            let sources = &wiki.sources.evidence[p];
            for (ev, from) in part.evidence.iter_mut().zip(sources) {
                // an editor's sentence (from the corrections file) stays as it is
                let (true, Some(r)) = (ev.article == a, from) else {
                    continue;
                };
                let now = text(e.new.relations.get(*r as usize).map(|r| &r.sentence));
                if ev.sentence != now {
                    ev.sentence = now;
                    partnerships.push(p);
                }
            }
        }
    }
    let articles: Vec<usize> = edits.iter().map(|e| e.index).collect();
    Some(diff::changes_in_place(
        wiki,
        &entities,
        &partnerships,
        &articles,
    ))
}

/// The same name as linking sees it: everything but the sentences it was seen in.
fn same_found((a, b): (&Found, &Found)) -> bool {
    let Found {
        name,
        surfaces,
        kind,
        subtype,
        confidence,
        cues,
        member_of,
        sentences: _,
    } = a;
    (name, surfaces, kind, subtype, cues, member_of)
        == (
            &b.name,
            &b.surfaces,
            &b.kind,
            &b.subtype,
            &b.cues,
            &b.member_of,
        )
        && confidence.to_bits() == b.confidence.to_bits()
}

/// The same relation as linking sees it: everything but its sentence.
fn same_relation((a, b): (&Relation, &Relation)) -> bool {
    let Relation {
        kind,
        participants,
        via,
        sentence: _,
        confidence,
        cues,
    } = a;
    (kind, participants, via, cues) == (&b.kind, &b.participants, &b.via, &b.cues)
        && confidence.to_bits() == b.confidence.to_bits()
}
