//! The timeline: articles and partnerships by date (a partnership takes the date of the
//! earliest article that states it). `timeline/` sums up the years (and lists every item when
//! there are few), `timeline/YYYY/` lists a year month by month, `timeline/undated/` lists
//! what has no date.
use super::web::day;
use super::{Page, Site};
use crate::error::Result;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// Items listed on the timeline index itself when the whole timeline is this small.
pub const INLINE_MAX: usize = 1000;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

struct Item {
    date: Option<String>,
    value: Value,
}

fn items(site: &Site) -> Vec<Item> {
    let w = site.wiki;
    let mut out = Vec::with_capacity(w.articles.len() + w.partnerships.len());
    for (a, art) in w.articles.iter().enumerate() {
        let date = day(art.date.as_deref()).map(str::to_string);
        out.push(Item {
            value: json!({"type": "article", "title": art.title, "url": site.article_url(a), "date": date, "publisher": art.publisher}),
            date,
        });
    }
    for p in &w.partnerships {
        let date = p
            .evidence
            .iter()
            .filter_map(|ev| day(w.articles[ev.article].date.as_deref()))
            .min()
            .map(str::to_string);
        let title = p
            .participants
            .iter()
            .map(|&e| w.entities[e].name.as_str())
            .collect::<Vec<_>>()
            .join(" × ");
        out.push(Item {
            value: json!({"type": "partnership", "title": title, "url": p.url(), "date": date, "kind": p.kind.as_str(), "kind_label": p.kind.label()}),
            date,
        });
    }
    out
}

fn month_label(ym: &str) -> String {
    let m: usize = ym.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(0);
    match MONTHS.get(m.wrapping_sub(1)) {
        Some(name) => format!("{name} {}", &ym[..4]),
        None => ym.to_string(),
    }
}

/// year -> month -> items, newest first; and the undated items.
type Grouped = (BTreeMap<String, BTreeMap<String, Vec<Value>>>, Vec<Value>);

fn grouped(site: &Site) -> Grouped {
    let mut all = items(site);
    // newest first; articles before partnerships on a day; then by title
    all.sort_by(|a, b| {
        b.date
            .cmp(&a.date)
            .then_with(|| a.value["type"].as_str().cmp(&b.value["type"].as_str()))
            .then_with(|| a.value["title"].as_str().cmp(&b.value["title"].as_str()))
            .then_with(|| a.value["url"].as_str().cmp(&b.value["url"].as_str()))
    });
    let mut years: BTreeMap<String, BTreeMap<String, Vec<Value>>> = BTreeMap::new();
    let mut undated = Vec::new();
    for it in all {
        match &it.date {
            Some(d) => years
                .entry(d[..4].to_string())
                .or_default()
                .entry(d[..7].to_string())
                .or_default()
                .push(it.value),
            None => undated.push(it.value),
        }
    }
    (years, undated)
}

/// The years that have a page, newest first.
pub fn years(site: &Site) -> Vec<String> {
    grouped(site).0.into_keys().rev().collect()
}

fn months_value(months: &BTreeMap<String, Vec<Value>>) -> Vec<Value> {
    months
        .iter()
        .rev()
        .map(|(ym, items)| json!({"month": ym, "label": month_label(ym), "anchor": format!("m-{ym}"), "count": items.len(), "items": items}))
        .collect()
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
    let summary: Vec<Value> = years
        .iter()
        .rev()
        .map(|(y, months)| {
            json!({
                "year": y,
                "url": format!("timeline/{y}/"),
                "count": months.values().map(Vec::len).sum::<usize>(),
                "months": months.iter().rev().map(|(ym, it)| json!({"month": ym, "label": month_label(ym), "anchor": format!("m-{ym}"), "count": it.len()})).collect::<Vec<_>>(),
            })
        })
        .collect();
    let mut out = Vec::new();
    // the index
    let mut ctx = site.base("../", "timeline/", "Timeline");
    ctx.insert("years", &summary);
    let inline = total <= INLINE_MAX;
    let all_months: Vec<Value> = if inline {
        years.values().rev().flat_map(months_value).collect()
    } else {
        Vec::new()
    };
    ctx.insert("months", &all_months);
    ctx.insert(
        "undated",
        &json!({"count": undated.len(), "url": "timeline/undated/", "items": if inline { undated.clone() } else { Vec::new() }}),
    );
    ctx.insert("year", &Value::Null);
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
        ctx.insert("years", &summary);
        ctx.insert("months", &months_value(months));
        ctx.insert(
            "undated",
            &json!({"count": undated.len(), "url": "timeline/undated/", "items": []}),
        );
        ctx.insert("year", y);
        out.push(Page {
            path: format!("timeline/{y}/index.html"),
            content: theme.render("timeline.html", &ctx)?.into_bytes(),
        });
    }
    // the undated
    let mut ctx = site.base("../../", "timeline/undated/", "Timeline: undated");
    ctx.insert("years", &summary);
    ctx.insert("months", &Vec::<Value>::new());
    ctx.insert(
        "undated",
        &json!({"count": undated.len(), "url": "timeline/undated/", "items": undated}),
    );
    ctx.insert("year", "undated");
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
