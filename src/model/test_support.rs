//! What the model's tests share: a fresh course cluster, and time passing.

use super::{Model, Msg};
use quorum_sim::config::Config;
use quorum_sim::scenario::Scenario;

pub fn model() -> Model {
    Model::new(Scenario::new(Config::default(), 1))
}

/// Runs `ms` of simulated time in 16 ms frames at speed 1×.
pub fn run(m: &mut Model, ms: u64) {
    m.update(Msg::Speed(6));
    for _ in 0..ms / 16 {
        m.update(Msg::Frame(16.0));
    }
}
