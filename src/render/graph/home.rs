//! The home page graph: the best-connected components of the wiki, each force-laid out and
//! drawn on its own.
use super::{Graph, HOME_ITERATIONS, HOME_MAX, NAME_FONT, draw, label_of, labels, line, node};
use crate::link::Wiki;
use std::collections::BTreeMap;

/// The home page graph: the core of the largest connected component (and, while there is
/// room, the next largest), each component force-laid out and drawn on its own, so the
/// drawings wrap to the reader's width. `None` when no two entities are connected.
pub fn home_svg(g: &Graph, w: &Wiki, root: &str) -> Option<String> {
    let comps = g.core(HOME_MAX);
    let n_nodes: usize = comps.iter().map(Vec::len).sum();
    if n_nodes < 2 {
        return None;
    }
    let mut out = String::from("<div class=\"graph-cells\">\n");
    for nodes in &comps {
        component_svg(&mut out, g, w, root, nodes);
    }
    out.push_str("</div>");
    Some(out)
}

/// One component of the home page graph as its own drawing.
fn component_svg(out: &mut String, g: &Graph, w: &Wiki, root: &str, nodes: &[usize]) {
    let index: BTreeMap<usize, usize> = nodes.iter().enumerate().map(|(i, &e)| (e, i)).collect();
    let mut local: Vec<(usize, usize)> = Vec::new();
    let mut edges: BTreeMap<(usize, usize), Option<usize>> = BTreeMap::new();
    for (i, &e) in nodes.iter().enumerate() {
        for edge in &g.adj[e] {
            if let Some(&j) = index.get(&edge.other)
                && i < j
            {
                if !local.contains(&(i, j)) {
                    local.push((i, j));
                }
                edges.entry((i, j)).or_insert(edge.partnership);
            }
        }
    }
    let side = (120.0 * (nodes.len() as f64).sqrt()).clamp(200.0, 900.0);
    let at = force_layout(nodes.len(), &local, side, side);
    let n = at.len() as f64;
    let centre = (
        at.iter().map(|p| p.0).sum::<f64>() / n,
        at.iter().map(|p| p.1).sum::<f64>() / n,
    );
    let placed: Vec<labels::Node> = nodes
        .iter()
        .zip(&at)
        .map(|(&e, &(x, y))| {
            // a name goes on the side away from the middle of its component
            let (dx, dy) = (x - centre.0, y - centre.1);
            let len = (dx * dx + dy * dy).sqrt();
            labels::Node {
                at: (x, y),
                r: 5.0 + (g.degree[e].min(16) as f64) * 0.6,
                text: labels::Text::new(&label_of(&w.entities[e].name), NAME_FONT, false),
                prefer: if len > 1.0 {
                    (dx / len, dy / len)
                } else {
                    (0.0, 1.0)
                },
            }
        })
        .collect();
    // the best connected first: they get the best spots
    let order: Vec<usize> = (0..nodes.len()).collect();
    let (d, _) = draw(placed, &order, centre, |_, _| Vec::new());
    let first = &w.entities[nodes[0]].name;
    let label = match nodes.len() {
        1 => format!("Collaboration graph: {first}"),
        k => format!("Collaboration graph: {first} and {} more", k - 1),
    };
    d.open(out, "home", &label);
    out.push_str("<g class=\"edges\">\n");
    for (&(i, j), p) in &edges {
        let class = match p {
            Some(p) => format!("edge kind-{}", w.partnerships[*p].kind.as_str()),
            None => "edge member".into(),
        };
        line(out, &d, &class, d.nodes[i].at, d.nodes[j].at);
        out.push('\n');
    }
    out.push_str("</g>\n<g class=\"nodes\">\n");
    for (i, &e) in nodes.iter().enumerate() {
        node(out, w, root, e, &d, i, "");
    }
    out.push_str("</g>\n</svg>\n");
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
}
