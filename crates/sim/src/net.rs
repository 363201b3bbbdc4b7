//! The simulated network: per-message latency (base + jitter), random loss,
//! partitions. It decides; the world schedules.

use crate::config::{Config, Jitter, MAX_NODES};
use crate::dist::Dist;
use crate::msg::{MsgKind, NodeId};
use crate::rng::SimRng;

/// The four message classes of the PBS paper's WARS model, whose fitted
/// presets give each its own latency distribution.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    /// W: data a replica must store (log entries, snapshots, read
    /// repairs): in the paper's fits, the write to disk is in this latency.
    Replicate = 0,
    /// A: a replica acknowledging what it stored.
    Ack = 1,
    /// R: a request that stores nothing (quorum reads, vote requests,
    /// heartbeats).
    Request = 2,
    /// S: the answer to one.
    Response = 3,
}

fn class(kind: MsgKind) -> Class {
    match kind {
        MsgKind::Append | MsgKind::InstallSnapshot | MsgKind::Repair => Class::Replicate,
        MsgKind::AppendReply | MsgKind::RepairAck => Class::Ack,
        MsgKind::ReadReq | MsgKind::RequestVote | MsgKind::Heartbeat => Class::Request,
        MsgKind::ReadReply | MsgKind::Vote | MsgKind::HeartbeatReply => Class::Response,
    }
}

#[derive(Clone, Debug)]
pub struct Network {
    base_ms: f64,
    /// Added latency per class; the same distribution four times unless a
    /// PBS preset is chosen.
    jitter: [Dist; 4],
    /// Extra one-way delay between nodes: the WAN preset puts each node in
    /// its own datacenter.
    remote_ms: f64,
    drop: f64,
    /// `blocked[from][to]`: messages from `from` to `to` are cut.
    blocked: [[bool; MAX_NODES]; MAX_NODES],
}

impl Network {
    /// From a validated configuration.
    pub fn new(config: &Config) -> Network {
        let mut net = Network {
            base_ms: 0.0,
            jitter: std::array::from_fn(|_| Dist::Constant { ms: 0.0 }),
            remote_ms: 0.0,
            drop: 0.0,
            blocked: [[false; MAX_NODES]; MAX_NODES],
        };
        net.configure(config);
        net
    }

    /// Takes latency and loss settings from `config`; partitions stay.
    pub fn configure(&mut self, config: &Config) {
        self.base_ms = config.latency_ms;
        self.drop = config.drop;
        self.remote_ms = 0.0;
        let none = || Dist::Constant { ms: 0.0 };
        match &config.jitter {
            Jitter::Dist(d) => self.jitter = std::array::from_fn(|_| d.clone()),
            Jitter::Writes(d) => self.jitter = [d.clone(), none(), none(), none()],
            Jitter::Preset(p) => {
                let wars = crate::pbs::preset(p.name()).expect("every Preset names a pbs preset");
                self.jitter = [wars.w, wars.a, wars.r, wars.s];
                self.remote_ms = wars.remote_ms;
            }
        }
    }

    /// One message's latency in whole microseconds: rounded at once, so that
    /// no float ever orders events.
    pub fn latency_us(&self, kind: MsgKind, rng: &mut SimRng) -> u64 {
        let ms = self.base_ms + self.remote_ms + self.jitter[class(kind) as usize].sample(rng);
        // Heavy tails can draw absurd delays; a day is as good as forever.
        // Adding a half and truncating rounds (delays are never negative)
        // without a call to `round`, on the hottest path there is.
        (ms * 1000.0 + 0.5).min(86_400e6) as u64
    }

    /// Whether this message is lost to random loss.
    pub fn lose(&self, rng: &mut SimRng) -> bool {
        self.drop > 0.0 && rng.chance(self.drop)
    }

    pub fn is_blocked(&self, from: NodeId, to: NodeId) -> bool {
        self.blocked[from][to]
    }

    /// Splits the nodes into groups that cannot talk to each other (both
    /// ways). Nodes in no listed group form one more group together.
    pub fn partition(&mut self, n: usize, groups: &[Vec<NodeId>]) {
        let group_of = |node: NodeId| groups.iter().position(|g| g.contains(&node));
        for from in NodeId::all(n) {
            for to in NodeId::all(n) {
                if group_of(from) != group_of(to) {
                    self.blocked[from][to] = true;
                }
            }
        }
    }

    /// Cuts messages from every node in `from` to every node in `to` only.
    pub fn cut_one_way(&mut self, from: &[NodeId], to: &[NodeId]) {
        for &f in from {
            for &t in to {
                if f != t {
                    self.blocked[f][t] = true;
                }
            }
        }
    }

    /// Removes every partition.
    pub fn heal(&mut self) {
        self.blocked = [[false; MAX_NODES]; MAX_NODES];
    }

    /// Whether any link is cut.
    pub fn is_partitioned(&self) -> bool {
        self.blocked.iter().flatten().any(|&b| b)
    }
}
