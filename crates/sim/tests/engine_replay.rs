//! A recorded scenario must replay a live run exactly, even when a learner's
//! action lands on the very microsecond of another event: shared links and
//! time travel depend on it.

use quorum_sim::config::Config;
use quorum_sim::scenario::{Action, Scenario};
use quorum_sim::world::World;

#[test]
fn an_action_on_the_same_microsecond_as_a_delivery_replays_exactly() {
    let mut live = World::new(Config::default(), 2).unwrap();
    live.run_until(1_500_000);
    // The next message to arrive, and its receiver: crash the receiver at
    // exactly that microsecond.
    let msg = live.in_flight()[0];
    let action = Action::Crash { node: msg.to };
    live.run_until(msg.deliver_at - 1);
    live.schedule_action(msg.deliver_at, action.clone())
        .unwrap();
    live.run_until(3_000_000);

    let mut scenario = Scenario::new(Config::default(), 2);
    scenario
        .actions
        .push((msg.deliver_at as f64 / 1000.0, action));
    let mut replay = World::from_scenario(&scenario).unwrap();
    replay.run_until(3_000_000);
    assert_eq!(replay.trace_hash(), live.trace_hash());
}
