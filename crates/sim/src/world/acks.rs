//! Which version of each key had been acknowledged by when: what a read is
//! judged stale against.

use crate::kv::{Text, Version};
use std::collections::BTreeMap;

/// Entries per key kept regardless of age.
const KEEP: usize = 16;

#[derive(Default)]
pub(super) struct AckIndex {
    /// Per key: (ack time, highest version acknowledged up to then), in time order.
    by_key: BTreeMap<Text, Vec<(u64, Version)>>,
}

impl AckIndex {
    /// Notes an acknowledgement at `at`. Entries older than `horizon_us` are
    /// pruned (but the newest of them stays): no read lasts that long, so no
    /// question will reach further back.
    pub(super) fn record(&mut self, key: &Text, at: u64, version: Version, horizon_us: u64) {
        let acks = self.by_key.entry(key.clone()).or_default();
        let newest = acks.last().map_or(version, |&(_, v)| v.max(version));
        acks.push((at, newest));
        if acks.len() > KEEP {
            let cutoff = at.saturating_sub(horizon_us);
            let old = acks.partition_point(|&(t, _)| t < cutoff);
            if old > 1 {
                acks.drain(..old - 1);
            }
        }
    }

    /// The newest version acknowledged strictly before `before`.
    pub(super) fn newest_before(&self, key: &Text, before: u64) -> Version {
        let Some(acks) = self.by_key.get(key) else {
            return Version::ZERO;
        };
        let at = acks.partition_point(|&(t, _)| t < before);
        if at == 0 {
            Version::ZERO
        } else {
            acks[at - 1].1
        }
    }

    /// Entries held, over all keys.
    pub(super) fn len(&self) -> usize {
        self.by_key.values().map(Vec::len).sum()
    }
}
