//! The learner's clients (Client 1, Client 2), the workload generator and
//! the curl console: what they send and what came back.
//!
//! Every operation is a scenario action, recorded for the shared link: the
//! clients' and the workload's go back to the model through
//! [`Clients::update`]; the ones made while the world runs (a console
//! command, a redirect to the leader) are applied in [`Clients::observe`]
//! and returned from it for recording. Replies come back through the
//! engine's watch on scheduled actions, and reads are judged by its checker.

pub mod console;
pub mod verdict;
pub mod workload;

use console::{apply_now, ConsoleState, Entry};
use quorum_console::examples::SideBySide;
use quorum_sim::kv::Level;
use quorum_sim::msg::Response;
use quorum_sim::scenario::Action;
use quorum_sim::world::{Completion, World};
use std::collections::VecDeque;
use verdict::{judge_read, Badge, Verdict};
use workload::{Levels, WorkloadForm};

/// The course's two clients.
pub const CLIENTS: usize = 2;
/// Results kept per client, newest first.
pub const MAX_RESULTS: usize = 8;

/// The engine's client id of page client `index` (0-based): 1 and 2, as the
/// course and the presets name them. The workload's clients are numbered from
/// `quorum_sim::workload::FIRST_CLIENT`, so each keeps its own session.
pub fn client_id(index: usize) -> u32 {
    1 + index as u32
}

fn client_index(id: u32) -> Option<usize> {
    let i = id.checked_sub(client_id(0))? as usize;
    (i < CLIENTS).then_some(i)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpChoice {
    Put,
    Get,
    Delete,
}

/// What one client will send next.
#[derive(Clone, Debug, PartialEq)]
pub struct ClientForm {
    /// From 1, as the course names nodes.
    pub node: usize,
    pub key: String,
    pub value: String,
    pub op: OpChoice,
    pub level: Level,
    /// Retry a 503 at the node it names, as a client library would.
    pub redirect: bool,
}

impl ClientForm {
    fn new(index: usize) -> ClientForm {
        ClientForm {
            node: index + 1,
            key: "name".into(),
            value: "Alice".into(),
            op: if index == 0 {
                OpChoice::Put
            } else {
                OpChoice::Get
            },
            level: Level::Eventual,
            redirect: false,
        }
    }

    fn action(&self, client: u32) -> Action {
        let (node, key) = (self.node, self.key.trim().to_string());
        match self.op {
            OpChoice::Put => Action::Write {
                client,
                node,
                key,
                value: self.value.clone(),
            },
            OpChoice::Get => Action::Read {
                client,
                node,
                key,
                level: self.level,
            },
            OpChoice::Delete => Action::Delete { client, node, key },
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum FormField {
    Node(usize),
    Key(String),
    Value(String),
    Op(OpChoice),
    Level(Level),
    Redirect(bool),
}

#[derive(Clone, Debug, PartialEq)]
pub enum WorkloadField {
    Rate(f64),
    ReadFraction(f64),
    Keys(u32),
    Levels(Levels),
}

/// What a learner does in the clients area.
#[derive(Clone, Debug, PartialEq)]
pub enum ClientMsg {
    Form(usize, FormField),
    /// Client `i` sends its operation.
    Send(usize),
    Workload(WorkloadField),
    StartWorkload,
    StopWorkload,
    /// Which client types in the console.
    ConsoleClient(usize),
    ConsoleRun(String),
    /// Exercise 2 against the current leader.
    Exercise2,
    ConsoleClear,
}

/// One operation in a client's result list.
#[derive(Clone, Debug, PartialEq)]
pub struct ResultRow {
    /// "PUT name = Alice", "GET name (strong)".
    pub op: String,
    pub node: usize,
    /// What a read returned; `None` before the answer or for a write.
    pub returned: Option<String>,
    pub latency_ms: Option<f64>,
    pub verdict: Verdict,
    pub note: Option<String>,
    action: Action,
    at: u64,
    redirect: bool,
}

impl ResultRow {
    fn new(action: Action, at: u64, redirect: bool) -> Option<ResultRow> {
        let (op, node) = match &action {
            Action::Write {
                node, key, value, ..
            } => (format!("PUT {key} = {value}"), *node),
            Action::Read {
                node, key, level, ..
            } => (format!("GET {key} ({})", level.name()), *node),
            Action::Delete { node, key, .. } => (format!("DELETE {key}"), *node),
            _ => return None,
        };
        Some(ResultRow {
            op,
            node,
            returned: None,
            latency_ms: None,
            verdict: Verdict::Pending,
            note: None,
            action,
            at,
            redirect,
        })
    }

    pub fn badges(&self) -> Vec<Badge> {
        self.verdict.badges()
    }

    /// Collects the reply, if it came, and judges it; returns the retry at
    /// the leader a 503 asks for.
    fn settle(&mut self, world: &mut World, client: u32) -> Option<Action> {
        let req = world.scheduled_request(client, self.at)?;
        let completion = world.take_completion(req)?;
        let done = world
            .history()
            .rev()
            .find(|op| op.client == client && op.invoke_us == self.at)
            .and_then(|op| op.complete_us)
            .unwrap_or(world.now());
        self.latency_ms = Some((done - self.at) as f64 / 1000.0);
        self.verdict = Verdict::of(&completion);
        if let Completion::Replied(Response::Read { value, .. }) = &completion {
            self.returned = Some(value.as_deref().unwrap_or("(not found)").to_string());
            if let Action::Read { key, .. } = &self.action {
                let judged = judge_read(world.history(), client, key, self.at);
                self.verdict = Verdict::Read(judged.unwrap_or_default());
            }
        }
        let Verdict::NotLeader {
            leader: Some(leader),
        } = self.verdict
        else {
            return None;
        };
        if !self.redirect || leader == self.node {
            return None;
        }
        self.note = Some(format!("retried at node-{leader}"));
        Some(retarget(&self.action, leader))
    }
}

/// `action` sent to `node` instead.
fn retarget(action: &Action, to: usize) -> Action {
    let mut action = action.clone();
    if let Action::Read { node, .. } | Action::Write { node, .. } | Action::Delete { node, .. } =
        &mut action
    {
        *node = to;
    }
    action
}

#[derive(Clone, Debug, PartialEq)]
pub struct Panel {
    pub form: ClientForm,
    pub rows: VecDeque<ResultRow>,
}

impl Panel {
    fn push(&mut self, row: ResultRow) {
        self.rows.push_front(row);
        self.rows.truncate(MAX_RESULTS);
    }
}

pub struct Clients {
    pub panels: Vec<Panel>,
    pub workload: WorkloadForm,
    pub console: ConsoleState,
    /// Who types in the console (index into `panels`).
    pub typing: usize,
}

impl Default for Clients {
    fn default() -> Self {
        Clients {
            panels: (0..CLIENTS)
                .map(|i| Panel {
                    form: ClientForm::new(i),
                    rows: VecDeque::new(),
                })
                .collect(),
            workload: WorkloadForm::default(),
            console: ConsoleState::default(),
            typing: 0,
        }
    }
}

/// What the clients area shows: plain data, compared per frame.
#[derive(Clone, Debug, PartialEq)]
pub struct ClientsView {
    pub n: usize,
    /// The live leader, from 1.
    pub leader: Option<usize>,
    pub panels: Vec<Panel>,
    pub workload: WorkloadForm,
    pub workload_running: bool,
    pub typing: usize,
    pub log: Vec<Entry>,
    pub history: Vec<String>,
    pub console_busy: bool,
    pub exercise: Option<SideBySide>,
}

impl Clients {
    /// Handles `msg`; returns the actions to apply to the world (the model
    /// records each one in the scenario, then calls [`Clients::applied`]).
    pub fn update(&mut self, msg: ClientMsg, world: &World) -> Vec<Action> {
        let n = world.config().n;
        match msg {
            ClientMsg::Form(i, field) => {
                if let Some(form) = self.panels.get_mut(i).map(|p| &mut p.form) {
                    match field {
                        FormField::Node(node) => form.node = node.clamp(1, n),
                        FormField::Key(key) => form.key = key,
                        FormField::Value(value) => form.value = value,
                        FormField::Op(op) => form.op = op,
                        FormField::Level(level) => form.level = level,
                        FormField::Redirect(on) => form.redirect = on,
                    }
                }
                Vec::new()
            }
            ClientMsg::Send(i) => self
                .panels
                .get_mut(i)
                .map(|p| {
                    // A smaller cluster since the node was chosen.
                    p.form.node = p.form.node.clamp(1, n);
                    vec![p.form.action(client_id(i))]
                })
                .unwrap_or_default(),
            ClientMsg::Workload(field) => {
                let w = &mut self.workload;
                match field {
                    WorkloadField::Rate(r) => w.ops_per_sec = r,
                    WorkloadField::ReadFraction(f) => w.read_fraction = f,
                    WorkloadField::Keys(k) => w.keys = k,
                    WorkloadField::Levels(l) => w.levels = l,
                }
                Vec::new()
            }
            ClientMsg::StartWorkload => vec![Action::StartWorkload(self.workload.spec())],
            ClientMsg::StopWorkload => vec![Action::StopWorkload],
            ClientMsg::ConsoleClient(i) => {
                self.typing = i.min(CLIENTS - 1);
                Vec::new()
            }
            ClientMsg::ConsoleRun(text) => {
                self.console
                    .type_in(self.typing, client_id(self.typing), &text);
                Vec::new()
            }
            ClientMsg::Exercise2 => {
                let leader = world.leader().map_or(1, |l| l + 1);
                self.console
                    .exercise_2(self.typing, client_id(self.typing), leader, n);
                Vec::new()
            }
            ClientMsg::ConsoleClear => {
                self.console.clear();
                Vec::new()
            }
        }
    }

    /// `action` was scheduled at simulated time `at_us` and recorded.
    pub fn applied(&mut self, at_us: u64, action: &Action) {
        let Some((client, ..)) = action.client_request() else {
            return;
        };
        let Some(i) = client_index(client) else {
            return;
        };
        let redirect = self.panels[i].form.redirect;
        if let Some(row) = ResultRow::new(action.clone(), at_us, redirect) {
            self.panels[i].push(row);
        }
    }

    /// Called once per frame, after the world advanced: collects replies,
    /// retries 503s at the leader and runs the console. Returns the actions
    /// applied here, with their times, for the shared link.
    pub fn observe(&mut self, world: &mut World) -> Vec<(u64, Action)> {
        let mut done = Vec::new();
        for (i, panel) in self.panels.iter_mut().enumerate() {
            let client = client_id(i);
            let retries: Vec<Action> = panel
                .rows
                .iter_mut()
                .filter(|row| row.verdict == Verdict::Pending)
                .filter_map(|row| row.settle(world, client))
                .collect();
            for action in retries {
                if let Some(at) = apply_now(world, action.clone(), &mut done) {
                    panel.push(ResultRow::new(action, at, false).expect("a client action"));
                }
            }
        }
        self.console.run(world, &mut done);
        done
    }

    pub fn view(&self, world: &World) -> ClientsView {
        // A scenario's operations are listed from the moment they are sent.
        let mut panels = self.panels.clone();
        for panel in &mut panels {
            panel.rows.retain(|row| row.at <= world.now());
        }
        ClientsView {
            n: world.config().n,
            leader: world.leader().map(|l| l + 1),
            panels,
            workload: self.workload.clone(),
            workload_running: !world.workload_finished(),
            typing: self.typing,
            log: self.console.log.iter().cloned().collect(),
            history: self.console.history.iter().cloned().collect(),
            console_busy: self.console.busy(),
            exercise: self.console.side_by_side(),
        }
    }
}

#[cfg(test)]
mod tests;
