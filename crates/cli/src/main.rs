//! `quorum`: the engine on the command line.

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "quorum", version, about = "Consistency Playground engine on the command line")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the default cluster configuration as JSON.
    Config,
}

fn main() {
    match Cli::parse().command {
        Command::Config => {
            let config = quorum_sim::config::Config::default();
            println!("{}", serde_json::to_string(&config).expect("config serializes"));
        }
    }
}
