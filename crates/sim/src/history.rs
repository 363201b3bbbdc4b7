//! The record of client operations, as the engine writes it and the checker
//! reads it: JSON Lines, one operation per line.
//!
//! ```text
//! {"client":1,"node":2,"op":"write","key":"name","value":"Alice","level":"eventual",
//!  "invoke_us":1000,"complete_us":4200,"outcome":"ok"}
//! ```
//!
//! * `node` is 1-based, as the course names nodes (`node-1` ...).
//! * `value`: for a write, the value written; for a read, the value returned;
//!   `null` when the key was absent or deleted (and always for a delete).
//! * `complete_us` is `null` when the operation never completed.
//! * `outcome`: `ok` took effect (a read returned); `fail` certainly had no
//!   effect (a 503 "Not the leader", a refused connection); `unknown` may or may
//!   not have taken effect (a write that did not reach its quorum, a timeout).
//!
//! The checker needs written values unique per key, which is what lets it
//! tell which write a read observed. The workload names each value after its
//! client and sequence number; a person may write `Alice` twice, and
//! [`distinct_values`] renames such repeats before a history is checked.

use crate::node_id::NodeId;
use serde::{Deserialize, Serialize};

mod distinct;
pub use distinct::distinct_values;

/// Limits on a history file (`quorum check`, an import): a file over one is
/// refused at the line that crosses it, with the limit named. A history
/// records an operation in about 150 bytes, so a million fit in the bytes.
pub const MAX_HISTORY_BYTES: usize = 256 * 1024 * 1024;
pub const MAX_HISTORY_OPS: usize = 1_000_000;
/// One line: room for the longest key and value the store takes
/// (`scenario::limits`), escaped.
pub const MAX_LINE_BYTES: usize = 64 * 1024;

/// What a client asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OpKind {
    Read,
    Write,
    Delete,
}

/// How an operation ended, as far as the client can tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Ok,
    Fail,
    Unknown,
}

/// One client operation: one line of a history file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistoryOp {
    pub client: u32,
    pub node: NodeId,
    pub op: OpKind,
    pub key: String,
    pub value: Option<String>,
    pub level: String,
    pub invoke_us: u64,
    pub complete_us: Option<u64>,
    pub outcome: Outcome,
}

impl HistoryOp {
    /// One JSON Lines line, without the trailing newline.
    pub fn to_json_line(&self) -> String {
        serde_json::to_string(self).expect("a HistoryOp always serializes")
    }
}
