//! What a reader sees on the built pages (issue 17): real articles (the bundled seeds, and
//! articles written here) built into a temp dir, the HTML read back.
use regex::Regex;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A site of the bundled seeds plus `extra` articles (file name, text), built into a temp dir.
fn build_with(extra: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let seeds = dir.path().join("seeds");
    std::fs::create_dir_all(&seeds).unwrap();
    for e in std::fs::read_dir(repo().join("seeds")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), seeds.join(e.file_name())).unwrap();
    }
    for (name, text) in extra {
        std::fs::write(seeds.join(name), text).unwrap();
    }
    std::fs::copy(repo().join("site.yaml"), dir.path().join("site.yaml")).unwrap();
    let site = kwiki::site::Site::load(dir.path()).unwrap();
    kwiki::site::build(&site).unwrap();
    dir
}

fn public(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("public")
}

fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Every HTML page of a built site: (path relative to it, text).
fn pages(dir: &Path) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read_to_string(e.path()).unwrap())
        })
        .collect();
    out.sort();
    out
}

fn entity_pages(dir: &Path) -> Vec<(String, String)> {
    pages(dir)
        .into_iter()
        .filter(|(p, html)| p.matches('/').count() == 2 && html.contains("<article class=\"entity"))
        .collect()
}

/// The `<main>` of a page: what the reader reads (not the head's metadata).
fn main_of(html: &str) -> &str {
    &html[html.find("<main").unwrap()..html.find("</main>").unwrap()]
}

const UNDATED: &str = "Source: https://example.com/news/stray-kids-deadpool\n\nStray Kids made a cameo in the film \"Deadpool & Wolverine\", the group's agency said.\n";

#[test]
fn a_songs_page_has_one_partnerships_section_with_what_it_carries() {
    let d = build_with(&[]);
    let html = read(&public(&d), "song/messy/index.html");
    let main = main_of(&html);
    assert_eq!(main.matches("<h2>Partnerships").count(), 1, "{main}");
    assert!(!main.contains("No partnership found"), "{main}");
    assert!(!main.contains("carried by"), "{main}");
    // the soundtrack placement it carries is in that one section, with its sentence
    let section = &main[main.find("<h2>Partnerships").unwrap()..];
    let section = &section[..section.find("</section>").unwrap()];
    assert!(
        section.contains("href=\"../../partnership/rose-x-f1/\""),
        "{section}"
    );
    assert!(
        section.contains("<blockquote class=\"evidence\">"),
        "{section}"
    );
    // and on every entity page there is at most one such section
    for (path, html) in entity_pages(&public(&d)) {
        assert!(
            main_of(&html).matches("<h2>Partnerships").count() <= 1,
            "{path}"
        );
    }
}

#[test]
fn each_sentence_is_quoted_once_on_an_entity_page() {
    let d = build_with(&[]);
    let quote = Regex::new(r#"(?s)<blockquote class="evidence">(.*?) <cite>"#).unwrap();
    let mut checked = 0;
    for (path, html) in entity_pages(&public(&d)) {
        let mut seen = std::collections::HashSet::new();
        for q in quote.captures_iter(main_of(&html)) {
            checked += 1;
            assert!(
                seen.insert(q[1].to_string()),
                "{path} quotes twice: {}",
                &q[1]
            );
        }
    }
    assert!(checked > 50, "{checked} quotes");
    // Rosé's soundtrack sentence is quoted under the partnership and only cited under
    // "Mentioned in"
    let rose = read(&public(&d), "artist/rose/index.html");
    let main = main_of(&rose);
    let sentence = "releasing the MV for the soundtrack song &quot;Messy&quot;";
    assert_eq!(main.matches(sentence).count(), 1, "{main}");
    let mentioned = &main[main.find("<h2>Mentioned in</h2>").unwrap()..];
    assert!(
        mentioned.contains("<p class=\"evidence-cite\"><cite><a href=\"../../article/000_"),
        "{mentioned}"
    );
}

#[test]
fn dates_read_as_people_write_them_with_the_machine_form_kept() {
    let d = build_with(&[("undated.txt", UNDATED)]);
    let dir = public(&d);
    // seed 003 is dated 2024/07/18 07:31 KST
    let article = read(&dir, "article/003_3cdca1212243bf59/index.html");
    assert!(
        article.contains("<time datetime=\"2024-07-18T07:31:00+09:00\">18 July 2024</time>"),
        "{}",
        main_of(&article)
    );
    let time = Regex::new(r#"<time( datetime="([^"]*)")?>([^<]*)</time>"#).unwrap();
    let machine = Regex::new(r"^\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d))?$").unwrap();
    let human = Regex::new(r"^\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) \d{4}$").unwrap();
    let mut seen = 0;
    for (path, html) in pages(&dir) {
        for t in time.captures_iter(&html) {
            seen += 1;
            let datetime = t.get(2).map_or("", |m| m.as_str());
            assert!(machine.is_match(datetime), "{path}: {}", &t[0]);
            assert!(human.is_match(&t[3]), "{path}: {}", &t[0]);
        }
    }
    assert!(seen >= 4, "{seen} dates");
}

#[test]
fn no_stray_separator_or_empty_section_when_data_is_absent() {
    let d = build_with(&[
        ("undated.txt", UNDATED),
        (
            "bare.md",
            "---\ntitle: A bare note\n---\nNo names here, only a note about the weather in Seoul.\n",
        ),
    ]);
    let dir = public(&d);
    // undated with a source: the source alone, no leading separator
    let undated = read(&dir, "article/undated/index.html");
    let meta = Regex::new(r#"<p class="meta">(.*?)</p>"#).unwrap();
    let m = meta
        .captures(&undated)
        .expect("a meta line")
        .get(1)
        .unwrap()
        .as_str();
    assert!(
        m.starts_with("<a href=\"https://example.com/news/stray-kids-deadpool\""),
        "{m}"
    );
    // no date, publisher nor source: no meta line at all
    let bare = read(&dir, "article/bare/index.html");
    assert!(!bare.contains("class=\"meta\""), "{}", main_of(&bare));
    let empty_list = Regex::new(r"<(ul|ol)[^>]*>\s*</(ul|ol)>").unwrap();
    let empty_section = Regex::new(r"<section[^>]*>\s*<h2>[^<]*</h2>\s*</section>").unwrap();
    for (path, html) in pages(&dir) {
        let main = main_of(&html);
        for bad in [
            "<p class=\"meta\"> · ",
            "<p class=\"meta\"></p>",
            "No partnership found",
        ] {
            assert!(!main.contains(bad), "{path}: {bad}");
        }
        assert!(!empty_list.is_match(main), "{path}: an empty list");
        assert!(!empty_section.is_match(main), "{path}: an empty section");
    }
    // an entity without partnerships has no partnerships heading
    let pm = read(&dir, "artist/2pm/index.html");
    assert!(!pm.contains("<h2>Partnerships"), "{}", main_of(&pm));
}

#[test]
fn confidence_is_for_editors_not_readers() {
    let d = build_with(&[]);
    let dir = public(&d);
    for (path, html) in pages(&dir) {
        assert!(
            !main_of(&html).to_lowercase().contains("confidence"),
            "{path}"
        );
    }
    // editors still have it: the api JSON and `kwiki check`
    assert!(read(&dir, "api/entities.json").contains("\"confidence\""));
    assert!(read(&dir, "api/partnerships.json").contains("\"confidence\""));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kwiki"))
        .arg("--root")
        .arg(d.path())
        .arg("check")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("low confidence 0."));
}

#[test]
fn also_known_as_shows_real_names_not_spelling_variants() {
    let d = build_with(&[]);
    let dir = public(&d);
    let aka = |html: &str| -> Option<String> {
        let at = html.find("Also known as</th><td>")?;
        let rest = &html[at + "Also known as</th><td>".len()..];
        Some(rest[..rest.find("</td>").unwrap()].to_string())
    };
    // "Doja Cats" (a possessive garble) and "Rose" (no accent) are variants, not names
    let doja = read(&dir, "artist/doja-cat/index.html");
    assert_eq!(aka(&doja), None, "{}", main_of(&doja));
    assert!(!doja.contains("\"alternateName\""), "JSON-LD too");
    assert_eq!(aka(&read(&dir, "artist/rose/index.html")), None);
    // yet they still lead to the entity: the alias URL redirects, the A-Z keeps the name
    let redirect = read(&dir, "artist/doja-cats/index.html");
    assert!(
        redirect.contains("url=../../artist/doja-cat/"),
        "{redirect}"
    );
    let index = read(&dir, "artist/index.html");
    assert!(!index.contains("also Doja Cats"), "{index}");
    // a real alternative title is shown
    let fast = read(&dir, "film/fast-and-furious-10/index.html");
    assert_eq!(aka(&fast).as_deref(), Some("Fast X"), "{}", main_of(&fast));
}

#[test]
fn titles_prefer_the_headline_avoid_cut_sentences_and_tell_twins_apart() {
    let d = build_with(&[(
        "headed.md",
        "---\ndate: 2024-08-01\n---\n# Stray Kids make a cameo in Deadpool & Wolverine\n\nThe group appears in the film, its agency said on Thursday.\n",
    )]);
    let dir = public(&d);
    let h1 = |rel: &str| -> String {
        let html = read(&dir, &format!("article/{rel}/index.html"));
        let at = html.find("<h1>").unwrap() + 4;
        html[at..at + html[at..].find("</h1>").unwrap()].to_string()
    };
    // a Markdown article without a title: its opening heading
    assert_eq!(
        h1("headed"),
        "Stray Kids make a cameo in Deadpool &amp; Wolverine"
    );
    // titles made from a first sentence are not cut short when it can be avoided
    for a in [
        "000_2cac62a80f5ccdd1",
        "001_406343b3844edaf8",
        "003_3cdca1212243bf59",
    ] {
        assert!(!h1(a).ends_with('…'), "{a}: {}", h1(a));
    }
    // two tellings of one story: the second says it is another version
    let (first, second) = (h1("000_2cac62a80f5ccdd1"), h1("001_406343b3844edaf8"));
    assert!(!first.contains("(version"), "{first}");
    assert!(second.ends_with(" (version 2)"), "{second}");
    // the listing a reader scans shows them apart too
    let index = read(&dir, "article/index.html");
    assert!(index.contains(&format!(">{second}</a>")), "{index}");
}

/// The lead paragraph of an entity page, if any.
fn lead(html: &str) -> Option<&str> {
    let at = html.find("<p class=\"lead\">")? + "<p class=\"lead\">".len();
    Some(&html[at..at + html[at..].find("</p>").unwrap()])
}

fn text(html: &str) -> String {
    Regex::new("<[^>]*>")
        .unwrap()
        .replace_all(html, "")
        .replace("&amp;", "&")
}

#[test]
fn an_entity_page_opens_with_a_lead_made_of_its_own_facts() {
    let d = build_with(&[]);
    let dir = public(&d);
    let rose = read(&dir, "artist/rose/index.html");
    assert_eq!(
        lead(&rose).map(text).as_deref(),
        Some(
            "Rosé is an artist and a member of Blackpink. Rosé's Messy is on the soundtrack of F1."
        )
    );
    let messy = read(&dir, "song/messy/index.html");
    assert_eq!(
        lead(&messy).map(text).as_deref(),
        Some("Messy is a song. Messy, by Rosé, is on the soundtrack of F1.")
    );
    // never more than the page's facts: every name a lead links is named by the page's
    // infobox or its partnerships
    let link = Regex::new(r#"<a href="[^"]*">([^<]*)</a>"#).unwrap();
    let quote = Regex::new("(?s)<blockquote.*?</blockquote>").unwrap();
    let mut leads = 0;
    for (path, html) in entity_pages(&dir) {
        let Some(lead) = lead(&html) else { continue };
        leads += 1;
        let main = main_of(&html);
        let facts_start = main.find("<aside").unwrap();
        let facts_end = main
            .find("<h2>Partnerships")
            .map_or(main.find("</aside>").unwrap(), |p| {
                p + main[p..].find("</section>").unwrap()
            });
        // the facts as listed, not the sentences quoted for them
        let facts = main[facts_start..facts_end].replace(lead, "");
        let facts = quote.replace_all(&facts, "");
        for h in link.captures_iter(lead) {
            assert!(
                facts.contains(&h[1]),
                "{path}: the lead names {} that the page does not show as a fact",
                &h[1]
            );
        }
    }
    assert!(leads > 40, "{leads} leads");
}

#[test]
fn an_editors_description_replaces_the_lead() {
    let d = build_with(&[(
        "_corrections.yaml",
        "entities:\n  - name: Rosé\n    description: \"Singer, member of **BLACKPINK**.\"\n",
    )]);
    let rose = read(&public(&d), "artist/rose/index.html");
    assert!(
        rose.contains("<strong>BLACKPINK</strong>"),
        "{}",
        main_of(&rose)
    );
    assert_eq!(lead(&rose), None);
}
