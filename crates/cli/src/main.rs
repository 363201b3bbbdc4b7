//! `quorum`: the engine on the command line.

use clap::{Parser, Subcommand};

mod check;
mod errors;
mod input;
mod lesson;
mod pbs;
mod run;

#[derive(Parser)]
#[command(
    name = "quorum",
    version,
    about = "Consistency Playground engine on the command line"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the default cluster configuration as JSON.
    Config,
    /// Run a workload (or a scenario) through the engine and summarize it.
    Run(run::RunArgs),
    /// Judge a JSON Lines history: linearizability, staleness, sessions, lost writes.
    Check(check::CheckArgs),
    /// Check lesson files (and the quiz) as the page reads them.
    Lesson(lesson::LessonArgs),
    /// Probability of a consistent read t ms after a write commits (PBS, WARS model).
    Pbs(pbs::PbsArgs),
    /// Run one node of the course's store on real sockets (its HTTP API).
    Serve(quorum_server::ServeArgs),
    /// Run N nodes on this machine, ports 4001.., until Ctrl-C.
    Cluster(quorum_server::ClusterArgs),
    /// Load a local cluster over HTTP: requests/s and p50/p99 per operation.
    BenchHttp(quorum_server::BenchArgs),
    /// Soak a local cluster: clients at every level, the leader killed every
    /// few seconds, the history checked at the end.
    Soak(quorum_server::SoakArgs),
}

fn main() {
    match Cli::parse().command {
        Command::Run(args) => std::process::exit(run::run(args)),
        Command::Check(args) => std::process::exit(check::run(args)),
        Command::Pbs(args) => std::process::exit(pbs::run(args)),
        Command::Lesson(args) => std::process::exit(lesson::run(args)),
        Command::Serve(args) => std::process::exit(quorum_server::serve(args)),
        Command::Cluster(args) => std::process::exit(quorum_server::cluster(&exe(), args)),
        Command::BenchHttp(args) => std::process::exit(quorum_server::bench(&exe(), args)),
        Command::Soak(args) => std::process::exit(quorum_server::soak(&exe(), args)),
        Command::Config => {
            let config = quorum_sim::config::Config::default();
            println!(
                "{}",
                serde_json::to_string(&config).expect("config serializes")
            );
        }
    }
}

/// This binary, which `cluster`, `bench-http` and `soak` start once per node.
fn exe() -> std::path::PathBuf {
    std::env::current_exe().expect("the path of the running binary")
}
