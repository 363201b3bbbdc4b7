//! The engine as a [`Cluster`]: requests are the engine's client
//! operations, and replies come from its completion window.

use crate::cluster::{Cluster, NodeStatus, Op, QuorumsFixed, Refused, Reply, Ticket};
use quorum_sim::msg::{NodeId, Role};
use quorum_sim::scenario::{Action, Settings};
use quorum_sim::world::{self, Answer, World};

impl Cluster for World {
    fn node_count(&self) -> usize {
        self.config().n
    }

    fn status(&self, id: NodeId) -> Option<NodeStatus> {
        if !id.is_in(self.config().n) {
            return None;
        }
        if !self.is_alive(id) {
            return None;
        }
        let view = self.node(id);
        let keys = view
            .map()
            .iter()
            .filter(|(_, cell)| cell.value.is_some())
            .map(|(key, _)| key.to_string())
            .collect();
        let config = self.config();
        Some(NodeStatus {
            role: view.role(),
            term: view.term(),
            leader: if view.role() == Role::Leader {
                Some(id)
            } else {
                view.leader_hint()
            },
            keys,
            write_quorum: config.w,
            read_quorum: config.r,
            total_nodes: config.n,
        })
    }

    fn request(&mut self, client: u32, node: NodeId, op: Op) -> Result<Ticket, Refused> {
        if self.status(node).is_none() {
            return Err(Refused);
        }
        let action = op.into_action(client, node);
        // Only an empty key is refused here, and the API never sends one.
        self.submit(&action)
            .map(|t| Ticket(t.0))
            .map_err(|_| Refused)
    }

    fn reply(&mut self, ticket: Ticket) -> Option<Reply> {
        let response = match self.take_done(world::Ticket(ticket.0))?.answer {
            Answer::Dropped => return Some(Reply::Dropped),
            Answer::Replied(r) => r,
        };
        Some(Reply::from_response(response, self.config().r))
    }

    fn set_quorums(
        &mut self,
        write: Option<usize>,
        read: Option<usize>,
    ) -> Result<(), QuorumsFixed> {
        self.apply(&Action::Set(Settings {
            w: write,
            r: read,
            ..Settings::default()
        }))
        .map_err(QuorumsFixed::Refused)
    }
}
