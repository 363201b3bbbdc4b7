//! Simulated events per second, 5-node cluster, steady workloads.
//! `cargo bench -p quorum-sim --bench engine`
//!
//! * `course`: 10 ms + uniform(0, 10) ms latency, 20 clients offering
//!   2,000 ops/s — what the playground runs, sped up.
//! * `dense`: 1 ms + exponential jitter, 50 clients offering 20,000 ops/s:
//!   client bookkeeping on nearly every event.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use quorum_sim::config::{Config, Jitter};
use quorum_sim::dist::Dist;
use quorum_sim::kv::Level;
use quorum_sim::workload::Workload;
use quorum_sim::world::World;
use std::hint::black_box;

const EVENTS: u64 = 100_000;

fn steady_world(latency_ms: f64, jitter: Dist, clients: u32, ops_per_sec: f64) -> World {
    let config = Config {
        n: 5,
        w: 3,
        r: 3,
        latency_ms,
        jitter: Jitter::Dist(jitter),
        ..Config::default()
    };
    let mut world = World::new(config, 42).expect("valid");
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
        .expect("valid");
    // Past the first election, into the steady state.
    world.run_until(2_000_000);
    world
}

fn events_per_second(c: &mut Criterion) {
    let mut group = c.benchmark_group("engine");
    group.throughput(Throughput::Elements(EVENTS));
    let cases = [
        (
            "course",
            steady_world(10.0, Dist::Uniform { lo: 0.0, hi: 10.0 }, 20, 2_000.0),
        ),
        (
            "dense",
            steady_world(1.0, Dist::Exponential { rate: 2.0 }, 50, 20_000.0),
        ),
    ];
    for (name, mut world) in cases {
        group.bench_function(name, |b| {
            b.iter(|| {
                world.run_events(EVENTS);
                black_box(world.trace_hash())
            })
        });
    }
    group.finish();
}

criterion_group!(benches, events_per_second);
criterion_main!(benches);
