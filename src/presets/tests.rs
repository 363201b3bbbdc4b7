//! Each preset must show what its text promises: these run the scenarios
//! natively and check the story, so an engine change that breaks one fails here.

use super::*;
use quorum_sim::config::ReadRepair;
use quorum_sim::history::{HistoryOp, Outcome};
use quorum_sim::msg::{NodeId, Role};
use quorum_sim::world::World;

fn run(scenario: &Scenario, until_ms: u64) -> World {
    let mut w = World::from_scenario(scenario).expect("presets are valid scenarios");
    w.run_until(until_ms * 1000);
    w
}

fn preset(id: &str) -> Scenario {
    find(id)
        .unwrap_or_else(|| panic!("no preset {id}"))
        .scenario
        .clone()
}

fn ops(w: &World) -> Vec<HistoryOp> {
    w.history().collect()
}

/// What node `index` (from 0) holds for `key`.
fn value_at(w: &World, index: usize, key: &str) -> Option<String> {
    let cell = w.node(NodeId::at(index)).map().get(key)?;
    cell.value.as_deref().map(str::to_string)
}

#[test]
fn presets_parse_with_unique_ids_and_text() {
    let all = all();
    assert_eq!(all.len(), 6);
    for (i, p) in all.iter().enumerate() {
        assert!(p.scenario.validate().is_ok(), "{}", p.id);
        assert!(!p.title.is_empty() && !p.summary.is_empty() && !p.look_for.is_empty());
        assert!(
            all[i + 1..].iter().all(|q| q.id != p.id),
            "duplicate id {}",
            p.id
        );
    }
}

#[test]
fn stale_follower_read_is_stale_then_fresh() {
    let w = run(&preset("stale-follower-read"), 2_000);
    let h = ops(&w);
    assert_eq!(h[1].value, None, "node-2 has not heard of Alice yet");
    assert_eq!(h[2].value.as_deref(), Some("Alice"));
    assert_eq!(w.stats().stale_reads, 1);
}

#[test]
fn strong_quorum_read_is_fresh_where_eventual_is_stale() {
    let w = run(&preset("strong-quorum-read"), 7_000);
    let h = ops(&w);
    assert_eq!(h[0].outcome, Outcome::Ok, "the write reached W = 2");
    assert_eq!(
        (h[1].level.as_str(), h[1].value.as_deref()),
        ("eventual", None)
    );
    assert_eq!(
        (h[2].level.as_str(), h[2].value.as_deref()),
        ("strong", Some("Alice"))
    );
    assert_eq!(w.stats().stale_reads, 1, "only the eventual read");
}

#[test]
fn leader_crash_elects_another_and_the_old_one_rejoins() {
    let s = preset("leader-crash");
    let w = run(&s, 3_000);
    let leader = w.leader().expect("a new leader by 3 s");
    assert_ne!(leader, NodeId::at(0));
    assert!(w.node(leader).term() > 1);
    let w = run(&s, 6_000);
    let old = w.node(NodeId::at(0));
    assert!(w.is_alive(NodeId::at(0)));
    assert_eq!(old.role(), Role::Follower);
    assert_eq!(
        old.last_index(),
        w.node(w.leader().unwrap()).last_index(),
        "caught up"
    );
    assert_eq!(value_at(&w, 0, "name").as_deref(), Some("Alice"));
}

#[test]
fn partition_split_minority_cannot_reach_w_and_majority_moves_on() {
    let w = run(&preset("partition-split"), 9_000);
    let h = ops(&w);
    let outcome = |v: &str| {
        h.iter()
            .find(|o| o.value.as_deref() == Some(v))
            .unwrap()
            .outcome
    };
    assert_eq!(
        outcome("Bob"),
        Outcome::Unknown,
        "quorum not achieved in the minority"
    );
    assert_eq!(outcome("Carol"), Outcome::Ok);
    assert_ne!(
        w.leader(),
        Some(NodeId::at(3)),
        "the old minority leader stepped down"
    );
    for node in 0..5 {
        assert_eq!(
            value_at(&w, node, "name").as_deref(),
            Some("Carol"),
            "node-{}",
            node + 1
        );
    }
}

#[test]
fn w1_lost_write_is_counted_and_gone() {
    let w = run(&preset("w1-lost-write"), 5_000);
    assert_eq!(ops(&w)[0].outcome, Outcome::Ok, "Alice was acknowledged");
    assert_eq!(w.stats().lost_acked_writes, 1);
    assert!((0..3).all(|n| value_at(&w, n, "name").is_none()));
}

#[test]
fn read_repair_updates_node_3_before_any_heartbeat_could() {
    let s = preset("read-repair");
    let read_done_ms = 5_910;
    let w = run(&s, read_done_ms);
    assert_eq!(value_at(&w, 2, "name").as_deref(), Some("Alice"));
    let mut off = s.clone();
    off.config.read_repair = ReadRepair::Off;
    let w = run(&off, read_done_ms);
    assert_eq!(
        value_at(&w, 2, "name"),
        None,
        "without repair node-3 is still behind"
    );
}
