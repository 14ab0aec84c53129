//! Extraction quality: `kwiki eval` on the seeds and on the project's own corpus, and its
//! agreement with the reference scorer.
use kwiki::eval::{Gold, Report, score};
use kwiki::render::api;
use kwiki::site::Site;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A site root in a temp dir whose seeds are the article files of `from`.
fn site_with_articles(from: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let seeds = dir.path().join("seeds");
    std::fs::create_dir_all(&seeds).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        if matches!(p.extension().and_then(|x| x.to_str()), Some("txt" | "md"))
            || p.file_name().is_some_and(|n| n == "_corrections.yaml")
        {
            std::fs::copy(&p, seeds.join(p.file_name().unwrap())).unwrap();
        }
    }
    dir
}

fn evaluate(root: &Path, gold: &Path) -> Report {
    let site = Site::load(root).unwrap();
    let (wiki, _) = site.wiki(&mut Default::default()).unwrap();
    let gold = Gold::load(gold).unwrap();
    let report = score(
        &gold,
        &api::entities(&wiki).entities,
        &api::partnerships(&wiki).partnerships,
        None,
    );
    eprintln!("{report}");
    report
}

#[test]
fn seeds_meet_the_extraction_targets() {
    let dir = site_with_articles(&repo().join("seeds"));
    let r = evaluate(dir.path(), &repo().join("tests/gold-seeds.yaml"));
    assert!(
        r.entities_typed.f >= 0.95,
        "entity typed F1 {:.2} < 0.95\n{r}",
        r.entities_typed.f
    );
    assert!(
        r.partnership_pairs.f >= 0.90,
        "partnership pair F1 {:.2} < 0.90\n{r}",
        r.partnership_pairs.f
    );
}

/// A regression suite only: these articles were written in the seeds' style, and the rules
/// that once scored 0.78 on them found one partnership in ten in real news. The extractor is
/// now built against the real articles of `../shared/dev` (see the test below); these floors
/// say that it still reads the corpus, not how well it generalizes.
#[test]
fn own_corpus_still_reads_as_before() {
    let dir = site_with_articles(&repo().join("tests/corpus"));
    let r = evaluate(dir.path(), &repo().join("tests/corpus/gold.yaml"));
    assert!(
        r.entities_typed.f >= 0.85,
        "entity typed F1 {:.2} < 0.85\n{r}",
        r.entities_typed.f
    );
    assert!(
        r.partnership_pairs.f >= 0.58,
        "partnership pair F1 {:.2} < 0.58\n{r}",
        r.partnership_pairs.f
    );
}

/// The floors that stand for generalization: real articles from many publishers with a
/// careful gold (`../shared/dev`, beside the project in CI; never copied into it).
#[test]
fn dev_set_meets_the_extraction_floors() {
    let dev = repo().join("../shared/dev");
    if !dev.join("gold.yaml").exists() {
        eprintln!(
            "skipped: {} not found (the development set ships beside the project in CI only)",
            dev.display()
        );
        return;
    }
    let dir = site_with_articles(&dev.join("articles"));
    let r = evaluate(dir.path(), &dev.join("gold.yaml"));
    let gold = Gold::load(&dev.join("gold.yaml")).unwrap();
    let site = Site::load(dir.path()).unwrap();
    let (wiki, _) = site.wiki(&mut Default::default()).unwrap();
    let (ents, parts) = (
        api::entities(&wiki).entities,
        api::partnerships(&wiki).partnerships,
    );
    for (part, ids) in gold.parts() {
        let p = score(&gold, &ents, &parts, Some(&ids));
        eprintln!("part {part} ({} articles)\n{}", ids.len(), p.figures());
    }
    assert!(
        r.entities_typed.f >= 0.85,
        "dev entity typed F1 {:.2} < 0.85\n{r}",
        r.entities_typed.f
    );
    assert!(
        r.partnership_pairs.f >= 0.70,
        "dev partnership pair F1 {:.2} < 0.70\n{r}",
        r.partnership_pairs.f
    );
}

#[test]
fn seed_004_names_no_entity() {
    let dir = site_with_articles(&repo().join("seeds"));
    let site = Site::load(dir.path()).unwrap();
    let (wiki, _) = site.wiki(&mut Default::default()).unwrap();
    let a = wiki
        .articles
        .iter()
        .position(|a| a.id == "004_e2c390064fb53ddf")
        .unwrap();
    let names: Vec<&str> = wiki.article_entities[a]
        .iter()
        .map(|&e| wiki.entities[e].name.as_str())
        .collect();
    assert!(names.is_empty(), "{names:?}");
}

/// The Rust scorer gives the reference scorer's figures on a built site.
#[test]
fn eval_agrees_with_score_py() {
    let script = repo().join("../shared/gold/score.py");
    if !script.exists() {
        eprintln!(
            "skipped: {} not found (it ships beside the project in CI only)",
            script.display()
        );
        return;
    }
    let dir = site_with_articles(&repo().join("seeds"));
    let out = dir.path().join("public");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_kwiki"))
        .args([
            "--root",
            dir.path().to_str().unwrap(),
            "build",
            "--output",
            out.to_str().unwrap(),
        ])
        .status()
        .unwrap();
    assert!(status.success());
    for gold in [
        repo().join("tests/gold-seeds.yaml"),
        repo().join("tests/corpus/gold.yaml"),
    ] {
        let py = std::process::Command::new("python3")
            .arg(&script)
            .arg(&gold)
            .arg(&out)
            .arg("--json")
            .output()
            .unwrap();
        assert!(
            py.status.success(),
            "{}",
            String::from_utf8_lossy(&py.stderr)
        );
        let reference: serde_json::Value = serde_json::from_slice(&py.stdout).unwrap();
        let (ents, parts) = api::read(&out.join("api")).unwrap();
        let ours = score(
            &Gold::load(&gold).unwrap(),
            &ents.entities,
            &parts.partnerships,
            None,
        );
        let pairs = [
            ("entities_detected", ours.entities_detected),
            ("entities_typed", ours.entities_typed),
            ("partnership_pairs", ours.partnership_pairs),
        ];
        for (name, v) in pairs {
            let r = &reference[name];
            for (i, x) in [v.p, v.r, v.f].into_iter().enumerate() {
                let want = r[i].as_f64().unwrap();
                assert!(
                    (x - want).abs() < 1e-9,
                    "{name}[{i}]: ours {x} vs score.py {want} ({})",
                    gold.display()
                );
            }
        }
        for (k, v) in &ours.by_kind {
            let r = &reference["by_kind"][k];
            assert!((v.f - r[2].as_f64().unwrap()).abs() < 1e-9, "by_kind {k}");
        }
    }
}

/// Two translations of one story, the second's title told apart ("(version 2)"): their
/// sentences still align, so a film named in full in one and in short in the other ("Rebel
/// Moon") is one entity.
#[test]
fn twins_retitled_apart_still_share_their_names() {
    let dir = site_with_articles(&repo().join("seeds"));
    let site = Site::load(dir.path()).unwrap();
    let (wiki, _) = site.wiki(&mut Default::default()).unwrap();
    assert!(
        wiki.articles
            .iter()
            .any(|a| a.title.ends_with("(version 2)")),
        "the seeds' twins are told apart"
    );
    let films: Vec<&str> = (wiki.entities.iter())
        .filter(|e| e.name.starts_with("Rebel Moon"))
        .map(|e| e.name.as_str())
        .collect();
    assert_eq!(films.len(), 1, "{films:?}");
}
