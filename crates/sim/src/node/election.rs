//! Raft leader election: terms, randomized timeouts, votes restricted to
//! candidates whose log is at least as up to date, majority wins, heartbeats,
//! step-down on a higher term.

use super::Node;
use crate::kv::Version;
use crate::msg::{Command, FailReason, Msg, NodeId, Output, Response, Role, Timer};

impl Node {
    /// A new random election deadline. A node re-arms its single timer lazily
    /// (see `on_election_timer`), so a heartbeat costs no timer event.
    pub(super) fn reset_election_deadline(&mut self, now: u64) {
        let spread = self.p.election_max_us - self.p.election_min_us;
        self.election_deadline = now + self.p.election_min_us + self.rng.below(spread + 1);
    }

    pub(super) fn arm_election(&mut self, out: &mut Vec<Output>) {
        if !self.election_armed {
            self.election_armed = true;
            out.push(Output::SetTimer {
                timer: Timer::Election,
                at: self.election_deadline,
            });
        }
    }

    pub(super) fn on_election_timer(&mut self, now: u64, out: &mut Vec<Output>) {
        self.election_armed = false;
        if self.role == Role::Leader {
            return;
        }
        if now < self.election_deadline {
            // The deadline moved while this timer was pending: a leader was heard.
            self.arm_election(out);
            return;
        }
        self.start_election(now, out);
    }

    fn start_election(&mut self, now: u64, out: &mut Vec<Output>) {
        self.term += 1;
        self.voted_for = Some(self.id);
        self.role = Role::Candidate;
        self.leader = None;
        self.votes = self.id.bit();
        out.push(Output::RoleChanged {
            role: Role::Candidate,
            term: self.term,
        });
        self.reset_election_deadline(now);
        self.arm_election(out);
        if self.p.majority() == 1 {
            self.become_leader(now, out);
            return;
        }
        let (last_index, last_term) = (self.last_index(), self.last_term());
        for to in self.peers() {
            out.push(Output::Send {
                to,
                msg: Msg::RequestVote {
                    term: self.term,
                    last_index,
                    last_term,
                },
            });
        }
    }

    /// Grants at most one vote per term (the vote is durable), and only to a
    /// candidate whose log is at least as up to date as ours — compared by
    /// (last term, last index) — so that a leader always holds every
    /// majority-committed entry.
    pub(super) fn on_request_vote(
        &mut self,
        now: u64,
        from: NodeId,
        term: u64,
        last: Version,
        out: &mut Vec<Output>,
    ) {
        let up_to_date = last >= self.applied_version();
        let granted = term == self.term && self.voted_for.is_none_or(|v| v == from) && up_to_date;
        if granted {
            self.voted_for = Some(from);
            self.reset_election_deadline(now);
        }
        out.push(Output::Send {
            to: from,
            msg: Msg::Vote {
                term: self.term,
                granted,
            },
        });
    }

    pub(super) fn on_vote(
        &mut self,
        now: u64,
        from: NodeId,
        term: u64,
        granted: bool,
        out: &mut Vec<Output>,
    ) {
        if self.role != Role::Candidate || term != self.term || !granted {
            return;
        }
        self.votes |= from.bit();
        if self.votes.count_ones() as usize >= self.p.majority() {
            self.become_leader(now, out);
        }
    }

    fn become_leader(&mut self, now: u64, out: &mut Vec<Output>) {
        self.role = Role::Leader;
        self.leader = Some(self.id);
        let next = self.last_index() + 1;
        self.next_index = [next; crate::config::MAX_NODES];
        self.match_index = [0; crate::config::MAX_NODES];
        self.round_acked = [0; crate::config::MAX_NODES];
        out.push(Output::RoleChanged {
            role: Role::Leader,
            term: self.term,
        });
        // Raft commits by counting only current-term entries; the no-op lets
        // the new leader commit (and linearizable reads trust) what its
        // predecessors left.
        self.append_local(Command::Noop, out);
        self.broadcast(out);
        self.advance_commit(out);
        if !self.heartbeat_armed {
            self.heartbeat_armed = true;
            out.push(Output::SetTimer {
                timer: Timer::Heartbeat,
                at: now + self.p.heartbeat_us,
            });
        }
    }

    /// Follows `term`. A deposed leader's linearizable reads fail at once: it
    /// can no longer confirm anything. Its pending writes wait for their
    /// timeout, since they may still commit under the next leader.
    pub(super) fn become_follower(
        &mut self,
        now: u64,
        term: u64,
        leader: Option<NodeId>,
        out: &mut Vec<Output>,
    ) {
        if term > self.term {
            self.term = term;
            self.voted_for = None;
        }
        let was = self.role;
        self.role = Role::Follower;
        self.leader = leader;
        if was != Role::Follower {
            out.push(Output::RoleChanged {
                role: Role::Follower,
                term: self.term,
            });
        }
        if was == Role::Leader {
            for read in self.lin_reads.drain(..) {
                out.push(Output::Reply {
                    req: read.req,
                    response: Response::Failed(FailReason::LeadershipUnconfirmed),
                });
            }
            self.reset_election_deadline(now);
        }
        self.arm_election(out);
    }

    pub(super) fn on_heartbeat_timer(&mut self, now: u64, out: &mut Vec<Output>) {
        self.heartbeat_armed = false;
        if self.role != Role::Leader {
            return;
        }
        self.broadcast(out);
        // Only here: entries committed by an ack are reported (`Committed`)
        // before they can be compacted away, so the world can settle them.
        self.compact();
        self.heartbeat_armed = true;
        out.push(Output::SetTimer {
            timer: Timer::Heartbeat,
            at: now + self.p.heartbeat_us,
        });
    }
}
