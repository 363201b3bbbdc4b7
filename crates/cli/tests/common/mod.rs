//! What the tests of real nodes share: a cluster of `quorum serve`
//! processes on free loopback ports, requests as curl sends them, and
//! bounded waits. `Nodes` kills every process it started when dropped, also
//! when an assertion fails.
#![allow(dead_code)] // Each test file uses its own share of these.

use quorum_server::launch::{Nodes, Plan};
use serde_json::Value;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// A fresh directory for the nodes' state, removed on drop.
pub struct TempDir(pub PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn free_ports(n: usize) -> Vec<u16> {
    // Held together so that they differ; released just before the nodes bind.
    let listeners: Vec<TcpListener> = (0..n)
        .map(|_| TcpListener::bind("127.0.0.1:0").unwrap())
        .collect();
    listeners
        .iter()
        .map(|l| l.local_addr().unwrap().port())
        .collect()
}

/// Three nodes with W = `w`, their state in a fresh directory, signing
/// their batches with `key` when there is one.
pub fn cluster(name: &str, w: usize, key: Option<&str>) -> (Nodes, TempDir) {
    let dir = TempDir(std::env::temp_dir().join(format!("quorum-{name}-{}", std::process::id())));
    let _ = std::fs::remove_dir_all(&dir.0);
    let plan = Plan {
        exe: env!("CARGO_BIN_EXE_quorum").into(),
        ports: free_ports(3),
        w,
        r: 1,
        data_dir: Some(dir.0.clone()),
        key: key.map(String::from),
    };
    (Nodes::start(plan, true).expect("the nodes start"), dir)
}

/// One request, as curl sends it; `None` when the node is unreachable.
pub fn http(nodes: &Nodes, k: usize, method: &str, path: &str, body: &str) -> Option<(u16, Value)> {
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
pub fn eventually<T>(secs: u64, what: &str, mut check: impl FnMut() -> Option<T>) -> T {
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
pub fn leader(nodes: &Nodes, among: &[usize]) -> usize {
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

pub fn put(nodes: &Nodes, k: usize, key: &str, value: &Value) -> (u16, Value) {
    http(nodes, k, "PUT", &format!("/key/{key}"), &value.to_string()).expect("the node answers")
}
