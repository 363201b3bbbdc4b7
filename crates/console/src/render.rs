//! What curl prints: the body, pretty-printed (the course's nodes send
//! compact JSON; the issue asks for it readable), after the status line and
//! headers with `-i`, with `>`/`<` request and response lines with `-v`, and
//! curl's own error lines, hidden by `-s` unless `-S`, as curl does.

use crate::api::HttpReply;
use crate::curl::Request;
use crate::json::Json;
use quorum_sim::msg::NodeId;

/// The outcome of one command, as the console shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    /// What the terminal would show (stdout and stderr together).
    pub text: String,
    /// As a shell's `$?`: 0 also for HTTP errors, as with curl.
    pub exit_code: u8,
    /// The HTTP exchange, when there was one.
    pub exchange: Option<Exchange>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Exchange {
    pub node: NodeId,
    pub method: String,
    /// Path and query, e.g. `/key/name?consistency=strong`.
    pub target: String,
    pub status: u16,
    pub body: Json,
    /// The cluster's ticket for the request, when it went to the cluster
    /// and waited for the node's answer: the page finds its verdict by it.
    pub ticket: Option<crate::cluster::Ticket>,
}

impl Answer {
    pub fn line(text: impl Into<String>, exit_code: u8) -> Answer {
        Answer {
            text: text.into(),
            exit_code,
            exchange: None,
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Internal Server Error",
    }
}

/// The address curl connects to for a local `host`.
fn address(host: &str) -> &str {
    if host.eq_ignore_ascii_case("localhost") {
        "127.0.0.1"
    } else {
        host
    }
}

fn connect_lines(req: &Request, out: &mut Vec<String>) {
    if req.verbose {
        let (host, port) = (&req.url.host, req.url.port);
        out.push(format!("*   Trying {}:{port}...", address(host)));
    }
}

/// curl giving up with error `code` (the connection, not the server).
pub fn curl_error(req: &Request, code: u8, message: &str) -> Answer {
    let mut lines = Vec::new();
    connect_lines(req, &mut lines);
    if !req.silent || req.show_error {
        lines.push(format!("curl: ({code}) {message}"));
    }
    Answer::line(lines.join("\n"), code)
}

pub fn http(req: &Request, node: NodeId, reply: HttpReply) -> Answer {
    let body = reply.body.pretty();
    let mut lines = Vec::new();
    let (host, port) = (&req.url.host, req.url.port);
    if req.verbose {
        connect_lines(req, &mut lines);
        lines.push(format!(
            "* Connected to {host} ({}) port {port}",
            address(host)
        ));
        lines.push(format!("> {} {} HTTP/1.1", req.method, req.url.target));
        lines.push(format!("> Host: {host}:{port}"));
        lines.push("> User-Agent: curl".into());
        lines.push("> Accept: */*".into());
        lines.extend(req.headers.iter().map(|h| format!("> {h}")));
        if let Some(data) = &req.body {
            let typed = req.headers.iter().any(|h| {
                h.split(':')
                    .next()
                    .is_some_and(|n| n.trim().eq_ignore_ascii_case("content-type"))
            });
            if !typed {
                lines.push("> Content-Type: application/x-www-form-urlencoded".into());
            }
            lines.push(format!("> Content-Length: {}", data.len()));
        }
        lines.push(">".into());
    }
    let head = [
        format!("HTTP/1.1 {} {}", reply.status, reason(reply.status)),
        "Content-Type: application/json".to_string(),
        format!("Content-Length: {}", body.len()),
    ];
    if req.verbose {
        lines.extend(head.iter().map(|h| format!("< {h}")));
        lines.push("<".into());
    } else if req.include {
        lines.extend(head);
        lines.push(String::new());
    }
    lines.push(body);
    if req.verbose {
        lines.push(format!("* Connection #0 to host {host} left intact"));
    }
    Answer {
        text: lines.join("\n"),
        exit_code: 0,
        exchange: Some(Exchange {
            node,
            method: req.method.clone(),
            target: req.url.target.clone(),
            status: reply.status,
            body: reply.body,
            ticket: None,
        }),
    }
}
