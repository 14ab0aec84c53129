//! Pass 1: what the page says about itself: JSON-LD (`NewsArticle` and kin), Open Graph and
//! `article:` properties, `<meta name>`, `<link rel=canonical>`, `<html lang>`, `<title>`.
//! The first found wins, in that order of trust.
use super::rules::PageRules;
use scraper::{Html, Node};
use serde_json::Value;

/// The page's own metadata (what it declares; nothing inferred here).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct PageMeta {
    pub title: Option<String>,
    /// As the page gives it (ISO 8601), trimmed to a date or date-time.
    pub date: Option<String>,
    /// The canonical URL, made absolute.
    pub canonical: Option<String>,
    pub publisher: Option<String>,
    pub author: Option<String>,
    pub lang: Option<String>,
}

/// Values gathered from the markup, before choosing.
#[derive(Default)]
struct Found {
    json_ld: PageMeta,
    meta: Vec<(String, String)>,
    canonical: Option<String>,
    html_lang: Option<String>,
    title: Option<String>,
}

/// The metadata of `doc` (relative URLs resolved against `url`, when known).
pub fn meta(doc: &Html, url: Option<&str>, rules: &PageRules) -> PageMeta {
    let mut f = Found::default();
    for node in doc.tree.root().descendants() {
        let Node::Element(el) = node.value() else {
            continue;
        };
        match el.name() {
            "html" => f.html_lang = el.attr("lang").map(str::to_string),
            "title" if f.title.is_none() => f.title = Some(text_of(node)),
            "link" if f.canonical.is_none() => {
                let canonical = el.attr("rel").is_some_and(|r| {
                    r.split_whitespace()
                        .any(|r| r.eq_ignore_ascii_case("canonical"))
                });
                if canonical {
                    f.canonical = el.attr("href").map(str::to_string);
                }
            }
            "meta" => {
                let key = el
                    .attr("property")
                    .or(el.attr("name"))
                    .or(el.attr("itemprop"));
                if let (Some(k), Some(v)) = (key, el.attr("content")) {
                    f.meta.push((k.to_ascii_lowercase(), v.trim().to_string()));
                }
            }
            "script"
                if el
                    .attr("type")
                    .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json")) =>
            {
                if let Ok(v) = serde_json::from_str::<Value>(&text_of(node)) {
                    json_ld(&v, rules, &mut f.json_ld);
                }
            }
            _ => {}
        }
    }
    choose(f, url)
}

fn text_of(node: ego_tree::NodeRef<'_, Node>) -> String {
    node.descendants()
        .filter_map(|n| n.value().as_text().map(|t| t.to_string()))
        .collect()
}

/// The first of the named `<meta>` values that is not empty.
fn meta_value(f: &Found, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| {
        f.meta
            .iter()
            .find(|(mk, v)| mk == k && !v.is_empty())
            .map(|(_, v)| v.clone())
    })
}

fn choose(f: Found, url: Option<&str>) -> PageMeta {
    let site_name = meta_value(&f, &["og:site_name", "application-name"]);
    let title = f
        .json_ld
        .title
        .clone()
        .or_else(|| meta_value(&f, &["og:title", "twitter:title"]))
        .or_else(|| {
            f.title
                .as_deref()
                .map(|t| without_site_name(t, site_name.as_deref()))
        });
    let date = f
        .json_ld
        .date
        .clone()
        .or_else(|| {
            meta_value(
                &f,
                &[
                    "article:published_time",
                    "datepublished",
                    "date",
                    "pubdate",
                    "publishdate",
                    "dc.date",
                    "dc.date.issued",
                    "sailthru.date",
                    "parsely-pub-date",
                ],
            )
        })
        .and_then(|d| iso_date(&d));
    let author = f.json_ld.author.clone().or_else(|| {
        meta_value(
            &f,
            &["author", "article:author", "dc.creator", "parsely-author"],
        )
        .filter(|a| !a.contains("://"))
    });
    let lang = f
        .html_lang
        .clone()
        .filter(|l| !l.trim().is_empty())
        .or_else(|| meta_value(&f, &["og:locale", "inlanguage"]))
        .or(f.json_ld.lang.clone())
        .map(|l| l.trim().replace('_', "-"))
        .map(|l| l.split('-').next().unwrap_or(&l).to_ascii_lowercase());
    let canonical = [
        f.canonical.clone(),
        meta_value(&f, &["og:url"]),
        f.json_ld.canonical.clone(),
    ]
    .into_iter()
    .flatten()
    .find_map(|c| absolute(&c, url));
    PageMeta {
        title: title
            .map(|t| crate::ingest::clean::normalize_spaces(&t))
            .filter(|t| !t.is_empty()),
        date,
        canonical,
        publisher: f.json_ld.publisher.clone().or(site_name),
        author,
        lang,
    }
}

/// `<title>` often ends in the site's name: "Headline | Site" or "Headline - Site".
fn without_site_name(title: &str, site: Option<&str>) -> String {
    let Some(site) = site else {
        return title.trim().to_string();
    };
    for sep in [" | ", " - ", " – ", " — ", " :: "] {
        if let Some(head) = title
            .strip_suffix(site)
            .and_then(|t| t.trim_end().strip_suffix(sep.trim_end()))
        {
            return head.trim().to_string();
        }
    }
    title.trim().to_string()
}

/// `c` as an absolute http(s) URL, resolved against `base`.
pub fn absolute(c: &str, base: Option<&str>) -> Option<String> {
    let base = base.and_then(|b| url::Url::parse(b).ok());
    let u = match url::Url::parse(c.trim()) {
        Ok(u) => u,
        Err(url::ParseError::RelativeUrlWithoutBase) => base?.join(c.trim()).ok()?,
        Err(_) => return None,
    };
    matches!(u.scheme(), "http" | "https").then(|| u.to_string())
}

/// An ISO 8601 date or date-time at the start of `s`, as a front matter `date` (fractions
/// of a second dropped).
pub fn iso_date(s: &str) -> Option<String> {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| {
        regex::Regex::new(
            r"^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?)?",
        )
        .expect("valid date pattern")
    });
    let c = re.captures(s.trim())?;
    Some(match (c.get(2), c.get(3)) {
        (Some(time), zone) => format!(
            "{}T{}{}",
            &c[1],
            time.as_str(),
            zone.map_or("", |z| z.as_str())
        ),
        (None, _) => c[1].to_string(),
    })
}

/// Read the JSON-LD objects of an article type in `v` (a graph, a list or one object).
fn json_ld(v: &Value, rules: &PageRules, out: &mut PageMeta) {
    match v {
        Value::Array(items) => items.iter().for_each(|i| json_ld(i, rules, out)),
        Value::Object(o) => {
            if let Some(g) = o.get("@graph") {
                json_ld(g, rules, out);
            }
            let types: Vec<&str> = match o.get("@type") {
                Some(Value::String(t)) => vec![t],
                Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
                _ => return,
            };
            // an article type; a WebPage only fills in what no article said
            if !types
                .iter()
                .any(|t| rules.article_types.iter().any(|a| a == t))
            {
                return;
            }
            let s = |k: &str| o.get(k).and_then(Value::as_str).map(str::to_string);
            out.title = out.title.take().or_else(|| s("headline")).or_else(|| {
                if types.contains(&"WebPage") {
                    None
                } else {
                    s("name")
                }
            });
            out.date = out
                .date
                .take()
                .or_else(|| s("datePublished"))
                .or_else(|| s("dateCreated"));
            out.author = out
                .author
                .take()
                .or_else(|| o.get("author").and_then(names));
            out.publisher = out
                .publisher
                .take()
                .or_else(|| o.get("publisher").and_then(names));
            out.lang = out.lang.take().or_else(|| s("inLanguage"));
            let page = o.get("mainEntityOfPage").and_then(|m| {
                m.as_str()
                    .map(str::to_string)
                    .or_else(|| m.get("@id").and_then(Value::as_str).map(str::to_string))
            });
            out.canonical = out.canonical.take().or(page).or_else(|| s("url"));
        }
        _ => {}
    }
}

/// The names of a person or organisation value: a string, an object with `name`, or a list.
fn names(v: &Value) -> Option<String> {
    let list: Vec<String> = match v {
        Value::String(s) => vec![s.clone()],
        Value::Object(o) => o
            .get("name")
            .and_then(Value::as_str)
            .map(str::to_string)
            .into_iter()
            .collect(),
        Value::Array(a) => a.iter().filter_map(names).collect(),
        _ => Vec::new(),
    };
    let list: Vec<String> = list
        .into_iter()
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty())
        .collect();
    (!list.is_empty()).then(|| list.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_titles_and_urls() {
        assert_eq!(
            iso_date("2024-07-26T09:30:00.123+09:00").as_deref(),
            Some("2024-07-26T09:30:00+09:00")
        );
        assert_eq!(iso_date("2024-07-26").as_deref(), Some("2024-07-26"));
        assert_eq!(iso_date("July 26, 2024"), None);
        assert_eq!(
            without_site_name("Headline | Site", Some("Site")),
            "Headline"
        );
        assert_eq!(
            without_site_name("Headline - Site", Some("Site")),
            "Headline"
        );
        assert_eq!(
            absolute("/a", Some("https://x.org/b/c")).as_deref(),
            Some("https://x.org/a")
        );
        assert_eq!(absolute("javascript:void(0)", None), None);
    }

    #[test]
    fn json_ld_graph_beats_open_graph() {
        let doc = Html::parse_document(
            r#"<html lang="en-GB"><head>
            <meta property="og:title" content="OG title">
            <script type="application/ld+json">{"@graph": [{"@type": "WebSite", "name": "Site"},
              {"@type": ["NewsArticle"], "headline": "LD title", "author": {"name": "A. Writer"},
               "publisher": {"name": "The Paper"}, "datePublished": "2024-01-02"}]}</script>
            </head></html>"#,
        );
        let m = meta(&doc, None, PageRules::builtin());
        assert_eq!(m.title.as_deref(), Some("LD title"));
        assert_eq!(m.author.as_deref(), Some("A. Writer"));
        assert_eq!(m.publisher.as_deref(), Some("The Paper"));
        assert_eq!(m.date.as_deref(), Some("2024-01-02"));
        assert_eq!(m.lang.as_deref(), Some("en"));
    }
}
