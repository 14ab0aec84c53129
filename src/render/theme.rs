//! Templates: the default theme is embedded in the binary; a file of the same name in the
//! site's `templates/` overrides it.
use crate::error::{Error, Result};
use std::path::Path;
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
    /// The site's templates directory, and the names of the templates found in it.
    pub dir: std::path::PathBuf,
    pub overrides: Vec<String>,
}

impl Theme {
    /// The default theme with the templates found in `dir` (if it exists) on top.
    pub fn load(dir: &Path) -> Result<Theme> {
        let mut sources: Vec<(String, String)> = DEFAULT_TEMPLATES
            .iter()
            .map(|(n, s)| (n.to_string(), s.to_string()))
            .collect();
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
                match sources.iter_mut().find(|(n, _)| *n == name) {
                    Some(slot) => slot.1 = text,
                    None => sources.push((name, text)),
                }
            }
        }
        let overrides: Vec<String> = sources
            .iter()
            .filter(|(n, s)| DEFAULT_TEMPLATES.iter().all(|(dn, ds)| dn != n || ds != s))
            .map(|(n, _)| n.clone())
            .collect();
        let mut theme = Theme {
            tera: Tera::new(),
            dir: dir.to_path_buf(),
            overrides,
        };
        theme.tera.autoescape_on([".html", ".xml"]);
        let added = theme
            .tera
            .add_raw_templates(sources.iter().map(|(n, s)| (n.as_str(), s.as_str())));
        if let Err(e) = added {
            return Err(theme.error(&e));
        }
        Ok(theme)
    }

    pub fn render(&self, name: &str, ctx: &tera::Context) -> Result<String> {
        self.tera.render(name, ctx).map_err(|e| self.error(&e))
    }

    /// Where a template comes from, for messages: its file, or the built-in theme.
    pub fn origin(&self, name: &str) -> String {
        if self.overrides.iter().any(|n| n == name) {
            self.dir.join(name).display().to_string()
        } else {
            format!("{name} (built-in theme)")
        }
    }

    /// An error naming the template file, line and column first, then Tera's report and
    /// the cause chain.
    pub fn error(&self, e: &tera::Error) -> Error {
        let mut message = e.to_string();
        let mut src = std::error::Error::source(e);
        let mut place = None;
        let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
        while let Some(err) = cur {
            if let Some(te) = err.downcast_ref::<tera::Error>() {
                place = place.or_else(|| self.place(te));
            }
            cur = err.source();
        }
        while let Some(s) = src {
            message.push_str(&format!("\nReason: {s}"));
            src = s.source();
        }
        // reports that reach us as text carry their place in a ` --> name:line:col` line
        let place = place.or_else(|| {
            message.lines().find_map(|l| {
                let loc = l.trim_start().strip_prefix("--> ")?;
                let mut parts = loc.rsplitn(3, ':');
                let (col, line, name) = (parts.next()?, parts.next()?, parts.next()?);
                Some(format!("{}:{line}:{col}", self.origin(name)))
            })
        });
        Error::Template {
            template: place.unwrap_or_else(|| self.dir.display().to_string()),
            message,
        }
    }

    fn place(&self, e: &tera::Error) -> Option<String> {
        use tera::ErrorKind as K;
        match e.kind() {
            K::SyntaxError(r) | K::RenderingError(r) => Some(format!(
                "{}:{}:{}",
                self.origin(r.filename()),
                r.span().start_line,
                r.span().start_col + 1
            )),
            K::MissingParent { current, .. } => Some(self.origin(current)),
            K::CircularExtend { tpl, .. } | K::CircularInclude { tpl, .. } => {
                Some(self.origin(tpl))
            }
            _ => None,
        }
    }
}

/// Tera's report names the template, line and column; add the cause chain.
pub fn template_error(dir: &Path, e: &tera::Error) -> Error {
    let mut message = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        message.push_str(&format!("\nReason: {s}"));
        src = s.source();
    }
    Error::Template {
        template: dir.display().to_string(),
        message,
    }
}
