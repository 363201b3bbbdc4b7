//! What a scenario or a learner does to the cluster: operations, crashes and
//! restarts, partitions, setting changes.

use super::tickets::Ticket;
use super::World;
use crate::errors::ActionError;
use crate::msg::{NodeId, ReqId};
use crate::node::Params;
use crate::scenario::{check_action, Action};
use crate::trace::TraceKind;

impl World {
    /// Does what a learner (or a scenario) asks, now.
    pub fn apply(&mut self, action: &Action) -> Result<(), ActionError> {
        self.act(action, None)
    }

    pub(super) fn act(
        &mut self,
        action: &Action,
        ticket: Option<Ticket>,
    ) -> Result<(), ActionError> {
        let mut config = self.config.clone();
        check_action(action, &mut config)?;
        if let Some((client, node, op)) = action.client_request() {
            self.invoke(client, node, op, ticket);
            return Ok(());
        }
        match action {
            Action::Read { .. } | Action::Write { .. } | Action::Delete { .. } => {}
            Action::StartWorkload(spec) => {
                self.stop_workload();
                self.start_workload(spec.clone())
                    .map_err(ActionError::Workload)?;
            }
            Action::StopWorkload => self.stop_workload(),
            Action::Crash { node } => self.crash(*node),
            Action::Restart { node } => self.restart(*node),
            Action::Partition { groups } => {
                self.net.partition(self.config.n, groups);
                self.trace
                    .record(self.now, TraceKind::Links { partitioned: true });
            }
            Action::Cut { from, to } => {
                self.net.cut_one_way(from, to);
                self.trace
                    .record(self.now, TraceKind::Links { partitioned: true });
            }
            Action::Heal => {
                self.net.heal();
                self.trace
                    .record(self.now, TraceKind::Links { partitioned: false });
            }
            Action::Set(_) => {
                self.marks.push_back(super::Mark {
                    at_us: self.now,
                    stats: self.stats.clone(),
                    before: self.config.clone(),
                });
                if self.marks.len() > super::MARKS {
                    self.marks.pop_front();
                }
                self.config = config;
                self.net.configure(&self.config);
                let params = Params::from_config(&self.config);
                for node in &mut self.nodes {
                    node.set_params(params.clone());
                }
                self.trace.record(self.now, TraceKind::Setting);
            }
        }
        Ok(())
    }

    fn crash(&mut self, id: NodeId) {
        if !self.alive[id] {
            return;
        }
        self.alive[id] = false;
        // A new incarnation: its timers and messages in flight die.
        self.lives[id] += 1;
        self.trace.record(self.now, TraceKind::Crash { node: id });
        let mut dead: Vec<ReqId> = self
            .clients
            .pending
            .iter()
            .filter(|(_, p)| p.node == id)
            .map(|(&req, _)| req)
            .collect();
        // In request order, whatever order the map keeps.
        dead.sort_unstable();
        for req in dead {
            let p = self.clients.pending.remove(&req).expect("listed");
            self.broken(req, p);
        }
    }

    pub(super) fn restart(&mut self, id: NodeId) {
        if self.alive[id] {
            return;
        }
        self.alive[id] = true;
        self.trace.record(self.now, TraceKind::Restart { node: id });
        self.drive(id, |n, now, out| n.restart(now, out));
    }
}
