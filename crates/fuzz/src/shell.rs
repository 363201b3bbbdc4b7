//! Lines typed into the page's console: pieces that shells and curl find
//! special (quotes, escapes, separators, options), and whole curl commands
//! of the course with hostile keys, levels and bodies, several to a line.

use crate::draw::{list, one_in, pick, weighted};
use crate::json::{hostile_string, value};
use arbitrary::{Arbitrary, Result, Unstructured};

const PIECES: &[&str] = &[
    "curl ",
    "-X",
    "PUT",
    " -d ",
    "-H",
    "-sSiv",
    "--request=",
    "--data-raw",
    "--url",
    "localhost:4001",
    "http://127.0.0.1:400",
    "/key/",
    "/status",
    "?consistency=",
    "strong",
    "'",
    "\"",
    "\\",
    "\\\n",
    "\n",
    "\r\n",
    " ",
    "\t",
    ";",
    "&&",
    "&",
    "|",
    "#",
    "$",
    "$(",
    "`",
    "{",
    "}",
    "[",
    "]",
    ":",
    "=",
    "@",
    "é",
    "日",
    "\u{0}",
    "WRITE_QUORUM=",
    "- ",
    "3",
    "environment:",
];

/// `s` as one shell word.
fn quoted(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

fn curl(u: &mut Unstructured) -> Result<String> {
    let port = if one_in(u, 10)? {
        u.int_in_range(3990u16..=4012)?
    } else {
        u.int_in_range(4001u16..=4003)?
    };
    let host = pick(
        u,
        &["localhost", "127.0.0.1", "[::1]", "example.com", "0.0.0.0"],
    )?;
    let key = hostile_string(u)?;
    let url = format!("http://{host}:{port}/key/{key}");
    Ok(match u.int_in_range(0..=3)? {
        0 => {
            let level = pick(
                u,
                &["eventual", "strong", "linearizable", "causal", "bogus"],
            )?;
            format!("curl {}", quoted(&format!("{url}?consistency={level}")))
        }
        1 => {
            let body = if one_in(u, 4)? {
                hostile_string(u)?
            } else {
                value(u, 2)?.to_string()
            };
            format!(
                "curl -X PUT {} -H 'Content-Type: application/json' -d {}",
                quoted(&url),
                quoted(&body)
            )
        }
        2 => format!("curl -X DELETE {}", quoted(&url)),
        _ => format!("curl -s http://{host}:{port}/status"),
    })
}

/// A line: pieces, whole commands, or arbitrary text.
pub fn line(u: &mut Unstructured) -> Result<String> {
    Ok(match weighted(u, &[4, 4, 1])? {
        0 => list(u, 0..=40, |u| pick(u, PIECES))?.concat(),
        1 => {
            let separator = pick(u, &["\n", "; ", " && ", " \\\n; "])?;
            list(u, 1..=4, curl)?.join(separator)
        }
        _ => String::arbitrary(u)?,
    })
}
