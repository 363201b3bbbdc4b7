//! The search over one key's operations, and what keeps each step cheap as
//! histories grow:
//! * a state (set of linearized operations, register value) is remembered
//!   by the first operation not yet linearized (the *frontier*: every
//!   earlier one is) and the few linearized past it, which can only be
//!   operations invoked before the frontier's completion: a handful of
//!   words however long the history, where a bitset of every operation
//!   would cost a word per 64 operations at every step;
//! * a read of the current value is linearized before anything else, and
//!   never revisited: if the state after it leads nowhere, neither does the
//!   state before it (it changes nothing and has nothing left to wait for);
//! * a write's value is its own (values are unique), so the reads of it
//!   follow it before any other operation does: when one of them is owed
//!   and none can be linearized now, the state leads nowhere (a write
//!   taken too early is undone at once instead of after everything that
//!   could follow it has been tried);
//! * an `unknown` write whose value no read returned is left out (taking
//!   effect could only make reads wrong); one whose value was read takes
//!   effect by the first such read's completion, so it is given that as its
//!   own; pending `unknown` deletes are interchangeable, so only the
//!   earliest invoked is ever tried, and the state counts how many took
//!   effect.

use super::seen::Seen;
use super::{Op, OutOfSteps, Value, ABSENT};
use crate::check::word_hash::WordHash;
use std::collections::HashMap;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Event {
    Call(usize),
    Return(usize),
}

/// One key's operations in order of invocation, and their calls and
/// returns in time order.
struct Timeline {
    ops: Vec<Op>,
    events: Vec<Event>,
    call_slot: Vec<usize>,
    /// `usize::MAX` for an operation that may take effect or not.
    return_slot: Vec<usize>,
    /// For each operation, how many were invoked before it returned: a
    /// bound past which nothing is linearized while it is not.
    invoked_before_return: Vec<usize>,
    /// Each optional operation's place among the optional ones.
    optional_rank: Vec<Option<u32>>,
    /// How many reads return each value; values are renamed `0..` in
    /// order of first appearance, absent staying 0.
    reads_of: Vec<u32>,
}

impl Timeline {
    fn new(ops: &[Op]) -> Timeline {
        let mut times: Vec<(u64, bool, usize)> = Vec::with_capacity(2 * ops.len());
        for (i, op) in ops.iter().enumerate() {
            // At equal times calls sort first: operations that merely touch
            // are concurrent, as "precedes" needs completion strictly first.
            times.push((op.invoke, false, i));
            if let Some(end) = op.complete {
                times.push((end, true, i));
            }
        }
        times.sort_unstable();
        let mut rank = vec![0; ops.len()];
        let mut in_call_order = Vec::with_capacity(ops.len());
        let mut names: HashMap<Value, Value, WordHash> = HashMap::default();
        names.insert(ABSENT, ABSENT);
        let mut reads_of = vec![0];
        for &(_, ret, i) in &times {
            if !ret {
                rank[i] = in_call_order.len();
                let next = names.len() as Value;
                let value = *names.entry(ops[i].value).or_insert(next);
                if value == next {
                    reads_of.push(0);
                }
                if !ops[i].write {
                    reads_of[value as usize] += 1;
                }
                in_call_order.push(Op { value, ..ops[i] });
            }
        }
        let n = ops.len();
        let (mut call_slot, mut return_slot) = (vec![0; n], vec![usize::MAX; n]);
        let mut invoked_before_return = vec![n; n];
        let mut calls = 0;
        let events = times
            .iter()
            .enumerate()
            .map(|(slot, &(_, ret, i))| {
                let op = rank[i];
                if ret {
                    return_slot[op] = slot;
                    invoked_before_return[op] = calls;
                    Event::Return(op)
                } else {
                    call_slot[op] = slot;
                    calls += 1;
                    Event::Call(op)
                }
            })
            .collect();
        let mut optional = 0;
        let optional_rank = in_call_order
            .iter()
            .map(|op| {
                op.complete.is_none().then(|| {
                    optional += 1;
                    optional - 1
                })
            })
            .collect();
        Timeline {
            ops: in_call_order,
            events,
            call_slot,
            return_slot,
            invoked_before_return,
            optional_rank,
            reads_of,
        }
    }
}

/// The operations as the search takes them: an `unknown` write nobody read
/// left out, one somebody read completed when the first such read did.
/// `unknown` deletes stay optional: a read of absent may be the initial
/// state's, or another delete's.
fn settled(ops: &[Op]) -> Vec<Op> {
    let mut first_read: HashMap<Value, u64, WordHash> = HashMap::default();
    for op in ops.iter().filter(|op| !op.write) {
        if let Some(end) = op.complete {
            first_read
                .entry(op.value)
                .and_modify(|first| *first = (*first).min(end))
                .or_insert(end);
        }
    }
    ops.iter()
        .filter_map(|op| match op.complete {
            None if op.value != ABSENT => first_read.get(&op.value).map(|&end| Op {
                complete: Some(end.max(op.invoke)),
                ..*op
            }),
            _ => Some(*op),
        })
        .collect()
}

struct Choice {
    op: usize,
    previous: Value,
    /// A read of the current value, taken before any other candidate.
    forced: bool,
}

/// `Some(linearization as history indices)`, or `None` when `ops` cannot be
/// linearized.
pub(super) fn search(ops: &[Op], budget: &mut u64) -> Result<Option<Vec<usize>>, OutOfSteps> {
    let timeline = Timeline::new(&settled(ops));
    let mut walk = Walk::new(&timeline);
    let required = timeline
        .ops
        .iter()
        .filter(|op| op.complete.is_some())
        .count();
    // A node just reached: look for a read of the current value first.
    let mut fresh = true;
    let mut cursor = None;
    while walk.done < required {
        *budget = budget.checked_sub(1).ok_or(OutOfSteps)?;
        if fresh {
            fresh = false;
            if let Some(read) = walk.read_of_current_value() {
                if walk.linearize(read, true) {
                    fresh = true;
                } else {
                    cursor = None;
                }
                continue;
            }
            // Owing a read of the value and unable to take one: a dead end.
            cursor = if walk.state != ABSENT && walk.reads_owed[walk.state as usize] > 0 {
                None
            } else {
                walk.list.first()
            };
        }
        match cursor.map(|slot| timeline.events[slot]) {
            Some(Event::Call(i)) => {
                if walk.may_linearize(i) && walk.linearize(i, false) {
                    fresh = true;
                    continue;
                }
                cursor = walk.list.next(timeline.call_slot[i]);
            }
            // A completion of an operation not yet linearized (or nothing
            // left to try): undo the latest choice and try the next one.
            Some(Event::Return(_)) | None => {
                let Some(choice) = walk.undo() else {
                    return Ok(None);
                };
                // After a forced read, nothing else is worth trying there.
                cursor = if choice.forced {
                    None
                } else {
                    walk.list.next(timeline.call_slot[choice.op])
                };
            }
        }
    }
    Ok(Some(
        walk.stack
            .iter()
            .map(|choice| timeline.ops[choice.op].id)
            .collect(),
    ))
}

/// Where the search stands: the choices made, what they linearized, and
/// the events still to be dealt with.
struct Walk<'t> {
    timeline: &'t Timeline,
    list: Links,
    linearized: Bits,
    /// Required operations not yet linearized.
    owed: Bits,
    /// The first of them (`ops.len()` when none is left).
    frontier: usize,
    /// Optional operations linearized: always the first ones invoked.
    optional_done: u32,
    done: usize,
    state: Value,
    /// Reads of each value not yet linearized.
    reads_owed: Vec<u32>,
    stack: Vec<Choice>,
    seen: Seen,
    key: Vec<u64>,
}

impl<'t> Walk<'t> {
    fn new(timeline: &'t Timeline) -> Walk<'t> {
        let n = timeline.ops.len();
        let mut owed = Bits::new(n);
        for (i, op) in timeline.ops.iter().enumerate() {
            if op.complete.is_some() {
                owed.set(i);
            }
        }
        Walk {
            timeline,
            list: Links::new(timeline.events.len()),
            linearized: Bits::new(n),
            frontier: owed.next_set(0),
            owed,
            optional_done: 0,
            done: 0,
            state: ABSENT,
            reads_owed: timeline.reads_of.clone(),
            stack: Vec::new(),
            seen: Seen::default(),
            key: Vec::new(),
        }
    }

    /// The first candidate (invoked before the earliest pending completion)
    /// that reads the current value.
    fn read_of_current_value(&self) -> Option<usize> {
        let mut slot = self.list.first();
        while let Some(s) = slot {
            match self.timeline.events[s] {
                Event::Call(i) => {
                    let op = &self.timeline.ops[i];
                    if !op.write && op.value == self.state {
                        return Some(i);
                    }
                }
                Event::Return(_) => return None,
            }
            slot = self.list.next(s);
        }
        None
    }

    fn may_linearize(&self, i: usize) -> bool {
        let op = &self.timeline.ops[i];
        let next_optional = self.timeline.optional_rank[i].is_none_or(|r| r == self.optional_done);
        next_optional && (op.write || op.value == self.state)
    }

    /// Linearizes `i` unless that reaches a state already searched.
    fn linearize(&mut self, i: usize, forced: bool) -> bool {
        let t = self.timeline;
        let next_state = t.ops[i].value;
        self.mark(i);
        self.encode_key(next_state);
        if !self.seen.insert(&self.key) {
            self.unmark(i);
            return false;
        }
        self.stack.push(Choice {
            op: i,
            previous: self.state,
            forced,
        });
        self.state = next_state;
        self.list.remove(t.call_slot[i]);
        if t.return_slot[i] != usize::MAX {
            self.list.remove(t.return_slot[i]);
            self.done += 1;
        }
        true
    }

    fn undo(&mut self) -> Option<Choice> {
        let t = self.timeline;
        let choice = self.stack.pop()?;
        let i = choice.op;
        self.unmark(i);
        self.state = choice.previous;
        if t.return_slot[i] != usize::MAX {
            self.list.restore(t.return_slot[i]);
            self.done -= 1;
        }
        self.list.restore(t.call_slot[i]);
        Some(choice)
    }

    fn mark(&mut self, i: usize) {
        self.linearized.set(i);
        let op = &self.timeline.ops[i];
        if !op.write {
            self.reads_owed[op.value as usize] -= 1;
        }
        if self.timeline.optional_rank[i].is_some() {
            self.optional_done += 1;
        } else {
            self.owed.clear(i);
            if i == self.frontier {
                self.frontier = self.owed.next_set(i + 1);
            }
        }
    }

    fn unmark(&mut self, i: usize) {
        self.linearized.clear(i);
        let op = &self.timeline.ops[i];
        if !op.write {
            self.reads_owed[op.value as usize] += 1;
        }
        if self.timeline.optional_rank[i].is_some() {
            self.optional_done -= 1;
        } else {
            self.owed.set(i);
            self.frontier = self.frontier.min(i);
        }
    }

    /// The state after linearizing up to `next_state`: the frontier, how
    /// many optional operations took effect, the value, and which
    /// operations between the frontier and its completion are linearized.
    fn encode_key(&mut self, next_state: Value) {
        let from = self.frontier;
        let to = self
            .timeline
            .invoked_before_return
            .get(from)
            .copied()
            .unwrap_or(from);
        self.key.clear();
        self.key
            .push(from as u64 | (self.optional_done as u64) << 32);
        self.key.push(next_state as u64);
        self.linearized.copy_range(from, to, &mut self.key);
    }
}

/// A fixed-size set of small integers.
struct Bits {
    words: Vec<u64>,
    len: usize,
}

impl Bits {
    fn new(len: usize) -> Bits {
        Bits {
            words: vec![0; len.div_ceil(64)],
            len,
        }
    }

    fn set(&mut self, i: usize) {
        self.words[i / 64] |= 1 << (i % 64);
    }

    fn clear(&mut self, i: usize) {
        self.words[i / 64] &= !(1 << (i % 64));
    }

    /// The first member from `i` on, or `len` when there is none.
    fn next_set(&self, i: usize) -> usize {
        let mut w = i / 64;
        let mut word = match self.words.get(w) {
            Some(&word) => word & (u64::MAX << (i % 64)),
            None => return self.len,
        };
        while word == 0 {
            w += 1;
            match self.words.get(w) {
                Some(&next) => word = next,
                None => return self.len,
            }
        }
        (w * 64 + word.trailing_zeros() as usize).min(self.len)
    }

    /// Appends members `from..to`, shifted down to start at bit 0.
    fn copy_range(&self, from: usize, to: usize, out: &mut Vec<u64>) {
        let shift = from % 64;
        for start in (from..to).step_by(64) {
            let w = start / 64;
            let mut word = self.words[w] >> shift;
            if shift > 0 {
                if let Some(&high) = self.words.get(w + 1) {
                    word |= high << (64 - shift);
                }
            }
            let bits = to - start;
            if bits < 64 {
                word &= (1 << bits) - 1;
            }
            out.push(word);
        }
    }
}

/// A doubly linked list over event slots whose removals can be undone in
/// reverse order (dancing links).
struct Links {
    next: Vec<usize>,
    prev: Vec<usize>,
}

impl Links {
    /// Slot `len` is the sentinel before the first and after the last.
    fn new(len: usize) -> Links {
        let next = (0..=len)
            .map(|i| if i == len { 0 } else { i + 1 })
            .collect::<Vec<_>>();
        let prev = (0..=len)
            .map(|i| if i == 0 { len } else { i - 1 })
            .collect::<Vec<_>>();
        Links { next, prev }
    }

    fn sentinel(&self) -> usize {
        self.next.len() - 1
    }

    fn first(&self) -> Option<usize> {
        self.next(self.sentinel())
    }

    fn next(&self, slot: usize) -> Option<usize> {
        Some(self.next[slot]).filter(|&s| s != self.sentinel())
    }

    fn remove(&mut self, slot: usize) {
        let (p, n) = (self.prev[slot], self.next[slot]);
        self.next[p] = n;
        self.prev[n] = p;
    }

    fn restore(&mut self, slot: usize) {
        let (p, n) = (self.prev[slot], self.next[slot]);
        self.next[p] = slot;
        self.prev[n] = slot;
    }
}
