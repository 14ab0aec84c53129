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
                        sentence: e.sentence.clone(),
                    })
                    .collect(),
                confidence: p.confidence,
                cues: p.cues.clone(),
            })
            .collect(),
    }
}
