//! The indexes: of one kind (`artist/`...), of partnerships (`partnership/`) and of articles
//! (`article/`), each cut into pages of `paginate.index` items (see `pager`).
use super::pager::{Pager, index_url, root_of};
use super::value::{list, obj, strs};
use super::{Site, Value, article_ref, kind_title};
use crate::extract::{Kind, PartnershipKind};

/// The orders the indexes list things in, found once per build.
#[derive(Debug, Default)]
pub struct Orders {
    /// Per kind (in `Kind::ALL` order): its entities by first letter (`#` first), then in
    /// wiki order, each with its letter.
    pub kinds: Vec<Vec<(usize, String)>>,
    /// Partnerships by kind (in `PartnershipKind::ALL` order), then in wiki order.
    pub partnerships: Vec<usize>,
    /// Articles, latest first (then in wiki order).
    pub articles: Vec<usize>,
}

impl Orders {
    pub fn new(site: &Site) -> Orders {
        let w = site.wiki;
        let kinds = Kind::ALL
            .iter()
            .map(|&k| {
                let mut v: Vec<(usize, String)> = (w.entities.iter().enumerate())
                    .filter(|(_, e)| e.kind == k)
                    .map(|(i, e)| (i, letter_of(&e.name)))
                    .collect();
                v.sort_by(|a, b| (a.1 != "#", &a.1).cmp(&(b.1 != "#", &b.1)));
                v
            })
            .collect();
        let mut partnerships: Vec<usize> = (0..w.partnerships.len()).collect();
        partnerships.sort_by_key(|&p| {
            PartnershipKind::ALL
                .iter()
                .position(|&k| k == w.partnerships[p].kind)
        });
        let mut articles: Vec<usize> = (0..w.articles.len()).collect();
        articles.sort_by(|&a, &b| w.articles[b].date.cmp(&w.articles[a].date).then(a.cmp(&b)));
        Orders {
            kinds,
            partnerships,
            articles,
        }
    }
}

/// The index letter of a name: its first letter or digit folded to ASCII, upper case; `#`
/// for a digit or none.
fn letter_of(name: &str) -> String {
    let first = deunicode::deunicode(name)
        .chars()
        .find(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .unwrap_or('#');
    if first.is_ascii_digit() {
        "#".to_string()
    } else {
        first.to_string()
    }
}

fn letter_anchor(l: &str) -> Value {
    if l == "#" {
        "num".into()
    } else {
        l.to_lowercase().into()
    }
}

/// How many pages each index has: per kind, then partnerships, then articles.
pub fn page_counts(site: &Site) -> ([usize; 4], usize, usize) {
    let o = site.orders();
    let size = site.config.paginate.index;
    let kinds = std::array::from_fn(|i| Pager::count_for(o.kinds[i].len(), size));
    (
        kinds,
        Pager::count_for(o.partnerships.len(), size),
        Pager::count_for(o.articles.len(), size),
    )
}

/// The context every page of an index starts from: page `n`'s URL, title and pager.
pub(super) fn index_base(site: &Site, base: &str, title: &str, pager: &Pager) -> tera::Context {
    let url = index_url(base, pager.number);
    let title = if pager.number > 1 {
        format!("{title} (page {} of {})", pager.number, pager.count())
    } else {
        title.to_string()
    };
    let mut ctx = site.base(&root_of(&url), &url, &title);
    ctx.insert_value("pager", pager.value(|n| index_url(base, n)));
    ctx
}

/// Page `n` of the index of kind `k`.
pub fn kind_index(site: &Site, k: Kind, n: usize) -> tera::Context {
    let w = site.wiki;
    let ki = Kind::ALL.iter().position(|&x| x == k).unwrap_or(0);
    let order = &site.orders().kinds[ki];
    let base = format!("{}/", k.as_str());
    let pager = Pager::new(n, site.config.paginate.index, order.len());
    let mut ctx = index_base(site, &base, kind_title(k), &pager);
    let mut letters: Vec<(&str, Vec<Value>)> = Vec::new();
    for (i, letter) in &order[pager.range()] {
        let e = &w.entities[*i];
        let entry = obj([
            ("name", e.name.as_str().into()),
            ("url", e.url().into()),
            ("mentions", e.mentions.len().into()),
            ("partnerships", e.partnerships.len().into()),
            (
                "aliases",
                strs(&super::aliases::for_readers(&e.name, &e.aliases)),
            ),
            ("id", (*i).into()),
        ]);
        match letters.last_mut() {
            Some((l, v)) if *l == letter.as_str() => v.push(entry),
            _ => letters.push((letter, vec![entry])),
        }
    }
    ctx.insert_value(
        "kind",
        obj([("kind", k.as_str().into()), ("title", kind_title(k).into())]),
    );
    ctx.insert_value("count", order.len().into());
    // each letter links to the page where its entities start
    let size = pager.size;
    let first_page = |l: &str| {
        let at = order.iter().position(|(_, x)| x == l)?;
        Some(at / size + 1)
    };
    ctx.insert_value(
        "alphabet",
        list(
            std::iter::once("#".to_string())
                .chain(('A'..='Z').map(|c| c.to_string()))
                .map(|l| {
                    let page = first_page(&l);
                    let anchor = letter_anchor(&l);
                    let url = page.map_or_else(Value::none, |p| {
                        format!(
                            "{}#letter-{}",
                            index_url(&base, p),
                            anchor.as_str().unwrap_or("")
                        )
                        .into()
                    });
                    obj([
                        ("anchor", anchor),
                        ("present", page.is_some().into()),
                        ("url", url),
                        ("letter", l.into()),
                    ])
                }),
        ),
    );
    ctx.insert_value(
        "letters",
        list(letters.into_iter().map(|(l, v)| {
            obj([
                ("anchor", letter_anchor(l)),
                ("letter", l.into()),
                ("entries", Value::from(v)),
            ])
        })),
    );
    ctx
}

/// Page `n` of the partnership index, grouped by kind.
pub fn partnerships(site: &Site, n: usize) -> tera::Context {
    let w = site.wiki;
    let order = &site.orders().partnerships;
    let pager = Pager::new(n, site.config.paginate.index, order.len());
    let mut ctx = index_base(site, "partnership/", "Partnerships", &pager);
    let mut totals = [0usize; PartnershipKind::ALL.len()];
    for p in &w.partnerships {
        if let Some(i) = PartnershipKind::ALL.iter().position(|&k| k == p.kind) {
            totals[i] += 1;
        }
    }
    let mut groups: Vec<(PartnershipKind, Vec<Value>)> = Vec::new();
    for &p in &order[pager.range()] {
        let part = &w.partnerships[p];
        let item = site.partnership_ref(part, None, super::Cite::None, []);
        match groups.last_mut() {
            Some((k, v)) if *k == part.kind => v.push(item),
            _ => groups.push((part.kind, vec![item])),
        }
    }
    let groups = list(groups.into_iter().map(|(k, items)| {
        let total = PartnershipKind::ALL
            .iter()
            .position(|&x| x == k)
            .map_or(0, |i| totals[i]);
        obj([
            ("kind", k.as_str().into()),
            ("label", k.label().into()),
            ("count", total.into()),
            ("items", Value::from(items)),
        ])
    }));
    ctx.insert_value("groups", groups);
    ctx.insert_value("count", w.partnerships.len().into());
    ctx
}

/// Page `n` of the article index, latest first.
pub fn articles(site: &Site, n: usize) -> tera::Context {
    let order = &site.orders().articles;
    let pager = Pager::new(n, site.config.paginate.index, order.len());
    let mut ctx = index_base(site, "article/", "Articles", &pager);
    ctx.insert_value(
        "articles",
        list(order[pager.range()].iter().map(|&a| article_ref(site, a))),
    );
    ctx.insert_value("count", order.len().into());
    ctx
}
