//! What replicas store: keys, values, versions, and the read levels a client
//! can ask for.

use crate::read_json::Named;
use serde::{Deserialize, Serialize};
use std::borrow::Borrow;
use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::rc::Rc;

/// Keys and values: shared, not copied, as they travel in messages and sit
/// in several replicas' maps (a message send must not allocate).
///
/// It compares like `str`, but first by its first eight bytes as one
/// big-endian integer, computed once: replica maps are searched on every
/// apply and read, and short keys then differ within one integer comparison
/// instead of a call to `memcmp`. Zero padding keeps the order exactly that
/// of `str` (a zero byte sorts first, as a shorter string does), so a map
/// can still be searched with a plain `&str`.
#[derive(Clone)]
pub struct Text {
    prefix: u64,
    text: Rc<str>,
}

impl Text {
    fn new(text: Rc<str>) -> Text {
        let mut head = [0u8; 8];
        let n = text.len().min(8);
        head[..n].copy_from_slice(&text.as_bytes()[..n]);
        Text {
            prefix: u64::from_be_bytes(head),
            text,
        }
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text::new(Rc::from(s))
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text::new(Rc::from(s))
    }
}

impl Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        &self.text
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        &self.text
    }
}

impl Borrow<str> for Text {
    fn borrow(&self) -> &str {
        &self.text
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Text {}

impl Ord for Text {
    fn cmp(&self, other: &Text) -> Ordering {
        match self.prefix.cmp(&other.prefix) {
            Ordering::Equal if self.text.len() <= 8 && other.text.len() <= 8 => {
                // The prefixes hold both texts whole, up to zero padding.
                self.text.len().cmp(&other.text.len())
            }
            Ordering::Equal => self.text.cmp(&other.text),
            unequal => unequal,
        }
    }
}

impl PartialOrd for Text {
    fn partial_cmp(&self, other: &Text) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Hash for Text {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.text.hash(state)
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.text, f)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(feature = "wire")]
impl Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

#[cfg(feature = "wire")]
impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Text, D::Error> {
        String::deserialize(d).map(Text::from)
    }
}

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
#[cfg_attr(feature = "wire", derive(Serialize, Deserialize))]
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
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
}

impl Named for Level {
    const ALL: &'static [Level] = &Level::ALL;
    const NAMES: &'static [&'static str] = &[
        "eventual",
        "read_your_writes",
        "monotonic_reads",
        "causal",
        "strong",
        "linearizable",
    ];
}

impl Level {
    pub fn name(self) -> &'static str {
        <Level as Named>::NAMES[self as usize]
    }

    pub fn parse(name: &str) -> Option<Level> {
        Level::find(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_orders_exactly_like_str() {
        let words = [
            "",
            "\0",
            "a",
            "a\0",
            "ab",
            "abcdefgh",
            "abcdefgh\0",
            "abcdefghi",
            "abcdefgi",
            "b",
            "k10",
            "k2",
            "zzzzzzzzzzzz",
            "é",
        ];
        for a in words {
            for b in words {
                let (ta, tb) = (Text::from(a), Text::from(b));
                assert_eq!(ta.cmp(&tb), a.cmp(b), "{a:?} vs {b:?}");
                assert_eq!(ta == tb, a == b);
            }
        }
        let mut map = KvMap::new();
        map.insert(
            Text::from("name"),
            Cell {
                value: None,
                version: Version::ZERO,
            },
        );
        assert!(map.contains_key("name") && !map.contains_key("nam"));
    }
}
