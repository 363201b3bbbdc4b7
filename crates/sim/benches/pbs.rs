//! One million WARS trials for N = 3 (the budget: 100 ms natively).
//! `cargo bench -p quorum-sim --bench pbs`

use criterion::{criterion_group, criterion_main, Criterion};
use quorum_sim::pbs::{preset, simulate, Quorum, Wars};
use std::hint::black_box;

fn million_trials(c: &mut Criterion) {
    let quorum = Quorum::new(3, 1, 1).unwrap();
    let models = [
        ("exp:0.1,1,1,1", Wars::exponential(0.1, 1.0, 1.0, 1.0)),
        ("lnkd-ssd", preset("lnkd-ssd").unwrap()),
        ("lnkd-disk", preset("lnkd-disk").unwrap()),
    ];
    let mut group = c.benchmark_group("pbs_1m_trials_n3");
    group.sample_size(10);
    for (name, wars) in &models {
        group.bench_function(*name, |b| {
            b.iter(|| {
                let s = simulate(black_box(wars), quorum, 1_000_000, 1);
                (s.p_consistent(0.0), s.t_visibility(0.999))
            })
        });
    }
    group.finish();
}

criterion_group!(benches, million_trials);
criterion_main!(benches);
