//! Render: every page of the site, built from the `Wiki` through the Tera templates. Each
//! page gets a small context of its own data (its entity, its neighbours' names and URLs),
//! never the whole wiki. Links are relative (`root` leads back to the site root), so the
//! site works at a domain root and under any sub-path.
pub mod api;
pub mod graph;
pub mod linker;
pub mod search;
pub mod theme;
pub mod timeline;
pub mod web;

use crate::config::SiteConfig;
use crate::error::Result;
use crate::extract::{Kind, PartnershipKind};
use crate::ingest::BlockKind;
use crate::link::{Entity, Evidence, Partnership, Wiki};
use linker::{Linker, Target, escape};
use rayon::prelude::*;
use serde_json::{Value, json};
pub use theme::Theme;

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
}

impl<'a> Site<'a> {
    pub fn new(wiki: &'a Wiki, config: &'a SiteConfig) -> Site<'a> {
        let mut set = crate::link::slug::SlugSet::default();
        let article_slugs = wiki
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
        Site {
            wiki,
            config,
            article_slugs,
            graph: graph::Graph::build(wiki),
            article_index,
            carried,
        }
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
        ctx.insert(
            "site",
            &json!({
                "title": self.config.title,
                "description": self.config.description,
                "base_url": self.config.base_url(),
                "language": self.config.language,
            }),
        );
        ctx.insert("root", root);
        let canonical = if self.config.base_url().is_empty() {
            String::new()
        } else {
            format!("{}/{}", self.config.base_url(), url)
        };
        ctx.insert(
            "page",
            &json!({"url": url, "title": title, "canonical": canonical, "description": description, "og_type": og_type}),
        );
        ctx
    }

    fn entity_ref(&self, e: usize) -> Value {
        let ent = &self.wiki.entities[e];
        json!({"name": ent.name, "url": ent.url(), "kind": ent.kind.as_str()})
    }

    fn evidence(&self, ev: &Evidence) -> Value {
        let a = &self.wiki.articles[ev.article];
        json!({"sentence": ev.sentence, "article_title": a.title, "article_url": self.article_url(ev.article), "date": a.date})
    }

    /// A partnership for a template. `evidence` says which of its sentences come along: a
    /// list (home, index, carried) needs none, only `evidence_count` (at 100,000 articles a
    /// partnership can have thousands), an article page those stated in that article.
    fn partnership_ref(&self, p: &Partnership, from: Option<usize>, evidence: Cite) -> Value {
        let evidence: Vec<Value> = match evidence {
            Cite::First(n) => p
                .evidence
                .iter()
                .take(n)
                .map(|ev| self.evidence(ev))
                .collect(),
            Cite::None => Vec::new(),
            Cite::Article(a) => p
                .evidence
                .iter()
                .filter(|ev| ev.article == a)
                .map(|ev| self.evidence(ev))
                .collect(),
        };
        json!({
            "url": p.url(),
            "kind": p.kind.as_str(),
            "kind_label": p.kind.label(),
            "participants": p.participants.iter().map(|&e| self.entity_ref(e)).collect::<Vec<_>>(),
            "partners": p.participants.iter().filter(|&&e| Some(e) != from).map(|&e| self.entity_ref(e)).collect::<Vec<_>>(),
            "via": p.via.map(|v| self.entity_ref(v)),
            "evidence": evidence,
            "evidence_count": p.evidence.len(),
            "confidence": round2(p.confidence),
        })
    }
}

/// Which evidence sentences a partnership brings into a page's context.
#[derive(Clone, Copy)]
enum Cite {
    /// The first sentences, at most this many (a popular pair can have thousands).
    First(usize),
    None,
    Article(usize),
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

/// How many pages `render_parts` renders: those of the wiki's pages plus the site-wide files.
pub fn page_count(w: &Wiki) -> usize {
    5 + Kind::ALL.len() + w.entities.len() + w.partnerships.len() + w.articles.len() + 2
}

/// Render the pages in parts of at most `part` pages (rendered in parallel), handing each
/// part to `sink` before the next is rendered, so a large site never holds all its pages'
/// bytes at once. The first error stops the rendering.
pub fn render_parts(
    site: &Site,
    theme: &Theme,
    part: usize,
    mut sink: impl FnMut(Vec<Page>) -> Result<()>,
) -> Result<()> {
    let w = site.wiki;
    let redirects = web::alias_redirects(site);
    let mut jobs: Vec<Job> = vec![
        Job::Home,
        Job::Partnerships,
        Job::Articles,
        Job::NotFound,
        Job::Search,
    ];
    jobs.extend(Kind::ALL.into_iter().map(Job::KindIndex));
    jobs.extend((0..w.entities.len()).map(Job::Entity));
    jobs.extend((0..w.partnerships.len()).map(Job::Partnership));
    jobs.extend((0..w.articles.len()).map(Job::Article));
    jobs.extend(
        redirects
            .iter()
            .map(|(id, e)| Job::Redirect(id.as_str(), *e)),
    );
    for chunk in jobs.chunks(part.max(1)) {
        let pages: Vec<Page> = chunk
            .par_iter()
            .map(|j| render_job(site, theme, j))
            .collect::<Result<_>>()?;
        sink(pages)?;
    }
    sink(timeline::pages(site, theme)?)?;
    sink(search::pages(site, &search::SearchSettings::builtin()))?;
    let mut last = web::sitemap_and_robots(site);
    last.push(web::feed(site));
    last.push(Page {
        path: "api/entities.json".into(),
        content: pretty_json(&api::entities(w)),
    });
    last.push(Page {
        path: "api/partnerships.json".into(),
        content: pretty_json(&api::partnerships(w)),
    });
    sink(last)
}

/// Some of the wiki's own pages, by index: what `kwiki serve` renders again after an edit.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Selection {
    pub entities: Vec<usize>,
    pub partnerships: Vec<usize>,
    pub articles: Vec<usize>,
}

impl Selection {
    pub fn len(&self) -> usize {
        self.entities.len() + self.partnerships.len() + self.articles.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
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
    let mut pages: Vec<Page> = jobs
        .par_iter()
        .map(|j| render_job(site, theme, j))
        .collect::<Result<_>>()?;
    pages.extend(timeline::pages(site, theme)?);
    pages.extend(search::pages(site, &search::SearchSettings::builtin()));
    pages.extend(web::sitemap_and_robots(site));
    pages.push(web::feed(site));
    pages.push(Page {
        path: "api/entities.json".into(),
        content: pretty_json(&api::entities(site.wiki)),
    });
    pages.push(Page {
        path: "api/partnerships.json".into(),
        content: pretty_json(&api::partnerships(site.wiki)),
    });
    Ok(pages)
}

fn pretty_json<T: serde::Serialize>(v: &T) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(v).unwrap_or_default();
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

fn kind_counts(w: &Wiki) -> Vec<Value> {
    Kind::ALL
        .iter()
        .map(|&k| json!({"kind": k.as_str(), "title": kind_title(k), "url": format!("{}/", k.as_str()), "count": w.entities.iter().filter(|e| e.kind == k).count()}))
        .collect()
}

fn home(site: &Site) -> tera::Context {
    let w = site.wiki;
    let mut ctx = site.base("", "", &site.config.title);
    ctx.insert("kinds", &kind_counts(w));
    let mut top: Vec<usize> = (0..w.entities.len()).collect();
    top.sort_by_key(|&e| {
        (
            std::cmp::Reverse(w.entities[e].partnerships.len() * 2 + w.entities[e].mentions.len()),
            e,
        )
    });
    ctx.insert(
        "top_entities",
        &top.iter()
            .take(12)
            .map(|&e| site.entity_ref(e))
            .collect::<Vec<_>>(),
    );
    let mut recent: Vec<usize> = (0..w.partnerships.len()).collect();
    recent.sort_by_key(|&p| (std::cmp::Reverse(w.partnerships[p].evidence.len()), p));
    ctx.insert(
        "partnerships",
        &recent
            .iter()
            .take(12)
            .map(|&p| site.partnership_ref(&w.partnerships[p], None, Cite::None))
            .collect::<Vec<_>>(),
    );
    ctx.insert("articles", &latest_articles(site, 10));
    ctx.insert("graph_svg", &graph::home_svg(&site.graph, w, ""));
    ctx.insert("counts", &json!({"entities": w.entities.len(), "partnerships": w.partnerships.len(), "articles": w.articles.len()}));
    ctx
}

fn latest_articles(site: &Site, n: usize) -> Vec<Value> {
    let w = site.wiki;
    let mut order: Vec<usize> = (0..w.articles.len()).collect();
    order.sort_by(|&a, &b| w.articles[b].date.cmp(&w.articles[a].date).then(a.cmp(&b)));
    order
        .iter()
        .take(n)
        .map(|&a| article_ref(site, a))
        .collect()
}

fn article_ref(site: &Site, a: usize) -> Value {
    let art = &site.wiki.articles[a];
    json!({"title": art.title, "url": site.article_url(a), "date": art.date, "publisher": art.publisher, "id": art.id})
}

fn kind_index(site: &Site, k: Kind) -> tera::Context {
    let w = site.wiki;
    let mut ctx = site.base("../", &format!("{}/", k.as_str()), kind_title(k));
    let mut letters: Vec<(String, Vec<Value>)> = Vec::new();
    for (i, e) in w.entities.iter().enumerate().filter(|(_, e)| e.kind == k) {
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
        let entry = json!({"name": e.name, "url": e.url(), "mentions": e.mentions.len(), "partnerships": e.partnerships.len(), "aliases": e.aliases, "id": i});
        match letters.iter_mut().find(|(l, _)| *l == letter) {
            Some((_, v)) => v.push(entry),
            None => letters.push((letter, vec![entry])),
        }
    }
    letters.sort_by(|a, b| (a.0 != "#", &a.0).cmp(&(b.0 != "#", &b.0)));
    ctx.insert("kind", &json!({"kind": k.as_str(), "title": kind_title(k)}));
    ctx.insert("count", &w.entities.iter().filter(|e| e.kind == k).count());
    let present: Vec<String> = letters.iter().map(|(l, _)| l.clone()).collect();
    ctx.insert(
        "alphabet",
        &std::iter::once("#".to_string())
            .chain(('A'..='Z').map(|c| c.to_string()))
            .map(|l| {
                json!({"letter": l, "anchor": if l == "#" { "num".to_string() } else { l.to_lowercase() }, "present": present.contains(&l)})
            })
            .collect::<Vec<_>>(),
    );
    ctx.insert("letters", &letters.into_iter().map(|(l, v)| json!({"letter": l, "anchor": if l == "#" { "num".to_string() } else { l.to_lowercase() }, "entries": v})).collect::<Vec<_>>());
    ctx
}

fn entity(site: &Site, e: usize) -> tera::Context {
    let w = site.wiki;
    let ent: &Entity = &w.entities[e];
    let summary = format!(
        "{} — {}{}: {} partnership{}, mentioned in {} article{}.",
        ent.name,
        ent.kind.as_str(),
        ent.subtype
            .map(|s| format!(" ({})", format!("{s:?}").to_lowercase()))
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
    let mut ctx = site.base_with("../../", &ent.url(), &ent.name, &summary, og_type);
    ctx.insert("jsonld", &web::entity_jsonld(site, e));
    ctx.insert("graph_svg", &graph::ego_svg(&site.graph, w, e, "../../"));
    let description = ent
        .description
        .as_deref()
        .map(|d| linker::markdown(d, &Linker::new(Vec::new())));
    ctx.insert("entity", &json!({
        "name": ent.name,
        "kind": ent.kind.as_str(),
        "subtype": ent.subtype.map(|s| format!("{s:?}").to_lowercase()),
        "aliases": ent.aliases,
        "member_of": ent.member_of.iter().map(|&g| site.entity_ref(g)).collect::<Vec<_>>(),
        "members": ent.members.iter().map(|&m| site.entity_ref(m)).collect::<Vec<_>>(),
        "confidence": round2(ent.confidence),
        "cues": ent.cues,
        "description_html": description,
        "links": ent.links.iter().filter(|l| crate::ingest::is_web_url(&l.url)).map(|l| json!({"title": l.title, "url": l.url})).collect::<Vec<_>>(),
        "url": ent.url(),
    }));
    ctx.insert(
        "partnerships",
        &ent.partnerships
            .iter()
            .map(|&p| {
                site.partnership_ref(&w.partnerships[p], Some(e), Cite::First(CITES_ON_ENTITY))
            })
            .collect::<Vec<_>>(),
    );
    // works that carry a partnership, e.g. a song's soundtrack placements
    let carried: Vec<Value> = site.carried[e]
        .iter()
        .map(|&p| site.partnership_ref(&w.partnerships[p], None, Cite::None))
        .collect();
    ctx.insert("carries", &carried);
    let (rows, total) = mentions(site, ent);
    ctx.insert("mentions", &rows);
    ctx.insert("mentions_total", &total);
    ctx.insert(
        "related",
        &ent.related
            .iter()
            .map(|&r| site.entity_ref(r))
            .collect::<Vec<_>>(),
    );
    ctx
}

/// Mentions grouped by story: near-duplicate articles are one row citing each telling.
/// The first `MENTION_ROWS` stories that mention the entity, and how many there are.
fn mentions(site: &Site, ent: &Entity) -> (Vec<Value>, usize) {
    let w = site.wiki;
    let mut rows: Vec<(usize, Vec<Value>)> = Vec::new();
    let mut row_of: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
    let mut total = 0;
    for m in &ent.mentions {
        let story = w.story_of.get(m.article).copied().unwrap_or(m.article);
        match row_of.get(&story) {
            Some(&r) => {
                if r < MENTION_ROWS {
                    rows[r].1.push(site.evidence(m));
                }
            }
            None => {
                row_of.insert(story, total);
                total += 1;
                if total <= MENTION_ROWS {
                    rows.push((story, vec![site.evidence(m)]));
                }
            }
        }
    }
    let rows = rows
        .into_iter()
        .map(|(_, v)| json!({"citations": v}))
        .collect();
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
    let mut value = site.partnership_ref(part, None, Cite::First(CITES_ON_PARTNERSHIP));
    value["title"] = json!(title);
    value["cues"] = json!(part.cues);
    ctx.insert("partnership", &value);
    ctx
}

fn partnerships(site: &Site) -> tera::Context {
    let w = site.wiki;
    let mut ctx = site.base("../", "partnership/", "Partnerships");
    let groups: Vec<Value> = PartnershipKind::ALL
        .iter()
        .map(|&k| {
            let items: Vec<Value> = w
                .partnerships
                .iter()
                .filter(|p| p.kind == k)
                .map(|p| site.partnership_ref(p, None, Cite::None))
                .collect();
            json!({"kind": k.as_str(), "label": k.label(), "count": items.len(), "items": items})
        })
        .filter(|g| g["count"].as_u64().unwrap_or(0) > 0)
        .collect();
    ctx.insert("groups", &groups);
    ctx.insert("count", &w.partnerships.len());
    ctx
}

fn article(site: &Site, a: usize) -> tera::Context {
    let w = site.wiki;
    let art = &w.articles[a];
    let lead = art.lead(200);
    let mut ctx = site.base_with("../../", &site.article_url(a), &art.title, &lead, "article");
    let ents = w.article_entities.get(a).cloned().unwrap_or_default();
    let mut targets: Vec<Target> = Vec::new();
    for &e in &ents {
        let ent = &w.entities[e];
        for n in std::iter::once(&ent.name).chain(&ent.aliases) {
            if n.chars().count() >= 2 {
                targets.push(Target {
                    name: n.clone(),
                    href: format!("../../{}", ent.url()),
                    class: format!("mention {}", ent.kind.as_str()),
                });
            }
        }
    }
    let linker = Linker::new(targets);
    let body = match &art.markdown {
        Some(md) => linker::markdown(md, &linker),
        None => art
            .blocks
            .iter()
            .map(|b| match b.kind {
                BlockKind::Heading => format!("<h2>{}</h2>\n", linker.link(&b.text)),
                BlockKind::Paragraph => format!("<p>{}</p>\n", linker.link(&b.text)),
            })
            .collect(),
    };
    let twins: Vec<Value> = art
        .twins
        .iter()
        .filter_map(|t| site.article_index.get(t.as_str()))
        .map(|&t| article_ref(site, t))
        .collect();
    let source = art
        .source
        .as_deref()
        .filter(|s| crate::ingest::is_web_url(s));
    ctx.insert(
        "article",
        &json!({
            "id": art.id,
            "title": art.title,
            "date": art.date,
            "source": source,
            "publisher": art.publisher,
            "path": art.path.to_string_lossy(),
            "body_html": body,
            "twins": twins,
            "url": site.article_url(a),
        }),
    );
    let mut ents_sorted = ents.clone();
    ents_sorted.sort_by(|&x, &y| {
        (w.entities[x].kind, &w.entities[x].name).cmp(&(w.entities[y].kind, &w.entities[y].name))
    });
    ctx.insert(
        "entities",
        &ents_sorted
            .iter()
            .map(|&e| site.entity_ref(e))
            .collect::<Vec<_>>(),
    );
    let parts = w.article_partnerships.get(a).cloned().unwrap_or_default();
    ctx.insert(
        "partnerships",
        &parts
            .iter()
            .map(|&p| site.partnership_ref(&w.partnerships[p], None, Cite::Article(a)))
            .collect::<Vec<_>>(),
    );
    ctx
}

fn articles(site: &Site) -> tera::Context {
    let mut ctx = site.base("../", "article/", "Articles");
    ctx.insert("articles", &latest_articles(site, usize::MAX));
    ctx
}

fn redirect(site: &Site, id: &str, e: usize) -> tera::Context {
    let ent = &site.wiki.entities[e];
    let mut ctx = site.base("../../", &ent.url(), &ent.name);
    ctx.insert("alias_url", &format!("{id}/"));
    ctx.insert("target", &site.entity_ref(e));
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
