//! `kwiki serve`: build, serve the site on 127.0.0.1, watch the sources, rebuild what a change
//! touches and reload the open browser tabs.
//!
//! Pages are served from memory (the last good build), so a request never sees a half-written
//! output directory; the same pages are written to the output directory as `kwiki build` does.
//! Served HTML (never the files on disk) gets a small script that long-polls
//! `/__kwiki/reload?since=N` and reloads the tab when the build generation moves past N, and,
//! while the last build is failing, an overlay with the error. The HTTP side (bounded
//! connections, waiters, sizes and times) is in `http`.
pub mod builder;
mod diff;
pub mod http;
mod patch;

use crate::error::{Error, Result, shown};
use builder::{Builder, Dirty, Snapshot};
use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, new_debouncer};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The endpoint the injected script long-polls.
pub const RELOAD_PATH: &str = "/__kwiki/reload";
/// Changes closer together than this are one rebuild: an editor's save (truncate, write,
/// rename) takes a few milliseconds. The debouncer looks every quarter of it (~4 ms).
const DEBOUNCE: Duration = Duration::from_millis(15);

/// What the HTTP threads read: the last good pages, the last error, and a generation number
/// that moves on every rebuild.
#[derive(Default)]
struct State {
    generation: u64,
    snapshot: Option<Arc<Snapshot>>,
    error: Option<String>,
}

struct Shared {
    state: Mutex<State>,
    /// The generation, for the long-polls to wait on.
    generation: tokio::sync::watch::Sender<u64>,
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Build, serve on `bind:port` (0 picks a free port) and rebuild on change, until killed.
/// Prints `serving ROOT on http://ADDR/` on stdout once it listens. The output directory's
/// lock is held throughout (a build waits, or fails with `wait` = `No`).
pub fn run(root: &Path, bind: &str, port: u16, wait: crate::write::lock::Wait) -> Result<()> {
    // the watcher reports absolute paths: compare them with an absolute root ("." is the
    // common case)
    let root_buf = root.canonicalize().map_err(|e| Error::io(root, e))?;
    let root = root_buf.as_path();
    // the server writes the output on every rebuild: no build may write it meanwhile
    let _lock = match crate::config::SiteConfig::load(root) {
        Ok(config) => Some(crate::write::lock::lock_output(
            &root.join(&config.output_dir),
            "serve",
            wait,
            &|m| eprintln!("{m}"),
        )?),
        Err(_) => None, // the first rebuild reports it; each write then locks for itself
    };
    let listener =
        std::net::TcpListener::bind((bind.trim_start_matches('[').trim_end_matches(']'), port))
            .map_err(|e| Error::Other(format!("cannot listen on {bind}:{port}: {e}")))?;
    let addr = listener
        .local_addr()
        .map(|a| a.to_string())
        .unwrap_or_else(|_| format!("{bind}:{port}"));
    let shared = Arc::new(Shared {
        state: Mutex::new(State::default()),
        generation: tokio::sync::watch::Sender::new(0),
    });
    let mut builder = Builder::new(root);

    // watch and rebuild on this thread
    let (tx, rx) = std::sync::mpsc::channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(DEBOUNCE, None, tx)
        .map_err(|e| Error::Other(format!("cannot watch files: {e}")))?;
    let mut watched: Vec<PathBuf> = Vec::new();
    let mut watch_all =
        |builder: &Builder, debouncer: &mut notify_debouncer_full::Debouncer<_, _>| {
            for (dir, mode) in watch_list(root, builder) {
                if watched.contains(&dir) || !dir.exists() {
                    continue;
                }
                match debouncer.watch(&dir, mode) {
                    Ok(()) => watched.push(dir),
                    Err(e) => eprintln!("warning: cannot watch {}: {e}", shown(&dir)),
                }
            }
        };
    // the server answers at once, so the address is the first thing printed: a page asked
    // for during the first build waits for it (see `http::page`)
    http::spawn(listener, shared.clone(), http::HostCheck::new(bind))
        .map_err(|e| Error::Other(format!("cannot start the server: {e}")))?;
    println!("serving {} on http://{addr}/ (Ctrl-C to stop)", shown(root));
    let _ = std::io::stdout().flush();

    // watch first, then build: a change made during the first build is not missed
    watch_all(&builder, &mut debouncer);
    rebuild(&mut builder, &shared, Dirty::all(), &[]);
    watch_all(&builder, &mut debouncer);

    for events in rx {
        let events = match events {
            Ok(ev) => ev,
            Err(errors) => {
                for e in errors {
                    eprintln!("warning: file watcher: {e}");
                }
                continue;
            }
        };
        // reads (the build's own walks open the directories) are no change
        let paths: Vec<PathBuf> = events
            .into_iter()
            .filter(|e| !matches!(e.kind, EventKind::Access(_)))
            .flat_map(|e| e.event.paths)
            .collect();
        let mut dirty = Dirty::default();
        let mut changed = Vec::new();
        for p in &paths {
            let d = classify(root, &builder, p);
            if d.any() {
                changed.push(p.clone());
            }
            dirty.merge(d);
        }
        // a dir created after start (templates/, static/) gets watched from now on
        watch_all(&builder, &mut debouncer);
        if !dirty.any() {
            continue;
        }
        rebuild(&mut builder, &shared, dirty, &changed);
    }
    Ok(())
}

/// Run a rebuild, log it, and publish its pages or its error.
fn rebuild(builder: &mut Builder, shared: &Shared, dirty: Dirty, changed: &[PathBuf]) {
    let t = std::time::Instant::now();
    // the pages an article edit changed are served (and the tab reloaded) before the lists
    let mut publish_early = |s: builder::Snapshot, what: builder::Early| {
        let mut state = shared.lock();
        state.snapshot = Some(Arc::new(s));
        state.error = None;
        state.generation += 1;
        shared.generation.send_replace(state.generation);
        drop(state);
        let what = match what {
            builder::Early::Changed => "changed pages",
            builder::Early::All => "pages",
        };
        eprintln!("{what} served after {} ms", t.elapsed().as_millis());
    };
    let result = builder.rebuild_with(dirty, changed, &mut publish_early);
    let mut state = shared.lock();
    match result {
        Ok(report) => {
            for w in &report.warnings {
                if dirty.seeds || dirty.config {
                    eprintln!("warning: {w}");
                }
            }
            eprintln!("{report}");
            state.error = None;
            if let Some(s) = builder.snapshot() {
                state.snapshot = Some(Arc::new(s));
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            eprintln!("(still serving the last good build; fix the error and save)");
            state.error = Some(e.to_string());
        }
    }
    state.generation += 1;
    shared.generation.send_replace(state.generation);
    drop(state);
    if crate::interrupt::requested() {
        // Ctrl-C or SIGTERM came while files were written: the write finished or was
        // undone, and now the server stops
        eprintln!("interrupted");
        std::process::exit(crate::interrupt::EXIT_STATUS);
    }
}

/// The directories to watch: the root itself (not recursively: site.yaml, and the output
/// directory must not be watched), the seeds, templates and static directories, and the
/// directories of extra lexicon files.
fn watch_list(root: &Path, builder: &Builder) -> Vec<(PathBuf, RecursiveMode)> {
    let mut out = vec![(root.to_path_buf(), RecursiveMode::NonRecursive)];
    let config = builder.site().map(|s| s.config.clone()).unwrap_or_default();
    for d in [&config.seeds_dir, &config.templates_dir, &config.static_dir] {
        out.push((root.join(d), RecursiveMode::Recursive));
    }
    for l in &config.lexicons {
        if let Some(parent) = root.join(l).parent() {
            out.push((parent.to_path_buf(), RecursiveMode::NonRecursive));
        }
    }
    out
}

/// What a changed path touches.
fn classify(root: &Path, builder: &Builder, path: &Path) -> Dirty {
    let mut d = Dirty::default();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // editor droppings: swap files, backups, vim's write test
    if name.ends_with('~') || name.ends_with(".swp") || name.ends_with(".swx") || name == "4913" {
        return d;
    }
    let config = builder.site().map(|s| s.config.clone()).unwrap_or_default();
    let under = |dir: &Path| path.starts_with(root.join(dir));
    if under(&config.output_dir) {
        return d;
    }
    if path == root.join("site.yaml") || config.lexicons.iter().any(|l| path == root.join(l)) {
        d.config = true;
    } else if under(&config.seeds_dir) {
        d.seeds = true;
    } else if under(&config.templates_dir) {
        d.templates = true;
    } else if under(&config.static_dir) {
        d.statics = true;
    }
    d
}

enum Lookup<'a> {
    Found(String, &'a [u8]),
    Redirect(String),
    NotFound,
}

/// Map a URL path to a page: `/` and `/dir/` to their index.html; `/dir` (an existing
/// directory page) redirects to `/dir/` so relative links resolve.
fn lookup<'a>(snap: &'a Snapshot, path: &str) -> Lookup<'a> {
    let rel = path.trim_start_matches('/');
    if rel.split('/').any(|c| c == "..") {
        return Lookup::NotFound;
    }
    let file = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    };
    if let Some(b) = snap.get(&file) {
        return Lookup::Found(file, b);
    }
    if !rel.is_empty() && !rel.ends_with('/') && snap.get(&format!("{rel}/index.html")).is_some() {
        // a header value: percent-encoded, whatever the folder's name holds (`é`, CR LF)
        let to = percent_encoding::utf8_percent_encode(rel, PATH_ESCAPES);
        return Lookup::Redirect(format!("/{to}/"));
    }
    Lookup::NotFound
}

/// What a path keeps unescaped in a URL: letters, digits, `/` and the marks RFC 3986
/// allows in a path segment; everything else (controls, spaces, `%`, `?`, `#`, non-ASCII)
/// is percent-encoded.
const PATH_ESCAPES: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'/')
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=')
    .remove(b':')
    .remove(b'@');

/// Decode %XX escapes (a path, so `+` stays `+`); invalid escapes are kept as they are.
fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    match ext.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        _ => "application/octet-stream",
    }
}

/// The live-reload script and, when the last build failed, the error overlay, inserted
/// before `</body>` (or at the end when there is none).
pub fn inject(html: &[u8], generation: u64, error: Option<&str>) -> Vec<u8> {
    let mut extra = String::new();
    if let Some(e) = error {
        extra.push_str(&overlay(e));
    }
    extra.push_str(&format!(
        "<script>/* kwiki serve: live reload */(function(){{var g={generation};function poll(){{fetch('{RELOAD_PATH}?since='+g,{{cache:'no-store'}}).then(function(r){{if(!r.ok){{throw r.status}}return r.text()}}).then(function(t){{if(parseInt(t,10)!==g){{location.reload()}}else{{poll()}}}}).catch(function(){{setTimeout(poll,1000)}})}}poll()}})();</script>\n"
    ));
    let at = find_last_ci(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + extra.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(extra.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// The error overlay: a fixed box over the page with the escaped error text.
pub fn overlay(error: &str) -> String {
    format!(
        "<div id=\"kwiki-error\" role=\"alert\" style=\"position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:2rem;background:rgba(30,0,0,.94);color:#fdd;font:14px/1.5 ui-monospace,monospace;white-space:pre-wrap\"><strong style=\"color:#fff;font-size:16px\">kwiki: the last build failed; showing the last good build underneath. Fix the error and save.</strong>\n\n{}</div>\n",
        crate::render::html_escape(error)
    )
}

fn find_last_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if hay.len() < needle.len() {
        return None;
    }
    (0..=hay.len() - needle.len())
        .rev()
        .find(|&i| hay[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inject_goes_before_body_end_and_escapes_errors() {
        let out = inject(
            b"<html><body><p>x</p></BODY></html>",
            7,
            Some("<b>bad</b> & co"),
        );
        let s = String::from_utf8(out).unwrap();
        let script = s.find("var g=7").unwrap();
        let overlay = s.find("kwiki-error").unwrap();
        let end = s.find("</BODY>").unwrap();
        assert!(overlay < script && script < end, "{s}");
        assert!(s.contains("&lt;b&gt;bad&lt;/b&gt; &amp; co"), "{s}");
        assert!(!s.contains("<b>bad"));
        let plain = String::from_utf8(inject(b"no body", 1, None)).unwrap();
        assert!(plain.starts_with("no body<script>"));
        assert!(!plain.contains("kwiki-error"));
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("/a%20b/%C3%A9"), "/a b/é");
        assert_eq!(percent_decode("/100%"), "/100%");
        assert_eq!(percent_decode("/%zz"), "/%zz");
    }
}
