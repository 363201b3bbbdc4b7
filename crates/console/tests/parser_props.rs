//! Fuzzing the console: no input makes it panic, and quoting round-trips.
//! `PROPTEST_CASES` sets the number of cases per test (default 8,000;
//! the million: `PROPTEST_CASES=1000000 cargo test -p
//! quorum-console --release --test parser_props`).

use proptest::prelude::*;
use proptest::test_runner::Config;
use quorum_console::shell::{quote, split};
use quorum_console::{Cluster, Console, NodeStatus, Op, Refused, Reply, Ticket};
use quorum_sim::msg::Role;

fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(8_000);
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

/// Every node up and leading, every request answered at once.
struct Instant;

impl Cluster for Instant {
    fn node_count(&self) -> usize {
        3
    }
    fn status(&self, node: usize) -> Option<NodeStatus> {
        (1..=3).contains(&node).then(|| NodeStatus {
            role: Role::Leader,
            term: 1,
            leader: Some(node),
            keys: vec!["name".into()],
            write_quorum: 2,
            read_quorum: 1,
            total_nodes: 3,
        })
    }
    fn request(&mut self, _: u32, _: usize, _: Op) -> Result<Ticket, Refused> {
        Ok(Ticket(0))
    }
    fn reply(&mut self, _: Ticket) -> Option<Reply> {
        Some(Reply::Read {
            value: Some("{\"a\":[1]}".into()),
        })
    }
    fn set_quorums(&mut self, _: Option<usize>, _: Option<usize>) -> Result<(), String> {
        Ok(())
    }
}

/// Strings made of what shells and curl find special, so that most cases
/// reach deep into the parsers rather than failing on the first character.
fn shellish() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "curl ",
        "-X",
        "PUT",
        " -d ",
        "-H",
        "-sSiv",
        "--request=",
        "--data-raw",
        "--url",
        "localhost:4001",
        "http://127.0.0.1:400",
        "/key/",
        "/status",
        "?consistency=",
        "strong",
        "'",
        "\"",
        "\\",
        "\\\n",
        "\n",
        "\r\n",
        " ",
        "\t",
        ";",
        "&&",
        "&",
        "|",
        "#",
        "$",
        "$(",
        "`",
        "{",
        "}",
        "[",
        "]",
        ":",
        "=",
        "@",
        "é",
        "日",
        "\u{0}",
        "WRITE_QUORUM=",
        "- ",
        "3",
        "environment:",
    ]);
    prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
}

fn drive(input: &str) {
    let mut console = Console::new();
    let mut cluster = Instant;
    console.run(&mut cluster, 1, input);
    for _ in 0..(quorum_console::shell::MAX_COMMANDS + 1) {
        if !console.busy() {
            break;
        }
        console.poll(&mut cluster);
    }
    assert!(!console.busy());
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn fuzz_console_never_panics_on_shellish_input(input in shellish()) {
        drive(&input);
    }

    #[test]
    fn fuzz_console_never_panics_on_arbitrary_text(input in any::<String>()) {
        drive(&input);
    }

    #[test]
    fn quoted_argument_vectors_split_back_unchanged(
        commands in prop::collection::vec(prop::collection::vec(any::<String>(), 1..6), 1..4),
        separator in prop::sample::select(vec!["\n", "; ", " && ", " \\\n; "]),
    ) {
        let line = commands
            .iter()
            .map(|words| words.iter().map(|w| quote(w)).collect::<Vec<_>>().join(" "))
            .collect::<Vec<_>>()
            .join(separator);
        let parsed = split(&line).unwrap();
        let words: Vec<Vec<String>> = parsed.into_iter().map(|c| c.words).collect();
        prop_assert_eq!(words, commands);
    }
}
