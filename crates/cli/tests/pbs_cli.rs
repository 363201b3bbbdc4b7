//! `quorum pbs` as a user runs it: the built binary.

mod binary;

use binary::{json, quorum};

const DISK_ARGS: [&str; 15] = [
    "pbs",
    "--n",
    "3",
    "--r",
    "1",
    "--w",
    "1",
    "--dist",
    "LNKD-Disk",
    "--t",
    "0,10,100",
    "--trials",
    "20000",
    "--seed",
    "3",
];

#[test]
fn the_object_has_the_documented_shape() {
    let v = json(&DISK_ARGS);
    assert_eq!(
        (v["n"].as_u64(), v["r"].as_u64(), v["w"].as_u64()),
        (Some(3), Some(1), Some(1))
    );
    assert_eq!(v["dist"], "lnkd-disk");
    assert_eq!(v["trials"], 20000);
    let points = v["points"].as_array().unwrap();
    let ts: Vec<f64> = points.iter().map(|p| p["t_ms"].as_f64().unwrap()).collect();
    assert_eq!(ts, [0.0, 10.0, 100.0]);
    let ps: Vec<f64> = points
        .iter()
        .map(|p| p["p_consistent"].as_f64().unwrap())
        .collect();
    assert!(
        ps.windows(2).all(|w| w[0] <= w[1]) && ps[0] > 0.3 && ps[0] < 0.6,
        "{ps:?}"
    );
    let t999 = v["t_visibility_ms_999"].as_f64().unwrap();
    assert!(t999 > 10.0 && t999 < 200.0, "{t999}");
    // Same seed, same answer.
    let again = json(&DISK_ARGS);
    assert_eq!(again["points"], v["points"]);
}

#[test]
fn exponential_rates_and_strict_quorums() {
    let v = json(&[
        "pbs",
        "--n",
        "3",
        "--r",
        "2",
        "--w",
        "2",
        "--dist",
        "exp:0.1,1,1,1",
        "--t",
        "0",
        "--trials",
        "5000",
    ]);
    assert_eq!(v["dist"], "exp:0.1,1,1,1");
    assert_eq!(v["points"][0]["p_consistent"], 1.0);
    assert_eq!(v["t_visibility_ms_999"], 0.0);
}

#[test]
fn bad_input_exits_2_with_a_message() {
    let cases: [(&[&str], &str); 6] = [
        (
            &["--n", "3", "--r", "4", "--w", "1", "--dist", "wan"],
            "R must be between 1 and N = 3",
        ),
        (
            &["--n", "3", "--r", "1", "--w", "0", "--dist", "wan"],
            "W must be between 1 and N = 3",
        ),
        (
            &["--n", "3", "--r", "1", "--w", "1", "--dist", "gauss"],
            "unknown latency model",
        ),
        (
            &["--n", "3", "--r", "1", "--w", "1", "--dist", "exp:1,1,0,1"],
            "positive",
        ),
        (
            &[
                "--n", "3", "--r", "1", "--w", "1", "--dist", "wan", "--trials", "0",
            ],
            "--trials",
        ),
        (
            &[
                "--n", "3", "--r", "1", "--w", "1", "--dist", "wan", "--t", "-1",
            ],
            "zero or more",
        ),
    ];
    for (args, message) in cases {
        let mut all = vec!["pbs"];
        all.extend_from_slice(args);
        if !args.contains(&"--t") {
            all.extend(["--t", "0"]);
        }
        let out = quorum(&all);
        assert_eq!(out.status.code(), Some(2), "{all:?}");
        assert!(out.stdout.is_empty());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(message), "{all:?}: {err}");
    }
    // Missing required flags: clap's own message, same exit status.
    assert_eq!(quorum(&["pbs", "--n", "3"]).status.code(), Some(2));
}
