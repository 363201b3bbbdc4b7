//! The course's store API over a [`Cluster`]: routes, status codes and JSON
//! shapes as the course's nodes answer them (field names as its Python
//! handlers spell them, `/status` as both spell it).
//!
//! Where the course's sketch is wrong we answer as a correct node would,
//! and say so here:
//! - An unknown `consistency` is a 400 listing the valid levels; the course
//!   silently reads `eventual` instead, which would let a learner believe
//!   they asked for (and got) a stronger read.
//! - A read that gives up waiting (no read quorum, session not caught up,
//!   leadership unconfirmed) is a 504 naming why: the course's nodes never
//!   wait, so they have no such answer.
//! - `/key/` with an empty key is a 404 "Not found": there is no such key
//!   route, and the engine refuses empty keys.
//! - A key over [`MAX_KEY_BYTES`] is a 414 and a value over
//!   [`MAX_VALUE_BYTES`] a 413, each naming its limit: a scenario (a shared
//!   link) holds no longer ones, so a run could not be shared or replayed.
//! - A value nested deeper than [`MAX_VALUE_DEPTH`] arrays and objects is a
//!   400 naming the limit: the answers wrap the value in an object, and a
//!   value at serde_json's own limit would make an answer no JSON reader
//!   with that limit could read (the HTTP fuzz target found one).

use crate::cluster::{Cluster, NodeStatus, Op, Refused, Reply, Ticket};
use crate::json::Json;
use quorum_sim::kv::Level;
use quorum_sim::msg::{NodeId, Role};
use quorum_sim::scenario::limits::{MAX_KEY_BYTES, MAX_VALUE_BYTES};
use serde_json::Value;

#[derive(Clone, Debug, PartialEq)]
pub struct HttpReply {
    pub status: u16,
    pub body: Json,
}

/// What the node made of the request: an answer now, or one to wait for.
#[derive(Debug)]
pub enum Handled {
    Done(HttpReply),
    Waiting(Pending),
}

/// A request in the cluster; [`finish`] turns its reply into the answer.
#[derive(Clone, Debug)]
pub struct Pending {
    pub ticket: Ticket,
    node: NodeId,
    /// The node as it was when asked: its answer may come after it crashed.
    asked: NodeStatus,
    what: Awaited,
}

#[derive(Clone, Debug)]
enum Awaited {
    Read { key: String, level: Level },
    Write { key: String, value: Value },
    Delete { key: String },
}

impl Pending {
    pub fn node(&self) -> NodeId {
        self.node
    }
}

fn reply(status: u16, fields: Vec<(&'static str, Json)>) -> HttpReply {
    HttpReply {
        status,
        body: Json::Object(fields),
    }
}

fn not_found() -> HttpReply {
    reply(404, vec![("error", Json::of("Not found"))])
}

/// Most arrays and objects a written value may nest.
pub const MAX_VALUE_DEPTH: usize = 64;

/// How deeply `v` nests arrays and objects; serde_json's reader bounds it.
fn depth(v: &Value) -> usize {
    match v {
        Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        Value::Object(fields) => 1 + fields.values().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

fn too_long(status: u16, what: &str, max: usize) -> HttpReply {
    reply(
        status,
        vec![("error", Json::of(format!("{what}: at most {max} bytes")))],
    )
}

fn key_not_found(key: &str) -> HttpReply {
    reply(
        404,
        vec![("error", Json::of("Key not found")), ("key", Json::of(key))],
    )
}

fn not_the_leader(role: Role, leader: Option<NodeId>) -> HttpReply {
    reply(
        503,
        vec![
            ("error", Json::of("Not the leader")),
            ("current_role", Json::of(role.name())),
            (
                "leader_id",
                Json::of(leader.map_or("Unknown".to_string(), |l| l.to_string())),
            ),
        ],
    )
}

fn status_body(node: NodeId, s: &NodeStatus) -> HttpReply {
    reply(
        200,
        vec![
            ("nodeId", Json::of(node.to_string())),
            ("role", Json::of(s.role.name())),
            ("term", Json::of(s.term)),
            ("leaderId", Json::of(s.leader.map(|l| l.to_string()))),
            ("totalKeys", Json::of(s.keys.len())),
            ("keys", Json::of(s.keys.clone())),
            (
                "config",
                Json::Object(vec![
                    ("writeQuorum", Json::of(s.write_quorum)),
                    ("readQuorum", Json::of(s.read_quorum)),
                    ("totalNodes", Json::of(s.total_nodes)),
                ]),
            ),
        ],
    )
}

/// `consistency=...` from a query string; `eventual` when absent.
fn level(query: &str) -> Result<Level, HttpReply> {
    let asked = query
        .split('&')
        .filter_map(|pair| pair.strip_prefix("consistency="))
        .next_back();
    match asked {
        None => Ok(Level::Eventual),
        Some(name) => Level::parse(name).ok_or_else(|| {
            let valid: Vec<&str> = Level::ALL.iter().map(|l| l.name()).collect();
            reply(
                400,
                vec![
                    ("error", Json::of("Unknown consistency level")),
                    ("consistency", Json::of(name)),
                    ("valid", Json::of(valid)),
                ],
            )
        }),
    }
}

/// Node `node` answers `method path?query` with `body`, for `client`.
pub fn handle(
    cluster: &mut dyn Cluster,
    client: u32,
    node: NodeId,
    method: &str,
    path: &str,
    query: &str,
    body: Option<&str>,
) -> Result<Handled, Refused> {
    let status = cluster.status(node).ok_or(Refused)?;
    let done = |r: HttpReply| Ok(Handled::Done(r));
    if path == "/status" && method == "GET" {
        return done(status_body(node, &status));
    }
    let key = match path.strip_prefix("/key/") {
        Some(key) if !key.is_empty() => key.to_string(),
        _ => return done(not_found()),
    };
    if key.len() > MAX_KEY_BYTES {
        return done(too_long(414, "Key too long", MAX_KEY_BYTES));
    }
    let (op, what) = match method {
        "GET" => match level(query) {
            Ok(level) => (
                Op::Read {
                    key: key.clone(),
                    level,
                },
                Awaited::Read { key, level },
            ),
            Err(bad) => return done(bad),
        },
        "PUT" => match serde_json::from_str::<Value>(body.unwrap_or_default()) {
            Ok(value) if value.to_string().len() > MAX_VALUE_BYTES => {
                return done(too_long(413, "Value too large", MAX_VALUE_BYTES))
            }
            Ok(value) if depth(&value) > MAX_VALUE_DEPTH => {
                let why = format!(
                    "Value nested too deeply: at most {MAX_VALUE_DEPTH} arrays and objects"
                );
                return done(reply(400, vec![("error", Json::of(why))]));
            }
            Ok(value) => (
                Op::Write {
                    key: key.clone(),
                    value: value.to_string(),
                },
                Awaited::Write { key, value },
            ),
            // The course's node checks it leads before it reads the body.
            Err(_) if status.role != Role::Leader => {
                return done(not_the_leader(status.role, status.leader))
            }
            Err(_) => return done(reply(400, vec![("error", Json::of("Invalid JSON"))])),
        },
        "DELETE" => {
            // Only the leader knows (as the course's does) that there is nothing to delete.
            if status.role == Role::Leader && !status.keys.contains(&key) {
                return done(key_not_found(&key));
            }
            (Op::Delete { key: key.clone() }, Awaited::Delete { key })
        }
        _ => return done(not_found()),
    };
    let ticket = cluster.request(client, node, op)?;
    Ok(Handled::Waiting(Pending {
        ticket,
        node,
        asked: status,
        what,
    }))
}

/// The answer to a pending request; `None` when the connection broke.
pub fn finish(cluster: &dyn Cluster, pending: Pending, answer: Reply) -> Option<HttpReply> {
    let node = pending.node;
    let now = cluster.status(node).unwrap_or(pending.asked);
    Some(match (pending.what, answer) {
        (_, Reply::Dropped) => return None,
        (_, Reply::NotLeader { leader }) => not_the_leader(now.role, leader),
        (_, Reply::TimedOut(why)) => reply(504, vec![("error", Json::of(why))]),
        (Awaited::Read { key, level }, Reply::Read { value: Some(v) }) => reply(
            200,
            vec![
                ("key", Json::of(key)),
                ("value", Json::Value(stored_value(&v))),
                ("node_role", Json::of(now.role.name())),
                ("consistency", Json::of(level.name())),
            ],
        ),
        (Awaited::Read { key, .. }, Reply::Read { value: None }) => key_not_found(&key),
        (Awaited::Write { key, value }, Reply::Written { achieved_quorum }) => reply(
            200,
            vec![
                ("success", Json::of(true)),
                ("key", Json::of(key)),
                ("value", Json::Value(value)),
                ("leader_id", Json::of(node.to_string())),
                ("achieved_quorum", Json::of(achieved_quorum)),
                ("write_quorum", Json::of(now.write_quorum)),
            ],
        ),
        (Awaited::Delete { key }, Reply::Written { .. }) => reply(
            200,
            vec![
                ("success", Json::of(true)),
                ("key", Json::of(key)),
                ("leader_id", Json::of(node.to_string())),
            ],
        ),
        (_, other) => {
            // Named, not Debug-printed: Debug's Unicode tables would join
            // the page's download for a reply that should never come.
            let what = match other {
                Reply::Written { .. } => "a write's",
                Reply::Read { .. } => "a read's",
                Reply::NotLeader { .. } => "a not-the-leader",
                Reply::TimedOut(_) => "a time-out",
                Reply::Dropped => "a dropped connection's",
            };
            reply(
                500,
                vec![("error", Json::of(format!("unexpected reply: {what}")))],
            )
        }
    })
}

/// Values written through the console are JSON text; others (a workload's)
/// are shown as strings.
fn stored_value(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_string()))
}
