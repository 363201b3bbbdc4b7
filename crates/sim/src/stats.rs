//! Counters and latency histograms: constant memory however long the run.

use crate::kv::Level;
use serde::Serialize;
use std::rc::Rc;

/// Log-linear buckets (64 per power of two) over microseconds: under 1 %
/// error in a fixed table, whatever the run's length.
///
/// The table (32 kB) is shared between clones until one records: the
/// counters kept with each setting change, and the checkpoints of a
/// timeline, would otherwise each hold copies that never change.
#[derive(Clone, Debug)]
pub struct Histogram {
    buckets: Rc<[u64]>,
    count: u64,
}

const SUB_BITS: u32 = 6;
const SUB: u64 = 1 << SUB_BITS;

impl Default for Histogram {
    fn default() -> Self {
        Histogram {
            buckets: Rc::from(vec![0; (64 * SUB) as usize]),
            count: 0,
        }
    }
}

fn bucket(us: u64) -> usize {
    if us < SUB {
        return us as usize;
    }
    let exp = 63 - us.leading_zeros() as u64; // >= SUB_BITS
    let mantissa = (us >> (exp - SUB_BITS as u64)) & (SUB - 1);
    ((exp - SUB_BITS as u64 + 1) * SUB + mantissa) as usize
}

/// The smallest value in bucket `b`, and the bucket's width.
fn bucket_range(b: usize) -> (u64, u64) {
    let b = b as u64;
    if b < SUB {
        return (b, 1);
    }
    let exp = b / SUB + SUB_BITS as u64 - 1;
    let shift = exp - SUB_BITS as u64;
    ((SUB + b % SUB) << shift, 1 << shift)
}

impl Histogram {
    pub fn record(&mut self, us: u64) {
        Rc::make_mut(&mut self.buckets)[bucket(us)] += 1;
        self.count += 1;
    }

    pub fn count(&self) -> u64 {
        self.count
    }

    /// What was recorded after `earlier`, a copy of this one taken then.
    pub fn since(&self, earlier: &Histogram) -> Histogram {
        Histogram {
            buckets: self
                .buckets
                .iter()
                .zip(earlier.buckets.iter())
                .map(|(now, then)| now.saturating_sub(*then))
                .collect(),
            count: self.count.saturating_sub(earlier.count),
        }
    }

    /// The q-quantile (0..=1) in ms, at bucket resolution; 0 when empty.
    pub fn quantile_ms(&self, q: f64) -> f64 {
        if self.count == 0 {
            return 0.0;
        }
        let rank = ((q * self.count as f64).ceil() as u64).clamp(1, self.count);
        let mut seen = 0;
        for (b, &c) in self.buckets.iter().enumerate() {
            seen += c;
            if seen >= rank {
                let (low, width) = bucket_range(b);
                return (low as f64 + (width - 1) as f64 / 2.0) / 1000.0;
            }
        }
        0.0
    }
}

/// What the run has done so far. Everything is a counter.
#[derive(Clone, Debug, Default)]
pub struct Stats {
    pub ops: u64,
    pub reads: u64,
    pub writes: u64,
    pub deletes: u64,
    pub completed: u64,
    pub failed_ops: u64,
    pub unknown_ops: u64,
    pub not_leader: u64,
    /// Reads older than a write acknowledged before they began (the
    /// observer's verdict, as the checker's).
    pub stale_reads: u64,
    pub stale_by_level: [u64; 6],
    /// Reads older than their client's own acknowledged write.
    pub ryw_violations: u64,
    /// Reads older than what their client had already read.
    pub monotonic_violations: u64,
    pub reads_by_level: [u64; 6],
    /// Writes acknowledged to the client that the committed log later
    /// replaced: gone for good.
    pub lost_acked_writes: u64,
    pub acked_writes: u64,
    /// Writes whose W acks did not arrive in time.
    pub writes_without_quorum: u64,
    /// Times a node became leader.
    pub elections: u64,
    /// Terms in which two nodes were leader: must stay 0.
    pub split_brains: u64,
    pub messages_sent: u64,
    pub messages_delivered: u64,
    pub messages_dropped: u64,
    pub events: u64,
    pub read_latency: Histogram,
    pub write_latency: Histogram,
}

impl Stats {
    /// What happened after `earlier`, a copy of these counters taken then.
    pub fn since(&self, earlier: &Stats) -> Stats {
        let d = |now: u64, then: u64| now.saturating_sub(then);
        let each = |now: &[u64; 6], then: &[u64; 6]| std::array::from_fn(|i| d(now[i], then[i]));
        Stats {
            ops: d(self.ops, earlier.ops),
            reads: d(self.reads, earlier.reads),
            writes: d(self.writes, earlier.writes),
            deletes: d(self.deletes, earlier.deletes),
            completed: d(self.completed, earlier.completed),
            failed_ops: d(self.failed_ops, earlier.failed_ops),
            unknown_ops: d(self.unknown_ops, earlier.unknown_ops),
            not_leader: d(self.not_leader, earlier.not_leader),
            stale_reads: d(self.stale_reads, earlier.stale_reads),
            stale_by_level: each(&self.stale_by_level, &earlier.stale_by_level),
            ryw_violations: d(self.ryw_violations, earlier.ryw_violations),
            monotonic_violations: d(self.monotonic_violations, earlier.monotonic_violations),
            reads_by_level: each(&self.reads_by_level, &earlier.reads_by_level),
            lost_acked_writes: d(self.lost_acked_writes, earlier.lost_acked_writes),
            acked_writes: d(self.acked_writes, earlier.acked_writes),
            writes_without_quorum: d(self.writes_without_quorum, earlier.writes_without_quorum),
            elections: d(self.elections, earlier.elections),
            split_brains: d(self.split_brains, earlier.split_brains),
            messages_sent: d(self.messages_sent, earlier.messages_sent),
            messages_delivered: d(self.messages_delivered, earlier.messages_delivered),
            messages_dropped: d(self.messages_dropped, earlier.messages_dropped),
            events: d(self.events, earlier.events),
            read_latency: self.read_latency.since(&earlier.read_latency),
            write_latency: self.write_latency.since(&earlier.write_latency),
        }
    }

    pub fn stale_at(&self, level: Level) -> u64 {
        self.stale_by_level[level as usize]
    }
    pub fn reads_at(&self, level: Level) -> u64 {
        self.reads_by_level[level as usize]
    }
}

/// The `quorum run --json` summary.
#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    pub ops: u64,
    pub reads: u64,
    pub writes: u64,
    pub deletes: u64,
    pub stale_reads: u64,
    pub lost_acked_writes: u64,
    pub acked_writes: u64,
    pub failed_ops: u64,
    pub unknown_ops: u64,
    pub read_latency_ms_p50: f64,
    pub read_latency_ms_p99: f64,
    pub write_latency_ms_p50: f64,
    pub write_latency_ms_p99: f64,
    pub elections: u64,
    pub split_brains: u64,
    pub events: u64,
    pub sim_time_ms: f64,
    pub converged: bool,
    pub trace_hash: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_monotonic_and_tight() {
        let mut last = 0;
        for us in [0u64, 1, 15, 16, 17, 100, 1000, 12_345, 1 << 40] {
            let b = bucket(us);
            assert!(b >= last);
            last = b;
            let (low, width) = bucket_range(b);
            assert!(
                low <= us && us < low + width && width <= us / 64 + 1,
                "{us} -> {low}+{width}"
            );
        }
    }

    #[test]
    fn quantiles() {
        let mut h = Histogram::default();
        for ms in 1..=100u64 {
            h.record(ms * 1000);
        }
        let p50 = h.quantile_ms(0.5);
        assert!((49.6..=50.4).contains(&p50), "{p50}");
        let p99 = h.quantile_ms(0.99);
        assert!((98.3..=99.7).contains(&p99), "{p99}");
    }
}
