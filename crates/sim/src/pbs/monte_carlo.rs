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

use super::sampler::{Sampler, Source};
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
    trials: usize,
    /// The waits of the trials not consistent at commit, in no order: most
    /// trials usually are, and leaving the rest unsorted keeps a million
    /// trials inside the time budget.
    positive_waits: Vec<f64>,
}

impl Staleness {
    pub fn trials(&self) -> usize {
        self.trials
    }

    /// Probability that a read sent `t_ms` after commit returns the write.
    pub fn p_consistent(&self, t_ms: f64) -> f64 {
        let stale = self
            .positive_waits
            .iter()
            .filter(|&&wait| wait > t_ms)
            .count();
        1.0 - stale as f64 / self.trials as f64
    }

    /// t-visibility: the smallest `t` (ms) at which [`Self::p_consistent`]
    /// reaches `p`; `None` for `p` outside [0, 1].
    pub fn t_visibility(&self, p: f64) -> Option<f64> {
        if !(0.0..=1.0).contains(&p) {
            return None;
        }
        // The tolerance keeps 0.999 × 1000 (not exact in binary) from
        // rounding up to a thousandth trial.
        let needed = (p * self.trials as f64 - 1e-9).ceil().max(0.0) as usize;
        let zeros = self.trials - self.positive_waits.len();
        let Some(rank) = needed.checked_sub(zeros + 1) else {
            return Some(0.0);
        };
        let mut waits = self.positive_waits.clone();
        Some(*waits.select_nth_unstable_by(rank, f64::total_cmp).1)
    }
}

/// Runs `trials` independent WARS trials (at least one) for `quorum`.
pub fn simulate(wars: &Wars, quorum: Quorum, trials: usize, seed: u64) -> Staleness {
    let samplers = [&wars.w, &wars.a, &wars.r, &wars.s].map(Sampler::new);
    let mut rng = SimRng::new(seed);
    let mut source = Source::new(&mut rng);
    let trials = trials.max(1);
    let mut waits = Vec::new();
    for _ in 0..trials {
        let wait = trial(&samplers, wars.remote_ms, quorum, &mut source);
        if wait > 0.0 {
            waits.push(wait);
        }
    }
    Staleness {
        trials,
        positive_waits: waits,
    }
}

/// The `k`-th smallest (0-based) of a short slice, by insertion sort: for the
/// handful of replicas in a trial this beats a general selection.
fn kth_smallest<T: Copy>(items: &mut [T], k: usize, key: impl Fn(T) -> f64) -> T {
    for i in 1..items.len() {
        let mut j = i;
        while j > 0 && key(items[j - 1]) > key(items[j]) {
            items.swap(j - 1, j);
            j -= 1;
        }
    }
    items[k]
}

fn trial(samplers: &[Sampler; 4], remote_ms: f64, q: Quorum, u: &mut Source) -> f64 {
    let n = q.n;
    let [w_dist, a_dist, r_dist, s_dist] = samplers;
    // Datacenters of the write's and the read's coordinators; `n` (no
    // replica) when there is no remote delay, to spare the draws.
    let (write_dc, read_dc) = if remote_ms > 0.0 {
        (u.below(n), u.below(n))
    } else {
        (n, n)
    };
    let remote = |i: usize, dc: usize| if i == dc || dc == n { 0.0 } else { remote_ms };

    let mut write_arrival = [0.0f64; MAX_N];
    let mut ack_arrival = [0.0f64; MAX_N];
    let mut read_arrival = [0.0f64; MAX_N];
    let mut response_arrival = [0.0f64; MAX_N];
    for i in 0..n {
        let w = w_dist.sample(u) + remote(i, write_dc);
        let a = a_dist.sample(u) + remote(i, write_dc);
        let r = r_dist.sample(u) + remote(i, read_dc);
        let s = s_dist.sample(u) + remote(i, read_dc);
        write_arrival[i] = w;
        ack_arrival[i] = w + a;
        read_arrival[i] = r;
        response_arrival[i] = r + s;
    }
    let commit = kth_smallest(&mut ack_arrival[..n], q.w - 1, |t| t);

    let mut order = [0u8; MAX_N];
    for (i, slot) in order[..n].iter_mut().enumerate() {
        *slot = i as u8;
    }
    kth_smallest(&mut order[..n], q.r - 1, |i| response_arrival[i as usize]);
    let wait = order[..q.r]
        .iter()
        .map(|&i| write_arrival[i as usize] - commit - read_arrival[i as usize])
        .fold(f64::INFINITY, f64::min);
    wait.max(0.0)
}
