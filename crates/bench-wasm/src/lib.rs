//! The engine exported to JavaScript, outside the page's bundle:
//! * its benchmark cases, so a browser can time them: `new Bench("course")`,
//!   then `bench.run(100000, true)` per batch of trace events;
//! * time travel in a ten-minute run: `new Seek(2000, 64)` builds it with a
//!   checkpoint every 2 s, 64 at most, then `seek.seek(i)` per target;
//! * [`replay`], so a browser test can check that a scenario runs to the
//!   same trace in wasm as natively.

use quorum_sim::bench_cases::{
    faulty_timeline, run_batch, run_faulty, seek_targets, Count, SEEK_RUN_US,
};
use quorum_sim::scenario::Scenario;
use quorum_sim::timeline::{Spacing, Timeline};
use quorum_sim::world::World;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
pub struct Bench(World);

#[wasm_bindgen]
impl Bench {
    #[wasm_bindgen(constructor)]
    pub fn new(case: &str) -> Result<Bench, JsError> {
        quorum_sim::bench_cases::world(case)
            .map(Bench)
            .ok_or_else(|| JsError::new(&format!("no benchmark case {case}")))
    }

    /// Runs `events` trace events (or queue events: see
    /// `quorum_sim::bench_cases`); returns the trace hash (as text: it is a
    /// u64), so the work cannot be optimised away.
    pub fn run(&mut self, events: u32, trace_events: bool) -> String {
        let count = if trace_events {
            Count::Trace
        } else {
            Count::Queue
        };
        run_batch(&mut self.0, count, u64::from(events));
        format!("{:016x}", self.0.trace_hash())
    }
}

/// The seek benchmark: `quorum_sim::bench_cases::faulty_timeline` run for
/// ten minutes, and the 200 times to seek to.
#[wasm_bindgen]
pub struct Seek {
    timeline: Timeline,
    targets: Vec<u64>,
}

#[wasm_bindgen]
impl Seek {
    /// Builds the run with a checkpoint every `every_ms`, `most` at most.
    #[wasm_bindgen(constructor)]
    pub fn new(every_ms: u32, most: u32) -> Seek {
        let mut timeline = faulty_timeline(Spacing {
            every_us: u64::from(every_ms) * 1000,
            most: most as usize,
        });
        run_faulty(&mut timeline, SEEK_RUN_US);
        Seek {
            timeline,
            targets: seek_targets(SEEK_RUN_US),
        }
    }

    pub fn targets(&self) -> usize {
        self.targets.len()
    }

    pub fn checkpoints(&self) -> usize {
        self.timeline.checkpoints().len()
    }

    /// Seeks to the `i`-th target; returns the trace hash there (as text).
    pub fn seek(&self, i: usize) -> String {
        format!("{:016x}", self.timeline.at(self.targets[i]).trace_hash())
    }
}

/// Replays a scenario as `quorum run --scenario` does
/// ([`World::replay_to_end`]) and returns the run's summary as that
/// command's `--json` prints it, trace hash included.
#[wasm_bindgen]
pub fn replay(scenario_json: &str) -> Result<String, JsError> {
    let scenario = Scenario::from_json(scenario_json).map_err(|e| JsError::new(&e.to_string()))?;
    let mut world = World::from_scenario(&scenario).map_err(|e| JsError::new(&e.to_string()))?;
    world.replay_to_end(scenario.end_us(), |_| {});
    serde_json::to_string(&world.summary()).map_err(|e| JsError::new(&e.to_string()))
}
