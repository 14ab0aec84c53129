//! What the web around the site reads: `sitemap.xml`, `robots.txt`, the Atom feed, schema.org
//! JSON-LD per entity, and the redirect pages that send an alias URL to its entity.
//! All deterministic: dates come from the articles, never from the clock.
use super::linker::escape;
use super::search::script_json;
use super::{Page, Site};
use crate::extract::{Kind, Subtype};
use crate::link::slug::slugify;
use serde_json::{Value, json};
use std::collections::HashSet;
use std::fmt::Write;

/// URLs per sitemap file (the protocol's limit is 50,000).
pub const SITEMAP_MAX: usize = 50_000;
/// Entries in the feed.
pub const FEED_MAX: usize = 50;

/// An absolute URL when the site has a base URL, else the relative one.
fn abs(site: &Site, url: &str) -> String {
    let base = site.config.base_url();
    if base.is_empty() {
        url.to_string()
    } else {
        format!("{base}/{url}")
    }
}

/// `YYYY-MM-DD` of an article date, when it starts with one.
pub fn day(date: Option<&str>) -> Option<&str> {
    let d = date?;
    let b = d.as_bytes();
    let ok = b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit);
    ok.then(|| &d[..10])
}

/// An RFC 3339 timestamp for Atom: the date as written when it is a full timestamp with a
/// zone, midnight UTC when it is a bare day.
pub fn atom_time(date: Option<&str>) -> Option<String> {
    let d = date?.trim();
    let dayp = day(Some(d))?;
    if d.len() == 10 {
        return Some(format!("{dayp}T00:00:00Z"));
    }
    let rest = &d[10..];
    let b = rest.as_bytes();
    let time_ok = b.len() >= 9
        && b[0] == b'T'
        && b[1..3].iter().all(u8::is_ascii_digit)
        && b[3] == b':'
        && b[4..6].iter().all(u8::is_ascii_digit)
        && b[6] == b':'
        && b[7..9].iter().all(u8::is_ascii_digit);
    let zone = &rest[9.min(rest.len())..];
    let zone = zone.trim_start_matches(|c: char| c == '.' || c.is_ascii_digit());
    let zone_ok = zone == "Z"
        || (zone.len() == 6
            && (zone.starts_with('+') || zone.starts_with('-'))
            && zone.as_bytes()[3] == b':');
    if time_ok && zone_ok {
        Some(d.to_string())
    } else {
        Some(format!("{dayp}T00:00:00Z"))
    }
}

/// Every page URL that belongs in the sitemap, with its last-modified day when known.
fn sitemap_urls(site: &Site) -> Vec<(String, Option<String>)> {
    let w = site.wiki;
    let mut urls: Vec<(String, Option<String>)> = vec![
        (String::new(), None),
        ("partnership/".into(), None),
        ("article/".into(), None),
        ("timeline/".into(), None),
    ];
    urls.extend(Kind::ALL.iter().map(|k| (format!("{}/", k.as_str()), None)));
    for e in &w.entities {
        let last = e
            .mentions
            .iter()
            .filter_map(|m| day(w.articles[m.article].date.as_deref()))
            .max()
            .map(str::to_string);
        urls.push((e.url(), last));
    }
    for p in &w.partnerships {
        if !site.config.publish.partnership_page(p.evidence.len()) {
            continue;
        }
        let last = p
            .evidence
            .iter()
            .filter_map(|ev| day(w.articles[ev.article].date.as_deref()))
            .max()
            .map(str::to_string);
        urls.push((p.url(), last));
    }
    for (a, art) in w.articles.iter().enumerate() {
        urls.push((
            site.article_url(a),
            day(art.date.as_deref()).map(str::to_string),
        ));
    }
    for y in super::timeline::years(site) {
        urls.push((format!("timeline/{y}/"), None));
    }
    urls
}

fn urlset(site: &Site, urls: &[(String, Option<String>)]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (u, last) in urls {
        let _ = write!(out, "<url><loc>{}</loc>", escape(&abs(site, u)));
        if let Some(l) = last {
            let _ = write!(out, "<lastmod>{l}</lastmod>");
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

/// `sitemap.xml` (a sitemap index over `sitemap-N.xml` past 50,000 URLs) and `robots.txt`.
pub fn sitemap_and_robots(site: &Site) -> Vec<Page> {
    let urls = sitemap_urls(site);
    let mut pages = Vec::new();
    if urls.len() <= SITEMAP_MAX {
        pages.push(Page {
            path: "sitemap.xml".into(),
            content: urlset(site, &urls).into_bytes(),
        });
    } else {
        let mut index = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        for (n, part) in urls.chunks(SITEMAP_MAX).enumerate() {
            let name = format!("sitemap-{}.xml", n + 1);
            let _ = writeln!(
                index,
                "<sitemap><loc>{}</loc></sitemap>",
                escape(&abs(site, &name))
            );
            pages.push(Page {
                path: name,
                content: urlset(site, part).into_bytes(),
            });
        }
        index.push_str("</sitemapindex>\n");
        pages.push(Page {
            path: "sitemap.xml".into(),
            content: index.into_bytes(),
        });
    }
    let mut robots = String::from("User-agent: *\nAllow: /\n");
    if !site.config.base_url().is_empty() {
        let _ = writeln!(robots, "Sitemap: {}", abs(site, "sitemap.xml"));
    }
    pages.push(Page {
        path: "robots.txt".into(),
        content: robots.into_bytes(),
    });
    pages
}

/// The Atom feed of the latest dated articles (`feed.xml`). Undated articles have no place
/// in a feed (Atom requires a date) and are left out.
pub fn feed(site: &Site) -> Page {
    let w = site.wiki;
    let mut dated: Vec<(String, usize)> = w
        .articles
        .iter()
        .enumerate()
        .filter_map(|(i, a)| atom_time(a.date.as_deref()).map(|t| (t, i)))
        .collect();
    // newest first by calendar day, then by id for stability
    dated.sort_by(|a, b| {
        let (da, db) = (&a.0[..10], &b.0[..10]);
        db.cmp(da)
            .then_with(|| w.articles[a.1].id.cmp(&w.articles[b.1].id))
    });
    dated.truncate(FEED_MAX);
    let updated = dated
        .iter()
        .map(|(t, _)| t.clone())
        .max_by(|a, b| a[..10].cmp(&b[..10]).then(a.cmp(b)))
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    let base = site.config.base_url();
    let id_of = |url: &str| {
        if base.is_empty() {
            format!("urn:kwiki:{}", url.trim_end_matches('/'))
        } else {
            abs(site, url)
        }
    };
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = writeln!(
        out,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">",
        escape(&site.config.language)
    );
    let _ = writeln!(out, "<title>{}</title>", escape(&site.config.title));
    let _ = writeln!(
        out,
        "<subtitle>{}</subtitle>",
        escape(&site.config.description)
    );
    let _ = writeln!(
        out,
        "<link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        escape(&abs(site, "feed.xml"))
    );
    let _ = writeln!(
        out,
        "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        escape(&if base.is_empty() {
            "./".into()
        } else {
            format!("{base}/")
        })
    );
    let _ = writeln!(out, "<id>{}</id>", escape(&id_of("")));
    let _ = writeln!(out, "<updated>{updated}</updated>");
    let _ = writeln!(
        out,
        "<author><name>{}</name></author>",
        escape(&site.config.title)
    );
    out.push_str("<generator>kwiki</generator>\n");
    for (t, a) in &dated {
        let art = &w.articles[*a];
        let url = site.article_url(*a);
        let summary = art.lead(300);
        out.push_str("<entry>\n");
        let _ = writeln!(out, "<title>{}</title>", escape(&art.title));
        let _ = writeln!(
            out,
            "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            escape(&abs(site, &url))
        );
        let _ = writeln!(out, "<id>{}</id>", escape(&id_of(&url)));
        let _ = writeln!(out, "<updated>{t}</updated>");
        let _ = writeln!(out, "<published>{t}</published>");
        if let Some(p) = art.author.as_ref().or(art.publisher.as_ref()) {
            let _ = writeln!(out, "<author><name>{}</name></author>", escape(p));
        }
        let _ = writeln!(out, "<summary>{}</summary>", escape(&summary));
        out.push_str("</entry>\n");
    }
    out.push_str("</feed>\n");
    Page {
        path: "feed.xml".into(),
        content: out.into_bytes(),
    }
}

/// The schema.org type of an entity.
pub fn schema_type(kind: Kind, subtype: Option<Subtype>, has_members: bool) -> &'static str {
    match (kind, subtype) {
        (Kind::Artist, Some(Subtype::Group)) => "MusicGroup",
        (Kind::Artist, _) if has_members => "MusicGroup",
        (Kind::Artist, _) => "Person",
        (Kind::Film, Some(Subtype::Show)) => "TVSeries",
        (Kind::Film, _) => "Movie",
        (Kind::Song, _) => "MusicRecording",
        (Kind::Label, _) => "Organization",
    }
}

/// schema.org JSON-LD for entity `e`, escaped for a `<script>` element.
pub fn entity_jsonld(site: &Site, e: usize) -> String {
    let w = site.wiki;
    let ent = &w.entities[e];
    let ty = schema_type(ent.kind, ent.subtype, !ent.members.is_empty());
    let mut v = json!({
        "@context": "https://schema.org",
        "@type": ty,
        "name": ent.name,
    });
    let aliases = super::aliases::for_readers(&ent.name, &ent.aliases);
    if !aliases.is_empty() {
        v["alternateName"] = json!(aliases);
    }
    if !site.config.base_url().is_empty() {
        v["url"] = json!(abs(site, &ent.url()));
    }
    let person = |m: usize| {
        let x = &w.entities[m];
        let mut p =
            json!({"@type": schema_type(x.kind, x.subtype, !x.members.is_empty()), "name": x.name});
        if !site.config.base_url().is_empty() {
            p["url"] = json!(abs(site, &x.url()));
        }
        p
    };
    if ty == "MusicGroup" && !ent.members.is_empty() {
        v["member"] = Value::Array(ent.members.iter().map(|&m| person(m)).collect());
    }
    if ty == "Person" && !ent.member_of.is_empty() {
        v["memberOf"] = Value::Array(ent.member_of.iter().map(|&g| person(g)).collect());
    }
    let articles: Vec<Value> = ent
        .mentions
        .iter()
        .take(10)
        .map(|m| {
            let a = &w.articles[m.article];
            let mut x = json!({"@type": "NewsArticle", "headline": a.title});
            if let Some(d) = day(a.date.as_deref()) {
                x["datePublished"] = json!(d);
            }
            if !site.config.base_url().is_empty() {
                x["url"] = json!(abs(site, &site.article_url(m.article)));
            }
            x
        })
        .collect();
    if !articles.is_empty() {
        v["subjectOf"] = Value::Array(articles);
    }
    script_json(&v)
}

/// A redirect page for every alias whose slug differs from its entity's and names no other
/// page: `artist/doja-cat/` -> `artist/doja-cats/`. First come, first served, in entity order.
pub fn alias_redirects(site: &Site) -> Vec<(String, usize)> {
    let w = site.wiki;
    let mut taken: HashSet<String> = w.entities.iter().map(|e| e.id.clone()).collect();
    let mut out = Vec::new();
    for (i, e) in w.entities.iter().enumerate() {
        for alias in &e.aliases {
            let slug = slugify(alias);
            let id = format!("{}/{slug}", e.kind.as_str());
            if slug != e.slug && taken.insert(id.clone()) {
                out.push((id, i));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atom_times() {
        assert_eq!(
            atom_time(Some("2024-07-18")).as_deref(),
            Some("2024-07-18T00:00:00Z")
        );
        assert_eq!(
            atom_time(Some("2024-07-18T07:31:00+09:00")).as_deref(),
            Some("2024-07-18T07:31:00+09:00")
        );
        assert_eq!(
            atom_time(Some("2024-07-18 morning")).as_deref(),
            Some("2024-07-18T00:00:00Z")
        );
        assert_eq!(atom_time(Some("July 2024")), None);
        assert_eq!(atom_time(None), None);
    }

    #[test]
    fn schema_types() {
        assert_eq!(
            schema_type(Kind::Artist, Some(Subtype::Group), false),
            "MusicGroup"
        );
        assert_eq!(
            schema_type(Kind::Artist, Some(Subtype::Person), false),
            "Person"
        );
        assert_eq!(
            schema_type(Kind::Film, Some(Subtype::Show), false),
            "TVSeries"
        );
        assert_eq!(schema_type(Kind::Film, None, false), "Movie");
        assert_eq!(schema_type(Kind::Song, None, false), "MusicRecording");
        assert_eq!(schema_type(Kind::Label, None, false), "Organization");
    }
}
