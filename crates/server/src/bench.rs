//! `quorum bench-http`: a local cluster under load over real HTTP. Writes
//! go to the leader; reads at each level go to a follower, except
//! linearizable ones, which only a leader answers. Bounded by a request
//! count and a time limit per phase.

use crate::errors::NoLeader;
use crate::launch::{Nodes, Plan, Shape};
use crate::peers::{http_client, HttpClient};
use bytes::Bytes;
use clap::Args;
use http_body_util::{BodyExt, Full};
use hyper::{Method, Request};
use quorum_sim::kv::Level;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Args, Clone, Debug)]
pub struct BenchArgs {
    #[command(flatten)]
    pub shape: Shape,
    /// node-k listens on base-port + k - 1.
    #[arg(long, default_value_t = 4101)]
    pub base_port: u16,
    /// Requests per phase.
    #[arg(long, default_value_t = 2000)]
    pub requests: usize,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 8)]
    pub concurrency: usize,
    /// A phase stops after this long even if requests remain.
    #[arg(long, default_value_t = 10)]
    pub max_secs: u64,
}

/// Keys the load spreads over.
const KEYS: usize = 100;

/// How long a cluster just started may take to elect its first leader.
const LEADER_WITHIN_SECS: u64 = 15;

struct Phase {
    name: String,
    node: usize,
    ok: usize,
    failed: usize,
    elapsed: Duration,
    latencies: Vec<Duration>,
}

pub fn bench(exe: &Path, args: BenchArgs) -> i32 {
    let plan = match args.shape.plan(exe, args.base_port) {
        Ok(plan) => plan,
        Err(e) => {
            eprintln!("quorum bench-http: {e}");
            return 2;
        }
    };
    let nodes = match Nodes::start(plan, true) {
        Ok(nodes) => nodes,
        Err(e) => {
            eprintln!("quorum bench-http: cannot start a node: {e}");
            return 1;
        }
    };
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let result = runtime.block_on(run(&nodes, &args));
    drop(nodes);
    match result {
        Ok(phases) => {
            report(&args, &phases);
            0
        }
        Err(e) => {
            eprintln!("quorum bench-http: {e}");
            1
        }
    }
}

async fn run(nodes: &Nodes, args: &BenchArgs) -> Result<Vec<Phase>, NoLeader> {
    let client = http_client();
    let leader = wait_for_leader(&client, &nodes.plan).await?;
    let follower = (1..=args.shape.nodes)
        .find(|&k| k != leader)
        .unwrap_or(leader);
    let mut phases = Vec::new();
    let writes = format!("write W={}", args.shape.w);
    phases.push(phase(&client, &nodes.plan, args, writes, leader, None).await);
    for level in Level::ALL {
        let node = if level == Level::Linearizable {
            leader
        } else {
            follower
        };
        let name = format!("read {}", level.name());
        phases.push(phase(&client, &nodes.plan, args, name, node, Some(level)).await);
    }
    Ok(phases)
}

async fn call(
    client: &HttpClient,
    method: Method,
    uri: &str,
    body: String,
) -> Option<(u16, Bytes)> {
    let request = Request::builder()
        .method(method)
        .uri(uri)
        .header(hyper::header::CONTENT_TYPE, "application/json")
        .body(Full::new(Bytes::from(body)))
        .ok()?;
    let response = client.request(request).await.ok()?;
    let status = response.status().as_u16();
    let body = response.into_body().collect().await.ok()?.to_bytes();
    Some((status, body))
}

async fn wait_for_leader(client: &HttpClient, plan: &Plan) -> Result<usize, NoLeader> {
    let until = Instant::now() + Duration::from_secs(LEADER_WITHIN_SECS);
    while Instant::now() < until {
        for k in 1..=plan.ports.len() {
            let uri = format!("{}/status", plan.url(k));
            if let Some((200, body)) = call(client, Method::GET, &uri, String::new()).await {
                let status: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
                if status["role"] == "leader" {
                    return Ok(k);
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err(NoLeader {
        secs: LEADER_WITHIN_SECS,
    })
}

async fn phase(
    client: &HttpClient,
    plan: &Plan,
    args: &BenchArgs,
    name: String,
    node: usize,
    read: Option<Level>,
) -> Phase {
    let next = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let stop = start + Duration::from_secs(args.max_secs);
    let workers: Vec<_> = (0..args.concurrency.max(1))
        .map(|_| {
            let (client, next, base) = (client.clone(), next.clone(), plan.url(node));
            let total = args.requests;
            tokio::spawn(async move {
                let mut done = Vec::new();
                let mut failed = 0;
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= total || Instant::now() >= stop {
                        return (done, failed);
                    }
                    let key = i % KEYS;
                    let (method, uri, body) = match read {
                        None => (
                            Method::PUT,
                            format!("{base}/key/k{key}"),
                            format!("\"v{i}\""),
                        ),
                        Some(level) => {
                            let uri = format!("{base}/key/k{key}?consistency={}", level.name());
                            (Method::GET, uri, String::new())
                        }
                    };
                    let sent = Instant::now();
                    match call(&client, method, &uri, body).await {
                        Some((200 | 404, _)) => done.push(sent.elapsed()),
                        _ => failed += 1,
                    }
                }
            })
        })
        .collect();
    let mut latencies = Vec::new();
    let mut failed = 0;
    for worker in workers {
        let (done, f) = worker.await.unwrap_or_default();
        latencies.extend(done);
        failed += f;
    }
    latencies.sort_unstable();
    Phase {
        name,
        node,
        ok: latencies.len(),
        failed,
        elapsed: start.elapsed(),
        latencies,
    }
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn report(args: &BenchArgs, phases: &[Phase]) {
    println!(
        "{} nodes on loopback, W={} R={}, {} requests per phase, {} in flight, state {}",
        args.shape.nodes,
        args.shape.w,
        args.shape.r,
        args.requests,
        args.concurrency,
        if args.shape.data_dir.is_some() {
            "on disk (fsync)"
        } else {
            "in memory"
        }
    );
    println!(
        "{:<24} {:>6} {:>7} {:>6} {:>9} {:>8} {:>8}",
        "phase", "node", "ok", "failed", "req/s", "p50 ms", "p99 ms"
    );
    for p in phases {
        println!(
            "{:<24} {:>6} {:>7} {:>6} {:>9.0} {:>8.2} {:>8.2}",
            p.name,
            format!("node-{}", p.node),
            p.ok,
            p.failed,
            p.ok as f64 / p.elapsed.as_secs_f64(),
            percentile(&p.latencies, 0.50),
            percentile(&p.latencies, 0.99),
        );
    }
}
