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
    pub articles: Option<Vec<String>>,
}

impl Gold {
    pub fn load(path: &Path) -> Result<Gold> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        crate::yaml::from_str(&text, 0).map_err(|e| Error::yaml(path, e))
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
    pub missed_entities: Vec<String>,
    pub extra_entities: Vec<String>,
    pub missed_pairs: Vec<String>,
    pub extra_pairs: Vec<String>,
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
        let line = |f: &mut std::fmt::Formatter<'_>, name: &str, v: &Prf| {
            writeln!(f, "{name:20} P={:.2} R={:.2} F1={:.2}", v.p, v.r, v.f)
        };
        line(f, "entities_detected", &self.entities_detected)?;
        line(f, "entities_typed", &self.entities_typed)?;
        for (k, v) in &self.by_kind {
            writeln!(f, "  {k:12} P={:.2} R={:.2} F1={:.2}", v.p, v.r, v.f)?;
        }
        line(f, "partnership_pairs", &self.partnership_pairs)
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
    let p_ents: Vec<&ApiEntity> = ents
        .iter()
        .filter(|e| only.is_none_or(|o| e.articles.iter().any(|a| o.contains(a))))
        .collect();
    let p_parts: Vec<&ApiPartnership> = parts
        .iter()
        .filter(|p| only.is_none_or(|o| p.articles.iter().any(|a| o.contains(a))))
        .collect();

    let mut name_to_gold: HashMap<String, usize> = HashMap::new();
    for (i, e) in g_ents.iter().enumerate() {
        let names: BTreeSet<String> = std::iter::once(norm(&e.name))
            .chain(e.aliases.iter().flatten().map(|a| norm(a)))
            .collect();
        for n in names {
            name_to_gold.entry(n).or_insert(i);
        }
    }
    let resolve = |n: &str| name_to_gold.get(&norm(n)).copied();

    let mut report = Report {
        entities_detected: prf(0, 0, 0),
        entities_typed: prf(0, 0, 0),
        by_kind: BTreeMap::new(),
        partnership_pairs: prf(0, 0, 0),
        missed_entities: vec![],
        extra_entities: vec![],
        missed_pairs: vec![],
        extra_pairs: vec![],
    };
    for typed in [false, true] {
        let mut used = HashSet::new();
        let (mut tp, mut fp) = (0, 0);
        let mut per_kind: BTreeMap<String, [usize; 3]> = BTreeMap::new();
        for e in &p_ents {
            let hit = std::iter::once(&e.name)
                .chain(&e.aliases)
                .find_map(|n| resolve(n));
            let k = if typed { e.kind.clone() } else { "all".into() };
            let ok =
                hit.is_some_and(|h| !used.contains(&h) && (!typed || g_ents[h].kind == e.kind));
            let slot = per_kind.entry(k).or_insert([0; 3]);
            if ok {
                used.insert(hit.unwrap_or_default());
                tp += 1;
                slot[0] += 1;
            } else {
                fp += 1;
                slot[1] += 1;
                if typed {
                    let why = match hit {
                        None => "no gold".to_string(),
                        Some(h) if used.contains(&h) => "split".to_string(),
                        Some(h) => format!("kind {} != {}", e.kind, g_ents[h].kind),
                    };
                    report
                        .extra_entities
                        .push(format!("{}: {} ({why})", e.kind, e.name));
                }
            }
        }
        for (i, e) in g_ents.iter().enumerate() {
            if !used.contains(&i) {
                let k = if typed { e.kind.clone() } else { "all".into() };
                per_kind.entry(k).or_insert([0; 3])[2] += 1;
                if typed {
                    report
                        .missed_entities
                        .push(format!("{}: {}", e.kind, e.name));
                }
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
    let pairs_of = |lists: Vec<&Vec<String>>| -> BTreeSet<(Node, Node)> {
        let mut out = BTreeSet::new();
        for names in lists {
            let nodes: BTreeSet<Node> = names
                .iter()
                .map(|n| {
                    resolve(n)
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
    };
    let empty = Vec::new();
    let gp = pairs_of(
        g_parts
            .iter()
            .map(|p| p.participants.as_ref().unwrap_or(&empty))
            .collect(),
    );
    let pp = pairs_of(p_parts.iter().map(|p| &p.participants).collect());
    let tp = gp.intersection(&pp).count();
    report.partnership_pairs = prf(tp, pp.difference(&gp).count(), gp.difference(&pp).count());
    let show = |(a, b): &(Node, Node)| {
        let n = |x: &Node| match x {
            Node::Gold(i) => g_ents[*i].name.clone(),
            Node::Other(s) => s.clone(),
        };
        format!("{} x {}", n(a), n(b))
    };
    report.missed_pairs = gp.difference(&pp).map(show).collect();
    report.extra_pairs = pp.difference(&gp).map(show).collect();
    report
}
