//! The checker on the engine's own histories.

use quorum_sim::chaos::{self, Faults};
use quorum_sim::check::{check, Linearizability};
use quorum_sim::config::{Config, ReadRepair};
use quorum_sim::history::{HistoryOp, OpKind};
use quorum_sim::kv::Level;
use quorum_sim::msg::NodeId;
use quorum_sim::scenario::Action;
use quorum_sim::workload::{Target, Workload};
use quorum_sim::world::World;
use std::cell::RefCell;
use std::rc::Rc;

const MS: u64 = 1000;

/// Every history record of the run, not just the window the world keeps.
fn recorded(world: &mut World) -> Rc<RefCell<Vec<HistoryOp>>> {
    let history = Rc::new(RefCell::new(Vec::new()));
    let sink = Rc::clone(&history);
    world.set_history_sink(Box::new(move |op| sink.borrow_mut().push(op.clone())));
    history
}

/// With W a majority and every read `linearizable`, the history is
/// linearizable whatever faults strike: crashes, partitions, one-way cuts,
/// message loss.
#[test]
fn linearizable_reads_stay_linearizable_under_every_fault() {
    let mut checked_ops = 0;
    for seed in 0..60u64 {
        let n = [3, 5][(seed % 2) as usize];
        let faults = [Faults::Crash, Faults::Partition, Faults::Mixed][(seed % 3) as usize];
        let config = Config {
            n,
            w: n / 2 + 1,
            r: 1,
            latency_ms: 10.0,
            drop: 0.01,
            ..Config::default()
        };
        let mut world = World::new(config.clone(), seed).unwrap();
        let history = recorded(&mut world);
        world
            .start_workload(Workload {
                clients: 4,
                ops_per_sec: 200.0,
                read_fraction: 0.5,
                keys: 2,
                levels: vec![(Level::Linearizable, 1.0)],
                target: Target::Random,
                ..Workload::default()
            })
            .unwrap();
        for (at, action) in chaos::plan(faults, n, config.drop, 3_000 * MS, seed) {
            world.schedule_action(at, action).unwrap();
        }
        world.run_until(3_000 * MS);
        assert!(
            world.heal_and_converge(60_000 * MS),
            "seed {seed} did not converge"
        );
        let history = history.borrow();
        checked_ops += history.len();
        let report = check(&history).unwrap();
        assert!(
            matches!(report.linearizable, Linearizability::Linearizable { .. }),
            "seed {seed} ({faults:?}, N={n}): {:?}",
            report.linearizable
        );
        assert!(
            report.ryw_violations.is_empty() && report.monotonic_violations.is_empty(),
            "seed {seed}"
        );
    }
    assert!(
        checked_ops > 10_000,
        "the runs did something: {checked_ops} operations"
    );
}

fn act(world: &mut World, action: Action) {
    world.apply(&action).unwrap();
}

fn find(history: &[HistoryOp], client: u32, op: OpKind) -> usize {
    history
        .iter()
        .position(|h| h.client == client && h.op == op)
        .unwrap()
}

/// The classic reason quorum reads need a write-back phase. N = 5, W = 3,
/// R = 3 (R + W > N), no read repair. A write of "new" reaches the leader and
/// one follower A, and waits there for its third acknowledgement. A strong
/// read at A counts A's own copy: "new". A later strong read at C hears only
/// C, D and E: "old". New, then old, while the write is in flight: no
/// linearization exists, and the window names exactly these operations.
#[test]
fn strong_reads_without_write_back_return_new_then_old() {
    let config = Config {
        n: 5,
        w: 3,
        r: 3,
        latency_ms: 20.0,
        read_repair: ReadRepair::Off,
        ..Config::default()
    };
    let mut world = World::new(config, 1).unwrap();
    let history = recorded(&mut world);
    world.run_until(2_000 * MS);
    let leader = world.leader().expect("a leader within 2 s");
    let others: Vec<NodeId> = NodeId::all(5).filter(|&k| k != leader).collect();
    let (a, c, d, e) = (others[0], others[1], others[2], others[3]);
    let write = |client, value: &str| Action::Write {
        client,
        node: leader,
        key: "x".into(),
        value: value.into(),
    };
    let read = |client, node| Action::Read {
        client,
        node,
        key: "x".into(),
        level: Level::Strong,
    };

    act(&mut world, write(1, "old"));
    let t = world.now();
    world.run_until(t + 200 * MS);
    // The write reaches only A; C's messages reach neither the leader nor A.
    act(
        &mut world,
        Action::Cut {
            from: vec![leader],
            to: vec![c, d, e],
        },
    );
    act(
        &mut world,
        Action::Cut {
            from: vec![c],
            to: vec![leader, a],
        },
    );
    act(&mut world, write(1, "new"));
    world.run_until(t + 260 * MS);
    act(&mut world, read(2, a));
    world.run_until(t + 360 * MS);
    act(&mut world, read(3, c));
    world.run_until(t + 2_000 * MS);

    let history = history.borrow();
    let value = |i: usize| history[i].value.as_deref();
    let (new_read, old_read) = (
        find(&history, 2, OpKind::Read),
        find(&history, 3, OpKind::Read),
    );
    assert_eq!(
        (value(new_read), value(old_read)),
        (Some("new"), Some("old")),
        "{history:#?}"
    );
    assert!(history[new_read].complete_us < Some(history[old_read].invoke_us));
    let new_write = history
        .iter()
        .position(|h| h.value.as_deref() == Some("new") && h.op == OpKind::Write)
        .unwrap();
    let old_write = history
        .iter()
        .position(|h| h.value.as_deref() == Some("old") && h.op == OpKind::Write)
        .unwrap();
    // The write was still waiting for its quorum when both reads ended.
    assert!(history[new_write]
        .complete_us
        .is_none_or(|end| end > history[old_read].complete_us.unwrap()));

    let report = check(&history).unwrap();
    let mut want = vec![old_write, new_write, new_read, old_read];
    want.sort_unstable();
    assert_eq!(
        report.linearizable,
        Linearizability::NotLinearizable {
            key: "x".into(),
            window: want
        }
    );
    // Per read, neither is stale: the new value was never acknowledged.
    assert_eq!(report.stale_reads(), 0);
}
