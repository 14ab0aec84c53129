//! Pass 3, lists: names joined by commas, "and", "&" or "/" ("Jennie, Lisa, Rosé and Jisoo").
//! The items of a list are alike: a cue before the list speaks for all of them ("stars A, B
//! and C", "acts include A, B and C"), and relations distribute over them.
use super::doc::Sentence;
use super::kinds::{self, Class, Vote};
use super::lexicon::Lexicon;
use super::spans::Span;

/// Spans (indices into the article's spans) listed together in one sentence, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct List {
    pub items: Vec<usize>,
}

/// The lists among one sentence's spans (`first` is the index of its first span).
pub fn find(s: &Sentence, spans: &[Span], first: usize) -> Vec<List> {
    let mut out = Vec::new();
    let mut cur: Vec<usize> = Vec::new();
    for (i, sp) in spans.iter().enumerate() {
        let joined = cur.last().is_some_and(|&p| {
            let prev = &spans[p - first];
            prev.quoted() == sp.quoted() && joins(s, prev.b, sp.a) && !opens_clause(s, sp.b)
        });
        if !joined && cur.len() >= 2 {
            out.push(List {
                items: std::mem::take(&mut cur),
            });
        }
        if !joined {
            cur.clear();
        }
        cur.push(first + i);
    }
    if cur.len() >= 2 {
        out.push(List { items: cur });
    }
    out
}

/// "..., and IVE unveiled 'I Want'": a name followed by its verb after "and" starts a clause,
/// not a list item.
fn opens_clause(s: &Sentence, b: usize) -> bool {
    s.is_word(b) && {
        let w = s.words.lower(b);
        matches!(
            w,
            "will" | "has" | "have" | "had" | "is" | "are" | "was" | "were" | "also" | "then"
        ) || (w.ends_with("ed") && w.len() > 4)
    }
}

/// Whether the tokens [b, a) between two names only join them: separators, and after one a
/// noun saying what the next item is ("A and singer B", "'A' (2017) and the crime thriller
/// 'B'") or an aside ("A (right) and B").
pub fn joins(s: &Sentence, b: usize, a: usize) -> bool {
    if a <= b || a - b > 10 {
        return false;
    }
    let quoted_item = a > 0 && kinds::is_quote(s, a - 1);
    let (mut separator, mut described) = (false, 0);
    let mut k = b;
    while k < a {
        if kinds::is_quote(s, k) {
            k += 1;
            continue;
        }
        if !separator && aside(s, k) {
            k += 3;
            continue;
        }
        // "and the crime thriller 'B'": a few plain words before a quoted item
        let plain = s.is_word(k)
            && s.words
                .lower(k)
                .chars()
                .all(|c| c.is_lowercase() || c == '-');
        if separator && quoted_item && plain && described < 3 {
            described += 1;
            k += 1;
            continue;
        }
        if separator
            && s.is_word(k)
            && s.words
                .lower(k)
                .chars()
                .all(|c| c.is_lowercase() || c == '-')
            && is_person_noun(s, k)
        {
            k += 1;
            continue;
        }
        let sep = s.is_punct(k, ',')
            || s.is_punct(k, '/')
            || s.is_punct(k, '&')
            || s.is_punct(k, '、')
            || s.is_punct(k, '×')
            || (s.is_word(k) && matches!(s.words.lower(k), "and" | "or" | "x"));
        if !sep {
            return false;
        }
        separator = true;
        k += 1;
    }
    separator
}

/// "(right)", "(2017)": a lower-case word or a number in parentheses.
fn aside(s: &Sentence, k: usize) -> bool {
    s.is_punct(k, '(')
        && s.is_punct(k + 2, ')')
        && s.is_word(k + 1)
        && s.words
            .lower(k + 1)
            .chars()
            .all(|c| c.is_lowercase() || c.is_ascii_digit())
}

/// "singer", "actress", "rapper": a noun that says what a listed person is.
fn is_person_noun(s: &Sentence, k: usize) -> bool {
    matches!(
        s.words.lower(k),
        "singer"
            | "singers"
            | "actor"
            | "actress"
            | "actors"
            | "actresses"
            | "rapper"
            | "rappers"
            | "director"
            | "producer"
            | "model"
            | "idol"
            | "star"
            | "comedian"
            | "host"
            | "dancer"
            | "band"
            | "group"
            | "bands"
            | "groups"
            | "duo"
            | "musician"
            | "musicians"
            | "artist"
            | "artists"
            | "singer-songwriter"
            | "singer-producer"
            | "gamer"
            | "skater"
    )
}

/// "albums, including SEVENTEEN's FML": the cue noun before "including", "such as", "like".
pub fn intro_cue(s: &Sentence, a: usize, lex: &Lexicon) -> Option<Vote> {
    let mut e = a;
    if e > 0 && kinds::is_quote(s, e - 1) {
        e -= 1;
    }
    let n = lex
        .kc
        .list_intros
        .longest_suffix(s.words.ids(e.saturating_sub(3), e))?;
    let mut c = e - n;
    if c > 0 && s.is_punct(c - 1, ',') {
        c -= 1;
    }
    let (class, w, cue) = kinds::cue_before(s, c, lex)?;
    (class != Class::Not).then(|| Vote {
        class,
        weight: w * 0.7,
        cue: format!("after {cue} and '{}'", s.slice(e - n, e)),
    })
}

/// The vote a cue before the list gives its items: "stars A, B and C" (the first item has
/// it already: `false`), "groups such as A and B", "acts include A, B and C" (all: `true`).
pub fn cue_for_items(s: &Sentence, first: &Span, lex: &Lexicon) -> Option<(Vote, bool)> {
    if let Some((class, w, cue)) = kinds::cue_before(s, first.a, lex) {
        return (class != Class::Not).then(|| {
            let v = Vote {
                class,
                weight: w * 0.8,
                cue: format!("listed after {cue}"),
            };
            (v, false)
        });
    }
    // past "include", "such as", "like", "including"
    let mut e = first.a;
    if e > 0 && s.is_punct(e - 1, ',') {
        e -= 1;
    }
    let n = lex
        .kc
        .list_intros
        .longest_suffix(s.words.ids(e.saturating_sub(3), e))?;
    let (class, w, cue) = kinds::cue_before(s, e - n, lex)?;
    (class != Class::Not).then(|| {
        let v = Vote {
            class,
            weight: w * 0.8,
            cue: format!("listed after {cue}"),
        };
        (v, true)
    })
}

/// The items of list `l` take the vote of the cue before it (`first`: its first span).
/// "produced by Studio Dragon and Pan Leisure": a first item sure to be an organization
/// tells what the list is, whatever the cue says.
pub fn lend_cue(s: &Sentence, l: &List, first: &Span, votes: &mut [Vec<Vote>], lex: &Lexicon) {
    let Some((v, all)) = cue_for_items(s, first, lex) else {
        return;
    };
    let company = votes[l.items[0]]
        .iter()
        .any(|o| o.weight >= 2.0 && o.class == Class::Label);
    let v = if company && v.class != Class::Label && !all {
        Vote {
            class: Class::Label,
            weight: 1.5,
            cue: "listed with an organization".into(),
        }
    } else {
        v
    };
    for &it in &l.items[usize::from(!all)..] {
        votes[it].push(v.clone());
    }
}
