//! The engine's node on real sockets: `quorum serve` runs one node of the
//! course's cluster, `quorum cluster` a few on this machine, and
//! `quorum bench-http` measures them. See README.md for the flags and what
//! each storage mode promises after a crash.

mod args;
mod auth;
mod bench;
mod disk;
mod driver;
pub mod errors;
#[cfg(test)]
mod fuzz;
mod http;
pub mod launch;
mod listen;
mod local;
mod peers;
pub mod soak;
mod timers;

pub use args::{Identity, ServeArgs};
pub use bench::{bench, BenchArgs};
pub use http::{BODY_TIMEOUT, MAX_BODY_BYTES, MAX_PEER_BODY_BYTES};
pub use launch::{cluster, ClusterArgs};
pub use listen::{HEADER_TIMEOUT, MAX_CONNECTIONS, MAX_HEADERS, MAX_HEAD_BYTES};
pub use soak::{soak, SoakArgs};

use driver::{Driver, Event};
use errors::ServeError;
use local::LocalNode;
use quorum_sim::config::Config;
use quorum_sim::msg::NodeId;
use quorum_sim::node::{Node, Params};
use quorum_sim::rng::SimRng;
use std::net::SocketAddr;
use std::path::Path;
use std::time::{Instant, SystemTime, UNIX_EPOCH};
use tokio::sync::mpsc;

/// Client requests and peer batches waiting for the node.
const INBOX: usize = 8192;

/// Runs one node until Ctrl-C or SIGTERM; returns the exit status.
pub fn serve(args: ServeArgs) -> i32 {
    let identity = match args.identity() {
        Ok(identity) => identity,
        Err(e) => {
            eprintln!("quorum serve: {e}");
            return 2;
        }
    };
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    match runtime.block_on(run(args, identity)) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("quorum serve: {e}");
            1
        }
    }
}

async fn run(args: ServeArgs, id: Identity) -> Result<(), ServeError> {
    let name = &args.id;
    let addr = SocketAddr::new(args.bind, args.port);
    if !args.bind.is_loopback() && id.key.is_none() {
        eprintln!(
            "[{name}] warning: listening on {addr}, beyond loopback, without a cluster key: \
             anyone who reaches this port can send peer messages as a node. \
             Set --cluster-key (CLUSTER_KEY) on every node."
        );
    }
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| ServeError::Listen { addr, source })?;
    let key = id.key.clone();
    let inbox = start_node(&id, args.data_dir.clone(), name.clone())?;
    let c = &id.config;
    eprintln!(
        "[{name}] listening on http://{addr} (N={}, W={}, R={}, {}, {})",
        c.n,
        c.w,
        c.r,
        args.data_dir
            .as_ref()
            .map_or("state in memory".into(), |d| format!(
                "state in {}",
                d.display()
            )),
        if key.is_some() {
            "peer batches signed"
        } else {
            "no cluster key"
        }
    );
    listen::serve(
        listener,
        http::router(http::Node { inbox, key }),
        stop_signal(),
    )
    .await;
    eprintln!("[{name}] stopped");
    Ok(())
}

/// Starts the node on a thread of its own, with its peers' senders on the
/// current runtime; the inbox that feeds it.
fn start_node(
    id: &Identity,
    data_dir: Option<std::path::PathBuf>,
    name: String,
) -> Result<mpsc::Sender<Event>, ServeError> {
    let peers = peers::Peers::start(
        id.me,
        &id.urls,
        id.key.clone(),
        &tokio::runtime::Handle::current(),
    );
    let (inbox, events) = mpsc::channel::<Event>(INBOX);
    // The node is not `Send`: it is built, and read back from disk, on the
    // thread that drives it.
    let (booted_tx, booted_rx) = std::sync::mpsc::channel();
    let (me, config) = (id.me, id.config.clone());
    std::thread::Builder::new()
        .name(name)
        .spawn(move || {
            let (driver, restored) = match boot(me, &config, data_dir.as_deref(), peers) {
                Ok(booted) => booted,
                Err(e) => return booted_tx.send(Err(e)).unwrap_or(()),
            };
            let _ = booted_tx.send(Ok(()));
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_time()
                .build()
                .expect("a tokio runtime");
            rt.block_on(driver.run(events, restored));
        })
        .map_err(ServeError::Thread)?;
    booted_rx.recv().map_err(ServeError::Boot)??;
    Ok(inbox)
}

/// The node and its driver, with its state read back from `data_dir`;
/// true when there was state to read.
fn boot(
    me: NodeId,
    config: &Config,
    data_dir: Option<&Path>,
    peers: peers::Peers,
) -> Result<(Driver, bool), ServeError> {
    let mut node = Node::new(me, Params::from_config(config), SimRng::new(seed(me)));
    let (disk, restored) = match data_dir {
        Some(dir) => {
            let (disk, saved) = disk::Disk::open(dir).map_err(|source| ServeError::DataDir {
                dir: dir.to_path_buf(),
                source,
            })?;
            let restored = saved != disk::Durable::default();
            node.restore(saved.term, saved.voted_for, saved.snapshot, saved.log);
            (Some(disk), restored)
        }
        None => (None, false),
    };
    let driver = Driver::new(LocalNode::new(node), peers, disk, Instant::now());
    Ok((driver, restored))
}

/// Election timeouts must differ between nodes and between runs.
fn seed(me: NodeId) -> u64 {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    nanos ^ ((std::process::id() as u64) << 32) ^ me.index() as u64
}

/// Ctrl-C, or SIGTERM as `docker stop` sends it.
async fn stop_signal() {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .expect("a SIGTERM handler");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_data_directory_that_cannot_be_made_is_named() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let me = NodeId::at(0);
        let peers = peers::Peers::start(me, &[None], None, runtime.handle());
        let config = Config {
            n: 1,
            w: 1,
            r: 1,
            ..Config::default()
        };
        let dir = Path::new("/dev/null/node-1");
        let Err(err) = boot(me, &config, Some(dir), peers) else {
            panic!("a directory under /dev/null");
        };
        assert!(
            matches!(&err, ServeError::DataDir { dir: d, .. } if d == dir),
            "{err:?}"
        );
        let sentence = err.to_string();
        assert!(
            sentence.starts_with("data directory /dev/null/node-1: "),
            "{sentence}"
        );
    }
}
