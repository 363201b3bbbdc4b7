//! Fuzz targets for what reaches a node from the network: peer batches
//! (decoded as the driver decodes them, then handed to a real engine node
//! with a log, its timers run on) and whole HTTP requests through the
//! node's router to a live node, with and without a cluster key. No input
//! panics; a node's term never goes back; every answer has a status the API
//! knows, a client's a JSON body. `FUZZ_CASES` sets the number of cases
//! (README.md, "Tests").

use crate::args::Identity;
use crate::auth::{ClusterKey, SIGNATURE_HEADER};
use crate::http::{self, MAX_BODY_BYTES};
use crate::peers::{decode, ROUTE};
use axum::body::Body;
use quorum_fuzz::http::{request, Request};
use quorum_fuzz::peer::batch_body;
use quorum_fuzz::{corpus, run};
use quorum_sim::config::Config;
use quorum_sim::msg::{Command, Entry, Msg, NodeId, Output};
use quorum_sim::node::{Node, Params};
use quorum_sim::rng::SimRng;
use std::rc::Rc;
use tower::ServiceExt;

/// Node 0 of three, a follower of node 1 holding three entries.
fn follower() -> (Node, Vec<Output>) {
    let config = Config::default();
    let mut node = Node::new(NodeId::at(0), Params::from_config(&config), SimRng::new(7));
    let mut out = Vec::new();
    node.start(0, &mut out);
    let entries: Vec<Entry> = (1..=3)
        .map(|index| Entry {
            term: 1,
            index,
            command: Command::Put {
                key: "k0".into(),
                value: Some(format!("v{index}").into()),
            },
        })
        .collect();
    let append = Msg::Append {
        term: 1,
        prev_index: 0,
        prev_term: 0,
        entries: Rc::from(entries),
        commit: 2,
        round: 1,
    };
    node.on_message(1_000, NodeId::at(1), append, &mut out);
    (node, out)
}

fn peer_target(body: &[u8]) {
    let (mut node, mut out) = follower();
    let Some(batch) = decode(body, node.id(), node.params().n) else {
        return;
    };
    let mut term = node.term();
    for msg in batch.messages {
        node.on_message(2_000, batch.from, msg, &mut out);
        assert!(node.term() >= term, "a term never goes back");
        term = node.term();
    }
    // Then three seconds of the node's own timers: an election, heartbeats.
    for _ in 0..50 {
        let next = out.iter().filter_map(|o| match o {
            Output::SetTimer { timer, at } => Some((*at, *timer)),
            _ => None,
        });
        let Some((at, timer)) = next.min_by_key(|(at, _)| *at) else {
            break;
        };
        if at > 3_000_000 {
            break;
        }
        out.clear();
        node.on_timer(at, timer, &mut out);
        assert!(node.term() >= term, "a term never goes back");
        term = node.term();
    }
}

#[test]
fn kept_peer_batches_are_handled_without_panic() {
    for (name, bytes) in corpus("peer") {
        eprintln!("{name}");
        peer_target(&bytes);
    }
}

#[test]
fn fuzz_peer_batch() {
    run("peer", batch_body, |body| peer_target(body));
}

/// A single-node cluster (it leads at once), behind two routers: one with
/// a cluster key, one without.
struct Live {
    runtime: tokio::runtime::Runtime,
    keyed: axum::Router,
    open: axum::Router,
}

const KEY: &str = "fuzz";

fn live() -> Live {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let identity = Identity {
        me: NodeId::at(0),
        urls: vec![None],
        config: Config {
            n: 1,
            w: 1,
            r: 1,
            ..Config::default()
        },
        key: None,
    };
    let inbox = runtime
        .block_on(async { crate::start_node(&identity, None, "fuzz".into()) })
        .expect("the node starts");
    let router = |key: Option<&str>| {
        http::router(http::Node {
            inbox: inbox.clone(),
            key: key.and_then(ClusterKey::new),
        })
    };
    Live {
        runtime,
        keyed: router(Some(KEY)),
        open: router(None),
    }
}

/// `r` through the keyed router (signed with the right key when `sign`) or
/// the open one.
fn http_target(live: &Live, r: &Request, keyed: bool, sign: bool) {
    let mut builder = axum::http::Request::builder()
        .method(r.method.as_str())
        .uri(&r.target);
    // Signed, the batch carries the right signature and no other.
    for (name, value) in r
        .headers
        .iter()
        .filter(|(name, _)| !sign || name != SIGNATURE_HEADER)
    {
        builder = builder.header(name, value);
    }
    if sign {
        let key = ClusterKey::new(KEY).expect("a key");
        builder = builder.header(SIGNATURE_HEADER, key.sign(&r.body));
    }
    let Ok(request) = builder.body(Body::from(r.body.clone())) else {
        return;
    };
    let unsigned = request.headers().get(SIGNATURE_HEADER).is_none();
    let to_peers = request.uri().path() == ROUTE;
    let router = if keyed { &live.keyed } else { &live.open };
    let (status, body) = live.runtime.block_on(async {
        let response = router
            .clone()
            .oneshot(request)
            .await
            .expect("the router answers");
        let status = response.status().as_u16();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("a body");
        (status, body)
    });
    if to_peers {
        let known = [204, 401, 405, 408, 413, 503];
        assert!(known.contains(&status), "peer route answered {status}");
        if keyed && unsigned && status != 405 {
            assert_eq!(status, 401, "an unsigned batch to a keyed node");
        }
        if keyed && sign && r.body.len() <= crate::http::MAX_PEER_BODY_BYTES {
            assert_ne!(status, 401, "a batch signed with the key");
        }
        return;
    }
    let known = [200, 400, 404, 408, 413, 414, 503, 504];
    assert!(known.contains(&status), "client route answered {status}");
    if r.method == "HEAD" {
        assert!(body.is_empty(), "a HEAD answer has no body");
        return;
    }
    let json: serde_json::Value = serde_json::from_slice(&body).expect("a JSON body");
    assert!(json.is_object(), "{json}");
    if status != 200 {
        assert!(json["error"].is_string(), "an error says what: {json}");
    }
}

#[test]
fn fuzz_http_request() {
    let mut node = live();
    let mut case = 0u64;
    run(
        "http",
        |u| request(u, ROUTE, MAX_BODY_BYTES),
        |r| {
            case += 1;
            // A fresh node now and then: keys the cases write pile up.
            if case.is_multiple_of(50_000) {
                node = live();
            }
            http_target(&node, r, case.is_multiple_of(2), case.is_multiple_of(4));
        },
    );
}

/// Kept requests are raw bytes: each is sent over a real socket to a node
/// listening as `quorum serve` listens, which answers (or closes) and then
/// still serves.
#[test]
fn kept_http_requests_are_answered_over_a_socket() {
    use std::io::{Read, Write};
    let node = live();
    let listener = node
        .runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("a loopback port");
    let addr = listener.local_addr().unwrap();
    let router = node.open.clone();
    node.runtime.spawn(crate::listen::serve(
        listener,
        router,
        std::future::pending(),
    ));
    // `close`: the end of the request is the end of what is sent (the
    // kept ones may be cut short); otherwise the request says it is last.
    let send = |bytes: &[u8], close: bool| {
        let mut stream = std::net::TcpStream::connect(addr).expect("the node accepts");
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .unwrap();
        stream.write_all(bytes).unwrap();
        if close {
            stream.shutdown(std::net::Shutdown::Write).unwrap();
        }
        let mut answer = Vec::new();
        stream
            .read_to_end(&mut answer)
            .expect("an answer or a close, in time");
        String::from_utf8_lossy(&answer).into_owned()
    };
    for (name, bytes) in corpus("http") {
        let answer = send(&bytes, true);
        assert!(
            answer.is_empty() || answer.starts_with("HTTP/1.1 "),
            "{name}: {answer}"
        );
        let status = send(
            b"GET /status HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n",
            false,
        );
        assert!(status.starts_with("HTTP/1.1 200"), "after {name}: {status}");
    }
}
