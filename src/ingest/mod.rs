//! Ingest: find the articles under `seeds/`, read them, clean them, segment them, and find
//! near-duplicate stories. Output: plain `Article` values.
pub mod clean;
pub mod dedup;
pub mod frontmatter;
pub mod segment;

use crate::error::{Error, Result};
use clean::Boilerplate;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Text,
    Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BlockKind {
    Paragraph,
    Heading,
}

/// A paragraph or heading of cleaned text, with its sentences as byte ranges.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Block {
    pub kind: BlockKind,
    pub text: String,
    #[serde(skip)]
    pub sentences: Vec<Range<usize>>,
}

/// One article, cleaned and segmented.
#[derive(Debug, Clone, Serialize)]
pub struct Article {
    /// The file stem: unique across the seeds.
    pub id: String,
    /// Path relative to the site root, for messages and the article page.
    pub path: PathBuf,
    pub format: Format,
    pub title: String,
    pub date: Option<String>,
    /// Only http(s) URLs are kept.
    pub source: Option<String>,
    pub publisher: Option<String>,
    pub lang: String,
    pub blocks: Vec<Block>,
    /// The Markdown body as written, for Markdown articles.
    pub markdown: Option<String>,
    /// Ids of near-duplicate articles (other tellings of the same story).
    pub twins: Vec<String>,
}

impl Article {
    /// Every sentence of the body as (block index, text).
    pub fn sentences(&self) -> impl Iterator<Item = (usize, &str)> {
        self.blocks
            .iter()
            .enumerate()
            .flat_map(|(i, b)| b.sentences.iter().map(move |r| (i, &b.text[r.clone()])))
    }
}

/// Something wrong with one input file that did not stop the build.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Warning {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{l}: {}", self.path.display(), self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

#[derive(Debug, Default)]
pub struct Ingested {
    pub articles: Vec<Article>,
    pub warnings: Vec<Warning>,
    /// What the near-duplicate search did.
    pub dedup: dedup::DedupStats,
}

/// Settings ingest needs.
pub struct IngestOptions<'a> {
    pub boilerplate: &'a Boilerplate,
    pub near_duplicates: &'a crate::config::NearDuplicates,
    /// Directories under the seeds that are never read (the output dir, if inside).
    pub exclude: Vec<PathBuf>,
}

/// Read every article under `seeds` (sorted, hidden and `_`-prefixed files skipped).
pub fn ingest(root: &Path, seeds: &Path, opts: &IngestOptions) -> Result<Ingested> {
    let dir = root.join(seeds);
    if !dir.is_dir() {
        return Err(Error::input(
            &dir,
            "no seeds directory: create it and put .txt or .md articles in it (or set seeds_dir in site.yaml)",
        ));
    }
    let mut warnings = Vec::new();
    let files = discover(root, &dir, &opts.exclude, &mut warnings);
    let results: Vec<(PathBuf, Result<Option<Article>, Warning>, Vec<Warning>)> = files
        .par_iter()
        .map(|(rel, abs, format)| {
            let mut w = Vec::new();
            let r = read_article(rel, abs, *format, opts.boilerplate, &mut w);
            (rel.clone(), r, w)
        })
        .collect();
    let mut by_id: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut articles = Vec::new();
    for (rel, r, w) in results {
        warnings.extend(w);
        match r {
            Ok(Some(a)) => {
                if let Some(first) = by_id.get(&a.id) {
                    warnings.push(Warning {
                        path: rel,
                        line: None,
                        message: format!(
                            "skipped: article id `{}` is already used by {} (ids are file stems; rename one of them)",
                            a.id,
                            first.display()
                        ),
                    });
                    continue;
                }
                by_id.insert(a.id.clone(), rel);
                articles.push(a);
            }
            Ok(None) => {}
            Err(w) => warnings.push(w),
        }
    }
    let dedup = dedup::link_twins(&mut articles, opts.near_duplicates);
    Ok(Ingested {
        articles,
        warnings,
        dedup,
    })
}

/// The article files under `dir`, sorted by path.
fn discover(
    root: &Path,
    dir: &Path,
    exclude: &[PathBuf],
    warnings: &mut Vec<Warning>,
) -> Vec<(PathBuf, PathBuf, Format)> {
    let mut files = Vec::new();
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0
                || !(name.starts_with('.') || name.starts_with('_'))
                    && !exclude.iter().any(|x| e.path().starts_with(x))
        });
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| dir.to_path_buf());
                let message = if e.loop_ancestor().is_some() {
                    "skipped: symbolic link loop".to_string()
                } else {
                    format!(
                        "skipped: {}",
                        e.io_error().map_or(e.to_string(), |io| io.to_string())
                    )
                };
                warnings.push(Warning {
                    path: relative(root, &path),
                    line: None,
                    message,
                });
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path();
        let rel = relative(root, path);
        match path.extension().and_then(|e| e.to_str()) {
            Some("txt") => files.push((rel, path.to_path_buf(), Format::Text)),
            Some("md" | "markdown") => files.push((rel, path.to_path_buf(), Format::Markdown)),
            _ => warnings.push(Warning {
                path: rel,
                line: None,
                message: "skipped: not an article (only .txt and .md files are read)".into(),
            }),
        }
    }
    files
}

fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// Decode article bytes: UTF-8 (BOM allowed) or UTF-16 with a BOM; anything else is refused
/// with the position of the first bad byte.
pub fn decode(bytes: &[u8]) -> std::result::Result<String, String> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return decode(rest);
    }
    let utf16 = |le: bool, body: &[u8]| {
        if body.len() % 2 != 0 {
            return Err("UTF-16 text with an odd number of bytes".to_string());
        }
        let units: Vec<u16> = body
            .chunks_exact(2)
            .map(|c| {
                if le {
                    u16::from_le_bytes([c[0], c[1]])
                } else {
                    u16::from_be_bytes([c[0], c[1]])
                }
            })
            .collect();
        String::from_utf16(&units).map_err(|_| "invalid UTF-16 text".to_string())
    };
    if let Some(body) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(true, body);
    }
    if let Some(body) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(false, body);
    }
    if bytes.contains(&0) {
        return Err("binary file (it contains NUL bytes), not text".into());
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => {
            let at = e.valid_up_to();
            let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            Err(format!(
                "line {line}: invalid UTF-8 at byte {at} (save the file as UTF-8)"
            ))
        }
    }
}

fn read_article(
    rel: &Path,
    abs: &Path,
    format: Format,
    bp: &Boilerplate,
    warnings: &mut Vec<Warning>,
) -> Result<Option<Article>, Warning> {
    let warn = |line: Option<usize>, message: String| Warning {
        path: rel.to_path_buf(),
        line,
        message,
    };
    let bytes = std::fs::read(abs).map_err(|e| warn(None, format!("skipped: cannot read: {e}")))?;
    let text = decode(&bytes).map_err(|m| warn(None, format!("skipped: {m}")))?;
    if text.trim().is_empty() {
        return Err(warn(None, "skipped: empty article".into()));
    }
    let id = abs
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let article = match format {
        Format::Text => text_article(id, rel, &text, bp),
        Format::Markdown => {
            let (fm, body, _body_line, fm_warnings) = frontmatter::split(&text).map_err(|e| {
                warn(
                    Some(e.line),
                    format!("skipped: column {}: {}", e.column, e.message),
                )
            })?;
            warnings.extend(fm_warnings.into_iter().map(|m| warn(None, m)));
            if fm.draft {
                return Ok(None);
            }
            markdown_article(id, rel, fm, body, bp)
        }
    };
    if article.blocks.is_empty() {
        return Err(warn(
            None,
            "skipped: nothing left after removing boilerplate".into(),
        ));
    }
    Ok(Some(article))
}

fn text_article(id: String, rel: &Path, text: &str, bp: &Boilerplate) -> Article {
    let cleaned = clean::clean(text, bp);
    let mut lines = cleaned.lines;
    let title = match lines.first() {
        Some(first) if is_headline(first) => {
            let t = first.clone();
            lines.remove(0);
            // a scraped page often repeats its title as the first body line
            if lines.first() == Some(&t) {
                lines.remove(0);
            }
            t
        }
        Some(first) => short_title(first),
        None => id.clone(),
    };
    let blocks = lines.into_iter().map(block_of_line).collect();
    Article {
        id,
        path: rel.to_path_buf(),
        format: Format::Text,
        title,
        date: cleaned.date,
        source: cleaned.source.filter(|s| is_web_url(s)),
        publisher: cleaned.publisher,
        lang: "en".into(),
        blocks,
        markdown: None,
        twins: Vec::new(),
    }
}

fn markdown_article(
    id: String,
    rel: &Path,
    fm: frontmatter::FrontMatter,
    body: &str,
    bp: &Boilerplate,
) -> Article {
    let raw_blocks = markdown_blocks(body);
    let plain: String = raw_blocks
        .iter()
        .map(|(_, t)| t.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let cleaned = clean::clean(&plain, bp);
    let kept: std::collections::HashSet<&str> = cleaned.lines.iter().map(String::as_str).collect();
    let blocks: Vec<Block> = raw_blocks
        .into_iter()
        .filter_map(|(kind, text)| {
            let text = clean::normalize_spaces(&text);
            kept.contains(text.as_str()).then(|| {
                let sentences = segment::sentences(&text);
                Block {
                    kind,
                    text,
                    sentences,
                }
            })
        })
        .collect();
    let title = fm.title.clone().unwrap_or_else(|| {
        blocks
            .first()
            .map(|b| short_title(&b.text))
            .unwrap_or_else(|| id.clone())
    });
    Article {
        id,
        path: rel.to_path_buf(),
        format: Format::Markdown,
        title,
        date: fm.date.or(cleaned.date),
        source: fm.source.or(cleaned.source).filter(|s| is_web_url(s)),
        publisher: fm.publisher.or(cleaned.publisher),
        lang: fm.lang.unwrap_or_else(|| "en".into()),
        blocks,
        markdown: Some(body.to_string()),
        twins: Vec::new(),
    }
}

/// The text blocks of a Markdown body (paragraphs, list items, headings), as plain text.
fn markdown_blocks(body: &str) -> Vec<(BlockKind, String)> {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut kind = BlockKind::Paragraph;
    for ev in Parser::new(body) {
        match ev {
            Event::Start(Tag::Heading { .. }) => kind = BlockKind::Heading,
            Event::Start(Tag::Paragraph | Tag::Item) => kind = BlockKind::Paragraph,
            Event::Text(t) | Event::Code(t) => cur.push_str(&t),
            Event::SoftBreak | Event::HardBreak => cur.push(' '),
            Event::End(TagEnd::Heading(_) | TagEnd::Paragraph | TagEnd::Item) => {
                if !cur.trim().is_empty() {
                    out.push((kind, std::mem::take(&mut cur)));
                }
                cur.clear();
            }
            _ => {}
        }
    }
    if !cur.trim().is_empty() {
        out.push((kind, cur));
    }
    out
}

fn block_of_line(line: String) -> Block {
    let kind = if is_heading(&line) {
        BlockKind::Heading
    } else {
        BlockKind::Paragraph
    };
    let sentences = segment::sentences(&line);
    Block {
        kind,
        text: line,
        sentences,
    }
}

/// A headline: short, no final period, most words capitalized or ending in `!`/`?`.
pub fn is_headline(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    if words.is_empty() || words.len() > 20 || line.ends_with('.') || line.ends_with(',') {
        return false;
    }
    let caps = words
        .iter()
        .filter(|w| {
            w.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
        })
        .count();
    caps * 2 >= words.len() || line.ends_with('!') || line.ends_with('?')
}

/// A section heading inside the body: a short line without sentence punctuation.
pub fn is_heading(line: &str) -> bool {
    let words = line.split_whitespace().count();
    let t = line.trim_end();
    words <= 12
        && !t.ends_with(['.', ',', ';', '"', '”'])
        && (t.ends_with(':') || is_headline(t) && words <= 10 && !t.ends_with(['!', '?']))
}

/// A short title from a first sentence: its first clause, at most ten words.
pub fn short_title(text: &str) -> String {
    let first = segment::sentences(text)
        .into_iter()
        .next()
        .map_or(text, |r| &text[r]);
    let words: Vec<&str> = first.split_whitespace().collect();
    let mut out = Vec::new();
    for w in words.iter().take(10) {
        out.push(*w);
        if w.ends_with(',') || w.ends_with(';') {
            break;
        }
    }
    let mut t = out.join(" ");
    let cut = out.len() < words.len();
    t = t.trim_end_matches([',', ';', '.', ':']).to_string();
    if cut {
        t.push('…');
    }
    t
}

pub fn is_web_url(s: &str) -> bool {
    let lower = s.trim().to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://"))
        && !s
            .chars()
            .any(|c| c.is_whitespace() || c == '"' || c == '<' || c == '>')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headline_detection() {
        assert!(is_headline(
            "Unbelievable News: Billboard Teams Up with Kakao to Take K-Pop Worldwide!"
        ));
        assert!(!is_headline(
            "Kpop artists collaborating with Western pop artists in global music productions has become a popular trend."
        ));
    }

    #[test]
    fn short_title_from_first_sentence() {
        assert_eq!(
            short_title(
                "Japan has a lot of cultural exchange with Korea, from the import and export."
            ),
            "Japan has a lot of cultural exchange with Korea…"
        );
    }

    #[test]
    fn headings() {
        assert!(is_heading("Soundtracks as Emotional Anchors:"));
        assert!(is_heading(
            "Conclusion: The Harmonious Combination of K-Pop and K-Series"
        ));
        assert!(!is_heading(
            "Choi Ji Woo will also be making a special appearance."
        ));
        assert!(!is_heading(
            "Video original series \"Butterfly\", Lee SangHee, Kim Young-ah, Shin Do Hyun, and Hyun Ri will appear in the US Netflix TV series \"The"
        ));
    }

    #[test]
    fn decode_variants() {
        assert_eq!(decode("héllo".as_bytes()).unwrap(), "héllo");
        let mut u16le = vec![0xFF, 0xFE];
        for u in "hi".encode_utf16() {
            u16le.extend(u.to_le_bytes());
        }
        assert_eq!(decode(&u16le).unwrap(), "hi");
        assert!(decode(&[b'a', 0xFF, b'b']).unwrap_err().contains("line 1"));
        assert!(decode(&[0, 1, 2]).unwrap_err().contains("binary"));
    }

    #[test]
    fn only_web_sources() {
        assert!(is_web_url("https://example.com/a"));
        assert!(!is_web_url("javascript:alert(1)"));
    }
}
