//! YAML front matter of Markdown articles: `---` fenced, typed keys, unknown keys warned.
use crate::yaml::{self, Value};

/// The front matter keys kwiki reads.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub date: Option<String>,
    pub source: Option<String>,
    pub publisher: Option<String>,
    pub lang: Option<String>,
    pub draft: bool,
    /// Who wrote it (kept in the file for the reader; the site does not show it yet).
    pub author: Option<String>,
    /// When `kwiki add` fetched the page.
    pub fetched: Option<String>,
}

pub const KEYS: &[&str] = &[
    "title",
    "date",
    "source",
    "publisher",
    "lang",
    "draft",
    "author",
    "fetched",
];

/// A front matter problem, with its 1-based line (and column) in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct FrontMatterError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Split `text` into front matter and body. Returns the parsed front matter, the body, the
/// line number where the body starts, and warnings (unknown keys) with their file lines.
#[allow(clippy::type_complexity)]
pub fn split(
    text: &str,
) -> Result<(FrontMatter, &str, usize, Vec<(usize, String)>), FrontMatterError> {
    let Some(rest) = text
        .strip_prefix("---")
        .filter(|r| r.starts_with('\n') || r.starts_with("\r\n"))
    else {
        return Ok((FrontMatter::default(), text, 1, Vec::new()));
    };
    let rest = rest
        .trim_start_matches('\r')
        .strip_prefix('\n')
        .unwrap_or(rest);
    // the closing fence is a line of exactly `---` (or `...`)
    let mut offset = 0;
    let mut close = None;
    for line in rest.split_inclusive('\n') {
        let t = line.trim_end_matches(['\n', '\r']);
        if t == "---" || t == "..." {
            close = Some((offset, offset + line.len()));
            break;
        }
        offset += line.len();
    }
    let Some((yaml_end, body_start)) = close else {
        return Err(FrontMatterError {
            line: 1,
            column: 1,
            message: "front matter opened with `---` is never closed".into(),
        });
    };
    let yaml_text = &rest[..yaml_end];
    let body = &rest[body_start..];
    let body_line = 2 + yaml_text.lines().count() + 1;
    if yaml_text.trim().is_empty() {
        return Ok((FrontMatter::default(), body, body_line, Vec::new()));
    }
    // line offset 1: the YAML starts on the file's second line
    let value: Value = yaml::from_str(yaml_text, 1).map_err(|e| FrontMatterError {
        line: e.line.unwrap_or(1),
        column: e.column.unwrap_or(1),
        message: e.message,
    })?;
    let Value::Mapping(map) = value else {
        return Err(FrontMatterError {
            line: 2,
            column: 1,
            message: "front matter must be a mapping of keys to values".into(),
        });
    };
    let mut fm = FrontMatter::default();
    let mut warnings = Vec::new();
    for (k, v) in &map {
        let Some(key) = k.as_str() else {
            warnings.push((
                2,
                "ignored a front matter key that is not a string".to_string(),
            ));
            continue;
        };
        let (line, column) = key_position(yaml_text, key);
        let wrong_type = |want: &str| FrontMatterError {
            line,
            column,
            message: format!("front matter key `{key}` must be {want}"),
        };
        match key {
            "date" => {
                let s = scalar_string(v).ok_or_else(|| wrong_type("a string"))?;
                // a date that does not exist is left out: the article is undated
                match super::date::check(&s) {
                    Ok(()) => fm.date = Some(s),
                    Err(why) => warnings.push((line, format!("date ignored: {why}"))),
                }
            }
            "title" | "source" | "publisher" | "lang" | "author" | "fetched" => {
                let s = scalar_string(v).ok_or_else(|| wrong_type("a string"))?;
                let slot = match key {
                    "title" => &mut fm.title,
                    "source" => &mut fm.source,
                    "publisher" => &mut fm.publisher,
                    "author" => &mut fm.author,
                    "fetched" => &mut fm.fetched,
                    _ => &mut fm.lang,
                };
                *slot = Some(s);
            }
            "draft" => fm.draft = v.as_bool().ok_or_else(|| wrong_type("true or false"))?,
            other => warnings.push((
                line,
                format!(
                    "unknown front matter key `{other}` ignored (known keys: {})",
                    KEYS.join(", ")
                ),
            )),
        }
    }
    Ok((fm, body, body_line, warnings))
}

fn scalar_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The file line of a top-level key and the column of its value (1-based), for messages.
fn key_position(yaml_text: &str, key: &str) -> (usize, usize) {
    yaml_text
        .lines()
        .enumerate()
        .find_map(|(i, l)| {
            let rest = l.strip_prefix(key)?.trim_start().strip_prefix(':')?;
            let value_at = l.len() - rest.trim_start().len();
            Some((i + 2, l[..value_at].chars().count() + 1))
        })
        .unwrap_or((2, 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_known_keys() {
        let (fm, body, line, w) =
            split("---\ntitle: Hello\ndate: 2024-07-18\ndraft: false\n---\nBody text\n").unwrap();
        assert_eq!(fm.title.as_deref(), Some("Hello"));
        assert_eq!(fm.date.as_deref(), Some("2024-07-18"));
        assert_eq!(body, "Body text\n");
        assert_eq!(line, 6);
        assert!(w.is_empty());
    }

    #[test]
    fn no_front_matter_is_all_body() {
        let (fm, body, _, _) = split("Just text").unwrap();
        assert_eq!(fm, FrontMatter::default());
        assert_eq!(body, "Just text");
    }

    #[test]
    fn wrong_type_names_the_line() {
        let e = split("---\ntitle: ok\ndraft: maybe\n---\n").unwrap_err();
        assert_eq!((e.line, e.column), (3, 8));
        assert!(e.message.contains("draft"), "{}", e.message);
    }

    #[test]
    fn bad_yaml_names_line_and_column() {
        let e = split("---\ntitle: [unclosed\n---\n").unwrap_err();
        assert!(e.line >= 2, "{e:?}");
    }

    #[test]
    fn unknown_key_is_a_warning() {
        let (_, _, _, w) = split("---\ntitle: x\nauthr: me\n---\n").unwrap();
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].0, 3);
        assert!(w[0].1.contains("authr"));
    }

    #[test]
    fn unclosed_fence_is_an_error() {
        assert!(split("---\ntitle: x\n").is_err());
    }
}
