//! Replies to the requests a caller chose to wait for, one by one (an
//! in-page console waiting on its own curl command). The history only says
//! how an operation ended for the checker; a caller that shows an HTTP
//! answer needs the node's actual [`Response`] and which request it belongs to.

use super::World;
use crate::msg::{ReqId, Response};
use crate::scenario::{check_action, Action};
use std::collections::BTreeMap;

/// Requests watched at once; a caller that never collects its replies
/// loses the oldest, so memory stays flat.
const WATCH_LIMIT: usize = 64;

/// How a watched request ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Completion {
    Replied(Response),
    /// The node was down, or crashed with the request pending: the client's
    /// connection was refused or broke, and no reply will come.
    Dropped,
}

/// Watched request → its reply once there is one.
#[derive(Default)]
pub(super) struct Completions {
    watched: BTreeMap<ReqId, Option<Response>>,
    /// Client actions queued with [`World::schedule_action`], by (client,
    /// time): the request each became once it ran. A page records a
    /// learner's operation as a scheduled action (so a shared link replays
    /// it) and still wants the node's reply.
    scheduled: BTreeMap<(u32, u64), Option<ReqId>>,
}

impl Completions {
    pub(super) fn record(&mut self, req: ReqId, response: &Response) {
        if let Some(slot) = self.watched.get_mut(&req) {
            *slot = Some(response.clone());
        }
    }

    fn watch(&mut self, req: ReqId) {
        self.watched.insert(req, None);
        if self.watched.len() > WATCH_LIMIT {
            self.watched.pop_first();
        }
    }

    /// A client action for `client` is queued for time `at`.
    pub(super) fn expect(&mut self, client: u32, at: u64) {
        self.scheduled.insert((client, at), None);
        if self.scheduled.len() > WATCH_LIMIT {
            self.scheduled.pop_first();
        }
    }

    /// `client` is about to send request `req` at time `now`.
    pub(super) fn invoked(&mut self, client: u32, now: u64, req: ReqId) {
        if let Some(slot @ None) = self.scheduled.get_mut(&(client, now)) {
            *slot = Some(req);
            self.watch(req);
        }
    }
}

impl World {
    /// Like [`World::apply`] for a read, write or delete, but returns the
    /// request's id for [`World::take_completion`].
    pub fn submit(&mut self, action: &Action) -> Result<ReqId, String> {
        check_action(action, &mut self.config.clone())?;
        let (client, node, op) = action
            .client_request()
            .ok_or("only reads, writes and deletes get replies")?;
        // Watched before invoking: a node may answer within the call.
        let req = self.next_req;
        self.completions.watch(req);
        self.invoke(client, node, op);
        Ok(req)
    }

    /// The request a client action queued with [`World::schedule_action`]
    /// for `client` at `at_us` became, once it ran; its reply then comes
    /// from [`World::take_completion`].
    pub fn scheduled_request(&self, client: u32, at_us: u64) -> Option<ReqId> {
        self.completions
            .scheduled
            .get(&(client, at_us))
            .copied()
            .flatten()
    }

    /// The reply to a request from [`World::submit`], once, when it has one;
    /// `None` while it is pending.
    pub fn take_completion(&mut self, req: ReqId) -> Option<Completion> {
        match self.completions.watched.get(&req) {
            Some(None) if self.pending.contains_key(&req) => None,
            Some(_) => self
                .completions
                .watched
                .remove(&req)
                .flatten()
                .map(Completion::Replied)
                .or(Some(Completion::Dropped)),
            // Never watched, or forgotten: nothing will ever arrive.
            None => Some(Completion::Dropped),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::kv::Level;

    fn world_with_leader() -> (World, usize) {
        let mut world = World::new(Config::default(), 1).unwrap();
        world.run_until(2_000_000);
        let leader = world.leader().expect("a leader after 2 s");
        (world, leader + 1)
    }

    fn write(node: usize) -> Action {
        Action::Write {
            client: 1,
            node,
            key: "name".into(),
            value: "Alice".into(),
        }
    }

    fn wait(world: &mut World, req: ReqId) -> Completion {
        for _ in 0..1_000 {
            if let Some(done) = world.take_completion(req) {
                return done;
            }
            world.run_until(world.now() + 10_000);
        }
        panic!("no completion for request {req}");
    }

    #[test]
    fn a_write_to_the_leader_is_answered_once() {
        let (mut world, leader) = world_with_leader();
        let req = world.submit(&write(leader)).unwrap();
        assert!(world.take_completion(req).is_none(), "still replicating");
        match wait(&mut world, req) {
            Completion::Replied(Response::Written {
                achieved_quorum, ..
            }) => assert!(achieved_quorum),
            other => panic!("{other:?}"),
        }
        assert_eq!(world.take_completion(req), Some(Completion::Dropped));
    }

    #[test]
    fn a_follower_answers_at_once_with_the_leader() {
        let (mut world, leader) = world_with_leader();
        let follower = leader % 3 + 1;
        let req = world.submit(&write(follower)).unwrap();
        assert_eq!(
            world.take_completion(req),
            Some(Completion::Replied(Response::NotLeader {
                leader_hint: Some(leader - 1)
            }))
        );
    }

    #[test]
    fn a_crash_drops_watched_requests_and_refuses_new_ones() {
        let (mut world, leader) = world_with_leader();
        let req = world.submit(&write(leader)).unwrap();
        world.apply(&Action::Crash { node: leader }).unwrap();
        assert_eq!(world.take_completion(req), Some(Completion::Dropped));
        let read = Action::Read {
            client: 1,
            node: leader,
            key: "name".into(),
            level: Level::Eventual,
        };
        let req = world.submit(&read).unwrap();
        assert_eq!(world.take_completion(req), Some(Completion::Dropped));
        assert!(world.submit(&Action::Heal).is_err());
    }

    #[test]
    fn a_scheduled_write_is_answered_like_a_submitted_one() {
        let (mut world, leader) = world_with_leader();
        let at = world.now() + 1;
        world.schedule_action(at, write(leader)).unwrap();
        assert_eq!(world.scheduled_request(1, at), None, "not run yet");
        world.run_until(at);
        let req = world.scheduled_request(1, at).expect("invoked at its time");
        match wait(&mut world, req) {
            Completion::Replied(Response::Written {
                achieved_quorum, ..
            }) => assert!(achieved_quorum),
            other => panic!("{other:?}"),
        }
        let follower = leader % 3 + 1;
        let at = world.now() + 1;
        world.schedule_action(at, write(follower)).unwrap();
        world.run_until(at);
        let req = world.scheduled_request(1, at).unwrap();
        assert!(matches!(
            world.take_completion(req),
            Some(Completion::Replied(Response::NotLeader { .. }))
        ));
    }
}
