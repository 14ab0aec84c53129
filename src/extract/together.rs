//! Parties together: acts collaborating (a musical collaboration), companies in a deal (a
//! business partnership), acts with companies or a work (another partnership). The parties
//! are the nearest list before the trigger and the lists after it.
use super::PartnershipKind as PK;
use super::clauses::Trigger;
use super::relate::{Claim, claim};
use super::slots::{Clause, Want, fits};

const PARTIES: [Want; 2] = [Want::Artist, Want::Label];

fn party(c: &Clause, i: usize) -> bool {
    PARTIES.iter().any(|&k| c.usable(i, k))
}

/// The claims of a collaborate (`w` = artist) or deal (`w` = label) trigger.
pub fn together(c: &Clause, tr: &Trigger, w: Want) -> Vec<Claim> {
    // a work between the trigger and an act ends the search there ("featured as the theme
    // of the series Signal, starring X")
    let among: &[Want] = if w == Want::Label {
        &[Want::Artist, Want::Label]
    } else {
        &[Want::Artist, Want::Label, Want::Work]
    };
    // "along with", "together with": side by side, a collaboration only over a song
    let side_by_side = c.lex.rc.side_by_side.contains(c.s.words.ids(tr.a, tr.b));
    if side_by_side && c.song(tr).is_none() {
        return Vec::new();
    }
    if let Some(pair) = between(c, tr) {
        let mut claims = all_together(c, tr, w, true, c.entities(&pair));
        for x in &mut claims {
            x.cues.push("rule: the two parties of 'between'".into());
        }
        return claims;
    }
    // "the drama W produced by Apple TV+": a passive trigger's parties are after "by"
    let passive = tr.phrase.ends_with(" by");
    let mut side: Vec<usize> = if passive {
        Vec::new()
    } else {
        c.left_any(tr.a, among)
    };
    side.retain(|&i| party(c, i));
    let mut right = c.right_any(tr.b, among);
    let rest = named_after(c, tr, right.last().copied());
    let star = !rest.is_empty() && !side.is_empty();
    right.extend(rest);
    let joint = is_joint(c, tr);
    // "written by A, B and C": credits on one side are no collaboration among themselves
    let left_n = side.len();
    if !(c.a..tr.a).any(|k| c.s.is_word(k)) {
        // "Along with A and B, C and D performed ...": the clause's subject too
        if let Some(&last) = right.last() {
            side.extend(c.right_any(c.ps[last].b, among));
        }
    }
    side.extend(right);
    side.retain(|&i| party(c, i));
    people_to_company(c, tr, &mut side);
    if !joint && (left_n == 0 || left_n == side.len()) && side.len() > 1 {
        return Vec::new();
    }
    let mut parties = c.entities(&side);
    if w == Want::Artist {
        lend_first_act(c, tr, &side, &mut parties);
    }
    if star && parties.len() > 2 && left_n == 1 {
        return one_with_each(c, tr, w, &parties);
    }
    all_together(c, tr, w, joint, parties)
}

/// "a collaboration between Samsung Electronics and the top star of the time, Lee Hyori":
/// the parties listed after "between", or the first of them and the first after its "and",
/// however described.
fn between(c: &Clause, tr: &Trigger) -> Option<Vec<usize>> {
    let s = c.s;
    if !(s.is_word(tr.b) && s.words.lower(tr.b) == "between") {
        return None;
    }
    let first = (0..c.ps.len()).find(|&i| c.ps[i].a > tr.b && party(c, i))?;
    // "between Billboard, Billboard Korea, and Kakao Entertainment": a plain list
    let listed = c.list_any(first, &PARTIES);
    if listed.len() >= 2 {
        return Some(listed);
    }
    let and = (c.ps[first].b..c.b).find(|&k| s.is_word(k) && s.words.lower(k) == "and")?;
    let second = (first + 1..c.ps.len()).find(|&i| c.ps[i].a > and && party(c, i))?;
    Some(vec![first, second])
}

/// "A and B collaborate", "team up": a joint verb pairs its subjects; "A and B have released
/// collaborations with ..." (a plural noun) does not.
fn is_joint(c: &Clause, tr: &Trigger) -> bool {
    let rc = &c.lex.rc;
    let plural = rc.joint_plurals.contains(c.s.words.ids(tr.a, tr.b));
    !plural
        && tr
            .phrase
            .split(' ')
            .any(|w| c.lex.joint_stems.iter().any(|s| w.starts_with(s.as_str())))
}

/// "team up with director Jeong and 'Star Trek Beyond' writer Doug Jung": every party named
/// after the list that follows the trigger, joined to it by commas or "and".
fn named_after(c: &Clause, tr: &Trigger, mut last: Option<usize>) -> Vec<usize> {
    let mut rest = Vec::new();
    while let Some(l) = last {
        let next = (l + 1..c.ps.len()).find(|&i| party(c, i) && !c.aside(i, tr.b));
        let joined = next.is_some_and(|n| {
            let (b, a) = (c.ps[l].b, c.ps[n].a);
            a <= b + 8
                && (b..a)
                    .any(|k| c.s.is_punct(k, ',') || c.s.is_word(k) && c.s.words.lower(k) == "and")
                && !c.s.any_word_in(b, a, &c.lex.rc.list_breaks)
        });
        last = next.filter(|_| joined);
        rest.extend(last);
    }
    rest
}

/// "teamed up with producers A and B of Company SangSang": the company stands for the people
/// named after the trigger.
fn people_to_company(c: &Clause, tr: &Trigger, side: &mut Vec<usize>) {
    let Some(&last) = side.last() else {
        return;
    };
    let b = c.ps[last].b;
    let of = c.s.is_word(b) && matches!(c.s.words.lower(b), "of" | "from" | "at");
    let company = (last + 1..c.ps.len()).find(|&i| c.ps[i].a == b + 1 && c.usable(i, Want::Label));
    if let (true, Some(co)) = (of && fits(c.t, c.ps[last].entity, Want::Person), company) {
        side.retain(|&i| !(c.ps[i].a > tr.b && fits(c.t, c.ps[i].entity, Want::Person)));
        side.push(co);
    }
}

/// "Lady Gaga has released ... Ariana Grande collaboration": one act around the trigger
/// collaborates with the act named before it.
fn lend_first_act(c: &Clause, tr: &Trigger, side: &[usize], parties: &mut Vec<usize>) {
    let acts = parties
        .iter()
        .filter(|&&e| fits(c.t, e, Want::Artist))
        .count();
    if parties.len() != 1 || acts != 1 {
        return;
    }
    let first = (0..side[0])
        .rev()
        .find(|&i| c.usable(i, Want::Artist) && !c.aside(i, tr.a));
    if let Some(first) = first {
        let e = c.ps[first].entity;
        if !parties.contains(&e) {
            parties.insert(0, e);
        }
    }
}

/// The kind of partnership of acts and companies: acts alone make music, companies alone
/// business, a mix something else.
fn kind_of(c: &Clause, parties: &[usize]) -> PK {
    let acts = parties
        .iter()
        .filter(|&&e| fits(c.t, e, Want::Artist))
        .count();
    match acts {
        _ if acts == parties.len() => PK::MusicalCollaboration,
        0 => PK::BusinessPartnership,
        _ => PK::Other,
    }
}

/// One act with several named apart: each with the one, not with each other.
fn one_with_each(c: &Clause, tr: &Trigger, w: Want, parties: &[usize]) -> Vec<Claim> {
    let via = c.song(tr);
    let one = parties[0];
    let rule = "one party and each named after the trigger";
    parties[1..]
        .iter()
        .map(|&p| vec![one, p])
        .filter(|pair| w == Want::Label || pair.iter().any(|&e| fits(c.t, e, Want::Artist)))
        .map(|pair| claim(kind_of(c, &pair), pair, via, 0.65, rule))
        .collect()
}

/// The parties together, or one party with a work ("an Overwatch 2 event in collaboration
/// with LE SSERAFIM", "LE SSERAFIM x OVERWATCH 2").
fn all_together(c: &Clause, tr: &Trigger, w: Want, joint: bool, parties: Vec<usize>) -> Vec<Claim> {
    let via = c.song(tr);
    let kind = kind_of(c, &parties);
    if parties.len() >= 2 {
        // a deal between acts alone is not a company deal ("a contract with singer X")
        if w == Want::Label && kind == PK::MusicalCollaboration {
            return Vec::new();
        }
        let rule = match kind {
            PK::MusicalCollaboration => "acts around the trigger",
            PK::BusinessPartnership => "companies around the trigger",
            _ => "acts and companies around the trigger",
        };
        return vec![claim(kind, parties, via, 0.7, rule)];
    }
    let ([act], true) = (&parties[..], joint) else {
        return Vec::new();
    };
    let mut works = c.right(tr.b, Want::Work, &[Want::Work]);
    works.extend(c.left(tr.a, Want::Work, &[Want::Work]));
    works
        .first()
        .map(|&work| {
            let pair = vec![*act, c.ps[work].entity];
            claim(PK::Other, pair, via, 0.6, "a party and a work together")
        })
        .into_iter()
        .collect()
}
