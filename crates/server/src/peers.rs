//! Messages to the other nodes: one queue and one sender task per peer,
//! each POSTing whatever has queued as one batch to the peer's internal
//! route. Sending never waits: a full queue drops the message, and a batch
//! that fails or times out is dropped, as a network drops packets; the
//! engine's heartbeats and retries recover from both. So a dead peer costs
//! a client request nothing.

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::CONTENT_TYPE;
use hyper::Request;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use quorum_sim::msg::NodeId;
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
    /// Starts a sender task on `runtime` per URL.
    pub fn start(me: NodeId, urls: &[Option<String>], runtime: &Handle) -> Peers {
        let client = http_client();
        Peers(
            urls.iter()
                .map(|url| {
                    let url = url.as_ref()?;
                    let (tx, rx) = mpsc::channel(QUEUE);
                    let uri = format!("{url}{ROUTE}");
                    runtime.spawn(pump(me, uri, rx, client.clone()));
                    Some(tx)
                })
                .collect(),
        )
    }

    /// Queues one serialized message for `to`.
    pub fn send(&self, to: NodeId, msg: String) {
        if let Some(Some(tx)) = self.0.get(to) {
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

async fn pump(me: NodeId, uri: String, mut rx: mpsc::Receiver<String>, client: HttpClient) {
    while let Some(first) = rx.recv().await {
        let mut body = format!("{{\"from\":{me},\"messages\":[{first}");
        while body.len() < BATCH_BYTES {
            let Ok(next) = rx.try_recv() else { break };
            body.push(',');
            body.push_str(&next);
        }
        body.push_str("]}");
        let request = Request::post(&uri)
            .header(CONTENT_TYPE, "application/json")
            .body(Full::new(Bytes::from(body)))
            .expect("a valid request");
        let _ = tokio::time::timeout(TIMEOUT, client.request(request)).await;
    }
}
