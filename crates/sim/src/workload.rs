//! The workload generator's settings and draws: how often clients act, what
//! they do, on which keys, at which level, against which node.

use crate::errors::{OutOfRange, WorkloadError};
use crate::kv::{Level, Text};
use crate::msg::NodeId;
use crate::read_json::{self, Fields, ReadJson};
use crate::rng::SimRng;
use serde::Serialize;
use serde_json::{Error, Value};
use std::fmt;

/// Which node a client sends its operations to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    /// Client i talks to node i mod N: learners poke every node.
    #[default]
    Spread,
    /// Every client talks to one node.
    Node(NodeId),
    /// A node drawn per operation.
    Random,
}

impl ReadJson for Target {
    /// `"spread"`, `"random"` or `{"node": 2}`, as serde writes them.
    fn read_json(value: Value) -> Result<Target, Error> {
        const NAMES: &[&str] = &["spread", "node", "random"];
        match value {
            Value::Object(_) => {
                let (name, node) = Fields::of(value, NAMES)?.single()?;
                match name.as_str() {
                    "node" => NodeId::read_json(node)
                        .map(Target::Node)
                        .map_err(|e| serde::de::Error::custom(format!("node: {e}"))),
                    other => Err(read_json::unknown(other, &["node"])),
                }
            }
            other => match read_json::variant(other, NAMES)? {
                0 => Ok(Target::Spread),
                2 => Ok(Target::Random),
                _ => Err(serde::de::Error::custom(
                    "node: a node number is needed, as {\"node\": 1}",
                )),
            },
        }
    }
}

/// The workload's clients are numbered from here: the numbers below are left
/// to clients that scenarios and people drive by hand (the course's Client 1
/// and Client 2), so the two never share a session.
pub const FIRST_CLIENT: u32 = 1001;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Workload {
    pub clients: u32,
    /// Offered load over all clients. Each client waits for its operation's
    /// answer, then thinks an exponential time of mean clients / rate.
    pub ops_per_sec: f64,
    /// Stop after this many operations (0: never).
    pub ops: u64,
    pub read_fraction: f64,
    /// Of the remaining (non-read) operations, the share that are deletes.
    pub delete_fraction: f64,
    pub keys: u32,
    /// Zipf exponent of key popularity: 0 is uniform, 1 is classic Zipf.
    pub key_skew: f64,
    /// Weights of the read levels.
    pub levels: Vec<(Level, f64)>,
    pub target: Target,
    /// Send writes to the leader a 503 named, as a real client library would;
    /// off, every write goes to the client's own node and followers answer 503.
    pub follow_leader: bool,
}

impl Default for Workload {
    fn default() -> Self {
        Workload {
            clients: 3,
            ops_per_sec: 20.0,
            ops: 0,
            read_fraction: 0.5,
            delete_fraction: 0.1,
            keys: 4,
            key_skew: 0.0,
            levels: vec![(Level::Eventual, 1.0)],
            target: Target::Spread,
            follow_leader: true,
        }
    }
}

impl ReadJson for Workload {
    /// Every field may be left out: it then keeps its default.
    fn read_json(value: Value) -> Result<Workload, Error> {
        let mut f = Fields::of(
            value,
            &[
                "clients",
                "ops_per_sec",
                "ops",
                "read_fraction",
                "delete_fraction",
                "keys",
                "key_skew",
                "levels",
                "target",
                "follow_leader",
            ],
        )?;
        let d = Workload::default();
        let workload = Workload {
            clients: f.or("clients", d.clients)?,
            ops_per_sec: f.or("ops_per_sec", d.ops_per_sec)?,
            ops: f.or("ops", d.ops)?,
            read_fraction: f.or("read_fraction", d.read_fraction)?,
            delete_fraction: f.or("delete_fraction", d.delete_fraction)?,
            keys: f.or("keys", d.keys)?,
            key_skew: f.or("key_skew", d.key_skew)?,
            levels: f.or("levels", d.levels)?,
            target: f.or("target", d.target)?,
            follow_leader: f.or("follow_leader", d.follow_leader)?,
        };
        f.end(workload)
    }
}

impl Workload {
    pub fn validate(&self, n: usize) -> Result<(), WorkloadError> {
        let range =
            |what, lo: &dyn fmt::Display, hi: &dyn fmt::Display, value: &dyn fmt::Display| {
                Err(WorkloadError::Range(Box::new(OutOfRange::new(
                    what, lo, hi, value,
                ))))
            };
        let fraction = |what, x: f64| {
            if (0.0..=1.0).contains(&x) {
                Ok(())
            } else {
                range(what, &0, &1, &x)
            }
        };
        if !(1..=1000).contains(&self.clients) {
            return range("clients", &1, &1000, &self.clients);
        }
        if !(self.ops_per_sec.is_finite() && self.ops_per_sec > 0.0 && self.ops_per_sec <= 1e6) {
            return Err(WorkloadError::Rate(self.ops_per_sec));
        }
        fraction("read_fraction", self.read_fraction)?;
        fraction("delete_fraction", self.delete_fraction)?;
        if !(1..=100_000).contains(&self.keys) {
            return range("keys", &1, &100_000, &self.keys);
        }
        if !(self.key_skew.is_finite() && (0.0..=5.0).contains(&self.key_skew)) {
            return range("key_skew", &0, &5, &self.key_skew);
        }
        if self.levels.is_empty()
            || self
                .levels
                .iter()
                .any(|(_, w)| !(w.is_finite() && *w > 0.0))
        {
            return Err(WorkloadError::NoLevels);
        }
        if let Target::Node(k) = self.target {
            if !k.is_in(n) {
                return range("target node", &1, &format!("N = {n}"), &k.number());
            }
        }
        Ok(())
    }
}

/// What the next operation is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Draw {
    Read(Level),
    Write,
    Delete,
}

/// A validated workload with its cumulative tables precomputed.
#[derive(Clone, Debug)]
pub struct Generator {
    pub spec: Workload,
    key_cdf: Vec<f64>,
    level_cdf: Vec<(f64, Level)>,
    pub issued: u64,
}

fn cdf<T: Copy>(weights: impl Iterator<Item = (f64, T)>) -> Vec<(f64, T)> {
    let mut total = 0.0;
    let mut out: Vec<(f64, T)> = weights
        .map(|(w, t)| {
            total += w;
            (total, t)
        })
        .collect();
    for (c, _) in &mut out {
        *c /= total;
    }
    out
}

fn pick<T: Copy>(table: &[(f64, T)], rng: &mut SimRng) -> T {
    let u = rng.unit();
    let at = table.partition_point(|(c, _)| *c <= u).min(table.len() - 1);
    table[at].1
}

impl Generator {
    pub fn new(spec: Workload) -> Generator {
        let skew = spec.key_skew;
        let keys = cdf((0..spec.keys).map(|k| (1.0 / libm::pow(k as f64 + 1.0, skew), ())));
        let level_cdf = cdf(spec.levels.iter().map(|&(l, w)| (w, l)));
        Generator {
            key_cdf: keys.into_iter().map(|(c, ())| c).collect(),
            level_cdf,
            spec,
            issued: 0,
        }
    }

    pub fn exhausted(&self) -> bool {
        self.spec.ops > 0 && self.issued >= self.spec.ops
    }

    /// Microseconds until a client's next operation.
    pub fn think_us(&self, rng: &mut SimRng) -> u64 {
        let mean_s = self.spec.clients as f64 / self.spec.ops_per_sec;
        (-libm::log(rng.unit_open0()) * mean_s * 1e6).round() as u64
    }

    pub fn key(&self, rng: &mut SimRng) -> u32 {
        let u = rng.unit();
        (self
            .key_cdf
            .partition_point(|&c| c <= u)
            .min(self.key_cdf.len() - 1)) as u32
    }

    pub fn op(&self, rng: &mut SimRng) -> Draw {
        if rng.chance(self.spec.read_fraction) {
            Draw::Read(pick(&self.level_cdf, rng))
        } else if rng.chance(self.spec.delete_fraction) {
            Draw::Delete
        } else {
            Draw::Write
        }
    }
}

/// The value a workload client writes with its `seq`-th write:
/// `c<client>-<seq>`, unique per client and so per key, which is how the
/// checker tells writes apart. Digits are laid out by hand: `format!` was
/// a measurable share of a simulated run (README, "Benchmarks").
pub fn written_value(client: u32, seq: u64) -> Text {
    fn digits(mut n: u64, buf: &mut [u8], end: &mut usize) {
        loop {
            *end -= 1;
            buf[*end] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                return;
            }
        }
    }
    // "c" + 10 digits + "-" + 20 digits.
    let mut buf = [0u8; 32];
    let mut end = buf.len();
    digits(seq, &mut buf, &mut end);
    end -= 1;
    buf[end] = b'-';
    digits(u64::from(client), &mut buf, &mut end);
    end -= 1;
    buf[end] = b'c';
    Text::from(std::str::from_utf8(&buf[end..]).expect("ASCII digits"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_values_read_client_dash_seq() {
        for (client, seq) in [
            (0, 0),
            (1001, 1),
            (7, 10),
            (u32::MAX, u64::MAX),
            (42, 1_000_000),
        ] {
            assert_eq!(&*written_value(client, seq), format!("c{client}-{seq}"));
        }
    }

    #[test]
    fn skewed_keys_favour_the_first() {
        let g = Generator::new(Workload {
            keys: 10,
            key_skew: 1.5,
            ..Workload::default()
        });
        let mut rng = SimRng::new(1);
        let mut counts = [0u32; 10];
        for _ in 0..10_000 {
            counts[g.key(&mut rng) as usize] += 1;
        }
        assert!(counts[0] > 3 * counts[5], "{counts:?}");
        assert!(counts.iter().all(|&c| c > 0));
    }

    #[test]
    fn bad_workloads_are_named() {
        let w = Workload {
            read_fraction: 2.0,
            ..Workload::default()
        };
        let fraction = OutOfRange::new("read_fraction", &0, &1, &2.0);
        assert_eq!(w.validate(3), Err(WorkloadError::Range(Box::new(fraction))));
        let w = Workload {
            target: Target::Node(NodeId::at(3)),
            ..Workload::default()
        };
        let target = OutOfRange::new("target node", &1, &"N = 3", &4);
        assert_eq!(w.validate(3), Err(WorkloadError::Range(Box::new(target))));
        assert_eq!(
            w.validate(3).unwrap_err().to_string(),
            "target node must be between 1 and N = 3, not 4"
        );
    }
}
