//! Extract: per article, pure and parallel. Finds the entities an article names (with the
//! kind, the cues that support it and a confidence) and the partnerships it states (with
//! the evidence sentence). No global state: resolution across articles is `link`'s job.
pub mod lexicon;
mod mentions;
pub mod names;
mod relations;
pub mod tokens;
mod words;

use crate::ingest::{Article, BlockKind};
pub use lexicon::Lexicon;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Artist,
    Film,
    Label,
    Song,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Artist, Kind::Film, Kind::Label, Kind::Song];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Artist => "artist",
            Kind::Film => "film",
            Kind::Label => "label",
            Kind::Song => "song",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// What an artist or film is, when the text says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Subtype {
    Person,
    Group,
    Show,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PartnershipKind {
    Soundtrack,
    Casting,
    Appearance,
    MusicalCollaboration,
    BusinessPartnership,
    Endorsement,
    Other,
}

impl PartnershipKind {
    pub const ALL: [PartnershipKind; 7] = [
        PartnershipKind::Soundtrack,
        PartnershipKind::Casting,
        PartnershipKind::Appearance,
        PartnershipKind::MusicalCollaboration,
        PartnershipKind::BusinessPartnership,
        PartnershipKind::Endorsement,
        PartnershipKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PartnershipKind::Soundtrack => "soundtrack",
            PartnershipKind::Casting => "casting",
            PartnershipKind::Appearance => "appearance",
            PartnershipKind::MusicalCollaboration => "musical-collaboration",
            PartnershipKind::BusinessPartnership => "business-partnership",
            PartnershipKind::Endorsement => "endorsement",
            PartnershipKind::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PartnershipKind::Soundtrack => "Soundtrack",
            PartnershipKind::Casting => "Casting",
            PartnershipKind::Appearance => "Appearance",
            PartnershipKind::MusicalCollaboration => "Musical collaboration",
            PartnershipKind::BusinessPartnership => "Business partnership",
            PartnershipKind::Endorsement => "Endorsement",
            PartnershipKind::Other => "Other",
        }
    }

    pub fn parse(s: &str) -> Option<PartnershipKind> {
        PartnershipKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// An entity as one article names it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Found {
    /// The fullest surface form.
    pub name: String,
    /// Every surface form seen, `name` included.
    pub surfaces: Vec<String>,
    pub kind: Kind,
    pub subtype: Option<Subtype>,
    pub confidence: f32,
    /// Why the extractor believes it ("cue 'girl group'", "quoted title", ...).
    pub cues: Vec<String>,
    /// Names of the groups the article ties this person to.
    pub member_of: Vec<String>,
    /// Indices into `Extraction::sentences` where it is mentioned.
    pub sentences: Vec<usize>,
}

/// A partnership as one article states it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Relation {
    pub kind: PartnershipKind,
    /// Names as in `Found::name`, in the order the rule found them.
    pub participants: Vec<String>,
    pub via: Option<String>,
    /// Index into `Extraction::sentences`.
    pub sentence: usize,
    pub confidence: f32,
    pub cues: Vec<String>,
}

/// Everything extracted from one article.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Extraction {
    pub article: String,
    /// The sentences the extractor read (a line that runs on is joined to the next one), by
    /// index. Only the sentences cited as evidence keep their text: each found entity's first
    /// sentence and each relation's sentence; the others are empty (extractions are kept
    /// until link, and a copy of every sentence cost as much memory as the articles).
    /// `units(article)` gives them all. Shared (`Arc`) with the evidence that cites them.
    pub sentences: Vec<Arc<str>>,
    pub found: Vec<Found>,
    pub relations: Vec<Relation>,
}

impl Extraction {
    /// Sentence `i`, shared; empty if there is none.
    pub fn sentence(&self, i: usize) -> Arc<str> {
        self.sentences
            .get(i)
            .cloned()
            .unwrap_or_else(|| Arc::from(""))
    }
}

/// A sentence as the extractor reads it, and whether it sits in a heading.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    pub text: String,
    pub heading: bool,
}

/// The sentences of an article for extraction. A line that stops without closing its
/// sentence ("...on Amazon Prime") runs on into the next line; the two are joined with a
/// line break, which names never cross.
pub fn units(article: &Article) -> Vec<Unit> {
    let mut out: Vec<Unit> = Vec::new();
    let mut carry = false;
    for block in article.blocks.iter() {
        let heading = block.kind == BlockKind::Heading;
        for (k, r) in block.sentences.iter().enumerate() {
            let s = &block.text[r.clone()];
            if k == 0
                && carry
                && !heading
                && let Some(last) = out.last_mut()
            {
                last.text.push('\n');
                last.text.push_str(s);
                continue;
            }
            out.push(Unit {
                text: s.to_string(),
                heading,
            });
        }
        let ends_open = block.text.trim_end().chars().last().is_some_and(|c| {
            !matches!(
                c,
                '.' | '!' | '?' | '"' | '”' | '\'' | '’' | ')' | ':' | '…' | ';'
            )
        });
        carry = !heading && ends_open;
    }
    out
}

/// Extract the entities and partnerships of one article.
pub fn extract(article: &Article, lex: &Lexicon) -> Extraction {
    let units = units(article);
    let table = mentions::find(&units, lex);
    let relations = relations::find(&units, &table, lex);
    let found = table.into_found();
    let mut cited = vec![false; units.len()];
    for &s in found.iter().filter_map(|f| f.sentences.first()) {
        cited[s] = true;
    }
    for r in &relations {
        cited[r.sentence] = true;
    }
    let empty: Arc<str> = Arc::from("");
    let sentences = units
        .into_iter()
        .zip(cited)
        .map(|(u, c)| if c { Arc::from(u.text) } else { empty.clone() })
        .collect();
    Extraction {
        article: article.id.clone(),
        sentences,
        found,
        relations,
    }
}

#[cfg(test)]
mod tests;
