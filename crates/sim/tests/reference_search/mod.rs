//! The linearizability search as it was before issue 17 (Wing and Gong's
//! with Lowe's memo over a bitset of every operation), on one key's
//! operations: the oracle for histories too long for brute force.

use quorum_sim::history::{HistoryOp, OpKind, Outcome};
use std::collections::{BTreeMap, HashSet};

#[derive(Clone, Copy)]
struct Op {
    invoke: u64,
    complete: Option<u64>,
    write: bool,
    value: u32,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Event {
    Call(usize),
    Return(usize),
}

/// Whether `history` (one key) is linearizable; `None` when `budget`
/// steps were not enough to tell.
pub fn linearizable(history: &[HistoryOp], mut budget: u64) -> Option<bool> {
    let mut values: BTreeMap<&str, u32> = BTreeMap::new();
    for op in history {
        if let (OpKind::Write, Some(v)) = (op.op, &op.value) {
            let next = values.len() as u32 + 1;
            values.entry(v.as_str()).or_insert(next);
        }
    }
    let ops: Vec<Op> = history
        .iter()
        .filter_map(|op| {
            let value = match &op.value {
                None => 0,
                Some(v) => values.get(v.as_str()).copied().unwrap_or(u32::MAX),
            };
            let write = op.op != OpKind::Read;
            let complete = match (op.outcome, write) {
                (Outcome::Fail, _) => return None,
                (Outcome::Ok, _) => op.complete_us,
                (Outcome::Unknown, true) => None,
                (Outcome::Unknown, false) => return None,
            };
            Some(Op {
                invoke: op.invoke_us,
                complete,
                write,
                value,
            })
        })
        .collect();

    let mut events: Vec<(u64, bool, usize)> = Vec::new();
    for (i, op) in ops.iter().enumerate() {
        events.push((op.invoke, false, i));
        if let Some(end) = op.complete {
            events.push((end, true, i));
        }
    }
    events.sort_unstable();
    let events: Vec<Event> = events
        .into_iter()
        .map(|(_, ret, i)| {
            if ret {
                Event::Return(i)
            } else {
                Event::Call(i)
            }
        })
        .collect();
    let len = events.len();
    let mut next: Vec<usize> = (0..=len)
        .map(|i| if i == len { 0 } else { i + 1 })
        .collect();
    let mut prev: Vec<usize> = (0..=len)
        .map(|i| if i == 0 { len } else { i - 1 })
        .collect();
    let mut slot_of_call = vec![0; ops.len()];
    let mut slot_of_return = vec![usize::MAX; ops.len()];
    for (slot, event) in events.iter().enumerate() {
        match *event {
            Event::Call(i) => slot_of_call[i] = slot,
            Event::Return(i) => slot_of_return[i] = slot,
        }
    }
    let remove = |next: &mut Vec<usize>, prev: &mut Vec<usize>, s: usize| {
        let (p, n) = (prev[s], next[s]);
        next[p] = n;
        prev[n] = p;
    };
    let restore = |next: &mut Vec<usize>, prev: &mut Vec<usize>, s: usize| {
        let (p, n) = (prev[s], next[s]);
        next[p] = s;
        prev[n] = s;
    };
    let after = |next: &Vec<usize>, s: usize| Some(next[s]).filter(|&s| s != len);

    let required = ops.iter().filter(|op| op.complete.is_some()).count();
    let mut done = 0;
    let mut linearized = vec![0u64; ops.len().div_ceil(64)];
    let mut seen: HashSet<(Vec<u64>, u32)> = HashSet::new();
    let mut state = 0;
    let mut stack: Vec<(usize, u32)> = Vec::new();
    let mut cursor = after(&next, len);
    while done < required {
        budget = budget.checked_sub(1)?;
        match cursor.map(|slot| events[slot]) {
            Some(Event::Call(i)) => {
                let op = &ops[i];
                let next_state = if op.write {
                    Some(op.value)
                } else {
                    (state == op.value).then_some(state)
                };
                if let Some(next_state) = next_state {
                    linearized[i / 64] |= 1 << (i % 64);
                    if seen.insert((linearized.clone(), next_state)) {
                        stack.push((i, state));
                        state = next_state;
                        remove(&mut next, &mut prev, slot_of_call[i]);
                        if slot_of_return[i] != usize::MAX {
                            remove(&mut next, &mut prev, slot_of_return[i]);
                            done += 1;
                        }
                        cursor = after(&next, len);
                        continue;
                    }
                    linearized[i / 64] &= !(1 << (i % 64));
                }
                cursor = after(&next, cursor.unwrap());
            }
            Some(Event::Return(_)) | None => {
                let Some((i, previous)) = stack.pop() else {
                    return Some(false);
                };
                linearized[i / 64] &= !(1 << (i % 64));
                state = previous;
                if slot_of_return[i] != usize::MAX {
                    restore(&mut next, &mut prev, slot_of_return[i]);
                    done -= 1;
                }
                restore(&mut next, &mut prev, slot_of_call[i]);
                cursor = after(&next, slot_of_call[i]);
            }
        }
    }
    Some(true)
}
