//! Memory stays flat however long the run: every collection the world or a
//! node keeps is bounded by settings (windows, log limit, clients, keys),
//! not by the number of events. `quorum run --ops 1500000 --nodes 5 --json`
//! shows the same over about ten million events (`peak_memory`).

use quorum_sim::config::Config;
use quorum_sim::kv::Level;
use quorum_sim::workload::Workload;
use quorum_sim::world::{Memory, World};

fn peak_over(world: &mut World, events: u64) -> Memory {
    let mut peak = Memory::default();
    for _ in 0..events / 1000 {
        world.run_events(1000);
        peak = peak.max(world.memory());
    }
    peak
}

#[test]
fn a_long_run_keeps_every_collection_bounded() {
    let config = Config {
        n: 5,
        w: 3,
        r: 3,
        latency_ms: 2.0,
        log_limit: 200,
        trace_window: 500,
        history_window: 300,
        ..Config::default()
    };
    let mut world = World::new(config.clone(), 7).unwrap();
    world
        .start_workload(Workload {
            clients: 20,
            ops_per_sec: 5_000.0,
            keys: 50,
            levels: Level::ALL.iter().map(|&l| (l, 1.0)).collect(),
            ..Workload::default()
        })
        .unwrap();
    let early = peak_over(&mut world, 100_000);
    let late = peak_over(&mut world, 300_000);
    assert!(world.stats().events >= 400_000);
    assert!(world.stats().ops > 30_000, "{:?}", world.stats().ops);
    assert_eq!(late.trace_window, config.trace_window);
    assert_eq!(late.history_window, config.history_window);
    assert!(late.max_log_len <= config.log_limit + 300, "{late:?}");
    assert!(late.max_keys <= 50 && late.sessions <= 20, "{late:?}");
    assert!(
        late.pending_ops <= 20 && late.node_pending <= 20 + 5,
        "{late:?}"
    );
    assert!(late.unsettled_writes <= 20, "{late:?}");
    // The observer keeps at most 256 writes and 256 acknowledgements a key.
    assert!(late.observed <= 50 * 2 * 256, "{late:?}");
    // Flat: three times the events, no growth beyond noise.
    assert!(
        late.queue <= early.queue * 3 / 2 + 50,
        "{early:?} then {late:?}"
    );
    assert!(
        late.observed <= early.observed * 3 / 2 + 50,
        "{early:?} then {late:?}"
    );
}
