use super::*;
use quorum_sim::config::Config;
use quorum_sim::kv::Text;
use quorum_sim::msg::{ClientOp, ClientRequest, Command, Output, Timer};
use quorum_sim::node::Params;
use quorum_sim::rng::SimRng;

/// A fresh directory under the system's temporary one, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("quorum-disk-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// The leader of a one-node cluster, which commits each write at once.
fn leader(log_limit: usize) -> Node {
    let config = Config {
        n: 1,
        w: 1,
        log_limit,
        ..Config::default()
    };
    let mut node = Node::new(NodeId::at(0), Params::from_config(&config), SimRng::new(7));
    let mut out = Vec::new();
    node.start(0, &mut out);
    let at = out
        .iter()
        .find_map(|o| match o {
            Output::SetTimer {
                timer: Timer::Election,
                at,
            } => Some(*at),
            _ => None,
        })
        .unwrap();
    node.on_timer(at, Timer::Election, &mut out);
    node
}

fn write(node: &mut Node, req: u64) {
    let op = ClientOp::Write {
        key: Text::from(format!("k{}", req % 3)),
        value: Text::from(format!("v{req}")),
    };
    let request = ClientRequest {
        req,
        op,
        token: Default::default(),
    };
    node.on_client_request(1_000_000, request, &mut Vec::new());
}

fn durable(node: &Node) -> Durable {
    Durable {
        term: node.term(),
        voted_for: node.voted_for(),
        snapshot: node.snapshot().clone(),
        log: node.log().to_vec(),
    }
}

#[test]
fn a_reopened_directory_holds_what_was_saved_through_appends_and_snapshots() {
    let dir = TempDir::new("appends");
    let mut node = leader(4);
    let (mut disk, empty) = Disk::open(&dir.0).unwrap();
    assert_eq!(empty, Durable::default());
    disk.save(&node).unwrap();
    for req in 1..=10 {
        write(&mut node, req);
        disk.save(&node).unwrap();
        if req == 6 {
            // The leader compacts on its heartbeat: a new snapshot, a rewrite.
            node.on_timer(2_000_000, Timer::Heartbeat, &mut Vec::new());
            assert!(node.snapshot_index() > 0);
            disk.save(&node).unwrap();
        }
    }
    drop(disk);
    let (_, back) = Disk::open(&dir.0).unwrap();
    assert_eq!(back, durable(&node));
    assert_eq!(back.term, 1);
    assert_eq!(back.voted_for, Some(NodeId::at(0)));
}

#[test]
fn a_torn_last_line_is_dropped_and_a_torn_middle_is_an_error() {
    let dir = TempDir::new("torn");
    let mut node = leader(100);
    let (mut disk, _) = Disk::open(&dir.0).unwrap();
    write(&mut node, 1);
    disk.save(&node).unwrap();
    drop(disk);
    let path = dir.0.join(FILE);
    let mut file = OpenOptions::new().append(true).open(&path).unwrap();
    file.write_all(br#"{"Entries":[{"term":1,"ind"#).unwrap();
    let (_, back) = Disk::open(&dir.0).unwrap();
    assert_eq!(back, durable(&node));

    let mut text = fs::read_to_string(&path).unwrap();
    text.insert_str(0, "{\"Vote\":\n");
    fs::write(&path, text).unwrap();
    let err = Disk::open(&dir.0).err().unwrap();
    assert!(err.to_string().contains("line 1"), "{err}");
}

#[test]
fn later_entries_lines_replace_what_they_overlap() {
    let entry = |term, index| Entry {
        term,
        index,
        command: Command::Noop,
    };
    let text = [
        Record::Entries(Cow::Owned(vec![entry(1, 1), entry(1, 2), entry(1, 3)])),
        Record::Entries(Cow::Owned(vec![entry(2, 2)])),
    ]
    .iter()
    .map(|r| serde_json::to_string(r).unwrap() + "\n")
    .collect::<String>();
    assert_eq!(replay(&text).unwrap().log, vec![entry(1, 1), entry(2, 2)]);
    let gap = serde_json::to_string(&Record::Entries(Cow::Owned(vec![entry(1, 5)]))).unwrap();
    assert!(replay(&(gap + "\n")).is_err());
}
