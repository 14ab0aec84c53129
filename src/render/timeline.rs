//! The timeline: articles and partnerships by date (a partnership takes the date of the
//! earliest article that states it). `timeline/` sums up the years (and lists every item when
//! there are few), `timeline/YYYY/` lists a year month by month, `timeline/undated/` lists
//! what has no date.
use super::pager::{Pager, index_url};
use super::value::{list, obj, opt};
use super::web::day;
use super::{Page, Site};
use crate::error::Result;
use crate::extract::PartnershipKind;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use tera::Value;

/// Items listed on the timeline index itself when the whole timeline is this small.
pub const INLINE_MAX: usize = 1000;

/// An article or a partnership on the timeline; made a template value only for the page that
/// lists it.
struct Item<'a> {
    date: Option<&'a str>,
    what: What<'a>,
    title: std::borrow::Cow<'a, str>,
    url: Value,
}

enum What<'a> {
    Article { publisher: Option<&'a str> },
    Partnership(PartnershipKind),
}

impl Item<'_> {
    fn kind(&self) -> &'static str {
        match self.what {
            What::Article { .. } => "article",
            What::Partnership(_) => "partnership",
        }
    }

    fn value(&self) -> Value {
        let (ty, title, url, date) = (
            ("type", self.kind().into()),
            ("title", self.title.as_ref().into()),
            ("url", self.url.clone()),
            ("date", opt(self.date)),
        );
        match self.what {
            What::Article { publisher } => {
                obj([ty, title, url, date, ("publisher", opt(publisher))])
            }
            What::Partnership(k) => obj([
                ty,
                title,
                url,
                date,
                ("kind", k.as_str().into()),
                ("kind_label", k.label().into()),
            ]),
        }
    }
}

/// The date of a partnership: the earliest day of the articles that state it.
fn partnership_day<'a>(site: &Site<'a>, p: &crate::link::Partnership) -> Option<&'a str> {
    let w = site.wiki;
    p.evidence
        .iter()
        .filter_map(|ev| day(w.articles[ev.article].date.as_deref()))
        .min()
}

fn items<'a>(site: &Site<'a>) -> Vec<Item<'a>> {
    let w = site.wiki;
    let mut out = Vec::with_capacity(w.articles.len() + w.partnerships.len());
    for (a, art) in w.articles.iter().enumerate() {
        out.push(Item {
            date: day(art.date.as_deref()),
            what: What::Article {
                publisher: art.publisher.as_deref(),
            },
            title: art.title.as_str().into(),
            url: site.article_values[a][1].clone(),
        });
    }
    for p in &w.partnerships {
        let title = p
            .participants
            .iter()
            .map(|&e| w.entities[e].name.as_str())
            .collect::<Vec<_>>()
            .join(" × ");
        out.push(Item {
            date: partnership_day(site, p),
            what: What::Partnership(p.kind),
            title: title.into(),
            url: super::partnership_href(w, p, &site.config.publish).into(),
        });
    }
    out
}

fn month_label(ym: &str) -> String {
    let m: usize = ym.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(0);
    match super::dates::month_name(m) {
        Some(name) => format!("{name} {}", &ym[..4]),
        None => ym.to_string(),
    }
}

/// year -> month -> items, newest first; and the undated items.
type Grouped<'a> = (
    BTreeMap<&'a str, BTreeMap<&'a str, Vec<Item<'a>>>>,
    Vec<Item<'a>>,
);

fn grouped<'a>(site: &Site<'a>) -> Grouped<'a> {
    let mut all = items(site);
    // newest first; articles before partnerships on a day; then by title
    all.sort_by(|a, b| {
        b.date
            .cmp(&a.date)
            .then_with(|| a.kind().cmp(b.kind()))
            .then_with(|| a.title.cmp(&b.title))
            .then_with(|| a.url.as_str().cmp(&b.url.as_str()))
    });
    let mut years: BTreeMap<&str, BTreeMap<&str, Vec<Item>>> = BTreeMap::new();
    let mut undated = Vec::new();
    for it in all {
        match it.date {
            Some(d) => years
                .entry(&d[..4])
                .or_default()
                .entry(&d[..7])
                .or_default()
                .push(it),
            None => undated.push(it),
        }
    }
    (years, undated)
}

/// The years that have a page, newest first.
pub fn years(site: &Site) -> Vec<String> {
    let w = site.wiki;
    let mut years: BTreeSet<&str> = w
        .articles
        .iter()
        .filter_map(|a| day(a.date.as_deref()))
        .map(|d| &d[..4])
        .collect();
    years.extend(
        w.partnerships
            .iter()
            .filter_map(|p| partnership_day(site, p))
            .map(|d| &d[..4]),
    );
    years.into_iter().rev().map(str::to_string).collect()
}

/// The months of a page: the items of `page` (a range over the year's items, newest month
/// first), grouped by month; each month's `count` is its total over the year.
fn months_value(months: &BTreeMap<&str, Vec<Item>>, page: Range<usize>) -> Value {
    let mut out = Vec::new();
    let mut at = 0;
    for (ym, items) in months.iter().rev() {
        let (from, to) = (at, at + items.len());
        at = to;
        let (lo, hi) = (page.start.max(from), page.end.min(to));
        if lo >= hi {
            continue;
        }
        out.push(obj([
            ("month", (*ym).into()),
            ("label", month_label(ym).into()),
            ("anchor", format!("m-{ym}").into()),
            ("count", items.len().into()),
            (
                "items",
                list(items[lo - from..hi - from].iter().map(Item::value)),
            ),
        ]));
    }
    Value::from(out)
}

/// The page-level parts of a timeline page: its context at `url` (page `n` of a list of
/// `total` items starting at `base`), with the years summary and the pager.
fn page_context(
    site: &Site,
    base: &str,
    title: &str,
    pager: &Pager,
    summary: &Value,
) -> (String, tera::Context) {
    let mut ctx = super::lists::index_base(site, base, title, pager);
    ctx.insert_value("years", summary.clone());
    (format!("{}index.html", index_url(base, pager.number)), ctx)
}

/// Every timeline page.
pub fn pages(site: &Site, theme: &super::Theme) -> Result<Vec<Page>> {
    let (years, undated) = grouped(site);
    let total: usize = years
        .values()
        .flat_map(|m| m.values())
        .map(Vec::len)
        .sum::<usize>()
        + undated.len();
    let summary = list(years.iter().rev().map(|(y, months)| {
        obj([
            ("year", (*y).into()),
            ("url", format!("timeline/{y}/").into()),
            ("count", months.values().map(Vec::len).sum::<usize>().into()),
            (
                "months",
                list(months.iter().rev().map(|(ym, it)| {
                    obj([
                        ("month", (*ym).into()),
                        ("label", month_label(ym).into()),
                        ("anchor", format!("m-{ym}").into()),
                        ("count", it.len().into()),
                    ])
                })),
            ),
        ])
    }));
    let undated_value = |items: Value| {
        obj([
            ("count", undated.len().into()),
            ("url", "timeline/undated/".into()),
            ("items", items),
        ])
    };
    let size = site.config.paginate.index;
    let mut out = Vec::new();
    let mut render = |path: String, ctx: tera::Context| -> Result<()> {
        out.push(Page {
            path,
            content: theme.render("timeline.html", &ctx)?.into_bytes(),
        });
        Ok(())
    };
    // the index: every item when there are few
    let inline = total <= INLINE_MAX;
    let (path, mut ctx) = page_context(
        site,
        "timeline/",
        "Timeline",
        &Pager::new(1, size, 0),
        &summary,
    );
    let all_months = if inline {
        let all: Vec<Value> = years
            .values()
            .rev()
            .flat_map(|m| {
                let n = m.values().map(Vec::len).sum();
                months_value(m, 0..n).as_array().unwrap_or(&[]).to_vec()
            })
            .collect();
        Value::from(all)
    } else {
        list([])
    };
    ctx.insert_value("months", all_months);
    ctx.insert_value(
        "undated",
        undated_value(if inline {
            list(undated.iter().map(Item::value))
        } else {
            list([])
        }),
    );
    ctx.insert_value("year", Value::none());
    render(path, ctx)?;
    // the pages of each year
    for (y, months) in &years {
        let n = months.values().map(Vec::len).sum();
        let base = format!("timeline/{y}/");
        for k in 1..=Pager::count_for(n, size) {
            let pager = Pager::new(k, size, n);
            let title = format!("Timeline: {y}");
            let (path, mut ctx) = page_context(site, &base, &title, &pager, &summary);
            ctx.insert_value("months", months_value(months, pager.range()));
            ctx.insert_value("undated", undated_value(list([])));
            ctx.insert_value("year", (*y).into());
            render(path, ctx)?;
        }
    }
    // the undated
    for k in 1..=Pager::count_for(undated.len(), size) {
        let pager = Pager::new(k, size, undated.len());
        let (path, mut ctx) = page_context(
            site,
            "timeline/undated/",
            "Timeline: undated",
            &pager,
            &summary,
        );
        ctx.insert_value("months", list([]));
        ctx.insert_value(
            "undated",
            undated_value(list(undated[pager.range()].iter().map(Item::value))),
        );
        ctx.insert_value("year", "undated".into());
        render(path, ctx)?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_labels() {
        assert_eq!(month_label("2024-07"), "July 2024");
        assert_eq!(month_label("2024-13"), "2024-13");
    }
}
