//! Where things sit on the cluster drawing: nodes on an ellipse, leaving room
//! under each node for its key table. A phone gets a narrower, taller
//! drawing, so that text keeps a legible size once the drawing is scaled to
//! the screen's width.

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

impl Ring {
    pub fn new(n: usize, narrow: bool) -> Ring {
        let n = n.max(1);
        let single = n == 1;
        // Nine nodes still leave a gap between neighbours.
        let node_radius = if n <= 5 { 48.0 } else { 38.0 };
        if narrow {
            Ring {
                n,
                node_radius: node_radius - 4.0,
                width: 420.0,
                height: 540.0,
                // Side by side, key tables would run into each other.
                rows: if n <= 4 { 2 } else { 0 },
                cx: 210.0,
                cy: 250.0,
                rx: if single { 0.0 } else { 150.0 },
                ry: if single { 0.0 } else { 185.0 },
            }
        } else {
            Ring {
                n,
                node_radius,
                width: 660.0,
                height: 560.0,
                rows: 3,
                cx: 330.0,
                cy: 238.0,
                rx: if single { 0.0 } else { 250.0 },
                ry: if single { 0.0 } else { 168.0 },
            }
        }
    }

    /// Centre of node `i`: node-1 at the top, then clockwise.
    pub fn at(&self, i: usize) -> (f64, f64) {
        let angle = std::f64::consts::TAU * i as f64 / self.n as f64 - std::f64::consts::FRAC_PI_2;
        (
            self.cx + self.rx * angle.cos(),
            self.cy + self.ry * angle.sin(),
        )
    }

    /// The point `progress` of the way along the link from `from` to `to`,
    /// measured between the two circles' rims so a message leaves and
    /// arrives at the edge of a node, not its centre.
    pub fn along(&self, from: usize, to: usize, progress: f64) -> (f64, f64) {
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
            for i in 0..n {
                let (x, y) = ring.at(i);
                let r = ring.node_radius;
                // Room for the crown above and the log line and rows below.
                let below = r + 22.0 + 16.0 * ring.rows as f64;
                assert!(
                    x - r >= 0.0 && x + r <= ring.width,
                    "n={n} i={i} narrow={narrow}"
                );
                assert!(
                    y - r - 18.0 >= 0.0 && y + below <= ring.height,
                    "n={n} i={i} narrow={narrow}"
                );
                for j in i + 1..n {
                    let (u, v) = ring.at(j);
                    let gap = ((x - u).powi(2) + (y - v).powi(2)).sqrt();
                    assert!(gap > 2.0 * r + 10.0, "n={n}: nodes {i} and {j} {gap} apart");
                }
            }
        }
    }

    #[test]
    fn messages_travel_rim_to_rim() {
        let ring = Ring::new(3, false);
        let (x0, y0) = ring.at(0);
        let (sx, sy) = ring.along(0, 1, 0.0);
        let d = ((sx - x0).powi(2) + (sy - y0).powi(2)).sqrt();
        assert!((d - ring.node_radius).abs() < 1e-9);
        let (ex, ey) = ring.along(0, 1, 1.0);
        let (x1, y1) = ring.at(1);
        assert!((((ex - x1).powi(2) + (ey - y1).powi(2)).sqrt() - ring.node_radius).abs() < 1e-9);
    }
}
