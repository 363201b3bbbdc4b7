//! What the console needs from a cluster, and nothing more, so that the
//! console can be tested against a scripted fake and driven by the engine
//! (see `world_adapter`) alike. Nodes are numbered from 1, as the course
//! names them: node i answers at `localhost:400i`.

use quorum_sim::errors::ActionError;
use quorum_sim::kv::Level;
use quorum_sim::msg::{FailReason, NodeId, Response, Role};
use quorum_sim::scenario::Action;
use std::fmt;

/// One node's own view, as its `/status` shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeStatus {
    pub role: Role,
    pub term: u64,
    /// Who the node believes leads (itself when it leads).
    pub leader: Option<NodeId>,
    /// Keys the node holds a value for, in order.
    pub keys: Vec<String>,
    pub write_quorum: usize,
    pub read_quorum: usize,
    pub total_nodes: usize,
}

/// A client request a node answers after simulated time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Op {
    Read {
        key: String,
        level: Level,
    },
    /// `value` is stored as given (the console stores compact JSON text).
    Write {
        key: String,
        value: String,
    },
    Delete {
        key: String,
    },
}

impl Op {
    /// The engine's client action: `client` sends this to `node`.
    pub fn into_action(self, client: u32, node: NodeId) -> Action {
        match self {
            Op::Read { key, level } => Action::Read {
                client,
                node,
                key,
                level,
            },
            Op::Write { key, value } => Action::Write {
                client,
                node,
                key,
                value,
            },
            Op::Delete { key } => Action::Delete { client, node, key },
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ticket(pub u64);

/// The node's answer to an [`Op`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reply {
    /// A write or delete the leader logged; whether W nodes held it in time.
    Written {
        achieved_quorum: bool,
    },
    /// `None`: no such key (or deleted).
    Read {
        value: Option<String>,
    },
    NotLeader {
        leader: Option<NodeId>,
    },
    /// The node gave up waiting (for a quorum, a session token, ...): why.
    TimedOut(String),
    /// The node crashed with the request pending: the connection broke.
    Dropped,
}

impl Reply {
    /// What the engine's node answered, as the API tells it; `read_quorum`
    /// names R when too few replicas answered.
    pub fn from_response(response: Response, read_quorum: usize) -> Reply {
        match response {
            Response::Written {
                achieved_quorum, ..
            } => Reply::Written { achieved_quorum },
            Response::Read { value, .. } => Reply::Read {
                value: value.map(|v| v.to_string()),
            },
            Response::NotLeader { leader_hint } => Reply::NotLeader {
                leader: leader_hint,
            },
            Response::Failed(FailReason::NoQuorum) => Reply::TimedOut(format!(
                "Fewer than R={read_quorum} replicas answered in time"
            )),
            Response::Failed(FailReason::NotCaughtUp) => Reply::TimedOut(
                "The node did not catch up with this client's session in time".into(),
            ),
            Response::Failed(FailReason::LeadershipUnconfirmed) => Reply::TimedOut(
                "The leader could not confirm with a majority that it still leads".into(),
            ),
        }
    }
}

/// The node is down (or does not exist): the connection is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Refused;

/// Why the quorums did not change: the settings were refused, the cluster
/// takes them only at startup (real nodes), or the run is past the last
/// moment a scenario can record.
#[derive(Clone, Debug, PartialEq)]
pub enum QuorumsFixed {
    Refused(ActionError),
    AtStartup,
    Unrecorded,
}

impl fmt::Display for QuorumsFixed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QuorumsFixed::Refused(e) => e.fmt(f),
            QuorumsFixed::AtStartup => {
                f.write_str("restart the nodes with other --w/--r (WRITE_QUORUM/READ_QUORUM)")
            }
            QuorumsFixed::Unrecorded => {
                f.write_str("the run is past the last moment a scenario can record")
            }
        }
    }
}

pub trait Cluster {
    fn node_count(&self) -> usize;
    /// `None` when the node is crashed or does not exist.
    fn status(&self, node: NodeId) -> Option<NodeStatus>;
    fn request(&mut self, client: u32, node: NodeId, op: Op) -> Result<Ticket, Refused>;
    /// The reply, once, when there is one.
    fn reply(&mut self, ticket: Ticket) -> Option<Reply>;
    /// Changes W and/or R in the running cluster (the course restarts its
    /// containers with new environment variables instead).
    fn set_quorums(
        &mut self,
        write: Option<usize>,
        read: Option<usize>,
    ) -> Result<(), QuorumsFixed>;
}
