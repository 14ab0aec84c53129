//! Pass 2a: teasers, the excerpts of other articles a page lists ("more stories", "next
//! article", a site's latest posts): a paragraph that shares its smallest container only
//! with a linked title before it (and short lines: a date, a byline). Such paragraphs read
//! like article text, but they are not this page's article.
use super::blocks::{Blocks, Kind, TextBlock};
use super::rules::PageRules;

/// A block that is a link to another page: a teaser's title.
fn is_title_link(b: &TextBlock, rules: &PageRules) -> bool {
    b.chars() >= rules.min_title_chars && b.link_share() >= rules.min_title_link_share
}

/// For each block of `page`, whether it is a teaser's excerpt.
pub fn teasers(page: &Blocks, rules: &PageRules) -> Vec<bool> {
    let n = page.parents.len();
    // per element: blocks and prose blocks inside, and the first title link's block index
    let mut blocks = vec![0u32; n];
    let mut prose = vec![0u32; n];
    let mut first_title = vec![usize::MAX; n];
    let mut first = vec![usize::MAX; n];
    for (i, b) in page.blocks.iter().enumerate() {
        let is_prose = b.prose;
        // a title: a linked heading, or a link that opens its container
        let title = is_title_link(b, rules);
        let heading = title && matches!(b.kind, Kind::Heading(_));
        let mut e = b.element;
        while e != usize::MAX {
            blocks[e] += 1;
            prose[e] += u32::from(is_prose);
            if first[e] == usize::MAX {
                first[e] = i;
                if title {
                    first_title[e] = i;
                }
            }
            if heading {
                first_title[e] = first_title[e].min(i);
            }
            e = page.parents[e];
        }
    }
    page.blocks
        .iter()
        .enumerate()
        .map(|(i, b)| {
            if !b.prose {
                return false;
            }
            // the smallest element holding this block and another
            let mut e = b.element;
            while e != usize::MAX && blocks[e] < 2 {
                e = page.parents[e];
            }
            e != usize::MAX && prose[e] == 1 && first_title[e] < i
        })
        .collect()
}
