//! The collaboration graph, drawn at build time as inline SVG (readable with JavaScript off;
//! every node is a link to its entity page, every partnership edge to its partnership page).
//!
//! Cost: the graph is built once per build, O(participants² per partnership). An entity page
//! draws only its neighbours (capped), on an ellipse around it. The home page draws the
//! largest connected component, capped to the best-connected nodes (and the next components
//! while there is room), each with a fixed number of force-layout iterations from a fixed
//! start and as a drawing of its own, so the drawings wrap on a narrow screen. Names never
//! overlap (`labels`); each drawing is sized to what it holds, shown at that size and scaled
//! down to fit the screen. The same wiki gives byte-identical SVG.
mod home;
mod labels;

pub use home::home_svg;

use super::linker::escape_into;
use crate::link::Wiki;
use std::fmt::Write;

/// Neighbours drawn around an entity on its page.
pub const EGO_MAX: usize = 24;
/// Nodes drawn on the home page.
pub const HOME_MAX: usize = 60;
const HOME_ITERATIONS: usize = 300;
/// Characters of a name drawn under its node.
const LABEL_MAX: usize = 22;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Edge {
    pub other: usize,
    /// The partnership the edge stands for; `None` for membership.
    pub partnership: Option<usize>,
}

/// Who is connected to whom: partnerships (between participants, and between a work that
/// carries a partnership and its participants) and membership.
#[derive(Debug, Default)]
pub struct Graph {
    pub adj: Vec<Vec<Edge>>,
    /// Distinct neighbours of each entity.
    pub degree: Vec<usize>,
}

impl Graph {
    pub fn build(w: &Wiki) -> Graph {
        let mut adj: Vec<Vec<Edge>> = vec![Vec::new(); w.entities.len()];
        let mut add = |a: usize, b: usize, p: Option<usize>| {
            if a != b && a < adj.len() && b < adj.len() {
                adj[a].push(Edge {
                    other: b,
                    partnership: p,
                });
                adj[b].push(Edge {
                    other: a,
                    partnership: p,
                });
            }
        };
        for (pi, p) in w.partnerships.iter().enumerate() {
            for (i, &a) in p.participants.iter().enumerate() {
                for &b in &p.participants[i + 1..] {
                    add(a, b, Some(pi));
                }
                if let Some(v) = p.via
                    && !p.participants.contains(&v)
                {
                    add(v, a, Some(pi));
                }
            }
        }
        for (e, ent) in w.entities.iter().enumerate() {
            for &g in &ent.member_of {
                add(e, g, None);
            }
        }
        let degree = adj
            .iter()
            .map(|edges| {
                let mut n: Vec<usize> = edges.iter().map(|e| e.other).collect();
                n.sort_unstable();
                n.dedup();
                n.len()
            })
            .collect();
        Graph { adj, degree }
    }

    /// The entities to draw on the home page: the largest connected component, best
    /// connected first, at most `max`; while room is left, the next largest components
    /// (of three or more) too. Ties go to the component holding the lowest index.
    pub fn core(&self, max: usize) -> Vec<Vec<usize>> {
        let n = self.adj.len();
        let mut comp = vec![usize::MAX; n];
        let mut members: Vec<Vec<usize>> = Vec::new();
        for s in 0..n {
            if comp[s] != usize::MAX || self.adj[s].is_empty() {
                continue;
            }
            let id = members.len();
            let mut stack = vec![s];
            comp[s] = id;
            let mut list = Vec::new();
            while let Some(x) = stack.pop() {
                list.push(x);
                for e in &self.adj[x] {
                    if comp[e.other] == usize::MAX {
                        comp[e.other] = id;
                        stack.push(e.other);
                    }
                }
            }
            members.push(list);
        }
        // components are found in order of their lowest index, so a stable sort keeps ties
        members.sort_by_key(|m| std::cmp::Reverse(m.len()));
        let mut out = Vec::new();
        for (i, mut list) in members.into_iter().enumerate() {
            let room = max.saturating_sub(out.iter().map(Vec::len).sum());
            if room == 0 || (i > 0 && (list.len() < 3 || list.len() > room)) {
                continue;
            }
            list.sort_by_key(|&e| (std::cmp::Reverse(self.degree[e]), e));
            list.truncate(room);
            out.push(list);
        }
        out
    }
}

fn f(x: f64) -> String {
    let mut out = String::new();
    put_f(&mut out, x);
    out
}

/// A coordinate to one decimal, written into `out` ("0" for zero).
fn put_f(out: &mut String, x: f64) {
    let r = (x * 10.0).round() / 10.0;
    if r == 0.0 {
        out.push('0');
    } else {
        let _ = write!(out, "{r}");
    }
}

/// Font sizes of the drawing's texts, as the default style sheet sets them (`svg.graph`).
const NAME_FONT: f64 = 13.0;
const CENTER_FONT: f64 = 15.0;
const EDGE_FONT: f64 = 11.0;
/// Room around the drawing.
const MARGIN: f64 = 6.0;

/// The name drawn for an entity: long names are cut (the full name is the link's tooltip).
fn label_of(name: &str) -> std::borrow::Cow<'_, str> {
    if name.chars().count() > LABEL_MAX {
        let cut: String = name.chars().take(LABEL_MAX - 1).collect();
        format!("{}…", cut.trim_end()).into()
    } else {
        name.into()
    }
}

/// A drawing's dots and names, laid out without overlaps, and its box.
struct Drawn {
    nodes: Vec<labels::Node>,
    names: Vec<labels::Placed>,
    /// Where the drawing's (0, 0) is in layout units: every coordinate is shifted by it.
    origin: (f64, f64),
    size: (f64, f64),
}

impl Drawn {
    fn xy(&self, (x, y): (f64, f64)) -> (f64, f64) {
        (x - self.origin.0, y - self.origin.1)
    }

    /// The `<svg>` start tag, sized to the drawing.
    fn open(&self, out: &mut String, class: &str, label: &str) {
        let (wd, ht) = (self.size.0.ceil(), self.size.1.ceil());
        let _ = write!(
            out,
            "<svg class=\"graph {class}\" viewBox=\"0 0 {wd} {ht}\" width=\"{wd}\" height=\"{ht}\" role=\"group\" aria-label=\""
        );
        escape_into(label, out);
        out.push_str("\">\n");
    }
}

/// Lay the names out (spreading the nodes from `center` as needed) and measure the drawing,
/// with `extra` boxes (edge labels) placed by `more` once the names are.
fn draw(
    mut nodes: Vec<labels::Node>,
    order: &[usize],
    center: (f64, f64),
    more: impl FnOnce(&[labels::Node], &[labels::Placed]) -> Vec<labels::Rect>,
) -> (Drawn, Vec<labels::Rect>) {
    let names = labels::place_names(&mut nodes, order, center);
    let extra = more(&nodes, &names);
    let texts = names.iter().map(|p| p.rect).chain(extra.iter().copied());
    let b = labels::bounds(&nodes, texts).unwrap_or(labels::Rect {
        x0: 0.0,
        y0: 0.0,
        x1: 0.0,
        y1: 0.0,
    });
    let drawn = Drawn {
        nodes,
        names,
        origin: (b.x0 - MARGIN, b.y0 - MARGIN),
        size: (b.x1 - b.x0 + 2.0 * MARGIN, b.y1 - b.y0 + 2.0 * MARGIN),
    };
    (drawn, extra)
}

/// A text element at a placed spot (`s`/`e` classes anchor it at its start or end).
fn text_at(out: &mut String, d: &Drawn, p: &labels::Placed, text: &str) {
    let (x, y) = d.xy((p.x, p.y));
    out.push_str("<text x=\"");
    put_f(out, x);
    out.push_str("\" y=\"");
    put_f(out, y);
    out.push_str(match p.anchor {
        labels::Anchor::Start => "\" class=\"s\">",
        labels::Anchor::Middle => "\">",
        labels::Anchor::End => "\" class=\"e\">",
    });
    escape_into(text, out);
    out.push_str("</text>");
}

/// Node `i` of a drawing: entity `e`, a link to its page with its dot and name.
fn node(out: &mut String, w: &Wiki, root: &str, e: usize, d: &Drawn, i: usize, class: &str) {
    let ent = &w.entities[e];
    let _ = write!(
        out,
        "<a class=\"node kind-{}{class}\" href=\"",
        ent.kind.as_str()
    );
    escape_into(root, out);
    escape_into(&ent.id, out);
    out.push_str("/\"><title>");
    escape_into(&ent.name, out);
    out.push_str("</title><circle cx=\"");
    let n = &d.nodes[i];
    let (x, y) = d.xy(n.at);
    put_f(out, x);
    out.push_str("\" cy=\"");
    put_f(out, y);
    out.push_str("\" r=\"");
    put_f(out, n.r);
    out.push_str("\"/>");
    text_at(out, d, &d.names[i], &label_of(&ent.name));
    out.push_str("</a>\n");
}

/// A line between two points of a drawing.
fn line(out: &mut String, d: &Drawn, class: &str, a: (f64, f64), b: (f64, f64)) {
    let ((x1, y1), (x2, y2)) = (d.xy(a), d.xy(b));
    let _ = write!(out, "<line class=\"{class}\" x1=\"");
    put_f(out, x1);
    out.push_str("\" y1=\"");
    put_f(out, y1);
    out.push_str("\" x2=\"");
    put_f(out, x2);
    out.push_str("\" y2=\"");
    put_f(out, y2);
    out.push_str("\"/>");
}

/// A neighbour drawn around an entity: who, how many distinct edges join them, and the first
/// partnership among them (`None`: membership).
type Neighbour = (usize, usize, Option<usize>);

/// The neighbours of `e` to draw (the most connected, in reading order), and how many more
/// there are.
fn neighbours(g: &Graph, w: &Wiki, e: usize) -> (Vec<Neighbour>, usize) {
    // a sort, not a scan per edge, so a pair with thousands of partnerships costs n log n
    let mut adj: Vec<(usize, usize)> = g.adj[e]
        .iter()
        .enumerate()
        .map(|(i, edge)| (edge.other, i))
        .collect();
    adj.sort_unstable();
    let mut ns: Vec<Neighbour> = Vec::new();
    let mut group: Vec<Option<usize>> = Vec::new();
    for (k, &(o, i)) in adj.iter().enumerate() {
        group.push(g.adj[e][i].partnership);
        if adj.get(k + 1).is_none_or(|&(next, _)| next != o) {
            let first = group.iter().flatten().next().copied();
            group.sort_unstable();
            group.dedup();
            ns.push((o, group.len(), first));
            group.clear();
        }
    }
    ns.sort_by_key(|&(o, n, _)| (std::cmp::Reverse(n), std::cmp::Reverse(g.degree[o]), o));
    let hidden = ns.len().saturating_sub(EGO_MAX);
    ns.truncate(EGO_MAX);
    // the circle in reading order: sort the drawn ones by name, stable
    ns.sort_by(|a, b| {
        w.entities[a.0]
            .name
            .cmp(&w.entities[b.0].name)
            .then(a.0.cmp(&b.0))
    });
    (ns, hidden)
}

/// The label of the edge from `e` to a neighbour.
fn edge_text(w: &Wiki, e: usize, &(o, count, first): &Neighbour) -> String {
    let mut t = match first {
        Some(p) => {
            let part = &w.partnerships[p];
            let via = part.via == Some(o) || part.via == Some(e);
            format!("{}{}", part.kind.label(), if via { " (via)" } else { "" })
        }
        None if w.entities[e].member_of.contains(&o) => "member of".into(),
        None => "member".into(),
    };
    if count > 1 {
        let _ = write!(t, " +{}", count - 1);
    }
    t
}

/// Room for the edge labels: the neighbours' circle is widened this much at most, a step at a
/// time, before a label that finds no spot is left out.
const EGO_WIDER: [f64; 3] = [1.0, 1.2, 1.45];

/// `e` at (0, 0), its neighbours on an ellipse around it, wider than tall, each name on its
/// outer side (the centre is the last node); and each edge's label spot, if it has one.
fn ego_layout(
    w: &Wiki,
    e: usize,
    ns: &[Neighbour],
    edge_text: &[String],
) -> (Drawn, Vec<Option<labels::Placed>>) {
    let n = ns.len() as f64;
    let centre = ns.len();
    let order: Vec<usize> = std::iter::once(centre).chain(0..centre).collect();
    let mut best = None;
    for wider in EGO_WIDER {
        let radius = (n * 50.0 / std::f64::consts::TAU).max(100.0) * wider;
        let mut nodes: Vec<labels::Node> = ns
            .iter()
            .enumerate()
            .map(|(i, &(o, _, _))| {
                let a = -std::f64::consts::FRAC_PI_2 + std::f64::consts::TAU * (i as f64) / n;
                labels::Node {
                    at: (radius * 1.3 * a.cos(), radius * a.sin()),
                    r: 7.0,
                    text: labels::Text::new(&label_of(&w.entities[o].name), NAME_FONT, false),
                    prefer: (a.cos(), a.sin()),
                }
            })
            .collect();
        nodes.push(labels::Node {
            at: (0.0, 0.0),
            r: 12.0,
            text: labels::Text::new(&label_of(&w.entities[e].name), CENTER_FONT, true),
            prefer: (0.0, 1.0),
        });
        let mut spots: Vec<Option<labels::Placed>> = Vec::new();
        let (d, _) = draw(nodes, &order, (0.0, 0.0), |nodes, names| {
            let dots = labels::dots(nodes);
            let mut taken: Vec<labels::Rect> = names.iter().map(|p| p.rect).collect();
            for (i, t) in edge_text.iter().enumerate() {
                let text = labels::Text::new(t, EDGE_FONT, false);
                let spot =
                    labels::place_on_edge(nodes[centre].at, nodes[i].at, text, &taken, &dots);
                taken.extend(spot.map(|p| p.rect));
                spots.push(spot);
            }
            spots.iter().flatten().map(|p| p.rect).collect()
        });
        let all_placed = spots.iter().all(Option::is_some);
        // the first layout where every label fits; else the most compact one
        if all_placed || best.is_none() {
            best = Some((d, spots));
        }
        if all_placed {
            break;
        }
    }
    best.expect("EGO_WIDER is not empty")
}

/// The neighbours of entity `e`, around it, partnerships as labelled edges. `None` when it
/// has no neighbour. The drawing is as large as its names need: names never overlap.
pub fn ego_svg(
    g: &Graph,
    w: &Wiki,
    e: usize,
    root: &str,
    publish: &crate::config::Publish,
) -> Option<String> {
    if g.adj[e].is_empty() {
        return None;
    }
    let (ns, hidden) = neighbours(g, w, e);
    let edge_text: Vec<String> = ns.iter().map(|nb| edge_text(w, e, nb)).collect();
    let (d, edge_spots) = ego_layout(w, e, &ns, &edge_text);
    let centre = ns.len();
    let name = &w.entities[e].name;
    let mut out = String::with_capacity(4096);
    // room under the drawing for "and N more"
    let more_room = if hidden > 0 { EDGE_FONT + 8.0 } else { 0.0 };
    let d = Drawn {
        size: (d.size.0, d.size.1 + more_room),
        ..d
    };
    d.open(&mut out, "ego", &format!("{name} and who it worked with"));
    out.push_str("<g class=\"edges\">\n");
    let mut labels_out = String::with_capacity(2048);
    for (i, &(_, _, first)) in ns.iter().enumerate() {
        let class = match first {
            Some(p) => format!("edge kind-{}", w.partnerships[p].kind.as_str()),
            None => "edge member".to_string(),
        };
        let (a, b) = (d.nodes[centre].at, d.nodes[i].at);
        match (first, &edge_spots[i]) {
            (Some(p), Some(spot)) => {
                line(&mut out, &d, &class, a, b);
                labels_out.push_str("<a class=\"edge-label\" href=\"");
                escape_into(root, &mut labels_out);
                escape_into(
                    &super::partnership_href(w, &w.partnerships[p], publish),
                    &mut labels_out,
                );
                labels_out.push_str("\">");
                text_at(&mut labels_out, &d, spot, &edge_text[i]);
                labels_out.push_str("</a>\n");
            }
            // no room for its label: the edge itself is the link, the label its tooltip
            (Some(p), None) => {
                out.push_str("<a class=\"edge-link\" href=\"");
                escape_into(root, &mut out);
                escape_into(
                    &super::partnership_href(w, &w.partnerships[p], publish),
                    &mut out,
                );
                out.push_str("\"><title>");
                escape_into(&edge_text[i], &mut out);
                out.push_str("</title>");
                line(&mut out, &d, &class, a, b);
                out.push_str("</a>");
            }
            (None, spot) => {
                line(&mut out, &d, &class, a, b);
                if let Some(spot) = spot {
                    labels_out.push_str("<g class=\"edge-label\">");
                    text_at(&mut labels_out, &d, spot, &edge_text[i]);
                    labels_out.push_str("</g>\n");
                }
            }
        }
        out.push('\n');
    }
    out.push_str("</g>\n<g class=\"edge-labels\">\n");
    out.push_str(&labels_out);
    out.push_str("</g>\n<g class=\"nodes\">\n");
    for (i, &(o, _, _)) in ns.iter().enumerate() {
        node(&mut out, w, root, o, &d, i, "");
    }
    node(&mut out, w, root, e, &d, centre, " center");
    out.push_str("</g>\n");
    if hidden > 0 {
        let _ = writeln!(
            out,
            "<text class=\"more\" x=\"{}\" y=\"{}\">and {hidden} more</text>",
            f(d.size.0 - MARGIN),
            f(d.size.1 - MARGIN)
        );
    }
    out.push_str("</svg>");
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short() {
        assert_eq!(f(12.345), "12.3");
        assert_eq!(f(-0.01), "0");
        assert_eq!(f(300.0), "300");
    }
}
