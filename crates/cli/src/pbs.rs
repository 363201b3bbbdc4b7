//! `quorum pbs`: probabilistically bounded staleness under the WARS model.

use crate::errors::PbsError;
use clap::Args;
use quorum_sim::errors::OutOfRange;
use quorum_sim::pbs::{simulate, Quorum, Wars};
use serde_json::json;

/// Most trials one run accepts: a billion-trial typo should not eat the
/// machine's memory (each stale trial keeps 8 bytes).
const MAX_TRIALS: usize = 100_000_000;

#[derive(Args, Debug)]
pub struct PbsArgs {
    /// Replicas (N).
    #[arg(long)]
    n: usize,
    /// Read quorum: replies a read waits for.
    #[arg(long)]
    r: usize,
    /// Write quorum: acknowledgements a write waits for.
    #[arg(long)]
    w: usize,
    /// Latency model: lnkd-ssd, lnkd-disk, ymmr, wan (any case), or
    /// exp:LW,LA,LR,LS (exponential rates per ms for W, A, R, S).
    #[arg(long)]
    dist: String,
    /// Times after commit, in ms, comma-separated.
    #[arg(
        long,
        value_delimiter = ',',
        required = true,
        allow_negative_numbers = true
    )]
    t: Vec<f64>,
    /// Monte Carlo trials.
    #[arg(long, default_value_t = 100_000)]
    trials: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

/// Prints one JSON object; exit status 2 on bad input.
pub fn run(args: PbsArgs) -> i32 {
    match pbs(&args) {
        Ok(out) => {
            println!("{out}");
            0
        }
        Err(message) => {
            eprintln!("quorum pbs: {message}");
            2
        }
    }
}

fn pbs(args: &PbsArgs) -> Result<serde_json::Value, PbsError> {
    let quorum = Quorum::new(args.n, args.r, args.w).map_err(PbsError::Range)?;
    let wars = Wars::parse(&args.dist).map_err(PbsError::Model)?;
    if !(1..=MAX_TRIALS).contains(&args.trials) {
        let range = OutOfRange::new("--trials", &1, &MAX_TRIALS, &args.trials);
        return Err(PbsError::Range(range));
    }
    if let Some(&bad) = args.t.iter().find(|t| !(t.is_finite() && **t >= 0.0)) {
        return Err(PbsError::Time(bad));
    }
    let staleness = simulate(&wars, quorum, args.trials, args.seed);
    let points: Vec<_> = args
        .t
        .iter()
        .map(|&t| json!({ "t_ms": t, "p_consistent": staleness.p_consistent(t) }))
        .collect();
    Ok(json!({
        "n": args.n,
        "r": args.r,
        "w": args.w,
        "dist": args.dist.trim().to_ascii_lowercase(),
        "trials": args.trials,
        "seed": args.seed,
        "points": points,
        "t_visibility_ms_999": staleness.t_visibility(0.999),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use quorum_sim::pbs::ModelError;

    fn args() -> PbsArgs {
        PbsArgs {
            n: 3,
            r: 1,
            w: 1,
            dist: "wan".into(),
            t: vec![0.0],
            trials: 10,
            seed: 1,
        }
    }

    #[test]
    fn flags_without_an_answer_are_refused_by_kind() {
        assert!(pbs(&args()).is_ok());
        let trials = pbs(&PbsArgs {
            trials: 0,
            ..args()
        })
        .unwrap_err();
        let range = OutOfRange::new("--trials", &1, &MAX_TRIALS, &0);
        assert_eq!(trials, PbsError::Range(range));
        assert_eq!(
            trials.to_string(),
            "--trials must be between 1 and 100000000, not 0"
        );
        let t = pbs(&PbsArgs {
            t: vec![1.0, -1.0],
            ..args()
        });
        assert_eq!(t.unwrap_err(), PbsError::Time(-1.0));
        let model = pbs(&PbsArgs {
            dist: "lan".into(),
            ..args()
        });
        let unknown = ModelError::Unknown("lan".into());
        assert_eq!(model.unwrap_err(), PbsError::Model(unknown));
        let r = pbs(&PbsArgs { r: 4, ..args() }).unwrap_err();
        assert!(matches!(&r, PbsError::Range(e) if e.what == "R"), "{r:?}");
    }
}
