//! Read-only snapshots of the world for drawing. The app never needs (or
//! gets) a way to change internals through them.

use super::{EventKind, Key, World};
use crate::kv::{Text, Version};
use crate::msg::{MsgKind, NodeId, ReqId, Role};

/// One node as the app draws it. `id` is 0-based; the course calls it
/// `node-{id + 1}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeView {
    pub id: NodeId,
    pub crashed: bool,
    pub role: Role,
    pub term: u64,
    pub leader_hint: Option<NodeId>,
    pub voted_for: Option<NodeId>,
    pub last_index: u64,
    pub last_term: u64,
    pub commit_index: u64,
    pub snapshot_index: u64,
    pub log_len: usize,
}

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
    pub fn node(&self, id: NodeId) -> NodeView {
        let n = &self.nodes[id];
        NodeView {
            id,
            crashed: !self.alive[id],
            role: n.role(),
            term: n.term(),
            leader_hint: n.leader_hint(),
            voted_for: n.voted_for(),
            last_index: n.last_index(),
            last_term: n.last_term(),
            commit_index: n.commit_index(),
            snapshot_index: n.snapshot_index(),
            log_len: n.log_len(),
        }
    }

    pub fn nodes(&self) -> Vec<NodeView> {
        (0..self.nodes.len()).map(|id| self.node(id)).collect()
    }

    /// Messages in flight, earliest delivery first.
    pub fn in_flight(&self) -> Vec<InFlight> {
        let mut list: Vec<(Key, InFlight)> = self
            .queue
            .iter()
            .filter_map(
                |&key| match self.slots.events[key.slot() as usize].as_ref()? {
                    EventKind::Deliver {
                        from,
                        to,
                        msg,
                        sent_at,
                        lost,
                        ..
                    } => Some((
                        key,
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
                },
            )
            .collect();
        // Earliest delivery first, then in order of sending.
        list.sort_by_key(|(key, _)| key.0);
        list.into_iter().map(|(_, m)| m).collect()
    }
}

impl World {
    /// The newest version of `key` acknowledged to any client so far: a
    /// replica holding an older one is behind what some client was promised.
    pub fn newest_acked(&self, key: &Text) -> Version {
        self.acks.newest_before(key, ReqId::MAX)
    }

    /// Whether messages from `from` to `to` are cut by a partition.
    pub fn link_blocked(&self, from: NodeId, to: NodeId) -> bool {
        self.net.is_blocked(from, to)
    }
}
