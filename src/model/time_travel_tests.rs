//! Looking back: whatever moment the page shows, it shows it exactly as the
//! live run showed it then; stepping back and forth agree; a change in the
//! past branches the run and Undo restores it.

use super::clients::{ClientMsg, FormField};
use super::series::Figures;
use super::test_support::{model, run};
use super::view::ClusterView;
use super::*;
use quorum_sim::chaos::{self, Faults};
use quorum_sim::workload::Workload;

/// Everything the page draws from the model at one moment.
#[derive(Debug, PartialEq)]
struct Shown {
    now: u64,
    trace_hash: u64,
    events: u64,
    cluster: ClusterView,
    panels: Vec<clients::Panel>,
    log: Vec<clients::console::Entry>,
    bubbles: Vec<clients::Bubble>,
    figures: Figures,
}

fn shown(m: &Model) -> Shown {
    let w = m.world();
    let clients = m.clients.view(w);
    Shown {
        now: w.now(),
        trace_hash: w.trace_hash(),
        events: w.stats().events,
        cluster: ClusterView::of(w),
        panels: clients.panels,
        log: clients.log,
        bubbles: m.clients.bubbles(w.now()),
        figures: Figures::of(w, m.previous_run.as_ref()),
    }
}

/// Runs `m` live for `total_ms`, noting what it showed every 700 ms, with
/// `learner` acting before each stretch.
fn live_moments(
    m: &mut Model,
    total_ms: u64,
    mut learner: impl FnMut(&mut Model, u64),
) -> Vec<Shown> {
    let mut seen = Vec::new();
    for k in 0..total_ms / 700 {
        learner(m, k);
        run(m, 700);
        seen.push(shown(m));
    }
    seen
}

fn looks_back_exactly(
    mut m: Model,
    total_ms: u64,
    learner: impl FnMut(&mut Model, u64),
    about: &str,
) {
    let seen = live_moments(&mut m, total_ms, learner);
    let live = shown(&m);
    // Newest first and then oldest, so seeks go both ways.
    for then in seen.iter().rev().chain(seen.iter()) {
        m.update(Msg::Seek(then.now));
        assert!(m.looking_back() || then.now == live.now, "{about}");
        assert_eq!(&shown(&m), then, "{about}: at {} µs", then.now);
    }
    m.update(Msg::Live);
    assert_eq!(shown(&m), live, "{about}: back to live");
}

#[test]
fn every_preset_looked_back_at_shows_what_it_showed_live() {
    for preset in crate::presets::all() {
        let end_ms = preset.scenario.end_us() / 1000;
        looks_back_exactly(
            Model::new(preset.scenario.clone()),
            end_ms + 700,
            |_, _| {},
            &preset.id,
        );
    }
}

/// A busy run with crashes and partitions, and the learner's own clicks.
fn faulty() -> Model {
    let mut scenario = crate::link::default_scenario();
    scenario.config.n = 5;
    scenario.config.w = 3;
    scenario.config.r = 2;
    scenario.seed = 7;
    scenario.workload = Some(Workload {
        ops_per_sec: 20.0,
        ops: 200,
        ..Workload::default()
    });
    scenario.actions = chaos::plan(Faults::Mixed, 5, 0.0, 8_000_000, 7)
        .into_iter()
        .map(|(at, a)| (at as f64 / 1000.0, a))
        .collect();
    let mut m = Model::new(scenario);
    run(&mut m, 1_500);
    m
}

/// Clicks and console commands between stretches of the faulty run.
fn busy_learner(m: &mut Model, stretch: u64) {
    match stretch % 4 {
        1 => m.update(Msg::Client(ClientMsg::Send(0))),
        2 => m.update(Msg::Client(ClientMsg::ConsoleRun(
            "curl http://localhost:4002/key/name; curl -X PUT http://localhost:4001/key/name -d Bob"
                .into(),
        ))),
        3 => m.update(Msg::Client(ClientMsg::Send(1))),
        _ => {}
    }
}

#[test]
fn a_faulty_run_with_a_workload_looked_back_at_shows_what_it_showed_live() {
    looks_back_exactly(faulty(), 9_000, busy_learner, "generated faulty run");
}

#[test]
fn step_back_then_step_returns_to_the_same_moment() {
    let mut m = faulty();
    run(&mut m, 2_000);
    let before = shown(&m);
    m.update(Msg::StepBack);
    assert!(m.paused && m.looking_back());
    assert_eq!(m.world().stats().events, before.events - 1);
    m.update(Msg::StepBack);
    m.update(Msg::Step);
    m.update(Msg::Step);
    assert!(!m.looking_back(), "caught up with the live run");
    assert_eq!(shown(&m), before);
}

#[test]
fn playing_on_from_the_past_replays_the_run_and_rejoins_it() {
    let mut m = faulty();
    run(&mut m, 3_000);
    let live = shown(&m);
    m.update(Msg::Seek(live.now - 2_000_000));
    assert!(m.looking_back() && m.paused);
    m.update(Msg::TogglePause);
    run(&mut m, 2_500);
    assert!(!m.looking_back());
    assert!(m.world().now() > live.now);
    // The run it rejoined and went on with is the recorded one.
    let mut replay = World::from_scenario(&m.recorded()).unwrap();
    replay.run_until(m.world().now());
    assert_eq!(replay.trace_hash(), m.world().trace_hash());
}

#[test]
fn a_change_in_the_past_branches_the_run_and_undo_brings_it_back() {
    let mut m = model();
    run(&mut m, 2_000);
    m.update(Msg::Client(ClientMsg::Send(0)));
    let sent_at = m.live().now();
    run(&mut m, 1_000);
    m.update(Msg::Client(ClientMsg::Send(1)));
    run(&mut m, 1_000);
    let before = shown(&m);
    let actions = m.recorded().actions.len();

    // Back to between the two operations, then crash node-3.
    m.update(Msg::Seek(sent_at + 500_000));
    m.update(Msg::ToggleNode(NodeId::at(2)));
    assert!(!m.looking_back(), "a change makes the present");
    assert_eq!(m.branched_at(), Some(sent_at + 500_000));
    let notice = m.notice.clone().unwrap();
    assert!(
        notice.contains("You changed the past") && notice.contains("The one action"),
        "{notice}"
    );
    assert!(!m.world().is_alive(NodeId::at(2)));
    assert_eq!(
        m.recorded().actions.len(),
        actions,
        "one dropped, one added"
    );
    let rows = |m: &Model| m.clients.view(m.world()).panels[1].rows.len();
    assert_eq!(rows(&m), 0, "Client 2's later read is gone");

    m.update(Msg::Undo);
    assert_eq!(m.branched_at(), None);
    assert_eq!(shown(&m), before, "the earlier run, exactly");
}

#[test]
fn an_answer_that_came_after_the_branch_point_is_awaited_again() {
    let mut m = model();
    run(&mut m, 2_000);
    let l = m.world().leader().unwrap();
    m.update(Msg::Client(ClientMsg::Form(0, FormField::Node(l))));
    m.update(Msg::Client(ClientMsg::Send(0)));
    let sent = m.live().now();
    run(&mut m, 1_000);
    assert!(m.clients.panels[0].rows[0].answered_us.is_some());
    // Branch while the write is on its way: its answer comes again.
    m.update(Msg::Seek(sent + 10));
    m.update(Msg::Heal);
    assert_eq!(m.clients.panels[0].rows[0].answered_us, None);
    m.update(Msg::TogglePause);
    run(&mut m, 1_000);
    assert!(m.clients.panels[0].rows[0].answered_us.is_some());
}

#[test]
fn a_shared_link_replays_the_learners_crash() {
    let mut m = model();
    run(&mut m, 1500);
    m.update(Msg::ToggleNode(NodeId::at(1)));
    assert!(!m.world().is_alive(NodeId::at(1)), "crashed live");
    let query = crate::link::query(&m.recorded(), None, false);
    let link = crate::link::parse(&query);
    let mut replay = Model::new(link.scenario);
    run(&mut replay, 3000);
    assert!(
        !replay.world().is_alive(NodeId::at(1)),
        "crashed in the replay of {query}"
    );
}
