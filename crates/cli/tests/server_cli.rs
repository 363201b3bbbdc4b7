//! Three `quorum serve` processes on loopback, driven with the course's
//! curl steps over real HTTP, then a real crash (SIGKILL) of the leader and
//! a restart from its data directory. Every wait is bounded; `Nodes` kills
//! every process it started when dropped, also when an assertion fails.

mod common;

use common::{cluster, eventually, http, leader, put};
use serde_json::{json, Value};

#[test]
fn course_steps_failover_and_restart_over_real_http() {
    let (mut nodes, _dir) = cluster("steps", 2, None);
    let lead = leader(&nodes, &[1, 2, 3]);
    let follower = if lead == 1 { 2 } else { 1 };
    let lead_name = format!("node-{lead}");

    // Step 2: write to the leader, read from a follower (eventually).
    let (status, body) = put(&nodes, lead, "name", &json!("Alice"));
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["success"], true);
    assert_eq!(body["value"], "Alice");
    assert_eq!(body["leader_id"], lead_name.as_str());
    assert_eq!(body["achieved_quorum"], true);
    assert_eq!(body["write_quorum"], 2);
    let read = eventually(5, "the follower has Alice", || {
        let (status, body) = http(&nodes, follower, "GET", "/key/name", "")?;
        (status == 200 && body["value"] == "Alice").then_some(body)
    });
    assert_eq!(read["consistency"], "eventual");
    assert_eq!(read["node_role"], "follower");

    // Step 3: a strong read at the follower.
    let (status, body) = http(&nodes, follower, "GET", "/key/name?consistency=strong", "").unwrap();
    assert_eq!(
        (status, &body["value"], &body["consistency"]),
        (200, &json!("Alice"), &json!("strong"))
    );

    // Step 4: the status and its quorum settings.
    let (status, body) = http(&nodes, lead, "GET", "/status", "").unwrap();
    assert_eq!(status, 200);
    assert_eq!(body["nodeId"], lead_name.as_str());
    assert_eq!(body["role"], "leader");
    assert_eq!(
        body["config"],
        json!({"writeQuorum": 2, "readQuorum": 1, "totalNodes": 3})
    );

    // Bad requests get clear answers.
    let (status, body) = http(&nodes, lead, "PUT", "/key/name", "{not json").unwrap();
    assert_eq!((status, body), (400, json!({"error": "Invalid JSON"})));
    let (status, body) = put(&nodes, follower, "name", &json!("Bob"));
    assert_eq!(status, 503);
    assert_eq!(body["error"], "Not the leader");
    assert_eq!(body["leader_id"], lead_name.as_str());
    let (status, body) = http(
        &nodes,
        follower,
        "GET",
        "/key/name?consistency=sometimes",
        "",
    )
    .unwrap();
    assert_eq!(
        (status, &body["error"]),
        (400, &json!("Unknown consistency level"))
    );
    let (status, body) = http(&nodes, follower, "GET", "/key/nobody", "").unwrap();
    assert_eq!((status, &body["error"]), (404, &json!("Key not found")));

    // Writes acknowledged with W = 2 survive the leader's crash.
    let acknowledged: Vec<(String, Value)> = (0..20)
        .map(|i| {
            let (key, value) = (format!("k{i}"), json!({"n": i}));
            let (status, body) = put(&nodes, lead, &key, &value);
            assert_eq!(
                (status, &body["achieved_quorum"]),
                (200, &json!(true)),
                "{body}"
            );
            (key, value)
        })
        .collect();
    nodes.kill(lead);
    let others: Vec<usize> = (1..=3).filter(|&k| k != lead).collect();
    let new_lead = leader(&nodes, &others);
    assert_ne!(new_lead, lead);
    for (key, value) in &acknowledged {
        let path = format!("/key/{key}?consistency=linearizable");
        let (status, body) = http(&nodes, new_lead, "GET", &path, "").unwrap();
        assert_eq!(
            (status, &body["value"]),
            (200, value),
            "{key} after failover: {body}"
        );
    }

    // The killed node comes back from its data directory and catches up.
    let (status, _) = put(&nodes, new_lead, "after", &json!("crash"));
    assert_eq!(status, 200);
    nodes.restart(lead, true).unwrap();
    eventually(
        10,
        "the restarted node follows the new leader and has every write",
        || {
            let (_, s) = http(&nodes, lead, "GET", "/status", "")?;
            let caught_up = s["role"] == "follower"
                && s["leaderId"] == format!("node-{new_lead}").as_str()
                && s["totalKeys"] == acknowledged.len() + 2;
            let (status, body) = http(&nodes, lead, "GET", "/key/after", "")?;
            (caught_up && status == 200 && body["value"] == "crash").then_some(())
        },
    );
}

#[test]
fn course_step_5_write_quorum_of_three_needs_every_node() {
    let (mut nodes, _dir) = cluster("w3", 3, None);
    let lead = leader(&nodes, &[1, 2, 3]);
    let (_, status) = http(&nodes, lead, "GET", "/status", "").unwrap();
    assert_eq!(status["config"]["writeQuorum"], 3);
    let (code, body) = put(&nodes, lead, "name", &json!("Alice"));
    assert_eq!(
        (code, &body["achieved_quorum"]),
        (200, &json!(true)),
        "{body}"
    );
    let down = if lead == 3 { 2 } else { 3 };
    nodes.kill(down);
    // Two of three nodes hold it: logged, but not acknowledged by W = 3.
    let (code, body) = put(&nodes, lead, "name", &json!("Bob"));
    assert_eq!(
        (code, &body["achieved_quorum"]),
        (200, &json!(false)),
        "{body}"
    );
}
