//! The benchmark cannot rot: the corpus generator and `bench/run.sh` run on a tiny corpus,
//! and `kwiki build --timings` prints every stage. No timings are asserted, only that they
//! are there.
use std::path::Path;
use std::process::Command;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn generator_writes_the_articles_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("seeds");
    let status = Command::new("python3")
        .arg(repo().join("bench/gen_corpus.py"))
        .args([
            "--articles",
            "7",
            "--seed",
            "3",
            "--format",
            "plain",
            "--out",
        ])
        .arg(&out)
        .status()
        .expect("python3 runs");
    assert!(status.success());
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 7, "{names:?}");
    assert!(names.iter().all(|n| n.ends_with(".txt")), "{names:?}");
    let first = std::fs::read_to_string(out.join(&names[0])).unwrap();
    assert!(first.split_whitespace().count() > 200, "{first}");
}

#[test]
fn build_timings_name_every_stage() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = dir.path().join("seeds");
    std::fs::create_dir_all(&seeds).unwrap();
    for f in std::fs::read_dir(repo().join("seeds")).unwrap() {
        let f = f.unwrap().path();
        std::fs::copy(&f, seeds.join(f.file_name().unwrap())).unwrap();
    }
    let out = Command::new(env!("CARGO_BIN_EXE_kwiki"))
        .arg("--root")
        .arg(dir.path())
        .args(["build", "--timings"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("built 5 articles"), "{stderr}");
    for stage in ["ingest", "extract", "link", "render", "write", "total"] {
        assert!(
            stdout
                .lines()
                .any(|l| l.starts_with(&format!("timing {stage} "))),
            "no `timing {stage}` line in:\n{stdout}"
        );
    }
    let json = stdout
        .lines()
        .find(|l| l.starts_with('{'))
        .expect("a JSON line");
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    let stages: Vec<&str> = v["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s[0].as_str().unwrap())
        .collect();
    // in order, with the build cache's own stages between them
    let at = |s: &str| stages.iter().position(|x| *x == s);
    let order: Vec<_> = [
        "ingest",
        "cache load",
        "extract",
        "cache save",
        "link",
        "render",
    ]
    .iter()
    .map(|s| at(s))
    .collect();
    assert!(order.iter().all(Option::is_some), "{stages:?}");
    assert!(order.is_sorted(), "{stages:?}");
    assert!(stages.contains(&"write"), "{stages:?}");
    assert_eq!(v["articles"], 5);
    assert!(v["pages"].as_u64().unwrap() > 5);
    // without --timings: the summary line only
    let out = Command::new(env!("CARGO_BIN_EXE_kwiki"))
        .arg("--root")
        .arg(dir.path())
        .arg("build")
        .output()
        .unwrap();
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("(0 files written)"));
}

#[test]
fn bench_script_smoke_run() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new("bash")
        .arg(repo().join("bench/run.sh"))
        .arg("--smoke")
        .arg("--serve")
        .env("WORK", dir.path())
        .env("KWIKI", env!("CARGO_BIN_EXE_kwiki"))
        .env("HUGO", "none")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("== 20 articles"), "{stdout}");
    let kwiki = stdout
        .lines()
        .find(|l| l.starts_with("kwiki  wall"))
        .unwrap_or_else(|| panic!("no kwiki line in:\n{stdout}"));
    assert!(
        kwiki.contains("peak RSS") && kwiki.contains("articles/s"),
        "{kwiki}"
    );
    let stages = stdout
        .lines()
        .find(|l| l.contains("stages (median s):"))
        .unwrap_or_else(|| panic!("no stages line in:\n{stdout}"));
    for stage in ["ingest", "extract", "link", "render", "write"] {
        assert!(stages.contains(stage), "{stages}");
    }
    assert!(stdout.contains("| articles | kwiki wall (s)"), "{stdout}");
    assert!(stdout.lines().any(|l| l.starts_with("| 20 |")), "{stdout}");
    // the serve loop was timed: two kinds of article edit until the changed pages were
    // served, a template edit
    for what in [
        "serve text-edit changed ",
        "serve name-edit changed ",
        "serve template-edit ",
    ] {
        assert!(stdout.lines().any(|l| l.starts_with(what)), "{stdout}");
    }
    // the corpus is cached for the next run
    assert!(dir.path().join("plain-20/seeds").is_dir());
}
