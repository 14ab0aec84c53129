//! Extract: per article, pure and parallel. Finds the entities an article names (with the
//! kind, the cues that support it and a confidence) and the partnerships it states (with
//! the evidence sentence). No global state: resolution across articles is `link`'s job.
//!
//! The passes, in order (one file each):
//! 1. `doc`: sentences, tokens, and which lines are headlines in capitals or credits;
//! 2. `spans`: candidate names (quoted titles, capitalized runs, known organizations);
//! 3. `kinds`: what the words around each candidate say it is (votes with their cues);
//! 4. `lists`: names listed together share a kind and the cue before the list;
//! 5. `entities`: one entity per name in the article (short forms, one kind per name);
//! 6. `mentions`: every place each entity is named;
//! 7. `members`: who the article says belongs to which group;
//! 8. `clauses` and `relate`: relations stated in a clause around a trigger, with the roles
//!    of the names around it; `constructions`: relations stated without a verb ("Squid Game
//!    star X", "X's film Y", "X (Y, Z)"); `filters`: speculation, negation, membership.
mod after;
mod before;
mod clauses;
mod constructions;
mod doc;
mod entities;
mod found;
mod kinds;
pub mod lexicon;
mod lists;
mod members;
mod mentions;
pub mod names;
mod quotes;
mod relate;
mod relations;
mod shape;
mod slots;
mod spans;
mod together;
pub mod tokens;
mod trace;
mod words;

use crate::ingest::{Article, BlockKind};
pub use lexicon::Lexicon;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
pub use trace::SentenceTrace;

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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
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

/// The sentences of an article for extraction: its headline first (when the title is not
/// just the start of the body), then the body's. A line that stops without closing its
/// sentence ("...on Amazon Prime") runs on into the next line; the two are joined with a
/// line break, which names never cross.
pub fn units(article: &Article) -> Vec<Unit> {
    let mut out: Vec<Unit> = Vec::new();
    let title = article.title.trim().trim_end_matches('…').trim_end();
    let from_body = article
        .blocks
        .first()
        .is_some_and(|b| b.text.starts_with(title));
    if !title.is_empty() && !from_body && title != article.id {
        out.push(Unit {
            text: title.to_string(),
            heading: true,
        });
    }
    let mut carry = false;
    for block in article.blocks.iter() {
        let ends_open = block.text.trim_end().chars().last().is_some_and(|c| {
            !matches!(
                c,
                '.' | '!' | '?' | '"' | '”' | '\'' | '’' | ')' | ':' | '…' | ';'
            )
        });
        // a short line the scraper set apart mid-sentence ("PARK Hoon-jung’s") is no heading
        let heading = block.kind == BlockKind::Heading
            && !(carry && (ends_open || block.text.split_whitespace().count() <= 4));
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
        // a line that stops open runs on, a one-word line too ("Starring")
        carry = ends_open && (!heading || block.text.split_whitespace().count() <= 2);
    }
    out
}

/// Extract the entities and partnerships of one article.
pub fn extract(article: &Article, lex: &Lexicon) -> Extraction {
    run(article, lex, None)
}

/// The extraction of one article and how it was made, sentence by sentence.
pub fn trace(article: &Article, lex: &Lexicon) -> (Extraction, Vec<SentenceTrace>) {
    let mut sentences = Vec::new();
    let x = run(article, lex, Some(&mut sentences));
    (x, sentences)
}

fn run(article: &Article, lex: &Lexicon, trace: Option<&mut Vec<SentenceTrace>>) -> Extraction {
    let sents: Vec<doc::Sentence> = units(article)
        .into_iter()
        .map(|u| doc::Sentence::new(u, lex))
        .collect();
    let table = entities::build(&sents, lex);
    let mentions = mentions::find(&sents, &table);
    let member_of = members::find(&sents, &table, &mentions);
    let parties = clauses::parties(&sents, &table, &mentions, lex);
    let mut dropped = Vec::new();
    let asked = trace.is_some().then_some(&mut dropped);
    let relations = relations::find(&sents, &table, &parties, &member_of, lex, asked);
    if let Some(out) = trace {
        *out = trace::sentences(&sents, &table, &parties, dropped, lex);
    }
    let found = found::entities(&table, &mentions, &member_of);
    let mut cited = vec![false; sents.len()];
    for &s in found.iter().filter_map(|f| f.sentences.first()) {
        cited[s] = true;
    }
    for r in &relations {
        cited[r.sentence] = true;
    }
    let empty: Arc<str> = Arc::from("");
    let sentences = sents
        .into_iter()
        .zip(cited)
        .map(|(s, c)| if c { Arc::from(s.text) } else { empty.clone() })
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
