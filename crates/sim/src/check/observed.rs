//! What each read saw, and real-time order between operations.
//!
//! Values are unique per key (the engine names each after its client and
//! sequence number), so a read returning a value identifies the write that
//! produced it. A read of "absent" (`null`) is explained by the initial state
//! or by a delete; we credit it with the most recently invoked delete that
//! could have produced it (invoked before the read completed and not
//! `fail`), else the initial state: the most charitable explanation, so
//! that every staleness and session verdict built on it is certain.

use super::Names;
use crate::history::{HistoryOp, OpKind, Outcome};
use std::collections::BTreeMap;

/// Where a read's value came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// The key's initial absence: older than every write.
    Initial,
    /// The write (or delete) at this history index.
    Write(usize),
    /// No write in the history produced the value (or only one that
    /// certainly failed).
    Unexplained,
}

/// The fields of an operation that the verdicts read, named as in
/// [`HistoryOp`]: a quarter of its size and none of its strings, so that
/// the passes over a long history stay in cache.
#[derive(Clone, Copy, Debug)]
pub(super) struct Fact {
    pub invoke_us: u64,
    pub complete_us: Option<u64>,
    pub client: u32,
    pub op: OpKind,
    pub outcome: Outcome,
    /// Its value is `null`.
    pub absent: bool,
}

pub(super) fn is_write(op: &Fact) -> bool {
    matches!(op.op, OpKind::Write | OpKind::Delete)
}

/// Completed with outcome `ok`.
pub(super) fn is_ok(op: &Fact) -> bool {
    op.outcome == Outcome::Ok && op.complete_us.is_some()
}

/// Operations grouped by key, in history order, and the source of every
/// completed read, found once for all the verdicts.
pub(super) struct Keyed<'a> {
    pub ops: &'a [HistoryOp],
    /// By history index.
    pub facts: Vec<Fact>,
    pub by_key: BTreeMap<&'a str, Vec<usize>>,
    /// By history index; meaningful for completed reads.
    sources: Vec<Source>,
}

impl<'a> Keyed<'a> {
    /// `names` is what [`super::validate`] found.
    pub fn new(ops: &'a [HistoryOp], names: Names<'a>) -> Self {
        let mut groups: Vec<Vec<usize>> = vec![Vec::new(); names.keys.len()];
        for (i, &key) in names.key_of.iter().enumerate() {
            groups[key as usize].push(i);
        }
        let facts: Vec<Fact> = ops
            .iter()
            .map(|op| Fact {
                invoke_us: op.invoke_us,
                complete_us: op.complete_us,
                client: op.client,
                op: op.op,
                outcome: op.outcome,
                absent: op.value.is_none(),
            })
            .collect();
        let mut sources = vec![Source::Unexplained; ops.len()];
        for (key, indices) in groups.iter().enumerate() {
            // A read of absent is credited with the delete invoked last
            // among those invoked before it completed and not failed.
            let mut deletes: Vec<(u64, usize)> = indices
                .iter()
                .map(|&w| (facts[w].invoke_us, w))
                .filter(|&(_, w)| {
                    facts[w].op == OpKind::Delete && facts[w].outcome != Outcome::Fail
                })
                .collect();
            deletes.sort_unstable();
            for &r in indices.iter().filter(|&&r| facts[r].op == OpKind::Read) {
                let read = &ops[r];
                sources[r] = match &read.value {
                    // Even a write invoked after the read: the value says
                    // which it was, and the verdicts say that it could not
                    // have been.
                    Some(v) => match names.writer_of.get(&(key as u32, v.as_str())) {
                        Some(&w) if facts[w].outcome != Outcome::Fail => Source::Write(w),
                        _ => Source::Unexplained,
                    },
                    None => {
                        let end = read.complete_us.unwrap_or(u64::MAX);
                        let invoked = deletes.partition_point(|&(invoke, _)| invoke <= end);
                        deletes[..invoked]
                            .last()
                            .map_or(Source::Initial, |&(_, w)| Source::Write(w))
                    }
                };
            }
        }
        Keyed {
            ops,
            facts,
            by_key: names.keys.into_iter().zip(groups).collect(),
            sources,
        }
    }

    /// The write whose value the (completed) read `r` returned.
    pub fn source(&self, r: usize) -> Source {
        self.sources[r]
    }

    /// `a` took effect before `b` in every linearization: `a` completed
    /// before `b` was invoked (the initial state precedes every write).
    pub fn precedes(&self, a: Source, b: Source) -> bool {
        match (a, b) {
            (Source::Initial, Source::Write(_)) => true,
            (Source::Write(a), Source::Write(b)) => self.facts[a]
                .complete_us
                .is_some_and(|end| end < self.facts[b].invoke_us),
            _ => false,
        }
    }
}
