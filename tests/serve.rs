//! `kwiki serve` driven for real: the binary on a free port with a temp copy of the seeds
//! site, pages fetched over HTTP, templates and articles edited on disk.
use kwiki::serve::builder::{Builder, Dirty, Early, Snapshot};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Every wait in these tests ends after this long.
const LIMIT: Duration = Duration::from_secs(20);

struct Server {
    child: Child,
    port: u16,
    log: Arc<Mutex<String>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(root: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kwiki"))
            .arg("--root")
            .arg(root)
            .args(["serve", "--port", "0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start kwiki serve");
        let log = Arc::new(Mutex::new(String::new()));
        let stderr = child.stderr.take().unwrap();
        let l = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                l.lock().unwrap().push_str(&(line + "\n"));
            }
        });
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let mut server = Server {
            child,
            port: 0,
            log,
        };
        // the first build of the seeds takes a while in a debug build: allow a few limits
        let line = rx
            .recv_timeout(LIMIT * 6)
            .unwrap_or_else(|_| panic!("no `serving` line; log:\n{}", server.log()));
        let port = line
            .rsplit_once("127.0.0.1:")
            .and_then(|(_, p)| {
                p.trim_end_matches(['/', ' ', ')'])
                    .split('/')
                    .next()?
                    .parse()
                    .ok()
            })
            .unwrap_or_else(|| panic!("no port in {line:?}"));
        server.port = port;
        // the address comes first; the tests start once the first build is written
        let start = Instant::now();
        while !server.log().contains("rebuilt in") {
            assert!(
                start.elapsed() < LIMIT * 6,
                "no first build; log:\n{}",
                server.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        server
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// GET a path: (status, body).
    fn get(&self, path: &str) -> (u16, String) {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        s.set_read_timeout(Some(LIMIT)).unwrap();
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).expect("read response");
        let text = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        (status, body.to_string())
    }

    /// Send `request` as it is and read the reply: (status, head, body). A server that
    /// closes the connection before it has read the whole request still gets its reply read.
    fn raw(&self, request: &[u8]) -> (u16, String, String) {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        s.set_read_timeout(Some(LIMIT)).unwrap();
        let _ = s.write_all(request); // may fail once the server has answered and closed
        let mut raw = Vec::new();
        let _ = s.read_to_end(&mut raw);
        let text = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        (status, head.to_string(), body.to_string())
    }

    /// A request for `target` with `method` and `host`, closing the connection after.
    fn request(&self, method: &str, target: &str, host: &str) -> (u16, String, String) {
        self.raw(
            format!("{method} {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        )
    }

    /// The server process's threads and resident memory (KiB), from /proc.
    fn threads_and_rss(&self) -> (usize, usize) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        let field = |name: &str| -> usize {
            let line = status.lines().find(|l| l.starts_with(name)).unwrap();
            line.split_whitespace().nth(1).unwrap().parse().unwrap()
        };
        (field("Threads:"), field("VmRSS:"))
    }

    /// GET `path` until `ok` holds for the body; panics with the last body after LIMIT.
    fn wait_for(&self, path: &str, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let (_, body) = self.get(path);
            if ok(&body) {
                return body;
            }
            if start.elapsed() > LIMIT {
                panic!(
                    "{what}: not seen at {path} within {LIMIT:?}\n--- last body:\n{body}\n--- log:\n{}",
                    self.log()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// A temp copy of the seeds site, with its templates to edit and a base_url with a path.
fn site() -> (tempfile::TempDir, PathBuf) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    copy_dir(&repo.join("seeds"), &root.join("seeds"));
    copy_dir(&repo.join("templates"), &root.join("templates"));
    copy_dir(&repo.join("static"), &root.join("static"));
    let yaml = std::fs::read_to_string(repo.join("site.yaml")).unwrap();
    let yaml = yaml.replace(
        "base_url: \"\"",
        "base_url: \"https://user.github.io/repo\"",
    );
    assert!(yaml.contains("user.github.io/repo"));
    std::fs::write(root.join("site.yaml"), yaml).unwrap();
    (dir, root)
}

#[test]
fn the_address_is_printed_first_and_a_page_asked_for_early_waits_for_the_build() {
    let (_dir, root) = site();
    // standard output and error in one pipe: lines come in the order they were written
    let (reader, writer) = std::io::pipe().unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_kwiki"))
        .arg("--root")
        .arg(&root)
        .args(["serve", "--port", "0"])
        .stdout(writer.try_clone().unwrap())
        .stderr(writer)
        .spawn()
        .expect("start kwiki serve");
    let mut server = Server {
        child,
        port: 0,
        log: Arc::new(Mutex::new(String::new())),
    };
    let mut lines = BufReader::new(reader).lines();
    let first = lines.next().unwrap().unwrap();
    assert!(first.starts_with("serving "), "first line: {first:?}");
    server.port = first
        .rsplit_once("127.0.0.1:")
        .and_then(|(_, p)| p.split('/').next()?.parse().ok())
        .unwrap();
    // asked for before the first build is done: answered once it is
    let (status, home) = server.get("/");
    assert_eq!(status, 200, "{home}");
    assert!(home.contains("<h1>"), "{home}");
    let second = lines.next().unwrap().unwrap();
    assert!(!second.starts_with("serving"), "{second}");
}

#[test]
fn edit_break_and_fix_a_template_while_serving() {
    let (_dir, root) = site();
    let server = Server::start(&root);
    // a page with partnerships (a section shown only when there are some)
    let artist = "/artist/rose/".to_string();
    let (status, page) = server.get(&artist);
    assert_eq!(status, 200);
    assert!(page.contains("<h2>Partnerships</h2>"), "{page}");
    assert!(
        page.contains("/__kwiki/reload"),
        "served pages carry the reload script"
    );
    assert!(!page.contains("kwiki-error"));
    // the file on disk has no script
    let on_disk =
        std::fs::read_to_string(root.join("public").join(&artist[1..]).join("index.html")).unwrap();
    assert!(on_disk.contains("<h2>Partnerships</h2>"));
    assert!(
        !on_disk.contains("__kwiki"),
        "the built file must not carry the script"
    );

    // an edit is served
    let tpl = root.join("templates/entity.html");
    let good = std::fs::read_to_string(&tpl).unwrap();
    let edited = good.replace("<h2>Partnerships</h2>", "<h2>Partnerships EDITED</h2>");
    assert_ne!(edited, good);
    std::fs::write(&tpl, &edited).unwrap();
    server.wait_for(&artist, "the edited template", |b| {
        b.contains("Partnerships EDITED")
    });
    // pages are served from memory first; the copy on disk follows
    let disk = root.join("public").join(&artist[1..]).join("index.html");
    let start = Instant::now();
    while !std::fs::read_to_string(&disk).is_ok_and(|p| p.contains("Partnerships EDITED")) {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "written to disk too"
        );
        std::thread::sleep(Duration::from_millis(20));
    }

    // a syntax error: the overlay names the template and the line, over the last good page
    // drop the last `{% endif %}`: an `{% if %}` left open
    let i = edited.rfind("{% endif %}").unwrap();
    let broken = format!("{}{}", &edited[..i], &edited[i + "{% endif %}".len()..]);
    std::fs::write(&tpl, &broken).unwrap();
    let page = server.wait_for(&artist, "the error overlay", |b| b.contains("kwiki-error"));
    let overlay = &page[page.find("kwiki-error").unwrap()..];
    assert!(overlay.contains("entity.html"), "{overlay}");
    assert!(
        overlay.contains(&tpl.display().to_string()),
        "the overlay names the file to edit: {overlay}"
    );
    let located = overlay.split("entity.html:").skip(1).any(|s| {
        s.split(':')
            .next()
            .is_some_and(|l| l.parse::<usize>().is_ok())
    });
    assert!(located, "the overlay gives a line: {overlay}");
    assert!(
        page.contains("Partnerships EDITED"),
        "the last good page stays under the overlay"
    );
    assert!(
        server.log().contains("error: template error"),
        "{}",
        server.log()
    );
    // the server kept running: other pages are still served, with the overlay
    let (status, home) = server.get("/");
    assert_eq!(status, 200);
    assert!(home.contains("kwiki-error"));

    // fixed: the page recovers
    let fixed = good.replace("<h2>Partnerships</h2>", "<h2>Partnerships FIXED</h2>");
    std::fs::write(&tpl, &fixed).unwrap();
    let page = server.wait_for(&artist, "the recovered page", |b| {
        b.contains("Partnerships FIXED") && !b.contains("kwiki-error")
    });
    assert!(!page.contains("EDITED"));
}

#[test]
fn article_edits_reread_one_file_and_links_work_locally() {
    let (_dir, root) = site();
    let server = Server::start(&root);
    // 404: status 404, links from "/" although base_url has a path; on disk they use /repo/
    let (status, body) = server.get("/no/such/page/");
    assert_eq!(status, 404);
    assert!(body.contains("href=\"/style.css\""), "{body}");
    let disk = std::fs::read_to_string(root.join("public/404.html")).unwrap();
    assert!(disk.contains("href=\"/repo/style.css\""), "{disk}");
    // a directory without its slash is redirected, so relative links resolve
    let (status, _) = server.get("/artist");
    assert_eq!(status, 301);
    let (status, css) = server.get("/style.css");
    assert_eq!(status, 200);
    assert!(!css.contains("__kwiki"), "only HTML gets the script");

    // a new article: read alone, the other extractions come from the cache
    let before = server.log().matches("rebuilt in").count();
    std::fs::write(
        root.join("seeds/zz_serve_test.md"),
        "---\ntitle: \"Serve test: Zebra Quartet signs with Moonlit Records\"\ndate: 2030-01-01\n---\n\nThe Zebra Quartet signed with Moonlit Records on Monday.\n",
    )
    .unwrap();
    server.wait_for("/article/", "the new article", |b| {
        b.contains("Serve test: Zebra Quartet")
    });
    let (status, page) = server.get("/article/zz_serve_test/");
    assert_eq!(status, 200);
    assert!(page.contains("on Monday."), "{page}");
    // served first, then the rebuild finishes (lists, disk) and is logged
    let start = Instant::now();
    while server.log().matches("rebuilt in").count() == before {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "{}",
            server.log()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let log = server.log();
    let after: Vec<&str> = log
        .lines()
        .filter(|l| l.starts_with("rebuilt in"))
        .collect();
    assert!(after.len() > before, "{log}");
    let last = after.last().unwrap();
    assert!(last.contains("1 article file read,"), "{log}");
    assert!(
        last.contains("render ") && last.contains("write "),
        "{last}"
    );
    assert!(
        !last.contains("templates "),
        "no template reload for an article: {last}"
    );

    // the long-poll answers with the generation at once when it is behind
    let (status, generation) = server.get("/__kwiki/reload?since=0");
    assert_eq!(status, 200);
    assert!(
        generation.trim().parse::<u64>().unwrap() > 0,
        "{generation}"
    );
}

// ---- incremental rebuilds, through the library: `kwiki serve` renders again only the pages
// an article edit changed; after each kind of edit, the pages it serves must be exactly those
// a fresh build of the edited site makes.

fn seeds_edit() -> Dirty {
    Dirty {
        seeds: true,
        ..Dirty::default()
    }
}

/// The differences between two snapshots, as readable lines (empty when equal).
fn differences(a: &Snapshot, b: &Snapshot) -> Vec<String> {
    let mut out = Vec::new();
    let (pa, pb) = (a.paths(), b.paths());
    for p in pa.iter().filter(|p| !pb.contains(p)) {
        out.push(format!("only in the incremental build: {p}"));
    }
    for p in pb.iter().filter(|p| !pa.contains(p)) {
        out.push(format!("only in the full build: {p}"));
    }
    for p in pa.iter().filter(|p| pb.contains(p)) {
        if a.get(p) != b.get(p) {
            out.push(format!("differs: {p}"));
        }
    }
    out
}

/// What an incremental rebuild after one edit did.
struct Edited {
    /// Entity, partnership and article pages rendered again.
    rendered: usize,
    /// Pages a full build renders.
    all: usize,
    /// The edited article's page as first served.
    served: String,
    /// The last wiki was patched, not linked again.
    in_place: bool,
}

/// Edit the first seed article (it has a near-duplicate) with `edit`, rebuild incrementally,
/// and compare with a fresh build.
fn check_edit(edit: impl Fn(&str) -> String) -> Edited {
    check_edit_of("000_2cac62a80f5ccdd1", edit)
}

/// Edit the seed article `id` with `edit`, rebuild incrementally, and compare with a fresh
/// build.
fn check_edit_of(id: &str, edit: impl Fn(&str) -> String) -> Edited {
    check_edits(&[(id, &edit)])
}

/// An edit of an article's text.
type Edit<'a> = &'a dyn Fn(&str) -> String;

/// Edit seed articles (by id) at once, rebuild incrementally, and compare with a fresh build.
/// `served` is the first one's page.
fn check_edits(edits: &[(&str, Edit)]) -> Edited {
    let (_dir, root) = site();
    let mut live = Builder::new(&root);
    let first = live.rebuild(Dirty::all(), &[]).unwrap();
    let mut changed = Vec::new();
    for (id, edit) in edits {
        let article = root.join(format!("seeds/{id}.txt"));
        let text = std::fs::read_to_string(&article).unwrap();
        std::fs::write(&article, edit(&text)).unwrap();
        changed.push(article);
    }
    let mut early = Vec::new();
    let report = live
        .rebuild_with(seeds_edit(), &changed, &mut |s, what| early.push((s, what)))
        .unwrap();
    let mut fresh = Builder::new(&root);
    fresh.rebuild(Dirty::all(), &[]).unwrap();
    let (live, fresh) = (live.snapshot().unwrap(), fresh.snapshot().unwrap());
    let diff = differences(&live, &fresh);
    assert!(diff.is_empty(), "incremental != full:\n{}", diff.join("\n"));
    // the changed pages were served early, exact, before the lists (patched in place or
    // linked again)
    let kinds: Vec<Early> = early.iter().map(|(_, k)| *k).collect();
    assert_eq!(kinds, [Early::Changed]);
    let page = &format!("article/{}/index.html", edits[0].0);
    assert_eq!(early[0].0.get(page), fresh.get(page));
    let served = String::from_utf8_lossy(early[0].0.get(page).unwrap()).into_owned();
    Edited {
        rendered: report.rendered_changed,
        all: first.rendered,
        served,
        in_place: report.in_place,
    }
}

#[test]
fn a_sentence_without_names() {
    let add = |t: &str| format!("{t}\nThe weather was mild on the day of the release.\n");
    for id in ["000_2cac62a80f5ccdd1", "002_4c0319d7a3e7b247"] {
        let e = check_edit_of(id, add);
        assert!(e.served.contains("The weather was mild"), "{}", e.served);
        // the article's own page: entity and partnership pages show nothing of the sentence
        assert_eq!(
            e.rendered, 1,
            "{} of {} pages rendered again",
            e.rendered, e.all
        );
        // no name changed: the wiki is patched, not linked again, unless the article has a
        // near-duplicate (whose sentences are aligned with its own)
        assert_eq!(e.in_place, id.starts_with("002"), "{id}");
    }
}

#[test]
fn a_cited_sentence_reworded() {
    // the sentence cited for the partnership, its names and cue words untouched
    let e = check_edit_of("002_4c0319d7a3e7b247", |t| {
        t.replace(
            "is making bold moves to catapult",
            "makes bold moves to catapult",
        )
    });
    assert!(e.in_place, "no name or relation changed");
    assert!(e.served.contains("makes bold moves"), "{}", e.served);
    // the partnership's page and the pages that cite the sentence
    assert!(
        e.rendered > 1 && e.rendered < e.all,
        "{} of {}",
        e.rendered,
        e.all
    );
}

#[test]
fn a_sentence_with_a_new_partnership() {
    let e = check_edit(|t| {
        format!(
            "{t}\nSinger Yoon Mirae sang \"Starlight Road\", the soundtrack for the drama \"Moon Harbor\".\n"
        )
    });
    assert!(
        e.rendered < e.all,
        "{} of {} pages rendered again",
        e.rendered,
        e.all
    );
    assert!(e.served.contains("Starlight Road"), "{}", e.served);
    assert!(!e.in_place, "new names: linked again");
}

#[test]
fn a_cited_sentence_reworded_beside_a_new_name() {
    // two articles saved at once: one names new things (so the wiki is linked again), the
    // other rewords the sentence a partnership cites, found at the same place with other
    // words
    let name = |t: &str| {
        format!(
            "{t}\nSinger Yoon Mirae sang \"Starlight Road\", the soundtrack for the drama \"Moon Harbor\".\n"
        )
    };
    let reword = |t: &str| {
        t.replace(
            "is making bold moves to catapult",
            "makes bold moves to catapult",
        )
    };
    let e = check_edits(&[
        ("002_4c0319d7a3e7b247", &reword),
        ("003_3cdca1212243bf59", &name),
    ]);
    assert!(!e.in_place, "new names: linked again");
    assert!(e.served.contains("makes bold moves"), "{}", e.served);
}

#[test]
fn a_partnership_sentence_removed() {
    check_edit(|t| {
        t.lines()
            .filter(|l| !l.contains("Die Trying"))
            .collect::<Vec<_>>()
            .join("\n")
    });
}

#[test]
fn a_name_respelled() {
    assert!(!check_edit(|t| t.replace("Rosé", "Rose")).in_place);
}

#[test]
fn an_article_emptied() {
    check_edit(|_| "Nothing to see here.\n".to_string());
}

#[test]
fn a_run_of_edits_on_one_server() {
    // what a server keeps between rebuilds (the last wiki, its fingerprints, the listing of
    // the seeds) must stay right edit after edit, patched in place or linked again
    let (_dir, root) = site();
    let mut live = Builder::new(&root);
    live.rebuild(Dirty::all(), &[]).unwrap();
    let article = root.join("seeds/002_4c0319d7a3e7b247.txt");
    let original = std::fs::read_to_string(&article).unwrap();
    let with = |more: &str| format!("{original}\n{more}\n");
    let steps: Vec<(String, bool)> = vec![
        (with("The weather was mild that day."), true),
        (
            with(
                "Singer Yoon Mirae sang \"Starlight Road\", the soundtrack for the drama \"Moon Harbor\".",
            ),
            false,
        ),
        (
            with(
                "Singer Yoon Mirae sang \"Starlight Road\", the soundtrack for the new drama \"Moon Harbor\".",
            ),
            true,
        ),
        (
            original.replace("is making bold moves", "makes bold moves"),
            false,
        ),
        (original.clone(), true),
    ];
    for (k, (text, in_place)) in steps.iter().enumerate() {
        std::fs::write(&article, text).unwrap();
        let report = live
            .rebuild(seeds_edit(), std::slice::from_ref(&article))
            .unwrap();
        assert_eq!(report.in_place, *in_place, "step {k}: {report}");
        let mut fresh = Builder::new(&root);
        fresh.rebuild(Dirty::all(), &[]).unwrap();
        let diff = differences(&live.snapshot().unwrap(), &fresh.snapshot().unwrap());
        assert!(
            diff.is_empty(),
            "step {k}: incremental != full:\n{}",
            diff.join("\n")
        );
    }
}

// ---------------------------------------------------------------- a server that holds

#[test]
fn the_server_answers_get_and_head_for_this_machine_only() {
    let (_dir, root) = site();
    // folders whose names a Location header must carry encoded
    std::fs::create_dir_all(root.join("static/café")).unwrap();
    std::fs::write(root.join("static/café/index.html"), "<p>café</p>").unwrap();
    let crlf = root.join("static/a\r\nSet-Cookie: pwned=1");
    std::fs::create_dir_all(&crlf).unwrap();
    std::fs::write(crlf.join("index.html"), "<p>x</p>").unwrap();
    let server = Server::start(&root);
    let host = format!("127.0.0.1:{}", server.port);

    let (status, head, _) = server.request("POST", "/", &host);
    assert_eq!(status, 405, "{head}");
    assert!(
        head.to_ascii_lowercase().contains("allow: get, head"),
        "{head}"
    );
    for method in ["PUT", "DELETE", "OPTIONS", "PATCH"] {
        assert_eq!(server.request(method, "/", &host).0, 405, "{method}");
    }
    let (status, head, body) = server.request("HEAD", "/", &host);
    assert_eq!((status, body.as_str()), (200, ""), "{head}");
    assert!(
        head.to_ascii_lowercase().contains("content-length: "),
        "{head}"
    );

    // DNS rebinding: a page of evil.example that resolves to 127.0.0.1 sends its own name
    for bad in ["evil.example", "evil.example:80", "localhost.evil.example"] {
        assert_eq!(server.request("GET", "/", bad).0, 403, "{bad}");
    }
    for good in [host.as_str(), "localhost", "LOCALHOST:1234", "[::1]:8000"] {
        assert_eq!(server.request("GET", "/", good).0, 200, "{good}");
    }

    // sizes: a long URL, a huge head, a 20 MB URL that is never read whole
    let long = format!("/{}", "a".repeat(9 * 1024));
    assert_eq!(server.request("GET", &long, &host).0, 414);
    let big_header = format!(
        "GET / HTTP/1.1\r\nHost: {host}\r\nX-Big: {}\r\n\r\n",
        "b".repeat(64 * 1024)
    );
    assert_eq!(server.raw(big_header.as_bytes()).0, 431);
    let huge = format!(
        "GET /{} HTTP/1.1\r\nHost: {host}\r\n\r\n",
        "c".repeat(20_000_000)
    );
    assert!(matches!(server.raw(huge.as_bytes()).0, 414 | 431));
    let (_, rss_kib) = server.threads_and_rss();
    assert!(
        rss_kib < 150 * 1024,
        "{rss_kib} KiB resident after a 20 MB URL"
    );

    // redirects to a folder: Location percent-encoded, no header injected, no panic
    let (status, head, _) = server.request("GET", "/caf%C3%A9", &host);
    assert_eq!(status, 301, "{head}");
    assert!(head.contains("\r\nlocation: /caf%C3%A9/"), "{head}");
    assert_eq!(server.request("GET", "/caf%C3%A9/", &host).0, 200);
    let (status, head, _) = server.request("GET", "/a%0D%0ASet-Cookie:%20pwned=1", &host);
    assert_eq!(status, 301, "{head}");
    assert!(
        !head
            .lines()
            .any(|l| l.to_ascii_lowercase().starts_with("set-cookie")),
        "{head}"
    );
    assert!(
        head.contains("location: /a%0D%0ASet-Cookie:%20pwned=1/"),
        "{head}"
    );

    // after all of it the server still answers
    assert_eq!(server.get("/").0, 200);
    assert!(!server.log().contains("panicked"), "{}", server.log());
}

#[test]
fn waiters_and_idle_connections_cost_no_thread_and_are_bounded() {
    let (_dir, root) = site();
    let server = Server::start(&root);
    let host = format!("127.0.0.1:{}", server.port);
    let (_, generation) = server.get("/__kwiki/reload?since=999999");
    let generation: u64 = generation.trim().parse().unwrap();
    let (threads_before, _) = server.threads_and_rss();
    // 300 live-reload long-polls and 60 half-open connections
    let mut held = Vec::new();
    for i in 0..360 {
        let mut s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
        if i < 300 {
            write!(
                s,
                "GET /__kwiki/reload?since={generation} HTTP/1.1\r\nHost: {host}\r\n\r\n"
            )
            .unwrap();
        } else {
            write!(s, "GET / HTTP/1.1\r\nHost: {host}\r\nX-Slow").unwrap();
        }
        held.push(s);
    }
    std::thread::sleep(Duration::from_millis(500));
    let (threads, _) = server.threads_and_rss();
    assert!(
        threads < threads_before + 8 && threads < 64,
        "{threads} threads (before: {threads_before})"
    );
    // pages are served meanwhile
    let (status, body) = server.get("/");
    assert_eq!(status, 200);
    assert!(body.contains("__kwiki/reload"));
    // a half-open connection is closed by the server once its head is late
    let mut slow = held.pop().unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let start = Instant::now();
    let mut buf = [0u8; 256];
    let n = slow.read(&mut buf).unwrap_or(0);
    assert!(
        n == 0 || String::from_utf8_lossy(&buf[..n]).contains("408"),
        "the late head was answered: {:?}",
        String::from_utf8_lossy(&buf[..n])
    );
    assert!(
        start.elapsed() < Duration::from_secs(25),
        "held for {:?}",
        start.elapsed()
    );
    drop(held);
    assert_eq!(server.get("/").0, 200);
}
