//! The build cache never changes what is built: after every kind of edit, a build with the
//! cache writes byte for byte the site a build without it writes, while reading and
//! extracting only what changed. A damaged or other-version cache is ignored with one
//! warning.
use kwiki::site::{self, BuildOptions, BuildReport, Site};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A site of the test corpus and the seeds, with small pages so that every list goes on
/// over several pages.
fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let seeds = dir.path().join("seeds");
    std::fs::create_dir_all(&seeds).unwrap();
    for from in [repo().join("seeds"), repo().join("tests/corpus")] {
        for e in std::fs::read_dir(from).unwrap() {
            let p = e.unwrap().path();
            if matches!(p.extension().and_then(|x| x.to_str()), Some("txt" | "md")) {
                std::fs::copy(&p, seeds.join(p.file_name().unwrap())).unwrap();
            }
        }
    }
    write(
        dir.path(),
        "site.yaml",
        "paginate: {index: 7, mentions: 2, partnerships: 3, evidence: 2}\n",
    );
    dir
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn replace(root: &Path, rel: &str, from: &str, to: &str) {
    let s = std::fs::read_to_string(root.join(rel)).unwrap();
    assert!(s.contains(from), "{rel} has no {from:?}");
    write(root, rel, &s.replacen(from, to, 1));
}

fn append(root: &Path, rel: &str, text: &str) {
    let mut s = std::fs::read_to_string(root.join(rel)).unwrap();
    s.push_str(text);
    write(root, rel, &s);
}

/// Build `root` into `out`, with the cache (`version` as kwiki's) or without.
fn build(root: &Path, out: &Path, version: Option<&str>) -> BuildReport {
    let mut site = Site::load(root).unwrap();
    site.config.output_dir = out.to_path_buf();
    let opts = match version {
        Some(v) => BuildOptions {
            version: v.into(),
            ..BuildOptions::cached()
        },
        None => BuildOptions::uncached(),
    };
    site::build_with_progress(&site, &opts, &|_| {}).unwrap()
}

fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy();
            (rel.replace('\\', "/"), std::fs::read(e.path()).unwrap())
        })
        .collect()
}

fn count(r: &BuildReport, what: &str) -> Option<usize> {
    r.timings
        .1
        .iter()
        .find(|(w, _)| *w == what)
        .map(|(_, n)| *n)
}

fn warnings(r: &BuildReport) -> Vec<String> {
    r.warnings.iter().map(|w| w.to_string()).collect()
}

/// Reword a sentence that an entity's page cites under "Mentioned in" (its first story) and
/// under no partnership: only that list shows the change.
fn reword_a_mention_only(root: &Path) {
    let site = Site::load(root).unwrap();
    let (w, _) = site.wiki(&mut Default::default()).unwrap();
    for ent in &w.entities {
        let Some(m) = ent.mentions.first() else {
            continue;
        };
        let s: &str = &m.sentence;
        let quoted = ent.partnerships.iter().any(|&p| {
            w.partnerships[p]
                .evidence
                .iter()
                .any(|ev| *ev.sentence == *s)
        });
        let Some(stem) = s.strip_suffix('.') else {
            continue;
        };
        if quoted || stem.contains('\n') {
            continue;
        }
        let path = root.join(&w.articles[m.article].path);
        let text = std::fs::read_to_string(&path).unwrap();
        if text.matches(s).count() == 1 {
            std::fs::write(&path, text.replace(s, &format!("{stem} this year."))).unwrap();
            return;
        }
    }
    panic!("no sentence cited only under \"Mentioned in\"");
}

/// A site, its cached output, and a fresh uncached build to compare it with.
struct Bench {
    dir: tempfile::TempDir,
    out: PathBuf,
}

impl Bench {
    fn new() -> Bench {
        let dir = site();
        let out = dir.path().join("public");
        Bench { dir, out }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    /// A build with the cache, checked against one without it into a new directory.
    fn build_as(&self, version: &str, what: &str) -> BuildReport {
        let r = build(self.root(), &self.out, Some(version));
        let fresh = tempfile::tempdir().unwrap();
        let fresh_out = fresh.path().join("public");
        build(self.root(), &fresh_out, None);
        let (a, b) = (tree(&self.out), tree(&fresh_out));
        let only = |x: &BTreeMap<String, Vec<u8>>, y: &BTreeMap<String, Vec<u8>>| {
            x.keys()
                .filter(|k| !y.contains_key(*k))
                .cloned()
                .collect::<Vec<_>>()
        };
        assert!(
            only(&a, &b).is_empty() && only(&b, &a).is_empty(),
            "{what}: not the same files: only with the cache {:?}, only without {:?}",
            only(&a, &b),
            only(&b, &a)
        );
        for (path, bytes) in &a {
            assert!(
                *bytes == b[path],
                "{what}: {path} differs from a build without the cache:\n--- cached\n{}\n--- fresh\n{}",
                String::from_utf8_lossy(bytes),
                String::from_utf8_lossy(&b[path])
            );
        }
        r
    }

    fn build(&self, what: &str) -> BuildReport {
        self.build_as("v1", what)
    }
}

#[test]
fn edits_build_the_same_site_with_and_without_the_cache() {
    let b = Bench::new();
    let first = b.build("first build");
    let n = count(&first, "articles read and extracted").unwrap();
    assert!(n > 20, "{n}");
    assert!(
        b.out.join("artist/page/2/index.html").is_file(),
        "lists go on over pages"
    );

    let again = b.build("nothing changed");
    assert_eq!(again.written, 0);
    assert_eq!(
        count(&again, "nothing changed since the last build"),
        Some(1)
    );
    assert_eq!(again.articles, first.articles);

    append(
        b.root(),
        "seeds/c10_jungkook_calvin_klein.txt",
        "\nJungkook also starred in a campaign with Messy Blue, said the label HYBE.\n",
    );
    let r = b.build("an article edited");
    assert_eq!(count(&r, "articles read and extracted"), Some(1));
    assert!(count(&r, "pages unchanged, not rendered").unwrap() > 0);

    replace(
        b.root(),
        "seeds/c10_jungkook_calvin_klein.txt",
        "the American fashion brand announced on Thursday",
        "the New York fashion house said on Friday",
    );
    let r = b.build("a cited sentence reworded");
    assert_eq!(count(&r, "articles read and extracted"), Some(1));
    replace(
        b.root(),
        "seeds/c07_hybe_geffen_katseye.md",
        "date: 2024-08-22",
        "date: 2023-01-05",
    );
    b.build("an article's date changed");
    replace(
        b.root(),
        "seeds/c07_hybe_geffen_katseye.md",
        "title: \"HYBE and Geffen Records launch KATSEYE",
        "title: \"Geffen and HYBE unveil KATSEYE",
    );
    b.build("an article's title changed");
    reword_a_mention_only(b.root());
    b.build("a sentence only \"Mentioned in\" cites reworded");

    write(
        b.root(),
        "seeds/zz_new.txt",
        "BLACKPINK's Rosé and Bruno Mars release APT. together\n\nRosé teamed up with Bruno Mars on the single \"APT.\", released by Atlantic Records.\n",
    );
    let r = b.build("an article added");
    assert_eq!(count(&r, "articles read and extracted"), Some(1));

    std::fs::remove_file(b.root().join("seeds/c03_ost_round_up.txt")).unwrap();
    let r = b.build("an article removed");
    assert_eq!(count(&r, "articles read and extracted"), Some(0));

    write(
        b.root(),
        "seeds/_corrections.yaml",
        "entities:\n  - name: Rosé\n    aliases: [Rosie]\n    description: \"Singer.\"\n  - name: Mas\n    reject: true\n",
    );
    let r = b.build("corrections edited");
    assert_eq!(
        count(&r, "articles read and extracted"),
        Some(0),
        "corrections change linking, not what an article says"
    );

    write(
        b.root(),
        "templates/partnership.html",
        "{% extends \"base.html\" %}{% block main %}<h1>{{ partnership.title }}</h1>{% include \"partials/pager.html\" %}{% endblock main %}",
    );
    let r = b.build("a template edited");
    assert_eq!(count(&r, "articles read and extracted"), Some(0));

    std::fs::remove_file(b.out.join("artist/rose/index.html")).unwrap();
    b.build("a page removed by hand");
    write(&b.out, "song/apt/index.html", "edited by hand");
    b.build("a page edited by hand");
    write(&b.out, "stray.html", "left by hand");
    b.build("a file added by hand");
}

#[test]
fn an_edited_lexicon_extracts_every_article_again() {
    let b = Bench::new();
    write(
        b.root(),
        "site.yaml",
        "lexicons: [extra.yaml]\npaginate: {index: 7}\n",
    );
    write(b.root(), "extra.yaml", "places: [Gangnam]\n");
    let first = b.build("with an extra lexicon");
    let n = count(&first, "articles read and extracted").unwrap();
    b.build("again");
    write(b.root(), "extra.yaml", "places: [Gangnam, Itaewon]\n");
    let r = b.build("the lexicon edited");
    assert_eq!(count(&r, "articles read and extracted"), Some(n));
}

#[test]
fn another_kwiki_version_starts_over_with_one_warning() {
    let b = Bench::new();
    let first = b.build_as("v1", "v1");
    let n = count(&first, "articles read and extracted").unwrap();
    let r = b.build_as("v2", "another version");
    assert_eq!(count(&r, "articles read and extracted"), Some(n));
    let w = warnings(&r);
    assert_eq!(
        w.iter().filter(|w| w.contains("build cache")).count(),
        1,
        "{w:?}"
    );
    assert!(
        w.iter().any(|w| w.contains("another version of kwiki")),
        "{w:?}"
    );
    let r = b.build_as("v2", "v2 again");
    assert_eq!(r.written, 0);
    assert!(warnings(&r).iter().all(|w| !w.contains("build cache")));
}

#[test]
fn a_damaged_cache_is_ignored_with_one_warning() {
    let b = Bench::new();
    let first = b.build("first");
    let n = count(&first, "articles read and extracted").unwrap();
    let cache = b.root().join(".kwiki-cache");
    let data: Vec<PathBuf> = std::fs::read_dir(&cache)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "dat"))
        .collect();
    assert_eq!(data.len(), 1, "{data:?}");
    // the records cut short, an article edited so that the build must read the cache
    let bytes = std::fs::read(&data[0]).unwrap();
    std::fs::write(&data[0], &bytes[..bytes.len() / 2]).unwrap();
    append(
        b.root(),
        "seeds/c01_pachinko_lee_min_ho.txt",
        "\nMore news.\n",
    );
    let r = b.build("records cut short");
    let w = warnings(&r);
    assert_eq!(
        w.iter().filter(|w| w.contains("build cache")).count(),
        1,
        "{w:?}"
    );
    assert!(w.iter().any(|w| w.contains("damaged")), "{w:?}");
    assert_eq!(count(&r, "articles read and extracted"), Some(n));
    // the index with a byte flipped
    let idx = cache.join("articles.idx");
    let mut bytes = std::fs::read(&idx).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x55;
    std::fs::write(&idx, &bytes).unwrap();
    append(
        b.root(),
        "seeds/c01_pachinko_lee_min_ho.txt",
        "\nEven more news.\n",
    );
    let r = b.build("index damaged");
    let w = warnings(&r);
    assert_eq!(
        w.iter().filter(|w| w.contains("build cache")).count(),
        1,
        "{w:?}"
    );
    // a record's bytes changed in place (same length)
    let r = b.build("healthy again");
    assert!(warnings(&r).iter().all(|w| !w.contains("build cache")));
    let data: PathBuf = std::fs::read_dir(&cache)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "dat"))
        .unwrap();
    let mut bytes = std::fs::read(&data).unwrap();
    for b in bytes.iter_mut().step_by(97) {
        *b ^= 0x20;
    }
    std::fs::write(&data, &bytes).unwrap();
    append(
        b.root(),
        "seeds/c02_newjeans_luxury_ambassadors.txt",
        "\nNews.\n",
    );
    let r = b.build("records damaged in place");
    let w = warnings(&r);
    assert_eq!(
        w.iter().filter(|w| w.contains("build cache")).count(),
        1,
        "{w:?}"
    );
    // the per-output record damaged: the pages are all rendered again, and still the same
    for e in std::fs::read_dir(&cache).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "pages") {
            std::fs::write(&p, b"kwiki cache\n\x01\x00").unwrap();
        }
    }
    let r = b.build("output record damaged");
    assert_eq!(count(&r, "pages unchanged, not rendered"), Some(0));
}

#[test]
fn without_the_cache_nothing_is_kept() {
    let b = Bench::new();
    build(b.root(), &b.out, None);
    assert!(!b.root().join(".kwiki-cache/articles.idx").exists());
}

/// `kwiki ARGS...` on the site `root`: (status ok, stdout, stderr).
fn kwiki(root: &Path, args: &[&str]) -> (bool, String, String) {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_kwiki"))
        .arg("--root")
        .arg(root)
        .args(args)
        .output()
        .unwrap();
    let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
    (o.status.success(), text(o.stdout), text(o.stderr))
}

/// The `count WHAT: N` line of `--timings`.
fn timing_count(stdout: &str, what: &str) -> Option<usize> {
    let line = stdout
        .lines()
        .find(|l| l.starts_with(&format!("count {what}: ")))?;
    line.rsplit(' ').next()?.parse().ok()
}

#[test]
fn timings_say_what_came_from_the_cache() {
    let b = Bench::new();
    let (ok, first, err) = kwiki(b.root(), &["build", "--timings"]);
    assert!(ok, "{err}");
    let n = timing_count(&first, "articles read and extracted").unwrap();
    assert!(n > 20, "{first}");
    assert_eq!(timing_count(&first, "articles from the cache"), Some(0));
    append(b.root(), "seeds/c03_ost_round_up.txt", "\nOne more line.\n");
    let (ok, second, err) = kwiki(b.root(), &["build", "--timings"]);
    assert!(ok, "{err}");
    assert_eq!(
        timing_count(&second, "articles read and extracted"),
        Some(1)
    );
    assert_eq!(
        timing_count(&second, "articles from the cache"),
        Some(n - 1)
    );
    assert!(timing_count(&second, "pages unchanged, not rendered").unwrap() > 100);
    assert!(second.contains("timing cache load "), "{second}");
    // the JSON line says the same
    let json: serde_json::Value =
        serde_json::from_str(second.lines().find(|l| l.starts_with('{')).unwrap()).unwrap();
    let counts = json["counts"].as_array().unwrap();
    assert!(
        counts
            .iter()
            .any(|c| c[0] == "articles from the cache" && c[1] == n - 1)
    );
}

#[test]
fn no_cache_neither_reads_nor_writes_the_cache() {
    let b = Bench::new();
    let (ok, _, err) = kwiki(b.root(), &["build"]);
    assert!(ok, "{err}");
    let cache = b.root().join(".kwiki-cache");
    // a damaged cache: --no-cache does not even look at it
    let idx = cache.join("articles.idx");
    std::fs::write(&idx, b"not a cache").unwrap();
    let before = tree(&cache);
    append(b.root(), "seeds/c03_ost_round_up.txt", "\nOne more line.\n");
    let (ok, out, err) = kwiki(b.root(), &["build", "--no-cache", "--timings"]);
    assert!(ok, "{err}");
    assert!(!err.contains("build cache"), "{err}");
    assert!(timing_count(&out, "articles read and extracted").unwrap() > 20);
    assert_eq!(
        timing_count(&out, "articles from the cache").unwrap_or(0),
        0
    );
    let after = tree(&cache);
    let cache_files = |t: &BTreeMap<String, Vec<u8>>| {
        t.iter()
            .filter(|(p, _)| !p.ends_with(".manifest") && !p.ends_with(".lock"))
            .map(|(p, b)| (p.clone(), b.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        cache_files(&before),
        cache_files(&after),
        "--no-cache wrote the cache"
    );
    // and the site is the one a build with the cache makes
    let with = tempfile::tempdir().unwrap();
    let (ok, _, err) = kwiki(
        b.root(),
        &["build", "--output", with.path().join("p").to_str().unwrap()],
    );
    assert!(ok, "{err}");
    assert!(
        err.contains("build cache"),
        "the damaged cache went unnoticed: {err}"
    );
    assert!(tree(&b.out) == tree(&with.path().join("p")));
}

#[test]
fn clean_removes_the_output_and_the_cache() {
    let b = Bench::new();
    let elsewhere = tempfile::tempdir().unwrap();
    let cache = elsewhere.path().join("cache");
    let cache_arg = cache.to_str().unwrap();
    for args in [vec!["build"], vec!["build", "--cache-dir", cache_arg]] {
        let (ok, _, err) = kwiki(b.root(), &args);
        assert!(ok, "{err}");
    }
    assert!(b.root().join(".kwiki-cache/articles.idx").is_file());
    assert!(cache.join("articles.idx").is_file());
    let (ok, out, err) = kwiki(b.root(), &["clean"]);
    assert!(ok, "{err}");
    assert!(out.contains("removed "), "{out}");
    assert!(!b.out.exists());
    let kept: Vec<String> = std::fs::read_dir(b.root().join(".kwiki-cache"))
        .map(|d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    assert!(
        kept.iter().all(|f| f.ends_with(".lock")),
        "clean left {kept:?}"
    );
    // a cache elsewhere goes with --cache-dir; a directory kwiki did not fill stays
    let (ok, _, err) = kwiki(b.root(), &["clean", "--cache-dir", cache_arg]);
    assert!(ok, "{err}");
    assert!(!cache.exists());
    std::fs::create_dir_all(&cache).unwrap();
    std::fs::write(cache.join("notes.txt"), "mine").unwrap();
    let (ok, _, err) = kwiki(b.root(), &["clean", "--cache-dir", cache_arg]);
    assert!(!ok && err.contains("not a file kwiki keeps"), "{err}");
    assert!(cache.join("notes.txt").is_file());
}

/// Set the time of every article file to an hour ago, as files not touched since.
fn settle(root: &Path) {
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for e in std::fs::read_dir(root.join("seeds")).unwrap() {
        let f = std::fs::File::options()
            .append(true)
            .open(e.unwrap().path())
            .unwrap();
        f.set_modified(hour_ago).unwrap();
    }
}

#[test]
fn files_unchanged_since_the_last_build_are_not_read_again() {
    let b = Bench::new();
    settle(b.root());
    let (ok, first, err) = kwiki(b.root(), &["build", "--timings"]);
    assert!(ok, "{err}");
    let n = timing_count(&first, "articles read and extracted").unwrap();
    assert_eq!(
        timing_count(&first, "article files unchanged, not read"),
        Some(0)
    );
    // an edit gives the file a new time: it alone is read again
    append(b.root(), "seeds/c03_ost_round_up.txt", "\nOne more line.\n");
    let (ok, second, err) = kwiki(b.root(), &["build", "--timings"]);
    assert!(ok, "{err}");
    assert_eq!(
        timing_count(&second, "article files unchanged, not read"),
        Some(n - 1)
    );
    assert_eq!(
        timing_count(&second, "articles read and extracted"),
        Some(1)
    );
    // written just now, that file is not trusted by its time until it has settled
    let (ok, third, err) = kwiki(b.root(), &["build", "--timings"]);
    assert!(ok, "{err}");
    assert_eq!(
        timing_count(&third, "article files unchanged, not read"),
        Some(n - 1),
        "{third}"
    );
    // and the site is the one a build without the cache makes
    let fresh = tempfile::tempdir().unwrap();
    build(b.root(), &fresh.path().join("public"), None);
    let (cached, plain) = (tree(&b.out), tree(&fresh.path().join("public")));
    assert!(cached == plain, "the cached build's site differs");
}
