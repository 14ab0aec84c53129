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
    ("index.html", include_str!("../../templates/index.html")),
    ("list.html", include_str!("../../templates/list.html")),
    ("entity.html", include_str!("../../templates/entity.html")),
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
];

/// The templates every build renders with.
pub const REQUIRED: &[&str] = &[
    "index.html",
    "list.html",
    "artist.html",
    "film.html",
    "label.html",
    "song.html",
    "partnership.html",
    "partnerships.html",
    "article.html",
    "articles.html",
    "404.html",
];

pub struct Theme {
    pub tera: Tera,
    /// Where the site's own templates live, and which names came from there (the rest are
    /// the built-in default theme): error messages name the file to edit.
    dir: PathBuf,
    overridden: HashSet<String>,
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
                let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
                overridden.insert(name.clone());
                match sources.iter_mut().find(|(n, _)| *n == name) {
                    Some(slot) => slot.1 = text,
                    None => sources.push((name, text)),
                }
            }
        }
        let mut theme = Theme {
            tera: Tera::new(),
            dir: dir.to_path_buf(),
            overridden,
        };
        theme.tera.autoescape_on([".html", ".xml"]);
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
            self.dir.join(name).display().to_string()
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
                .unwrap_or_else(|| self.dir.display().to_string()),
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
    template_error_in(dir.display().to_string(), e)
}

fn template_error_in(template: String, e: &tera::Error) -> Error {
    let mut message = e.to_string();
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
            ("filter", f, names.filters.clone())
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
        while from > 0 && (chars[from - 1].is_alphanumeric() || matches!(chars[from - 1], '_' | '.')) {
            from -= 1;
        }
        return Some(chars[from..(start + width).min(chars.len())].iter().collect());
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
