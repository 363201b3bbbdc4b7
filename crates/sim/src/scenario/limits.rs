//! How much a scenario from outside (a file, a shared link) may ask for. A
//! scenario that is valid but huge is refused, with the limit named, before
//! it is run or even fully decoded: a tab or a process must not freeze on a
//! link someone sent. README.md ("Formats") lists the same numbers.

use super::{Action, Scenario, ScenarioError};
use crate::config::MAX_NODES;
use crate::kv::Level;
use crate::workload::Workload;

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

fn fail<T>(message: String) -> Result<T, ScenarioError> {
    Err(ScenarioError::Limit(message))
}

/// The text's size, checked before it is parsed.
pub(super) fn check_text(text: &str) -> Result<(), ScenarioError> {
    if text.len() > MAX_SCENARIO_BYTES {
        return fail(format!(
            "the scenario is {} bytes, more than the {MAX_SCENARIO_BYTES} bytes a scenario may have",
            text.len()
        ));
    }
    Ok(())
}

/// The number of actions, checked before any is decoded.
pub(super) fn check_action_count(count: usize) -> Result<(), ScenarioError> {
    if count > MAX_ACTIONS {
        return fail(format!(
            "the scenario has {count} actions, more than the {MAX_ACTIONS} a scenario may have"
        ));
    }
    Ok(())
}

/// `what` (a key, a value) holds at most `max` bytes.
pub fn check_length(what: &str, text: &str, max: usize) -> Result<(), String> {
    if text.len() > max {
        return Err(format!(
            "the {what} is {} bytes long, more than the {max} bytes a {what} may have",
            text.len()
        ));
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
            return fail(format!(
                "config: {name} is {window}, more than the {MAX_WINDOW} a scenario may keep"
            ));
        }
    }
    if let Some(w) = &s.workload {
        check_levels(w).map_err(|e| ScenarioError::Limit(format!("workload: {e}")))?;
    }
    for (i, (_, action)) in s.actions.iter().enumerate() {
        check_action(action).map_err(|e| ScenarioError::Limit(format!("action {i}: {e}")))?;
    }
    Ok(())
}

fn check_action(action: &Action) -> Result<(), String> {
    let list = |what: &str, len: usize| {
        if len > MAX_NODE_LIST {
            return Err(format!(
                "{what} lists {len} entries, more than the {MAX_NODE_LIST} a cluster has nodes"
            ));
        }
        Ok(())
    };
    match action {
        Action::Read { key, .. } | Action::Delete { key, .. } => {
            check_length("key", key, MAX_KEY_BYTES)
        }
        Action::Write { key, value, .. } => {
            check_length("key", key, MAX_KEY_BYTES)?;
            check_length("value", value, MAX_VALUE_BYTES)
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
        Action::StartWorkload(w) => check_levels(w).map_err(|e| format!("workload: {e}")),
        Action::Crash { .. }
        | Action::Restart { .. }
        | Action::Heal
        | Action::Set(_)
        | Action::StopWorkload => Ok(()),
    }
}

fn check_levels(w: &Workload) -> Result<(), String> {
    if w.levels.len() > MAX_LEVEL_WEIGHTS {
        return Err(format!(
            "levels lists {} weights, more than the {MAX_LEVEL_WEIGHTS} levels there are",
            w.levels.len()
        ));
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
        return fail(format!(
            "the workloads would issue about {total:.0} operations, more than the {MAX_WORKLOAD_OPS} a scenario may run"
        ));
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

    fn refused(text: &str) -> String {
        match Scenario::from_json(text).expect_err("over a limit") {
            ScenarioError::Limit(why) => why,
            other => panic!("not a limit: {other:?}"),
        }
    }

    #[test]
    fn a_million_actions_are_refused_by_size_and_ten_thousand_and_one_by_count() {
        let heal = r#"[0,{"do":"heal"}]"#.to_string();
        let million = with_actions(&vec![heal.clone(); 1_000_000]);
        let e = refused(&million);
        assert!(
            e.contains(&format!("more than the {MAX_SCENARIO_BYTES} bytes")),
            "{e}"
        );
        let e = refused(&with_actions(&vec![heal.clone(); MAX_ACTIONS + 1]));
        assert!(
            e.contains(&format!(
                "{} actions, more than the {MAX_ACTIONS}",
                MAX_ACTIONS + 1
            )),
            "{e}"
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
        let e = refused(&write("k", &"v".repeat(10 * 1024 * 1024)));
        assert!(e.contains("bytes a scenario may have"), "{e}");
        let e = refused(&write("k", &"v".repeat(MAX_VALUE_BYTES + 1)));
        assert!(
            e.contains(&format!(
                "action 0: the value is {} bytes long",
                MAX_VALUE_BYTES + 1
            )) && e.contains(&format!("{MAX_VALUE_BYTES} bytes a value may have")),
            "{e}"
        );
        let e = refused(&write(&"k".repeat(MAX_KEY_BYTES + 1), "v"));
        assert!(
            e.contains(&format!("{MAX_KEY_BYTES} bytes a key may have")),
            "{e}"
        );
        let at_the_limit = write(&"k".repeat(MAX_KEY_BYTES), &"v".repeat(MAX_VALUE_BYTES));
        assert!(Scenario::from_json(&at_the_limit).is_ok());
    }

    #[test]
    fn a_ten_thousand_node_partition_is_refused() {
        let nodes = vec!["1"; 10_000].join(",");
        let text = with_actions(&[format!(r#"[0,{{"do":"partition","groups":[[{nodes}]]}}]"#)]);
        let e = refused(&text);
        assert!(
            e.contains("action 0: a partition group lists 10000 entries, more than the 9"),
            "{e}"
        );
        let groups = ["[1]"; MAX_NODE_LIST + 1].join(",");
        let e = refused(&with_actions(&[format!(
            r#"[0,{{"do":"partition","groups":[{groups}]}}]"#
        )]));
        assert!(e.contains("the partition lists 10 entries"), "{e}");
        let e = refused(&with_actions(&[format!(
            r#"[0,{{"do":"cut","from":[1],"to":[{nodes}]}}]"#
        )]));
        assert!(e.contains("the cut's to lists 10000 entries"), "{e}");
    }

    #[test]
    fn workloads_are_bounded_in_operations_levels_and_memory() {
        let fast = r#"{"version":1,"seed":1,"workload":{"ops_per_sec":1000000},"until_ms":2000}"#;
        let e = refused(fast);
        assert!(
            e.contains("about 2000000 operations, more than the 1000000"),
            "{e}"
        );
        let counted = with_actions(&[
            r#"[0,{"do":"start_workload","ops":600000}]"#.into(),
            r#"[1,{"do":"start_workload","ops":600000}]"#.into(),
        ]);
        assert!(refused(&counted).contains("about 1200000 operations"));
        // Started late, an uncounted workload only runs to the end.
        let late = r#"{"version":1,"seed":1,"until_ms":10000,
            "actions":[[9000,{"do":"start_workload","ops_per_sec":900000}]]}"#;
        assert!(Scenario::from_json(late).is_ok());
        let levels = r#"{"version":1,"seed":1,"workload":{"levels":[
            ["eventual",1],["eventual",1],["eventual",1],["eventual",1],
            ["eventual",1],["eventual",1],["eventual",1]]}}"#;
        assert!(refused(levels).contains("workload: levels lists 7 weights, more than the 6"));
        let window = r#"{"version":1,"seed":1,"config":{"trace_window":10000000}}"#;
        assert!(refused(window).contains("trace_window is 10000000, more than the 100000"));
    }
}
