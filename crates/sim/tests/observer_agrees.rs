//! The observer judges reads as they are answered; the checker judges a
//! finished history. They must give every read the same verdict: on every
//! preset, and on generated runs full of faults, concurrency, deletes and
//! every read level.

use quorum_sim::chaos::{self, Faults};
use quorum_sim::check::{judge, Freshness};
use quorum_sim::config::{Config, Jitter};
use quorum_sim::dist::Dist;
use quorum_sim::history::{HistoryOp, OpKind, Outcome};
use quorum_sim::kv::Level;
use quorum_sim::rng::SimRng;
use quorum_sim::scenario::Scenario;
use quorum_sim::workload::Workload;
use quorum_sim::world::{Lag, ReadJudgement, World};
use std::collections::BTreeSet;

/// Runs `scenario` to its end with the whole history kept, and compares.
fn agree(scenario: &Scenario, about: &str) -> usize {
    let mut scenario = scenario.clone();
    scenario.config.history_window = quorum_sim::scenario::limits::MAX_WINDOW;
    let mut world = World::from_scenario(&scenario).expect(about);
    world.replay_to_end(scenario.end_us(), |_| {});
    let judged: Vec<(HistoryOp, Option<ReadJudgement>)> = world
        .judged_history()
        .map(|(op, j)| (op, j.cloned()))
        .collect();
    let ops: Vec<HistoryOp> = judged.iter().map(|(op, _)| op.clone()).collect();
    let report = judge(&ops).unwrap_or_else(|e| panic!("{about}: {e}"));
    let mut reads = 0;
    for verdict in &report.reads {
        let (op, judgement) = &judged[verdict.read];
        let j = judgement
            .as_ref()
            .unwrap_or_else(|| panic!("{about}: read {} was not judged: {op:?}", verdict.read));
        let observed = match &j.lag {
            Lag::Fresh | Lag::InFlight { .. } => Freshness::Fresh,
            Lag::Stale {
                versions,
                behind_us,
                at_least,
                ..
            } => {
                assert!(!at_least, "{about}: read {} beyond memory", verdict.read);
                Freshness::Stale {
                    k: *versions as usize,
                    t_us: *behind_us,
                }
            }
            Lag::Unexplained => Freshness::Impossible,
        };
        if observed != verdict.freshness {
            for (i, (o, _)) in judged
                .iter()
                .enumerate()
                .filter(|(_, (o, _))| o.key == op.key && o.op != OpKind::Read)
            {
                eprintln!("{i} {o:?}");
            }
        }
        assert_eq!(
            observed, verdict.freshness,
            "{about}: read {} {op:?}: observer {j:?}",
            verdict.read
        );
        reads += 1;
    }
    let answered = judged
        .iter()
        .filter(|(op, _)| op.op == OpKind::Read && op.outcome == Outcome::Ok)
        .count();
    assert_eq!(reads, answered, "{about}: every answered read is judged");
    let flagged = |pick: fn(&ReadJudgement) -> bool| -> BTreeSet<usize> {
        judged
            .iter()
            .enumerate()
            .filter(|(_, (_, j))| j.as_ref().is_some_and(pick))
            .map(|(i, _)| i)
            .collect()
    };
    let reads_of = |v: &[quorum_sim::check::SessionViolation]| -> BTreeSet<usize> {
        v.iter().map(|v| v.read).collect()
    };
    assert_eq!(
        flagged(|j| j.read_your_writes),
        reads_of(&report.ryw_violations),
        "{about}: read-your-writes"
    );
    assert_eq!(
        flagged(|j| j.monotonic),
        reads_of(&report.monotonic_violations),
        "{about}: monotonic reads"
    );
    let s = world.stats();
    let stale = report
        .reads
        .iter()
        .filter(|r| matches!(r.freshness, Freshness::Stale { .. }))
        .count();
    assert_eq!(s.stale_reads as usize, stale, "{about}");
    assert_eq!(s.ryw_violations as usize, report.ryw_violations.len());
    assert_eq!(
        s.monotonic_violations as usize,
        report.monotonic_violations.len()
    );
    reads
}

#[test]
fn every_preset_is_judged_as_the_checker_judges_it() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../presets");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let preset: serde_json::Value = serde_json::from_str(&text).unwrap();
        let scenario = Scenario::from_json(&preset["scenario"].to_string()).unwrap();
        agree(&scenario, &path.display().to_string());
        seen += 1;
    }
    assert!(seen >= 6, "{seen} presets");
}

/// A random busy run: faults, jitter, several clients and levels, deletes.
fn generated(seed: u64) -> Scenario {
    let mut rng = SimRng::new(seed);
    let n = [3, 3, 5][rng.below(3) as usize];
    let w = 1 + rng.below(n as u64) as usize;
    let r = 1 + rng.below(n as u64) as usize;
    let config = Config {
        n,
        w,
        r,
        latency_ms: 5.0 + rng.below(40) as f64,
        jitter: match rng.below(3) {
            0 => Jitter::Dist(Dist::Exponential { rate: 0.05 }),
            1 => Jitter::Writes(Dist::Exponential { rate: 0.02 }),
            _ => Jitter::default(),
        },
        drop: [0.0, 0.02][rng.below(2) as usize],
        ..Config::default()
    };
    let duration_us = 20_000_000;
    let mut scenario = Scenario::new(config.clone(), seed);
    scenario.workload = Some(Workload {
        clients: 2 + rng.below(6) as u32,
        ops_per_sec: 40.0,
        ops: 600,
        read_fraction: 0.6,
        delete_fraction: 0.2,
        keys: 1 + rng.below(3) as u32,
        levels: Level::ALL.iter().map(|&l| (l, 1.0)).collect(),
        ..Workload::default()
    });
    let faults = [
        Faults::None,
        Faults::Crash,
        Faults::Partition,
        Faults::Mixed,
    ][rng.below(4) as usize];
    scenario.actions = chaos::plan(faults, n, config.drop, duration_us, seed)
        .into_iter()
        .map(|(at, action)| (at as f64 / 1000.0, action))
        .collect();
    scenario.until_ms = Some(duration_us as f64 / 1000.0);
    scenario
}

#[test]
fn generated_faulty_runs_are_judged_as_the_checker_judges_them() {
    let seeds: u64 = std::env::var("AGREE_SEEDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(40);
    let mut reads = 0;
    let mut stale = 0;
    for seed in 0..seeds {
        let scenario = generated(seed);
        reads += agree(&scenario, &format!("seed {seed}"));
        let mut world = World::from_scenario(&scenario).unwrap();
        world.replay_to_end(scenario.end_us(), |_| {});
        stale += world.stats().stale_reads;
    }
    assert!(
        reads > 1000 && stale > 50,
        "{reads} reads, {stale} stale: too quiet to prove anything"
    );
}
