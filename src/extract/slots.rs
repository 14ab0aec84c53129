//! The slots around a trigger: which parties of a clause a trigger can read (the kinds its
//! class wants, outside asides and owners) and the nearest list of them before the trigger
//! (its subject) and after it (its object).
use super::Kind;
use super::Subtype;
use super::clauses::{Party, Trigger};
use super::doc::Sentence;
use super::entities::Table;
use super::kinds::is_quote;
use super::lexicon::TriggerClass as TC;
use super::lists;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Want {
    Person,
    Artist,
    Work,
    Song,
    Label,
}

pub fn fits(t: &Table, e: usize, w: Want) -> bool {
    let x = &t.entities[e];
    match w {
        Want::Person => x.kind == Kind::Artist && x.subtype != Some(Subtype::Group),
        Want::Artist => x.kind == Kind::Artist,
        Want::Work => x.kind == Kind::Film,
        Want::Song => x.kind == Kind::Song,
        Want::Label => x.kind == Kind::Label,
    }
}

/// The song that party `i` and the acts listed with it own, named right after them: "Don
/// Toliver and Doja Cat's 'Lose My Mind'", "the duo's single 'X'", "BTS song Dynamite"; or
/// named right before its "by" ("'Home' by Punch").
/// One song only: "A and B's 'X' and 'Y'" may be a song of each.
pub fn owned_song(
    s: &Sentence,
    t: &Table,
    ps: &[Party],
    lex: &super::lexicon::Lexicon,
    i: usize,
) -> Option<usize> {
    // ""Home" by Punch": the song just before its act's "by"
    let by = i > 0
        && fits(t, ps[i - 1].entity, Want::Song)
        && (ps[i - 1].b..ps[i].a)
            .all(|k| is_quote(s, k) || s.is_word(k) && s.words.lower(k) == "by")
        && s.is_word(ps[i].a - 1);
    if by {
        return Some(ps[i - 1].entity);
    }
    let mut hi = i;
    while hi + 1 < ps.len() && lists::joins(s, ps[hi].b, ps[hi + 1].a) {
        hi += 1;
    }
    let (last, song) = (&ps[hi], ps.get(hi + 1)?);
    let song_noun = |k: usize| s.is_word(k) && lex.kc.song_before.contains_word(s.words.id(k));
    let possessed = s.toks[last.b - 1].possessive
        && song.a <= last.b + 3
        && !s.any_word_in(last.b, song.a, &lex.rc.possession_breaks);
    let named = song.a > last.b && (last.b..song.a).all(|k| song_noun(k) || is_quote(s, k));
    let alone = ps.get(hi + 2).is_none_or(|n| !lists::joins(s, song.b, n.a));
    ((possessed || named) && alone && fits(t, song.entity, Want::Song)).then_some(song.entity)
}

/// Words after a comma by which the main clause resumes after a relative clause ("X, who
/// ..., is set to write").
const MAIN_VERBS: [&str; 14] = [
    "is", "are", "was", "were", "has", "have", "had", "will", "would", "can", "could", "did",
    "does", "do",
];

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
    /// `relative` of each token of the clause, worked out once when first asked.
    pub relatives: std::cell::OnceCell<Vec<Option<usize>>>,
}

/// The kinds a trigger class reads around it: the nearest of these on a side is its
/// subject (or object); other names (a network, a song) are passed over.
pub fn relevant(class: TC) -> &'static [Want] {
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
    pub fn owner(&self, i: usize) -> bool {
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
        let lex = &self.lex.rc;
        let owns = !p.stand_in
            && !company
            && s.toks[p.b - 1].possessive
            && self.ps.get(i + 1).is_some_and(|n| {
                n.a >= p.b && n.a <= p.b + 4 && !s.any_word_in(p.b, n.a, &lex.possession_breaks)
            });
        // "Netflix's Michelle Obama documentary Becoming": a name before a work noun and a
        // title says what the title is about
        let kc = &self.lex.kc;
        let modifier = !p.stand_in
            && s.is_word(p.b)
            && [&kc.film_before, &kc.show_before]
                .iter()
                .any(|set| s.word_in(p.b, set))
            && self
                .ps
                .get(i + 1)
                .is_some_and(|n| n.a <= p.b + 2 && fits(self.t, n.entity, Want::Work));
        // "Chum Churum, owned by Lotte Group, hired ...": the owner is an aside
        let aside = p.a >= 2
            && s.is_word(p.a - 1)
            && s.is_word(p.a - 2)
            && lex.owner_asides.contains(s.words.ids(p.a - 2, p.a));
        owns || aside || modifier
    }

    pub fn usable(&self, i: usize, w: Want) -> bool {
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
    pub fn aside(&self, i: usize, k: usize) -> bool {
        let p = &self.ps[i];
        if self.relative(p.a) != self.relative(k) && self.relative(p.a).is_some() {
            return true;
        }
        // "Ok Taecyeon of "Mas" and "2PM" has confirmed": what a person is "of" is an aside
        // (its list too, "of "Mas" and "2PM"", but not past a comma that closes an apposition:
        // "Rosé, a member of VELVA, and Bruno Mars")
        let mut i = i;
        while i > 0
            && self.ps[i - 1].b <= self.ps[i].a
            && lists::joins(self.s, self.ps[i - 1].b, self.ps[i].a)
            && !(self.ps[i - 1].b..self.ps[i].a).any(|k| self.s.is_punct(k, ','))
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
            // "Rosé, a member of VELVA, and ...": past a membership word in apposition
            let owner_end = self.membership_start(j - 1);
            let person_before = i > 0
                && self.ps[i - 1].b == owner_end
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

    /// Where ", a member" or "member" before token `of` starts (`of` itself if none).
    fn membership_start(&self, of: usize) -> usize {
        let s = self.s;
        if of == 0 || !s.word_in(of - 1, &self.lex.rc.membership) {
            return of;
        }
        let mut k = of - 1;
        while k > self.a
            && (s.is_punct(k - 1, ',')
                || s.is_word(k - 1)
                    && matches!(s.words.lower(k - 1), "a" | "an" | "the" | "former"))
        {
            k -= 1;
        }
        k
    }

    /// The list that party `i` is in, as party indices.
    /// A group named after a person's "member of" ("Rosé, a member of VELVA, and ...",
    /// "Lisa of BLACKPINK and ...") is no item of the list: the person is.
    pub fn list(&self, i: usize, w: Want) -> Vec<usize> {
        let mut lo = i;
        let mut apposed = Vec::new();
        loop {
            if let Some(person) = self.apposed_to(lo) {
                apposed.push(lo);
                lo = person;
            } else if lo > 0
                && self.ps[lo - 1].b <= self.ps[lo].a
                && lists::joins(self.s, self.ps[lo - 1].b, self.ps[lo].a)
            {
                lo -= 1;
            } else {
                break;
            }
        }
        let mut hi = i;
        while hi + 1 < self.ps.len() && lists::joins(self.s, self.ps[hi].b, self.ps[hi + 1].a) {
            hi += 1;
        }
        (lo..=hi)
            .filter(|&j| self.usable(j, w) && !apposed.contains(&j))
            .collect()
    }

    /// The person party `i` is "of" ("Lisa of BLACKPINK", "Rosé, a member of VELVA").
    fn apposed_to(&self, i: usize) -> Option<usize> {
        let s = self.s;
        let a = self.ps[i].a;
        let of = a.checked_sub(1)?;
        if i == 0 || !s.is_word(of) || !matches!(s.words.lower(of), "of" | "from") {
            return None;
        }
        let person = i - 1;
        (self.ps[person].b == self.membership_start(of)
            && fits(self.t, self.ps[person].entity, Want::Person)
            && fits(self.t, self.ps[i].entity, Want::Artist))
        .then_some(person)
    }

    /// The relative clause or apposition (", who ...," / ", the singer ...,") token `k` is
    /// in, as its start: the stretch after a comma that follows a name.
    /// The clause runs on through commas ("X, who has been in demand lately, penning ...
    /// for Y and Z, is set to write") until one before the main verb or a new conjunct.
    pub fn relative(&self, k: usize) -> Option<usize> {
        if k < self.a || k > self.b {
            return self.relative_at(k);
        }
        let all = self
            .relatives
            .get_or_init(|| (self.a..=self.b).map(|j| self.relative_at(j)).collect());
        all[k - self.a]
    }

    fn relative_at(&self, k: usize) -> Option<usize> {
        let s = self.s;
        let resumes = |c: usize, set: &[&str]| self.word_after(c).is_some_and(|w| set.contains(&w));
        // a relative clause runs on past its first comma only when the main verb resumes later
        let runs_on = || (k..self.b).any(|c| s.is_punct(c, ',') && resumes(c, &MAIN_VERBS));
        let commas = (self.a..k).rev().filter(|&j| s.is_punct(j, ','));
        for (commas_after, comma) in commas.enumerate() {
            if resumes(comma, &MAIN_VERBS) || resumes(comma, &["and", "or", "but"]) {
                return None;
            }
            let after_name = self.ps.iter().any(|p| p.b == comma && !p.stand_in);
            let appos = after_name && resumes(comma, &["the", "a", "an"]);
            let rel = resumes(comma, &["who", "which", "whose"]);
            // "DOKO, who is behind hits like A's "S", B's "T" and ...": its own list runs on
            let runs_to_k = || runs_on() || self.introduces_a_list(comma + 1, k);
            if (appos || rel) && (commas_after == 0 || rel && runs_to_k()) {
                return (comma + 1 < k).then_some(comma + 1);
            }
        }
        None
    }

    /// Whether a list intro ("like", "including", "such as") stands between `a` and the
    /// first comma after it, before `k`.
    fn introduces_a_list(&self, a: usize, k: usize) -> bool {
        let s = self.s;
        let end = (a..k).find(|&j| s.is_punct(j, ',')).unwrap_or(k);
        (a..end).any(|j| {
            let ids = s.words.ids(j, (j + 2).min(s.toks.len()));
            self.lex.kc.list_intros.longest_prefix(ids).is_some()
        })
    }

    /// The lower-cased word after the comma at `c`, past closing quote marks (',”').
    fn word_after(&self, c: usize) -> Option<&str> {
        let s = self.s;
        let j = (c + 1..s.toks.len()).find(|&j| !is_quote(s, j))?;
        s.is_word(j).then(|| s.words.lower(j))
    }

    pub fn relevant(&self, i: usize, among: &[Want]) -> bool {
        among.iter().any(|&w| self.usable(i, w))
    }

    /// The list of `w` ending before token `k`, if the nearest name of the kinds `among`
    /// there is one.
    pub fn left(&self, k: usize, w: Want, among: &[Want]) -> Vec<usize> {
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
    pub fn apposition_holds(&self, i: usize, k: usize) -> bool {
        let s = self.s;
        let b = self.ps[i].b;
        s.is_punct(b, ',')
            && s.is_word(b + 1)
            && matches!(s.words.lower(b + 1), "the" | "a" | "an" | "who")
            && k > b
    }

    /// The list of `w` starting after token `k`, if the nearest name of the kinds `among`
    /// there is one.
    pub fn right(&self, k: usize, w: Want, among: &[Want]) -> Vec<usize> {
        (0..self.ps.len())
            .find(|&i| self.ps[i].a >= k && self.relevant(i, among) && !self.aside(i, k))
            .filter(|&i| self.usable(i, w))
            .map(|i| self.list(i, w))
            .unwrap_or_default()
    }

    /// Every party of `w` after token `k` in the clause ("stars A, B, actor C and D").
    pub fn all_right(&self, k: usize, w: Want) -> Vec<usize> {
        (0..self.ps.len())
            .filter(|&i| self.ps[i].a >= k && self.usable(i, w) && !self.aside(i, k))
            .collect()
    }

    pub fn entities(&self, idx: &[usize]) -> Vec<usize> {
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
    pub fn role_noun(&self, tr: &Trigger) -> bool {
        let s = self.s;
        let single = tr.b == tr.a + 1;
        let after_as =
            (tr.a.saturating_sub(3)..tr.a).any(|k| s.is_word(k) && s.words.lower(k) == "as");
        // "will next star in": a verb
        let rc = &self.lex.rc;
        let verb = s.any_word_in(tr.a.saturating_sub(2), tr.a, &rc.role_verb_before)
            || s.word_in(tr.b, &rc.role_verb_after);
        let noun = rc.role_nouns.contains_word(s.words.id(tr.a))
            || rc
                .role_nouns
                .contains_word(self.lex.word_id(hyphen_tail(s.words.lower(tr.a))));
        single && !after_as && !verb && noun
    }

    /// The nearest list of any of the kinds `among` before token `k` (mixed kinds kept).
    pub fn left_any(&self, k: usize, among: &[Want]) -> Vec<usize> {
        (0..self.ps.len())
            .rev()
            .find(|&i| self.ps[i].b <= k && self.relevant(i, among) && !self.aside(i, k))
            .map(|i| self.list_any(i, among))
            .unwrap_or_default()
    }

    /// The nearest list of any of the kinds `among` after token `k`.
    pub fn right_any(&self, k: usize, among: &[Want]) -> Vec<usize> {
        (0..self.ps.len())
            .find(|&i| self.ps[i].a >= k && self.relevant(i, among) && !self.aside(i, k))
            .map(|i| self.list_any(i, among))
            .unwrap_or_default()
    }

    pub fn list_any(&self, i: usize, among: &[Want]) -> Vec<usize> {
        let mut out: Vec<usize> = among.iter().flat_map(|&w| self.list(i, w)).collect();
        out.sort();
        out.dedup();
        out
    }

    /// A song noun of the clause before the trigger ("The new song was written by ..."):
    /// what the trigger is said of is music, not the article's screen work.
    pub fn says_a_song(&self, tr: &Trigger) -> bool {
        let s = self.s;
        (self.a..tr.a).any(|k| {
            s.is_word(k)
                && s.tok(k).starts_with(char::is_lowercase)
                && self.lex.kc.song_before.contains_word(s.words.id(k))
        })
    }

    /// The song named nearest the trigger, if any.
    pub fn song(&self, tr: &Trigger) -> Option<usize> {
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

/// The part of a hyphenated word after its last hyphen ("co-director" -> "director").
fn hyphen_tail(w: &str) -> &str {
    w.rsplit_once('-').map_or("", |(_, t)| t)
}
