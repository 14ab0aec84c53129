//! Long lists cut into pages, and the api and the search index cut into shards. With small
//! page sizes every list of the test corpus runs over several pages: each page links to the
//! next and back, following `next` from a list's first page visits each of its pages once,
//! and no link of the site is broken. The api index lists every shard with its count, and
//! the shards hold the whole export once; every search shard holds only words of its key.
use kwiki::site::{self, Site};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The seeds and the test corpus built with tiny pages; the output directory.
fn built() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let seeds = dir.path().join("seeds");
    std::fs::create_dir_all(&seeds).unwrap();
    for from in [repo().join("seeds"), repo().join("tests/corpus")] {
        for e in std::fs::read_dir(from).unwrap() {
            let p = e.unwrap().path();
            if matches!(p.extension().and_then(|x| x.to_str()), Some("txt" | "md")) {
                std::fs::copy(&p, seeds.join(p.file_name().unwrap())).unwrap();
            }
        }
    }
    std::fs::write(
        dir.path().join("site.yaml"),
        "paginate: {index: 7, mentions: 2, partnerships: 3, evidence: 2}\n",
    )
    .unwrap();
    let site = Site::load(dir.path()).unwrap();
    site::build(&site).unwrap();
    let out = dir.path().join("public");
    (dir, out)
}

/// Every file of `out`, relative, `/`-separated.
fn files(out: &Path) -> BTreeSet<String> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(out).unwrap();
            rel.to_string_lossy().replace('\\', "/")
        })
        .collect()
}

/// The file a link of page `from` leads to (`None` for an external link or an anchor).
fn target(from: &str, href: &str) -> Option<String> {
    if href.starts_with('#') || href.contains(':') || href.starts_with("//") {
        return None;
    }
    let href = href.split(['#', '?']).next().unwrap();
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop(); // the page's own file name
    for p in href.split('/') {
        match p {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            p => parts.push(p),
        }
    }
    let mut path = parts.join("/");
    if href.ends_with('/') || path.is_empty() {
        path = if path.is_empty() {
            "index.html".into()
        } else {
            format!("{path}/index.html")
        };
    }
    Some(path)
}

/// The `href`s of `<a rel="REL" href=...>` links on a page (all links for `None`).
fn links(html: &str, rel: Option<&str>) -> Vec<String> {
    let mut out = Vec::new();
    for tag in html.split('<').filter(|t| t.starts_with("a ")) {
        let tag = tag.split('>').next().unwrap();
        if let Some(r) = rel
            && !tag.contains(&format!("rel=\"{r}\""))
        {
            continue;
        }
        if let Some(at) = tag.find("href=\"") {
            let rest = &tag[at + 6..];
            out.push(rest[..rest.find('"').unwrap()].replace("&amp;", "&"));
        }
    }
    out
}

#[test]
fn paginated_lists_link_page_to_page_and_no_link_is_broken() {
    let (_dir, out) = built();
    let all = files(&out);
    let pages: BTreeMap<&String, String> = all
        .iter()
        .filter(|f| f.ends_with(".html"))
        .map(|f| (f, std::fs::read_to_string(out.join(f)).unwrap()))
        .collect();
    // no broken link anywhere (404.html links from the site root: left out)
    let mut broken = Vec::new();
    for (page, html) in pages.iter().filter(|(p, _)| p.as_str() != "404.html") {
        for href in links(html, None) {
            if let Some(t) = target(page, &href)
                && !all.contains(&t)
            {
                broken.push(format!("{page} -> {href}"));
            }
        }
    }
    assert!(broken.is_empty(), "broken links: {broken:#?}");
    // each `next` page links back with `prev`, and following `next` from a list's first
    // page visits each of its pages once
    let first_pages: Vec<&String> = pages
        .keys()
        .copied()
        .filter(|p| !p.contains("/page/") && !links(&pages[*p], Some("next")).is_empty())
        .collect();
    for list in [
        "artist/index.html",
        "partnership/index.html",
        "article/index.html",
        "timeline/undated/index.html",
    ] {
        assert!(
            first_pages.contains(&&list.to_string()),
            "{list} has no next page"
        );
    }
    // an entity's whole list of mentions runs over pages, and one of partnerships exists
    assert!(
        first_pages
            .iter()
            .any(|p| p.ends_with("/mentions/index.html")),
        "no list of mentions over several pages"
    );
    assert!(
        all.iter()
            .any(|f| f.ends_with("/partnerships/index.html") && f != "partnership/index.html")
    );
    let mut visited = BTreeSet::new();
    for first in &first_pages {
        let mut page = (*first).clone();
        let mut seen = vec![page.clone()];
        while let Some(next) = links(&pages[&page], Some("next")).first() {
            let next = target(&page, next).unwrap();
            // (a long page has its pager above and below the list)
            let back: BTreeSet<String> = links(&pages[&next], Some("prev"))
                .iter()
                .map(|b| target(&next, b).unwrap())
                .collect();
            assert_eq!(
                back.into_iter().collect::<Vec<_>>(),
                [page.clone()],
                "{next} does not lead back to {page}"
            );
            assert!(!seen.contains(&next), "{first}: {next} twice");
            seen.push(next.clone());
            page = next;
        }
        assert!(links(&pages[*first], Some("prev")).is_empty());
        // the list's pages are all the `page/N/` pages under it, numbered in order
        let base = first.trim_end_matches("index.html");
        let expected: Vec<String> = std::iter::once(first.to_string())
            .chain((2..=seen.len()).map(|n| format!("{base}page/{n}/index.html")))
            .collect();
        assert_eq!(seen, expected);
        let beyond = format!("{base}page/{}/index.html", seen.len() + 1);
        assert!(!all.contains(&beyond), "{beyond} is not linked");
        visited.extend(seen);
    }
    let numbered: BTreeSet<String> = all
        .iter()
        .filter(|f| f.contains("/page/") && f.ends_with(".html"))
        .cloned()
        .collect();
    assert!(
        numbered.is_subset(&visited),
        "pages no next link reaches: {:?}",
        numbered.difference(&visited).collect::<Vec<_>>()
    );
    // an entity page shows the first of its mentions and leads to the whole list
    let long = first_pages
        .iter()
        .find(|p| p.ends_with("/mentions/index.html"))
        .unwrap();
    let entity = long.trim_end_matches("mentions/index.html").to_string() + "index.html";
    assert!(pages[&entity].contains("mentions/\">All "), "{entity}");
}

fn json(out: &Path, rel: &str) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(out.join(rel)).unwrap()).unwrap()
}

#[test]
fn the_api_index_lists_shards_that_hold_the_export_once() {
    let (_dir, out) = built();
    let index = json(&out, "api/index.json");
    for (what, whole) in [
        ("entities", "api/entities.json"),
        ("partnerships", "api/partnerships.json"),
    ] {
        let shards = index[what].as_array().unwrap();
        assert!(shards.len() > 5, "{what}: {shards:?}");
        let mut ids = Vec::new();
        for s in shards {
            let file = s["file"].as_str().unwrap();
            let items = json(&out, &format!("api/{file}"))[what].clone();
            let items = items.as_array().unwrap();
            assert_eq!(items.len() as u64, s["count"].as_u64().unwrap(), "{file}");
            // a shard per kind and first letter: `entities/artist-b.json`
            let stem = file.rsplit('/').next().unwrap().trim_end_matches(".json");
            let (kind, _letter) = stem.rsplit_once('-').unwrap();
            for item in items {
                if what == "entities" {
                    assert_eq!(item["kind"], kind, "{file}: {item}");
                }
                ids.push(item["id"].to_string());
            }
        }
        let n = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), n, "{what}: an item in two shards");
        // the whole file (kept while under 10 MB) holds the same items
        let all = json(&out, whole)[what].as_array().unwrap().len();
        assert_eq!(all, n, "{what}: the shards miss items of {whole}");
    }
    for f in files(&out) {
        assert!(
            std::fs::metadata(out.join(&f)).unwrap().len() < 10_000_000,
            "{f}"
        );
    }
}

/// The JSON argument of a `kwikiSearch.NAME(ARG, DATA);` script.
fn script_data(out: &Path, rel: &str) -> serde_json::Value {
    let js = std::fs::read_to_string(out.join(rel)).unwrap();
    let start = js.find(',').unwrap() + 1;
    serde_json::from_str(&js[start..js.rfind(')').unwrap()]).unwrap()
}

#[test]
fn search_shards_hold_the_words_of_their_key_and_meta_lists_them_all() {
    let (_dir, out) = built();
    let meta = script_data(&out, "search/meta.js");
    let keys: Vec<&str> = (meta["keys"].as_array().unwrap().iter())
        .map(|k| k.as_str().unwrap())
        .collect();
    let docs = meta["docs"].as_u64().unwrap();
    let shard_files: BTreeSet<String> = files(&out)
        .into_iter()
        .filter(|f| f.starts_with("search/terms-"))
        .collect();
    assert_eq!(
        shard_files.len(),
        keys.len(),
        "a shard meta.js does not list"
    );
    let mut words = 0;
    for key in &keys {
        let shard = script_data(&out, &format!("search/terms-{key}.js"));
        for (word, gaps) in shard.as_object().unwrap() {
            words += 1;
            assert!(word.starts_with(key), "{word} in the shard of {key}");
            // ids as gaps: their running sum stays below the number of documents
            let last: u64 = gaps
                .as_array()
                .unwrap()
                .iter()
                .map(|g| g.as_u64().unwrap())
                .sum();
            assert!(last < docs, "{word}: {last} >= {docs}");
        }
    }
    assert!(words > 500, "{words} words");
    // the documents the ids point into: every chunk file of meta's count
    let chunk = meta["chunk"].as_u64().unwrap();
    for c in 0..docs.div_ceil(chunk) {
        assert!(out.join(format!("search/docs-{c}.js")).is_file());
    }
}
