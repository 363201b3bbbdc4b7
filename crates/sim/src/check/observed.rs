//! What each read saw, and real-time order between operations.
//!
//! Values are unique per key (the engine names each after its client and
//! sequence number), so a read returning a value identifies the write that
//! produced it. A read of "absent" (`null`) is explained by the initial state
//! or by a delete; we credit it with the most recently invoked delete that
//! could have produced it (invoked before the read completed and not
//! `fail`), else the initial state: the most charitable explanation, so
//! that every staleness and session verdict built on it is certain.

use super::WriterOf;
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

pub(super) fn is_write(op: &HistoryOp) -> bool {
    matches!(op.op, OpKind::Write | OpKind::Delete)
}

/// Completed with outcome `ok`.
pub(super) fn is_ok(op: &HistoryOp) -> bool {
    op.outcome == Outcome::Ok && op.complete_us.is_some()
}

/// Operations grouped by key, in history order, with each key's writers by
/// value and its deletes by invocation.
pub(super) struct Keyed<'a> {
    pub ops: &'a [HistoryOp],
    pub by_key: BTreeMap<&'a str, Vec<usize>>,
    writer_of: WriterOf<'a>,
    /// The deletes that did not fail, by (invoke_us, index): the candidates
    /// for a read of absent.
    deletes: BTreeMap<&'a str, Vec<(u64, usize)>>,
}

impl<'a> Keyed<'a> {
    /// `writer_of` is what [`super::validate`] found.
    pub fn new(ops: &'a [HistoryOp], writer_of: WriterOf<'a>) -> Self {
        let mut by_key: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        let mut deletes: BTreeMap<&str, Vec<(u64, usize)>> = BTreeMap::new();
        for (i, op) in ops.iter().enumerate() {
            by_key.entry(op.key.as_str()).or_default().push(i);
            if op.op == OpKind::Delete && op.outcome != Outcome::Fail {
                deletes
                    .entry(op.key.as_str())
                    .or_default()
                    .push((op.invoke_us, i));
            }
        }
        for candidates in deletes.values_mut() {
            candidates.sort_unstable();
        }
        Keyed {
            ops,
            by_key,
            writer_of,
            deletes,
        }
    }

    /// The write whose value the (completed) read `r` returned.
    pub fn source(&self, r: usize) -> Source {
        let read = &self.ops[r];
        match &read.value {
            // Even a write invoked after the read: the value says which it
            // was, and the verdicts say that it could not have been.
            Some(v) => match self.writer_of.get(&(read.key.as_str(), v.as_str())) {
                Some(&w) if self.ops[w].outcome != Outcome::Fail => Source::Write(w),
                _ => Source::Unexplained,
            },
            None => {
                let read_end = read.complete_us.unwrap_or(u64::MAX);
                let deletes = self
                    .deletes
                    .get(read.key.as_str())
                    .map_or(&[][..], Vec::as_slice);
                let invoked = deletes.partition_point(|&(invoke, _)| invoke <= read_end);
                deletes[..invoked]
                    .last()
                    .map_or(Source::Initial, |&(_, w)| Source::Write(w))
            }
        }
    }

    /// `a` took effect before `b` in every linearization: `a` completed
    /// before `b` was invoked (the initial state precedes every write).
    pub fn precedes(&self, a: Source, b: Source) -> bool {
        match (a, b) {
            (Source::Initial, Source::Write(_)) => true,
            (Source::Write(a), Source::Write(b)) => self.ops[a]
                .complete_us
                .is_some_and(|end| end < self.ops[b].invoke_us),
            _ => false,
        }
    }
}
