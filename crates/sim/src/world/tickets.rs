//! Tickets: a caller that schedules a client operation (a learner's click, a
//! console command, a scenario's action) gets a ticket, and later collects
//! with it the node's answer, when it came and the observer's verdict.
//! Nothing needs to search the history for them.

use super::observer::ReadJudgement;
use super::World;
use crate::errors::ActionError;
use crate::kv::{Text, Version};
use crate::msg::{NodeId, ReqId, Response};
use crate::scenario::{check_action, Action};
use std::collections::BTreeMap;

/// Answers kept for collection; a caller that never collects loses the
/// oldest, so memory stays flat.
const KEEP: usize = 256;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ticket(pub u64);

/// How a watched request ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    Replied(Response),
    /// The node was down, or crashed with the request pending: the client's
    /// connection was refused or broke, and no reply will come.
    Dropped,
}

/// Where the newer write a read missed stood when the read was answered:
/// the facts behind "its replicate reaches node-2 in 37 ms".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadContext {
    /// Nodes (0-based) whose copy of the key held that write or a newer one.
    pub holders: Vec<NodeId>,
    /// When the replicate carrying it reaches the node that answered, if
    /// one is on its way.
    pub replicate_due_us: Option<u64>,
    /// Whether the leader's messages to the answering node are cut.
    pub cut_off: bool,
}

/// A finished operation, as its ticket reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Done {
    pub invoked_us: u64,
    /// When the answer came (the connection broke at this time for a
    /// dropped request).
    pub answered_us: u64,
    pub answer: Answer,
    /// For a read that returned: the observer's verdict.
    pub judgement: Option<ReadJudgement>,
    /// For a stale read or one that missed a write in flight.
    pub context: Option<ReadContext>,
}

impl Done {
    /// What a read returned, and the version it had.
    pub fn read_value(&self) -> Option<(Option<&Text>, Version)> {
        match &self.answer {
            Answer::Replied(Response::Read { value, version }) => Some((value.as_ref(), *version)),
            _ => None,
        }
    }
}

#[derive(Clone, Default)]
pub(super) struct Tickets {
    next: u64,
    /// The request each ticket became once its operation was invoked.
    requests: BTreeMap<ReqId, Ticket>,
    done: BTreeMap<Ticket, Done>,
    /// Answers filed so far.
    filed: u64,
}

impl Tickets {
    pub(super) fn issue(&mut self) -> Ticket {
        self.next += 1;
        Ticket(self.next)
    }

    pub(super) fn invoked(&mut self, ticket: Ticket, req: ReqId) {
        self.requests.insert(req, ticket);
        if self.requests.len() > KEEP {
            self.requests.pop_first();
        }
    }

    /// The ticket of `req`, if someone holds one: it is then done.
    pub(super) fn finish(&mut self, req: ReqId) -> Option<Ticket> {
        self.requests.remove(&req)
    }

    pub(super) fn file(&mut self, ticket: Ticket, done: Done) {
        self.filed += 1;
        self.done.insert(ticket, done);
        if self.done.len() > KEEP {
            self.done.pop_first();
        }
    }
}

impl World {
    /// Queues `action` for simulated time `at_us` (validated now against the
    /// current settings); a client operation gets the ticket its answer
    /// will be filed under.
    pub fn schedule_action(
        &mut self,
        at_us: u64,
        action: Action,
    ) -> Result<Option<Ticket>, ActionError> {
        check_action(&action, &mut self.config.clone())?;
        let at = at_us.max(self.now);
        let ticket = action.client_request().map(|_| self.tickets.issue());
        self.queue
            .push(at, super::queue::EventKind::Action(action, ticket));
        Ok(ticket)
    }

    /// A client operation sent now; its answer comes under the ticket.
    pub fn submit(&mut self, action: &Action) -> Result<Ticket, ActionError> {
        check_action(action, &mut self.config.clone())?;
        let (client, node, op) = action.client_request().ok_or(ActionError::NotAnOperation)?;
        let ticket = self.tickets.issue();
        self.invoke(client, node, op, Some(ticket));
        Ok(ticket)
    }

    /// How many watched operations have been answered so far: a caller
    /// stepping the world sees at once when one was.
    pub fn answered(&self) -> u64 {
        self.tickets.filed
    }

    /// The finished operation of `ticket`, once, when it is done; `None`
    /// while it waits to be sent or for its answer.
    pub fn take_done(&mut self, ticket: Ticket) -> Option<Done> {
        self.tickets.done.remove(&ticket)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::kv::Level;

    fn world_with_leader() -> (World, NodeId) {
        let mut world = World::new(Config::default(), 1).unwrap();
        world.run_until(2_000_000);
        let leader = world.leader().expect("a leader after 2 s");
        (world, leader)
    }

    fn write(node: NodeId) -> Action {
        Action::Write {
            client: 1,
            node,
            key: "name".into(),
            value: "Alice".into(),
        }
    }

    fn wait(world: &mut World, ticket: Ticket) -> Done {
        for _ in 0..1_000 {
            if let Some(done) = world.take_done(ticket) {
                return done;
            }
            world.run_until(world.now() + 10_000);
        }
        panic!("no answer for {ticket:?}");
    }

    #[test]
    fn a_write_to_the_leader_is_answered_once_with_its_times() {
        let (mut world, leader) = world_with_leader();
        let sent = world.now();
        let ticket = world.submit(&write(leader)).unwrap();
        assert!(world.take_done(ticket).is_none(), "still replicating");
        let done = wait(&mut world, ticket);
        assert!(matches!(
            done.answer,
            Answer::Replied(Response::Written {
                achieved_quorum: true,
                ..
            })
        ));
        assert_eq!(done.invoked_us, sent);
        assert!(done.answered_us >= sent + 100_000, "two 50 ms hops");
        assert_eq!(done.judgement, None, "writes are not judged");
        assert_eq!(world.take_done(ticket), None, "collected once");
    }

    #[test]
    fn a_follower_answers_at_once_with_the_leader() {
        let (mut world, leader) = world_with_leader();
        let follower = NodeId::at((leader.index() + 1) % 3);
        let ticket = world.submit(&write(follower)).unwrap();
        let done = world.take_done(ticket).expect("answered within the call");
        assert_eq!(
            done.answer,
            Answer::Replied(Response::NotLeader {
                leader_hint: Some(leader)
            })
        );
        assert_eq!(done.invoked_us, done.answered_us);
    }

    #[test]
    fn a_crash_drops_requests_and_refuses_new_ones() {
        let (mut world, leader) = world_with_leader();
        let ticket = world.submit(&write(leader)).unwrap();
        world.apply(&Action::Crash { node: leader }).unwrap();
        assert_eq!(world.take_done(ticket).unwrap().answer, Answer::Dropped);
        let read = Action::Read {
            client: 1,
            node: leader,
            key: "name".into(),
            level: Level::Eventual,
        };
        let ticket = world.submit(&read).unwrap();
        assert_eq!(world.take_done(ticket).unwrap().answer, Answer::Dropped);
        assert!(world.submit(&Action::Heal).is_err());
    }

    #[test]
    fn a_scheduled_write_is_answered_like_a_submitted_one() {
        let (mut world, leader) = world_with_leader();
        let at = world.now() + 1;
        let ticket = world.schedule_action(at, write(leader)).unwrap().unwrap();
        assert!(world.take_done(ticket).is_none(), "not run yet");
        let done = wait(&mut world, ticket);
        assert_eq!(done.invoked_us, at);
        assert!(matches!(
            done.answer,
            Answer::Replied(Response::Written {
                achieved_quorum: true,
                ..
            })
        ));
        assert_eq!(
            world.schedule_action(world.now(), Action::Heal).unwrap(),
            None,
            "only client operations get tickets"
        );
    }

    #[test]
    fn a_read_comes_back_judged() {
        let (mut world, leader) = world_with_leader();
        let ticket = world
            .submit(&Action::Read {
                client: 2,
                node: leader,
                key: "name".into(),
                level: Level::Eventual,
            })
            .unwrap();
        let done = world.take_done(ticket).unwrap();
        assert_eq!(done.read_value(), Some((None, Version::ZERO)));
        let judged = done.judgement.expect("a read is judged");
        assert_eq!(judged.lag, super::super::observer::Lag::Fresh);
    }
}
