//! The whole check (every verdict and the linearizability search) on the
//! histories `quorum run --history` writes, made at run time (the largest is
//! 150 MB as a file): `cargo bench -p quorum-sim --bench check`.
//!
//! * `ops/N`: `quorum run --nodes 3 --w 2 --r 2 --level linearizable,strong
//!   --keys 4 --ops N --seed 1`, for N from 1,000 to 1,000,000;
//! * `hot_key/...`: one key, 50 clients at 1,000 ops/s, 20,000 operations,
//!   `--level linearizable,strong`, and `--level strong --faults crash`
//!   (writes left unknown by the crashes, reads of them much later).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use quorum_sim::bench_cases::recorded_history;
use quorum_sim::chaos::Faults;
use quorum_sim::check::{check_with_limit, Linearizability};
use quorum_sim::config::Config;
use quorum_sim::history::HistoryOp;
use quorum_sim::kv::Level;
use quorum_sim::workload::Workload;
use std::hint::black_box;

/// Enough for a million operations: the point is the time a verdict takes.
const STEPS: u64 = 100_000_000;

fn history(workload: Workload, faults: Faults) -> Vec<HistoryOp> {
    let config = Config {
        n: 3,
        w: 2,
        r: 2,
        ..Config::default()
    };
    let history = recorded_history(config, workload, faults, 1);
    // Judged whole: the search must not give up.
    let report = check_with_limit(&history, STEPS).unwrap();
    assert!(matches!(
        report.linearizable,
        Linearizability::Linearizable { .. }
    ));
    history
}

fn mixed_levels() -> Vec<(Level, f64)> {
    vec![(Level::Linearizable, 1.0), (Level::Strong, 1.0)]
}

fn by_size(c: &mut Criterion) {
    let mut group = c.benchmark_group("check");
    group.sample_size(10);
    for ops in [1_000, 10_000, 100_000, 1_000_000] {
        let history = history(
            Workload {
                clients: 3,
                ops_per_sec: 100.0,
                ops,
                keys: 4,
                levels: mixed_levels(),
                ..Workload::default()
            },
            Faults::None,
        );
        group.throughput(Throughput::Elements(ops));
        group.bench_with_input(BenchmarkId::new("ops", ops), &history, |b, h| {
            b.iter(|| check_with_limit(black_box(h), STEPS).unwrap())
        });
    }
    group.finish();
}

fn hot_key(c: &mut Criterion) {
    let mut group = c.benchmark_group("check");
    group.sample_size(10);
    let cases = [
        ("hot_key/linearizable_strong", mixed_levels(), Faults::None),
        (
            "hot_key/strong_crash",
            vec![(Level::Strong, 1.0)],
            Faults::Crash,
        ),
    ];
    for (name, levels, faults) in cases {
        let history = history(
            Workload {
                clients: 50,
                ops_per_sec: 1_000.0,
                ops: 20_000,
                keys: 1,
                levels,
                ..Workload::default()
            },
            faults,
        );
        group.bench_function(name, |b| {
            b.iter(|| check_with_limit(black_box(&history), STEPS).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, by_size, hot_key);
criterion_main!(benches);
