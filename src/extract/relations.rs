//! Pass 9, the article's relations: the claims of every clause's triggers and of the verbless
//! constructions, without what the text does not state as fact (speculation, negation),
//! without a member paired with their own group or a bandmate, without an act and its own
//! record label, each once per sentence.
use super::clauses::{self, Parties};
use super::constructions;
use super::doc::Sentence;
use super::entities::Table;
use super::lexicon::Lexicon;
use super::relate::{self, Claim, Clause};
use super::{Kind, PartnershipKind as PK, Relation};

/// The relations the article states. `dropped`, when given, gets each claim left out and why,
/// by sentence (for `kwiki explain`).
pub fn find(
    sents: &[Sentence],
    t: &Table,
    parties: &Parties,
    member_of: &[Vec<usize>],
    lex: &Lexicon,
    mut dropped: Option<&mut Vec<(usize, String)>>,
) -> Vec<Relation> {
    let mut out: Vec<Relation> = Vec::new();
    for (i, (s, ps)) in sents.iter().zip(&parties.of).enumerate() {
        let start = out.len();
        let mut found: Vec<Claim> = Vec::new();
        for (a, b) in clauses::clauses(s) {
            let clause = Clause {
                s,
                t,
                ps,
                a,
                b,
                focus: parties.focus[i],
                lex,
                relatives: Default::default(),
            };
            for tr in clauses::triggers(s, a, b, ps, lex) {
                if let Some(why) = unstated(s, a, tr.a, lex) {
                    if let Some(d) = dropped.as_deref_mut() {
                        d.push((i, format!("trigger '{}': {why}", tr.phrase)));
                    }
                    continue;
                }
                found.extend(relate::claims(&clause, &tr));
            }
        }
        found.extend(constructions::claims(s, t, ps, parties.focus[i], lex));
        for c in found {
            // what the claim was, said only when asked
            let said = dropped.is_some().then(|| said(&c, t));
            match cleaned(c, t, member_of, lex) {
                Ok(c) => push(&mut out, c, t, i),
                Err(why) => {
                    if let (Some(d), Some(said)) = (dropped.as_deref_mut(), said) {
                        d.push((i, format!("{said}: {why}")));
                    }
                }
            }
        }
        drop_covered(&mut out, start);
    }
    out
}

/// "Chanel unveiled its campaign featuring A, B and C": another partnership of them all says
/// no more than the sentence's endorsements of each (the sentence's relations: `out[start..]`).
fn drop_covered(out: &mut Vec<Relation>, start: usize) {
    let pairs: Vec<[String; 2]> = out[start..]
        .iter()
        .filter(|r| r.kind != PK::Other && r.participants.len() == 2)
        .map(|r| [r.participants[0].clone(), r.participants[1].clone()])
        .collect();
    if pairs.is_empty() {
        return;
    }
    let mut sentence = out.split_off(start);
    sentence.retain(|r| {
        let all = &r.participants;
        let in_r = |p: &[String; 2]| all.contains(&p[0]) && all.contains(&p[1]);
        let covered = all
            .iter()
            .all(|x| pairs.iter().any(|p| in_r(p) && p.contains(x)));
        !(r.kind == PK::Other && all.len() > 2 && covered)
    });
    out.extend(sentence);
}

/// A claim in words: "casting of A and B".
fn said(c: &Claim, t: &Table) -> String {
    let names: Vec<&str> = c
        .parties
        .iter()
        .map(|&p| t.entities[p].name.as_str())
        .collect();
    format!("{} of {}", c.kind.as_str(), names.join(" and "))
}

/// Why a trigger at token `k` of a clause starting at `a` states no fact, if it does not:
/// a speculation cue before it in the clause, or a negation just before it.
fn unstated(s: &Sentence, a: usize, k: usize, lex: &Lexicon) -> Option<String> {
    for j in a..k {
        if !s.is_word(j) {
            continue;
        }
        if let Some(n) = lex.rc.speculation.longest_prefix(s.words.ids(j, k)) {
            return Some(format!("speculation '{}'", s.slice(j, j + n)));
        }
    }
    (k.saturating_sub(3).max(a)..k)
        .find(|&j| s.is_word(j) && lex.rc.negation.contains_word(s.words.id(j)))
        .map(|j| format!("negation '{}'", s.tok(j)))
}

/// The claim without its members' own groups; why not, when fewer than two parties remain or
/// they are bandmates, or an act and a music company (its label, not a partner).
fn cleaned(
    mut c: Claim,
    t: &Table,
    member_of: &[Vec<usize>],
    lex: &Lexicon,
) -> Result<Claim, &'static str> {
    // three or more members of one group stand for the group ("Lisa, Rosé, Jennie and Jisoo")
    let mut groups: Vec<usize> = c
        .parties
        .iter()
        .flat_map(|&p| member_of[p].iter().copied())
        .collect();
    groups.sort();
    for w in groups.windows(3) {
        if w[0] == w[2] {
            let g = w[0];
            let first = c
                .parties
                .iter()
                .position(|&p| member_of[p].contains(&g))
                .unwrap_or(0);
            c.parties.retain(|&p| !member_of[p].contains(&g));
            c.parties.insert(first.min(c.parties.len()), g);
            break;
        }
    }
    let parties = c.parties.clone();
    c.parties
        .retain(|&g| !parties.iter().any(|&m| member_of[m].contains(&g)));
    c.parties.dedup();
    if c.parties.len() < 2 {
        return Err("a member and their own group");
    }
    let groups: Vec<&Vec<usize>> = c.parties.iter().map(|&p| &member_of[p]).collect();
    let bandmates = groups.iter().all(|g| !g.is_empty())
        && groups[0]
            .iter()
            .any(|g| groups.iter().all(|x| x.contains(g)));
    if bandmates {
        return Err("members of one group");
    }
    let kinds: Vec<Kind> = c.parties.iter().map(|&p| t.entities[p].kind).collect();
    let act_and_company = kinds.contains(&Kind::Label) && kinds.contains(&Kind::Artist);
    if act_and_company && matches!(c.kind, PK::Endorsement | PK::Other) {
        // acts together through their label ("released the duet X through Y Records"): the
        // acts, without the label
        let label = |p: &usize| t.entities[*p].kind == Kind::Label && music_company(t, *p, lex);
        let labels: Vec<usize> = c.parties.iter().copied().filter(label).collect();
        c.parties.retain(|p| !label(p));
        // "JYP Entertainment and Republic Records jointly launched VCHA": the companies
        if c.parties.len() < 2 && labels.len() >= 2 {
            c.parties = labels;
            c.kind = PK::BusinessPartnership;
            c.cues
                .push("rule: the companies, without the act they launched".into());
            return Ok(c);
        }
        let acts = c
            .parties
            .iter()
            .all(|&p| t.entities[p].kind == Kind::Artist);
        match c.parties.len() {
            n if n == kinds.len() => {}
            0 | 1 => return Err("an act and a music company (its own label, not a partner)"),
            _ => {
                c.cues.push("rule: the acts without their label".into());
                if acts && c.kind == PK::Other {
                    c.kind = PK::MusicalCollaboration;
                }
            }
        }
    }
    Ok(c)
}

/// A record label or an agency: an act's own company, not a brand it fronts. Its name ends
/// in a music company's word, or the text calls it one ("agency Peach Company").
fn music_company(t: &Table, e: usize, lex: &Lexicon) -> bool {
    let suffix = |name: &str| {
        let last = name.rsplit(' ').next().unwrap_or("");
        lex.rc.music_company.contains_word(lex.word_id(last))
    };
    let called = t.entities[e].votes.iter().any(|v| {
        v.cue
            .strip_prefix("organization cue '")
            .and_then(|c| c.strip_suffix('\''))
            .is_some_and(|w| lex.rc.music_company.contains_word(lex.word_id(w)))
    });
    called
        || t.entities[e].surfaces.iter().any(|s| {
            suffix(s)
                || lex
                    .known_label(s)
                    .is_some_and(|l| suffix(&lex.labels[l].name))
        })
}

/// Add the claim as a relation of sentence `i`, unless that sentence already states it.
fn push(out: &mut Vec<Relation>, c: Claim, t: &Table, i: usize) {
    let mut key: Vec<usize> = c.parties.clone();
    key.sort();
    let names: Vec<String> = c
        .parties
        .iter()
        .map(|&p| t.entities[p].name.clone())
        .collect();
    let dup = out.iter_mut().find(|r| {
        r.sentence == i && {
            let mut k: Vec<&String> = r.participants.iter().collect();
            k.sort();
            let mut n: Vec<&String> = names.iter().collect();
            n.sort();
            k == n
        }
    });
    if let Some(r) = dup {
        // "participated in the OST of drama W": a song for the work says more than a role
        if c.kind == PK::Soundtrack && matches!(r.kind, PK::Casting | PK::Appearance | PK::Other) {
            r.kind = PK::Soundtrack;
        }
        if r.via.is_none() {
            r.via = c.via.map(|v| t.entities[v].name.clone());
        }
        for cue in c.cues {
            if !r.cues.contains(&cue) {
                r.cues.push(cue);
            }
        }
        return;
    }
    out.push(Relation {
        kind: c.kind,
        participants: names,
        via: c.via.map(|v| t.entities[v].name.clone()),
        sentence: i,
        confidence: c.confidence,
        cues: c.cues,
    });
}
