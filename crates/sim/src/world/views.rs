//! Every read-only query of the world, for drawing, explaining and tests.
//! Nothing here changes anything.

use super::observer::{ReadJudgement, WriteFact};
use super::queue::{EventKind, Flying};
use super::World;
use crate::client::Session;
use crate::config::Config;
use crate::history::{HistoryOp, Outcome};
use crate::kv::{Text, Version};
use crate::msg::{Command, Msg, MsgKind, NodeId};
use crate::node::Node;
use crate::stats::Stats;
use crate::trace::TraceEvent;

/// A message on the wire, to draw between its send and delivery times.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InFlight {
    pub from: NodeId,
    pub to: NodeId,
    pub kind: MsgKind,
    pub sent_at: u64,
    pub deliver_at: u64,
    /// Random loss already decided: draw it fading out.
    pub lost: bool,
}

impl World {
    pub fn now(&self) -> u64 {
        self.now
    }
    pub fn seed(&self) -> u64 {
        self.seed
    }
    pub fn config(&self) -> &Config {
        &self.config
    }
    pub fn stats(&self) -> &Stats {
        &self.stats
    }
    /// The run's statistics over simulated time, column by column.
    pub fn series(&self) -> &crate::series::Series {
        &self.series
    }
    pub fn trace(&self) -> impl DoubleEndedIterator<Item = &TraceEvent> + ExactSizeIterator {
        self.trace.recent()
    }
    pub fn trace_hash(&self) -> u64 {
        self.trace.hash()
    }
    pub fn trace_total(&self) -> u64 {
        self.trace.total()
    }
    /// The recent history window, oldest first, as history lines.
    pub fn history(&self) -> impl DoubleEndedIterator<Item = HistoryOp> + ExactSizeIterator + '_ {
        self.history.window.iter().map(|r| r.to_history())
    }
    /// The history window with the observer's verdict on each read.
    pub fn judged_history(
        &self,
    ) -> impl DoubleEndedIterator<Item = (HistoryOp, Option<&ReadJudgement>)> + '_ {
        self.history
            .window
            .iter()
            .map(|r| (r.to_history(), r.judgement.as_ref()))
    }
    /// Operations invoked and not answered yet, as history lines without a
    /// completion: a write's outcome is unknown until its answer comes.
    pub fn pending_history(&self) -> Vec<HistoryOp> {
        let mut ops: Vec<HistoryOp> = self
            .clients
            .pending
            .values()
            .map(|p| HistoryOp {
                client: p.client,
                node: p.node,
                op: p.op,
                key: p.key.to_string(),
                value: p.value.as_deref().map(String::from),
                level: p.level.name().to_string(),
                invoke_us: p.invoke,
                complete_us: None,
                outcome: Outcome::Unknown,
            })
            .collect();
        ops.sort_by_key(|op| (op.invoke_us, op.client));
        ops
    }
    pub fn session(&self, client: u32) -> Option<&Session> {
        self.clients.sessions.get(&client)
    }
    /// Node `id` (0-based), read-only: role, term, log, map, ...
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id]
    }
    pub fn is_alive(&self, id: NodeId) -> bool {
        self.alive[id]
    }
    pub fn is_partitioned(&self) -> bool {
        self.net.is_partitioned()
    }
    /// Whether messages from `from` to `to` are cut by a partition.
    pub fn link_blocked(&self, from: NodeId, to: NodeId) -> bool {
        self.net.is_blocked(from, to)
    }
    pub fn pending_ops(&self) -> usize {
        self.clients.pending.len()
    }
    /// Events waiting in the queue.
    pub fn queued_events(&self) -> usize {
        self.queue.len()
    }
    /// The last setting changes (at most two), oldest first.
    pub fn marks(&self) -> impl ExactSizeIterator<Item = &super::Mark> {
        self.marks.iter()
    }

    /// Messages on the wire, by whether they carry news.
    pub fn flying(&self) -> Flying {
        self.queue.flying()
    }

    /// The newest version of `key` acknowledged to any client so far: a
    /// replica holding an older one is behind what some client was promised.
    pub fn newest_acked(&self, key: &Text) -> Version {
        self.observer.newest_acked(key)
    }

    /// Messages in flight, earliest delivery first.
    pub fn in_flight(&self) -> Vec<InFlight> {
        let mut list: Vec<(u128, InFlight)> = self
            .queue
            .iter()
            .filter_map(|(key, event)| match event {
                EventKind::Deliver {
                    from,
                    to,
                    msg,
                    sent_at,
                    lost,
                    ..
                } => Some((
                    key.0,
                    InFlight {
                        from: *from,
                        to: *to,
                        kind: msg.kind(),
                        sent_at: *sent_at,
                        deliver_at: key.at(),
                        lost: *lost,
                    },
                )),
                _ => None,
            })
            .collect();
        // Earliest delivery first, then in order of sending.
        list.sort_by_key(|(key, _)| *key);
        list.into_iter().map(|(_, m)| m).collect()
    }

    /// Nodes whose copy of `key` holds `write` or something newer.
    pub(super) fn holders(&self, key: &Text, write: &WriteFact) -> Vec<NodeId> {
        NodeId::all(self.nodes.len())
            .filter(|&id| {
                self.nodes[id]
                    .map()
                    .get(key)
                    .is_some_and(|cell| match write.version {
                        Some(v) => cell.version >= v,
                        None => cell.value == write.value,
                    })
            })
            .collect()
    }

    /// When the first message carrying `write` reaches `to`, if one is on
    /// its way and will arrive.
    pub(super) fn replicate_due(&self, to: NodeId, key: &Text, write: &WriteFact) -> Option<u64> {
        let carries = |msg: &Msg| match msg {
            Msg::Append { entries, .. } => entries.iter().any(|e| match &e.command {
                Command::Put { key: k, value } => {
                    k == key
                        && match write.version {
                            Some(v) => e.version() >= v,
                            None => *value == write.value,
                        }
                }
                Command::Noop => false,
            }),
            Msg::InstallSnapshot { snapshot, .. } => snapshot
                .map
                .get(key)
                .is_some_and(|c| write.version.is_some_and(|v| c.version >= v)),
            Msg::Repair { key: k, cell, .. } => {
                k == key && write.version.is_some_and(|v| cell.version >= v)
            }
            _ => false,
        };
        self.queue
            .iter()
            .filter_map(|(key, event)| match event {
                EventKind::Deliver {
                    to: t, msg, lost, ..
                } if *t == to && !lost && carries(msg) => Some(key.at()),
                _ => None,
            })
            .min()
    }

    /// Sizes of everything that could grow, to show memory stays flat.
    pub fn memory(&self) -> Memory {
        Memory {
            queue: self.queue.len(),
            trace_window: self.trace.recent().len(),
            history_window: self.history.window.len(),
            max_log_len: self.nodes.iter().map(|n| n.log_len()).max().unwrap_or(0),
            max_keys: self.nodes.iter().map(|n| n.map().len()).max().unwrap_or(0),
            pending_ops: self.clients.pending.len(),
            node_pending: self.nodes.iter().map(|n| n.pending_requests()).sum(),
            unsettled_writes: self.observer.unsettled(),
            observed: self.observer.len(),
            sessions: self.clients.sessions.len(),
        }
    }
}

/// Lengths of the world's collections at one moment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Memory {
    pub queue: usize,
    pub trace_window: usize,
    pub history_window: usize,
    pub max_log_len: usize,
    pub max_keys: usize,
    pub pending_ops: usize,
    pub node_pending: usize,
    pub unsettled_writes: usize,
    /// The observer's records of writes and acknowledgements.
    pub observed: usize,
    pub sessions: usize,
}

impl Memory {
    /// The larger of each field.
    pub fn max(self, o: Memory) -> Memory {
        Memory {
            queue: self.queue.max(o.queue),
            trace_window: self.trace_window.max(o.trace_window),
            history_window: self.history_window.max(o.history_window),
            max_log_len: self.max_log_len.max(o.max_log_len),
            max_keys: self.max_keys.max(o.max_keys),
            pending_ops: self.pending_ops.max(o.pending_ops),
            node_pending: self.node_pending.max(o.node_pending),
            unsettled_writes: self.unsettled_writes.max(o.unsettled_writes),
            observed: self.observed.max(o.observed),
            sessions: self.sessions.max(o.sessions),
        }
    }
}
