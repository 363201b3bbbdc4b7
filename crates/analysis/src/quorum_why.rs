//! Why a strong read answered what it did: the copies its quorum gathered
//! (its node's own and the first replies to arrive, R in all), which one
//! it chose (the newest version), and the replies that came too late to
//! count. The trace records only a message's kind, so the history worker
//! replays the run with a tap on every delivery to see what each reply
//! carried.

use crate::errors::AnalysisError;
use quorum_sim::kv::{Cell, Version};
use quorum_sim::msg::{Msg, NodeId, ReqId};
use quorum_sim::scenario::Scenario;
use quorum_sim::world::{Delivery, World};
use std::cell::RefCell;
use std::rc::Rc;

/// The read to explain, as the page knows it.
#[derive(Clone, Debug, PartialEq)]
pub struct QuorumRead {
    pub scenario: Scenario,
    /// The node it was sent to (from 0).
    pub node: NodeId,
    pub key: String,
    pub invoke_us: u64,
    pub complete_us: u64,
}

/// One copy the read saw.
#[derive(Clone, Debug, PartialEq)]
pub struct Copy {
    pub node: NodeId,
    /// When its reply arrived; `None` for the read's own node's copy.
    pub at_us: Option<u64>,
    pub version: Version,
    pub value: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct QuorumWhy {
    /// The copies that counted, own first, in the order they came.
    pub gathered: Vec<Copy>,
    /// The index in `gathered` of the copy answered.
    pub chosen: Option<usize>,
    /// Replies that arrived after the read had its R.
    pub late: Vec<Copy>,
    pub sentence: String,
}

/// A message as the page marks it in the diagram: the one from `from` that
/// reached `to` at `at_us`, and what it did (a quorum read's reply chosen,
/// counted or late; the append that overwrote a write is "chosen").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Marked {
    pub from: NodeId,
    pub to: NodeId,
    pub at_us: u64,
    pub fate: Fate,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fate {
    Chosen,
    Counted,
    Late,
}

/// What the page shows: the sentence, and the replies to mark.
#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    pub sentence: String,
    pub replies: Vec<Marked>,
}

impl QuorumWhy {
    /// The page's answer for the read at node `to`.
    pub fn answer(&self, to: NodeId) -> Answer {
        let mark = |c: &Copy, fate| {
            c.at_us.map(|at_us| Marked {
                from: c.node,
                to,
                at_us,
                fate,
            })
        };
        let replies = self
            .gathered
            .iter()
            .enumerate()
            .filter_map(|(i, c)| {
                mark(
                    c,
                    if Some(i) == self.chosen {
                        Fate::Chosen
                    } else {
                        Fate::Counted
                    },
                )
            })
            .chain(self.late.iter().filter_map(|c| mark(c, Fate::Late)))
            .collect();
        Answer {
            sentence: self.sentence.clone(),
            replies,
        }
    }
}

impl Answer {
    /// As the worker sends it: the sentence, and four numbers a message.
    pub fn to_message(&self) -> (String, Vec<f64>) {
        let numbers = self
            .replies
            .iter()
            .flat_map(|m| {
                [
                    m.from.number() as f64,
                    m.to.number() as f64,
                    m.at_us as f64,
                    m.fate as u8 as f64,
                ]
            })
            .collect();
        (self.sentence.clone(), numbers)
    }

    pub fn from_message(text: &str, numbers: &[f64]) -> Option<Answer> {
        if !numbers.len().is_multiple_of(4) {
            return None;
        }
        let mut replies = Vec::with_capacity(numbers.len() / 4);
        for n in numbers.chunks_exact(4) {
            let fate = [Fate::Chosen, Fate::Counted, Fate::Late].get(n[3] as usize)?;
            replies.push(Marked {
                from: NodeId::numbered(n[0] as usize)?,
                to: NodeId::numbered(n[1] as usize)?,
                at_us: n[2] as u64,
                fate: *fate,
            });
        }
        Some(Answer {
            sentence: text.to_string(),
            replies,
        })
    }
}

impl QuorumRead {
    /// The request: the read's key and run as text, its node and times as
    /// numbers.
    pub fn to_message(&self) -> (String, Vec<f64>) {
        (
            crate::replay::request_text(&[("key", &self.key)], &self.scenario),
            vec![
                self.node.number() as f64,
                self.invoke_us as f64,
                self.complete_us as f64,
            ],
        )
    }

    pub fn from_message(text: &str, numbers: &[f64]) -> Result<QuorumRead, AnalysisError> {
        let ([key], scenario) = crate::replay::read_request(text, ["key"], "a read to explain")?;
        let [node, invoke_us, complete_us] = numbers else {
            return Err(AnalysisError::Missing {
                what: "a read to explain",
                part: "its node and times",
            });
        };
        let node = NodeId::numbered(*node as usize).ok_or(AnalysisError::NodeZero {
            what: "a read to explain",
        })?;
        Ok(QuorumRead {
            scenario,
            node,
            key,
            invoke_us: *invoke_us as u64,
            complete_us: *complete_us as u64,
        })
    }
}

fn copy(node: NodeId, at_us: Option<u64>, cell: Option<&Cell>) -> Copy {
    Copy {
        node,
        at_us,
        version: cell.map_or(Version::ZERO, |c| c.version),
        value: cell.and_then(|c| c.value.as_deref().map(str::to_string)),
    }
}

fn describe(c: &Copy) -> String {
    let value = c
        .value
        .as_deref()
        .map_or("no value".to_string(), |v| format!("“{v}”"));
    if c.version == Version::ZERO {
        return "nothing for the key".into();
    }
    format!(
        "{value} (term {}, index {})",
        c.version.term, c.version.index
    )
}

/// Replays the run to the read's answer and tells what its quorum held.
pub fn explain(read: &QuorumRead) -> Result<QuorumWhy, AnalysisError> {
    let mut world = World::from_scenario(&read.scenario)?;
    if !read.node.is_in(world.config().n) {
        return Err(AnalysisError::NoSuchNode(read.node));
    }
    let seen: Rc<RefCell<Vec<Delivery>>> = Rc::default();
    let sink = seen.clone();
    let (node, window) = (read.node, read.invoke_us..=read.complete_us);
    world.set_delivery_sink(Box::new(move |d: &Delivery| {
        let asked = matches!(d.msg, Msg::ReadReq { .. }) && d.from == node;
        let replied = matches!(d.msg, Msg::ReadReply { .. }) && d.to == node;
        if window.contains(&d.at_us) && (asked || replied) {
            sink.borrow_mut().push(d.clone());
        }
    }));
    world.run_until(read.invoke_us);
    let r = world.config().r.max(1);
    let own = world.node(node).map().get(read.key.as_str()).cloned();
    world.run_until(read.complete_us);
    let seen = seen.take();
    // This read's requests are the ones for its key from its node.
    let mine: Vec<ReqId> = seen
        .iter()
        .filter_map(|d| match &d.msg {
            Msg::ReadReq { req, key } if **key == *read.key => Some(*req),
            _ => None,
        })
        .collect();
    let mut gathered = vec![copy(node, None, own.as_ref())];
    let mut late = Vec::new();
    for d in &seen {
        if let Msg::ReadReply { req, cell } = &d.msg {
            if mine.contains(req) {
                let c = copy(d.from, Some(d.at_us), cell.as_ref());
                if gathered.len() < r {
                    gathered.push(c);
                } else {
                    late.push(c);
                }
            }
        }
    }
    // The newest wins; among equals the last to come (`max_by_key` keeps
    // the last maximum), as the node picks.
    let chosen = (0..gathered.len()).max_by_key(|&i| gathered[i].version);
    let sentence = sentence(read, r, &gathered, chosen, &late);
    Ok(QuorumWhy {
        gathered,
        chosen,
        late,
        sentence,
    })
}

fn sentence(
    read: &QuorumRead,
    r: usize,
    gathered: &[Copy],
    chosen: Option<usize>,
    late: &[Copy],
) -> String {
    let name = |c: &Copy| c.node.to_string();
    let parts: Vec<String> = gathered
        .iter()
        .map(|c| match c.at_us {
            None => format!("its own, {}", describe(c)),
            Some(at) => format!("{}'s at {}, {}", name(c), crate::seconds(at), describe(c)),
        })
        .collect();
    let mut text = format!(
        "A strong read at {} needs R = {r} cop{} of “{}”; it gathered {}: {}.",
        read.node,
        if r == 1 { "y" } else { "ies" },
        read.key,
        gathered.len(),
        parts.join("; ")
    );
    if gathered.len() < r {
        text.push_str(" Too few replies came before it gave up.");
    } else if let Some(i) = chosen {
        let c = &gathered[i];
        text.push_str(&format!(
            " It answered the newest: {}'s {}.",
            name(c),
            describe(c)
        ));
    }
    if !late.is_empty() {
        let names: Vec<String> = late
            .iter()
            .map(|c| format!("{}'s {}", name(c), describe(c)))
            .collect();
        text.push_str(&format!(" Too late to count: {}.", names.join(", ")));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::replay::{replay, tests::preset};
    use quorum_sim::history::OpKind;

    /// The first strong read of `name`'s run that got an answer.
    fn first_strong_read(s: &Scenario) -> QuorumRead {
        let r = replay(s, s.end_us()).unwrap();
        let op = r
            .ops
            .iter()
            .find(|o| o.op == OpKind::Read && o.level == "strong" && o.complete_us.is_some())
            .expect("a strong read");
        QuorumRead {
            scenario: s.clone(),
            node: op.node,
            key: op.key.clone(),
            invoke_us: op.invoke_us,
            complete_us: op.complete_us.unwrap(),
        }
    }

    #[test]
    fn a_quorum_read_names_the_copies_it_gathered_and_answers_the_newest() {
        let s = preset("strong-quorum-read");
        let read = first_strong_read(&s);
        let why = explain(&read).unwrap();
        let r = s.config.r;
        assert!(r >= 2, "the preset reads a quorum");
        assert_eq!(why.gathered.len(), r, "{why:?}");
        assert_eq!(why.gathered[0].at_us, None, "its own copy first");
        assert!(why.gathered[1..].iter().all(|c| c
            .at_us
            .is_some_and(|t| t >= read.invoke_us && t <= read.complete_us)));
        let chosen = &why.gathered[why.chosen.unwrap()];
        assert!(why.gathered.iter().all(|c| c.version <= chosen.version));
        // What the read returned is the chosen copy's value.
        let returned = replay(&s, s.end_us())
            .unwrap()
            .ops
            .into_iter()
            .find(|o| o.invoke_us == read.invoke_us && o.op == OpKind::Read)
            .unwrap()
            .value;
        assert_eq!(chosen.value, returned);
        assert!(
            why.sentence.contains(&format!("needs R = {r} copies")),
            "{}",
            why.sentence
        );
        assert!(
            why.sentence.contains("It answered the newest"),
            "{}",
            why.sentence
        );
    }

    #[test]
    fn a_node_that_does_not_exist_is_named() {
        let s = preset("strong-quorum-read");
        let mut read = first_strong_read(&s);
        read.node = NodeId::at(9);
        let e = explain(&read).map(|_| ()).unwrap_err();
        assert_eq!(e, AnalysisError::NoSuchNode(NodeId::at(9)));
        assert_eq!(e.to_string(), "there is no node-10");
    }
}
