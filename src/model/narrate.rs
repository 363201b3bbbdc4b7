//! A scenario's actions in a few words, for "Next: node-1 crashes in 0.4 s".

use quorum_sim::config::ReadRepair;
use quorum_sim::msg::NodeId;
use quorum_sim::scenario::{Action, Settings};

fn nodes(list: &[NodeId]) -> String {
    let names: Vec<String> = list.iter().map(NodeId::to_string).collect();
    names.join(", ")
}

fn settings(s: &Settings) -> String {
    let mut parts = Vec::new();
    if let Some(w) = s.w {
        parts.push(format!("W becomes {w}"));
    }
    if let Some(r) = s.r {
        parts.push(format!("R becomes {r}"));
    }
    if let Some(l) = s.latency_ms {
        parts.push(format!("latency becomes {l} ms"));
    }
    if s.jitter.is_some() {
        parts.push("the jitter changes".into());
    }
    if let Some(d) = s.drop {
        parts.push(format!("{:.0} % of messages are lost", d * 100.0));
    }
    if let Some(m) = s.read_repair {
        parts.push(
            match m {
                ReadRepair::Off => "read repair turns off",
                ReadRepair::Async => "read repair turns async",
                ReadRepair::Blocking => "read repair turns blocking",
            }
            .into(),
        );
    }
    if parts.is_empty() {
        "a setting changes".into()
    } else {
        parts.join(", ")
    }
}

/// What `action` does, as a sentence without a capital or a full stop.
pub fn describe(action: &Action) -> String {
    match action {
        Action::Write {
            client,
            node,
            key,
            value,
        } => format!("Client {client} writes {key} = {value} to {node}"),
        Action::Read {
            client,
            node,
            key,
            level,
        } => format!(
            "Client {client} reads {key} from {node} ({})",
            level.name().replace('_', " ")
        ),
        Action::Delete { client, node, key } => {
            format!("Client {client} deletes {key} at {node}")
        }
        Action::Crash { node } => format!("{node} crashes"),
        Action::Restart { node } => format!("{node} restarts"),
        Action::Partition { groups } => match groups.as_slice() {
            [one] => format!("{} are cut off from the rest", nodes(one)),
            _ => "the network splits into groups".into(),
        },
        Action::Cut { from, to } => {
            format!("messages from {} to {} are cut", nodes(from), nodes(to))
        }
        Action::Heal => "the network heals".into(),
        Action::Set(s) => settings(s),
        Action::StartWorkload(w) => format!("a workload of {} ops/s starts", w.ops_per_sec),
        Action::StopWorkload => "the workload stops".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quorum_sim::kv::Level;

    #[test]
    fn actions_read_as_short_sentences() {
        assert_eq!(
            describe(&Action::Crash {
                node: NodeId::numbered(1).unwrap()
            }),
            "node-1 crashes"
        );
        assert_eq!(
            describe(&Action::Read {
                client: 2,
                node: NodeId::numbered(2).unwrap(),
                key: "name".into(),
                level: Level::ReadYourWrites
            }),
            "Client 2 reads name from node-2 (read your writes)"
        );
        assert_eq!(
            describe(&Action::Partition {
                groups: vec![vec![
                    NodeId::numbered(1).unwrap(),
                    NodeId::numbered(2).unwrap()
                ]]
            }),
            "node-1, node-2 are cut off from the rest"
        );
        assert_eq!(
            describe(&Action::Set(Settings {
                w: Some(2),
                read_repair: Some(ReadRepair::Blocking),
                ..Settings::default()
            })),
            "W becomes 2, read repair turns blocking"
        );
    }
}
