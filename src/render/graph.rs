//! The collaboration graph, drawn at build time as inline SVG (readable with JavaScript off;
//! every node is a link to its entity page, every partnership edge to its partnership page).
//!
//! Cost: the graph is built once per build, O(participants² per partnership). An entity page
//! draws only its neighbours (capped), laid out on an ellipse around it. The home page draws
//! the largest connected component, capped to the best-connected nodes, with a fixed number
//! of force-layout iterations from a fixed start: the same wiki gives byte-identical SVG.
use super::linker::escape_into;
use crate::link::Wiki;
use std::collections::BTreeMap;
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

fn node(out: &mut String, w: &Wiki, root: &str, e: usize, (x, y): (f64, f64), r: f64, class: &str) {
    let ent = &w.entities[e];
    // long names are cut on the drawing; the full name is the link's tooltip
    let cut: Option<String> = (ent.name.chars().count() > LABEL_MAX).then(|| {
        let cut: String = ent.name.chars().take(LABEL_MAX - 1).collect();
        format!("{}…", cut.trim_end())
    });
    let label = cut.as_deref().unwrap_or(&ent.name);
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
    put_f(out, x);
    out.push_str("\" cy=\"");
    put_f(out, y);
    out.push_str("\" r=\"");
    put_f(out, r);
    out.push_str("\"/><text x=\"");
    put_f(out, x);
    out.push_str("\" y=\"");
    put_f(out, y + r + 13.0);
    out.push_str("\">");
    escape_into(label, out);
    out.push_str("</text></a>\n");
}

/// The neighbours of entity `e`, around it, partnerships as labelled edges. `None` when it
/// has no neighbour.
pub fn ego_svg(g: &Graph, w: &Wiki, e: usize, root: &str) -> Option<String> {
    // per neighbour: how many distinct edges it has with e, and the first partnership among
    // them (in adjacency order); a sort, not a scan per edge, so a pair with thousands of
    // partnerships costs n log n
    let mut adj: Vec<(usize, usize)> = g.adj[e]
        .iter()
        .enumerate()
        .map(|(i, edge)| (edge.other, i))
        .collect();
    if adj.is_empty() {
        return None;
    }
    adj.sort_unstable();
    // (neighbour, distinct edges, first partnership)
    let mut ns: Vec<(usize, usize, Option<usize>)> = Vec::new();
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
    let (wd, ht) = (720.0, if ns.len() <= 4 { 260.0 } else { 440.0 });
    let (cx, cy) = (wd / 2.0, ht / 2.0 - 8.0);
    let (rx, ry) = (wd / 2.0 - 120.0, ht / 2.0 - 50.0);
    let name = &w.entities[e].name;
    let mut out = String::with_capacity(4096);
    let _ = write!(
        out,
        "<svg class=\"graph ego\" viewBox=\"0 0 {wd} {ht}\" role=\"group\" aria-label=\""
    );
    escape_into(name, &mut out);
    out.push_str(" and who it worked with\">\n<g class=\"edges\">\n");
    let n = ns.len() as f64;
    let pos: Vec<(f64, f64)> = (0..ns.len())
        .map(|i| {
            let a = -std::f64::consts::FRAC_PI_2 + std::f64::consts::TAU * (i as f64) / n;
            (cx + rx * a.cos(), cy + ry * a.sin())
        })
        .collect();
    let mut labels = String::with_capacity(2048);
    for (&(o, count, first), &(x, y)) in ns.iter().zip(&pos) {
        match first {
            Some(p) => {
                let _ = write!(
                    out,
                    "<line class=\"edge kind-{}",
                    w.partnerships[p].kind.as_str()
                );
            }
            None => out.push_str("<line class=\"edge member"),
        }
        out.push_str("\" x1=\"");
        put_f(&mut out, cx);
        out.push_str("\" y1=\"");
        put_f(&mut out, cy);
        out.push_str("\" x2=\"");
        put_f(&mut out, x);
        out.push_str("\" y2=\"");
        put_f(&mut out, y);
        out.push_str("\"/>\n");
        let (lx, ly) = ((cx + x) / 2.0, (cy + y) / 2.0 - 3.0);
        match first {
            Some(p) => {
                labels.push_str("<a class=\"edge-label\" href=\"");
                escape_into(root, &mut labels);
                escape_into(&w.partnerships[p].url(), &mut labels);
                labels.push_str("\">");
            }
            None => labels.push_str("<g class=\"edge-label\">"),
        }
        labels.push_str("<text x=\"");
        put_f(&mut labels, lx);
        labels.push_str("\" y=\"");
        put_f(&mut labels, ly);
        labels.push_str("\">");
        match first {
            Some(p) => {
                let part = &w.partnerships[p];
                escape_into(part.kind.label(), &mut labels);
                if part.via == Some(o) || part.via == Some(e) {
                    labels.push_str(" (via)");
                }
            }
            None if w.entities[e].member_of.contains(&o) => labels.push_str("member of"),
            None => labels.push_str("member"),
        }
        if count > 1 {
            let _ = write!(labels, " +{}", count - 1);
        }
        labels.push_str("</text>");
        labels.push_str(if first.is_some() { "</a>\n" } else { "</g>\n" });
    }
    out.push_str("</g>\n<g class=\"edge-labels\">\n");
    out.push_str(&labels);
    out.push_str("</g>\n<g class=\"nodes\">\n");
    for (&(o, _, _), &p) in ns.iter().zip(&pos) {
        node(&mut out, w, root, o, p, 7.0, "");
    }
    node(&mut out, w, root, e, (cx, cy), 12.0, " center");
    out.push_str("</g>\n");
    if hidden > 0 {
        let _ = writeln!(
            out,
            "<text class=\"more\" x=\"{}\" y=\"{}\">and {hidden} more</text>",
            f(wd - 12.0),
            f(ht - 10.0)
        );
    }
    out.push_str("</svg>");
    Some(out)
}

/// The home page graph: the core of the largest connected component (and, while there is
/// room, the next largest), each component force-laid out in its own cell, cells packed in
/// rows. `None` when no two entities are connected.
pub fn home_svg(g: &Graph, w: &Wiki, root: &str) -> Option<String> {
    let comps = g.core(HOME_MAX);
    let n_nodes: usize = comps.iter().map(Vec::len).sum();
    if n_nodes < 2 {
        return None;
    }
    let wd = 900.0;
    let mut pos: BTreeMap<usize, (f64, f64)> = BTreeMap::new();
    let mut edges: BTreeMap<(usize, usize), Option<usize>> = BTreeMap::new();
    let (mut x, mut y, mut row_h) = (0.0f64, 0.0f64, 0.0f64);
    for nodes in &comps {
        let index: BTreeMap<usize, usize> =
            nodes.iter().enumerate().map(|(i, &e)| (e, i)).collect();
        let mut local: Vec<(usize, usize)> = Vec::new();
        for (i, &e) in nodes.iter().enumerate() {
            for edge in &g.adj[e] {
                if let Some(&j) = index.get(&edge.other)
                    && i < j
                {
                    if !local.contains(&(i, j)) {
                        local.push((i, j));
                    }
                    edges.entry((e, edge.other)).or_insert(edge.partnership);
                }
            }
        }
        let side = (120.0 * (nodes.len() as f64).sqrt()).clamp(200.0, wd);
        if x + side > wd + 0.5 {
            x = 0.0;
            y += row_h;
            row_h = 0.0;
        }
        for (i, p) in force_layout(nodes.len(), &local, side, side)
            .into_iter()
            .enumerate()
        {
            pos.insert(nodes[i], (x + p.0, y + p.1));
        }
        x += side;
        row_h = row_h.max(side);
    }
    let ht = (y + row_h).ceil();
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg class=\"graph home\" viewBox=\"0 0 {wd} {ht}\" role=\"group\" aria-label=\"Collaboration graph of {n_nodes} well-connected entities\">\n<g class=\"edges\">\n"
    );
    for (&(a, b), p) in &edges {
        let class = match p {
            Some(p) => format!("edge kind-{}", w.partnerships[*p].kind.as_str()),
            None => "edge member".into(),
        };
        let _ = writeln!(
            out,
            "<line class=\"{class}\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
            f(pos[&a].0),
            f(pos[&a].1),
            f(pos[&b].0),
            f(pos[&b].1)
        );
    }
    out.push_str("</g>\n<g class=\"nodes\">\n");
    for nodes in &comps {
        for &e in nodes {
            let r = 5.0 + (g.degree[e].min(16) as f64) * 0.6;
            node(&mut out, w, root, e, pos[&e], r, "");
        }
    }
    out.push_str("</g>\n</svg>");
    Some(out)
}

/// Fruchterman-Reingold from a circle, a fixed number of iterations, scaled into the box.
fn force_layout(n: usize, edges: &[(usize, usize)], wd: f64, ht: f64) -> Vec<(f64, f64)> {
    let area = wd * ht;
    let k = (area / n as f64).sqrt() * 0.75;
    let mut pos: Vec<(f64, f64)> = (0..n)
        .map(|i| {
            let a = std::f64::consts::TAU * i as f64 / n as f64;
            let r = ht * (0.25 + 0.1 * ((i * 7) % 5) as f64 / 5.0);
            (wd / 2.0 + r * a.cos(), ht / 2.0 + r * a.sin())
        })
        .collect();
    let mut t = wd / 8.0;
    let cool = t / (HOME_ITERATIONS as f64 + 1.0);
    let mut disp = vec![(0.0f64, 0.0f64); n];
    for _ in 0..HOME_ITERATIONS {
        disp.iter_mut().for_each(|d| *d = (0.0, 0.0));
        for i in 0..n {
            for j in (i + 1)..n {
                let (dx, dy) = (pos[i].0 - pos[j].0, pos[i].1 - pos[j].1);
                let d = (dx * dx + dy * dy).sqrt().max(0.01);
                let force = k * k / d;
                let (fx, fy) = (dx / d * force, dy / d * force);
                disp[i].0 += fx;
                disp[i].1 += fy;
                disp[j].0 -= fx;
                disp[j].1 -= fy;
            }
        }
        for &(i, j) in edges {
            let (dx, dy) = (pos[i].0 - pos[j].0, pos[i].1 - pos[j].1);
            let d = (dx * dx + dy * dy).sqrt().max(0.01);
            let force = d * d / k;
            let (fx, fy) = (dx / d * force, dy / d * force);
            disp[i].0 -= fx;
            disp[i].1 -= fy;
            disp[j].0 += fx;
            disp[j].1 += fy;
        }
        for i in 0..n {
            // a weak pull to the centre keeps loose parts on the canvas
            disp[i].0 += (wd / 2.0 - pos[i].0) * 0.02 * k / 10.0;
            disp[i].1 += (ht / 2.0 - pos[i].1) * 0.02 * k / 10.0;
            let (dx, dy) = disp[i];
            let d = (dx * dx + dy * dy).sqrt().max(0.01);
            let step = d.min(t);
            pos[i].0 += dx / d * step;
            pos[i].1 += dy / d * step;
        }
        t = (t - cool).max(0.5);
    }
    // fit into the box, leaving room for labels
    let (mx, my) = ((wd * 0.25).min(90.0), (ht * 0.08).min(30.0));
    let (minx, maxx) = pos
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.0), b.max(p.0)));
    let (miny, maxy) = pos
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.1), b.max(p.1)));
    // one scale for both axes (no stretching), centred
    let (bw, bh) = (wd - 2.0 * mx, ht - 2.0 * my - 14.0);
    let scale = (bw / (maxx - minx).max(1.0)).min(bh / (maxy - miny).max(1.0));
    let (ox, oy) = (
        mx + (bw - (maxx - minx) * scale) / 2.0,
        my + (bh - (maxy - miny) * scale) / 2.0,
    );
    pos.iter()
        .map(|&(x, y)| (ox + (x - minx) * scale, oy + (y - miny) * scale))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_is_deterministic_and_inside_the_box() {
        let edges = [(0, 1), (1, 2), (2, 0), (2, 3), (3, 4)];
        let a = force_layout(5, &edges, 900.0, 600.0);
        let b = force_layout(5, &edges, 900.0, 600.0);
        assert_eq!(a, b);
        for (x, y) in a {
            assert!((0.0..=900.0).contains(&x) && (0.0..=600.0).contains(&y));
        }
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(f(12.345), "12.3");
        assert_eq!(f(-0.01), "0");
        assert_eq!(f(300.0), "300");
    }
}
