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
