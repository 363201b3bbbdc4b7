//! `quorum soak`: three `quorum serve` nodes with data directories on
//! loopback, clients doing mixed PUTs and GETs at every level for a bounded
//! time, the leader killed with SIGKILL every few seconds and restarted at
//! once. Every client operation is recorded in a JSON Lines history; at the
//! end every key is read back with a linearizable read, and `quorum check`
//! judges the writes with the linearizable reads: they must be linearizable
//! and no acknowledged (W = 2) write may be lost. Each node's resident
//! memory is sampled throughout. Bounded in time and count: it stops by
//! itself.

use crate::errors::{NoLeader, SoakError};
use crate::launch::{Nodes, Plan};
use crate::peers::{http_client, HttpClient};
use bytes::Bytes;
use clap::Args;
use http_body_util::{BodyExt, Full};
use hyper::{Method, Request};
use quorum_sim::history::{HistoryOp, OpKind, Outcome};
use quorum_sim::kv::Level;
use quorum_sim::msg::NodeId;
use quorum_sim::rng::SimRng;
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Args, Clone, Debug)]
pub struct SoakArgs {
    /// node-k listens on base-port + k - 1 (127.0.0.1 only).
    #[arg(long, default_value_t = 4201)]
    pub base_port: u16,
    /// Clients with one request in flight each.
    #[arg(long, default_value_t = 64)]
    pub clients: usize,
    /// How long the clients run.
    #[arg(long, default_value_t = 60)]
    pub secs: u64,
    /// The leader is killed (SIGKILL) and restarted this often.
    #[arg(long, default_value_t = 15)]
    pub kill_every_secs: u64,
    /// Keys the clients spread over.
    #[arg(long, default_value_t = 64)]
    pub keys: usize,
    /// Where the nodes keep their state and the history is written; a new
    /// directory under the system's temporary one by default.
    #[arg(long)]
    pub dir: Option<PathBuf>,
}

/// What a soak found.
#[derive(Debug)]
pub struct SoakReport {
    pub ops: usize,
    pub acked_writes: usize,
    pub unknown_writes: usize,
    pub failed_ops: usize,
    pub ops_per_sec: f64,
    pub kills: usize,
    /// Keys read back at the end, and how many of those reads succeeded.
    pub keys_read_back: (usize, usize),
    /// `quorum check` on the writes and linearizable reads.
    pub linearizable: Value,
    pub lost_acked_writes: u64,
    /// Largest resident set seen, kB, per node.
    pub rss_max_kb: Vec<u64>,
    pub history: PathBuf,
}

impl SoakReport {
    pub fn passed(&self) -> bool {
        self.linearizable == Value::Bool(true)
            && self.lost_acked_writes == 0
            && self.keys_read_back.0 == self.keys_read_back.1
    }
}

/// A request's answer, or how it failed.
enum Answer {
    Got(u16, Value),
    /// Never sent: the connection was refused.
    Refused,
    /// Sent, then lost (a reset, a timeout): it may have taken effect.
    Lost,
}

const REQUEST_TIMEOUT: Duration = Duration::from_secs(3);

async fn call(client: &HttpClient, method: Method, uri: &str, body: String) -> Answer {
    let request = Request::builder()
        .method(method)
        .uri(uri)
        .header(hyper::header::CONTENT_TYPE, "application/json")
        .body(Full::new(Bytes::from(body)))
        .expect("a valid request");
    let sent = tokio::time::timeout(REQUEST_TIMEOUT, async {
        let response = client.request(request).await.map_err(|e| e.is_connect())?;
        let status = response.status().as_u16();
        let body = response.into_body().collect().await.map_err(|_| false)?;
        Ok::<_, bool>((
            status,
            serde_json::from_slice(&body.to_bytes()).unwrap_or(Value::Null),
        ))
    })
    .await;
    match sent {
        Ok(Ok((status, body))) => Answer::Got(status, body),
        Ok(Err(true)) => Answer::Refused,
        Ok(Err(false)) | Err(_) => Answer::Lost,
    }
}

/// node-k from a `leader_id` such as "node-2".
fn node_number(name: &Value) -> Option<usize> {
    name.as_str()?.strip_prefix("node-")?.parse().ok()
}

/// Operations of one client, in order, timed from `epoch`.
struct Client {
    id: u32,
    http: HttpClient,
    plan: Plan,
    epoch: Instant,
    leader: Arc<AtomicUsize>,
    keys: usize,
    history: Vec<HistoryOp>,
}

impl Client {
    fn now_us(&self) -> u64 {
        self.epoch.elapsed().as_micros() as u64
    }

    fn record(
        &mut self,
        op: OpKind,
        node: usize,
        key: String,
        level: Level,
        invoke: u64,
    ) -> &mut HistoryOp {
        self.history.push(HistoryOp {
            client: self.id,
            node: NodeId::numbered(node).expect("nodes are numbered from 1"),
            op,
            key,
            value: None,
            level: level.name().into(),
            invoke_us: invoke,
            complete_us: None,
            outcome: Outcome::Fail,
        });
        self.history.last_mut().expect("just pushed")
    }

    async fn write(&mut self, key: String, value: String) {
        let node = self.leader.load(Ordering::Relaxed);
        let uri = format!("{}/key/{key}", self.plan.url(node));
        let invoke = self.now_us();
        let answer = call(
            &self.http,
            Method::PUT,
            &uri,
            Value::from(value.clone()).to_string(),
        )
        .await;
        let complete = self.now_us();
        let (outcome, completed) = match &answer {
            Answer::Got(200, body) if body["achieved_quorum"] == true => {
                (Outcome::Ok, Some(complete))
            }
            Answer::Got(503, body) => {
                if let Some(k) = node_number(&body["leader_id"]) {
                    self.leader.store(k, Ordering::Relaxed);
                }
                (Outcome::Fail, Some(complete))
            }
            Answer::Refused => (Outcome::Fail, Some(complete)),
            // Short of its quorum, or lost on the way: it may yet commit.
            _ => (Outcome::Unknown, None),
        };
        if matches!(answer, Answer::Refused | Answer::Lost) {
            // The leader may be the node that is down: try another next.
            self.leader
                .store(node % self.plan.ports.len() + 1, Ordering::Relaxed);
        }
        let op = self.record(OpKind::Write, node, key, Level::Eventual, invoke);
        (op.value, op.complete_us, op.outcome) = (Some(value), completed, outcome);
    }

    async fn read(&mut self, key: String, level: Level, node: usize) -> bool {
        let uri = format!(
            "{}/key/{key}?consistency={}",
            self.plan.url(node),
            level.name()
        );
        let invoke = self.now_us();
        let answer = call(&self.http, Method::GET, &uri, String::new()).await;
        let complete = self.now_us();
        let op = self.record(OpKind::Read, node, key, level, invoke);
        // A read that got no value had no effect: it is left out as failed.
        match answer {
            Answer::Got(200, body) => {
                op.value = Some(match &body["value"] {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                });
                (op.complete_us, op.outcome) = (Some(complete), Outcome::Ok);
                true
            }
            Answer::Got(404, body) if body["error"] == "Key not found" => {
                (op.complete_us, op.outcome) = (Some(complete), Outcome::Ok);
                true
            }
            _ => false,
        }
    }

    /// Mixed operations until `until`: half writes of unique values, half
    /// reads at a level drawn each time (linearizable ones at the leader,
    /// others at any node).
    async fn run(mut self, until: Instant) -> Vec<HistoryOp> {
        let mut rng = SimRng::new(u64::from(self.id));
        let mut seq = 0;
        while Instant::now() < until {
            let key = format!("k{}", rng.below(self.keys as u64));
            if rng.chance(0.5) {
                seq += 1;
                self.write(key, format!("c{}-{seq}", self.id)).await;
            } else {
                let level = Level::ALL[rng.below(Level::ALL.len() as u64) as usize];
                let node = match level {
                    Level::Linearizable => self.leader.load(Ordering::Relaxed),
                    _ => rng.below(self.plan.ports.len() as u64) as usize + 1,
                };
                if !self.read(key, level, node).await {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            }
        }
        self.history
    }
}

/// The node that leads, by its own word at the highest term; waits up to
/// `secs`.
async fn find_leader(http: &HttpClient, plan: &Plan, secs: u64) -> Option<usize> {
    let until = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < until {
        let mut best = None;
        for k in 1..=plan.ports.len() {
            let uri = format!("{}/status", plan.url(k));
            if let Answer::Got(200, s) = call(http, Method::GET, &uri, String::new()).await {
                let term = s["term"].as_u64().unwrap_or(0);
                if s["role"] == "leader" && best.is_none_or(|(t, _)| term > t) {
                    best = Some((term, k));
                }
            }
        }
        if let Some((_, k)) = best {
            return Some(k);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    None
}

/// VmRSS of a process, kB.
fn rss_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Soak settings beyond the cluster's plan.
pub struct Load {
    pub clients: usize,
    pub secs: u64,
    pub kill_every_secs: u64,
    pub keys: usize,
}

/// Runs a soak of `plan`'s cluster (N = 3, W = 2, its data directories),
/// writing the history into `dir`.
pub fn run(plan: Plan, load: &Load, dir: &Path) -> Result<SoakReport, SoakError> {
    if plan.data_dir.is_none() {
        return Err(SoakError::NoDataDir);
    }
    let runtime = tokio::runtime::Runtime::new().map_err(SoakError::Runtime)?;
    let exe = plan.exe.clone();
    let mut nodes = Nodes::start(plan, true).map_err(SoakError::Start)?;
    let (history, mut report) = runtime.block_on(drive(&mut nodes, load))?;
    drop(nodes);
    let all = dir.join("history.jsonl");
    let subset = dir.join("history-linearizable.jsonl");
    write_history(&all, history.iter())?;
    write_history(
        &subset,
        history
            .iter()
            .filter(|op| op.op != OpKind::Read || op.level == Level::Linearizable.name()),
    )?;
    let verdict = check(&exe, &subset)?;
    report.linearizable = verdict["linearizable"].clone();
    report.lost_acked_writes = verdict["lost_acked_writes"].as_u64().unwrap_or(u64::MAX);
    report.history = all;
    Ok(report)
}

async fn drive(nodes: &mut Nodes, load: &Load) -> Result<(Vec<HistoryOp>, SoakReport), SoakError> {
    let http = http_client();
    let plan = nodes.plan.clone();
    let secs = 15;
    let first = find_leader(&http, &plan, secs)
        .await
        .ok_or(SoakError::NoLeader(NoLeader { secs }))?;
    let leader = Arc::new(AtomicUsize::new(first));
    let epoch = Instant::now();
    let until = epoch + Duration::from_secs(load.secs);
    let clients: Vec<_> = (1..=load.clients as u32)
        .map(|id| {
            let client = Client {
                id,
                http: http.clone(),
                plan: plan.clone(),
                epoch,
                leader: leader.clone(),
                keys: load.keys,
                history: Vec::new(),
            };
            tokio::spawn(client.run(until))
        })
        .collect();
    let mut rss_max = vec![0u64; plan.ports.len()];
    let mut kills = 0;
    let kill_every = Duration::from_secs(load.kill_every_secs.max(1));
    let mut next_kill = epoch + kill_every;
    while Instant::now() < until {
        for (k, max) in rss_max.iter_mut().enumerate() {
            if let Some(kb) = nodes.pid(k + 1).and_then(rss_kb) {
                *max = (*max).max(kb);
            }
        }
        if Instant::now() >= next_kill && next_kill < until {
            next_kill += kill_every;
            if let Some(k) = find_leader(&http, &plan, 5).await {
                nodes.kill(k);
                nodes
                    .restart(k, true)
                    .map_err(|source| SoakError::Restart { node: k, source })?;
                kills += 1;
            }
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let mut history = Vec::new();
    for client in clients {
        history.extend(client.await.map_err(SoakError::Client)?);
    }
    let ops = history.len();
    let elapsed = epoch.elapsed().as_secs_f64();
    let count = |kind: OpKind, outcome: Outcome| {
        history
            .iter()
            .filter(|op| op.op == kind && op.outcome == outcome)
            .count()
    };
    let (acked_writes, unknown_writes) = (
        count(OpKind::Write, Outcome::Ok),
        count(OpKind::Write, Outcome::Unknown),
    );
    let failed_ops = history
        .iter()
        .filter(|op| op.outcome == Outcome::Fail)
        .count();
    let read_back = read_back(&http, &plan, load, epoch).await;
    let keys_read_back = (
        load.keys,
        read_back
            .iter()
            .filter(|op| op.outcome == Outcome::Ok)
            .count(),
    );
    history.extend(read_back);
    let report = SoakReport {
        ops,
        acked_writes,
        unknown_writes,
        failed_ops,
        ops_per_sec: ops as f64 / elapsed,
        kills,
        keys_read_back,
        linearizable: Value::Null,
        lost_acked_writes: u64::MAX,
        rss_max_kb: rss_max,
        history: PathBuf::new(),
    };
    Ok((history, report))
}

/// Every key read once with a linearizable read at the leader (retried
/// while leadership settles, for at most 20 s in all); only the successful
/// reads are kept.
async fn read_back(http: &HttpClient, plan: &Plan, load: &Load, epoch: Instant) -> Vec<HistoryOp> {
    let until = Instant::now() + Duration::from_secs(20);
    let leader = find_leader(http, plan, 15).await.unwrap_or(1);
    let mut reader = Client {
        id: load.clients as u32 + 1,
        http: http.clone(),
        plan: plan.clone(),
        epoch,
        leader: Arc::new(AtomicUsize::new(leader)),
        keys: load.keys,
        history: Vec::new(),
    };
    for key in 0..load.keys {
        let mut node = leader;
        while !reader
            .read(format!("k{key}"), Level::Linearizable, node)
            .await
            && Instant::now() < until
        {
            tokio::time::sleep(Duration::from_millis(100)).await;
            node = find_leader(http, plan, 2).await.unwrap_or(node);
        }
    }
    reader.history.retain(|op| op.outcome == Outcome::Ok);
    reader.history
}

fn write_history<'a>(
    path: &Path,
    ops: impl Iterator<Item = &'a HistoryOp>,
) -> Result<(), SoakError> {
    let failed = |source| SoakError::Write {
        path: path.to_path_buf(),
        source,
    };
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).map_err(failed)?);
    for op in ops {
        writeln!(out, "{}", op.to_json_line()).map_err(failed)?;
    }
    out.flush().map_err(failed)
}

/// `quorum check FILE`'s verdict.
fn check(exe: &Path, file: &Path) -> Result<Value, SoakError> {
    let out = std::process::Command::new(exe)
        .arg("check")
        .arg(file)
        .args(["--steps", "200000000"])
        .output()
        .map_err(SoakError::CheckRun)?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        return Err(SoakError::CheckFailed(stderr));
    }
    serde_json::from_slice(&out.stdout).map_err(SoakError::Verdict)
}

/// `quorum soak`: runs, prints the report, exits 0 only when it passed.
pub fn soak(exe: &Path, args: SoakArgs) -> i32 {
    let dir = args.dir.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!("quorum-soak-{}", std::process::id()))
    });
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("quorum soak: cannot create {}: {e}", dir.display());
        return 2;
    }
    let plan = Plan {
        exe: exe.to_path_buf(),
        ports: (0..3).map(|i| args.base_port + i).collect(),
        w: 2,
        r: 1,
        data_dir: Some(dir.join("nodes")),
        key: None,
    };
    let load = Load {
        clients: args.clients,
        secs: args.secs,
        kill_every_secs: args.kill_every_secs,
        keys: args.keys,
    };
    match run(plan, &load, &dir) {
        Ok(report) => {
            print_report(&args, &report);
            if report.passed() {
                0
            } else {
                1
            }
        }
        Err(e) => {
            eprintln!("quorum soak: {e}");
            1
        }
    }
}

fn print_report(args: &SoakArgs, r: &SoakReport) {
    println!(
        "3 nodes on loopback (W=2 R=1, data directories), {} clients for {} s, leader killed every {} s ({} kills)",
        args.clients, args.secs, args.kill_every_secs, r.kills
    );
    println!(
        "operations {} ({:.0}/s): writes acknowledged {}, unknown {}; failed (refused, not the leader, no answer) {}",
        r.ops, r.ops_per_sec, r.acked_writes, r.unknown_writes, r.failed_ops
    );
    println!(
        "keys read back with linearizable reads: {} of {}",
        r.keys_read_back.1, r.keys_read_back.0
    );
    println!(
        "quorum check (writes and linearizable reads): linearizable {}, lost acknowledged writes {}",
        r.linearizable, r.lost_acked_writes
    );
    let rss: Vec<String> = (r.rss_max_kb.iter().enumerate())
        .map(|(i, kb)| format!("node-{} {:.1} MB", i + 1, *kb as f64 / 1024.0))
        .collect();
    println!("resident memory, max: {}", rss.join(", "));
    println!("history: {}", r.history.display());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_soak_without_data_directories_is_refused_before_a_node_starts() {
        let plan = Plan {
            exe: "/nonexistent/quorum".into(),
            ports: vec![1, 2, 3],
            w: 2,
            r: 1,
            data_dir: None,
            key: None,
        };
        let load = Load {
            clients: 1,
            secs: 1,
            kill_every_secs: 1,
            keys: 1,
        };
        let err = run(plan, &load, Path::new("/nonexistent")).unwrap_err();
        assert!(matches!(err, SoakError::NoDataDir), "{err:?}");
    }

    #[test]
    fn a_history_that_cannot_be_written_is_named() {
        let path = Path::new("/nonexistent/history.jsonl");
        let err = write_history(path, [].iter()).unwrap_err();
        assert!(
            matches!(&err, SoakError::Write { path: p, .. } if p == path),
            "{err:?}"
        );
        let sentence = err.to_string();
        assert!(
            sentence.starts_with("cannot write /nonexistent/history.jsonl: "),
            "{sentence}"
        );
    }

    /// `false` and `true` stand in for a `quorum check` that fails and one
    /// that prints nothing.
    #[test]
    fn a_check_without_a_verdict_says_why() {
        let file = Path::new("history.jsonl");
        let missing = check(Path::new("/nonexistent/quorum"), file).unwrap_err();
        assert!(matches!(missing, SoakError::CheckRun(_)), "{missing:?}");
        let failed = check(Path::new("false"), file).unwrap_err();
        assert!(matches!(failed, SoakError::CheckFailed(_)), "{failed:?}");
        let silent = check(Path::new("true"), file).unwrap_err();
        assert!(matches!(silent, SoakError::Verdict(_)), "{silent:?}");
    }
}
