//! The node's HTTP face: the course's API for clients (every route the
//! console's API knows, with its JSON and status codes) and one internal
//! route where peers post message batches.

use crate::driver::Event;
use crate::peers::ROUTE;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, Method, StatusCode, Uri};
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

pub fn router(inbox: mpsc::Sender<Event>) -> Router {
    Router::new()
        .route(ROUTE, post(peer))
        .fallback(client)
        .with_state(inbox)
}

async fn peer(State(inbox): State<mpsc::Sender<Event>>, body: Bytes) -> StatusCode {
    // A full inbox drops the batch, like a congested network.
    match inbox.try_send(Event::Peer(body)) {
        Ok(()) => StatusCode::NO_CONTENT,
        Err(_) => StatusCode::SERVICE_UNAVAILABLE,
    }
}

async fn client(
    State(inbox): State<mpsc::Sender<Event>>,
    method: Method,
    uri: Uri,
    body: Bytes,
) -> Response {
    let (answer, answered) = oneshot::channel();
    let event = Event::Client {
        method: method.to_string(),
        path: uri.path().to_string(),
        query: uri.query().unwrap_or_default().to_string(),
        // Bytes that are not UTF-8 are not JSON either; the API says so.
        body: String::from_utf8(body.to_vec()).unwrap_or_default(),
        answer,
    };
    if inbox.send(event).await.is_err() {
        return error(503, "The node is shutting down");
    }
    match tokio::time::timeout(ANSWER_TIMEOUT, answered).await {
        Ok(Ok(reply)) => json(reply),
        Ok(Err(_)) => error(503, "The node is shutting down"),
        Err(_) => error(504, "The node did not answer in time"),
    }
}

fn error(status: u16, message: &'static str) -> Response {
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
