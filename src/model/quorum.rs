//! What R, W and N promise, in words, and which nodes to highlight to show it.

use quorum_sim::msg::NodeId;

/// A write quorum and a read quorum drawn on the ring, chosen as far apart
/// as the numbers allow: if they still share nodes, every pair must. Only
/// live nodes are ever outlined; a quorum that too few live nodes can form
/// is left out (and `write`/`read` is empty).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuorumPicture {
    pub write: Vec<NodeId>,
    pub read: Vec<NodeId>,
    pub overlap: Vec<NodeId>,
}

/// The write quorum starts at the leader (it always holds its own write) and
/// runs clockwise over live nodes; the read quorum runs anticlockwise from
/// the node before it, so it takes the nodes the write missed first.
/// `up[i]` says whether the node at index i is alive; the walks count
/// places on the ring, so they work on indices.
pub fn picture(w: usize, r: usize, leader: Option<NodeId>, up: &[bool]) -> QuorumPicture {
    let n = up.len();
    let live = up.iter().filter(|&&u| u).count();
    let start = leader
        .map(NodeId::index)
        .filter(|&l| up.get(l) == Some(&true))
        .unwrap_or_else(|| up.iter().position(|&u| u).unwrap_or(0));
    let walk = |step: fn(usize, usize, usize) -> usize, from: usize, count: usize| -> Vec<NodeId> {
        if count > live || n == 0 {
            return Vec::new();
        }
        (0..n)
            .map(|k| step(from, k, n))
            .filter(|&i| up[i])
            .take(count)
            .map(NodeId::at)
            .collect()
    };
    let write = walk(|s, k, n| (s + k) % n, start, w);
    let read = walk(|s, k, n| (s + n - 1 - k % n) % n, start, r);
    let overlap = read.iter().copied().filter(|i| write.contains(i)).collect();
    QuorumPicture {
        write,
        read,
        overlap,
    }
}

/// The explainer's sentences for these numbers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explanation {
    pub overlap: bool,
    pub headline: String,
    /// What it means, in a few words, beside the sliders.
    pub short: String,
    pub reads: String,
    pub writes: String,
}

pub fn explain(n: usize, w: usize, r: usize) -> Explanation {
    let overlap = r + w > n;
    let nodes = |k: usize| format!("{k} node{}", if k == 1 { "" } else { "s" });
    let headline = if overlap {
        format!("R + W = {} > N = {n}", r + w)
    } else {
        format!("R + W = {} ≤ N = {n}", r + w)
    };
    let reads = if overlap {
        format!(
            "Any {} a write reached and any {} a strong read asks share at least {}: a strong read sees every write acknowledged before it began.",
            nodes(w),
            nodes(r),
            nodes(r + w - n)
        )
    } else {
        format!(
            "A strong read can ask {} that the write never reached (outlined apart on the ring), so it can return an older value. Eventual reads ask one node whatever R is.",
            nodes(r)
        )
    };
    let short = if overlap {
        "every strong read meets the latest acknowledged write".to_string()
    } else {
        "a strong read can miss the latest write".to_string()
    };
    let majority = n / 2 + 1;
    let writes = if 2 * w > n {
        format!(
            "W = {w} is a majority of {n}: an acknowledged write is on a majority, and any new leader needs votes from a majority, so a failover cannot lose it."
        )
    } else {
        format!(
            "W = {w} is less than a majority ({majority} of {n}): an acknowledged write may live on too few nodes to survive the leader's crash."
        )
    };
    Explanation {
        overlap,
        headline,
        short,
        reads,
        writes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_overlap_is_exactly_r_plus_w_minus_n() {
        for n in 1..=9 {
            for w in 1..=n {
                for r in 1..=n {
                    for leader in [None, Some(NodeId::at(n - 1))] {
                        let p = picture(w, r, leader, &vec![true; n]);
                        assert_eq!(p.write.len(), w);
                        assert_eq!(p.read.len(), r);
                        assert_eq!(
                            p.overlap.len(),
                            (r + w).saturating_sub(n),
                            "n={n} w={w} r={r}"
                        );
                        assert!(p.write.contains(&leader.unwrap_or(NodeId::at(0))));
                    }
                }
            }
        }
    }

    #[test]
    fn a_crashed_node_is_never_outlined() {
        // node-2 down: W = 2 takes node-1 and node-3; R = 1 takes node-3.
        let p = picture(2, 1, Some(NodeId::at(0)), &[true, false, true]);
        assert_eq!(p.write, vec![NodeId::at(0), NodeId::at(2)]);
        assert_eq!(p.read, vec![NodeId::at(2)]);
        for n in 2..=9 {
            for down in 0..n {
                let mut up = vec![true; n];
                up[down] = false;
                for w in 1..=n {
                    for r in 1..=n {
                        let p = picture(w, r, Some(NodeId::at(0)), &up);
                        let down = NodeId::at(down);
                        assert!(!p.write.contains(&down) && !p.read.contains(&down));
                        assert_eq!(p.write.len(), if w < n { w } else { 0 }, "n={n} w={w}");
                        assert_eq!(p.read.len(), if r < n { r } else { 0 }, "n={n} r={r}");
                    }
                }
            }
        }
    }

    #[test]
    fn sentences_follow_the_numbers() {
        let e = explain(3, 2, 1);
        assert!(!e.overlap);
        assert_eq!(e.headline, "R + W = 3 ≤ N = 3");
        assert!(e
            .reads
            .contains("can ask 1 node that the write never reached"));
        assert!(e.writes.contains("is a majority"));
        let e = explain(5, 2, 4);
        assert!(e.overlap);
        assert!(e.reads.contains("share at least 1 node"));
        assert!(e.writes.contains("less than a majority (3 of 5)"));
    }
}
