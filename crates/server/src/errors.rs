//! Why a node, a local cluster or a soak cannot start or finish: one enum
//! per boundary, each with the sentence `quorum` prints as its Display.
//! Tests match the variants.
//!
//! Where a variant wraps a cause, the sentence already ends with the
//! cause's, so none of them gives it again as `source()`: a reporter that
//! walks the chain would print it twice.

use quorum_sim::errors::ConfigError;
use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;

/// Why `serve`'s flags (or the course's variables) describe no node of a
/// cluster.
#[derive(Clone, Debug, PartialEq)]
pub enum ArgsError {
    /// A peer that is not a plain `http://` base URL.
    Peer(String),
    /// An `--id` that is not node-k.
    NodeId(String),
    /// node-k with fewer than k nodes in the cluster the peers make.
    NotInCluster {
        id: String,
        n: usize,
    },
    Config(ConfigError),
}

impl fmt::Display for ArgsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArgsError::Peer(peer) => write!(
                f,
                "peer {peer:?} must be a plain http:// base URL such as http://127.0.0.1:4002"
            ),
            ArgsError::NodeId(id) => write!(f, "--id {id:?} must be node-1, node-2, ..."),
            ArgsError::NotInCluster { id, n } => write!(
                f,
                "--id {id} but --peers names {} other node(s): the cluster is node-1..node-{n}, \
                 listed in id order without this node",
                n - 1
            ),
            ArgsError::Config(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for ArgsError {}

/// Why a node that had its identity did not come up.
#[derive(Debug)]
pub enum ServeError {
    Listen {
        addr: SocketAddr,
        source: io::Error,
    },
    /// The node's own thread could not be started.
    Thread(io::Error),
    /// The node's thread ended before saying whether it booted.
    Boot(std::sync::mpsc::RecvError),
    DataDir {
        dir: PathBuf,
        source: io::Error,
    },
}

impl fmt::Display for ServeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServeError::Listen { addr, source } => write!(f, "cannot listen on {addr}: {source}"),
            ServeError::Thread(e) => e.fmt(f),
            ServeError::Boot(e) => e.fmt(f),
            ServeError::DataDir { dir, source } => {
                write!(f, "data directory {}: {source}", dir.display())
            }
        }
    }
}

impl std::error::Error for ServeError {}

/// Why `cluster`, `bench-http` or `soak` cannot lay out its nodes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LaunchError {
    /// No nodes, or more than there are ports from `base_port` up.
    Ports { nodes: usize, base_port: u16 },
}

impl fmt::Display for LaunchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LaunchError::Ports { .. } => {
                f.write_str("--nodes must be at least 1 and the ports must fit under 65536")
            }
        }
    }
}

impl std::error::Error for LaunchError {}

/// No node said it leads within `secs` of asking: the cluster cannot be
/// loaded, as `bench-http` and `soak` need.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NoLeader {
    pub secs: u64,
}

impl fmt::Display for NoLeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no leader within {} s", self.secs)
    }
}

impl std::error::Error for NoLeader {}

/// Why a soak ended without a report.
#[derive(Debug)]
pub enum SoakError {
    /// Without them a killed node forgets what it acknowledged, and the
    /// soak would report lost writes the store never promised to keep.
    NoDataDir,
    Runtime(io::Error),
    Start(io::Error),
    NoLeader(NoLeader),
    Restart {
        node: usize,
        source: io::Error,
    },
    /// A client's task panicked or was cancelled.
    Client(tokio::task::JoinError),
    Write {
        path: PathBuf,
        source: io::Error,
    },
    CheckRun(io::Error),
    /// `quorum check` exited with an error; what it wrote to stderr.
    CheckFailed(String),
    Verdict(serde_json::Error),
}

impl fmt::Display for SoakError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SoakError::NoDataDir => f.write_str(
                "a soak needs data directories: without them a killed node forgets what it acknowledged",
            ),
            SoakError::Runtime(e) => e.fmt(f),
            SoakError::Start(e) => write!(f, "cannot start a node: {e}"),
            SoakError::NoLeader(e) => e.fmt(f),
            SoakError::Restart { node, source } => {
                write!(f, "cannot restart node-{node}: {source}")
            }
            SoakError::Client(e) => e.fmt(f),
            SoakError::Write { path, source } => {
                write!(f, "cannot write {}: {source}", path.display())
            }
            SoakError::CheckRun(e) => write!(f, "cannot run quorum check: {e}"),
            SoakError::CheckFailed(stderr) => write!(f, "quorum check failed: {stderr}"),
            SoakError::Verdict(e) => write!(f, "quorum check printed no verdict: {e}"),
        }
    }
}

impl std::error::Error for SoakError {}
