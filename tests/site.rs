//! The built site, end to end: build the real seeds into a temp dir and read what a reader
//! (and a crawler, a feed reader, a search engine) would.
use kwiki::render::api::{EntitiesFile, PartnershipsFile};
use kwiki::site::{self, Site};
use regex::Regex;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Build the seeds into a fresh temp dir, optionally with a base URL.
fn build(base_url: &str) -> tempfile::TempDir {
    build_with(|c| c.base_url = base_url.into())
}

/// Build the seeds into a fresh temp dir with these settings.
fn build_with(settings: impl FnOnce(&mut kwiki::config::SiteConfig)) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut site = Site::load(&repo()).unwrap();
    site.config.output_dir = dir.path().join("public");
    settings(&mut site.config);
    site::build(&site).unwrap();
    dir
}

fn out(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("public")
}

fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    v.sort();
    v
}

fn entities(dir: &Path) -> EntitiesFile {
    kwiki::render::api::read(&dir.join("api")).unwrap().0
}

fn partnerships(dir: &Path) -> PartnershipsFile {
    kwiki::render::api::read(&dir.join("api")).unwrap().1
}

/// The URL (relative to the site root) of the entity named `name` (any case, or an alias).
fn entity_url(dir: &Path, name: &str) -> String {
    let lower = name.to_lowercase();
    entities(dir)
        .entities
        .into_iter()
        .find(|e| {
            e.name.to_lowercase() == lower || e.aliases.iter().any(|a| a.to_lowercase() == lower)
        })
        .unwrap_or_else(|| panic!("no entity named {name}"))
        .url
}

/// Resolve `href` against the URL path `page` ("/kwiki/artist/rose/index.html") the way a
/// browser does: `..` stops at the host root.
fn resolve(page: &str, href: &str) -> String {
    let mut segs: Vec<&str> = if href.starts_with('/') {
        Vec::new()
    } else {
        let mut s: Vec<&str> = page.split('/').filter(|s| !s.is_empty()).collect();
        s.pop(); // the page's own file name
        s
    };
    let trailing = href.ends_with('/') || href.ends_with("/.") || href.ends_with("/..");
    for part in href.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                segs.pop();
            }
            p => segs.push(p),
        }
    }
    let mut r = format!("/{}", segs.join("/"));
    if trailing && !r.ends_with('/') {
        r.push('/');
    }
    r
}

/// Every internal link (href, src, and a meta refresh target) of every HTML file, checked
/// as if the site were served at `prefix` ("/" or "/kwiki/"). Returns the broken ones.
fn broken_links(dir: &Path, prefix: &str, skip_404: bool) -> (usize, Vec<String>) {
    let attr = Regex::new(r#"(?:href|src)="([^"]*)""#).unwrap();
    let refresh = Regex::new(r#"http-equiv="refresh" content="\d+; url=([^"]*)""#).unwrap();
    let mut checked = 0;
    let mut broken = Vec::new();
    for f in files(dir).into_iter().filter(|f| f.ends_with(".html")) {
        if skip_404 && f == "404.html" {
            continue;
        }
        let html = read(dir, &f);
        let page = format!("{prefix}{f}");
        for cap in attr
            .captures_iter(&html)
            .chain(refresh.captures_iter(&html))
        {
            let href = cap[1].replace("&amp;", "&");
            if href.is_empty()
                || href.starts_with('#')
                || href.contains("://")
                || href.starts_with("mailto:")
                || href.starts_with("data:")
            {
                continue;
            }
            let href = href.split(['#', '?']).next().unwrap_or("").to_string();
            if href.is_empty() {
                continue; // "?q=" on the same page
            }
            checked += 1;
            let url = resolve(&page, &href);
            let Some(rel) = url.strip_prefix(prefix) else {
                broken.push(format!("{f}: {href} leaves {prefix}"));
                continue;
            };
            let target = dir.join(rel);
            let ok = if rel.is_empty() || rel.ends_with('/') {
                target.join("index.html").is_file()
            } else {
                target.is_file() || target.join("index.html").is_file()
            };
            if !ok {
                broken.push(format!("{f}: {href} -> {url}"));
            }
        }
    }
    (checked, broken)
}

#[test]
fn no_broken_internal_link_at_the_root_or_under_a_sub_path() {
    let plain = build("");
    let (n, broken) = broken_links(&out(&plain), "/", false);
    assert!(n > 500, "only {n} links checked");
    assert!(broken.is_empty(), "broken at /: {broken:#?}");
    // without a base URL, 404.html links from the host root: check it only where it knows
    let (_, broken) = broken_links(&out(&plain), "/kwiki/", true);
    assert!(broken.is_empty(), "broken under /kwiki/: {broken:#?}");
    let sub = build("https://example.org/kwiki");
    let (_, broken) = broken_links(&out(&sub), "/kwiki/", false);
    assert!(
        broken.is_empty(),
        "broken under /kwiki/ with base_url: {broken:#?}"
    );
}

#[test]
fn the_crawler_catches_a_broken_link() {
    let d = build("");
    let dir = out(&d);
    std::fs::write(
        dir.join("bad.html"),
        r#"<a href="artist/nobody/">x</a><a href="/artist/">y</a>"#,
    )
    .unwrap();
    let (_, broken) = broken_links(&dir, "/kwiki/", true);
    assert_eq!(broken.len(), 2, "{broken:#?}");
}

#[test]
fn the_key_entities_have_pages() {
    let d = build("");
    let dir = out(&d);
    for name in [
        "Rosé",
        "BLACKPINK",
        "F1",
        "Messy",
        "Kakao Entertainment",
        "Billboard",
    ] {
        let url = entity_url(&dir, name);
        let html = read(&dir, &format!("{url}index.html"));
        assert!(
            html.contains(&format!("<h1>{}</h1>", name))
                || html
                    .to_lowercase()
                    .contains(&format!("<h1>{}</h1>", name.to_lowercase())),
            "{url} is not {name}'s page"
        );
    }
}

#[test]
fn roses_page_links_to_blackpink_and_to_the_f1_partnership_via_messy() {
    let d = build("");
    let dir = out(&d);
    let rose = entity_url(&dir, "Rosé");
    let html = read(&dir, &format!("{rose}index.html"));
    let href = |url: &str| format!("href=\"../../{url}\"");
    assert!(html.contains(&href(&entity_url(&dir, "BLACKPINK"))));
    let p = partnerships(&dir)
        .partnerships
        .into_iter()
        .find(|p| {
            p.participants.iter().any(|x| x == "Rosé") && p.participants.iter().any(|x| x == "F1")
        })
        .expect("a Rosé x F1 partnership");
    assert_eq!(p.via.as_deref(), Some("Messy"));
    let purl = format!("partnership/{}/", p.id);
    assert!(html.contains(&href(&purl)), "Rosé's page lacks {purl}");
    assert!(html.contains(&href(&entity_url(&dir, "Messy"))));
    // the partnership page names F1 and Messy and cites its articles
    let ph = read(&dir, &format!("{purl}index.html"));
    assert!(ph.contains(&href(&entity_url(&dir, "F1"))));
    assert!(ph.contains(&href(&entity_url(&dir, "Messy"))));
    assert!(ph.contains("href=\"../../article/"));
    // the graph on her page: a linked node for F1, the partnership as a labelled edge
    let svg = &html[html.find("<svg").expect("a graph")..html.find("</svg>").unwrap()];
    assert!(svg.contains(&href(&entity_url(&dir, "F1"))), "{svg}");
    assert!(svg.contains(&format!("<a class=\"edge-label\" {}", href(&purl))));
}

#[test]
fn seed_004_yields_no_entity() {
    let d = build("");
    let listed: Vec<String> = entities(&out(&d))
        .entities
        .into_iter()
        .filter(|e| e.articles.iter().any(|a| a.starts_with("004")))
        .map(|e| e.name)
        .collect();
    assert!(listed.is_empty(), "004 yields {listed:?}");
}

/// The JSON argument of a `kwikiSearch.CALL(ARG,DATA);` script.
fn script_data(js: &str) -> serde_json::Value {
    let open = js.find(',').unwrap();
    let close = js.rfind(");").unwrap();
    serde_json::from_str(&js[open + 1..close]).unwrap()
}

#[test]
fn search_finds_rose_by_her_alias() {
    let d = build("");
    let dir = out(&d);
    let docs: Vec<serde_json::Value> = files(&dir.join("search"))
        .iter()
        .filter(|f| f.starts_with("docs-"))
        .flat_map(|f| {
            script_data(&read(&dir, &format!("search/{f}")))
                .as_array()
                .unwrap()
                .clone()
        })
        .collect();
    let id = docs
        .iter()
        .position(|d| d[1] == "Rosé")
        .expect("Rosé is in the index");
    assert_eq!(docs[id][0], "a");
    assert!(docs[id][3].as_str().unwrap().contains("Rose"));
    // "rose" (folded "Rosé" and the alias "Rose") leads to her; ids are stored as gaps
    let terms = script_data(&read(&dir, "search/terms-ro.js"));
    let ids: Vec<u64> = (terms["rose"].as_array().unwrap().iter())
        .scan(0, |id, gap| {
            *id += gap.as_u64().unwrap();
            Some(*id)
        })
        .collect();
    assert!(ids.contains(&(id as u64)), "{ids:?}");
    // every document's URL is a page
    for d in &docs {
        let url = d[2].as_str().unwrap();
        assert!(dir.join(url).join("index.html").is_file(), "{url}");
    }
    // the search page works as a plain link and a form
    let page = read(&dir, "search/index.html");
    assert!(page.contains("name=\"q\""));
    assert!(read(&dir, "index.html").contains("action=\"search/\""));
}

#[test]
fn sitemap_feed_and_robots_are_well_formed() {
    let d = build("https://example.org/kwiki");
    let dir = out(&d);
    let sitemap = read(&dir, "sitemap.xml");
    let doc = roxmltree::Document::parse(&sitemap).unwrap();
    assert_eq!(doc.root_element().tag_name().name(), "urlset");
    let locs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    assert!(locs.len() > 50);
    for loc in &locs {
        let rel = loc
            .strip_prefix("https://example.org/kwiki/")
            .unwrap_or_else(|| panic!("{loc}"));
        assert!(dir.join(rel).join("index.html").is_file(), "{loc}");
    }
    assert!(locs.contains(&"https://example.org/kwiki/artist/rose/"));
    let feed = read(&dir, "feed.xml");
    let doc = roxmltree::Document::parse(&feed).unwrap();
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "feed");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2005/Atom")
    );
    let entries: Vec<_> = root
        .children()
        .filter(|n| n.has_tag_name("entry"))
        .collect();
    assert!(!entries.is_empty());
    for e in &entries {
        for tag in ["title", "id", "updated", "link"] {
            assert!(
                e.children().any(|c| c.has_tag_name(tag)),
                "entry lacks {tag}"
            );
        }
        let updated = e
            .children()
            .find(|c| c.has_tag_name("updated"))
            .and_then(|c| c.text())
            .unwrap();
        assert!(
            updated.len() >= 20 && updated.as_bytes()[10] == b'T',
            "{updated}"
        );
    }
    let robots = read(&dir, "robots.txt");
    assert!(robots.starts_with("User-agent: *\n"));
    assert!(robots.contains("Sitemap: https://example.org/kwiki/sitemap.xml"));
    // canonical URLs and Open Graph
    let rose = read(&dir, "artist/rose/index.html");
    assert!(
        rose.contains("<link rel=\"canonical\" href=\"https://example.org/kwiki/artist/rose/\">")
    );
    // Open Graph and Twitter read the title and description from <title> and the meta
    // description: og:title would only repeat them
    assert!(rose.contains("<title>Rosé · kwiki</title>"));
    assert!(rose.contains("<meta property=\"og:type\" content=\"profile\">"));
    assert!(rose.contains("<meta name=\"twitter:card\" content=\"summary\">"));
}

#[test]
fn json_ld_parses_and_names_the_right_type() {
    let d = build("https://example.org/kwiki");
    let dir = out(&d);
    let script = Regex::new(r#"(?s)<script type="application/ld\+json">(.*?)</script>"#).unwrap();
    let mut types: BTreeMap<String, String> = BTreeMap::new();
    for e in entities(&dir).entities {
        let html = read(&dir, &format!("{}index.html", e.url));
        let cap = script
            .captures(&html)
            .unwrap_or_else(|| panic!("{} has no JSON-LD", e.url));
        let v: serde_json::Value = serde_json::from_str(&cap[1]).unwrap();
        assert_eq!(v["name"], e.name.as_str());
        assert_eq!(v["@context"], "https://schema.org");
        types.insert(e.name.to_lowercase(), v["@type"].as_str().unwrap().into());
    }
    assert_eq!(types["rosé"], "Person");
    assert_eq!(types["blackpink"], "MusicGroup");
    assert_eq!(types["f1"], "Movie");
    assert_eq!(types["messy"], "MusicRecording");
    assert_eq!(types["kakao entertainment"], "Organization");
}

#[test]
fn alias_urls_redirect_to_their_entity() {
    let d = build("");
    let dir = out(&d);
    let ents = entities(&dir).entities;
    let ids: std::collections::HashSet<String> = ents.iter().map(|e| e.id.clone()).collect();
    let mut seen = 0;
    for e in &ents {
        let (kind, slug) = e.id.split_once('/').unwrap();
        for a in &e.aliases {
            let s = kwiki::link::slug::slugify(a);
            let id = format!("{kind}/{s}");
            if s == slug || ids.contains(&id) {
                continue;
            }
            let html = read(&dir, &format!("{id}/index.html"));
            let target = format!("../../{}", e.url);
            if html.contains(&format!("content=\"0; url={target}\"")) {
                assert!(html.contains(&format!("<a href=\"{target}\">")));
                seen += 1;
            }
        }
    }
    assert!(seen > 0, "no alias redirect page");
}

#[test]
fn pages_and_graphs_are_byte_identical_across_builds() {
    let a = build("https://example.org/kwiki");
    let b = build("https://example.org/kwiki");
    let (da, db) = (out(&a), out(&b));
    let fa = files(&da);
    assert_eq!(fa, files(&db));
    for f in &fa {
        assert!(
            std::fs::read(da.join(f)).unwrap() == std::fs::read(db.join(f)).unwrap(),
            "{f} differs between two builds"
        );
    }
    let home = read(&da, "index.html");
    assert!(home.contains("<svg class=\"graph home\""));
    assert!(home.contains("<a class=\"node kind-film\" href=\"film/f1/\">"));
}

#[test]
fn timeline_lists_dated_and_undated() {
    let d = build("");
    let dir = out(&d);
    let t = read(&dir, "timeline/index.html");
    assert!(t.contains("July 2024"), "the dated article's month");
    assert!(t.contains("id=\"undated\""));
    assert!(t.contains("href=\"../partnership/rose-x-f1/\""));
    assert!(dir.join("timeline/2024/index.html").is_file());
}

/// The part of `html` between `open` and the next `close`.
fn between<'h>(html: &'h str, open: &str, close: &str) -> &'h str {
    let from = html.find(open).unwrap_or_else(|| panic!("no {open}")) + open.len();
    let to = html[from..]
        .find(close)
        .unwrap_or_else(|| panic!("no {close}"));
    &html[from..from + to]
}

/// The frame is on every page (160,000 of them at 100,000 articles): it must not regrow
/// meta that repeats another, whitespace between the header's tags or a class per link.
#[test]
fn the_page_frame_and_the_names_links_stay_compact() {
    let d = build("https://example.org/kwiki");
    let dir = out(&d);
    let article = files(&dir)
        .into_iter()
        .filter(|f| f.starts_with("article/") && !f.starts_with("article/page/"))
        .find(|f| read(&dir, f).contains("<h2>Partnerships stated here</h2>"))
        .expect("an article that states a partnership");
    let partnership = files(&dir)
        .into_iter()
        .find(|f| f.starts_with("partnership/") && f.matches('/').count() == 2)
        .expect("a partnership page");
    let home = read(&dir, "index.html");
    assert!(home.contains("<meta name=\"description\" content=\"Who worked with whom"));
    assert!(home.contains("<link rel=\"alternate\" type=\"application/atom+xml\""));
    let gap = Regex::new(r">\s+<").unwrap();
    for page in [
        article.as_str(),
        partnership.as_str(),
        "artist/rose/index.html",
    ] {
        let html = read(&dir, page);
        // the feed's link for feed readers is the home page's; the footer links it everywhere
        assert!(html.contains("<footer><p>") && html.contains("feed.xml\">Atom feed</a>"));
        for repeat in [
            "og:title",
            "og:site_name",
            "og:description",
            "data-root",
            "application/atom+xml",
        ] {
            assert!(!html.contains(repeat), "{page} has {repeat}");
        }
        let header = between(&html, "<header>", "</header>");
        assert!(
            !gap.is_match(header),
            "{page}: white space between the header's tags: {header}"
        );
        assert!(header.contains("<nav aria-label=\"Main\">"), "{header}");
        assert!(html.contains("<footer><p>"), "{page}");
    }
    // the site's description is the home page's; an article's would repeat its first lines
    for page in [article.as_str(), partnership.as_str()] {
        assert!(
            !read(&dir, page).contains("<meta name=\"description\""),
            "{page}"
        );
    }
    let html = read(&dir, &article);
    let body = between(&html, "<div class=\"body\">", "</div>");
    assert!(body.contains("<a href=\"../../artist/"), "{body}");
    assert!(
        !body.contains("<a class="),
        "a class on a name's link: {body}"
    );
    let stated = between(&html, "<ul class=\"partnerships\">", "</ul>");
    assert!(
        stated.contains("<li><a href=\"../../partnership/"),
        "{stated}"
    );
    assert!(!stated.contains("<li class="), "{stated}");
    // the theme still tells the kinds apart by where the links lead
    let css = read(&dir, "style.css");
    for kind in ["artist", "film", "label", "song"] {
        assert!(
            css.contains(&format!("a[href^=\"../../{kind}/\"]")),
            "no style for links to {kind}/"
        );
    }
}

/// The `<div class="body">` of each article page: (page, body).
fn article_bodies(dir: &Path) -> Vec<(String, String)> {
    files(dir)
        .into_iter()
        .filter(|f| f.starts_with("article/") && !f.starts_with("article/page/"))
        .filter(|f| f.ends_with("index.html") && f.matches('/').count() == 2)
        .map(|f| {
            let html = read(dir, &f);
            let body = between(&html, "<div class=\"body\">", "</div>").to_string();
            (f, body)
        })
        .collect()
}

/// The hrefs of the links in `html`, in order.
fn hrefs(html: &str) -> Vec<String> {
    let href = Regex::new(r#"<a href="([^"]*)""#).unwrap();
    href.captures_iter(html).map(|c| c[1].to_string()).collect()
}

#[test]
fn publish_api_false_leaves_the_export_out_and_breaks_no_link() {
    let d = build_with(|c| c.publish.api = false);
    let dir = out(&d);
    assert!(out(&build("")).join("api/index.json").is_file());
    assert!(!dir.join("api").exists());
    let (n, broken) = broken_links(&dir, "/", false);
    assert!(n > 500, "only {n} links checked");
    assert!(broken.is_empty(), "{broken:#?}");
    // the pages are the same, only the export is gone
    assert_eq!(
        read(&dir, "artist/rose/index.html"),
        read(&out(&build("")), "artist/rose/index.html")
    );
}

#[test]
fn publish_mention_links_first_links_each_name_once_per_article() {
    let every = build("");
    let first = build_with(|c| c.publish.mention_links = kwiki::config::MentionLinks::First);
    let (every, first) = (article_bodies(&out(&every)), article_bodies(&out(&first)));
    assert_eq!(every.len(), first.len());
    let mut repeated = 0;
    for ((page, all), (_, once)) in every.iter().zip(&first) {
        let (all, once) = (hrefs(all), hrefs(once));
        let mut distinct = all.clone();
        distinct.sort();
        distinct.dedup();
        repeated += all.len() - distinct.len();
        let mut linked = once.clone();
        linked.sort();
        linked.dedup();
        // every name still linked, once, at its first mention
        assert_eq!(linked.len(), once.len(), "{page}: a name linked twice");
        assert_eq!(linked, distinct, "{page}");
        let mut firsts = all.clone();
        let mut seen = std::collections::HashSet::new();
        firsts.retain(|h| seen.insert(h.clone()));
        assert_eq!(once, firsts, "{page}");
    }
    assert!(
        repeated > 0,
        "no article names anyone twice: the test proves nothing"
    );
    let d = build_with(|c| c.publish.mention_links = kwiki::config::MentionLinks::First);
    let (_, broken) = broken_links(&out(&d), "/", false);
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn publish_article_text_lead_shows_the_first_paragraph_and_breaks_no_link() {
    let full = build("");
    let lead = build_with(|c| c.publish.article_text = kwiki::config::ArticleText::Lead);
    let bodies = article_bodies(&out(&full));
    let leads = article_bodies(&out(&lead));
    assert_eq!(bodies.len(), leads.len());
    let mut shortened = 0;
    for ((page, body), (_, short)) in bodies.iter().zip(&leads) {
        let paragraphs = body.matches("<p>").count();
        assert_eq!(
            short.matches("<p>").count(),
            paragraphs.min(1),
            "{page}: {short}"
        );
        let first = between(body, "<p>", "</p>");
        assert!(
            short.contains(first),
            "{page}: the first paragraph is not shown"
        );
        if paragraphs > 1 {
            shortened += 1;
            let second = body.split("<p>").nth(2).unwrap();
            assert!(!short.contains(second), "{page}: more than its lead");
            assert!(
                short.contains("<p class=\"more\">"),
                "{page}: no word of it"
            );
        }
        // the lists of names and partnerships stay
        let (a, b) = (read(&out(&full), page), read(&out(&lead), page));
        let tail = |h: &str| h[h.find("</div>").unwrap()..].to_string();
        assert_eq!(tail(&a), tail(&b), "{page}");
    }
    assert!(shortened > 3, "only {shortened} articles shortened");
    let (_, broken) = broken_links(&out(&lead), "/", false);
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn the_size_warning_names_the_settings_not_in_use() {
    use kwiki::config::{ArticleText, Publish};
    let big = site::Published {
        bytes: 1_500_000_000,
        files: 1,
        ..Default::default()
    };
    let text = |p: &Publish| -> String {
        big.warnings(Path::new("public"), p)
            .iter()
            .map(|w| w.to_string())
            .collect()
    };
    let all = text(&Publish::default());
    for s in [
        "api: false",
        "article_text: lead",
        "mention_links: first",
        "partnership_pages_from: 2",
        "1.50 GB",
    ] {
        assert!(all.contains(s), "{s} not in {all}");
    }
    let some = text(&Publish {
        api: false,
        article_text: ArticleText::Lead,
        ..Default::default()
    });
    assert!(
        !some.contains("api: false") && !some.contains("article_text"),
        "{some}"
    );
    assert!(some.contains("mention_links: first"), "{some}");
    let small = site::Published {
        bytes: 10_000_000,
        files: 1,
        ..Default::default()
    };
    assert!(
        small
            .warnings(Path::new("public"), &Publish::default())
            .is_empty()
    );
}

/// HTML text as a reader reads it (the entities Tera and kwiki write).
fn unescape(html: &str) -> String {
    html.replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&#x2F;", "/")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[test]
fn publish_partnership_pages_from_2_shows_one_stated_once_on_a_participants_page() {
    let d = build_with(|c| {
        c.publish.partnership_pages_from = 2;
        c.base_url = "https://example.org/kwiki".into();
    });
    let dir = out(&d);
    let ents = entities(&dir).entities;
    let (mut own, mut shown) = (0, 0);
    for p in partnerships(&dir).partnerships {
        let page = dir.join(format!("partnership/{}/index.html", p.id));
        assert_eq!(page.is_file(), p.evidence.len() >= 2, "{}", p.id);
        if p.evidence.len() >= 2 {
            own += 1;
            continue;
        }
        // the export names the participants
        let on_a_participants_page = ents
            .iter()
            .filter(|e| p.participants.contains(&e.name))
            .any(|e| {
                unescape(&read(&dir, &format!("{}index.html", e.url)))
                    .contains(&p.evidence[0].sentence)
            });
        assert!(
            on_a_participants_page,
            "{}: its sentence is on no participant's page",
            p.id
        );
        shown += 1;
    }
    assert!(own > 0 && shown > 0, "{own} with a page, {shown} without");
    // every link to a partnership without a page leads to a participant's page instead
    let (n, broken) = broken_links(&dir, "/kwiki/", false);
    assert!(n > 500, "only {n} links checked");
    assert!(broken.is_empty(), "{broken:#?}");
    let sitemap = read(&dir, "sitemap.xml");
    let listed = sitemap.matches("/partnership/").count();
    assert_eq!(
        listed,
        own + 1,
        "the sitemap lists the pages there are (and the index)"
    );
}
