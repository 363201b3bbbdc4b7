//! The PBS curve the stats panel draws: the probability that a quorum read
//! sent `t` ms after a write commits returns that write (Bailis et al.,
//! VLDB 2012), for the page's N, R, W, base latency and jitter.
//!
//! The simulated network delays every message by `base + jitter`, so the
//! WARS model gets the jitter as W, A, R and S (a PBS preset's own four, or
//! the one chosen distribution four times) and the base is added afterwards,
//! exactly: a constant `c` on every message makes the write reach each
//! replica `c` later, the commit `2c` later (write out, ack back) and the
//! read `c` later, so a trial's wait shrinks by `2c`, and
//! `p_base(t) = p_jitter(t + 2c)`.

use quorum_sim::config::{Config, Jitter};
use quorum_sim::dist::Dist;
use quorum_sim::pbs::{self, Quorum, Staleness, Wars};

/// Monte Carlo trials for a cluster of `n` with this jitter. A trial draws
/// four latencies per replica, so trials shrink as N grows to keep a rebuild
/// (on a slider change only) near a constant cost. Timed in headless
/// Chromium at N = 9 (slider change with rebuild minus one without, noisy
/// on a shared machine): 2,000 trials of the exponential, Pareto and preset
/// choices take about 1-5 ms; lognormal draws go through the engine's exact
/// sampler, about ten times slower, so they get a quarter of the trials
/// (18 ms before, about 4 ms now).
/// At least 2,000 trials otherwise keep the 99.9 % point on the 2nd-slowest
/// trial or later: noisy, but stable to the eye, as a fixed seed redraws
/// the same trials.
pub fn trials_for(n: usize, jitter: &Jitter) -> usize {
    let trials = (12_000 / n.max(1)).clamp(2_000, 5_000);
    match jitter {
        Jitter::Dist(d) | Jitter::Writes(d) if slow_to_draw(d) => trials / 4,
        _ => trials,
    }
}

fn slow_to_draw(d: &Dist) -> bool {
    match d {
        Dist::Lognormal { .. } => true,
        Dist::Mixture { parts } => parts.iter().any(|(_, part)| slow_to_draw(part)),
        _ => false,
    }
}

/// The probability the curve's marked point reaches.
pub const TARGET: f64 = 0.999;

/// The same trials for the same inputs: a redraw never wobbles the curve.
const SEED: u64 = 2012;

/// Points along the time axis; the Monte Carlo curve is a staircase of
/// thousands of steps, and this is plenty for a chart a few hundred px wide.
const POINTS: usize = 81;

/// When the curve is flat at 1 there is nothing to zoom on: show this much.
const FLAT_SPAN_MS: f64 = 10.0;

/// What the curve depends on, and nothing else: the memo key.
#[derive(Clone, Debug, PartialEq)]
pub struct PbsInputs {
    pub n: usize,
    pub r: usize,
    pub w: usize,
    pub latency_ms: f64,
    pub jitter: Jitter,
}

impl PbsInputs {
    pub fn of(config: &Config) -> PbsInputs {
        PbsInputs {
            n: config.n,
            r: config.r,
            w: config.w,
            latency_ms: config.latency_ms,
            jitter: config.jitter.clone(),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum PbsCurve {
    /// R + W > N: every read quorum holds a replica that acknowledged the
    /// write before it committed, so p = 1 at every t; nothing to simulate.
    Strict {
        n: usize,
        r: usize,
        w: usize,
    },
    Partial(Partial),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Partial {
    /// (t in ms after commit, probability of a consistent read), t rising.
    pub points: Vec<(f64, f64)>,
    /// The t (ms) at which the probability reaches [`TARGET`].
    pub t_target_ms: f64,
    pub p_at_commit: f64,
    pub trials: usize,
}

impl Partial {
    /// The end of the time axis: past the marked point, so the learner sees
    /// the curve flatten out.
    pub fn t_max_ms(&self) -> f64 {
        self.points.last().map_or(FLAT_SPAN_MS, |&(t, _)| t)
    }
}

/// Runs the Monte Carlo for `inputs` with [`trials_for`] them.
pub fn build(inputs: &PbsInputs) -> Result<PbsCurve, String> {
    let quorum = Quorum::new(inputs.n, inputs.r, inputs.w).map_err(|e| e.to_string())?;
    if quorum.is_strict() {
        return Ok(PbsCurve::Strict {
            n: inputs.n,
            r: inputs.r,
            w: inputs.w,
        });
    }
    let wars = match &inputs.jitter {
        Jitter::Dist(d) => Wars {
            w: d.clone(),
            a: d.clone(),
            r: d.clone(),
            s: d.clone(),
            remote_ms: 0.0,
        },
        Jitter::Writes(d) => {
            let none = || Dist::Constant { ms: 0.0 };
            Wars {
                w: d.clone(),
                a: none(),
                r: none(),
                s: none(),
                remote_ms: 0.0,
            }
        }
        Jitter::Preset(p) => {
            pbs::preset(p.name()).ok_or_else(|| format!("no PBS preset named {}", p.name()))?
        }
    };
    let head_start = 2.0 * inputs.latency_ms.max(0.0);
    let staleness = pbs::simulate(&wars, quorum, trials_for(inputs.n, &inputs.jitter), SEED);
    Ok(PbsCurve::Partial(sample_curve(&staleness, head_start)))
}

fn sample_curve(staleness: &Staleness, head_start_ms: f64) -> Partial {
    let t_target_ms = staleness
        .t_visibility(TARGET)
        .map_or(0.0, |t| (t - head_start_ms).max(0.0));
    let span = if t_target_ms > 0.0 {
        t_target_ms * 1.25
    } else {
        FLAT_SPAN_MS
    };
    let points = (0..POINTS)
        .map(|i| {
            let t = span * i as f64 / (POINTS - 1) as f64;
            (t, staleness.p_consistent(t + head_start_ms))
        })
        .collect();
    Partial {
        points,
        t_target_ms,
        p_at_commit: staleness.p_consistent(head_start_ms),
        trials: staleness.trials(),
    }
}

/// Reads counted before a difference from the curve is worth a sentence.
const NOTE_MIN_READS: u64 = 5;
/// Percentage points between the curve and the count that call for one.
const NOTE_GAP: f64 = 10.0;

/// One plain sentence on why the counted stale reads and the curve's
/// prediction differ, when they differ by much.
pub fn disagreement(curve: &PbsCurve, tally: &crate::model::series::Tally) -> Option<String> {
    if tally.reads < NOTE_MIN_READS {
        return None;
    }
    let counted = 100.0 * tally.stale_reads as f64 / tally.reads as f64;
    match curve {
        PbsCurve::Strict { .. } if tally.stale_reads > 0 => {
            let strong = tally
                .by_level
                .iter()
                .find(|l| l.level == "strong")
                .map_or(0, |l| l.stale);
            Some(if strong > 0 && tally.lost_acked_writes > 0 {
                "The curve promises fresh strong reads, yet some were stale: acknowledged writes were lost in a failover, which R + W > N does not prevent when W is not a majority.".into()
            } else {
                "The curve is for strong reads, which R + W > N keeps fresh; the stale reads counted were at weaker levels, which ask one replica whatever R is.".into()
            })
        }
        PbsCurve::Partial(c) => {
            let predicted = 100.0 * (1.0 - c.p_at_commit);
            if counted + NOTE_GAP < predicted {
                Some(format!(
                    "Fewer reads were stale ({counted:.0} %) than the curve's {predicted:.0} % at t = 0: the curve is for a read sent the moment a write commits, and most reads here came later, when fewer replicas lag."
                ))
            } else if counted > predicted + NOTE_GAP {
                Some(format!(
                    "More reads were stale ({counted:.0} %) than the curve's {predicted:.0} % at t = 0: the curve's read asks R replicas at random, while these asked followers, which lag the leader that acknowledged the write."
                ))
            } else {
                None
            }
        }
        PbsCurve::Strict { .. } => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quorum_sim::config::Preset;

    fn exponential(n: usize, r: usize, w: usize, latency_ms: f64) -> PbsInputs {
        PbsInputs {
            n,
            r,
            w,
            latency_ms,
            jitter: Jitter::Dist(Dist::Exponential { rate: 0.1 }),
        }
    }

    fn partial(inputs: &PbsInputs) -> Partial {
        match build(inputs).unwrap() {
            PbsCurve::Partial(p) => p,
            other => panic!("expected a partial quorum curve, got {other:?}"),
        }
    }

    #[test]
    fn bigger_clusters_and_slow_draws_get_fewer_trials() {
        let exp = exponential(1, 1, 1, 0.0).jitter;
        assert_eq!(trials_for(1, &exp), 5_000);
        assert_eq!(trials_for(3, &exp), 4_000);
        assert_eq!(trials_for(9, &exp), 2_000);
        assert_eq!(trials_for(9, &Jitter::Preset(Preset::Wan)), 2_000);
        let lognormal = Jitter::Dist(Dist::Mixture {
            parts: vec![(
                1.0,
                Dist::Lognormal {
                    mu: 1.0,
                    sigma: 1.0,
                },
            )],
        });
        assert_eq!(trials_for(9, &lognormal), 500);
    }

    #[test]
    fn overlapping_quorums_are_consistent_from_commit_on() {
        assert_eq!(
            build(&exponential(3, 2, 2, 0.0)),
            Ok(PbsCurve::Strict { n: 3, r: 2, w: 2 })
        );
    }

    #[test]
    fn a_partial_quorum_under_exponential_latency_rises_with_t() {
        let curve = partial(&exponential(3, 1, 1, 0.0));
        assert!(
            curve.p_at_commit < 0.9,
            "N=3 R=W=1 is often stale at commit: {}",
            curve.p_at_commit
        );
        assert_eq!(curve.points[0], (0.0, curve.p_at_commit));
        assert!(curve.points.windows(2).all(|w| w[0].1 <= w[1].1));
        assert!(curve.points.windows(2).all(|w| w[0].0 < w[1].0));
        let last = curve.points.last().unwrap().1;
        assert!(last >= TARGET, "{last}");
        assert_eq!(
            curve.trials,
            trials_for(3, &exponential(3, 1, 1, 0.0).jitter)
        );
    }

    #[test]
    fn the_marked_t_is_where_the_curve_crosses_the_target() {
        let curve = partial(&exponential(5, 1, 2, 0.0));
        assert!(curve.t_target_ms > 0.0);
        for &(t, p) in &curve.points {
            if t < curve.t_target_ms {
                assert!(p < TARGET, "p({t}) = {p} before {}", curve.t_target_ms);
            } else {
                assert!(p >= TARGET, "p({t}) = {p} after {}", curve.t_target_ms);
            }
        }
        assert!(curve.t_max_ms() > curve.t_target_ms);
    }

    #[test]
    fn base_latency_shifts_the_curve_by_twice_the_base() {
        let fast = partial(&exponential(3, 1, 1, 0.0));
        let slow = partial(&exponential(3, 1, 1, 5.0));
        assert!(slow.p_at_commit > fast.p_at_commit);
        assert!((slow.t_target_ms - (fast.t_target_ms - 10.0)).abs() < 1e-9);
    }

    #[test]
    fn constant_latency_is_never_stale_after_commit() {
        let curve = partial(&PbsInputs {
            jitter: Jitter::default(),
            ..exponential(3, 1, 2, 50.0)
        });
        assert_eq!(curve.p_at_commit, 1.0);
        assert_eq!(curve.t_target_ms, 0.0);
        assert_eq!(curve.t_max_ms(), FLAT_SPAN_MS);
    }

    #[test]
    fn presets_use_their_own_wars_distributions() {
        let ymmr = partial(&PbsInputs {
            jitter: Jitter::Preset(Preset::Ymmr),
            ..exponential(3, 1, 1, 0.0)
        });
        // The paper: 89.3 % consistent at commit for YMMR, N=3, R=W=1.
        assert!(
            (ymmr.p_at_commit - 0.893).abs() < 0.03,
            "{}",
            ymmr.p_at_commit
        );
    }
}

#[cfg(test)]
mod disagreement_tests {
    use super::*;
    use crate::model::series::{LevelReads, Tally};
    use quorum_sim::stats::Stats;

    fn tally(reads: u64, stale: u64, strong_stale: u64, lost: u64) -> Tally {
        Tally {
            reads,
            stale_reads: stale,
            by_level: vec![LevelReads {
                level: "strong",
                reads,
                stale: strong_stale,
            }],
            lost_acked_writes: lost,
            ..Tally::of(&Stats::default())
        }
    }

    #[test]
    fn a_big_gap_gets_its_reason_and_agreement_gets_none() {
        let partial = |p_at_commit| {
            PbsCurve::Partial(Partial {
                points: vec![],
                t_target_ms: 10.0,
                p_at_commit,
                trials: 1,
            })
        };
        let low = disagreement(&partial(0.6), &tally(100, 5, 0, 0)).unwrap();
        assert!(
            low.starts_with("Fewer reads were stale (5 %) than the curve's 40 %"),
            "{low}"
        );
        let high = disagreement(&partial(0.95), &tally(100, 40, 0, 0)).unwrap();
        assert!(high.starts_with("More reads were stale (40 %)"), "{high}");
        assert_eq!(disagreement(&partial(0.7), &tally(100, 28, 0, 0)), None);
        assert_eq!(
            disagreement(&partial(0.1), &tally(3, 0, 0, 0)),
            None,
            "too few reads"
        );
        let strict = PbsCurve::Strict { n: 3, r: 2, w: 2 };
        assert!(disagreement(&strict, &tally(50, 4, 0, 0))
            .unwrap()
            .contains("weaker levels"));
        assert!(disagreement(&strict, &tally(50, 4, 2, 1))
            .unwrap()
            .contains("lost in a failover"));
        assert_eq!(disagreement(&strict, &tally(50, 0, 0, 0)), None);
    }
}
