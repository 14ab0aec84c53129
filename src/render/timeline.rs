//! The timeline: articles and partnerships by date (a partnership takes the date of the
//! earliest article that states it). `timeline/` sums up the years (and lists every item when
//! there are few), `timeline/YYYY/` lists a year month by month, `timeline/undated/` lists
//! what has no date.
use super::value::{list, obj, opt};
use super::web::day;
use super::{Page, Site};
use crate::error::Result;
use crate::extract::PartnershipKind;
use std::collections::{BTreeMap, BTreeSet};
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
            url: p.url().into(),
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

fn months_value(months: &BTreeMap<&str, Vec<Item>>) -> impl Iterator<Item = Value> {
    months.iter().rev().map(|(ym, items)| {
        obj([
            ("month", (*ym).into()),
            ("label", month_label(ym).into()),
            ("anchor", format!("m-{ym}").into()),
            ("count", items.len().into()),
            ("items", list(items.iter().map(Item::value))),
        ])
    })
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
    let mut out = Vec::new();
    // the index
    let mut ctx = site.base("../", "timeline/", "Timeline");
    ctx.insert_value("years", summary.clone());
    let inline = total <= INLINE_MAX;
    let all_months = if inline {
        list(years.values().rev().flat_map(months_value))
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
    out.push(Page {
        path: "timeline/index.html".into(),
        content: theme.render("timeline.html", &ctx)?.into_bytes(),
    });
    // a page per year
    for (y, months) in &years {
        let mut ctx = site.base(
            "../../",
            &format!("timeline/{y}/"),
            &format!("Timeline: {y}"),
        );
        ctx.insert_value("years", summary.clone());
        ctx.insert_value("months", list(months_value(months)));
        ctx.insert_value("undated", undated_value(list([])));
        ctx.insert_value("year", (*y).into());
        out.push(Page {
            path: format!("timeline/{y}/index.html"),
            content: theme.render("timeline.html", &ctx)?.into_bytes(),
        });
    }
    // the undated
    let mut ctx = site.base("../../", "timeline/undated/", "Timeline: undated");
    ctx.insert_value("years", summary);
    ctx.insert_value("months", list([]));
    ctx.insert_value(
        "undated",
        undated_value(list(undated.iter().map(Item::value))),
    );
    ctx.insert_value("year", "undated".into());
    out.push(Page {
        path: "timeline/undated/index.html".into(),
        content: theme.render("timeline.html", &ctx)?.into_bytes(),
    });
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
