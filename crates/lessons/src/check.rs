//! A step's check: a closed vocabulary of conditions over a run, read from
//! the engine (its history, its observer's counts, its settings at the
//! moment) and the checker's verdicts, never from what the page shows.
//! Each condition says, when it holds, what in the run made it hold, and,
//! when it does not, what is missing.

use quorum_analysis::seconds;
use quorum_sim::config::ReadRepair;
use quorum_sim::history::{HistoryOp, OpKind, Outcome};
use quorum_sim::kv::Level;
use quorum_sim::msg::{MsgKind, NodeId};
use quorum_sim::read_json::{self, Fields, Named, ReadJson};
use quorum_sim::trace::TraceKind;
use quorum_sim::world::{Lag, ReadJudgement, World};
use serde_json::{Error, Value};
use std::fmt;

/// One condition of a step's check, as a lesson file writes it:
/// `{"that": "stale-read", "client": 2, "within_ms": 100}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Condition {
    /// A completed read the checker judged stale; `within_ms`: begun at most
    /// that long after the newer write it missed was acknowledged.
    StaleRead {
        client: Option<u32>,
        node: Option<NodeId>,
        level: Option<String>,
        within_ms: Option<u64>,
    },
    /// A completed read the checker judged fresh that returned a written
    /// value; `latest`: the last such read answered, not any of them.
    FreshRead {
        client: Option<u32>,
        node: Option<NodeId>,
        level: Option<String>,
        latest: bool,
    },
    /// At least one such read, and none of them stale.
    NoStaleRead {
        client: Option<u32>,
        node: Option<NodeId>,
        level: Option<String>,
    },
    /// An operation that failed (a 503: not the leader, no quorum).
    Failed {
        client: Option<u32>,
        node: Option<NodeId>,
        op: Option<Op>,
    },
    /// An operation answered `ok`.
    Answered {
        client: Option<u32>,
        node: Option<NodeId>,
        op: Option<Op>,
    },
    /// The engine's observer counted an acknowledged write as lost.
    LostWrite,
    /// At least one acknowledged write, and none lost.
    NoLostWrite,
    /// A read that went back on a session guarantee.
    SessionBroken {
        guarantee: Guarantee,
        client: Option<u32>,
        level: Option<String>,
    },
    /// A read that returned an older value than another read, by anyone,
    /// had returned before it began: the pair linearizability forbids.
    NewThenOld {
        client: Option<u32>,
        level: Option<String>,
    },
    /// At least one read begun after another read returned a write not yet
    /// acknowledged when that read was sent, and no read that went back.
    NoNewThenOld {
        client: Option<u32>,
        level: Option<String>,
    },
    /// The settings at the moment of the check.
    Setting {
        n: Option<usize>,
        w: Option<usize>,
        r: Option<usize>,
        read_repair: Option<ReadRepair>,
    },
    /// A read repair delivered to a stale replica.
    Repaired,
    /// A node down at the moment of the check.
    Crashed { node: Option<NodeId> },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Read,
    Write,
}

impl Named for Op {
    const ALL: &'static [Op] = &[Op::Read, Op::Write];
    const NAMES: &'static [&'static str] = &["read", "write"];
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Guarantee {
    ReadYourWrites,
    MonotonicReads,
}

impl Named for Guarantee {
    const ALL: &'static [Guarantee] = &[Guarantee::ReadYourWrites, Guarantee::MonotonicReads];
    const NAMES: &'static [&'static str] = &["read-your-writes", "monotonic-reads"];
}

/// Every condition's name, as a lesson file writes it.
pub const CONDITIONS: &[&str] = &[
    "stale-read",
    "fresh-read",
    "no-stale-read",
    "failed",
    "answered",
    "lost-write",
    "no-lost-write",
    "session-broken",
    "new-then-old",
    "no-new-then-old",
    "setting",
    "repaired",
    "crashed",
];

/// Read by hand, as the engine's formats are (quorum_sim::read_json): a
/// derived reader for this enum cost the lesson worker several kB.
impl ReadJson for Condition {
    fn read_json(value: Value) -> Result<Condition, Error> {
        let (name, f) = Fields::tagged(value, "that")?;
        let reads = |f: Fields, extra: &'static [&'static str]| -> Result<_, Error> {
            let mut f = f.expect(extra);
            let which = (f.opt("client")?, f.opt("node")?, f.opt("level")?);
            Ok((which, f))
        };
        let ops = |f: Fields| -> Result<Condition, Error> {
            let mut f = f.expect(&["client", "node", "op"]);
            let (client, node, op) = (f.opt("client")?, f.opt("node")?, f.opt("op")?);
            let c = if name == "failed" {
                Condition::Failed { client, node, op }
            } else {
                Condition::Answered { client, node, op }
            };
            f.end(c)
        };
        let bare = |f: Fields, c: Condition| f.expect(&[]).end(c);
        match name.as_str() {
            "stale-read" => {
                let ((client, node, level), mut f) =
                    reads(f, &["client", "node", "level", "within_ms"])?;
                let within_ms = f.opt("within_ms")?;
                f.end(Condition::StaleRead {
                    client,
                    node,
                    level,
                    within_ms,
                })
            }
            "fresh-read" => {
                let ((client, node, level), mut f) =
                    reads(f, &["client", "node", "level", "latest"])?;
                let latest = f.or("latest", false)?;
                f.end(Condition::FreshRead {
                    client,
                    node,
                    level,
                    latest,
                })
            }
            "no-stale-read" => {
                let ((client, node, level), f) = reads(f, &["client", "node", "level"])?;
                f.end(Condition::NoStaleRead {
                    client,
                    node,
                    level,
                })
            }
            "failed" | "answered" => ops(f),
            "lost-write" => bare(f, Condition::LostWrite),
            "no-lost-write" => bare(f, Condition::NoLostWrite),
            "repaired" => bare(f, Condition::Repaired),
            "session-broken" => {
                let mut f = f.expect(&["guarantee", "client", "level"]);
                let (guarantee, client, level) =
                    (f.req("guarantee")?, f.opt("client")?, f.opt("level")?);
                f.end(Condition::SessionBroken {
                    guarantee,
                    client,
                    level,
                })
            }
            "new-then-old" | "no-new-then-old" => {
                let mut f = f.expect(&["client", "level"]);
                let (client, level) = (f.opt("client")?, f.opt("level")?);
                f.end(if name == "new-then-old" {
                    Condition::NewThenOld { client, level }
                } else {
                    Condition::NoNewThenOld { client, level }
                })
            }
            "setting" => {
                let mut f = f.expect(&["n", "w", "r", "read_repair"]);
                let c = Condition::Setting {
                    n: f.opt("n")?,
                    w: f.opt("w")?,
                    r: f.opt("r")?,
                    read_repair: f.opt("read_repair")?,
                };
                f.end(c)
            }
            "crashed" => {
                let mut f = f.expect(&["node"]);
                let node = f.opt("node")?;
                f.end(Condition::Crashed { node })
            }
            other => Err(read_json::unknown(other, CONDITIONS)),
        }
    }
}

/// A read repair mode as the settings and the lesson files name it.
fn repair_name(r: ReadRepair) -> &'static str {
    <ReadRepair as Named>::NAMES[r as usize]
}

/// Whether a condition held, and the sentence that says so.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub met: bool,
    pub says: String,
}

fn met(says: String) -> Finding {
    Finding { met: true, says }
}

fn missing(says: String) -> Finding {
    Finding { met: false, says }
}

/// The run a check reads: the engine's history (operations still in
/// flight last, without a completion), each answered read with its
/// observer's verdict (the one definition of stale the page's badges
/// and totals use, which a test holds equal to the checker's), and the
/// world at the moment. The checker itself is not in the lesson worker:
/// its code would push the download past its budget.
pub struct Run<'a> {
    pub ops: &'a [(HistoryOp, Option<ReadJudgement>)],
    pub world: &'a World,
}

/// Which operations a condition is about.
struct Which<'a> {
    client: Option<u32>,
    node: Option<NodeId>,
    level: Option<&'a str>,
    op: Option<Op>,
}

impl Which<'_> {
    fn fits(&self, op: &HistoryOp) -> bool {
        let kind = match op.op {
            OpKind::Read => Op::Read,
            OpKind::Write | OpKind::Delete => Op::Write,
        };
        self.client.is_none_or(|c| c == op.client)
            && self.node.is_none_or(|n| n == op.node)
            && self.level.is_none_or(|l| l == op.level && kind == Op::Read)
            && self.op.is_none_or(|o| o == kind)
    }

    /// "a read by client 2 at node-2", for a sentence of what is missing.
    fn words(&self, what: &str) -> String {
        let mut s = match self.level {
            Some(level) => format!("{level} {what}"),
            None => what.to_string(),
        };
        if let Some(c) = self.client {
            s += &format!(" by client {c}");
        }
        if let Some(n) = self.node {
            s += &format!(" at {n}");
        }
        s
    }
}

fn reads<'a>(client: Option<u32>, node: Option<NodeId>, level: &'a Option<String>) -> Which<'a> {
    Which {
        client,
        node,
        level: level.as_deref(),
        op: Some(Op::Read),
    }
}

/// "client 2's eventual read of name at node-2, sent at 1.020 s"
fn describe(op: &HistoryOp) -> String {
    let what = match op.op {
        OpKind::Read => format!("{} read", op.level),
        OpKind::Write => "write".into(),
        OpKind::Delete => "delete".into(),
    };
    format!(
        "client {}'s {what} of “{}” at {}, sent at {}",
        op.client,
        op.key,
        op.node,
        seconds(op.invoke_us)
    )
}

fn returned(op: &HistoryOp) -> String {
    match &op.value {
        Some(v) => format!("returned “{v}”"),
        None => "found the key absent".into(),
    }
}

/// What a condition may not say even when it parses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConditionError {
    NotALevel(String),
    /// A stale read "within 0 ms" of its write cannot happen.
    WithinZero,
}

impl fmt::Display for ConditionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConditionError::NotALevel(l) => write!(
                f,
                "{l:?} is not a level (eventual, read_your_writes, monotonic_reads, causal, strong, linearizable)"
            ),
            ConditionError::WithinZero => f.write_str("within_ms is at least 1"),
        }
    }
}

impl Condition {
    /// What a file may not say even when it parses.
    pub fn validate(&self) -> Result<(), ConditionError> {
        let level = match self {
            Condition::StaleRead { level, .. }
            | Condition::FreshRead { level, .. }
            | Condition::NoStaleRead { level, .. }
            | Condition::SessionBroken { level, .. }
            | Condition::NewThenOld { level, .. }
            | Condition::NoNewThenOld { level, .. } => level.as_deref(),
            _ => None,
        };
        if let Some(l) = level {
            if Level::parse(l).is_none() {
                return Err(ConditionError::NotALevel(l.to_string()));
            }
        }
        if let Condition::StaleRead {
            within_ms: Some(0), ..
        } = self
        {
            return Err(ConditionError::WithinZero);
        }
        Ok(())
    }

    pub fn evaluate(&self, run: &Run) -> Finding {
        let ops = || run.ops.iter().map(|(op, _)| op);
        let verdicts = || run.ops.iter().filter_map(|(op, j)| Some((op, j.as_ref()?)));
        match self {
            Condition::StaleRead {
                client,
                node,
                level,
                within_ms,
            } => {
                let which = reads(*client, *node, level);
                let limit = within_ms.map_or(u64::MAX, |ms| ms * 1000);
                let found = verdicts().find_map(|(op, v)| match v.lag {
                    Lag::Stale {
                        versions,
                        behind_us,
                        ..
                    } if which.fits(op) && behind_us <= limit => Some((op, versions, behind_us)),
                    _ => None,
                });
                match found {
                    Some((op, k, t_us)) => met(format!(
                        "The checker judged {} stale: it began {} ms after a newer write was acknowledged, and {} ({k} version{} behind).",
                        describe(op),
                        t_us / 1000,
                        returned(op),
                        if k == 1 { "" } else { "s" }
                    )),
                    None => missing(match within_ms {
                        Some(ms) => format!(
                            "No {} was stale within {ms} ms of an acknowledged write yet.",
                            which.words("read")
                        ),
                        None => format!("No {} was judged stale yet.", which.words("read")),
                    }),
                }
            }
            Condition::FreshRead {
                client,
                node,
                level,
                latest,
            } => {
                let which = reads(*client, *node, level);
                let fresh =
                    |op: &HistoryOp, v: &ReadJudgement| v.lag == Lag::Fresh && op.value.is_some();
                let mut judged = verdicts().filter(|(op, _)| which.fits(op));
                let found = if *latest {
                    judged
                        .max_by_key(|(op, _)| op.complete_us)
                        .filter(|(op, v)| fresh(op, v))
                } else {
                    judged.find(|(op, v)| fresh(op, v))
                };
                match found {
                    Some((op, _)) => met(format!(
                        "{} {}, the newest value acknowledged before it began: fresh.",
                        capital(&describe(op)),
                        returned(op)
                    )),
                    None if *latest => missing(format!(
                        "The last {} has not returned the newest acknowledged value.",
                        which.words("read")
                    )),
                    None => missing(format!(
                        "No {} has returned the newest acknowledged value yet.",
                        which.words("read")
                    )),
                }
            }
            Condition::NoStaleRead {
                client,
                node,
                level,
            } => {
                let which = reads(*client, *node, level);
                let judged: Vec<_> = verdicts().filter(|(op, _)| which.fits(op)).collect();
                let stale = judged.iter().find(|(_, v)| v.is_stale());
                match (judged.len(), stale) {
                    (0, _) => missing(format!("No {} has been answered yet.", which.words("read"))),
                    (_, Some((op, _))) => missing(format!(
                        "{} {}: stale.",
                        capital(&describe(op)),
                        returned(op)
                    )),
                    (count, None) => met(format!(
                        "{count} {} judged, none stale.",
                        which.words(if count == 1 { "read" } else { "reads" })
                    )),
                }
            }
            Condition::Failed { client, node, op } | Condition::Answered { client, node, op } => {
                let failed = matches!(self, Condition::Failed { .. });
                let which = Which {
                    client: *client,
                    node: *node,
                    level: None,
                    op: *op,
                };
                let outcome = if failed { Outcome::Fail } else { Outcome::Ok };
                let what = match op {
                    Some(Op::Read) => "read",
                    Some(Op::Write) => "write",
                    None => "operation",
                };
                match ops().find(|o| which.fits(o) && o.outcome == outcome) {
                    Some(o) if failed => met(format!(
                        "{} was refused: the node could not serve it.",
                        capital(&describe(o))
                    )),
                    Some(o) => met(format!("{} was answered.", capital(&describe(o)))),
                    None if failed => {
                        missing(format!("No {} has been refused yet.", which.words(what)))
                    }
                    None => missing(format!("No {} has been answered yet.", which.words(what))),
                }
            }
            Condition::LostWrite | Condition::NoLostWrite => {
                let stats = run.world.stats();
                let (lost, acked) = (stats.lost_acked_writes, stats.acked_writes);
                match (self, lost, acked) {
                    (Condition::LostWrite, 0, _) => {
                        missing("No acknowledged write has been lost yet.".into())
                    }
                    (Condition::LostWrite, _, _) => met(format!(
                        "{lost} of {acked} acknowledged write{} {} lost: the log that won replaced {}.",
                        plural(acked),
                        if lost == 1 { "was" } else { "were" },
                        if lost == 1 { "it" } else { "them" }
                    )),
                    (_, 0, 0) => missing("No write has been acknowledged yet.".into()),
                    (_, 0, _) => met(format!(
                        "{acked} acknowledged write{}, none lost.",
                        plural(acked)
                    )),
                    (_, _, _) => missing(format!(
                        "{lost} of {acked} acknowledged write{} lost.",
                        plural(acked)
                    )),
                }
            }
            Condition::SessionBroken {
                guarantee,
                client,
                level,
            } => {
                let (broke, name): (fn(&ReadJudgement) -> bool, _) = match guarantee {
                    Guarantee::ReadYourWrites => (|j| j.read_your_writes, "read your writes"),
                    Guarantee::MonotonicReads => (|j| j.monotonic, "monotonic reads"),
                };
                let which = reads(*client, None, level);
                match verdicts().find(|(op, j)| broke(j) && which.fits(op)) {
                    Some((op, _)) => met(format!(
                        "{} {}, older than what its client had {} before: “{name}” was broken.",
                        capital(&describe(op)),
                        returned(op),
                        if *guarantee == Guarantee::ReadYourWrites {
                            "written"
                        } else {
                            "read"
                        }
                    )),
                    None => missing(format!(
                        "No {} has broken “{name}” yet.",
                        which.words("read")
                    )),
                }
            }
            Condition::NewThenOld { client, level } | Condition::NoNewThenOld { client, level } => {
                let which = reads(*client, None, level);
                let pairs = ReadPairs::of(run.ops);
                let back = pairs.went_back(&which);
                match (self, back) {
                    (_, Some((a, b))) => {
                        let says = format!(
                            "{} {}; {}, sent after that read had returned, {}: older, so time ran backwards across the two reads.",
                            capital(&describe(a)),
                            returned(a),
                            describe(b),
                            returned(b)
                        );
                        if matches!(self, Condition::NewThenOld { .. }) {
                            met(says)
                        } else {
                            missing(says)
                        }
                    }
                    (Condition::NewThenOld { .. }, None) => missing(format!(
                        "No {} has returned an older value than a read that had returned before it began yet.",
                        which.words("read")
                    )),
                    (_, None) => match pairs.after_a_read_ahead(&which) {
                        0 => missing(format!(
                            "No {} has begun after an earlier read returned a write not yet acknowledged when that read was sent.",
                            which.words("read")
                        )),
                        count => met(format!(
                            "{count} {} began after an earlier read returned a write not yet acknowledged when that read was sent, and none returned an older value.",
                            which.words(if count == 1 { "read" } else { "reads" })
                        )),
                    },
                }
            }
            Condition::Setting {
                n,
                w,
                r,
                read_repair,
            } => {
                let c = run.world.config();
                let now = format!(
                    "N = {}, W = {}, R = {}, read repair {}",
                    c.n,
                    c.w,
                    c.r,
                    repair_name(c.read_repair)
                );
                let wanted = [
                    n.map(|v| (v == c.n, format!("N = {v}"))),
                    w.map(|v| (v == c.w, format!("W = {v}"))),
                    r.map(|v| (v == c.r, format!("R = {v}"))),
                    read_repair.map(|v| {
                        (
                            v == c.read_repair,
                            format!("read repair {}", repair_name(v)),
                        )
                    }),
                ];
                let unmet: Vec<String> = wanted
                    .into_iter()
                    .flatten()
                    .filter(|(ok, _)| !ok)
                    .map(|(_, what)| what)
                    .collect();
                if unmet.is_empty() {
                    met(format!("The cluster runs with {now}."))
                } else {
                    missing(format!(
                        "The cluster runs with {now}; the step asks for {}.",
                        unmet.join(", ")
                    ))
                }
            }
            Condition::Repaired => {
                let repairs = run
                    .world
                    .trace()
                    .filter(|e| {
                        matches!(
                            e.kind,
                            TraceKind::Deliver {
                                kind: MsgKind::Repair,
                                ..
                            }
                        )
                    })
                    .count();
                if repairs == 0 {
                    missing("No read repair has reached a stale replica yet.".into())
                } else {
                    met(format!(
                        "{repairs} read repair{} reached a replica that was behind.",
                        plural(repairs as u64)
                    ))
                }
            }
            Condition::Crashed { node } => {
                let n = run.world.config().n;
                let mut down = NodeId::all(n).filter(|&i| !run.world.is_alive(i));
                match down.find(|&d| node.is_none_or(|n| n == d)) {
                    Some(d) => met(format!("{d} is down.")),
                    None => missing(match node {
                        Some(n) => format!("{n} is still up."),
                        None => "Every node is still up.".into(),
                    }),
                }
            }
        }
    }
}

/// The answered reads of a run, each with the span of the write its value
/// came from, for comparing reads with the reads that finished before they
/// began. A value's write is the latest write of it to the key invoked
/// before the read was answered and not known failed; the key's first
/// absence came before everything.
struct ReadPairs<'a> {
    reads: Vec<(&'a HistoryOp, Span)>,
}

/// When a write was invoked and acknowledged (`u64::MAX` while in flight).
#[derive(Clone, Copy)]
struct Span {
    invoke: u64,
    acked: u64,
}

impl<'a> ReadPairs<'a> {
    fn of(ops: &'a [(HistoryOp, Option<ReadJudgement>)]) -> ReadPairs<'a> {
        let writes: Vec<&HistoryOp> = ops
            .iter()
            .map(|(op, _)| op)
            .filter(|op| op.op != OpKind::Read && op.outcome != Outcome::Fail)
            .collect();
        let reads = ops
            .iter()
            .map(|(op, _)| op)
            .filter(|op| op.op == OpKind::Read && op.outcome == Outcome::Ok)
            .filter_map(|read| {
                let done = read.complete_us?;
                let source = writes
                    .iter()
                    .filter(|w| w.key == read.key && w.value == read.value && w.invoke_us < done)
                    .max_by_key(|w| w.invoke_us);
                let span = match source {
                    Some(w) => Span {
                        invoke: w.invoke_us,
                        acked: w.complete_us.unwrap_or(u64::MAX),
                    },
                    None if read.value.is_none() => Span {
                        invoke: 0,
                        acked: 0,
                    },
                    None => return None,
                };
                Some((read, span))
            })
            .collect();
        ReadPairs { reads }
    }

    /// Earlier reads of the same key answered before `b` began.
    fn before(&self, b: &'a HistoryOp) -> impl Iterator<Item = &(&'a HistoryOp, Span)> + '_ {
        self.reads.iter().filter(move |(a, _)| {
            a.key == b.key && a.complete_us.is_some_and(|done| done < b.invoke_us)
        })
    }

    /// The first pair in which a read `which` describes returned a value
    /// whose write was acknowledged before the earlier read's was invoked.
    fn went_back(&self, which: &Which) -> Option<(&'a HistoryOp, &'a HistoryOp)> {
        self.reads
            .iter()
            .filter(|(b, _)| which.fits(b))
            .find_map(|&(b, old)| {
                self.before(b)
                    .find(|(_, new)| old.acked < new.invoke)
                    .map(|&(a, _)| (a, b))
            })
    }

    /// How many reads `which` describes began after another read had
    /// returned a write that was still in flight when that read began.
    fn after_a_read_ahead(&self, which: &Which) -> usize {
        self.reads
            .iter()
            .filter(|(b, _)| which.fits(b))
            .filter(|&&(b, _)| self.before(b).any(|(a, w)| w.acked > a.invoke_us))
            .count()
    }
}

fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|first| first.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
