//! Simulated events per second on the steady workloads of
//! `quorum_sim::bench_cases` (the wasm twin: `node scripts/bench-wasm.mjs`).
//! `cargo bench -p quorum-sim --bench engine`

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use quorum_sim::bench_cases::{world, CASES, EVENTS};
use std::hint::black_box;

fn events_per_second(c: &mut Criterion) {
    let mut group = c.benchmark_group("engine");
    group.throughput(Throughput::Elements(EVENTS));
    for name in CASES {
        let mut world = world(name).expect("a known case");
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
