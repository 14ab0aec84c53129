//! Article text as HTML with every entity mention linked: one pass per text over the names
//! of the entities the article names (never a regex per entity).
use aho_corasick::{AhoCorasick, MatchKind};
use memchr::memmem::Finder;
use rustc_hash::{FxHashMap, FxHashSet};
use std::cell::RefCell;

/// A name to link and where it points. The link has no class: the theme styles a mention
/// by where it points (`a[href*="/artist/"]`), which costs no bytes per link.
pub struct Target<'a> {
    pub name: &'a str,
    pub href: String,
}

/// An article names a handful of entities, so instead of an automaton built per page (which
/// cost more than the search itself) each name keeps a SIMD substring finder and the next
/// match is the leftmost, then longest, then first-listed of their next occurrences: the
/// same non-overlapping matches as a leftmost-longest Aho-Corasick search.
pub struct Linker<'a> {
    finders: Vec<Finder<'a>>,
    targets: Vec<Target<'a>>,
    /// With the build's automaton of every name: for each entity the page links, its target.
    shared: Option<(&'a Names, FxHashMap<u32, usize>)>,
    /// Link only the first mention of each target (Wikipedia's rule): the targets linked so
    /// far, by `href`, over every text this linker links.
    linked: Option<RefCell<FxHashSet<String>>>,
}

/// Every entity name and alias of a build in one automaton, built once: pages whose entities
/// carry hundreds of aliases then cost one pass per text instead of one search per name, and
/// a page's linker is made from its entities, never from their (many) names.
pub struct Names {
    automaton: Option<AhoCorasick>,
    patterns: Vec<String>,
    /// Per entity, its patterns in the order given (each once).
    of_entity: Vec<Vec<u32>>,
    /// Per pattern, the entities that have it, ascending.
    owners: Vec<Vec<u32>>,
}

impl Names {
    /// `entities[i]` lists the names entity `i` is linked by.
    pub fn new<'n, I: IntoIterator<Item = &'n str>>(entities: impl Iterator<Item = I>) -> Names {
        let mut pattern_of: FxHashMap<&str, u32> = FxHashMap::default();
        let mut patterns: Vec<&str> = Vec::new();
        let mut owners: Vec<Vec<u32>> = Vec::new();
        let mut of_entity: Vec<Vec<u32>> = Vec::new();
        for (e, names) in entities.enumerate() {
            let mut mine: Vec<u32> = Vec::new();
            for n in names {
                if n.is_empty() {
                    continue;
                }
                let p = *pattern_of.entry(n).or_insert_with(|| {
                    patterns.push(n);
                    owners.push(Vec::new());
                    (patterns.len() - 1) as u32
                });
                if !mine.contains(&p) {
                    mine.push(p);
                    owners[p as usize].push(e as u32);
                }
            }
            of_entity.push(mine);
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&patterns)
            .ok();
        Names {
            automaton,
            patterns: patterns.into_iter().map(str::to_string).collect(),
            of_entity,
            owners,
        }
    }
}

impl<'a> Linker<'a> {
    pub fn new(targets: Vec<Target<'a>>) -> Linker<'a> {
        let finders = targets
            .iter()
            .filter(|t| !t.name.is_empty())
            .map(|t| Finder::new(t.name.as_bytes()))
            .collect::<Vec<_>>();
        // an empty name would match everywhere: such a list links nothing
        let finders = if finders.len() == targets.len() {
            finders
        } else {
            Vec::new()
        };
        Linker {
            finders,
            targets,
            shared: None,
            linked: None,
        }
    }

    /// This linker, linking each target at its first mention only (in the order the texts
    /// are linked); later mentions stay plain text.
    pub fn first_mentions_only(mut self) -> Linker<'a> {
        self.linked = Some(RefCell::default());
        self
    }

    /// A linker for the entities `entities` (indexes into the list `names` was built from),
    /// each linked to `targets[i]` by every one of its names, searched with the build's
    /// automaton. The same matches as `Linker::new` with a target per name, in entity order.
    pub fn for_entities(
        names: &'a Names,
        entities: &[usize],
        targets: Vec<Target<'a>>,
    ) -> Linker<'a> {
        let known = entities.iter().all(|&e| e < names.of_entity.len());
        if names.automaton.is_none() || !known || entities.len() != targets.len() {
            // no automaton: search name by name
            let per_name = entities
                .iter()
                .zip(&targets)
                .flat_map(|(&e, t)| {
                    let ps = names.of_entity.get(e).map_or(&[][..], Vec::as_slice);
                    ps.iter().map(|&p| Target {
                        name: &names.patterns[p as usize],
                        href: t.href.clone(),
                    })
                })
                .collect();
            return Linker::new(per_name);
        }
        let mut slot: FxHashMap<u32, usize> = FxHashMap::default();
        for (i, &e) in entities.iter().enumerate() {
            slot.entry(e as u32).or_insert(i);
        }
        Linker {
            finders: Vec::new(),
            targets,
            shared: Some((names, slot)),
            linked: None,
        }
    }

    /// The non-overlapping matches in `text`, left to right: (start, end, target index).
    fn matches(&self, text: &str, mut f: impl FnMut(usize, usize, usize)) {
        if let Some((names, slot)) = &self.shared {
            let Some(ac) = &names.automaton else { return };
            // every occurrence of a name of the page's entities, then the same choice as
            // below: leftmost, then longest, then first-listed, never overlapping the last
            let mut found: Vec<(usize, std::cmp::Reverse<usize>, usize)> = ac
                .find_overlapping_iter(text)
                .filter_map(|m| {
                    let owners = &names.owners[m.pattern().as_usize()];
                    let t = owners.iter().filter_map(|e| slot.get(e)).min()?;
                    Some((m.start(), std::cmp::Reverse(m.end() - m.start()), *t))
                })
                .collect();
            found.sort_unstable();
            let mut pos = 0;
            for (s, std::cmp::Reverse(len), t) in found {
                if s >= pos {
                    f(s, s + len, t);
                    pos = s + len;
                }
            }
            return;
        }
        if self.finders.is_empty() {
            return;
        }
        let hay = text.as_bytes();
        let find = |i: usize, from: usize| {
            self.finders[i]
                .find(&hay[from..])
                .map_or(usize::MAX, |p| from + p)
        };
        // each name's next occurrence at or after `pos` (usize::MAX: none left)
        let mut next: Vec<usize> = (0..self.finders.len()).map(|i| find(i, 0)).collect();
        loop {
            let mut best: Option<(usize, usize, usize)> = None;
            for (i, &s) in next.iter().enumerate() {
                if s == usize::MAX {
                    continue;
                }
                let len = self.finders[i].needle().len();
                let better = match best {
                    None => true,
                    Some((bs, blen, _)) => s < bs || (s == bs && len > blen),
                };
                if better {
                    best = Some((s, len, i));
                }
            }
            let Some((s, len, i)) = best else { return };
            let pos = s + len;
            f(s, pos, i);
            for (j, n) in next.iter_mut().enumerate() {
                if *n != usize::MAX && *n < pos {
                    *n = if pos <= hay.len() {
                        find(j, pos)
                    } else {
                        usize::MAX
                    };
                }
            }
        }
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
        self.matches(text, |s, e, i| {
            let before_ok = !text[..s]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric);
            let after = &text[e..];
            let after_ok = !after.chars().next().is_some_and(char::is_alphanumeric)
                || (after.starts_with('s')
                    && !after[1..].chars().next().is_some_and(char::is_alphanumeric));
            if !before_ok || !after_ok {
                return;
            }
            let t = &self.targets[i];
            if let Some(linked) = &self.linked
                && !linked.borrow_mut().insert(t.href.clone())
            {
                return;
            }
            escape_into(&text[last..s], out);
            out.push_str("<a href=\"");
            escape_into(&t.href, out);
            out.push_str("\">");
            escape_into(&text[s..e], out);
            out.push_str("</a>");
            last = e;
        });
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
            },
            Target {
                name: "F1",
                href: "../../film/f1/".into(),
            },
        ])
    }

    #[test]
    fn links_whole_words_and_escapes() {
        let html = linker().link("Rosé <b> sang for F1, not F12.");
        assert_eq!(
            html,
            "<a href=\"../../artist/rose/\">Rosé</a> &lt;b&gt; sang for <a href=\"../../film/f1/\">F1</a>, not F12."
        );
    }

    #[test]
    fn first_mentions_only_links_each_target_once_over_every_text() {
        let once = linker().first_mentions_only();
        assert_eq!(
            once.link("Rosé sang for F1; Rosé again."),
            "<a href=\"../../artist/rose/\">Rosé</a> sang for <a href=\"../../film/f1/\">F1</a>; Rosé again."
        );
        assert_eq!(once.link("Rosé and F1, later."), "Rosé and F1, later.");
        // every mention, by default
        assert_eq!(linker().link("Rosé, Rosé").matches("<a ").count(), 2);
    }

    /// The matches are those of a leftmost-longest Aho-Corasick search, including names
    /// that overlap, nest, repeat or share a prefix.
    #[test]
    fn matches_like_leftmost_longest_aho_corasick() {
        use aho_corasick::{AhoCorasick, MatchKind};
        let names = [
            "BTS",
            "BTS V",
            "V",
            "TS V Live",
            "Rosé",
            "Rosé",
            "sé X",
            "ab",
            "abab",
        ];
        let targets = names
            .iter()
            .map(|n| Target {
                name: n,
                href: String::new(),
            })
            .collect();
        let target_list = |ns: &[&'static str]| -> Vec<Target<'static>> {
            ns.iter()
                .map(|n| Target {
                    name: n,
                    href: String::new(),
                })
                .collect()
        };
        let linker = Linker::new(targets);
        // the build's automaton knows more names than the page links: they must not matter
        let all = Names::new(
            names
                .iter()
                .chain(&["BTS V Li", "Ros", "bab"])
                .map(|&n| [n]),
        );
        let page: Vec<usize> = (0..names.len()).collect();
        let shared = Linker::for_entities(&all, &page, target_list(&names));
        assert!(shared.shared.is_some());
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(names)
            .expect("automaton");
        for text in [
            "BTS V Live at BTS, V and BTS V.",
            "Rosé X and Rosé, ababab abab",
            "",
            "no names here",
            "BTSBTS VVV TS V Live",
        ] {
            let mut ours = Vec::new();
            linker.matches(text, |s, e, i| ours.push((s, e, i)));
            let theirs: Vec<_> = ac
                .find_iter(text)
                .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
                .collect();
            assert_eq!(ours, theirs, "{text}");
            let mut with_names = Vec::new();
            shared.matches(text, |s, e, i| with_names.push((s, e, i)));
            assert_eq!(with_names, theirs, "{text} (with the build's automaton)");
        }
    }

    /// An entity is linked by each of its names; a name two entities share links the one
    /// listed first on the page; entities not on the page link nothing.
    #[test]
    fn entities_are_linked_by_all_their_names() {
        let entities: [&[&str]; 4] = [
            &["BTS", "BTS V", "Bangtan"],
            &["V", "Rosé"],
            &["TS V Live"],
            &["Rosé", "ab", "BTS"],
        ];
        let names = Names::new(entities.iter().map(|ns| ns.iter().copied()));
        let page = [3, 0, 1];
        let target = |e: usize| Target {
            name: "",
            href: format!("e{e}"),
        };
        let linker = Linker::for_entities(&names, &page, page.iter().map(|&e| target(e)).collect());
        // the same page as one target per name, in entity order
        let per_name: Vec<Target> = page
            .iter()
            .flat_map(|&e| {
                entities[e].iter().map(move |&n| Target {
                    name: n,
                    ..target(e)
                })
            })
            .collect();
        let hrefs: Vec<String> = per_name.iter().map(|t| t.href.clone()).collect();
        let by_name = Linker::new(per_name);
        for text in [
            "BTS V Live: BTS, V, Rosé and Bangtan; abab TS V Live.",
            "Rosé's BTS V",
            "",
        ] {
            let mut ours = Vec::new();
            linker.matches(text, |s, e, i| {
                ours.push((s, e, linker.targets[i].href.clone()))
            });
            let mut theirs = Vec::new();
            by_name.matches(text, |s, e, i| theirs.push((s, e, hrefs[i].clone())));
            assert_eq!(ours, theirs, "{text}");
            assert_eq!(linker.link(text), by_name.link(text), "{text}");
        }
        let mut found = Vec::new();
        linker.matches("Rosé and BTS, not TS V Live", |s, _, i| {
            found.push((s, linker.targets[i].href.as_str()))
        });
        // "TS V Live" is not on the page, so only its "V" is a name here
        assert_eq!(found, [(0, "e3"), (10, "e3"), (22, "e1")]);
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
