//! What a learner's operation came to, as a badge and a sentence in
//! numbers. Reads are judged by the engine's observer as they are answered
//! (the checker's rules); this only puts its verdict into words.

use quorum_analysis::diagram::ReadFocus;
use quorum_sim::config::Config;
use quorum_sim::kv::{Level, Text, Version};
use quorum_sim::msg::{FailReason, NodeId, Response};
use quorum_sim::world::{Answer, Done, Lag, ReadContext, ReadJudgement, WriteFact};

/// Levels that promise a client its own writes, and never going back.
const RYW_LEVELS: [Level; 3] = [Level::ReadYourWrites, Level::Causal, Level::Linearizable];
const MONOTONIC_LEVELS: [Level; 3] = [Level::MonotonicReads, Level::Causal, Level::Linearizable];

/// How an operation ended.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    Pending,
    /// A write or delete that W nodes acknowledged.
    Acknowledged,
    Read(ReadVerdict),
    /// The course's 503; the node it named (from 1).
    NotLeader {
        leader: Option<NodeId>,
    },
    /// A write the leader logged but W nodes did not hold in time: it may
    /// still commit, or be lost.
    QuorumNotAchieved,
    /// A read that fewer than R replicas answered in time.
    ReadQuorumNotAchieved,
    /// The node gave up waiting: why.
    Timeout(&'static str),
    /// The node was down, or crashed with the request pending.
    Refused,
}

/// How a read's value compares with the writes around it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ReadLag {
    Fresh,
    Stale {
        versions: u64,
        behind_ms: f64,
        at_least: bool,
    },
    /// An older value while a newer write was still in flight: allowed.
    InFlight,
    Unexplained,
}

/// The observer's judgement of one read, with its reason.
#[derive(Clone, Debug, PartialEq)]
pub struct ReadVerdict {
    pub lag: ReadLag,
    pub read_your_writes: bool,
    pub monotonic: bool,
    /// The level the read asked for, which decides whether a session
    /// lapse broke a promise or only shows what the level allows.
    pub level: Level,
    /// Why, in numbers: "node-2 had v1.1; v1.2 (Alice) was acknowledged…".
    pub why: String,
    /// The newer write it missed, when it missed one: when it was sent,
    /// and the nodes that held it when the read was answered.
    pub missed: Option<Missed>,
}

impl ReadVerdict {
    /// For a read that missed a write, or a strong read (whose quorum can
    /// be shown): what the timeline should single out. The read went to
    /// `node` for `key`, sent and answered at `(sent_us, answered_us)`.
    pub fn focus(
        &self,
        node: NodeId,
        key: &str,
        (sent_us, answered_us): (u64, u64),
    ) -> Option<ReadFocus> {
        let strong = self.level == Level::Strong;
        if self.missed.is_none() && !strong {
            return None;
        }
        Some(ReadFocus {
            node,
            at_us: answered_us,
            newer_invoked_us: self.missed.as_ref().map(|m| m.invoked_us),
            holders: self
                .missed
                .as_ref()
                .map(|m| m.holders.clone())
                .unwrap_or_default(),
            quorum: strong.then(|| (key.to_string(), sent_us)),
        })
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Missed {
    pub invoked_us: u64,
    pub holders: Vec<NodeId>,
}

pub use quorum_analysis::diagram::Tone;

#[derive(Clone, Debug, PartialEq)]
pub struct Badge {
    pub tone: Tone,
    pub text: String,
}

fn badge(tone: Tone, text: impl Into<String>) -> Badge {
    Badge {
        tone,
        text: text.into(),
    }
}

fn plural(n: u64, one: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {one}s")
    }
}

impl Verdict {
    /// Every badge the operation earns, the most serious first.
    pub fn badges(&self) -> Vec<Badge> {
        match self {
            Verdict::Pending => vec![badge(Tone::Pending, "waiting…")],
            Verdict::Acknowledged => vec![badge(Tone::Fresh, "acknowledged")],
            Verdict::Read(r) => {
                let mut out = Vec::new();
                let promised = |levels: &[Level]| levels.contains(&r.level);
                let not_promised = format!("not promised at {}", r.level.name().replace('_', " "));
                if r.read_your_writes {
                    out.push(if promised(&RYW_LEVELS) {
                        badge(Tone::Alert, "read-your-writes violation")
                    } else {
                        badge(
                            Tone::Stale,
                            format!("missed its own write ({not_promised})"),
                        )
                    });
                }
                if r.monotonic {
                    out.push(if promised(&MONOTONIC_LEVELS) {
                        badge(Tone::Alert, "monotonic-reads violation")
                    } else {
                        badge(Tone::Stale, format!("went back in time ({not_promised})"))
                    });
                }
                out.push(match r.lag {
                    ReadLag::Fresh => badge(Tone::Fresh, "fresh"),
                    ReadLag::Stale {
                        versions,
                        behind_ms,
                        at_least,
                    } => badge(
                        Tone::Stale,
                        format!(
                            "stale: {}{} / {behind_ms:.0} ms behind",
                            if at_least { "over " } else { "" },
                            plural(versions, "version")
                        ),
                    ),
                    ReadLag::InFlight => {
                        badge(Tone::Allowed, "old value, allowed: write in flight")
                    }
                    ReadLag::Unexplained => {
                        badge(Tone::Alert, "no known write explains this value")
                    }
                });
                out
            }
            Verdict::NotLeader { leader } => vec![badge(
                Tone::Stale,
                match leader {
                    Some(l) => format!("503 not the leader: {l} leads"),
                    None => "503 not the leader: no leader known".into(),
                },
            )],
            Verdict::QuorumNotAchieved => {
                vec![badge(Tone::Alert, "write quorum not achieved: may be lost")]
            }
            Verdict::ReadQuorumNotAchieved => {
                vec![badge(Tone::Stale, "read quorum not achieved")]
            }
            Verdict::Timeout(why) => vec![badge(Tone::Stale, format!("timeout: {why}"))],
            Verdict::Refused => vec![badge(Tone::Alert, "connection refused")],
        }
    }

    /// The most serious tone among the badges.
    pub fn tone(&self) -> Tone {
        self.badges().first().map_or(Tone::Pending, |b| b.tone)
    }

    /// The reason behind a read's verdict.
    pub fn why(&self) -> Option<&str> {
        match self {
            Verdict::Read(r) => Some(&r.why),
            _ => None,
        }
    }

    /// Adds, to a strong read that missed a write, why its quorum could:
    /// R + W is not more than N under `config`.
    pub fn with_quorums(mut self, config: &Config) -> Verdict {
        let (n, w, r) = (config.n, config.w, config.r);
        if let Verdict::Read(read) = &mut self {
            let missed = matches!(read.lag, ReadLag::Stale { .. } | ReadLag::InFlight);
            if read.level == Level::Strong && missed && r + w <= n {
                let asked = if r == 1 {
                    "asks only the node it is sent to".to_string()
                } else {
                    format!("asks R = {r} replicas")
                };
                read.why.push_str(&format!(
                    " A strong read {asked}: with R + W = {} not more than N = {n}, they can all have missed a write; raise R or W.",
                    r + w
                ));
            }
        }
        self
    }

    /// The verdict of a finished operation: `node` answered a
    /// request for `key` (a read at `level`).
    pub fn of(done: &Done, node: NodeId, key: &str, level: Level) -> Verdict {
        match &done.answer {
            Answer::Dropped => Verdict::Refused,
            Answer::Replied(response) => match response {
                Response::Written {
                    achieved_quorum: true,
                    ..
                } => Verdict::Acknowledged,
                Response::Written { .. } => Verdict::QuorumNotAchieved,
                Response::Read { value, version } => match &done.judgement {
                    Some(j) => Verdict::Read(read_verdict(
                        j,
                        done.context.as_ref(),
                        Said {
                            node,
                            key,
                            level,
                            value: value.as_ref(),
                            version: *version,
                            answered_us: done.answered_us,
                        },
                    )),
                    None => Verdict::Read(ReadVerdict {
                        lag: ReadLag::Fresh,
                        read_your_writes: false,
                        monotonic: false,
                        level,
                        why: String::new(),
                        missed: None,
                    }),
                },
                Response::NotLeader { leader_hint } => Verdict::NotLeader {
                    leader: *leader_hint,
                },
                Response::Failed(FailReason::NoQuorum) => Verdict::ReadQuorumNotAchieved,
                Response::Failed(FailReason::NotCaughtUp) => {
                    Verdict::Timeout("the node never caught up with this client")
                }
                Response::Failed(FailReason::LeadershipUnconfirmed) => {
                    Verdict::Timeout("the leader could not confirm it still leads")
                }
            },
        }
    }
}

/// What the node answered, for the sentence.
struct Said<'a> {
    node: NodeId,
    key: &'a str,
    level: Level,
    value: Option<&'a Text>,
    version: Version,
    answered_us: u64,
}

pub fn version_name(v: Version) -> String {
    format!("v{}.{}", v.term, v.index)
}

/// A value as a learner typed it: the console stores JSON text, so a
/// quoted string shows without its quotes.
fn value_text(v: &str) -> &str {
    match v.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
        Some(inner) if !inner.contains('"') => inner,
        _ => v,
    }
}

fn value_name(value: Option<&Text>) -> String {
    value.map_or("not found".to_string(), |v| format!("“{}”", value_text(v)))
}

fn write_name(w: &WriteFact) -> String {
    let what = w
        .value
        .as_ref()
        .map_or("the delete".to_string(), |v| format!("“{}”", value_text(v)));
    match w.version {
        Some(v) => format!("{what} ({})", version_name(v)),
        None => what,
    }
}

fn ms(us: u64) -> String {
    if us < 1000 {
        "less than 1 ms".into()
    } else {
        format!("{:.0} ms", us as f64 / 1000.0)
    }
}

fn nodes_list(ids: &[NodeId]) -> String {
    let names: Vec<String> = ids.iter().map(NodeId::to_string).collect();
    match names.as_slice() {
        [] => "no node".into(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// Where the missed write is: on its way to the node, or why not.
fn where_it_is(said: &Said, context: Option<&ReadContext>) -> String {
    let node = said.node;
    match context {
        Some(c) => match c.replicate_due_us {
            Some(due) => format!(
                "its replicate reaches {node} in {}",
                ms(due.saturating_sub(said.answered_us))
            ),
            None if c.cut_off => format!("{node} is cut off from the leader"),
            None => format!("no replicate is on its way to {node} yet"),
        },
        None => String::new(),
    }
}

fn read_verdict(j: &ReadJudgement, context: Option<&ReadContext>, said: Said) -> ReadVerdict {
    let had = if said.version == Version::ZERO {
        format!("{} had no copy of {}", said.node, said.key)
    } else {
        format!(
            "{} had {} ({})",
            said.node,
            version_name(said.version),
            value_name(said.value)
        )
    };
    let held = context.map_or(String::new(), |c| {
        format!(", held by {},", nodes_list(&c.holders))
    });
    let (lag, why) = match &j.lag {
        Lag::Fresh => (
            ReadLag::Fresh,
            format!("{had}: no write acknowledged before this read began was newer."),
        ),
        Lag::Stale {
            versions,
            at_least,
            behind_us,
            newer,
        } => {
            let more = match versions {
                1 => String::new(),
                k => format!(
                    " and {}{} after it",
                    if *at_least { "over " } else { "" },
                    plural(k - 1, "newer write")
                ),
            };
            (
                ReadLag::Stale {
                    versions: *versions,
                    behind_ms: *behind_us as f64 / 1000.0,
                    at_least: *at_least,
                },
                format!(
                    "{had}; {}{}{more} was acknowledged {} before this read began; {}.",
                    write_name(newer),
                    held,
                    ms(*behind_us),
                    where_it_is(&said, context)
                ),
            )
        }
        Lag::InFlight { write } => (
            ReadLag::InFlight,
            format!(
                "{had}; {}{} was still being written (sent {} before this read, not yet acknowledged), so the old value is allowed; {}.",
                write_name(write),
                held,
                ms(said.answered_us.saturating_sub(write.invoked_us)),
                where_it_is(&said, context)
            ),
        ),
        Lag::Unexplained => (
            ReadLag::Unexplained,
            format!("{had}, a value no write in the history explains."),
        ),
    };
    let missed = match &j.lag {
        Lag::Stale { newer, .. } | Lag::InFlight { write: newer } => Some(Missed {
            invoked_us: newer.invoked_us,
            holders: context.map_or_else(Vec::new, |c| c.holders.clone()),
        }),
        Lag::Fresh | Lag::Unexplained => None,
    };
    ReadVerdict {
        lag,
        read_your_writes: j.read_your_writes,
        monotonic: j.monotonic,
        level: said.level,
        why,
        missed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_lapse_is_a_violation_only_where_the_level_promises_otherwise() {
        let lapse = |level| {
            let mut d = done(Lag::Fresh, None);
            d.judgement.as_mut().unwrap().read_your_writes = true;
            Verdict::of(&d, NodeId::numbered(2).unwrap(), "name", level).badges()[0].clone()
        };
        assert_eq!(
            lapse(Level::ReadYourWrites),
            badge(Tone::Alert, "read-your-writes violation")
        );
        assert_eq!(
            lapse(Level::Eventual),
            badge(
                Tone::Stale,
                "missed its own write (not promised at eventual)"
            )
        );
    }

    #[test]
    fn a_strong_read_that_missed_a_write_says_its_quorum_was_too_small() {
        let stale = Lag::Stale {
            versions: 1,
            at_least: false,
            behind_us: 5_000,
            newer: fact("Alice", Some((1, 2))),
        };
        let course = Config::default();
        let node_2 = NodeId::numbered(2).unwrap();
        let strong = Verdict::of(&done(stale.clone(), None), node_2, "name", Level::Strong);
        let v = strong.clone().with_quorums(&course);
        assert!(
            v.why().unwrap().ends_with("A strong read asks only the node it is sent to: with R + W = 3 not more than N = 3, they can all have missed a write; raise R or W."),
            "{v:?}"
        );
        let overlapping = Config {
            r: 2,
            ..course.clone()
        };
        let v = strong.with_quorums(&overlapping);
        assert!(
            !v.why().unwrap().contains("raise R"),
            "R + W > N: nothing to add"
        );
        let eventual =
            Verdict::of(&done(stale, None), node_2, "name", Level::Eventual).with_quorums(&course);
        assert!(!eventual.why().unwrap().contains("strong read"));
    }

    #[test]
    fn console_values_show_without_their_json_quotes() {
        assert_eq!(value_name(Some(&Text::from("\"Alice\""))), "“Alice”");
        assert_eq!(value_name(Some(&Text::from("{\"a\":1}"))), "“{\"a\":1}”");
        assert_eq!(ms(400), "less than 1 ms");
    }

    fn fact(value: &str, version: Option<(u64, u64)>) -> WriteFact {
        WriteFact {
            client: 1,
            value: Some(Text::from(value)),
            invoked_us: 1_000_000,
            acked_us: version.map(|_| 1_120_000),
            version: version.map(|(term, index)| Version { term, index }),
        }
    }

    fn done(lag: Lag, context: Option<ReadContext>) -> Done {
        Done {
            invoked_us: 1_133_000,
            answered_us: 1_133_000,
            answer: Answer::Replied(Response::Read {
                value: None,
                version: Version::ZERO,
            }),
            judgement: Some(ReadJudgement {
                lag,
                read_your_writes: false,
                monotonic: false,
            }),
            context,
        }
    }

    #[test]
    fn a_stale_read_says_what_the_node_had_what_was_acknowledged_and_where_it_is() {
        let v = Verdict::of(
            &done(
                Lag::Stale {
                    versions: 1,
                    at_least: false,
                    behind_us: 13_000,
                    newer: fact("Alice", Some((1, 2))),
                },
                Some(ReadContext {
                    holders: vec![NodeId::at(0), NodeId::at(2)],
                    replicate_due_us: Some(1_170_000),
                    cut_off: false,
                }),
            ),
            NodeId::numbered(2).unwrap(),
            "name",
            Level::Eventual,
        );
        assert_eq!(
            v.why(),
            Some("node-2 had no copy of name; “Alice” (v1.2), held by node-1 and node-3, was acknowledged 13 ms before this read began; its replicate reaches node-2 in 37 ms.")
        );
        assert_eq!(v.badges()[0].text, "stale: 1 version / 13 ms behind");
        assert_eq!(v.tone(), Tone::Stale);
    }

    #[test]
    fn a_read_during_the_write_is_its_own_allowed_verdict() {
        let v = Verdict::of(
            &done(
                Lag::InFlight {
                    write: fact("Alice", None),
                },
                Some(ReadContext {
                    holders: vec![NodeId::at(0)],
                    replicate_due_us: None,
                    cut_off: true,
                }),
            ),
            NodeId::numbered(3).unwrap(),
            "name",
            Level::Eventual,
        );
        assert_eq!(v.tone(), Tone::Allowed);
        assert_eq!(v.badges()[0].text, "old value, allowed: write in flight");
        let why = v.why().unwrap();
        assert!(
            why.contains(
                "“Alice”, held by node-1, was still being written (sent 133 ms before this read"
            ),
            "{why}"
        );
        assert!(why.ends_with("node-3 is cut off from the leader."), "{why}");
    }

    #[test]
    fn far_behind_reads_count_newer_writes() {
        let v = Verdict::of(
            &done(
                Lag::Stale {
                    versions: 300,
                    at_least: true,
                    behind_us: 2_000_000,
                    newer: fact("x", Some((2, 9))),
                },
                None,
            ),
            NodeId::numbered(1).unwrap(),
            "k",
            Level::Eventual,
        );
        assert_eq!(
            v.badges()[0].text,
            "stale: over 300 versions / 2000 ms behind"
        );
        assert!(v
            .why()
            .unwrap()
            .contains("“x” (v2.9) and over 299 newer writes after it"));
    }
}
