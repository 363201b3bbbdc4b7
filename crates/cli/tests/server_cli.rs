//! Three `quorum serve` processes on loopback, driven with the course's
//! curl steps over real HTTP, then a real crash (SIGKILL) of the leader and
//! a restart from its data directory. Every wait is bounded; `Nodes` kills
//! every process it started when dropped, also when an assertion fails.

use quorum_server::launch::{Nodes, Plan};
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// A fresh directory for the nodes' state, removed on drop.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn free_ports(n: usize) -> Vec<u16> {
    // Held together so that they differ; released just before the nodes bind.
    let listeners: Vec<TcpListener> = (0..n)
        .map(|_| TcpListener::bind("127.0.0.1:0").unwrap())
        .collect();
    listeners
        .iter()
        .map(|l| l.local_addr().unwrap().port())
        .collect()
}

fn cluster(name: &str, w: usize) -> (Nodes, TempDir) {
    let dir = TempDir(std::env::temp_dir().join(format!("quorum-{name}-{}", std::process::id())));
    let _ = std::fs::remove_dir_all(&dir.0);
    let plan = Plan {
        exe: env!("CARGO_BIN_EXE_quorum").into(),
        ports: free_ports(3),
        w,
        r: 1,
        data_dir: Some(dir.0.clone()),
    };
    (Nodes::start(plan, true).expect("the nodes start"), dir)
}

/// One request, as curl sends it; `None` when the node is unreachable.
fn http(nodes: &Nodes, k: usize, method: &str, path: &str, body: &str) -> Option<(u16, Value)> {
    let port = nodes.plan.ports[k - 1];
    let addr = ([127, 0, 0, 1], port).into();
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(1)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).ok()?;
    let mut text = String::new();
    stream.read_to_string(&mut text).ok()?;
    let status = text.split(' ').nth(1)?.parse().ok()?;
    let body = text.split_once("\r\n\r\n")?.1;
    Some((status, serde_json::from_str(body).ok()?))
}

/// Asks until `check` finds what it wants, for at most `secs`.
fn eventually<T>(secs: u64, what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    let until = Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(found) = check() {
            return found;
        }
        assert!(Instant::now() < until, "not within {secs} s: {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The node of `among` that leads, once the others there agree.
fn leader(nodes: &Nodes, among: &[usize]) -> usize {
    eventually(10, "a leader the others agree on", || {
        let statuses: Vec<Value> = among
            .iter()
            .map(|&k| http(nodes, k, "GET", "/status", "").map(|(_, s)| s))
            .collect::<Option<_>>()?;
        let at = statuses.iter().position(|s| s["role"] == "leader")?;
        let name = &statuses[at]["nodeId"];
        statuses
            .iter()
            .all(|s| s["leaderId"] == *name)
            .then_some(among[at])
    })
}

fn put(nodes: &Nodes, k: usize, key: &str, value: &Value) -> (u16, Value) {
    http(nodes, k, "PUT", &format!("/key/{key}"), &value.to_string()).expect("the node answers")
}

#[test]
fn course_steps_failover_and_restart_over_real_http() {
    let (mut nodes, _dir) = cluster("steps", 2);
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
    let (mut nodes, _dir) = cluster("w3", 3);
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
