//! Labels without collisions: each node's name goes beside its dot, on the first side where
//! it overlaps no other name and no other dot; when a name finds no such side, the drawing is
//! spread out (the dots moved apart, the names kept their size) until every name fits. Edge
//! labels then take a free spot along their edge, or are left out (the edge stays a link).
//!
//! Text is measured at build time, without the reader's fonts: widths are estimated per
//! character on the generous side (DejaVu Sans, the widest of the usual sans-serif faces), so
//! a name drawn in any of them stays inside its box.

/// An axis-aligned box: left, top, right, bottom.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl Rect {
    fn overlaps(&self, o: &Rect) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }

    pub fn union(&self, o: &Rect) -> Rect {
        Rect {
            x0: self.x0.min(o.x0),
            y0: self.y0.min(o.y0),
            x1: self.x1.max(o.x1),
            y1: self.y1.max(o.y1),
        }
    }

    fn circle((x, y): (f64, f64), r: f64) -> Rect {
        Rect {
            x0: x - r,
            y0: y - r,
            x1: x + r,
            y1: y + r,
        }
    }
}

/// Where a text's `x` is: its start, middle or end (SVG's `text-anchor`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

/// A text to place: its width and font size (in the drawing's units).
#[derive(Debug, Clone, Copy)]
pub struct Text {
    pub width: f64,
    pub size: f64,
}

impl Text {
    /// `s` in a font of `size`; `bold` a little wider.
    pub fn new(s: &str, size: f64, bold: bool) -> Text {
        let em: f64 = s.chars().map(char_em).sum();
        Text {
            width: em * size * if bold { 1.1 } else { 1.0 },
            size,
        }
    }
}

/// The width of a character in ems, rounded up.
fn char_em(c: char) -> f64 {
    match c {
        ' ' => 0.33,
        'i' | 'j' | 'l' | '.' | ',' | '\'' | '!' | '|' | ':' | ';' | 'I' => 0.34,
        'f' | 't' | 'r' | '(' | ')' | '-' => 0.45,
        'm' | 'w' | 'M' | 'W' | '@' => 0.98,
        'A'..='Z' => 0.76,
        '0'..='9' => 0.66,
        'a'..='z' => 0.64,
        // Hangul, kana and CJK ideographs are square
        '\u{1100}'..='\u{11ff}' | '\u{2e80}'..='\u{9fff}' | '\u{ac00}'..='\u{d7af}' => 1.05,
        _ if c.is_alphanumeric() => 0.8,
        _ => 0.7,
    }
}

/// A placed text: the point SVG draws it from (baseline), its anchor, and its box.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placed {
    pub x: f64,
    pub y: f64,
    pub anchor: Anchor,
    pub rect: Rect,
}

impl Placed {
    fn at(x: f64, y: f64, anchor: Anchor, t: Text) -> Placed {
        let x0 = match anchor {
            Anchor::Start => x,
            Anchor::Middle => x - t.width / 2.0,
            Anchor::End => x - t.width,
        };
        // ascent above the baseline, descent below, and room for the halo around the glyphs
        let pad = 2.0;
        Placed {
            x,
            y,
            anchor,
            rect: Rect {
                x0: x0 - pad,
                y0: y - t.size * 0.95 - pad,
                x1: x0 + t.width + pad,
                y1: y + t.size * 0.3 + pad,
            },
        }
    }
}

/// A dot of the drawing with its name.
#[derive(Debug, Clone, Copy)]
pub struct Node {
    pub at: (f64, f64),
    pub r: f64,
    pub text: Text,
    /// The side its name would rather be on (a direction; (0, 1) is below).
    pub prefer: (f64, f64),
}

/// The spots around a dot for its name, the preferred side first.
fn spots(n: &Node) -> Vec<Placed> {
    let ((x, y), r, t) = (n.at, n.r, n.text);
    let gap = 3.0;
    let side_y = y + t.size * 0.33;
    let mut spots = [
        (
            (0.0, 1.0),
            Placed::at(x, y + r + gap + t.size * 0.95, Anchor::Middle, t),
        ),
        (
            (0.0, -1.0),
            Placed::at(x, y - r - gap - t.size * 0.3, Anchor::Middle, t),
        ),
        (
            (1.0, 0.0),
            Placed::at(x + r + gap, side_y, Anchor::Start, t),
        ),
        ((-1.0, 0.0), Placed::at(x - r - gap, side_y, Anchor::End, t)),
        (
            (0.7, 0.7),
            Placed::at(x + r * 0.7, y + r + t.size * 0.95, Anchor::Start, t),
        ),
        (
            (-0.7, 0.7),
            Placed::at(x - r * 0.7, y + r + t.size * 0.95, Anchor::End, t),
        ),
        (
            (0.7, -0.7),
            Placed::at(x + r * 0.7, y - r - t.size * 0.3, Anchor::Start, t),
        ),
        (
            (-0.7, -0.7),
            Placed::at(x - r * 0.7, y - r - t.size * 0.3, Anchor::End, t),
        ),
    ];
    let (px, py) = n.prefer;
    // best agreement with the preferred side first; the order above breaks ties
    spots.sort_by(|a, b| {
        let score = |d: (f64, f64)| d.0 * px + d.1 * py;
        score(b.0).total_cmp(&score(a.0))
    });
    spots.into_iter().map(|(_, p)| p).collect()
}

/// Each node's name on a free spot, in `order`; `None` when one finds none.
fn try_place(nodes: &[Node], order: &[usize]) -> Option<Vec<Placed>> {
    let dots: Vec<Rect> = nodes.iter().map(|n| Rect::circle(n.at, n.r)).collect();
    let mut placed: Vec<Option<Placed>> = vec![None; nodes.len()];
    for &i in order {
        let free = |p: &Placed| {
            let clear_of_dots =
                (dots.iter().enumerate()).all(|(j, d)| j == i || !p.rect.overlaps(d));
            clear_of_dots && placed.iter().flatten().all(|q| !p.rect.overlaps(&q.rect))
        };
        placed[i] = Some(spots(&nodes[i]).into_iter().find(free)?);
    }
    placed.into_iter().collect()
}

/// How much each round spreads the drawing, and how many rounds at most (1.12^80 is about
/// 8,700: far past what any name needs once dots are apart).
const SPREAD: f64 = 1.12;
const ROUNDS: usize = 80;

/// Place every node's name without overlaps, spreading the dots away from `center` as much as
/// that needs: the nodes' positions are updated, the names' places returned (by node).
pub fn place_names(nodes: &mut [Node], order: &[usize], center: (f64, f64)) -> Vec<Placed> {
    separate_equal_positions(nodes);
    let original: Vec<(f64, f64)> = nodes.iter().map(|n| n.at).collect();
    let mut scale = 1.0;
    for _ in 0..ROUNDS {
        for (n, &(x, y)) in nodes.iter_mut().zip(&original) {
            n.at = (
                center.0 + (x - center.0) * scale,
                center.1 + (y - center.1) * scale,
            );
        }
        if let Some(placed) = try_place(nodes, order) {
            return placed;
        }
        scale *= SPREAD;
    }
    // unreachable in practice (see ROUNDS): below each dot, as before
    nodes
        .iter()
        .map(|n| {
            spots(&Node {
                prefer: (0.0, 1.0),
                ..*n
            })[0]
        })
        .collect()
}

/// Nodes on the very same spot cannot be spread apart: nudge them, the same way every time.
fn separate_equal_positions(nodes: &mut [Node]) {
    for i in 1..nodes.len() {
        while nodes[..i]
            .iter()
            .any(|m| (m.at.0 - nodes[i].at.0).abs() < 0.5 && (m.at.1 - nodes[i].at.1).abs() < 0.5)
        {
            nodes[i].at.0 += 1.0;
            nodes[i].at.1 += 0.5;
        }
    }
}

/// A label for the edge from `a` to `b` on the first free spot along it (its middle first), or
/// `None`. `taken` are the names and edge labels placed so far, `dots` every dot.
pub fn place_on_edge(
    a: (f64, f64),
    b: (f64, f64),
    text: Text,
    taken: &[Rect],
    dots: &[Rect],
) -> Option<Placed> {
    [0.5, 0.6, 0.4, 0.68, 0.32]
        .into_iter()
        .map(|t| {
            let (x, y) = (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t);
            Placed::at(x, y - 3.0, Anchor::Middle, text)
        })
        .find(|p| taken.iter().chain(dots).all(|q| !p.rect.overlaps(q)))
}

/// The box around every dot and placed text.
pub fn bounds(nodes: &[Node], texts: impl Iterator<Item = Rect>) -> Option<Rect> {
    nodes
        .iter()
        .map(|n| Rect::circle(n.at, n.r))
        .chain(texts)
        .reduce(|a, b| a.union(&b))
}

/// Every dot's box.
pub fn dots(nodes: &[Node]) -> Vec<Rect> {
    nodes.iter().map(|n| Rect::circle(n.at, n.r)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(at: (f64, f64), name: &str) -> Node {
        Node {
            at,
            r: 6.0,
            text: Text::new(name, 13.0, false),
            prefer: (0.0, 1.0),
        }
    }

    #[test]
    fn crowded_names_are_spread_until_none_overlaps() {
        // five long names on top of each other, as in a dense cluster
        let crowd = || -> Vec<Node> {
            let mut nodes: Vec<Node> = (0..5)
                .map(|i| {
                    let at = (100.0 + i as f64 * 3.0, 100.0 + i as f64 * 2.0);
                    node(at, "Fast & Furious 10")
                })
                .collect();
            nodes.push(node((100.0, 100.0), "Jimin"));
            nodes
        };
        let mut nodes = crowd();
        let order: Vec<usize> = (0..nodes.len()).collect();
        let placed = place_names(&mut nodes, &order, (100.0, 100.0));
        for (i, p) in placed.iter().enumerate() {
            for q in &placed[i + 1..] {
                assert!(!p.rect.overlaps(&q.rect), "{p:?} overlaps {q:?}");
            }
            for (j, d) in dots(&nodes).iter().enumerate() {
                assert!(i == j || !p.rect.overlaps(d));
            }
        }
        // deterministic
        assert_eq!(place_names(&mut crowd(), &order, (100.0, 100.0)), placed);
    }

    #[test]
    fn a_name_with_room_stays_where_it_prefers() {
        let mut nodes = vec![node((0.0, 0.0), "Rosé"), node((300.0, 0.0), "F1")];
        nodes[1].prefer = (1.0, 0.0);
        let placed = place_names(&mut nodes, &[0, 1], (150.0, 0.0));
        assert_eq!(nodes[0].at, (0.0, 0.0), "not spread");
        assert_eq!(placed[0].anchor, Anchor::Middle);
        assert!(placed[0].y > 0.0, "below its dot");
        assert_eq!(placed[1].anchor, Anchor::Start, "right of its dot");
    }

    #[test]
    fn wide_letters_are_wider() {
        assert!(Text::new("WWW", 13.0, false).width > Text::new("iii", 13.0, false).width * 2.0);
        assert!(Text::new("로제", 13.0, false).width > Text::new("ab", 13.0, false).width);
    }
}
