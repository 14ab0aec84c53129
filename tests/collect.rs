//! `kwiki add` and `kwiki update` against a web server the test starts on 127.0.0.1, serving
//! pages written for these tests in the shapes news sites use. No test reaches the internet.
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Output};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Every request the test servers answered: its path and when it arrived. Each test asks
/// for paths of its own, so the tests running at once do not mix.
static REQUESTS: Mutex<Vec<(String, Instant)>> = Mutex::new(Vec::new());

/// When the requests for `path` arrived, in order.
fn arrivals(path: &str) -> Vec<Instant> {
    let log = REQUESTS.lock().unwrap();
    log.iter().filter(|r| r.0 == path).map(|r| r.1).collect()
}

/// The time between each request for `path` and the next.
fn gaps(path: &str) -> Vec<Duration> {
    arrivals(path).windows(2).map(|w| w[1] - w[0]).collect()
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/web")
            .join(name),
    )
    .unwrap()
}

/// A feed item's page: its own words, so that no two are near duplicates.
fn item_page(name: &str) -> String {
    let words = [
        ("one", "drummer", "Busan", "orchestra", "autumn"),
        ("two", "novelist", "Daegu", "publisher", "winter"),
        ("three", "chef", "Jeonju", "restaurant", "spring"),
        ("four", "architect", "Incheon", "museum", "summer"),
        ("five", "painter", "Gwangju", "gallery", "monsoon"),
        ("six", "pilot", "Ulsan", "airline", "harvest"),
    ];
    let (_, who, city, what, season) = words.iter().find(|w| w.0 == name).unwrap();
    format!(
        "<html><head><title>Item {name}</title></head><body><article>\
         <p>A {who} from {city} opened a new {what} this {season}, the local paper reported.</p>\
         <p>Visitors to the {what} in {city} lined up for hours to meet the {who} in person.</p>\
         <p>The {who} plans to travel beyond {city} with the {what} before the {season} ends.</p>\
         </article></body></html>"
    )
}

/// Serve the fixtures on 127.0.0.1 (a thread per connection); returns the base URL.
fn serve() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let host = base.trim_start_matches("http://").to_string();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let host = host.clone();
            std::thread::spawn(move || respond(stream, &host));
        }
    });
    base
}

fn respond(mut stream: TcpStream, host: &str) {
    let mut line = String::new();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let mut agent = String::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
            break;
        }
        if h.to_ascii_lowercase().starts_with("user-agent:") {
            agent = h[11..].trim().to_string();
        }
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    REQUESTS
        .lock()
        .unwrap()
        .push((path.clone(), Instant::now()));
    let asked = arrivals(&path).len();
    let html = "text/html; charset=utf-8";
    let busy = || {
        (
            "503 Service Unavailable",
            html,
            b"try again in a second".to_vec(),
            "Retry-After: 1\r\n".to_string(),
        )
    };
    let (status, ctype, body, extra): (&str, &str, Vec<u8>, String) = match path.as_str() {
        _ if !agent.starts_with("kwiki/") => (
            "403 Forbidden",
            html,
            b"who are you?".to_vec(),
            String::new(),
        ),
        "/jsonld" => ("200 OK", html, fixture("jsonld.html"), String::new()),
        "/og" => ("200 OK", html, fixture("opengraph.html"), String::new()),
        "/cluttered" => ("200 OK", html, fixture("cluttered.html"), String::new()),
        // the same story at another address, under another headline
        "/mirror" => {
            let page = String::from_utf8(fixture("cluttered.html")).unwrap();
            (
                "200 OK",
                html,
                page.replace("sings for the F1 film", "on the F1 album")
                    .into_bytes(),
                String::new(),
            )
        }
        // the charset is declared in the page only
        "/euc-kr" => ("200 OK", "text/html", fixture("euc-kr.html"), String::new()),
        "/old-address" => (
            "301 Moved Permanently",
            html,
            Vec::new(),
            "Location: /news/canonical\r\n".into(),
        ),
        "/news/canonical" => {
            let page = item_page("six").replace(
                "<head>",
                "<head><link rel=\"canonical\" href=\"/news/canonical\">",
            );
            ("200 OK", html, page.into_bytes(), String::new())
        }
        "/slow" => {
            std::thread::sleep(Duration::from_secs(3));
            ("200 OK", html, fixture("jsonld.html"), String::new())
        }
        // busy twice (saying when to come back), then the page
        "/busy" if asked <= 2 => busy(),
        "/busy" => (
            "200 OK",
            html,
            item_page("four").into_bytes(),
            String::new(),
        ),
        // too many requests once, without saying for how long
        "/throttled" if asked == 1 => (
            "429 Too Many Requests",
            html,
            b"slow down".to_vec(),
            String::new(),
        ),
        "/throttled" => (
            "200 OK",
            html,
            item_page("five").into_bytes(),
            String::new(),
        ),
        "/down" => busy(),
        p if p.starts_with("/spaced/") => (
            "200 OK",
            html,
            item_page(&p[8..]).into_bytes(),
            String::new(),
        ),
        "/report.pdf" => (
            "200 OK",
            "application/pdf",
            b"%PDF-1.4".to_vec(),
            String::new(),
        ),
        "/menu-only" => (
            "200 OK",
            html,
            b"<html><body><nav><a href='/'>Home</a></nav></body></html>".to_vec(),
            String::new(),
        ),
        "/rss.xml" => (
            "200 OK",
            "application/rss+xml",
            String::from_utf8(fixture("rss.xml"))
                .unwrap()
                .replace("HOST", host)
                .into_bytes(),
            String::new(),
        ),
        "/atom.xml" => (
            "200 OK",
            "application/atom+xml",
            String::from_utf8(fixture("atom.xml"))
                .unwrap()
                .replace("HOST", host)
                .into_bytes(),
            String::new(),
        ),
        p if p.starts_with("/feed/") => (
            "200 OK",
            html,
            item_page(&p[6..]).into_bytes(),
            String::new(),
        ),
        _ => (
            "404 Not Found",
            html,
            b"<html><body>Not found</body></html>".to_vec(),
            String::new(),
        ),
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\n{extra}Connection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
}

fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("seeds")).unwrap();
    dir
}

fn kwiki(root: &Path, args: &[&str]) -> Output {
    kwiki_fetching(root, args, ["--delay", "0", "--timeout", "1"])
}

fn kwiki_fetching<const N: usize>(root: &Path, args: &[&str], fetch: [&str; N]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kwiki"))
        .arg("--root")
        .arg(root)
        .args(args)
        .args(fetch)
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The seeds written, sorted by name.
fn seeds(root: &Path) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(root.join("seeds"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn json_ld_article_is_saved_with_its_metadata_and_body() {
    let base = serve();
    let dir = site();
    let o = kwiki(dir.path(), &["add", &format!("{base}/jsonld")]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("added 1 article, 0 already present, 0 failed"),
        "{}",
        stderr(&o)
    );
    let files = seeds(dir.path());
    assert_eq!(files.len(), 1, "{files:?}");
    let (name, text) = &files[0];
    assert_eq!(
        name,
        "2024-07-26-stray-kids-join-the-deadpool-and-wolverine-soundtrack.md"
    );
    let expected_front = format!(
        "---\ntitle: \"Stray Kids join the Deadpool & Wolverine soundtrack\"\ndate: \"2024-07-26T09:30:00+09:00\"\nsource: \"{base}/news/stray-kids-deadpool\"\npublisher: \"K-Wave Weekly\"\nauthor: \"Kim Min-ji\"\nlang: \"en\"\nfetched: \""
    );
    assert!(text.starts_with(&expected_front), "{text}");
    let body = text.split("\n---\n").nth(1).unwrap();
    assert_eq!(
        body,
        "Stray Kids recorded a new song for the soundtrack of Deadpool \\& Wolverine, the label said on Friday, the first time a K-pop group has joined a Marvel film's album.\n\n\
         ## A song written for the film\n\n\
         The track, titled \"Slash\", was written by the group's producing team 3RACHA after they watched an early cut of the film in Los Angeles.\n\n\
         > We wanted a song that sounds like the film feels: loud, fast and a little rude.\n\n\
         The soundtrack also features songs by several American artists, and it will be released worldwide by Hollywood Records next week.\n\n\
         - Release date: July 26\n\
         - Label: Hollywood Records\n"
    );
}

#[test]
fn open_graph_only_page_and_boilerplate_around_the_body() {
    let base = serve();
    let dir = site();
    let o = kwiki(
        dir.path(),
        &["add", &format!("{base}/og"), &format!("{base}/cluttered")],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let files = seeds(dir.path());
    assert_eq!(files.len(), 2, "{files:?}");
    let (og_name, og) = &files[0];
    assert_eq!(
        og_name,
        "2024-03-05-studio-dragon-renews-its-netflix-deal.md"
    );
    for line in [
        "title: \"Studio Dragon renews its Netflix deal\"",
        "date: \"2024-03-05T08:00:00Z\"",
        "source: \"https://example.org/drama/studio-dragon-netflix\"",
        "publisher: \"Seoul Screen Daily\"",
        "author: \"Lee Seo-yeon\"",
        "lang: \"ko\"",
    ] {
        assert!(og.contains(&format!("\n{line}\n")), "{line} in {og}");
    }
    let (_, cluttered) = &files[1];
    let body = cluttered.split("\n---\n").nth(1).unwrap();
    assert!(body.starts_with("Rosé of BLACKPINK has recorded"), "{body}");
    assert!(body.trim_end().ends_with("by Atlantic Records."), "{body}");
    for junk in [
        "cookies",
        "Share on",
        "Advertisement",
        "world tour",
        "can't wait",
        "Copyright",
        "Home",
    ] {
        assert!(!body.contains(junk), "{junk} left in {body}");
    }
    // the page declares no date: the file is named by the day it was fetched
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    assert!(files[1].0.starts_with(&today), "{}", files[1].0);
}

#[test]
fn euc_kr_page_is_decoded() {
    let base = serve();
    let dir = site();
    let o = kwiki(dir.path(), &["add", &format!("{base}/euc-kr")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let files = seeds(dir.path());
    let (_, text) = &files[0];
    assert!(
        text.contains("title: \"로제, 영화 F1 사운드트랙 참여\""),
        "{text}"
    );
    assert!(
        text.contains("블랙핑크 로제가 브래드 피트 주연의 영화 F1의 사운드트랙에 참여했다고"),
        "{text}"
    );
    assert!(text.contains("lang: \"ko\""), "{text}");
}

#[test]
fn redirect_to_the_canonical_url_and_duplicates_refused() {
    let base = serve();
    let dir = site();
    let o = kwiki(dir.path(), &["add", &format!("{base}/old-address")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let files = seeds(dir.path());
    assert!(
        files[0]
            .1
            .contains(&format!("source: \"{base}/news/canonical\"")),
        "{}",
        files[0].1
    );
    let first = format!("seeds/{}", files[0].0);
    // the same canonical URL, by the old address or the new one
    for url in ["/old-address", "/news/canonical"] {
        let o = kwiki(dir.path(), &["add", &format!("{base}{url}")]);
        assert!(!o.status.success(), "nothing added must fail");
        let err = stderr(&o);
        assert!(
            err.contains(&format!(
                "already present: {base}{url} is in {first} (the same source)"
            )),
            "{err}"
        );
        assert!(
            err.contains("added 0 articles, 1 already present, 0 failed"),
            "{err}"
        );
    }
    // the same story at another address: a near duplicate
    let o = kwiki(
        dir.path(),
        &[
            "add",
            &format!("{base}/cluttered"),
            &format!("{base}/mirror"),
        ],
    );
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    let kept = seeds(dir.path())
        .into_iter()
        .find(|(_, t)| t.contains("Rosé"))
        .unwrap()
        .0;
    assert!(
        err.contains(&format!(
            "already present: {base}/mirror is in seeds/{kept} (a near duplicate)"
        )),
        "{err}"
    );
    assert_eq!(seeds(dir.path()).len(), 2);
}

#[test]
fn each_failure_is_one_line_and_nothing_is_written() {
    let base = serve();
    let dir = site();
    let urls = [
        "ftp://example.org/a".to_string(),
        format!("{base}/missing"),
        format!("{base}/slow"),
        format!("{base}/report.pdf"),
        format!("{base}/menu-only"),
    ];
    let mut args = vec!["add"];
    args.extend(urls.iter().map(String::as_str));
    let o = kwiki(dir.path(), &args);
    assert!(!o.status.success());
    let err = stderr(&o);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(
        lines,
        [
            "error: ftp://example.org/a: not a web address (only http:// and https:// URLs can be added)".to_string(),
            format!("error: {base}/missing: the server answered 404 Not Found"),
            format!("error: {base}/slow: no answer within 1 s (the limit is --timeout)"),
            format!("error: {base}/report.pdf: not a web page (application/pdf); only HTML articles can be added"),
            format!("error: {base}/menu-only: no article text found in the page"),
            "added 0 articles, 0 already present, 5 failed".to_string(),
        ]
    );
    let left: Vec<_> = std::fs::read_dir(dir.path().join("seeds"))
        .unwrap()
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn busy_servers_are_asked_again_after_the_wait_they_ask_for_or_a_backoff() {
    let base = serve();
    let dir = site();
    // 503 with `Retry-After: 1`, twice: three requests a second or more apart
    let o = kwiki(dir.path(), &["add", &format!("{base}/busy")]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("added 1 article, 0 already present, 0 failed"));
    let waits = gaps("/busy");
    assert_eq!(waits.len(), 2, "{waits:?}");
    assert!(
        waits.iter().all(|w| *w >= Duration::from_secs(1)),
        "{waits:?}"
    );
    // 429 saying nothing: asked again after the first backoff (2 s)
    let o = kwiki(dir.path(), &["add", &format!("{base}/throttled")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let waits = gaps("/throttled");
    assert_eq!(waits.len(), 1, "{waits:?}");
    assert!(waits[0] >= Duration::from_secs(2), "{waits:?}");
    assert_eq!(seeds(dir.path()).len(), 2);
    // still busy after the retries allowed: one line, nothing written
    let o = kwiki_fetching(
        dir.path(),
        &["add", &format!("{base}/down")],
        ["--delay", "0", "--retries", "1"],
    );
    assert!(!o.status.success());
    assert_eq!(arrivals("/down").len(), 2);
    assert_eq!(
        stderr(&o).lines().collect::<Vec<_>>(),
        [
            format!("error: {base}/down: the server answered 503 Service Unavailable"),
            "added 0 articles, 0 already present, 1 failed".to_string(),
        ]
    );
    assert_eq!(seeds(dir.path()).len(), 2);
}

#[test]
fn delay_spaces_the_requests_to_one_host() {
    let base = serve();
    let dir = site();
    let o = kwiki_fetching(
        dir.path(),
        &[
            "add",
            &format!("{base}/spaced/one"),
            &format!("{base}/spaced/two"),
            &format!("{base}/spaced/three"),
        ],
        ["--delay", "1.5"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("added 3 articles"), "{}", stderr(&o));
    let mut times: Vec<Instant> = ["one", "two", "three"]
        .iter()
        .flat_map(|p| arrivals(&format!("/spaced/{p}")))
        .collect();
    times.sort();
    assert_eq!(times.len(), 3);
    // the delay runs from one request's start to the next one's (a few ms of connection
    // set-up may fall on either side)
    for w in times.windows(2) {
        assert!(
            w[1] - w[0] >= Duration::from_millis(1450),
            "{:?}",
            w[1] - w[0]
        );
    }
}

#[test]
fn feeds_rss_and_atom_with_since_limit_and_update() {
    let base = serve();
    let dir = site();
    let rss = format!("{base}/rss.xml");
    let o = kwiki(
        dir.path(),
        &["add", "--feed", &rss, "--since", "2024-07-05"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let names: Vec<String> = seeds(dir.path()).into_iter().map(|s| s.0).collect();
    assert_eq!(
        names.len(),
        2,
        "{names:?}: the item of July 1 is before --since"
    );
    assert!(stderr(&o).contains("added 2 articles, 0 already present, 0 failed"));
    // the whole feed again: only the item not yet there is added
    let o = kwiki(dir.path(), &["add", "--feed", &rss]);
    assert!(
        stderr(&o).contains("added 1 article, 2 already present, 0 failed"),
        "{}",
        stderr(&o)
    );
    let atom = format!("{base}/atom.xml");
    std::fs::write(
        dir.path().join("site.yaml"),
        format!("feeds:\n  - {atom}\n"),
    )
    .unwrap();
    let o = kwiki(dir.path(), &["update", "--limit", "2"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("added 2 articles, 0 already present, 0 failed"),
        "{}",
        stderr(&o)
    );
    let texts: String = seeds(dir.path()).into_iter().map(|s| s.1).collect();
    assert!(
        texts.contains(&format!("source: \"{base}/feed/five\"")),
        "a relative Atom link is resolved"
    );
    assert!(
        !texts.contains("/feed/six"),
        "--limit 2 stops after two items"
    );
    // nothing new: a normal day for a scheduled update
    let o = kwiki(dir.path(), &["update", "--limit", "2"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("added 0 articles, 2 already present, 0 failed"));
}

#[test]
fn saved_html_pages_are_built_like_fetched_ones() {
    let dir = site();
    std::fs::write(
        dir.path().join("seeds/deadpool.html"),
        fixture("jsonld.html"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("seeds/menu.htm"),
        "<html><body><nav>Home</nav></body></html>",
    )
    .unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_kwiki"))
        .arg("--root")
        .arg(dir.path())
        .arg("build")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("seeds/menu.htm: skipped: no article text found in the page"),
        "{}",
        stderr(&o)
    );
    let api = std::fs::read_to_string(dir.path().join("public/api/articles.json"))
        .or_else(|_| std::fs::read_to_string(dir.path().join("public/api/index.json")))
        .unwrap_or_default();
    let page = std::fs::read_to_string(dir.path().join("public/article/deadpool/index.html"))
        .unwrap_or(api);
    assert!(
        page.contains("Stray Kids join the Deadpool &amp; Wolverine soundtrack")
            || page.contains("Stray Kids join the Deadpool & Wolverine soundtrack"),
        "{page}"
    );
    assert!(page.contains("K-Wave Weekly"), "{page}");
    assert!(
        page.contains("by Kim Min-ji"),
        "the writer the page names: {page}"
    );
    assert!(page.contains("3RACHA"), "{page}");
}
