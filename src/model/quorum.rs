//! What R, W and N promise, in words, and which nodes to highlight to show it.

/// A write quorum and a read quorum drawn on the ring, chosen as far apart
/// as the numbers allow: if they still share nodes, every pair must.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuorumPicture {
    pub write: Vec<usize>,
    pub read: Vec<usize>,
    pub overlap: Vec<usize>,
}

/// The write quorum starts at the leader (it always holds its own write) and
/// runs clockwise; the read quorum runs anticlockwise from the node before
/// it, so it takes the nodes the write missed first.
pub fn picture(n: usize, w: usize, r: usize, leader: Option<usize>) -> QuorumPicture {
    let (w, r) = (w.min(n), r.min(n));
    let start = leader.unwrap_or(0) % n.max(1);
    let write: Vec<usize> = (0..w).map(|k| (start + k) % n).collect();
    let read: Vec<usize> = (1..=r).map(|k| (start + n - k) % n).collect();
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
                    for leader in [None, Some(n - 1)] {
                        let p = picture(n, w, r, leader);
                        assert_eq!(p.write.len(), w);
                        assert_eq!(p.read.len(), r);
                        assert_eq!(
                            p.overlap.len(),
                            (r + w).saturating_sub(n),
                            "n={n} w={w} r={r}"
                        );
                        assert!(p.write.contains(&leader.unwrap_or(0)));
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
