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
        YamlError {
            message,
            line: loc.as_ref().map(|l| l.line() + line_offset),
            column: loc.as_ref().map(|l| l.column()),
        }
    })
}

/// A loosely typed YAML value, for front matter keys we check one by one.
pub type Value = backend::Value;
pub type Mapping = backend::Mapping;
