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
use crate::errors::OutOfRange;
use crate::rng::SimRng;

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

impl Quorum {
    pub fn new(n: usize, r: usize, w: usize) -> Result<Quorum, OutOfRange> {
        if n == 0 || n > MAX_N {
            return Err(OutOfRange::new("N", &1, &MAX_N, &n));
        }
        for (name, size) in [("R", r), ("W", w)] {
            if size == 0 || size > n {
                return Err(OutOfRange::new(name, &1, &format!("N = {n}"), &size));
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

/// Trials drawn at a time: each of W, A, R and S is drawn for the whole
/// batch in one tight loop before any trial is evaluated.
const BATCH: usize = 256;

/// Runs `trials` independent WARS trials (at least one) for `quorum`.
pub fn simulate(wars: &Wars, quorum: Quorum, trials: usize, seed: u64) -> Staleness {
    let samplers = [&wars.w, &wars.a, &wars.r, &wars.s].map(Sampler::new);
    let mut rng = SimRng::new(seed);
    let mut source = Source::new(&mut rng);
    let trials = trials.max(1);
    let n = quorum.n;
    let mut draws = [(); 4].map(|_| vec![0.0; BATCH * n]);
    let mut waits = Vec::new();
    let mut done = 0;
    while done < trials {
        let batch = BATCH.min(trials - done);
        for (sampler, out) in samplers.iter().zip(&mut draws) {
            sampler.fill(&mut out[..batch * n], &mut source);
        }
        for t in 0..batch {
            let [w, a, r, s] = draws.each_mut().map(|d| &mut d[t * n..(t + 1) * n]);
            if wars.remote_ms > 0.0 {
                add_remote_delays(wars.remote_ms, [w, a, r, s], &mut source);
            }
            let wait = trial(quorum, w, a, r, s);
            if wait > 0.0 {
                waits.push(wait);
            }
        }
        done += batch;
    }
    Staleness {
        trials,
        positive_waits: waits,
    }
}

/// Each value's place in ascending order (ties broken by index), so ranks
/// are 0..n. Counting is O(n²) but has no data-dependent branch: a trial's
/// latencies are random, and a sort's comparisons would mispredict about
/// half the time, which cost more than the whole count for a few replicas.
fn ranks(values: &[f64], out: &mut [usize]) {
    for (i, (&v, rank)) in values.iter().zip(out.iter_mut()).enumerate() {
        *rank = values
            .iter()
            .enumerate()
            .map(|(j, &u)| usize::from((u < v) | ((u == v) & (j < i))))
            .sum();
    }
}

/// Adds the WAN delay to the one-way draws of a trial: the write and the
/// read each start in a datacenter drawn uniformly, and every message to or
/// from a replica outside it takes `remote_ms` more.
fn add_remote_delays(remote_ms: f64, [w, a, r, s]: [&mut [f64]; 4], u: &mut Source) {
    let n = w.len();
    let (write_dc, read_dc) = (u.below(n), u.below(n));
    for i in 0..n {
        if i != write_dc {
            w[i] += remote_ms;
            a[i] += remote_ms;
        }
        if i != read_dc {
            r[i] += remote_ms;
            s[i] += remote_ms;
        }
    }
}

/// The wait of one trial from its one-way draws per replica (see the
/// module doc); `a` and `s` are overwritten.
fn trial(q: Quorum, w: &[f64], a: &mut [f64], r: &[f64], s: &mut [f64]) -> f64 {
    let n = q.n;
    // From here `a` holds acknowledgement arrivals and `s` response arrivals.
    for i in 0..n {
        a[i] += w[i];
        s[i] += r[i];
    }
    let mut rank = [0usize; MAX_N];
    ranks(a, &mut rank);
    let commit = (0..n)
        .map(|i| if rank[i] == q.w - 1 { a[i] } else { 0.0 })
        .sum::<f64>();
    ranks(s, &mut rank);
    let wait = (0..n)
        .map(|i| {
            if rank[i] < q.r {
                w[i] - commit - r[i]
            } else {
                f64::INFINITY
            }
        })
        .fold(f64::INFINITY, f64::min);
    wait.max(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The trial's wait, the slow and obvious way: sort, take the W-th
    /// acknowledgement and the R first responders.
    fn reference_wait(q: Quorum, w: &[f64], a: &[f64], r: &[f64], s: &[f64]) -> f64 {
        let n = q.n();
        let mut acks: Vec<f64> = (0..n).map(|i| w[i] + a[i]).collect();
        acks.sort_by(f64::total_cmp);
        let commit = acks[q.w() - 1];
        let mut by_response: Vec<usize> = (0..n).collect();
        by_response.sort_by(|&i, &j| (r[i] + s[i]).total_cmp(&(r[j] + s[j])));
        by_response[..q.r()]
            .iter()
            .map(|&i| w[i] - commit - r[i])
            .fold(f64::INFINITY, f64::min)
            .max(0.0)
    }

    /// Latencies on a coarse grid, so that ties (as from constant parts of
    /// a mixture) are common.
    fn draws(n: usize) -> impl Strategy<Value = Vec<f64>> {
        proptest::collection::vec((0u8..6).prop_map(f64::from), n)
    }

    proptest! {
        #[test]
        fn ranks_are_the_sorted_order_with_ties_by_index(values in (1usize..=MAX_N).prop_flat_map(draws)) {
            let mut rank = [0usize; MAX_N];
            ranks(&values, &mut rank);
            let mut order: Vec<usize> = (0..values.len()).collect();
            order.sort_by(|&i, &j| values[i].total_cmp(&values[j]));
            for (place, &i) in order.iter().enumerate() {
                prop_assert_eq!(rank[i], place);
            }
        }

        #[test]
        fn trial_agrees_with_sorting(
            (n, r, w, [dw, mut da, dr, mut ds]) in (1usize..=9)
                .prop_flat_map(|n| (Just(n), 1..=n, 1..=n, [draws(n), draws(n), draws(n), draws(n)])),
        ) {
            let q = Quorum::new(n, r, w).unwrap();
            let want = reference_wait(q, &dw, &da, &dr, &ds);
            prop_assert_eq!(trial(q, &dw, &mut da, &dr, &mut ds), want);
        }
    }
}
