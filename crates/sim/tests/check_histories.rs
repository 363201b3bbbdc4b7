//! Hand-written histories, one for each verdict the checker gives.

use quorum_sim::check::{
    check, check_with_limit, parse_history, Freshness, HistoryProblem, Linearizability, LostWrite,
    SessionViolation,
};
use quorum_sim::history::{HistoryOp, OpKind, Outcome};
use quorum_sim::msg::NodeId;

fn op(client: u32, kind: OpKind, key: &str, value: Option<&str>, span: (u64, u64)) -> HistoryOp {
    HistoryOp {
        client,
        node: NodeId::numbered(1).unwrap(),
        op: kind,
        key: key.into(),
        value: value.map(Into::into),
        level: "strong".into(),
        invoke_us: span.0,
        complete_us: Some(span.1),
        outcome: Outcome::Ok,
    }
}

fn write(client: u32, value: &str, span: (u64, u64)) -> HistoryOp {
    op(client, OpKind::Write, "x", Some(value), span)
}

fn read(client: u32, value: Option<&str>, span: (u64, u64)) -> HistoryOp {
    op(client, OpKind::Read, "x", value, span)
}

fn delete(client: u32, span: (u64, u64)) -> HistoryOp {
    op(client, OpKind::Delete, "x", None, span)
}

/// A write whose client never heard back.
fn unknown(mut op: HistoryOp) -> HistoryOp {
    op.outcome = Outcome::Unknown;
    op.complete_us = None;
    op
}

fn window(history: &[HistoryOp]) -> Vec<usize> {
    match check(history).unwrap().linearizable {
        Linearizability::NotLinearizable { key, window } => {
            assert_eq!(key, "x");
            window
        }
        other => panic!("expected not linearizable, got {other:?}"),
    }
}

fn witness(history: &[HistoryOp]) -> Vec<usize> {
    match check(history).unwrap().linearizable {
        Linearizability::Linearizable { mut witness } => witness.remove("x").unwrap_or_default(),
        other => panic!("expected linearizable, got {other:?}"),
    }
}

#[test]
fn a_read_of_a_value_before_its_write_was_invoked() {
    let history = [read(2, Some("a"), (0, 10)), write(1, "a", (20, 30))];
    assert_eq!(window(&history), vec![0, 1]);
    let report = check(&history).unwrap();
    assert_eq!(report.reads[0].freshness, Freshness::Impossible);
    assert_eq!(report.reads[0].source, Some(1));
}

#[test]
fn a_stale_read_after_a_completed_write() {
    let history = [
        write(1, "a", (0, 10)),
        write(1, "b", (20, 30)),
        read(2, Some("a"), (40, 50)),
    ];
    assert_eq!(window(&history), vec![0, 1, 2]);
    let report = check(&history).unwrap();
    assert_eq!(
        report.reads[0].freshness,
        Freshness::Stale { k: 1, t_us: 10 }
    );
    assert_eq!(report.stale_reads(), 1);
    // Another client: no session guarantee is at stake.
    assert!(report.ryw_violations.is_empty() && report.monotonic_violations.is_empty());
}

#[test]
fn staleness_counts_versions_and_time() {
    let history = [
        write(1, "a", (0, 10)),
        write(1, "b", (20, 30)),
        write(1, "c", (40, 45)),
        // Concurrent with the read: not yet acknowledged when it began.
        write(1, "d", (50, 90)),
        read(2, Some("a"), (60, 70)),
        // Concurrent with "c": neither is certainly newer.
        read(3, Some("b"), (35, 38)),
    ];
    let report = check(&history).unwrap();
    let verdict = |i| report.reads.iter().find(|r| r.read == i).unwrap().freshness;
    assert_eq!(verdict(4), Freshness::Stale { k: 2, t_us: 30 });
    assert_eq!(verdict(5), Freshness::Fresh);
}

#[test]
fn two_readers_see_two_writes_in_opposite_orders() {
    let history = [
        write(1, "a", (0, 100)),
        write(2, "b", (0, 100)),
        read(3, Some("a"), (10, 20)),
        read(3, Some("b"), (30, 40)),
        read(4, Some("b"), (10, 20)),
        read(4, Some("a"), (30, 40)),
    ];
    // Each reader alone is fine; together every operation is needed.
    assert_eq!(window(&history), vec![0, 1, 2, 3, 4, 5]);
    assert!(witness(&history[..4]).len() == 4);
    // Each read is fresh: no write was acknowledged before any of them.
    assert_eq!(check(&history).unwrap().stale_reads(), 0);
}

#[test]
fn an_incomplete_write_seen_by_one_reader_only() {
    let history = [
        write(1, "a", (0, 10)),
        unknown(write(2, "b", (20, 0))),
        read(3, Some("a"), (25, 28)),
        read(4, Some("b"), (30, 40)),
    ];
    assert_eq!(witness(&history), vec![0, 2, 1, 3]);
    // Once one reader saw it, it has taken effect for everyone after.
    let mut later = history.to_vec();
    later.push(read(3, Some("a"), (50, 60)));
    assert_eq!(window(&later), vec![0, 1, 3, 4]);
    // A write that may never have happened need not be seen at all.
    let never = [
        write(1, "a", (0, 10)),
        unknown(write(2, "b", (20, 0))),
        read(3, Some("a"), (50, 60)),
    ];
    assert_eq!(witness(&never), vec![0, 2]);
}

#[test]
fn failed_operations_had_no_effect() {
    let mut failed = write(2, "b", (20, 30));
    failed.outcome = Outcome::Fail;
    let history = [write(1, "a", (0, 10)), failed, read(3, Some("b"), (40, 50))];
    let report = check(&history).unwrap();
    assert_eq!(report.reads[0].freshness, Freshness::Impossible);
    assert_eq!(window(&history), vec![2]);
    // A read that never completed constrains nothing.
    let mut pending = read(3, Some("zzz"), (40, 0));
    pending.complete_us = None;
    pending.outcome = Outcome::Unknown;
    assert_eq!(witness(&[write(1, "a", (0, 10)), pending]), vec![0]);
}

#[test]
fn deletes_write_absent() {
    let history = [
        read(2, None, (0, 5)),
        write(1, "a", (10, 20)),
        delete(1, (30, 40)),
        read(2, None, (50, 60)),
        read(2, Some("a"), (70, 80)),
    ];
    assert_eq!(window(&history), vec![1, 2, 4]);
    let report = check(&history).unwrap();
    let verdicts: Vec<Freshness> = report.reads.iter().map(|r| r.freshness).collect();
    assert_eq!(verdicts[..2], [Freshness::Fresh, Freshness::Fresh]);
    assert_eq!(verdicts[2], Freshness::Stale { k: 1, t_us: 30 });
    // Going back from "deleted" to the deleted value breaks monotonic reads.
    assert_eq!(report.monotonic_violations.len(), 1);
    assert_eq!(report.monotonic_violations[0].earlier, 3);
}

#[test]
fn read_your_writes_violation() {
    let history = [
        write(1, "a", (0, 10)),
        write(1, "b", (20, 30)),
        read(1, Some("a"), (40, 50)),
        // Someone else's concurrent write is no violation.
        write(2, "c", (55, 70)),
        write(1, "d", (60, 65)),
        read(1, Some("c"), (80, 90)),
    ];
    let report = check(&history).unwrap();
    assert_eq!(
        report.ryw_violations,
        vec![SessionViolation {
            client: 1,
            key: "x".into(),
            earlier: 1,
            read: 2,
            returned: Some(0)
        }]
    );
}

#[test]
fn monotonic_reads_violation() {
    let history = [
        write(1, "a", (0, 10)),
        write(1, "b", (20, 30)),
        read(2, Some("b"), (40, 50)),
        read(2, Some("a"), (60, 70)),
        read(3, Some("b"), (40, 50)),
        read(3, None, (60, 70)),
    ];
    let report = check(&history).unwrap();
    let pairs: Vec<(usize, usize, Option<usize>)> = report
        .monotonic_violations
        .iter()
        .map(|v| (v.earlier, v.read, v.returned))
        .collect();
    assert_eq!(pairs, vec![(2, 3, Some(0)), (4, 5, None)]);
    assert!(report.ryw_violations.is_empty());
}

#[test]
fn a_lost_acknowledged_write() {
    let history = [
        write(1, "a", (0, 10)),
        write(2, "b", (20, 30)),
        read(3, Some("b"), (40, 50)),
        // After the writes: the store has gone back to "a".
        read(3, Some("a"), (60, 70)),
    ];
    let report = check(&history).unwrap();
    assert_eq!(
        report.lost_acked_writes,
        vec![LostWrite { write: 1, read: 3 }]
    );
    // Still being written to at the end: no final state to judge.
    let mut busy = history.to_vec();
    busy.push(unknown(write(1, "c", (65, 0))));
    assert!(check(&busy).unwrap().lost_acked_writes.is_empty());
    // The final read returned the last write: nothing lost.
    assert!(check(&history[..3]).unwrap().lost_acked_writes.is_empty());
}

#[test]
fn keys_are_independent_and_witnessed() {
    let mut history = vec![write(1, "a", (0, 10)), read(2, Some("a"), (20, 30))];
    history.push(op(1, OpKind::Write, "y", Some("a"), (5, 15)));
    history.push(op(2, OpKind::Read, "y", None, (1, 3)));
    match check(&history).unwrap().linearizable {
        Linearizability::Linearizable { witness } => {
            assert_eq!(witness["x"], vec![0, 1]);
            assert_eq!(witness["y"], vec![3, 2]);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_step_limit_gives_unknown() {
    let history = [
        write(1, "a", (0, 10)),
        write(2, "b", (0, 10)),
        read(3, Some("b"), (20, 30)),
    ];
    assert_eq!(
        check_with_limit(&history, 2).unwrap().linearizable,
        Linearizability::Unknown { key: "x".into() }
    );
}

#[test]
fn malformed_lines_are_named() {
    let good = write(1, "a", (0, 10)).to_json_line();
    // serde's own words for what is not a record; the checker's rules by name.
    let syntax = |text: String, line, words: &'static str| (text, line, Err(words));
    let rule = |text: String, line, problem| (text, line, Ok(problem));
    let cases = [
        syntax(format!("{good}\n\n{{\"client\":1"), 3, "EOF"),
        syntax(
            format!(
                "{good}\n{}",
                good.replace("\"op\":\"write\"", "\"op\":\"cas\"")
            ),
            2,
            "unknown variant `cas`",
        ),
        syntax(
            good.replace("\"client\":1,", ""),
            1,
            "missing field `client`",
        ),
        syntax(
            good.replace("\"node\":1", "\"node\":1,\"extra\":2"),
            1,
            "unknown field `extra`",
        ),
        rule(
            good.replace("\"complete_us\":10", "\"complete_us\":null"),
            1,
            HistoryProblem::OkWithoutComplete,
        ),
        rule(
            good.replace("\"invoke_us\":0", "\"invoke_us\":50"),
            1,
            HistoryProblem::CompleteBeforeInvoke {
                complete_us: 10,
                invoke_us: 50,
            },
        ),
        rule(
            format!("{good}\n\n{good}"),
            3,
            HistoryProblem::WrittenTwice {
                value: "a".into(),
                key: "x".into(),
                first_line: 1,
            },
        ),
        rule(
            good.replace("\"value\":\"a\"", "\"value\":null"),
            1,
            HistoryProblem::WriteWithoutValue,
        ),
    ];
    for (text, line, expected) in cases {
        let err = parse_history(&text).unwrap_err();
        assert_eq!(err.line, line, "{err}");
        match (&err.problem, expected) {
            (HistoryProblem::Syntax { why, .. }, Err(words)) => {
                assert!(why.contains(words), "{err}")
            }
            (problem, Ok(expected)) => assert_eq!(problem, &expected),
            (problem, Err(words)) => panic!("{problem:?}, not serde's {words:?}"),
        }
        assert!(err.to_string().starts_with(&format!("line {line}: ")));
    }
    let parsed = parse_history(&format!("\n{good}\n")).unwrap();
    assert_eq!(parsed.lines, vec![2]);
    assert_eq!(parsed.ops, vec![write(1, "a", (0, 10))]);
}
