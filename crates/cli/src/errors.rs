//! Why a command cannot do what it was asked: one enum per boundary, each
//! with the sentence `quorum` prints as its Display. Tests match the
//! variants.
//!
//! Where a variant wraps a cause, the sentence already ends with the
//! cause's, so none of them gives it again as `source()`: a reporter that
//! walks the chain would print it twice.

use quorum_sim::dist::DistError;
use quorum_sim::errors::{ActionError, ConfigError, OutOfRange, WorkloadError};
use quorum_sim::pbs::ModelError;
use std::fmt;
use std::io;

/// Why a file from outside (or stdin, `-`) gives no text.
#[derive(Debug)]
pub enum InputError {
    Read {
        path: String,
        source: io::Error,
    },
    /// More than `max` bytes, the most a `what` may have.
    TooLarge {
        path: String,
        max: usize,
        what: &'static str,
    },
    NotUtf8 {
        path: String,
    },
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::Read { path, source } => write!(f, "cannot read {path}: {source}"),
            InputError::TooLarge { path, max, what } => {
                write!(f, "{path} is more than the {max} bytes a {what} may have")
            }
            InputError::NotUtf8 { path } => write!(f, "{path} is not UTF-8 text"),
        }
    }
}

impl std::error::Error for InputError {}

/// Why a flag of `quorum run` names no level, fault plan, repair mode or
/// distribution. Clap prints it after the flag and the value.
#[derive(Clone, Debug, PartialEq)]
pub enum ParseError {
    Level(String),
    Faults(String),
    Repair(String),
    /// A distribution's parameter that is not a number.
    Number(String),
    /// No distribution has this name and this many parameters.
    Distribution(String),
    Dist(DistError),
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::Level(name) => write!(
                f,
                "unknown level `{name}` (eventual, read_your_writes, monotonic_reads, causal, strong, linearizable)"
            ),
            ParseError::Faults(name) => {
                write!(f, "unknown faults `{name}` (none, crash, partition, mixed)")
            }
            ParseError::Repair(name) => {
                write!(f, "unknown read repair `{name}` (off, async, blocking)")
            }
            ParseError::Number(x) => write!(f, "`{x}` is not a number"),
            ParseError::Distribution(spec) => write!(
                f,
                "`{spec}` is not a distribution: constant[:ms], uniform:lo,hi, exp:rate, pareto:xm,alpha, lognormal:mu,sigma, lnkd-ssd, lnkd-disk, ymmr or wan"
            ),
            ParseError::Dist(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for ParseError {}

/// Why `quorum run`'s flags describe no world to run, or its history has
/// nowhere to go.
#[derive(Debug)]
pub enum RunError {
    Config(ConfigError),
    NoOps,
    Workload(WorkloadError),
    /// A fault the chaos plan scheduled.
    Action(ActionError),
    History {
        path: String,
        source: io::Error,
    },
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::Config(e) => e.fmt(f),
            RunError::NoOps => f.write_str("--ops must be at least 1"),
            RunError::Workload(e) => e.fmt(f),
            RunError::Action(e) => e.fmt(f),
            RunError::History { path, source } => {
                write!(f, "cannot write history to {path}: {source}")
            }
        }
    }
}

impl std::error::Error for RunError {}

/// Why `quorum pbs` has no answer for its flags.
#[derive(Clone, Debug, PartialEq)]
pub enum PbsError {
    /// The quorum's sizes, or the trials.
    Range(OutOfRange),
    Model(ModelError),
    /// A time after commit that is negative or not a number.
    Time(f64),
}

impl fmt::Display for PbsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PbsError::Range(e) => e.fmt(f),
            PbsError::Model(e) => e.fmt(f),
            PbsError::Time(t) => write!(f, "--t values must be zero or more ms, not {t}"),
        }
    }
}

impl std::error::Error for PbsError {}
