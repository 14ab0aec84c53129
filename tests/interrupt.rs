//! Interrupts and determinism, through the real binary. A build interrupted at any moment
//! leaves either the previous site or the new one, complete: never a mix, never a temp
//! file. Two builds of one input are byte-identical whatever the thread count and the
//! order in which the files were created.
use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_kwiki");

const FIRST: [&str; 10] = [
    "Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Yoon", "Jang", "Lim", "Han",
];
const SECOND: [&str; 8] = [
    "Min Ho", "Ji Woo", "Seo Yeon", "Tae Hyun", "Ha Neul", "Do Yun", "Soo Ah", "Jae Won",
];

/// `n` small articles naming people, dramas and a platform. `version` changes every
/// article's text (so every page changes), and which articles exist.
fn corpus(seeds: &Path, n: usize, version: usize) {
    corpus_in_order(seeds, n, version, false)
}

/// `corpus`, its files created last to first when `reverse`.
fn corpus_in_order(seeds: &Path, n: usize, version: usize, reverse: bool) {
    std::fs::create_dir_all(seeds).unwrap();
    let mut ids: Vec<usize> = (version * 20..n + version * 20).collect();
    if reverse {
        ids.reverse();
    }
    for i in ids {
        let a = format!("{} {}", FIRST[i % 10], SECOND[(i / 10) % 8]);
        let b = format!("{} {}", FIRST[(i * 3 + 1) % 10], SECOND[(i * 5 + 2) % 8]);
        let text = format!(
            "Story {i}, take {version}: {a} and {b} sang on the OST of the drama Film{}.\n{a} also starred in Film{} for Netflix.\n",
            i / 3,
            i / 3
        );
        std::fs::write(seeds.join(format!("a{i:05}.txt")), text).unwrap();
    }
}

/// A hash of every path and file under `dir` (directories included, so stray empty ones
/// count), and the temp files found there.
fn tree_hash(dir: &Path) -> (u64, Vec<PathBuf>) {
    let mut h = DefaultHasher::new();
    let mut temps = Vec::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(dir).unwrap();
        rel.hash(&mut h);
        if rel.to_string_lossy().ends_with(".kwiki-tmp") {
            temps.push(rel.to_path_buf());
        }
        if e.file_type().is_file() {
            std::fs::read(e.path()).unwrap().hash(&mut h);
        }
    }
    (h.finish(), temps)
}

fn copy_tree(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let target = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// The binary under test: `KWIKI_BIN` (e.g. a release build, for the big corpus) or the
/// one cargo built for this test.
fn bin() -> PathBuf {
    std::env::var_os("KWIKI_BIN").map_or_else(|| PathBuf::from(BIN), PathBuf::from)
}

fn build(root: &Path, threads: &str) -> Output {
    let out = Command::new(bin())
        .args(["build", "--root"])
        .arg(root)
        .env("RAYON_NUM_THREADS", threads)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn spawn_build(root: &Path) -> Child {
    Command::new(bin())
        .args(["build", "--root"])
        .arg(root)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn sigint(child: &Child) {
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

/// How an interrupted build ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Outcome {
    /// Interrupted before writing began: the old site.
    Early,
    /// Interrupted while staging: the old site, temp files removed.
    Staging,
    /// Interrupted while renaming: the new site, finished first.
    Commit,
    /// The build ended before the signal.
    Finished,
}

/// Interrupt a build from site A to site B in `root` (whose `public/` is restored from
/// `saved` first) with `trigger`, and check the result is A or B, as the message says.
fn interrupted_build(
    root: &Path,
    saved: &Path,
    (hash_a, hash_b): (u64, u64),
    trigger: &dyn Fn(&Child, &Path),
) -> Outcome {
    let public = root.join("public");
    if public.exists() {
        std::fs::remove_dir_all(&public).unwrap();
    }
    copy_tree(saved, &public);
    let child = spawn_build(root);
    trigger(&child, &public);
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!err.contains("panicked"), "{err}");
    let (hash, temps) = tree_hash(&public);
    assert!(temps.is_empty(), "temp files left: {temps:?}\n{err}");
    let outcome = match out.status.code() {
        Some(0) => Outcome::Finished,
        Some(130) if err.contains("was left as it was") => Outcome::Staging,
        Some(130) if err.contains("the new site was finished first") => Outcome::Commit,
        Some(130) => Outcome::Early,
        other => panic!("unexpected exit {other:?}: {err}"),
    };
    let expected = match outcome {
        Outcome::Early | Outcome::Staging => hash_a,
        Outcome::Commit | Outcome::Finished => hash_b,
    };
    assert!(
        hash == hash_a || hash == hash_b,
        "{outcome:?}: the site is neither the old nor the new one\n{err}"
    );
    assert_eq!(
        hash == hash_a,
        expected == hash_a,
        "{outcome:?}: the site is not the one the message says\n{err}"
    );
    outcome
}

/// Wait until `path` exists (true) or the child has ended (false).
fn wait_for(child: &Child, path: &Path, present: bool, limit: Duration) -> bool {
    let start = Instant::now();
    let pid = child.id();
    while start.elapsed() < limit {
        if path.exists() == present {
            return true;
        }
        if !Path::new(&format!("/proc/{pid}")).exists() {
            return false;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
    false
}

/// Build site A, then interrupt updates to site B at many moments; every result must be A
/// or B, as the message says. Returns the outcomes.
fn soak(dir: &Path, make: &dyn Fn(&Path, usize), fractions: &[f64]) -> Vec<Outcome> {
    // the new site, built from scratch
    let b_root = dir.join("b");
    make(&b_root.join("seeds"), 1);
    build(&b_root, "2");
    let (hash_b, _) = tree_hash(&b_root.join("public"));
    // the old site, kept aside
    let root = dir.join("site");
    make(&root.join("seeds"), 0);
    build(&root, "2");
    let (hash_a, _) = tree_hash(&root.join("public"));
    assert_ne!(hash_a, hash_b);
    let saved = dir.join("saved-public");
    copy_tree(&root.join("public"), &saved);
    // from now on the site's seeds are B's
    std::fs::remove_dir_all(root.join("seeds")).unwrap();
    make(&root.join("seeds"), 1);
    let hashes = (hash_a, hash_b);

    // an uninterrupted update from A gives exactly B
    let t = Instant::now();
    let outcome = interrupted_build(&root, &saved, hashes, &|_, _| {});
    let full = t.elapsed();
    assert_eq!(outcome, Outcome::Finished);

    let mut outcomes = Vec::new();
    // at the moment staging has begun: a temp file of the home page exists
    for _ in 0..2 {
        outcomes.push(interrupted_build(
            &root,
            &saved,
            hashes,
            &|child, public| {
                if wait_for(child, &public.join("index.html.kwiki-tmp"), true, full * 10) {
                    sigint(child);
                }
            },
        ));
    }
    // the staging trigger can only land while staging or during the renames
    assert!(
        outcomes
            .iter()
            .all(|o| matches!(o, Outcome::Staging | Outcome::Commit | Outcome::Finished)),
        "{outcomes:?}"
    );
    // at the moment the renames have begun: the home page's temp file is gone again
    for _ in 0..2 {
        outcomes.push(interrupted_build(
            &root,
            &saved,
            hashes,
            &|child, public| {
                let tmp = public.join("index.html.kwiki-tmp");
                if wait_for(child, &tmp, true, full * 10) && wait_for(child, &tmp, false, full * 10)
                {
                    sigint(child);
                }
            },
        ));
    }
    // and at fractions of a full build's time
    for &f in fractions {
        outcomes.push(interrupted_build(&root, &saved, hashes, &|child, _| {
            std::thread::sleep(full.mul_f64(f));
            sigint(child);
        }));
    }
    eprintln!(
        "full update {:.2} s; outcomes: {outcomes:?}",
        full.as_secs_f64()
    );
    outcomes
}

#[test]
fn an_interrupted_build_leaves_the_old_site_or_the_new_one_never_a_mix() {
    let dir = tempfile::tempdir().unwrap();
    soak(
        dir.path(),
        &|seeds, version| corpus(seeds, 200, version),
        &[0.2, 0.5, 0.8, 0.95],
    );
}

/// The same on the benchmark corpus: 2000 generated articles (seed 3, then seed 4).
/// `KWIKI_BIN=target/release/kwiki cargo test --test interrupt -- --ignored --nocapture`
#[test]
#[ignore = "slow: 2000 articles; needs ../shared/bench/gen_corpus.py (run with KWIKI_BIN set to a release build)"]
fn an_interrupted_big_build_leaves_the_old_site_or_the_new_one() {
    let generator = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/gen_corpus.py");
    assert!(generator.is_file(), "{} is missing", generator.display());
    let dir = tempfile::tempdir().unwrap();
    let outcomes = soak(
        dir.path(),
        &|seeds, version| {
            let status = Command::new("python3")
                .arg(&generator)
                .args(["--articles", "2000", "--format", "plain", "--seed"])
                .arg((3 + version).to_string())
                .arg("--out")
                .arg(seeds)
                .stdout(Stdio::null())
                .status()
                .unwrap();
            assert!(status.success());
        },
        &[0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0],
    );
    assert!(outcomes.len() >= 12);
}

/// The site `seeds` build into, as (path, bytes) pairs.
fn site_files(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(root.join("public"))
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(root).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

#[test]
fn builds_are_byte_identical_whatever_the_threads_and_file_order() {
    let dir = tempfile::tempdir().unwrap();
    let real = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&real)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let mut sites = Vec::new();
    for (k, (threads, reverse)) in [("1", false), ("2", false), ("2", true), ("1", true)]
        .into_iter()
        .enumerate()
    {
        let root = dir.path().join(format!("site{k}"));
        let seeds = root.join("seeds");
        std::fs::create_dir_all(&seeds).unwrap();
        let mut order = files.clone();
        if reverse {
            order.reverse();
        }
        // created in a different order, so directory listings come back in another order
        for f in &order {
            std::fs::copy(f, seeds.join(f.file_name().unwrap())).unwrap();
        }
        corpus_in_order(&seeds, 40, 0, reverse);
        build(&root, threads);
        sites.push(site_files(&root));
    }
    assert!(sites[0].len() > 50);
    for (k, s) in sites.iter().enumerate().skip(1) {
        let differing: Vec<_> = sites[0]
            .iter()
            .filter(|(p, c)| s.get(*p) != Some(c))
            .map(|(p, _)| p)
            .collect();
        assert!(
            differing.is_empty() && s.len() == sites[0].len(),
            "site {k} differs: {differing:?}"
        );
    }
}

// ---------------------------------------------------------------- kill -9

/// Whether the journal beside `public` records a commit (its renames have begun or are
/// about to): the journal's first bytes name its phase.
fn journal_phase(root: &Path) -> Option<String> {
    use std::io::Read;
    let mut head = [0u8; 4096];
    let mut f = std::fs::File::open(root.join(".kwiki-cache/public.journal")).ok()?;
    let n = f.read(&mut head).ok()?;
    let text = String::from_utf8_lossy(&head[..n]);
    let at = text.find("\"phase\":\"")? + 9;
    Some(text[at..].split('"').next()?.to_string())
}

/// Poll until `ready` holds or the child ends (false); `limit` at most.
fn wait_until(child: &Child, limit: Duration, ready: &dyn Fn() -> bool) -> bool {
    let start = Instant::now();
    let pid = child.id();
    while start.elapsed() < limit {
        if ready() {
            return true;
        }
        if std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|s| s.contains(") Z"))
            || !Path::new(&format!("/proc/{pid}")).exists()
        {
            return false;
        }
        std::thread::sleep(Duration::from_micros(300));
    }
    false
}

/// `copy_tree` by hard links: quick, and safe because a build never writes into a file
/// (it writes a temp file and renames it over the old one).
fn link_tree(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let target = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::hard_link(e.path(), &target).unwrap();
        }
    }
}

/// What a build killed with SIGKILL left, and what recovery made of it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Killed {
    /// The journal's phase right after the kill (`None`: no publish was under way).
    phase: Option<String>,
    temps_left: usize,
    /// Recovery's note, if it had something to do.
    recovered: Option<String>,
    /// The site after recovery is the new one.
    new_site: bool,
}

/// Build from site A to site B, `kill -9` it when `trigger` says, then take the output's
/// lock as any next command would (which recovers): the site must then be exactly A or B,
/// as recovery says, with no temp file and no empty folder.
fn killed_build(
    root: &Path,
    saved: &Path,
    (hash_a, hash_b): (u64, u64),
    trigger: &dyn Fn(&Child) -> bool,
) -> Killed {
    let public = root.join("public");
    if public.exists() {
        std::fs::remove_dir_all(&public).unwrap();
    }
    let _ = std::fs::remove_dir_all(root.join(".kwiki-cache"));
    link_tree(saved, &public);
    let started = Instant::now();
    let mut child = spawn_build(root);
    let fired = trigger(&child);
    child.kill().unwrap(); // SIGKILL: no handler runs, nothing is cleaned up
    let status = child.wait().unwrap();
    let phase = journal_phase(root);
    let (_, temps) = tree_hash(&public);
    let notes = std::sync::Mutex::new(Vec::new());
    let lock =
        kwiki::write::lock::lock_output(&public, "test", kwiki::write::lock::Wait::Yes, &|m| {
            notes.lock().unwrap().push(m.to_string())
        })
        .unwrap();
    drop(lock);
    let (hash, temps_after) = tree_hash(&public);
    assert!(temps_after.is_empty(), "temp files left: {temps_after:?}");
    assert!(
        !root.join(".kwiki-cache/public.journal").exists(),
        "the journal outlived recovery"
    );
    assert!(
        hash == hash_a || hash == hash_b,
        "after a kill ({phase:?}, fired {fired}, {status:?}) and recovery the site is neither the old nor the new one"
    );
    let recovered = notes.into_inner().unwrap().pop();
    let new_site = hash == hash_b;
    match (&phase, &recovered) {
        (Some(p), Some(note)) if p == "commit" => {
            assert!(
                new_site && note.contains("the new site is complete"),
                "{note}"
            )
        }
        (Some(_), Some(note)) => {
            assert!(
                !new_site && note.contains("the previous site is as it was"),
                "{note}"
            )
        }
        (None, None) => {} // killed before the write stage, or after it
        other => panic!("journal and recovery disagree: {other:?}"),
    }
    eprintln!(
        "killed after {:.2} s: {phase:?}, {} temp files; {recovered:?}",
        started.elapsed().as_secs_f64(),
        temps.len()
    );
    Killed {
        phase,
        temps_left: temps.len(),
        recovered,
        new_site,
    }
}

/// `kill -9` at several points of a 3,000-article build over an older site: while pages are
/// staged, as the renames begin, during them, and at fractions of the build's time. Each
/// time the next command's recovery leaves the old site or the new one, whole.
#[test]
fn a_killed_build_is_finished_or_undone_by_the_next_command() {
    let dir = tempfile::tempdir().unwrap();
    let n = 3000;
    let b_root = dir.path().join("b");
    corpus(&b_root.join("seeds"), n, 1);
    build(&b_root, "2");
    let (hash_b, _) = tree_hash(&b_root.join("public"));
    let root = dir.path().join("site");
    corpus(&root.join("seeds"), n, 0);
    build(&root, "2");
    let (hash_a, _) = tree_hash(&root.join("public"));
    let saved = dir.path().join("saved-public");
    copy_tree(&root.join("public"), &saved);
    std::fs::remove_dir_all(root.join("seeds")).unwrap();
    corpus(&root.join("seeds"), n, 1);
    let hashes = (hash_a, hash_b);
    let t = Instant::now();
    let whole = killed_build(&root, &saved, hashes, &|c| {
        wait_until(c, Duration::from_secs(600), &|| false)
    });
    let full = t.elapsed();
    assert!(whole.new_site && whole.phase.is_none(), "{whole:?}");
    let limit = full * 4;
    let tmp = root.join("public/index.html.kwiki-tmp");
    let mut outcomes = Vec::new();
    // while staging: the first temp files are there
    outcomes.push(killed_build(&root, &saved, hashes, &|c| {
        wait_until(c, limit, &|| tmp.exists())
    }));
    // as the renames begin: the journal lists them
    let committing = || journal_phase(&root).as_deref() == Some("commit");
    for _ in 0..2 {
        outcomes.push(killed_build(&root, &saved, hashes, &|c| {
            wait_until(c, limit, &committing)
        }));
    }
    // during the renames: the home page is in place
    outcomes.push(killed_build(&root, &saved, hashes, &|c| {
        wait_until(c, limit, &committing) && wait_until(c, limit, &|| !tmp.exists())
    }));
    for f in [0.3, 0.6, 0.9] {
        outcomes.push(killed_build(&root, &saved, hashes, &|c| {
            !wait_until(c, full.mul_f64(f), &|| false)
        }));
    }
    eprintln!(
        "full build {:.2} s; kills: {outcomes:#?}",
        full.as_secs_f64()
    );
    let staged = outcomes
        .iter()
        .filter(|k| k.phase.as_deref() == Some("staging"))
        .count();
    let committed = outcomes
        .iter()
        .filter(|k| k.phase.as_deref() == Some("commit"))
        .count();
    assert!(
        staged >= 1 && committed >= 1,
        "the kills missed a phase: {outcomes:#?}"
    );
    assert!(
        outcomes.iter().any(|k| k.temps_left > 0),
        "no kill left debris to recover from: {outcomes:#?}"
    );
    // and a build right after a kill is the new site, whole
    let public = root.join("public");
    std::fs::remove_dir_all(&public).unwrap();
    link_tree(&saved, &public);
    let mut child = spawn_build(&root);
    wait_until(&child, limit, &committing);
    child.kill().unwrap();
    child.wait().unwrap();
    build(&root, "2");
    assert_eq!(tree_hash(&root.join("public")).0, hash_b);
}

/// A first build (no output yet) writes the new site whole in `public.kwiki-tmp` beside
/// the output and puts it in place with one rename (src/write/fresh.rs). Killed with
/// SIGKILL while it writes, it leaves that directory and its journal; the next command
/// removes both, and there is still no site. Interrupted with Ctrl-C, it removes them
/// itself. Either way the next build is whole.
#[test]
fn a_killed_or_interrupted_first_build_leaves_no_site_and_nothing_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let expected_root = dir.path().join("expected");
    corpus(&expected_root.join("seeds"), 2000, 0);
    build(&expected_root, "2");
    let (expected, _) = tree_hash(&expected_root.join("public"));
    let root = dir.path().join("site");
    corpus(&root.join("seeds"), 2000, 0);
    let public = root.join("public");
    let beside = root.join("public.kwiki-tmp");
    let writing = || beside.join(".nojekyll").exists() || beside.join("article").is_dir();
    // SIGKILL: no handler runs
    let mut child = spawn_build(&root);
    let fired = wait_until(&child, Duration::from_secs(600), &writing);
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(fired, "the build ended before it wrote beside the output");
    assert!(!public.exists(), "a killed first build left an output");
    assert_eq!(journal_phase(&root).as_deref(), Some("staging"));
    let notes = std::sync::Mutex::new(Vec::new());
    let lock =
        kwiki::write::lock::lock_output(&public, "test", kwiki::write::lock::Wait::Yes, &|m| {
            notes.lock().unwrap().push(m.to_string())
        })
        .unwrap();
    drop(lock);
    let notes = notes.into_inner().unwrap();
    assert!(
        notes
            .iter()
            .any(|n| n.contains("the previous site is as it was")),
        "{notes:?}"
    );
    assert!(!beside.exists(), "recovery left {}", beside.display());
    assert!(!public.exists() || std::fs::read_dir(&public).unwrap().next().is_none());
    assert!(
        journal_phase(&root).is_none(),
        "the journal outlived recovery"
    );
    // Ctrl-C: the build removes what it wrote and says the output is as it was
    let child = spawn_build(&root);
    if wait_until(&child, Duration::from_secs(600), &writing) {
        sigint(&child);
    }
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    if out.status.code() == Some(130) {
        assert!(err.contains("was left as it was"), "{err}");
        assert!(!public.exists(), "{err}");
    }
    assert!(
        !beside.exists(),
        "an interrupted first build left its directory"
    );
    assert!(journal_phase(&root).is_none());
    // the next build is the whole site
    build(&root, "2");
    assert_eq!(tree_hash(&public).0, expected);
    assert!(!beside.exists());
}

// ---------------------------------------------------------------- one writer at a time

#[test]
fn a_second_build_waits_for_the_lock_or_fails_at_once_with_no_wait() {
    use std::io::BufRead;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    corpus(&root.join("seeds"), 20, 0);
    build(root, "2");
    let public = root.join("public");
    let (before, _) = tree_hash(&public);
    // this test process holds the lock, as another build would
    let lock =
        kwiki::write::lock::lock_output(&public, "build", kwiki::write::lock::Wait::Yes, &|_| {})
            .unwrap();
    let pid = std::process::id();
    let out = Command::new(bin())
        .args(["build", "--no-wait", "--root"])
        .arg(root)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!(
            "is being written by `kwiki build` (pid {pid}): try again when it ends"
        )),
        "{err}"
    );
    // without --no-wait: it says whom it waits for, and builds once the lock is free
    let mut child = Command::new(bin())
        .args(["build", "--root"])
        .arg(root)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stderr.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    assert!(
        first.starts_with(&format!(
            "waiting for `kwiki build` (pid {pid}), which is writing "
        )),
        "{first}"
    );
    std::thread::sleep(Duration::from_millis(300));
    assert!(child.try_wait().unwrap().is_none(), "it did not wait");
    assert_eq!(tree_hash(&public).0, before);
    drop(lock);
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    assert!(child.wait().unwrap().success(), "{rest:?}");
    assert!(
        rest.iter().any(|l| l.starts_with("built 20 articles")),
        "{rest:?}"
    );
}

#[test]
fn two_builds_at_once_leave_one_whole_site() {
    let dir = tempfile::tempdir().unwrap();
    let fresh = dir.path().join("fresh");
    corpus(&fresh.join("seeds"), 300, 1);
    build(&fresh, "2");
    let (expected, _) = tree_hash(&fresh.join("public"));
    let root = dir.path().join("site");
    corpus(&root.join("seeds"), 300, 0);
    build(&root, "2");
    std::fs::remove_dir_all(root.join("seeds")).unwrap();
    corpus(&root.join("seeds"), 300, 1);
    let children: Vec<Child> = (0..3).map(|_| spawn_build(&root)).collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let (hash, temps) = tree_hash(&root.join("public"));
    assert!(temps.is_empty(), "{temps:?}");
    assert_eq!(
        hash, expected,
        "not the site one build makes (stray files or empty folders?)"
    );
}
