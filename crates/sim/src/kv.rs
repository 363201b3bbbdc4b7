//! What replicas store: keys, values, versions, and the read levels a client
//! can ask for.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::rc::Rc;

/// Keys and values are shared, not copied, as they travel in messages and
/// sit in several replicas' maps: a message send must not allocate.
pub type Text = Rc<str>;

/// The (term, index) of the log entry that wrote a value. Ordered
/// lexicographically: a later leader's entries outrank an earlier leader's,
/// and within a term a later index is newer. `Version::ZERO` is "never written".
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Version {
    pub term: u64,
    pub index: u64,
}

impl Version {
    pub const ZERO: Version = Version { term: 0, index: 0 };
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "({}, {})", self.term, self.index)
    }
}

/// A key's current contents on one replica. `value: None` is a tombstone:
/// a delete is a versioned write, so an older value arriving late (a repair,
/// a lagging replica) cannot resurrect the key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    pub value: Option<Text>,
    pub version: Version,
}

/// A replica's applied state.
pub type KvMap = BTreeMap<Text, Cell>;

/// Stores `cell` unless the replica already holds something at least as new.
pub fn store_if_newer(map: &mut KvMap, key: &Text, cell: Cell) -> bool {
    match map.get_mut(key) {
        Some(held) if held.version >= cell.version => false,
        Some(held) => {
            *held = cell;
            true
        }
        None => {
            map.insert(key.clone(), cell);
            true
        }
    }
}

/// The consistency level of one read.
///
/// | level              | rule at the contacted node | guarantee |
/// |--------------------|----------------------------|-----------|
/// | `eventual`         | answer from its own map at once | none beyond "some value that was written"; converges once writes stop and faults heal |
/// | `read_your_writes` | wait (≤ read timeout) until its applied log reaches the client's write token (highest version it wrote), then answer locally; else fail | the client sees its own acknowledged writes, unless such a write was lost on failover (possible only with W ≤ N/2), in which case the node has a newer leader's state and the write is gone for everyone |
/// | `monotonic_reads`  | same, with the token = highest version the client has read | the client never sees a key go back in time, with the same caveat |
/// | `causal`           | same, with the token = the max of both | everything the client wrote or saw is visible |
/// | `strong`           | gather R replies (own included), return the highest version; optional read repair | with R + W > N, W > N/2 and a quorum-acknowledged write, the read sees it (the R and W sets intersect); with R + W ≤ N or un-acknowledged writes, stale reads happen; without blocking repair, two reads may see new-then-old |
/// | `linearizable`     | leader only: after the read arrives, a heartbeat round acknowledged by a majority confirms it is still leader, and its commit index covers its whole log; then answer locally | never stale when W > N/2 (with W ≤ N/2 an acknowledged write can be lost on failover, and then nothing can return it); a partitioned minority leader times out instead of answering |
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Eventual,
    ReadYourWrites,
    MonotonicReads,
    Causal,
    Strong,
    Linearizable,
}

impl Level {
    pub const ALL: [Level; 6] = [
        Level::Eventual,
        Level::ReadYourWrites,
        Level::MonotonicReads,
        Level::Causal,
        Level::Strong,
        Level::Linearizable,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Level::Eventual => "eventual",
            Level::ReadYourWrites => "read_your_writes",
            Level::MonotonicReads => "monotonic_reads",
            Level::Causal => "causal",
            Level::Strong => "strong",
            Level::Linearizable => "linearizable",
        }
    }

    pub fn parse(name: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.name() == name)
    }
}
