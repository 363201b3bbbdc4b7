//! Healing and agreeing: how a run ends, and what "done" means for a
//! replay.

use super::World;
use crate::msg::{NodeId, Role};
use crate::scenario::{Action, Settings};
use crate::stats::Summary;

impl World {
    /// Heals every fault (partitions, loss, crashes), stops the workload and
    /// runs until the cluster agrees on one committed log and no operation
    /// is pending, or `limit_us` more simulated time has passed. Acknowledged
    /// writes missing from the agreed log are then counted lost.
    pub fn heal_and_converge(&mut self, limit_us: u64) -> bool {
        self.stop_workload();
        let _ = self.apply(&Action::Heal);
        if self.config.drop > 0.0 {
            let _ = self.apply(&Action::Set(Settings {
                drop: Some(0.0),
                ..Default::default()
            }));
        }
        for id in NodeId::all(self.nodes.len()) {
            self.restart(id);
        }
        let deadline = self.now + limit_us;
        let slice = self.config.heartbeat_ms * 1000;
        while self.now < deadline {
            self.run_until(self.now + slice);
            if self.converged() && self.clients.pending.is_empty() {
                if let Some(leader) = self.leader() {
                    let commit = self.nodes[leader].commit_index();
                    self.observer
                        .converged(&self.nodes, leader, commit, &mut self.stats);
                }
                return true;
            }
        }
        false
    }

    /// One live leader, every node alive, and all holding the same log,
    /// all of it committed.
    pub fn converged(&self) -> bool {
        let Some(leader) = self.leader() else {
            return false;
        };
        let l = &self.nodes[leader];
        self.alive.iter().all(|&a| a)
            && l.commit_index() == l.last_index()
            && self.nodes.iter().all(|n| {
                n.last_index() == l.last_index()
                    && n.last_term() == l.last_term()
                    && n.commit_index() == l.commit_index()
            })
    }

    /// The live leader of the highest term, if any.
    pub fn leader(&self) -> Option<NodeId> {
        NodeId::all(self.nodes.len())
            .filter(|&i| self.alive[i] && self.nodes[i].role() == Role::Leader)
            .max_by_key(|&i| self.nodes[i].term())
    }

    /// Runs on in 100 ms slices until the workload has issued all its
    /// operations and none is pending; `after_slice` sees each slice's end.
    /// A workload without an operation count never finishes: stop it first
    /// (as [`World::replay_to_end`] does).
    pub fn run_until_quiet(&mut self, mut after_slice: impl FnMut(&World)) {
        while !(self.workload_finished() && self.clients.pending.is_empty()) {
            self.run_until(self.now + 100_000);
            after_slice(self);
        }
    }

    /// Ends a scenario's replay: runs to `end_us`, where a workload without
    /// an operation count (a page's, shared in a link) stops issuing, then
    /// until a counted workload is done and every operation has completed.
    pub fn replay_to_end(&mut self, end_us: u64, after_slice: impl FnMut(&World)) {
        self.run_until(end_us);
        if self
            .clients
            .workload
            .as_ref()
            .is_some_and(|g| g.spec.ops == 0)
        {
            self.stop_workload();
        }
        self.run_until_quiet(after_slice);
    }

    /// Whether the workload has issued all its operations (or there is none).
    pub fn workload_finished(&self) -> bool {
        self.clients.workload.as_ref().is_none_or(|g| g.exhausted())
    }

    /// The run so far, as `quorum run --json` prints it.
    pub fn summary(&self) -> Summary {
        let s = &self.stats;
        Summary {
            ops: s.ops,
            reads: s.reads,
            writes: s.writes,
            deletes: s.deletes,
            stale_reads: s.stale_reads,
            lost_acked_writes: s.lost_acked_writes,
            acked_writes: s.acked_writes,
            failed_ops: s.failed_ops,
            unknown_ops: s.unknown_ops,
            read_latency_ms_p50: s.read_latency.quantile_ms(0.5),
            read_latency_ms_p99: s.read_latency.quantile_ms(0.99),
            write_latency_ms_p50: s.write_latency.quantile_ms(0.5),
            write_latency_ms_p99: s.write_latency.quantile_ms(0.99),
            elections: s.elections,
            split_brains: s.split_brains,
            events: s.events,
            sim_time_ms: self.now as f64 / 1000.0,
            converged: self.converged(),
            trace_hash: format!("{:016x}", self.trace.hash()),
        }
    }
}
