//! Cleaning scraped text: boilerplate lines out, metadata lines read, spam fragments cut.
//! Pure functions; the patterns come from `data/boilerplate.yaml`.
use regex::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};
use serde::Deserialize;

/// The built-in boilerplate patterns.
pub const DEFAULT_BOILERPLATE: &str = include_str!("../../data/boilerplate.yaml");

#[derive(Debug, Deserialize)]
struct BoilerplateFile {
    drop_lines: Vec<String>,
    source_line: String,
    date_line: String,
    publisher_line: String,
    header_prefix: String,
    foreign_scripts: Vec<String>,
}

/// Compiled boilerplate patterns.
#[derive(Debug, Clone)]
pub struct Boilerplate {
    drop_lines: Vec<Regex>,
    source_line: Regex,
    date_line: Regex,
    publisher_line: Regex,
    header_prefix: Regex,
    foreign_scripts: Vec<Script>,
    /// `source_line`, `date_line`, `publisher_line`, then `drop_lines`, as one set: most
    /// lines match none, which one pass over the line tells.
    any_line: RegexSet,
}

impl Boilerplate {
    pub fn from_yaml(text: &str) -> Result<Boilerplate, String> {
        let f: BoilerplateFile = crate::yaml::from_str(text, 0).map_err(|e| e.to_string())?;
        let re = |p: &str| {
            RegexBuilder::new(p)
                .case_insensitive(true)
                .build()
                .map_err(|e| format!("bad pattern {p:?}: {e}"))
        };
        let any_line = RegexSetBuilder::new(
            [&f.source_line, &f.date_line, &f.publisher_line]
                .into_iter()
                .chain(&f.drop_lines),
        )
        .case_insensitive(true)
        .build()
        .map_err(|e| format!("bad pattern: {e}"))?;
        Ok(Boilerplate {
            any_line,
            drop_lines: f
                .drop_lines
                .iter()
                .map(|p| re(p))
                .collect::<Result<_, _>>()?,
            source_line: re(&f.source_line)?,
            date_line: re(&f.date_line)?,
            publisher_line: re(&f.publisher_line)?,
            header_prefix: re(&f.header_prefix)?,
            foreign_scripts: f
                .foreign_scripts
                .iter()
                .map(|s| Script::from_name(s).ok_or_else(|| format!("unknown script {s:?}")))
                .collect::<Result<_, _>>()?,
        })
    }

    pub fn builtin() -> Boilerplate {
        Boilerplate::from_yaml(DEFAULT_BOILERPLATE).expect("built-in boilerplate.yaml is valid")
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Script {
    Thai,
    Arabic,
    Cyrillic,
    Devanagari,
    Hebrew,
}

impl Script {
    fn from_name(name: &str) -> Option<Script> {
        Some(match name {
            "Thai" => Script::Thai,
            "Arabic" => Script::Arabic,
            "Cyrillic" => Script::Cyrillic,
            "Devanagari" => Script::Devanagari,
            "Hebrew" => Script::Hebrew,
            _ => return None,
        })
    }

    fn contains(self, c: char) -> bool {
        let c = c as u32;
        match self {
            Script::Thai => (0x0E00..=0x0E7F).contains(&c),
            // with the presentation forms a page may use for its letters
            Script::Arabic => {
                (0x0600..=0x06FF).contains(&c)
                    || (0x0750..=0x077F).contains(&c)
                    || (0xFB50..=0xFDFF).contains(&c)
                    || (0xFE70..=0xFEFF).contains(&c)
            }
            Script::Cyrillic => (0x0400..=0x04FF).contains(&c),
            Script::Devanagari => (0x0900..=0x097F).contains(&c),
            Script::Hebrew => (0x0590..=0x05FF).contains(&c),
        }
    }
}

/// What cleaning found: the body lines and the metadata read off boilerplate lines.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Cleaned {
    pub lines: Vec<String>,
    pub source: Option<String>,
    pub date: Option<String>,
    pub publisher: Option<String>,
    /// Date lines whose date does not exist: (0-based line in the input, the line, why).
    pub bad_dates: Vec<(usize, String, String)>,
}

/// Clean a scraped article: normalize white space, read and drop source/date/copyright
/// lines, drop boilerplate, strip a blog header prefix, cut foreign-script spam.
pub fn clean(raw: &str, bp: &Boilerplate) -> Cleaned {
    clean_with(raw, bp, true)
}

/// Clean the text of a web page's article: as `clean`, but no line is dropped for looking like
/// boilerplate. The page reader has already kept the article by the page's structure, and a
/// line it kept (an agency's copyright notice, a "click here" line) is the article's own.
pub fn clean_page(raw: &str, bp: &Boilerplate) -> Cleaned {
    clean_with(raw, bp, false)
}

fn clean_with(raw: &str, bp: &Boilerplate, drop_boilerplate: bool) -> Cleaned {
    let mut out = Cleaned::default();
    let latin_text = mostly_latin(raw);
    for (i, line) in raw.lines().enumerate() {
        let mut line = normalize_spaces(line);
        if i == 0 || out.lines.is_empty() {
            line = bp.header_prefix.replace(&line, "").into_owned();
        }
        if line.is_empty() {
            continue;
        }
        if bp.any_line.is_match(&line) {
            if let Some(c) = bp.source_line.captures(&line) {
                out.source.get_or_insert_with(|| c["url"].to_string());
                continue;
            }
            if let Some(c) = bp.date_line.captures(&line) {
                let date = iso_date(&c);
                match super::date::check(&date) {
                    Ok(()) => {
                        out.date.get_or_insert(date);
                    }
                    Err(why) => out.bad_dates.push((i, line, why)),
                }
                continue;
            }
            if let Some(c) = bp.publisher_line.captures(&line) {
                out.publisher
                    .get_or_insert_with(|| c["publisher"].trim().to_string());
                continue;
            }
            if drop_boilerplate && bp.drop_lines.iter().any(|r| r.is_match(&line)) {
                continue;
            }
        }
        if latin_text {
            line = cut_scripts(line, &bp.foreign_scripts);
            if line.is_empty() {
                continue;
            }
        }
        out.lines.push(line);
    }
    out
}

fn iso_date(c: &regex::Captures) -> String {
    let num = |k: &str| c.name(k).and_then(|m| m.as_str().parse::<u32>().ok());
    let (y, m, d) = (
        num("y").unwrap_or(1970),
        num("m").unwrap_or(1),
        num("d").unwrap_or(1),
    );
    match (num("H"), num("M")) {
        (Some(h), Some(mi)) => {
            let tz = match c.name("tz").map(|t| t.as_str().to_ascii_uppercase()) {
                Some(t) if t == "KST" => "+09:00".to_string(),
                Some(t) if t == "JST" => "+09:00".to_string(),
                Some(t) if t == "UTC" || t == "GMT" => "Z".to_string(),
                Some(t) if t.len() == 5 => format!("{}:{}", &t[..3], &t[3..]),
                Some(t) => t,
                None => String::new(),
            };
            format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:00{tz}")
        }
        _ => format!("{y:04}-{m:02}-{d:02}"),
    }
}

/// Compose characters (NFC, so "Rose\u{301}" is "Rosé"), collapse runs of white space
/// (and odd spaces and control characters) into one space, and trim.
pub fn normalize_spaces(line: &str) -> String {
    use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};
    // fast paths (the same result): ASCII needs no composing, and most non-ASCII lines
    // are already NFC, which the quick check tells without normalizing
    if line.is_ascii() {
        // for ASCII, white space or control is exactly a byte <= 0x20 or DEL
        return join_words(line.split(|c: char| c <= ' ' || c == '\u{7f}'), line.len());
    }
    if is_nfc_quick(line.chars()) == IsNormalized::Yes {
        return join_words(line.split(is_space), line.len());
    }
    let composed: String = line.nfc().collect();
    join_words(composed.split(is_space), composed.len())
}

/// Control characters (escape codes, stray NULs) are not text: they count as space.
fn is_space(c: char) -> bool {
    c.is_whitespace() || c.is_control() || c == '\u{200b}' || c == '\u{feff}'
}

/// The non-empty pieces joined by one space.
fn join_words<'a>(pieces: impl Iterator<Item = &'a str>, cap: usize) -> String {
    let mut s = String::with_capacity(cap);
    for w in pieces.filter(|w| !w.is_empty()) {
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(w);
    }
    s
}

fn mostly_latin(text: &str) -> bool {
    let (mut latin, mut letters) = (0usize, 0usize);
    for c in text.chars() {
        if c.is_ascii() {
            let a = c.is_ascii_alphabetic() as usize;
            (letters, latin) = (letters + a, latin + a);
        } else if c.is_alphabetic() {
            letters += 1;
            latin += ('\u{00C0}'..='\u{024F}').contains(&c) as usize;
        }
    }
    letters > 0 && latin * 10 >= letters * 8
}

/// Remove runs of the given scripts (spam keywords pasted into English text). A line written
/// mostly in one of them is a quotation, not spam, and stays whole.
fn cut_scripts(line: String, scripts: &[Script]) -> String {
    // every script cut lies outside ASCII
    if line.is_ascii() || !line.chars().any(|c| scripts.iter().any(|s| s.contains(c))) {
        return line;
    }
    let foreign = line
        .chars()
        .filter(|&c| scripts.iter().any(|s| s.contains(c)))
        .count();
    let latin = line.chars().filter(char::is_ascii_alphabetic).count();
    if foreign >= latin {
        return line;
    }
    let kept: String = line
        .chars()
        .map(|c| {
            if scripts.iter().any(|s| s.contains(c)) {
                ' '
            } else {
                c
            }
        })
        .collect();
    normalize_spaces(&kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_drops_metadata_lines() {
        let raw = "Body line.\nSource: https://example.com/a.html\nComment (0)\n2024/07/18 07:31 KST\nCopyrights(C) Edaily wowkorea.jp 109\n";
        let c = clean(raw, &Boilerplate::builtin());
        assert_eq!(c.lines, vec!["Body line."]);
        assert_eq!(c.source.as_deref(), Some("https://example.com/a.html"));
        assert_eq!(c.date.as_deref(), Some("2024-07-18T07:31:00+09:00"));
        assert_eq!(c.publisher.as_deref(), Some("Edaily wowkorea.jp"));
    }

    #[test]
    fn drops_comment_form_boilerplate() {
        let raw = "Text.\nLeave a Reply\nYour email address will not be published. Required fields are marked *";
        assert_eq!(clean(raw, &Boilerplate::builtin()).lines, vec!["Text."]);
    }

    #[test]
    fn keeps_a_line_written_in_a_foreign_script() {
        // an Arabic quotation (presentation forms and vowel marks) inside an Indonesian article
        let quote = "\u{fe90}\u{650}\u{fe92}\u{652}\u{fea3}\u{64e} \u{fe83} \u{fee3}\u{64e}";
        let raw = format!("Rasulullah SAW bersabda:\n{quote}");
        assert_eq!(
            clean(&raw, &Boilerplate::builtin()).lines,
            vec!["Rasulullah SAW bersabda:".to_string(), quote.to_string()]
        );
    }

    #[test]
    fn cuts_thai_spam_inside_english() {
        let raw = "Korean dramas are renowned for their ซีรี่ย์พากย์ไทย emotionally charged scenes.";
        assert_eq!(
            clean(raw, &Boilerplate::builtin()).lines,
            vec!["Korean dramas are renowned for their emotionally charged scenes."]
        );
    }

    /// The definition the fast paths of `normalize_spaces` must agree with.
    fn normalize_reference(line: &str) -> String {
        use unicode_normalization::UnicodeNormalization;
        let mut s = String::new();
        let mut space = false;
        for c in line.nfc() {
            if is_space(c) {
                space = true;
            } else {
                if space && !s.is_empty() {
                    s.push(' ');
                }
                space = false;
                s.push(c);
            }
        }
        s
    }

    #[test]
    fn normalize_spaces_fast_paths_agree_with_the_definition() {
        for line in [
            "  plain   ASCII\ttext\r\n",
            "escape\u{1b}[0m and DEL\u{7f}here\u{0}",
            "Rose\u{301} sang",
            "Rosé\u{a0}and\u{2003}Lisa\u{200b}\u{feff} ",
            "\u{301}leading mark",
            " \u{301}mark after a space",
            "로제 and Hangul jamo \u{1100}\u{1161}",
            "",
            " \t ",
        ] {
            assert_eq!(
                normalize_spaces(line),
                normalize_reference(line),
                "{line:?}"
            );
        }
        assert_eq!(normalize_spaces("Rose\u{301}"), "Rosé");
    }

    #[test]
    fn keeps_hangul() {
        let raw = "Rosé (로제) released a song.";
        assert_eq!(clean(raw, &Boilerplate::builtin()).lines, vec![raw]);
    }

    #[test]
    fn strips_blog_header_prefix() {
        let raw = "Credits-Imvu Uncategorized The Influence of K-Pop\nBody.";
        assert_eq!(
            clean(raw, &Boilerplate::builtin()).lines[0],
            "The Influence of K-Pop"
        );
    }
}
