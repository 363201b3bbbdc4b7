//! `quorum run`: a workload (or a scenario) through the engine, then a summary.

use crate::errors::{ParseError, RunError};
use clap::Args;
use quorum_sim::chaos::{self, Faults};
use quorum_sim::config::{Config, Jitter, Preset, ReadRepair};
use quorum_sim::dist::Dist;
use quorum_sim::history::HistoryOp;
use quorum_sim::kv::Level;
use quorum_sim::scenario::limits::MAX_SCENARIO_BYTES;
use quorum_sim::scenario::Scenario;
use quorum_sim::workload::Workload;
use quorum_sim::world::{Memory, World};
use std::cell::RefCell;
use std::fmt;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::rc::Rc;

const MS: u64 = 1000;

#[derive(Args, Debug)]
pub struct RunArgs {
    /// Number of nodes (N), 1 to 9.
    #[arg(long, default_value_t = 3)]
    nodes: usize,
    /// Write quorum: acks a write needs, leader included.
    #[arg(long, default_value_t = 2)]
    w: usize,
    /// Read quorum of `strong` reads.
    #[arg(long, default_value_t = 1)]
    r: usize,
    /// Client operations to run.
    #[arg(long, default_value_t = 1000)]
    ops: u64,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Base one-way latency.
    #[arg(long, default_value_t = 50.0)]
    latency_ms: f64,
    /// Added latency: constant[:ms], uniform:lo,hi, exp:rate, pareto:xm,alpha,
    /// lognormal:mu,sigma, or a PBS preset: lnkd-ssd, lnkd-disk, ymmr, wan.
    #[arg(long, default_value = "constant", value_parser = parse_jitter)]
    jitter: Jitter,
    /// Probability that a message is lost.
    #[arg(long, default_value_t = 0.0)]
    drop: f64,
    /// Read level, or a comma-separated mix: eventual, read_your_writes,
    /// monotonic_reads, causal, strong, linearizable.
    #[arg(long, default_value = "eventual", value_parser = parse_levels)]
    level: LevelMix,
    #[arg(long, default_value = "none", value_parser = parse_faults)]
    faults: Faults,
    #[arg(long, default_value = "off", value_parser = parse_repair)]
    read_repair: ReadRepair,
    /// Clients issuing operations.
    #[arg(long, default_value_t = 3)]
    clients: u32,
    /// Offered operations per second over all clients.
    #[arg(long, default_value_t = 100.0)]
    rate: f64,
    #[arg(long, default_value_t = 0.5)]
    read_fraction: f64,
    #[arg(long, default_value_t = 4)]
    keys: u32,
    /// Zipf exponent of key popularity (0: uniform).
    #[arg(long, default_value_t = 0.0)]
    key_skew: f64,
    /// Write every operation to FILE as JSON Lines.
    #[arg(long, value_name = "FILE")]
    history: Option<String>,
    /// Replay a scenario file instead of generating a workload.
    #[arg(long, value_name = "FILE")]
    scenario: Option<String>,
    /// One JSON object instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(Clone, Debug)]
struct LevelMix(Vec<(Level, f64)>);

fn parse_levels(s: &str) -> Result<LevelMix, ParseError> {
    s.split(',')
        .map(|name| {
            Level::parse(name.trim())
                .map(|l| (l, 1.0))
                .ok_or_else(|| ParseError::Level(name.into()))
        })
        .collect::<Result<_, _>>()
        .map(LevelMix)
}

fn parse_faults(s: &str) -> Result<Faults, ParseError> {
    Faults::parse(s).ok_or_else(|| ParseError::Faults(s.into()))
}

fn parse_repair(s: &str) -> Result<ReadRepair, ParseError> {
    ReadRepair::parse(s).ok_or_else(|| ParseError::Repair(s.into()))
}

fn parse_jitter(s: &str) -> Result<Jitter, ParseError> {
    if let Some(p) = Preset::parse(s) {
        return Ok(Jitter::Preset(p));
    }
    let (name, params) = s.split_once(':').unwrap_or((s, ""));
    let nums: Vec<f64> = if params.is_empty() {
        Vec::new()
    } else {
        params
            .split(',')
            .map(|x| {
                x.trim()
                    .parse::<f64>()
                    .map_err(|_| ParseError::Number(x.into()))
            })
            .collect::<Result<_, _>>()?
    };
    let dist = match (name.to_ascii_lowercase().as_str(), nums.as_slice()) {
        ("constant", []) => Dist::Constant { ms: 0.0 },
        ("constant", [ms]) => Dist::Constant { ms: *ms },
        ("uniform", [lo, hi]) => Dist::Uniform { lo: *lo, hi: *hi },
        ("exp" | "exponential", [rate]) => Dist::Exponential { rate: *rate },
        ("pareto", [xm, alpha]) => Dist::Pareto {
            xm: *xm,
            alpha: *alpha,
        },
        ("lognormal", [mu, sigma]) => Dist::Lognormal {
            mu: *mu,
            sigma: *sigma,
        },
        _ => return Err(ParseError::Distribution(s.into())),
    };
    dist.validate().map_err(ParseError::Dist)?;
    Ok(Jitter::Dist(dist))
}

/// A usage error: message, hint, status 2 (as clap does for bad flags).
fn usage_error(message: &dyn fmt::Display) -> i32 {
    eprintln!(
        "error: {message}\n\nUsage: quorum run [OPTIONS]\n\nFor more information, try '--help'."
    );
    2
}

type Sink = Rc<RefCell<BufWriter<File>>>;

fn open_history(world: &mut World, path: &str) -> Result<Sink, RunError> {
    let file = File::create(path).map_err(|source| RunError::History {
        path: path.into(),
        source,
    })?;
    let sink: Sink = Rc::new(RefCell::new(BufWriter::new(file)));
    let writer = sink.clone();
    world.set_history_sink(Box::new(move |op: &HistoryOp| {
        // Write errors surface at the final flush.
        let _ = writeln!(writer.borrow_mut(), "{}", op.to_json_line());
    }));
    Ok(sink)
}

/// Runs `world` in slices of simulated time until `done`, noting peak sizes.
pub fn run(args: RunArgs) -> i32 {
    let (mut world, scenario_end) = match &args.scenario {
        Some(path) => {
            let text = match crate::input::read_at_most(path, MAX_SCENARIO_BYTES, "scenario") {
                Ok(t) => t,
                Err(e) => return usage_error(&format_args!("scenario: {e}")),
            };
            let scenario = match Scenario::from_json(&text) {
                Ok(s) => s,
                Err(e) => return usage_error(&format_args!("scenario {path}: {e}")),
            };
            match World::from_scenario(&scenario) {
                Ok(w) => (w, Some(scenario.end_us())),
                Err(e) => return usage_error(&format_args!("scenario {path}: {e}")),
            }
        }
        None => match generated(&args) {
            Ok(w) => (w, None),
            Err(e) => return usage_error(&e),
        },
    };
    let sink = match &args.history {
        Some(path) => match open_history(&mut world, path) {
            Ok(s) => Some(s),
            Err(e) => {
                eprintln!("error: {e}");
                return 1;
            }
        },
        None => None,
    };
    let mut peak = Memory::default();
    let note_peak = |w: &World| peak = peak.max(w.memory());
    match scenario_end {
        Some(end) => world.replay_to_end(end, note_peak),
        None => {
            world.run_until_quiet(note_peak);
            world.heal_and_converge(120_000 * MS);
        }
    }
    peak = peak.max(world.memory());
    if let Some(sink) = sink {
        if let Err(e) = sink.borrow_mut().flush() {
            eprintln!("error: writing the history: {e}");
            return 1;
        }
    }
    report(&world, &peak, args.json);
    0
}

fn generated(args: &RunArgs) -> Result<World, RunError> {
    let config = Config {
        n: args.nodes,
        w: args.w,
        r: args.r,
        latency_ms: args.latency_ms,
        jitter: args.jitter.clone(),
        drop: args.drop,
        read_repair: args.read_repair,
        ..Config::default()
    };
    config.validate().map_err(RunError::Config)?;
    if args.ops == 0 {
        return Err(RunError::NoOps);
    }
    let workload = Workload {
        clients: args.clients,
        ops_per_sec: args.rate,
        ops: args.ops,
        read_fraction: args.read_fraction,
        keys: args.keys,
        key_skew: args.key_skew,
        levels: args.level.0.clone(),
        ..Workload::default()
    };
    let mut world = World::new(config.clone(), args.seed).map_err(RunError::Config)?;
    world.start_workload(workload).map_err(RunError::Workload)?;
    // Faults over the time the workload should take at its offered rate.
    let duration_us = (args.ops as f64 / args.rate * 1e6) as u64;
    for (at, action) in chaos::plan(args.faults, config.n, config.drop, duration_us, args.seed) {
        world
            .schedule_action(at, action)
            .map_err(RunError::Action)?;
    }
    Ok(world)
}

fn report(world: &World, peak: &Memory, json: bool) {
    let s = world.summary();
    if json {
        let mut value = serde_json::to_value(&s).expect("a summary serializes");
        value["peak_memory"] = serde_json::to_value(peak).expect("sizes serialize");
        println!("{value}");
        return;
    }
    let c = world.config();
    println!(
        "N={} W={} R={}  seed {}  {:.1} s simulated, {} events",
        c.n,
        c.w,
        c.r,
        world.seed(),
        s.sim_time_ms / 1000.0,
        s.events
    );
    println!(
        "ops {}: {} reads, {} writes, {} deletes; {} failed, {} unknown",
        s.ops, s.reads, s.writes, s.deletes, s.failed_ops, s.unknown_ops
    );
    println!(
        "stale reads {}   lost acknowledged writes {} (of {} acknowledged)",
        s.stale_reads, s.lost_acked_writes, s.acked_writes
    );
    println!(
        "read latency p50 {:.1} ms, p99 {:.1} ms   write latency p50 {:.1} ms, p99 {:.1} ms",
        s.read_latency_ms_p50,
        s.read_latency_ms_p99,
        s.write_latency_ms_p50,
        s.write_latency_ms_p99
    );
    println!(
        "elections {}   converged {}   trace hash {}",
        s.elections, s.converged, s.trace_hash
    );
    println!(
        "peak sizes: queue {}, trace window {}, history window {}, log {}, pending {}",
        peak.queue, peak.trace_window, peak.history_window, peak.max_log_len, peak.pending_ops
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;
    use quorum_sim::dist::DistError;
    use quorum_sim::errors::{ConfigError, WorkloadError};

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        run: RunArgs,
    }

    fn args(flags: &[&str]) -> RunArgs {
        let mut argv = vec!["run"];
        argv.extend_from_slice(flags);
        Cli::try_parse_from(argv).unwrap().run
    }

    #[test]
    fn flag_values_that_name_nothing_are_refused_by_kind() {
        assert_eq!(parse_levels("strong, eventual").unwrap().0.len(), 2);
        let level = parse_levels("strong, reed").unwrap_err();
        assert_eq!(level, ParseError::Level(" reed".into()));
        assert_eq!(
            level.to_string(),
            "unknown level ` reed` (eventual, read_your_writes, monotonic_reads, causal, strong, linearizable)"
        );
        let faults = parse_faults("some").unwrap_err();
        assert_eq!(faults, ParseError::Faults("some".into()));
        let repair = parse_repair("sync").unwrap_err();
        assert_eq!(repair, ParseError::Repair("sync".into()));
        let number = parse_jitter("uniform:1,x").unwrap_err();
        assert_eq!(number, ParseError::Number("x".into()));
        let arity = parse_jitter("uniform:1").unwrap_err();
        assert_eq!(arity, ParseError::Distribution("uniform:1".into()));
        let bounds = parse_jitter("uniform:5,1").unwrap_err();
        let dist = DistError::UniformBounds { lo: 5.0, hi: 1.0 };
        assert_eq!(bounds, ParseError::Dist(dist));
    }

    /// Why `generated` made no world (`World` has no `Debug` to unwrap with).
    fn refusal(flags: &[&str]) -> RunError {
        generated(&args(flags)).err().expect("a refusal")
    }

    #[test]
    fn flags_that_make_no_world_are_refused_by_kind() {
        assert!(generated(&args(&[])).is_ok());
        let no_ops = refusal(&["--ops", "0"]);
        assert!(matches!(no_ops, RunError::NoOps), "{no_ops:?}");
        let w = refusal(&["--w", "4"]);
        assert!(
            matches!(&w, RunError::Config(ConfigError::Range(r)) if r.what == "W"),
            "{w:?}"
        );
        let rate = refusal(&["--rate", "0"]);
        assert!(
            matches!(rate, RunError::Workload(WorkloadError::Rate(_))),
            "{rate:?}"
        );
    }

    #[test]
    fn a_history_file_that_cannot_be_made_is_named() {
        let mut world = generated(&args(&[])).unwrap();
        let path = "/nonexistent/history.jsonl";
        let Err(err) = open_history(&mut world, path) else {
            panic!("a file under /nonexistent");
        };
        assert!(
            matches!(&err, RunError::History { path: p, .. } if p == path),
            "{err:?}"
        );
    }
}
