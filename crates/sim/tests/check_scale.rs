//! The checker on engine histories of 200,000 operations: the verdicts are
//! the ones the quadratic checker gave before it was made to scale
//! (recorded from it on this very history), and the witness it finds on
//! 100,000 operations is a linearization.

use quorum_sim::bench_cases::recorded_history;
use quorum_sim::chaos::Faults;
use quorum_sim::check::{check, Freshness, Linearizability};
use quorum_sim::config::Config;
use quorum_sim::history::{HistoryOp, OpKind};
use quorum_sim::kv::Level;
use quorum_sim::workload::Workload;
use witness::check_witness;

mod witness;

/// `quorum run --nodes 3 --w 2 --r 2 --level linearizable,strong --keys 4
/// --ops 100000 --seed 1`: linearizable, with no verdict against it.
fn linearizable_part() -> Vec<HistoryOp> {
    recorded_history(
        Config {
            n: 3,
            w: 2,
            r: 2,
            ..Config::default()
        },
        Workload {
            clients: 3,
            ops_per_sec: 100.0,
            ops: 100_000,
            keys: 4,
            levels: vec![(Level::Linearizable, 1.0), (Level::Strong, 1.0)],
            ..Workload::default()
        },
        Faults::None,
        1,
    )
}

/// Eventual, strong and linearizable reads with R = 1 under faults: stale
/// reads, session violations, unknown writes; with W = 1, lost writes too.
fn faulty_part(w: usize, keys: u32, ops: u64, seed: u64) -> Vec<HistoryOp> {
    recorded_history(
        Config {
            n: 3,
            w,
            r: 1,
            drop: 0.02,
            ..Config::default()
        },
        Workload {
            clients: 6,
            ops_per_sec: 100.0,
            ops,
            keys,
            levels: vec![
                (Level::Eventual, 1.0),
                (Level::Strong, 1.0),
                (Level::Linearizable, 1.0),
            ],
            ..Workload::default()
        },
        Faults::Mixed,
        seed,
    )
}

/// The three parts on keys and clients of their own, one after another;
/// now and then a read of the second returns a value nobody wrote.
fn merged_history() -> Vec<HistoryOp> {
    let mut corrupted = faulty_part(2, 4, 60_000, 7);
    for (n, op) in corrupted.iter_mut().enumerate() {
        if n % 5_000 == 0 && op.op == OpKind::Read {
            op.value = Some(format!("nobody-{n}"));
        }
    }
    let parts = [
        linearizable_part(),
        corrupted,
        faulty_part(1, 40, 40_000, 7),
    ];
    parts
        .into_iter()
        .zip(["a", "b", "c"])
        .enumerate()
        .flat_map(|(n, (part, prefix))| {
            part.into_iter().map(move |mut op| {
                op.key = format!("{prefix}/{}", op.key);
                op.client += 10_000 * n as u32;
                op
            })
        })
        .collect()
}

/// FNV-1a: stable across Rust releases, unlike `DefaultHasher`.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[test]
fn a_200k_history_keeps_its_verdicts() {
    let history = merged_history();
    assert_eq!(history.len(), 200_000);
    let report = check(&history).unwrap();
    let count = |wanted: fn(&Freshness) -> bool| {
        report.reads.iter().filter(|r| wanted(&r.freshness)).count()
    };
    let counts = [
        report.reads.len(),
        report.stale_reads(),
        count(|f| *f == Freshness::Impossible),
        report.ryw_violations.len(),
        report.monotonic_violations.len(),
        report.lost_acked_writes.len(),
    ];
    assert_eq!(
        counts,
        [68920, 2580, 7, 759, 16, 3],
        "reads, stale, impossible, ryw, monotonic, lost"
    );
    assert_eq!(
        report.linearizable,
        Linearizability::NotLinearizable {
            key: "b/k0".into(),
            window: vec![100_082, 100_083, 100_089, 100_091]
        }
    );
    // Every verdict list, each verdict's every field.
    let verdicts = serde_json::to_string(&report).unwrap();
    assert_eq!(fnv1a(verdicts.as_bytes()), 9_782_979_594_563_342_268);
}

#[test]
fn the_witness_of_a_100k_linearizable_history_is_a_linearization() {
    let history = linearizable_part();
    let Linearizability::Linearizable { witness } = check(&history).unwrap().linearizable else {
        panic!("the search gave up or found the engine wanting");
    };
    assert_eq!(witness.len(), 4);
    for (key, order) in &witness {
        let of_key: Vec<usize> = (0..history.len())
            .filter(|&i| history[i].key == *key)
            .collect();
        let sub: Vec<HistoryOp> = of_key.iter().map(|&i| history[i].clone()).collect();
        let position = |i: usize| of_key.binary_search(&i).unwrap();
        let order: Vec<usize> = order.iter().map(|&i| position(i)).collect();
        check_witness(&sub, &order).unwrap_or_else(|e| panic!("key {key}: {e}"));
    }
}
