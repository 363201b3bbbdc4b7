//! The console against a scripted cluster: sequencing, timing and every
//! error path, without the engine.

use quorum_console::{
    Answer, Cluster, Console, Event, NodeStatus, Op, QuorumsFixed, Refused, Reply, Ticket,
};
use quorum_sim::errors::{ActionError, ConfigError, OutOfRange};
use quorum_sim::kv::Level;
use quorum_sim::msg::{NodeId, Role};

const LEADER: NodeId = NodeId::at(0);
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// Three nodes, node 1 leads; a request is answered two ticks after it is sent.
struct Fake {
    up: Vec<bool>,
    w: usize,
    r: usize,
    data: BTreeMap<String, String>,
    now: u64,
    next: u64,
    in_flight: Vec<(Ticket, u64, Reply)>,
    sent: Vec<(u32, NodeId, Op)>,
    /// Replaces the next reply, to script timeouts and crashes.
    next_reply: Option<Reply>,
}

impl Fake {
    fn new() -> Fake {
        Fake {
            up: vec![true; 3],
            w: 2,
            r: 1,
            data: BTreeMap::new(),
            now: 0,
            next: 0,
            in_flight: Vec::new(),
            sent: Vec::new(),
            next_reply: None,
        }
    }

    fn tick(&mut self) {
        self.now += 1;
    }
}

impl Cluster for Fake {
    fn node_count(&self) -> usize {
        self.up.len()
    }

    fn status(&self, node: NodeId) -> Option<NodeStatus> {
        self.up.get(node.index()).filter(|&&up| up)?;
        Some(NodeStatus {
            role: if node == LEADER {
                Role::Leader
            } else {
                Role::Follower
            },
            term: 1,
            leader: Some(LEADER),
            keys: self.data.keys().cloned().collect(),
            write_quorum: self.w,
            read_quorum: self.r,
            total_nodes: self.up.len(),
        })
    }

    fn request(&mut self, client: u32, node: NodeId, op: Op) -> Result<Ticket, Refused> {
        self.status(node).ok_or(Refused)?;
        self.sent.push((client, node, op.clone()));
        let reply = match op {
            Op::Write { .. } | Op::Delete { .. } if node != LEADER => Reply::NotLeader {
                leader: Some(LEADER),
            },
            Op::Write { key, value } => {
                self.data.insert(key, value);
                Reply::Written {
                    achieved_quorum: true,
                }
            }
            Op::Delete { key } => {
                self.data.remove(&key);
                Reply::Written {
                    achieved_quorum: true,
                }
            }
            Op::Read { key, .. } => Reply::Read {
                value: self.data.get(&key).cloned(),
            },
        };
        self.next += 1;
        let reply = self.next_reply.take().unwrap_or(reply);
        self.in_flight
            .push((Ticket(self.next), self.now + 2, reply));
        Ok(Ticket(self.next))
    }

    fn reply(&mut self, ticket: Ticket) -> Option<Reply> {
        let at = self
            .in_flight
            .iter()
            .position(|(t, ready, _)| *t == ticket && *ready <= self.now)?;
        Some(self.in_flight.remove(at).2)
    }

    fn set_quorums(
        &mut self,
        write: Option<usize>,
        read: Option<usize>,
    ) -> Result<(), QuorumsFixed> {
        if let Some(w) = write.filter(|&w| w == 0 || w > 3) {
            let range = OutOfRange::new("W", &1, &"N = 3", &w);
            return Err(QuorumsFixed::Refused(ActionError::Setting(
                ConfigError::Range(Box::new(range)),
            )));
        }
        self.w = write.unwrap_or(self.w);
        self.r = read.unwrap_or(self.r);
        Ok(())
    }
}

/// Runs `input` and polls until the console is idle; the finished answers.
fn run(fake: &mut Fake, console: &mut Console, input: &str) -> Vec<Answer> {
    let mut events = console.run(fake, 1, input);
    for _ in 0..100 {
        if !console.busy() {
            break;
        }
        fake.tick();
        events.extend(console.poll(fake));
    }
    assert!(!console.busy(), "still running: {input}");
    finished(events)
}

fn finished(events: Vec<Event>) -> Vec<Answer> {
    events.into_iter().filter_map(Event::into_answer).collect()
}

fn one(input: &str) -> Answer {
    let mut answers = run(&mut Fake::new(), &mut Console::new(), input);
    assert_eq!(answers.len(), 1, "{input}");
    answers.remove(0)
}

fn status_and_body(a: &Answer) -> (u16, Value) {
    let x = a.exchange.as_ref().expect("an HTTP exchange");
    (x.status, x.body.to_value())
}

const PUT: &str =
    "curl -X PUT http://localhost:4001/key/name -H 'Content-Type: application/json' -d '\"Alice\"'";

#[test]
fn a_write_then_a_read_wait_for_each_other_in_order() {
    let (mut fake, mut console) = (Fake::new(), Console::new());
    let events = console.run(
        &mut fake,
        7,
        &format!("{PUT}\ncurl localhost:4002/key/name"),
    );
    assert!(
        matches!(&events[..], [Event::Started { id: 1, .. }]),
        "{events:?}"
    );
    assert_eq!(fake.sent.len(), 1, "the read waits for the write's answer");
    assert!(console.poll(&mut fake).is_empty());
    fake.tick();
    assert!(console.poll(&mut fake).is_empty());
    fake.tick();
    let events = console.poll(&mut fake);
    assert!(
        matches!(
            &events[..],
            [Event::Finished { id: 1, .. }, Event::Started { id: 2, .. }]
        ),
        "{events:?}"
    );
    assert_eq!(fake.sent[1].0, 7, "the typing client's session");
    fake.tick();
    fake.tick();
    let answers = finished(console.poll(&mut fake));
    assert_eq!(
        status_and_body(&answers[0]),
        (
            200,
            json!({"key": "name", "value": "Alice", "node_role": "follower", "consistency": "eventual"})
        )
    );
    assert!(!console.busy());
}

#[test]
fn the_put_answer_has_the_course_shape_in_the_course_order() {
    let a = one(PUT);
    assert_eq!(
        a.text,
        "{\n  \"success\": true,\n  \"key\": \"name\",\n  \"value\": \"Alice\",\n  \"leader_id\": \"node-1\",\n  \"achieved_quorum\": true,\n  \"write_quorum\": 2\n}"
    );
    assert_eq!(a.exit_code, 0);
}

#[test]
fn status_answers_at_once_with_the_course_fields() {
    let (mut fake, mut console) = (Fake::new(), Console::new());
    let answers = finished(console.run(&mut fake, 1, "curl http://127.0.0.1:4001/status"));
    let (status, body) = status_and_body(&answers[0]);
    assert_eq!(status, 200);
    assert_eq!(
        body,
        json!({"nodeId": "node-1", "role": "leader", "term": 1, "leaderId": "node-1",
               "totalKeys": 0, "keys": [],
               "config": {"writeQuorum": 2, "readQuorum": 1, "totalNodes": 3}})
    );
}

#[test]
fn errors_have_the_course_status_and_shape() {
    let cases: [(&str, u16, Value); 8] = [
        (
            "curl -X PUT localhost:4002/key/name -d '\"Bob\"'",
            503,
            json!({"error": "Not the leader", "current_role": "follower", "leader_id": "node-1"}),
        ),
        (
            "curl -X PUT localhost:4002/key/name -d '{oops'",
            503,
            json!({"error": "Not the leader", "current_role": "follower", "leader_id": "node-1"}),
        ),
        (
            "curl -X PUT localhost:4001/key/name -d '{oops'",
            400,
            json!({"error": "Invalid JSON"}),
        ),
        (
            "curl -X PUT localhost:4001/key/name",
            400,
            json!({"error": "Invalid JSON"}),
        ),
        (
            "curl localhost:4003/key/missing",
            404,
            json!({"error": "Key not found", "key": "missing"}),
        ),
        (
            "curl -X DELETE localhost:4001/key/missing",
            404,
            json!({"error": "Key not found", "key": "missing"}),
        ),
        (
            "curl localhost:4001/nothing",
            404,
            json!({"error": "Not found"}),
        ),
        (
            "curl -d x localhost:4001/key/name",
            404,
            json!({"error": "Not found"}),
        ),
    ];
    for (input, status, body) in cases {
        assert_eq!(status_and_body(&one(input)), (status, body), "{input}");
    }
    let a = one("curl 'localhost:4002/key/name?consistency=sometimes'");
    let (status, body) = status_and_body(&a);
    assert_eq!(status, 400);
    assert_eq!(body["error"], "Unknown consistency level");
    assert_eq!(body["valid"].as_array().unwrap().len(), Level::ALL.len());
}

#[test]
fn every_level_reaches_the_cluster() {
    let mut fake = Fake::new();
    let mut console = Console::new();
    for level in Level::ALL {
        let input = format!(
            "curl 'localhost:4002/key/k?x=1&consistency={}'",
            level.name()
        );
        run(&mut fake, &mut console, &input);
        let (_, _, op) = fake.sent.last().unwrap();
        assert_eq!(
            op,
            &Op::Read {
                key: "k".into(),
                level
            }
        );
    }
}

#[test]
fn connection_errors_use_curls_words() {
    let a = one("curl http://localhost:4009/status");
    assert_eq!(
        a.text,
        "curl: (7) Failed to connect to localhost port 4009 after 0 ms: Couldn't connect to server"
    );
    assert_eq!((a.exit_code, a.exchange.is_none()), (7, true));
    assert!(one("curl localhost/status")
        .text
        .contains("localhost port 80 after"));
    assert_eq!(
        one("curl node1:4000/status").text,
        "curl: (6) Could not resolve host: node1"
    );

    let (mut fake, mut console) = (Fake::new(), Console::new());
    fake.up[1] = false;
    let a = run(&mut fake, &mut console, "curl 127.0.0.1:4002/key/name");
    assert_eq!(
        a[0].text,
        "curl: (7) Failed to connect to 127.0.0.1 port 4002 after 0 ms: Couldn't connect to server"
    );
    assert!(fake.sent.is_empty());

    fake.next_reply = Some(Reply::Dropped);
    let a = run(&mut fake, &mut console, "curl localhost:4001/key/name");
    assert_eq!(
        (a[0].text.as_str(), a[0].exit_code),
        ("curl: (52) Empty reply from server", 52)
    );

    fake.next_reply = Some(Reply::TimedOut(
        "Fewer than R=2 replicas answered in time".into(),
    ));
    let a = run(
        &mut fake,
        &mut console,
        "curl 'localhost:4001/key/name?consistency=strong'",
    );
    assert_eq!(
        status_and_body(&a[0]),
        (
            504,
            json!({"error": "Fewer than R=2 replicas answered in time"})
        )
    );
}

#[test]
fn silent_hides_curl_errors_unless_show_error() {
    assert_eq!(one("curl -s localhost:4009").text, "");
    assert_eq!(one("curl -s localhost:4009").exit_code, 7);
    assert!(one("curl -sS localhost:4009").text.starts_with("curl: (7)"));
}

#[test]
fn include_and_verbose_print_the_exchange_like_curl() {
    let a = one("curl -i localhost:4001/key/none");
    let lines: Vec<&str> = a.text.lines().collect();
    let body = lines[4..].join("\n");
    let length = format!("Content-Length: {}", body.len());
    assert_eq!(
        lines[..4],
        [
            "HTTP/1.1 404 Not Found",
            "Content-Type: application/json",
            &length,
            ""
        ]
    );
    assert!(body.contains("\"Key not found\""));

    let a = one(&PUT.replace("curl", "curl -v"));
    let lines: Vec<&str> = a.text.lines().collect();
    assert_eq!(lines[0], "*   Trying 127.0.0.1:4001...");
    assert_eq!(lines[1], "* Connected to localhost (127.0.0.1) port 4001");
    assert_eq!(lines[2], "> PUT /key/name HTTP/1.1");
    assert!(lines.contains(&"> Content-Type: application/json"));
    assert!(lines.contains(&"> Content-Length: 7"));
    assert!(lines.contains(&"< HTTP/1.1 200 OK"));
    assert!(lines.last().unwrap().starts_with("* Connection #0"));
}

#[test]
fn unsupported_things_get_one_clear_line() {
    for (input, says, code) in [
        (
            "curl -f localhost:4001/status",
            "curl: option -f: not supported in this console",
            2,
        ),
        (
            "curl --compressed localhost:4001",
            "curl: option --compressed: not supported",
            2,
        ),
        ("ls -la", "ls: command not found", 127),
        (
            "curl localhost:4001 | jq .",
            "pipes (|) are not supported",
            2,
        ),
        ("FOO=1", "FOO: only WRITE_QUORUM and READ_QUORUM", 1),
        (
            "WRITE_QUORUM=x",
            "WRITE_QUORUM=x: the value must be a whole number",
            1,
        ),
        ("WRITE_QUORUM=7", "set: W must be", 1),
    ] {
        let a = one(input);
        assert!(a.text.starts_with(says), "{input}: {}", a.text);
        assert_eq!(a.exit_code, code, "{input}");
        assert_eq!(a.text.lines().count(), 1, "{input}");
    }
    let huge = "curl ".repeat(20_000);
    assert!(one(&huge).text.starts_with("input too long"));
}

#[test]
fn settings_change_the_quorums_as_the_compose_file_would() {
    let (mut fake, mut console) = (Fake::new(), Console::new());
    let a = run(
        &mut fake,
        &mut console,
        "environment:\n  - WRITE_QUORUM=3\n  - READ_QUORUM=1",
    );
    assert_eq!(a[0].text, "");
    assert!(
        a[1].text.starts_with("W=3 R=1 N=3. R + W = 4 > N"),
        "{}",
        a[1].text
    );
    assert!(a[2].text.starts_with("W=3 R=1 N=3."));
    assert_eq!(fake.w, 3);
    let a = run(&mut fake, &mut console, "WRITE_QUORUM=1 READ_QUORUM=1");
    assert!(
        a[0].text.contains("≤ N: a strong read can miss"),
        "{}",
        a[0].text
    );
    assert_eq!((fake.w, fake.r), (1, 1));
}

#[test]
fn and_and_skips_after_a_failure_semicolon_does_not() {
    let mut fake = Fake::new();
    let mut console = Console::new();
    let a = run(
        &mut fake,
        &mut console,
        "curl localhost:4009 && curl localhost:4001/status && curl localhost:4002/status; curl localhost:4003/status",
    );
    assert_eq!(a.len(), 2);
    assert_eq!(a[0].exit_code, 7);
    assert_eq!(
        a[1].exchange.as_ref().unwrap().node,
        NodeId::numbered(3).unwrap()
    );
    let a = run(
        &mut fake,
        &mut console,
        "curl localhost:4001/status && curl localhost:4002/status",
    );
    assert_eq!(a.len(), 2);
}

#[test]
fn typing_while_a_script_runs_queues_after_it_and_interrupt_drops_all() {
    let (mut fake, mut console) = (Fake::new(), Console::new());
    console.run(&mut fake, 1, PUT);
    let events = console.run(&mut fake, 2, "curl localhost:4001/status");
    assert!(events.is_empty(), "waits its turn: {events:?}");
    let events = console.interrupt();
    assert!(
        matches!(&events[..], [Event::Finished { id: 1, answer }] if answer.text == "^C" && answer.exit_code == 130)
    );
    assert!(!console.busy());
    fake.tick();
    fake.tick();
    assert!(console.poll(&mut fake).is_empty());
}

#[test]
fn a_syntax_error_runs_nothing_and_says_why() {
    let (mut fake, mut console) = (Fake::new(), Console::new());
    let events = console.run(&mut fake, 1, "curl localhost:4001/status\ncurl 'oops");
    assert!(fake.sent.is_empty());
    match &events[..] {
        [Event::Started { text, .. }, Event::Finished { answer, .. }] => {
            assert_eq!(text, "curl localhost:4001/status");
            assert_eq!(answer.text, "unterminated ' quote");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn deleting_through_the_leader() {
    let (mut fake, mut console) = (Fake::new(), Console::new());
    run(&mut fake, &mut console, PUT);
    let a = run(
        &mut fake,
        &mut console,
        "curl -X DELETE localhost:4001/key/name",
    );
    assert_eq!(
        status_and_body(&a[0]),
        (
            200,
            json!({"success": true, "key": "name", "leader_id": "node-1"})
        )
    );
    let a = run(
        &mut fake,
        &mut console,
        "curl -X DELETE localhost:4003/key/name",
    );
    assert_eq!(status_and_body(&a[0]).0, 503);
}

#[test]
fn keys_and_values_over_the_scenario_limits_are_refused_naming_them() {
    use quorum_sim::scenario::limits::{MAX_KEY_BYTES, MAX_VALUE_BYTES};
    let key = "k".repeat(MAX_KEY_BYTES + 1);
    let (status, body) = status_and_body(&one(&format!("curl localhost:4002/key/{key}")));
    assert_eq!(
        (status, body),
        (
            414,
            json!({"error": format!("Key too long: at most {MAX_KEY_BYTES} bytes")})
        )
    );
    let value = "v".repeat(MAX_VALUE_BYTES);
    let mut fake = Fake::new();
    let put = format!("curl -X PUT localhost:4001/key/k -d '\"{value}\"'");
    let (status, body) = status_and_body(&run(&mut fake, &mut Console::new(), &put)[0]);
    assert_eq!(
        (status, body),
        (
            413,
            json!({"error": format!("Value too large: at most {MAX_VALUE_BYTES} bytes")})
        )
    );
    assert!(fake.sent.is_empty(), "nothing reached the cluster");
    let fits = format!("curl -X PUT localhost:4001/key/k -d '\"{}\"'", &value[2..]);
    assert_eq!(status_and_body(&one(&fits)).0, 200);
}

#[test]
fn a_value_nested_past_the_limit_is_refused_naming_it() {
    use quorum_console::api::MAX_VALUE_DEPTH;
    let nested = |depth: usize| format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
    let mut fake = Fake::new();
    let put = format!(
        "curl -X PUT localhost:4001/key/k -d '{}'",
        nested(MAX_VALUE_DEPTH + 1)
    );
    let (status, body) = status_and_body(&run(&mut fake, &mut Console::new(), &put)[0]);
    assert_eq!(
        (status, body),
        (
            400,
            json!({"error": format!("Value nested too deeply: at most {MAX_VALUE_DEPTH} arrays and objects")})
        )
    );
    assert!(fake.sent.is_empty(), "nothing reached the cluster");
    let fits = format!(
        "curl -X PUT localhost:4001/key/k -d '{}'",
        nested(MAX_VALUE_DEPTH)
    );
    assert_eq!(status_and_body(&one(&fits)).0, 200);
}
