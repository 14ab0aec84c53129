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
mod lists;
pub mod pager;
mod prints;
pub mod search;
pub mod theme;
pub mod timeline;
mod value;
pub mod web;

use crate::config::SiteConfig;
use crate::error::Result;
use crate::extract::Kind;
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
    /// The orders of the indexes (made when the first index page is rendered).
    orders: std::sync::OnceLock<lists::Orders>,
    /// The alias redirects (see `web::alias_redirects`).
    redirects: std::sync::OnceLock<Vec<(String, usize)>>,
    /// Per entity, its mentions grouped by story (see `stories`), made when first asked for:
    /// each page of a long "Mentioned in" reads them.
    stories: Vec<std::sync::OnceLock<Vec<Vec<u32>>>>,
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
            orders: std::sync::OnceLock::new(),
            redirects: std::sync::OnceLock::new(),
            stories: (0..wiki.entities.len())
                .map(|_| std::sync::OnceLock::new())
                .collect(),
        }
    }

    fn redirects(&self) -> &[(String, usize)] {
        self.redirects.get_or_init(|| web::alias_redirects(self))
    }

    fn orders(&self) -> &lists::Orders {
        self.orders.get_or_init(|| lists::Orders::new(self))
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

    /// The context every page shares: the site, and the way back to its root. No
    /// description: the site's own, on every page, would only repeat itself (the home page
    /// has it, pages that have a summary of their own give it with `base_with`).
    fn base(&self, root: &str, url: &str, title: &str) -> tera::Context {
        self.base_with(root, url, title, "", "website")
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
            Cite::None => list([]),
            Cite::Range(r) => list(
                p.evidence
                    .get(r)
                    .unwrap_or(&[])
                    .iter()
                    .map(|ev| self.evidence(ev)),
            ),
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
            (
                "url",
                partnership_href(self.wiki, p, &self.config.publish).into(),
            ),
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
#[derive(Clone)]
enum Cite<'c> {
    None,
    /// These of its sentences (indexes into its evidence).
    Listed(&'c [u32]),
    /// These of its sentences, each saying whether it is quoted here (see `Site::evidence_quoted`).
    Marked(&'c [(u32, bool)]),
    /// The sentences in this range (a page of them).
    Range(std::ops::Range<usize>),
}

/// How many sentences a partnership brings to an entity page.
const CITES_ON_ENTITY: usize = 3;

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

/// Where links to partnership `p` lead: its own page or, when `publish` gives it none, the
/// page of the participant with the fewest partnerships (the first of them), which lists it
/// with its sentences (an entity page lists its first `paginate.partnerships`).
pub fn partnership_href(w: &Wiki, p: &Partnership, publish: &crate::config::Publish) -> String {
    if publish.partnership_page(p.evidence.len()) {
        return p.url();
    }
    p.participants
        .iter()
        .min_by_key(|&&e| w.entities[e].partnerships.len())
        .map_or_else(|| p.url(), |&e| w.entities[e].url())
}

/// How many pages `render_parts` renders, about (for a progress bar).
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
    let jobs = all_jobs(site);
    render_jobs(site, theme, &jobs, part, &mut sink)?;
    site_files(site, theme, &mut sink)
}

/// Every page of the site but the site-wide files: the lists, then each thing's pages.
fn all_jobs(site: &Site) -> Vec<Job> {
    let w = site.wiki;
    let mut jobs = list_jobs(site);
    jobs.extend(thing_jobs(
        site,
        &Selection {
            entities: (0..w.entities.len()).collect(),
            partnerships: (0..w.partnerships.len()).collect(),
            articles: (0..w.articles.len()).collect(),
        },
    ));
    jobs
}

/// The pages of a site, each with its path and, where it has one, the fingerprint of what
/// it shows (see `prints`): a build renders again only the pages whose fingerprint changed.
/// The site-wide files (timeline, search index, sitemap, feed, API) are not in it: they are
/// always made.
pub struct Plan {
    jobs: Vec<Job>,
    pub paths: Vec<String>,
    pub prints: Vec<Option<u128>>,
}

/// The plan of `site`; `salt` goes into every fingerprint (kwiki's version, the templates,
/// the settings).
pub fn plan(site: &Site, salt: u128) -> Plan {
    let jobs = all_jobs(site);
    let (paths, prints) = jobs
        .par_iter()
        .map(|j| (job_path(site, j), prints::print(site, salt, j)))
        .unzip();
    Plan {
        jobs,
        paths,
        prints,
    }
}

/// Render the pages of `plan` for which `render[i]` is true, then the site-wide files, in
/// parts as `render_parts` does.
pub fn render_plan(
    site: &Site,
    theme: &Theme,
    plan: &Plan,
    render: &[bool],
    part: usize,
    mut sink: impl FnMut(Vec<Page>) -> Result<()>,
) -> Result<()> {
    let jobs: Vec<Job> = (plan.jobs.iter().zip(render))
        .filter(|(_, r)| **r)
        .map(|(j, _)| *j)
        .collect();
    render_jobs(site, theme, &jobs, part, &mut sink)?;
    site_files(site, theme, &mut sink)
}

/// Render `jobs` a slice at a time (in parallel), handing the pages on once `part` pages or
/// `PART_BYTES` bytes are waiting: entity pages run to tens of kilobytes each.
fn render_jobs(
    site: &Site,
    theme: &Theme,
    jobs: &[Job],
    part: usize,
    sink: &mut dyn FnMut(Vec<Page>) -> Result<()>,
) -> Result<()> {
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
    Ok(())
}

/// The pages that list everything (home, indexes, search, 404) and the alias redirects.
fn list_jobs(site: &Site) -> Vec<Job> {
    let (kinds, partnerships, articles) = lists::page_counts(site);
    let mut jobs: Vec<Job> = vec![Job::Home, Job::NotFound, Job::Search];
    jobs.extend((1..=partnerships).map(Job::Partnerships));
    jobs.extend((1..=articles).map(Job::Articles));
    for (k, n) in Kind::ALL.into_iter().zip(kinds) {
        jobs.extend((1..=n).map(|page| Job::KindIndex(k, page)));
    }
    jobs.extend((0..site.redirects().len()).map(Job::Redirect));
    jobs
}

/// Every page of the selected entities, partnerships and articles: each one's own page and
/// the further pages of its long lists.
fn thing_jobs(site: &Site, sel: &Selection) -> Vec<Job> {
    let mut jobs = Vec::new();
    for &e in &sel.entities {
        jobs.push(Job::Entity(e));
        for sec in [Section::Partnerships, Section::Mentions] {
            let n = entity_list_pages(site, e, sec);
            jobs.extend((1..=n).map(|k| Job::EntityList(e, sec, k)));
        }
    }
    let publish = &site.config.publish;
    for &p in &sel.partnerships {
        if !publish.partnership_page(site.wiki.partnerships[p].evidence.len()) {
            continue;
        }
        let n = pager::Pager::count_for(
            site.wiki.partnerships[p].evidence.len(),
            site.config.paginate.evidence,
        );
        jobs.extend((1..=n).map(|k| Job::Partnership(p, k)));
    }
    jobs.extend(sel.articles.iter().map(|&a| Job::Article(a)));
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

const SITE_FILE_TASKS: usize = 4;

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
        // the export in shards, written straight from the wiki (unless site.yaml leaves it out)
        _ if !site.config.publish.api => Ok(()),
        _ => {
            let (mut pages, e) = api::entity_pages(w);
            let (more, p) = api::partnership_pages(w);
            pages.extend(more);
            pages.push(api::index_page(e, p));
            sink(pages)
        }
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
    thing_jobs(site, sel)
        .par_iter()
        .map(|j| render_job(site, theme, j))
        .collect()
}

/// Every page that is not one entity's, partnership's or article's: home, indexes, search,
/// timeline, alias redirects, sitemap, feed, the API files. With `render_selected` of
/// everything, the same pages as `render_parts`.
pub fn render_globals(site: &Site, theme: &Theme) -> Result<Vec<Page>> {
    let mut pages: Vec<Page> = list_jobs(site)
        .par_iter()
        .map(|j| render_job(site, theme, j))
        .collect::<Result<_>>()?;
    site_files(site, theme, &mut |part| {
        pages.extend(part);
        Ok(())
    })?;
    Ok(pages)
}

/// One page to render.
#[derive(Debug, Clone, Copy)]
enum Job {
    Home,
    Search,
    /// An alias URL (`kind/slug`) sending readers to an entity: the index of the redirect
    /// in `Site::redirects`.
    Redirect(usize),
    /// Page N of the index of a kind.
    KindIndex(Kind, usize),
    Entity(usize),
    /// Page N of the whole of an entity's partnerships or mentions, when its own page shows
    /// only the first of them.
    EntityList(usize, Section, usize),
    /// Page N of a partnership (its sentences, cut into pages).
    Partnership(usize, usize),
    Partnerships(usize),
    Article(usize),
    Articles(usize),
    NotFound,
}

/// The lists of an entity's page that go on over further pages.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Section {
    Partnerships,
    Mentions,
}

impl Section {
    fn as_str(self) -> &'static str {
        match self {
            Section::Partnerships => "partnerships",
            Section::Mentions => "mentions",
        }
    }
}

fn render_job(site: &Site, theme: &Theme, job: &Job) -> Result<Page> {
    let (template, ctx) = job_context(site, job);
    let html = theme.render(&template, &ctx)?;
    Ok(Page {
        path: job_path(site, job),
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
    if path == "404.html" {
        return Some(job_context(site, &Job::NotFound));
    }
    let jobs = all_jobs(site);
    let job = jobs.iter().find(|j| job_path(site, j) == path)?;
    Some(job_context(site, job))
}

/// Where a page is written, relative to the output directory.
fn job_path(site: &Site, job: &Job) -> String {
    let w = site.wiki;
    let url = match *job {
        Job::Home => String::new(),
        Job::NotFound => return "404.html".into(),
        Job::Search => "search/".into(),
        Job::KindIndex(k, n) => pager::index_url(&format!("{}/", k.as_str()), n),
        Job::Entity(e) => w.entities[e].url(),
        Job::EntityList(e, sec, n) => pager::index_url(&section_base(&w.entities[e], sec), n),
        Job::Partnership(p, n) => pager::section_url(&w.partnerships[p].url(), "evidence", n),
        Job::Partnerships(n) => pager::index_url("partnership/", n),
        Job::Article(a) => site.article_url(a),
        Job::Articles(n) => pager::index_url("article/", n),
        Job::Redirect(r) => format!("{}/", site.redirects()[r].0),
    };
    format!("{url}index.html")
}

/// A page's template and context.
fn job_context(site: &Site, job: &Job) -> (String, tera::Context) {
    match *job {
        Job::Home => ("index.html".into(), home(site)),
        Job::KindIndex(k, n) => ("list.html".into(), lists::kind_index(site, k, n)),
        Job::Entity(e) => {
            let ent = &site.wiki.entities[e];
            (format!("{}.html", ent.kind.as_str()), entity(site, e))
        }
        Job::EntityList(e, sec, n) => ("entity_list.html".into(), entity_list(site, e, sec, n)),
        Job::Partnership(p, n) => ("partnership.html".into(), partnership(site, p, n)),
        Job::Partnerships(n) => ("partnerships.html".into(), lists::partnerships(site, n)),
        Job::Article(a) => ("article.html".into(), article(site, a)),
        Job::Articles(n) => ("articles.html".into(), lists::articles(site, n)),
        Job::NotFound => ("404.html".into(), not_found(site)),
        Job::Search => ("search.html".into(), site.base("../", "search/", "Search")),
        Job::Redirect(r) => {
            let (id, e) = &site.redirects()[r];
            ("redirect.html".into(), redirect(site, id, *e))
        }
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
    let mut ctx = site.base_with(
        "",
        "",
        &site.config.title,
        &site.config.description,
        "website",
    );
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
    list(
        site.orders()
            .articles
            .iter()
            .take(n)
            .map(|&a| article_ref(site, a)),
    )
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
        graph::ego_svg(&site.graph, w, e, "../../", &site.config.publish).into(),
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
    let quoted = insert_partnerships(&mut ctx, site, e);
    insert_mentions(&mut ctx, site, e, &quoted);
    ctx.insert_value(
        "related",
        list(ent.related.iter().map(|&r| site.entity_ref(r))),
    );
    ctx
}

/// The first of an entity's partnerships: its own, then those it carries (a song's
/// soundtrack placements), as `partnerships` and `carries`, each sentence quoted once, where
/// it says most (see `quote_once`); `partnerships_total` counts them all and
/// `partnerships_all_url` leads to the list of all when there are more. Returns the
/// sentences quoted.
fn insert_partnerships<'w>(
    ctx: &mut tera::Context,
    site: &'w Site<'w>,
    e: usize,
) -> std::collections::HashSet<SentenceKey<'w>> {
    let w = site.wiki;
    let ent = &w.entities[e];
    let (own, carried) = (&ent.partnerships, &site.carried[e]);
    let first = site.config.paginate.partnerships;
    let own_here = &own[..own.len().min(first)];
    let carried_here = &carried[..carried.len().min(first - own_here.len())];
    let (marks, quoted) = quote_once(w, own_here.iter().chain(carried_here));
    let (own_marks, carried_marks) = marks.split_at(own_here.len());
    let refs = |ps: &[usize], marks: &[Vec<(u32, bool)>], from: Option<usize>| {
        list(
            ps.iter()
                .zip(marks)
                .map(|(&p, m)| site.partnership_ref(&w.partnerships[p], from, Cite::Marked(m), [])),
        )
    };
    ctx.insert_value("partnerships", refs(own_here, own_marks, Some(e)));
    ctx.insert_value("carries", refs(carried_here, carried_marks, None));
    let total = own.len() + carried.len();
    ctx.insert_value("partnerships_total", total.into());
    ctx.insert_value(
        "partnerships_all_url",
        all_url(ent, Section::Partnerships, total > first),
    );
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

/// The first stories that mention an entity, as `mentions` (one row per story:
/// near-duplicate articles are one row citing each telling); `mentions_total` counts them
/// all and `mentions_all_url` leads to the list of all when there are more.
/// A sentence in `quoted` (quoted under a partnership) is cited without repeating it.
fn insert_mentions(
    ctx: &mut tera::Context,
    site: &Site,
    e: usize,
    quoted: &std::collections::HashSet<SentenceKey>,
) {
    let ent = &site.wiki.entities[e];
    let stories = stories(site, e);
    let first = site.config.paginate.mentions;
    let rows = list(stories.iter().take(first).map(|row| {
        let cites = row.iter().map(|&m| {
            let m = &ent.mentions[m as usize];
            site.evidence_quoted(m, !quoted.contains(&(m.article, &*m.sentence)))
        });
        obj([("citations", list(cites))])
    }));
    ctx.insert_value("mentions", rows);
    ctx.insert_value("mentions_total", stories.len().into());
    ctx.insert_value(
        "mentions_all_url",
        all_url(ent, Section::Mentions, stories.len() > first),
    );
}

/// Where the whole of an entity's list starts (`artist/rose/mentions/`), or none when the
/// entity's page shows all of it.
fn all_url(ent: &Entity, sec: Section, more: bool) -> Value {
    if more {
        section_base(ent, sec).into()
    } else {
        Value::none()
    }
}

fn section_base(ent: &Entity, sec: Section) -> String {
    format!("{}{}/", ent.url(), sec.as_str())
}

/// An entity's mentions grouped by story (near-duplicate articles are one story), in order
/// of each story's first mention: indexes into its `mentions`.
fn stories<'s>(site: &'s Site, e: usize) -> &'s [Vec<u32>] {
    site.stories[e].get_or_init(|| {
        let w = site.wiki;
        let mut rows: Vec<Vec<u32>> = Vec::new();
        let mut row_of: rustc_hash::FxHashMap<usize, usize> = Default::default();
        for (i, m) in w.entities[e].mentions.iter().enumerate() {
            let story = w.story_of.get(m.article).copied().unwrap_or(m.article);
            match row_of.get(&story) {
                Some(&r) => rows[r].push(i as u32),
                None => {
                    row_of.insert(story, rows.len());
                    rows.push(vec![i as u32]);
                }
            }
        }
        rows
    })
}

/// How many pages the whole of an entity's list takes: none when its own page shows all.
fn entity_list_pages(site: &Site, e: usize, sec: Section) -> usize {
    let (total, first) = match sec {
        Section::Partnerships => (
            site.wiki.entities[e].partnerships.len() + site.carried[e].len(),
            site.config.paginate.partnerships,
        ),
        Section::Mentions => (stories(site, e).len(), site.config.paginate.mentions),
    };
    if total > first {
        pager::Pager::count_for(total, site.config.paginate.index)
    } else {
        0
    }
}

/// Page `n` of the whole of an entity's partnerships or mentions (`entity_list.html`), in
/// short rows: a partnership without its sentences, a story as the articles that tell it.
fn entity_list(site: &Site, e: usize, sec: Section, n: usize) -> tera::Context {
    let w = site.wiki;
    let ent = &w.entities[e];
    let base = section_base(ent, sec);
    let url = pager::index_url(&base, n);
    let (what, total) = match sec {
        Section::Partnerships => (
            "partnerships",
            ent.partnerships.len() + site.carried[e].len(),
        ),
        Section::Mentions => ("mentioned in", stories(site, e).len()),
    };
    let pager = pager::Pager::new(n, site.config.paginate.index, total);
    let title = if n > 1 {
        format!("{}: {what} (page {n} of {})", ent.name, pager.count())
    } else {
        format!("{}: {what}", ent.name)
    };
    let mut ctx = site.base(&pager::root_of(&url), &url, &title);
    ctx.insert_value("entity", site.entity_ref(e));
    ctx.insert_value("section", sec.as_str().into());
    ctx.insert_value("pager", pager.value(|k| pager::index_url(&base, k)));
    let r = pager.range();
    match sec {
        Section::Partnerships => {
            let own = &ent.partnerships;
            let carried = &site.carried[e];
            let mine = &own[r.start.min(own.len())..r.end.min(own.len())];
            let theirs =
                &carried[r.start.saturating_sub(own.len())..r.end.saturating_sub(own.len())];
            let refs = |ps: &[usize], from: Option<usize>| {
                list(
                    ps.iter()
                        .map(|&p| site.partnership_ref(&w.partnerships[p], from, Cite::None, [])),
                )
            };
            ctx.insert_value("partnerships", refs(mine, Some(e)));
            ctx.insert_value("carries", refs(theirs, None));
        }
        Section::Mentions => {
            let rows = stories(site, e)[r].iter().map(|row| {
                let arts = row
                    .iter()
                    .map(|&m| article_ref(site, ent.mentions[m as usize].article));
                obj([("articles", list(arts))])
            });
            ctx.insert_value("mentions", list(rows));
        }
    }
    ctx
}

/// Page `n` of a partnership: its facts and a page of its sentences.
fn partnership(site: &Site, p: usize, n: usize) -> tera::Context {
    let part = &site.wiki.partnerships[p];
    let title = part
        .participants
        .iter()
        .map(|&e| site.wiki.entities[e].name.as_str())
        .collect::<Vec<_>>()
        .join(" × ");
    let pager = pager::Pager::new(n, site.config.paginate.evidence, part.evidence.len());
    let base = part.url();
    let url = pager::section_url(&base, "evidence", n);
    let page_title = if n > 1 {
        format!("{title} (page {n} of {})", pager.count())
    } else {
        title.clone()
    };
    let mut ctx = site.base(&pager::root_of(&url), &url, &page_title);
    let value = site.partnership_ref(
        part,
        None,
        Cite::Range(pager.range()),
        [("title", title.into()), ("cues", strs(&part.cues))],
    );
    ctx.insert_value("partnership", value);
    ctx.insert_value(
        "pager",
        pager.value(|k| pager::section_url(&base, "evidence", k)),
    );
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
    let url = site.article_url(a);
    // no description: it would repeat the body's first lines, which follow it
    let mut ctx = site.base_with("../../", &url, &art.title, "", "article");
    let ents: &[usize] = w.article_entities.get(a).map_or(&[], Vec::as_slice);
    let targets: Vec<Target> = ents
        .iter()
        .map(|&e| {
            let ent = &w.entities[e];
            Target {
                name: &ent.name,
                href: format!("../../{}", ent.url()),
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
    let (body, shortened) = article_body(&site.config.publish, art, linker);
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
            ("shortened", shortened.into()),
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

/// An article's body as HTML with its names linked, as much of it as `publish` says; true
/// when that is not all of it.
fn article_body(
    publish: &crate::config::Publish,
    art: &crate::ingest::Article,
    mut linker: Linker,
) -> (String, bool) {
    use crate::config::{ArticleText, MentionLinks};
    if publish.mention_links == MentionLinks::First {
        linker = linker.first_mentions_only();
    }
    let shown = match publish.article_text {
        ArticleText::Full => art.blocks.len(),
        // the blocks up to the first paragraph, a heading before it included
        ArticleText::Lead => art
            .blocks
            .iter()
            .position(|b| b.kind == BlockKind::Paragraph)
            .map_or(art.blocks.len(), |i| i + 1),
    };
    let shortened = shown < art.blocks.len();
    if let (Some(md), false) = (&art.markdown, shortened) {
        return (linker::markdown(md, &linker), false);
    }
    let mut out = String::new();
    for b in &art.blocks[..shown] {
        let (open, close) = match b.kind {
            BlockKind::Heading => ("<h2>", "</h2>\n"),
            BlockKind::Paragraph => ("<p>", "</p>\n"),
        };
        out.push_str(open);
        linker.link_into(&b.text, &mut out);
        out.push_str(close);
    }
    (out, shortened)
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
