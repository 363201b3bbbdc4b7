//! Per-read freshness.
//!
//! A write is *acknowledged before a read began* when it completed with
//! outcome `ok` strictly before the read's `invoke_us`. A completed read is
//! **stale** when some write acknowledged before it began is certainly newer
//! than the value it returned, that is, was invoked after the returned
//! value's write had completed (real-time order: every linearization puts it
//! later). Then
//! * `k` = how many such acknowledged newer writes there are (versions
//!   behind), and
//! * `t_us` = how long the first of them had been acknowledged when the read
//!   began: `read.invoke_us − min(newer.complete_us)`.
//!
//! A read is **impossible** when no write could have produced its value:
//! the value was never written (or only by a write that failed), or its write
//! was invoked after the read completed.

use super::observed::{is_ok, is_write, Keyed, Source};
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Freshness {
    Fresh,
    Stale { k: usize, t_us: u64 },
    Impossible,
}

/// A verdict for one completed `ok` read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReadVerdict {
    /// The read's index in the history.
    pub read: usize,
    /// The write it returned, when there is one.
    pub source: Option<usize>,
    #[serde(flatten)]
    pub freshness: Freshness,
}

/// Per key, reads in order of invocation against the acknowledged writes
/// in order of acknowledgement: each read asks the writes acknowledged
/// before it began how many were invoked after its value's write completed,
/// and when the first of those was acknowledged.
pub(super) fn judge_reads(keyed: &Keyed) -> Vec<ReadVerdict> {
    let ops = &keyed.facts;
    let mut verdicts = Vec::new();
    for indices in keyed.by_key.values() {
        let mut acked: Vec<(u64, u64)> = indices
            .iter()
            .map(|&w| &ops[w])
            .filter(|w| is_write(w) && is_ok(w))
            .map(|w| (w.complete_us.unwrap_or(u64::MAX), w.invoke_us))
            .collect();
        acked.sort_unstable();
        let mut invokes: Vec<u64> = acked.iter().map(|&(_, invoke)| invoke).collect();
        invokes.sort_unstable();
        let mut so_far = AckedSoFar::new(invokes.len());
        let mut next_ack = 0;

        let mut reads: Vec<usize> = indices
            .iter()
            .copied()
            .filter(|&r| !is_write(&ops[r]) && is_ok(&ops[r]))
            .collect();
        reads.sort_unstable_by_key(|&r| ops[r].invoke_us);
        for r in reads {
            let read = &ops[r];
            while acked
                .get(next_ack)
                .is_some_and(|&(end, _)| end < read.invoke_us)
            {
                let (end, invoke) = acked[next_ack];
                so_far.add(invokes.partition_point(|&i| i < invoke), end);
                next_ack += 1;
            }
            let source = keyed.source(r);
            // Writes acknowledged before the read that are certainly newer
            // than its value: invoked after the value's write completed.
            let newer_than = match source {
                Source::Initial => Some(None),
                Source::Write(w) => ops[w].complete_us.map(Some),
                Source::Unexplained => None,
            };
            let freshness = match source {
                Source::Unexplained => Freshness::Impossible,
                Source::Write(w) if ops[w].invoke_us > read.complete_us.unwrap_or(u64::MAX) => {
                    Freshness::Impossible
                }
                _ => {
                    let from = match newer_than {
                        Some(Some(end)) => invokes.partition_point(|&i| i <= end),
                        Some(None) => 0,
                        None => invokes.len(),
                    };
                    match so_far.from(from) {
                        (0, _) => Freshness::Fresh,
                        (k, first_ack) => Freshness::Stale {
                            k,
                            t_us: read.invoke_us - first_ack,
                        },
                    }
                }
            };
            let source = match source {
                Source::Write(w) => Some(w),
                _ => None,
            };
            verdicts.push(ReadVerdict {
                read: r,
                source,
                freshness,
            });
        }
    }
    verdicts.sort_by_key(|v| v.read);
    verdicts
}

/// The acknowledged writes added so far, by the rank of their invocation
/// among all of the key's: for the writes of rank `from` and up, how many
/// there are and the first acknowledgement among them. A Fenwick tree over
/// ranks taken from the top.
struct AckedSoFar {
    tree: Vec<(usize, u64)>,
}

impl AckedSoFar {
    fn new(len: usize) -> AckedSoFar {
        AckedSoFar {
            tree: vec![(0, u64::MAX); len + 1],
        }
    }

    fn add(&mut self, rank: usize, ack: u64) {
        let mut i = self.tree.len() - 1 - rank;
        while i < self.tree.len() {
            let node = &mut self.tree[i];
            *node = (node.0 + 1, node.1.min(ack));
            i += i & i.wrapping_neg();
        }
    }

    fn from(&self, rank: usize) -> (usize, u64) {
        let mut i = self.tree.len() - 1 - rank;
        let mut total = (0, u64::MAX);
        while i > 0 {
            let node = self.tree[i];
            total = (total.0 + node.0, total.1.min(node.1));
            i -= i & i.wrapping_neg();
        }
        total
    }
}
