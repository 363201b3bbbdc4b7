//! Simulated events per second: a 5-node cluster under a steady workload.
//! `cargo bench -p quorum-sim --bench engine`

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use quorum_sim::config::{Config, Jitter};
use quorum_sim::dist::Dist;
use quorum_sim::kv::Level;
use quorum_sim::workload::Workload;
use quorum_sim::world::World;
use std::hint::black_box;

const EVENTS: u64 = 100_000;

fn steady_world() -> World {
    let config = Config {
        n: 5,
        w: 3,
        r: 3,
        latency_ms: 1.0,
        jitter: Jitter::Dist(Dist::Exponential { rate: 2.0 }),
        ..Config::default()
    };
    let mut world = World::new(config, 42).expect("valid");
    world
        .start_workload(Workload {
            clients: 50,
            ops_per_sec: 20_000.0,
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
    world.run_until(1_000_000);
    world
}

fn events_per_second(c: &mut Criterion) {
    let mut group = c.benchmark_group("engine");
    group.throughput(Throughput::Elements(EVENTS));
    let mut world = steady_world();
    group.bench_function("5 nodes steady workload", |b| {
        b.iter(|| {
            world.run_events(EVENTS);
            black_box(world.trace_hash())
        })
    });
    group.finish();
}

criterion_group!(benches, events_per_second);
criterion_main!(benches);
