//! The dispatch loop: pop the earliest event, hand it to whoever it is for,
//! and carry out what a node asked for in return.

use super::queue::EventKind;
use super::World;
use crate::msg::{Msg, NodeId, Output, Role};
use crate::trace::{DropReason, TraceKind};

impl World {
    /// Processes one event; false when nothing is left to happen.
    pub fn step(&mut self) -> bool {
        let Some((at, kind)) = self.queue.pop() else {
            return false;
        };
        self.now = at;
        self.stats.events += 1;
        match kind {
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
                    self.drive(node, |n, now, out| n.on_timer(now, timer, out));
                }
            }
            EventKind::ClientTurn { client } => self.client_turn(client),
            EventKind::Action(action, ticket) => {
                // Validated when scheduled; a scenario cannot make it fail.
                let _ = self.act(&action, ticket);
            }
        }
        true
    }

    /// Runs every event up to and including time `t` (µs); the clock ends at `t`.
    pub fn run_until(&mut self, t: u64) {
        while self.queue.next_at().is_some_and(|at| at <= t) {
            self.step();
        }
        self.now = self.now.max(t);
        self.series.reach(self.now);
    }

    /// Runs `count` events (or fewer if the queue empties).
    pub fn run_events(&mut self, count: u64) {
        for _ in 0..count {
            if !self.step() {
                break;
            }
        }
    }

    /// When the next event is due, if anything is left to happen.
    pub fn next_event_at(&self) -> Option<u64> {
        self.queue.next_at()
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
        if let Some(sink) = self.deliveries.as_mut() {
            sink(&super::Delivery {
                at_us: self.now,
                from,
                to,
                msg: msg.clone(),
            });
        }
        self.drive(to, |n, now, out| n.on_message(now, from, msg, out));
    }

    /// Carries out what node `id` asked for.
    pub(super) fn process(&mut self, id: NodeId, out: &mut Vec<Output>) {
        for output in out.drain(..) {
            match output {
                Output::Send { to, msg } => self.send(id, to, msg),
                Output::SetTimer { timer, at } => {
                    let life = self.lives[id];
                    self.queue.push(
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
                        self.observer.crowned(id, term, &mut self.stats);
                        self.series.record(
                            self.now,
                            crate::series::Bucket {
                                elections: 1,
                                ..Default::default()
                            },
                        );
                    }
                }
                Output::Applied { from, to } => {
                    self.trace
                        .record(self.now, TraceKind::Applied { node: id, from, to });
                }
                Output::Committed { to } => {
                    self.trace
                        .record(self.now, TraceKind::Committed { node: id, to });
                    self.observer.settle(&self.nodes, id, to, &mut self.stats);
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
        self.queue.push(
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
}
