//! `quorum check` as a user runs it: the built binary on history files.

mod binary;

use binary::{json, quorum};

fn temp(name: &str, contents: &str) -> String {
    let path = std::env::temp_dir().join(format!("quorum-check-{}-{name}", std::process::id()));
    std::fs::write(&path, contents).unwrap();
    path.to_string_lossy().into_owned()
}

fn line(client: u32, op: &str, value: Option<&str>, invoke: u64, complete: u64) -> String {
    let value = value.map_or("null".to_string(), |v| format!("{v:?}"));
    format!(
        "{{\"client\":{client},\"node\":1,\"op\":\"{op}\",\"key\":\"x\",\"value\":{value},\
         \"level\":\"strong\",\"invoke_us\":{invoke},\"complete_us\":{complete},\"outcome\":\"ok\"}}\n"
    )
}

fn verdict(file: &str) -> serde_json::Value {
    json(&["check", file])
}

#[test]
fn a_linearizable_history() {
    let file = temp(
        "ok.jsonl",
        &(line(1, "write", Some("a"), 0, 10) + &line(2, "read", Some("a"), 20, 30)),
    );
    let v = verdict(&file);
    assert_eq!(v["linearizable"], true);
    for field in [
        "stale_reads",
        "ryw_violations",
        "monotonic_violations",
        "lost_acked_writes",
    ] {
        assert_eq!(v[field], 0, "{field}");
    }
    assert!(v["failing_window"].is_null());
}

#[test]
fn a_stale_read_is_reported_with_its_window_in_file_lines() {
    // A blank line and a comment-free file: the window names file lines.
    let text = line(1, "write", Some("a"), 0, 10)
        + "\n"
        + &line(1, "write", Some("b"), 20, 30)
        + &line(1, "read", Some("a"), 40, 50)
        + &line(2, "read", Some("b"), 60, 70)
        + &line(2, "read", Some("a"), 80, 90);
    let v = verdict(&temp("stale.jsonl", &text));
    assert_eq!(v["linearizable"], false);
    assert_eq!(v["failing_window"]["key"], "x");
    assert_eq!(v["failing_window"]["lines"], serde_json::json!([1, 3, 4]));
    assert_eq!(v["stale_reads"], 2);
    assert_eq!(v["ryw_violations"], 1);
    assert_eq!(v["monotonic_violations"], 1);
    assert_eq!(v["lost_acked_writes"], 1);
    assert_eq!(
        v["details"]["stale"][0],
        serde_json::json!({"line": 4, "source_line": 1, "k": 1, "t_us": 10})
    );
    assert_eq!(v["details"]["ryw"][0]["earlier_line"], 3);
    assert_eq!(
        v["details"]["lost"][0],
        serde_json::json!({"write_line": 3, "read_line": 6})
    );
}

#[test]
fn a_tiny_step_limit_answers_unknown() {
    let text = line(1, "write", Some("a"), 0, 10)
        + &line(2, "write", Some("b"), 0, 10)
        + &line(3, "read", Some("b"), 20, 30);
    let out = quorum(&["check", "--steps", "2", &temp("unknown.jsonl", &text)]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["linearizable"], "unknown");
}

#[test]
fn unreadable_input_exits_2_naming_the_line() {
    let text = line(1, "write", Some("a"), 0, 10) + "{\"client\": 1, \"op\": \"write\"}\n";
    let out = quorum(&["check", &temp("bad.jsonl", &text)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("line 2: missing field"), "{err}");

    let out = quorum(&["check", "/nonexistent/history.jsonl"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read /nonexistent/history.jsonl"));
}

#[test]
fn timings_name_every_part_and_add_up() {
    let text = line(1, "write", Some("a"), 0, 10) + &line(2, "read", Some("a"), 20, 30);
    let file = temp("timings.jsonl", &text);
    assert!(verdict(&file).get("timings_ms").is_none());
    let v = json(&["check", "--timings", &file]);
    assert_eq!(v["linearizable"], true);
    let timings = v["timings_ms"].as_object().unwrap();
    let parts = [
        "read",
        "parse",
        "validate",
        "index",
        "freshness",
        "sessions",
        "lost_writes",
        "linearizability",
        "report",
    ];
    let mut names: Vec<&str> = timings.keys().map(String::as_str).collect();
    names.sort_unstable();
    let mut want = parts.to_vec();
    want.push("total");
    want.sort_unstable();
    assert_eq!(names, want);
    let ms = |part: &str| timings[part].as_f64().unwrap();
    assert!(parts.iter().all(|&p| ms(p) >= 0.0));
    let sum: f64 = parts.iter().map(|&p| ms(p)).sum();
    assert!(sum <= ms("total") + 1e-9, "{sum} > {}", ms("total"));
}
