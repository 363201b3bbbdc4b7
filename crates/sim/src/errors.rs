//! Why the engine refuses a setting, a workload or an action: one enum per
//! boundary, each with the sentence a learner can act on as its Display.
//! Tests match the variants; the page, the console and the CLI show the
//! sentence.

use crate::dist::DistError;
use crate::msg::NodeId;
use std::fmt;

/// An error's sentence. One copy of the formatting for every error type:
/// `to_string` on each would be its own copy in the page's download.
#[inline(never)]
pub fn sentence(error: &dyn fmt::Display) -> String {
    error.to_string()
}

/// A number outside the range it may take: "W must be between 1 and
/// N = 3, not 4". The bounds are words because some are ("N = 3").
#[derive(Clone, Debug, PartialEq)]
pub struct OutOfRange {
    pub what: &'static str,
    pub lo: String,
    pub hi: String,
    pub value: String,
}

impl OutOfRange {
    /// Not generic: one copy, whatever the numbers are.
    pub fn new(
        what: &'static str,
        lo: &dyn fmt::Display,
        hi: &dyn fmt::Display,
        value: &dyn fmt::Display,
    ) -> OutOfRange {
        OutOfRange {
            what,
            lo: sentence(lo),
            hi: sentence(hi),
            value: sentence(value),
        }
    }
}

impl fmt::Display for OutOfRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (what, lo, hi, value) = (self.what, &*self.lo, &*self.hi, &*self.value);
        write!(f, "{what} must be between {lo} and {hi}, not {value}")
    }
}

/// Why a configuration cannot be simulated.
#[derive(Clone, Debug, PartialEq)]
pub enum ConfigError {
    Range(Box<OutOfRange>),
    Jitter(DistError),
    /// Followers would depose a healthy leader.
    ElectionWithinHeartbeat {
        election_ms: u64,
        heartbeat_ms: u64,
    },
    ElectionMaxBelowMin {
        max_ms: u64,
        min_ms: u64,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::Range(r) => OutOfRange::fmt(r, f),
            ConfigError::Jitter(e) => {
                f.write_str("jitter: ")?;
                e.fmt(f)
            }
            ConfigError::ElectionWithinHeartbeat {
                election_ms,
                heartbeat_ms,
            } => write!(
                f,
                "the election timeout ({} ms) must be longer than the heartbeat interval ({} ms), or followers would depose a healthy leader",
                *election_ms, *heartbeat_ms
            ),
            ConfigError::ElectionMaxBelowMin { max_ms, min_ms } => write!(
                f,
                "the maximum election timeout ({} ms) is below the minimum ({} ms)",
                *max_ms, *min_ms
            ),
        }
    }
}

impl std::error::Error for ConfigError {}

/// Why a workload cannot run.
#[derive(Clone, Debug, PartialEq)]
pub enum WorkloadError {
    Range(Box<OutOfRange>),
    /// The rate is not above 0 and at most 1,000,000 a second.
    Rate(f64),
    NoLevels,
}

impl fmt::Display for WorkloadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WorkloadError::Range(r) => OutOfRange::fmt(r, f),
            WorkloadError::Rate(rate) => write!(
                f,
                "ops_per_sec must be above 0 and at most 1000000, not {}",
                *rate
            ),
            WorkloadError::NoLevels => {
                f.write_str("levels needs at least one level, each with a positive weight")
            }
        }
    }
}

impl std::error::Error for WorkloadError {}

/// Why an action cannot be done in the cluster as it is then.
#[derive(Clone, Debug, PartialEq)]
pub enum ActionError {
    NoSuchNode {
        node: NodeId,
        n: usize,
    },
    EmptyKey,
    EmptyPartition,
    Workload(WorkloadError),
    Setting(ConfigError),
    /// Not an operation: only reads, writes and deletes are submitted.
    NotAnOperation,
}

impl fmt::Display for ActionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ActionError::NoSuchNode { node, n } => write!(
                f,
                "node {} does not exist (nodes are 1 to {})",
                node.number(),
                *n
            ),
            ActionError::EmptyKey => f.write_str("key must not be empty"),
            ActionError::EmptyPartition => {
                f.write_str("partition groups must be non-empty lists of nodes")
            }
            ActionError::Workload(e) => {
                f.write_str("workload: ")?;
                e.fmt(f)
            }
            ActionError::Setting(e) => {
                f.write_str("set: ")?;
                e.fmt(f)
            }
            ActionError::NotAnOperation => {
                f.write_str("only a read, a write or a delete is an operation")
            }
        }
    }
}

impl std::error::Error for ActionError {}
