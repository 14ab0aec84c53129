//! The reader on small pages in the shapes news sites use: what it keeps of each.
use super::read_page;

/// An article's paragraphs: long enough to read as prose.
const P1: &str = "Stray Kids recorded a new song for the soundtrack of the film, the label said.";
const P2: &str = "The track was written by the group's producing team after an early screening.";
const P3: &str = "The soundtrack will be released worldwide by the film's studio next week.";

/// The text the reader keeps of `html`, block by block.
fn kept(html: &str) -> Vec<String> {
    read_page(html.as_bytes(), None, None)
        .blocks
        .into_iter()
        .map(|b| b.text)
        .collect()
}

fn page(body: &str) -> String {
    format!("<html><head><title>Headline</title></head><body>{body}</body></html>")
}

#[test]
fn another_article_s_title_and_excerpt_is_a_teaser() {
    let teaser = |n: u32| {
        format!(
            "<div class=more><h3><a href=/s{n}>Another story number {n} on the site</a></h3>\
             <p>An excerpt of that other story, long enough to pass for a paragraph of it.</p></div>"
        )
    };
    let html = page(&format!(
        "<div><div class=story><p>{P1}</p><p>{P2}</p></div>{}{}{}{}</div>",
        teaser(1),
        teaser(2),
        teaser(3),
        teaser(4)
    ));
    assert_eq!(kept(&html), [P1, P2]);
}

#[test]
fn readers_comments_never_outweigh_a_short_article() {
    let comment =
        "A reader's long comment about the song, the film, the group and much else besides.";
    let html = page(&format!(
        "<article><p>{P1}</p></article><section id=comments>{}</section>",
        format!("<div class=comment-body><p>{comment}</p><p>{comment}</p></div>").repeat(4)
    ));
    assert_eq!(kept(&html), [P1]);
}

#[test]
fn small_things_names_are_furniture_only_without_prose() {
    // WordPress names the article's element after its tags and categories
    let html = page(&format!(
        "<article class='post tag-music category-video'><p>{P1}</p><p>{P2}</p>\
         <div class=tags><a href=/t/a>music</a> <a href=/t/b>film</a> news</div></article>"
    ));
    assert_eq!(kept(&html), [P1, P2]);
    // camelCase names are read word by word: a newsletter pitch above the article
    let pitch = "Get breaking news alerts and special reports, delivered every weekday morning.";
    let html = page(&format!(
        "<div><div class=signupBanner><p>{pitch}</p></div><p>{P1}</p><p>{P2}</p></div>"
    ));
    assert_eq!(kept(&html), [P1, P2]);
}

#[test]
fn a_results_table_and_a_schedule_in_lines_are_the_article() {
    let rows: String = (1..=12)
        .map(|i| {
            format!(
                "<tr><td>{i}</td><td>Driver {i}</td><td>{}</td></tr>",
                500 - i
            )
        })
        .collect();
    let html = page(&format!(
        "<div class=main><p>{P1}</p><table>{rows}</table><p>{P2}</p></div>\
         <aside><p>{P3}</p></aside>"
    ));
    let text = kept(&html);
    assert_eq!((text[0].as_str(), text.len()), (P1, 2 + 36), "{text:?}");
    assert_eq!(text[35..], ["Driver 12", "488", P2]);
    let lines: String = (1..=8)
        .map(|i| format!("Round {i}: 10 March<br>"))
        .collect();
    let html = page(&format!("<div><h2>Calendar</h2><p>{lines}</p></div>"));
    assert_eq!(kept(&html).len(), 8, "{:?}", kept(&html));
}

#[test]
fn the_lines_that_end_an_article_stay_until_links_begin() {
    let html = page(&format!(
        "<article><p>https://example.com/news/2024/the-address-of-this-very-page.html</p>\
         <p>{P1}</p><p>{P2}</p><ul><li>Release date: July 26</li><li>Label: Hollywood</li></ul>\
         <h3>More stories</h3><ul><li><a href=/a>The first other story</a></li>\
         <li><a href=/b>The second other story</a></li></ul></article>"
    ));
    assert_eq!(
        kept(&html),
        [P1, P2, "Release date: July 26", "Label: Hollywood"]
    );
}
