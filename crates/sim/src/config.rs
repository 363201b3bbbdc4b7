//! Cluster settings a learner can change, and their validation.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Largest cluster the playground draws and simulates.
pub const MAX_NODES: usize = 9;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Config {
    /// Number of nodes (N).
    pub n: usize,
    /// Acknowledgements a write needs, leader included (W).
    pub w: usize,
    /// Replies a `strong` read gathers, the contacted node's own included (R).
    pub r: usize,
    /// Base one-way network latency in milliseconds.
    pub latency_ms: f64,
}

impl Default for Config {
    /// The course's compose file: three nodes, W = 2, R = 1.
    fn default() -> Self {
        Config {
            n: 3,
            w: 2,
            r: 1,
            latency_ms: 50.0,
        }
    }
}

/// Why a configuration cannot be simulated, in words a learner can act on.
#[derive(Clone, Debug, PartialEq)]
pub struct ConfigError(pub String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

impl Config {
    pub fn validate(&self) -> Result<(), ConfigError> {
        let err = |s: String| Err(ConfigError(s));
        if !(1..=MAX_NODES).contains(&self.n) {
            return err(format!("N must be between 1 and {MAX_NODES}, not {}", self.n));
        }
        if !(1..=self.n).contains(&self.w) {
            return err(format!("W must be between 1 and N = {}, not {}", self.n, self.w));
        }
        if !(1..=self.n).contains(&self.r) {
            return err(format!("R must be between 1 and N = {}, not {}", self.n, self.r));
        }
        if !(self.latency_ms.is_finite() && (0.0..=10_000.0).contains(&self.latency_ms)) {
            return err(format!(
                "latency must be between 0 and 10000 ms, not {}",
                self.latency_ms
            ));
        }
        Ok(())
    }
}
