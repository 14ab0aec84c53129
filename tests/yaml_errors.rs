//! A YAML mistake in any file kwiki reads is reported with the file, line and column.
use kwiki::site::Site;
use std::path::Path;

fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("seeds")).unwrap();
    std::fs::write(
        dir.path().join("seeds/a.txt"),
        "BLACKPINK's Rosé and Bruno Mars released APT.\n",
    )
    .unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

fn load_error(root: &Path) -> String {
    match Site::load(root) {
        Err(e) => e.to_string(),
        Ok(_) => panic!("expected an error"),
    }
}

#[test]
fn site_yaml() {
    let d = site(&[(
        "site.yaml",
        "title: x\nnear_duplicates:\n  threshold: [oops\n",
    )]);
    let e = load_error(d.path());
    assert!(e.contains("site.yaml:3:"), "{e}");
    let d = site(&[("site.yaml", "title: x\ntitel: y\n")]);
    let e = load_error(d.path());
    assert!(e.contains("site.yaml:2:1"), "{e}");
    assert!(e.contains("titel"), "{e}");
}

#[test]
fn site_yaml_publish_settings() {
    let d = site(&[("site.yaml", "publish:\n  article_text: short\n")]);
    let e = load_error(d.path());
    assert!(e.contains("site.yaml:2:"), "{e}");
    assert!(e.contains("short") && e.contains("lead"), "{e}");
    let d = site(&[("site.yaml", "publish:\n  api: no thanks\n")]);
    let e = load_error(d.path());
    assert!(e.contains("site.yaml:2:"), "{e}");
    let d = site(&[("site.yaml", "publish:\n  mention_link: first\n")]);
    let e = load_error(d.path());
    assert!(
        e.contains("site.yaml:2:") && e.contains("mention_link"),
        "{e}"
    );
    let d = site(&[("site.yaml", "publish:\n  partnership_pages_from: 0\n")]);
    let e = load_error(d.path());
    assert!(
        e.contains("site.yaml") && e.contains("partnership_pages_from must be at least 1"),
        "{e}"
    );
    let d = site(&[(
        "site.yaml",
        "publish:\n  api: false\n  mention_links: first\n  article_text: lead\n  partnership_pages_from: 3\n",
    )]);
    let p = Site::load(d.path()).unwrap().config.publish;
    assert!(!p.api && p.partnership_pages_from == 3, "{p:?}");
    // only a higher threshold is left to suggest
    let left = p.to_make_smaller();
    assert!(left.len() == 1 && left[0].contains("higher"), "{left:?}");
}

#[test]
fn lexicon_file() {
    let d = site(&[
        ("site.yaml", "lexicons: [lex.yaml]\n"),
        ("lex.yaml", "labels:\n  - [unclosed\n"),
    ]);
    let e = load_error(d.path());
    assert!(e.contains("lex.yaml:"), "{e}");
    let (line, col) = e
        .split("lex.yaml:")
        .nth(1)
        .and_then(|r| {
            let mut p = r.split(':');
            Some((
                p.next()?.parse::<usize>().ok()?,
                p.next()?.parse::<usize>().ok()?,
            ))
        })
        .unwrap_or_else(|| panic!("no line and column in {e}"));
    assert!(line >= 2 && col >= 1, "{e}");
}

#[test]
fn corrections_file() {
    let d = site(&[]);
    std::fs::write(
        d.path().join("seeds/_corrections.yaml"),
        "entities:\n  - name: X\n    kind: [\n",
    )
    .unwrap();
    let s = Site::load(d.path()).unwrap();
    let e = s.wiki(&mut Default::default()).unwrap_err().to_string();
    assert!(e.contains("_corrections.yaml:3:"), "{e}");
}

#[test]
fn front_matter() {
    let d = site(&[]);
    std::fs::write(
        d.path().join("seeds/b.md"),
        "---\ntitle: x\ndate: [2024\n---\nBody text here.\n",
    )
    .unwrap();
    let s = Site::load(d.path()).unwrap();
    let (_, warnings) = s.wiki(&mut Default::default()).unwrap();
    let w = warnings
        .iter()
        .map(|w| w.to_string())
        .find(|w| w.contains("b.md"))
        .expect("a warning for b.md");
    // "seeds/b.md:LINE:COLUMN: skipped: ..."
    assert!(w.starts_with("seeds/b.md:"), "{w}");
    let mut at = w["seeds/b.md:".len()..].split(':');
    let line: usize = at
        .next()
        .unwrap()
        .parse()
        .unwrap_or_else(|_| panic!("no line in {w}"));
    let column: usize = at
        .next()
        .unwrap()
        .parse()
        .unwrap_or_else(|_| panic!("no column in {w}"));
    assert!((2..=4).contains(&line), "{w}");
    assert!(column >= 1, "{w}");
}
