//! Real nodes against hostile peers and clients: forged peer batches with
//! and without a cluster key, bodies and heads over their limits, more
//! connections than a node serves, and clients that send a byte at a time.
//! Every wait is bounded.

mod common;

use common::{cluster, eventually, http, leader, put};
use quorum_server::launch::Nodes;
use quorum_server::{BODY_TIMEOUT, HEADER_TIMEOUT, MAX_BODY_BYTES, MAX_CONNECTIONS};
use serde_json::{json, Value};
use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

fn connect(nodes: &Nodes, k: usize) -> TcpStream {
    let addr = ([127, 0, 0, 1], nodes.plan.ports[k - 1]).into();
    let stream =
        TcpStream::connect_timeout(&addr, Duration::from_secs(5)).expect("the node accepts");
    stream
        .set_read_timeout(Some(Duration::from_secs(15)))
        .unwrap();
    stream
}

/// Sends `request` as it is; the status and body of the answer.
fn raw(nodes: &Nodes, k: usize, request: &[u8]) -> (u16, String) {
    let mut stream = connect(nodes, k);
    stream.write_all(request).unwrap();
    let mut text = Vec::new();
    let _ = stream.read_to_end(&mut text);
    let text = String::from_utf8_lossy(&text).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_string();
    (status, body)
}

fn post_batch(nodes: &Nodes, k: usize, body: &str, signature: Option<&str>) -> u16 {
    let signed = signature.map_or(String::new(), |s| format!("x-quorum-signature: {s}\r\n"));
    let request = format!(
        "POST /internal/messages HTTP/1.1\r\nhost: x\r\nconnection: close\r\n{signed}\
         content-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    );
    raw(nodes, k, request.as_bytes()).0
}

fn status(nodes: &Nodes, k: usize) -> Value {
    http(nodes, k, "GET", "/status", "")
        .expect("the node answers")
        .1
}

/// A stranger's batch: a vote request and an append, as node-`from`, for
/// a term far above the cluster's.
fn forged(from: usize, term: u64) -> String {
    json!({"from": from, "messages": [
        {"RequestVote": {"term": term, "last_index": 1_000_000, "last_term": term}},
        {"Append": {"term": term, "prev_index": 0, "prev_term": 0, "entries": [],
                    "commit": 0, "round": 1}}
    ]})
    .to_string()
}

#[test]
fn forged_peer_batches_without_the_key_are_refused_and_change_nothing() {
    let (nodes, _dir) = cluster("forged", 2, Some("the course's secret"));
    let lead = leader(&nodes, &[1, 2, 3]);
    let (code, _) = put(&nodes, lead, "before", &json!("forgery"));
    assert_eq!(code, 200);
    let term = status(&nodes, lead)["term"].as_u64().unwrap();
    let follower = if lead == 1 { 2 } else { 1 };
    let batch = forged(follower, term + 100);
    for k in 1..=3 {
        assert_eq!(
            post_batch(&nodes, k, &batch, None),
            401,
            "unsigned, node-{k}"
        );
        assert_eq!(
            post_batch(&nodes, k, &batch, Some(&"0".repeat(64))),
            401,
            "forged, node-{k}"
        );
        assert_eq!(
            post_batch(&nodes, k, &batch, Some("not hex")),
            401,
            "garbage, node-{k}"
        );
    }
    // Long enough for a deposed leader to show it (a heartbeat is 100 ms).
    std::thread::sleep(Duration::from_millis(500));
    for k in 1..=3 {
        let s = status(&nodes, k);
        assert_eq!(s["term"], term, "node-{k}'s term is unchanged: {s}");
        assert_eq!(
            s["leaderId"],
            format!("node-{lead}").as_str(),
            "node-{k}: {s}"
        );
    }
    assert_eq!(leader(&nodes, &[1, 2, 3]), lead);
    let (code, body) = put(&nodes, lead, "after", &json!("forgery"));
    assert_eq!(
        (code, &body["achieved_quorum"]),
        (200, &json!(true)),
        "{body}"
    );
}

/// What the key is for: without one, the same stranger deposes the leader.
#[test]
fn without_a_key_a_forged_batch_is_obeyed() {
    let (nodes, _dir) = cluster("unkeyed", 2, None);
    let lead = leader(&nodes, &[1, 2, 3]);
    let term = status(&nodes, lead)["term"].as_u64().unwrap();
    let follower = if lead == 1 { 2 } else { 1 };
    assert_eq!(
        post_batch(&nodes, lead, &forged(follower, term + 100), None),
        204
    );
    eventually(5, "the leader steps down to the forged term", || {
        let s = status(&nodes, lead);
        (s["term"].as_u64()? >= term + 100 && s["role"] != "leader").then_some(())
    });
}

#[test]
fn bodies_heads_and_connections_over_their_limits_are_refused() {
    let (nodes, _dir) = cluster("limits", 2, None);
    let lead = leader(&nodes, &[1, 2, 3]);

    let value = format!("\"{}\"", " ".repeat(MAX_BODY_BYTES - 1));
    let (code, body) = http(&nodes, lead, "PUT", "/key/big", &value).unwrap();
    assert_eq!(code, 413);
    assert_eq!(
        body["error"],
        format!("Body too large or cut short: at most {MAX_BODY_BYTES} bytes")
    );

    let long_header = format!(
        "GET /status HTTP/1.1\r\nhost: x\r\nx-long: {}\r\n\r\n",
        "a".repeat(20_000)
    );
    assert_eq!(raw(&nodes, lead, long_header.as_bytes()).0, 431);
    let many: String = (0..100).map(|i| format!("x-h{i}: v\r\n")).collect();
    let many_headers = format!("GET /status HTTP/1.1\r\nhost: x\r\n{many}\r\n");
    assert_eq!(raw(&nodes, lead, many_headers.as_bytes()).0, 431);

    // Every slot taken (the peers hold a few): one more is closed at once.
    let held: Vec<TcpStream> = (0..MAX_CONNECTIONS)
        .map(|_| connect(&nodes, lead))
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    let mut extra = connect(&nodes, lead);
    let started = Instant::now();
    let read = extra.read(&mut [0u8; 16]);
    assert!(
        matches!(read, Ok(0)) || matches!(&read, Err(e) if e.kind() == ErrorKind::ConnectionReset),
        "the extra connection is closed: {read:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(2), "at once");
    drop(held);
    eventually(10, "the node serves again", || {
        http(&nodes, lead, "GET", "/status", "").filter(|(code, _)| *code == 200)
    });
}

/// A client sending its head a byte at a time is cut off when the head's
/// deadline passes; one that stops sending its body gets a 408.
#[test]
fn slow_clients_are_disconnected_within_their_deadline() {
    let (nodes, _dir) = cluster("slow", 2, None);
    eventually(10, "node-1 listens", || {
        http(&nodes, 1, "GET", "/status", "")
    });
    let mut slow = connect(&nodes, 1);
    let mut writer = slow.try_clone().unwrap();
    let started = Instant::now();
    let dripping = std::thread::spawn(move || {
        let head = b"GET /status HTTP/1.1\r\nhost: x\r\nx-drip: "
            .iter()
            .chain(std::iter::repeat(&b'a'));
        for byte in head.take(200) {
            if writer.write_all(&[*byte]).is_err() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    });
    let mut answer = Vec::new();
    let read = slow.read_to_end(&mut answer);
    let took = started.elapsed();
    assert!(
        read.is_ok() || matches!(&read, Err(e) if e.kind() == ErrorKind::ConnectionReset),
        "closed by the node, not by the test's timeout: {read:?}"
    );
    assert!(
        took >= HEADER_TIMEOUT - Duration::from_millis(500)
            && took <= HEADER_TIMEOUT + Duration::from_secs(3),
        "closed after {took:?}, the deadline being {HEADER_TIMEOUT:?}"
    );
    dripping.join().unwrap();

    let started = Instant::now();
    let (code, body) = raw(
        &nodes,
        1,
        b"PUT /key/k HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\n\"only part",
    );
    assert_eq!(code, 408, "{body}");
    assert!(started.elapsed() < BODY_TIMEOUT + Duration::from_secs(3));
}
