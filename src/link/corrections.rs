//! Editor corrections: a YAML file under `seeds/` (`_corrections.yaml`) that fixes what the
//! extractor got wrong, without touching Rust.
//!
//! ```yaml
//! entities:
//!   - name: Rosé                 # an entity, by any of its names
//!     kind: artist               # set its kind
//!     aliases: [Rosie]           # add names it goes by
//!     merge: [Rose Park]         # fold these entities into it
//!     description: "Singer, member of **BLACKPINK**."   # Markdown, shown on its page
//!     links: [{title: Wikipedia, url: "https://en.wikipedia.org/wiki/Ros%C3%A9_(singer)"}]
//!   - name: Mas
//!     reject: true               # not an entity
//! partnerships:
//!   add:
//!     - {kind: soundtrack, participants: [Rosé, F1], via: Messy, article: 000_2cac62a80f5ccdd1, sentence: "..."}
//!   remove:
//!     - {participants: [BTS, Run Jin]}
//! ```
use crate::error::{Error, Result};
use serde::Deserialize;
use std::path::Path;

pub const FILE_NAME: &str = "_corrections.yaml";

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Corrections {
    pub entities: Vec<EntityFix>,
    pub partnerships: PartnershipFixes,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EntityFix {
    pub name: String,
    pub kind: Option<String>,
    pub aliases: Vec<String>,
    pub merge: Vec<String>,
    pub reject: bool,
    pub description: Option<String>,
    pub links: Vec<LinkFix>,
}

#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LinkFix {
    pub title: String,
    pub url: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PartnershipFixes {
    pub add: Vec<PartnershipAdd>,
    pub remove: Vec<PartnershipRemove>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartnershipAdd {
    pub kind: String,
    pub participants: Vec<String>,
    #[serde(default)]
    pub via: Option<String>,
    #[serde(default)]
    pub article: Option<String>,
    #[serde(default)]
    pub sentence: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartnershipRemove {
    pub participants: Vec<String>,
    #[serde(default)]
    pub kind: Option<String>,
}

impl Corrections {
    /// Load `seeds/_corrections.yaml` if there is one (a regular file of at most `max_bytes`).
    pub fn load(seeds_dir: &Path, max_bytes: u64) -> Result<Corrections> {
        let path = seeds_dir.join(FILE_NAME);
        let Some(text) = crate::datafile::read(&path, max_bytes)? else {
            return Ok(Corrections::default());
        };
        if text.trim().is_empty() {
            return Ok(Corrections::default());
        }
        let c: Corrections = crate::yaml::from_str(&text, 0).map_err(|e| Error::yaml(&path, e))?;
        for (i, e) in c.entities.iter().enumerate() {
            if let Some(k) = &e.kind
                && crate::extract::Kind::parse(k).is_none()
            {
                return Err(Error::input(
                    &path,
                    format!(
                        "entities[{i}] ({}): unknown kind `{k}` (artist, film, label or song)",
                        e.name
                    ),
                ));
            }
        }
        for (i, p) in c.partnerships.add.iter().enumerate() {
            if crate::extract::PartnershipKind::parse(&p.kind).is_none() {
                return Err(Error::input(
                    &path,
                    format!("partnerships.add[{i}]: unknown kind `{}`", p.kind),
                ));
            }
            if p.participants.len() < 2 {
                return Err(Error::input(
                    &path,
                    format!("partnerships.add[{i}]: a partnership needs two participants or more"),
                ));
            }
        }
        Ok(c)
    }
}
