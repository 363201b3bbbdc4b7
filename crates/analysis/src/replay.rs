//! A page's run rebuilt in the worker from what defines it: the scenario
//! the page records and the simulated moment it shows. The page keeps only
//! windows of its history and trace; the replay keeps the whole history (to
//! [`MAX_HISTORY_OPS`]) and as much trace as a diagram needs, so exports and
//! the linearizability view see the entire run, exactly as it happened.

use crate::errors::AnalysisError;
use quorum_sim::history::{HistoryOp, MAX_HISTORY_OPS};
use quorum_sim::scenario::{limits::MAX_WINDOW, Scenario};
use quorum_sim::world::World;
use std::cell::RefCell;
use std::rc::Rc;

pub struct Replayed {
    pub world: World,
    /// Every operation answered by the moment, in the order answered, then
    /// those still pending.
    pub ops: Vec<HistoryOp>,
    /// Operations past [`MAX_HISTORY_OPS`], left out.
    pub left_out: usize,
}

/// A request about the run (a read to explain, a write to follow): its
/// strings by name and the recorded scenario, as one JSON object.
pub fn request_text(fields: &[(&str, &str)], scenario: &Scenario) -> String {
    let mut text = String::from("{");
    for (name, value) in fields {
        let value = serde_json::to_string(value).expect("a string always serializes");
        text.push_str(&format!("\"{name}\":{value},"));
    }
    text + &format!("\"scenario\":{}}}", scenario.to_json())
}

/// The strings `names` and the scenario of a [`request_text`]; `what` says
/// in an error what the request was for.
pub fn read_request<const N: usize>(
    text: &str,
    names: [&'static str; N],
    what: &'static str,
) -> Result<([String; N], Scenario), AnalysisError> {
    let v: serde_json::Value = serde_json::from_str(text).map_err(|e| AnalysisError::NotJson {
        what,
        why: quorum_sim::errors::sentence(&e),
    })?;
    let mut strings: [String; N] = std::array::from_fn(|_| String::new());
    for (slot, name) in strings.iter_mut().zip(names) {
        *slot = v[name]
            .as_str()
            .ok_or(AnalysisError::NoField { what, field: name })?
            .to_string();
    }
    Ok((strings, Scenario::from_json(&v["scenario"].to_string())?))
}

/// Runs `scenario` to `until_us` with the history kept whole.
pub fn replay(scenario: &Scenario, until_us: u64) -> Result<Replayed, AnalysisError> {
    let mut scenario = scenario.clone();
    // Windows change no event of the run, only how much of it is kept.
    scenario.config.trace_window = MAX_WINDOW;
    let mut world = World::from_scenario(&scenario)?;
    let kept: Rc<RefCell<(Vec<HistoryOp>, usize)>> = Rc::default();
    let sink = kept.clone();
    world.set_history_sink(Box::new(move |op| {
        let (ops, left_out) = &mut *sink.borrow_mut();
        if ops.len() < MAX_HISTORY_OPS {
            ops.push(op.clone());
        } else {
            *left_out += 1;
        }
    }));
    world.run_until(until_us);
    let (mut ops, mut left_out) = kept.take();
    for op in world.pending_history() {
        if ops.len() < MAX_HISTORY_OPS {
            ops.push(op);
        } else {
            left_out += 1;
        }
    }
    Ok(Replayed {
        world,
        ops,
        left_out,
    })
}

/// The history as a JSON Lines file `quorum check` reads, with repeated
/// values renamed so that every read names its write.
pub fn history_file(ops: &[HistoryOp]) -> String {
    let mut ops = ops.to_vec();
    quorum_sim::history::distinct_values(&mut ops);
    let mut text = String::with_capacity(ops.len() * 160);
    for op in &ops {
        text.push_str(&op.to_json_line());
        text.push('\n');
    }
    text
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use quorum_sim::check::{check, parse_history};
    use quorum_sim::msg::NodeId;
    use quorum_sim::scenario::Action;

    pub(crate) fn preset(name: &str) -> Scenario {
        let path = format!("{}/../../presets/{name}.json", env!("CARGO_MANIFEST_DIR"));
        let file: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        Scenario::from_json(&file["scenario"].to_string()).unwrap()
    }

    #[test]
    fn a_replay_to_the_end_keeps_what_the_page_counted() {
        for name in ["stale-follower-read", "w1-lost-write", "partition-split"] {
            let s = preset(name);
            let mut page = World::from_scenario(&s).unwrap();
            page.run_until(s.end_us());
            let r = replay(&s, s.end_us()).unwrap();
            let (a, b) = (r.world.stats(), page.stats());
            assert_eq!(
                (a.events, a.completed, a.stale_reads, a.lost_acked_writes),
                (b.events, b.completed, b.stale_reads, b.lost_acked_writes),
                "{name}"
            );
            assert_eq!(r.world.trace_hash(), page.trace_hash(), "{name}");
            assert_eq!(r.ops.len() as u64, b.ops, "{name}: every operation");
        }
    }

    #[test]
    fn the_exported_history_is_judged_as_the_page_judged_the_run() {
        let s = preset("stale-follower-read");
        let r = replay(&s, s.end_us()).unwrap();
        let parsed = parse_history(&history_file(&r.ops)).unwrap();
        let report = check(&parsed.ops).unwrap();
        assert_eq!(report.stale_reads() as u64, r.world.stats().stale_reads);
        assert!(report.stale_reads() > 0, "the preset's stale read");
    }

    #[test]
    fn a_value_written_twice_still_exports_a_history_the_checker_takes() {
        let mut s = preset("stale-follower-read");
        let t = s.actions.last().unwrap().0 + 500.0;
        let write = |value: &str| Action::Write {
            client: 1,
            node: NodeId::at(0),
            key: "name".into(),
            value: value.into(),
        };
        s.actions.push((t, write("Bob")));
        s.actions.push((t + 500.0, write("Alice")));
        s.until_ms = Some(t + 2000.0);
        let r = replay(&s, s.end_us()).unwrap();
        let text = history_file(&r.ops);
        assert!(text.contains("\"Alice#2\""), "{text}");
        check(&parse_history(&text).unwrap().ops).unwrap();
    }

    #[test]
    fn a_write_in_flight_at_the_moment_is_exported_with_no_answer() {
        // W = 2: the write waits a round trip for a follower's ack.
        let mut s = preset("stale-follower-read");
        s.config.w = 2;
        let (at_ms, _) = s
            .actions
            .iter()
            .find(|(_, a)| matches!(a, Action::Write { .. }))
            .unwrap();
        let r = replay(&s, (at_ms * 1000.0) as u64 + 5).unwrap();
        let pending: Vec<&HistoryOp> = r.ops.iter().filter(|o| o.complete_us.is_none()).collect();
        assert_eq!(pending.len(), 1);
        assert_eq!(pending[0].value.as_deref(), Some("Alice"));
    }
}
