//! Counters and latency histograms: constant memory however long the run.

use crate::kv::Level;
use serde::Serialize;

/// Log-linear buckets (16 per power of two) over microseconds: about 4 %
/// resolution in a fixed 1 KiB table.
#[derive(Clone, Debug)]
pub struct Histogram {
    buckets: Vec<u64>,
    count: u64,
}

const SUB: u32 = 16;

impl Default for Histogram {
    fn default() -> Self {
        Histogram {
            buckets: vec![0; (64 * SUB) as usize],
            count: 0,
        }
    }
}

fn bucket(us: u64) -> usize {
    if us < SUB as u64 {
        return us as usize;
    }
    let exp = 63 - us.leading_zeros(); // >= 4
    let mantissa = (us >> (exp - 4)) & (SUB as u64 - 1);
    ((exp - 3) * SUB) as usize + mantissa as usize
}

fn bucket_low(b: usize) -> u64 {
    let b = b as u64;
    if b < SUB as u64 {
        return b;
    }
    let exp = b / SUB as u64 + 3;
    let mantissa = b % SUB as u64;
    (SUB as u64 + mantissa) << (exp - 4)
}

impl Histogram {
    pub fn record(&mut self, us: u64) {
        self.buckets[bucket(us)] += 1;
        self.count += 1;
    }

    pub fn count(&self) -> u64 {
        self.count
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
                return bucket_low(b) as f64 / 1000.0;
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
    /// Reads that returned an older version than the newest write
    /// acknowledged before the read began.
    pub stale_reads: u64,
    pub stale_by_level: [u64; 6],
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
            let low = bucket_low(b);
            assert!(low <= us && us - low <= us / 16 + 1, "{us} -> {low}");
        }
    }

    #[test]
    fn quantiles() {
        let mut h = Histogram::default();
        for ms in 1..=100u64 {
            h.record(ms * 1000);
        }
        let p50 = h.quantile_ms(0.5);
        assert!((48.0..=50.0).contains(&p50), "{p50}");
        assert!(h.quantile_ms(0.99) >= 94.0);
    }
}
