//! The engine's benchmark cases, exported to JavaScript so a browser can
//! time them: `new Bench("course")`, then `bench.run(100000)` per batch.

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

    /// Runs `events` events; returns the trace hash (as text: it is a u64),
    /// so the work cannot be optimised away.
    pub fn run(&mut self, events: u32) -> String {
        self.0.run_events(u64::from(events));
        format!("{:016x}", self.0.trace_hash())
    }
}
