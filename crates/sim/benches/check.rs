//! Checking a 10,000-operation history over 10 keys and 10 clients (the
//! issue's budget: 100 ms natively). `cargo bench -p quorum-sim --bench check`

use criterion::{criterion_group, criterion_main, Criterion};
use quorum_sim::check::{check, Linearizability};
use quorum_sim::history::{HistoryOp, OpKind, Outcome};
use quorum_sim::rng::SimRng;
use std::hint::black_box;

/// A linearizable history: each client runs one operation at a time on a
/// random key; each operation takes effect at a random instant inside its
/// interval, and reads return the value current at theirs. One in twenty
/// writes ends "unknown" (it still took effect), one in twenty reads "fail".
fn history(ops: usize, keys: u64, clients: u32, seed: u64) -> Vec<HistoryOp> {
    let mut rng = SimRng::new(seed);
    let mut clock = vec![0u64; clients as usize];
    let mut planned = Vec::with_capacity(ops);
    for i in 0..ops {
        let client = (i as u32) % clients;
        let invoke = clock[client as usize] + rng.below(50);
        let complete = invoke + 10 + rng.below(400);
        clock[client as usize] = complete;
        let effect = invoke + rng.below(complete - invoke + 1);
        let kind = match rng.below(10) {
            0..=4 => OpKind::Read,
            5..=8 => OpKind::Write,
            _ => OpKind::Delete,
        };
        planned.push((effect, i, client, kind, rng.below(keys), invoke, complete));
    }
    planned.sort_unstable_by_key(|p| (p.0, p.1));
    let mut current: Vec<Option<String>> = vec![None; keys as usize];
    let mut history: Vec<(usize, HistoryOp)> = planned
        .into_iter()
        .map(|(_, i, client, kind, key, invoke, complete)| {
            let value = match kind {
                OpKind::Read => current[key as usize].clone(),
                OpKind::Write => Some(format!("c{client}-{i}")),
                OpKind::Delete => None,
            };
            if kind != OpKind::Read {
                current[key as usize] = value.clone();
            }
            let (outcome, complete_us) = match (kind, rng.below(20)) {
                (OpKind::Read, 0) => (Outcome::Fail, Some(complete)),
                (OpKind::Write | OpKind::Delete, 0) => (Outcome::Unknown, None),
                _ => (Outcome::Ok, Some(complete)),
            };
            let op = HistoryOp {
                client,
                node: 1,
                op: kind,
                key: format!("k{key}"),
                value,
                level: "linearizable".into(),
                invoke_us: invoke,
                complete_us,
                outcome,
            };
            (i, op)
        })
        .collect();
    history.sort_by_key(|(i, _)| *i);
    history.into_iter().map(|(_, op)| op).collect()
}

fn ten_thousand_ops(c: &mut Criterion) {
    let ops = history(10_000, 10, 10, 1);
    let report = check(&ops).unwrap();
    assert!(matches!(
        report.linearizable,
        Linearizability::Linearizable { .. }
    ));
    c.bench_function("check_10k_ops_10_keys_10_clients", |b| {
        b.iter(|| check(black_box(&ops)).unwrap())
    });
}

criterion_group!(benches, ten_thousand_ops);
criterion_main!(benches);
