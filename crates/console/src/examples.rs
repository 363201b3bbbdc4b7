//! The course's commands as one-click examples, and its exercise 2 as a
//! ready script whose two reads the page shows side by side.

use crate::render::Answer;
use crate::shell;
use quorum_sim::msg::NodeId;
use serde_json::Value;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Example {
    pub label: String,
    /// As the course prints it (with the ports of the nodes that lead and
    /// follow now); the console runs it verbatim.
    pub command: String,
}

/// Steps 2 to 5 of the course, in order, addressed to the node that leads
/// now (`leader`) and a follower of it (`follower`). The course's leader
/// is node-1 and its follower node-2: with them it is the course's text to
/// the letter.
pub fn course_steps(leader: NodeId, follower: NodeId) -> Vec<Example> {
    let (l, f) = (port(leader), port(follower));
    let step = |label: String, command: String| Example { label, command };
    vec![
        step(
            format!("Step 2: write name = \"Alice\" to the leader ({leader}, port {l})"),
            format!("curl -X PUT http://localhost:{l}/key/name \\\n  -H \"Content-Type: application/json\" \\\n  -d '\"Alice\"'"),
        ),
        step(
            format!("Step 2: read it at once from a follower ({follower}, port {f}, eventual)"),
            format!("curl http://localhost:{f}/key/name"),
        ),
        step(
            format!("Step 3: read it with strong consistency ({follower}, port {f})"),
            format!("curl \"http://localhost:{f}/key/name?consistency=strong\""),
        ),
        step(
            format!("Step 4: see the quorum settings ({leader}, port {l})"),
            format!("curl http://localhost:{l}/status"),
        ),
        step(
            "Step 5: W=3 (strongest)".into(),
            "environment:\n  - WRITE_QUORUM=3\n  - READ_QUORUM=1".into(),
        ),
        step(
            "Step 5: W=1 (weakest)".into(),
            "environment:\n  - WRITE_QUORUM=1\n  - READ_QUORUM=1".into(),
        ),
    ]
}

/// The course's commands exactly as it prints them.
pub fn verbatim() -> Vec<Example> {
    course_steps(NodeId::at(0), NodeId::at(1))
}

/// The course's port of a node: node-K listens on 400K.
pub fn port(node: NodeId) -> usize {
    4000 + node.number()
}

/// Exercise 2: set `name` to `value` through node `leader`, then read it at
/// once from node `reader` with `consistency=eventual` and with
/// `consistency=strong`. Run it with `Console::run`; hand the answers to
/// [`side_by_side`].
pub fn exercise_2(leader: NodeId, reader: NodeId, value: &str) -> String {
    let body = shell::quote(&Value::from(value).to_string());
    let (leader, reader) = (port(leader), port(reader));
    let read =
        |level: &str| format!("curl 'http://localhost:{reader}/key/name?consistency={level}'");
    format!(
        "curl -X PUT http://localhost:{leader}/key/name -H 'Content-Type: application/json' -d {body}\n{}\n{}",
        read("eventual"),
        read("strong")
    )
}

/// One read of exercise 2, for display.
#[derive(Clone, Debug, PartialEq)]
pub struct ReadResult {
    pub node: NodeId,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_course_text_is_the_steps_for_node_1_leading() {
        let steps = verbatim();
        assert_eq!(
            steps[0].command,
            "curl -X PUT http://localhost:4001/key/name \\\n  -H \"Content-Type: application/json\" \\\n  -d '\"Alice\"'"
        );
        assert_eq!(steps[1].command, "curl http://localhost:4002/key/name");
        assert_eq!(
            steps[2].command,
            "curl \"http://localhost:4002/key/name?consistency=strong\""
        );
        assert_eq!(steps[3].command, "curl http://localhost:4001/status");
    }

    #[test]
    fn after_a_failover_the_steps_follow_the_new_leader_and_say_its_port() {
        let steps = course_steps(NodeId::at(2), NodeId::at(0));
        assert!(steps[0]
            .command
            .starts_with("curl -X PUT http://localhost:4003/key/name"));
        assert!(
            steps[0].label.contains("node-3, port 4003"),
            "{}",
            steps[0].label
        );
        assert_eq!(steps[1].command, "curl http://localhost:4001/key/name");
        assert!(steps[3].command.ends_with("localhost:4003/status"));
    }
}
