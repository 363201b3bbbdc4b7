//! The course's curl steps 2 to 5, verbatim, against the real engine
//! through the `World` adapter.

use quorum_console::examples::{exercise_2, side_by_side, verbatim};
use quorum_console::{Answer, Console, Event};
use quorum_sim::config::Config;
use quorum_sim::msg::NodeId;
use quorum_sim::scenario::Action;
use quorum_sim::world::World;
use serde_json::{json, Value};

/// The course's cluster, with node-1 elected leader as in the course's logs
/// (a seed where it wins the first election).
fn course_cluster() -> World {
    (0..500)
        .find_map(|seed| {
            let mut world = World::new(Config::default(), seed).unwrap();
            world.run_until(2_000_000);
            (world.leader() == Some(NodeId::at(0))).then_some(world)
        })
        .expect("some seed elects node-1")
}

/// Runs `input` as `client`, advancing simulated time 1 ms per frame until
/// the console is idle.
fn run_as(world: &mut World, console: &mut Console, client: u32, input: &str) -> Vec<Answer> {
    let mut events = console.run(world, client, input);
    for _ in 0..10_000 {
        if !console.busy() {
            break;
        }
        world.run_until(world.now() + 1_000);
        events.extend(console.poll(world));
    }
    assert!(!console.busy(), "no answer to {input}");
    events.into_iter().filter_map(Event::into_answer).collect()
}

fn run(world: &mut World, console: &mut Console, input: &str) -> Vec<Answer> {
    run_as(world, console, 1, input)
}

fn http(a: &Answer) -> (u16, Value) {
    let x = a
        .exchange
        .as_ref()
        .unwrap_or_else(|| panic!("no exchange: {}", a.text));
    (x.status, x.body.to_value())
}

fn field_names(a: &Answer) -> Vec<String> {
    let body: serde_json::Map<String, Value> = serde_json::from_str(&a.text).unwrap();
    let mut names: Vec<(usize, String)> = body
        .keys()
        .map(|k| (a.text.find(&format!("\"{k}\":")).unwrap(), k.clone()))
        .collect();
    names.sort();
    names.into_iter().map(|(_, k)| k).collect()
}

#[test]
fn step_2_write_to_the_leader_then_read_a_follower() {
    let (mut world, mut console) = (course_cluster(), Console::new());
    let a = run(&mut world, &mut console, &verbatim()[0].command);
    assert_eq!(
        http(&a[0]),
        (
            200,
            json!({"success": true, "key": "name", "value": "Alice", "leader_id": "node-1",
                   "achieved_quorum": true, "write_quorum": 2})
        )
    );
    assert_eq!(
        field_names(&a[0]),
        [
            "success",
            "key",
            "value",
            "leader_id",
            "achieved_quorum",
            "write_quorum"
        ]
    );
    // At once: the follower may not have applied it yet.
    let a = run(&mut world, &mut console, &verbatim()[1].command);
    match http(&a[0]) {
        (404, body) => assert_eq!(body, json!({"error": "Key not found", "key": "name"})),
        (200, body) => assert_eq!(body["value"], "Alice"),
        other => panic!("{other:?}"),
    }
    // A moment later it has.
    world.run_until(world.now() + 500_000);
    let a = run(&mut world, &mut console, &verbatim()[1].command);
    assert_eq!(
        http(&a[0]),
        (
            200,
            json!({"key": "name", "value": "Alice", "node_role": "follower", "consistency": "eventual"})
        )
    );
    assert_eq!(
        field_names(&a[0]),
        ["key", "value", "node_role", "consistency"]
    );
}

#[test]
fn the_whole_step_2_block_pasted_at_once() {
    let (mut world, mut console) = (course_cluster(), Console::new());
    let block = "# Write to leader\ncurl -X PUT http://localhost:4001/key/name \\\n  -H \"Content-Type: application/json\" \\\n  -d '\"Alice\"'\n\n# Immediately read from follower (eventual consistency)\ncurl http://localhost:4002/key/name\n";
    let a = run(&mut world, &mut console, block);
    assert_eq!(a.len(), 2);
    assert_eq!(http(&a[0]).0, 200);
    assert!([200, 404].contains(&http(&a[1]).0));
}

#[test]
fn step_3_strong_read() {
    let (mut world, mut console) = (course_cluster(), Console::new());
    run(&mut world, &mut console, &verbatim()[0].command);
    world.run_until(world.now() + 500_000);
    let a = run(&mut world, &mut console, &verbatim()[2].command);
    assert_eq!(
        http(&a[0]),
        (
            200,
            json!({"key": "name", "value": "Alice", "node_role": "follower", "consistency": "strong"})
        )
    );
}

#[test]
fn step_4_status_shows_the_quorums() {
    let (mut world, mut console) = (course_cluster(), Console::new());
    run(&mut world, &mut console, &verbatim()[0].command);
    let a = run(&mut world, &mut console, &verbatim()[3].command);
    let (status, body) = http(&a[0]);
    assert_eq!(status, 200);
    assert_eq!(
        field_names(&a[0]),
        [
            "nodeId",
            "role",
            "term",
            "leaderId",
            "totalKeys",
            "keys",
            "config"
        ]
    );
    assert_eq!(body["nodeId"], "node-1");
    assert_eq!(body["role"], "leader");
    assert_eq!(body["leaderId"], "node-1");
    assert!(body["term"].as_u64().unwrap() >= 1);
    assert_eq!(
        (body["totalKeys"].clone(), body["keys"].clone()),
        (json!(1), json!(["name"]))
    );
    assert_eq!(
        body["config"],
        json!({"writeQuorum": 2, "readQuorum": 1, "totalNodes": 3})
    );
}

#[test]
fn step_5_w3_waits_for_every_node_and_w1_for_none() {
    let (mut world, mut console) = (course_cluster(), Console::new());
    let a = run(&mut world, &mut console, &verbatim()[4].command);
    assert!(a.iter().all(|a| a.exit_code == 0));
    let a = run(&mut world, &mut console, &verbatim()[3].command);
    assert_eq!(http(&a[0]).1["config"]["writeQuorum"], 3);
    let a = run(&mut world, &mut console, &verbatim()[0].command);
    assert_eq!(http(&a[0]).1["write_quorum"], 3);
    assert_eq!(http(&a[0]).1["achieved_quorum"], true);
    // With a node down, W=3 cannot be reached: still a 200, as in the course.
    world
        .apply(&Action::Crash {
            node: NodeId::numbered(3).unwrap(),
        })
        .unwrap();
    let a = run(&mut world, &mut console, &verbatim()[0].command);
    assert_eq!(http(&a[0]).0, 200);
    assert_eq!(http(&a[0]).1["achieved_quorum"], false);

    run(&mut world, &mut console, &verbatim()[5].command);
    let a = run(&mut world, &mut console, &verbatim()[0].command);
    assert_eq!(http(&a[0]).1["write_quorum"], 1);
    assert_eq!(http(&a[0]).1["achieved_quorum"], true);
}

#[test]
fn error_paths_against_the_engine() {
    let (mut world, mut console) = (course_cluster(), Console::new());
    let follower_write = "curl -X PUT localhost:4002/key/name -d '\"Bob\"'";
    let a = run(&mut world, &mut console, follower_write);
    assert_eq!(
        http(&a[0]),
        (
            503,
            json!({"error": "Not the leader", "current_role": "follower", "leader_id": "node-1"})
        )
    );
    let a = run(
        &mut world,
        &mut console,
        "curl -X PUT localhost:4001/key/name -d 'Bob'",
    );
    assert_eq!(http(&a[0]), (400, json!({"error": "Invalid JSON"})));
    let a = run(&mut world, &mut console, "curl localhost:4003/key/nobody");
    assert_eq!(
        http(&a[0]),
        (404, json!({"error": "Key not found", "key": "nobody"}))
    );
    let a = run(&mut world, &mut console, "curl localhost:4004/status");
    assert_eq!(
        a[0].text,
        "curl: (7) Failed to connect to localhost port 4004 after 0 ms: Couldn't connect to server"
    );
    let a = run(
        &mut world,
        &mut console,
        "curl -k https://localhost:4001/status",
    );
    assert_eq!(a[0].text.lines().count(), 1);
    assert!(a[0].text.contains("option -k: not supported"));

    world
        .apply(&Action::Crash {
            node: NodeId::numbered(2).unwrap(),
        })
        .unwrap();
    let a = run(&mut world, &mut console, "curl localhost:4002/status");
    assert!(a[0]
        .text
        .starts_with("curl: (7) Failed to connect to localhost port 4002"));

    // The leader crashes with the write in flight: the connection breaks.
    console.run(&mut world, 1, &verbatim()[0].command);
    world
        .apply(&Action::Crash {
            node: NodeId::numbered(1).unwrap(),
        })
        .unwrap();
    world.run_until(world.now() + 1_000);
    let events = console.poll(&mut world);
    assert!(
        matches!(&events[..], [Event::Finished { answer, .. }] if answer.text == "curl: (52) Empty reply from server"),
        "{events:?}"
    );
}

#[test]
fn read_your_writes_is_per_client() {
    let (mut world, mut console) = (course_cluster(), Console::new());
    run_as(&mut world, &mut console, 1, &verbatim()[0].command);
    let ryw = "curl 'localhost:4002/key/name?consistency=read_your_writes'";
    let a = run_as(&mut world, &mut console, 1, ryw);
    assert_eq!(http(&a[0]).1["value"], "Alice", "the writer sees its write");
    assert_eq!(http(&a[0]).1["consistency"], "read_your_writes");
}

#[test]
fn exercise_2_side_by_side() {
    let (mut world, mut console) = (course_cluster(), Console::new());
    let node = |k| NodeId::numbered(k).unwrap();
    let answers = run(
        &mut world,
        &mut console,
        &exercise_2(node(1), node(2), "Bob"),
    );
    assert_eq!(answers.len(), 3);
    assert_eq!(http(&answers[0]).0, 200);
    let pair = side_by_side(&answers);
    let (eventual, strong) = (pair.eventual.unwrap(), pair.strong.unwrap());
    assert_eq!((eventual.node, strong.node), (node(2), node(2)));
    assert!([200, 404].contains(&eventual.status));

    // With R + W > N the strong read must see the acknowledged write.
    run(&mut world, &mut console, "READ_QUORUM=2");
    let answers = run(
        &mut world,
        &mut console,
        &exercise_2(node(1), node(3), "Carol's"),
    );
    let strong = side_by_side(&answers).strong.unwrap();
    assert_eq!((strong.status, strong.value), (200, Some(json!("Carol's"))));
}
