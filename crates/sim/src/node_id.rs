//! Which node. Inside the engine a node is an index into its arrays, from
//! 0; wherever a person or a file names one (scenario files, links, the
//! page, the console, the server's NODE_ID) it is node-K, K from 1. One
//! type carries both, and these are the only conversions between them.

use std::fmt;
use std::ops::{Index, IndexMut};

/// Written and read as its number, from 1, everywhere it is written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId(usize);

impl NodeId {
    /// The node at `index` of the engine's arrays.
    pub const fn at(index: usize) -> NodeId {
        NodeId(index)
    }

    /// Its place in the engine's arrays, from 0.
    pub const fn index(self) -> usize {
        self.0
    }

    /// The node people call node-`number`; none is numbered 0.
    pub const fn numbered(number: usize) -> Option<NodeId> {
        match number.checked_sub(1) {
            Some(index) => Some(NodeId(index)),
            None => None,
        }
    }

    /// The number people read, from 1.
    pub const fn number(self) -> usize {
        self.0 + 1
    }

    /// Whether an `n`-node cluster has this node.
    pub const fn is_in(self, n: usize) -> bool {
        self.0 < n
    }

    /// Every node of an `n`-node cluster, in order.
    pub fn all(n: usize) -> impl DoubleEndedIterator<Item = NodeId> + ExactSizeIterator + Clone {
        (0..n).map(NodeId)
    }

    /// Its bit in a set of nodes held as a bit mask.
    pub const fn bit(self) -> u32 {
        1 << self.0
    }
}

/// A node's number as a form or a link writes it: `3` is node-3.
impl std::str::FromStr for NodeId {
    type Err = &'static str;
    fn from_str(text: &str) -> Result<NodeId, Self::Err> {
        let number = text.trim().parse().map_err(|_| "a node's number")?;
        NodeId::numbered(number).ok_or(NUMBERED_FROM_1)
    }
}

/// `node-3`, as every message and label names it.
impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "node-{}", self.number())
    }
}

impl serde::Serialize for NodeId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(self.number() as u64)
    }
}

impl<'de> serde::Deserialize<'de> for NodeId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<NodeId, D::Error> {
        let number = usize::deserialize(d)?;
        NodeId::numbered(number).ok_or_else(|| serde::de::Error::custom(NUMBERED_FROM_1))
    }
}

/// What a 0 where a node's number belongs is told.
pub const NUMBERED_FROM_1: &str = "nodes are numbered from 1";

impl<T> Index<NodeId> for [T] {
    type Output = T;
    fn index(&self, id: NodeId) -> &T {
        &self[id.0]
    }
}

impl<T> IndexMut<NodeId> for [T] {
    fn index_mut(&mut self, id: NodeId) -> &mut T {
        &mut self[id.0]
    }
}

impl<T> Index<NodeId> for Vec<T> {
    type Output = T;
    fn index(&self, id: NodeId) -> &T {
        &self[id.0]
    }
}

impl<T> IndexMut<NodeId> for Vec<T> {
    fn index_mut(&mut self, id: NodeId) -> &mut T {
        &mut self[id.0]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_count_from_one_and_indices_from_zero() {
        let third = NodeId::numbered(3).unwrap();
        assert_eq!((third.index(), third.number()), (2, 3));
        assert_eq!(third, NodeId::at(2));
        assert_eq!(NodeId::numbered(0), None);
        assert!(third.is_in(3) && !third.is_in(2));
        assert_eq!(third.to_string(), "node-3");
        assert_eq!(third.bit(), 0b100);
        assert_eq!("3".parse::<NodeId>(), Ok(third));
        assert_eq!("0".parse::<NodeId>(), Err(NUMBERED_FROM_1));
        assert!("node-3".parse::<NodeId>().is_err());
        let names: Vec<String> = NodeId::all(3).map(|id| id.to_string()).collect();
        assert_eq!(names, ["node-1", "node-2", "node-3"]);
        let mut by_node = [10, 20, 30];
        by_node[third] += 1;
        assert_eq!(by_node[NodeId::at(2)], 31);
    }
}
