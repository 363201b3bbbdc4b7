//! The steady workloads the engine is benchmarked on, natively (criterion,
//! `cargo bench -p quorum-sim --bench engine`) and in wasm under Chromium
//! (`node scripts/bench-wasm.mjs`), so both measure the same thing.
//!
//! * `course`: 5 nodes, 10 ms + uniform(0, 10) ms latency, 20 clients
//!   offering 2,000 ops/s — what the playground runs, sped up.
//! * `dense`: 5 nodes, 1 ms + exponential jitter, 50 clients offering
//!   20,000 ops/s: client bookkeeping on nearly every event.
//!
//! Events are counted two ways. Trace events are the typed events the trace
//! records: every send, delivery, drop, timer, role change, apply, commit,
//! invoke and completion. Queue events are what the event loop pops: a
//! delivery, a timer or a client's turn, so a message's send and delivery
//! count once. A steady run has about 2.2 trace events per queue event.
//!
//! The checker is benchmarked and regression-tested on recorded histories
//! ([`recorded_history`]), the same ones `quorum run --history` writes.
//!
//! Time travel is benchmarked on [`faulty_timeline`] (`--bench seek`, and
//! `Seek` in wasm): seeks to [`seek_targets`] in a ten-minute run.

use crate::chaos::{self, Faults};
use crate::config::{Config, Jitter};
use crate::dist::Dist;
use crate::history::HistoryOp;
use crate::kv::Level;
use crate::rng::SimRng;
use crate::scenario::Scenario;
use crate::timeline::{Spacing, Timeline};
use crate::workload::Workload;
use crate::world::World;
use std::cell::RefCell;
use std::rc::Rc;

/// Events per measured batch.
pub const EVENTS: u64 = 100_000;

/// How a batch is counted (see the module doc).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Count {
    Trace,
    Queue,
}

impl Count {
    pub fn name(self) -> &'static str {
        match self {
            Count::Trace => "trace events",
            Count::Queue => "queue events",
        }
    }
}

/// Runs `events` events of the given count on `world`.
pub fn run_batch(world: &mut World, count: Count, events: u64) {
    match count {
        Count::Queue => world.run_events(events),
        Count::Trace => {
            let target = world.trace_total() + events;
            while world.trace_total() < target && world.step() {}
        }
    }
}

pub const CASES: [&str; 2] = ["course", "dense"];

/// The named case, already past its first election; `None` for an unknown name.
pub fn world(case: &str) -> Option<World> {
    match case {
        "course" => Some(steady(
            10.0,
            Dist::Uniform { lo: 0.0, hi: 10.0 },
            20,
            2_000.0,
        )),
        "dense" => Some(steady(1.0, Dist::Exponential { rate: 2.0 }, 50, 20_000.0)),
        _ => None,
    }
}

fn steady(latency_ms: f64, jitter: Dist, clients: u32, ops_per_sec: f64) -> World {
    let config = Config {
        n: 5,
        w: 3,
        r: 3,
        latency_ms,
        jitter: Jitter::Dist(jitter),
        ..Config::default()
    };
    let mut world = World::new(config, 42).expect("a valid benchmark config");
    world
        .start_workload(Workload {
            clients,
            ops_per_sec,
            read_fraction: 0.7,
            keys: 100,
            key_skew: 1.0,
            levels: vec![
                (Level::Eventual, 3.0),
                (Level::Strong, 1.0),
                (Level::Causal, 1.0),
            ],
            ..Workload::default()
        })
        .expect("a valid benchmark workload");
    // Past the first election, into the steady state.
    world.run_until(2_000_000);
    world
}

/// The history `quorum run --history` records for these settings: the
/// workload runs to its operation count under the fault plan for the time
/// it should take, then the cluster heals and converges.
pub fn recorded_history(
    config: Config,
    workload: Workload,
    faults: Faults,
    seed: u64,
) -> Vec<HistoryOp> {
    let duration_us = (workload.ops as f64 / workload.ops_per_sec * 1e6) as u64;
    let plan = chaos::plan(faults, config.n, config.drop, duration_us, seed);
    let mut world = World::new(config, seed).expect("a valid config");
    world
        .start_workload(workload)
        .expect("a valid workload with an operation count");
    for (at, action) in plan {
        world.schedule_action(at, action).expect("a planned fault");
    }
    let history = Rc::new(RefCell::new(Vec::new()));
    let sink = Rc::clone(&history);
    world.set_history_sink(Box::new(move |op| sink.borrow_mut().push(op.clone())));
    world.run_until_quiet(|_| {});
    world.heal_and_converge(120_000_000);
    drop(world);
    Rc::try_unwrap(history)
        .expect("the world, and its sink, are gone")
        .into_inner()
}

/// The seek benchmark's run: ten minutes.
pub const SEEK_RUN_US: u64 = 600_000_000;

/// Seeks per benchmark round.
pub const SEEKS: usize = 200;

const FAULTY_SEED: u64 = 42;

/// The start of a run a learner leaves going: N = 5 (W = R = 3), a
/// workload of 20 operations per second over 16 keys at every read level;
/// [`run_faulty`] takes it on.
pub fn faulty_timeline(spacing: Spacing) -> Timeline {
    let config = Config {
        n: 5,
        w: 3,
        r: 3,
        ..Config::default()
    };
    let mut scenario = Scenario::new(config, FAULTY_SEED);
    scenario.workload = Some(Workload {
        clients: 4,
        ops_per_sec: 20.0,
        keys: 16,
        levels: Level::ALL.iter().map(|&l| (l, 1.0)).collect(),
        ..Workload::default()
    });
    Timeline::with_spacing(scenario, spacing)
        .expect("a valid benchmark scenario")
        .0
}

/// Runs a [`faulty_timeline`] on to `until_us`, taking the faults of
/// `chaos::plan(Faults::Mixed, ..)` as a learner takes them: each recorded
/// live as its time comes. A plan is the prefix of a longer one, so a run
/// taken on in pieces gets the same faults as one taken on at once.
pub fn run_faulty(timeline: &mut Timeline, until_us: u64) {
    let now = timeline.live().now();
    let plan = chaos::plan(Faults::Mixed, 5, 0.0, until_us, FAULTY_SEED);
    for (at, action) in plan
        .into_iter()
        .filter(|(at, _)| (now + 1..=until_us).contains(at))
    {
        timeline.advance_to(at - 1);
        timeline.record(at, action).expect("a planned fault");
    }
    timeline.advance_to(until_us);
}

/// [`SEEKS`] pseudo-random times in `[0, run_us]`, the same every time.
pub fn seek_targets(run_us: u64) -> Vec<u64> {
    let mut rng = SimRng::new(0x7365_656b); // "seek"
    (0..SEEKS).map(|_| rng.below(run_us + 1)).collect()
}
