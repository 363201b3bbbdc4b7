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

pub(super) fn judge_reads(keyed: &Keyed) -> Vec<ReadVerdict> {
    let ops = keyed.ops;
    let mut verdicts = Vec::new();
    for indices in keyed.by_key.values() {
        let acked: Vec<usize> = indices
            .iter()
            .copied()
            .filter(|&w| is_write(&ops[w]) && is_ok(&ops[w]))
            .collect();
        for &r in indices
            .iter()
            .filter(|&&r| !is_write(&ops[r]) && is_ok(&ops[r]))
        {
            let read = &ops[r];
            let source = keyed.source(r);
            let freshness = match source {
                Source::Unexplained => Freshness::Impossible,
                Source::Write(w) if ops[w].invoke_us > read.complete_us.unwrap_or(u64::MAX) => {
                    Freshness::Impossible
                }
                _ => {
                    let newer = acked.iter().copied().filter(|&w| {
                        ops[w].complete_us.is_some_and(|end| end < read.invoke_us)
                            && keyed.precedes(source, Source::Write(w))
                    });
                    let (k, first_ack) = newer.fold((0, u64::MAX), |(k, first), w| {
                        (k + 1, first.min(ops[w].complete_us.unwrap_or(u64::MAX)))
                    });
                    if k == 0 {
                        Freshness::Fresh
                    } else {
                        Freshness::Stale {
                            k,
                            t_us: read.invoke_us - first_ack,
                        }
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
