use super::clients::verdict::{ReadLag, Verdict};
use super::clients::{ClientMsg, FormField, Why};
use super::test_support::{frames_until, model, run};
use super::*;
use quorum_sim::msg::NodeId;

fn leader(m: &Model) -> Option<NodeId> {
    m.world().leader()
}

#[test]
fn the_first_visit_elects_node_1_in_term_1_within_five_seconds() {
    let mut m = model();
    assert_eq!(m.speed_step, clock::DEFAULT_SPEED_STEP);
    assert!(m.skip_quiet);
    let (n, w, r) = (m.config().n, m.config().w, m.config().r);
    assert_eq!((n, w, r), (3, 2, 1), "the course's cluster");
    // Something moves within a second: the first vote request is sent.
    let first_vote = frames_until(&mut m, 1_000.0, |m| m.world().flying().news > 0);
    let wall = frames_until(&mut m, 5_000.0, |m| leader(m).is_some());
    assert!(first_vote + wall < 5_000.0);
    assert_eq!(leader(&m), Some(NodeId::at(0)), "node-1 leads");
    assert_eq!(m.world().node(NodeId::at(0)).term(), 1, "term 1");
    assert_eq!(m.world().stats().elections, 1, "no split vote");
}

#[test]
fn frames_advance_simulated_time_at_the_chosen_speed() {
    let mut m = model();
    m.update(Msg::Speed(6));
    m.update(Msg::SkipQuiet(false));
    m.update(Msg::Frame(16.0));
    assert_eq!(m.world().now(), 16_000);
    m.update(Msg::TogglePause);
    m.update(Msg::Frame(16.0));
    assert_eq!(m.world().now(), 16_000, "paused");
}

#[test]
fn quiet_time_is_skipped_and_the_page_says_so() {
    let mut m = model();
    m.update(Msg::Frame(16.0));
    assert!(
        m.world().now() > 300_000,
        "jumped to the first election timeout"
    );
    assert!(m.skipping());
    m.update(Msg::SkipQuiet(false));
    let before = m.world().now();
    m.update(Msg::Frame(16.0));
    assert_eq!(m.world().now() - before, 1_600, "0.1× when skipping is off");
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
    m.update(Msg::ReadRepair(ReadRepair::Blocking));
    let c = m.config();
    assert_eq!((c.w, c.r, c.latency_ms, c.drop), (3, 3, 120.0, 0.25));
    assert_eq!(c.read_repair, ReadRepair::Blocking);
    assert!(m.world().now() > t, "the run went on, it was not reset");
    assert_eq!(m.recorded().actions.len(), 5);
}

#[test]
fn a_setting_change_starts_a_new_segment_of_statistics() {
    let mut m = model();
    run(&mut m, 1_000);
    m.update(Msg::Client(ClientMsg::StartWorkload));
    run(&mut m, 3_000);
    m.update(Msg::WriteQuorum(1));
    run(&mut m, 3_000);
    let f = series::Figures::of(m.world(), m.previous_run.as_ref());
    let [before, after] = &f.segments[..] else {
        panic!("{:?}", f.segments)
    };
    assert!(before.settings.contains("W = 2") && after.settings.contains("W = 1"));
    assert!(before.tally.completed > 0 && after.tally.completed > 0);
    // A new N starts a new run; the old one is kept for comparison.
    m.update(Msg::Nodes(5));
    let f = series::Figures::of(m.world(), m.previous_run.as_ref());
    assert!(
        f.segments[0].settings.starts_with("N = 3"),
        "{:?}",
        f.segments
    );
    assert!(f.segments[1].settings.starts_with("N = 5"));
}

#[test]
fn crashing_the_leader_elects_another() {
    let mut m = model();
    run(&mut m, 2_000);
    let old = leader(&m).expect("a leader after 2 s");
    m.update(Msg::ToggleNode(old));
    assert!(!m.world().is_alive(old));
    run(&mut m, 3_000);
    let new = leader(&m).expect("a new leader after 3 s");
    assert_ne!(new, old);
    m.update(Msg::ToggleNode(old));
    assert!(m.world().is_alive(old), "restarted");
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
    m.update(Msg::Isolate(vec![NodeId::at(0)]));
    let v = view::ClusterView::of(m.world());
    let cut = |a, b| view::Cut {
        a: NodeId::at(a),
        b: NodeId::at(b),
        a_to_b: true,
        b_to_a: true,
    };
    assert_eq!(v.cuts, vec![cut(0, 1), cut(0, 2)]);
    m.update(Msg::Heal);
    assert!(view::ClusterView::of(m.world()).cuts.is_empty());
    m.update(Msg::Isolate(vec![
        NodeId::at(0),
        NodeId::at(1),
        NodeId::at(2),
    ]));
    assert!(m.notice.as_deref().unwrap().contains("not all"));
}

#[test]
fn replaying_the_recording_reproduces_the_run() {
    let mut m = model();
    run(&mut m, 1_500);
    m.update(Msg::ToggleNode(NodeId::at(0)));
    run(&mut m, 700);
    m.update(Msg::Latency(80.0));
    m.update(Msg::Isolate(vec![NodeId::at(2)]));
    run(&mut m, 900);
    m.update(Msg::Heal);
    m.update(Msg::ToggleNode(NodeId::at(0)));
    run(&mut m, 1_200);
    let mut replay = World::from_scenario(&m.recorded()).unwrap();
    replay.run_until(m.world().now());
    assert_eq!(replay.trace_hash(), m.world().trace_hash());
}

#[test]
fn a_broken_scenario_falls_back_to_defaults_with_a_notice() {
    let mut bad = Scenario::new(Config::default(), 1);
    bad.config.w = 7;
    let m = Model::new(bad);
    assert_eq!(m.recorded(), crate::link::default_scenario());
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
    assert_eq!(m.recorded(), other, "Reset returns to the loaded scenario");
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

#[test]
fn a_preset_shows_its_next_action_and_skips_to_it() {
    let preset = crate::presets::find("leader-crash").unwrap();
    let mut m = Model::new(preset.scenario.clone());
    let (first_at, first) = m.next_action().map(|(at, a)| (at, a.clone())).unwrap();
    assert_eq!(
        Some((first_at, &first)),
        preset
            .scenario
            .actions
            .first()
            .map(|(at, a)| ((at * 1000.0) as u64, a))
    );
    m.update(Msg::SkipToNext);
    assert_eq!(m.world().now(), first_at - 1, "just before it, to watch it");
    m.update(Msg::Speed(6));
    m.update(Msg::Frame(16.0));
    let next = m.next_action().map(|(at, _)| at);
    assert!(
        next.is_none_or(|at| at > first_at),
        "the first has happened"
    );
}

/// Runs at the defaults until client `i`'s newest row has its answer.
fn answer(m: &mut Model, i: usize) -> Verdict {
    frames_until(m, 60_000.0, |m| {
        m.clients.panels[i].rows[0].verdict != Verdict::Pending
    });
    m.clients.panels[i].rows[0].verdict.clone()
}

fn send(m: &mut Model, client: usize, fields: Vec<FormField>) {
    for f in fields {
        m.update(Msg::Client(ClientMsg::Form(client, f)));
    }
    m.update(Msg::Client(ClientMsg::Send(client)));
}

#[test]
fn exercise_1_at_the_defaults_a_follower_read_right_after_the_write_is_stale_and_says_why() {
    let mut m = model();
    frames_until(&mut m, 5_000.0, |m| leader(m).is_some());
    // Client 1 writes to the leader, node-1; Client 2 reads node-2 the
    // moment the write is acknowledged, as the course asks.
    send(&mut m, 0, vec![]);
    assert_eq!(answer(&mut m, 0), Verdict::Acknowledged);
    send(&mut m, 1, vec![]);
    let Verdict::Read(read) = answer(&mut m, 1) else {
        panic!("a read verdict")
    };
    assert!(
        matches!(read.lag, ReadLag::Stale { versions: 1, .. }),
        "{read:?}"
    );
    assert!(read.why.starts_with("node-2 had no copy of name; “Alice” (v1.2), held by node-1 and node-3, was acknowledged"), "{}", read.why);
    assert!(
        read.why.contains("its replicate reaches node-2 in"),
        "{}",
        read.why
    );
    // The answer shows at node-2 on the ring for a moment.
    let bubbles = m.clients.bubbles(m.world().now());
    assert_eq!(bubbles.len(), 1);
    assert_eq!(bubbles[0].node, NodeId::at(1));
    assert!(bubbles[0].text.contains("stale"), "{bubbles:?}");
    run(&mut m, 600);
    assert!(
        m.clients.bubbles(m.world().now()).is_empty(),
        "only for a moment"
    );
}

#[test]
fn a_read_while_the_write_is_in_flight_gets_its_own_verdict() {
    let mut m = model();
    frames_until(&mut m, 5_000.0, |m| leader(m).is_some());
    send(&mut m, 0, vec![]);
    send(&mut m, 1, vec![]);
    let Verdict::Read(read) = answer(&mut m, 1) else {
        panic!("a read verdict")
    };
    assert_eq!(read.lag, ReadLag::InFlight, "{read:?}");
    assert!(read.why.contains("was still being written"), "{}", read.why);
    assert_eq!(
        m.clients.panels[1].rows[0].badges()[0].text,
        "old value, allowed: write in flight"
    );
}

#[test]
fn the_course_step_2_typed_in_the_console_finds_node_2_stale_and_says_so() {
    let mut m = model();
    frames_until(&mut m, 5_000.0, |m| leader(m).is_some());
    let steps = quorum_console::examples::verbatim();
    m.update(Msg::Client(ClientMsg::ConsoleRun(format!(
        "{}\n{}",
        steps[0].command, steps[1].command
    ))));
    frames_until(&mut m, 30_000.0, |m| {
        m.clients.console.log.len() == 2 && m.clients.console.log[1].answer.is_some()
    });
    let read = &m.clients.console.log[1];
    assert!(read.answer.as_ref().unwrap().text.contains("Key not found"));
    let verdict = read.verdict.as_ref().expect("the read has a verdict line");
    let badges: Vec<String> = verdict.badges().into_iter().map(|b| b.text).collect();
    // One client wrote and read: eventual does not promise it its own write.
    assert_eq!(badges[0], "missed its own write (not promised at eventual)");
    assert!(badges[1].starts_with("stale: 1 version"), "{badges:?}");
    let why = verdict.why().unwrap();
    assert!(
        why.contains("“Alice” (v1.2), held by node-1 and node-3, was acknowledged"),
        "{why}"
    );
    assert!(why.contains("its replicate reaches node-2 in"), "{why}");
    // Its "why" singles out the write it missed, as a card's would.
    let Some(Why::Read(focus)) = read.why() else {
        panic!("the stale read can be explained: {:?}", read.why())
    };
    assert_eq!(focus.node, NodeId::numbered(2).unwrap());
    assert_eq!(focus.at_us, read.answered_us.unwrap());
    assert_eq!(focus.holders, [NodeId::at(0), NodeId::at(2)]);
    assert!(focus.newer_invoked_us.is_some_and(|w| w < focus.at_us));
    assert_eq!(focus.quorum, None, "an eventual read has no quorum to show");
    assert_eq!(
        m.clients.console.log[0].why(),
        None,
        "a write is not a read"
    );
}

#[test]
fn after_the_leader_crashes_the_course_steps_follow_the_new_leader() {
    let mut m = model();
    run(&mut m, 2_000);
    m.update(Msg::ToggleNode(NodeId::at(0)));
    run(&mut m, 3_000);
    let new = leader(&m).expect("a new leader");
    let view = m.clients.view(m.world());
    assert!(view.steps[0]
        .label
        .contains(&format!("{new}, port 400{}", new.number())));
    m.update(Msg::Client(ClientMsg::ConsoleRun(
        view.steps[0].command.clone(),
    )));
    run(&mut m, 2_000);
    let answer = m.clients.console.log[0].answer.as_ref().unwrap();
    assert!(answer.text.contains("\"success\": true"), "{}", answer.text);
    let follower = view.steps[1].command.clone();
    assert!(
        !follower.contains(&format!("400{}", new.number())),
        "{follower}"
    );
    assert!(!follower.contains("4001"), "node-1 is down: {follower}");
}
