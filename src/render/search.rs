//! The client-side search index, built at build time and read by `static/search.js`.
//!
//! Why not one big index file (elasticlunr, as mdBook does)? At 100,000 articles one file of
//! even titles alone is tens of megabytes, all downloaded before the first result. Here the
//! index is split so a query loads only what it needs:
//! - `search/docs-N.js`: the documents in chunks of `chunk` (type, title, URL, a line of
//!   context); entities first, then partnerships, then articles, so a lower id ranks higher;
//! - `search/terms-KEY.js`: for every word whose first two (folded) letters are KEY, the ids
//!   of the documents that contain it. A query word loads one term shard.
//!
//! Words are folded the same way as the client folds them (NFKD, marks removed, lower case),
//! so "Rose" finds "Rosé". Each file is a script calling `kwikiSearch.docs(..)` or
//! `kwikiSearch.terms(..)`, so search also works from `file://` without a server.
use super::{Page, Site};
use crate::link::Wiki;
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

pub const SETTINGS_YAML: &str = include_str!("../../data/search.yaml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchSettings {
    pub stopwords: Vec<String>,
    pub snippet_words: usize,
    pub snippet_chars: usize,
    pub chunk: usize,
    pub names_per_article: usize,
}

impl SearchSettings {
    pub fn builtin() -> SearchSettings {
        crate::yaml::from_str(SETTINGS_YAML, 0).unwrap_or(SearchSettings {
            stopwords: Vec::new(),
            snippet_words: 30,
            snippet_chars: 160,
            chunk: 1000,
            names_per_article: 40,
        })
    }
}

/// Lower case without diacritics: "Rosé" -> "rose". The same as `fold` in search.js.
pub fn fold(s: &str) -> String {
    s.nfkd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The folded words of a text.
pub fn words(s: &str) -> impl Iterator<Item = String> + '_ {
    fold(s)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect::<Vec<_>>()
        .into_iter()
}

/// The shard a word lives in: its first two characters.
pub fn shard_key(word: &str) -> String {
    word.chars().take(2).collect()
}

/// A key as a file-name-safe string: ASCII letters and digits as they are, anything else as
/// `u` and hex code points ("로" -> "u1105-u1169").
pub fn key_file(key: &str) -> String {
    if key.chars().all(|c| c.is_ascii_alphanumeric()) {
        key.to_string()
    } else {
        key.chars()
            .map(|c| format!("u{:x}", c as u32))
            .collect::<Vec<_>>()
            .join("-")
    }
}

/// One searchable document: `[type, title, url, context]`.
struct Doc {
    kind: &'static str,
    title: String,
    url: String,
    context: String,
    text: Vec<String>,
}

fn kind_code(k: crate::extract::Kind) -> &'static str {
    match k {
        crate::extract::Kind::Artist => "a",
        crate::extract::Kind::Film => "f",
        crate::extract::Kind::Label => "l",
        crate::extract::Kind::Song => "s",
    }
}

fn docs(site: &Site, settings: &SearchSettings) -> Vec<Doc> {
    let w: &Wiki = site.wiki;
    let mut out = Vec::with_capacity(w.entities.len() + w.partnerships.len() + w.articles.len());
    for e in &w.entities {
        let mut text = vec![e.name.clone()];
        text.extend(e.aliases.iter().cloned());
        out.push(Doc {
            kind: kind_code(e.kind),
            title: e.name.clone(),
            url: e.url(),
            context: e.aliases.join(", "),
            text,
        });
    }
    for p in &w.partnerships {
        let names: Vec<&str> = p
            .participants
            .iter()
            .map(|&e| w.entities[e].name.as_str())
            .collect();
        let mut context = p.kind.label().to_string();
        let mut text: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        text.push(p.kind.label().to_string());
        if let Some(v) = p.via {
            context.push_str(&format!(" via {}", w.entities[v].name));
            text.push(w.entities[v].name.clone());
        }
        out.push(Doc {
            kind: "p",
            title: names.join(" × "),
            url: p.url(),
            context,
            text,
        });
    }
    for (a, art) in w.articles.iter().enumerate() {
        let body: String = art
            .blocks
            .iter()
            .map(|b| b.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let mut snippet: String = body.chars().take(settings.snippet_chars).collect();
        if body.chars().count() > settings.snippet_chars {
            snippet.push('…');
        }
        let mut text = vec![art.title.clone()];
        text.push(
            body.split_whitespace()
                .take(settings.snippet_words)
                .collect::<Vec<_>>()
                .join(" "),
        );
        let mut names: Vec<usize> = w.article_entities.get(a).cloned().unwrap_or_default();
        names.sort_by_key(|&e| (std::cmp::Reverse(w.entities[e].mentions.len()), e));
        for &e in names.iter().take(settings.names_per_article) {
            text.push(w.entities[e].name.clone());
            text.extend(w.entities[e].aliases.iter().cloned());
        }
        let date = art
            .date
            .as_deref()
            .map(|d| d.chars().take(10).collect::<String>());
        let context = match date {
            Some(d) => format!("{d} · {snippet}"),
            None => snippet,
        };
        out.push(Doc {
            kind: "n",
            title: art.title.clone(),
            url: site.article_url(a),
            context,
            text,
        });
    }
    out
}

/// The search index files, under `search/`.
pub fn pages(site: &Site, settings: &SearchSettings) -> Vec<Page> {
    let docs = docs(site, settings);
    let stop: BTreeSet<String> = settings.stopwords.iter().map(|s| fold(s)).collect();
    let chunk = settings.chunk.max(1);
    let mut out = Vec::new();
    for (n, part) in docs.chunks(chunk).enumerate() {
        let rows: Vec<Value> = part
            .iter()
            .map(|d| json!([d.kind, d.title, d.url, d.context]))
            .collect();
        out.push(script_page(
            &format!("search/docs-{n}.js"),
            "docs",
            &json!(n),
            &Value::Array(rows),
        ));
    }
    // key -> word -> doc ids (ascending, each once)
    let mut terms: BTreeMap<String, BTreeMap<String, Vec<u32>>> = BTreeMap::new();
    for (id, d) in docs.iter().enumerate() {
        let mut seen: BTreeSet<String> = BTreeSet::new();
        for t in &d.text {
            for w in words(t) {
                if stop.contains(&w) || !seen.insert(w.clone()) {
                    continue;
                }
                terms
                    .entry(shard_key(&w))
                    .or_default()
                    .entry(w)
                    .or_default()
                    .push(id as u32);
            }
        }
    }
    for (key, words) in &terms {
        out.push(script_page(
            &format!("search/terms-{}.js", key_file(key)),
            "terms",
            &json!(key),
            &json!(words),
        ));
    }
    out.push(script_page(
        "search/meta.js",
        "meta",
        &json!(null),
        &json!({"docs": docs.len(), "chunk": chunk, "stopwords": stop, "keys": terms.keys().collect::<Vec<_>>()}),
    ));
    out
}

/// `kwikiSearch.NAME(ARG, DATA);` with `<` escaped so no `</script>` can appear.
fn script_page(path: &str, call: &str, arg: &Value, data: &Value) -> Page {
    let text = format!(
        "kwikiSearch.{call}({},{});\n",
        script_json(arg),
        script_json(data)
    );
    Page {
        path: path.into(),
        content: text.into_bytes(),
    }
}

/// JSON safe inside a `<script>` element: `<`, `>` and `&` as `\u00XX` escapes.
pub fn script_json(v: &Value) -> String {
    let s = serde_json::to_string(v).unwrap_or_else(|_| "null".into());
    s.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\'', "\\u0027")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_like_the_client() {
        assert_eq!(fold("Rosé"), "rose");
        assert_eq!(
            words("BLACKPINK's Rosé x F1").collect::<Vec<_>>(),
            ["blackpink", "s", "rose", "x", "f1"]
        );
        assert_eq!(shard_key("rose"), "ro");
        assert_eq!(key_file("ro"), "ro");
        assert!(
            key_file(&shard_key(&fold("로제")))
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-')
        );
    }

    #[test]
    fn script_json_cannot_close_the_script() {
        let s = script_json(&json!(["</script><b>&"]));
        assert!(!s.contains('<') && !s.contains('>'), "{s}");
        let back: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, json!(["</script><b>&"]));
    }

    #[test]
    fn builtin_settings_parse() {
        let s: SearchSettings = crate::yaml::from_str(SETTINGS_YAML, 0).unwrap();
        assert!(s.stopwords.contains(&"the".to_string()));
        assert!(s.chunk > 0);
    }
}
