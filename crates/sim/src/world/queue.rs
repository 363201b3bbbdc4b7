//! The event queue: everything that will happen, ordered by (time, class,
//! sequence number), and a count of the messages on the wire.

use super::tickets::Ticket;
use crate::msg::{Msg, NodeId, Timer};
use crate::scenario::Action;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

#[derive(Clone)]
pub(super) enum EventKind {
    Deliver {
        from: NodeId,
        to: NodeId,
        msg: Msg,
        sent_at: u64,
        /// Incarnations at send time: a crash in between kills the message.
        lives: (u32, u32),
        lost: bool,
    },
    Timer {
        node: NodeId,
        life: u32,
        timer: Timer,
    },
    ClientTurn {
        client: u32,
    },
    /// A scenario's or a learner's action; a client operation carries the
    /// ticket its completion is filed under.
    Action(Action, Option<Ticket>),
}

/// The heap holds only keys: sifting 16-byte integers is what makes the
/// queue cheap; the events themselves stay put in `slots`. A key packs, from
/// the top, the due time (48 bits of µs: 8.9 years), the class (scenario
/// actions first), a sequence number (47 bits) and the slot (32 bits), so one
/// integer comparison orders by (time, class, seq); seq is unique, so the
/// slot never decides.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) struct Key(pub(super) u128);

/// The latest due time a key can hold; later events are due then.
const LAST_DUE: u64 = (1 << 48) - 1;

impl Key {
    fn new(at: u64, first_in_its_microsecond: bool, seq: u64, slot: u32) -> Key {
        let class = u128::from(!first_in_its_microsecond);
        Key(u128::from(at.min(LAST_DUE)) << 80
            | class << 79
            | u128::from(seq & ((1 << 47) - 1)) << 32
            | u128::from(slot))
    }
    pub(super) fn at(&self) -> u64 {
        (self.0 >> 80) as u64
    }
    fn slot(&self) -> u32 {
        self.0 as u32
    }
}

impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Key {
    /// Reversed: `BinaryHeap` is a max-heap and the earliest event goes first.
    fn cmp(&self, other: &Self) -> Ordering {
        other.0.cmp(&self.0)
    }
}

/// Pending events by slot, with free slots reused.
#[derive(Clone, Default)]
struct Slots {
    events: Vec<Option<EventKind>>,
    free: Vec<u32>,
}

impl Slots {
    fn put(&mut self, kind: EventKind) -> u32 {
        match self.free.pop() {
            Some(slot) => {
                self.events[slot as usize] = Some(kind);
                slot
            }
            None => {
                self.events.push(Some(kind));
                (self.events.len() - 1) as u32
            }
        }
    }

    fn take(&mut self, slot: u32) -> EventKind {
        self.free.push(slot);
        self.events[slot as usize]
            .take()
            .expect("a queued slot holds an event")
    }

    fn get(&self, slot: u32) -> Option<&EventKind> {
        self.events[slot as usize].as_ref()
    }
}

/// Messages whose delivery (or loss) is still queued.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Flying {
    /// Heartbeats and their replies: keep-alive, no news.
    pub background: u32,
    /// Everything else: votes, replication, reads, repairs.
    pub news: u32,
}

impl Flying {
    fn count(&mut self, msg: &Msg, delta: i32) {
        let slot = if msg.kind().is_background() {
            &mut self.background
        } else {
            &mut self.news
        };
        *slot = slot.wrapping_add_signed(delta);
    }
}

#[derive(Clone, Default)]
pub(super) struct Queue {
    heap: BinaryHeap<Key>,
    slots: Slots,
    seq: u64,
    flying: Flying,
}

impl Queue {
    pub(super) fn push(&mut self, at: u64, kind: EventKind) {
        self.seq += 1;
        // Scenario actions go before every other event due the same
        // microsecond, in the order they were scheduled. A learner's live
        // action is scheduled late and its replay at the start, so without
        // this a same-microsecond delivery would run before one and after
        // the other, and a shared link would replay a different run.
        let first = matches!(kind, EventKind::Action(..));
        if let EventKind::Deliver { msg, .. } = &kind {
            self.flying.count(msg, 1);
        }
        let slot = self.slots.put(kind);
        self.heap.push(Key::new(at, first, self.seq, slot));
    }

    /// The earliest event and its time.
    pub(super) fn pop(&mut self) -> Option<(u64, EventKind)> {
        let key = self.heap.pop()?;
        let kind = self.slots.take(key.slot());
        if let EventKind::Deliver { msg, .. } = &kind {
            self.flying.count(msg, -1);
        }
        Some((key.at(), kind))
    }

    pub(super) fn next_at(&self) -> Option<u64> {
        self.heap.peek().map(Key::at)
    }

    pub(super) fn len(&self) -> usize {
        self.heap.len()
    }

    pub(super) fn flying(&self) -> Flying {
        self.flying
    }

    /// Every queued event with its key, in no particular order.
    pub(super) fn iter(&self) -> impl Iterator<Item = (Key, &EventKind)> {
        self.heap
            .iter()
            .filter_map(|&key| Some((key, self.slots.get(key.slot())?)))
    }

    /// Drops the events `unwanted` picks (none of them a delivery).
    pub(super) fn discard(&mut self, unwanted: impl Fn(&EventKind) -> bool) {
        let slots = &mut self.slots;
        self.heap.retain(|key| {
            let drop = slots.get(key.slot()).is_some_and(&unwanted);
            if drop {
                slots.take(key.slot());
            }
            !drop
        });
    }
}
