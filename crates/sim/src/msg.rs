//! What crosses the simulated network between nodes, and what a node hands
//! back to the world that drives it.

use crate::kv::{Cell, KvMap, Level, Text, Version};
use std::rc::Rc;

pub use crate::node_id::NodeId;
/// A client request, numbered by the world; a node only echoes it back.
pub type ReqId = u64;

/// What a log entry does once applied.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "wire", derive(serde::Serialize, serde::Deserialize))]
pub enum Command {
    /// A new leader's first entry: committing it commits everything before
    /// it (Raft only counts replicas for entries of the current term).
    Noop,
    /// A write, or with `value: None` a delete (tombstone).
    Put { key: Text, value: Option<Text> },
}

#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "wire", derive(serde::Serialize, serde::Deserialize))]
pub struct Entry {
    pub term: u64,
    pub index: u64,
    pub command: Command,
}

impl Entry {
    pub fn version(&self) -> Version {
        Version {
            term: self.term,
            index: self.index,
        }
    }
}

/// The applied map as of `last_index`, replacing the log up to there.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "wire", derive(serde::Serialize, serde::Deserialize))]
pub struct Snapshot {
    pub last_index: u64,
    pub last_term: u64,
    pub map: KvMap,
}

#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "wire", derive(serde::Serialize, serde::Deserialize))]
pub enum Msg {
    RequestVote {
        term: u64,
        last_index: u64,
        last_term: u64,
    },
    Vote {
        term: u64,
        granted: bool,
    },
    /// Heartbeat when `entries` is empty. `round` numbers the leader's
    /// heartbeat rounds, so a linearizable read knows which replies came
    /// after it arrived.
    Append {
        term: u64,
        prev_index: u64,
        prev_term: u64,
        entries: Rc<[Entry]>,
        commit: u64,
        round: u64,
    },
    /// `index`: on success the follower's last matching index; on failure
    /// where the leader should resume (nextIndex back-off). `heartbeat`:
    /// the append it answers carried no entries, so it acknowledges nothing
    /// new (drawn apart from a real acknowledgement).
    AppendReply {
        term: u64,
        success: bool,
        index: u64,
        round: u64,
        heartbeat: bool,
    },
    InstallSnapshot {
        term: u64,
        snapshot: Rc<Snapshot>,
        round: u64,
    },
    /// A `strong` read asking a peer for its copy of `key`.
    ReadReq {
        req: ReqId,
        key: Text,
    },
    ReadReply {
        req: ReqId,
        cell: Option<Cell>,
    },
    /// Read repair: store this if it is newer; `ack` when the reader waits.
    Repair {
        req: ReqId,
        key: Text,
        cell: Cell,
        ack: bool,
    },
    RepairAck {
        req: ReqId,
    },
}

/// A message's kind without its payload: for drawing, tracing and latency
/// classes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MsgKind {
    RequestVote,
    Vote,
    Heartbeat,
    Append,
    AppendReply,
    InstallSnapshot,
    ReadReq,
    ReadReply,
    Repair,
    RepairAck,
    /// An AppendReply to a heartbeat. Last, so the other kinds keep their
    /// numbers in the trace encoding.
    HeartbeatReply,
}

impl MsgKind {
    pub fn name(self) -> &'static str {
        match self {
            MsgKind::RequestVote => "request_vote",
            MsgKind::Vote => "vote",
            MsgKind::Heartbeat => "heartbeat",
            MsgKind::Append => "append",
            MsgKind::AppendReply => "append_reply",
            MsgKind::InstallSnapshot => "install_snapshot",
            MsgKind::ReadReq => "read_req",
            MsgKind::ReadReply => "read_reply",
            MsgKind::Repair => "repair",
            MsgKind::RepairAck => "repair_ack",
            MsgKind::HeartbeatReply => "heartbeat_reply",
        }
    }

    /// Keep-alive traffic that carries no news: heartbeats and their
    /// replies. A page may let time run briskly while only these fly.
    pub fn is_background(self) -> bool {
        matches!(self, MsgKind::Heartbeat | MsgKind::HeartbeatReply)
    }
}

impl Msg {
    pub fn kind(&self) -> MsgKind {
        match self {
            Msg::RequestVote { .. } => MsgKind::RequestVote,
            Msg::Vote { .. } => MsgKind::Vote,
            Msg::Append { entries, .. } if entries.is_empty() => MsgKind::Heartbeat,
            Msg::Append { .. } => MsgKind::Append,
            Msg::AppendReply {
                heartbeat: true, ..
            } => MsgKind::HeartbeatReply,
            Msg::AppendReply { .. } => MsgKind::AppendReply,
            Msg::InstallSnapshot { .. } => MsgKind::InstallSnapshot,
            Msg::ReadReq { .. } => MsgKind::ReadReq,
            Msg::ReadReply { .. } => MsgKind::ReadReply,
            Msg::Repair { .. } => MsgKind::Repair,
            Msg::RepairAck { .. } => MsgKind::RepairAck,
        }
    }
}

/// What a client asks a node to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClientOp {
    Read { key: Text, level: Level },
    Write { key: Text, value: Text },
    Delete { key: Text },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientRequest {
    pub req: ReqId,
    pub op: ClientOp,
    /// The session token the level needs (see [`Level`]); ZERO for none.
    pub token: Version,
}

/// Why a read failed; a failed read had no effect. A node that crashes with
/// a request pending gives no reason: the world reports the broken
/// connection (`world::Answer::Dropped`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailReason {
    /// The node never caught up with the session token in time.
    NotCaughtUp,
    /// Fewer than R replicas answered in time.
    NoQuorum,
    /// A linearizable read whose leadership a majority never confirmed in time.
    LeadershipUnconfirmed,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Response {
    /// A write or delete the leader logged at `version`; `achieved_quorum`
    /// says whether W nodes held it within the write timeout.
    Written {
        version: Version,
        achieved_quorum: bool,
    },
    Read {
        value: Option<Text>,
        version: Version,
    },
    /// The course's 503 "Not the leader", with whom the node believes leads.
    NotLeader {
        leader_hint: Option<NodeId>,
    },
    Failed(FailReason),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Timer {
    Election,
    Heartbeat,
    /// The earliest timeout among the node's pending client requests: one
    /// timer per node, not one per request, so that the thousands of
    /// requests that finish in time cost no events.
    Deadline,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    Follower,
    Candidate,
    Leader,
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Role::Follower => "follower",
            Role::Candidate => "candidate",
            Role::Leader => "leader",
        }
    }
}

/// What a node wants done; the world does it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Output {
    Send {
        to: NodeId,
        msg: Msg,
    },
    SetTimer {
        timer: Timer,
        at: u64,
    },
    Reply {
        req: ReqId,
        response: Response,
    },
    RoleChanged {
        role: Role,
        term: u64,
    },
    /// Entries `from..=to` were applied to the map.
    Applied {
        from: u64,
        to: u64,
    },
    /// The majority commit index moved up to `to` on this leader.
    Committed {
        to: u64,
    },
    /// A conflicting suffix from `from` on was discarded and the map rebuilt.
    Truncated {
        from: u64,
    },
}
