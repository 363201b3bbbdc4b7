//! Clients: the operations they send, their sessions, and the workload
//! generator that drives many of them. Every answer goes to the observer
//! for judging, to the history, and to the ticket a caller holds.

use super::ids::IdMap;
use super::observer::{Invoked, Lag, ReadJudgement};
use super::queue::EventKind;
use super::record::OpRecord;
use super::tickets::{Answer, Done, ReadContext, Ticket};
use super::World;
use crate::client::Session;
use crate::errors::WorkloadError;
use crate::history::{OpKind, Outcome};
use crate::kv::{Level, Text};
use crate::msg::{ClientOp, ClientRequest, NodeId, ReqId, Response, Role};
use crate::series::Bucket;
use crate::workload::{written_value, Draw, Generator, Target, Workload, FIRST_CLIENT};

/// A client operation the world is waiting on.
#[derive(Clone)]
pub(super) struct PendingOp {
    pub client: u32,
    pub node: NodeId,
    pub op: OpKind,
    pub key: Text,
    /// For a write, the value written.
    pub value: Option<Text>,
    pub level: Level,
    pub invoke: u64,
    pub ticket: Option<Ticket>,
}

impl PendingOp {
    fn invoked(&self) -> Invoked {
        Invoked {
            client: self.client,
            invoke: self.invoke,
        }
    }
}

/// How an operation ended, as `finish` records it.
struct Ending {
    complete: Option<u64>,
    answer: Answer,
    outcome: Outcome,
    /// What a read returned.
    value: Option<Text>,
    judgement: Option<ReadJudgement>,
}

#[derive(Clone)]
pub(super) struct Clients {
    pub sessions: IdMap<u32, Session>,
    pub pending: IdMap<ReqId, PendingOp>,
    next_req: ReqId,
    pub workload: Option<Generator>,
    key_names: Vec<Text>,
}

impl Default for Clients {
    fn default() -> Self {
        Clients {
            sessions: IdMap::default(),
            pending: IdMap::default(),
            next_req: 1,
            workload: None,
            key_names: Vec::new(),
        }
    }
}

impl World {
    /// Starts generating client operations now.
    pub fn start_workload(&mut self, spec: Workload) -> Result<(), WorkloadError> {
        spec.validate(self.config.n)?;
        self.clients.key_names = (0..spec.keys)
            .map(|k| Text::from(format!("k{k}")))
            .collect();
        let generator = Generator::new(spec);
        // A client still waiting on an answer takes its next turn when it
        // comes; a second turn now would double its rate.
        let idle: Vec<u32> = (FIRST_CLIENT..FIRST_CLIENT + generator.spec.clients)
            .filter(|c| !self.clients.sessions.get(c).is_some_and(|s| s.busy))
            .collect();
        for client in idle {
            let at = self.now + generator.think_us(&mut self.rng);
            self.queue.push(at, EventKind::ClientTurn { client });
        }
        self.clients.workload = Some(generator);
        Ok(())
    }

    /// Stops issuing workload operations (those in flight complete).
    pub fn stop_workload(&mut self) {
        self.clients.workload = None;
        // Turns still queued would otherwise run on under a later workload,
        // next to the turns that one schedules.
        self.queue
            .discard(|kind| matches!(kind, EventKind::ClientTurn { .. }));
    }

    pub(super) fn client_turn(&mut self, client: u32) {
        let Some(generator) = &mut self.clients.workload else {
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
            Target::Spread => NodeId::at((client - FIRST_CLIENT) as usize % n),
            Target::Node(k) => k,
            Target::Random => NodeId::at(self.rng.below(n as u64) as usize),
        };
        let key = self.clients.key_names[key as usize].clone();
        let session = self.clients.sessions.entry(client).or_default();
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
        self.invoke(client, node, op, None);
    }

    /// A client sends `op` to `node` now; its answer is filed under `ticket`.
    pub(super) fn invoke(
        &mut self,
        client: u32,
        node: NodeId,
        op: ClientOp,
        ticket: Option<Ticket>,
    ) {
        let req = self.clients.next_req;
        self.clients.next_req += 1;
        if let Some(ticket) = ticket {
            self.tickets.invoked(ticket, req);
        }
        let session = self.clients.sessions.entry(client).or_default();
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
            crate::trace::TraceKind::Invoke {
                client,
                node,
                req,
                op: kind,
            },
        );
        if kind != OpKind::Read {
            self.observer
                .write_invoked(req, client, &key, value.clone(), self.now);
        }
        let pending = PendingOp {
            client,
            node,
            op: kind,
            key,
            value,
            level,
            invoke: self.now,
            ticket,
        };
        if !self.alive[node] {
            // Connection refused: certainly no effect.
            if kind != OpKind::Read {
                self.observer.write_done(
                    req,
                    pending.invoked(),
                    Some(self.now),
                    Outcome::Fail,
                    None,
                );
            }
            self.finish(
                req,
                pending,
                Ending {
                    complete: Some(self.now),
                    answer: Answer::Dropped,
                    outcome: Outcome::Fail,
                    value: None,
                    judgement: None,
                },
            );
            return;
        }
        self.clients.pending.insert(req, pending);
        self.drive(node, |n, now, out| {
            n.on_client_request(now, ClientRequest { req, op, token }, out)
        });
    }

    pub(super) fn complete(&mut self, req: ReqId, response: Response) {
        let Some(p) = self.clients.pending.remove(&req) else {
            return;
        };
        let latency = self.now - p.invoke;
        let session = self.clients.sessions.entry(p.client).or_default();
        let mut judgement = None;
        let outcome = match &response {
            Response::Written {
                version,
                achieved_quorum,
            } => {
                session.written = session.written.max(*version);
                let outcome = if *achieved_quorum {
                    self.stats.acked_writes += 1;
                    self.stats.write_latency.record(latency);
                    Outcome::Ok
                } else {
                    self.stats.writes_without_quorum += 1;
                    Outcome::Unknown
                };
                self.observer
                    .write_done(req, p.invoked(), Some(self.now), outcome, Some(*version));
                if *achieved_quorum {
                    self.observer
                        .acknowledged(&self.nodes, p.node, *version, &mut self.stats);
                }
                outcome
            }
            Response::Read { version, value } => {
                session.read = session.read.max(*version);
                self.stats.read_latency.record(latency);
                judgement = Some(self.observer.read_done(
                    p.invoked(),
                    &p.key,
                    p.level,
                    value.as_ref(),
                    self.now,
                    &mut self.stats,
                ));
                Outcome::Ok
            }
            Response::NotLeader { leader_hint } => {
                session.leader_hint = *leader_hint;
                self.stats.not_leader += 1;
                if p.op != OpKind::Read {
                    self.observer
                        .write_done(req, p.invoked(), Some(self.now), Outcome::Fail, None);
                }
                Outcome::Fail
            }
            Response::Failed(_) => Outcome::Fail,
        };
        if outcome == Outcome::Ok && self.nodes[p.node].role() == Role::Leader {
            // A client that got an answer from a leader knows whom to write to.
            session.leader_hint = Some(p.node);
        }
        let value = match &response {
            Response::Read { value, .. } => value.clone(),
            _ => None,
        };
        self.finish(
            req,
            p,
            Ending {
                complete: Some(self.now),
                answer: Answer::Replied(response),
                outcome,
                value,
                judgement,
            },
        );
    }

    /// The connection to a crashed node broke with `req` pending.
    pub(super) fn broken(&mut self, req: ReqId, p: PendingOp) {
        // The client never learns the outcome.
        let outcome = if p.op == OpKind::Read {
            Outcome::Fail
        } else {
            self.observer
                .write_done(req, p.invoked(), None, Outcome::Unknown, None);
            Outcome::Unknown
        };
        self.finish(
            req,
            p,
            Ending {
                complete: None,
                answer: Answer::Dropped,
                outcome,
                value: None,
                judgement: None,
            },
        );
    }

    /// Records the operation's end in the history and the ticket, and
    /// frees its client.
    fn finish(&mut self, req: ReqId, p: PendingOp, end: Ending) {
        match end.outcome {
            Outcome::Fail => self.stats.failed_ops += 1,
            Outcome::Unknown => self.stats.unknown_ops += 1,
            Outcome::Ok => {}
        }
        self.stats.completed += 1;
        let answered_read = p.op == OpKind::Read && end.outcome == Outcome::Ok;
        self.series.record(
            self.now,
            Bucket {
                reads: answered_read.into(),
                stale_reads: end.judgement.as_ref().is_some_and(|j| j.is_stale()).into(),
                completed: 1,
                succeeded: (end.outcome == Outcome::Ok).into(),
                elections: 0,
            },
        );
        self.trace.record(
            self.now,
            crate::trace::TraceKind::Complete {
                client: p.client,
                req,
                outcome: end.outcome,
            },
        );
        if let Some(ticket) = p.ticket.filter(|_| self.tickets.finish(req).is_some()) {
            let context = end
                .judgement
                .as_ref()
                .and_then(|j| self.read_context(&p.key, p.node, &j.lag));
            self.tickets.file(
                ticket,
                Done {
                    invoked_us: p.invoke,
                    answered_us: self.now,
                    answer: end.answer,
                    judgement: end.judgement.clone(),
                    context,
                },
            );
        }
        // The history shows a write's value whatever became of it.
        let value = match p.op {
            OpKind::Read => end.value,
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
            complete: end.complete,
            outcome: end.outcome,
            judgement: end.judgement,
        });
        let session = self.clients.sessions.entry(client).or_default();
        if session.busy {
            session.busy = false;
            if let Some(generator) = &self.clients.workload {
                let at = self.now + generator.think_us(&mut self.rng);
                self.queue.push(at, EventKind::ClientTurn { client });
            }
        }
    }

    /// Where the write a read missed stood when `node` answered it.
    fn read_context(&self, key: &Text, node: NodeId, lag: &Lag) -> Option<ReadContext> {
        let missed = match lag {
            Lag::Stale { newer, .. } => newer,
            Lag::InFlight { write } => write,
            Lag::Fresh | Lag::Unexplained => return None,
        };
        Some(ReadContext {
            holders: self.holders(key, missed),
            replicate_due_us: self.replicate_due(node, key, missed),
            cut_off: self
                .leader()
                .is_some_and(|l| l != node && self.net.is_blocked(l, node)),
        })
    }
}
