use super::verdict::{Tone, Verdict};
use super::*;
use crate::model::test_support::{model, run};
use crate::model::{Model, Msg};
use quorum_sim::msg::NodeId;
use quorum_sim::scenario::Settings;

fn leader(m: &Model) -> NodeId {
    m.world().leader().expect("a leader")
}

/// The node after `id` on a ring of three.
fn next(id: NodeId) -> NodeId {
    NodeId::at((id.index() + 1) % 3)
}

fn set(m: &mut Model, client: usize, fields: Vec<FormField>) {
    for f in fields {
        m.update(Msg::Client(ClientMsg::Form(client, f)));
    }
}

fn send(m: &mut Model, client: usize) {
    m.update(Msg::Client(ClientMsg::Send(client)));
}

/// Runs until client `i`'s newest result is answered; its badges.
fn answer(m: &mut Model, i: usize) -> (ResultRow, Vec<(Tone, String)>) {
    for _ in 0..400 {
        let row = &m.clients.panels[i].rows[0];
        if row.verdict != Verdict::Pending {
            let badges = row.badges().into_iter().map(|b| (b.tone, b.text)).collect();
            return (row.clone(), badges);
        }
        m.update(Msg::Frame(16.0));
    }
    panic!("no answer for client {i}");
}

/// The course's cluster once it has a leader, then on a slow network, so
/// a follower lags visibly.
fn elected() -> Model {
    let mut m = model();
    run(&mut m, 3_000);
    m.update(Msg::Latency(150.0));
    m.update(Msg::JitterKind(crate::model::jitter::JitterKind::None));
    m
}

/// The course's weakest setting, W = 1: the leader acknowledges a write
/// before any follower holds it.
fn write_then_read(level: Level, r: usize) -> Vec<(Tone, String)> {
    let mut m = elected();
    m.update(Msg::WriteQuorum(1));
    m.update(Msg::ReadQuorum(r));
    let l = leader(&m);
    let follower = next(l);
    set(
        &mut m,
        0,
        vec![FormField::Node(l), FormField::Op(OpChoice::Put)],
    );
    set(
        &mut m,
        1,
        vec![
            FormField::Node(follower),
            FormField::Op(OpChoice::Get),
            FormField::Level(level),
        ],
    );
    send(&mut m, 0);
    let (row, badges) = answer(&mut m, 0);
    assert_eq!(
        badges,
        vec![(Tone::Fresh, "acknowledged".to_string())],
        "{row:?}"
    );
    send(&mut m, 1);
    answer(&mut m, 1).1
}

#[test]
fn an_eventual_read_from_a_lagging_follower_is_judged_stale() {
    let badges = write_then_read(Level::Eventual, 1);
    assert_eq!(badges.len(), 1, "{badges:?}");
    assert_eq!(badges[0].0, Tone::Stale);
    assert!(badges[0].1.starts_with("stale: 1 version / "), "{badges:?}");
}

#[test]
fn a_strong_read_with_overlapping_quorums_is_fresh() {
    assert_eq!(
        write_then_read(Level::Strong, 3),
        vec![(Tone::Fresh, "fresh".to_string())]
    );
}

#[test]
fn a_follower_write_gets_503_and_is_retried_at_the_leader_when_asked() {
    let mut m = elected();
    let l = leader(&m);
    let follower = next(l);
    set(&mut m, 0, vec![FormField::Node(follower)]);
    send(&mut m, 0);
    let (_, badges) = answer(&mut m, 0);
    assert_eq!(
        badges,
        vec![(Tone::Stale, format!("503 not the leader: {l} leads"))]
    );
    assert_eq!(m.clients.panels[0].rows.len(), 1, "no retry unless asked");

    set(&mut m, 0, vec![FormField::Redirect(true)]);
    send(&mut m, 0);
    run(&mut m, 32);
    let rows = &m.clients.panels[0].rows;
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[1].note.as_deref(), Some(&*format!("retried at {l}")));
    assert_eq!(rows[0].node, l);
    let (_, badges) = answer(&mut m, 0);
    assert_eq!(badges, vec![(Tone::Fresh, "acknowledged".to_string())]);
}

#[test]
fn reading_your_own_write_back_from_a_lagging_follower_misses_it_at_eventual() {
    let mut m = elected();
    m.update(Msg::WriteQuorum(1));
    let l = leader(&m);
    set(&mut m, 0, vec![FormField::Node(l)]);
    send(&mut m, 0);
    answer(&mut m, 0);
    set(
        &mut m,
        0,
        vec![FormField::Node(next(l)), FormField::Op(OpChoice::Get)],
    );
    send(&mut m, 0);
    let (row, badges) = answer(&mut m, 0);
    assert_eq!(row.returned.as_deref(), Some("(not found)"));
    // Eventual promises nothing of the kind: a warning, not a violation.
    assert_eq!(
        badges[0],
        (
            Tone::Stale,
            "missed its own write (not promised at eventual)".into()
        )
    );
    assert_eq!(badges[1].0, Tone::Stale);
}

#[test]
fn a_crashed_node_refuses_the_connection() {
    let mut m = elected();
    m.update(Msg::ToggleNode(NodeId::at(1)));
    set(
        &mut m,
        0,
        vec![
            FormField::Node(NodeId::numbered(2).unwrap()),
            FormField::Op(OpChoice::Get),
        ],
    );
    send(&mut m, 0);
    let (row, badges) = answer(&mut m, 0);
    assert_eq!(
        badges,
        vec![(Tone::Alert, "connection refused".to_string())]
    );
    assert_eq!(row.latency_ms, Some(0.0));
}

#[test]
fn result_lists_console_log_and_history_stay_bounded() {
    let mut m = elected();
    let l = leader(&m);
    set(&mut m, 0, vec![FormField::Node(l)]);
    let sent = super::KEPT_RESULTS + MAX_RESULTS;
    for i in 0..sent {
        set(&mut m, 0, vec![FormField::Value(format!("v{i}"))]);
        send(&mut m, 0);
    }
    assert_eq!(m.clients.panels[0].rows.len(), super::KEPT_RESULTS);
    let shown = &m.clients.view(m.world()).panels[0].rows;
    assert_eq!(shown.len(), MAX_RESULTS);
    assert_eq!(shown[0].op, format!("PUT name = v{}", sent - 1));
    for i in 0..2 * console::MAX_LOG {
        m.update(Msg::Client(ClientMsg::ConsoleRun(format!(
            "curl http://localhost:4001/status # {i}"
        ))));
        m.update(Msg::Frame(16.0));
    }
    assert_eq!(m.clients.console.log.len(), console::MAX_LOG);
    assert_eq!(m.clients.console.history.len(), console::MAX_HISTORY);
}

#[test]
fn client_operations_console_commands_and_the_workload_replay_exactly() {
    let mut m = elected();
    let l = leader(&m);
    set(
        &mut m,
        0,
        vec![FormField::Node(next(l)), FormField::Redirect(true)],
    );
    send(&mut m, 0);
    run(&mut m, 400);
    set(&mut m, 1, vec![FormField::Level(Level::Linearizable)]);
    send(&mut m, 1);
    m.update(Msg::Client(ClientMsg::ConsoleClient(1)));
    m.update(Msg::Client(ClientMsg::ConsoleRun(format!(
        "curl -X PUT http://localhost:{}/key/city -d '\"Oslo\"'\ncurl http://localhost:4002/key/city\nWRITE_QUORUM=3",
        examples::port(l)
    ))));
    run(&mut m, 1_500);
    m.update(Msg::Client(ClientMsg::StartWorkload));
    run(&mut m, 1_500);
    m.update(Msg::Client(ClientMsg::StopWorkload));
    run(&mut m, 500);
    let kinds: Vec<&str> = m
        .recorded()
        .actions
        .iter()
        .map(|(_, a)| match a {
            Action::Write { .. } => "write",
            Action::Read { .. } => "read",
            Action::Set(Settings { w: Some(3), .. }) => "w=3",
            Action::Set(Settings {
                latency_ms: Some(_),
                ..
            }) => "latency",
            Action::Set(Settings {
                jitter: Some(_), ..
            }) => "jitter",
            Action::StartWorkload(_) => "start",
            Action::StopWorkload => "stop",
            _ => "other",
        })
        .collect();
    assert_eq!(
        kinds,
        ["latency", "jitter", "write", "write", "read", "write", "read", "w=3", "start", "stop"]
    );
    let entries = &m.clients.console.log;
    assert_eq!(entries.len(), 3);
    assert!(entries.iter().all(|e| e.answer.is_some() && e.client == 1));
    let mut replay = World::from_scenario(&m.recorded()).unwrap();
    replay.run_until(m.world().now());
    assert_eq!(replay.trace_hash(), m.world().trace_hash());
}

#[test]
fn exercise_2_shows_the_eventual_and_strong_answers_side_by_side() {
    let mut m = elected();
    m.update(Msg::Client(ClientMsg::Exercise2));
    run(&mut m, 3_000);
    let view = m.clients.view(m.world());
    let pair = view.exercise.expect("both reads answered");
    let (eventual, strong) = (pair.eventual.unwrap(), pair.strong.unwrap());
    assert_ne!(eventual.node, leader(&m));
    assert_eq!(strong.status, 200);
    assert_eq!(strong.value, Some(serde_json::json!("Alice")));
    assert!([200, 404].contains(&eventual.status), "{eventual:?}");
}
