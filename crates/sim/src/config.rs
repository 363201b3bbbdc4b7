//! Cluster settings a learner can change, and their validation.
//!
//! Every field but `n`, `w`, `r` and `latency_ms` has a serde default, so a
//! scenario link only carries what differs from the course's cluster.

use crate::dist::Dist;
use crate::read_json::{self, Fields, Named, ReadJson};
use serde::Serialize;
use serde_json::{Error, Value};
use std::fmt;

/// Largest cluster the playground draws and simulates.
pub const MAX_NODES: usize = 9;

/// The PBS paper's fitted production latency models (Bailis et al., VLDB 2012).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Preset {
    LnkdSsd,
    LnkdDisk,
    Ymmr,
    Wan,
}

impl Named for Preset {
    const ALL: &'static [Preset] = &[Preset::LnkdSsd, Preset::LnkdDisk, Preset::Ymmr, Preset::Wan];
    const NAMES: &'static [&'static str] = &["lnkd-ssd", "lnkd-disk", "ymmr", "wan"];
}

impl Preset {
    /// The name [`crate::pbs::preset`] knows it by.
    pub fn name(self) -> &'static str {
        Preset::NAMES[self as usize]
    }

    /// Accepts `lnkd-ssd`, `LNKD-SSD`, `lnkd_ssd`, ...
    pub fn parse(name: &str) -> Option<Preset> {
        Preset::find(&name.to_ascii_lowercase().replace('_', "-"))
    }
}

/// What is added to the base latency of every message.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Jitter {
    /// One distribution for every message.
    Dist(Dist),
    /// One fitted distribution per message class (W, A, R, S of the PBS model).
    Preset(Preset),
    /// Only for messages carrying data a replica must store (replicate,
    /// snapshot, read repair): the receiver's disk write, which varies far
    /// more than the wire. Acks, heartbeats, votes and reads keep the base
    /// latency. This is what makes a follower lag behind the quorum that
    /// acknowledged a write.
    Writes(Dist),
}

impl ReadJson for Jitter {
    /// Written as serde writes an enum: `{"dist": {…}}`, `{"preset": "wan"}`.
    fn read_json(value: Value) -> Result<Jitter, Error> {
        const NAMES: &[&str] = &["dist", "preset", "writes"];
        let f = Fields::of(value, NAMES)?;
        let (name, inner) = f.single()?;
        match name.as_str() {
            "dist" => Dist::read_json(inner).map(Jitter::Dist),
            "preset" => Preset::read_json(inner).map(Jitter::Preset),
            "writes" => Dist::read_json(inner).map(Jitter::Writes),
            other => Err(read_json::unknown(other, NAMES)),
        }
        .map_err(|e| serde::de::Error::custom(format!("{name}: {e}")))
    }
}

impl Default for Jitter {
    fn default() -> Self {
        Jitter::Dist(Dist::Constant { ms: 0.0 })
    }
}

/// What a `strong` read does with responders that returned an older version.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ReadRepair {
    /// Leave them stale: the seed's behaviour.
    #[default]
    Off,
    /// Reply at once, push the newest version to them in the background.
    Async,
    /// Write the newest version back and wait for their acks before replying
    /// (ABD): no later read can then see an older version than this one did.
    Blocking,
}

impl Named for ReadRepair {
    const ALL: &'static [ReadRepair] = &[ReadRepair::Off, ReadRepair::Async, ReadRepair::Blocking];
    const NAMES: &'static [&'static str] = &["off", "async", "blocking"];
}

impl ReadRepair {
    pub fn parse(name: &str) -> Option<ReadRepair> {
        ReadRepair::find(&name.to_ascii_lowercase())
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Config {
    /// Number of nodes (N).
    pub n: usize,
    /// Acknowledgements a write needs, leader included (W).
    pub w: usize,
    /// Replies a `strong` read gathers, the contacted node's own included (R).
    pub r: usize,
    /// Base one-way network latency in milliseconds.
    pub latency_ms: f64,
    /// Added to the base latency, drawn per message.
    pub jitter: Jitter,
    /// Probability that any one message is lost.
    pub drop: f64,
    /// A leader sends heartbeats this often.
    pub heartbeat_ms: u64,
    /// A follower that hears no leader for a time drawn uniformly from
    /// [min, max] stands for election.
    pub election_timeout_min_ms: u64,
    pub election_timeout_max_ms: u64,
    /// How long a client write waits for W acks before `achieved_quorum: false`.
    pub write_timeout_ms: u64,
    /// How long a read waits for its quorum, its session token or its
    /// leadership confirmation before failing.
    pub read_timeout_ms: u64,
    pub read_repair: ReadRepair,
    /// Log entries a node keeps before compacting committed ones into a snapshot.
    pub log_limit: usize,
    /// Trace events kept for display; older ones only live on in counters and
    /// the trace hash.
    pub trace_window: usize,
    /// History records kept in memory (all of them can be streamed out).
    pub history_window: usize,
}

impl Default for Config {
    /// The course's compose file: three nodes, W = 2, R = 1.
    fn default() -> Self {
        Config {
            n: 3,
            w: 2,
            r: 1,
            latency_ms: 50.0,
            jitter: Jitter::default(),
            drop: 0.0,
            heartbeat_ms: 100,
            election_timeout_min_ms: 300,
            election_timeout_max_ms: 600,
            write_timeout_ms: 1_000,
            read_timeout_ms: 1_000,
            read_repair: ReadRepair::Off,
            log_limit: 1_000,
            trace_window: 2_000,
            history_window: 2_000,
        }
    }
}

impl ReadJson for Config {
    /// Every field may be left out: it then keeps the course's default.
    fn read_json(value: Value) -> Result<Config, Error> {
        let mut f = Fields::of(
            value,
            &[
                "n",
                "w",
                "r",
                "latency_ms",
                "jitter",
                "drop",
                "heartbeat_ms",
                "election_timeout_min_ms",
                "election_timeout_max_ms",
                "write_timeout_ms",
                "read_timeout_ms",
                "read_repair",
                "log_limit",
                "trace_window",
                "history_window",
            ],
        )?;
        let d = Config::default();
        let config = Config {
            n: f.or("n", d.n)?,
            w: f.or("w", d.w)?,
            r: f.or("r", d.r)?,
            latency_ms: f.or("latency_ms", d.latency_ms)?,
            jitter: f.or("jitter", d.jitter)?,
            drop: f.or("drop", d.drop)?,
            heartbeat_ms: f.or("heartbeat_ms", d.heartbeat_ms)?,
            election_timeout_min_ms: f.or("election_timeout_min_ms", d.election_timeout_min_ms)?,
            election_timeout_max_ms: f.or("election_timeout_max_ms", d.election_timeout_max_ms)?,
            write_timeout_ms: f.or("write_timeout_ms", d.write_timeout_ms)?,
            read_timeout_ms: f.or("read_timeout_ms", d.read_timeout_ms)?,
            read_repair: f.or("read_repair", d.read_repair)?,
            log_limit: f.or("log_limit", d.log_limit)?,
            trace_window: f.or("trace_window", d.trace_window)?,
            history_window: f.or("history_window", d.history_window)?,
        };
        f.end(config)
    }
}

pub use crate::errors::ConfigError;
use crate::errors::OutOfRange;

/// Anything slower than this is a typo, and would overflow nothing but the
/// learner's patience.
const MAX_MS: u64 = 3_600_000;

fn within(name: &'static str, value: u64, lo: u64, hi: u64) -> Result<(), ConfigError> {
    if (lo..=hi).contains(&value) {
        Ok(())
    } else {
        Err(ConfigError::Range(Box::new(OutOfRange::new(
            name, &lo, &hi, &value,
        ))))
    }
}

impl Config {
    pub fn validate(&self) -> Result<(), ConfigError> {
        let range =
            |what, lo: &dyn fmt::Display, hi: &dyn fmt::Display, value: &dyn fmt::Display| {
                Err(ConfigError::Range(Box::new(OutOfRange::new(
                    what, lo, hi, value,
                ))))
            };
        if !(1..=MAX_NODES).contains(&self.n) {
            return range("N", &1, &MAX_NODES, &self.n);
        }
        let all = format!("N = {}", self.n);
        if !(1..=self.n).contains(&self.w) {
            return range("W", &1, &all, &self.w);
        }
        if !(1..=self.n).contains(&self.r) {
            return range("R", &1, &all, &self.r);
        }
        if !(self.latency_ms.is_finite() && (0.0..=10_000.0).contains(&self.latency_ms)) {
            return range("latency", &0, &"10000 ms", &self.latency_ms);
        }
        if let Jitter::Dist(dist) | Jitter::Writes(dist) = &self.jitter {
            dist.validate().map_err(ConfigError::Jitter)?;
        }
        if !(0.0..=1.0).contains(&self.drop) {
            return range("the drop probability", &0, &1, &self.drop);
        }
        within("the heartbeat interval (ms)", self.heartbeat_ms, 1, MAX_MS)?;
        within(
            "the minimum election timeout (ms)",
            self.election_timeout_min_ms,
            1,
            MAX_MS,
        )?;
        within(
            "the maximum election timeout (ms)",
            self.election_timeout_max_ms,
            1,
            MAX_MS,
        )?;
        if self.election_timeout_min_ms <= self.heartbeat_ms {
            return Err(ConfigError::ElectionWithinHeartbeat {
                election_ms: self.election_timeout_min_ms,
                heartbeat_ms: self.heartbeat_ms,
            });
        }
        if self.election_timeout_max_ms < self.election_timeout_min_ms {
            return Err(ConfigError::ElectionMaxBelowMin {
                max_ms: self.election_timeout_max_ms,
                min_ms: self.election_timeout_min_ms,
            });
        }
        within("the write timeout (ms)", self.write_timeout_ms, 1, MAX_MS)?;
        within("the read timeout (ms)", self.read_timeout_ms, 1, MAX_MS)?;
        within("the log limit", self.log_limit as u64, 2, 1_000_000)?;
        within("the trace window", self.trace_window as u64, 0, 10_000_000)?;
        within(
            "the history window",
            self.history_window as u64,
            0,
            10_000_000,
        )?;
        Ok(())
    }

    /// A majority of N: what Raft needs for votes and commits.
    pub fn majority(&self) -> usize {
        self.n / 2 + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_valid_and_the_course_cluster() {
        let c = Config::default();
        assert_eq!((c.n, c.w, c.r), (3, 2, 1));
        assert_eq!(c.validate(), Ok(()));
    }

    #[test]
    fn every_impossible_value_is_named() {
        type Breaker = fn(&mut Config);
        let cases: Vec<(Breaker, &str)> = vec![
            (|c| c.n = 0, "N must be"),
            (|c| c.n = 10, "N must be"),
            (|c| c.w = 4, "W must be"),
            (|c| c.r = 0, "R must be"),
            (|c| c.latency_ms = f64::NAN, "latency"),
            (|c| c.drop = 1.5, "drop probability"),
            (|c| c.drop = f64::NAN, "drop probability"),
            (|c| c.heartbeat_ms = 0, "heartbeat"),
            (
                |c| c.election_timeout_min_ms = 50,
                "longer than the heartbeat",
            ),
            (
                |c| c.election_timeout_max_ms = 200,
                "maximum election timeout",
            ),
            (|c| c.write_timeout_ms = 0, "write timeout"),
            (|c| c.log_limit = 1, "log limit"),
            (
                |c| c.jitter = Jitter::Dist(Dist::Exponential { rate: -1.0 }),
                "jitter",
            ),
        ];
        for (break_it, expected) in cases {
            let mut c = Config::default();
            break_it(&mut c);
            let e = c.validate().expect_err(expected);
            assert!(
                e.to_string().contains(expected),
                "{e} should mention {expected}"
            );
        }
    }

    #[test]
    fn minimal_json_gets_defaults_and_unknown_fields_are_refused() {
        let c: Config =
            crate::read_json::from_str(r#"{"n":5,"w":3,"r":3,"latency_ms":10}"#).unwrap();
        assert_eq!(c.heartbeat_ms, Config::default().heartbeat_ms);
        assert!(crate::read_json::from_str::<Config>(r#"{"n":5,"wq":3}"#).is_err());
    }

    #[test]
    fn presets_parse_in_any_case() {
        assert_eq!(Preset::parse("LNKD-SSD"), Some(Preset::LnkdSsd));
        assert_eq!(Preset::parse("wan"), Some(Preset::Wan));
        assert_eq!(Preset::parse("lan"), None);
    }
}
