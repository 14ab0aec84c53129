//! The client-side search index, built at build time and read by `static/search.js`.
//!
//! Why not one big index file (elasticlunr, as mdBook does)? At 100,000 articles one file of
//! even titles alone is tens of megabytes, all downloaded before the first result. Here the
//! index is split so a query loads only what it needs:
//! - `search/docs-N.js`: the documents in chunks of `chunk` (type, title, URL, a line of
//!   context); entities first, then partnerships, then articles, so a lower id ranks higher;
//! - `search/terms-KEY.js`: for every word whose first two (folded) letters are KEY, the ids
//!   of the documents that contain it, as gaps (the first id, then the difference to each
//!   next one). A shard over `SHARD_BYTES` is split by the next letter (`terms-kor.js`...),
//!   so no file grows with the site: a query word loads the shards whose key begins it or
//!   that it begins.
//!
//! Words are folded the same way as the client folds them (NFKD, marks removed, lower case),
//! so "Rose" finds "Rosé". Each file is a script calling `kwikiSearch.docs(..)` or
//! `kwikiSearch.terms(..)`, so search also works from `file://` without a server.
use super::{Page, Site};
use crate::error::Result;
use crate::link::Wiki;
use rayon::prelude::*;
use rustc_hash::FxHashSet;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
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
    // ASCII decomposes to itself and has no marks: most names and titles take this path
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
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

/// One searchable document: `[type, title, url, context]`, and the texts its words come from:
/// its own, then the names and aliases of `entities`.
struct Doc<'a> {
    kind: &'static str,
    title: Cow<'a, str>,
    url: Cow<'a, str>,
    context: String,
    text: Vec<Cow<'a, str>>,
    entities: Vec<usize>,
}

fn kind_code(k: crate::extract::Kind) -> &'static str {
    match k {
        crate::extract::Kind::Artist => "a",
        crate::extract::Kind::Film => "f",
        crate::extract::Kind::Label => "l",
        crate::extract::Kind::Song => "s",
    }
}

/// How many documents the site has.
fn doc_count(w: &Wiki) -> usize {
    w.entities.len() + w.partnerships.len() + w.articles.len()
}

/// Document `id`: entities first, then partnerships, then articles. Made one at a time, so the
/// index never holds every document's text.
fn doc<'a>(site: &Site<'a>, settings: &SearchSettings, id: usize) -> Doc<'a> {
    let w: &'a Wiki = site.wiki;
    let (ne, np) = (w.entities.len(), w.partnerships.len());
    if id < ne {
        let e = &w.entities[id];
        return Doc {
            kind: kind_code(e.kind),
            title: e.name.as_str().into(),
            url: e.url().into(),
            context: e.aliases.join(", "),
            text: Vec::new(),
            entities: vec![id],
        };
    }
    if id < ne + np {
        let p = &w.partnerships[id - ne];
        let names: Vec<&str> = p
            .participants
            .iter()
            .map(|&e| w.entities[e].name.as_str())
            .collect();
        let mut context = p.kind.label().to_string();
        let mut text: Vec<Cow<str>> = names.iter().map(|&s| s.into()).collect();
        text.push(p.kind.label().into());
        if let Some(v) = p.via {
            context.push_str(" via ");
            context.push_str(&w.entities[v].name);
            text.push(w.entities[v].name.as_str().into());
        }
        return Doc {
            kind: "p",
            title: names.join(" × ").into(),
            url: super::partnership_href(w, p, &site.config.publish).into(),
            context,
            text,
            entities: Vec::new(),
        };
    }
    let a = id - ne - np;
    let art = &w.articles[a];
    let blocks = || art.blocks.iter().map(|b| b.text.as_str());
    // the body is the blocks joined by spaces; only its start is needed
    let mut snippet = super::joined_prefix(blocks(), settings.snippet_chars + 1);
    if snippet.chars().count() > settings.snippet_chars {
        snippet.pop();
        snippet.push('…');
    }
    let mut text: Vec<Cow<str>> = vec![art.title.as_str().into()];
    text.push(
        blocks()
            .flat_map(str::split_whitespace)
            .take(settings.snippet_words)
            .collect::<Vec<_>>()
            .join(" ")
            .into(),
    );
    let mut names: Vec<usize> = w.article_entities.get(a).cloned().unwrap_or_default();
    names.sort_by_key(|&e| (std::cmp::Reverse(w.entities[e].mentions.len()), e));
    names.truncate(settings.names_per_article);
    let date = art
        .date
        .as_deref()
        .map(|d| d.chars().take(10).collect::<String>());
    let context = match date {
        Some(d) => format!("{d} · {snippet}"),
        None => snippet,
    };
    Doc {
        kind: "n",
        title: art.title.as_str().into(),
        url: site.article_url(a).into(),
        context,
        text,
        entities: names,
    }
}

/// The distinct words of some texts that are not stop words, in the order first met.
fn distinct_words<'t>(
    texts: impl Iterator<Item = &'t str>,
    stop: &BTreeSet<String>,
) -> Vec<String> {
    let mut seen: FxHashSet<String> = FxHashSet::default();
    let mut out = Vec::new();
    for t in texts {
        for w in words(t) {
            if !stop.contains(&w) && seen.insert(w.clone()) {
                out.push(w);
            }
        }
    }
    out
}

/// The words of a document: those of its text, then its entities' (`entity_words`, found
/// once per build: an entity can have hundreds of aliases and be named in thousands of
/// articles), each once, in the order first met.
fn doc_words<'w>(
    d: &Doc,
    stop: &BTreeSet<String>,
    entity_words: &'w [Vec<String>],
) -> Vec<Cow<'w, str>> {
    let own = distinct_words(d.text.iter().map(|t| t.as_ref()), stop);
    if d.entities.is_empty() {
        return own.into_iter().map(Cow::Owned).collect();
    }
    let mut seen: FxHashSet<&str> = own.iter().map(String::as_str).collect();
    let mut theirs: Vec<&'w str> = Vec::new();
    for &e in &d.entities {
        for w in &entity_words[e] {
            if seen.insert(w) {
                theirs.push(w);
            }
        }
    }
    drop(seen);
    own.into_iter()
        .map(Cow::Owned)
        .chain(theirs.into_iter().map(Cow::Borrowed))
        .collect()
}

/// Term files handed on at a time.
const TERM_PAGES: usize = 64;

/// The search index files, under `search/`, handed to `sink` a few at a time: each docs
/// file as soon as its documents are indexed.
pub fn pages(
    site: &Site,
    settings: &SearchSettings,
    sink: &mut dyn FnMut(Vec<Page>) -> Result<()>,
) -> Result<()> {
    let n_docs = doc_count(site.wiki);
    let stop: BTreeSet<String> = settings.stopwords.iter().map(|s| fold(s)).collect();
    let chunk = settings.chunk.max(1);
    let entity_words: Vec<Vec<String>> = site
        .wiki
        .entities
        .par_iter()
        .map(|e| {
            let names = std::iter::once(&e.name).chain(&e.aliases);
            distinct_words(names.map(String::as_str), &stop)
        })
        .collect();
    // word -> doc ids (ascending, each once); grouped by shard key at the end
    let mut postings: rustc_hash::FxHashMap<String, Vec<u32>> = Default::default();
    for (n, start) in (0..n_docs).step_by(chunk).enumerate() {
        // each document's words, found in parallel; merged in document order
        let docs: Vec<(Doc, Vec<Cow<str>>)> = (start..(start + chunk).min(n_docs))
            .into_par_iter()
            .map(|id| {
                let d = doc(site, settings, id);
                let words = doc_words(&d, &stop, &entity_words);
                (d, words)
            })
            .collect();
        let rows: Vec<[&str; 4]> = docs
            .iter()
            .map(|(d, _)| [d.kind, &d.title, &d.url, &d.context])
            .collect();
        let page = script_page(&format!("search/docs-{n}.js"), "docs", &n, &rows);
        // this chunk's postings, gathered in parallel, then added in order (ids ascend)
        let local: rustc_hash::FxHashMap<&str, Vec<u32>> = docs
            .par_iter()
            .enumerate()
            .fold(rustc_hash::FxHashMap::default, |mut m, (i, (_, ws))| {
                let id = (start + i) as u32;
                for w in ws {
                    m.entry(w.as_ref()).or_insert_with(Vec::new).push(id);
                }
                m
            })
            .reduce(rustc_hash::FxHashMap::default, |mut a, b| {
                for (w, ids) in b {
                    a.entry(w).or_default().extend(ids);
                }
                a
            });
        for (w, mut ids) in local {
            ids.sort_unstable();
            match postings.get_mut(w) {
                Some(all) => all.extend(ids),
                None => {
                    postings.insert(w.to_string(), ids);
                }
            }
        }
        drop(docs);
        sink(vec![page])?;
    }
    let shards = shards(postings, SHARD_BYTES);
    let keys: Vec<&String> = shards.keys().collect();
    let meta = script_page(
        "search/meta.js",
        "meta",
        &(),
        &Meta {
            chunk,
            docs: n_docs,
            keys: &keys,
            stopwords: &stop,
        },
    );
    let mut batch = Vec::with_capacity(TERM_PAGES);
    for (key, words) in &shards {
        batch.push(script_page(
            &format!("search/terms-{}.js", key_file(key)),
            "terms",
            key,
            words,
        ));
        if batch.len() == TERM_PAGES {
            sink(std::mem::take(&mut batch))?;
        }
    }
    batch.push(meta);
    sink(batch)
}

/// A term shard's words, each with its documents as gaps: the first id, then the
/// difference from each id to the next (smaller numbers than the ids themselves).
type Shard = BTreeMap<String, Vec<u32>>;

/// Words with their documents (as gaps), not yet placed in a shard.
type Words = Vec<(String, Vec<u32>)>;

/// About the largest term shard, in bytes: a query loads the shards of its words' first
/// letters, so they stay small enough for a phone on a slow connection.
const SHARD_BYTES: usize = 512 << 10;

/// The words grouped into shards by their first two letters; a shard larger than
/// `max_bytes` is split by one more letter (its words that short stay in it), again and
/// again. A word's documents are in the shard of the longest key that begins it.
fn shards(
    postings: rustc_hash::FxHashMap<String, Vec<u32>>,
    max_bytes: usize,
) -> BTreeMap<String, Shard> {
    let mut todo: BTreeMap<String, Words> = BTreeMap::new();
    for (w, ids) in postings {
        todo.entry(shard_key(&w)).or_default().push((w, gaps(ids)));
    }
    let mut out = BTreeMap::new();
    let mut stack: Vec<(String, Words)> = todo.into_iter().collect();
    while let Some((key, words)) = stack.pop() {
        let len = key.chars().count();
        let size: usize = words
            .iter()
            .map(|(w, ids)| w.len() + 4 + ids.len() * 4)
            .sum();
        let longer = words
            .iter()
            .filter(|(w, _)| w.chars().count() > len)
            .count();
        if size <= max_bytes || longer == 0 {
            out.insert(key, words.into_iter().collect());
            continue;
        }
        let mut here = Vec::new();
        let mut split: BTreeMap<String, Words> = BTreeMap::new();
        for (w, ids) in words {
            if w.chars().count() > len {
                split
                    .entry(w.chars().take(len + 1).collect())
                    .or_default()
                    .push((w, ids));
            } else {
                here.push((w, ids));
            }
        }
        if !here.is_empty() {
            out.insert(key, here.into_iter().collect());
        }
        stack.extend(split);
    }
    out
}

/// Ascending ids as gaps: the first, then each one's difference from the one before.
fn gaps(ids: Vec<u32>) -> Vec<u32> {
    let mut last = 0;
    ids.into_iter()
        .map(|id| {
            let d = id - last;
            last = id;
            d
        })
        .collect()
}

/// `search/meta.js`: its fields in the order JSON objects were written in (by name).
#[derive(Serialize)]
struct Meta<'a> {
    chunk: usize,
    docs: usize,
    keys: &'a [&'a String],
    stopwords: &'a BTreeSet<String>,
}

/// `kwikiSearch.NAME(ARG, DATA);` with `<` escaped so no `</script>` can appear.
fn script_page<A: Serialize + ?Sized, D: Serialize + ?Sized>(
    path: &str,
    call: &str,
    arg: &A,
    data: &D,
) -> Page {
    let mut text = format!("kwikiSearch.{call}(");
    script_json_into(arg, &mut text);
    text.push(',');
    script_json_into(data, &mut text);
    text.push_str(");\n");
    Page {
        path: path.into(),
        content: text.into_bytes(),
    }
}

/// JSON safe inside a `<script>` element: `<`, `>` and `&` as `\u00XX` escapes.
pub fn script_json<T: Serialize + ?Sized>(v: &T) -> String {
    let mut out = String::new();
    script_json_into(v, &mut out);
    out
}

/// `script_json`, appended to `out`.
pub fn script_json_into<T: Serialize + ?Sized>(v: &T, out: &mut String) {
    let s = serde_json::to_string(v).unwrap_or_else(|_| "null".into());
    // one pass; these characters appear only inside JSON strings, where the escapes mean them
    let mut last = 0;
    for (i, c) in s.char_indices() {
        let rep = match c {
            '<' => "\\u003c",
            '>' => "\\u003e",
            '&' => "\\u0026",
            '\'' => "\\u0027",
            '\u{2028}' => "\\u2028",
            '\u{2029}' => "\\u2029",
            _ => continue,
        };
        out.push_str(&s[last..i]);
        out.push_str(rep);
        last = i + c.len_utf8();
    }
    out.push_str(&s[last..]);
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
        let s = script_json(&["</script><b>&'\u{2028}"]);
        assert!(!s.contains('<') && !s.contains('>'), "{s}");
        assert_eq!(
            s,
            r#"["\u003c/script\u003e\u003cb\u003e\u0026\u0027\u2028"]"#
        );
        let back: Vec<String> = serde_json::from_str(&s).unwrap();
        assert_eq!(back, ["</script><b>&'\u{2028}"]);
    }

    #[test]
    fn a_large_shard_is_split_by_the_next_letters() {
        // "ro" holds far more than the limit; "ka" stays whole
        let mut postings: rustc_hash::FxHashMap<String, Vec<u32>> = Default::default();
        for w in [
            "ro", "rose", "rosie", "roppongi", "role", "romance", "ka", "kang",
        ] {
            let n = if w.starts_with("ro") { 300 } else { 2 };
            postings.insert(w.to_string(), (0..n).map(|i| i * 3 + 1).collect());
        }
        let out = shards(postings, 2_000);
        let keys: Vec<&str> = out.keys().map(String::as_str).collect();
        // "ros" is split again ("rose" and "rosie" are each near the limit); it keeps no
        // word of its own, so it has no shard
        assert_eq!(keys, ["ka", "ro", "rol", "rom", "rop", "rose", "rosi"]);
        // a split shard keeps its short words; each word is in the longest key beginning it
        assert_eq!(out["ro"].keys().collect::<Vec<_>>(), ["ro"]);
        assert_eq!(out["rosi"].keys().collect::<Vec<_>>(), ["rosie"]);
        assert!(out["ka"].contains_key("kang"));
        for (key, shard) in &out {
            for w in shard.keys() {
                let longest = keys
                    .iter()
                    .filter(|k| w.starts_with(**k))
                    .max_by_key(|k| k.len());
                assert_eq!(longest, Some(&key.as_str()), "{w} in {key}");
            }
        }
        // documents as gaps: the first id, then the steps between them
        assert_eq!(&out["ka"]["kang"], &[1, 3]);
    }

    #[test]
    fn builtin_settings_parse() {
        let s: SearchSettings = crate::yaml::from_str(SETTINGS_YAML, 0).unwrap();
        assert!(s.stopwords.contains(&"the".to_string()));
        assert!(s.chunk > 0);
    }
}
