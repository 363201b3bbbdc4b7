//! Which version of each key had been acknowledged by when: what a read is
//! judged stale against.
//!
//! "Before the read began" is decided by request numbers, not times: an
//! acknowledgement and a read can share a microsecond, and only the order in
//! which the world handled them says which came first.

use crate::kv::{Text, Version};
use crate::msg::ReqId;
use std::collections::{BTreeMap, VecDeque};

/// Entries per key kept regardless of age.
const KEEP: usize = 16;

struct Ack {
    at: u64,
    /// The request number the next invoked operation gets: reads numbered
    /// from here on began after this acknowledgement.
    next_req: ReqId,
    /// The highest version acknowledged up to then.
    newest: Version,
}

/// Per key, oldest first. A deque: on a hot key every acknowledgement
/// prunes one from the front, which in a `Vec` moved all the rest (11 % of a
/// dense run's instructions were that copy).
#[derive(Default)]
pub(super) struct AckIndex {
    by_key: BTreeMap<Text, VecDeque<Ack>>,
}

impl AckIndex {
    /// Notes an acknowledgement. Entries older than `horizon_us` are pruned
    /// (but the newest of them stays): no read lasts that long, so no
    /// question reaches further back.
    pub(super) fn record(
        &mut self,
        key: &Text,
        at: u64,
        next_req: ReqId,
        version: Version,
        horizon_us: u64,
    ) {
        let acks = self.by_key.entry(key.clone()).or_default();
        let newest = acks.back().map_or(version, |a| a.newest.max(version));
        acks.push_back(Ack {
            at,
            next_req,
            newest,
        });
        if acks.len() > KEEP {
            let cutoff = at.saturating_sub(horizon_us);
            let old = acks.partition_point(|a| a.at < cutoff);
            if old > 1 {
                acks.drain(..old - 1);
            }
        }
    }

    /// The newest version acknowledged before request `req` was invoked.
    /// Takes a `Text`, not a `str`: the map then compares keys by their
    /// cached prefix instead of byte by byte.
    pub(super) fn newest_before(&self, key: &Text, req: ReqId) -> Version {
        let Some(acks) = self.by_key.get(key) else {
            return Version::ZERO;
        };
        match acks.partition_point(|a| a.next_req <= req) {
            0 => Version::ZERO,
            at => acks[at - 1].newest,
        }
    }

    /// Entries held, over all keys.
    pub(super) fn len(&self) -> usize {
        self.by_key.values().map(VecDeque::len).sum()
    }
}
