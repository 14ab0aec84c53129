//! Long lists cut into pages, the way readers of Hugo and Wikipedia know them: page 1 at the
//! list's own URL, page N at a stable URL after it (`artist/page/2/` for an index,
//! `artist/rose/mentions/2/` for a list on an entity's page), each page linking to the
//! previous, the next, the first, the last and its neighbours.
use super::Value;
use super::value::{list, obj};
use std::ops::Range;

/// Page `number` (1-based) of a list of `total` items cut into pages of `size`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pager {
    pub number: usize,
    pub size: usize,
    pub total: usize,
}

/// Pages listed on either side of the current one.
const NEAR: usize = 2;

impl Pager {
    pub fn new(number: usize, size: usize, total: usize) -> Pager {
        Pager {
            number: number.max(1),
            size: size.max(1),
            total,
        }
    }

    /// How many pages a list of `total` items takes (one, even when empty).
    pub fn count_for(total: usize, size: usize) -> usize {
        total.div_ceil(size.max(1)).max(1)
    }

    pub fn count(&self) -> usize {
        Pager::count_for(self.total, self.size)
    }

    /// The items on this page.
    pub fn range(&self) -> Range<usize> {
        let start = ((self.number - 1) * self.size).min(self.total);
        start..(start + self.size).min(self.total)
    }

    /// The page's `pager` for a template: `url(n)` is page n's URL relative to the site root.
    pub fn value(&self, url: impl Fn(usize) -> String) -> Value {
        let count = self.count();
        let r = self.range();
        let link = |n: usize| {
            if (1..=count).contains(&n) && n != self.number {
                Value::from(url(n))
            } else {
                Value::none()
            }
        };
        let mut shown: Vec<usize> = vec![1, count];
        shown.extend(self.number.saturating_sub(NEAR).max(1)..=(self.number + NEAR).min(count));
        shown.sort_unstable();
        shown.dedup();
        let pages = list(shown.iter().enumerate().map(|(i, &n)| {
            obj([
                ("number", n.into()),
                ("url", url(n).into()),
                ("current", (n == self.number).into()),
                ("gap", (i > 0 && shown[i - 1] + 1 != n).into()),
            ])
        }));
        obj([
            ("number", self.number.into()),
            ("count", count.into()),
            ("total", self.total.into()),
            ("first_item", (r.start + 1).min(self.total).into()),
            ("last_item", r.end.into()),
            ("prev_url", link(self.number.wrapping_sub(1))),
            ("next_url", link(self.number + 1)),
            ("pages", pages),
        ])
    }
}

/// The URL of page `n` of an index at `base` (`artist/` -> `artist/page/2/`).
pub fn index_url(base: &str, n: usize) -> String {
    if n <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{n}/")
    }
}

/// The URL of page `n` of the list `section` on the page at `base` (`artist/rose/`,
/// `mentions` -> `artist/rose/mentions/2/`; page 1 is the page itself).
pub fn section_url(base: &str, section: &str, n: usize) -> String {
    if n <= 1 {
        base.to_string()
    } else {
        format!("{base}{section}/{n}/")
    }
}

/// The way back to the site root from the page at `url` (`artist/page/2/` -> `../../../`).
pub fn root_of(url: &str) -> String {
    "../".repeat(url.matches('/').count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_cover_the_list_once() {
        let mut seen = Vec::new();
        let n = Pager::count_for(2345, 1000);
        assert_eq!(n, 3);
        for k in 1..=n {
            seen.extend(Pager::new(k, 1000, 2345).range());
        }
        assert_eq!(seen, (0..2345).collect::<Vec<_>>());
        assert_eq!(Pager::count_for(0, 10), 1);
        assert_eq!(Pager::new(1, 10, 0).range(), 0..0);
    }

    #[test]
    fn links_and_window() {
        let p = Pager::new(6, 10, 200);
        let v = p.value(|n| index_url("artist/", n));
        let m = v.as_map().unwrap();
        let get = |k: &str| m.get(&tera::value::Key::Str(k)).unwrap().clone();
        assert_eq!(get("prev_url").as_str(), Some("artist/page/5/"));
        assert_eq!(get("next_url").as_str(), Some("artist/page/7/"));
        let numbers: Vec<i128> = (get("pages").as_array().unwrap().iter())
            .map(|x| x.get_from_path("number").unwrap().as_i128().unwrap())
            .collect();
        assert_eq!(numbers, [1, 4, 5, 6, 7, 8, 20]);
        let first = Pager::new(1, 10, 200).value(|n| index_url("artist/", n));
        assert!(first.get_from_path("prev_url").unwrap().is_none());
        assert_eq!(index_url("artist/", 1), "artist/");
        assert_eq!(
            section_url("artist/rose/", "mentions", 2),
            "artist/rose/mentions/2/"
        );
        assert_eq!(root_of("artist/page/2/"), "../../../");
        assert_eq!(root_of(""), "");
    }
}
