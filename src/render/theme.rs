//! Templates: the default theme is embedded in the binary; a file of the same name in the
//! site's `templates/` overrides it.
use crate::error::{Error, Result};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use tera::Tera;

/// The default theme: the project's own `templates/`, compiled in.
pub const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    (
        "partials/partnership.html",
        include_str!("../../templates/partials/partnership.html"),
    ),
    (
        "partials/evidence.html",
        include_str!("../../templates/partials/evidence.html"),
    ),
    ("index.html", include_str!("../../templates/index.html")),
    ("list.html", include_str!("../../templates/list.html")),
    ("entity.html", include_str!("../../templates/entity.html")),
    (
        "entity_list.html",
        include_str!("../../templates/entity_list.html"),
    ),
    (
        "partials/pager.html",
        include_str!("../../templates/partials/pager.html"),
    ),
    ("artist.html", include_str!("../../templates/artist.html")),
    ("film.html", include_str!("../../templates/film.html")),
    ("label.html", include_str!("../../templates/label.html")),
    ("song.html", include_str!("../../templates/song.html")),
    (
        "partnership.html",
        include_str!("../../templates/partnership.html"),
    ),
    (
        "partnerships.html",
        include_str!("../../templates/partnerships.html"),
    ),
    ("article.html", include_str!("../../templates/article.html")),
    (
        "articles.html",
        include_str!("../../templates/articles.html"),
    ),
    ("404.html", include_str!("../../templates/404.html")),
    ("search.html", include_str!("../../templates/search.html")),
    (
        "timeline.html",
        include_str!("../../templates/timeline.html"),
    ),
    (
        "partials/timeline_item.html",
        include_str!("../../templates/partials/timeline_item.html"),
    ),
    (
        "redirect.html",
        include_str!("../../templates/redirect.html"),
    ),
];

/// The templates every build renders with.
pub const REQUIRED: &[&str] = &[
    "index.html",
    "list.html",
    "artist.html",
    "film.html",
    "label.html",
    "song.html",
    "entity_list.html",
    "partnership.html",
    "partnerships.html",
    "article.html",
    "articles.html",
    "404.html",
    "search.html",
    "timeline.html",
    "redirect.html",
];

/// The default theme's static files, compiled in like its templates: every site gets them
/// unless its own `static/` has a file of the same name.
pub const DEFAULT_STATIC: &[(&str, &str)] = &[
    ("style.css", include_str!("../../static/style.css")),
    ("search.js", include_str!("../../static/search.js")),
    ("favicon.svg", include_str!("../../static/favicon.svg")),
];

/// The site's static files (`dir`, hidden and backup files left out unless `include` lists
/// them) and the default theme's that it does not override.
pub fn static_files(dir: &Path, include: &[String]) -> Result<Vec<super::Page>> {
    let mut pages = crate::write::static_pages(dir, include)?;
    for (name, text) in DEFAULT_STATIC {
        if !pages.iter().any(|p| p.path == *name) {
            pages.push(super::Page {
                path: name.to_string(),
                content: text.as_bytes().to_vec(),
            });
        }
    }
    Ok(pages)
}

pub struct Theme {
    pub tera: Tera,
    /// Where the site's own templates live, and which names came from there (the rest are
    /// the built-in default theme): error messages name the file to edit.
    dir: PathBuf,
    overridden: HashSet<String>,
    /// A hash of every template's name and text: pages made with another theme differ.
    pub hash: u128,
}

impl Theme {
    /// The default theme with the templates found in `dir` (if it exists) on top.
    pub fn load(dir: &Path) -> Result<Theme> {
        let mut sources: Vec<(String, String)> = DEFAULT_TEMPLATES
            .iter()
            .map(|(n, s)| (n.to_string(), s.to_string()))
            .collect();
        let mut overridden = HashSet::new();
        if dir.is_dir() {
            for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
                let entry = entry.map_err(|e| Error::input(dir, e.to_string()))?;
                if !entry.file_type().is_file() {
                    continue;
                }
                let path = entry.path();
                let name = path
                    .strip_prefix(dir)
                    .unwrap_or(path)
                    .to_string_lossy()
                    .replace('\\', "/");
                if name.starts_with('.')
                    || !(name.ends_with(".html")
                        || name.ends_with(".xml")
                        || name.ends_with(".txt"))
                {
                    continue;
                }
                // a template is read like a data file: a regular file under the cap
                let Some(text) = crate::datafile::read(path, crate::datafile::DEFAULT_MAX_BYTES)?
                else {
                    continue; // gone since listed
                };
                overridden.insert(name.clone());
                match sources.iter_mut().find(|(n, _)| *n == name) {
                    Some(slot) => slot.1 = text,
                    None => sources.push((name, text)),
                }
            }
        }
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        for (name, text) in &sources {
            crate::cache::put_str(&mut h, name);
            crate::cache::put_str(&mut h, text);
        }
        let mut theme = Theme {
            tera: Tera::new(),
            dir: dir.to_path_buf(),
            overridden,
            hash: h.digest128(),
        };
        theme.tera.autoescape_on([".html", ".xml"]);
        register_filters(&mut theme.tera);
        if let Err(e) = theme
            .tera
            .add_raw_templates(sources.iter().map(|(n, s)| (n.as_str(), s.as_str())))
        {
            return Err(theme.error(&e));
        }
        Ok(theme)
    }

    pub fn render(&self, name: &str, ctx: &tera::Context) -> Result<String> {
        self.tera.render(name, ctx).map_err(|e| self.error(&e))
    }

    /// The file a template comes from, for messages: `DIR/NAME` for the site's own, `NAME
    /// (built-in default theme)` otherwise.
    pub fn source_of(&self, name: &str) -> String {
        if self.overridden.contains(name) {
            crate::error::shown(&self.dir.join(name)).to_string()
        } else {
            format!("{name} (built-in default theme)")
        }
    }

    /// A template error that names the file to edit, with Tera's report (line, column and a
    /// caret under the spot) and a "did you mean" hint when a name is close to a known one.
    fn error(&self, e: &tera::Error) -> Error {
        let template = match e.kind() {
            tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
                self.source_of(r.filename())
            }
            _ => report_file(&e.to_string())
                .map(|n| self.source_of(&n))
                .unwrap_or_else(|| crate::error::shown(&self.dir).to_string()),
        };
        template_error_in(template, e)
    }
}

/// The template name of the first `--> NAME:LINE:COL` line of a Tera report.
fn report_file(report: &str) -> Option<String> {
    report.lines().find_map(|l| {
        let rest = l.trim_start().strip_prefix("--> ")?;
        let mut parts = rest.rsplitn(3, ':');
        let (_col, _line, name) = (parts.next()?, parts.next()?, parts.next()?);
        Some(name.to_string())
    })
}

/// Tera's report names the template, line and column; add the cause chain.
pub fn template_error(dir: &Path, e: &tera::Error) -> Error {
    template_error_in(crate::error::shown(dir).to_string(), e)
}

fn template_error_in(template: String, e: &tera::Error) -> Error {
    let mut message = e.to_string();
    // name the line and column beside the file: " --> article.html:4:7" in Tera's report
    // "Template 'artist.html' is inheriting from 'gone.html'": the file is the first name
    let template = match message
        .split_once("Template '")
        .and_then(|(_, r)| r.split_once('\''))
    {
        Some((name, _)) if !template.ends_with(name) => format!("{template}/{name}"),
        _ => template,
    };
    let template = match message
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("--> "))
    {
        Some(at) if template.ends_with(at.split(':').next().unwrap_or_default()) => {
            let pos = at.split_once(':').map_or("", |(_, p)| p);
            if pos.is_empty() {
                template
            } else {
                format!("{template}:{pos}")
            }
        }
        _ => template,
    };
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        message.push_str(&format!("\nReason: {s}"));
        src = s.source();
    }
    for hint in hints(&message) {
        message.push_str("\nhelp: ");
        message.push_str(&hint);
    }
    Error::Template { template, message }
}

/// The filters kwiki adds to Tera's (see `register_filters`).
pub const KWIKI_FILTERS: &[&str] = &["human_date", "datetime"];

/// kwiki's own filters: an article date as people read it (`18 July 2024`) and as the
/// `datetime` of a `<time>` element.
fn register_filters(tera: &mut Tera) {
    use tera::{Kwargs, State};
    tera.register_filter("human_date", |d: &str, _: Kwargs, _: &State| {
        super::dates::human(d)
    });
    tera.register_filter("datetime", |d: &str, _: Kwargs, _: &State| {
        super::dates::machine(d)
    });
}

/// Tera's own filter, test and function names (data/tera.yaml).
#[derive(Debug, Default, serde::Deserialize)]
pub struct TeraNames {
    pub filters: Vec<String>,
    pub tests: Vec<String>,
    pub functions: Vec<String>,
}

pub const TERA_NAMES: &str = include_str!("../../data/tera.yaml");

pub fn tera_names() -> TeraNames {
    crate::yaml::from_str(TERA_NAMES, 0).unwrap_or_default()
}

/// "Did you mean" hints for each error of a Tera report (one report may hold several).
pub fn hints(report: &str) -> Vec<String> {
    let names = tera_names();
    let lines: Vec<&str> = report.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(msg) = line.strip_prefix("error: ") else {
            continue;
        };
        let quoted = |prefix: &str| -> Option<String> {
            let rest = msg.strip_prefix(prefix)?;
            let end = rest.find('`')?;
            Some(rest[..end].to_string())
        };
        let listed = |label: &str| -> Vec<String> {
            msg.split_once(label)
                .map(|(_, l)| {
                    l.split(',')
                        .map(|s| s.trim().trim_end_matches('.').to_string())
                        .filter(|s| !s.is_empty())
                        .collect()
                })
                .unwrap_or_default()
        };
        let (what, wrong, candidates) = if let Some(f) = quoted("Field `") {
            ("field", f, listed("Available fields:"))
        } else if let Some(v) = quoted("Variable `") {
            ("variable", v, listed("Available variables:"))
        } else if let Some(f) = quoted("Unknown filter `") {
            let kwiki = KWIKI_FILTERS.iter().map(|f| f.to_string());
            (
                "filter",
                f,
                names.filters.iter().cloned().chain(kwiki).collect(),
            )
        } else if let Some(t) = quoted("Unknown test `") {
            ("test", t, names.tests.clone())
        } else if let Some(f) = quoted("Unknown function `") {
            ("function", f, names.functions.clone())
        } else {
            continue;
        };
        let Some(best) = closest(&wrong, &candidates) else {
            continue;
        };
        // the expression under the caret, e.g. `entity.nmae` for the field `nmae`
        let expr = underlined(&lines[i..]).filter(|x| what == "field" && x.ends_with(&wrong));
        out.push(match expr {
            Some(x) => {
                let fixed = format!("{}{best}", &x[..x.len() - wrong.len()]);
                format!("`{x}` not found; did you mean `{fixed}`?")
            }
            None => format!("{what} `{wrong}` not found; did you mean `{best}`?"),
        });
    }
    out
}

/// The closest candidate by edit distance, if it is close enough to be a likely typo.
pub fn closest(wrong: &str, candidates: &[String]) -> Option<String> {
    let limit = (wrong.chars().count() / 3).max(1);
    candidates
        .iter()
        .map(|c| (strsim::damerau_levenshtein(wrong, c), c))
        .filter(|(d, c)| *d <= limit && *c != wrong)
        .min_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)))
        .map(|(_, c)| c.clone())
}

/// The source text under the first caret line of a report block.
fn underlined(block: &[&str]) -> Option<String> {
    // "3 | <h1>{{ entity.nmae }}</h1>" followed by "  |        ^^^^^^^^^^^"
    for w in block.windows(2).skip(1) {
        if w[0].starts_with("error: ") {
            return None;
        }
        let (Some((_, src)), Some((_, marks))) = (w[0].split_once(" | "), w[1].split_once(" | "))
        else {
            continue;
        };
        let start = marks.chars().position(|c| c == '^')?;
        let width = marks.chars().skip(start).take_while(|&c| c == '^').count();
        let chars: Vec<char> = src.chars().collect();
        // Tera underlines the field alone: take in the path before it (`entity.` of `entity.nmae`)
        let mut from = start.min(chars.len());
        while from > 0
            && (chars[from - 1].is_alphanumeric() || matches!(chars[from - 1], '_' | '.'))
        {
            from -= 1;
        }
        return Some(
            chars[from..(start + width).min(chars.len())]
                .iter()
                .collect(),
        );
    }
    None
}

/// A page context as JSON (what `{{ __tera_context }}` sees), for `--dump-context`.
pub fn context_json(ctx: &tera::Context) -> Result<serde_json::Value> {
    let mut tera = Tera::new();
    tera.register_filter(
        "kwiki_json",
        |v: tera::Value, _: tera::Kwargs, _: &tera::State| -> String {
            serde_json::to_string(&v).unwrap_or_default()
        },
    );
    let text = tera
        .render_str("{{ __tera_context | kwiki_json | safe }}", ctx, false)
        .map_err(|e| template_error(Path::new("(context dump)"), &e))?;
    serde_json::from_str(&text).map_err(|e| Error::Other(format!("context dump: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> tera::Context {
        let mut c = tera::Context::new();
        c.insert(
            "entity",
            &serde_json::json!({"name": "Rosé", "aliases": ["Rosie"]}),
        );
        c
    }

    fn theme_with(files: &[(&str, &str)]) -> (tempfile::TempDir, Result<Theme>) {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            let p = dir.path().join(name);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        let t = Theme::load(dir.path());
        (dir, t)
    }

    #[test]
    fn unknown_field_names_the_file_line_and_the_close_name() {
        let (dir, theme) = theme_with(&[("x.html", "line one\n<h1>{{ entity.nmae }}</h1>\n")]);
        let e = theme.unwrap().render("x.html", &ctx()).unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.contains(&dir.path().join("x.html").display().to_string()),
            "{msg}"
        );
        assert!(msg.contains("x.html:2:"), "{msg}");
        assert!(
            msg.contains("`entity.nmae` not found; did you mean `entity.name`?"),
            "{msg}"
        );
    }

    #[test]
    fn unknown_variable_and_filter_get_hints() {
        let (_d, theme) = theme_with(&[("v.html", "{{ entiti.name }}")]);
        let msg = theme
            .unwrap()
            .render("v.html", &ctx())
            .unwrap_err()
            .to_string();
        assert!(msg.contains("did you mean `entity`?"), "{msg}");
        let (_d, theme) = theme_with(&[("f.html", "{{ entity.name | uper }}")]);
        let msg = match theme {
            Err(e) => e.to_string(),
            Ok(_) => panic!("an unknown filter must fail at load"),
        };
        assert!(msg.contains("f.html"), "{msg}");
        assert!(msg.contains("did you mean `upper`?"), "{msg}");
    }

    #[test]
    fn no_hint_when_nothing_is_close() {
        let (_d, theme) = theme_with(&[("v.html", "{{ entity.xyzzyq }}")]);
        let msg = theme
            .unwrap()
            .render("v.html", &ctx())
            .unwrap_err()
            .to_string();
        assert!(msg.contains("Field `xyzzyq` is not defined"), "{msg}");
        assert!(!msg.contains("did you mean"), "{msg}");
    }

    #[test]
    fn syntax_error_names_the_template_and_line() {
        let (dir, theme) = theme_with(&[("entity.html", "a\nb\n{% if entity.name %}\nno end\n")]);
        let msg = match theme {
            Err(e) => e.to_string(),
            Ok(_) => panic!("an unclosed if must fail"),
        };
        assert!(
            msg.contains(&dir.path().join("entity.html").display().to_string()),
            "{msg}"
        );
        assert!(msg.contains("entity.html:"), "{msg}");
    }

    #[test]
    fn default_theme_without_a_templates_dir_and_overrides_by_name() {
        let missing = Path::new("/nonexistent/kwiki/templates");
        let theme = Theme::load(missing).unwrap();
        for name in REQUIRED {
            assert!(
                theme.tera.contains_template(name),
                "default theme lacks {name}"
            );
        }
        assert!(
            theme
                .source_of("404.html")
                .contains("built-in default theme")
        );
        let (_d, theme) = theme_with(&[(
            "404.html",
            "{% extends \"base.html\" %}{% block main %}MY OWN 404{% endblock main %}",
        )]);
        let theme = theme.unwrap();
        let mut c = tera::Context::new();
        c.insert("site", &serde_json::json!({"title": "t", "description": "d", "base_url": "", "language": "en"}));
        c.insert("root", "/");
        c.insert(
            "page",
            &serde_json::json!({"url": "404.html", "title": "x", "canonical": "", "description": "d", "og_type": "website"}),
        );
        let html = theme.render("404.html", &c).unwrap();
        assert!(html.contains("MY OWN 404"), "{html}");
        assert!(
            html.contains("<footer"),
            "the default base.html is still used: {html}"
        );
    }

    #[test]
    fn every_listed_tera_name_exists() {
        let names = tera_names();
        assert!(names.filters.len() > 20 && names.tests.len() > 10);
        for f in &names.filters {
            let mut t = Tera::new();
            let src = format!("{{{{ x | {f} }}}}");
            if let Err(e) = t.add_raw_template("t", &src) {
                assert!(!e.to_string().contains("Unknown filter"), "{f}: {e}");
            }
        }
        for test in &names.tests {
            let mut t = Tera::new();
            let src = format!("{{% if x is {test} %}}{{% endif %}}");
            if let Err(e) = t.add_raw_template("t", &src) {
                assert!(!e.to_string().contains("Unknown test"), "{test}: {e}");
            }
        }
        for f in &names.functions {
            let mut t = Tera::new();
            let src = format!("{{{{ {f}() }}}}");
            if let Err(e) = t.add_raw_template("t", &src) {
                assert!(!e.to_string().contains("Unknown function"), "{f}: {e}");
            }
        }
        // and a name that is not there is reported, so the checks above can fail
        let mut t = Tera::new();
        let e = t
            .add_raw_template("t", "{{ x | nosuchfilter }}")
            .unwrap_err();
        assert!(e.to_string().contains("Unknown filter"), "{e}");
    }

    #[test]
    fn context_dump_is_json() {
        let v = context_json(&ctx()).unwrap();
        assert_eq!(v["entity"]["name"], "Rosé");
        assert_eq!(v["entity"]["aliases"][0], "Rosie");
    }
}
