//! Pass 1: the page's text as a list of blocks (paragraphs, headings, list items...), each
//! with the element that holds it; page furniture (scripts, menus, share bars, comments) is
//! left out on the way.
use super::rules::PageRules;
use crate::ingest::clean::normalize_spaces;
use ego_tree::iter::Edge;
use scraper::{ElementRef, Html, Node};

/// What a block of text is, for Markdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Paragraph,
    /// `<h1>` .. `<h6>`.
    Heading(u8),
    /// A list item; `true` in an ordered list.
    Item(bool),
    Preformatted,
}

/// A run of text between two block boundaries.
#[derive(Debug, Clone, PartialEq)]
pub struct TextBlock {
    pub kind: Kind,
    /// Inside a `<blockquote>`.
    pub quote: bool,
    pub text: String,
    /// Characters of `text` inside links.
    pub link_chars: usize,
    /// The element holding the block (an index into `Blocks::parents`).
    pub element: usize,
    /// Whether it reads as article text (see `mark_prose`).
    pub prose: bool,
}

impl TextBlock {
    /// Characters of text, white space not counted (see `weight`).
    pub fn chars(&self) -> usize {
        self.text.chars().map(weight).sum()
    }

    pub fn link_share(&self) -> f64 {
        self.link_chars as f64 / self.chars().max(1) as f64
    }
}

/// Whether the lines `group` read as article text: long enough together, mostly not links,
/// not the page's headline.
fn is_prose(group: &[TextBlock], rules: &PageRules) -> bool {
    let chars: usize = group.iter().map(TextBlock::chars).sum();
    let links: usize = group.iter().map(|b| b.link_chars).sum();
    // a long paragraph may link more of its words: a digest of the day's news
    let max_links = if chars >= rules.long_paragraph_chars {
        rules.max_long_paragraph_link_share
    } else {
        rules.max_paragraph_link_share
    };
    // one long word in Latin letters is an address or a code, not a sentence
    let one_word = |b: &TextBlock| b.text.is_ascii() && !b.text.contains(char::is_whitespace);
    group[0].kind != Kind::Heading(1)
        && !group.iter().all(one_word)
        && chars >= rules.min_paragraph_chars
        && links as f64 <= max_links * chars as f64
}

/// Mark the blocks that read as article text. The lines of one paragraph (`<br>` between
/// them: a schedule, a list of dates) are judged together, as the paragraph they make.
fn mark_prose(blocks: &mut [TextBlock], rules: &PageRules) {
    for group in blocks.chunk_by_mut(|a, b| a.element == b.element && a.kind == b.kind) {
        let prose = is_prose(group, rules);
        for b in group {
            b.prose = prose;
        }
    }
}

/// The blocks of a page, and its elements as a tree (each element's parent, by index).
#[derive(Debug, Default)]
pub struct Blocks {
    pub blocks: Vec<TextBlock>,
    /// The parent of each element kept (`usize::MAX` for the root).
    pub parents: Vec<usize>,
    /// Whether each element looks like page furniture (a share bar, comments, a menu...) by
    /// its tag, role or name. Kept, not dropped: some pages wrap the whole article in an
    /// element named `content-with-sidebar` (see `body`).
    pub furniture: Vec<Furniture>,
    /// Whether each element is named as the article (`article-body`, `entry-content`,
    /// `itemprop=articleBody`): the names of the publishing systems most sites use.
    pub content: Vec<bool>,
    /// Each element's node in the parsed page.
    pub nodes: Vec<ego_tree::NodeId>,
}

/// What a character counts for: none for white space, two for Hangul, kana and Han (a
/// Korean or Japanese sentence says in 40 characters what an English one says in 100).
pub fn weight(c: char) -> usize {
    match c as u32 {
        _ if c.is_whitespace() => 0,
        0x1100..=0x11FF | 0x3040..=0x30FF | 0x3130..=0x318F | 0x3400..=0x9FFF | 0xAC00..=0xD7AF => {
            2
        }
        _ => 1,
    }
}

/// Elements that end the running block of text.
fn breaks_text(tag: &str) -> bool {
    matches!(
        tag,
        "address"
            | "article"
            | "blockquote"
            | "body"
            | "br"
            | "center"
            | "dd"
            | "details"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "hgroup"
            | "hr"
            | "li"
            | "main"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "summary"
            | "table"
            | "tbody"
            | "td"
            | "tfoot"
            | "th"
            | "thead"
            | "tr"
            | "ul"
            | "caption"
    )
}

/// Whether an element never holds text a reader sees: a script, a hidden element...
fn dropped(el: &scraper::node::Element, rules: &PageRules) -> bool {
    if rules.drop_tags.contains(el.name()) {
        return true;
    }
    if el.attr("hidden").is_some() || el.attr("aria-hidden") == Some("true") {
        return true;
    }
    if names_of(el).iter().any(|n| rules.hidden_names.is_match(n)) {
        return true;
    }
    el.attr("style").is_some_and(|style| {
        let s = style.to_ascii_lowercase().replace(' ', "");
        s.contains("display:none") || s.contains("visibility:hidden")
    })
}

/// An element's class and id, with a `-` between the words of a camelCase name
/// (`signupBanner`, `ArticleBody-imageCaption`), so rules match words however joined.
fn names_of(el: &scraper::node::Element) -> Vec<std::borrow::Cow<'_, str>> {
    fn split(name: &str) -> std::borrow::Cow<'_, str> {
        let b = name.as_bytes();
        let humps: Vec<usize> = (1..b.len())
            .filter(|&i| b[i].is_ascii_uppercase() && b[i - 1].is_ascii_lowercase())
            .collect();
        if humps.is_empty() {
            return std::borrow::Cow::Borrowed(name);
        }
        let mut out = String::with_capacity(name.len() + humps.len());
        let mut from = 0;
        for i in humps {
            out.push_str(&name[from..i]);
            out.push('-');
            from = i;
        }
        out.push_str(&name[from..]);
        std::borrow::Cow::Owned(out)
    }
    [el.attr("class"), el.attr("id")]
        .into_iter()
        .flatten()
        .map(split)
        .collect()
}

/// How an element looks like page furniture, if it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Furniture {
    No,
    /// By a class or id naming something small (a caption, a date, tags, a video): furniture
    /// only while it holds no article text; resolved by `blocks` before it returns.
    ByMinorName,
    /// By its class or id: a guess by the page's author's words.
    ByName,
    /// By its tag or ARIA role: what the page declares.
    ByTag,
    /// Readers' comments, by name: never the article.
    Discussion,
}

/// Whether an element looks like page furniture by its tag, role or name, and whether it
/// is named as the article.
fn furniture(el: &scraper::node::Element, rules: &PageRules) -> (Furniture, bool) {
    let tag = el.name();
    let names = names_of(el);
    let named = |re: &regex::Regex| names.iter().any(|n| re.is_match(n));
    let content = named(&rules.content_names)
        || el
            .attr("itemprop")
            .is_some_and(|p| p.eq_ignore_ascii_case("articleBody"));
    let furniture = if content || matches!(tag, "html" | "body") {
        Furniture::No
    } else if rules.furniture_tags.contains(tag)
        || el
            .attr("role")
            .is_some_and(|r| rules.furniture_roles.contains(r))
    {
        Furniture::ByTag
    } else if named(&rules.discussion_names) {
        Furniture::Discussion
    } else if named(&rules.junk_names) {
        Furniture::ByName
    } else if named(&rules.minor_names) && !matches!(tag, "tr" | "td" | "th") {
        // (a table's rows are named after what they list: `player-2020`, `video-12`)
        Furniture::ByMinorName
    } else {
        Furniture::No
    };
    (furniture, content)
}

/// Text being gathered into the next block.
#[derive(Default)]
struct Run {
    text: String,
    link_chars: usize,
}

/// The blocks of `html`'s body text, furniture left out.
pub fn blocks(html: &Html, rules: &PageRules) -> Blocks {
    let mut out = Blocks::default();
    // the open elements kept: (index, tag)
    let mut open: Vec<(usize, &str)> = Vec::new();
    let mut skip_depth = 0usize;
    let mut links = 0usize;
    let mut run = Run::default();
    for edge in html.tree.root().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(el) => {
                    if skip_depth > 0 || dropped(el, rules) {
                        skip_depth += 1;
                        continue;
                    }
                    let tag = el.name();
                    if breaks_text(tag) {
                        flush(&mut run, &open, &mut out);
                    }
                    if tag == "a" {
                        links += 1;
                    }
                    out.parents.push(open.last().map_or(usize::MAX, |o| o.0));
                    let (furniture, content) = furniture(el, rules);
                    out.furniture.push(furniture);
                    out.content.push(content);
                    out.nodes.push(node.id());
                    open.push((out.parents.len() - 1, tag));
                }
                Node::Text(t) if skip_depth == 0 => {
                    run.text.push_str(t);
                    if links > 0 {
                        run.link_chars += t.chars().map(weight).sum::<usize>();
                    }
                }
                _ => {}
            },
            Edge::Close(node) => {
                let Some(el) = ElementRef::wrap(node) else {
                    continue;
                };
                if skip_depth > 0 {
                    skip_depth -= 1;
                    continue;
                }
                let tag = el.value().name();
                if breaks_text(tag) {
                    flush(&mut run, &open, &mut out);
                }
                if tag == "a" {
                    links = links.saturating_sub(1);
                }
                open.pop();
            }
        }
    }
    flush(&mut run, &open, &mut out);
    mark_prose(&mut out.blocks, rules);
    resolve_minor_names(&mut out);
    out
}

/// An element named like something small (`caption`, `date`, `tag-news`, `video-game`...)
/// is furniture only while it holds no article text: WordPress names an article's element
/// after its tags and categories, and an embedded post is named after its network.
fn resolve_minor_names(out: &mut Blocks) {
    let mut holds_prose = vec![false; out.parents.len()];
    for b in out.blocks.iter().filter(|b| b.prose) {
        let mut e = b.element;
        while e != usize::MAX && !holds_prose[e] {
            holds_prose[e] = true;
            e = out.parents[e];
        }
    }
    for (f, prose) in out.furniture.iter_mut().zip(holds_prose) {
        if *f == Furniture::ByMinorName {
            *f = if prose {
                Furniture::No
            } else {
                Furniture::ByName
            };
        }
    }
}

/// End the running block: kept when it holds any text.
fn flush(run: &mut Run, open: &[(usize, &str)], out: &mut Blocks) {
    let Some(&(element, _)) = open.last() else {
        *run = Run::default();
        return;
    };
    let pre = open.iter().any(|o| o.1 == "pre");
    let text = if pre {
        run.text.trim_matches('\n').trim_end().to_string()
    } else {
        normalize_spaces(&run.text)
    };
    let link_chars = run.link_chars;
    *run = Run::default();
    if text.is_empty() {
        return;
    }
    let kind = open
        .iter()
        .rev()
        .find_map(|&(_, tag)| match tag {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                Some(Kind::Heading(tag.as_bytes()[1] - b'0'))
            }
            "li" => Some(Kind::Item(
                open.iter()
                    .rev()
                    .find(|o| matches!(o.1, "ol" | "ul"))
                    .map(|o| o.1)
                    == Some("ol"),
            )),
            "pre" => Some(Kind::Preformatted),
            _ => None,
        })
        .unwrap_or(Kind::Paragraph);
    let quote = open.iter().any(|o| o.1 == "blockquote");
    let chars = text.chars().map(weight).sum();
    out.blocks.push(TextBlock {
        kind,
        quote,
        text,
        link_chars: link_chars.min(chars),
        element,
        prose: false,
    });
}
