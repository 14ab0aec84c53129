//! Fingerprints of what a page shows, made from the wiki without building its context: a
//! build with a cache renders again only the pages whose fingerprint changed (see
//! `site::build_with_progress`). Each function here hashes everything the context function
//! of its page reads, in the same order; a context that reads something new must hash it
//! here too (tests/cache.rs builds edited sites with and without the cache and compares).
//!
//! Pages not fingerprinted (home, the indexes, search, 404) and the site-wide files are
//! rendered in every build.
use super::{CITES_ON_ENTITY, Job, Section, Site, pager::Pager, stories};
use crate::cache::put_str;
use crate::link::{Evidence, Partnership};
use std::hash::Hasher;
use xxhash_rust::xxh3::Xxh3;

/// The fingerprint of `job`'s page, or `None` for a page that is always rendered.
pub fn print(site: &Site, salt: u128, job: &Job) -> Option<u128> {
    let mut f = Fp(Xxh3::new());
    f.0.write_u128(salt);
    match *job {
        Job::Entity(e) => entity(&mut f, site, e),
        Job::EntityList(e, sec, n) => {
            f.s("entity list");
            f.entity_ref(site, e);
            f.s(sec.as_str());
            f.n(n);
            section(&mut f, site, e, sec, n);
        }
        Job::Partnership(p, n) => partnership_page(&mut f, site, p, n),
        Job::Article(a) => article(&mut f, site, a),
        Job::Redirect(r) => {
            let (id, e) = &site.redirects()[r];
            f.s("redirect");
            f.s(id);
            f.entity_ref(site, *e);
        }
        _ => return None,
    }
    Some(f.0.digest128())
}

struct Fp(Xxh3);

impl Fp {
    fn s(&mut self, s: &str) {
        put_str(&mut self.0, s);
    }

    fn n(&mut self, n: usize) {
        self.0.write_usize(n);
    }

    fn o(&mut self, s: Option<&str>) {
        match s {
            Some(s) => {
                self.0.write_u8(1);
                self.s(s);
            }
            None => self.0.write_u8(0),
        }
    }

    fn strs(&mut self, v: &[String]) {
        self.n(v.len());
        v.iter().for_each(|s| self.s(s));
    }

    /// An entity as a reference shows it: name, URL, kind.
    fn entity_ref(&mut self, site: &Site, e: usize) {
        let ent = &site.wiki.entities[e];
        self.s(&ent.id);
        self.s(&ent.name);
        self.s(ent.kind.as_str());
    }

    /// An article as others show it (`article_ref`, `Site::evidence`).
    fn article_ref(&mut self, site: &Site, a: usize) {
        let art = &site.wiki.articles[a];
        self.s(&art.id);
        self.s(&site.article_slugs[a]);
        self.s(&art.title);
        self.o(art.date.as_deref());
        self.o(art.publisher.as_deref());
    }

    fn evidence(&mut self, site: &Site, ev: &Evidence) {
        self.s(&ev.sentence);
        self.article_ref(site, ev.article);
    }

    /// `Site::partnership_ref` with these sentences.
    fn partnership(
        &mut self,
        site: &Site,
        p: &Partnership,
        from: Option<usize>,
        cites: &[&Evidence],
    ) {
        self.s(&p.id);
        self.s(p.kind.as_str());
        self.n(p.participants.len());
        for &x in &p.participants {
            self.entity_ref(site, x);
        }
        self.o(from
            .filter(|f| p.participants.contains(f))
            .map(|f| site.wiki.entities[f].id.as_str()));
        match p.via {
            Some(v) => self.entity_ref(site, v),
            None => self.s(""),
        }
        self.n(cites.len());
        cites.iter().for_each(|ev| self.evidence(site, ev));
        self.n(p.evidence.len());
        self.0.write_u32(p.confidence.to_bits());
    }
}

/// An entity's page: `render::entity`, `web::entity_jsonld` and `graph::ego_svg`.
fn entity(f: &mut Fp, site: &Site, e: usize) {
    let w = site.wiki;
    let ent = &w.entities[e];
    f.s("entity");
    f.entity_ref(site, e);
    f.o(ent.subtype.map(|s| format!("{s:?}")).as_deref());
    f.strs(&ent.aliases);
    for list in [&ent.member_of, &ent.members, &ent.related] {
        f.n(list.len());
        for &x in list.iter() {
            // the JSON-LD of members and groups tells persons from groups
            let other = &w.entities[x];
            f.entity_ref(site, x);
            f.o(other.subtype.map(|s| format!("{s:?}")).as_deref());
            f.n(other.members.len().min(1));
        }
    }
    f.0.write_u32(ent.confidence.to_bits());
    f.strs(&ent.cues);
    f.o(ent.description.as_deref());
    f.n(ent.links.len());
    for l in &ent.links {
        f.s(&l.title);
        f.s(&l.url);
    }
    f.n(ent.partnerships.len());
    f.n(ent.mentions.len());
    for m in ent.mentions.iter().take(10) {
        f.article_ref(site, m.article);
    }
    // the graph of its neighbours: every edge in order, each neighbour's reference and degree
    let g = &site.graph;
    let mut neighbours: Vec<usize> = g.adj[e].iter().map(|edge| edge.other).collect();
    for edge in &g.adj[e] {
        f.s(&w.entities[edge.other].id);
        match edge.partnership {
            Some(p) => {
                let part = &w.partnerships[p];
                f.s(&part.id);
                f.s(part.kind.as_str());
                f.n(usize::from(
                    part.via == Some(edge.other) || part.via == Some(e),
                ));
            }
            None => f.n(usize::from(ent.member_of.contains(&edge.other))),
        }
    }
    // in index order: ties between neighbours go to the lower index
    neighbours.sort_unstable();
    neighbours.dedup();
    for o in neighbours {
        f.entity_ref(site, o);
        f.n(g.degree[o]);
    }
    // the first of its partnerships and stories (`insert_partnerships`, `insert_mentions`)
    let (own, carried) = (&ent.partnerships, &site.carried[e]);
    let first = site.config.paginate.partnerships;
    f.n(own.len() + carried.len());
    for &p in own.iter().take(first) {
        let part = &w.partnerships[p];
        let cites: Vec<&Evidence> = part.evidence.iter().take(CITES_ON_ENTITY).collect();
        f.partnership(site, part, Some(e), &cites);
    }
    for &p in carried.iter().take(first.saturating_sub(own.len())) {
        f.partnership(site, &w.partnerships[p], None, &[]);
    }
    let stories = stories(site, e);
    f.n(stories.len());
    for row in stories.iter().take(site.config.paginate.mentions) {
        f.n(row.len());
        row.iter()
            .for_each(|&m| f.evidence(site, &ent.mentions[m as usize]));
    }
}

/// Page `n` of the whole of an entity's list (`render::entity_list`).
fn section(f: &mut Fp, site: &Site, e: usize, sec: Section, n: usize) {
    let w = site.wiki;
    let ent = &w.entities[e];
    match sec {
        Section::Partnerships => {
            let (own, carried) = (&ent.partnerships, &site.carried[e]);
            let pager = Pager::new(n, site.config.paginate.index, own.len() + carried.len());
            f.n(own.len());
            f.n(carried.len());
            let r = pager.range();
            for &p in &own[r.start.min(own.len())..r.end.min(own.len())] {
                f.partnership(site, &w.partnerships[p], Some(e), &[]);
            }
            let (from, to) = (
                r.start.saturating_sub(own.len()),
                r.end.saturating_sub(own.len()),
            );
            for &p in &carried[from..to] {
                f.partnership(site, &w.partnerships[p], None, &[]);
            }
        }
        Section::Mentions => {
            let stories = stories(site, e);
            let pager = Pager::new(n, site.config.paginate.index, stories.len());
            f.n(stories.len());
            for row in &stories[pager.range()] {
                f.n(row.len());
                row.iter()
                    .for_each(|&m| f.article_ref(site, ent.mentions[m as usize].article));
            }
        }
    }
}

/// Page `n` of a partnership (`render::partnership`).
fn partnership_page(f: &mut Fp, site: &Site, p: usize, n: usize) {
    let part = &site.wiki.partnerships[p];
    f.s("partnership");
    f.n(n);
    let pager = Pager::new(n, site.config.paginate.evidence, part.evidence.len());
    let cites: Vec<&Evidence> = part.evidence[pager.range()].iter().collect();
    f.partnership(site, part, None, &cites);
    f.strs(&part.cues);
}

/// An article's page (`render::article`): its text, its entities (the names its text is
/// linked by), its near-duplicates and the partnerships it states.
fn article(f: &mut Fp, site: &Site, a: usize) {
    let w = site.wiki;
    let art = &w.articles[a];
    f.s("article");
    f.article_ref(site, a);
    f.o(art.source.as_deref());
    f.s(&art.lang);
    f.s(&art.path.to_string_lossy());
    f.o(art.markdown.as_deref());
    f.n(art.blocks.len());
    for b in art.blocks.iter() {
        f.n(b.kind as usize);
        f.s(&b.text);
    }
    f.n(art.twins.len());
    for t in &art.twins {
        f.s(t);
        match site.article_index.get(t.as_str()) {
            Some(&k) => f.article_ref(site, k),
            None => f.s(""),
        }
    }
    let ents: &[usize] = w.article_entities.get(a).map_or(&[], Vec::as_slice);
    f.n(ents.len());
    for &e in ents {
        f.entity_ref(site, e);
        f.strs(&w.entities[e].aliases);
    }
    let parts: &[usize] = w.article_partnerships.get(a).map_or(&[], Vec::as_slice);
    f.n(parts.len());
    for &p in parts {
        let part = &w.partnerships[p];
        let cites: Vec<&Evidence> = (site.evidence_in(a, p).iter())
            .filter_map(|&i| part.evidence.get(i as usize))
            .collect();
        f.partnership(site, part, None, &cites);
    }
}
