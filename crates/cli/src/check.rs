//! `quorum check FILE`: judge a JSON Lines history.

use clap::Args;
use quorum_sim::check::{
    check_in_stages, parse_history, Freshness, Linearizability, DEFAULT_STEP_LIMIT,
};
use quorum_sim::history::MAX_HISTORY_BYTES;
use serde_json::{json, Map, Value};
use std::time::Instant;

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// History file, JSON Lines (one operation a line); `-` reads stdin.
    file: String,
    /// Linearizability search steps before answering "unknown".
    #[arg(long, default_value_t = DEFAULT_STEP_LIMIT)]
    steps: u64,
    /// Add how long each part took, in ms, as "timings_ms".
    #[arg(long)]
    timings: bool,
}

/// Milliseconds spent in each part of the command.
struct Timings {
    parts: Map<String, Value>,
    start: Instant,
    last: Instant,
}

impl Timings {
    fn new() -> Timings {
        let now = Instant::now();
        Timings {
            parts: Map::new(),
            start: now,
            last: now,
        }
    }

    fn lap(&mut self, part: &str) {
        let now = Instant::now();
        let ms = |from: Instant| (now - from).as_secs_f64() * 1e3;
        self.parts.insert(part.into(), json!(ms(self.last)));
        self.last = now;
    }

    fn total(mut self) -> Value {
        let ms = (Instant::now() - self.start).as_secs_f64() * 1e3;
        self.parts.insert("total".into(), json!(ms));
        Value::Object(self.parts)
    }
}

/// Prints the verdict as one JSON object; operations are named by their
/// line in the file. Exit status: 0 on a verdict, 2 on unreadable input.
pub fn run(args: CheckArgs) -> i32 {
    let mut timings = Timings::new();
    let text = match crate::input::read_at_most(&args.file, MAX_HISTORY_BYTES, "history") {
        Ok(text) => text,
        Err(e) => {
            eprintln!("quorum check: {e}");
            return 2;
        }
    };
    timings.lap("read");
    let parsed = match parse_history(&text) {
        Ok(parsed) => parsed,
        Err(e) => {
            eprintln!("quorum check: {}: {e}", args.file);
            return 2;
        }
    };
    timings.lap("parse");
    let report = check_in_stages(&parsed.ops, args.steps, &mut |stage| {
        timings.lap(stage.name())
    })
    .expect("a parsed history is valid");
    let line = |i: usize| parsed.lines[i];
    let lines = |ops: &[usize]| ops.iter().map(|&i| line(i)).collect::<Vec<_>>();

    let (linearizable, failing_window) = match &report.linearizable {
        Linearizability::Linearizable { .. } => (json!(true), Value::Null),
        Linearizability::NotLinearizable { key, window } => {
            (json!(false), json!({ "key": key, "lines": lines(window) }))
        }
        Linearizability::Unknown { .. } => (json!("unknown"), Value::Null),
    };
    let reads_where = |wanted: fn(&Freshness) -> bool| {
        report
            .reads
            .iter()
            .filter(|r| wanted(&r.freshness))
            .map(|r| {
                let mut entry = json!({ "line": line(r.read), "source_line": r.source.map(line) });
                if let Freshness::Stale { k, t_us } = r.freshness {
                    entry["k"] = json!(k);
                    entry["t_us"] = json!(t_us);
                }
                entry
            })
            .collect::<Vec<_>>()
    };
    let session = |violations: &[quorum_sim::check::SessionViolation]| {
        violations
            .iter()
            .map(|v| {
                json!({
                    "client": v.client,
                    "key": v.key,
                    "earlier_line": line(v.earlier),
                    "read_line": line(v.read),
                    "returned_line": v.returned.map(line),
                })
            })
            .collect::<Vec<_>>()
    };
    let mut out = json!({
        "linearizable": linearizable,
        "stale_reads": report.stale_reads(),
        "ryw_violations": report.ryw_violations.len(),
        "monotonic_violations": report.monotonic_violations.len(),
        "lost_acked_writes": report.lost_acked_writes.len(),
        "failing_window": failing_window,
        "details": {
            "stale": reads_where(|f| matches!(f, Freshness::Stale { .. })),
            "impossible": reads_where(|f| *f == Freshness::Impossible),
            "ryw": session(&report.ryw_violations),
            "monotonic": session(&report.monotonic_violations),
            "lost": report.lost_acked_writes.iter()
                .map(|l| json!({ "write_line": line(l.write), "read_line": line(l.read) }))
                .collect::<Vec<_>>(),
        },
    });
    if args.timings {
        timings.lap("report");
        out["timings_ms"] = timings.total();
    }
    println!("{out}");
    0
}
