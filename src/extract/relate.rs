//! Pass 8b, relations around a trigger: for each trigger in a clause, the parties it relates
//! are found by what the trigger class needs (a person and a work for "cast", two acts for
//! "collaborate", an artist and a brand for "endorse", ...): the nearest list of the right
//! kind before the trigger (its subject), the nearest after it (its object, or the "with",
//! "in", "for", "by" phrase), and the relation's kind follows from the class and the kinds.
use super::PartnershipKind as PK;
use super::Kind;
use super::Subtype;
use super::clauses::{Party, Trigger};
use super::doc::Sentence;
use super::entities::Table;
use super::lexicon::TriggerClass as TC;
use super::lists;

/// A relation a clause states, before filtering.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    pub kind: PK,
    pub parties: Vec<usize>,
    pub via: Option<usize>,
    pub confidence: f32,
    pub cues: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Want {
    Person,
    Artist,
    Work,
    Song,
    Label,
}

fn fits(t: &Table, e: usize, w: Want) -> bool {
    let x = &t.entities[e];
    match w {
        Want::Person => x.kind == Kind::Artist && x.subtype != Some(Subtype::Group),
        Want::Artist => x.kind == Kind::Artist,
        Want::Work => x.kind == Kind::Film,
        Want::Song => x.kind == Kind::Song,
        Want::Label => x.kind == Kind::Label,
    }
}

/// The parties of one clause and what the helpers below need to read them.
pub struct Clause<'a> {
    pub s: &'a Sentence,
    pub t: &'a Table,
    pub ps: &'a [Party],
    pub a: usize,
    pub b: usize,
}

impl Clause<'_> {
    /// Party `i` owns the name after it ("Steven Spielberg's Amblin", "Cuarón's Disclaimer"):
    /// it modifies that name and is no party of the clause's verb.
    fn owner(&self, i: usize) -> bool {
        let p = &self.ps[i];
        !p.stand_in
            && self.s.toks[p.b - 1].possessive
            && self.ps.get(i + 1).is_some_and(|n| n.a >= p.b && n.a <= p.b + 4)
    }

    fn usable(&self, i: usize, w: Want) -> bool {
        let p = &self.ps[i];
        p.a >= self.a && p.b <= self.b && fits(self.t, p.entity, w) && !self.owner(i)
    }

    /// The list that party `i` is in, as party indices.
    fn list(&self, i: usize, w: Want) -> Vec<usize> {
        let mut lo = i;
        while lo > 0 && self.ps[lo - 1].b <= self.ps[lo].a && lists::joins(self.s, self.ps[lo - 1].b, self.ps[lo].a) {
            lo -= 1;
        }
        let mut hi = i;
        while hi + 1 < self.ps.len() && lists::joins(self.s, self.ps[hi].b, self.ps[hi + 1].a) {
            hi += 1;
        }
        (lo..=hi).filter(|&j| self.usable(j, w)).collect()
    }

    /// The nearest list of `w` ending before token `k`.
    fn left(&self, k: usize, w: Want) -> Vec<usize> {
        (0..self.ps.len())
            .rev()
            .find(|&i| self.ps[i].b <= k && self.usable(i, w))
            .map(|i| self.list(i, w))
            .unwrap_or_default()
    }

    /// The nearest list of `w` starting after token `k`.
    fn right(&self, k: usize, w: Want) -> Vec<usize> {
        (0..self.ps.len())
            .find(|&i| self.ps[i].a >= k && self.usable(i, w))
            .map(|i| self.list(i, w))
            .unwrap_or_default()
    }

    /// Every party of `w` after token `k` in the clause ("stars A, B, actor C and D").
    fn all_right(&self, k: usize, w: Want) -> Vec<usize> {
        (0..self.ps.len())
            .filter(|&i| self.ps[i].a >= k && self.usable(i, w))
            .collect()
    }

    fn entities(&self, idx: &[usize]) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        for &i in idx {
            let e = self.ps[i].entity;
            if !out.contains(&e) {
                out.push(e);
            }
        }
        out
    }

    /// The song named nearest the trigger, if any.
    fn song(&self, tr: &Trigger) -> Option<usize> {
        (0..self.ps.len())
            .filter(|&i| self.ps[i].a >= self.a && self.ps[i].b <= self.b && fits(self.t, self.ps[i].entity, Want::Song))
            .min_by_key(|&i| self.ps[i].a.abs_diff(tr.a))
            .map(|i| self.ps[i].entity)
    }
}

/// The claims of one trigger.
pub fn claims(c: &Clause, tr: &Trigger) -> Vec<Claim> {
    let cue = format!("trigger '{}' ({})", tr.phrase, tr.class.as_str());
    let mut out = match tr.class {
        TC::Cast | TC::Create => credits(c, tr, Want::Person),
        TC::Appear => credits(c, tr, Want::Artist),
        TC::Soundtrack => soundtrack(c, tr),
        TC::Collaborate => together(c, tr, Want::Artist),
        TC::Deal => together(c, tr, Want::Label),
        TC::Endorse => endorse(c, tr),
    };
    for cl in &mut out {
        cl.cues.insert(0, cue.clone());
    }
    out
}

fn claim(kind: PK, parties: Vec<usize>, via: Option<usize>, confidence: f32, rule: &str) -> Claim {
    Claim {
        kind,
        parties,
        via,
        confidence,
        cues: vec![format!("rule: {rule}")],
    }
}

/// Casting, a credit or an appearance: people and the work they are in.
fn credits(c: &Clause, tr: &Trigger, who: Want) -> Vec<Claim> {
    let pl = c.left(tr.a, who);
    let wr = c.right(tr.b, Want::Work);
    let wl = c.left(tr.a, Want::Work);
    let (people, works, rule) = if !pl.is_empty() && !wr.is_empty() {
        (pl, wr, "subject before the trigger, work after it")
    } else if !wl.is_empty() && !c.right(tr.b, who).is_empty() {
        (c.all_right(tr.b, who), vec![wl[wl.len() - 1]], "work before the trigger, people after it")
    } else if !pl.is_empty() && !wl.is_empty() && c.ps[pl[0]].a < c.ps[wl[0]].a {
        (pl, vec![wl[wl.len() - 1]], "person, then work, then the role")
    } else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for &w in &works {
        let work = c.ps[w].entity;
        let show = c.t.entities[work].subtype == Some(Subtype::Show);
        let kind = if tr.class == TC::Appear && !tr.phrase.starts_with("host") && (show || !tr.phrase.ends_with(" in")) {
            PK::Appearance
        } else {
            PK::Casting
        };
        for e in c.entities(&people) {
            out.push(claim(kind, vec![e, work], None, 0.75, rule));
        }
    }
    out
}

/// A soundtrack: an artist's song for a work.
fn soundtrack(c: &Clause, tr: &Trigger) -> Vec<Claim> {
    let work = {
        let r = c.right(tr.b, Want::Work);
        if r.is_empty() { c.left(tr.a, Want::Work) } else { r }
    };
    let Some(&w) = work.first() else {
        return Vec::new();
    };
    let mut artists = c.left(tr.a, Want::Artist);
    if artists.is_empty() {
        artists = c.right(tr.b, Want::Artist);
    }
    let via = c.song(tr);
    c.entities(&artists)
        .into_iter()
        .map(|a| claim(PK::Soundtrack, vec![a, c.ps[w].entity], via, 0.75, "artist and the work its song is for"))
        .collect()
}

/// Parties of one kind together: acts collaborating, companies in a deal. An act with a
/// work (a game) or a brand is another kind of partnership.
fn together(c: &Clause, tr: &Trigger, w: Want) -> Vec<Claim> {
    let mut side = c.left(tr.a, w);
    side.extend(c.right(tr.b, w));
    let mut parties = c.entities(&side);
    if parties.len() == 1 && w == Want::Artist {
        // "Lady Gaga has released ... Ariana Grande collaboration": the clause's subject
        if let Some(first) = (0..c.ps.len()).find(|&i| c.usable(i, w)) {
            let e = c.ps[first].entity;
            if !parties.contains(&e) {
                parties.insert(0, e);
            }
        }
    }
    let via = c.song(tr);
    let (kind, rule) = match w {
        Want::Label => (PK::BusinessPartnership, "companies on both sides of the trigger"),
        _ => (PK::MusicalCollaboration, "acts on both sides of the trigger"),
    };
    let mut out = Vec::new();
    if parties.len() >= 2 {
        out.push(claim(kind, parties, via, 0.7, rule));
    } else if let [act] = parties[..] {
        // "an Overwatch 2 event in collaboration with LE SSERAFIM", "LE SSERAFIM x OVERWATCH 2"
        let mut works = c.right(tr.b, Want::Work);
        works.extend(c.left(tr.a, Want::Work));
        if let Some(&work) = works.first().filter(|_| w == Want::Artist && !tr.phrase.starts_with("feat")) {
            out.push(claim(PK::Other, vec![act, c.ps[work].entity], via, 0.6, "an act and a work together"));
        }
    }
    out
}

/// An artist fronting a brand.
fn endorse(c: &Clause, tr: &Trigger) -> Vec<Claim> {
    let mut artists = c.left(tr.a, Want::Artist);
    let mut brands = c.right(tr.b, Want::Label);
    if artists.is_empty() || brands.is_empty() {
        let (a2, b2) = (c.right(tr.b, Want::Artist), c.left(tr.a, Want::Label));
        if !a2.is_empty() && !b2.is_empty() {
            artists = a2;
            brands = b2;
        } else if artists.is_empty() && !a2.is_empty() && !brands.is_empty() {
            artists = a2;
        } else if brands.is_empty() && !b2.is_empty() && !artists.is_empty() {
            brands = b2;
        }
    }
    if artists.is_empty() || brands.is_empty() {
        return Vec::new();
    }
    let via = c.song(tr);
    let mut out = Vec::new();
    for b in c.entities(&brands) {
        for a in c.entities(&artists) {
            out.push(claim(PK::Endorsement, vec![a, b], via, 0.7, "artist and brand around the trigger"));
        }
    }
    out
}
