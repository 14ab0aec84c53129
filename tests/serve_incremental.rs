//! `kwiki serve` renders again only the pages an article edit changed: after each kind of
//! edit, the pages it serves must be exactly those a fresh build of the edited site makes.
use kwiki::serve::builder::{Builder, Dirty, Snapshot};
use std::path::{Path, PathBuf};

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

/// A temp copy of the seeds site.
fn site() -> (tempfile::TempDir, PathBuf) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    copy_dir(&repo.join("seeds"), &root.join("seeds"));
    std::fs::copy(repo.join("site.yaml"), root.join("site.yaml")).unwrap();
    (dir, root)
}

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

/// Edit one article with `edit`, rebuild incrementally, and compare with a fresh build.
/// Returns how many entity, partnership and article pages the incremental rebuild rendered,
/// how many pages a full one did, and the edited article's page as first served.
fn check_edit(edit: impl Fn(&str) -> String) -> (usize, usize, String) {
    let (_dir, root) = site();
    let mut live = Builder::new(&root);
    let first = live.rebuild(Dirty::all(), &[]).unwrap();
    let article = root.join("seeds/000_2cac62a80f5ccdd1.txt");
    let text = std::fs::read_to_string(&article).unwrap();
    std::fs::write(&article, edit(&text)).unwrap();
    let mut early = Vec::new();
    let report = live
        .rebuild_with(seeds_edit(), std::slice::from_ref(&article), &mut |s| {
            early.push(s)
        })
        .unwrap();
    let mut fresh = Builder::new(&root);
    fresh.rebuild(Dirty::all(), &[]).unwrap();
    let (live, fresh) = (live.snapshot().unwrap(), fresh.snapshot().unwrap());
    let diff = differences(&live, &fresh);
    assert!(diff.is_empty(), "incremental != full:\n{}", diff.join("\n"));
    // the edited article's page was served early twice: a first look with the last wiki's
    // links, then exact, before the lists
    assert_eq!(early.len(), 2, "first look, then the changed pages");
    let page = "article/000_2cac62a80f5ccdd1/index.html";
    assert_eq!(early[1].get(page), fresh.get(page));
    let first_look = String::from_utf8_lossy(early[0].get(page).unwrap()).into_owned();
    (report.rendered_changed, first.rendered, first_look)
}

#[test]
fn a_sentence_without_names() {
    let (rendered, all, first_look) =
        check_edit(|t| format!("{t}\nThe weather was mild on the day of the release.\n"));
    assert!(first_look.contains("The weather was mild"), "{first_look}");
    // the article's own page: entity and partnership pages show nothing of the new sentence
    assert_eq!(rendered, 1, "{rendered} of {all} pages rendered again");
}

#[test]
fn a_sentence_with_a_new_partnership() {
    let (rendered, all, first_look) = check_edit(|t| {
        format!(
            "{t}\nSinger Yoon Mirae sang \"Starlight Road\", the soundtrack for the drama \"Moon Harbor\".\n"
        )
    });
    assert!(rendered < all, "{rendered} of {all} pages rendered again");
    assert!(first_look.contains("Starlight Road"), "{first_look}");
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
    check_edit(|t| t.replace("Rosé", "Rose"));
}

#[test]
fn an_article_emptied() {
    check_edit(|_| "Nothing to see here.\n".to_string());
}
