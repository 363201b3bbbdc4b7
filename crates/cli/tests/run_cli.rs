//! `quorum run` as a user runs it: the built binary.

use quorum_sim::history::HistoryOp;
use std::process::{Command, Output};

fn quorum(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_quorum"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn json(args: &[&str]) -> serde_json::Value {
    let out = quorum(args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("one JSON object")
}

fn temp(name: &str, contents: &str) -> String {
    let path = std::env::temp_dir().join(format!("quorum-cli-{}-{name}", std::process::id()));
    std::fs::write(&path, contents).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn json_has_every_field_and_sane_values() {
    let v = json(&[
        "run",
        "--ops",
        "300",
        "--seed",
        "4",
        "--faults",
        "crash",
        "--level",
        "eventual,strong",
        "--r",
        "2",
        "--json",
    ]);
    for field in [
        "ops",
        "reads",
        "writes",
        "stale_reads",
        "lost_acked_writes",
        "failed_ops",
        "read_latency_ms_p50",
        "read_latency_ms_p99",
        "write_latency_ms_p50",
        "write_latency_ms_p99",
        "elections",
        "trace_hash",
    ] {
        assert!(v.get(field).is_some(), "{field} missing from {v}");
    }
    let n = |f: &str| v[f].as_f64().unwrap();
    assert_eq!(n("ops"), 300.0);
    assert_eq!(n("reads") + n("writes") + n("deletes"), 300.0);
    assert!(n("read_latency_ms_p50") <= n("read_latency_ms_p99"));
    assert!(
        n("write_latency_ms_p50") > 0.0,
        "W = 2 waits for a follower"
    );
    assert!(n("write_latency_ms_p50") <= n("write_latency_ms_p99"));
    assert!(n("elections") >= 1.0);
    assert_eq!(n("lost_acked_writes"), 0.0, "W = 2 of 3 loses nothing");
    assert_eq!(v["trace_hash"].as_str().unwrap().len(), 16);
    assert_eq!(v["converged"], true);
}

#[test]
fn the_same_seed_gives_the_same_trace_and_another_does_not() {
    let hash = |seed: &str| {
        json(&[
            "run", "--ops", "200", "--faults", "mixed", "--seed", seed, "--json",
        ])["trace_hash"]
            .clone()
    };
    assert_eq!(hash("9"), hash("9"));
    assert_ne!(hash("9"), hash("10"));
}

#[test]
fn unknown_or_impossible_flags_exit_2_with_usage() {
    for args in [
        vec!["run", "--bogus"],
        vec!["run", "--w", "5"],
        vec!["run", "--nodes", "10"],
        vec!["run", "--drop", "1.5"],
        vec!["run", "--level", "sometimes"],
        vec!["run", "--jitter", "pareto:1"],
        vec!["run", "--faults", "meteor"],
    ] {
        let out = quorum(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("error:") && err.contains("--help"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn a_malformed_scenario_is_named_and_exits_2() {
    let path = temp(
        "bad.json",
        r#"{"version":1,"seed":1,"config":{"n":3,"w":2,"r":1,"latency_ms":10},
            "actions":[[10,{"do":"write","client":1,"node":7,"key":"x","value":"a"}]]}"#,
    );
    let out = quorum(&["run", "--scenario", &path]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("action 0: node 7 does not exist"), "{err}");
}

#[test]
fn a_scenario_replays_and_its_history_is_written() {
    let scenario = temp(
        "story.json",
        r#"{"version":1,"seed":3,"config":{"n":3,"w":1,"r":1,"latency_ms":20},
            "actions":[[1000,{"do":"write","client":1,"node":1,"key":"name","value":"Alice"}],
                       [1000,{"do":"write","client":1,"node":2,"key":"name","value":"Alice"}],
                       [1000,{"do":"write","client":1,"node":3,"key":"name","value":"Alice"}],
                       [1001,{"do":"read","client":2,"node":1,"key":"name"}],
                       [1300,{"do":"read","client":2,"node":2,"key":"name","level":"strong"}]],
            "until_ms":2000}"#,
    );
    let history = temp("history.jsonl", "");
    let v = json(&[
        "run",
        "--scenario",
        &scenario,
        "--history",
        &history,
        "--json",
    ]);
    assert_eq!(v["ops"], 5);
    let ops: Vec<HistoryOp> = std::fs::read_to_string(&history)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("a history line"))
        .collect();
    assert_eq!(ops.len(), 5);
    assert_eq!(
        ops.iter()
            .filter(|o| o.op == quorum_sim::history::OpKind::Write)
            .count(),
        3
    );
    assert_eq!(
        v,
        json(&["run", "--scenario", &scenario, "--json"]),
        "replays identically"
    );
}

/// A page's workload has no operation count; its shared link, replayed
/// here, once ran forever. It stops issuing at the scenario's end, and what
/// is in flight then completes.
#[test]
fn a_scenario_with_an_endless_workload_ends() {
    let scenario = temp(
        "endless.json",
        r#"{"version":1,"seed":3,"config":{"n":3},
            "actions":[[500,{"do":"start_workload","clients":4,"ops_per_sec":200}]],
            "until_ms":3000}"#,
    );
    let out = quorum(&["run", "--scenario", &scenario, "--json"]);
    assert!(out.status.success(), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // Clients wait for each answer, so fewer than 200/s × 2.5 s.
    let ops = v["ops"].as_u64().unwrap();
    assert!((100..=500).contains(&ops), "{ops} operations");
    let end = v["sim_time_ms"].as_f64().unwrap();
    assert!((3000.0..4000.0).contains(&end), "ended at {end} ms");
}

#[test]
fn the_history_of_a_workload_has_one_line_per_operation() {
    let history = temp("workload.jsonl", "");
    json(&["run", "--ops", "150", "--history", &history, "--json"]);
    let lines = std::fs::read_to_string(&history).unwrap();
    assert_eq!(lines.lines().count(), 150);
    for line in lines.lines() {
        serde_json::from_str::<HistoryOp>(line).unwrap();
    }
}

#[test]
fn a_scenario_file_over_its_limit_is_refused_naming_it() {
    use quorum_sim::scenario::limits::MAX_SCENARIO_BYTES;
    let path = std::env::temp_dir().join(format!("quorum-huge-{}.json", std::process::id()));
    // Valid JSON all the way, a million heals: only its size is wrong.
    let actions = vec![r#"[0,{"do":"heal"}]"#; 1_000_000].join(",");
    let text = format!(r#"{{"version":1,"seed":1,"actions":[{actions}]}}"#);
    std::fs::write(&path, &text).unwrap();
    let out = quorum(&["run", "--scenario", path.to_str().unwrap()]);
    let _ = std::fs::remove_file(&path);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "more than the {MAX_SCENARIO_BYTES} bytes a scenario may have"
        )),
        "{stderr}"
    );
}
