//! Page to seed: the fetched page read as an article (`ingest::html`), written as Markdown
//! with YAML front matter under `seeds/<date>-<slug>.md`, through a temp file and a rename.
use super::CollectError;
use super::fetch::Fetched;
use crate::ingest::frontmatter::FrontMatter;
use crate::ingest::{Article, Format};
use crate::site::Site;
use std::path::{Path, PathBuf};

/// An article ready to be written: the file's text and the URL it stands for.
#[derive(Debug, Clone)]
pub struct Draft {
    /// The canonical URL (else the URL the page was fetched from, after redirects).
    pub source: String,
    pub front: FrontMatter,
    /// The whole file: front matter and body.
    pub text: String,
}

/// Whether a response is an HTML page, by its content type (or its first bytes, if none).
fn is_html(page: &Fetched) -> bool {
    match &page.content_type {
        Some(ct) => {
            let mime = ct
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            mime == "text/html" || mime == "application/xhtml+xml"
        }
        None => {
            let start = String::from_utf8_lossy(&page.bytes[..page.bytes.len().min(512)])
                .trim_start()
                .to_ascii_lowercase();
            start.starts_with("<!doctype html") || start.starts_with("<html")
        }
    }
}

/// Read a fetched page as an article, with its metadata as front matter.
pub fn draft(page: &Fetched, site: &Site) -> Result<Draft, CollectError> {
    if !is_html(page) {
        return Err(CollectError::NotHtml {
            url: page.url.clone(),
            content_type: page.content_type.clone().unwrap_or_default(),
        });
    }
    let read =
        crate::ingest::html::read_page(&page.bytes, page.content_type.as_deref(), Some(&page.url));
    let body = read.markdown();
    // what the build will keep: a page whose body is all boilerplate has no article
    let no_article = || CollectError::NoArticle {
        url: page.url.clone(),
    };
    if read.blocks.is_empty() {
        return Err(no_article());
    }
    let mut front = crate::ingest::html::front_matter(&read);
    let source = front.source.clone().unwrap_or_else(|| page.url.clone());
    front.source = Some(source.clone());
    front.fetched = Some(chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
    // fill in what the page did not declare, as for a .txt article
    let probe = crate::ingest::html_article(
        "probe".into(),
        Path::new("probe.html"),
        &front,
        &body,
        &site.boilerplate,
        &mut Vec::new(),
    );
    if probe.blocks.is_empty() {
        return Err(no_article());
    }
    front.title = Some(probe.title.clone());
    front.date = front.date.or(probe.date.clone());
    front.publisher = front.publisher.or(probe.publisher.clone());
    let text = format!("{}{body}", render_front(&front));
    Ok(Draft {
        source,
        front,
        text,
    })
}

/// YAML front matter: each value a double-quoted string (JSON's escapes are YAML's too).
fn render_front(fm: &FrontMatter) -> String {
    let mut out = String::from("---\n");
    let fields = [
        ("title", &fm.title),
        ("date", &fm.date),
        ("source", &fm.source),
        ("publisher", &fm.publisher),
        ("author", &fm.author),
        ("lang", &fm.lang),
        ("fetched", &fm.fetched),
    ];
    for (key, value) in fields {
        if let Some(v) = value {
            let quoted = serde_json::to_string(v).unwrap_or_else(|_| "\"\"".into());
            out.push_str(&format!("{key}: {quoted}\n"));
        }
    }
    out.push_str("---\n");
    out
}

/// Where the draft goes (`seeds/<date>-<slug>.md`, relative to the root; `-2`, `-3`... when
/// the name is taken), and the article the build will read there.
pub fn place(
    draft: &Draft,
    site: &Site,
    known: &super::known::Known,
) -> Result<(PathBuf, Article), CollectError> {
    let date = draft
        .front
        .date
        .as_deref()
        .or(draft.front.fetched.as_deref())
        .and_then(|d| d.get(..10))
        .unwrap_or("undated");
    let slug = crate::link::slug::slugify(draft.front.title.as_deref().unwrap_or("article"));
    let slug: String = slug
        .chars()
        .take(60)
        .collect::<String>()
        .trim_end_matches('-')
        .to_string();
    let seeds = &site.config.seeds_dir;
    let mut n = 1;
    let rel = loop {
        let name = if n == 1 {
            format!("{date}-{slug}.md")
        } else {
            format!("{date}-{slug}-{n}.md")
        };
        let stem = name.trim_end_matches(".md");
        let rel = seeds.join(&name);
        if !site.root.join(&rel).exists() && !known.has_id(stem) {
            break rel;
        }
        n += 1;
    };
    let parsed = crate::ingest::parse_article(
        &rel,
        draft.text.as_bytes(),
        Format::Markdown,
        &site.boilerplate,
    );
    match parsed {
        Ok((Some(article), _)) => Ok((rel, article)),
        _ => Err(CollectError::NoArticle {
            url: draft.source.clone(),
        }),
    }
}

/// Write `text` to `path` whole or not at all: a temp file beside it, then a rename.
pub fn write(path: &Path, text: &str) -> Result<(), CollectError> {
    let err = |source| CollectError::Write {
        path: path.to_path_buf(),
        source,
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(err)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // a dot file: ingest never reads it, should this process die before the rename
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        use std::io::Write;
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(err)
}
