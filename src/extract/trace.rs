//! How an extraction was made, sentence by sentence, for `kwiki explain --verbose`: the
//! candidate names and what each became, the noun phrases that stand for a name, the
//! triggers, and the claims left out with why. Built only when asked.
use super::clauses::{self, Parties};
use super::doc::Sentence;
use super::entities::Table;
use super::kinds::Class;
use super::lexicon::Lexicon;
use serde::Serialize;

/// One sentence as the extractor read it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SentenceTrace {
    pub text: String,
    pub heading: bool,
    /// Each candidate name: its words and what they became.
    pub names: Vec<(String, String)>,
    /// "the series" stands for "Squid Game".
    pub stand_ins: Vec<(String, String)>,
    /// Trigger phrases with their class: "'starring' (cast)".
    pub triggers: Vec<String>,
    /// Claims left out, each with why.
    pub dropped: Vec<String>,
}

/// The trace of every sentence.
pub(super) fn sentences(
    sents: &[Sentence],
    t: &Table,
    parties: &Parties,
    dropped: Vec<(usize, String)>,
    lex: &Lexicon,
) -> Vec<SentenceTrace> {
    let mut out: Vec<SentenceTrace> = sents
        .iter()
        .enumerate()
        .map(|(i, s)| SentenceTrace {
            text: s.text.clone(),
            heading: s.heading,
            names: t
                .spans_of(i)
                .map(|sp| (t.spans[sp].text.clone(), became(t, sp)))
                .collect(),
            stand_ins: parties.of[i]
                .iter()
                .filter(|p| p.stand_in)
                .map(|p| {
                    (
                        s.slice(p.a, p.b).to_string(),
                        t.entities[p.entity].name.clone(),
                    )
                })
                .collect(),
            triggers: clauses::clauses(s)
                .into_iter()
                .flat_map(|(a, b)| clauses::triggers(s, a, b, &parties.of[i], lex))
                .map(|tr| format!("'{}' ({})", tr.phrase, tr.class.as_str()))
                .collect(),
            dropped: Vec::new(),
        })
        .collect();
    for (i, why) in dropped {
        out[i].dropped.push(why);
    }
    out
}

/// What a candidate name became: an entity of a kind, or dropped with the strongest reason.
fn became(t: &Table, sp: usize) -> String {
    let Some(e) = t.span_entity[sp].map(|e| &t.entities[e]) else {
        return "part of another name".to_string();
    };
    if e.kept() {
        let subtype = e.subtype.map(|s| format!(" ({s:?})").to_lowercase());
        return format!(
            "{}{} \"{}\"",
            e.kind.as_str(),
            subtype.unwrap_or_default(),
            e.name
        );
    }
    let strongest = e
        .votes
        .iter()
        .filter(|v| v.class == Class::Not)
        .max_by(|a, b| a.weight.total_cmp(&b.weight));
    if let Some(v) = strongest {
        return format!("not an entity: {}", v.cue);
    }
    let votes: Vec<String> = e
        .votes
        .iter()
        .map(|v| format!("{:?} {:.1} '{}'", v.class, v.weight, v.cue).to_lowercase())
        .collect();
    match votes.is_empty() {
        true => "not an entity: nothing says what it is".to_string(),
        false => format!(
            "not an entity: too little says what it is ({})",
            votes.join(", ")
        ),
    }
}
