//! The course's commands as one-click examples, and its exercise 2 as a
//! ready script whose two reads the page shows side by side.

use crate::render::Answer;
use crate::shell;
use serde_json::Value;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Example {
    pub label: &'static str,
    /// As the course prints it; the console runs it verbatim.
    pub command: &'static str,
}

/// Steps 2 to 5 of the course, in order. The course's node-1 is its
/// leader; in the playground the leader is elected, so the page may want
/// to say which port leads before a learner clicks the write.
pub const EXAMPLES: [Example; 6] = [
    Example {
        label: "Step 2: write name = \"Alice\" to the leader",
        command: "curl -X PUT http://localhost:4001/key/name \\\n  -H \"Content-Type: application/json\" \\\n  -d '\"Alice\"'",
    },
    Example {
        label: "Step 2: read it at once from a follower (eventual)",
        command: "curl http://localhost:4002/key/name",
    },
    Example {
        label: "Step 3: read it with strong consistency",
        command: "curl \"http://localhost:4002/key/name?consistency=strong\"",
    },
    Example {
        label: "Step 4: see the quorum settings",
        command: "curl http://localhost:4001/status",
    },
    Example {
        label: "Step 5: W=3 (strongest)",
        command: "environment:\n  - WRITE_QUORUM=3\n  - READ_QUORUM=1",
    },
    Example {
        label: "Step 5: W=1 (weakest)",
        command: "environment:\n  - WRITE_QUORUM=1\n  - READ_QUORUM=1",
    },
];

/// Exercise 2: set `name` to `value` through node `leader`, then read it at
/// once from node `reader` with `consistency=eventual` and with
/// `consistency=strong`. Run it with `Console::run`; hand the answers to
/// [`side_by_side`].
pub fn exercise_2(leader: usize, reader: usize, value: &str) -> String {
    let body = shell::quote(&Value::from(value).to_string());
    let read =
        |level: &str| format!("curl 'http://localhost:400{reader}/key/name?consistency={level}'");
    format!(
        "curl -X PUT http://localhost:400{leader}/key/name -H 'Content-Type: application/json' -d {body}\n{}\n{}",
        read("eventual"),
        read("strong")
    )
}

/// One read of exercise 2, for display.
#[derive(Clone, Debug, PartialEq)]
pub struct ReadResult {
    pub node: usize,
    pub status: u16,
    /// The value read; `None` for a 404 or an error.
    pub value: Option<Value>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct SideBySide {
    pub eventual: Option<ReadResult>,
    pub strong: Option<ReadResult>,
}

/// Pairs the latest `eventual` and `strong` reads among `answers`.
pub fn side_by_side<'a>(answers: impl IntoIterator<Item = &'a Answer>) -> SideBySide {
    let mut pair = SideBySide::default();
    for exchange in answers.into_iter().filter_map(|a| a.exchange.as_ref()) {
        let slot = match exchange.target.split_once("consistency=") {
            _ if exchange.method != "GET" || !exchange.target.starts_with("/key/") => continue,
            Some((_, "strong")) => &mut pair.strong,
            Some((_, "eventual")) | None => &mut pair.eventual,
            Some(_) => continue,
        };
        *slot = Some(ReadResult {
            node: exchange.node,
            status: exchange.status,
            value: (exchange.status == 200)
                .then(|| exchange.body.get("value").map(|v| v.to_value()))
                .flatten(),
        });
    }
    pair
}
