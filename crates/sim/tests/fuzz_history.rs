//! Fuzz target: history files (`parse_history`, what `quorum check` reads).
//! No input panics; a history that parses round-trips line by line and
//! goes through the checker (with a small search budget). `FUZZ_CASES`
//! sets the number of cases (README.md, "Tests").

use quorum_fuzz::history::history_text;
use quorum_fuzz::{corpus, run};
use quorum_sim::check::{check_with_limit, parse_history};

fn target(text: &str) {
    let Ok(parsed) = parse_history(text) else {
        return;
    };
    let lines: Vec<String> = parsed.ops.iter().map(|op| op.to_json_line()).collect();
    let again = parse_history(&lines.join("\n")).expect("a parsed history parses again");
    assert_eq!(again.ops, parsed.ops, "a parsed history round-trips");
    check_with_limit(&parsed.ops, 10_000).expect("a parsed history is checked");
}

#[test]
fn kept_inputs_parse_without_panic() {
    for (name, bytes) in corpus("history") {
        eprintln!("{name}");
        target(&String::from_utf8(bytes).expect("corpus files are text"));
    }
}

#[test]
fn fuzz_history_parse() {
    run("history", history_text, |text| target(text));
}
