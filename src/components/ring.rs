//! Where things sit on the cluster drawing: nodes on an ellipse, leaving room
//! under each node for its key table. A phone gets a narrower, taller
//! drawing, so that text keeps a legible size once the drawing is scaled to
//! the screen's width.

use quorum_sim::msg::NodeId;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Ring {
    pub n: usize,
    pub node_radius: f64,
    /// The SVG user space.
    pub width: f64,
    pub height: f64,
    /// Key rows drawn under each node (all of them are in the node panel).
    pub rows: usize,
    cx: f64,
    cy: f64,
    rx: f64,
    ry: f64,
}

/// Below a node's circle: room for the quorum outlines, then the log line.
const LOG_LINE: f64 = 32.0;
/// From the log line to the first key row, and between rows.
const FIRST_ROW: f64 = 18.0;
const ROW: f64 = 16.0;
/// Above the circle: the crown.
const CROWN: f64 = 18.0;

impl Ring {
    pub fn new(n: usize, narrow: bool) -> Ring {
        let n = n.max(1);
        let single = n == 1;
        // Nine nodes still leave a gap between neighbours.
        let node_radius = if n <= 5 { 48.0 } else { 38.0 };
        let mut ring = if narrow {
            Ring {
                n,
                node_radius: node_radius - 4.0,
                width: 420.0,
                height: 0.0,
                // Side by side, key tables would run into each other; the
                // node panel lists every key.
                rows: if n <= 4 { 1 } else { 0 },
                cx: 210.0,
                cy: 0.0,
                rx: if single { 0.0 } else { 155.0 },
                ry: if single { 0.0 } else { 130.0 },
            }
        } else {
            Ring {
                n,
                node_radius,
                width: 660.0,
                height: 0.0,
                rows: 3,
                cx: 330.0,
                cy: 0.0,
                rx: if single { 0.0 } else { 250.0 },
                ry: if single { 0.0 } else { 168.0 },
            }
        };
        // As tall as the nodes and their tables need, no taller: an odd N
        // has no node at the bottom of the ellipse.
        let ys: Vec<f64> = NodeId::all(n).map(|i| ring.at(i).1).collect();
        let top = ys.iter().copied().fold(f64::INFINITY, f64::min);
        let bottom = ys.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let above = ring.node_radius + CROWN + 6.0;
        ring.cy = above - top;
        let tables = ring.cy + bottom + ring.extent_below() + 8.0;
        // An upper node shows answers below its table.
        let answers = NodeId::all(n)
            .map(|i| ring.bubble_at(i).1 + 13.0 + 4.0)
            .fold(0.0, f64::max);
        ring.height = tables.max(answers).ceil();
        ring
    }

    /// Where the log line sits, below a node's centre.
    pub fn labels_below(&self) -> f64 {
        self.node_radius + LOG_LINE
    }

    /// How far a node's labels and table reach below its centre.
    fn extent_below(&self) -> f64 {
        self.labels_below() + FIRST_ROW + ROW * self.rows as f64
    }

    /// Centre of node `id`: node-1 at the top, then clockwise.
    pub fn at(&self, id: NodeId) -> (f64, f64) {
        let angle =
            std::f64::consts::TAU * id.index() as f64 / self.n as f64 - std::f64::consts::FRAC_PI_2;
        let (cos, sin) = crate::trig::cos_sin(angle);
        (self.cx + self.rx * cos, self.cy + self.ry * sin)
    }

    /// Where a read's answer at node `id` is shown: the middle of a 26-unit
    /// bubble just above a node in the lower half (outside its outlines),
    /// or just below the table of one in the upper half.
    pub fn bubble_at(&self, id: NodeId) -> (f64, f64) {
        let (x, y) = self.at(id);
        if y > self.cy + 1.0 {
            (x, y - self.node_radius - CROWN - 13.0)
        } else {
            (x, y + self.extent_below() + 15.0)
        }
    }

    /// The point `progress` of the way along the link from `from` to `to`,
    /// measured between the two circles' rims so a message leaves and
    /// arrives at the edge of a node, not its centre.
    pub fn along(&self, from: NodeId, to: NodeId, progress: f64) -> (f64, f64) {
        let ((x1, y1), (x2, y2)) = (self.at(from), self.at(to));
        let (dx, dy) = (x2 - x1, y2 - y1);
        let len = (dx * dx + dy * dy).sqrt();
        if len <= 2.0 * self.node_radius {
            return (x1 + dx * progress, y1 + dy * progress);
        }
        let rim = self.node_radius / len;
        let t = rim + (1.0 - 2.0 * rim) * progress;
        (x1 + dx * t, y1 + dy * t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nodes_fit_the_drawing_and_do_not_touch() {
        for (n, narrow) in (1..=9).flat_map(|n| [(n, false), (n, true)]) {
            let ring = Ring::new(n, narrow);
            for i in NodeId::all(n) {
                let (x, y) = ring.at(i);
                let r = ring.node_radius;
                assert!(
                    x - r >= 0.0 && x + r <= ring.width,
                    "n={n} i={i} narrow={narrow}"
                );
                assert!(
                    y - r - CROWN >= 0.0 && y + ring.extent_below() <= ring.height,
                    "n={n} i={i} narrow={narrow}"
                );
                for j in NodeId::all(n).skip(i.index() + 1) {
                    let (u, v) = ring.at(j);
                    let gap = ((x - u).powi(2) + (y - v).powi(2)).sqrt();
                    assert!(gap > 2.0 * r + 10.0, "n={n}: nodes {i} and {j} {gap} apart");
                }
            }
        }
    }

    #[test]
    fn labels_sit_below_the_outermost_quorum_outline() {
        let ring = Ring::new(3, false);
        // The read outline's radius is r + 13 with a 4 px stroke; the log
        // line's 13 px text rises about 10 px above its baseline.
        assert!(ring.labels_below() - 10.0 > ring.node_radius + 13.0 + 2.0);
    }

    #[test]
    fn answers_show_inside_the_drawing_clear_of_their_node() {
        for (n, narrow) in (1..=9).flat_map(|n| [(n, false), (n, true)]) {
            let ring = Ring::new(n, narrow);
            for i in NodeId::all(n) {
                let ((x, y), (bx, by)) = (ring.at(i), ring.bubble_at(i));
                assert_eq!(x, bx);
                assert!(by - 13.0 >= 0.0 && by + 13.0 <= ring.height, "n={n} i={i}");
                // Clear of the circle, its outlines and its labels.
                let clear = by + 13.0 <= y - ring.node_radius - 15.0
                    || by - 13.0 >= y + ring.extent_below();
                assert!(clear, "n={n} i={i} narrow={narrow}");
            }
        }
    }

    #[test]
    fn an_odd_cluster_needs_less_height_than_an_even_one() {
        assert!(Ring::new(3, false).height < Ring::new(4, false).height);
        assert!(Ring::new(3, true).height <= 470.0, "a phone's first screen");
    }

    #[test]
    fn messages_travel_rim_to_rim() {
        let ring = Ring::new(3, false);
        let (x0, y0) = ring.at(NodeId::at(0));
        let (sx, sy) = ring.along(NodeId::at(0), NodeId::at(1), 0.0);
        let d = ((sx - x0).powi(2) + (sy - y0).powi(2)).sqrt();
        assert!((d - ring.node_radius).abs() < 1e-9);
        let (ex, ey) = ring.along(NodeId::at(0), NodeId::at(1), 1.0);
        let (x1, y1) = ring.at(NodeId::at(1));
        assert!((((ex - x1).powi(2) + (ey - y1).powi(2)).sqrt() - ring.node_radius).abs() < 1e-9);
    }
}
