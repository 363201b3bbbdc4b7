//! The soak, short: three nodes with data directories, 16 clients for 15 s
//! at every level, the leader killed once with SIGKILL and restarted. No
//! write acknowledged with W = 2 may be lost, and the writes with the
//! linearizable reads must be linearizable (`quorum check` on the recorded
//! history). Bounded: it stops by itself.

mod common;

use common::{free_ports, TempDir};
use quorum_server::launch::Plan;
use quorum_server::soak::{self, Load};
use serde_json::Value;

#[test]
fn a_short_soak_loses_no_acknowledged_write_and_stays_linearizable() {
    let dir =
        TempDir(std::env::temp_dir().join(format!("quorum-soak-test-{}", std::process::id())));
    let _ = std::fs::remove_dir_all(&dir.0);
    std::fs::create_dir_all(&dir.0).unwrap();
    let plan = Plan {
        exe: env!("CARGO_BIN_EXE_quorum").into(),
        ports: free_ports(3),
        w: 2,
        r: 1,
        data_dir: Some(dir.0.join("nodes")),
        key: Some("soak".into()),
    };
    let load = Load {
        clients: 16,
        secs: 15,
        kill_every_secs: 10,
        keys: 16,
    };
    let report = soak::run(plan, &load, &dir.0).expect("the soak runs");
    eprintln!("{report:?}");
    assert_eq!(report.kills, 1);
    assert!(report.acked_writes > 100, "{report:?}");
    assert_eq!(report.keys_read_back, (16, 16), "every key read back");
    assert_eq!(report.lost_acked_writes, 0, "{report:?}");
    assert_eq!(report.linearizable, Value::Bool(true), "{report:?}");
    assert!(
        report
            .rss_max_kb
            .iter()
            .all(|&kb| kb > 0 && kb < 200 * 1024),
        "{report:?}"
    );
    let lines = std::fs::read_to_string(&report.history)
        .unwrap()
        .lines()
        .count();
    assert_eq!(lines, report.ops + 16, "every operation is in the history");
}
