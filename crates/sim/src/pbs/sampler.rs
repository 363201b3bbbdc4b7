//! A [`Dist`] flattened for the Monte Carlo inner loop.
//!
//! A million trials draw twelve million latencies. Through [`Dist::sample`]
//! each costs a whole `u64` from ChaCha, a logarithm, and for the Pareto
//! presets a `pow` too: several times the 100 ms budget. So here:
//! * every `u64` is split into two 32-bit uniforms;
//! * exponentials come from Marsaglia and Tsang's ziggurat (2000), which
//!   needs no logarithm in 98.9 % of draws;
//! * a Pareto(x_m, α) is `x_m · exp(E / α)` with E exponential, and that
//!   `exp` is a 256-entry table of 2^(j/256) and a degree-5 polynomial on
//!   the remainder (within a few ulp), not `libm::exp`, which dominated a
//!   Pareto-preset run (README, "Benchmarks": why some code is by hand).
//!
//! 32-bit uniforms cut the far tail at probability about 2⁻³², invisible at
//! any trial count a run can afford. The engine keeps using
//! [`Dist::sample`], whose draws must stay the same across versions; these
//! need only be the same across platforms (hence `libm`).

use crate::dist::Dist;
use crate::rng::SimRng;
use rand_core::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

#[derive(Clone, Debug)]
pub(super) enum Part {
    Constant(f64),
    Uniform {
        lo: f64,
        width: f64,
    },
    Exponential {
        mean: f64,
    },
    Pareto {
        xm: f64,
        inv_alpha: f64,
    },
    /// No cheap transform of an exponential: drawn through [`Dist::sample`].
    Other(Dist),
}

/// A distribution ready to draw from: the common case of one part is kept
/// apart so that its draw is a single match, not a walk over the mixture.
#[derive(Clone, Debug)]
pub(super) enum Sampler {
    Single(Part),
    /// The parts, each with the cumulative probability up to and including
    /// it.
    Mixture(Vec<(f64, Part)>),
}

impl Sampler {
    pub(super) fn new(dist: &Dist) -> Sampler {
        let mut parts = Vec::new();
        flatten(dist, 1.0, &mut parts);
        if parts.len() == 1 {
            return Sampler::Single(parts.remove(0).1);
        }
        let total: f64 = parts.iter().map(|(w, _)| w).sum();
        let mut cumulative = 0.0;
        for (weight, _) in &mut parts {
            cumulative += *weight / total;
            *weight = cumulative;
        }
        Sampler::Mixture(parts)
    }

    /// Fills `out` with independent draws, one distribution at a time so
    /// that the loop is a tight one. Each random `u64` gives two draws of a
    /// single part; for a mixture, its low half picks the part and its high
    /// half starts the part's draw.
    pub(super) fn fill(&self, out: &mut [f64], src: &mut Source) {
        match self {
            Sampler::Single(part) => {
                let mut pairs = out.chunks_exact_mut(2);
                for pair in &mut pairs {
                    let x = src.rng.next_u64();
                    pair[0] = part.draw(x as u32, src);
                    pair[1] = part.draw((x >> 32) as u32, src);
                }
                for draw in pairs.into_remainder() {
                    let bits = src.bits();
                    *draw = part.draw(bits, src);
                }
            }
            Sampler::Mixture(parts) => {
                for draw in out {
                    let x = src.rng.next_u64();
                    let pick = unit(x as u32);
                    // The last part takes whatever rounding left above its
                    // bound.
                    let i = parts[..parts.len() - 1]
                        .iter()
                        .take_while(|(upto, _)| pick > *upto)
                        .count();
                    *draw = parts[i].1.draw((x >> 32) as u32, src);
                }
            }
        }
    }
}

impl Part {
    /// A draw of this part, starting from 32 random bits.
    #[inline]
    fn draw(&self, bits: u32, src: &mut Source) -> f64 {
        match self {
            Part::Constant(ms) => *ms,
            Part::Uniform { lo, width } => lo + width * unit(bits),
            Part::Exponential { mean } => mean * src.exponential(bits),
            Part::Pareto { xm, inv_alpha } => {
                let e = src.exponential(bits);
                xm * src.exp(e * inv_alpha)
            }
            Part::Other(dist) => dist.sample(&mut src.slow),
        }
    }
}

/// Uniform in [0, 1) from 32 random bits.
fn unit(bits: u32) -> f64 {
    f64::from(bits) * (1.0 / 4_294_967_296.0)
}

fn flatten(dist: &Dist, weight: f64, out: &mut Vec<(f64, Part)>) {
    let part = match *dist {
        Dist::Constant { ms } => Part::Constant(ms),
        Dist::Uniform { lo, hi } => Part::Uniform { lo, width: hi - lo },
        Dist::Exponential { rate } => Part::Exponential { mean: 1.0 / rate },
        Dist::Pareto { xm, alpha } => Part::Pareto {
            xm,
            inv_alpha: 1.0 / alpha,
        },
        Dist::Lognormal { .. } => Part::Other(dist.clone()),
        Dist::Mixture { ref parts } => {
            let total: f64 = parts.iter().map(|(w, _)| w).sum();
            for (w, d) in parts {
                flatten(d, weight * w / total, out);
            }
            return;
        }
    };
    out.push((weight, part));
}

/// Layers of the exponential ziggurat.
const LAYERS: usize = 256;
/// Where the base layer's tail begins, and each layer's area, for 256
/// layers (Marsaglia and Tsang, "The Ziggurat Method for Generating Random
/// Variables", 2000).
const TAIL_START: f64 = 7.697_117_470_131_05;
const LAYER_AREA: f64 = 3.949_659_822_581_572e-3;

/// The random source of a simulation: 32-bit uniforms and exponentials.
///
/// Draws come from Xoshiro256++ seeded from the simulation's [`SimRng`]:
/// a Monte Carlo estimate needs a fast, specified stream, not ChaCha's
/// cryptographic strength, and ChaCha8 was most of the cost of a trial.
pub(super) struct Source {
    rng: Xoshiro256PlusPlus,
    /// For the shapes without a fast path here, drawn by `Dist::sample`.
    slow: SimRng,
    /// Right edge of each layer, decreasing from the base; `x[LAYERS]` = 0.
    x: [f64; LAYERS + 1],
    /// exp(−x): each layer's lower edge in height.
    f: [f64; LAYERS + 1],
    /// 2^(j/256) for j in 0..256.
    exp2_fraction: [f64; 256],
}

impl Source {
    pub(super) fn new(rng: &mut SimRng) -> Self {
        let mut x = [0.0; LAYERS + 1];
        x[0] = LAYER_AREA * libm::exp(TAIL_START);
        x[1] = TAIL_START;
        for i in 1..LAYERS - 1 {
            x[i + 1] = -libm::log(LAYER_AREA / x[i] + libm::exp(-x[i]));
        }
        let f = x.map(|xi| libm::exp(-xi));
        let exp2_fraction = std::array::from_fn(|j| libm::exp2(j as f64 / 256.0));
        Source {
            rng: Xoshiro256PlusPlus::seed_from_u64(rng.next_u64()),
            slow: SimRng::new(rng.next_u64()),
            x,
            f,
            exp2_fraction,
        }
    }

    /// 32 random bits, for the rare draws outside [`Sampler::fill`]'s loops.
    fn bits(&mut self) -> u32 {
        (self.rng.next_u64() >> 32) as u32
    }

    fn uniform(&mut self) -> f64 {
        unit(self.bits())
    }

    /// Uniform integer in [0, n).
    pub(super) fn below(&mut self, n: usize) -> usize {
        ((u64::from(self.bits()) * n as u64) >> 32) as usize
    }

    /// e^y for y >= 0: e^y = 2^k · 2^(j/256) · e^r, |r| <= ln 2 / 512.
    fn exp(&self, y: f64) -> f64 {
        // Adding 1.5 · 2^52 rounds to an integer held in the low mantissa
        // bits: cheaper than a float-to-int conversion.
        const ROUND: f64 = 6_755_399_441_055_744.0;
        const STEPS_PER_UNIT: f64 = 256.0 / std::f64::consts::LN_2;
        // ln 2 / 256 in two parts (fdlibm's split of ln 2, scaled by a power
        // of two, so exactly): n · STEP_HI is exact for every n used here.
        const STEP_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000) / 256.0;
        const STEP_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76) / 256.0;
        if y.is_nan() || y >= 700.0 {
            return f64::MAX;
        }
        let shifted = y * STEPS_PER_UNIT + ROUND;
        let n = shifted.to_bits() & 0xf_ffff_ffff;
        let nf = shifted - ROUND;
        let r = (y - nf * STEP_HI) - nf * STEP_LO;
        // Taylor to r^5: the next term is below 2^-60 for |r| <= ln 2 / 512.
        let e_r =
            1.0 + r * (1.0 + r * (0.5 + r * (1.0 / 6.0 + r * (1.0 / 24.0 + r * (1.0 / 120.0)))));
        let two_k = f64::from_bits(((n >> 8) + 1023) << 52);
        two_k * self.exp2_fraction[(n & 255) as usize] * e_r
    }

    /// Exponential with mean 1, starting from 32 random bits.
    #[inline]
    fn exponential(&mut self, bits: u32) -> f64 {
        let (i, x) = self.layer(bits);
        if x < self.x[i + 1] {
            x
        } else {
            self.exponential_outside(i, x)
        }
    }

    /// The 2.2 % of ziggurat draws that fall outside a layer's rectangle:
    /// the tail past the base layer, or a wedge test, or a fresh draw.
    #[cold]
    #[inline(never)]
    fn exponential_outside(&mut self, i: usize, x: f64) -> f64 {
        if i == 0 {
            // Memorylessness: past the base layer's rectangle the tail is
            // the start plus a fresh exponential.
            return TAIL_START - libm::log(1.0 - self.uniform());
        }
        let height = self.f[i] + (self.f[i + 1] - self.f[i]) * self.uniform();
        // height < e^−x, with the table exponential: `libm::exp` made these
        // draws a tenth of the whole run.
        if height * self.exp(x) < 1.0 {
            return x;
        }
        let bits = self.bits();
        self.exponential(bits)
    }

    /// A ziggurat layer and a point under its full width: 8 bits pick the
    /// layer, 24 place the point.
    #[inline]
    fn layer(&self, bits: u32) -> (usize, f64) {
        let i = (bits & 0xff) as usize;
        (i, f64::from(bits >> 8) * (1.0 / 16_777_216.0) * self.x[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast path must draw from the same distribution as `Dist::sample`.
    /// 200,000 draws each: means agree within 2 % and 99th percentiles
    /// within 5 %, both over 5 standard errors for these cases.
    #[test]
    fn agrees_with_dist_sample() {
        let cases = [
            Dist::Constant { ms: 3.0 },
            Dist::Uniform { lo: 2.0, hi: 6.0 },
            Dist::Exponential { rate: 0.5 },
            Dist::Pareto {
                xm: 1.0,
                alpha: 4.0,
            },
            Dist::Lognormal {
                mu: 0.5,
                sigma: 0.4,
            },
            Dist::Mixture {
                parts: vec![
                    (
                        3.0,
                        Dist::Pareto {
                            xm: 0.5,
                            alpha: 5.0,
                        },
                    ),
                    (
                        1.0,
                        Dist::Mixture {
                            parts: vec![
                                (1.0, Dist::Exponential { rate: 0.2 }),
                                (1.0, Dist::Constant { ms: 9.0 }),
                            ],
                        },
                    ),
                ],
            },
        ];
        let n = 200_000;
        for dist in cases {
            let sampler = Sampler::new(&dist);
            let mut rng = SimRng::new(3);
            let mut fast = vec![0.0; n];
            sampler.fill(&mut fast, &mut Source::new(&mut rng));
            let mut slow: Vec<f64> = (0..n).map(|_| dist.sample(&mut rng)).collect();
            for v in [&mut fast, &mut slow] {
                v.sort_by(f64::total_cmp);
            }
            let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
            let (a, b) = (mean(&fast), mean(&slow));
            assert!(
                (a - b).abs() <= 0.02 * b.max(1.0),
                "{dist:?}: means {a} vs {b}"
            );
            let q = n * 99 / 100;
            let (a, b) = (fast[q], slow[q]);
            assert!(
                (a - b).abs() <= 0.05 * b.max(1.0),
                "{dist:?}: 99th percentiles {a} vs {b}"
            );
        }
    }

    #[test]
    fn table_exp_matches_libm() {
        let mut rng = SimRng::new(1);
        let src = Source::new(&mut rng);
        for i in 0..100_000 {
            let y = f64::from(i) * 0.006_9;
            let (got, want) = (src.exp(y), libm::exp(y));
            assert!(
                (got - want).abs() <= 1e-15 * want,
                "exp({y}) = {got}, want {want}"
            );
        }
    }

    /// The ziggurat's exponential against the exact survival function
    /// P(E > x) = e^−x, at points from the body into the tail layer, with
    /// 1,000,000 draws: 5 binomial standard errors.
    #[test]
    fn ziggurat_matches_the_exponential_cdf() {
        let mut rng = SimRng::new(11);
        let mut src = Source::new(&mut rng);
        let n = 1_000_000;
        let draws: Vec<f64> = (0..n)
            .map(|_| {
                let bits = src.bits();
                src.exponential(bits)
            })
            .collect();
        for x in [0.01, 0.1, 0.5, 1.0, 2.0, 4.0, 7.0, 8.0, 10.0] {
            let above = draws.iter().filter(|&&d| d > x).count() as f64 / n as f64;
            let p = libm::exp(-x);
            let se = (p * (1.0 - p) / n as f64).sqrt();
            assert!(
                (above - p).abs() <= 5.0 * se + 1e-6,
                "P(E > {x}) = {above}, want {p}"
            );
        }
    }
}
