//! Feeds: the article links of an RSS 2.0, Atom or JSON Feed document (feed-rs reads all
//! three), newest first as feeds list them, filtered by date and count.
use super::CollectError;
use super::fetch::Fetched;
use chrono::{DateTime, NaiveDate, Utc};

/// `--since` as a time: `YYYY-MM-DD` (midnight UTC) or an RFC 3339 date-time.
pub fn parse_since(s: &str) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s.trim()) {
        return Some(t.with_timezone(&Utc));
    }
    let d = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()?;
    Some(d.and_hms_opt(0, 0, 0)?.and_utc())
}

/// The links of the feed's items published since `since` (items without a date are kept), at
/// most `limit` of them.
pub fn links(
    feed: &Fetched,
    since: Option<&str>,
    limit: Option<usize>,
) -> Result<Vec<String>, CollectError> {
    let since = since.and_then(parse_since);
    let parsed =
        feed_rs::parser::parse(feed.bytes.as_slice()).map_err(|e| CollectError::NotFeed {
            url: feed.url.clone(),
            message: e.to_string(),
        })?;
    let base = Some(feed.url.as_str());
    let links = parsed
        .entries
        .iter()
        .filter(|e| {
            let when = e.published.or(e.updated);
            since.is_none_or(|s| when.is_none_or(|w| w >= s))
        })
        .filter_map(|e| {
            // the item's page: its alternate link, else its first
            let link = e
                .links
                .iter()
                .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
                .or(e.links.first())?;
            crate::ingest::html::meta::absolute(&link.href, base)
        })
        .take(limit.unwrap_or(usize::MAX))
        .collect();
    Ok(links)
}
