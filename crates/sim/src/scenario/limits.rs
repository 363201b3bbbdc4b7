//! How much a scenario from outside (a file, a shared link) may ask for. A
//! scenario that is valid but huge is refused, with the limit named, before
//! it is run or even fully decoded: a tab or a process must not freeze on a
//! link someone sent. README.md ("Formats") lists the same numbers.

use super::{Action, Scenario, ScenarioError};
use crate::config::MAX_NODES;
use crate::kv::Level;
use crate::workload::Workload;
use std::fmt;

/// A scenario's JSON text. Presets are a few kB and a link holds at most
/// 60,000 characters; a hand-written file has room to spare.
pub const MAX_SCENARIO_BYTES: usize = 2 * 1024 * 1024;
/// Timed actions; the page records at most 500.
pub const MAX_ACTIONS: usize = 10_000;
/// A key. The store's API (the page's console, the real nodes) refuses
/// longer ones too, so that every run a learner records can be replayed.
pub const MAX_KEY_BYTES: usize = 256;
/// A value, as the store keeps it (compact JSON from the console).
pub const MAX_VALUE_BYTES: usize = 16 * 1024;
/// Nodes one partition group or one side of a cut lists, and groups one
/// partition lists: a cluster has at most this many nodes.
pub const MAX_NODE_LIST: usize = MAX_NODES;
/// Levels a workload weighs: each level once.
pub const MAX_LEVEL_WEIGHTS: usize = Level::ALL.len();
/// Trace events and history records kept in memory (`trace_window`,
/// `history_window`); the defaults keep 2,000.
pub const MAX_WINDOW: usize = 100_000;
/// Operations the workloads of one scenario may issue in all: a counted
/// workload's `ops`, an uncounted one's rate times the time it runs until
/// the scenario ends. A million take the engine a few seconds.
pub const MAX_WORKLOAD_OPS: f64 = 1_000_000.0;

/// Which limit a scenario is over, and by how much.
#[derive(Clone, Debug, PartialEq)]
pub enum LimitError {
    TextBytes(usize),
    Actions(usize),
    /// `trace_window` or `history_window`.
    Window {
        name: &'static str,
        window: usize,
    },
    Length(TooLong),
    /// A partition, one of its groups, or one side of a cut.
    NodeList {
        what: &'static str,
        len: usize,
    },
    LevelWeights(usize),
    WorkloadOps(f64),
    /// In the scenario's own workload.
    InWorkload(Box<LimitError>),
    InAction {
        index: usize,
        error: Box<LimitError>,
    },
}

impl fmt::Display for LimitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LimitError::TextBytes(len) => write!(
                f,
                "the scenario is {len} bytes, more than the {MAX_SCENARIO_BYTES} bytes a scenario may have"
            ),
            LimitError::Actions(count) => write!(
                f,
                "the scenario has {count} actions, more than the {MAX_ACTIONS} a scenario may have"
            ),
            LimitError::Window { name, window } => write!(
                f,
                "config: {name} is {window}, more than the {MAX_WINDOW} a scenario may keep"
            ),
            LimitError::Length(e) => e.fmt(f),
            LimitError::NodeList { what, len } => write!(
                f,
                "{what} lists {len} entries, more than the {MAX_NODE_LIST} a cluster has nodes"
            ),
            LimitError::LevelWeights(len) => write!(
                f,
                "levels lists {len} weights, more than the {MAX_LEVEL_WEIGHTS} levels there are"
            ),
            LimitError::WorkloadOps(total) => write!(
                f,
                "the workloads would issue about {total:.0} operations, more than the {MAX_WORKLOAD_OPS} a scenario may run"
            ),
            LimitError::InWorkload(e) => write!(f, "workload: {e}"),
            LimitError::InAction { index, error } => write!(f, "action {index}: {error}"),
        }
    }
}

/// A text (a key, a value) longer than it may be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TooLong {
    pub what: &'static str,
    pub len: usize,
    pub max: usize,
}

impl fmt::Display for TooLong {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let TooLong { what, len, max } = self;
        write!(
            f,
            "the {what} is {len} bytes long, more than the {max} bytes a {what} may have"
        )
    }
}

fn fail<T>(limit: LimitError) -> Result<T, ScenarioError> {
    Err(ScenarioError::Limit(limit))
}

/// The text's size, checked before it is parsed.
pub(super) fn check_text(text: &str) -> Result<(), ScenarioError> {
    if text.len() > MAX_SCENARIO_BYTES {
        return fail(LimitError::TextBytes(text.len()));
    }
    Ok(())
}

/// The number of actions, checked before any is decoded.
pub(super) fn check_action_count(count: usize) -> Result<(), ScenarioError> {
    if count > MAX_ACTIONS {
        return fail(LimitError::Actions(count));
    }
    Ok(())
}

/// `what` (a key, a value) holds at most `max` bytes.
pub fn check_length(what: &'static str, text: &str, max: usize) -> Result<(), TooLong> {
    if text.len() > max {
        return Err(TooLong {
            what,
            len: text.len(),
            max,
        });
    }
    Ok(())
}

/// Every size limit but the workloads' operations, which need valid times.
pub(super) fn check_sizes(s: &Scenario) -> Result<(), ScenarioError> {
    check_action_count(s.actions.len())?;
    for (name, window) in [
        ("trace_window", s.config.trace_window),
        ("history_window", s.config.history_window),
    ] {
        if window > MAX_WINDOW {
            return fail(LimitError::Window { name, window });
        }
    }
    if let Some(w) = &s.workload {
        check_levels(w).or_else(|e| fail(LimitError::InWorkload(Box::new(e))))?;
    }
    for (i, (_, action)) in s.actions.iter().enumerate() {
        check_action(action).or_else(|e| {
            fail(LimitError::InAction {
                index: i,
                error: Box::new(e),
            })
        })?;
    }
    Ok(())
}

fn check_action(action: &Action) -> Result<(), LimitError> {
    let list = |what: &'static str, len: usize| {
        if len > MAX_NODE_LIST {
            return Err(LimitError::NodeList { what, len });
        }
        Ok(())
    };
    let length = |what, text: &str, max| check_length(what, text, max).map_err(LimitError::Length);
    match action {
        Action::Read { key, .. } | Action::Delete { key, .. } => length("key", key, MAX_KEY_BYTES),
        Action::Write { key, value, .. } => {
            length("key", key, MAX_KEY_BYTES)?;
            length("value", value, MAX_VALUE_BYTES)
        }
        Action::Partition { groups } => {
            list("the partition", groups.len())?;
            groups
                .iter()
                .try_for_each(|g| list("a partition group", g.len()))
        }
        Action::Cut { from, to } => {
            list("the cut's from", from.len())?;
            list("the cut's to", to.len())
        }
        Action::StartWorkload(w) => {
            check_levels(w).map_err(|e| LimitError::InWorkload(Box::new(e)))
        }
        Action::Crash { .. }
        | Action::Restart { .. }
        | Action::Heal
        | Action::Set(_)
        | Action::StopWorkload => Ok(()),
    }
}

fn check_levels(w: &Workload) -> Result<(), LimitError> {
    if w.levels.len() > MAX_LEVEL_WEIGHTS {
        return Err(LimitError::LevelWeights(w.levels.len()));
    }
    Ok(())
}

/// The operations the scenario's workloads would issue, against
/// [`MAX_WORKLOAD_OPS`]. Counts a workload that a later one replaces as if
/// it ran to the end: an upper bound is what a limit needs.
pub(super) fn check_workload_ops(s: &Scenario) -> Result<(), ScenarioError> {
    let end_s = s.end_us() as f64 / 1e6;
    let ops = |w: &Workload, from_s: f64| match w.ops {
        0 => w.ops_per_sec * (end_s - from_s).max(0.0),
        counted => counted as f64,
    };
    let started = s.actions.iter().filter_map(|(at_ms, action)| match action {
        Action::StartWorkload(w) => Some(ops(w, at_ms / 1000.0)),
        _ => None,
    });
    let total: f64 = s.workload.iter().map(|w| ops(w, 0.0)).chain(started).sum();
    if total > MAX_WORKLOAD_OPS {
        return fail(LimitError::WorkloadOps(total));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_actions(actions: &[String]) -> String {
        format!(
            r#"{{"version":1,"seed":1,"actions":[{}]}}"#,
            actions.join(",")
        )
    }

    fn refused(text: &str) -> LimitError {
        match Scenario::from_json(text).expect_err("over a limit") {
            ScenarioError::Limit(why) => why,
            other => panic!("not a limit: {other:?}"),
        }
    }

    fn in_action(index: usize, error: LimitError) -> LimitError {
        LimitError::InAction {
            index,
            error: Box::new(error),
        }
    }

    #[test]
    fn a_million_actions_are_refused_by_size_and_ten_thousand_and_one_by_count() {
        let heal = r#"[0,{"do":"heal"}]"#.to_string();
        let million = with_actions(&vec![heal.clone(); 1_000_000]);
        assert_eq!(refused(&million), LimitError::TextBytes(million.len()));
        let e = refused(&with_actions(&vec![heal.clone(); MAX_ACTIONS + 1]));
        assert_eq!(e, LimitError::Actions(MAX_ACTIONS + 1));
        assert_eq!(
            e.to_string(),
            "the scenario has 10001 actions, more than the 10000 a scenario may have"
        );
        assert!(Scenario::from_json(&with_actions(&vec![heal; MAX_ACTIONS])).is_ok());
    }

    #[test]
    fn long_keys_and_values_are_refused_naming_their_limit() {
        let write = |key: &str, value: &str| {
            with_actions(&[format!(
                r#"[0,{{"do":"write","client":1,"node":1,"key":"{key}","value":"{value}"}}]"#
            )])
        };
        let huge = write("k", &"v".repeat(10 * 1024 * 1024));
        assert_eq!(refused(&huge), LimitError::TextBytes(huge.len()));
        let too_long =
            |what, len, max| in_action(0, LimitError::Length(TooLong { what, len, max }));
        let e = refused(&write("k", &"v".repeat(MAX_VALUE_BYTES + 1)));
        assert_eq!(e, too_long("value", MAX_VALUE_BYTES + 1, MAX_VALUE_BYTES));
        assert_eq!(
            e.to_string(),
            "action 0: the value is 16385 bytes long, more than the 16384 bytes a value may have"
        );
        assert_eq!(
            refused(&write(&"k".repeat(MAX_KEY_BYTES + 1), "v")),
            too_long("key", MAX_KEY_BYTES + 1, MAX_KEY_BYTES)
        );
        let at_the_limit = write(&"k".repeat(MAX_KEY_BYTES), &"v".repeat(MAX_VALUE_BYTES));
        assert!(Scenario::from_json(&at_the_limit).is_ok());
    }

    #[test]
    fn a_ten_thousand_node_partition_is_refused() {
        let nodes = vec!["1"; 10_000].join(",");
        let list = |what, len| LimitError::NodeList { what, len };
        let text = with_actions(&[format!(r#"[0,{{"do":"partition","groups":[[{nodes}]]}}]"#)]);
        let e = refused(&text);
        assert_eq!(e, in_action(0, list("a partition group", 10_000)));
        assert_eq!(
            e.to_string(),
            "action 0: a partition group lists 10000 entries, more than the 9 a cluster has nodes"
        );
        let groups = ["[1]"; MAX_NODE_LIST + 1].join(",");
        let e = refused(&with_actions(&[format!(
            r#"[0,{{"do":"partition","groups":[{groups}]}}]"#
        )]));
        assert_eq!(e, in_action(0, list("the partition", 10)));
        let e = refused(&with_actions(&[format!(
            r#"[0,{{"do":"cut","from":[1],"to":[{nodes}]}}]"#
        )]));
        assert_eq!(e, in_action(0, list("the cut's to", 10_000)));
    }

    #[test]
    fn workloads_are_bounded_in_operations_levels_and_memory() {
        let fast = r#"{"version":1,"seed":1,"workload":{"ops_per_sec":1000000},"until_ms":2000}"#;
        let e = refused(fast);
        assert_eq!(e, LimitError::WorkloadOps(2_000_000.0));
        assert_eq!(
            e.to_string(),
            "the workloads would issue about 2000000 operations, more than the 1000000 a scenario may run"
        );
        let counted = with_actions(&[
            r#"[0,{"do":"start_workload","ops":600000}]"#.into(),
            r#"[1,{"do":"start_workload","ops":600000}]"#.into(),
        ]);
        assert_eq!(refused(&counted), LimitError::WorkloadOps(1_200_000.0));
        // Started late, an uncounted workload only runs to the end.
        let late = r#"{"version":1,"seed":1,"until_ms":10000,
            "actions":[[9000,{"do":"start_workload","ops_per_sec":900000}]]}"#;
        assert!(Scenario::from_json(late).is_ok());
        let levels = r#"{"version":1,"seed":1,"workload":{"levels":[
            ["eventual",1],["eventual",1],["eventual",1],["eventual",1],
            ["eventual",1],["eventual",1],["eventual",1]]}}"#;
        let e = refused(levels);
        assert_eq!(
            e,
            LimitError::InWorkload(Box::new(LimitError::LevelWeights(7)))
        );
        assert_eq!(
            e.to_string(),
            "workload: levels lists 7 weights, more than the 6 levels there are"
        );
        let window = r#"{"version":1,"seed":1,"config":{"trace_window":10000000}}"#;
        let e = refused(window);
        assert_eq!(
            e,
            LimitError::Window {
                name: "trace_window",
                window: 10_000_000
            }
        );
        assert_eq!(
            e.to_string(),
            "config: trace_window is 10000000, more than the 100000 a scenario may keep"
        );
    }
}
