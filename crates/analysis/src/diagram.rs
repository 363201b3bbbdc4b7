//! The space-time diagram of a stretch of the run, as plain data: one lane
//! per client and per node, time flowing down as in the course's sequence
//! diagrams; every message an arrow from its send to its delivery (or to
//! where it was lost); every client operation a bar from its invocation to
//! its answer, in its verdict's tone; role changes, crashes and commits
//! marked on their node's lane.
//!
//! Built from the trace's events and the history, so it shows exactly what
//! the engine recorded for that stretch of simulated time.

use quorum_sim::history::{HistoryOp, OpKind, Outcome};
use quorum_sim::msg::{MsgKind, NodeId, Role};
use quorum_sim::trace::{DropReason, TraceEvent, TraceKind};
use quorum_sim::world::{Lag, ReadJudgement};
use std::collections::BTreeMap;

/// A verdict's tone, the same wherever it shows: calm, warning, alert, or
/// the in-between "allowed".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Pending,
    Fresh,
    Allowed,
    Stale,
    Alert,
}

impl Tone {
    pub fn class(self) -> &'static str {
        match self {
            Tone::Pending => "pending",
            Tone::Fresh => "fresh",
            Tone::Allowed => "allowed",
            Tone::Stale => "stale",
            Tone::Alert => "alert",
        }
    }
}

/// Messages drawn at most: past this the oldest in the window are left out
/// (and the diagram says so), so a busy run cannot stall a frame.
pub const MAX_ARROWS: usize = 400;

/// A message, as both the ring and the diagram name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MessageId {
    pub from: NodeId,
    pub to: NodeId,
    pub sent_us: u64,
    pub due_us: u64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LaneKind {
    Client(u32),
    /// Every workload client on one lane.
    Workload,
    Node(NodeId),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Lane {
    pub label: String,
    pub kind: LaneKind,
}

/// How a message ended, as far as the window shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fate {
    Delivered,
    Dropped(DropReason),
    /// Still on its way at the window's end (or at the present).
    Flying,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Arrow {
    pub id: MessageId,
    pub kind: MsgKind,
    /// Lane indexes.
    pub from: usize,
    pub to: usize,
    pub fate: Fate,
}

impl Arrow {
    /// Where the arrow ends: its delivery, or the moment it was lost.
    pub fn end_us(&self) -> u64 {
        self.id.due_us
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub lane: usize,
    /// The node lane the operation went to.
    pub node_lane: usize,
    pub from_us: u64,
    /// `None`: no answer yet, or the connection broke.
    pub to_us: Option<u64>,
    pub tone: Tone,
    pub label: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarkKind {
    Leader,
    Candidate,
    Follower,
    Crash,
    Restart,
    Commit,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Mark {
    pub lane: usize,
    pub at_us: u64,
    pub kind: MarkKind,
    pub text: String,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Diagram {
    pub t0_us: u64,
    pub t1_us: u64,
    pub lanes: Vec<Lane>,
    pub arrows: Vec<Arrow>,
    pub bars: Vec<Bar>,
    pub marks: Vec<Mark>,
    /// Messages in the window not drawn (over [`MAX_ARROWS`]).
    pub left_out: usize,
}

/// What the diagram is asked to single out.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Focus {
    /// A message, chosen here or on the ring.
    pub message: Option<MessageId>,
    /// A read, chosen in a client card: its answering node's lane gets the
    /// replicates still on their way to it at the read's moment.
    pub read: Option<ReadFocus>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ReadFocus {
    /// The node that answered, and when.
    pub node: NodeId,
    pub at_us: u64,
    /// When the write it missed was sent; `None` when it missed none.
    pub newer_invoked_us: Option<u64>,
    /// The nodes that held that write then.
    pub holders: Vec<NodeId>,
    /// A strong read's key and when it was sent, so the page can ask what
    /// its quorum held.
    pub quorum: Option<(String, u64)>,
}

impl ReadFocus {
    /// Whether `arrow` carried data to the read's node and was on its way
    /// when the read was answered: the replicate it missed.
    pub fn missed(&self, arrow: &Arrow) -> bool {
        arrow.id.to == self.node
            && arrow.id.sent_us <= self.at_us
            && arrow.id.due_us > self.at_us
            && carries_data(arrow.kind)
            && self.newer_invoked_us.is_some_and(|w| arrow.id.sent_us >= w)
    }
}

/// Messages that carry data a replica stores.
fn carries_data(kind: MsgKind) -> bool {
    matches!(
        kind,
        MsgKind::Append | MsgKind::InstallSnapshot | MsgKind::Repair
    )
}

/// The tone of an operation's bar, as its verdict badge has it.
pub fn tone_of(op: &HistoryOp, judgement: Option<&ReadJudgement>) -> Tone {
    match (op.outcome, op.complete_us, judgement) {
        (_, None, _) => Tone::Pending,
        (Outcome::Fail, ..) => Tone::Stale,
        (Outcome::Unknown, ..) => Tone::Alert,
        (Outcome::Ok, _, Some(j)) if j.read_your_writes || j.monotonic => Tone::Alert,
        (Outcome::Ok, _, Some(j)) => match j.lag {
            Lag::Fresh => Tone::Fresh,
            Lag::Stale { .. } => Tone::Stale,
            Lag::InFlight { .. } => Tone::Allowed,
            Lag::Unexplained => Tone::Alert,
        },
        (Outcome::Ok, ..) => Tone::Fresh,
    }
}

fn op_label(op: &HistoryOp) -> String {
    let value = op.value.as_deref().unwrap_or("∅");
    match op.op {
        OpKind::Write => format!("PUT {} = {value}", op.key),
        OpKind::Delete => format!("DELETE {}", op.key),
        OpKind::Read => format!("GET {} → {value}", op.key),
    }
}

/// The diagram of `[t0, t1]` of a run of `n` nodes, from its trace events
/// (oldest first) and history (with the observer's verdicts).
pub fn build<'a>(
    n: usize,
    (t0, t1): (u64, u64),
    events: impl IntoIterator<Item = &'a TraceEvent>,
    history: impl IntoIterator<Item = (HistoryOp, Option<&'a ReadJudgement>)>,
) -> Diagram {
    let history: Vec<(HistoryOp, Option<&ReadJudgement>)> = history
        .into_iter()
        .filter(|(op, _)| op.invoke_us <= t1 && op.complete_us.is_none_or(|c| c >= t0))
        .collect();
    // As u64: the engine's sort of u64 serves, where a sort of u32 would
    // be one more copy of the sort in the page's download (1 kB).
    let mut clients: Vec<u64> = history
        .iter()
        .map(|(op, _)| op.client)
        .filter(|&c| c < quorum_sim::workload::FIRST_CLIENT)
        .map(u64::from)
        .collect();
    clients.sort_unstable();
    clients.dedup();
    let workload = history
        .iter()
        .any(|(op, _)| op.client >= quorum_sim::workload::FIRST_CLIENT);
    let mut lanes: Vec<Lane> = clients
        .iter()
        .map(|&c| Lane {
            label: format!("Client {c}"),
            kind: LaneKind::Client(c as u32),
        })
        .collect();
    if workload {
        lanes.push(Lane {
            label: "Workload".into(),
            kind: LaneKind::Workload,
        });
    }
    let node_base = lanes.len();
    lanes.extend(NodeId::all(n).map(|id| Lane {
        label: id.to_string(),
        kind: LaneKind::Node(id),
    }));
    let node_lane = |id: NodeId| node_base + id.index();
    let client_lane = |client: u32| {
        clients
            .iter()
            .position(|&c| c == u64::from(client))
            .unwrap_or(clients.len())
    };

    let mut fates: BTreeMap<(NodeId, NodeId, u64), Fate> = BTreeMap::new();
    let mut sends = Vec::new();
    let mut marks = Vec::new();
    for e in events {
        match &e.kind {
            TraceKind::Send {
                from,
                to,
                kind,
                deliver_at,
                ..
            } if e.at <= t1 && *deliver_at >= t0 => sends.push((
                MessageId {
                    from: *from,
                    to: *to,
                    sent_us: e.at,
                    due_us: *deliver_at,
                },
                *kind,
            )),
            TraceKind::Deliver { from, to, .. } => {
                fates.insert((*from, *to, e.at), Fate::Delivered);
            }
            TraceKind::Drop {
                from, to, reason, ..
            } => {
                fates.insert((*from, *to, e.at), Fate::Dropped(*reason));
            }
            kind if (t0..=t1).contains(&e.at) => {
                if let Some(mark) = mark(kind, e.at, &node_lane) {
                    marks.push(mark);
                }
            }
            _ => {}
        }
    }
    let left_out = sends.len().saturating_sub(MAX_ARROWS);
    let arrows = sends
        .into_iter()
        .skip(left_out)
        .map(|(id, kind)| Arrow {
            id,
            kind,
            from: node_lane(id.from),
            to: node_lane(id.to),
            fate: fates
                .get(&(id.from, id.to, id.due_us))
                .copied()
                .unwrap_or(Fate::Flying),
        })
        .collect();
    let bars = history
        .iter()
        .map(|(op, judgement)| Bar {
            lane: client_lane(op.client),
            node_lane: node_lane(op.node),
            from_us: op.invoke_us,
            to_us: op.complete_us,
            tone: tone_of(op, *judgement),
            label: op_label(op),
        })
        .collect();
    Diagram {
        t0_us: t0,
        t1_us: t1,
        lanes,
        arrows,
        bars,
        marks,
        left_out,
    }
}

/// A node's change worth marking on its lane.
fn mark(kind: &TraceKind, at: u64, node_lane: &dyn Fn(NodeId) -> usize) -> Option<Mark> {
    let (node, kind, text) = match kind {
        TraceKind::Role { node, role, term } => {
            let (kind, what) = match role {
                Role::Leader => (MarkKind::Leader, "leader"),
                Role::Candidate => (MarkKind::Candidate, "candidate"),
                Role::Follower => (MarkKind::Follower, "follower"),
            };
            (*node, kind, format!("{what}, term {term}"))
        }
        TraceKind::Crash { node } => (*node, MarkKind::Crash, "crashed".into()),
        TraceKind::Restart { node } => (*node, MarkKind::Restart, "restarted".into()),
        TraceKind::Committed { node, to } => (*node, MarkKind::Commit, format!("commit {to}")),
        _ => return None,
    };
    Some(Mark {
        lane: node_lane(node),
        at_us: at,
        kind,
        text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use quorum_sim::config::{Config, Jitter};
    use quorum_sim::dist::Dist;
    use quorum_sim::kv::Level;
    use quorum_sim::scenario::Action;
    use quorum_sim::workload::Workload;
    use quorum_sim::world::World;

    /// The page's default run: node-1 leads term 1 and its first write
    /// reaches node-3 long before node-2.
    fn course() -> World {
        let config = Config {
            jitter: Jitter::Writes(Dist::Exponential { rate: 1.0 / 150.0 }),
            ..Config::default()
        };
        let mut w = World::new(config, 369).unwrap();
        w.run_until(1_000_000);
        w
    }

    fn write_then_read(w: &mut World) {
        let t = w
            .submit(&Action::Write {
                client: 1,
                node: NodeId::at(0),
                key: "name".into(),
                value: "Alice".into(),
            })
            .unwrap();
        while w.take_done(t).is_none() {
            w.step();
        }
        w.run_until(w.now() + 1);
        w.submit(&Action::Read {
            client: 2,
            node: NodeId::at(1),
            key: "name".into(),
            level: Level::Eventual,
        })
        .unwrap();
    }

    #[test]
    fn the_first_write_and_stale_read_draw_as_lanes_arrows_bars_and_marks() {
        let mut w = course();
        write_then_read(&mut w);
        let d = build(3, (0, w.now()), w.trace(), w.judged_history());
        let labels: Vec<&str> = d.lanes.iter().map(|l| l.label.as_str()).collect();
        assert_eq!(
            labels,
            ["Client 1", "Client 2", "node-1", "node-2", "node-3"]
        );
        assert!(d
            .marks
            .iter()
            .any(|m| m.kind == MarkKind::Leader && m.lane == 2 && m.text == "leader, term 1"));
        let tones: Vec<Tone> = d.bars.iter().map(|b| b.tone).collect();
        assert_eq!(
            tones,
            [Tone::Fresh, Tone::Stale],
            "the write, then the stale read"
        );
        assert_eq!(
            (d.bars[1].lane, d.bars[1].node_lane),
            (1, 3),
            "Client 2 asked node-2"
        );
        assert!(d
            .arrows
            .iter()
            .any(|a| a.kind == MsgKind::RequestVote && a.fate == Fate::Delivered));
        // The replicate of the write to node-2 is still on its way: the
        // read's focus singles it out, and nothing else.
        let focus = ReadFocus {
            node: NodeId::at(1),
            at_us: d.bars[1].from_us,
            newer_invoked_us: Some(d.bars[0].from_us),
            holders: vec![NodeId::at(0), NodeId::at(2)],
            quorum: None,
        };
        let missed: Vec<&Arrow> = d.arrows.iter().filter(|a| focus.missed(a)).collect();
        assert!(!missed.is_empty());
        assert!(missed.iter().all(|a| a.kind == MsgKind::Append
            && a.id.to == NodeId::at(1)
            && a.fate == Fate::Flying));
    }

    #[test]
    fn a_busy_window_draws_a_bounded_number_of_arrows_and_says_so() {
        let mut w = course();
        w.start_workload(Workload {
            ops_per_sec: 50.0,
            ..Workload::default()
        })
        .unwrap();
        w.run_until(20_000_000);
        let d = build(3, (0, w.now()), w.trace(), w.judged_history());
        assert_eq!(d.arrows.len(), MAX_ARROWS);
        assert!(d.left_out > 0);
        assert!(d.lanes.iter().any(|l| l.kind == LaneKind::Workload));
    }
}
