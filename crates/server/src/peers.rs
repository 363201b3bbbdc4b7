//! Messages to the other nodes: one queue and one sender task per peer,
//! each POSTing whatever has queued as one batch to the peer's internal
//! route. Sending never waits: a full queue drops the message, and a batch
//! that fails or times out is dropped, as a network drops packets; the
//! engine's heartbeats and retries recover from both. So a dead peer costs
//! a client request nothing. With a cluster key, each batch is signed.

use crate::auth::{ClusterKey, SIGNATURE_HEADER};
use bytes::Bytes;
use http_body_util::Full;
use hyper::header::CONTENT_TYPE;
use hyper::Request;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use quorum_sim::kv::Cell;
use quorum_sim::msg::{Msg, NodeId};
use std::time::Duration;
use tokio::runtime::Handle;
use tokio::sync::mpsc;

/// The route peers post to.
pub const ROUTE: &str = "/internal/messages";
const QUEUE: usize = 4096;
/// Loopback or a LAN answers in well under this; a peer that does not is
/// treated as down for this batch.
const TIMEOUT: Duration = Duration::from_millis(300);
/// Bounds one batch's size while a slow peer's queue is drained.
const BATCH_BYTES: usize = 256 * 1024;

pub type HttpClient = Client<HttpConnector, Full<Bytes>>;

pub fn http_client() -> HttpClient {
    let mut connector = HttpConnector::new();
    connector.set_connect_timeout(Some(TIMEOUT));
    connector.set_nodelay(true);
    Client::builder(TokioExecutor::new()).build(connector)
}

/// Queues to the peers, by engine id (`None` for this node).
pub struct Peers(Vec<Option<mpsc::Sender<String>>>);

impl Peers {
    /// Starts a sender task on `runtime` per URL, signing with `key`.
    pub fn start(
        me: NodeId,
        urls: &[Option<String>],
        key: Option<ClusterKey>,
        runtime: &Handle,
    ) -> Peers {
        let client = http_client();
        Peers(
            urls.iter()
                .map(|url| {
                    let url = url.as_ref()?;
                    let (tx, rx) = mpsc::channel(QUEUE);
                    let uri = format!("{url}{ROUTE}");
                    runtime.spawn(pump(me, uri, rx, client.clone(), key.clone()));
                    Some(tx)
                })
                .collect(),
        )
    }

    /// Queues one serialized message for `to`.
    pub fn send(&self, to: NodeId, msg: String) {
        if let Some(Some(tx)) = self.0.get(to.index()) {
            let _ = tx.try_send(msg);
        }
    }
}

/// The body peers exchange: `{"from": id, "messages": [msg, ...]}`.
#[derive(serde::Deserialize)]
pub struct Batch<M> {
    pub from: NodeId,
    pub messages: Vec<M>,
}

/// Terms, indices, rounds and request numbers a batch may carry: more than
/// any cluster reaches, and far enough below `u64::MAX` that the engine's
/// arithmetic (a term + 1 at an election) cannot overflow. A forged term of
/// `u64::MAX` once did, and wrapped the node's term back to 0.
pub const MAX_WIRE_NUMBER: u64 = 1 << 53;

/// The batch `body` holds, if it is one from another node of a cluster of
/// `n` in which this node is `me`, with every number in range.
pub fn decode(body: &[u8], me: NodeId, n: usize) -> Option<Batch<Msg>> {
    let batch: Batch<Msg> = serde_json::from_slice(body).ok()?;
    (batch.from.is_in(n) && batch.from != me && batch.messages.iter().all(in_range))
        .then_some(batch)
}

fn in_range(msg: &Msg) -> bool {
    let ok = |numbers: &[u64]| numbers.iter().all(|&x| x <= MAX_WIRE_NUMBER);
    let cell = |c: &Cell| ok(&[c.version.term, c.version.index]);
    match msg {
        Msg::RequestVote {
            term,
            last_index,
            last_term,
        } => ok(&[*term, *last_index, *last_term]),
        Msg::Vote { term, .. } => ok(&[*term]),
        Msg::Append {
            term,
            prev_index,
            prev_term,
            entries,
            commit,
            round,
        } => {
            ok(&[*term, *prev_index, *prev_term, *commit, *round])
                && entries.iter().all(|e| ok(&[e.term, e.index]))
        }
        Msg::AppendReply {
            term, index, round, ..
        } => ok(&[*term, *index, *round]),
        Msg::InstallSnapshot {
            term,
            snapshot,
            round,
        } => {
            ok(&[*term, *round, snapshot.last_index, snapshot.last_term])
                && snapshot.map.values().all(cell)
        }
        Msg::ReadReq { req, .. } | Msg::RepairAck { req } => ok(&[*req]),
        Msg::ReadReply { req, cell: c } => ok(&[*req]) && c.as_ref().is_none_or(cell),
        Msg::Repair { req, cell: c, .. } => ok(&[*req]) && cell(c),
    }
}

async fn pump(
    me: NodeId,
    uri: String,
    mut rx: mpsc::Receiver<String>,
    client: HttpClient,
    key: Option<ClusterKey>,
) {
    while let Some(first) = rx.recv().await {
        // `from` as a NodeId is written everywhere: its number.
        let mut body = format!("{{\"from\":{},\"messages\":[{first}", me.number());
        while body.len() < BATCH_BYTES {
            let Ok(next) = rx.try_recv() else { break };
            body.push(',');
            body.push_str(&next);
        }
        body.push_str("]}");
        let mut request = Request::post(&uri).header(CONTENT_TYPE, "application/json");
        if let Some(key) = &key {
            request = request.header(SIGNATURE_HEADER, key.sign(body.as_bytes()));
        }
        let request = request
            .body(Full::new(Bytes::from(body)))
            .expect("a valid request");
        let _ = tokio::time::timeout(TIMEOUT, client.request(request)).await;
    }
}
