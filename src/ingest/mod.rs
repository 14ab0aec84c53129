//! Ingest: find the articles under `seeds/`, read them, clean them, segment them, and find
//! near-duplicate stories. Output: plain `Article` values.
pub mod clean;
pub mod date;
pub mod dedup;
pub mod frontmatter;
pub mod html;
pub mod segment;
pub mod titles;

use crate::error::{Error, Result};
use clean::Boilerplate;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::collections::hash_map::Entry;
use std::ops::Range;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Text,
    Markdown,
    /// A web page saved under `seeds/` (`.html`, `.htm`), read by `html`.
    Html,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BlockKind {
    Paragraph,
    Heading,
}

/// A paragraph or heading of cleaned text, with its sentences as byte ranges.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Block {
    pub kind: BlockKind,
    pub text: String,
    pub sentences: Vec<Range<usize>>,
}

/// One article, cleaned and segmented.
#[derive(Debug, Clone, Serialize, Deserialize)]
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
    /// The writer, as the front matter or the page's markup names them.
    pub author: Option<String>,
    pub lang: String,
    /// Shared: serve keeps every article between rebuilds and hands link a copy of each.
    pub blocks: std::sync::Arc<[Block]>,
    /// The Markdown body as written, for Markdown articles.
    pub markdown: Option<String>,
    /// Ids of near-duplicate articles (other tellings of the same story).
    pub twins: Vec<String>,
}

impl Article {
    /// The first `chars` characters of the body, for summaries and descriptions.
    pub fn lead(&self, chars: usize) -> String {
        self.blocks
            .iter()
            .map(|b| b.text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
            .chars()
            .take(chars)
            .collect()
    }

    /// Every sentence of the body as (block index, text).
    pub fn sentences(&self) -> impl Iterator<Item = (usize, &str)> {
        self.blocks
            .iter()
            .enumerate()
            .flat_map(|(i, b)| b.sentences.iter().map(move |r| (i, &b.text[r.clone()])))
    }
}

/// Something wrong with one input file that did not stop the build.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Warning {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl Warning {
    pub fn new(path: impl Into<PathBuf>, message: impl Into<String>) -> Warning {
        Warning {
            path: path.into(),
            line: None,
            column: None,
            message: message.into(),
        }
    }

    pub fn at(mut self, line: Option<usize>, column: Option<usize>) -> Warning {
        self.line = line;
        self.column = line.and(column);
        self
    }
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", crate::error::shown(&self.path))?;
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
            if let Some(c) = self.column {
                write!(f, ":{c}")?;
            }
        }
        write!(f, ": {}", self.message)
    }
}

#[derive(Debug, Default)]
pub struct Ingested {
    pub articles: Vec<Article>,
    pub warnings: Vec<Warning>,
    /// What the near-duplicate search did.
    pub dedup: dedup::DedupStats,
    /// The index of each article's file in the reads it was assembled from.
    pub read_index: Vec<usize>,
    /// The titles as read of the articles whose title tells them apart from their twins'
    /// (index, title): the extractor reads an article as its file says.
    pub read_titles: Vec<(usize, String)>,
}

/// Settings ingest needs.
pub struct IngestOptions<'a> {
    pub boilerplate: &'a Boilerplate,
    pub near_duplicates: &'a crate::config::NearDuplicates,
    /// Directories under the seeds that are never read (the output dir, if inside).
    pub exclude: Vec<PathBuf>,
    /// Article files larger than this are skipped (see `DEFAULT_MAX_ARTICLE_BYTES`).
    pub max_article_bytes: u64,
}

/// The default size limit of an article file: far above any news story (a long feature is
/// under 100 kB), low enough that one stray dump cannot stall a build.
pub const DEFAULT_MAX_ARTICLE_BYTES: u64 = 4_000_000;

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
    let results: Vec<ReadResult> = files
        .par_iter()
        .map(|(rel, abs, format)| read_one(rel, abs, *format, opts))
        .collect();
    Ok(assemble(results, warnings, opts.near_duplicates))
}

/// One file read: its path relative to the root, the article (or why it was skipped, or
/// `None` for a draft) and the warnings met on the way.
pub type ReadResult = (PathBuf, Result<Option<Article>, Warning>, Vec<Warning>);

/// Read one article file (`rel` relative to the root, for messages; `abs` to read).
pub fn read_one(rel: &Path, abs: &Path, format: Format, opts: &IngestOptions) -> ReadResult {
    let mut w = Vec::new();
    let r = read_article(rel, abs, format, opts, &mut w);
    (rel.to_path_buf(), r, w)
}

/// The articles of a set of read files (in path order): duplicate ids skipped, near-duplicate
/// stories linked. Incremental builds call this with cached reads.
pub fn assemble(
    results: Vec<ReadResult>,
    warnings: Vec<Warning>,
    near_duplicates: &crate::config::NearDuplicates,
) -> Ingested {
    let (mut articles, warnings, read_index) = gather(results, warnings);
    let dedup = dedup::link_twins(&mut articles, near_duplicates);
    let read_titles = titles::tell_twins_apart(&mut articles);
    Ingested {
        read_titles,
        articles,
        warnings,
        dedup,
        read_index,
    }
}

/// `assemble`, with the near-duplicate search's work kept in `cache` between calls (for
/// `kwiki serve`): the same articles, twins and warnings.
pub fn assemble_cached(
    results: Vec<ReadResult>,
    warnings: Vec<Warning>,
    near_duplicates: &crate::config::NearDuplicates,
    cache: &mut dedup::DedupCache,
) -> Ingested {
    let (mut articles, warnings, read_index) = gather(results, warnings);
    let refs: Vec<&Article> = articles.iter().collect();
    let (twins, dedup) = cache.twins(&refs, near_duplicates);
    for (a, t) in articles.iter_mut().zip(twins) {
        a.twins = t;
    }
    let read_titles = titles::tell_twins_apart(&mut articles);
    Ingested {
        read_titles,
        articles,
        warnings,
        dedup,
        read_index,
    }
}

/// `assemble` with the near-duplicates already known, one list per article (the build cache
/// keeps them for a set of articles seen before).
pub fn assemble_known(
    results: Vec<ReadResult>,
    warnings: Vec<Warning>,
    twins: &[Vec<String>],
    dedup: dedup::DedupStats,
) -> Ingested {
    let (mut articles, warnings, read_index) = gather(results, warnings);
    for (a, t) in articles.iter_mut().zip(twins) {
        a.twins = t.clone();
    }
    let read_titles = titles::tell_twins_apart(&mut articles);
    Ingested {
        read_titles,
        articles,
        warnings,
        dedup,
        read_index,
    }
}

/// The articles of a set of read files, in order, the first of each id kept; every warning
/// met; and the index in `results` of each article.
fn gather(
    results: Vec<ReadResult>,
    mut warnings: Vec<Warning>,
) -> (Vec<Article>, Vec<Warning>, Vec<usize>) {
    // for a repeated id, the path of its first read: found on borrowed ids (none copied)
    let mut first: FxHashMap<&str, usize> = FxHashMap::default();
    let firsts: Vec<Option<PathBuf>> = (results.iter().enumerate())
        .map(|(i, (_, r, _))| match r {
            Ok(Some(a)) => match first.entry(a.id.as_str()) {
                Entry::Occupied(f) => Some(results[*f.get()].0.clone()),
                Entry::Vacant(v) => {
                    v.insert(i);
                    None
                }
            },
            _ => None,
        })
        .collect();
    drop(first);
    let mut articles = Vec::with_capacity(results.len());
    let mut index = Vec::with_capacity(results.len());
    for (i, ((rel, r, w), first)) in results.into_iter().zip(firsts).enumerate() {
        warnings.extend(w);
        match r {
            Ok(Some(a)) => {
                if let Some(first) = first {
                    warnings.push(Warning::new(
                        rel,
                        format!(
                            "skipped: article id `{}` is already used by {} (ids are file stems; rename one of them)",
                            crate::error::escaped(&a.id),
                            crate::error::shown(&first)
                        ),
                    ));
                    continue;
                }
                articles.push(a);
                index.push(i);
            }
            Ok(None) => {}
            Err(w) => warnings.push(w),
        }
    }
    (articles, warnings, index)
}

/// The article files under `dir` (skipping `exclude`), sorted by path: (path relative to
/// `root`, absolute path, format). A symbolic link is judged by what it leads to: it is
/// followed only when that is a regular file or a folder inside the site root, outside the
/// output and not an ancestor of the folder it is in; every other link is skipped with a
/// warning naming it.
pub fn discover(
    root: &Path,
    dir: &Path,
    exclude: &[PathBuf],
    warnings: &mut Vec<Warning>,
) -> Vec<(PathBuf, PathBuf, Format)> {
    let mut files = Vec::new();
    let real = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    let bounds = Bounds {
        root,
        real_root: real(root),
        exclude,
        real_exclude: exclude.iter().map(|x| crate::site::resolved(x)).collect(),
    };
    walk(&bounds, dir, &mut vec![real(dir)], warnings, &mut files);
    files
}

/// Where discovery may read: the site root, less the excluded folders.
struct Bounds<'a> {
    root: &'a Path,
    real_root: PathBuf,
    exclude: &'a [PathBuf],
    real_exclude: Vec<PathBuf>,
}

/// What a symbolic link under the seeds leads to.
enum Link {
    File,
    Dir(PathBuf),
    Skip(String),
}

/// Walk `dir` (its real path last in `walking`, with the folders it is inside), adding its
/// article files to `files` in path order.
fn walk(
    bounds: &Bounds,
    dir: &Path,
    walking: &mut Vec<PathBuf>,
    warnings: &mut Vec<Warning>,
    files: &mut Vec<(PathBuf, PathBuf, Format)>,
) {
    let walker = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0
                || !(name.starts_with('.')
                    || name.starts_with('_')
                    || bounds.exclude.iter().any(|x| e.path().starts_with(x)))
        });
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| dir.to_path_buf());
                let message = format!(
                    "skipped: {}",
                    e.io_error().map_or(e.to_string(), |io| io.to_string())
                );
                warnings.push(Warning::new(relative(bounds.root, &path), message));
                continue;
            }
        };
        let path = entry.path();
        let rel = relative(bounds.root, path);
        let format = match path.extension().and_then(|e| e.to_str()) {
            Some("txt") => Some(Format::Text),
            Some("md" | "markdown") => Some(Format::Markdown),
            Some("html" | "htm") => Some(Format::Html),
            _ => None,
        };
        let mut file_type = entry.file_type();
        if file_type.is_symlink() && entry.depth() > 0 {
            match follow(bounds, path, walking) {
                Link::Skip(why) => {
                    warnings.push(Warning::new(rel, format!("skipped: symbolic link {why}")));
                    continue;
                }
                Link::Dir(real) => {
                    walking.push(real);
                    walk(bounds, path, walking, warnings, files);
                    walking.pop();
                    continue;
                }
                Link::File => match std::fs::metadata(path) {
                    Ok(m) => file_type = m.file_type(),
                    Err(_) => continue,
                },
            }
        }
        if file_type.is_dir() {
            continue;
        }
        if !file_type.is_file() {
            // a FIFO, socket or device: reading it could block forever
            if format.is_some() {
                warnings.push(Warning::new(
                    rel,
                    "skipped: not a regular file (a pipe, socket or device)",
                ));
            }
            continue;
        }
        match format {
            Some(f) => files.push((rel, path.to_path_buf(), f)),
            None => warnings.push(Warning::new(
                rel,
                "skipped: not an article (only .txt, .md, .html and .htm files are read)",
            )),
        }
    }
}

/// Where the link at `path` leads, and whether discovery may go there.
fn follow(bounds: &Bounds, path: &Path, walking: &[PathBuf]) -> Link {
    let target = match path.canonicalize() {
        Ok(t) => t,
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => {
            return Link::Skip("loop (it leads to itself)".into());
        }
        Err(_) => return Link::Skip("to nothing (its target is missing)".into()),
    };
    let shown = |t: &Path| crate::error::shown(t).to_string();
    if !target.starts_with(&bounds.real_root) {
        return Link::Skip(format!(
            "leading outside the site root (to {}): links under the seeds must stay inside the site",
            shown(&target)
        ));
    }
    let is_dir = match std::fs::metadata(&target) {
        Ok(m) => m.is_dir(),
        Err(e) => return Link::Skip(format!("that cannot be followed: {e}")),
    };
    // the folder the link is in, or one being read, is inside its target
    let parent = path.parent().and_then(|p| p.canonicalize().ok());
    if is_dir && parent.iter().chain(walking).any(|w| w.starts_with(&target)) {
        return Link::Skip(format!(
            "loop (it leads back to {}, which is being read)",
            shown(&target)
        ));
    }
    if bounds
        .real_exclude
        .iter()
        .any(|x| target.starts_with(x) || x.starts_with(&target))
    {
        return Link::Skip(format!(
            "leading to the output directory (to {}): the build would read its own pages",
            shown(&target)
        ));
    }
    if is_dir {
        Link::Dir(target)
    } else {
        Link::File
    }
}

fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// Why a file could not be decoded, and where (1-based line and column, in characters).
#[derive(Debug, Clone, PartialEq)]
pub struct DecodeError {
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// Decode article bytes: UTF-8 (BOM allowed), or UTF-16 (with a BOM, or without one when
/// the NUL bytes say so); anything else is refused with the position of the first bad byte.
pub fn decode(bytes: &[u8]) -> std::result::Result<String, DecodeError> {
    let err = |message: &str| DecodeError {
        line: None,
        column: None,
        message: message.to_string(),
    };
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return decode_utf8(rest);
    }
    let utf16 = |le: bool, body: &[u8]| {
        if !body.len().is_multiple_of(2) {
            return Err(err("UTF-16 text with an odd number of bytes"));
        }
        let units = body.chunks_exact(2).map(|c| {
            if le {
                u16::from_le_bytes([c[0], c[1]])
            } else {
                u16::from_be_bytes([c[0], c[1]])
            }
        });
        let mut out = String::with_capacity(body.len() / 2);
        let (mut line, mut column) = (1, 1);
        for c in char::decode_utf16(units) {
            match c {
                Ok('\0') => return Err(binary()),
                Ok(c) => {
                    if c == '\n' {
                        (line, column) = (line + 1, 1);
                    } else {
                        column += 1;
                    }
                    out.push(c);
                }
                Err(_) => {
                    return Err(DecodeError {
                        line: Some(line),
                        column: Some(column),
                        message: "invalid UTF-16 text (an unpaired surrogate)".into(),
                    });
                }
            }
        }
        Ok(out)
    };
    if let Some(body) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(true, body);
    }
    if let Some(body) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(false, body);
    }
    if let Some(le) = utf16_without_bom(bytes) {
        return utf16(le, bytes);
    }
    decode_utf8(bytes)
}

fn binary() -> DecodeError {
    DecodeError {
        line: None,
        column: None,
        message: "binary file (it contains NUL bytes), not text".into(),
    }
}

fn decode_utf8(bytes: &[u8]) -> std::result::Result<String, DecodeError> {
    if bytes.contains(&0) {
        return Err(binary());
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => {
            let at = e.valid_up_to();
            let start = bytes[..at]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
            let line = bytes[..start].iter().filter(|&&b| b == b'\n').count() + 1;
            // the prefix is valid UTF-8 by construction
            let column =
                std::str::from_utf8(&bytes[start..at]).map_or(1, |s| s.chars().count() + 1);
            Err(DecodeError {
                line: Some(line),
                column: Some(column),
                message: format!(
                    "invalid UTF-8 (byte 0x{:02X} at offset {at}): save the file as UTF-8",
                    bytes[at]
                ),
            })
        }
    }
}

/// UTF-16 without a byte order mark, told by its NUL bytes: text in a Latin script saved as
/// UTF-16 has a NUL in every other byte, all on the same side. `Some(true)` for little endian.
fn utf16_without_bom(bytes: &[u8]) -> Option<bool> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    if sample.len() < 4 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let pairs = sample.len() / 2;
    let even = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|&&b| b == 0)
        .count();
    if odd * 10 >= pairs * 6 && even == 0 {
        Some(true)
    } else if even * 10 >= pairs * 6 && odd == 0 {
        Some(false)
    } else {
        None
    }
}

fn read_article(
    rel: &Path,
    abs: &Path,
    format: Format,
    opts: &IngestOptions,
    warnings: &mut Vec<Warning>,
) -> Result<Option<Article>, Warning> {
    let warn = |message: String| Warning::new(rel, message);
    let size = std::fs::metadata(abs)
        .map_err(|e| warn(format!("skipped: cannot read: {e}")))?
        .len();
    if size > opts.max_article_bytes {
        return Err(warn(format!(
            "skipped: {} is too large for an article (the limit is {}; raise max_article_bytes in site.yaml if it really is one)",
            human_size(size),
            human_size(opts.max_article_bytes)
        )));
    }
    let bytes = std::fs::read(abs).map_err(|e| warn(format!("skipped: cannot read: {e}")))?;
    let (article, w) = parse_article(rel, &bytes, format, opts.boilerplate)?;
    warnings.extend(w);
    Ok(article)
}

pub fn human_size(bytes: u64) -> String {
    if bytes >= 1_000_000 {
        format!("{:.1} MB", bytes as f64 / 1e6)
    } else if bytes >= 1_000 {
        format!("{:.1} kB", bytes as f64 / 1e3)
    } else {
        format!("{bytes} bytes")
    }
}

/// Turn the bytes of the article file `rel` into an article: decode, split the front matter
/// (Markdown), clean and segment. `Ok(None)` for a draft; `Err` when the file is skipped,
/// with the reason. Pure: the file is not read here.
pub fn parse_article(
    rel: &Path,
    bytes: &[u8],
    format: Format,
    bp: &Boilerplate,
) -> Result<(Option<Article>, Vec<Warning>), Warning> {
    let warn = |message: String| Warning::new(rel, message);
    let id = || {
        rel.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    if format == Format::Html {
        let page = html::read_page(bytes, None, None);
        let fm = html::front_matter(&page);
        let mut warnings = Vec::new();
        let article = html_article(id(), rel, &fm, &page.markdown(), bp, &mut warnings);
        if article.blocks.is_empty() {
            return Err(warn("skipped: no article text found in the page".into()));
        }
        return Ok((Some(article), warnings));
    }
    let text = decode(bytes).map_err(|e| warn(format!("skipped: {e}")).at(e.line, e.column))?;
    if text.trim().is_empty() {
        return Err(warn("skipped: empty article".into()));
    }
    // one kind of line break from here on: `\r\n` (Windows) and a bare `\r` (old Mac OS)
    // become `\n`, so every stage counts lines the way the file's editor does
    let text = if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    };
    let id = id();
    let mut warnings = Vec::new();
    let article = match format {
        Format::Text | Format::Html => text_article(id, rel, &text, bp, &mut warnings),
        Format::Markdown => {
            let (fm, body, _body_line, fm_warnings) = frontmatter::split(&text).map_err(|e| {
                warn(format!("skipped: {}", e.message)).at(Some(e.line), Some(e.column))
            })?;
            warnings.extend(
                fm_warnings
                    .into_iter()
                    .map(|(line, m)| warn(m).at(Some(line), None)),
            );
            if fm.draft {
                return Ok((None, warnings));
            }
            // a page `kwiki add` saved is read as a page: its lines are the article's own
            let page = fm.fetched.is_some();
            markdown_article(id, rel, fm, (&text, body), (bp, page), &mut warnings)
        }
    };
    if article.blocks.is_empty() {
        return Err(warn(
            "skipped: nothing left after removing boilerplate".into(),
        ));
    }
    Ok((Some(article), warnings))
}

fn text_article(
    id: String,
    rel: &Path,
    text: &str,
    bp: &Boilerplate,
    warnings: &mut Vec<Warning>,
) -> Article {
    let cleaned = clean::clean(text, bp);
    // the cleaned text is the file's: its lines are the file's
    for (i, _, why) in &cleaned.bad_dates {
        warnings.push(Warning::new(rel, format!("date ignored: {why}")).at(Some(i + 1), None));
    }
    let mut lines = cleaned.lines;
    let title = match lines.first() {
        Some(first) if is_headline(first) || (lines.len() > 1 && is_plain_headline(first)) => {
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
        author: None,
        lang: "en".into(),
        blocks,
        markdown: None,
        twins: Vec::new(),
    }
}

/// The article of a web page read by `html`: its metadata as front matter over its body
/// as Markdown, read as a Markdown article is (the same cleaning and inference).
pub fn html_article(
    id: String,
    rel: &Path,
    fm: &frontmatter::FrontMatter,
    body: &str,
    bp: &Boilerplate,
    warnings: &mut Vec<Warning>,
) -> Article {
    Article {
        format: Format::Html,
        ..markdown_article(id, rel, fm.clone(), (body, body), (bp, true), warnings)
    }
}

fn markdown_article(
    id: String,
    rel: &Path,
    fm: frontmatter::FrontMatter,
    (text, body): (&str, &str),
    (bp, page): (&Boilerplate, bool),
    warnings: &mut Vec<Warning>,
) -> Article {
    let raw_blocks = markdown_blocks(body);
    let plain: String = raw_blocks
        .iter()
        .map(|(_, t)| t.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let cleaned = if page {
        clean::clean_page(&plain, bp)
    } else {
        clean::clean(&plain, bp)
    };
    // cleaned from the Markdown's blocks: the file line is found by the line's text
    for (_, line, why) in &cleaned.bad_dates {
        let at = text
            .lines()
            .position(|l| clean::normalize_spaces(l) == *line)
            .map(|i| i + 1);
        warnings.push(Warning::new(rel, format!("date ignored: {why}")).at(at, None));
    }
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
    // the front matter's title, else the body's opening heading, else its first sentence
    let title = fm.title.clone().unwrap_or_else(|| match blocks.first() {
        Some(b) if b.kind == BlockKind::Heading => b.text.clone(),
        Some(b) => short_title(&b.text),
        None => id.clone(),
    });
    Article {
        id,
        path: rel.to_path_buf(),
        format: Format::Markdown,
        title,
        date: fm.date.or(cleaned.date),
        source: fm.source.or(cleaned.source).filter(|s| is_web_url(s)),
        publisher: fm.publisher.or(cleaned.publisher),
        author: fm.author,
        lang: fm.lang.unwrap_or_else(|| "en".into()),
        blocks: blocks.into(),
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

/// A sentence-case headline: a short first line that ends without sentence punctuation
/// ("Studio Dragon renews Netflix content deal for three more years").
fn is_plain_headline(line: &str) -> bool {
    let words = line.split_whitespace().count();
    let t = line.trim_end();
    // a title may end in a quoted name, but not in a quoted sentence
    let closes_quote = t.ends_with(['"', '”'])
        && !t
            .trim_end_matches(['"', '”'])
            .trim_end()
            .ends_with(['.', '!', '?', ',']);
    (3..=18).contains(&words) && (!t.ends_with(['.', ',', ';', ':', '"', '”']) || closes_quote)
}

/// A section heading inside the body: a short line without sentence punctuation.
pub fn is_heading(line: &str) -> bool {
    let words = line.split_whitespace().count();
    let t = line.trim_end();
    words <= 12
        && !t.ends_with(['.', ',', ';', '"', '”'])
        && (t.ends_with(':') || is_headline(t) && words <= 10 && !t.ends_with(['!', '?']))
}

/// Words of a title made from a first sentence: a whole sentence up to this long is the title.
const TITLE_WORDS: usize = 16;
const TITLE_CHARS: usize = 110;
/// A clause of at least this many words is a title by itself.
const CLAUSE_WORDS: usize = 4;

/// A title from a first sentence: the whole sentence when it is short, else its first clause
/// that makes a title (cut at a comma, semicolon, colon or dash), else its first words with
/// "…" (the only case that needs one).
pub fn short_title(text: &str) -> String {
    let first = segment::sentences(text)
        .into_iter()
        .next()
        .map_or(text, |r| &text[r]);
    let first = first.trim().trim_end_matches(['.', ',', ';', ':']);
    let words: Vec<&str> = first.split_whitespace().collect();
    let fits = |ws: &[&str]| ws.len() <= TITLE_WORDS && ws.join(" ").chars().count() <= TITLE_CHARS;
    if fits(&words) {
        return words.join(" ");
    }
    // the first clause boundary after enough words to stand alone
    let clause_end = (CLAUSE_WORDS..=words.len().min(TITLE_WORDS)).find(|&n| {
        let last = words[n - 1];
        last.ends_with([',', ';', ':'])
            || words
                .get(n)
                .is_some_and(|next| matches!(*next, "-" | "–" | "—"))
    });
    if let Some(n) = clause_end.filter(|&n| fits(&words[..n])) {
        return words[..n]
            .join(" ")
            .trim_end_matches([',', ';', ':'])
            .to_string();
    }
    let mut t = words[..words.len().min(12)].join(" ");
    t = t.trim_end_matches([',', ';', ':', '.']).to_string();
    t.push('…');
    t
}

pub fn is_web_url(s: &str) -> bool {
    let lower = s.trim().to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://"))
        && !s.chars().any(|c| {
            c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | '\\' | '`')
        })
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
    fn sentence_case_first_line_is_a_title() {
        let a = text_article(
            "x".into(),
            Path::new("x.txt"),
            "Studio Dragon renews Netflix deal for three years\nBody sentence here.",
            &Boilerplate::builtin(),
            &mut Vec::new(),
        );
        assert_eq!(a.title, "Studio Dragon renews Netflix deal for three years");
        assert_eq!(a.blocks.len(), 1);
    }

    #[test]
    fn plain_headline_ending_in_a_curly_quote() {
        assert!(is_plain_headline(
            "LE SSERAFIM teams up with Nile Rodgers for “Unforgiven”"
        ));
        assert!(!is_plain_headline("He said it was “done.”"));
    }

    #[test]
    fn short_title_from_first_sentence() {
        // short: the whole sentence
        assert_eq!(
            short_title(
                "Japan has a lot of cultural exchange with Korea, from the import and export."
            ),
            "Japan has a lot of cultural exchange with Korea, from the import and export"
        );
        // long: its first clause, no "…"
        assert_eq!(
            short_title(
                "Japan has a lot of cultural exchange with Korea, from the import and export of content to remakes and actors' appearances in Korea."
            ),
            "Japan has a lot of cultural exchange with Korea"
        );
        // long without a clause that stands alone: its first words, and "…"
        assert_eq!(
            short_title(
                "Recently, Rosé (Blackpink) attracted attention when releasing the MV for the soundtrack song \"Messy\" for the American movie \"F1\", starring actor Brad Pitt."
            ),
            "Recently, Rosé (Blackpink) attracted attention when releasing the MV for the soundtrack…"
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
        let e = decode(b"ok\nab\xFFc").unwrap_err();
        assert_eq!((e.line, e.column), (Some(2), Some(3)), "{e:?}");
        assert!(decode(&[0, 1, 2]).unwrap_err().message.contains("binary"));
        let mut u16be_no_bom = Vec::new();
        for u in "Rosé sang.".encode_utf16() {
            u16be_no_bom.extend(u.to_be_bytes());
        }
        assert_eq!(decode(&u16be_no_bom).unwrap(), "Rosé sang.");
    }

    #[test]
    fn only_web_sources() {
        assert!(is_web_url("https://example.com/a"));
        assert!(!is_web_url("javascript:alert(1)"));
    }
}
