//! What a learner's operation came to, as a badge. Reads are judged by the
//! engine's checker over the history window (freshness k and t, session
//! guarantees), never guessed from the value.

use quorum_sim::check::{judge, Freshness};
use quorum_sim::history::{HistoryOp, OpKind};
use quorum_sim::msg::{FailReason, Response};
use quorum_sim::world::Completion;
use std::collections::BTreeMap;

/// How an operation ended.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    Pending,
    /// A write or delete that W nodes acknowledged.
    Acknowledged,
    Read(ReadVerdict),
    /// The course's 503; the node it named (from 1).
    NotLeader {
        leader: Option<usize>,
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

/// The checker's judgement of one read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReadVerdict {
    /// Versions behind and for how long the first newer one was acknowledged.
    pub stale: Option<(usize, f64)>,
    pub read_your_writes: bool,
    pub monotonic: bool,
    /// No write explains the value (the window lost its write).
    pub unexplained: bool,
}

/// The badge style: calm, warning or alert.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Pending,
    Fresh,
    Stale,
    Alert,
}

impl Tone {
    pub fn class(self) -> &'static str {
        match self {
            Tone::Pending => "pending",
            Tone::Fresh => "fresh",
            Tone::Stale => "stale",
            Tone::Alert => "alert",
        }
    }
}

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

fn plural(n: usize, one: &str) -> String {
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
                if r.read_your_writes {
                    out.push(badge(Tone::Alert, "read-your-writes violation"));
                }
                if r.monotonic {
                    out.push(badge(Tone::Alert, "monotonic-reads violation"));
                }
                if r.unexplained {
                    out.push(badge(Tone::Alert, "no known write explains this value"));
                }
                match r.stale {
                    Some((k, t_ms)) => out.push(badge(
                        Tone::Stale,
                        format!("stale: {} / {t_ms:.0} ms behind", plural(k, "version")),
                    )),
                    None if out.is_empty() => out.push(badge(Tone::Fresh, "fresh")),
                    None => {}
                }
                out
            }
            Verdict::NotLeader { leader } => vec![badge(
                Tone::Stale,
                match leader {
                    Some(l) => format!("503 not the leader: node-{l} leads"),
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

    /// The verdict of a completed request; a read's freshness comes from
    /// [`judge_read`].
    pub fn of(completion: &Completion) -> Verdict {
        match completion {
            Completion::Dropped => Verdict::Refused,
            Completion::Replied(response) => match response {
                Response::Written {
                    achieved_quorum: true,
                    ..
                } => Verdict::Acknowledged,
                Response::Written { .. } => Verdict::QuorumNotAchieved,
                Response::Read { .. } => Verdict::Read(ReadVerdict::default()),
                Response::NotLeader { leader_hint } => Verdict::NotLeader {
                    leader: leader_hint.map(|l| l + 1),
                },
                Response::Failed(FailReason::NoQuorum) => Verdict::ReadQuorumNotAchieved,
                Response::Failed(FailReason::NotCaughtUp) => {
                    Verdict::Timeout("the node never caught up with this client")
                }
                Response::Failed(FailReason::LeadershipUnconfirmed) => {
                    Verdict::Timeout("the leader could not confirm it still leads")
                }
                Response::Failed(FailReason::Crashed) => Verdict::Refused,
            },
        }
    }
}

/// Judges `client`'s read of `key` invoked at `invoke_us`, against the
/// history window `ops` (oldest first). `None` when the read is not there.
pub fn judge_read(
    ops: impl Iterator<Item = HistoryOp>,
    client: u32,
    key: &str,
    invoke_us: u64,
) -> Option<ReadVerdict> {
    let mut ops: Vec<HistoryOp> = ops.filter(|op| op.key == key).collect();
    distinguish_repeated_values(&mut ops);
    let read = ops
        .iter()
        .position(|op| op.client == client && op.invoke_us == invoke_us && op.op == OpKind::Read)?;
    // Freshness and sessions only: linearizability is not asked, so one step.
    let report = judge(&ops).ok()?;
    let mut verdict = ReadVerdict {
        read_your_writes: report.ryw_violations.iter().any(|v| v.read == read),
        monotonic: report.monotonic_violations.iter().any(|v| v.read == read),
        ..ReadVerdict::default()
    };
    match report.reads.iter().find(|r| r.read == read)?.freshness {
        Freshness::Fresh => {}
        Freshness::Stale { k, t_us } => verdict.stale = Some((k, t_us as f64 / 1000.0)),
        Freshness::Impossible => verdict.unexplained = true,
    }
    Some(verdict)
}

/// A learner may write "Alice" twice; the checker needs each written value
/// unique to trace a read to its write. Each repeat gets its own name, and a
/// read of the value is credited to the latest such write invoked before
/// the read ended (the one it may have seen).
fn distinguish_repeated_values(ops: &mut [HistoryOp]) {
    let mut writes: BTreeMap<String, Vec<(u64, usize)>> = BTreeMap::new();
    for op in ops.iter().filter(|op| op.op == OpKind::Write) {
        if let Some(v) = &op.value {
            let list = writes.entry(v.clone()).or_default();
            list.push((op.invoke_us, list.len()));
        }
    }
    writes.retain(|_, list| list.len() > 1);
    if writes.is_empty() {
        return;
    }
    let name = |v: &str, i: usize| format!("{v}\u{1}{i}");
    for op in ops.iter_mut() {
        let Some(v) = op.value.clone() else { continue };
        let Some(list) = writes.get(&v) else { continue };
        let copy = match op.op {
            OpKind::Write => list.iter().find(|(at, _)| *at == op.invoke_us),
            _ => {
                let end = op.complete_us.unwrap_or(u64::MAX);
                list.iter()
                    .filter(|(at, _)| *at <= end)
                    .max_by_key(|(at, _)| *at)
            }
        };
        if let Some((_, i)) = copy {
            op.value = Some(name(&v, *i));
        }
    }
}
