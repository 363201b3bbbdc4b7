//! Everything that happens, as typed events with their simulated time. The
//! world keeps a window of recent events for drawing; a 64-bit FNV-1a hash
//! over the canonical encoding of every event ever recorded stands for the
//! whole run, so two runs can be compared bit for bit however long they are.
//!
//! The hash folds in one 64-bit word per step (FNV-1a's xor-then-multiply,
//! with the 64-bit prime) rather than one byte: eight times fewer
//! multiplications on the hottest path of the engine, and still a stable,
//! order-sensitive function of the canonical encoding (time, tag, fields).

use crate::history::{OpKind, Outcome};
use crate::msg::{MsgKind, NodeId, ReqId, Role, Timer};
use crate::tap::Tap;

/// Why a message never arrived.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DropReason {
    /// Random loss (the drop probability).
    Lost,
    /// A partition cut the link when it would have arrived.
    Partitioned,
    /// The receiver was down.
    ReceiverCrashed,
    /// The sender crashed (or restarted) after sending: its connection died.
    SenderCrashed,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TraceKind {
    Send {
        from: NodeId,
        to: NodeId,
        kind: MsgKind,
        deliver_at: u64,
        /// Already decided lost: the message will not arrive.
        lost: bool,
    },
    Deliver {
        from: NodeId,
        to: NodeId,
        kind: MsgKind,
    },
    Drop {
        from: NodeId,
        to: NodeId,
        kind: MsgKind,
        reason: DropReason,
    },
    Timer {
        node: NodeId,
        timer: Timer,
    },
    Role {
        node: NodeId,
        role: Role,
        term: u64,
    },
    Applied {
        node: NodeId,
        from: u64,
        to: u64,
    },
    Committed {
        node: NodeId,
        to: u64,
    },
    Truncated {
        node: NodeId,
        from: u64,
    },
    Invoke {
        client: u32,
        node: NodeId,
        req: ReqId,
        op: OpKind,
    },
    Complete {
        client: u32,
        req: ReqId,
        outcome: Outcome,
    },
    Crash {
        node: NodeId,
    },
    Restart {
        node: NodeId,
    },
    /// The set of cut links changed (partition or heal).
    Links {
        partitioned: bool,
    },
    /// A setting changed while running.
    Setting,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TraceEvent {
    pub at: u64,
    pub kind: TraceKind,
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

impl TraceKind {
    /// Tag and up to five fields: the canonical encoding the hash covers.
    #[inline]
    fn words(&self) -> [u64; 6] {
        use TraceKind::*;
        let u = |x: NodeId| x.index() as u64;
        match *self {
            Send {
                from,
                to,
                kind,
                deliver_at,
                lost,
            } => [1, u(from), u(to), kind as u64, deliver_at, lost as u64],
            Deliver { from, to, kind } => [2, u(from), u(to), kind as u64, 0, 0],
            Drop {
                from,
                to,
                kind,
                reason,
            } => [3, u(from), u(to), kind as u64, reason as u64, 0],
            Timer { node, timer } => [4, u(node), timer as u64, 0, 0, 0],
            Role { node, role, term } => [5, u(node), role as u64, term, 0, 0],
            Applied { node, from, to } => [6, u(node), from, to, 0, 0],
            Committed { node, to } => [7, u(node), to, 0, 0, 0],
            Truncated { node, from } => [8, u(node), from, 0, 0, 0],
            Invoke {
                client,
                node,
                req,
                op,
            } => [9, client as u64, u(node), req, op as u64, 0],
            Complete {
                client,
                req,
                outcome,
            } => [10, client as u64, req, outcome as u64, 0, 0],
            Crash { node } => [11, u(node), 0, 0, 0, 0],
            Restart { node } => [12, u(node), 0, 0, 0, 0],
            Links { partitioned } => [13, partitioned as u64, 0, 0, 0, 0],
            Setting => [14, 0, 0, 0, 0, 0],
        }
    }
}

/// Receives every event the trace records, not just the window: the events
/// of a stretch of the run that the window no longer holds.
pub type TraceSink = crate::tap::Sink<TraceEvent>;

/// The recent-events window (a ring: once full, the oldest slot is
/// overwritten in place), the total count and the running hash.
#[derive(Clone, Debug)]
pub struct Trace {
    window: Vec<TraceEvent>,
    /// Where the oldest event sits once the ring is full.
    oldest: usize,
    capacity: usize,
    total: u64,
    hash: u64,
    sink: Tap<TraceEvent>,
}

impl Trace {
    pub fn new(capacity: usize) -> Trace {
        Trace {
            window: Vec::with_capacity(capacity.min(1 << 16)),
            oldest: 0,
            capacity,
            total: 0,
            hash: FNV_OFFSET,
            sink: Tap::default(),
        }
    }

    pub fn set_sink(&mut self, sink: TraceSink) {
        self.sink.set(sink);
    }

    /// Inlined: each caller records one kind of event, so the encoding
    /// folds to constants at the call site.
    #[inline(always)]
    pub fn record(&mut self, at: u64, kind: TraceKind) {
        let mut h = (self.hash ^ at).wrapping_mul(FNV_PRIME);
        for word in kind.words() {
            h = (h ^ word).wrapping_mul(FNV_PRIME);
        }
        self.hash = h;
        self.total += 1;
        let event = TraceEvent { at, kind };
        if let Some(sink) = self.sink.as_mut() {
            sink(&event);
        }
        if self.window.len() < self.capacity {
            self.window.push(event);
        } else if self.capacity > 0 {
            self.window[self.oldest] = event;
            self.oldest += 1;
            if self.oldest == self.capacity {
                self.oldest = 0;
            }
        }
    }

    /// The most recent events, oldest first.
    pub fn recent(&self) -> impl DoubleEndedIterator<Item = &TraceEvent> + ExactSizeIterator {
        let (newer, older) = self.window.split_at(self.oldest);
        // Chain is not ExactSize; the two halves' lengths are known, so
        // index instead.
        let len = self.window.len();
        (0..len).map(move |i| {
            if i < older.len() {
                &older[i]
            } else {
                &newer[i - older.len()]
            }
        })
    }

    pub fn total(&self) -> u64 {
        self.total
    }

    pub fn hash(&self) -> u64 {
        self.hash
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crash(node: usize) -> TraceKind {
        TraceKind::Crash {
            node: NodeId::at(node),
        }
    }

    #[test]
    fn the_window_keeps_the_newest_in_order_and_the_hash_covers_all() {
        let mut t = Trace::new(3);
        let mut u = Trace::new(100);
        for i in 0..7 {
            t.record(i, crash(i as usize));
            u.record(i, crash(i as usize));
        }
        let ats: Vec<u64> = t.recent().map(|e| e.at).collect();
        assert_eq!(ats, vec![4, 5, 6]);
        assert_eq!(t.recent().len(), 3);
        assert_eq!(t.total(), 7);
        assert_eq!(t.hash(), u.hash(), "the window does not change the hash");
        let mut v = Trace::new(3);
        for i in (0..7).rev() {
            v.record(i, crash(i as usize));
        }
        assert_ne!(t.hash(), v.hash(), "order matters");
        t.record(7, crash(7));
        assert_eq!(t.recent().map(|e| e.at).collect::<Vec<_>>(), vec![5, 6, 7]);
    }
}
