//! Pass 3: the article's blocks as Markdown: paragraphs, headings, quotes, lists and
//! preformatted text, with the characters Markdown would read as markup escaped.
use super::blocks::{Kind, TextBlock};

/// The Markdown of `blocks`; list items in a row make one list.
pub fn markdown(blocks: &[TextBlock]) -> String {
    let mut out = String::new();
    let mut last: Option<(Kind, bool)> = None;
    let mut number = 0;
    for b in blocks {
        let in_list = matches!(b.kind, Kind::Item(_)) && last == Some((b.kind, b.quote));
        if !out.is_empty() {
            out.push_str(if in_list { "\n" } else { "\n\n" });
        }
        number = if in_list { number + 1 } else { 1 };
        let quote = if b.quote { "> " } else { "" };
        match b.kind {
            Kind::Heading(level) => {
                let hashes = "#".repeat(level.clamp(2, 6) as usize);
                out.push_str(&format!("{quote}{hashes} {}", escape(&b.text)));
            }
            Kind::Item(ordered) => {
                let marker = if ordered {
                    format!("{number}.")
                } else {
                    "-".into()
                };
                out.push_str(&format!("{quote}{marker} {}", escape(&b.text)));
            }
            Kind::Preformatted => {
                let fence = if b.text.contains("```") {
                    "~~~~"
                } else {
                    "```"
                };
                for line in format!("{fence}\n{}\n{fence}", b.text).lines() {
                    out.push_str(quote);
                    out.push_str(line);
                    out.push('\n');
                }
                out.pop();
            }
            Kind::Paragraph => out.push_str(&format!("{quote}{}", escape(&b.text))),
        }
        last = Some((b.kind, b.quote));
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

/// `text` with Markdown's markup characters escaped, so it reads back as the same text.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '#' | '|' | '~'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    // a line that starts like a list item or a rule would become one
    let digits = out.bytes().take_while(u8::is_ascii_digit).count();
    if out.starts_with(['-', '+', '=']) || (digits > 0 && out[digits..].starts_with(['.', ')'])) {
        let at = if out.starts_with(['-', '+', '=']) {
            0
        } else {
            digits
        };
        out.insert(at, '\\');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(kind: Kind, quote: bool, text: &str) -> TextBlock {
        TextBlock {
            kind,
            quote,
            text: text.into(),
            link_chars: 0,
            element: 0,
            prose: true,
        }
    }

    #[test]
    fn blocks_become_markdown() {
        let md = markdown(&[
            block(Kind::Heading(2), false, "The deal"),
            block(Kind::Paragraph, false, "Rosé *sang* <Messy>."),
            block(Kind::Paragraph, true, "A quote."),
            block(Kind::Item(false), false, "one"),
            block(Kind::Item(false), false, "two"),
            block(Kind::Item(true), false, "first"),
            block(Kind::Paragraph, false, "2024. A year."),
        ]);
        assert_eq!(
            md,
            "## The deal\n\nRosé \\*sang\\* \\<Messy\\>.\n\n> A quote.\n\n- one\n- two\n\n1. first\n\n2024\\. A year.\n"
        );
    }

    #[test]
    fn escaped_text_reads_back_the_same() {
        for t in [
            "a_b*c [x](y) <b>&amp; #1 `c` \\",
            "- not a list",
            "3) nor this",
            "+1",
        ] {
            let md = escape(t);
            let html = {
                let mut s = String::new();
                pulldown_cmark::html::push_html(&mut s, pulldown_cmark::Parser::new(&md));
                s
            };
            let text: String = pulldown_cmark::Parser::new(&md)
                .filter_map(|e| match e {
                    pulldown_cmark::Event::Text(t) => Some(t.to_string()),
                    _ => None,
                })
                .collect();
            assert_eq!(text, t, "{md} -> {html}");
        }
    }
}
