//! Monte Carlo t-visibility under WARS (Section 5.1 of the paper).
//!
//! One trial: draw W, A, R and S for every replica. The write commits when
//! the W-th fastest acknowledgement (W_i + A_i) arrives, at `commit`. A read
//! sent `t` ms later reaches replica i at `commit + t + R_i` and finds the
//! write there if `W_i <= commit + t + R_i`; the coordinator uses the R
//! replicas whose responses arrive first (smallest R_i + S_i); the read is
//! consistent if any of them had the write. So each trial is summarised by
//! one number, the wait `min over those R of (W_i − commit − R_i)`, clamped
//! at 0: the read is consistent for exactly the `t` at or above it. Storing
//! waits, rather than a verdict per `t`, gives every `t` the same trials
//! (a monotone curve) and t-visibility as a quantile.

use super::wars::Wars;
use crate::rng::SimRng;
use std::fmt;

/// Largest N a simulation accepts: trials keep per-replica draws in fixed
/// arrays of this size instead of allocating.
pub const MAX_N: usize = 32;

/// Replication factor and quorum sizes, checked: 1 <= R, W <= N <= [`MAX_N`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quorum {
    n: usize,
    r: usize,
    w: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuorumError(pub String);

impl fmt::Display for QuorumError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for QuorumError {}

impl Quorum {
    pub fn new(n: usize, r: usize, w: usize) -> Result<Quorum, QuorumError> {
        if n == 0 || n > MAX_N {
            return Err(QuorumError(format!(
                "N must be between 1 and {MAX_N}, not {n}"
            )));
        }
        for (name, size) in [("R", r), ("W", w)] {
            if size == 0 || size > n {
                return Err(QuorumError(format!(
                    "{name} must be between 1 and N = {n}, not {size}"
                )));
            }
        }
        Ok(Quorum { n, r, w })
    }

    pub fn n(&self) -> usize {
        self.n
    }

    pub fn r(&self) -> usize {
        self.r
    }

    pub fn w(&self) -> usize {
        self.w
    }

    /// R + W > N: every read quorum overlaps every write quorum.
    pub fn is_strict(&self) -> bool {
        self.r + self.w > self.n
    }
}

/// The outcome of a simulation: per trial, how long after commit a read had
/// to be sent to return the write.
#[derive(Clone, Debug)]
pub struct Staleness {
    /// Sorted ascending; never negative.
    waits: Vec<f64>,
}

impl Staleness {
    pub fn trials(&self) -> usize {
        self.waits.len()
    }

    /// Probability that a read sent `t_ms` after commit returns the write.
    pub fn p_consistent(&self, t_ms: f64) -> f64 {
        let consistent = self.waits.partition_point(|&wait| wait <= t_ms);
        consistent as f64 / self.waits.len() as f64
    }

    /// t-visibility: the smallest `t` (ms) at which [`Self::p_consistent`]
    /// reaches `p`; `None` for `p` outside [0, 1].
    pub fn t_visibility(&self, p: f64) -> Option<f64> {
        if !(0.0..=1.0).contains(&p) {
            return None;
        }
        // The tolerance keeps 0.999 × 1000 (not exact in binary) from
        // rounding up to a thousandth trial.
        let needed = (p * self.waits.len() as f64 - 1e-9).ceil().max(0.0) as usize;
        Some(needed.checked_sub(1).map_or(0.0, |i| self.waits[i]))
    }
}

/// Runs `trials` independent WARS trials (at least one) for `quorum`.
pub fn simulate(wars: &Wars, quorum: Quorum, trials: usize, seed: u64) -> Staleness {
    let mut rng = SimRng::new(seed);
    let mut waits: Vec<f64> = (0..trials.max(1))
        .map(|_| trial(wars, quorum, &mut rng))
        .collect();
    // Waits are never negative, and for non-negative floats the bit patterns
    // order like the values: integer sorting is several times faster.
    waits.sort_unstable_by_key(|wait| wait.to_bits());
    Staleness { waits }
}

fn trial(wars: &Wars, q: Quorum, rng: &mut SimRng) -> f64 {
    let n = q.n;
    // Datacenters of the write's and the read's coordinators; `n` (no
    // replica) when there is no remote delay, to leave the draws untouched.
    let (write_dc, read_dc) = if wars.remote_ms > 0.0 {
        (rng.below(n as u64) as usize, rng.below(n as u64) as usize)
    } else {
        (n, n)
    };
    let remote = |i: usize, dc: usize| {
        if i == dc || dc == n {
            0.0
        } else {
            wars.remote_ms
        }
    };

    let mut write_arrival = [0.0f64; MAX_N];
    let mut ack_arrival = [0.0f64; MAX_N];
    let mut read_arrival = [0.0f64; MAX_N];
    let mut response_arrival = [0.0f64; MAX_N];
    for i in 0..n {
        let w = wars.w.sample(rng) + remote(i, write_dc);
        let a = wars.a.sample(rng) + remote(i, write_dc);
        let r = wars.r.sample(rng) + remote(i, read_dc);
        let s = wars.s.sample(rng) + remote(i, read_dc);
        write_arrival[i] = w;
        ack_arrival[i] = w + a;
        read_arrival[i] = r;
        response_arrival[i] = r + s;
    }
    let acks = &mut ack_arrival[..n];
    let commit = *acks.select_nth_unstable_by(q.w - 1, f64::total_cmp).1;

    let mut order = [0u8; MAX_N];
    for (i, slot) in order[..n].iter_mut().enumerate() {
        *slot = i as u8;
    }
    let order = &mut order[..n];
    order.select_nth_unstable_by(q.r - 1, |&x, &y| {
        response_arrival[x as usize].total_cmp(&response_arrival[y as usize])
    });
    let wait = order[..q.r]
        .iter()
        .map(|&i| write_arrival[i as usize] - commit - read_arrival[i as usize])
        .fold(f64::INFINITY, f64::min);
    wait.max(0.0)
}
