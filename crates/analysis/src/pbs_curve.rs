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

use crate::errors::PbsError;
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

/// What the curve depends on, and nothing else: the memo key, and the
/// request the worker gets.
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

    /// The settings these come from, for the trip to the worker in the
    /// scenario format's config.
    pub fn config(&self) -> Config {
        Config {
            n: self.n,
            r: self.r,
            w: self.w,
            latency_ms: self.latency_ms,
            jitter: self.jitter.clone(),
            ..Config::default()
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

impl PbsCurve {
    /// As numbers for the trip back from the worker: `[n, r, w]` for a
    /// strict quorum; `[t_target, p_at_commit, trials, t0, p0, t1, p1, …]`
    /// for a partial one. [`PbsCurve::from_numbers`] reads them back.
    pub fn to_numbers(&self) -> (&'static str, Vec<f64>) {
        match self {
            PbsCurve::Strict { n, r, w } => ("strict", vec![*n as f64, *r as f64, *w as f64]),
            PbsCurve::Partial(c) => {
                let mut out = vec![c.t_target_ms, c.p_at_commit, c.trials as f64];
                out.extend(c.points.iter().flat_map(|&(t, p)| [t, p]));
                ("partial", out)
            }
        }
    }

    pub fn from_numbers(tag: &str, numbers: &[f64]) -> Option<PbsCurve> {
        match (tag, numbers) {
            ("strict", &[n, r, w]) => Some(PbsCurve::Strict {
                n: n as usize,
                r: r as usize,
                w: w as usize,
            }),
            ("partial", [t_target_ms, p_at_commit, trials, points @ ..])
                if points.len() % 2 == 0 =>
            {
                Some(PbsCurve::Partial(Partial {
                    points: points.chunks(2).map(|tp| (tp[0], tp[1])).collect(),
                    t_target_ms: *t_target_ms,
                    p_at_commit: *p_at_commit,
                    trials: *trials as usize,
                }))
            }
            _ => None,
        }
    }
}

/// Runs the Monte Carlo for `inputs` with [`trials_for`] them.
pub fn build(inputs: &PbsInputs) -> Result<PbsCurve, PbsError> {
    let quorum = Quorum::new(inputs.n, inputs.r, inputs.w).map_err(PbsError::Quorum)?;
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
        Jitter::Preset(p) => pbs::preset(p.name()).ok_or(PbsError::Preset(p.name()))?,
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
