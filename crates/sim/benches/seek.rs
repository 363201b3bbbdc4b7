//! Time travel in a ten-minute run (`quorum_sim::bench_cases::faulty_timeline`:
//! N = 5, 20 ops/s, mixed faults): a seek to each of 200 pseudo-random
//! times, and a step back (the world one event earlier) at each.
//! Criterion times the default checkpoints; before it, a table gives the
//! median, 95th percentile and worst single seek for several spacings, with
//! the checkpoints kept and the heap the timeline holds (counted by a
//! global allocator, whose few nanoseconds per allocation are in every
//! figure). The wasm twin: `node scripts/bench-wasm.mjs`.
//! `cargo bench -p quorum-sim --bench seek`

#[path = "../tests/support/heap.rs"]
mod heap;

#[global_allocator]
static HEAP: heap::Counting = heap::Counting;

use criterion::{criterion_group, criterion_main, Criterion};
use quorum_sim::bench_cases::{faulty_timeline, run_faulty, seek_targets, SEEK_RUN_US};
use quorum_sim::timeline::{Spacing, Timeline};
use std::hint::black_box;
use std::time::Instant;

fn ten_minutes(spacing: Spacing) -> Timeline {
    let mut timeline = faulty_timeline(spacing);
    run_faulty(&mut timeline, SEEK_RUN_US);
    timeline
}

/// Each seek's time in ms, over three rounds of every target.
fn seek_times(timeline: &Timeline, targets: &[u64]) -> Vec<f64> {
    let mut times: Vec<f64> = (0..3)
        .flat_map(|_| targets.iter())
        .map(|&t| {
            let start = Instant::now();
            black_box(timeline.at(t).trace_hash());
            start.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times
}

fn quantile(sorted: &[f64], q: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

fn spacings_table(_: &mut Criterion) {
    let targets = seek_targets(SEEK_RUN_US);
    println!("seek in a 10-minute run, 200 targets x 3: spacing, checkpoints, heap held, seek p50 / p95 / max");
    for (every_s, most) in [(2, 64), (2, 32), (1, 64), (5, 16), (10, 8)] {
        let before = heap::held();
        let timeline = ten_minutes(Spacing {
            every_us: every_s * 1_000_000,
            most,
        });
        let held_mb = (heap::held() - before) as f64 / 1e6;
        let times = seek_times(&timeline, &targets);
        println!(
            "every {every_s:>2} s, at most {most:>2}: {:>2} checkpoints, {held_mb:5.1} MB, seek {:.2} / {:.2} / {:.2} ms",
            timeline.checkpoints().len(),
            quantile(&times, 0.5),
            quantile(&times, 0.95),
            times[times.len() - 1],
        );
    }
}

fn seek(c: &mut Criterion) {
    let timeline = ten_minutes(Spacing::default());
    let targets = seek_targets(SEEK_RUN_US);
    let counts: Vec<u64> = targets
        .iter()
        .map(|&t| timeline.at(t).stats().events.max(1) - 1)
        .collect();
    let mut group = c.benchmark_group("seek in a 10-minute run");
    let mut next = 0;
    group.bench_function("at(t)", |b| {
        b.iter(|| {
            next = (next + 1) % targets.len();
            black_box(timeline.at(targets[next]).trace_hash())
        })
    });
    group.bench_function("at_event(n - 1)", |b| {
        b.iter(|| {
            next = (next + 1) % counts.len();
            black_box(timeline.at_event(counts[next]).trace_hash())
        })
    });
    group.finish();
}

criterion_group!(benches, spacings_table, seek);
criterion_main!(benches);
