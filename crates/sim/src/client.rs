//! A client's session: what it has written and read, carried as tokens so a
//! node can tell whether it has caught up with this client.

use crate::kv::{Level, Version};
use crate::msg::NodeId;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Session {
    /// The highest version this client wrote (its write got a version even
    /// without a quorum: the client wants to see it if it survives).
    pub written: Version,
    /// The highest version this client has read.
    pub read: Version,
    /// Where the last 503 said the leader is.
    pub leader_hint: Option<NodeId>,
    /// Numbers this client's written values, which makes them unique per key.
    pub next_seq: u64,
    /// A workload client issues one operation at a time.
    pub busy: bool,
}

impl Session {
    /// The token a read at `level` carries.
    pub fn token(&self, level: Level) -> Version {
        match level {
            Level::ReadYourWrites => self.written,
            Level::MonotonicReads => self.read,
            Level::Causal => self.written.max(self.read),
            Level::Eventual | Level::Strong | Level::Linearizable => Version::ZERO,
        }
    }
}
