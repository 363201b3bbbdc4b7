//! Seeded fault sweeps: random clusters, workloads and faults, then heal and
//! check convergence and the invariants. `SWEEP_SEEDS=100000 cargo test -p
//! quorum-sim --release --test engine_sweep` runs a longer sweep; a failing
//! seed is named in the message, and `SWEEP_SEED=<seed>` replays it (see
//! `replay_seed`).

use quorum_sim::chaos::{self, Faults};
use quorum_sim::config::{Config, Jitter, ReadRepair};
use quorum_sim::dist::Dist;
use quorum_sim::kv::Level;
use quorum_sim::msg::NodeId;
use quorum_sim::rng::SimRng;
use quorum_sim::scenario::Scenario;
use quorum_sim::workload::{Target, Workload};
use quorum_sim::world::World;
use std::fmt::Write as _;

const MS: u64 = 1000;
/// Simulated time under faults, per seed.
const RUN_US: u64 = 3_000 * MS;

fn seeds() -> u64 {
    std::env::var("SWEEP_SEEDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2_000)
}

/// A cluster, workload and fault plan drawn from the seed.
fn build(seed: u64) -> World {
    let mut rng = SimRng::new(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let n = 1 + rng.below(5) as usize;
    let config = Config {
        n,
        w: 1 + rng.below(n as u64) as usize,
        r: 1 + rng.below(n as u64) as usize,
        latency_ms: 5.0 + rng.below(20) as f64,
        jitter: Jitter::Dist(match rng.below(3) {
            0 => Dist::Exponential { rate: 0.2 },
            1 => Dist::Uniform { lo: 0.0, hi: 30.0 },
            _ => Dist::Pareto {
                xm: 1.0,
                alpha: 1.5,
            },
        }),
        drop: if rng.chance(0.5) { 0.0 } else { 0.02 },
        read_repair: [ReadRepair::Off, ReadRepair::Async, ReadRepair::Blocking]
            [rng.below(3) as usize],
        trace_window: 64,
        history_window: 64,
        ..Config::default()
    };
    let faults = [Faults::Crash, Faults::Partition, Faults::Mixed][rng.below(3) as usize];
    let mut world = World::new(config.clone(), seed).unwrap();
    world
        .start_workload(Workload {
            clients: 1 + rng.below(4) as u32,
            ops_per_sec: 100.0,
            read_fraction: 0.6,
            keys: 3,
            levels: Level::ALL.iter().map(|&l| (l, 1.0)).collect(),
            target: Target::Spread,
            ..Workload::default()
        })
        .unwrap();
    for (at, action) in chaos::plan(faults, n, config.drop, RUN_US, seed) {
        world.schedule_action(at, action).unwrap();
    }
    world
}

/// What a seed exercised, to show the sweep is not vacuous.
#[derive(Default, Debug)]
struct Coverage {
    seeds: u64,
    repeated: u64,
    elections: u64,
    lost_acked_writes: u64,
    stale_reads: u64,
    strong_checked: u64,
    linearizable_reads: u64,
}

/// Runs one seed and checks every invariant; returns the trace hash.
fn sweep_one(seed: u64, cov: &mut Coverage) -> u64 {
    let mut world = build(seed);
    world.run_until(RUN_US);
    let converged = world.heal_and_converge(120_000 * MS);
    let c = world.config().clone();
    let s = world.stats();
    let about = format!(
        "seed {seed} (n={} w={} r={} repair={:?}): {:?}",
        c.n,
        c.w,
        c.r,
        c.read_repair,
        (
            s.ops,
            s.acked_writes,
            s.lost_acked_writes,
            s.stale_reads,
            s.elections
        )
    );
    assert!(converged, "did not converge: {about}");
    cov.seeds += 1;
    cov.elections += s.elections;
    cov.lost_acked_writes += s.lost_acked_writes;
    cov.stale_reads += s.stale_reads;
    cov.linearizable_reads += s.reads_at(Level::Linearizable);
    assert_eq!(s.split_brains, 0, "two leaders in one term: {about}");
    if c.w > c.n / 2 {
        assert_eq!(
            s.lost_acked_writes, 0,
            "lost an acknowledged write with W > N/2: {about}"
        );
    }
    if c.r + c.w > c.n && c.w > c.n / 2 {
        assert_eq!(s.stale_at(Level::Strong), 0, "stale strong read: {about}");
        cov.strong_checked += s.reads_at(Level::Strong);
    }
    if s.lost_acked_writes == 0 {
        assert_eq!(
            s.stale_at(Level::Linearizable),
            0,
            "stale linearizable read: {about}"
        );
    }
    // Every node ends with the same applied state.
    let leader = world.leader().unwrap();
    for id in NodeId::all(c.n) {
        let (a, b) = (world.node(id).map(), world.node(leader).map());
        let same = a
            .iter()
            .all(|(k, cell)| b.get(k).is_some_and(|l| l.version >= cell.version))
            && b.iter()
                .all(|(k, cell)| a.get(k).is_some_and(|x| x.version >= cell.version));
        assert!(same, "node {id} diverges from the leader: {about}");
    }
    world.trace_hash()
}

#[test]
fn fault_sweep_keeps_every_invariant() {
    let count = seeds();
    let mut cov = Coverage::default();
    for seed in 0..count {
        let hash = sweep_one(seed, &mut cov);
        // The same seed twice: the same trace, bit for bit (every 10th seed,
        // to keep the default run short).
        if seed % 10 == 0 {
            assert_eq!(
                sweep_one(seed, &mut Coverage::default()),
                hash,
                "seed {seed} is not deterministic"
            );
            cov.repeated += 1;
        }
    }
    eprintln!("{cov:?}");
    assert_eq!(cov.seeds, count);
    if count >= 200 {
        assert!(cov.elections > count, "faults forced re-elections: {cov:?}");
        assert!(
            cov.lost_acked_writes > 0,
            "W <= N/2 lost some write: {cov:?}"
        );
        assert!(
            cov.stale_reads > 0 && cov.strong_checked > 0 && cov.linearizable_reads > 0,
            "{cov:?}"
        );
    }
}

#[test]
fn different_seeds_give_different_traces() {
    let mut cov = Coverage::default();
    assert_ne!(sweep_one(1, &mut cov), sweep_one(2, &mut cov));
}

/// `SWEEP_SEED=1234 cargo test -p quorum-sim --test engine_sweep replay_seed`
/// replays the one seed a sweep named.
#[test]
fn replay_seed() {
    if let Some(seed) = std::env::var("SWEEP_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        let mut cov = Coverage::default();
        sweep_one(seed, &mut cov);
        eprintln!("{cov:?}");
    }
}

/// Where the recorded trace hashes live, one `name hash` per line.
const RECORDED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/trace_hashes.txt");

/// Every preset run to its end, and the first 300 generated seeds healed:
/// their trace hashes are what was recorded before a refactoring, so a
/// change that alters any event of any of them fails here.
/// `UPDATE_HASHES=1` records them again (for a change meant to alter runs).
#[test]
fn trace_hashes_are_as_recorded() {
    let mut now = String::new();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../presets");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    for path in files {
        let file: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let scenario = Scenario::from_json(&file["scenario"].to_string()).unwrap();
        let mut world = World::from_scenario(&scenario).unwrap();
        world.run_until(scenario.end_us());
        let name = path.file_stem().unwrap().to_string_lossy();
        writeln!(now, "preset:{name} {:016x}", world.trace_hash()).unwrap();
    }
    for seed in 0..300 {
        let hash = sweep_one(seed, &mut Coverage::default());
        writeln!(now, "seed:{seed} {hash:016x}").unwrap();
    }
    if std::env::var_os("UPDATE_HASHES").is_some() {
        std::fs::write(RECORDED, &now).unwrap();
    }
    let recorded = std::fs::read_to_string(RECORDED).expect("UPDATE_HASHES=1 records them");
    for (was, is) in recorded.lines().zip(now.lines()) {
        assert_eq!(
            is, was,
            "a run changed (UPDATE_HASHES=1 if it was meant to)"
        );
    }
    assert_eq!(recorded.lines().count(), now.lines().count());
}
