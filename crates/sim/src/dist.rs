//! Latency distributions, in milliseconds.
//!
//! Sampling uses inverse-transform formulas on [`SimRng`] and `libm`, rather
//! than `rand_distr`, so that a seed draws the same latencies natively and in
//! wasm and across dependency upgrades: the trace hash depends on it.

use crate::read_json::{self, Fields, ReadJson};
use crate::rng::SimRng;
use serde::Serialize;
use std::fmt;

/// Written as an object tagged by `"kind"`; read by hand in
/// [`crate::read_json`].
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Dist {
    /// Always `ms`.
    Constant { ms: f64 },
    /// Uniform in [lo, hi].
    Uniform { lo: f64, hi: f64 },
    /// Exponential with `rate` events per ms (mean 1/rate).
    Exponential { rate: f64 },
    /// Pareto with scale `xm` (the minimum) and shape `alpha`.
    Pareto { xm: f64, alpha: f64 },
    /// exp(N(mu, sigma²)).
    Lognormal { mu: f64, sigma: f64 },
    /// Each part chosen with probability weight / (sum of weights).
    Mixture { parts: Vec<(f64, Dist)> },
}

impl ReadJson for Dist {
    fn read_json(value: serde_json::Value) -> Result<Dist, serde_json::Error> {
        let (kind, f) = Fields::tagged(value, "kind")?;
        Dist::from_fields(&kind, f)
    }
}

impl Dist {
    const KINDS: &'static [&'static str] = &[
        "constant",
        "uniform",
        "exponential",
        "pareto",
        "lognormal",
        "mixture",
    ];

    fn from_fields(kind: &str, f: Fields) -> Result<Dist, serde_json::Error> {
        let two = |mut f: Fields, a, b| -> Result<(f64, f64), serde_json::Error> {
            let pair = (f.req(a)?, f.req(b)?);
            f.end(pair)
        };
        match kind {
            "constant" => {
                let mut f = f.expect(&["ms"]);
                let ms = f.req("ms")?;
                f.end(Dist::Constant { ms })
            }
            "uniform" => {
                two(f.expect(&["lo", "hi"]), "lo", "hi").map(|(lo, hi)| Dist::Uniform { lo, hi })
            }
            "exponential" => {
                let mut f = f.expect(&["rate"]);
                let rate = f.req("rate")?;
                f.end(Dist::Exponential { rate })
            }
            "pareto" => two(f.expect(&["xm", "alpha"]), "xm", "alpha")
                .map(|(xm, alpha)| Dist::Pareto { xm, alpha }),
            "lognormal" => two(f.expect(&["mu", "sigma"]), "mu", "sigma")
                .map(|(mu, sigma)| Dist::Lognormal { mu, sigma }),
            "mixture" => {
                let mut f = f.expect(&["parts"]);
                let parts = f.req("parts")?;
                f.end(Dist::Mixture { parts })
            }
            other => Err(read_json::unknown(other, Dist::KINDS)),
        }
    }
}

/// Why a distribution's parameters make no sense.
#[derive(Clone, Debug, PartialEq)]
pub enum DistError {
    NotPositive { what: &'static str, value: f64 },
    Negative { what: &'static str, value: f64 },
    NotFinite { what: &'static str, value: f64 },
    UniformBounds { lo: f64, hi: f64 },
    EmptyMixture,
}

impl fmt::Display for DistError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DistError::NotPositive { what, value } => {
                write!(f, "{what} must be a positive number, not {value}")
            }
            DistError::Negative { what, value } => {
                write!(f, "{what} must be zero or more, not {value}")
            }
            DistError::NotFinite { what, value } => {
                write!(f, "{what} must be finite, not {value}")
            }
            DistError::UniformBounds { lo, hi } => write!(
                f,
                "the uniform lower bound {lo} is above the upper bound {hi}"
            ),
            DistError::EmptyMixture => f.write_str("a mixture needs at least one part"),
        }
    }
}

impl std::error::Error for DistError {}

// Not inlined: each copy in `validate` costs the page's download.
#[inline(never)]
fn positive(what: &'static str, value: f64) -> Result<(), DistError> {
    if value.is_finite() && value > 0.0 {
        Ok(())
    } else {
        Err(DistError::NotPositive { what, value })
    }
}

#[inline(never)]
fn non_negative(what: &'static str, value: f64) -> Result<(), DistError> {
    if value.is_finite() && value >= 0.0 {
        Ok(())
    } else {
        Err(DistError::Negative { what, value })
    }
}

impl Dist {
    pub fn validate(&self) -> Result<(), DistError> {
        match self {
            Dist::Constant { ms } => non_negative("a constant latency", *ms),
            Dist::Uniform { lo, hi } => {
                non_negative("the uniform lower bound", *lo)?;
                non_negative("the uniform upper bound", *hi)?;
                if lo > hi {
                    return Err(DistError::UniformBounds { lo: *lo, hi: *hi });
                }
                Ok(())
            }
            Dist::Exponential { rate } => positive("an exponential rate", *rate),
            Dist::Pareto { xm, alpha } => {
                positive("the Pareto scale", *xm)?;
                positive("the Pareto shape", *alpha)
            }
            Dist::Lognormal { mu, sigma } => {
                if !mu.is_finite() {
                    return Err(DistError::NotFinite {
                        what: "the lognormal mu",
                        value: *mu,
                    });
                }
                non_negative("the lognormal sigma", *sigma)
            }
            Dist::Mixture { parts } => {
                if parts.is_empty() {
                    return Err(DistError::EmptyMixture);
                }
                for (weight, part) in parts {
                    positive("a mixture weight", *weight)?;
                    part.validate()?;
                }
                Ok(())
            }
        }
    }

    /// One draw, in ms; never negative for a valid distribution.
    pub fn sample(&self, rng: &mut SimRng) -> f64 {
        match self {
            Dist::Constant { ms } => *ms,
            Dist::Uniform { lo, hi } => lo + (hi - lo) * rng.unit(),
            Dist::Exponential { rate } => -libm::log(rng.unit_open0()) / rate,
            Dist::Pareto { xm, alpha } => xm / libm::pow(rng.unit_open0(), 1.0 / alpha),
            Dist::Lognormal { mu, sigma } => libm::exp(mu + sigma * standard_normal(rng)),
            Dist::Mixture { parts } => {
                let total: f64 = parts.iter().map(|(w, _)| w).sum();
                let mut pick = rng.unit() * total;
                for (weight, part) in parts {
                    if pick < *weight {
                        return part.sample(rng);
                    }
                    pick -= weight;
                }
                // Rounding left `pick` a hair above the last weight.
                parts[parts.len() - 1].1.sample(rng)
            }
        }
    }

    /// The mean in ms, or infinity where it does not exist (Pareto, alpha <= 1).
    pub fn mean(&self) -> f64 {
        match self {
            Dist::Constant { ms } => *ms,
            Dist::Uniform { lo, hi } => (lo + hi) / 2.0,
            Dist::Exponential { rate } => 1.0 / rate,
            Dist::Pareto { xm, alpha } if *alpha > 1.0 => alpha * xm / (alpha - 1.0),
            Dist::Pareto { .. } => f64::INFINITY,
            Dist::Lognormal { mu, sigma } => libm::exp(mu + sigma * sigma / 2.0),
            Dist::Mixture { parts } => {
                let total: f64 = parts.iter().map(|(w, _)| w).sum();
                parts.iter().map(|(w, d)| w / total * d.mean()).sum()
            }
        }
    }
}

/// Box–Muller; one of the pair is discarded to keep the draw count per sample
/// fixed, which keeps traces easy to reason about.
fn standard_normal(rng: &mut SimRng) -> f64 {
    let u1 = rng.unit_open0();
    let u2 = rng.unit();
    libm::sqrt(-2.0 * libm::log(u1)) * libm::cos(2.0 * std::f64::consts::PI * u2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample_mean(d: &Dist, n: usize) -> f64 {
        let mut rng = SimRng::new(7);
        (0..n).map(|_| d.sample(&mut rng)).sum::<f64>() / n as f64
    }

    #[test]
    fn sample_means_match_the_formulas() {
        let cases = [
            Dist::Constant { ms: 3.0 },
            Dist::Uniform { lo: 2.0, hi: 6.0 },
            Dist::Exponential { rate: 0.5 },
            Dist::Pareto {
                xm: 1.0,
                alpha: 3.0,
            },
            Dist::Lognormal {
                mu: 0.5,
                sigma: 0.4,
            },
            Dist::Mixture {
                parts: vec![
                    (1.0, Dist::Constant { ms: 1.0 }),
                    (3.0, Dist::Constant { ms: 5.0 }),
                ],
            },
        ];
        for d in cases {
            let got = sample_mean(&d, 200_000);
            let want = d.mean();
            assert!(
                (got - want).abs() <= 0.02 * want.max(1.0),
                "{d:?}: sample mean {got}, formula {want}"
            );
        }
    }

    #[test]
    fn samples_are_never_negative() {
        let mut rng = SimRng::new(1);
        let d = Dist::Lognormal {
            mu: -3.0,
            sigma: 2.0,
        };
        assert!((0..10_000).all(|_| d.sample(&mut rng) >= 0.0));
    }

    #[test]
    fn invalid_parameters_are_named() {
        let e = Dist::Uniform { lo: 5.0, hi: 1.0 }.validate().unwrap_err();
        assert_eq!(e, DistError::UniformBounds { lo: 5.0, hi: 1.0 });
        assert_eq!(
            e.to_string(),
            "the uniform lower bound 5 is above the upper bound 1"
        );
        assert!(Dist::Exponential { rate: 0.0 }.validate().is_err());
        assert!(Dist::Pareto {
            xm: 1.0,
            alpha: f64::NAN
        }
        .validate()
        .is_err());
        assert!(Dist::Mixture { parts: vec![] }.validate().is_err());
    }

    #[test]
    fn same_seed_same_draws() {
        let d = Dist::Pareto {
            xm: 0.5,
            alpha: 1.5,
        };
        let (mut a, mut b) = (SimRng::new(42), SimRng::new(42));
        for _ in 0..100 {
            assert_eq!(d.sample(&mut a).to_bits(), d.sample(&mut b).to_bits());
        }
    }
}
