//! The six read levels (their rules and guarantees are tabled on
//! [`Level`]) and read repair.
//!
//! A known gap: a linearizable read answers from the leader's map once the
//! log it had when the read arrived is committed; by then the map may also
//! hold entries appended after the read arrived and not yet committed.
//! Those writes are concurrent with the read, so returning them is allowed,
//! unless such a write is later lost (its client then never got an
//! acknowledgement with W > N/2, but may have with W <= N/2).

use super::{LinRead, Node, QuorumRead, SessionRead};
use crate::config::ReadRepair;
use crate::kv::{Cell, Level, Text, Version};
use crate::msg::{Msg, NodeId, Output, ReqId, Response, Role};

fn answer(cell: Option<&Cell>) -> Response {
    match cell {
        Some(c) => Response::Read {
            value: c.value.clone(),
            version: c.version,
        },
        None => Response::Read {
            value: None,
            version: Version::ZERO,
        },
    }
}

fn version_of(cell: &Option<Cell>) -> Version {
    cell.as_ref().map_or(Version::ZERO, |c| c.version)
}

impl Node {
    pub(super) fn client_read(
        &mut self,
        now: u64,
        req: ReqId,
        key: Text,
        level: Level,
        token: Version,
        out: &mut Vec<Output>,
    ) {
        let give_up_at = now + self.p.read_timeout_us;
        match level {
            Level::Eventual => self.reply_local(req, &key, out),
            Level::ReadYourWrites | Level::MonotonicReads | Level::Causal => {
                if self.applied_version() >= token {
                    self.reply_local(req, &key, out);
                } else {
                    self.session_reads.push(SessionRead {
                        req,
                        key,
                        token,
                        deadline: give_up_at,
                    });
                    self.arm_deadline(give_up_at, out);
                }
            }
            Level::Strong => {
                let own = self.local_cell(&key);
                self.quorum_reads.push(QuorumRead {
                    req,
                    key: key.clone(),
                    replies: vec![(self.id, own)],
                    awaiting: 0,
                    answer: None,
                    deadline: give_up_at,
                });
                if self.p.r <= 1 {
                    self.finish_quorum_read(self.quorum_reads.len() - 1, out);
                    return;
                }
                for to in self.peers() {
                    out.push(Output::Send {
                        to,
                        msg: Msg::ReadReq {
                            req,
                            key: key.clone(),
                        },
                    });
                }
                self.arm_deadline(give_up_at, out);
            }
            Level::Linearizable => {
                if self.role != Role::Leader {
                    self.refuse_not_leader(req, out);
                    return;
                }
                // A round that starts after the read arrived: acks to it prove
                // no newer leader had been elected when the read began.
                self.broadcast(out);
                self.lin_reads.push(LinRead {
                    req,
                    key,
                    round: self.round,
                    index: self.last_index(),
                    deadline: give_up_at,
                });
                self.arm_deadline(give_up_at, out);
                self.answer_linearizable_reads(out);
            }
        }
    }

    fn reply_local(&self, req: ReqId, key: &Text, out: &mut Vec<Output>) {
        out.push(Output::Reply {
            req,
            response: answer(self.map.get(key)),
        });
    }

    /// Answers session reads whose token the applied log now covers.
    pub(super) fn answer_session_reads(&mut self, out: &mut Vec<Output>) {
        if self.session_reads.is_empty() {
            return;
        }
        let applied = self.applied_version();
        let map = &self.map;
        self.session_reads.retain(|read| {
            if applied < read.token {
                return true;
            }
            out.push(Output::Reply {
                req: read.req,
                response: answer(map.get(&read.key)),
            });
            false
        });
    }

    pub(super) fn answer_linearizable_reads(&mut self, out: &mut Vec<Output>) {
        if self.lin_reads.is_empty() || self.role != Role::Leader {
            return;
        }
        let (n, majority, me, commit) = (self.p.n, self.p.majority(), self.id, self.commit);
        let acked = self.round_acked;
        let map = &self.map;
        self.lin_reads.retain(|read| {
            let confirmed = NodeId::all(n)
                .filter(|&i| i == me || acked[i] >= read.round)
                .count();
            if confirmed < majority || commit < read.index {
                return true;
            }
            out.push(Output::Reply {
                req: read.req,
                response: answer(map.get(&read.key)),
            });
            false
        });
    }

    pub(super) fn on_read_reply(
        &mut self,
        from: NodeId,
        req: ReqId,
        cell: Option<Cell>,
        out: &mut Vec<Output>,
    ) {
        let Some(at) = self.quorum_reads.iter().position(|q| q.req == req) else {
            return; // already answered, or given up
        };
        let read = &mut self.quorum_reads[at];
        if read.answer.is_some() || read.replies.iter().any(|(who, _)| *who == from) {
            return;
        }
        read.replies.push((from, cell));
        if read.replies.len() >= self.p.r {
            self.finish_quorum_read(at, out);
        }
    }

    /// R replies are in: answer the newest, repairing stale responders as
    /// the repair mode says.
    fn finish_quorum_read(&mut self, at: usize, out: &mut Vec<Output>) {
        let mode = self.p.read_repair;
        let read = &mut self.quorum_reads[at];
        let best = read
            .replies
            .iter()
            .max_by_key(|(_, cell)| version_of(cell))
            .and_then(|(_, cell)| cell.clone());
        let newest = version_of(&best);
        let mut awaiting = 0u32;
        let mut self_repair = None;
        if let (Some(cell), true) = (&best, mode != ReadRepair::Off) {
            for (who, held) in &read.replies {
                if version_of(held) >= newest {
                    continue;
                }
                if *who == self.id {
                    self_repair = Some((read.key.clone(), cell.clone()));
                    continue;
                }
                let ack = mode == ReadRepair::Blocking;
                if ack {
                    awaiting |= who.bit();
                }
                out.push(Output::Send {
                    to: *who,
                    msg: Msg::Repair {
                        req: read.req,
                        key: read.key.clone(),
                        cell: cell.clone(),
                        ack,
                    },
                });
            }
        }
        if let Some((key, cell)) = self_repair {
            self.take_repair(&key, cell);
        }
        if awaiting == 0 {
            let read = self.quorum_reads.swap_remove(at);
            out.push(Output::Reply {
                req: read.req,
                response: answer(best.as_ref()),
            });
        } else {
            let read = &mut self.quorum_reads[at];
            read.awaiting = awaiting;
            read.answer = best;
        }
    }

    pub(super) fn on_repair_ack(&mut self, from: NodeId, req: ReqId, out: &mut Vec<Output>) {
        let Some(at) = self.quorum_reads.iter().position(|q| q.req == req) else {
            return;
        };
        let read = &mut self.quorum_reads[at];
        read.awaiting &= !from.bit();
        if read.awaiting == 0 && read.answer.is_some() {
            let read = self.quorum_reads.swap_remove(at);
            out.push(Output::Reply {
                req,
                response: answer(read.answer.as_ref()),
            });
        }
    }
}
