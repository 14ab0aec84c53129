//! Render: every page of the site, built from the `Wiki` through the Tera templates. Each
//! page gets a small context of its own data (its entity, its neighbours' names and URLs),
//! never the whole wiki. Links are relative (`root` leads back to the site root), so the
//! site works at a domain root and under any sub-path.
mod aliases;
pub mod api;
pub mod dates;
pub mod graph;
pub mod lead;
pub mod linker;
pub mod search;
pub mod theme;
pub mod timeline;
mod value;
pub mod web;

use crate::config::SiteConfig;
use crate::error::Result;
use crate::extract::{Kind, PartnershipKind};
use crate::ingest::BlockKind;
use crate::link::{Entity, Evidence, Partnership, Wiki};
use linker::{Linker, Target, escape};
use rayon::prelude::*;
pub use theme::Theme;
use value::{list, obj, opt, strs};

/// A Tera value: page contexts are built from these directly (see `value`).
type Value = tera::Value;

/// A rendered file: its path under the output directory and its bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub path: String,
    pub content: Vec<u8>,
}

/// What pages share: the site settings and the article URLs.
pub struct Site<'a> {
    pub wiki: &'a Wiki,
    pub config: &'a SiteConfig,
    pub article_slugs: Vec<String>,
    /// Who is connected to whom, for the graphs.
    pub graph: graph::Graph,
    /// Article index by id, for the twins of an article.
    article_index: std::collections::HashMap<&'a str, usize>,
    /// Per entity, the partnerships it carries (`via`), in partnership order.
    carried: Vec<Vec<usize>>,
    /// Every entity name and alias in one automaton, for the article pages (made when the
    /// first one is rendered).
    names: std::sync::OnceLock<linker::Names>,
    /// The `site` every page gets.
    site_value: Value,
    /// Per entity, its reference (`entity_ref`), built once: pages clone it.
    entity_refs: Vec<Value>,
    /// Per article, its title, URL and date, built once: evidence on many pages cites them.
    pub(crate) article_values: Vec<[Value; 3]>,
    /// Per article, the evidence it gives: (partnership, index in its evidence), ascending.
    /// A popular pair has thousands of sentences; an article page cites only its own.
    article_evidence: Vec<Vec<(u32, u32)>>,
}

impl<'a> Site<'a> {
    pub fn new(wiki: &'a Wiki, config: &'a SiteConfig) -> Site<'a> {
        let mut set = crate::link::slug::SlugSet::default();
        let article_slugs: Vec<String> = wiki
            .articles
            .iter()
            .map(|a| {
                let safe = !a.id.is_empty()
                    && a.id.len() <= 80
                    && a.id
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                    && !a.id.starts_with(['-', '_']);
                if safe {
                    set.claim_exact(&a.id)
                } else {
                    set.claim(&a.id)
                }
            })
            .collect();
        let article_index = wiki
            .articles
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.as_str(), i))
            .collect();
        let mut carried = vec![Vec::new(); wiki.entities.len()];
        for (i, p) in wiki.partnerships.iter().enumerate() {
            if let Some(v) = p.via
                && let Some(c) = carried.get_mut(v)
            {
                c.push(i);
            }
        }
        let site_value = obj([
            ("title", config.title.as_str().into()),
            ("description", config.description.as_str().into()),
            ("base_url", config.base_url().into()),
            ("language", config.language.as_str().into()),
        ]);
        let entity_refs = wiki
            .entities
            .iter()
            .map(|ent| {
                obj([
                    ("name", ent.name.as_str().into()),
                    ("url", ent.url().into()),
                    ("kind", ent.kind.as_str().into()),
                ])
            })
            .collect();
        let article_values = wiki
            .articles
            .iter()
            .zip(&article_slugs)
            .map(|(a, slug)| {
                [
                    a.title.as_str().into(),
                    format!("article/{slug}/").into(),
                    opt(a.date.as_deref()),
                ]
            })
            .collect();
        let mut article_evidence = vec![Vec::new(); wiki.articles.len()];
        for (p, part) in wiki.partnerships.iter().enumerate() {
            for (i, ev) in part.evidence.iter().enumerate() {
                if let Some(cites) = article_evidence.get_mut(ev.article) {
                    cites.push((p as u32, i as u32));
                }
            }
        }
        Site {
            wiki,
            config,
            article_slugs,
            graph: graph::Graph::build(wiki),
            article_index,
            carried,
            names: std::sync::OnceLock::new(),
            site_value,
            entity_refs,
            article_values,
            article_evidence,
        }
    }

    /// The indexes of the sentences of partnership `p` that article `a` gives.
    fn evidence_in(&self, a: usize, p: usize) -> Vec<u32> {
        let cites = self.article_evidence.get(a).map_or(&[][..], Vec::as_slice);
        let from = cites.partition_point(|&(q, _)| (q as usize) < p);
        cites[from..]
            .iter()
            .take_while(|&&(q, _)| q as usize == p)
            .map(|&(_, i)| i)
            .collect()
    }

    pub fn article_url(&self, a: usize) -> String {
        format!("article/{}/", self.article_slugs[a])
    }

    /// The context every page shares: the site, and the way back to its root.
    fn base(&self, root: &str, url: &str, title: &str) -> tera::Context {
        self.base_with(root, url, title, &self.config.description, "website")
    }

    /// `base` with the page's own description and Open Graph type (`website`, `article`,
    /// `profile`...).
    fn base_with(
        &self,
        root: &str,
        url: &str,
        title: &str,
        description: &str,
        og_type: &str,
    ) -> tera::Context {
        let mut ctx = tera::Context::new();
        ctx.insert_value("site", self.site_value.clone());
        ctx.insert_value("root", root.into());
        let canonical = if self.config.base_url().is_empty() {
            String::new()
        } else {
            format!("{}/{}", self.config.base_url(), url)
        };
        ctx.insert_value(
            "page",
            obj([
                ("url", url.into()),
                ("title", title.into()),
                ("canonical", canonical.into()),
                ("description", description.into()),
                ("og_type", og_type.into()),
            ]),
        );
        ctx
    }

    fn entity_ref(&self, e: usize) -> Value {
        self.entity_refs[e].clone()
    }

    fn evidence(&self, ev: &Evidence) -> Value {
        self.evidence_quoted(ev, true)
    }

    /// A sentence with its article; `quote` is false where the page quotes it elsewhere, so
    /// the template cites the article without repeating the sentence.
    fn evidence_quoted(&self, ev: &Evidence, quote: bool) -> Value {
        let [title, url, date] = &self.article_values[ev.article];
        obj([
            ("sentence", (*ev.sentence).into()),
            ("article_title", title.clone()),
            ("article_url", url.clone()),
            ("date", date.clone()),
            ("quote", quote.into()),
        ])
    }

    /// A partnership for a template. `evidence` says which of its sentences come along: a
    /// list (home, index, carried) needs none, only `evidence_count` (at 100,000 articles a
    /// partnership can have thousands), an article page those stated in that article.
    /// `more` are extra fields (a partnership's own page adds its title and cues).
    fn partnership_ref<const N: usize>(
        &self,
        p: &Partnership,
        from: Option<usize>,
        evidence: Cite,
        more: [(&'static str, Value); N],
    ) -> Value {
        let evidence = match evidence {
            Cite::First(n) => list(p.evidence.iter().take(n).map(|ev| self.evidence(ev))),
            Cite::None => list([]),
            Cite::Listed(some) => list(
                some.iter()
                    .filter_map(|&i| p.evidence.get(i as usize))
                    .map(|ev| self.evidence(ev)),
            ),
            Cite::Marked(some) => list(some.iter().filter_map(|&(i, quote)| {
                let ev = p.evidence.get(i as usize)?;
                Some(self.evidence_quoted(ev, quote))
            })),
        };
        let participants = list(p.participants.iter().map(|&e| self.entity_ref(e)));
        let partners = if from.is_some_and(|f| p.participants.contains(&f)) {
            list(
                p.participants
                    .iter()
                    .filter(|&&e| Some(e) != from)
                    .map(|&e| self.entity_ref(e)),
            )
        } else {
            participants.clone()
        };
        let mut m = tera::Map::with_capacity(9 + N);
        for (k, v) in [
            ("url", p.url().into()),
            ("kind", p.kind.as_str().into()),
            ("kind_label", p.kind.label().into()),
            ("participants", participants),
            ("partners", partners),
            (
                "via",
                p.via.map_or_else(Value::none, |v| self.entity_ref(v)),
            ),
            ("evidence", evidence),
            ("evidence_count", p.evidence.len().into()),
            ("confidence", round2(p.confidence).into()),
        ]
        .into_iter()
        .chain(more)
        {
            m.insert(tera::value::Key::Str(k), v);
        }
        Value::from(m)
    }
}

/// Which evidence sentences a partnership brings into a page's context.
#[derive(Clone, Copy)]
enum Cite<'c> {
    /// The first sentences, at most this many (a popular pair can have thousands).
    First(usize),
    None,
    /// These of its sentences (indexes into its evidence).
    Listed(&'c [u32]),
    /// These of its sentences, each saying whether it is quoted here (see `Site::evidence_quoted`).
    Marked(&'c [(u32, bool)]),
}

/// How many stories an entity page cites under "Mentioned in"; the rest are counted.
const MENTION_ROWS: usize = 50;
/// How many sentences a partnership brings to an entity page, and to its own page.
const CITES_ON_ENTITY: usize = 3;
const CITES_ON_PARTNERSHIP: usize = 200;

/// Render every page (and the JSON export) of the wiki.
pub fn render(site: &Site, theme: &Theme) -> Result<Vec<Page>> {
    let mut pages = Vec::new();
    render_parts(site, theme, usize::MAX, |part| {
        pages.extend(part);
        Ok(())
    })?;
    Ok(pages)
}

/// Pages rendered in parallel at a time.
const SLICE: usize = 256;
/// Rendered bytes held before they are handed on.
const PART_BYTES: usize = 16 << 20;

/// How many pages `render_parts` renders: those of the wiki's pages plus the site-wide files.
pub fn page_count(w: &Wiki) -> usize {
    5 + Kind::ALL.len() + w.entities.len() + w.partnerships.len() + w.articles.len() + 2
}

/// Render the pages in parts of at most `part` pages (rendered in parallel) and about
/// `PART_BYTES` bytes, handing each part to `sink` before the next is rendered, so a large
/// site never holds all its pages' bytes at once. The first error stops the rendering.
pub fn render_parts(
    site: &Site,
    theme: &Theme,
    part: usize,
    mut sink: impl FnMut(Vec<Page>) -> Result<()>,
) -> Result<()> {
    let w = site.wiki;
    let redirects = web::alias_redirects(site);
    let mut jobs = list_jobs(&redirects);
    jobs.extend((0..w.entities.len()).map(Job::Entity));
    jobs.extend((0..w.partnerships.len()).map(Job::Partnership));
    jobs.extend((0..w.articles.len()).map(Job::Article));
    // pages are rendered a slice at a time, and handed on once `part` pages or `PART_BYTES`
    // bytes are waiting: entity pages run to tens of kilobytes each
    let part = part.max(1);
    let mut pages: Vec<Page> = Vec::new();
    let mut bytes = 0;
    for slice in jobs.chunks(part.min(SLICE)) {
        let rendered: Vec<Page> = slice
            .par_iter()
            .map(|j| render_job(site, theme, j))
            .collect::<Result<_>>()?;
        bytes += rendered.iter().map(|p| p.content.len()).sum::<usize>();
        pages.extend(rendered);
        if pages.len() >= part || bytes >= PART_BYTES {
            sink(std::mem::take(&mut pages))?;
            bytes = 0;
        }
    }
    if !pages.is_empty() {
        sink(pages)?;
    }
    site_files(site, theme, &mut sink)
}

/// The pages that list everything (home, indexes, search, 404) and the alias redirects.
fn list_jobs(redirects: &[(String, usize)]) -> Vec<Job<'_>> {
    let mut jobs: Vec<Job> = vec![
        Job::Home,
        Job::Partnerships,
        Job::Articles,
        Job::NotFound,
        Job::Search,
    ];
    jobs.extend(Kind::ALL.into_iter().map(Job::KindIndex));
    jobs.extend(
        redirects
            .iter()
            .map(|(id, e)| Job::Redirect(id.as_str(), *e)),
    );
    jobs
}

/// The timeline, the search index, sitemap, robots, feed and API files.
///
/// They are independent, so they are made concurrently on the rayon pool while this thread
/// hands them to `sink` in the same order and parts as made one after another: each large
/// file still goes on alone as soon as its turn comes.
fn site_files(
    site: &Site,
    theme: &Theme,
    sink: &mut dyn FnMut(Vec<Page>) -> Result<()>,
) -> Result<()> {
    // on a pool thread this thread could be the pool's only worker: waiting for the
    // tasks there could wait forever, so they run here one after another
    if rayon::current_thread_index().is_some() {
        for task in 0..SITE_FILE_TASKS {
            site_file_task(site, theme, task, sink)?;
        }
        return Ok(());
    }
    // (task, a part, or None once the task is done)
    type Msg = (usize, Result<Option<Vec<Page>>>);
    let (tx, rx) = std::sync::mpsc::channel::<Msg>();
    rayon::in_place_scope(|scope| {
        for task in 0..SITE_FILE_TASKS {
            let tx = tx.clone();
            scope.spawn(move |_| {
                let sent = site_file_task(site, theme, task, &mut |part| {
                    // a closed channel means the sink failed: the part is not needed
                    let _ = tx.send((task, Ok(Some(part))));
                    Ok(())
                });
                let _ = tx.send((task, sent.map(|()| None)));
            });
        }
        drop(tx);
        // parts of later tasks wait here until the earlier tasks are done
        let mut waiting: Vec<Vec<Vec<Page>>> = vec![Vec::new(); SITE_FILE_TASKS];
        let mut done = [false; SITE_FILE_TASKS];
        let mut turn = 0;
        for (task, msg) in rx.iter() {
            match msg? {
                Some(part) if task == turn => sink(part)?,
                Some(part) => waiting[task].push(part),
                None => done[task] = true,
            }
            while turn < SITE_FILE_TASKS && done[turn] {
                turn += 1;
                if turn < SITE_FILE_TASKS {
                    for part in std::mem::take(&mut waiting[turn]) {
                        sink(part)?;
                    }
                }
            }
        }
        Ok(())
    })
}

const SITE_FILE_TASKS: usize = 5;

/// One of the site-wide files of `site_files`, by its place in their order.
fn site_file_task(
    site: &Site,
    theme: &Theme,
    task: usize,
    sink: &mut dyn FnMut(Vec<Page>) -> Result<()>,
) -> Result<()> {
    let w = site.wiki;
    match task {
        0 => sink(timeline::pages(site, theme)?),
        1 => search::pages(site, &search::SearchSettings::builtin(), sink),
        2 => {
            let mut last = web::sitemap_and_robots(site);
            last.push(web::feed(site));
            sink(last)
        }
        // the two exports are the largest files: each is handed on alone, written straight
        // from the wiki (no copy of it as export structs first)
        3 => sink(vec![Page {
            path: "api/entities.json".into(),
            content: pretty_json(&api::EntitiesOut(w)),
        }]),
        _ => sink(vec![Page {
            path: "api/partnerships.json".into(),
            content: pretty_json(&api::PartnershipsOut(w)),
        }]),
    }
}

/// Some of the wiki's own pages, by index: what `kwiki serve` renders again after an edit.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Selection {
    pub entities: Vec<usize>,
    pub partnerships: Vec<usize>,
    pub articles: Vec<usize>,
}

/// The pages of the selected entities, partnerships and articles (in parallel).
pub fn render_selected(site: &Site, theme: &Theme, sel: &Selection) -> Result<Vec<Page>> {
    let jobs: Vec<Job> = sel
        .entities
        .iter()
        .map(|&e| Job::Entity(e))
        .chain(sel.partnerships.iter().map(|&p| Job::Partnership(p)))
        .chain(sel.articles.iter().map(|&a| Job::Article(a)))
        .collect();
    jobs.par_iter()
        .map(|j| render_job(site, theme, j))
        .collect()
}

/// Every page that is not one entity's, partnership's or article's: home, indexes, search,
/// timeline, alias redirects, sitemap, feed, the API files. With `render_selected` of
/// everything, the same pages as `render_parts`.
pub fn render_globals(site: &Site, theme: &Theme) -> Result<Vec<Page>> {
    let redirects = web::alias_redirects(site);
    let mut pages: Vec<Page> = list_jobs(&redirects)
        .par_iter()
        .map(|j| render_job(site, theme, j))
        .collect::<Result<_>>()?;
    site_files(site, theme, &mut |part| {
        pages.extend(part);
        Ok(())
    })?;
    Ok(pages)
}

fn pretty_json<T: serde::Serialize>(v: &T) -> Vec<u8> {
    let mut out = Vec::new();
    if serde_json::to_writer_pretty(&mut out, v).is_err() {
        out.clear();
    }
    out.push(b'\n');
    out
}

enum Job<'a> {
    Home,
    Search,
    /// An alias URL (`kind/slug`) sending readers to an entity.
    Redirect(&'a str, usize),
    KindIndex(Kind),
    Entity(usize),
    Partnership(usize),
    Partnerships,
    Article(usize),
    Articles,
    NotFound,
}

fn render_job(site: &Site, theme: &Theme, job: &Job<'_>) -> Result<Page> {
    let (path, template, ctx) = job_page(site, job);
    let html = theme.render(&template, &ctx)?;
    Ok(Page {
        path,
        content: html.into_bytes(),
    })
}

/// The template and context of the page at `path` (`artist/rose/`, `artist/rose/index.html`,
/// `index.html`, `404.html`...), without rendering it: for `kwiki build --dump-context` and
/// the server's 404 page. `None` when no page has that path.
pub fn context_for(site: &Site, path: &str) -> Option<(String, tera::Context)> {
    let path = path.trim_start_matches('/');
    let path = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    };
    let w = site.wiki;
    let job = match path.as_str() {
        "index.html" => Job::Home,
        "partnership/index.html" => Job::Partnerships,
        "article/index.html" => Job::Articles,
        "404.html" => Job::NotFound,
        "search/index.html" => Job::Search,
        p => {
            let dir = p.strip_suffix("/index.html")?;
            if let Some(k) = Kind::ALL.into_iter().find(|k| k.as_str() == dir) {
                Job::KindIndex(k)
            } else if let Some(id) = dir.strip_prefix("partnership/") {
                Job::Partnership(w.partnerships.iter().position(|x| x.id == id)?)
            } else if let Some(slug) = dir.strip_prefix("article/") {
                Job::Article(site.article_slugs.iter().position(|s| s == slug)?)
            } else {
                Job::Entity(w.entities.iter().position(|e| e.id == dir)?)
            }
        }
    };
    let (_, template, ctx) = job_page(site, &job);
    Some((template, ctx))
}

/// A page's path, template and context.
fn job_page(site: &Site, job: &Job<'_>) -> (String, String, tera::Context) {
    match job {
        Job::Home => (
            "index.html".to_string(),
            "index.html".to_string(),
            home(site),
        ),
        Job::KindIndex(k) => (
            format!("{}/index.html", k.as_str()),
            "list.html".into(),
            kind_index(site, *k),
        ),
        Job::Entity(e) => {
            let ent = &site.wiki.entities[*e];
            (
                format!("{}/index.html", ent.id),
                format!("{}.html", ent.kind.as_str()),
                entity(site, *e),
            )
        }
        Job::Partnership(p) => {
            let part = &site.wiki.partnerships[*p];
            (
                format!("partnership/{}/index.html", part.id),
                "partnership.html".into(),
                partnership(site, *p),
            )
        }
        Job::Partnerships => (
            "partnership/index.html".into(),
            "partnerships.html".into(),
            partnerships(site),
        ),
        Job::Article(a) => (
            format!("article/{}/index.html", site.article_slugs[*a]),
            "article.html".into(),
            article(site, *a),
        ),
        Job::Articles => (
            "article/index.html".into(),
            "articles.html".into(),
            articles(site),
        ),
        Job::NotFound => ("404.html".into(), "404.html".into(), not_found(site)),
        Job::Search => (
            "search/index.html".into(),
            "search.html".into(),
            site.base("../", "search/", "Search"),
        ),
        Job::Redirect(id, e) => (
            format!("{id}/index.html"),
            "redirect.html".into(),
            redirect(site, id, *e),
        ),
    }
}

pub fn kind_title(k: Kind) -> &'static str {
    match k {
        Kind::Artist => "Artists",
        Kind::Film => "Films and shows",
        Kind::Label => "Labels and companies",
        Kind::Song => "Songs and albums",
    }
}

fn kind_counts(w: &Wiki) -> Value {
    let mut counts = [0usize; Kind::ALL.len()];
    for e in &w.entities {
        if let Some(i) = Kind::ALL.iter().position(|&k| k == e.kind) {
            counts[i] += 1;
        }
    }
    list(Kind::ALL.iter().zip(counts).map(|(&k, count)| {
        obj([
            ("kind", k.as_str().into()),
            ("title", kind_title(k).into()),
            ("url", format!("{}/", k.as_str()).into()),
            ("count", count.into()),
        ])
    }))
}

fn home(site: &Site) -> tera::Context {
    let w = site.wiki;
    let mut ctx = site.base("", "", &site.config.title);
    ctx.insert_value("kinds", kind_counts(w));
    // the first 12 by connections: a partial sort, not a sort of every entity
    let top = smallest(w.entities.len(), 12, |e| {
        (
            std::cmp::Reverse(w.entities[e].partnerships.len() * 2 + w.entities[e].mentions.len()),
            e,
        )
    });
    ctx.insert_value(
        "top_entities",
        list(top.iter().map(|&e| site.entity_ref(e))),
    );
    let recent = smallest(w.partnerships.len(), 12, |p| {
        (std::cmp::Reverse(w.partnerships[p].evidence.len()), p)
    });
    ctx.insert_value(
        "partnerships",
        list(
            recent
                .iter()
                .map(|&p| site.partnership_ref(&w.partnerships[p], None, Cite::None, [])),
        ),
    );
    ctx.insert_value("articles", latest_articles(site, 10));
    ctx.insert_value("graph_svg", graph::home_svg(&site.graph, w, "").into());
    ctx.insert_value(
        "counts",
        obj([
            ("entities", w.entities.len().into()),
            ("partnerships", w.partnerships.len().into()),
            ("articles", w.articles.len().into()),
        ]),
    );
    ctx
}

/// The indexes `0..n` with the `k` smallest keys, in key order (keys are distinct).
fn smallest<K: Ord>(n: usize, k: usize, key: impl Fn(usize) -> K) -> Vec<usize> {
    let mut all: Vec<usize> = (0..n).collect();
    if k < n {
        all.select_nth_unstable_by_key(k, |&i| key(i));
        all.truncate(k);
    }
    all.sort_by_key(|&i| key(i));
    all
}

fn latest_articles(site: &Site, n: usize) -> Value {
    let w = site.wiki;
    let mut order: Vec<usize> = (0..w.articles.len()).collect();
    order.sort_by(|&a, &b| w.articles[b].date.cmp(&w.articles[a].date).then(a.cmp(&b)));
    list(order.iter().take(n).map(|&a| article_ref(site, a)))
}

fn article_ref(site: &Site, a: usize) -> Value {
    let art = &site.wiki.articles[a];
    let [title, url, date] = &site.article_values[a];
    obj([
        ("title", title.clone()),
        ("url", url.clone()),
        ("date", date.clone()),
        ("publisher", opt(art.publisher.as_deref())),
        ("id", art.id.as_str().into()),
    ])
}

fn letter_anchor(l: &str) -> Value {
    if l == "#" {
        "num".into()
    } else {
        l.to_lowercase().into()
    }
}

fn kind_index(site: &Site, k: Kind) -> tera::Context {
    let w = site.wiki;
    let mut ctx = site.base("../", &format!("{}/", k.as_str()), kind_title(k));
    let mut letters: Vec<(String, Vec<Value>)> = Vec::new();
    let mut count = 0;
    for (i, e) in w.entities.iter().enumerate().filter(|(_, e)| e.kind == k) {
        count += 1;
        let first = deunicode::deunicode(&e.name)
            .chars()
            .find(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_uppercase())
            .unwrap_or('#');
        let letter = if first.is_ascii_digit() {
            "#".to_string()
        } else {
            first.to_string()
        };
        let entry = obj([
            ("name", e.name.as_str().into()),
            ("url", e.url().into()),
            ("mentions", e.mentions.len().into()),
            ("partnerships", e.partnerships.len().into()),
            ("aliases", strs(&aliases::for_readers(&e.name, &e.aliases))),
            ("id", i.into()),
        ]);
        match letters.iter_mut().find(|(l, _)| *l == letter) {
            Some((_, v)) => v.push(entry),
            None => letters.push((letter, vec![entry])),
        }
    }
    letters.sort_by(|a, b| (a.0 != "#", &a.0).cmp(&(b.0 != "#", &b.0)));
    ctx.insert_value(
        "kind",
        obj([("kind", k.as_str().into()), ("title", kind_title(k).into())]),
    );
    ctx.insert_value("count", count.into());
    let present: Vec<&str> = letters.iter().map(|(l, _)| l.as_str()).collect();
    ctx.insert_value(
        "alphabet",
        list(
            std::iter::once("#".to_string())
                .chain(('A'..='Z').map(|c| c.to_string()))
                .map(|l| {
                    obj([
                        ("anchor", letter_anchor(&l)),
                        ("present", present.contains(&l.as_str()).into()),
                        ("letter", l.into()),
                    ])
                }),
        ),
    );
    ctx.insert_value(
        "letters",
        list(letters.into_iter().map(|(l, v)| {
            obj([
                ("anchor", letter_anchor(&l)),
                ("letter", l.into()),
                ("entries", Value::from(v)),
            ])
        })),
    );
    ctx
}

fn entity(site: &Site, e: usize) -> tera::Context {
    let w = site.wiki;
    let ent: &Entity = &w.entities[e];
    let subtype = ent.subtype.map(|s| format!("{s:?}").to_lowercase());
    let summary = format!(
        "{} — {}{}: {} partnership{}, mentioned in {} article{}.",
        ent.name,
        ent.kind.as_str(),
        subtype
            .as_ref()
            .map(|s| format!(" ({s})"))
            .unwrap_or_default(),
        ent.partnerships.len(),
        if ent.partnerships.len() == 1 { "" } else { "s" },
        ent.mentions.len(),
        if ent.mentions.len() == 1 { "" } else { "s" },
    );
    let og_type = match ent.kind {
        Kind::Artist => "profile",
        Kind::Film => "video.movie",
        Kind::Song => "music.song",
        Kind::Label => "website",
    };
    let url = ent.url();
    let mut ctx = site.base_with("../../", &url, &ent.name, &summary, og_type);
    ctx.insert_value("jsonld", web::entity_jsonld(site, e).into());
    ctx.insert_value(
        "graph_svg",
        graph::ego_svg(&site.graph, w, e, "../../").into(),
    );
    let description = ent
        .description
        .as_deref()
        .map(|d| linker::markdown(d, &Linker::new(Vec::new())));
    ctx.insert_value(
        "entity",
        obj([
            ("name", ent.name.as_str().into()),
            ("kind", ent.kind.as_str().into()),
            ("subtype", subtype.into()),
            (
                "aliases",
                strs(&aliases::for_readers(&ent.name, &ent.aliases)),
            ),
            (
                "member_of",
                list(ent.member_of.iter().map(|&g| site.entity_ref(g))),
            ),
            (
                "members",
                list(ent.members.iter().map(|&m| site.entity_ref(m))),
            ),
            ("confidence", round2(ent.confidence).into()),
            ("cues", strs(&ent.cues)),
            ("description_html", description.into()),
            (
                "lead_html",
                opt(lead::lead_html(w, e, &site.carried[e], "../../").as_deref()),
            ),
            (
                "links",
                list(
                    ent.links
                        .iter()
                        .filter(|l| crate::ingest::is_web_url(&l.url))
                        .map(|l| {
                            obj([
                                ("title", l.title.as_str().into()),
                                ("url", l.url.as_str().into()),
                            ])
                        }),
                ),
            ),
            ("url", url.into()),
        ]),
    );
    let quoted = entity_partnerships(site, e, &mut ctx);
    let (rows, total) = mentions(site, ent, &quoted);
    ctx.insert_value("mentions", rows);
    ctx.insert_value("mentions_total", total.into());
    ctx.insert_value(
        "related",
        list(ent.related.iter().map(|&r| site.entity_ref(r))),
    );
    ctx
}

/// An entity's partnerships, then those it carries (a song's soundtrack placements), into
/// `ctx`: one list on the page, each sentence quoted once, where it says most. Returns the
/// sentences quoted.
fn entity_partnerships<'w>(
    site: &'w Site<'w>,
    e: usize,
    ctx: &mut tera::Context,
) -> std::collections::HashSet<SentenceKey<'w>> {
    let w = site.wiki;
    let own = &w.entities[e].partnerships;
    let carried = &site.carried[e];
    let (marks, quoted) = quote_once(w, own.iter().chain(carried));
    let (own_marks, carried_marks) = marks.split_at(own.len());
    let refs = |ps: &[usize], marks: &[Vec<(u32, bool)>], from: Option<usize>| {
        list(
            ps.iter()
                .zip(marks)
                .map(|(&p, m)| site.partnership_ref(&w.partnerships[p], from, Cite::Marked(m), [])),
        )
    };
    ctx.insert_value("partnerships", refs(own, own_marks, Some(e)));
    ctx.insert_value("carries", refs(carried, carried_marks, None));
    quoted
}

/// A sentence on a page: its article and text.
type SentenceKey<'w> = (usize, &'w str);

/// Which of the first `CITES_ON_ENTITY` sentences of each partnership (in page order) an entity
/// page quotes: a sentence that states several of them is quoted under the one it says most
/// about (the most participants; the first of equals) and only cited under the others.
/// Returns the marks per partnership, and every sentence quoted.
fn quote_once<'w>(
    w: &'w Wiki,
    ps: impl Iterator<Item = &'w usize>,
) -> (
    Vec<Vec<(u32, bool)>>,
    std::collections::HashSet<SentenceKey<'w>>,
) {
    let slots: Vec<(usize, Vec<SentenceKey>)> = ps
        .map(|&p| {
            let part = &w.partnerships[p];
            let keys = part.evidence.iter().take(CITES_ON_ENTITY);
            (p, keys.map(|ev| (ev.article, &*ev.sentence)).collect())
        })
        .collect();
    let says = |slot: usize| {
        let part = &w.partnerships[slots[slot].0];
        part.participants.len() + usize::from(part.via.is_some())
    };
    // each sentence's best slot: the first of those that say most
    let mut best: std::collections::HashMap<SentenceKey, usize> = Default::default();
    for (slot, (_, keys)) in slots.iter().enumerate() {
        for &k in keys {
            let b = best.entry(k).or_insert(slot);
            if says(slot) > says(*b) {
                *b = slot;
            }
        }
    }
    let marks = slots
        .iter()
        .enumerate()
        .map(|(slot, (_, keys))| {
            let quoted = keys.iter().map(|k| best[k] == slot);
            (0..).zip(quoted).collect()
        })
        .collect();
    (marks, best.into_keys().collect())
}

/// Mentions grouped by story: near-duplicate articles are one row citing each telling; a
/// sentence in `quoted` (quoted under a partnership) is cited without repeating it.
/// The first `MENTION_ROWS` stories that mention the entity, and how many there are.
fn mentions(
    site: &Site,
    ent: &Entity,
    quoted: &std::collections::HashSet<SentenceKey>,
) -> (Value, usize) {
    let cite = |m: &Evidence| site.evidence_quoted(m, !quoted.contains(&(m.article, &*m.sentence)));
    let w = site.wiki;
    let mut rows: Vec<Vec<Value>> = Vec::new();
    let mut row_of: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
    let mut total = 0;
    for m in &ent.mentions {
        let story = w.story_of.get(m.article).copied().unwrap_or(m.article);
        match row_of.get(&story) {
            Some(&r) => {
                if r < MENTION_ROWS {
                    rows[r].push(cite(m));
                }
            }
            None => {
                row_of.insert(story, total);
                total += 1;
                if total <= MENTION_ROWS {
                    rows.push(vec![cite(m)]);
                }
            }
        }
    }
    let rows = list(
        rows.into_iter()
            .map(|v| obj([("citations", Value::from(v))])),
    );
    (rows, total)
}

fn partnership(site: &Site, p: usize) -> tera::Context {
    let part = &site.wiki.partnerships[p];
    let title = part
        .participants
        .iter()
        .map(|&e| site.wiki.entities[e].name.as_str())
        .collect::<Vec<_>>()
        .join(" × ");
    let mut ctx = site.base("../../", &part.url(), &title);
    let value = site.partnership_ref(
        part,
        None,
        Cite::First(CITES_ON_PARTNERSHIP),
        [("title", title.into()), ("cues", strs(&part.cues))],
    );
    ctx.insert_value("partnership", value);
    ctx
}

fn partnerships(site: &Site) -> tera::Context {
    let w = site.wiki;
    let mut ctx = site.base("../", "partnership/", "Partnerships");
    // one pass over the partnerships, not one per kind
    let mut by_kind: Vec<Vec<Value>> = vec![Vec::new(); PartnershipKind::ALL.len()];
    for p in &w.partnerships {
        if let Some(i) = PartnershipKind::ALL.iter().position(|&k| k == p.kind) {
            by_kind[i].push(site.partnership_ref(p, None, Cite::None, []));
        }
    }
    let groups = list(
        PartnershipKind::ALL
            .iter()
            .zip(by_kind)
            .filter(|(_, items)| !items.is_empty())
            .map(|(&k, items)| {
                obj([
                    ("kind", k.as_str().into()),
                    ("label", k.label().into()),
                    ("count", items.len().into()),
                    ("items", Value::from(items)),
                ])
            }),
    );
    ctx.insert_value("groups", groups);
    ctx.insert_value("count", w.partnerships.len().into());
    ctx
}

/// The first `chars` characters of `parts` joined by spaces, without joining them all first
/// (an article's lead: `Article::lead`).
pub(crate) fn joined_prefix<'t>(parts: impl Iterator<Item = &'t str>, chars: usize) -> String {
    let mut out = String::new();
    let mut left = chars;
    for (i, part) in parts.enumerate() {
        if left == 0 {
            break;
        }
        if i > 0 {
            out.push(' ');
            left -= 1;
        }
        for c in part.chars().take(left) {
            out.push(c);
            left -= 1;
        }
    }
    out
}

fn article(site: &Site, a: usize) -> tera::Context {
    let w = site.wiki;
    let art = &w.articles[a];
    let lead = joined_prefix(art.blocks.iter().map(|b| b.text.as_str()), 200);
    let url = site.article_url(a);
    let mut ctx = site.base_with("../../", &url, &art.title, &lead, "article");
    let ents: &[usize] = w.article_entities.get(a).map_or(&[], Vec::as_slice);
    let targets: Vec<Target> = ents
        .iter()
        .map(|&e| {
            let ent = &w.entities[e];
            Target {
                name: &ent.name,
                href: format!("../../{}", ent.url()),
                class: format!("mention {}", ent.kind.as_str()),
            }
        })
        .collect();
    let names = site.names.get_or_init(|| {
        linker::Names::new(w.entities.iter().map(|e| {
            std::iter::once(&e.name)
                .chain(&e.aliases)
                .filter(|n| n.chars().nth(1).is_some())
                .map(String::as_str)
        }))
    });
    let linker = Linker::for_entities(names, ents, targets);
    let body = match &art.markdown {
        Some(md) => linker::markdown(md, &linker),
        None => {
            let mut out = String::new();
            for b in art.blocks.iter() {
                let (open, close) = match b.kind {
                    BlockKind::Heading => ("<h2>", "</h2>\n"),
                    BlockKind::Paragraph => ("<p>", "</p>\n"),
                };
                out.push_str(open);
                linker.link_into(&b.text, &mut out);
                out.push_str(close);
            }
            out
        }
    };
    let twins = list(
        art.twins
            .iter()
            .filter_map(|t| site.article_index.get(t.as_str()))
            .map(|&t| article_ref(site, t)),
    );
    let source = art
        .source
        .as_deref()
        .filter(|s| crate::ingest::is_web_url(s));
    ctx.insert_value(
        "article",
        obj([
            ("id", art.id.as_str().into()),
            ("title", art.title.as_str().into()),
            ("date", opt(art.date.as_deref())),
            ("source", opt(source)),
            ("publisher", opt(art.publisher.as_deref())),
            ("author", opt(art.author.as_deref())),
            ("path", art.path.to_string_lossy().into()),
            ("body_html", body.into()),
            ("twins", twins),
            ("url", url.into()),
        ]),
    );
    let mut ents_sorted = ents.to_vec();
    ents_sorted.sort_by(|&x, &y| {
        (w.entities[x].kind, &w.entities[x].name).cmp(&(w.entities[y].kind, &w.entities[y].name))
    });
    ctx.insert_value(
        "entities",
        list(ents_sorted.iter().map(|&e| site.entity_ref(e))),
    );
    let parts: &[usize] = w.article_partnerships.get(a).map_or(&[], Vec::as_slice);
    ctx.insert_value(
        "partnerships",
        list(parts.iter().map(|&p| {
            let cites = site.evidence_in(a, p);
            site.partnership_ref(&w.partnerships[p], None, Cite::Listed(&cites), [])
        })),
    );
    ctx
}

fn articles(site: &Site) -> tera::Context {
    let mut ctx = site.base("../", "article/", "Articles");
    ctx.insert_value("articles", latest_articles(site, usize::MAX));
    ctx
}

fn redirect(site: &Site, id: &str, e: usize) -> tera::Context {
    let ent = &site.wiki.entities[e];
    let mut ctx = site.base("../../", &ent.url(), &ent.name);
    ctx.insert_value("alias_url", format!("{id}/").into());
    ctx.insert_value("target", site.entity_ref(e));
    ctx
}

fn not_found(site: &Site) -> tera::Context {
    // 404.html is served for any missing path, so its links start from the site's path
    let path = site_path(site.config.base_url());
    site.base(&path, "404.html", "Page not found")
}

/// The path part of the base URL, with slashes on both ends ("https://u.github.io/repo" ->
/// "/repo/"); "/" when there is none.
pub fn site_path(base_url: &str) -> String {
    let rest = base_url.split_once("://").map_or(base_url, |(_, r)| r);
    let path = rest.find('/').map_or("", |i| &rest[i..]);
    let path = path.trim_matches('/');
    if path.is_empty() {
        "/".into()
    } else {
        format!("/{path}/")
    }
}

/// HTML-escape, for code that builds HTML outside templates.
pub fn html_escape(s: &str) -> String {
    escape(s)
}

/// A confidence for display: two decimals, without f32 noise (0.89, not 0.8899999856948853).
fn round2(x: f32) -> f64 {
    (f64::from(x) * 100.0).round() / 100.0
}
