//! Linearizability of a key-value history, one key at a time (it is
//! compositional: a history is linearizable if and only if each key's is),
//! each key a register whose initial value is "absent" and where a delete
//! writes "absent".
//!
//! The search is Wing and Gong's, with Lowe's memoisation ("Testing for
//! linearizability", 2017): walk the operations in time order, try to
//! linearize each one that has been invoked before the earliest pending
//! completion, backtrack when a completion arrives for an operation not yet
//! linearized, and never revisit a (set of linearized operations, register
//! value) pair ([`search`] says what keeps a step cheap on long histories).
//! Per the history format:
//! * `fail` operations had no effect: left out;
//! * `unknown` writes may take effect at any time after their invocation, or
//!   never: they have no completion, and the search may finish without them;
//! * reads that did not complete with `ok` constrain nothing: left out.
//!
//! A non-linearizable key also gets a *failing window*: the shortest prefix
//! of its history (cut at a completion time, with operations still running
//! then treated as unfinished) that cannot be linearized, shrunk by delta
//! debugging to a set of operations none of which can be dropped (dropping
//! a write drops the reads that returned its value), plus the writes whose
//! values those reads returned.

mod search;
mod seen;

use super::observed::{Keyed, Source};
use crate::history::{OpKind, Outcome};
use search::search;

/// Register value: 0 is absent, then a written value's writer's history
/// index + 1; reads of a value nobody wrote get [`UNWRITTEN`], which no
/// write produces.
type Value = u32;
const ABSENT: Value = 0;
const UNWRITTEN: Value = Value::MAX;

#[derive(Clone, Copy, Debug)]
struct Op {
    /// Index in the full history.
    id: usize,
    invoke: u64,
    /// `None`: may take effect any time after `invoke`, or never.
    complete: Option<u64>,
    write: bool,
    value: Value,
}

/// One key's operations, as the search sees them.
pub(super) struct KeyOps {
    ops: Vec<Op>,
}

impl KeyOps {
    /// A write's value is named by its own index, a read's by its source.
    pub fn new(keyed: &Keyed, indices: &[usize]) -> KeyOps {
        let ops = indices
            .iter()
            .filter_map(|&id| {
                let op = &keyed.facts[id];
                let write = op.op != OpKind::Read;
                let value = match (op.absent, write) {
                    (true, _) => ABSENT,
                    (false, true) => id as Value + 1,
                    (false, false) => match keyed.source(id) {
                        Source::Write(w) => w as Value + 1,
                        _ => UNWRITTEN,
                    },
                };
                let complete = match (op.outcome, write) {
                    (Outcome::Fail, _) => return None,
                    (Outcome::Ok, _) => op.complete_us,
                    (Outcome::Unknown, true) => None,
                    (Outcome::Unknown, false) => return None,
                };
                Some(Op {
                    id,
                    invoke: op.invoke_us,
                    complete,
                    write,
                    value,
                })
            })
            .collect();
        KeyOps { ops }
    }
}

/// How one key's search ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum KeyVerdict {
    /// Linearization order, by history index.
    Linearizable(Vec<usize>),
    /// The failing window, by history index (not shrunk all the way when
    /// the step budget ran out meanwhile).
    NotLinearizable(Vec<usize>),
    Unknown,
}

/// Out of steps: the answer is "unknown".
struct OutOfSteps;

pub(super) fn check_key(key: &KeyOps, budget: &mut u64) -> KeyVerdict {
    match search(&key.ops, budget) {
        Err(OutOfSteps) => KeyVerdict::Unknown,
        Ok(Some(order)) => KeyVerdict::Linearizable(order),
        Ok(None) => KeyVerdict::NotLinearizable(failing_window(&key.ops, budget)),
    }
}

/// The history up to completion time `t`: later operations left out, ones
/// running at `t` treated as unfinished.
fn prefix(ops: &[Op], t: u64) -> Vec<Op> {
    ops.iter()
        .filter(|op| op.invoke <= t)
        .filter_map(|op| match op.complete {
            Some(end) if end > t => op.write.then_some(Op {
                complete: None,
                ..*op
            }),
            _ => Some(*op),
        })
        .collect()
}

fn fails(ops: &[Op], budget: &mut u64) -> Option<bool> {
    search(ops, budget).ok().map(|order| order.is_none())
}

fn failing_window(ops: &[Op], budget: &mut u64) -> Vec<usize> {
    let mut ends: Vec<u64> = ops.iter().filter_map(|op| op.complete).collect();
    ends.sort_unstable();
    ends.dedup();
    // Failing is monotone in the cut: find the first failing end.
    let (mut lo, mut hi) = (0, ends.len() - 1);
    while lo < hi {
        let mid = (lo + hi) / 2;
        match fails(&prefix(ops, ends[mid]), budget) {
            Some(true) => hi = mid,
            Some(false) => lo = mid + 1,
            None => break,
        }
    }
    let mut window = prefix(ops, ends[hi]);
    shrink(&mut window, budget);
    let mut ids: Vec<usize> = window.iter().map(|op| op.id).collect();
    // Show where the window's reads got their values, even from outside it.
    for read in window.iter().filter(|op| !op.write && op.value != ABSENT) {
        ids.extend(
            ops.iter()
                .filter(|w| w.write && w.value == read.value)
                .map(|w| w.id),
        );
    }
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Delta debugging: drop ever smaller chunks while the rest still fails,
/// ending with single operations until none can go.
fn shrink(window: &mut Vec<Op>, budget: &mut u64) {
    let mut chunk = window.len().div_ceil(2).max(1);
    loop {
        let before = window.len();
        let mut start = 0;
        while start < window.len() {
            let dropped = &window[start..(start + chunk).min(window.len())];
            let gone_values: Vec<Value> = dropped
                .iter()
                .filter(|op| op.write)
                .map(|op| op.value)
                .collect();
            let candidate: Vec<Op> = window
                .iter()
                .enumerate()
                .filter(|&(i, op)| {
                    !(start..start + chunk).contains(&i)
                        && (op.write || !gone_values.contains(&op.value))
                })
                .map(|(_, op)| *op)
                .collect();
            match fails(&candidate, budget) {
                Some(true) => *window = candidate,
                Some(false) => start += chunk,
                None => return,
            }
        }
        if chunk == 1 && window.len() == before {
            return;
        }
        chunk = chunk.div_ceil(2);
    }
}
