//! Random fault plans for `quorum run --faults` and the seeded sweeps: one
//! fault at a time (a crash, a partition, a one-way cut or a burst of message
//! loss), each healed before the next begins, so the cluster keeps getting
//! chances to make progress between them.

use crate::msg::NodeId;
use crate::rng::SimRng;
use crate::scenario::{Action, Settings};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Faults {
    None,
    Crash,
    Partition,
    Mixed,
}

impl Faults {
    pub fn parse(name: &str) -> Option<Faults> {
        match name.to_ascii_lowercase().as_str() {
            "none" => Some(Faults::None),
            "crash" => Some(Faults::Crash),
            "partition" => Some(Faults::Partition),
            "mixed" => Some(Faults::Mixed),
            _ => None,
        }
    }
}

fn between(rng: &mut SimRng, lo_ms: u64, hi_ms: u64) -> u64 {
    (lo_ms + rng.below(hi_ms - lo_ms + 1)) * 1000
}

/// Timed actions (µs, nodes numbered from 1) over `[0, duration_us)`.
/// `base_drop` is what a loss burst returns to.
pub fn plan(
    faults: Faults,
    n: usize,
    base_drop: f64,
    duration_us: u64,
    seed: u64,
) -> Vec<(u64, Action)> {
    let mut rng = SimRng::new(seed ^ 0x6368_616f_735f_706c); // "chaos_pl"
    let mut actions = Vec::new();
    if faults == Faults::None {
        return actions;
    }
    let mut t = between(&mut rng, 200, 1000);
    while t < duration_us {
        let length = between(&mut rng, 200, 1500);
        let kind = match faults {
            Faults::Crash => 0,
            Faults::Partition => 1,
            _ => rng.below(4),
        };
        let node = NodeId::at(rng.below(n as u64) as usize);
        match kind {
            0 => {
                actions.push((t, Action::Crash { node }));
                actions.push((t + length, Action::Restart { node }));
            }
            1 | 2 if n > 1 => {
                // A minority (or, half the time for even N, an exact half) cut off.
                let size = 1 + rng.below((n / 2) as u64) as usize;
                let mut nodes: Vec<NodeId> = NodeId::all(n).collect();
                for i in 0..size {
                    let j = i + rng.below((n - i) as u64) as usize;
                    nodes.swap(i, j);
                }
                let (side, rest) = nodes.split_at(size);
                let action = if kind == 1 {
                    Action::Partition {
                        groups: vec![side.to_vec()],
                    }
                } else {
                    Action::Cut {
                        from: side.to_vec(),
                        to: rest.to_vec(),
                    }
                };
                actions.push((t, action));
                actions.push((t + length, Action::Heal));
            }
            _ => {
                let burst = 0.05 + 0.25 * rng.unit();
                let set = |drop| {
                    Action::Set(Settings {
                        drop: Some(drop),
                        ..Settings::default()
                    })
                };
                actions.push((t, set(burst)));
                actions.push((t + length, set(base_drop)));
            }
        }
        t += length + between(&mut rng, 100, 1500);
    }
    actions
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_come_one_at_a_time_and_are_undone() {
        for seed in 0..50 {
            let plan = plan(Faults::Mixed, 5, 0.0, 20_000_000, seed);
            assert!(plan.len() >= 4 && plan.len().is_multiple_of(2));
            for pair in plan.chunks(2) {
                assert!(pair[0].0 < pair[1].0);
                assert!(matches!(
                    pair[1].1,
                    Action::Restart { .. } | Action::Heal | Action::Set(_)
                ));
            }
            assert!(plan.windows(2).all(|w| w[0].0 <= w[1].0));
        }
    }
}
