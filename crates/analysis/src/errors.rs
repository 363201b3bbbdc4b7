//! Why a request gets no answer, on each side of the worker boundary.
//!
//! A worker's [`AnalysisError`] crosses to the page as its sentence only
//! (the message format carries text), and arrives as
//! [`Failure::Worker`]: the page's download then holds none of the
//! worker's formatting.

use crate::Worker;
use quorum_sim::check::HistoryError;
use quorum_sim::errors::OutOfRange;
use quorum_sim::msg::NodeId;
use quorum_sim::scenario::ScenarioError;
use std::fmt;

/// What a worker found wrong with a request, or could not do with it.
#[derive(Clone, Debug, PartialEq)]
pub enum AnalysisError {
    /// The recorded run does not read, or does not build a world.
    Run(ScenarioError),
    /// A request (`what` it is for) that is not JSON, in serde's words.
    NotJson {
        what: &'static str,
        why: String,
    },
    /// A request without one of its parts.
    Missing {
        what: &'static str,
        part: &'static str,
    },
    /// A request's JSON without one of its strings.
    NoField {
        what: &'static str,
        field: &'static str,
    },
    /// A request naming node 0: nodes are numbered from 1.
    NodeZero {
        what: &'static str,
    },
    NoSuchNode(NodeId),
    /// The node's log holds no entry writing this value.
    NoEntry {
        node: NodeId,
        value: String,
    },
    History(HistoryError),
}

impl fmt::Display for AnalysisError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AnalysisError::Run(e) => write!(f, "the run could not be read: {e}"),
            AnalysisError::NotJson { what, why } => write!(f, "{what} that is not JSON: {why}"),
            AnalysisError::Missing { what, part } => write!(f, "{what} without {part}"),
            AnalysisError::NoField { what, field } => write!(f, "{what} without its {field}"),
            AnalysisError::NodeZero { what } => write!(f, "{what} at node 0"),
            AnalysisError::NoSuchNode(node) => write!(f, "there is no {node}"),
            AnalysisError::NoEntry { node, value } => {
                write!(f, "{node} holds no entry writing “{value}”")
            }
            AnalysisError::History(e) => e.fmt(f),
        }
    }
}

/// Why the PBS worker has no curve. Its own type, apart from
/// [`AnalysisError`]: that one's sentences (every scenario error's) would
/// add kilobytes to the small worker that draws the curve.
#[derive(Clone, Debug, PartialEq)]
pub enum PbsError {
    /// Settings that do not read, in serde's words.
    Settings(String),
    Quorum(OutOfRange),
    /// A jitter preset the PBS model does not know.
    Preset(&'static str),
}

impl fmt::Display for PbsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PbsError::Settings(why) => write!(f, "a PBS request without settings: {why}"),
            PbsError::Quorum(e) => e.fmt(f),
            PbsError::Preset(name) => write!(f, "no PBS preset named {name}"),
        }
    }
}

/// A request of a kind the worker does not do.
pub struct NotServed<'a> {
    pub worker: Worker,
    pub tag: &'a str,
}

impl fmt::Display for NotServed<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} does not do \"{}\"", self.worker.name(), self.tag)
    }
}

impl From<ScenarioError> for AnalysisError {
    fn from(e: ScenarioError) -> AnalysisError {
        AnalysisError::Run(e)
    }
}

/// Why the page has no answer to what it asked a worker.
#[derive(Clone, Debug, PartialEq)]
pub enum Failure {
    /// What the worker found wrong, in its words.
    Worker(String),
    /// The worker answered, but not the question asked.
    OtherQuestion,
    /// The browser would not build or start the worker; what it refused.
    Refused(&'static str),
    /// The worker's files did not load.
    Unloaded(Worker),
    /// The worker stopped, with the browser's reason.
    Stopped { worker: Worker, detail: String },
    /// The worker did not say it was ready in time.
    Late(Worker),
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Worker(why) => f.write_str(why),
            Failure::OtherQuestion => f.write_str("the worker answered another question"),
            Failure::Refused(what) => write!(f, "the browser refused {what}"),
            Failure::Unloaded(worker) => write!(f, "{} could not be loaded", worker.title()),
            Failure::Stopped { worker, detail } => {
                write!(f, "{} stopped: {detail}", worker.title())
            }
            Failure::Late(worker) => write!(f, "{} did not start in time", worker.title()),
        }
    }
}
