//! Errors a user can act on: what went wrong, and where (file, line, column).
use std::borrow::Cow;
use std::path::{Path, PathBuf};
use thiserror::Error;

#[derive(Debug, Error)]
pub enum Error {
    #[error("{}: {source}", shown(.path))]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}:{line}:{column}: invalid YAML: {message}", shown(.path))]
    Yaml {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{}: {message}", shown(.path))]
    Input { path: PathBuf, message: String },
    #[error("template error in {}:\n{message}", escaped(.template))]
    Template { template: String, message: String },
    /// The build was interrupted (Ctrl-C); the message says what state the site is in.
    #[error("interrupted: {0}")]
    Interrupted(String),
    #[error("{0}")]
    Other(String),
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    pub fn input(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Error::Input {
            path: path.into(),
            message: message.into(),
        }
    }

    pub fn yaml(path: impl Into<PathBuf>, e: crate::yaml::YamlError) -> Self {
        Error::Yaml {
            path: path.into(),
            line: e.line.unwrap_or(1),
            column: e.column.unwrap_or(1),
            message: e.message,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// `text` (a file name, an id made from one) as printed in a message: control characters,
/// which a terminal would obey (escape codes, a carriage return that overwrites the line),
/// and the invisible marks that reorder text are escaped (`\u{1b}`); the rest is as it is.
pub fn escaped(text: &str) -> Cow<'_, str> {
    let hidden = |c: char| {
        c.is_control()
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !text.chars().any(hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if hidden(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A path as printed in a message: see `escaped` (bytes that are not UTF-8 show as U+FFFD).
pub fn shown(path: &Path) -> Shown<'_> {
    Shown(path)
}

pub struct Shown<'a>(&'a Path);

impl std::fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&escaped(&self.0.to_string_lossy()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_in_names_are_escaped() {
        assert_eq!(escaped("plain é/한국.txt"), "plain é/한국.txt");
        assert_eq!(
            escaped("a\u{1b}[31mred\rb\nc\u{202e}txt.exe"),
            "a\\u{1b}[31mred\\rb\\nc\\u{202e}txt.exe"
        );
        let e = Error::input("seeds/\u{1b}]0;x\u{7}.txt", "bad");
        assert_eq!(e.to_string(), "seeds/\\u{1b}]0;x\\u{7}.txt: bad");
    }
}
