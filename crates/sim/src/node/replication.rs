//! The log: a leader appends (term, index) entries and pushes them with
//! AppendEntries; followers check the previous entry, truncate a conflicting
//! suffix, and apply what they hold at once (this is a Dynamo-flavoured store:
//! replicas expose what they hold, committed or not, which is what makes
//! eventual reads fresh or stale). The client's W acknowledgement and Raft's
//! majority commit index are tracked separately: W < majority acknowledges
//! writes that a failover can still discard.

use super::{Node, PendingWrite};
use crate::kv::{Text, Version};
use crate::msg::{Command, Entry, Msg, NodeId, Output, ReqId, Response, Role, Snapshot};
use std::rc::Rc;

/// Entries per AppendEntries: bounds message size while a follower catches up.
const MAX_BATCH: u64 = 64;

/// A follower's answer to one append or snapshot, built up as it is handled.
#[derive(Clone, Copy)]
struct Reply {
    success: bool,
    index: u64,
    round: u64,
    heartbeat: bool,
}

impl Reply {
    fn new(round: u64, heartbeat: bool) -> Reply {
        Reply {
            success: false,
            index: 0,
            round,
            heartbeat,
        }
    }

    fn refuse(self, resume_at: u64) -> Reply {
        Reply {
            success: false,
            index: resume_at,
            ..self
        }
    }

    fn accept(self, matched: u64) -> Reply {
        Reply {
            success: true,
            index: matched,
            ..self
        }
    }
}

impl Node {
    pub(super) fn client_put(
        &mut self,
        now: u64,
        req: ReqId,
        key: Text,
        value: Option<Text>,
        out: &mut Vec<Output>,
    ) {
        if self.role != Role::Leader {
            self.refuse_not_leader(req, out);
            return;
        }
        let index = self.append_local(Command::Put { key, value }, out);
        let deadline = now + self.p.write_timeout_us;
        self.writes.push(PendingWrite {
            req,
            version: Version {
                term: self.term,
                index,
            },
            deadline,
        });
        self.arm_deadline(deadline, out);
        self.send_appends(self.peers(), out);
        self.ack_writes(out);
        self.advance_commit(out);
    }

    /// Appends and applies on the leader; returns the new index.
    pub(super) fn append_local(&mut self, command: Command, out: &mut Vec<Output>) -> u64 {
        let entry = Entry {
            term: self.term,
            index: self.last_index() + 1,
            command,
        };
        let index = entry.index;
        Self::apply(&mut self.map, &entry);
        self.log.push(entry);
        self.match_index[self.id] = index;
        out.push(Output::Applied {
            from: index,
            to: index,
        });
        self.answer_session_reads(out);
        index
    }

    /// A new heartbeat round to every peer, carrying whatever each lacks.
    pub(super) fn broadcast(&mut self, out: &mut Vec<Output>) {
        self.round += 1;
        self.send_appends(self.peers(), out);
    }

    /// Sends each peer what follows its nextIndex, or the snapshot when
    /// that was compacted away. Advances nextIndex optimistically
    /// (pipelining); a rejection moves it back. Peers at the same nextIndex,
    /// the usual case, share one batch: one allocation, not one per peer.
    fn send_appends(&mut self, peers: impl IntoIterator<Item = NodeId>, out: &mut Vec<Output>) {
        let mut shared: Option<(u64, u64, Rc<[Entry]>)> = None;
        for to in peers {
            let next = self.next_index[to];
            if next <= self.snapshot.last_index {
                self.next_index[to] = self.snapshot.last_index + 1;
                out.push(Output::Send {
                    to,
                    msg: Msg::InstallSnapshot {
                        term: self.term,
                        snapshot: self.snapshot.clone(),
                        round: self.round,
                    },
                });
                continue;
            }
            let prev_index = next - 1;
            let end = self.last_index().min(prev_index + MAX_BATCH);
            let entries = match &shared {
                _ if end <= prev_index => self.no_entries.clone(),
                Some((p, e, batch)) if (*p, *e) == (prev_index, end) => batch.clone(),
                _ => {
                    let base = self.snapshot.last_index;
                    let batch: Rc<[Entry]> =
                        Rc::from(&self.log[(prev_index - base) as usize..(end - base) as usize]);
                    shared = Some((prev_index, end, batch.clone()));
                    batch
                }
            };
            self.next_index[to] = end + 1;
            out.push(Output::Send {
                to,
                msg: Msg::Append {
                    term: self.term,
                    prev_index,
                    prev_term: self.term_at(prev_index).unwrap_or(0),
                    entries,
                    commit: self.commit,
                    round: self.round,
                },
            });
        }
    }

    fn reply_append(&self, to: NodeId, reply: Reply, out: &mut Vec<Output>) {
        out.push(Output::Send {
            to,
            msg: Msg::AppendReply {
                term: self.term,
                success: reply.success,
                index: reply.index,
                round: reply.round,
                heartbeat: reply.heartbeat,
            },
        });
    }

    /// Accepts the leader of a current term: follows it and resets the
    /// election deadline. False for a stale term, which gets a rejection.
    fn accept_leader(
        &mut self,
        now: u64,
        from: NodeId,
        term: u64,
        reply: Reply,
        out: &mut Vec<Output>,
    ) -> bool {
        if term < self.term {
            self.reply_append(from, reply.refuse(0), out);
            return false;
        }
        if self.role != Role::Follower || self.leader != Some(from) {
            self.become_follower(now, term, Some(from), out);
        }
        self.reset_election_deadline(now);
        true
    }

    pub(super) fn on_append(&mut self, now: u64, from: NodeId, append: Msg, out: &mut Vec<Output>) {
        let Msg::Append {
            term,
            prev_index,
            prev_term,
            entries,
            commit,
            round,
        } = append
        else {
            return;
        };
        let reply = Reply::new(round, entries.is_empty());
        if !self.accept_leader(now, from, term, reply, out) {
            return;
        }
        if prev_index > self.last_index() {
            // A gap: something in between was lost or is still in flight.
            self.reply_append(from, reply.refuse(self.last_index() + 1), out);
            return;
        }
        if prev_index > self.snapshot.last_index && self.term_at(prev_index) != Some(prev_term) {
            // Everything up to our commit index matches any leader's log, so
            // resume right after it instead of stepping back one entry a trip.
            self.reply_append(from, reply.refuse(self.commit + 1), out);
            return;
        }
        let mut truncated_from = None;
        let mut first_new = None;
        for entry in entries.iter() {
            if entry.index <= self.snapshot.last_index {
                continue;
            }
            if entry.index <= self.last_index() {
                if self.term_at(entry.index) == Some(entry.term) {
                    continue;
                }
                self.log
                    .truncate((entry.index - self.snapshot.last_index - 1) as usize);
                truncated_from = Some(entry.index);
            }
            if truncated_from.is_none() {
                Self::apply(&mut self.map, entry);
            }
            first_new.get_or_insert(entry.index);
            self.log.push(entry.clone());
        }
        if let Some(from_index) = truncated_from {
            // Values the discarded entries wrote must vanish: this is where an
            // acknowledged write made with W < majority can be lost.
            self.rebuild_map();
            out.push(Output::Truncated { from: from_index });
        }
        let matched = prev_index + entries.len() as u64;
        if let Some(first) = first_new {
            out.push(Output::Applied {
                from: first,
                to: self.last_index(),
            });
            self.answer_session_reads(out);
        }
        self.commit = self.commit.max(commit.min(matched));
        self.settle_repairs();
        self.compact();
        self.reply_append(from, reply.accept(matched), out);
    }

    pub(super) fn on_install_snapshot(
        &mut self,
        now: u64,
        from: NodeId,
        term: u64,
        snapshot: Rc<Snapshot>,
        round: u64,
        out: &mut Vec<Output>,
    ) {
        let reply = Reply::new(round, false);
        if !self.accept_leader(now, from, term, reply, out) {
            return;
        }
        let last = snapshot.last_index;
        if last > self.commit {
            let before = self.last_index();
            if self.term_at(last) == Some(snapshot.last_term) {
                // Our log agrees up to the snapshot: keep what follows it.
                let keep_from = (last - self.snapshot.last_index) as usize;
                self.log.drain(..keep_from.min(self.log.len()));
            } else {
                if self.last_index() > self.snapshot.last_index {
                    out.push(Output::Truncated {
                        from: self.snapshot.last_index + 1,
                    });
                }
                self.log.clear();
            }
            self.snapshot = snapshot;
            self.commit = last;
            // Rebuilding also drops repaired values: the snapshot has what survived.
            self.rebuild_map();
            out.push(Output::Applied {
                from: before.min(last) + 1,
                to: self.last_index(),
            });
            self.answer_session_reads(out);
        }
        self.reply_append(from, reply.accept(last), out);
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn on_append_reply(
        &mut self,
        _now: u64,
        from: NodeId,
        term: u64,
        success: bool,
        index: u64,
        round: u64,
        out: &mut Vec<Output>,
    ) {
        if self.role != Role::Leader || term != self.term {
            return;
        }
        self.round_acked[from] = self.round_acked[from].max(round);
        if success {
            self.match_index[from] = self.match_index[from].max(index);
            self.next_index[from] = self.next_index[from].max(index + 1);
            self.ack_writes(out);
            self.advance_commit(out);
        } else if index != self.next_index[from] {
            self.next_index[from] = index.max(1);
            self.send_appends([from], out);
        }
        self.answer_linearizable_reads(out);
    }

    /// Acknowledges every pending write that W nodes (this one included) hold.
    pub(super) fn ack_writes(&mut self, out: &mut Vec<Output>) {
        let upto = self.held_by(self.p.w);
        let mut i = 0;
        while i < self.writes.len() {
            let version = self.writes[i].version;
            // A write from an earlier leadership of ours only counts while its
            // entry is still the one at its index: match indexes describe
            // this term's log.
            if version.index <= upto && self.term_at(version.index) == Some(version.term) {
                let pw = self.writes.remove(i);
                out.push(Output::Reply {
                    req: pw.req,
                    response: Response::Written {
                        version,
                        achieved_quorum: true,
                    },
                });
            } else {
                i += 1;
            }
        }
    }

    /// The highest index that at least `count` nodes (this one included) hold.
    fn held_by(&self, count: usize) -> u64 {
        let mut held = self.match_index;
        let held = &mut held[..self.p.n];
        held.sort_unstable_by(|a, b| b.cmp(a));
        held[count.clamp(1, self.p.n) - 1]
    }

    /// Raft's commit: the highest index a majority holds, if it is of this term.
    pub(super) fn advance_commit(&mut self, out: &mut Vec<Output>) {
        let majority_holds = self.held_by(self.p.majority());
        if majority_holds > self.commit && self.term_at(majority_holds) == Some(self.term) {
            out.push(Output::Committed { to: majority_holds });
            self.commit = majority_holds;
            self.settle_repairs();
            self.answer_linearizable_reads(out);
        }
    }

    /// Folds committed entries into the snapshot once the log is too long,
    /// so memory stays flat however long the run.
    pub(super) fn compact(&mut self) {
        if self.log.len() <= self.p.log_limit || self.commit <= self.snapshot.last_index {
            return;
        }
        let upto = self.commit.min(self.last_index());
        let count = (upto - self.snapshot.last_index) as usize;
        let mut map = self.snapshot.map.clone();
        for entry in &self.log[..count] {
            Self::apply(&mut map, entry);
        }
        let last_term = self.log[count - 1].term;
        self.log.drain(..count);
        self.snapshot = Rc::new(Snapshot {
            last_index: upto,
            last_term,
            map,
        });
    }
}
