//! Pass 2: the article body among the page's blocks: the element whose article text most
//! outweighs the other text it holds, then its blocks without the furniture left inside.
use super::blocks::{Blocks, Furniture, Kind, TextBlock};
use super::rules::PageRules;

/// Every element's score: the article text it holds (prose blocks that are no teasers),
/// less `junk_cost` for each character of links and `plain_cost` for each of other short
/// text (a table's cells, a dateline). Text inside furniture (share bars, related links)
/// counts as junk for the elements around it, and its prose counts for `furniture_prose`
/// inside it: a page may wrap its whole article in `<div class="content-with-sidebar">`.
/// Readers' comments never count as prose. An element named as the article (`article-body`,
/// `itemprop=articleBody`) scores `content_name_bonus` times what it holds.
pub fn scores(page: &Blocks, teasers: &[bool], rules: &PageRules) -> Vec<f64> {
    let mut score = vec![0.0f64; page.parents.len()];
    let furniture = |e: usize| page.furniture[e] != Furniture::No;
    for (b, &teaser) in page.blocks.iter().zip(teasers) {
        let chain = ancestors(page, b.element);
        let chars = b.chars() as f64;
        let junk = -rules.junk_cost * chars;
        let in_furniture = chain.iter().any(|&e| furniture(e));
        let in_discussion = chain
            .iter()
            .any(|&e| page.furniture[e] == Furniture::Discussion);
        let mut w = match b.prose && !teaser {
            true if in_discussion => junk,
            true if in_furniture => rules.furniture_prose * chars,
            true => chars,
            false if in_furniture => junk,
            false => {
                let links = b.link_chars as f64;
                -rules.junk_cost * links - rules.plain_cost * (chars - links)
            }
        };
        for e in chain {
            score[e] += w;
            if furniture(e) {
                w = junk;
            }
        }
    }
    for (s, _) in score
        .iter_mut()
        .zip(&page.content)
        .filter(|(s, named)| **named && **s > 0.0)
    {
        *s *= rules.content_name_bonus;
    }
    score
}

/// The element holding the article: the best score (the innermost, on a tie).
fn best_element(page: &Blocks, teasers: &[bool], rules: &PageRules) -> Option<usize> {
    let score = scores(page, teasers, rules);
    // elements come in document order, so an element's descendants follow it
    let mut best: Option<usize> = None;
    for (e, s) in score.iter().enumerate() {
        if *s > 0.0 && best.is_none_or(|b| *s >= score[b]) {
            best = Some(e);
        }
    }
    best
}

/// `e` and its ancestors, innermost first.
fn ancestors(page: &Blocks, mut e: usize) -> Vec<usize> {
    let mut chain = Vec::new();
    while e != usize::MAX {
        chain.push(e);
        e = page.parents[e];
    }
    chain
}

/// Whether element `e` is `ancestor` or inside it, and not inside furniture within it.
fn within(page: &Blocks, mut e: usize, ancestor: usize) -> bool {
    while e != usize::MAX {
        if e == ancestor {
            return true;
        }
        if page.furniture[e] != Furniture::No {
            return false;
        }
        e = page.parents[e];
    }
    false
}

/// The article's blocks: those of the best element, without its title, link lists,
/// teasers, the short lines before the first paragraph (bylines, dates) and what follows
/// the last once links begin (tags, more stories).
pub fn body(page: Blocks, title: Option<&str>, rules: &PageRules) -> Vec<TextBlock> {
    let teasers = super::teasers::teasers(&page, rules);
    let Some(best) = best_element(&page, &teasers, rules) else {
        return Vec::new();
    };
    let inside: Vec<TextBlock> = page
        .blocks
        .iter()
        .zip(&teasers)
        .filter(|(_, teaser)| !**teaser)
        .map(|(b, _)| b)
        .filter(|b| within(&page, b.element, best))
        .filter(|b| b.kind != Kind::Heading(1))
        .filter(|b| b.prose || b.link_share() <= rules.max_block_link_share)
        .filter(|b| title.is_none_or(|t| b.text != t))
        .cloned()
        .collect();
    let first = inside.iter().position(|b| b.prose);
    let last = inside.iter().rposition(|b| b.prose);
    let (Some(first), Some(last)) = (first, last) else {
        return Vec::new();
    };
    // after the last paragraph: the lines that end the article (a list, a note, a
    // sign-off), up to the first that is more links than a paragraph may be (a "more
    // stories" list, a newsletter pitch)
    let mut end = last + 1;
    while end < inside.len() && inside[end].link_share() <= rules.max_paragraph_link_share {
        end += 1;
    }
    // a heading that heads nothing
    while end > last + 1 && matches!(inside[end - 1].kind, Kind::Heading(_)) {
        end -= 1;
    }
    inside[first..end].to_vec()
}
