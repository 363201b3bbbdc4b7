//! The node's HTTP face: the course's API for clients (every route the
//! console's API knows, with its JSON and status codes) and one internal
//! route where peers post message batches. Every body is read with a size
//! limit and a deadline; a peer batch, when the cluster has a key, must
//! carry its signature (a batch without one is answered 401 before its body
//! is read, one whose signature fails 401 before it is parsed).

use crate::auth::{ClusterKey, SIGNATURE_HEADER};
use crate::driver::Event;
use crate::peers::ROUTE;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use quorum_console::api::HttpReply;
use quorum_console::json::Json;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};

/// Longer than any request's engine timeout (a second by default): the
/// node always answers first unless it is wedged.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(10);
/// A client's body: a value is at most 16 KiB as the store keeps it
/// (compact JSON, `quorum_sim::scenario::limits`); this leaves room for
/// the same value pretty-printed.
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// A peer batch: a snapshot carries the whole key-value map, and entries
/// up to a log's worth of values.
pub const MAX_PEER_BODY_BYTES: usize = 32 * 1024 * 1024;
/// A body must have arrived this long after its request's head.
pub const BODY_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Clone)]
pub struct Node {
    pub inbox: mpsc::Sender<Event>,
    pub key: Option<ClusterKey>,
}

pub fn router(node: Node) -> Router {
    Router::new()
        .route(ROUTE, post(peer))
        .fallback(client)
        .with_state(node)
}

/// Why a body was not read, as the status and sentence to answer with.
async fn read_body(body: Body, limit: usize) -> Result<Bytes, (StatusCode, String)> {
    match tokio::time::timeout(BODY_TIMEOUT, axum::body::to_bytes(body, limit)).await {
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(_)) => Err((
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("Body too large or cut short: at most {limit} bytes"),
        )),
        Err(_) => Err((
            StatusCode::REQUEST_TIMEOUT,
            format!("Body not received within {} s", BODY_TIMEOUT.as_secs()),
        )),
    }
}

async fn peer(State(node): State<Node>, headers: HeaderMap, body: Body) -> Response {
    let signature = headers.get(SIGNATURE_HEADER).map(|v| v.as_bytes().to_vec());
    if node.key.is_some() && signature.is_none() {
        return unauthorized();
    }
    let bytes = match read_body(body, MAX_PEER_BODY_BYTES).await {
        Ok(bytes) => bytes,
        Err(refused) => return refused.into_response(),
    };
    if let (Some(key), Some(signature)) = (&node.key, &signature) {
        if !key.verify(&bytes, signature) {
            return unauthorized();
        }
    }
    // A full inbox drops the batch, like a congested network.
    match node.inbox.try_send(Event::Peer(bytes)) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(_) => StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
}

fn unauthorized() -> Response {
    let why = "A peer batch needs a valid x-quorum-signature: the cluster's key signs it";
    (StatusCode::UNAUTHORIZED, why).into_response()
}

async fn client(State(node): State<Node>, method: Method, uri: Uri, body: Body) -> Response {
    let body = match read_body(body, MAX_BODY_BYTES).await {
        Ok(bytes) => bytes,
        Err((status, why)) => return error(status.as_u16(), &why),
    };
    let (answer, answered) = oneshot::channel();
    let event = Event::Client {
        method: method.to_string(),
        path: uri.path().to_string(),
        query: uri.query().unwrap_or_default().to_string(),
        // Bytes that are not UTF-8 are not JSON either; the API says so.
        body: String::from_utf8(body.to_vec()).unwrap_or_default(),
        answer,
    };
    if node.inbox.send(event).await.is_err() {
        return error(503, "The node is shutting down");
    }
    match tokio::time::timeout(ANSWER_TIMEOUT, answered).await {
        Ok(Ok(reply)) => json(reply),
        Ok(Err(_)) => error(503, "The node is shutting down"),
        Err(_) => error(504, "The node did not answer in time"),
    }
}

fn error(status: u16, message: &str) -> Response {
    json(HttpReply {
        status,
        body: Json::Object(vec![("error", Json::of(message))]),
    })
}

fn json(reply: HttpReply) -> Response {
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut body = reply.body.pretty();
    body.push('\n');
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}
