//! HTTP requests to a node: the course's routes and the peers' route with
//! hostile methods, keys, query strings, headers and bodies, including
//! bodies around the server's size limit (which the caller passes: this
//! crate does not depend on the server).

use crate::draw::{list, one_in, pick, weighted};
use crate::json::{hostile_string, value};
use crate::peer::batch_body;
use crate::Case;
use arbitrary::{Arbitrary, Result, Unstructured};

#[derive(Clone, Debug)]
pub struct Request {
    pub method: String,
    /// Path and query, percent-encoded where a URI needs it.
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Case for Request {
    /// As it crosses the wire (HTTP/1.1), to keep or to replay by hand.
    fn bytes(&self) -> Vec<u8> {
        let mut head = format!(
            "{} {} HTTP/1.1\r\nhost: 127.0.0.1\r\n",
            self.method, self.target
        );
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str(&format!("content-length: {}\r\n\r\n", self.body.len()));
        let mut bytes = head.into_bytes();
        bytes.extend_from_slice(&self.body);
        bytes
    }
}

/// `s` with every byte a URI path or query cannot hold percent-encoded.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'a'..=b'z'
            | b'A'..=b'Z'
            | b'0'..=b'9'
            | b'-'
            | b'_'
            | b'.'
            | b'~'
            | b'/'
            | b'='
            | b'&' => char::from(b).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn target(u: &mut Unstructured, peer_route: &str) -> Result<String> {
    let path = match weighted(u, &[4, 1, 2])? {
        0 => format!("/key/{}", encode(&hostile_string(u)?)),
        1 => pick(
            u,
            &["/status", "/key/", "/", "/keys", "/status/", "//key/k"],
        )?
        .to_string(),
        _ => peer_route.to_string(),
    };
    let query = match weighted(u, &[3, 2, 1])? {
        0 => String::new(),
        1 => {
            let levels = [
                "eventual",
                "strong",
                "linearizable",
                "causal",
                "read_your_writes",
                "monotonic_reads",
                "Strong",
                "",
            ];
            format!("?consistency={}", pick(u, &levels)?)
        }
        _ => format!("?{}", encode(&hostile_string(u)?)),
    };
    Ok(path + &query)
}

fn header(u: &mut Unstructured) -> Result<(String, String)> {
    Ok(match u.int_in_range(0..=2)? {
        0 => {
            let types = [
                "application/json",
                "text/plain",
                "",
                "application/json; charset=utf-16",
            ];
            ("content-type".into(), pick(u, &types)?.to_string())
        }
        1 => {
            let hex = list(u, 0..=80, |u| Ok(char::from(pick(u, b"0123456789abcdef")?)))?;
            ("x-quorum-signature".into(), hex.into_iter().collect())
        }
        _ => {
            let visible = list(u, 0..=40, |u| Ok(char::from(u.int_in_range(b' '..=b'~')?)))?;
            (
                format!("x-{}", crate::json::word(u)?),
                visible.into_iter().collect(),
            )
        }
    })
}

fn body(u: &mut Unstructured, limit: usize) -> Result<Vec<u8>> {
    Ok(match weighted(u, &[2, 4, 3, 1, 1])? {
        0 => Vec::new(),
        1 => value(u, 3)?.to_string().into_bytes(),
        2 => batch_body(u)?,
        3 => Vec::<u8>::arbitrary(u)?,
        _ => {
            // A JSON string of spaces: valid, and exactly as long as drawn.
            let n = pick(u, &[limit - 1, limit, limit + 1, 4 * limit])?;
            let mut b = vec![b' '; n];
            b[0] = b'"';
            b[n - 1] = b'"';
            b
        }
    })
}

/// A request to a node whose peers post to `peer_route` and whose bodies
/// may have `body_limit` bytes.
pub fn request(u: &mut Unstructured, peer_route: &str, body_limit: usize) -> Result<Request> {
    let methods = [
        "GET", "GET", "PUT", "PUT", "DELETE", "POST", "HEAD", "PATCH", "OPTIONS", "BREW",
    ];
    let method = pick(u, &methods)?.to_string();
    let target = target(u, peer_route)?;
    let headers = list(u, 0..=3, header)?;
    let body = if one_in(u, 3)? && method == "GET" {
        Vec::new()
    } else {
        body(u, body_limit)?
    };
    Ok(Request {
        method,
        target,
        headers,
        body,
    })
}
