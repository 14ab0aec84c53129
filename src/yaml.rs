//! The one door to YAML. serde_yaml is frozen upstream; a maintained fork can replace it
//! by changing the `use` below and nothing else.
use serde::de::DeserializeOwned;
use serde_yaml as backend;

/// A YAML parse error with the position the parser reported (1-based line and column).
#[derive(Debug, Clone)]
pub struct YamlError {
    pub message: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl std::fmt::Display for YamlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, "line {l}, column {c}: {}", self.message),
            _ => write!(f, "{}", self.message),
        }
    }
}

/// Parse a YAML document into `T`. `line_offset` shifts reported lines (front matter starts
/// after the opening `---`).
pub fn from_str<T: DeserializeOwned>(text: &str, line_offset: usize) -> Result<T, YamlError> {
    backend::from_str(text).map_err(|e| {
        let loc = e.location();
        // serde_yaml appends " at line L column C" to its message; we report it separately.
        let message = e.to_string();
        let message = match message.find(" at line ") {
            Some(i) => message[..i].to_string(),
            None => message,
        };
        let at_fault = loc
            .as_ref()
            .and_then(|l| text.lines().nth(l.line().saturating_sub(1)));
        YamlError {
            message: scrub(&message, text, at_fault),
            line: loc.as_ref().map(|l| l.line() + line_offset),
            column: loc.as_ref().map(|l| l.column()),
        }
    })
}

/// `message` with every quoted value that echoes the file cut to `…`, unless it is a short
/// part of the line at fault (a key or a value of up to 32 characters): a file that is not YAML at all (a secret named by mistake)
/// is never shown beyond that line. Quoted names that are not in the file (the keys and
/// variants kwiki expects) are kept.
fn scrub(message: &str, text: &str, at_fault: Option<&str>) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(open) = rest.find(['"', '`']) {
        let quote = rest.as_bytes()[open] as char;
        let body = &rest[open + 1..];
        // the closing quote (serde escapes a `"` inside as `\"`)
        let mut close = None;
        let mut escaped = false;
        for (i, c) in body.char_indices() {
            match c {
                '\\' if quote == '"' && !escaped => escaped = true,
                c if c == quote && !escaped => {
                    close = Some(i);
                    break;
                }
                _ => escaped = false,
            }
        }
        let Some(close) = close else { break };
        let value = &body[..close];
        let in_line = at_fault.is_some_and(|l| l.contains(value)) && value.chars().count() <= 32;
        let a_name = quote == '`' && !value.contains(char::is_whitespace) && !text.contains(value);
        out.push_str(&rest[..=open]);
        out.push_str(if in_line || a_name { value } else { "…" });
        out.push(quote);
        rest = &body[close + 1..];
    }
    out.push_str(rest);
    out
}

/// A loosely typed YAML value, for front matter keys we check one by one.
pub type Value = backend::Value;
pub type Mapping = backend::Mapping;

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Lexicon {
        cues: Vec<String>,
    }

    #[test]
    fn errors_never_echo_more_than_the_line_at_fault() {
        // a password file named as a lexicon: one folded scalar of every line
        let shadow = "root:$6$saltsalt$aVeryLongSecretHashThatMustNeverBePrinted:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\nbin:*:19000:0:99999:7:::\n";
        let e = from_str::<Lexicon>(shadow, 0).unwrap_err();
        assert!(
            !e.message.contains("daemon") && !e.message.contains("Secret"),
            "{e}"
        );
        assert!(e.message.contains('…'), "{e}");
        // a typo in a key is shown, and so are the names kwiki expects
        let e = from_str::<Lexicon>("cuse: [a]\n", 0).unwrap_err();
        assert_eq!(e.message, "unknown field `cuse`, expected `cues`");
        // a short value on the line at fault is shown
        let e = from_str::<Lexicon>("cues: 12\n", 0).unwrap_err();
        assert!(e.message.contains("12") || !e.message.contains('"'), "{e}");
    }
}
