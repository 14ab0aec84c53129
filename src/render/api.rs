//! The JSON export other tools read: `api/entities.json` and `api/partnerships.json`.
use crate::link::Wiki;
use serde::{Deserialize, Serialize};

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

/// `api/entities.json` written straight from the wiki: the same JSON as `entities(w)`, without
/// copying every name and article id into an `EntitiesFile` first.
pub struct EntitiesOut<'a>(pub &'a Wiki);

/// `api/partnerships.json` written straight from the wiki, as `partnerships(w)`.
pub struct PartnershipsOut<'a>(pub &'a Wiki);

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

impl Serialize for EntitiesOut<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let w = self.0;
        let rows = Seq(|| {
            w.entities.iter().map(|e| EntityRow {
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
            })
        });
        let mut st = s.serialize_struct("EntitiesFile", 1)?;
        st.serialize_field("entities", &rows)?;
        st.end()
    }
}

impl Serialize for PartnershipsOut<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let w = self.0;
        let rows = Seq(|| {
            w.partnerships.iter().map(|p| PartnershipRow {
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
            })
        });
        let mut st = s.serialize_struct("PartnershipsFile", 1)?;
        st.serialize_field("partnerships", &rows)?;
        st.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streamed_export_is_the_export() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let site = crate::site::Site::load(root).unwrap();
        let (w, _) = site.wiki(&mut crate::site::Timings::default()).unwrap();
        assert!(!w.entities.is_empty() && !w.partnerships.is_empty());
        assert_eq!(
            serde_json::to_string_pretty(&EntitiesOut(&w)).unwrap(),
            serde_json::to_string_pretty(&entities(&w)).unwrap()
        );
        assert_eq!(
            serde_json::to_string_pretty(&PartnershipsOut(&w)).unwrap(),
            serde_json::to_string_pretty(&partnerships(&w)).unwrap()
        );
    }
}
