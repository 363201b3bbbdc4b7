//! Simulated events per second on the steady workloads of
//! `quorum_sim::bench_cases`, counted as trace events and as queue events
//! (the wasm twin: `node scripts/bench-wasm.mjs`).
//! `cargo bench -p quorum-sim --bench engine`

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use quorum_sim::bench_cases::{run_batch, world, Count, CASES, EVENTS};
use std::hint::black_box;

fn events_per_second(c: &mut Criterion) {
    for count in [Count::Trace, Count::Queue] {
        let mut group = c.benchmark_group(format!("engine {}", count.name()));
        group.throughput(Throughput::Elements(EVENTS));
        for name in CASES {
            let mut world = world(name).expect("a known case");
            group.bench_function(name, |b| {
                b.iter(|| {
                    run_batch(&mut world, count, EVENTS);
                    black_box(world.trace_hash())
                })
            });
        }
        group.finish();
    }
}

criterion_group!(benches, events_per_second);
criterion_main!(benches);
