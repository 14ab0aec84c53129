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

    // the first thing a user sees is right: the example's own names and partnership
    let api = |f: &str| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(site.join("public/api").join(f)).unwrap())
            .unwrap()
    };
    let entities = api("entities.json");
    let mut found: Vec<(String, String)> = entities["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["name"].as_str().unwrap().into(),
                e["kind"].as_str().unwrap().into(),
            )
        })
        .collect();
    found.sort();
    let want = [
        ("APT.", "song"),
        ("Atlantic Records", "label"),
        ("BLACKPINK", "artist"),
        ("Bruno Mars", "artist"),
        ("Rosé", "artist"),
    ];
    assert_eq!(found, want.map(|(n, k)| (n.to_string(), k.to_string())));
    let rose = entities["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "Rosé")
        .unwrap();
    assert_eq!(rose["member_of"], serde_json::json!(["BLACKPINK"]));
    let partnerships = api("partnerships.json");
    let p = &partnerships["partnerships"];
    assert_eq!(p.as_array().unwrap().len(), 1, "{p}");
    assert_eq!(
        p[0]["participants"],
        serde_json::json!(["Rosé", "Bruno Mars"])
    );
    assert_eq!(p[0]["via"], "APT.");
    assert_eq!(p[0]["kind"], "musical-collaboration");

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
        nf.contains("<footer><p>"),
        "base.html still the default: {nf}"
    );
    let home = std::fs::read_to_string(site.join("public/index.html")).unwrap();
    assert!(!home.contains("Lost in Seoul"));
}

/// The local files (`href`, `src`) a page refers to, resolved against the page's own path.
fn references(site_dir: &Path, page: &Path) -> Vec<std::path::PathBuf> {
    let html = std::fs::read_to_string(page).unwrap();
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        for part in html.split(attr).skip(1) {
            let url = &part[..part.find('"').unwrap()];
            let url = url.split(['#', '?']).next().unwrap();
            if url.is_empty() || url.contains("://") || url.starts_with("mailto:") {
                continue;
            }
            let mut target = if url.starts_with('/') {
                site_dir.to_path_buf()
            } else {
                page.parent().unwrap().to_path_buf()
            };
            for seg in url.trim_start_matches('/').split('/') {
                match seg {
                    "" | "." => {}
                    ".." => {
                        target.pop();
                    }
                    s => target.push(s),
                }
            }
            if url.ends_with('/') {
                target.push("index.html");
            }
            out.push(target);
        }
    }
    out
}

#[test]
fn every_asset_a_page_refers_to_exists_in_an_init_site_and_a_bare_one() {
    let dir = tempfile::tempdir().unwrap();
    let inited = dir.path().join("inited");
    let out = kwiki(&["init", inited.to_str().unwrap()], dir.path());
    assert!(out.status.success());
    for f in ["static/style.css", "static/search.js", "static/favicon.svg"] {
        assert!(inited.join(f).is_file(), "init wrote no {f}");
    }
    // a bare site: one article, no static/ nor templates/: the theme's own files
    let bare = dir.path().join("bare");
    std::fs::create_dir_all(bare.join("seeds")).unwrap();
    std::fs::copy(inited.join("seeds/example.md"), bare.join("seeds/a.md")).unwrap();
    for site in [&inited, &bare] {
        let out = kwiki(&["build"], site);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let public = site.join("public");
        let mut checked = 0;
        for entry in walkdir::WalkDir::new(&public) {
            let entry = entry.unwrap();
            let page = entry.path();
            if page.extension().is_none_or(|e| e != "html") || page.ends_with("404.html") {
                continue;
            }
            for target in references(&public, page) {
                checked += 1;
                assert!(
                    target.is_file(),
                    "{}: {} is missing",
                    page.display(),
                    target.display()
                );
            }
        }
        assert!(checked > 20, "{checked} references");
        for asset in ["style.css", "search.js", "favicon.svg"] {
            assert!(
                public.join(asset).is_file(),
                "{}: no {asset}",
                site.display()
            );
        }
    }
    // a site's own file wins over the theme's
    std::fs::create_dir_all(bare.join("static")).unwrap();
    std::fs::write(bare.join("static/style.css"), "body { color: red }\n").unwrap();
    assert!(kwiki(&["build"], &bare).status.success());
    let css = std::fs::read_to_string(bare.join("public/style.css")).unwrap();
    assert_eq!(css, "body { color: red }\n");
    assert!(bare.join("public/search.js").is_file());
}

#[test]
fn the_build_line_counts_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path();
    std::fs::create_dir_all(site.join("seeds")).unwrap();
    std::fs::write(
        site.join("seeds/one.md"),
        "---\ntitle: One\n---\nBTS released the single \"Butter\" through Big Hit Music.\n",
    )
    .unwrap();
    let out = kwiki(&["build"], site);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("built 1 article, "), "{err}");
    assert!(
        !err.contains(" 1 articles") && !err.contains(" 1 entities"),
        "{err}"
    );
}
