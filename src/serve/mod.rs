//! `kwiki serve`: build, serve the site on 127.0.0.1, watch the sources, rebuild what a change
//! touches and reload the open browser tabs.
//!
//! Pages are served from memory (the last good build), so a request never sees a half-written
//! output directory; the same pages are written to the output directory as `kwiki build` does.
//! Served HTML (never the files on disk) gets a small script that long-polls
//! `/__kwiki/reload?since=N` and reloads the tab when the build generation moves past N, and,
//! while the last build is failing, an overlay with the error.
pub mod builder;
mod diff;
mod patch;

use crate::error::{Error, Result};
use builder::{Builder, Dirty, Snapshot};
use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, new_debouncer};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

/// The endpoint the injected script long-polls.
pub const RELOAD_PATH: &str = "/__kwiki/reload";
/// How long a long-poll waits before answering "nothing new".
const POLL_WAIT: Duration = Duration::from_secs(25);
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
    changed: Condvar,
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Build, serve on `127.0.0.1:port` (0 picks a free port) and rebuild on change, until killed.
/// Prints `serving ROOT on http://ADDR/` on stdout once it listens.
pub fn run(root: &Path, port: u16) -> Result<()> {
    // the watcher reports absolute paths: compare them with an absolute root ("." is the
    // common case)
    let root_buf = root.canonicalize().map_err(|e| Error::io(root, e))?;
    let root = root_buf.as_path();
    let server = tiny_http::Server::http(("127.0.0.1", port))
        .map_err(|e| Error::Other(format!("cannot listen on 127.0.0.1:{port}: {e}")))?;
    let addr = server
        .server_addr()
        .to_ip()
        .map(|a| a.to_string())
        .unwrap_or_else(|| format!("127.0.0.1:{port}"));
    let shared = Arc::new(Shared {
        state: Mutex::new(State::default()),
        changed: Condvar::new(),
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
                    Err(e) => eprintln!("warning: cannot watch {}: {e}", dir.display()),
                }
            }
        };
    // HTTP: one thread per request, so long-polls do not hold up page loads. It answers at
    // once, so the address is the first thing printed: a page asked for during the first
    // build waits for it (see `respond`)
    let http_shared = shared.clone();
    std::thread::spawn(move || {
        for request in server.incoming_requests() {
            let s = http_shared.clone();
            std::thread::spawn(move || respond(&s, request));
        }
    });
    println!(
        "serving {} on http://{addr}/ (Ctrl-C to stop)",
        root.display()
    );
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
        drop(state);
        shared.changed.notify_all();
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
    drop(state);
    shared.changed.notify_all();
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

fn respond(shared: &Shared, request: tiny_http::Request) {
    let url = request.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    if path == RELOAD_PATH {
        let since: u64 = query
            .split('&')
            .find_map(|kv| kv.strip_prefix("since="))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let state = shared.lock();
        let (state, _) = shared
            .changed
            .wait_timeout_while(state, POLL_WAIT, |s| s.generation == since)
            .unwrap_or_else(|p| p.into_inner());
        let body = state.generation.to_string();
        drop(state);
        let _ = request.respond(
            tiny_http::Response::from_string(body)
                .with_header(header("Content-Type", "text/plain; charset=utf-8"))
                .with_header(header("Cache-Control", "no-store")),
        );
        return;
    }
    let (snapshot, error, generation) = {
        // before the first build ends there is nothing to serve: wait for it (a while)
        let s = shared.lock();
        let (s, _) = shared
            .changed
            .wait_timeout_while(s, POLL_WAIT, |s| s.generation == 0)
            .unwrap_or_else(|p| p.into_inner());
        (s.snapshot.clone(), s.error.clone(), s.generation)
    };
    let decoded = percent_decode(path);
    let response = match snapshot {
        None => {
            // no good build yet: a page with the error, or saying the first build still runs
            // (after `POLL_WAIT`), that reloads when there is one
            let (status, page): (u16, &[u8]) = match error {
                Some(_) => (500, b"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>kwiki: build failed</title></head><body></body></html>"),
                None => (503, b"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>kwiki: building</title></head><body><p>kwiki is building the site; this page reloads when it is ready.</p></body></html>"),
            };
            html_response(inject(page, generation, error.as_deref()), status)
        }
        Some(snap) => match lookup(&snap, &decoded) {
            Lookup::Found(file, bytes) => {
                let ctype = content_type(&file);
                let body = if ctype.starts_with("text/html") {
                    inject(bytes, generation, error.as_deref())
                } else {
                    bytes.to_vec()
                };
                tiny_http::Response::from_data(body)
                    .with_header(header("Content-Type", ctype))
                    .with_header(header("Cache-Control", "no-store"))
                    .boxed()
            }
            Lookup::Redirect(to) => tiny_http::Response::empty(301)
                .with_header(header("Location", &to))
                .boxed(),
            Lookup::NotFound => {
                html_response(inject(&snap.not_found, generation, error.as_deref()), 404)
            }
        },
    };
    let _ = request.respond(response);
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
        return Lookup::Redirect(format!("/{rel}/"));
    }
    Lookup::NotFound
}

fn html_response(body: Vec<u8>, status: u16) -> tiny_http::ResponseBox {
    tiny_http::Response::from_data(body)
        .with_status_code(status)
        .with_header(header("Content-Type", "text/html; charset=utf-8"))
        .with_header(header("Cache-Control", "no-store"))
        .boxed()
}

fn header(name: &str, value: &str) -> tiny_http::Header {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes())
        .expect("header names and values are ASCII")
}

/// Decode %XX escapes (a path, so `+` stays `+`); invalid escapes are kept as they are.
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && b[i + 1].is_ascii_hexdigit()
            && b[i + 2].is_ascii_hexdigit()
        {
            let hex = |c: u8| (c as char).to_digit(16).unwrap_or(0) as u8;
            out.push(hex(b[i + 1]) * 16 + hex(b[i + 2]));
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
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
        "<script>/* kwiki serve: live reload */(function(){{var g={generation};function poll(){{fetch('{RELOAD_PATH}?since='+g,{{cache:'no-store'}}).then(function(r){{return r.text()}}).then(function(t){{if(parseInt(t,10)!==g){{location.reload()}}else{{poll()}}}}).catch(function(){{setTimeout(poll,1000)}})}}poll()}})();</script>\n"
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
