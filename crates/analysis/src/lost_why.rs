//! What became of an acknowledged write: which nodes held its log entry
//! when the client was told success, whether a majority committed it, and,
//! for a lost one, where and when each copy was overwritten by a later
//! leader's entry. The history worker replays the run event by event and
//! watches the entry on every node.

use crate::errors::AnalysisError;
use quorum_sim::msg::{Command, NodeId, Role};
use quorum_sim::scenario::Scenario;
use quorum_sim::world::World;

/// The write to follow, as the page knows it.
#[derive(Clone, Debug, PartialEq)]
pub struct AckedWrite {
    pub scenario: Scenario,
    /// The node that acknowledged it (from 0).
    pub node: NodeId,
    pub key: String,
    pub value: String,
    pub complete_us: u64,
}

/// One copy overwritten: on `node`, at `at_us`, by an entry of `term`
/// from that term's leader.
#[derive(Clone, Debug, PartialEq)]
pub struct Overwrite {
    pub node: NodeId,
    pub at_us: u64,
    pub term: u64,
    pub leader: Option<NodeId>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct WriteFate {
    pub term: u64,
    pub index: u64,
    /// Nodes holding the entry when the write was acknowledged.
    pub held_by: Vec<NodeId>,
    pub w: usize,
    /// When a majority first held it in a committed log, if ever.
    pub committed_at: Option<u64>,
    pub overwrites: Vec<Overwrite>,
    /// No node holds it any more.
    pub lost: bool,
    pub sentence: String,
}

impl AckedWrite {
    /// The request: the write's key, value and run as text, its node and
    /// time as numbers.
    pub fn to_message(&self) -> (String, Vec<f64>) {
        (
            crate::replay::request_text(
                &[("key", &self.key), ("value", &self.value)],
                &self.scenario,
            ),
            vec![self.node.number() as f64, self.complete_us as f64],
        )
    }

    pub fn from_message(text: &str, numbers: &[f64]) -> Result<AckedWrite, AnalysisError> {
        let ([key, value], scenario) =
            crate::replay::read_request(text, ["key", "value"], "a write to follow")?;
        let [node, complete_us] = numbers else {
            return Err(AnalysisError::Missing {
                what: "a write to follow",
                part: "its node and time",
            });
        };
        let node = NodeId::numbered(*node as usize).ok_or(AnalysisError::NodeZero {
            what: "a write to follow",
        })?;
        Ok(AckedWrite {
            key,
            value,
            scenario,
            node,
            complete_us: *complete_us as u64,
        })
    }
}

impl WriteFate {
    /// The page's answer: the sentence, and the appends that overwrote
    /// the write's copies, to mark.
    pub fn answer(&self) -> crate::quorum_why::Answer {
        let replies = self
            .overwrites
            .iter()
            .filter_map(|o| {
                Some(crate::quorum_why::Marked {
                    from: o.leader?,
                    to: o.node,
                    at_us: o.at_us,
                    fate: crate::quorum_why::Fate::Chosen,
                })
            })
            .collect();
        crate::quorum_why::Answer {
            sentence: self.sentence.clone(),
            replies,
        }
    }
}

fn names(nodes: &[NodeId]) -> String {
    let names: Vec<String> = nodes.iter().map(NodeId::to_string).collect();
    match names.len() {
        0 => "no node".into(),
        1 => names[0].clone(),
        _ => format!(
            "{} and {}",
            names[..names.len() - 1].join(", "),
            names[names.len() - 1]
        ),
    }
}

/// Replays the run to its end and follows the write's entry.
pub fn follow(write: &AckedWrite) -> Result<WriteFate, AnalysisError> {
    let mut world = World::from_scenario(&write.scenario)?;
    let n = world.config().n;
    if !write.node.is_in(n) {
        return Err(AnalysisError::NoSuchNode(write.node));
    }
    world.run_until(write.complete_us);
    let w = world.config().w;
    let entry = world
        .node(write.node)
        .log()
        .iter()
        .rev()
        .find(|e| match &e.command {
            Command::Put { key, value } => {
                **key == *write.key && value.as_deref() == Some(write.value.as_str())
            }
            Command::Noop => false,
        })
        .map(|e| (e.term, e.index))
        .ok_or_else(|| AnalysisError::NoEntry {
            node: write.node,
            value: write.value.clone(),
        })?;
    let (term, index) = entry;
    let holds = |world: &World, id: NodeId| world.node(id).term_at(index) == Some(term);
    let held_by: Vec<NodeId> = NodeId::all(n).filter(|&id| holds(&world, id)).collect();
    let mut holding = held_by.clone();
    let mut committed_at = None;
    let mut overwrites = Vec::new();
    let end = write.scenario.end_us();
    while world.now() <= end && !holding.is_empty() {
        if NodeId::all(n).any(|id| holds(&world, id) && world.node(id).commit_index() >= index) {
            committed_at = Some(world.now());
            break;
        }
        if !world.step() {
            break;
        }
        let new: Vec<NodeId> = NodeId::all(n)
            .filter(|&id| holds(&world, id) && !holding.contains(&id))
            .collect();
        holding.extend(new);
        let now = world.now();
        holding.retain(|&id| {
            if holds(&world, id) {
                return true;
            }
            let replaced = world.node(id).term_at(index).unwrap_or(0);
            let leader = NodeId::all(n).find(|&l| {
                world.node(l).role() == Role::Leader && world.node(l).term() == replaced
            });
            overwrites.push(Overwrite {
                node: id,
                at_us: now,
                term: replaced,
                leader,
            });
            false
        });
    }
    let lost = holding.is_empty();
    let mut fate = WriteFate {
        term,
        index,
        held_by,
        w,
        committed_at,
        overwrites,
        lost,
        sentence: String::new(),
    };
    fate.sentence = sentence(write, &fate);
    Ok(fate)
}

fn sentence(write: &AckedWrite, f: &WriteFate) -> String {
    let mut text = format!(
        "{} acknowledged “{}” at {} with W = {}, when {} held it (entry {} of term {}).",
        write.node,
        write.value,
        crate::seconds(write.complete_us),
        f.w,
        names(&f.held_by),
        f.index,
        f.term
    );
    if let Some(at) = f.committed_at {
        text.push_str(&format!(
            " A majority had it committed by {}: no failover can lose it now.",
            crate::seconds(at)
        ));
        return text;
    }
    for o in &f.overwrites {
        let by = o.leader.map_or(String::new(), |l| {
            format!(" from {l}, the leader of term {}", o.term)
        });
        text.push_str(&format!(
            " At {} {}'s entry {} was replaced by one of term {}{by}.",
            crate::seconds(o.at_us),
            o.node,
            f.index,
            o.term
        ));
    }
    if f.lost {
        text.push_str(" No node holds the write any more: it is lost, though its client was told it succeeded.");
    } else {
        text.push_str(" It is not committed yet, and not lost either.");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::replay::{replay, tests::preset};
    use quorum_sim::history::{OpKind, Outcome};

    fn first_acked_write(s: &Scenario) -> AckedWrite {
        let op = replay(s, s.end_us())
            .unwrap()
            .ops
            .into_iter()
            .find(|o| o.op == OpKind::Write && o.outcome == Outcome::Ok)
            .unwrap();
        AckedWrite {
            scenario: s.clone(),
            node: op.node,
            key: op.key,
            value: op.value.unwrap(),
            complete_us: op.complete_us.unwrap(),
        }
    }

    #[test]
    fn the_w1_write_is_held_by_its_leader_alone_then_overwritten_and_lost() {
        let write = first_acked_write(&preset("w1-lost-write"));
        let fate = follow(&write).unwrap();
        assert_eq!(fate.held_by, vec![NodeId::at(0)], "{fate:?}");
        assert!(fate.lost, "{fate:?}");
        assert_eq!(fate.committed_at, None);
        let o = &fate.overwrites[0];
        assert_eq!(o.node, NodeId::at(0));
        assert!(
            o.term > fate.term && o.at_us > 3_000_000,
            "after node-1's restart: {o:?}"
        );
        assert!(o.leader.is_some_and(|l| l != NodeId::at(0)));
        let marks = fate.answer().replies;
        assert_eq!(
            (marks[0].from, marks[0].to, marks[0].at_us),
            (o.leader.unwrap(), NodeId::at(0), o.at_us)
        );
        assert!(
            fate.sentence.starts_with(
                "node-1 acknowledged “Alice” at 1.000 s with W = 1, when node-1 held it"
            ),
            "{}",
            fate.sentence
        );
        assert!(fate.sentence.contains("it is lost"), "{}", fate.sentence);
        let (text, numbers) = write.to_message();
        assert_eq!(AckedWrite::from_message(&text, &numbers), Ok(write));
        assert!(AckedWrite::from_message(&text, &numbers[1..]).is_err());
    }

    #[test]
    fn a_majority_write_is_followed_to_its_commit() {
        let write = first_acked_write(&preset("stale-follower-read"));
        let fate = follow(&write).unwrap();
        assert!(!fate.lost);
        assert!(
            fate.committed_at.is_some_and(|t| t >= write.complete_us),
            "{fate:?}"
        );
        assert!(
            fate.sentence.contains("no failover can lose it now"),
            "{}",
            fate.sentence
        );
    }

    #[test]
    fn a_value_the_node_never_logged_is_named() {
        let mut write = first_acked_write(&preset("w1-lost-write"));
        write.value = "Zed".into();
        let e = follow(&write).unwrap_err();
        assert_eq!(
            e,
            AnalysisError::NoEntry {
                node: NodeId::at(0),
                value: "Zed".into()
            }
        );
        assert_eq!(e.to_string(), "node-1 holds no entry writing “Zed”");
    }
}
