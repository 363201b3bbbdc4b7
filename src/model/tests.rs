use super::test_support::{model, run};
use super::*;
use quorum_sim::msg::Role;

fn leader(m: &Model) -> Option<usize> {
    m.world()
        .nodes()
        .iter()
        .find(|v| v.role == Role::Leader && !v.crashed)
        .map(|v| v.id)
}

#[test]
fn frames_advance_simulated_time_at_the_chosen_speed() {
    let mut m = model();
    m.update(Msg::Speed(6));
    m.update(Msg::Frame(16.0));
    assert_eq!(m.world().now(), 16_000);
    m.update(Msg::TogglePause);
    m.update(Msg::Frame(16.0));
    assert_eq!(m.world().now(), 16_000, "paused");
}

#[test]
fn step_runs_one_event_and_pauses() {
    let mut m = model();
    let before = m.world().stats().events;
    m.update(Msg::Step);
    assert!(m.paused);
    assert_eq!(m.world().stats().events, before + 1);
}

#[test]
fn settings_change_the_running_world_and_are_recorded() {
    let mut m = model();
    run(&mut m, 500);
    let t = m.world().now();
    m.update(Msg::WriteQuorum(3));
    m.update(Msg::ReadQuorum(9));
    m.update(Msg::Latency(120.0));
    m.update(Msg::Drop(0.25));
    let c = m.config();
    assert_eq!((c.w, c.r, c.latency_ms, c.drop), (3, 3, 120.0, 0.25));
    assert!(m.world().now() > t, "the run went on, it was not reset");
    assert_eq!(m.recorded().actions.len(), 4);
}

#[test]
fn crashing_the_leader_elects_another() {
    let mut m = model();
    run(&mut m, 2_000);
    let old = leader(&m).expect("a leader after 2 s");
    m.update(Msg::ToggleNode(old));
    assert!(m.world().node(old).crashed);
    run(&mut m, 3_000);
    let new = leader(&m).expect("a new leader after 3 s");
    assert_ne!(new, old);
    m.update(Msg::ToggleNode(old));
    assert!(!m.world().node(old).crashed, "restarted");
}

#[test]
fn a_new_n_restarts_with_a_note_and_clamped_quorums() {
    let mut m = model();
    m.update(Msg::WriteQuorum(3));
    m.update(Msg::Nodes(2));
    let c = m.config();
    assert_eq!((c.n, c.w, c.r), (2, 2, 1));
    let note = m.notice.clone().unwrap();
    assert!(
        note.contains("W from 3 to 2") && note.contains("new run"),
        "{note}"
    );
    assert!(m.recorded().actions.is_empty());
}

#[test]
fn isolating_nodes_cuts_their_links_until_healed() {
    let mut m = model();
    m.update(Msg::Isolate(vec![0]));
    let v = view::ClusterView::of(m.world());
    assert_eq!(v.cuts, vec![(0, 1, true, true), (0, 2, true, true)]);
    m.update(Msg::Heal);
    assert!(view::ClusterView::of(m.world()).cuts.is_empty());
    m.update(Msg::Isolate(vec![0, 1, 2]));
    assert!(m.notice.as_deref().unwrap().contains("not all"));
}

#[test]
fn replaying_the_recording_reproduces_the_run() {
    let mut m = model();
    run(&mut m, 1_500);
    m.update(Msg::ToggleNode(0));
    run(&mut m, 700);
    m.update(Msg::Latency(80.0));
    m.update(Msg::Isolate(vec![2]));
    run(&mut m, 900);
    m.update(Msg::Heal);
    m.update(Msg::ToggleNode(0));
    run(&mut m, 1_200);
    let mut replay = World::from_scenario(m.recorded()).unwrap();
    replay.run_until(m.world().now());
    assert_eq!(replay.trace_hash(), m.world().trace_hash());
}

#[test]
fn a_broken_scenario_falls_back_to_defaults_with_a_notice() {
    let mut bad = Scenario::new(Config::default(), 1);
    bad.config.w = 7;
    let m = Model::new(bad);
    assert_eq!(m.config(), &Config::default());
    assert!(m.notice.as_deref().unwrap().contains("W"), "{:?}", m.notice);
}

#[test]
fn reset_returns_to_the_base_scenario() {
    let mut m = model();
    run(&mut m, 800);
    m.update(Msg::WriteQuorum(1));
    m.update(Msg::Reset);
    assert_eq!(m.world().now(), 0);
    assert_eq!(m.config().w, 2);
    assert!(m.recorded().actions.is_empty());
}

#[test]
fn loading_a_scenario_replaces_the_base_and_bumps_the_revision() {
    let mut m = model();
    let before = m.revision;
    let mut other = Scenario::new(Config::default(), 9);
    other.config.n = 5;
    m.update(Msg::Load(Box::new(other.clone())));
    assert_eq!(m.config().n, 5);
    assert!(m.revision > before);
    m.update(Msg::Reset);
    assert_eq!(m.recorded(), &other, "Reset returns to the loaded scenario");
    let r = m.revision;
    m.update(Msg::Frame(16.0));
    assert_eq!(m.revision, r, "frames do not change the recording");
}

#[test]
fn a_presets_client_operations_show_in_their_panels_when_sent() {
    let preset = crate::presets::find("stale-follower-read").unwrap();
    let mut m = Model::new(preset.scenario.clone());
    let rows = |m: &Model, i: usize| m.clients.view(m.world()).panels[i].rows.clone();
    assert!(
        rows(&m, 0).is_empty() && rows(&m, 1).is_empty(),
        "nothing before its time"
    );
    run(&mut m, 1_200);
    let write = rows(&m, 0);
    assert_eq!(write.len(), 1);
    assert_eq!(write[0].op, "PUT name = Alice");
    let read = rows(&m, 1);
    assert_eq!(read.len(), 1, "the 1.32 s read is not sent yet");
    let badges: Vec<String> = read[0].badges().iter().map(|b| b.text.clone()).collect();
    assert!(
        badges.iter().any(|b| b.starts_with("stale: 1 version")),
        "{badges:?}"
    );
}
