//! Scoring the extraction against a gold annotation, with the rules of the reference
//! scorer (`score.py`): entities match on a normalized name or alias, each gold entity at
//! most once ("split" pages are false positives), "typed" also needs the kind; partnerships
//! are scored as unordered pairs of participants.
use crate::error::{Error, Result};
use crate::extract::names::fold as norm;
use crate::render::api::{ApiEntity, ApiPartnership};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;

#[derive(Debug, Deserialize)]
pub struct Gold {
    #[serde(default)]
    pub entities: Vec<GoldEntity>,
    #[serde(default)]
    pub partnerships: Vec<GoldPartnership>,
}

#[derive(Debug, Deserialize)]
pub struct GoldEntity {
    pub name: String,
    pub kind: String,
    #[serde(default)]
    pub aliases: Option<Vec<String>>,
    #[serde(default)]
    pub articles: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
pub struct GoldPartnership {
    #[serde(default)]
    pub participants: Option<Vec<String>>,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub articles: Option<Vec<String>>,
}

impl Gold {
    pub fn load(path: &Path) -> Result<Gold> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        crate::yaml::from_str(&text, 0).map_err(|e| Error::yaml(path, e))
    }

    /// The gold's articles by part: the letters an id starts with ("da01-..." is in part
    /// "da"); ids that start with no letter are in no part.
    pub fn parts(&self) -> BTreeMap<String, HashSet<String>> {
        let ids = self
            .entities
            .iter()
            .flat_map(|e| e.articles.iter().flatten())
            .chain(
                self.partnerships
                    .iter()
                    .flat_map(|p| p.articles.iter().flatten()),
            );
        let mut out: BTreeMap<String, HashSet<String>> = BTreeMap::new();
        for id in ids {
            let part: String = id.chars().take_while(char::is_ascii_alphabetic).collect();
            if !part.is_empty() {
                out.entry(part).or_default().insert(id.clone());
            }
        }
        out
    }
}

/// Precision, recall, F1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Prf {
    pub p: f64,
    pub r: f64,
    pub f: f64,
}

fn prf(tp: usize, fp: usize, fn_: usize) -> Prf {
    let (tp, fp, fn_) = (tp as f64, fp as f64, fn_ as f64);
    let p = if tp + fp > 0.0 {
        tp / (tp + fp)
    } else if fn_ == 0.0 {
        1.0
    } else {
        0.0
    };
    let r = if tp + fn_ > 0.0 { tp / (tp + fn_) } else { 1.0 };
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    Prf { p, r, f }
}

#[derive(Debug, Clone)]
pub struct Report {
    pub entities_detected: Prf,
    pub entities_typed: Prf,
    pub by_kind: BTreeMap<String, Prf>,
    pub partnership_pairs: Prf,
    /// Pairs of one partnership kind, matched with their kind (not in `score.py`).
    pub pairs_by_kind: BTreeMap<String, Prf>,
    pub missed_entities: Vec<String>,
    pub extra_entities: Vec<String>,
    pub missed_pairs: Vec<String>,
    pub extra_pairs: Vec<String>,
}

impl Report {
    /// The figures alone, one line each (kinds indented under their total).
    pub fn figures(&self) -> String {
        let mut out = String::new();
        let line =
            |name: &str, v: &Prf| format!("{name:20} P={:.2} R={:.2} F1={:.2}\n", v.p, v.r, v.f);
        // score.py's widths, and room for the longest partnership kind
        let sub = |name: &str, v: &Prf, w: usize| {
            format!("  {name:w$} P={:.2} R={:.2} F1={:.2}\n", v.p, v.r, v.f)
        };
        out += &line("entities_detected", &self.entities_detected);
        out += &line("entities_typed", &self.entities_typed);
        for (k, v) in &self.by_kind {
            out += &sub(k, v, 12);
        }
        out += &line("partnership_pairs", &self.partnership_pairs);
        for (k, v) in &self.pairs_by_kind {
            out += &sub(k, v, 21);
        }
        out
    }
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for m in &self.missed_entities {
            writeln!(f, "missed entity   {m}")?;
        }
        for m in &self.extra_entities {
            writeln!(f, "extra entity    {m}")?;
        }
        for m in &self.missed_pairs {
            writeln!(f, "missed pair     {m}")?;
        }
        for m in &self.extra_pairs {
            writeln!(f, "extra pair      {m}")?;
        }
        f.write_str(&self.figures())
    }
}

#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
enum Node {
    Gold(usize),
    Other(String),
}

/// Score predicted entities and partnerships against `gold`, optionally only for the
/// articles in `only`.
pub fn score(
    gold: &Gold,
    ents: &[ApiEntity],
    parts: &[ApiPartnership],
    only: Option<&HashSet<String>>,
) -> Report {
    let in_scope = |arts: &Option<Vec<String>>| {
        only.is_none_or(|o| {
            arts.as_ref()
                .is_some_and(|a| a.iter().any(|x| o.contains(x)))
        })
    };
    let predicted = |arts: &[String]| only.is_none_or(|o| arts.iter().any(|a| o.contains(a)));
    let g_ents: Vec<&GoldEntity> = gold
        .entities
        .iter()
        .filter(|e| in_scope(&e.articles))
        .collect();
    let g_parts: Vec<&GoldPartnership> = gold
        .partnerships
        .iter()
        .filter(|p| in_scope(&p.articles))
        .collect();
    let p_ents: Vec<&ApiEntity> = ents.iter().filter(|e| predicted(&e.articles)).collect();
    let p_parts: Vec<&ApiPartnership> = parts.iter().filter(|p| predicted(&p.articles)).collect();
    let names = Names::new(&g_ents);
    let mut report = Report {
        entities_detected: prf(0, 0, 0),
        entities_typed: prf(0, 0, 0),
        by_kind: BTreeMap::new(),
        partnership_pairs: prf(0, 0, 0),
        pairs_by_kind: BTreeMap::new(),
        missed_entities: vec![],
        extra_entities: vec![],
        missed_pairs: vec![],
        extra_pairs: vec![],
    };
    score_entities(&mut report, &names, &g_ents, &p_ents);
    score_pairs(&mut report, &names, &g_ents, &g_parts, &p_parts);
    report
}

/// Gold entities by every normalized name and alias.
struct Names(HashMap<String, usize>);

impl Names {
    fn new(g_ents: &[&GoldEntity]) -> Names {
        let mut map = HashMap::new();
        for (i, e) in g_ents.iter().enumerate() {
            let names: BTreeSet<String> = std::iter::once(norm(&e.name))
                .chain(e.aliases.iter().flatten().map(|a| norm(a)))
                .collect();
            for n in names {
                map.entry(n).or_insert(i);
            }
        }
        Names(map)
    }

    fn resolve(&self, n: &str) -> Option<usize> {
        self.0.get(&norm(n)).copied()
    }
}

/// Entities detected (any kind) and typed; each gold entity matches once.
fn score_entities(
    report: &mut Report,
    names: &Names,
    g_ents: &[&GoldEntity],
    p_ents: &[&ApiEntity],
) {
    for typed in [false, true] {
        let mut used = HashSet::new();
        let (mut tp, mut fp) = (0, 0);
        let mut per_kind: BTreeMap<String, [usize; 3]> = BTreeMap::new();
        for e in p_ents {
            let hit = std::iter::once(&e.name)
                .chain(&e.aliases)
                .find_map(|n| names.resolve(n));
            let k = if typed { e.kind.clone() } else { "all".into() };
            let ok =
                hit.is_some_and(|h| !used.contains(&h) && (!typed || g_ents[h].kind == e.kind));
            let slot = per_kind.entry(k).or_insert([0; 3]);
            if ok {
                used.insert(hit.unwrap_or_default());
                tp += 1;
                slot[0] += 1;
                continue;
            }
            fp += 1;
            slot[1] += 1;
            if typed {
                let why = match hit {
                    None => "no gold".to_string(),
                    Some(h) if used.contains(&h) => "split".to_string(),
                    Some(h) => format!("kind {} != {}", e.kind, g_ents[h].kind),
                };
                let extra = format!("{}: {} ({why})", e.kind, e.name);
                report.extra_entities.push(extra);
            }
        }
        for (_, e) in g_ents.iter().enumerate().filter(|(i, _)| !used.contains(i)) {
            let k = if typed { e.kind.clone() } else { "all".into() };
            per_kind.entry(k).or_insert([0; 3])[2] += 1;
            if typed {
                report
                    .missed_entities
                    .push(format!("{}: {}", e.kind, e.name));
            }
        }
        let fn_ = g_ents.len() - used.len();
        if typed {
            report.entities_typed = prf(tp, fp, fn_);
            report.by_kind = per_kind
                .into_iter()
                .map(|(k, [a, b, c])| (k, prf(a, b, c)))
                .collect();
        } else {
            report.entities_detected = prf(tp, fp, fn_);
        }
    }
}

type Pairs = BTreeSet<(Node, Node)>;

/// Every unordered pair of participants of each partnership, on gold entities where a name
/// resolves to one.
fn pairs_of<'a>(names: &Names, lists: impl Iterator<Item = &'a [String]>) -> Pairs {
    let mut out = BTreeSet::new();
    for list in lists {
        let nodes: BTreeSet<Node> = list
            .iter()
            .map(|n| {
                names
                    .resolve(n)
                    .map(Node::Gold)
                    .unwrap_or_else(|| Node::Other(norm(n)))
            })
            .collect();
        let v: Vec<Node> = nodes.into_iter().collect();
        for i in 0..v.len() {
            for j in i + 1..v.len() {
                out.insert((v[i].clone(), v[j].clone()));
            }
        }
    }
    out
}

fn pair_prf(gold: &Pairs, predicted: &Pairs) -> Prf {
    let tp = gold.intersection(predicted).count();
    prf(
        tp,
        predicted.difference(gold).count(),
        gold.difference(predicted).count(),
    )
}

/// Partnerships as unordered pairs, and per kind as pairs of that kind.
fn score_pairs(
    report: &mut Report,
    names: &Names,
    g_ents: &[&GoldEntity],
    g_parts: &[&GoldPartnership],
    p_parts: &[&ApiPartnership],
) {
    fn gold_list<'a>(p: &&'a GoldPartnership) -> &'a [String] {
        p.participants.as_deref().unwrap_or_default()
    }
    let gp = pairs_of(names, g_parts.iter().map(gold_list));
    let pp = pairs_of(names, p_parts.iter().map(|p| p.participants.as_slice()));
    report.partnership_pairs = pair_prf(&gp, &pp);
    let kinds: BTreeSet<&str> = g_parts
        .iter()
        .filter_map(|p| p.kind.as_deref())
        .chain(p_parts.iter().map(|p| p.kind.as_str()))
        .collect();
    for kind in kinds {
        let g = g_parts.iter().filter(|p| p.kind.as_deref() == Some(kind));
        let p = p_parts.iter().filter(|p| p.kind == kind);
        let g = pairs_of(names, g.map(gold_list));
        let p = pairs_of(names, p.map(|p| p.participants.as_slice()));
        report
            .pairs_by_kind
            .insert(kind.to_string(), pair_prf(&g, &p));
    }
    let show = |(a, b): &(Node, Node)| {
        let n = |x: &Node| match x {
            Node::Gold(i) => g_ents[*i].name.clone(),
            Node::Other(s) => s.clone(),
        };
        format!("{} x {}", n(a), n(b))
    };
    report.missed_pairs = gp.difference(&pp).map(show).collect();
    report.extra_pairs = pp.difference(&gp).map(show).collect();
}
