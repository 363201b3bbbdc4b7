//! Several nodes on this machine, each a child process running
//! `quorum serve`: a real process can be killed (`kill -9 <pid>`) and
//! started again with the command printed for it, which is the crash the
//! course's containers show, and what an in-process task could only fake.

use crate::errors::LaunchError;
use clap::Args;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The cluster `cluster` and `bench-http` start.
#[derive(Args, Clone, Debug)]
pub struct Shape {
    /// N: how many nodes.
    #[arg(long, default_value_t = 3)]
    pub nodes: usize,
    #[arg(long = "w", default_value_t = 2)]
    pub w: usize,
    #[arg(long = "r", default_value_t = 1)]
    pub r: usize,
    /// Keep each node's state in DIR/node-k (see `serve --data-dir`).
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
    /// The key every node signs its peer batches with (see `serve
    /// --cluster-key`); handed to each node in its environment.
    #[arg(long, env = "CLUSTER_KEY", hide_env_values = true)]
    pub cluster_key: Option<String>,
}

impl Shape {
    /// node-k on `base_port + k - 1`, run by `exe`.
    pub fn plan(&self, exe: &Path, base_port: u16) -> Result<Plan, LaunchError> {
        if self.nodes == 0 || usize::from(base_port) + self.nodes > 65536 {
            return Err(LaunchError::Ports {
                nodes: self.nodes,
                base_port,
            });
        }
        Ok(Plan {
            exe: exe.to_path_buf(),
            ports: (0..self.nodes).map(|i| base_port + i as u16).collect(),
            w: self.w,
            r: self.r,
            data_dir: self.data_dir.clone(),
            key: self.cluster_key.clone(),
        })
    }
}

#[derive(Args, Clone, Debug)]
pub struct ClusterArgs {
    #[command(flatten)]
    pub shape: Shape,
    /// node-k listens on base-port + k - 1.
    #[arg(long, default_value_t = 4001)]
    pub base_port: u16,
}

/// How to start each node of a local cluster.
#[derive(Clone, Debug)]
pub struct Plan {
    pub exe: PathBuf,
    pub ports: Vec<u16>,
    pub w: usize,
    pub r: usize,
    pub data_dir: Option<PathBuf>,
    /// The cluster key, passed as CLUSTER_KEY (never on a command line,
    /// which other users can read).
    pub key: Option<String>,
}

impl Plan {
    pub fn url(&self, k: usize) -> String {
        format!("http://127.0.0.1:{}", self.ports[k - 1])
    }

    /// `serve` arguments for node-k (from 1).
    pub fn args(&self, k: usize) -> Vec<String> {
        let peers: Vec<String> = (1..=self.ports.len())
            .filter(|&j| j != k)
            .map(|j| self.url(j))
            .collect();
        let mut args = vec![
            "serve".into(),
            format!("--id=node-{k}"),
            format!("--port={}", self.ports[k - 1]),
            format!("--peers={}", peers.join(",")),
            format!("--w={}", self.w),
            format!("--r={}", self.r),
        ];
        if let Some(dir) = &self.data_dir {
            args.push(format!(
                "--data-dir={}",
                dir.join(format!("node-{k}")).display()
            ));
        }
        args
    }
}

/// Running nodes, stopped (and if need be killed) on drop, also when a
/// test fails.
pub struct Nodes {
    pub plan: Plan,
    children: Vec<Option<Child>>,
}

impl Nodes {
    pub fn start(plan: Plan, quiet: bool) -> std::io::Result<Nodes> {
        let mut nodes = Nodes {
            children: (0..plan.ports.len()).map(|_| None).collect(),
            plan,
        };
        for k in 1..=nodes.children.len() {
            nodes.restart(k, quiet)?;
        }
        Ok(nodes)
    }

    pub fn pid(&self, k: usize) -> Option<u32> {
        self.children[k - 1].as_ref().map(Child::id)
    }

    /// Starts node-k (from 1) unless it runs.
    pub fn restart(&mut self, k: usize, quiet: bool) -> std::io::Result<()> {
        if self.children[k - 1].is_none() {
            let mut command = Command::new(&self.plan.exe);
            command.args(self.plan.args(k));
            // The course's variables must not override what the flags say.
            for var in [
                "NODE_ID",
                "PORT",
                "PEERS",
                "WRITE_QUORUM",
                "READ_QUORUM",
                "DATA_DIR",
            ] {
                command.env_remove(var);
            }
            match &self.plan.key {
                Some(key) => command.env("CLUSTER_KEY", key),
                None => command.env_remove("CLUSTER_KEY"),
            };
            if quiet {
                command.stderr(Stdio::null());
            }
            self.children[k - 1] = Some(command.spawn()?);
        }
        Ok(())
    }

    /// SIGKILL: the node gets no chance to do anything more.
    pub fn kill(&mut self, k: usize) {
        if let Some(mut child) = self.children[k - 1].take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Nodes that exited on their own since started, with their status.
    fn exited(&mut self) -> Vec<(usize, std::process::ExitStatus)> {
        let mut gone = Vec::new();
        for (i, slot) in self.children.iter_mut().enumerate() {
            if let Some(Ok(Some(status))) = slot.as_mut().map(Child::try_wait) {
                gone.push((i + 1, status));
                *slot = None;
            }
        }
        gone
    }
}

impl Drop for Nodes {
    fn drop(&mut self) {
        for k in 1..=self.children.len() {
            self.kill(k);
        }
    }
}

/// `quorum cluster`: starts the nodes, reports, and on Ctrl-C stops them.
pub fn cluster(exe: &Path, args: ClusterArgs) -> i32 {
    let plan = match args.shape.plan(exe, args.base_port) {
        Ok(plan) => plan,
        Err(e) => {
            eprintln!("quorum cluster: {e}");
            return 2;
        }
    };
    let mut nodes = match Nodes::start(plan, false) {
        Ok(nodes) => nodes,
        Err(e) => {
            eprintln!("quorum cluster: cannot start a node: {e}");
            return 1;
        }
    };
    for k in 1..=nodes.plan.ports.len() {
        let key = if nodes.plan.key.is_some() {
            "CLUSTER_KEY=<the cluster's key> "
        } else {
            ""
        };
        println!(
            "node-{k} listens on {} (pid {}); to restart it after a kill:\n  {key}{} {}",
            nodes.plan.url(k),
            nodes.pid(k).unwrap_or_default(),
            exe.display(),
            nodes.plan.args(k).join(" ")
        );
    }
    println!("Ctrl-C stops them all.");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async {
        let mut tick = tokio::time::interval(Duration::from_millis(500));
        loop {
            tokio::select! {
                _ = crate::stop_signal() => break,
                _ = tick.tick() => {
                    for (k, status) in nodes.exited() {
                        println!("node-{k} exited ({status}); the others keep running");
                    }
                }
            }
        }
    });
    // From a terminal, Ctrl-C reached the nodes too: give them a moment to
    // stop by themselves before the rest are killed.
    let until = Instant::now() + Duration::from_secs(2);
    while nodes.children.iter().any(Option::is_some) && Instant::now() < until {
        nodes.exited();
        std::thread::sleep(Duration::from_millis(50));
    }
    drop(nodes);
    println!("cluster stopped");
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(nodes: usize) -> Shape {
        Shape {
            nodes,
            w: 1,
            r: 1,
            data_dir: None,
            cluster_key: None,
        }
    }

    #[test]
    fn a_cluster_needs_a_node_and_a_port_for_each() {
        let exe = Path::new("quorum");
        let none = shape(0).plan(exe, 4001).unwrap_err();
        assert_eq!(
            none,
            LaunchError::Ports {
                nodes: 0,
                base_port: 4001
            }
        );
        assert_eq!(
            none.to_string(),
            "--nodes must be at least 1 and the ports must fit under 65536"
        );
        assert_eq!(
            shape(2).plan(exe, 65535).unwrap_err(),
            LaunchError::Ports {
                nodes: 2,
                base_port: 65535
            }
        );
        assert_eq!(shape(1).plan(exe, 65535).unwrap().ports, [65535]);
    }
}
