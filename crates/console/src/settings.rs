//! Step 5 of the course edits `WRITE_QUORUM` and `READ_QUORUM` in its
//! docker-compose file and restarts the cluster. Here the cluster keeps
//! running and its quorums change at once: typed as shell assignments
//! (`WRITE_QUORUM=3 READ_QUORUM=1`) or pasted as the compose file's own lines
//! (`environment:`, `- WRITE_QUORUM=3`).

use crate::cluster::Cluster;
use crate::render::Answer;
use quorum_sim::errors::sentence;
use quorum_sim::msg::NodeId;

/// Runs `words` if they are settings; `None` if they are not.
pub fn run(cluster: &mut dyn Cluster, words: &[String]) -> Option<Answer> {
    if words == ["environment:"] {
        return Some(Answer::line("", 0));
    }
    let words = match words {
        [dash, rest @ ..] if dash == "-" && !rest.is_empty() => rest,
        _ => words,
    };
    if !words[0].contains('=') {
        return None;
    }
    let (mut write, mut read) = (None, None);
    for word in words {
        let (name, value) = word.split_once('=').unwrap_or((word, ""));
        let slot = match name {
            "WRITE_QUORUM" => &mut write,
            "READ_QUORUM" => &mut read,
            _ => {
                return Some(Answer::line(
                    format!("{name}: only WRITE_QUORUM and READ_QUORUM can change here"),
                    1,
                ))
            }
        };
        match value.parse::<usize>() {
            Ok(v) => *slot = Some(v),
            Err(_) => {
                return Some(Answer::line(
                    format!("{name}={value}: the value must be a whole number"),
                    1,
                ))
            }
        }
    }
    Some(match cluster.set_quorums(write, read) {
        Ok(()) => Answer::line(summary(cluster), 0),
        Err(why) => Answer::line(sentence(&why), 1),
    })
}

/// The quorums in force and what they promise.
fn summary(cluster: &dyn Cluster) -> String {
    let Some(s) = NodeId::all(cluster.node_count()).find_map(|i| cluster.status(i)) else {
        return "settings changed (every node is down)".into();
    };
    let (w, r, n) = (s.write_quorum, s.read_quorum, s.total_nodes);
    let promise = if r + w > n {
        format!(
            "R + W = {} > N: a strong read's R nodes overlap every acknowledged write's W nodes",
            r + w
        )
    } else {
        format!(
            "R + W = {} ≤ N: a strong read can miss an acknowledged write",
            r + w
        )
    };
    format!("W={w} R={r} N={n}. {promise}")
}
