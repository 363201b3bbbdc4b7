//! Questions the page asks of the world to mark what it draws.

use super::World;
use crate::kv::Version;
use crate::msg::{NodeId, ReqId};

impl World {
    /// The newest version of `key` acknowledged to any client so far: a
    /// replica holding an older one is behind what some client was promised.
    pub fn newest_acked(&self, key: &str) -> Version {
        self.acks.newest_before(key, ReqId::MAX)
    }

    /// Whether messages from `from` to `to` are cut by a partition.
    pub fn link_blocked(&self, from: NodeId, to: NodeId) -> bool {
        self.net.is_blocked(from, to)
    }
}
