//! Running the built `quorum` binary, for the check and pbs tests.

use std::process::{Command, Output};

pub fn quorum(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_quorum"))
        .args(args)
        .output()
        .expect("the binary runs")
}

/// Runs `args` expecting exit status 0 and one JSON object on one line.
pub fn json(args: &[&str]) -> serde_json::Value {
    let out = quorum(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        text.lines().count(),
        1,
        "one JSON object on one line: {text}"
    );
    serde_json::from_str(&text).unwrap()
}
