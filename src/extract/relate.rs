//! Pass 8b, relations around a trigger: for each trigger in a clause, the parties it relates
//! are found by what the trigger class needs (a person and a work for "cast", two acts for
//! "collaborate", an artist and a brand for "endorse", ...): the nearest list of the right
//! kind before the trigger (its subject), the nearest after it (its object, or the "with",
//! "in", "for", "by" phrase), and the relation's kind follows from the class and the kinds.
use super::Kind;
use super::PartnershipKind as PK;
use super::Subtype;
use super::clauses::{Party, Trigger};
use super::doc::Sentence;
use super::entities::Table;
use super::kinds::is_quote;
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
    /// The article's work at this point (what "cast as the villain" is cast in).
    pub focus: Option<usize>,
    pub lex: &'a super::lexicon::Lexicon,
}

/// The kinds a trigger class reads around it: the nearest of these on a side is its
/// subject (or object); other names (a network, a song) are passed over.
fn relevant(class: TC) -> &'static [Want] {
    match class {
        TC::Cast | TC::Create | TC::Appear | TC::Soundtrack => &[Want::Artist, Want::Work],
        TC::Collaborate => &[Want::Artist],
        TC::Deal => &[Want::Label],
        TC::Endorse => &[Want::Artist, Want::Label],
    }
}

impl Clause<'_> {
    /// Party `i` owns the name after it ("Steven Spielberg's Amblin", "Cuarón's Disclaimer"):
    /// it modifies that name and is no party of the clause's verb.
    fn owner(&self, i: usize) -> bool {
        let p = &self.ps[i];
        let s = self.s;
        // a possessive modifies the name a few plain words later ("BTS's variety show X"),
        // not one after a preposition ("Cuarón's deal with Apple TV+")
        // a company owning a title or a campaign still acts ("Adidas Originals' new campaign"),
        // and so does an act owning its song ("ILLIT's 'Secret Quest' as the ending theme")
        let next_kind = self.ps.get(i + 1).map(|n| self.t.entities[n.entity].kind);
        let company = match self.t.entities[p.entity].kind {
            Kind::Label => next_kind.is_some_and(|k| k != Kind::Label),
            Kind::Artist => next_kind == Some(Kind::Song),
            _ => false,
        };
        let owns = !p.stand_in
            && !company
            && s.toks[p.b - 1].possessive
            && self.ps.get(i + 1).is_some_and(|n| {
                n.a >= p.b
                    && n.a <= p.b + 4
                    && !(p.b..n.a).any(|k| {
                        s.is_word(k)
                            && matches!(
                                s.words.lower(k),
                                "with" | "for" | "in" | "on" | "of" | "to" | "by" | "and"
                            )
                    })
            });
        // "Chum Churum, owned by Lotte Group, hired ...": the owner is an aside
        let aside = p.a >= 2
            && s.is_word(p.a - 1)
            && s.is_word(p.a - 2)
            && matches!(
                (s.words.lower(p.a - 2), s.words.lower(p.a - 1)),
                ("owned", "by") | ("parent", "company") | ("operated", "by")
            );
        owns || aside
    }

    fn usable(&self, i: usize, w: Want) -> bool {
        let p = &self.ps[i];
        let kind_fits = if p.as_work {
            w == Want::Work
        } else {
            fits(self.t, p.entity, w)
        };
        p.a >= self.a && p.b <= self.b && kind_fits && !self.owner(i) && !self.s.in_credit(p.a)
    }

    /// Whether party `i` is inside parentheses that do not hold token `k` (an aside:
    /// "NiziU (Mako, Riku, ...) will appear").
    fn aside(&self, i: usize, k: usize) -> bool {
        let p = &self.ps[i];
        if self.relative(p.a) != self.relative(k) && self.relative(p.a).is_some() {
            return true;
        }
        // "Ok Taecyeon of "Mas" and "2PM" has confirmed": what a person is "of" is an aside
        let mut i = i;
        while i > 0
            && self.ps[i - 1].b <= self.ps[i].a
            && lists::joins(self.s, self.ps[i - 1].b, self.ps[i].a)
        {
            i -= 1;
        }
        let p = &self.ps[i];
        let mut j = p.a;
        while j > self.a && is_quote(self.s, j - 1) {
            j -= 1;
        }
        if j > self.a && self.s.is_word(j - 1) && matches!(self.s.words.lower(j - 1), "of" | "from")
        {
            let person_before = i > 0
                && self.ps[i - 1].b == j - 1
                && fits(self.t, self.ps[i - 1].entity, Want::Person);
            if person_before {
                return true;
            }
        }
        let open = (self.a..p.a)
            .rev()
            .find(|&j| self.s.is_punct(j, '(') || self.s.is_punct(j, ')'));
        let Some(o) = open.filter(|&o| self.s.is_punct(o, '(')) else {
            return false;
        };
        let close = (p.b..self.b).find(|&j| self.s.is_punct(j, ')'));
        close.is_some_and(|c| !(k > o && k < c))
    }

    /// The list that party `i` is in, as party indices.
    fn list(&self, i: usize, w: Want) -> Vec<usize> {
        let mut lo = i;
        while lo > 0
            && self.ps[lo - 1].b <= self.ps[lo].a
            && lists::joins(self.s, self.ps[lo - 1].b, self.ps[lo].a)
        {
            lo -= 1;
        }
        let mut hi = i;
        while hi + 1 < self.ps.len() && lists::joins(self.s, self.ps[hi].b, self.ps[hi + 1].a) {
            hi += 1;
        }
        (lo..=hi).filter(|&j| self.usable(j, w)).collect()
    }

    /// The relative clause or apposition (", who ...," / ", the singer ...,") token `k` is
    /// in, as its start: the stretch after a comma that follows a name.
    fn relative(&self, k: usize) -> Option<usize> {
        let s = self.s;
        let is_rel =
            |j: usize| s.is_word(j) && matches!(s.words.lower(j), "who" | "which" | "whose");
        let comma = (self.a..k).rev().find(|&j| s.is_punct(j, ','))?;
        let after_name = self.ps.iter().any(|p| p.b == comma && !p.stand_in);
        let appos = after_name
            && s.is_word(comma + 1)
            && matches!(s.words.lower(comma + 1), "the" | "a" | "an");
        ((is_rel(comma + 1) || appos) && comma + 1 < k).then_some(comma + 1)
    }

    fn relevant(&self, i: usize, among: &[Want]) -> bool {
        among.iter().any(|&w| self.usable(i, w))
    }

    /// The list of `w` ending before token `k`, if the nearest name of the kinds `among`
    /// there is one.
    fn left(&self, k: usize, w: Want, among: &[Want]) -> Vec<usize> {
        (0..self.ps.len())
            .rev()
            .find(|&i| self.ps[i].b <= k && self.relevant(i, among) && !self.aside(i, k))
            .filter(|&i| self.usable(i, w))
            .map(|i| {
                if self.apposition_holds(i, k) {
                    vec![i]
                } else {
                    self.list(i, w)
                }
            })
            .unwrap_or_default()
    }

    /// "..., and Aimer, the singer responsible for the theme": the trigger at `k` is in an
    /// apposition to party `i`, which alone is its subject.
    fn apposition_holds(&self, i: usize, k: usize) -> bool {
        let s = self.s;
        let b = self.ps[i].b;
        s.is_punct(b, ',')
            && s.is_word(b + 1)
            && matches!(s.words.lower(b + 1), "the" | "a" | "an" | "who")
            && k > b
    }

    /// The list of `w` starting after token `k`, if the nearest name of the kinds `among`
    /// there is one.
    fn right(&self, k: usize, w: Want, among: &[Want]) -> Vec<usize> {
        (0..self.ps.len())
            .find(|&i| self.ps[i].a >= k && self.relevant(i, among) && !self.aside(i, k))
            .filter(|&i| self.usable(i, w))
            .map(|i| self.list(i, w))
            .unwrap_or_default()
    }

    /// Every party of `w` after token `k` in the clause ("stars A, B, actor C and D").
    fn all_right(&self, k: usize, w: Want) -> Vec<usize> {
        (0..self.ps.len())
            .filter(|&i| self.ps[i].a >= k && self.usable(i, w) && !self.aside(i, k))
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

    /// A trigger that is a role noun ("director", "star") rather than a verb, unless it
    /// follows "as" ("as the co-showrunner", "as executive producer").
    fn role_noun(&self, tr: &Trigger) -> bool {
        let s = self.s;
        let single = tr.b == tr.a + 1;
        let after_as =
            (tr.a.saturating_sub(3)..tr.a).any(|k| s.is_word(k) && s.words.lower(k) == "as");
        let w = s.words.lower(tr.a);
        // "will next star in": a verb
        let verb = (tr.a.saturating_sub(2)..tr.a).any(|k| {
            s.is_word(k)
                && matches!(
                    s.words.lower(k),
                    "will"
                        | "would"
                        | "to"
                        | "can"
                        | "could"
                        | "may"
                        | "might"
                        | "also"
                        | "next"
                        | "who"
                        | "and"
                )
        }) || s.is_word(tr.b)
            && matches!(
                s.words.lower(tr.b),
                "in" | "on" | "as" | "alongside" | "opposite"
            );
        single
            && !after_as
            && !verb
            && [
                "director",
                "directors",
                "star",
                "producer",
                "producers",
                "writer",
                "screenwriter",
                "creator",
                "showrunner",
                "composer",
                "filmmaker",
                "lead",
                "host",
                "breakout",
            ]
            .iter()
            .any(|r| w == *r || w.strip_suffix(r).is_some_and(|p| p.ends_with('-')))
    }

    /// The nearest list of any of the kinds `among` before token `k` (mixed kinds kept).
    fn left_any(&self, k: usize, among: &[Want]) -> Vec<usize> {
        (0..self.ps.len())
            .rev()
            .find(|&i| self.ps[i].b <= k && self.relevant(i, among) && !self.aside(i, k))
            .map(|i| self.list_any(i, among))
            .unwrap_or_default()
    }

    /// The nearest list of any of the kinds `among` after token `k`.
    fn right_any(&self, k: usize, among: &[Want]) -> Vec<usize> {
        (0..self.ps.len())
            .find(|&i| self.ps[i].a >= k && self.relevant(i, among) && !self.aside(i, k))
            .map(|i| self.list_any(i, among))
            .unwrap_or_default()
    }

    fn list_any(&self, i: usize, among: &[Want]) -> Vec<usize> {
        let mut out: Vec<usize> = among.iter().flat_map(|&w| self.list(i, w)).collect();
        out.sort();
        out.dedup();
        out
    }

    /// The song named nearest the trigger, if any.
    fn song(&self, tr: &Trigger) -> Option<usize> {
        (0..self.ps.len())
            .filter(|&i| {
                self.ps[i].a >= self.a
                    && self.ps[i].b <= self.b
                    && fits(self.t, self.ps[i].entity, Want::Song)
            })
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
    let among = relevant(tr.class);
    let pl = c.left(tr.a, who, among);
    let pr = c.right(tr.b, who, among);
    let near = |w: &usize| {
        // a role noun ("director") names the work right beside it only
        !c.role_noun(tr)
            || c.ps[*w].b + 3 >= tr.a && c.ps[*w].b <= tr.a
            || c.ps[*w].a <= tr.b + 3 && c.ps[*w].a >= tr.b
    };
    let wr: Vec<usize> = c
        .right(tr.b, Want::Work, among)
        .into_iter()
        .filter(near)
        .collect();
    let wl: Vec<usize> = c
        .left(tr.a, Want::Work, among)
        .into_iter()
        .filter(near)
        .collect();
    let wl_any: Vec<usize> = c
        .left(tr.a, Want::Work, &[Want::Work])
        .into_iter()
        .filter(near)
        .collect();
    let passive = tr.phrase.ends_with(" by") || c.s.is_word(tr.b) && c.s.words.lower(tr.b) == "by";
    let first = |v: &[usize]| c.ps[v[0]].a;
    // "The drama is produced by Esperanto Filmoj and Anonymous Content": co-producers
    let mut out = Vec::new();
    if passive && tr.class == TC::Create {
        let companies = c.entities(&c.all_right(tr.b, Want::Label));
        if companies.len() >= 2 {
            out.push(claim(
                PK::BusinessPartnership,
                companies,
                None,
                0.7,
                "companies producing one work",
            ));
        }
        if pr.is_empty() {
            return out;
        }
    }
    let (people, works, rule, conf) =
        if passive && !pr.is_empty() && (!wl.is_empty() || !wr.is_empty()) {
            let w = if wl.is_empty() {
                wr
            } else {
                vec![wl[wl.len() - 1]]
            };
            (
                c.all_right(tr.b, who),
                w,
                "work, then the trigger, then 'by' the people",
                0.75,
            )
        } else if !pl.is_empty() && !wr.is_empty() {
            (pl, wr, "subject before the trigger, work after it", 0.75)
        } else if !wl.is_empty() && !pr.is_empty() {
            // "W stars A, B, actor C and D"; a role noun names one: "W star A"
            let people = if c.role_noun(tr) {
                pr
            } else {
                c.all_right(tr.b, who)
            };
            (
                people,
                vec![wl[wl.len() - 1]],
                "work before the trigger, people after it",
                0.75,
            )
        } else if pl.is_empty()
            && wl.is_empty()
            && !pr.is_empty()
            && !wr.is_empty()
            && first(&pr) < first(&wr)
        {
            (pr, wr, "'Starring X, the film ...'", 0.7)
        } else if !pl.is_empty() && !wl_any.is_empty() {
            (
                pl,
                vec![wl_any[wl_any.len() - 1]],
                "person and work before the trigger",
                0.6,
            )
        } else if let Some(focus) = c
            .focus
            .filter(|_| wl.is_empty() && wr.is_empty() && !c.role_noun(tr))
        {
            // "Zawe Ashton has been cast as the villain": the article's work
            let people = if passive || pl.is_empty() { pr } else { pl };
            out.extend(
                c.entities(&people)
                    .into_iter()
                    .filter(|&e| e != focus)
                    .map(|e| {
                        claim(
                            kind_of(c, tr, focus),
                            vec![e, focus],
                            None,
                            0.55,
                            "the article's work",
                        )
                    }),
            );
            return out;
        } else {
            return out;
        };
    for &w in &works {
        let work = c.ps[w].entity;
        for e in c.entities(&people) {
            out.push(claim(kind_of(c, tr, work), vec![e, work], None, conf, rule));
        }
    }
    out
}

/// Casting, or an appearance on a show.
fn kind_of(c: &Clause, tr: &Trigger, work: usize) -> PK {
    let show = c.t.entities[work].subtype == Some(Subtype::Show);
    if tr.class == TC::Appear
        && !tr.phrase.starts_with("host")
        && (show || !tr.phrase.ends_with(" in"))
    {
        PK::Appearance
    } else {
        PK::Casting
    }
}

/// A soundtrack: an artist's song for a work.
fn soundtrack(c: &Clause, tr: &Trigger) -> Vec<Claim> {
    let works = &[Want::Work];
    let work = {
        let r = c.right(tr.b, Want::Work, works);
        if r.is_empty() {
            c.left(tr.a, Want::Work, works)
        } else {
            r
        }
    };
    let work = work.first().map(|&w| c.ps[w].entity).or(c.focus);
    let Some(work) = work else {
        return Vec::new();
    };
    let acts = &[Want::Artist];
    let near = c.left(tr.a, Want::Artist, acts);
    // every act of the clause before the song's work ("A collaborated with B and C to release
    // X, the theme song for W"), unless the trigger is said of one ("Aimer, the singer ...")
    let mut artists = match near.first() {
        Some(_) if c.apposition_holds(near[near.len() - 1], tr.a) => vec![near[near.len() - 1]],
        Some(_) => (0..c.ps.len())
            .filter(|&i| c.ps[i].b <= tr.a && c.usable(i, Want::Artist) && !c.aside(i, tr.a))
            .collect(),
        None => Vec::new(),
    };
    if artists.is_empty() {
        artists = c.right(tr.b, Want::Artist, acts);
    }
    let via = c.song(tr);
    c.entities(&artists)
        .into_iter()
        .map(|a| {
            claim(
                PK::Soundtrack,
                vec![a, work],
                via,
                0.75,
                "artist and the work its song is for",
            )
        })
        .collect()
}

/// Parties together: acts collaborating (musical collaboration), companies in a deal
/// (business partnership), acts with companies or a work (another partnership).
fn together(c: &Clause, tr: &Trigger, w: Want) -> Vec<Claim> {
    let parties_of = [Want::Artist, Want::Label];
    // a work between the trigger and an act ends the search there ("featured as the theme
    // of the series Signal, starring X")
    let among: &[Want] = if w == Want::Label {
        &[Want::Artist, Want::Label]
    } else {
        &[Want::Artist, Want::Label, Want::Work]
    };
    // "along with", "together with": side by side, a collaboration only over a song
    let weak = matches!(
        tr.phrase.as_str(),
        "along with" | "alongside" | "together with" | "with"
    );
    if weak && c.song(tr).is_none() {
        return Vec::new();
    }
    let mut side: Vec<usize> = c
        .left_any(tr.a, among)
        .into_iter()
        .filter(|&i| parties_of.iter().any(|&k| c.usable(i, k)))
        .collect();
    let mut right = c.right_any(tr.b, among);
    // "team up with director Jeong and 'Star Trek Beyond' writer Doug Jung": every party after
    let mut rest: Vec<usize> = Vec::new();
    let mut last = right.last().copied();
    while let Some(l) = last {
        let next = (l + 1..c.ps.len())
            .find(|&i| parties_of.iter().any(|&k| c.usable(i, k)) && !c.aside(i, tr.b));
        let joined = next.is_some_and(|n| {
            let (b, a) = (c.ps[l].b, c.ps[n].a);
            a <= b + 8
                && (b..a)
                    .any(|k| c.s.is_punct(k, ',') || c.s.is_word(k) && c.s.words.lower(k) == "and")
                && !(b..a).any(|k| {
                    c.s.is_word(k)
                        && matches!(
                            c.s.words.lower(k),
                            "of" | "to"
                                | "for"
                                | "in"
                                | "on"
                                | "with"
                                | "who"
                                | "which"
                                | "like"
                                | "by"
                                | "from"
                        )
                })
        });
        last = next.filter(|_| joined);
        if let Some(n) = last {
            rest.push(n);
        }
    }
    let star = !rest.is_empty() && !side.is_empty();
    right.extend(rest);
    // "A and B collaborate": a joint verb pairs its subjects; "A and B have released
    // collaborations with ..." (a plural noun) does not
    let plural = [
        "collaborations",
        "partnerships",
        "deals",
        "collabs",
        "duets",
    ]
    .contains(&tr.phrase.as_str());
    let joint = !plural
        && [
            "collab",
            "team",
            "partner",
            "join",
            "crossover",
            "together",
            "x",
            "duet",
            "along",
            "deal",
            "agree",
            "allian",
            "co-",
            "sign",
            "contract",
        ]
        .iter()
        .any(|w| tr.phrase.starts_with(w) || tr.phrase.contains(&format!(" {w}")));
    // "written by A, B and C": credits on one side are no collaboration among themselves
    let left_n = side.len();
    let clause_start = !(c.a..tr.a).any(|k| c.s.is_word(k));
    if clause_start {
        // "Along with A and B, C and D performed ...": the clause's subject too
        if let Some(&last) = right.last() {
            side.extend(c.right_any(c.ps[last].b, among));
        }
    }
    side.extend(right);
    side.retain(|&i| parties_of.iter().any(|&k| c.usable(i, k)));
    // "teamed up with producers A and B of Company SangSang": the company
    if let Some(&last) = side.last() {
        let b = c.ps[last].b;
        let of = c.s.is_word(b) && matches!(c.s.words.lower(b), "of" | "from" | "at");
        let company =
            (last + 1..c.ps.len()).find(|&i| c.ps[i].a == b + 1 && c.usable(i, Want::Label));
        if let (true, Some(co)) = (of && fits(c.t, c.ps[last].entity, Want::Person), company) {
            side.retain(|&i| !(c.ps[i].a > tr.b && fits(c.t, c.ps[i].entity, Want::Person)));
            side.push(co);
        }
    }
    if !joint && (left_n == 0 || left_n == side.len()) && side.len() > 1 {
        return Vec::new();
    }
    let mut parties = c.entities(&side);
    let acts = parties
        .iter()
        .filter(|&&e| fits(c.t, e, Want::Artist))
        .count();
    if parties.len() == 1 && acts == 1 && w == Want::Artist {
        // "Lady Gaga has released ... Ariana Grande collaboration": the act named before
        let one = side[0];
        if let Some(first) = (0..one)
            .rev()
            .find(|&i| c.usable(i, Want::Artist) && !c.aside(i, tr.a))
        {
            let e = c.ps[first].entity;
            if !parties.contains(&e) {
                parties.insert(0, e);
            }
        }
    }
    let acts = parties
        .iter()
        .filter(|&&e| fits(c.t, e, Want::Artist))
        .count();
    let via = c.song(tr);
    let (kind, rule) = if acts == parties.len() {
        (PK::MusicalCollaboration, "acts around the trigger")
    } else if acts == 0 {
        (PK::BusinessPartnership, "companies around the trigger")
    } else {
        (PK::Other, "acts and companies around the trigger")
    };
    let mut out = Vec::new();
    if star && parties.len() > 2 && left_n == 1 {
        // one act with several named apart: each with the one, not with each other
        let one = parties[0];
        for &p in &parties[1..] {
            let pair = vec![one, p];
            let acts = pair.iter().filter(|&&e| fits(c.t, e, Want::Artist)).count();
            let kind = match acts {
                2 => PK::MusicalCollaboration,
                0 => PK::BusinessPartnership,
                _ => PK::Other,
            };
            if acts > 0 || w == Want::Label {
                out.push(claim(
                    kind,
                    pair,
                    via,
                    0.65,
                    "one party and each named after the trigger",
                ));
            }
        }
    } else if parties.len() >= 2 && (w == Want::Artist || acts < parties.len()) {
        out.push(claim(kind, parties, via, 0.7, rule));
    } else if parties.len() >= 2 {
        // a deal between acts alone is not a company deal ("a contract with singer X")
    } else if let ([act], true) = (&parties[..], joint) {
        // "an Overwatch 2 event in collaboration with LE SSERAFIM", "LE SSERAFIM x OVERWATCH 2"
        let mut works = c.right(tr.b, Want::Work, &[Want::Work]);
        works.extend(c.left(tr.a, Want::Work, &[Want::Work]));
        if let Some(&work) = works.first() {
            out.push(claim(
                PK::Other,
                vec![*act, c.ps[work].entity],
                via,
                0.6,
                "a party and a work together",
            ));
        }
    }
    out
}

/// An artist fronting a brand: the nearest act and the nearest brand around the trigger,
/// each list paired item by item when the clause says "respectively".
fn endorse(c: &Clause, tr: &Trigger) -> Vec<Claim> {
    let either = |w: Want, left_first: bool| {
        let (l, r) = (c.left(tr.a, w, &[w]), c.right(tr.b, w, &[w]));
        let (first, second) = if left_first { (l, r) } else { (r, l) };
        if first.is_empty() { second } else { first }
    };
    let artists = either(Want::Artist, true);
    let brands = either(Want::Label, false);
    if artists.is_empty() || brands.is_empty() {
        return Vec::new();
    }
    let via = c.song(tr);
    let respectively = (c.a..c.b).any(|k| c.s.is_word(k) && c.s.words.lower(k) == "respectively");
    if respectively {
        let people: Vec<usize> = (0..c.ps.len())
            .filter(|&i| c.ps[i].b <= tr.a && c.usable(i, Want::Person))
            .collect();
        let labels: Vec<usize> = (0..c.ps.len())
            .filter(|&i| c.ps[i].a >= tr.b && c.usable(i, Want::Label))
            .collect();
        let (people, labels) = (c.entities(&people), c.entities(&labels));
        if people.len() == labels.len() {
            return people
                .into_iter()
                .zip(labels)
                .map(|(a, b)| {
                    claim(
                        PK::Endorsement,
                        vec![a, b],
                        via,
                        0.7,
                        "lists paired 'respectively'",
                    )
                })
                .collect();
        }
    }
    let mut out = Vec::new();
    for b in c.entities(&brands) {
        for a in c.entities(&artists) {
            out.push(claim(
                PK::Endorsement,
                vec![a, b],
                via,
                0.7,
                "artist and brand around the trigger",
            ));
        }
    }
    out
}
