//! Judging histories: per-read freshness, session guarantees, lost writes and
//! linearizability.
//!
//! Operations are named by their index in the history slice; the command
//! line maps them back to file lines ([`ParsedHistory::lines`]).

mod freshness;
mod linearizability;
mod lost;
mod observed;
mod parse;
mod session;
mod word_hash;

pub use freshness::{Freshness, ReadVerdict};
pub use lost::LostWrite;
pub use parse::{parse_history, ParsedHistory};
pub use session::SessionViolation;

use crate::history::{HistoryOp, OpKind, Outcome, MAX_LINE_BYTES};
use crate::scenario::limits::TooLong;
use linearizability::{check_key, KeyOps, KeyVerdict};
use observed::Keyed;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::fmt;

/// What validating a history finds on its way, and the verdicts need:
/// keys numbered in order of first appearance, and each written value's
/// write by (key number, value).
struct Names<'a> {
    keys: Vec<&'a str>,
    key_of: Vec<u32>,
    writer_of: HashMap<(u32, &'a str), usize, word_hash::WordHash>,
}

/// Search steps allowed across all keys before linearizability is
/// "unknown": a few hundred milliseconds of work even in a browser tab.
pub const DEFAULT_STEP_LIMIT: u64 = 2_000_000;

/// A history that breaks the format's rules, at the 1-based line the
/// operation has in its JSON Lines file (for an in-memory history, the line
/// it would have: its index + 1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryError {
    pub line: usize,
    pub problem: HistoryProblem,
}

/// What is wrong at that line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HistoryProblem {
    /// The file reaches past this many bytes.
    FileBytes(usize),
    LineBytes(usize),
    /// The file holds more than this many operations.
    Operations(usize),
    /// Not a record, in serde's words, at this column.
    Syntax {
        why: String,
        column: usize,
    },
    Length(TooLong),
    CompleteBeforeInvoke {
        complete_us: u64,
        invoke_us: u64,
    },
    OkWithoutComplete,
    WriteWithoutValue,
    DeleteWithValue,
    /// A value written to a key twice: reads could not name their write.
    WrittenTwice {
        value: String,
        key: String,
        first_line: usize,
    },
}

impl fmt::Display for HistoryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: ", self.line)?;
        match &self.problem {
            HistoryProblem::FileBytes(max) => write!(
                f,
                "the history is longer than the {max} bytes a history may have"
            ),
            HistoryProblem::LineBytes(len) => write!(
                f,
                "the line is {len} bytes long, more than the {MAX_LINE_BYTES} bytes a line may have"
            ),
            HistoryProblem::Operations(max) => write!(
                f,
                "the history has more than the {max} operations a history may have"
            ),
            HistoryProblem::Syntax { why, column } => write!(f, "{why} (column {column})"),
            HistoryProblem::Length(e) => e.fmt(f),
            HistoryProblem::CompleteBeforeInvoke {
                complete_us,
                invoke_us,
            } => write!(f, "complete_us {complete_us} is before invoke_us {invoke_us}"),
            HistoryProblem::OkWithoutComplete => f.write_str("outcome \"ok\" needs a complete_us"),
            HistoryProblem::WriteWithoutValue => {
                f.write_str("a write needs a value (a delete writes absent)")
            }
            HistoryProblem::DeleteWithValue => f.write_str("a delete has a null value"),
            HistoryProblem::WrittenTwice {
                value,
                key,
                first_line,
            } => write!(
                f,
                "value {value:?} is written to key {key:?} a second time (first on line {first_line}); \
                 values must be unique per key so reads can be traced to writes"
            ),
        }
    }
}

impl std::error::Error for HistoryError {}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Linearizability {
    /// Every key is; its linearization order, by history index.
    Linearizable {
        witness: BTreeMap<String, Vec<usize>>,
    },
    /// `key` is not; `window` is a smallest set of its operations that
    /// cannot be linearized, with the writes its reads returned.
    NotLinearizable { key: String, window: Vec<usize> },
    /// The search for `key` ran out of steps and no key was found wanting.
    Unknown { key: String },
}

/// Everything the checker says about one history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Report {
    pub linearizable: Linearizability,
    /// One verdict per completed `ok` read, in history order.
    pub reads: Vec<ReadVerdict>,
    pub ryw_violations: Vec<SessionViolation>,
    pub monotonic_violations: Vec<SessionViolation>,
    pub lost_acked_writes: Vec<LostWrite>,
}

impl Report {
    pub fn stale_reads(&self) -> usize {
        self.reads
            .iter()
            .filter(|r| matches!(r.freshness, Freshness::Stale { .. }))
            .count()
    }
}

/// Checks a history with [`DEFAULT_STEP_LIMIT`].
pub fn check(ops: &[HistoryOp]) -> Result<Report, HistoryError> {
    check_with_limit(ops, DEFAULT_STEP_LIMIT)
}

/// The verdicts that need no search: each read's freshness and the session
/// guarantees. Cheap enough for a browser to run every few frames, and it
/// leaves the linearizability search out of a build that does not call it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Judgement {
    pub reads: Vec<ReadVerdict>,
    pub ryw_violations: Vec<SessionViolation>,
    pub monotonic_violations: Vec<SessionViolation>,
}

pub fn judge(ops: &[HistoryOp]) -> Result<Judgement, HistoryError> {
    let keyed = Keyed::new(ops, validate(ops, &|i| i + 1)?);
    let (ryw_violations, monotonic_violations) = session::judge_sessions(&keyed);
    Ok(Judgement {
        reads: freshness::judge_reads(&keyed),
        ryw_violations,
        monotonic_violations,
    })
}

/// Checks a history, giving the linearizability search `step_limit` steps.
pub fn check_with_limit(ops: &[HistoryOp], step_limit: u64) -> Result<Report, HistoryError> {
    check_in_stages(ops, step_limit, &mut |_| {})
}

/// The parts of a check, in the order [`check_in_stages`] runs them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// The format's rules.
    Validate,
    /// Operations grouped by key, writers by value.
    Index,
    Freshness,
    Sessions,
    LostWrites,
    Linearizability,
}

impl Stage {
    pub fn name(self) -> &'static str {
        match self {
            Stage::Validate => "validate",
            Stage::Index => "index",
            Stage::Freshness => "freshness",
            Stage::Sessions => "sessions",
            Stage::LostWrites => "lost_writes",
            Stage::Linearizability => "linearizability",
        }
    }
}

/// [`check_with_limit`], calling `finished` as each stage ends: a caller
/// with a clock can time them (the engine has none, to run in a browser).
pub fn check_in_stages(
    ops: &[HistoryOp],
    step_limit: u64,
    finished: &mut dyn FnMut(Stage),
) -> Result<Report, HistoryError> {
    let names = validate(ops, &|i| i + 1)?;
    finished(Stage::Validate);
    let keyed = Keyed::new(ops, names);
    finished(Stage::Index);
    let reads = freshness::judge_reads(&keyed);
    finished(Stage::Freshness);
    let (ryw_violations, monotonic_violations) = session::judge_sessions(&keyed);
    finished(Stage::Sessions);
    let lost_acked_writes = lost::find_lost_writes(&keyed);
    finished(Stage::LostWrites);
    let linearizable = linearizability(&keyed, step_limit);
    finished(Stage::Linearizability);
    Ok(Report {
        linearizable,
        reads,
        ryw_violations,
        monotonic_violations,
        lost_acked_writes,
    })
}

fn linearizability(keyed: &Keyed, step_limit: u64) -> Linearizability {
    let mut budget = step_limit;
    let mut witness = BTreeMap::new();
    let mut unknown = None;
    for (key, indices) in &keyed.by_key {
        match check_key(&KeyOps::new(keyed, indices), &mut budget) {
            KeyVerdict::Linearizable(order) => {
                witness.insert(key.to_string(), order);
            }
            KeyVerdict::NotLinearizable(window) => {
                return Linearizability::NotLinearizable {
                    key: key.to_string(),
                    window,
                };
            }
            KeyVerdict::Unknown => {
                unknown.get_or_insert(key.to_string());
                // Other keys may still be proved wrong with a fresh budget.
                budget = step_limit;
            }
        }
    }
    match unknown {
        Some(key) => Linearizability::Unknown { key },
        None => Linearizability::Linearizable { witness },
    }
}

/// The rules of the history format that the verdicts rely on; `line_of`
/// maps an operation's index to its line. Finding each value's one writer is
/// part of it.
fn validate<'a>(
    ops: &'a [HistoryOp],
    line_of: &dyn Fn(usize) -> usize,
) -> Result<Names<'a>, HistoryError> {
    let mut key_ids: HashMap<&str, u32, word_hash::WordHash> = HashMap::default();
    let mut names = Names {
        keys: Vec::new(),
        key_of: Vec::with_capacity(ops.len()),
        writer_of: HashMap::with_capacity_and_hasher(ops.len() / 2, Default::default()),
    };
    for (i, op) in ops.iter().enumerate() {
        let key = *key_ids.entry(op.key.as_str()).or_insert_with(|| {
            names.keys.push(op.key.as_str());
            names.keys.len() as u32 - 1
        });
        names.key_of.push(key);
        let fail = |problem| {
            Err(HistoryError {
                line: line_of(i),
                problem,
            })
        };
        if let Some(end) = op.complete_us {
            if end < op.invoke_us {
                return fail(HistoryProblem::CompleteBeforeInvoke {
                    complete_us: end,
                    invoke_us: op.invoke_us,
                });
            }
        } else if op.outcome == Outcome::Ok {
            return fail(HistoryProblem::OkWithoutComplete);
        }
        match (op.op, &op.value) {
            (OpKind::Write, None) => return fail(HistoryProblem::WriteWithoutValue),
            (OpKind::Delete, Some(_)) => return fail(HistoryProblem::DeleteWithValue),
            (OpKind::Write, Some(v)) => {
                if let Some(first) = names.writer_of.insert((key, v.as_str()), i) {
                    return fail(HistoryProblem::WrittenTwice {
                        value: v.clone(),
                        key: op.key.clone(),
                        first_line: line_of(first),
                    });
                }
            }
            _ => {}
        }
    }
    Ok(names)
}
