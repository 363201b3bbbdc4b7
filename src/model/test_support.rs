//! What the model's tests share: a fresh default run, time passing, and
//! answers arriving.

use super::{Model, Msg};

/// The page's first visit: the default scenario, as a learner gets it.
pub fn model() -> Model {
    Model::new(crate::link::default_scenario())
}

/// Runs `ms` of simulated time in 16 ms frames at speed 1×, without
/// skipping quiet time, so simulated time passes exactly.
pub fn run(m: &mut Model, ms: u64) {
    m.update(Msg::Speed(6));
    m.update(Msg::SkipQuiet(false));
    for _ in 0..ms / 16 {
        m.update(Msg::Frame(16.0));
    }
}

/// Frames at the page's defaults (slow motion, quiet time skipped) until
/// `done` holds; the wall milliseconds that took.
pub fn frames_until(m: &mut Model, limit_ms: f64, done: impl Fn(&Model) -> bool) -> f64 {
    let mut wall = 0.0;
    while !done(m) {
        assert!(wall < limit_ms, "not within {limit_ms} ms of wall time");
        m.update(Msg::Frame(16.0));
        wall += 16.0;
    }
    wall
}
