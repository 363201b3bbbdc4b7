//! One store node: a sans-IO state machine (in the manner of quinn-proto and
//! openraft). It owns no clock, no socket and no global randomness: the world
//! hands it the time and its inputs, and it answers with [`Output`]s.
//!
//! ```text
//!                 +-------------------- world ---------------------+
//!                 |  event queue (time, seq)   network   clients   |
//!                 +---+--------------+-------------+------------^--+
//!     on_message(now, from, msg)  on_timer(now, t)  on_client_request(now, req)
//!                     |              |             |            |
//!                     v              v             v            |
//!                 +-----------------------------------------+   |
//!                 | Node: term, vote, log, snapshot (disk)   |   |
//!                 |       role, commit, map, pending (RAM)   |   |
//!                 +-----------------------------------------+   |
//!                     |  out: Vec<Output>                       |
//!                     +-- Send{to,msg} ---------> network ------+
//!                     +-- SetTimer{timer,at} ---> event queue
//!                     +-- Reply{req,response} --> client, history
//!                     +-- RoleChanged / Applied / Committed / Truncated --> trace, stats
//! ```
//!
//! The handlers live by concern: `election` (terms, votes, roles),
//! `replication` (log, W acks, commit, catch-up, snapshots), `reads` (the
//! six read levels and read repair) and `timeouts` (one deadline timer for
//! every pending client request).
//!
//! Clients are co-located with the node they call: a request arrives the
//! moment it is invoked and the reply leaves the moment it is decided, so
//! latencies measure the cluster's work, not a client's network.
//!
//! # Crash and restart
//!
//! A crash keeps `term`, `voted_for`, the log and the snapshot, as a real node
//! keeps them on disk: a node that forgot its vote could vote twice in one
//! term and elect two leaders; one that forgot its log could help elect a
//! leader missing acknowledged writes. Everything else is lost: the role, the
//! leader it knew, the commit index (relearned from the next leader), pending
//! client requests and reads, and the world drops every message in flight to
//! or from it. On restart the applied map is rebuilt from snapshot + log.

mod election;
mod reads;
mod replication;
mod timeouts;

use crate::config::{Config, ReadRepair, MAX_NODES};
use crate::kv::{store_if_newer, Cell, KvMap, Text, Version};
use crate::msg::Response;
use crate::msg::{
    ClientRequest, Command, Entry, Msg, NodeId, Output, ReqId, Role, Snapshot, Timer,
};
use crate::rng::SimRng;
use std::rc::Rc;

/// The settings a node acts on, in simulated microseconds.
#[derive(Clone, Debug, PartialEq)]
pub struct Params {
    pub n: usize,
    pub w: usize,
    pub r: usize,
    pub heartbeat_us: u64,
    pub election_min_us: u64,
    pub election_max_us: u64,
    pub write_timeout_us: u64,
    pub read_timeout_us: u64,
    pub read_repair: ReadRepair,
    pub log_limit: usize,
}

impl Params {
    pub fn from_config(c: &Config) -> Params {
        Params {
            n: c.n,
            w: c.w,
            r: c.r,
            heartbeat_us: c.heartbeat_ms * 1000,
            election_min_us: c.election_timeout_min_ms * 1000,
            election_max_us: c.election_timeout_max_ms * 1000,
            write_timeout_us: c.write_timeout_ms * 1000,
            read_timeout_us: c.read_timeout_ms * 1000,
            read_repair: c.read_repair,
            log_limit: c.log_limit,
        }
    }

    fn majority(&self) -> usize {
        self.n / 2 + 1
    }
}

#[derive(Clone)]
struct PendingWrite {
    req: ReqId,
    version: Version,
    deadline: u64,
}

/// A session-level read waiting for the node to catch up with its token.
#[derive(Clone)]
struct SessionRead {
    req: ReqId,
    key: Text,
    token: Version,
    deadline: u64,
}

/// A `strong` read gathering replies, then possibly waiting for repair acks.
#[derive(Clone)]
struct QuorumRead {
    req: ReqId,
    key: Text,
    /// Who answered, with what; the node's own answer first.
    replies: Vec<(NodeId, Option<Cell>)>,
    /// Blocking repair: responders still to acknowledge the write-back.
    awaiting: u32,
    /// Set once R replies are in and a blocking repair is under way.
    answer: Option<Cell>,
    deadline: u64,
}

#[derive(Clone)]
struct LinRead {
    req: ReqId,
    key: Text,
    /// The heartbeat round started after the read arrived.
    round: u64,
    /// The log the leader must have committed before answering.
    index: u64,
    deadline: u64,
}

#[derive(Clone)]
pub struct Node {
    id: NodeId,
    p: Params,
    rng: SimRng,
    // Durable: survives a crash.
    term: u64,
    voted_for: Option<NodeId>,
    snapshot: Rc<Snapshot>,
    /// Entries after the snapshot, `snapshot.last_index + 1` first.
    log: Vec<Entry>,
    // Volatile.
    role: Role,
    leader: Option<NodeId>,
    commit: u64,
    map: KvMap,
    election_deadline: u64,
    election_armed: bool,
    heartbeat_armed: bool,
    /// When the pending `Deadline` timer fires, if one is pending.
    deadline_at: Option<u64>,
    votes: u32,
    next_index: [u64; MAX_NODES],
    match_index: [u64; MAX_NODES],
    round: u64,
    round_acked: [u64; MAX_NODES],
    writes: Vec<PendingWrite>,
    session_reads: Vec<SessionRead>,
    quorum_reads: Vec<QuorumRead>,
    lin_reads: Vec<LinRead>,
    /// Values read repair stored beyond the log, until the commit index
    /// shows whether their entries survived.
    repaired: Vec<Version>,
    /// Shared by every heartbeat, so that sending one does not allocate.
    no_entries: Rc<[Entry]>,
}

impl Node {
    /// A fresh follower. `rng` is the node's own stream, seeded by the world,
    /// used only to draw election timeouts.
    pub fn new(id: NodeId, p: Params, rng: SimRng) -> Node {
        Node {
            id,
            p,
            rng,
            term: 0,
            voted_for: None,
            snapshot: Rc::new(Snapshot::default()),
            log: Vec::new(),
            role: Role::Follower,
            leader: None,
            commit: 0,
            map: KvMap::new(),
            election_deadline: 0,
            election_armed: false,
            heartbeat_armed: false,
            deadline_at: None,
            votes: 0,
            next_index: [1; MAX_NODES],
            match_index: [0; MAX_NODES],
            round: 0,
            round_acked: [0; MAX_NODES],
            writes: Vec::new(),
            session_reads: Vec::new(),
            quorum_reads: Vec::new(),
            lin_reads: Vec::new(),
            repaired: Vec::new(),
            no_entries: Rc::from(Vec::new()),
        }
    }

    /// Arms the first election timer.
    pub fn start(&mut self, now: u64, out: &mut Vec<Output>) {
        self.reset_election_deadline(now);
        self.arm_election(out);
    }

    /// Back from a crash: durable state kept, everything else as after boot.
    pub fn restart(&mut self, now: u64, out: &mut Vec<Output>) {
        self.role = Role::Follower;
        self.leader = None;
        self.commit = self.snapshot.last_index;
        self.rebuild_map();
        self.election_armed = false;
        self.heartbeat_armed = false;
        self.deadline_at = None;
        self.votes = 0;
        self.writes.clear();
        self.session_reads.clear();
        self.quorum_reads.clear();
        self.lin_reads.clear();
        self.start(now, out);
    }

    /// Durable state read back from disk after the process died: call
    /// [`Node::restart`] next, as after a crash in the world.
    pub fn restore(
        &mut self,
        term: u64,
        voted_for: Option<NodeId>,
        snapshot: Snapshot,
        log: Vec<Entry>,
    ) {
        self.term = term;
        self.voted_for = voted_for;
        self.snapshot = Rc::new(snapshot);
        self.log = log;
    }

    /// New W, R, timeouts or repair mode, effective from the next decision.
    pub fn set_params(&mut self, p: Params) {
        self.p = p;
    }

    pub fn on_message(&mut self, now: u64, from: NodeId, msg: Msg, out: &mut Vec<Output>) {
        if let Some(term) = msg_term(&msg) {
            if term > self.term {
                self.become_follower(now, term, None, out);
            }
        }
        match msg {
            Msg::RequestVote {
                term,
                last_index,
                last_term,
            } => self.on_request_vote(
                now,
                from,
                term,
                Version {
                    term: last_term,
                    index: last_index,
                },
                out,
            ),
            Msg::Vote { term, granted } => self.on_vote(now, from, term, granted, out),
            append @ Msg::Append { .. } => self.on_append(now, from, append, out),
            Msg::AppendReply {
                term,
                success,
                index,
                round,
                ..
            } => self.on_append_reply(now, from, term, success, index, round, out),
            Msg::InstallSnapshot {
                term,
                snapshot,
                round,
            } => self.on_install_snapshot(now, from, term, snapshot, round, out),
            Msg::ReadReq { req, key } => {
                let cell = self.map.get(&key).cloned();
                out.push(Output::Send {
                    to: from,
                    msg: Msg::ReadReply { req, cell },
                });
            }
            Msg::ReadReply { req, cell } => self.on_read_reply(from, req, cell, out),
            Msg::Repair {
                req,
                key,
                cell,
                ack,
            } => {
                self.take_repair(&key, cell);
                if ack {
                    out.push(Output::Send {
                        to: from,
                        msg: Msg::RepairAck { req },
                    });
                }
            }
            Msg::RepairAck { req } => self.on_repair_ack(from, req, out),
        }
    }

    pub fn on_timer(&mut self, now: u64, timer: Timer, out: &mut Vec<Output>) {
        match timer {
            Timer::Election => self.on_election_timer(now, out),
            Timer::Heartbeat => self.on_heartbeat_timer(now, out),
            Timer::Deadline => self.on_deadline(now, out),
        }
    }

    pub fn on_client_request(&mut self, now: u64, request: ClientRequest, out: &mut Vec<Output>) {
        use crate::msg::ClientOp;
        match request.op {
            ClientOp::Write { key, value } => {
                self.client_put(now, request.req, key, Some(value), out)
            }
            ClientOp::Delete { key } => self.client_put(now, request.req, key, None, out),
            ClientOp::Read { key, level } => {
                self.client_read(now, request.req, key, level, request.token, out)
            }
        }
    }

    // Read-only views, for the world and for drawing.

    pub fn id(&self) -> NodeId {
        self.id
    }
    pub fn role(&self) -> Role {
        self.role
    }
    pub fn term(&self) -> u64 {
        self.term
    }
    pub fn leader_hint(&self) -> Option<NodeId> {
        self.leader
    }
    pub fn voted_for(&self) -> Option<NodeId> {
        self.voted_for
    }
    pub fn commit_index(&self) -> u64 {
        self.commit
    }
    pub fn last_index(&self) -> u64 {
        self.snapshot.last_index + self.log.len() as u64
    }
    pub fn last_term(&self) -> u64 {
        self.log.last().map_or(self.snapshot.last_term, |e| e.term)
    }
    /// The version of the newest entry applied: what session tokens compare with.
    pub fn applied_version(&self) -> Version {
        Version {
            term: self.last_term(),
            index: self.last_index(),
        }
    }
    pub fn snapshot_index(&self) -> u64 {
        self.snapshot.last_index
    }
    pub fn snapshot(&self) -> &Snapshot {
        &self.snapshot
    }
    /// Entries held in the log (not yet compacted).
    pub fn log_len(&self) -> usize {
        self.log.len()
    }
    pub fn log(&self) -> &[Entry] {
        &self.log
    }
    pub fn map(&self) -> &KvMap {
        &self.map
    }
    pub fn params(&self) -> &Params {
        &self.p
    }

    /// The term of the entry at `index`, if the node still knows it.
    pub fn term_at(&self, index: u64) -> Option<u64> {
        let base = self.snapshot.last_index;
        if index == base {
            Some(self.snapshot.last_term)
        } else if index < base {
            None
        } else {
            self.log.get((index - base - 1) as usize).map(|e| e.term)
        }
    }

    /// Requests the node is still working on (for bounded-memory checks).
    pub fn pending_requests(&self) -> usize {
        self.writes.len()
            + self.session_reads.len()
            + self.quorum_reads.len()
            + self.lin_reads.len()
    }

    fn peers(&self) -> impl Iterator<Item = NodeId> + use<> {
        let me = self.id;
        NodeId::all(self.p.n).filter(move |&i| i != me)
    }

    fn apply(map: &mut KvMap, entry: &Entry) {
        if let Command::Put { key, value } = &entry.command {
            store_if_newer(
                map,
                key,
                Cell {
                    value: value.clone(),
                    version: entry.version(),
                },
            );
        }
    }

    fn rebuild_map(&mut self) {
        self.repaired.clear();
        self.map = self.snapshot.map.clone();
        for entry in &self.log {
            Self::apply(&mut self.map, entry);
        }
    }

    /// Stores a value read repair brought, remembering it until settled.
    fn take_repair(&mut self, key: &Text, cell: Cell) {
        let version = cell.version;
        if store_if_newer(&mut self.map, key, cell) {
            self.repaired.push(version);
            // It may be known discarded already.
            self.settle_repairs();
        }
    }

    /// Read repair can carry a value whose entry a failover later discards
    /// (W < majority). Such a value lives outside this node's log, so no
    /// truncation here would remove it and the replicas would never
    /// converge. The committed log settles it: if the entry at its index is
    /// committed, it survived exactly when the terms match; and a committed
    /// entry of a later term at or before its index means no future leader
    /// can hold it (terms never decrease along a log). A discarded value is
    /// dropped by rebuilding the map.
    fn settle_repairs(&mut self) {
        let mut bogus = false;
        let mut i = 0;
        let commit_term = self.term_at(self.commit).unwrap_or(0);
        while i < self.repaired.len() {
            let v = self.repaired[i];
            let settled = if v.index <= self.commit {
                bogus |= self.term_at(v.index) != Some(v.term);
                true
            } else if commit_term > v.term {
                bogus = true;
                true
            } else {
                false
            };
            if settled {
                self.repaired.swap_remove(i);
            } else {
                i += 1;
            }
        }
        if bogus {
            self.rebuild_map();
        }
    }

    /// The course's 503: only the leader takes this request.
    fn refuse_not_leader(&self, req: ReqId, out: &mut Vec<Output>) {
        out.push(Output::Reply {
            req,
            response: Response::NotLeader {
                leader_hint: self.leader,
            },
        });
    }

    fn local_cell(&self, key: &Text) -> Option<Cell> {
        self.map.get(key).cloned()
    }
}

fn msg_term(msg: &Msg) -> Option<u64> {
    match msg {
        Msg::RequestVote { term, .. }
        | Msg::Vote { term, .. }
        | Msg::Append { term, .. }
        | Msg::AppendReply { term, .. }
        | Msg::InstallSnapshot { term, .. } => Some(*term),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
