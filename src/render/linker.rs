//! Article text as HTML with every entity mention linked: one Aho-Corasick pass per text
//! over the names of the entities the article names (never a regex per entity).
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

/// A name to link and where it points.
pub struct Target<'a> {
    pub name: &'a str,
    pub href: String,
    pub class: String,
}

pub struct Linker<'a> {
    ac: Option<AhoCorasick>,
    targets: Vec<Target<'a>>,
}

impl<'a> Linker<'a> {
    pub fn new(targets: Vec<Target<'a>>) -> Linker<'a> {
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            // a page's few names: an NFA builds far faster than a DFA and runs fast enough
            .kind(Some(AhoCorasickKind::NoncontiguousNFA))
            .prefilter(false)
            .build(targets.iter().map(|t| t.name))
            .ok();
        Linker { ac, targets }
    }

    /// `text` HTML-escaped, with the mentions wrapped in links.
    pub fn link(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + 64);
        self.link_into(text, &mut out);
        out
    }

    /// `link`, appending to `out`.
    pub fn link_into(&self, text: &str, out: &mut String) {
        let mut last = 0;
        if let Some(ac) = &self.ac {
            for m in ac.find_iter(text) {
                let (s, e) = (m.start(), m.end());
                let before_ok = !text[..s]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphanumeric);
                let after = &text[e..];
                let after_ok = !after.chars().next().is_some_and(char::is_alphanumeric)
                    || (after.starts_with('s')
                        && !after[1..].chars().next().is_some_and(char::is_alphanumeric));
                if !before_ok || !after_ok {
                    continue;
                }
                let t = &self.targets[m.pattern().as_usize()];
                escape_into(&text[last..s], out);
                out.push_str("<a class=\"");
                escape_into(&t.class, out);
                out.push_str("\" href=\"");
                escape_into(&t.href, out);
                out.push_str("\">");
                escape_into(&text[s..e], out);
                out.push_str("</a>");
                last = e;
            }
        }
        escape_into(&text[last..], out);
    }
}

pub fn escape_into(s: &str, out: &mut String) {
    // copy the runs between special characters whole (all ASCII, so byte offsets are
    // character boundaries)
    let mut last = 0;
    for (i, b) in s.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&s[last..i]);
        out.push_str(rep);
        last = i + 1;
    }
    out.push_str(&s[last..]);
}

pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_into(s, &mut out);
    out
}

/// Render Markdown to HTML with the same mention links inside its text (raw HTML in the
/// Markdown is escaped, not passed through; links and images keep only a safe destination).
pub fn markdown(md: &str, linker: &Linker) -> String {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd, html};
    let mut in_link = false;
    // links and images whose destination was dropped: their End events are dropped too
    let mut dropped: Vec<bool> = Vec::new();
    let events = Parser::new_ext(md, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH)
        .filter_map(|ev| match ev {
            Event::Start(Tag::Link { ref dest_url, .. } | Tag::Image { ref dest_url, .. }) => {
                let keep = safe_destination(dest_url);
                dropped.push(!keep);
                if matches!(ev, Event::Start(Tag::Link { .. })) {
                    in_link = keep;
                }
                keep.then_some(ev)
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                if matches!(ev, Event::End(TagEnd::Link)) {
                    in_link = false;
                }
                (!dropped.pop().unwrap_or(false)).then_some(ev)
            }
            Event::Text(t) if !in_link => Some(Event::InlineHtml(linker.link(&t).into())),
            Event::Html(h) | Event::InlineHtml(h) => Some(Event::Text(h)),
            other => Some(other),
        });
    let mut out = String::new();
    html::push_html(&mut out, events);
    out
}

/// Whether a link destination in Markdown may be kept: web and mail links, and links with
/// no scheme at all (relative paths, `#anchors`). `javascript:`, `data:` and any other
/// scheme are dropped, however they are spelled.
pub fn safe_destination(url: &str) -> bool {
    // browsers ignore these inside a scheme ("java\tscript:"), so they are ignored here too
    let squeezed: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    let scheme_end = squeezed.find([':', '/', '?', '#']);
    match scheme_end {
        Some(i) if squeezed[i..].starts_with(':') => {
            matches!(&squeezed[..i], "http" | "https" | "mailto")
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn linker() -> Linker<'static> {
        Linker::new(vec![
            Target {
                name: "Rosé",
                href: "../../artist/rose/".into(),
                class: "mention artist".into(),
            },
            Target {
                name: "F1",
                href: "../../film/f1/".into(),
                class: "mention film".into(),
            },
        ])
    }

    #[test]
    fn links_whole_words_and_escapes() {
        let html = linker().link("Rosé <b> sang for F1, not F12.");
        assert_eq!(
            html,
            "<a class=\"mention artist\" href=\"../../artist/rose/\">Rosé</a> &lt;b&gt; sang for <a class=\"mention film\" href=\"../../film/f1/\">F1</a>, not F12."
        );
    }

    #[test]
    fn markdown_drops_script_links() {
        for md in [
            "[x](javascript:alert(1))",
            "[x](JaVaScRiPt:alert(1))",
            "[x](java\tscript:alert(1))",
            "[x]( data:text/html;base64,PHNjcmlwdD4=)",
            "<javascript:alert(1)>",
            "![i](javascript:alert(1))",
            "[x](vbscript:msgbox)",
        ] {
            let html = markdown(md, &linker());
            assert!(
                !html.contains("href=") && !html.contains("src="),
                "{md} -> {html}"
            );
        }
        let html = markdown(
            "[ok](https://example.com/a) and [rel](../x/) [m](mailto:a@b.c)",
            &linker(),
        );
        assert!(html.contains("href=\"https://example.com/a\""), "{html}");
        assert!(html.contains("href=\"../x/\""), "{html}");
        assert!(html.contains("href=\"mailto:a@b.c\""), "{html}");
    }

    #[test]
    fn markdown_escapes_raw_html() {
        let html = markdown("Hello <script>alert(1)</script> Rosé", &linker());
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("href=\"../../artist/rose/\""));
    }
}
