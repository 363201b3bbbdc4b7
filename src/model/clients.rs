//! The learner's clients (Client 1, Client 2, ...), the workload generator
//! and the curl console: what they send and what came back.

use quorum_sim::scenario::Action;
use quorum_sim::world::World;

/// What a learner does in the clients area.
#[derive(Clone, Debug, PartialEq)]
pub enum ClientMsg {}

#[derive(Default)]
pub struct Clients {}

impl Clients {
    /// Handles `msg`; returns the actions to apply to the world (the model
    /// records each one in the scenario, then calls [`Clients::applied`]).
    pub fn update(&mut self, msg: ClientMsg, _world: &World) -> Vec<Action> {
        match msg {}
    }

    /// `action` was scheduled at simulated time `at_us` and recorded.
    pub fn applied(&mut self, _at_us: u64, _action: &Action) {}

    /// Called once per frame, after the world advanced.
    pub fn observe(&mut self, _world: &mut World) {}
}
