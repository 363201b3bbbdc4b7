//! The jitter a learner picks: a distribution shape and one "spread" in ms,
//! which is that distribution's mean (so shapes compare at equal averages),
//! applied to every message or only to the disk writes of replication, or
//! one of the PBS paper's measured production models.

use quorum_sim::config::{Jitter, Preset};
use quorum_sim::dist::Dist;

pub const JITTER_DEFAULT_SPREAD_MS: f64 = 20.0;

/// Pareto shape for the long-tail choice: heavy enough that rare messages
/// arrive many times later than the rest, light enough that the mean exists.
const PARETO_ALPHA: f64 = 1.5;
/// Lognormal sigma: a moderately skewed body with a real tail.
const LOGNORMAL_SIGMA: f64 = 1.0;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JitterKind {
    None,
    /// Exponential, on messages that carry data to store only: the
    /// replica's disk write (the default network).
    Disk,
    Uniform,
    Exponential,
    Pareto,
    Lognormal,
    Preset(Preset),
}

impl JitterKind {
    pub const ALL: [JitterKind; 10] = [
        JitterKind::Disk,
        JitterKind::None,
        JitterKind::Uniform,
        JitterKind::Exponential,
        JitterKind::Pareto,
        JitterKind::Lognormal,
        JitterKind::Preset(Preset::LnkdSsd),
        JitterKind::Preset(Preset::LnkdDisk),
        JitterKind::Preset(Preset::Ymmr),
        JitterKind::Preset(Preset::Wan),
    ];

    /// Stable identifier, for the select element's values.
    pub fn id(self) -> &'static str {
        match self {
            JitterKind::None => "none",
            JitterKind::Disk => "disk",
            JitterKind::Uniform => "uniform",
            JitterKind::Exponential => "exponential",
            JitterKind::Pareto => "pareto",
            JitterKind::Lognormal => "lognormal",
            JitterKind::Preset(p) => p.name(),
        }
    }

    pub fn from_id(id: &str) -> Option<JitterKind> {
        JitterKind::ALL.into_iter().find(|k| k.id() == id)
    }

    pub fn label(self) -> &'static str {
        match self {
            JitterKind::None => "None",
            JitterKind::Disk => "Disk writes (exponential, replication only)",
            JitterKind::Uniform => "Uniform",
            JitterKind::Exponential => "Exponential",
            JitterKind::Pareto => "Pareto (long tail)",
            JitterKind::Lognormal => "Lognormal",
            JitterKind::Preset(Preset::LnkdSsd) => "PBS: LinkedIn, SSD",
            JitterKind::Preset(Preset::LnkdDisk) => "PBS: LinkedIn, disk",
            JitterKind::Preset(Preset::Ymmr) => "PBS: Yammer",
            JitterKind::Preset(Preset::Wan) => "PBS: wide-area network",
        }
    }

    /// Whether the spread slider means anything for this choice.
    pub fn has_spread(self) -> bool {
        !matches!(self, JitterKind::None | JitterKind::Preset(_))
    }

    pub fn jitter(self, mean_ms: f64) -> Jitter {
        let dist = match self {
            JitterKind::None => Dist::Constant { ms: 0.0 },
            JitterKind::Uniform => Dist::Uniform {
                lo: 0.0,
                hi: 2.0 * mean_ms,
            },
            JitterKind::Exponential => Dist::Exponential {
                rate: 1.0 / mean_ms,
            },
            JitterKind::Pareto => Dist::Pareto {
                xm: mean_ms * (PARETO_ALPHA - 1.0) / PARETO_ALPHA,
                alpha: PARETO_ALPHA,
            },
            JitterKind::Lognormal => Dist::Lognormal {
                mu: mean_ms.ln() - LOGNORMAL_SIGMA * LOGNORMAL_SIGMA / 2.0,
                sigma: LOGNORMAL_SIGMA,
            },
            JitterKind::Disk => {
                return Jitter::Writes(Dist::Exponential {
                    rate: 1.0 / mean_ms,
                })
            }
            JitterKind::Preset(p) => return Jitter::Preset(p),
        };
        Jitter::Dist(dist)
    }

    /// The choice and spread that produce `jitter`, when it is one this page
    /// can produce (a scenario written by hand may hold any distribution).
    pub fn of(jitter: &Jitter) -> Option<(JitterKind, f64)> {
        match jitter {
            Jitter::Preset(p) => Some((JitterKind::Preset(*p), JITTER_DEFAULT_SPREAD_MS)),
            Jitter::Dist(Dist::Constant { ms }) if *ms == 0.0 => {
                Some((JitterKind::None, JITTER_DEFAULT_SPREAD_MS))
            }
            Jitter::Dist(d) | Jitter::Writes(d) => {
                let mean = d.mean();
                JitterKind::ALL
                    .into_iter()
                    .filter(|k| k.has_spread())
                    .find(|k| k.jitter(mean) == *jitter)
                    .map(|k| (k, mean))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shape_has_the_spread_as_its_mean() {
        for kind in JitterKind::ALL.into_iter().filter(|k| k.has_spread()) {
            let (Jitter::Dist(d) | Jitter::Writes(d)) = kind.jitter(30.0) else {
                panic!("{kind:?} is a distribution")
            };
            assert!(d.validate().is_ok(), "{kind:?}");
            assert!(
                (d.mean() - 30.0).abs() < 1e-9,
                "{kind:?}: mean {}",
                d.mean()
            );
        }
    }

    #[test]
    fn choices_round_trip_through_their_jitter() {
        for kind in JitterKind::ALL {
            let (back, spread) = JitterKind::of(&kind.jitter(40.0)).expect("recognised");
            assert_eq!(back, kind);
            if kind.has_spread() {
                assert!((spread - 40.0).abs() < 1e-9);
            }
            assert_eq!(JitterKind::from_id(kind.id()), Some(kind));
        }
    }
}
