//! The JSON export other tools read, in shards so that no file grows with the site:
//! `api/index.json` lists them; `api/entities/KIND-L.json` holds the entities of one kind
//! whose slug starts with L (`0` for a digit or another character), `api/partnerships/KIND-L.json`
//! the partnerships of one kind whose id starts with L. A shard over `SHARD_BYTES` goes on
//! in `KIND-L-2.json` and so on. Each shard is `{"entities": [...]}` or
//! `{"partnerships": [...]}`, rows as `ApiEntity` and `ApiPartnership`.
//!
//! While a whole list stays under `WHOLE_BYTES`, it is also written as one file, as before
//! the shards: `api/entities.json` and `api/partnerships.json` (what `score.py` reads).
use super::Page;
use crate::link::Wiki;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ApiEntity {
    pub id: String,
    pub name: String,
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtype: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub member_of: Vec<String>,
    #[serde(default)]
    pub url: String,
    #[serde(default)]
    pub articles: Vec<String>,
    #[serde(default)]
    pub confidence: f32,
    #[serde(default)]
    pub cues: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ApiEvidence {
    pub article: String,
    pub sentence: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ApiPartnership {
    pub id: String,
    pub kind: String,
    pub participants: Vec<String>,
    #[serde(default)]
    pub via: Option<String>,
    #[serde(default)]
    pub articles: Vec<String>,
    #[serde(default)]
    pub evidence: Vec<ApiEvidence>,
    #[serde(default)]
    pub confidence: f32,
    #[serde(default)]
    pub cues: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct EntitiesFile {
    pub entities: Vec<ApiEntity>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct PartnershipsFile {
    pub partnerships: Vec<ApiPartnership>,
}

pub fn entities(w: &Wiki) -> EntitiesFile {
    EntitiesFile {
        entities: w
            .entities
            .iter()
            .map(|e| ApiEntity {
                id: e.id.clone(),
                name: e.name.clone(),
                kind: e.kind.as_str().into(),
                subtype: e.subtype.map(|s| format!("{s:?}").to_lowercase()),
                aliases: e.aliases.clone(),
                member_of: e
                    .member_of
                    .iter()
                    .map(|&g| w.entities[g].name.clone())
                    .collect(),
                url: e.url(),
                articles: e
                    .mentions
                    .iter()
                    .map(|m| w.articles[m.article].id.clone())
                    .collect(),
                confidence: e.confidence,
                cues: e.cues.clone(),
            })
            .collect(),
    }
}

pub fn partnerships(w: &Wiki) -> PartnershipsFile {
    PartnershipsFile {
        partnerships: w
            .partnerships
            .iter()
            .map(|p| ApiPartnership {
                id: p.id.clone(),
                kind: p.kind.as_str().into(),
                participants: p
                    .participants
                    .iter()
                    .map(|&e| w.entities[e].name.clone())
                    .collect(),
                via: p.via.map(|v| w.entities[v].name.clone()),
                articles: p
                    .evidence
                    .iter()
                    .map(|e| w.articles[e.article].id.clone())
                    .collect(),
                evidence: p
                    .evidence
                    .iter()
                    .map(|e| ApiEvidence {
                        article: w.articles[e.article].id.clone(),
                        sentence: e.sentence.to_string(),
                    })
                    .collect(),
                confidence: p.confidence,
                cues: p.cues.clone(),
            })
            .collect(),
    }
}

/// A sequence serialized from the iterator `F` makes, without collecting it first.
struct Seq<F>(F);

impl<F, I> Serialize for Seq<F>
where
    F: Fn() -> I,
    I: IntoIterator,
    I::Item: Serialize,
{
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq((self.0)())
    }
}

/// `ApiEntity`, borrowed (the same fields in the same order).
#[derive(Serialize)]
struct EntityRow<'a, M, A> {
    id: &'a str,
    name: &'a str,
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    subtype: Option<String>,
    aliases: &'a [String],
    member_of: M,
    url: String,
    articles: A,
    confidence: f32,
    cues: &'a [String],
}

/// `ApiPartnership`, borrowed.
#[derive(Serialize)]
struct PartnershipRow<'a, P, A, E> {
    id: &'a str,
    kind: &'static str,
    participants: P,
    via: Option<&'a str>,
    articles: A,
    evidence: E,
    confidence: f32,
    cues: &'a [String],
}

/// `ApiEvidence`, borrowed.
#[derive(Serialize)]
struct EvidenceRow<'a> {
    article: &'a str,
    sentence: &'a str,
}

/// About the largest shard, in bytes.
pub const SHARD_BYTES: usize = 4 << 20;
/// The largest list also written whole (GitHub Pages sites should keep files small).
pub const WHOLE_BYTES: usize = 10_000_000;

/// `api/index.json`: the shards of each list, with how many rows each holds.
#[derive(Debug, Clone, Serialize, Deserialize, Default, PartialEq)]
pub struct Index {
    pub entities: Vec<ShardRef>,
    pub partnerships: Vec<ShardRef>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ShardRef {
    /// The shard's path relative to `api/`, e.g. `entities/artist-r.json`.
    pub file: String,
    pub count: usize,
}

/// The shard name of a slug or id: its first character if an ASCII letter, else `0`.
fn shard_letter(s: &str) -> char {
    match s.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => c.to_ascii_lowercase(),
        _ => '0',
    }
}

/// Rows serialized one by one (compact JSON) into shards by name, each cut at about
/// `SHARD_BYTES`, in name order (and `DIR.json` with them all while it is small); and the
/// shards' references for the index.
fn shard_rows<R: Serialize>(
    dir: &str,
    field: &str,
    rows: impl Iterator<Item = (String, R)>,
) -> (Vec<Page>, Vec<ShardRef>) {
    // name -> the rows' JSON, in wiki order
    let mut groups: BTreeMap<String, Vec<Vec<u8>>> = BTreeMap::new();
    for (name, row) in rows {
        let json = serde_json::to_vec(&row).unwrap_or_else(|_| b"null".to_vec());
        groups.entry(name).or_default().push(json);
    }
    let mut pages = Vec::new();
    let mut refs = Vec::new();
    let total: usize = groups.values().flatten().map(|r| r.len() + 1).sum();
    let whole = (total + field.len() + 8 <= WHOLE_BYTES).then(|| {
        let rows = groups.values().flatten();
        json_list(field, rows, total)
    });
    for (name, rows) in &groups {
        let mut part = 1;
        let mut start = 0;
        while start < rows.len() {
            let mut end = start;
            let mut size = 0;
            while end < rows.len() && (end == start || size + rows[end].len() < SHARD_BYTES) {
                size += rows[end].len() + 1;
                end += 1;
            }
            let file = if part == 1 {
                format!("{dir}/{name}.json")
            } else {
                format!("{dir}/{name}-{part}.json")
            };
            refs.push(ShardRef {
                file: file.clone(),
                count: end - start,
            });
            pages.push(Page {
                path: format!("api/{file}"),
                content: json_list(field, rows[start..end].iter(), size),
            });
            start = end;
            part += 1;
        }
    }
    if let Some(content) = whole {
        pages.push(Page {
            path: format!("api/{dir}.json"),
            content,
        });
    }
    (pages, refs)
}

/// `{"FIELD":[ROW,ROW...]}` and a line break, from the rows' JSON.
fn json_list<'r>(field: &str, rows: impl Iterator<Item = &'r Vec<u8>>, size: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(size + field.len() + 8);
    out.extend(format!("{{\"{field}\":[").as_bytes());
    for (i, r) in rows.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend(r);
    }
    out.extend(b"]}\n");
    out
}

/// The entity shards (written straight from the wiki: no copy of it as `ApiEntity` first).
pub fn entity_pages(w: &Wiki) -> (Vec<Page>, Vec<ShardRef>) {
    let rows = w.entities.iter().map(|e| {
        let name = format!("{}-{}", e.kind.as_str(), shard_letter(&e.slug));
        let row = EntityRow {
            id: &e.id,
            name: &e.name,
            kind: e.kind.as_str(),
            subtype: e.subtype.map(|s| format!("{s:?}").to_lowercase()),
            aliases: &e.aliases,
            member_of: Seq(|| e.member_of.iter().map(|&g| &w.entities[g].name)),
            url: e.url(),
            articles: Seq(|| e.mentions.iter().map(|m| &w.articles[m.article].id)),
            confidence: e.confidence,
            cues: &e.cues,
        };
        (name, row)
    });
    shard_rows("entities", "entities", rows)
}

/// The partnership shards.
pub fn partnership_pages(w: &Wiki) -> (Vec<Page>, Vec<ShardRef>) {
    let rows = w.partnerships.iter().map(|p| {
        let name = format!("{}-{}", p.kind.as_str(), shard_letter(&p.id));
        let row = PartnershipRow {
            id: &p.id,
            kind: p.kind.as_str(),
            participants: Seq(|| p.participants.iter().map(|&e| &w.entities[e].name)),
            via: p.via.map(|v| w.entities[v].name.as_str()),
            articles: Seq(|| p.evidence.iter().map(|e| &w.articles[e.article].id)),
            evidence: Seq(|| {
                p.evidence.iter().map(|e| EvidenceRow {
                    article: &w.articles[e.article].id,
                    sentence: &e.sentence,
                })
            }),
            confidence: p.confidence,
            cues: &p.cues,
        };
        (name, row)
    });
    shard_rows("partnerships", "partnerships", rows)
}

/// `api/index.json`.
pub fn index_page(entities: Vec<ShardRef>, partnerships: Vec<ShardRef>) -> Page {
    let index = Index {
        entities,
        partnerships,
    };
    let mut content = serde_json::to_vec_pretty(&index).unwrap_or_default();
    content.push(b'\n');
    Page {
        path: "api/index.json".into(),
        content,
    }
}

/// Read the export of a built site (`dir` holds `index.json`): every entity and every
/// partnership, shard by shard, in the order the index lists them.
pub fn read(dir: &Path) -> Result<(EntitiesFile, PartnershipsFile), String> {
    let load = |rel: &str| -> Result<String, String> {
        let p = dir.join(rel);
        std::fs::read_to_string(&p).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound if rel == "index.json" => format!(
                "{}: the site has no JSON export (a site.yaml with `publish: {{api: false}}` leaves it out): build it with the export, or run `kwiki eval` without --site",
                p.display()
            ),
            _ => format!("{}: {e}", p.display()),
        })
    };
    let index: Index = serde_json::from_str(&load("index.json")?)
        .map_err(|e| format!("{}: {e}", dir.join("index.json").display()))?;
    let mut ents = EntitiesFile::default();
    for s in &index.entities {
        let f: EntitiesFile =
            serde_json::from_str(&load(&s.file)?).map_err(|e| format!("{}: {e}", s.file))?;
        ents.entities.extend(f.entities);
    }
    let mut parts = PartnershipsFile::default();
    for s in &index.partnerships {
        let f: PartnershipsFile =
            serde_json::from_str(&load(&s.file)?).map_err(|e| format!("{}: {e}", s.file))?;
        parts.partnerships.extend(f.partnerships);
    }
    Ok((ents, parts))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_site_without_the_export_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let err = read(&dir.path().join("api")).unwrap_err();
        assert!(
            err.contains("index.json") && err.contains("api: false"),
            "{err}"
        );
    }

    #[test]
    fn shards_hold_the_export() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let site = crate::site::Site::load(root).unwrap();
        let (w, _) = site.wiki(&mut crate::site::Timings::default()).unwrap();
        assert!(!w.entities.is_empty() && !w.partnerships.is_empty());
        let dir = tempfile::tempdir().unwrap();
        let (mut pages, e) = entity_pages(&w);
        let (more, p) = partnership_pages(&w);
        pages.extend(more);
        pages.push(index_page(e, p));
        for page in &pages {
            let path = dir.path().join(&page.path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, &page.content).unwrap();
        }
        let (ents, parts) = read(&dir.path().join("api")).unwrap();
        // small enough to be whole too, in the same order
        let whole: EntitiesFile =
            serde_json::from_slice(&std::fs::read(dir.path().join("api/entities.json")).unwrap())
                .unwrap();
        assert_eq!(whole.entities, ents.entities);
        // the same rows as the export made from the wiki, in kind and letter order
        let mut want = entities(&w).entities;
        want.sort_by_key(|x| {
            (
                x.kind.clone(),
                shard_letter(x.id.split('/').nth(1).unwrap()),
            )
        });
        assert_eq!(ents.entities, want);
        let mut want = partnerships(&w).partnerships;
        want.sort_by_key(|x| (x.kind.clone(), shard_letter(&x.id)));
        assert_eq!(parts.partnerships, want);
    }

    #[test]
    fn a_large_shard_goes_on_in_parts() {
        let rows = (0..1000).map(|i| ("a-b".to_string(), "x".repeat(SHARD_BYTES / 300 + i % 3)));
        let (pages, refs) = shard_rows("d", "rows", rows);
        assert!(pages.len() >= 3, "{}", pages.len());
        assert!(pages.iter().all(|p| p.content.len() <= SHARD_BYTES + 16));
        assert!(
            pages.iter().all(|p| p.path.starts_with("api/d/")),
            "too big to be whole"
        );
        assert_eq!(refs.iter().map(|r| r.count).sum::<usize>(), 1000);
        assert_eq!(refs[1].file, "d/a-b-2.json");
    }
}
