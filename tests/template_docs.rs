//! docs/templates.md and the real page contexts stay in step: the context of every page of the
//! seeds site is dumped, and each variable (with nested fields) must be documented with a
//! matching type, and each documented variable must exist.
use kwiki::render::{self, theme};
use kwiki::site::Site;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A documented variable: its dotted path (`entity.member_of[].name`) and type.
type Doc = BTreeMap<String, String>;

struct Docs {
    /// context name ("*" for every page, or a template) -> documented variables
    contexts: BTreeMap<String, Doc>,
    shapes: BTreeMap<String, Doc>,
}

fn parse_docs(text: &str) -> Docs {
    let mut contexts: BTreeMap<String, Doc> = BTreeMap::new();
    let mut shapes: BTreeMap<String, Doc> = BTreeMap::new();
    let mut current: Vec<(bool, String)> = Vec::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("<!-- context: ") {
            let names = rest.trim_end_matches("-->").split_whitespace();
            current = names.map(|n| (false, n.to_string())).collect();
            for (_, n) in &current {
                contexts.entry(n.clone()).or_default();
            }
        } else if let Some(rest) = line.strip_prefix("<!-- shape: ") {
            current = vec![(true, rest.trim_end_matches("-->").trim().to_string())];
            shapes.entry(current[0].1.clone()).or_default();
        } else if line.starts_with("| `") {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let path = cells[1].trim_matches('`').to_string();
            let ty = cells[2].to_string();
            for (is_shape, name) in &current {
                let map = if *is_shape {
                    shapes.get_mut(name)
                } else {
                    contexts.get_mut(name)
                };
                map.unwrap().insert(path.clone(), ty.clone());
            }
        } else if line.starts_with('#') {
            current.clear();
        }
    }
    Docs { contexts, shapes }
}

/// Expand shape references: `top_entities: array of EntityRef` adds `top_entities[].name`...
fn expand(doc: &Doc, shapes: &BTreeMap<String, Doc>) -> Doc {
    let mut out = doc.clone();
    let mut todo: Vec<(String, String)> = doc.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    while let Some((path, ty)) = todo.pop() {
        let base = ty.trim_end_matches(" or null");
        let (prefix, shape) = match base.strip_prefix("array of ") {
            Some(s) => (format!("{path}[]."), s),
            None => (format!("{path}."), base),
        };
        if let Some(fields) = shapes.get(shape) {
            for (f, t) in fields {
                let p = format!("{prefix}{f}");
                if out.insert(p.clone(), t.clone()).is_none() {
                    todo.push((p, t.clone()));
                }
            }
        }
    }
    out
}

/// Every path of a JSON value with the types seen there; `empty` collects containers that
/// were empty or null (their documented children cannot be seen in this data).
fn walk(v: &Value, path: &str, seen: &mut BTreeMap<String, BTreeSet<&'static str>>) {
    let ty = match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    if !path.is_empty() {
        seen.entry(path.to_string()).or_default().insert(ty);
    }
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                walk(x, &p, seen);
            }
        }
        Value::Array(items) => {
            for x in items {
                walk(x, &format!("{path}[]"), seen);
            }
        }
        _ => {}
    }
}

fn type_ok(doc_ty: &str, seen: &str, shapes: &BTreeMap<String, Doc>) -> bool {
    let nullable = doc_ty.ends_with(" or null");
    let base = doc_ty.trim_end_matches(" or null");
    match seen {
        "null" => nullable,
        "array" => base.starts_with("array"),
        "object" => base == "object" || shapes.contains_key(base),
        other => base == other,
    }
}

#[test]
fn documented_contexts_match_the_real_ones() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("docs/templates.md")).unwrap();
    let docs = parse_docs(&text);
    let site = Site::load(root).unwrap();
    let (wiki, _) = site.wiki(&mut Default::default()).unwrap();
    let rsite = render::Site::new(&wiki, &site.config);

    let mut paths: Vec<String> = vec![
        "index.html".into(),
        "partnership/".into(),
        "article/".into(),
        "404.html".into(),
    ];
    paths.extend(["artist/", "film/", "label/", "song/"].map(String::from));
    paths.extend(wiki.entities.iter().map(|e| e.url()));
    paths.extend(wiki.partnerships.iter().map(|p| p.url()));
    paths.extend((0..wiki.articles.len()).map(|a| rsite.article_url(a)));

    // template -> every path seen (with its types) across all its pages
    let mut seen: BTreeMap<String, BTreeMap<String, BTreeSet<&'static str>>> = BTreeMap::new();
    for p in &paths {
        let (template, ctx) =
            render::context_for(&rsite, p).unwrap_or_else(|| panic!("no page at {p}"));
        let json = theme::context_json(&ctx).unwrap();
        walk(&json, "", seen.entry(template).or_default());
    }
    let templates: BTreeSet<&String> = seen.keys().collect();
    for t in [
        "index.html",
        "list.html",
        "artist.html",
        "film.html",
        "partnership.html",
        "partnerships.html",
        "article.html",
        "articles.html",
        "404.html",
    ] {
        assert!(
            templates.iter().any(|x| *x == t),
            "the seeds have no {t} page"
        );
    }

    let common = docs.contexts.get("*").expect("a `context: *` table");
    let mut problems = Vec::new();
    for (template, seen) in &seen {
        let own = docs
            .contexts
            .get(template)
            .unwrap_or_else(|| panic!("docs/templates.md has no context table for {template}"));
        let mut doc = common.clone();
        doc.extend(own.clone());
        let doc = expand(&doc, &docs.shapes);
        // every real variable is documented, with its type
        for (path, types) in seen {
            if let Some(array) = path.strip_suffix("[]") {
                // an element: its type is the one after "array of"
                let elem = doc
                    .get(array)
                    .and_then(|t| t.strip_prefix("array of "))
                    .unwrap_or("?");
                for t in types {
                    if !type_ok(elem, t, &docs.shapes) {
                        problems.push(format!(
                            "{template}: items of `{array}` are documented as {elem} but are {t}"
                        ));
                    }
                }
                continue;
            }
            match doc.get(path) {
                None => problems.push(format!("{template}: `{path}` is not documented")),
                Some(ty) => {
                    for t in types {
                        if !type_ok(ty, t, &docs.shapes) {
                            problems.push(format!(
                                "{template}: `{path}` is documented as {ty} but is {t}"
                            ));
                        }
                    }
                }
            }
        }
        // every documented variable exists, unless it sits inside something that was empty
        // or null on every page of the seeds
        for path in doc.keys() {
            if seen.contains_key(path) {
                continue;
            }
            let mut parent = path.as_str();
            let mut hidden = false;
            while let Some(i) = parent.rfind(['.', '[']) {
                parent = &parent[..i];
                if let Some(types) = seen.get(parent) {
                    hidden = types.iter().all(|t| *t == "null")
                        || !seen.keys().any(|k| k.starts_with(&format!("{parent}[]")))
                            && types.contains("array");
                    break;
                }
            }
            if !hidden {
                problems.push(format!("{template}: documented `{path}` does not exist"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    // every template of the default theme is described, and Tera's names are listed
    for (name, _) in theme::DEFAULT_TEMPLATES {
        assert!(
            text.contains(&format!("| `{name}` |")),
            "docs/templates.md does not describe {name}"
        );
    }
    let names = theme::tera_names();
    for n in names
        .filters
        .iter()
        .chain(&names.tests)
        .chain(&names.functions)
    {
        assert!(
            text.contains(&format!("`{n}`")),
            "docs/templates.md does not list `{n}`"
        );
    }
}

#[test]
fn the_checker_catches_an_undocumented_variable() {
    // the same machinery on a made-up doc: a missing row is reported
    let docs = parse_docs(
        "<!-- context: x.html -->\n| `a` | array of S |\n<!-- shape: S -->\n| `b` | string |\n",
    );
    let doc = expand(&docs.contexts["x.html"], &docs.shapes);
    assert!(doc.contains_key("a[].b"));
    let mut seen = BTreeMap::new();
    walk(
        &serde_json::json!({"a": [{"b": "x", "c": 1}]}),
        "",
        &mut seen,
    );
    let undocumented: Vec<&String> = seen
        .keys()
        .filter(|k| !k.ends_with("[]") && !doc.contains_key(*k))
        .collect();
    assert_eq!(undocumented, vec!["a[].c"]);
    assert!(!type_ok("string", "null", &docs.shapes));
    assert!(type_ok("string or null", "null", &docs.shapes));
    assert!(type_ok("S", "object", &docs.shapes));
}
