//! `kwiki init` scaffolds a site that builds; the default theme needs no templates/; a user
//! template replaces the default of the same name.
use std::path::Path;
use std::process::Command;

fn kwiki(args: &[&str], root: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_kwiki"))
        .arg("--root")
        .arg(root)
        .args(args)
        .output()
        .expect("run kwiki")
}

#[test]
fn init_builds_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("new-site");
    let out = kwiki(&["init", site.to_str().unwrap()], dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for f in [
        "site.yaml",
        "seeds/example.md",
        "static/style.css",
        "templates/base.html",
        "templates/entity.html",
        "templates/partials/partnership.html",
        "templates/404.html",
    ] {
        assert!(site.join(f).is_file(), "{f} missing");
    }
    let example = std::fs::read_to_string(site.join("seeds/example.md")).unwrap();
    assert!(
        example.starts_with("---\ntitle:"),
        "front matter: {example}"
    );

    let out = kwiki(&["build"], &site);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let home = std::fs::read_to_string(site.join("public/index.html")).unwrap();
    assert!(home.contains("style.css"));
    assert!(site.join("public/article/example/index.html").is_file());

    // a second init refuses and leaves the edited files alone
    std::fs::write(site.join("site.yaml"), "title: Mine\n").unwrap();
    let out = kwiki(&["init", site.to_str().unwrap()], dir.path());
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("already exist"), "{err}");
    assert_eq!(
        std::fs::read_to_string(site.join("site.yaml")).unwrap(),
        "title: Mine\n"
    );
}

#[test]
fn default_theme_and_overrides() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path();
    std::fs::create_dir_all(site.join("seeds")).unwrap();
    std::fs::write(
        site.join("seeds/a.txt"),
        "Rosé and Bruno Mars Release APT.\n\nBLACKPINK's Rosé and Bruno Mars released the duet APT. through Atlantic Records.\n",
    )
    .unwrap();
    // no templates/: the built-in theme
    let out = kwiki(&["build"], site);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let nf = std::fs::read_to_string(site.join("public/404.html")).unwrap();
    assert!(nf.contains("<h1>Page not found</h1>"), "{nf}");

    // templates/404.html replaces the default one; the other defaults stay
    std::fs::create_dir_all(site.join("templates")).unwrap();
    std::fs::write(
        site.join("templates/404.html"),
        "{% extends \"base.html\" %}{% block main %}<h1>Lost in Seoul</h1>{% endblock main %}",
    )
    .unwrap();
    let out = kwiki(&["build"], site);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let nf = std::fs::read_to_string(site.join("public/404.html")).unwrap();
    assert!(nf.contains("Lost in Seoul"), "{nf}");
    assert!(!nf.contains("<h1>Page not found</h1>"));
    assert!(
        nf.contains("site-footer"),
        "base.html still the default: {nf}"
    );
    let home = std::fs::read_to_string(site.join("public/index.html")).unwrap();
    assert!(!home.contains("Lost in Seoul"));
}
