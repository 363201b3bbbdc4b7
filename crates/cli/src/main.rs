//! `quorum`: the engine on the command line.

use clap::{Parser, Subcommand};

mod check;
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
    /// Probability of a consistent read t ms after a write commits (PBS, WARS model).
    Pbs(pbs::PbsArgs),
}

fn main() {
    match Cli::parse().command {
        Command::Run(args) => std::process::exit(run::run(args)),
        Command::Check(args) => std::process::exit(check::run(args)),
        Command::Pbs(args) => std::process::exit(pbs::run(args)),
        Command::Config => {
            let config = quorum_sim::config::Config::default();
            println!(
                "{}",
                serde_json::to_string(&config).expect("config serializes")
            );
        }
    }
}
