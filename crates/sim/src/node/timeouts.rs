//! Client request timeouts. A node keeps one `Deadline` timer armed at the
//! earliest deadline among its pending requests, rather than one timer per
//! request: nearly every request finishes in time, and a timer per request
//! would fill the event queue with events that do nothing.

use super::Node;
use crate::msg::{FailReason, Output, Response, Timer};

impl Node {
    /// Makes sure a `Deadline` timer fires no later than `at`.
    pub(super) fn arm_deadline(&mut self, at: u64, out: &mut Vec<Output>) {
        if self.deadline_at.is_none_or(|armed| at < armed) {
            self.deadline_at = Some(at);
            out.push(Output::SetTimer {
                timer: Timer::Deadline,
                at,
            });
        }
    }

    /// Gives up on every request whose deadline has passed, then re-arms for
    /// the next one. A write that runs out of time stays where it landed and
    /// may still commit, so the client only learns "unknown"; a read that
    /// runs out of time had no effect and fails.
    pub(super) fn on_deadline(&mut self, now: u64, out: &mut Vec<Output>) {
        if self.deadline_at.is_some_and(|armed| armed <= now) {
            self.deadline_at = None;
        }
        self.writes.retain(|w| {
            if w.deadline > now {
                return true;
            }
            out.push(Output::Reply {
                req: w.req,
                response: Response::Written {
                    version: w.version,
                    achieved_quorum: false,
                },
            });
            false
        });
        let fail = |out: &mut Vec<Output>, req, reason| {
            out.push(Output::Reply {
                req,
                response: Response::Failed(reason),
            })
        };
        self.session_reads.retain(|r| {
            let keep = r.deadline > now;
            if !keep {
                fail(out, r.req, FailReason::NotCaughtUp);
            }
            keep
        });
        self.quorum_reads.retain(|r| {
            let keep = r.deadline > now;
            if !keep {
                fail(out, r.req, FailReason::NoQuorum);
            }
            keep
        });
        self.lin_reads.retain(|r| {
            let keep = r.deadline > now;
            if !keep {
                fail(out, r.req, FailReason::LeadershipUnconfirmed);
            }
            keep
        });
        let next = (self.writes.iter().map(|w| w.deadline))
            .chain(self.session_reads.iter().map(|r| r.deadline))
            .chain(self.quorum_reads.iter().map(|r| r.deadline))
            .chain(self.lin_reads.iter().map(|r| r.deadline))
            .min();
        if let Some(at) = next {
            self.arm_deadline(at, out);
        }
    }
}
