//! Pass 8b, relations around a trigger: for each trigger in a clause, the parties it relates
//! are found by what the trigger class needs (a person and a work for "cast", two acts for
//! "collaborate", an artist and a brand for "endorse", ...): the nearest list of the right
//! kind before the trigger (its subject), the nearest after it (its object, or the "with",
//! "in", "for", "by" phrase), and the relation's kind follows from the class and the kinds.
use super::PartnershipKind as PK;
use super::Subtype;
use super::clauses::Trigger;
use super::lexicon::TriggerClass as TC;
pub use super::slots::Clause;
use super::slots::{Want, relevant};
use super::together::together;

/// A relation a clause states, before filtering.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    pub kind: PK,
    pub parties: Vec<usize>,
    pub via: Option<usize>,
    pub confidence: f32,
    pub cues: Vec<String>,
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

pub fn claim(
    kind: PK,
    parties: Vec<usize>,
    via: Option<usize>,
    confidence: f32,
    rule: &str,
) -> Claim {
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
    let passive = tr.phrase.ends_with(" by") || c.s.is_word(tr.b) && c.s.words.lower(tr.b) == "by";
    let sides = Sides::new(c, tr, who);
    let mut out = Vec::new();
    if passive && tr.class == TC::Create {
        out.extend(co_producers(c, tr));
        if sides.pr.is_empty() {
            return out;
        }
    }
    let Some(credit) = sides.credit(c, tr, who, passive) else {
        return out;
    };
    let people = c.entities(&credit.people);
    match credit.works {
        Works::Named(works) => {
            let co_stars = co_stars(c, tr, works.last().copied());
            for w in works {
                let work = c.ps[w].entity;
                for &e in &people {
                    let kind = kind_of(c, tr, work);
                    out.push(claim(kind, vec![e, work], None, credit.conf, credit.rule));
                }
                for &e in co_stars.iter().filter(|e| !people.contains(e)) {
                    let rule = "co-stars named 'alongside' the cast";
                    out.push(claim(kind_of(c, tr, work), vec![e, work], None, 0.7, rule));
                }
            }
        }
        Works::Focus(focus) => {
            for e in people.into_iter().filter(|&e| e != focus) {
                let kind = kind_of(c, tr, focus);
                out.push(claim(kind, vec![e, focus], None, credit.conf, credit.rule));
            }
        }
    }
    out
}

/// "IU will star in the series W alongside Park Bo-gum", "will appear on S alongside X": the
/// people named after the work by a co-star cue are in it too.
fn co_stars(c: &Clause, tr: &Trigger, last_work: Option<usize>) -> Vec<usize> {
    let Some(w) = last_work.filter(|_| matches!(tr.class, TC::Cast | TC::Appear)) else {
        return Vec::new();
    };
    let s = c.s;
    let cue = (c.ps[w].b..c.b)
        .take(3)
        .find(|&k| s.word_in(k, &c.lex.rc.co_star_cues));
    cue.map(|k| c.entities(&c.right(k + 1, Want::Person, &[Want::Person])))
        .unwrap_or_default()
}

/// "The drama is produced by Esperanto Filmoj and Anonymous Content": co-producers.
fn co_producers(c: &Clause, tr: &Trigger) -> Option<Claim> {
    let companies = c.entities(&c.all_right(tr.b, Want::Label));
    (companies.len() >= 2).then(|| {
        claim(
            PK::BusinessPartnership,
            companies,
            None,
            0.7,
            "companies producing one work",
        )
    })
}

/// The people (party indices) and works a credit trigger can read: on its left (`l`) and
/// right (`r`); `wl_any` is the nearest work on the left even past people.
struct Sides {
    pl: Vec<usize>,
    pr: Vec<usize>,
    wl: Vec<usize>,
    wr: Vec<usize>,
    wl_any: Vec<usize>,
}

/// The works of a credit: named in the clause (party indices) or the article's work.
enum Works {
    Named(Vec<usize>),
    Focus(usize),
}

struct Credit {
    people: Vec<usize>,
    works: Works,
    rule: &'static str,
    conf: f32,
}

impl Sides {
    fn new(c: &Clause, tr: &Trigger, who: Want) -> Sides {
        let among = relevant(tr.class);
        // a role noun ("director") names the work right beside it only
        let role_noun = c.role_noun(tr);
        let near = |w: &usize| {
            !role_noun
                || c.ps[*w].b + 3 >= tr.a && c.ps[*w].b <= tr.a
                || c.ps[*w].a <= tr.b + 3 && c.ps[*w].a >= tr.b
        };
        let works = |mut v: Vec<usize>| {
            v.retain(near);
            v
        };
        Sides {
            pl: c.left(tr.a, who, among),
            pr: c.right(tr.b, who, among),
            wl: works(c.left(tr.a, Want::Work, among)),
            wr: works(c.right(tr.b, Want::Work, among)),
            wl_any: works(c.left(tr.a, Want::Work, &[Want::Work])),
        }
    }

    /// Who is credited for what, by where the people and the works stand.
    fn credit(self, c: &Clause, tr: &Trigger, who: Want, passive: bool) -> Option<Credit> {
        let Sides {
            pl,
            pr,
            wl,
            wr,
            wl_any,
        } = self;
        let last = |v: &[usize]| Works::Named(vec![v[v.len() - 1]]);
        let first = |v: &[usize]| c.ps[v[0]].a;
        let credit = |people, works, rule, conf| {
            Some(Credit {
                people,
                works,
                rule,
                conf,
            })
        };
        if passive && !pr.is_empty() && (!wl.is_empty() || !wr.is_empty()) {
            let works = if wl.is_empty() {
                Works::Named(wr)
            } else {
                last(&wl)
            };
            let rule = "work, then the trigger, then 'by' the people";
            credit(c.all_right(tr.b, who), works, rule, 0.75)
        } else if !pl.is_empty() && !wr.is_empty() {
            let rule = "subject before the trigger, work after it";
            credit(pl, Works::Named(wr), rule, 0.75)
        } else if !wl.is_empty() && !pr.is_empty() {
            // "W stars A, B, actor C and D"; a role noun names one: "W star A"
            let people = if c.role_noun(tr) {
                pr
            } else {
                c.all_right(tr.b, who)
            };
            credit(
                people,
                last(&wl),
                "work before the trigger, people after it",
                0.75,
            )
        } else if pl.is_empty() && wl.is_empty() && !pr.is_empty() && !wr.is_empty() {
            (first(&pr) < first(&wr))
                .then(|| credit(pr, Works::Named(wr), "'Starring X, the film ...'", 0.7))
                .flatten()
        } else if !pl.is_empty() && !wl_any.is_empty() {
            credit(pl, last(&wl_any), "person and work before the trigger", 0.6)
        } else {
            // "Zawe Ashton has been cast as the villain": the article's work
            let focus = c
                .focus
                .filter(|_| wl.is_empty() && wr.is_empty() && !c.role_noun(tr))
                .filter(|_| !c.says_a_song(tr))?;
            let people = if passive || pl.is_empty() { pr } else { pl };
            credit(people, Works::Focus(focus), "the article's work", 0.55)
        }
    }
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
        // "features Taeyeon's "Blue", Heize's "Rain" and Crush's "Beautiful"": every act
        // after it with a song of its own
        let last = artists.last().copied().unwrap_or(c.ps.len());
        artists.extend((last + 1..c.ps.len()).filter(|&i| {
            c.usable(i, Want::Artist)
                && !c.aside(i, tr.a)
                && super::slots::owned_song(c.s, c.t, c.ps, c.lex, i).is_some()
        }));
    }
    // acts named with a song of their own are credited with it ("surpassing Don Toliver
    // and Doja Cat's 'Lose My Mind'"), the others with the song nearest the trigger
    let nearest = c.song(tr);
    let mut out: Vec<Claim> = Vec::new();
    for i in artists {
        let a = c.ps[i].entity;
        if out.iter().any(|x| x.parties[0] == a) {
            continue;
        }
        let via = super::slots::owned_song(c.s, c.t, c.ps, c.lex, i).or(nearest);
        out.push(claim(
            PK::Soundtrack,
            vec![a, work],
            via,
            0.75,
            "artist and the work its song is for",
        ));
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
