//! Bad input and hostile content, through the real binary on temporary site directories:
//! every bad file is named in a warning (with its line and column where it has them) and
//! skipped while the rest builds; every fatal problem stops the build with a message naming
//! the file, and leaves the previous site as it was.
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_kwiki");

/// A site directory with one good article (`seeds/good.txt`, a real seed).
fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let seeds = dir.path().join("seeds");
    std::fs::create_dir(&seeds).unwrap();
    let real = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .min()
        .unwrap();
    std::fs::copy(real, seeds.join("good.txt")).unwrap();
    dir
}

fn kwiki(root: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("--root")
        .arg(root)
        .args(args)
        .output()
        .unwrap()
}

fn build(root: &Path) -> Output {
    kwiki(root, &["build"])
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[track_caller]
fn assert_ok(o: &Output) -> String {
    let err = stderr(o);
    assert!(o.status.success(), "build failed: {err}");
    err
}

#[track_caller]
fn assert_fails(o: &Output) -> String {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(1), "expected a failure, got: {err}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

#[track_caller]
fn assert_line(err: &str, line: &str) {
    assert!(
        err.lines().any(|l| l == line),
        "missing line\n  {line}\nin:\n{err}"
    );
}

fn write(root: &Path, rel: &str, content: impl AsRef<[u8]>) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, content).unwrap();
}

fn page(root: &Path, rel: &str) -> String {
    std::fs::read_to_string(root.join("public").join(rel))
        .unwrap_or_else(|e| panic!("public/{rel}: {e}"))
}

/// Every file under `dir` with its bytes (and every directory, as `None`).
fn tree(dir: &Path) -> BTreeMap<PathBuf, Option<Vec<u8>>> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .map(|e| {
            let e = e.unwrap();
            let rel = e.path().strip_prefix(dir).unwrap().to_path_buf();
            let content = e
                .file_type()
                .is_file()
                .then(|| std::fs::read(e.path()).unwrap());
            (rel, content)
        })
        .collect()
}

// ---------------------------------------------------------------- bad input, skipped

#[test]
fn empty_and_blank_files_are_skipped_by_name() {
    let d = site();
    write(d.path(), "seeds/empty.txt", "");
    write(d.path(), "seeds/blank.md", " \n\t\n   \r\n");
    let err = assert_ok(&build(d.path()));
    assert_line(&err, "warning: seeds/empty.txt: skipped: empty article");
    assert_line(&err, "warning: seeds/blank.md: skipped: empty article");
    assert!(d.path().join("public/article/good/index.html").is_file());
    assert!(!d.path().join("public/article/empty").exists());
}

#[test]
fn invalid_utf8_is_skipped_with_its_line_and_column() {
    let d = site();
    write(
        d.path(),
        "seeds/latin1.txt",
        b"First line.\nCaf\xe9 society.\n",
    );
    let err = assert_ok(&build(d.path()));
    assert_line(
        &err,
        "warning: seeds/latin1.txt:2:4: skipped: invalid UTF-8 (byte 0xE9 at offset 15): save the file as UTF-8",
    );
    assert!(!d.path().join("public/article/latin1").exists());
}

#[test]
fn utf16_files_are_decoded() {
    let d = site();
    let text = "Rosé and Bruno Mars released “APT.” together.\n";
    let le: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let be_no_bom: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    write(d.path(), "seeds/utf16le.txt", le);
    write(d.path(), "seeds/utf16be.txt", be_no_bom);
    let err = assert_ok(&build(d.path()));
    assert!(!err.contains("utf16"), "{err}");
    for id in ["utf16le", "utf16be"] {
        let html = page(d.path(), &format!("article/{id}/index.html"));
        assert!(html.contains("Rosé and "), "{id}: {html}");
        // (the body links "APT.": its text is read around the link)
        assert!(html.contains("” together.</p>"), "{id}: {html}");
    }
}

#[test]
fn binary_file_named_txt_is_skipped() {
    let d = site();
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend((0..2000u32).map(|i| (i * 7919 % 251) as u8));
    write(d.path(), "seeds/photo.txt", png);
    let err = assert_ok(&build(d.path()));
    assert_line(
        &err,
        "warning: seeds/photo.txt: skipped: binary file (it contains NUL bytes), not text",
    );
}

#[test]
fn huge_file_is_skipped_without_reading_it_whole() {
    let d = site();
    // 20 MB on one line
    let sentence = "Rosé met Lee Min Ho and BLACKPINK at the Netflix studio in Seoul. ";
    let line = sentence.repeat(20_000_000 / sentence.len() + 1);
    write(d.path(), "seeds/huge.txt", &line);
    let err = assert_ok(&build(d.path()));
    assert_line(
        &err,
        "warning: seeds/huge.txt: skipped: 20.0 MB is too large for an article (the limit is 4.0 MB; raise max_article_bytes in site.yaml if it really is one)",
    );
    assert!(d.path().join("public/article/good/index.html").is_file());
}

#[test]
fn long_line_without_sentence_ends_is_built_in_pieces() {
    let d = site();
    // 120 kB on one line and not one sentence end: cut into sentence-sized pieces
    let words = [
        "Rosé",
        "sang",
        "with",
        "BLACKPINK",
        "for",
        "the",
        "Netflix",
        "show",
    ];
    let line: Vec<&str> = (0..20_000).map(|i| words[i * 7 % words.len()]).collect();
    let line = line.join(" ");
    write(d.path(), "seeds/runon.txt", &line);
    assert_ok(&build(d.path()));
    let html = page(d.path(), "article/runon/index.html");
    assert!(
        html.contains(" show Netflix the for "),
        "the text is on the page"
    );
}

#[test]
fn malformed_front_matter_is_skipped_with_line_and_column() {
    let d = site();
    write(
        d.path(),
        "seeds/unclosed-list.md",
        "---\ntitle: [unclosed\n---\nBody text.\n",
    );
    write(
        d.path(),
        "seeds/draft-type.md",
        "---\ntitle: ok\ndraft: maybe\n---\nBody text.\n",
    );
    write(
        d.path(),
        "seeds/title-type.md",
        "---\ntitle:\n  nested: x\n---\nBody text.\n",
    );
    write(
        d.path(),
        "seeds/list.md",
        "---\n- a\n- b\n---\nBody text.\n",
    );
    write(d.path(), "seeds/open.md", "---\ntitle: x\nBody text.\n");
    write(
        d.path(),
        "seeds/tab.md",
        "---\ntitle: ok\n\tdate: 2024\n---\nBody text.\n",
    );
    let err = assert_ok(&build(d.path()));
    assert_line(
        &err,
        "warning: seeds/unclosed-list.md:3:1: skipped: did not find expected ',' or ']'",
    );
    assert_line(
        &err,
        "warning: seeds/draft-type.md:3:8: skipped: front matter key `draft` must be true or false",
    );
    assert_line(
        &err,
        "warning: seeds/title-type.md:2:7: skipped: front matter key `title` must be a string",
    );
    assert_line(
        &err,
        "warning: seeds/list.md:2:1: skipped: front matter must be a mapping of keys to values",
    );
    assert_line(
        &err,
        "warning: seeds/open.md:1:1: skipped: front matter opened with `---` is never closed",
    );
    assert!(
        err.lines()
            .any(|l| l.starts_with("warning: seeds/tab.md:3:")),
        "{err}"
    );
    assert!(d.path().join("public/article/good/index.html").is_file());
}

#[test]
fn unknown_front_matter_key_is_a_warning_and_the_article_builds() {
    let d = site();
    write(
        d.path(),
        "seeds/extra.md",
        "---\ntitle: Extra Article\neditor: me\n---\nRosé sang with BLACKPINK.\n",
    );
    let err = assert_ok(&build(d.path()));
    assert_line(
        &err,
        "warning: seeds/extra.md:3: unknown front matter key `editor` ignored (known keys: title, date, source, publisher, lang, draft, author, fetched)",
    );
    assert!(page(d.path(), "article/extra/index.html").contains("Extra Article"));
}

#[test]
fn two_articles_with_one_id_keep_the_first() {
    let d = site();
    write(d.path(), "seeds/a.txt", "Plain text telling.\n");
    write(
        d.path(),
        "seeds/a.md",
        "---\ntitle: Markdown Telling\n---\nThe Markdown one.\n",
    );
    let err = assert_ok(&build(d.path()));
    assert_line(
        &err,
        "warning: seeds/a.txt: skipped: article id `a` is already used by seeds/a.md (ids are file stems; rename one of them)",
    );
    assert!(page(d.path(), "article/a/index.html").contains("Markdown Telling"));
}

#[test]
fn symlink_loop_in_seeds_is_skipped() {
    let d = site();
    std::fs::create_dir(d.path().join("seeds/loop")).unwrap();
    std::os::unix::fs::symlink("..", d.path().join("seeds/loop/up")).unwrap();
    std::os::unix::fs::symlink("self.txt", d.path().join("seeds/self.txt")).unwrap();
    let err = assert_ok(&build(d.path()));
    assert!(
        err.lines()
            .any(|l| l.starts_with("warning: seeds/loop/up: skipped: symbolic link loop")),
        "{err}"
    );
    assert!(
        err.lines()
            .any(|l| l.starts_with("warning: seeds/self.txt: skipped: ")),
        "{err}"
    );
    assert!(d.path().join("public/article/good/index.html").is_file());
}

#[test]
fn unreadable_file_is_skipped() {
    use std::os::unix::fs::PermissionsExt;
    let d = site();
    let secret = d.path().join("seeds/secret.txt");
    write(d.path(), "seeds/secret.txt", "Secret text.\n");
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o000)).unwrap();
    let out = build(d.path());
    let err = assert_ok(&out);
    if std::fs::read(&secret).is_ok() {
        // running as root (as CI does): permissions do not stop reads, nothing to check
        eprintln!("skipped the unreadable-file assertion: this user can read a mode 000 file");
        return;
    }
    assert_line(
        &err,
        "warning: seeds/secret.txt: skipped: cannot read: Permission denied (os error 13)",
    );
}

#[test]
fn pipe_named_txt_is_not_read() {
    let d = site();
    let status = Command::new("mkfifo")
        .arg(d.path().join("seeds/pipe.txt"))
        .status()
        .unwrap();
    assert!(status.success());
    let err = assert_ok(&build(d.path()));
    assert_line(
        &err,
        "warning: seeds/pipe.txt: skipped: not a regular file (a pipe, socket or device)",
    );
}

// ---------------------------------------------------------------- fatal problems

#[test]
fn no_seeds_directory() {
    let d = tempfile::tempdir().unwrap();
    let err = assert_fails(&build(d.path()));
    assert_line(
        &err,
        &format!(
            "error: {}: no seeds directory: create it and put .txt or .md articles in it (or set seeds_dir in site.yaml)",
            d.path().join("seeds").display()
        ),
    );
    assert!(!d.path().join("public").exists());
}

#[test]
fn template_syntax_error_names_file_line_and_column() {
    let d = site();
    write(
        d.path(),
        "templates/article.html",
        "{% extends \"base.html\" %}\n{% block main %}\n{{ article.title }}\n{% if %}\n{% endblock main %}\n",
    );
    let err = assert_fails(&build(d.path()));
    assert_line(
        &err,
        &format!(
            "error: template error in {}:4:7:",
            d.path().join("templates/article.html").display()
        ),
    );
    assert!(!d.path().join("public").exists());
}

#[test]
fn include_of_a_missing_template_names_both() {
    let d = site();
    write(
        d.path(),
        "templates/article.html",
        "{% extends \"base.html\" %}\n{% block main %}\n{% include \"nope.html\" %}\n{% endblock main %}\n",
    );
    let err = assert_fails(&build(d.path()));
    assert_line(
        &err,
        &format!(
            "error: template error in {}:3:12:",
            d.path().join("templates/article.html").display()
        ),
    );
    assert!(err.contains("Unknown template `nope.html`"), "{err}");
}

#[test]
fn extending_a_missing_template_names_both() {
    let d = site();
    write(
        d.path(),
        "templates/artist.html",
        "{% extends \"gone.html\" %}\n{% block main %}x{% endblock main %}\n",
    );
    let err = assert_fails(&build(d.path()));
    assert_line(
        &err,
        &format!(
            "error: template error in {}:",
            d.path().join("templates/artist.html").display()
        ),
    );
    assert_line(
        &err,
        "Template 'artist.html' is inheriting from 'gone.html', which doesn't exist or isn't loaded.",
    );
}

#[test]
fn render_error_in_a_partial_names_the_partial() {
    let d = site();
    write(
        d.path(),
        "templates/partials/partnership.html",
        "<li>{{ p.nope }}</li>\n",
    );
    let err = assert_fails(&build(d.path()));
    assert_line(
        &err,
        &format!(
            "error: template error in {}:1:10:",
            d.path()
                .join("templates/partials/partnership.html")
                .display()
        ),
    );
    assert!(err.contains("Field `nope` is not defined"), "{err}");
}

#[test]
fn public_being_a_file_is_refused_and_kept() {
    let d = site();
    write(d.path(), "public", "my notes\n");
    let err = assert_fails(&build(d.path()));
    assert_line(
        &err,
        &format!(
            "error: {}: the output path is a file, not a directory: move it away or set output_dir in site.yaml",
            d.path().join("public").display()
        ),
    );
    assert_eq!(
        std::fs::read_to_string(d.path().join("public")).unwrap(),
        "my notes\n"
    );
}

#[test]
fn output_inside_seeds_is_refused() {
    let d = site();
    write(d.path(), "site.yaml", "output_dir: seeds/site\n");
    let err = assert_fails(&build(d.path()));
    assert!(
        err.starts_with(&format!(
            "error: {}: the output directory is inside the seeds directory",
            d.path().join("seeds/site").display()
        )),
        "{err}"
    );
    assert!(!d.path().join("seeds/site").exists());
    // the same through --output, relative to the working directory, and through `..`
    std::fs::remove_file(d.path().join("site.yaml")).unwrap();
    for o in ["seeds/out", "./seeds/x/../out", "public/../seeds/out"] {
        let out = Command::new(BIN)
            .current_dir(d.path())
            .args(["build", "--output", o])
            .output()
            .unwrap();
        let err = assert_fails(&out);
        assert!(
            err.contains("the output directory is inside the seeds directory"),
            "{o}: {err}"
        );
    }
    assert!(!d.path().join("seeds/out").exists());
    // and through a symbolic link
    std::os::unix::fs::symlink("seeds", d.path().join("linked")).unwrap();
    write(d.path(), "site.yaml", "output_dir: linked/site\n");
    let err = assert_fails(&build(d.path()));
    assert!(
        err.contains("the output directory is inside the seeds directory"),
        "{err}"
    );
}

// ---------------------------------------------------------------- nothing lost

#[test]
fn failed_builds_leave_the_previous_site_byte_identical() {
    let d = site();
    write(
        d.path(),
        "seeds/second.txt",
        "Rosé sang with BLACKPINK on Netflix.\n",
    );
    assert_ok(&build(d.path()));
    let before = tree(&d.path().join("public"));
    // a new article, so the next build has new files and directories to write
    write(
        d.path(),
        "seeds/third.txt",
        "Lee Min Ho starred in Pachinko for Apple TV.\n",
    );

    // a template error in the last page kind rendered
    write(
        d.path(),
        "templates/404.html",
        "{% extends \"base.html\" %}{% block main %}{{ nope }}{% endblock main %}",
    );
    assert_fails(&build(d.path()));
    assert_eq!(tree(&d.path().join("public")), before, "template error");
    std::fs::remove_dir_all(d.path().join("templates")).unwrap();

    // an output file that is a directory
    let blocked = d.path().join("public/404.html");
    std::fs::remove_file(&blocked).unwrap();
    std::fs::create_dir(&blocked).unwrap();
    write(d.path(), "public/404.html/keep.txt", "mine\n");
    let before_dir = tree(&d.path().join("public"));
    let err = assert_fails(&build(d.path()));
    assert_line(
        &err,
        &format!(
            "error: {}: is a directory where kwiki must write a file: remove it (it is inside the output directory)",
            blocked.display()
        ),
    );
    assert_eq!(
        tree(&d.path().join("public")),
        before_dir,
        "directory in the way"
    );
    std::fs::remove_dir_all(&blocked).unwrap();

    // a file where a directory must go
    std::fs::remove_dir_all(d.path().join("public/article")).unwrap();
    write(d.path(), "public/article", "not a directory\n");
    let before_file = tree(&d.path().join("public"));
    let err = assert_fails(&build(d.path()));
    assert_line(
        &err,
        &format!(
            "error: {}: is a file where kwiki needs a directory: remove it (it is inside the output directory)",
            d.path().join("public/article").display()
        ),
    );
    assert_eq!(
        tree(&d.path().join("public")),
        before_file,
        "file in the way"
    );
    let leftovers: Vec<_> = before_file
        .keys()
        .filter(|p| p.to_string_lossy().ends_with(".kwiki-tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn read_only_directory_in_the_output_leaves_it_as_it_was() {
    use std::os::unix::fs::PermissionsExt;
    let d = site();
    assert_ok(&build(d.path()));
    write(
        d.path(),
        "seeds/good.txt",
        "A changed article: Rosé sang with BLACKPINK.\n",
    );
    let ro = d.path().join("public/article/good");
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
    let writable = std::fs::write(ro.join("probe"), "x").is_ok();
    if writable {
        // root ignores the mode: nothing to check
        std::fs::remove_file(ro.join("probe")).unwrap();
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
        eprintln!("skipped: this user can write into a mode 555 directory");
        return;
    }
    let before = tree(&d.path().join("public"));
    let err = assert_fails(&build(d.path()));
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert!(
        err.contains(&format!("{}", ro.join("index.html").display())),
        "{err}"
    );
    assert_eq!(tree(&d.path().join("public")), before);
}

#[test]
fn a_foreign_output_directory_is_never_touched() {
    let d = site();
    write(d.path(), "public/precious.txt", "mine\n");
    let err = assert_fails(&build(d.path()));
    assert!(err.contains("was not made by kwiki"), "{err}");
    assert_eq!(
        tree(&d.path().join("public")).keys().collect::<Vec<_>>(),
        vec![Path::new("precious.txt")]
    );
}

// ---------------------------------------------------------------- hostile content

const HOSTILE_TEXT: &str = "Rosé met <script>alert('body')</script> BLACKPINK at the <img src=x onerror=alert(1)> studio.\n\nSource: https://example.com/ok\n";

fn hostile_site() -> tempfile::TempDir {
    let d = site();
    write(d.path(), "seeds/hostile.txt", HOSTILE_TEXT);
    write(
        d.path(),
        "seeds/front.md",
        concat!(
            "---\n",
            "title: \"<script>alert('title')</script>\"\n",
            "publisher: \"<b onmouseover=alert(1)>Pub</b>\"\n",
            "date: \"2024-01-01\\\" onload=\\\"alert(1)\"\n",
            "source: \"JaVaScRiPt:alert('src')\"\n",
            "lang: \"en\\\"><script>alert('lang')</script>\"\n",
            "---\n",
            "Rosé and BLACKPINK <script>alert('md')</script> sang.\n\n",
            "[click](javascript:alert('link')) [tab](java\tscript:x) <a href=\"javascript:alert(2)\">raw</a>\n\n",
            "![img](javascript:alert('img')) <javascript:alert('auto')>\n",
        ),
    );
    for (i, src) in [
        " javascript:alert(1)",
        "\tjavascript:alert(1)",
        "java\u{0}script:alert(1)",
        "https://example.com/a\" onclick=\"alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "//example.com/protocol-relative",
    ]
    .iter()
    .enumerate()
    {
        let yaml_src = serde_json::to_string(src).unwrap(); // a JSON string is a YAML string
        write(
            d.path(),
            &format!("seeds/src{i}.md"),
            format!("---\ntitle: Source {i}\nsource: {yaml_src}\n---\nRosé sang with BLACKPINK.\n"),
        );
    }
    write(
        d.path(),
        "seeds/_corrections.yaml",
        r#"entities:
  - name: Rosé
    aliases: ["</script><script>alert('alias')</script>", "Ro\"sé' onmouseover='x"]
    description: "Singer <script>alert('desc')</script> [x](javascript:alert(1)) <img src=x onerror=alert(2)>"
    links: [{title: "<b>evil</b>", url: "JaVaScRiPt:alert(1)"}, {title: ok, url: "https://example.com/rose"}]
"#,
    );
    d
}

/// Every HTML page of the site, with its path.
fn html_pages(public: &Path) -> Vec<(PathBuf, String)> {
    walkdir::WalkDir::new(public)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            (
                e.path().to_path_buf(),
                std::fs::read_to_string(e.path()).unwrap(),
            )
        })
        .collect()
}

/// Every value of the given attribute in the tags of `html` (text is escaped, so every
/// `<` starts a tag).
fn attribute_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!(" {attr}=\"");
    html.split('<')
        .skip(1)
        .map(|t| &t[..t.find('>').unwrap_or(t.len())])
        .flat_map(|tag| {
            tag.match_indices(&needle).map(|(i, _)| {
                let rest = &tag[i + needle.len()..];
                &rest[..rest.find('"').unwrap_or(rest.len())]
            })
        })
        .collect()
}

#[test]
fn hostile_content_comes_out_escaped() {
    let d = hostile_site();
    assert_ok(&build(d.path()));
    let public = d.path().join("public");
    let pages = html_pages(&public);
    assert!(pages.len() > 20);
    for (path, html) in &pages {
        let lower = html.to_ascii_lowercase();
        // no markup from the input survives as markup
        for bad in [
            "<script>alert",
            "<img src=x",
            "<b onmouseover",
            "<a href=\"javascript",
        ] {
            assert!(!lower.contains(bad), "{}: contains {bad}", path.display());
        }
        // no attribute was broken out of
        assert!(!lower.contains("\" onload="), "{}", path.display());
        assert!(!lower.contains("' onmouseover='"), "{}", path.display());
        // every link and image points somewhere safe
        for attr in ["href", "src"] {
            for v in attribute_values(html, attr) {
                let squeezed: String = v
                    .chars()
                    .filter(|c| !c.is_whitespace() && !c.is_control())
                    .collect::<String>()
                    .to_ascii_lowercase();
                assert!(
                    !squeezed.contains("script:") && !squeezed.starts_with("data:"),
                    "{}: {attr}={v:?}",
                    path.display()
                );
            }
        }
        // JSON-LD, if a template emits it, must not close its script element early
        if let Some(i) = lower.find("application/ld+json") {
            let body = &lower[i..];
            let start = body.find('>').unwrap() + 1;
            let end = body[start..].find("</script").unwrap() + start;
            let json = &html[i + start..i + end];
            assert!(
                !json.contains('<'),
                "{}: JSON-LD holds a raw <",
                path.display()
            );
            serde_json::from_str::<serde_json::Value>(json)
                .unwrap_or_else(|e| panic!("{}: JSON-LD: {e}", path.display()));
        }
    }
    // the text is kept, escaped
    let hostile = page(d.path(), "article/hostile/index.html");
    assert!(
        hostile.contains("&lt;script&gt;alert(&#39;body&#39;)&lt;&#x2F;script&gt;")
            || hostile.contains("&lt;script&gt;alert(&#39;body&#39;)&lt;/script&gt;"),
        "{hostile}"
    );
    assert!(
        hostile.contains("href=\"https://example.com/ok\""),
        "{hostile}"
    );
    let front = page(d.path(), "article/front/index.html");
    assert!(front.contains("&lt;script&gt;alert("), "{front}");
    assert!(
        !front.contains(">source</a>"),
        "a javascript: source is dropped"
    );
    let rose = page(d.path(), "artist/rose/index.html");
    assert!(rose.contains("href=\"https://example.com/rose\""), "{rose}");
    assert!(
        rose.contains("&lt;script&gt;alert(&#39;desc&#39;)"),
        "{rose}"
    );
    // sources: only http(s) is a link
    for i in 0..7 {
        let html = page(d.path(), &format!("article/src{i}/index.html"));
        assert!(!html.contains(">source</a>"), "src{i}: {html}");
    }
    // the API holds the names as data, exactly as written, in valid JSON
    let (api, _) = kwiki::render::api::read(&public.join("api")).unwrap();
    let text = serde_json::to_string(&api).unwrap();
    assert!(
        text.contains("</script><script>alert('alias')</script>"),
        "the alias is in the API"
    );
}

#[test]
fn odd_file_names_get_safe_urls_and_nothing_lands_outside_the_output() {
    let d = site();
    let names = [
        "Rosé & BLACKPINK.txt",
        "a..b.txt",
        "..txt",
        "-dash.txt",
        "日本語の記事.txt",
        "back\\slash.txt",
        "new\nline.txt",
        "%2e%2e%2fescape.txt",
        "<script>.txt",
        "!!!.txt",
        "CON.txt",
        "space .txt",
    ];
    for n in names {
        write(
            d.path(),
            &format!("seeds/{n}"),
            "Rosé sang with BLACKPINK for the Netflix show.\n",
        );
    }
    let before: Vec<PathBuf> = tree(d.path()).into_keys().collect();
    assert_ok(&build(d.path()));
    let after: Vec<PathBuf> = tree(d.path()).into_keys().collect();
    let new: Vec<&PathBuf> = after.iter().filter(|p| !before.contains(p)).collect();
    assert!(!new.is_empty());
    for p in &new {
        // the output, and beside it the write manifest (a cache, not part of the site)
        assert!(
            p.starts_with("public") || p.starts_with(".kwiki-cache"),
            "written outside public/: {p:?}"
        );
    }
    // every article directory name is a plain slug
    let mut slugs: Vec<String> = std::fs::read_dir(d.path().join("public/article"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "index.html")
        .collect();
    slugs.sort();
    for s in &slugs {
        assert!(
            !s.is_empty()
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
                && !s.starts_with('-'),
            "unsafe slug {s:?}"
        );
    }
    // one article page per file that is not hidden (`..txt` is a hidden file)
    assert_eq!(slugs.len(), names.len() - 1 + 1, "{slugs:?}");
}

// ---------------------------------------------------------------- trust boundaries

/// Every line of `err` starting with `prefix`.
fn lines_starting<'a>(err: &'a str, prefix: &str) -> Vec<&'a str> {
    err.lines().filter(|l| l.starts_with(prefix)).collect()
}

/// Every file of the built site, as text.
fn site_text(root: &Path) -> String {
    tree(&root.join("public"))
        .into_values()
        .flatten()
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .collect()
}

#[test]
fn symlinks_leaving_the_site_root_are_never_read() {
    use std::os::unix::fs::symlink;
    let d = site();
    let elsewhere = tempfile::tempdir().unwrap();
    let secret = elsewhere.path().join("secret.txt");
    std::fs::write(
        &secret,
        "Token abc123 opens the vault.\nMore secret text here.\n",
    )
    .unwrap();
    symlink(&secret, d.path().join("seeds/secret.txt")).unwrap();
    symlink("/etc/passwd", d.path().join("seeds/passwd.txt")).unwrap();
    symlink(elsewhere.path(), d.path().join("seeds/linked-dir")).unwrap();
    // inside the site root: followed
    write(
        d.path(),
        "notes/shared.txt",
        "Rosé and Bruno Mars released APT. together.\n",
    );
    symlink("../notes/shared.txt", d.path().join("seeds/shared.txt")).unwrap();
    let err = assert_ok(&build(d.path()));
    for link in ["secret.txt", "passwd.txt", "linked-dir"] {
        let prefix =
            format!("warning: seeds/{link}: skipped: symbolic link leading outside the site root");
        assert_eq!(lines_starting(&err, &prefix).len(), 1, "{link}:\n{err}");
    }
    assert!(!d.path().join("public/article/passwd").exists());
    assert!(!d.path().join("public/article/secret").exists());
    let text = site_text(d.path());
    assert!(!text.contains("abc123") && !text.contains("root:x:0"));
    assert!(page(d.path(), "article/shared/index.html").contains("Bruno Mars"));
}

#[test]
fn a_link_to_the_site_root_never_makes_the_build_read_its_own_output() {
    let d = site();
    assert_ok(&build(d.path()));
    assert!(d.path().join("public/robots.txt").is_file());
    std::os::unix::fs::symlink("..", d.path().join("seeds/loop")).unwrap();
    std::os::unix::fs::symlink("../public", d.path().join("seeds/pub")).unwrap();
    let err = assert_ok(&build(d.path()));
    assert!(!err.contains("public/"), "read the output:\n{err}");
    assert_eq!(
        lines_starting(&err, "warning: seeds/loop: skipped: symbolic link loop").len(),
        1,
        "{err}"
    );
    assert_eq!(
        lines_starting(
            &err,
            "warning: seeds/pub: skipped: symbolic link leading to the output directory"
        )
        .len(),
        1,
        "{err}"
    );
    assert!(!d.path().join("public/article/robots").exists());
}

#[test]
fn a_link_is_judged_by_what_it_leads_to() {
    let d = site();
    // named like an article, leading to a FIFO inside the site: never opened
    let fifo = d.path().join("pipe");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc_mkfifo(c.as_ptr(), 0o600) }, 0);
    std::os::unix::fs::symlink("../pipe", d.path().join("seeds/news.txt")).unwrap();
    let err = assert_ok(&build(d.path()));
    assert_line(
        &err,
        "warning: seeds/news.txt: skipped: not a regular file (a pipe, socket or device)",
    );
}

unsafe extern "C" {
    #[link_name = "mkfifo"]
    fn libc_mkfifo(path: *const std::ffi::c_char, mode: u32) -> i32;
}

#[test]
fn hidden_and_backup_static_files_are_not_published() {
    let d = site();
    for f in [
        ".env",
        ".git/config",
        "notes.txt~",
        ".style.css.swp",
        "#draft.css#",
        "css/.DS_Store",
        ".htaccess",
        ".well-known/security.txt",
        "css/site.css",
    ] {
        write(d.path(), &format!("static/{f}"), format!("content of {f}"));
    }
    assert_ok(&build(d.path()));
    let public = d.path().join("public");
    for gone in [
        ".env",
        ".git",
        "notes.txt~",
        ".style.css.swp",
        "#draft.css#",
        "css/.DS_Store",
        ".htaccess",
    ] {
        assert!(!public.join(gone).exists(), "{gone} was published");
    }
    assert!(public.join(".well-known/security.txt").is_file());
    assert!(public.join("css/site.css").is_file());
    // beside the site's own files, the default theme's
    for asset in ["style.css", "search.js", "favicon.svg"] {
        assert!(public.join(asset).is_file(), "no {asset}");
    }
    // an explicit allow-list
    write(
        d.path(),
        "site.yaml",
        "static_include: [.htaccess, .git/config]\n",
    );
    assert_ok(&build(d.path()));
    assert!(public.join(".htaccess").is_file());
    assert!(public.join(".git/config").is_file());
    assert!(!public.join(".env").exists());
    assert!(
        !public.join(".well-known").exists(),
        "the list replaces the default"
    );
}

#[test]
fn data_files_must_be_regular_files_under_the_cap() {
    let d = site();
    assert_ok(&build(d.path()));
    let before = tree(&d.path().join("public"));
    // an endless device: refused at once, not read
    write(d.path(), "site.yaml", "lexicons: [/dev/zero]\n");
    let err = assert_fails(&build(d.path()));
    assert_line(
        &err,
        "error: /dev/zero: is not a regular file (a directory, pipe, socket or device): name a YAML file",
    );
    // a FIFO: refused, not waited on
    let fifo = d.path().join("lex.yaml");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc_mkfifo(c.as_ptr(), 0o600) }, 0);
    write(d.path(), "site.yaml", "lexicons: [lex.yaml]\n");
    let err = assert_fails(&build(d.path()));
    assert!(err.contains("lex.yaml: is not a regular file"), "{err}");
    // corrections, over a cap set in site.yaml
    write(d.path(), "site.yaml", "max_data_file_bytes: 100\n");
    write(
        d.path(),
        "seeds/_corrections.yaml",
        format!("entities:\n{}", "  - name: X\n".repeat(20)),
    );
    let err = assert_fails(&build(d.path()));
    assert_line(
        &err,
        "error: seeds/_corrections.yaml: 250 bytes is too large for a data file (the limit is 100 bytes; raise max_data_file_bytes in site.yaml if it really is one)"
            .replace("seeds/", &format!("{}/seeds/", d.path().display()))
            .as_str(),
    );
    assert_eq!(tree(&d.path().join("public")), before);
}

#[test]
fn a_data_file_that_is_not_yaml_is_never_echoed_beyond_the_line_at_fault() {
    let d = site();
    write(
        d.path(),
        "secrets.yaml",
        "root:$6$salt$FIRSTLINEHASHSECRET:19000:0:99999:7:::\ndaemon:*:SECONDLINESECRET:0:99999:7:::\n",
    );
    write(d.path(), "site.yaml", "lexicons: [secrets.yaml]\n");
    let err = assert_fails(&build(d.path()));
    assert!(err.contains("secrets.yaml:1:"), "{err}");
    assert!(!err.contains("SECONDLINESECRET"), "{err}");
    assert!(!err.contains("FIRSTLINEHASHSECRET"), "{err}");
}

#[test]
fn a_base_url_that_is_not_an_absolute_web_url_stops_the_build() {
    let d = site();
    assert_ok(&build(d.path()));
    let before = tree(&d.path().join("public"));
    write(d.path(), "site.yaml", "base_url: '/\\evil.example'\n");
    let err = assert_fails(&build(d.path()));
    assert!(
        err.contains(
            "site.yaml: base_url \"/\\\\evil.example\" does not start with http:// or https://"
        ),
        "{err}"
    );
    write(
        d.path(),
        "site.yaml",
        "base_url: 'https://user.github.io\\evil'\n",
    );
    let err = assert_fails(&build(d.path()));
    assert!(err.contains("holds a backslash"), "{err}");
    write(d.path(), "site.yaml", "");
    let err = assert_fails(&kwiki(
        d.path(),
        &["build", "--base-url", "javascript:alert(1)//"],
    ));
    assert!(err.starts_with("error: --base-url: base_url"), "{err}");
    assert_eq!(tree(&d.path().join("public")), before);
    assert_ok(&kwiki(
        d.path(),
        &["build", "--base-url", "https://user.github.io/repo"],
    ));
}

#[test]
fn dates_that_do_not_exist_leave_the_article_undated() {
    let d = site();
    write(
        d.path(),
        "seeds/md.md",
        "---\ntitle: Front matter date\ndate: 2024-13-45\n---\nRosé sang with Bruno Mars.\n",
    );
    write(
        d.path(),
        "seeds/txt.txt",
        "A Title Line For The Story\n2024/02/30 10:00 KST\nRosé sang with Bruno Mars again.\n",
    );
    let err = assert_ok(&build(d.path()));
    assert_line(
        &err,
        "warning: seeds/md.md:3: date ignored: `2024-13-45` has no month 13",
    );
    assert_line(
        &err,
        "warning: seeds/txt.txt:2: date ignored: `2024-02-30T10:00:00+09:00` has no day 30 in month 2",
    );
    let text = site_text(d.path());
    assert!(!text.contains("2024-13-45") && !text.contains("2024-02-30"));
    assert!(page(d.path(), "article/md/index.html").contains("Front matter date"));
}

#[test]
fn control_characters_in_file_names_are_printed_escaped() {
    let d = site();
    write(d.path(), "seeds/\u{1b}[2J\u{1b}]0;pwned\u{7}evil.txt", "");
    write(
        d.path(),
        "seeds/dup\rx/good.txt",
        "Another telling of it.\n",
    );
    let err = assert_ok(&build(d.path()));
    assert!(
        !err.contains('\u{1b}') && !err.contains('\r') && !err.contains('\u{7}'),
        "{err:?}"
    );
    assert_line(
        &err,
        "warning: seeds/\\u{1b}[2J\\u{1b}]0;pwned\\u{7}evil.txt: skipped: empty article",
    );
    assert!(err.contains("seeds/dup\\rx/good.txt"), "{err}");
}

#[test]
fn clean_removes_the_output_and_what_kwiki_keeps_beside_it() {
    let d = site();
    assert_ok(&build(d.path()));
    assert!(d.path().join(".kwiki-cache/public.manifest").is_file());
    let o = kwiki(d.path(), &["clean"]);
    assert_ok(&o);
    assert!(!d.path().join("public").exists());
    assert!(!d.path().join(".kwiki-cache/public.manifest").exists());
    assert!(d.path().join("seeds/good.txt").is_file());
    assert!(String::from_utf8_lossy(&o.stdout).contains("removed "));
    // a directory kwiki did not make is left alone
    write(d.path(), "public/precious.txt", "x");
    let err = assert_fails(&kwiki(d.path(), &["clean"]));
    assert!(err.contains("was not made by kwiki"), "{err}");
    assert!(d.path().join("public/precious.txt").is_file());
}
