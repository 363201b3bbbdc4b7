//! The event loop: simulated clock, one event queue ordered by (time, seq),
//! the nodes, the network, the clients, the trace and the statistics. The
//! world owns the only randomness (one [`SimRng`]); nodes get theirs as
//! separately seeded streams handed in at birth.
//!
//! Built to be driven frame by frame: [`World::run_until`] the frame's
//! simulated time, then draw from the read-only views ([`World::node`],
//! [`World::in_flight`], [`World::trace`], [`World::stats`],
//! [`World::history`]); change things only through [`World::apply`].

use crate::client::Session;
use crate::config::{Config, ConfigError};
use crate::history::{HistoryOp, OpKind, Outcome};
use crate::kv::{Level, Text};
use crate::msg::{ClientOp, ClientRequest, Msg, NodeId, Output, ReqId, Response, Role, Timer};
use crate::net::Network;
use crate::node::{Node, Params};
use crate::rng::SimRng;
use crate::scenario::{check_action, ms_to_us, Action, Scenario, ScenarioError};
use crate::stats::{Stats, Summary};
use crate::trace::{DropReason, Trace, TraceEvent, TraceKind};
use crate::workload::{written_value, Draw, Generator, Target, Workload, FIRST_CLIENT};
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap};

mod acks;
mod completions;
mod ids;
mod record;
mod views;

use acks::AckIndex;
pub use completions::Completion;
use ids::IdMap;
pub use record::HistorySink;
use record::{History, OpRecord};
pub use views::{InFlight, NodeView};

enum EventKind {
    Deliver {
        from: NodeId,
        to: NodeId,
        msg: Msg,
        sent_at: u64,
        /// Incarnations at send time: a crash in between kills the message.
        lives: (u32, u32),
        lost: bool,
    },
    Timer {
        node: NodeId,
        life: u32,
        timer: Timer,
    },
    ClientTurn {
        client: u32,
    },
    Action(Action),
}

/// The heap holds only keys: sifting 16-byte integers is what makes the
/// queue cheap; the events themselves stay put in `slots`. A key packs, from
/// the top, the due time (48 bits of µs: 8.9 years), the class (scenario
/// actions first), a sequence number (47 bits) and the slot (32 bits), so one
/// integer comparison orders by (time, class, seq); seq is unique, so the
/// slot never decides.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Key(u128);

/// The latest due time a key can hold; later events are due then.
const LAST_DUE: u64 = (1 << 48) - 1;

impl Key {
    fn new(at: u64, first_in_its_microsecond: bool, seq: u64, slot: u32) -> Key {
        let class = u128::from(!first_in_its_microsecond);
        Key(u128::from(at.min(LAST_DUE)) << 80
            | class << 79
            | u128::from(seq & ((1 << 47) - 1)) << 32
            | u128::from(slot))
    }
    fn at(&self) -> u64 {
        (self.0 >> 80) as u64
    }
    fn slot(&self) -> u32 {
        self.0 as u32
    }
}

impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Key {
    /// Reversed: `BinaryHeap` is a max-heap and the earliest event goes first.
    fn cmp(&self, other: &Self) -> Ordering {
        other.0.cmp(&self.0)
    }
}

/// Pending events by slot, with free slots reused.
#[derive(Default)]
struct Slots {
    events: Vec<Option<EventKind>>,
    free: Vec<u32>,
}

impl Slots {
    fn put(&mut self, kind: EventKind) -> u32 {
        match self.free.pop() {
            Some(slot) => {
                self.events[slot as usize] = Some(kind);
                slot
            }
            None => {
                self.events.push(Some(kind));
                (self.events.len() - 1) as u32
            }
        }
    }

    fn take(&mut self, slot: u32) -> EventKind {
        self.free.push(slot);
        self.events[slot as usize]
            .take()
            .expect("a queued slot holds an event")
    }
}

/// A client operation the world is waiting on.
struct PendingOp {
    client: u32,
    node: NodeId,
    op: OpKind,
    key: Text,
    /// For a write, the value written.
    value: Option<Text>,
    level: Level,
    invoke: u64,
}

pub struct World {
    config: Config,
    seed: u64,
    now: u64,
    seq: u64,
    queue: BinaryHeap<Key>,
    slots: Slots,
    nodes: Vec<Node>,
    alive: Vec<bool>,
    lives: Vec<u32>,
    net: Network,
    rng: SimRng,
    trace: Trace,
    stats: Stats,
    sessions: IdMap<u32, Session>,
    pending: IdMap<ReqId, PendingOp>,
    next_req: ReqId,
    workload: Option<Generator>,
    key_names: Vec<Text>,
    history: History,
    acks: AckIndex,
    completions: completions::Completions,
    /// Acknowledged writes not yet known committed or lost, as (index,
    /// term). A set of pairs, not a map by index: with W ≤ N/2 a new leader
    /// acknowledges its own write at the index of one its predecessor
    /// acknowledged, and at most one of the two can survive.
    unsettled: BTreeSet<(u64, u64)>,
    /// Who led each recent term, to catch two leaders in one term.
    leaders: BTreeMap<u64, NodeId>,
    out: Vec<Output>,
}

/// Recent terms remembered for the one-leader-per-term check.
const LEADER_MEMORY: usize = 64;

impl World {
    pub fn new(config: Config, seed: u64) -> Result<World, ConfigError> {
        config.validate()?;
        let mut rng = SimRng::new(seed);
        let params = Params::from_config(&config);
        let nodes: Vec<Node> = (0..config.n)
            .map(|id| Node::new(id, params.clone(), SimRng::new(rng.next_u64())))
            .collect();
        let mut world = World {
            net: Network::new(&config),
            trace: Trace::new(config.trace_window),
            history: History::new(config.history_window),
            acks: AckIndex::default(),
            completions: Default::default(),
            alive: vec![true; config.n],
            lives: vec![0; config.n],
            nodes,
            config,
            seed,
            now: 0,
            seq: 0,
            queue: BinaryHeap::new(),
            slots: Slots::default(),
            rng,
            stats: Stats::default(),
            sessions: IdMap::default(),
            pending: IdMap::default(),
            next_req: 1,
            workload: None,
            key_names: Vec::new(),
            unsettled: BTreeSet::new(),
            leaders: BTreeMap::new(),
            out: Vec::new(),
        };
        for id in 0..world.nodes.len() {
            let mut out = std::mem::take(&mut world.out);
            world.nodes[id].start(0, &mut out);
            world.process(id, &mut out);
            world.out = out;
        }
        Ok(world)
    }

    /// Replays a scenario: its actions are queued now, in order, so the run
    /// is the same every time.
    pub fn from_scenario(scenario: &Scenario) -> Result<World, ScenarioError> {
        scenario.validate()?;
        let mut world = World::new(scenario.config.clone(), scenario.seed)
            .map_err(|e| ScenarioError(format!("config: {e}")))?;
        if let Some(w) = &scenario.workload {
            world
                .start_workload(w.clone())
                .map_err(|e| ScenarioError(format!("workload: {e}")))?;
        }
        for (at, action) in &scenario.actions {
            let at = ms_to_us(*at).expect("validated");
            // Watched like a live one, so a replayed operation's reply can
            // be shown too (World::scheduled_request).
            if let Some((client, ..)) = action.client_request() {
                world.completions.expect(client, at);
            }
            world.schedule(at, EventKind::Action(action.clone()));
        }
        Ok(world)
    }

    /// Starts generating client operations now.
    pub fn start_workload(&mut self, spec: Workload) -> Result<(), String> {
        spec.validate(self.config.n)?;
        self.key_names = (0..spec.keys)
            .map(|k| Text::from(format!("k{k}")))
            .collect();
        let generator = Generator::new(spec);
        // A client still waiting on an answer takes its next turn when it
        // comes; a second turn now would double its rate.
        let idle: Vec<u32> = (FIRST_CLIENT..FIRST_CLIENT + generator.spec.clients)
            .filter(|c| !self.sessions.get(c).is_some_and(|s| s.busy))
            .collect();
        for client in idle {
            let at = self.now + generator.think_us(&mut self.rng);
            self.schedule(at, EventKind::ClientTurn { client });
        }
        self.workload = Some(generator);
        Ok(())
    }

    /// Stops issuing workload operations (those in flight complete).
    pub fn stop_workload(&mut self) {
        self.workload = None;
        // Turns still queued would otherwise run on under a later workload,
        // next to the turns that one schedules.
        let slots = &mut self.slots;
        self.queue.retain(|key| {
            let turn = matches!(
                slots.events[key.slot() as usize],
                Some(EventKind::ClientTurn { .. })
            );
            if turn {
                slots.take(key.slot());
            }
            !turn
        });
    }

    /// Streams every history record, not just the window, to `sink`.
    pub fn set_history_sink(&mut self, sink: HistorySink) {
        self.history.sink = Some(sink);
    }

    fn schedule(&mut self, at: u64, kind: EventKind) {
        self.seq += 1;
        // Scenario actions go before every other event due the same
        // microsecond, in the order they were scheduled. A learner's live
        // action is scheduled late and its replay at the start, so without
        // this a same-microsecond delivery would run before one and after
        // the other, and a shared link would replay a different run.
        let first = matches!(kind, EventKind::Action(_));
        let slot = self.slots.put(kind);
        self.queue.push(Key::new(at, first, self.seq, slot));
    }

    /// Processes one event; false when nothing is left to happen.
    pub fn step(&mut self) -> bool {
        let Some(key) = self.queue.pop() else {
            return false;
        };
        self.now = key.at();
        self.stats.events += 1;
        match self.slots.take(key.slot()) {
            EventKind::Deliver {
                from,
                to,
                msg,
                lives,
                lost,
                ..
            } => self.deliver(from, to, msg, lives, lost),
            EventKind::Timer { node, life, timer } => {
                if self.alive[node] && self.lives[node] == life {
                    self.trace
                        .record(self.now, TraceKind::Timer { node, timer });
                    let mut out = std::mem::take(&mut self.out);
                    self.nodes[node].on_timer(self.now, timer, &mut out);
                    self.process(node, &mut out);
                    self.out = out;
                }
            }
            EventKind::ClientTurn { client } => self.client_turn(client),
            EventKind::Action(action) => {
                // Validated when scheduled; a scenario cannot make it fail.
                let _ = self.apply(&action);
            }
        }
        true
    }

    /// Runs every event up to and including time `t` (µs); the clock ends at `t`.
    pub fn run_until(&mut self, t: u64) {
        while self.queue.peek().is_some_and(|e| e.at() <= t) {
            self.step();
        }
        self.now = self.now.max(t);
    }

    /// Runs `count` events (or fewer if the queue empties).
    pub fn run_events(&mut self, count: u64) {
        for _ in 0..count {
            if !self.step() {
                break;
            }
        }
    }

    fn deliver(&mut self, from: NodeId, to: NodeId, msg: Msg, lives: (u32, u32), lost: bool) {
        let kind = msg.kind();
        let reason = if lost {
            Some(DropReason::Lost)
        } else if !self.alive[to] || self.lives[to] != lives.1 {
            Some(DropReason::ReceiverCrashed)
        } else if !self.alive[from] || self.lives[from] != lives.0 {
            Some(DropReason::SenderCrashed)
        } else if self.net.is_blocked(from, to) {
            Some(DropReason::Partitioned)
        } else {
            None
        };
        if let Some(reason) = reason {
            self.stats.messages_dropped += 1;
            self.trace.record(
                self.now,
                TraceKind::Drop {
                    from,
                    to,
                    kind,
                    reason,
                },
            );
            return;
        }
        self.stats.messages_delivered += 1;
        self.trace
            .record(self.now, TraceKind::Deliver { from, to, kind });
        let mut out = std::mem::take(&mut self.out);
        self.nodes[to].on_message(self.now, from, msg, &mut out);
        self.process(to, &mut out);
        self.out = out;
    }

    /// Carries out what node `id` asked for.
    fn process(&mut self, id: NodeId, out: &mut Vec<Output>) {
        for output in out.drain(..) {
            match output {
                Output::Send { to, msg } => self.send(id, to, msg),
                Output::SetTimer { timer, at } => {
                    let life = self.lives[id];
                    self.schedule(
                        at,
                        EventKind::Timer {
                            node: id,
                            life,
                            timer,
                        },
                    );
                }
                Output::Reply { req, response } => self.complete(req, response),
                Output::RoleChanged { role, term } => {
                    self.trace.record(
                        self.now,
                        TraceKind::Role {
                            node: id,
                            role,
                            term,
                        },
                    );
                    if role == Role::Leader {
                        self.stats.elections += 1;
                        if self
                            .leaders
                            .insert(term, id)
                            .is_some_and(|other| other != id)
                        {
                            self.stats.split_brains += 1;
                        }
                        while self.leaders.len() > LEADER_MEMORY {
                            self.leaders.pop_first();
                        }
                    }
                }
                Output::Applied { from, to } => {
                    self.trace
                        .record(self.now, TraceKind::Applied { node: id, from, to });
                }
                Output::Committed { to } => {
                    self.trace
                        .record(self.now, TraceKind::Committed { node: id, to });
                    self.settle(id, to);
                }
                Output::Truncated { from } => {
                    self.trace
                        .record(self.now, TraceKind::Truncated { node: id, from });
                }
            }
        }
    }

    fn send(&mut self, from: NodeId, to: NodeId, msg: Msg) {
        let kind = msg.kind();
        let lost = self.net.lose(&mut self.rng);
        let deliver_at = self.now + self.net.latency_us(kind, &mut self.rng);
        self.stats.messages_sent += 1;
        self.trace.record(
            self.now,
            TraceKind::Send {
                from,
                to,
                kind,
                deliver_at,
                lost,
            },
        );
        let lives = (self.lives[from], self.lives[to]);
        let sent_at = self.now;
        self.schedule(
            deliver_at,
            EventKind::Deliver {
                from,
                to,
                msg,
                sent_at,
                lives,
                lost,
            },
        );
    }

    /// Settles at once the acknowledgements up to `index` if some node has
    /// committed that far: a leader cut off in a minority acknowledges
    /// (W ≤ N/2) at indexes the majority may have committed long ago, and
    /// no later commit would look back at them.
    fn settle_if_committed(&mut self, index: u64) {
        let (node, commit) = (0..self.nodes.len())
            .map(|i| (i, self.nodes[i].commit_index()))
            .max_by_key(|&(_, c)| c)
            .expect("a cluster has nodes");
        if commit >= index {
            self.settle(node, commit);
        }
    }

    /// Committed entries are final: an acknowledged write whose index `node`
    /// has committed (up to `to`) with another term's entry is lost for good.
    fn settle(&mut self, node: NodeId, to: u64) {
        let settled: Vec<(u64, u64)> = self.unsettled.range(..=(to, u64::MAX)).copied().collect();
        for (index, term) in settled {
            self.unsettled.remove(&(index, term));
            if self.nodes[node].term_at(index) != Some(term) {
                self.stats.lost_acked_writes += 1;
            }
        }
    }

    // Actions.

    /// Does what a learner (or a scenario) asks, now. Node numbers in
    /// actions start at 1.
    pub fn apply(&mut self, action: &Action) -> Result<(), String> {
        let mut config = self.config.clone();
        check_action(action, &mut config)?;
        if let Some((client, node, op)) = action.client_request() {
            self.invoke(client, node, op);
            return Ok(());
        }
        match action {
            Action::Read { .. } | Action::Write { .. } | Action::Delete { .. } => {}
            Action::StartWorkload(spec) => {
                self.stop_workload();
                self.start_workload(spec.clone())?;
            }
            Action::StopWorkload => self.stop_workload(),
            Action::Crash { node } => self.crash(node - 1),
            Action::Restart { node } => self.restart(node - 1),
            Action::Partition { groups } => {
                let groups: Vec<Vec<NodeId>> = groups
                    .iter()
                    .map(|g| g.iter().map(|k| k - 1).collect())
                    .collect();
                self.net.partition(self.config.n, &groups);
                self.trace
                    .record(self.now, TraceKind::Links { partitioned: true });
            }
            Action::Cut { from, to } => {
                let from: Vec<NodeId> = from.iter().map(|k| k - 1).collect();
                let to: Vec<NodeId> = to.iter().map(|k| k - 1).collect();
                self.net.cut_one_way(&from, &to);
                self.trace
                    .record(self.now, TraceKind::Links { partitioned: true });
            }
            Action::Heal => {
                self.net.heal();
                self.trace
                    .record(self.now, TraceKind::Links { partitioned: false });
            }
            Action::Set(_) => {
                self.config = config;
                self.net.configure(&self.config);
                let params = Params::from_config(&self.config);
                for node in &mut self.nodes {
                    node.set_params(params.clone());
                }
                self.trace.record(self.now, TraceKind::Setting);
            }
        }
        Ok(())
    }

    fn crash(&mut self, id: NodeId) {
        if !self.alive[id] {
            return;
        }
        self.alive[id] = false;
        // A new incarnation: its timers and messages in flight die.
        self.lives[id] += 1;
        self.trace.record(self.now, TraceKind::Crash { node: id });
        let mut dead: Vec<ReqId> = self
            .pending
            .iter()
            .filter(|(_, p)| p.node == id)
            .map(|(&req, _)| req)
            .collect();
        // In request order, whatever order the map keeps.
        dead.sort_unstable();
        for req in dead {
            let p = self.pending.remove(&req).expect("listed");
            // The client's connection broke: it never learns the outcome.
            let outcome = if p.op == OpKind::Read {
                Outcome::Fail
            } else {
                Outcome::Unknown
            };
            self.finish(req, p, None, None, outcome);
        }
    }

    fn restart(&mut self, id: NodeId) {
        if self.alive[id] {
            return;
        }
        self.alive[id] = true;
        self.trace.record(self.now, TraceKind::Restart { node: id });
        let mut out = std::mem::take(&mut self.out);
        self.nodes[id].restart(self.now, &mut out);
        self.process(id, &mut out);
        self.out = out;
    }

    // Clients.

    fn client_turn(&mut self, client: u32) {
        let Some(generator) = &mut self.workload else {
            return;
        };
        if generator.exhausted() {
            return;
        }
        generator.issued += 1;
        let (draw, key) = (generator.op(&mut self.rng), generator.key(&mut self.rng));
        let (target, follow) = (generator.spec.target, generator.spec.follow_leader);
        let n = self.config.n;
        let home = match target {
            Target::Spread => (client - FIRST_CLIENT) as usize % n,
            Target::Node(k) => k - 1,
            Target::Random => self.rng.below(n as u64) as usize,
        };
        let key = self.key_names[key as usize].clone();
        let session = self.sessions.entry(client).or_default();
        let write_node = if follow {
            session.leader_hint.unwrap_or(home)
        } else {
            home
        };
        let (node, op) = match draw {
            Draw::Read(level) => (home, ClientOp::Read { key, level }),
            Draw::Write => {
                session.next_seq += 1;
                let value = written_value(client, session.next_seq);
                (write_node, ClientOp::Write { key, value })
            }
            Draw::Delete => (write_node, ClientOp::Delete { key }),
        };
        session.busy = true;
        self.invoke(client, node, op);
    }

    /// A client sends `op` to `node` now. Returns the request id.
    fn invoke(&mut self, client: u32, node: NodeId, op: ClientOp) -> ReqId {
        let req = self.next_req;
        self.next_req += 1;
        self.completions.invoked(client, self.now, req);
        let session = self.sessions.entry(client).or_default();
        let (kind, key, value, level) = match &op {
            ClientOp::Read { key, level } => (OpKind::Read, key.clone(), None, *level),
            ClientOp::Write { key, value } => (
                OpKind::Write,
                key.clone(),
                Some(value.clone()),
                Level::Eventual,
            ),
            ClientOp::Delete { key } => (OpKind::Delete, key.clone(), None, Level::Eventual),
        };
        let token = session.token(level);
        self.stats.ops += 1;
        match kind {
            OpKind::Read => {
                self.stats.reads += 1;
                self.stats.reads_by_level[level as usize] += 1;
            }
            OpKind::Write => self.stats.writes += 1,
            OpKind::Delete => self.stats.deletes += 1,
        }
        self.trace.record(
            self.now,
            TraceKind::Invoke {
                client,
                node,
                req,
                op: kind,
            },
        );
        let pending = PendingOp {
            client,
            node,
            op: kind,
            key,
            value,
            level,
            invoke: self.now,
        };
        if !self.alive[node] {
            // Connection refused: certainly no effect.
            self.finish(req, pending, Some(self.now), None, Outcome::Fail);
            return req;
        }
        self.pending.insert(req, pending);
        let mut out = std::mem::take(&mut self.out);
        self.nodes[node].on_client_request(self.now, ClientRequest { req, op, token }, &mut out);
        self.process(node, &mut out);
        self.out = out;
        req
    }

    fn complete(&mut self, req: ReqId, response: Response) {
        self.completions.record(req, &response);
        let Some(p) = self.pending.remove(&req) else {
            return;
        };
        let latency = self.now - p.invoke;
        let session = self.sessions.entry(p.client).or_default();
        let outcome = match &response {
            Response::Written {
                version,
                achieved_quorum,
            } => {
                session.written = session.written.max(*version);
                if *achieved_quorum {
                    self.stats.acked_writes += 1;
                    self.stats.write_latency.record(latency);
                    self.acks.record(
                        &p.key,
                        self.now,
                        self.next_req,
                        *version,
                        self.config.read_timeout_ms * 2000,
                    );
                    Outcome::Ok
                } else {
                    self.stats.writes_without_quorum += 1;
                    Outcome::Unknown
                }
            }
            Response::Read { version, .. } => {
                session.read = session.read.max(*version);
                self.stats.read_latency.record(latency);
                if *version < self.acks.newest_before(&p.key, req) {
                    self.stats.stale_reads += 1;
                    self.stats.stale_by_level[p.level as usize] += 1;
                }
                Outcome::Ok
            }
            Response::NotLeader { leader_hint } => {
                session.leader_hint = *leader_hint;
                self.stats.not_leader += 1;
                Outcome::Fail
            }
            Response::Failed(_) => Outcome::Fail,
        };
        if outcome == Outcome::Ok {
            // A client that got an answer from a leader knows whom to write to.
            if self.nodes[p.node].role() == Role::Leader {
                session.leader_hint = Some(p.node);
            }
        }
        if let Response::Written {
            version,
            achieved_quorum: true,
        } = response
        {
            // Committed on the acknowledging node: final, not lost.
            if self.nodes[p.node].commit_index() < version.index {
                self.unsettled.insert((version.index, version.term));
                self.settle_if_committed(version.index);
            }
        }
        let value = match response {
            Response::Read { value, .. } => value,
            _ => None,
        };
        self.finish(req, p, Some(self.now), value, outcome);
    }

    /// Records the operation's end in the history and frees its client.
    fn finish(
        &mut self,
        req: ReqId,
        p: PendingOp,
        complete: Option<u64>,
        value: Option<Text>,
        outcome: Outcome,
    ) {
        match outcome {
            Outcome::Fail => self.stats.failed_ops += 1,
            Outcome::Unknown => self.stats.unknown_ops += 1,
            Outcome::Ok => {}
        }
        self.stats.completed += 1;
        self.trace.record(
            self.now,
            TraceKind::Complete {
                client: p.client,
                req,
                outcome,
            },
        );
        // The history shows a write's value whatever became of it.
        let value = match p.op {
            OpKind::Read => value,
            OpKind::Write => p.value.clone(),
            OpKind::Delete => None,
        };
        let client = p.client;
        self.history.push(OpRecord {
            client,
            node: p.node,
            op: p.op,
            key: p.key,
            value,
            level: p.level,
            invoke: p.invoke,
            complete,
            outcome,
        });
        let session = self.sessions.entry(client).or_default();
        if session.busy {
            session.busy = false;
            if let Some(generator) = &self.workload {
                let at = self.now + generator.think_us(&mut self.rng);
                self.schedule(at, EventKind::ClientTurn { client });
            }
        }
    }

    /// Heals every fault (partitions, loss, crashes), stops the workload and
    /// runs until the cluster agrees on one committed log and no operation
    /// is pending, or `limit_us` more simulated time has passed. Acknowledged
    /// writes missing from the agreed log are then counted lost.
    pub fn heal_and_converge(&mut self, limit_us: u64) -> bool {
        self.stop_workload();
        let _ = self.apply(&Action::Heal);
        if self.config.drop > 0.0 {
            let _ = self.apply(&Action::Set(crate::scenario::Settings {
                drop: Some(0.0),
                ..Default::default()
            }));
        }
        for id in 0..self.nodes.len() {
            self.restart(id);
        }
        let deadline = self.now + limit_us;
        let slice = self.config.heartbeat_ms * 1000;
        while self.now < deadline {
            self.run_until(self.now + slice);
            if self.converged() && self.pending.is_empty() {
                if let Some(leader) = self.leader() {
                    let commit = self.nodes[leader].commit_index();
                    self.settle(leader, commit);
                    // Anything unsettled beyond the agreed log was truncated away.
                    let beyond: Vec<(u64, u64)> =
                        self.unsettled.range((commit + 1, 0)..).copied().collect();
                    for write in beyond {
                        self.unsettled.remove(&write);
                        self.stats.lost_acked_writes += 1;
                    }
                }
                return true;
            }
        }
        false
    }

    /// One live leader, every node alive, and all holding the same log,
    /// all of it committed.
    pub fn converged(&self) -> bool {
        let Some(leader) = self.leader() else {
            return false;
        };
        let l = &self.nodes[leader];
        self.alive.iter().all(|&a| a)
            && l.commit_index() == l.last_index()
            && self.nodes.iter().all(|n| {
                n.last_index() == l.last_index()
                    && n.last_term() == l.last_term()
                    && n.commit_index() == l.commit_index()
            })
    }

    /// The live leader of the highest term, if any.
    pub fn leader(&self) -> Option<NodeId> {
        (0..self.nodes.len())
            .filter(|&i| self.alive[i] && self.nodes[i].role() == Role::Leader)
            .max_by_key(|&i| self.nodes[i].term())
    }
}

impl World {
    pub fn now(&self) -> u64 {
        self.now
    }
    pub fn seed(&self) -> u64 {
        self.seed
    }
    pub fn config(&self) -> &Config {
        &self.config
    }
    pub fn stats(&self) -> &Stats {
        &self.stats
    }
    pub fn trace(&self) -> impl DoubleEndedIterator<Item = &TraceEvent> + ExactSizeIterator {
        self.trace.recent()
    }
    pub fn trace_hash(&self) -> u64 {
        self.trace.hash()
    }
    pub fn trace_total(&self) -> u64 {
        self.trace.total()
    }
    /// The recent history window, oldest first, as history lines.
    pub fn history(&self) -> impl DoubleEndedIterator<Item = HistoryOp> + ExactSizeIterator + '_ {
        self.history.window.iter().map(OpRecord::to_history)
    }
    pub fn session(&self, client: u32) -> Option<&Session> {
        self.sessions.get(&client)
    }
    /// The node itself, read-only (log, map, ...).
    pub fn node_state(&self, id: NodeId) -> &Node {
        &self.nodes[id]
    }
    pub fn is_alive(&self, id: NodeId) -> bool {
        self.alive[id]
    }
    pub fn is_partitioned(&self) -> bool {
        self.net.is_partitioned()
    }
    pub fn pending_ops(&self) -> usize {
        self.pending.len()
    }
    /// Events waiting in the queue.
    pub fn queued_events(&self) -> usize {
        self.queue.len()
    }
    /// Sizes of everything that could grow, to show memory stays flat.
    pub fn memory(&self) -> Memory {
        Memory {
            queue: self.queue.len(),
            trace_window: self.trace.recent().len(),
            history_window: self.history.window.len(),
            max_log_len: self.nodes.iter().map(|n| n.log_len()).max().unwrap_or(0),
            max_keys: self.nodes.iter().map(|n| n.map().len()).max().unwrap_or(0),
            pending_ops: self.pending.len(),
            node_pending: self.nodes.iter().map(|n| n.pending_requests()).sum(),
            unsettled_writes: self.unsettled.len(),
            ack_index: self.acks.len(),
            sessions: self.sessions.len(),
        }
    }
}

/// Lengths of the world's collections at one moment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Memory {
    pub queue: usize,
    pub trace_window: usize,
    pub history_window: usize,
    pub max_log_len: usize,
    pub max_keys: usize,
    pub pending_ops: usize,
    pub node_pending: usize,
    pub unsettled_writes: usize,
    pub ack_index: usize,
    pub sessions: usize,
}

impl Memory {
    /// The larger of each field.
    pub fn max(self, o: Memory) -> Memory {
        Memory {
            queue: self.queue.max(o.queue),
            trace_window: self.trace_window.max(o.trace_window),
            history_window: self.history_window.max(o.history_window),
            max_log_len: self.max_log_len.max(o.max_log_len),
            max_keys: self.max_keys.max(o.max_keys),
            pending_ops: self.pending_ops.max(o.pending_ops),
            node_pending: self.node_pending.max(o.node_pending),
            unsettled_writes: self.unsettled_writes.max(o.unsettled_writes),
            ack_index: self.ack_index.max(o.ack_index),
            sessions: self.sessions.max(o.sessions),
        }
    }
}

impl World {
    /// Queues `action` for simulated time `at_us` (validated now against
    /// the current settings).
    pub fn schedule_action(&mut self, at_us: u64, action: Action) -> Result<(), String> {
        check_action(&action, &mut self.config.clone())?;
        let at = at_us.max(self.now);
        if let Some((client, ..)) = action.client_request() {
            self.completions.expect(client, at);
        }
        self.schedule(at, EventKind::Action(action));
        Ok(())
    }
}

impl World {
    /// Runs on in 100 ms slices until the workload has issued all its
    /// operations and none is pending; `after_slice` sees each slice's end.
    /// A workload without an operation count never finishes: stop it first
    /// (as [`World::replay_to_end`] does).
    pub fn run_until_quiet(&mut self, mut after_slice: impl FnMut(&World)) {
        while !(self.workload_finished() && self.pending.is_empty()) {
            self.run_until(self.now + 100_000);
            after_slice(self);
        }
    }

    /// Ends a scenario's replay: runs to `end_us`, where a workload without
    /// an operation count (a page's, shared in a link) stops issuing, then
    /// until a counted workload is done and every operation has completed.
    pub fn replay_to_end(&mut self, end_us: u64, after_slice: impl FnMut(&World)) {
        self.run_until(end_us);
        if self.workload.as_ref().is_some_and(|g| g.spec.ops == 0) {
            self.stop_workload();
        }
        self.run_until_quiet(after_slice);
    }

    /// Whether the workload has issued all its operations (or there is none).
    pub fn workload_finished(&self) -> bool {
        self.workload.as_ref().is_none_or(|g| g.exhausted())
    }

    /// The run so far, as `quorum run --json` prints it.
    pub fn summary(&self) -> Summary {
        let s = &self.stats;
        Summary {
            ops: s.ops,
            reads: s.reads,
            writes: s.writes,
            deletes: s.deletes,
            stale_reads: s.stale_reads,
            lost_acked_writes: s.lost_acked_writes,
            acked_writes: s.acked_writes,
            failed_ops: s.failed_ops,
            unknown_ops: s.unknown_ops,
            read_latency_ms_p50: s.read_latency.quantile_ms(0.5),
            read_latency_ms_p99: s.read_latency.quantile_ms(0.99),
            write_latency_ms_p50: s.write_latency.quantile_ms(0.5),
            write_latency_ms_p99: s.write_latency.quantile_ms(0.99),
            elections: s.elections,
            split_brains: s.split_brains,
            events: s.events,
            sim_time_ms: self.now as f64 / 1000.0,
            converged: self.converged(),
            trace_hash: format!("{:016x}", self.trace.hash()),
        }
    }
}
