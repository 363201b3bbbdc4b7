//! The learner's clients (Client 1, Client 2), the workload generator and
//! the curl console: what they send and what came back.
//!
//! Every operation is a scenario action, recorded for the shared link: the
//! clients' and the workload's go back to the model through
//! [`Clients::update`]; the ones made while the world runs (a console
//! command, a redirect to the leader) are applied in [`Clients::observe`]
//! and returned from it for recording. Each operation holds the engine's
//! ticket, under which its answer, its times and the observer's verdict
//! come back.

pub mod console;
pub mod verdict;
pub mod workload;

use console::{apply_now, ConsoleState, Entry};
use quorum_console::examples::{self, Example, SideBySide};
use quorum_sim::kv::{Level, Text, Version};
use quorum_sim::msg::NodeId;
use quorum_sim::scenario::Action;
use quorum_sim::timeline::Timeline;
use quorum_sim::world::{Ticket, World};
use std::collections::VecDeque;
use verdict::{Badge, Tone, Verdict};
use workload::{Levels, WorkloadForm};

/// The course's two clients.
pub const CLIENTS: usize = 2;
/// Results shown per client, newest first.
pub const MAX_RESULTS: usize = 8;
/// Results kept per client, so that a look back in time still finds the
/// rows it showed then.
const KEPT_RESULTS: usize = 64;
/// How long (simulated µs) a read's answer shows at the node that gave it.
pub const BUBBLE_US: u64 = 400_000;

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
    pub node: NodeId,
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
            node: NodeId::at(index),
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
    Node(NodeId),
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
    /// The node it went to.
    pub node: NodeId,
    /// What a read returned; `None` before the answer or for a write.
    pub returned: Option<String>,
    pub latency_ms: Option<f64>,
    pub verdict: Verdict,
    pub note: Option<String>,
    /// When the answer came (simulated µs).
    pub answered_us: Option<u64>,
    action: Action,
    /// When it is sent: rows are listed from then on.
    at: u64,
    ticket: Ticket,
    redirect: bool,
}

/// What a row's "why" button asks the page to explain.
#[derive(Clone, Debug, PartialEq)]
pub enum Why {
    Read(quorum_analysis::diagram::ReadFocus),
    Write {
        node: NodeId,
        key: String,
        value: String,
        at_us: u64,
    },
}

impl ResultRow {
    fn new(action: Action, at: u64, ticket: Ticket, redirect: bool) -> Option<ResultRow> {
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
            answered_us: None,
            action,
            at,
            ticket,
            redirect,
        })
    }

    pub fn badges(&self) -> Vec<Badge> {
        self.verdict.badges()
    }

    /// For an acknowledged write: what the page asks the history worker to
    /// follow (the node that acknowledged it, the key, the value,
    /// and when it was acknowledged).
    fn follow(&self) -> Option<Why> {
        let (Verdict::Acknowledged, Action::Write { key, value, .. }) =
            (&self.verdict, &self.action)
        else {
            return None;
        };
        Some(Why::Write {
            node: self.node,
            key: key.to_string(),
            value: value.to_string(),
            at_us: self.answered_us?,
        })
    }

    /// What the page can explain of the row: why a read got its verdict,
    /// or what became of an acknowledged write.
    pub fn why(&self) -> Option<Why> {
        let Verdict::Read(read) = &self.verdict else {
            return self.follow();
        };
        read.focus(self.node, self.key(), (self.at, self.answered_us?))
            .map(Why::Read)
    }

    fn key(&self) -> &str {
        match &self.action {
            Action::Read { key, .. } | Action::Write { key, .. } | Action::Delete { key, .. } => {
                key
            }
            _ => "",
        }
    }

    fn level(&self) -> Level {
        match &self.action {
            Action::Read { level, .. } => *level,
            _ => Level::Eventual,
        }
    }

    /// The row as it stood before its answer came.
    fn unanswered(&self) -> ResultRow {
        ResultRow {
            returned: None,
            latency_ms: None,
            verdict: Verdict::Pending,
            note: None,
            answered_us: None,
            ..self.clone()
        }
    }

    /// Collects the answer, if it came; returns the retry at the leader a
    /// 503 asks for.
    fn settle(&mut self, run: &mut Timeline) -> Option<Action> {
        let done = run.take_done(self.ticket)?;
        let world = run.live();
        self.latency_ms = Some((done.answered_us - done.invoked_us) as f64 / 1000.0);
        self.answered_us = Some(done.answered_us);
        self.verdict =
            Verdict::of(&done, self.node, self.key(), self.level()).with_quorums(world.config());
        if let Some((value, _)) = done.read_value() {
            self.returned = Some(value.map_or("(not found)".to_string(), |v| v.to_string()));
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
        self.note = Some(format!("retried at {leader}"));
        Some(retarget(&self.action, leader))
    }
}

/// `action` sent to `node` instead.
fn retarget(action: &Action, to: NodeId) -> Action {
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
        self.rows.truncate(KEPT_RESULTS);
    }
}

#[derive(Clone)]
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

/// A follower whose copy of a key is older than the newest acknowledged
/// write: reading it now returns a stale value.
#[derive(Clone, Debug, PartialEq)]
pub struct Behind {
    pub node: NodeId,
    pub has: Version,
    pub newest: Version,
}

/// A read's answer, shown for a moment at the node that gave it.
#[derive(Clone, Debug, PartialEq)]
pub struct Bubble {
    pub node: NodeId,
    pub text: String,
    pub tone: Tone,
}

/// What the clients area shows: plain data, compared per frame.
#[derive(Clone, Debug, PartialEq)]
pub struct ClientsView {
    pub n: usize,
    /// The live leader.
    pub leader: Option<NodeId>,
    pub panels: Vec<Panel>,
    /// Per panel: the nodes behind on its form's key right now.
    pub behind: Vec<Vec<Behind>>,
    pub workload: WorkloadForm,
    pub workload_running: bool,
    pub typing: usize,
    pub log: Vec<Entry>,
    pub history: Vec<String>,
    pub console_busy: bool,
    pub exercise: Option<SideBySide>,
    /// Why exercise 2's strong read may be no fresher than its eventual one.
    pub exercise_note: Option<String>,
    /// The course's commands, addressed to the node that leads now.
    pub steps: Vec<Example>,
}

impl ClientsView {
    /// The "why" of client `client`'s operation sent at `sent_us`, when it
    /// has one: the timeline's bars ask for it as the cards' buttons do.
    pub fn why_at(&self, client: u32, sent_us: u64) -> Option<Why> {
        let row = self
            .panels
            .get((client as usize).checked_sub(1)?)?
            .rows
            .iter()
            .find(|r| r.at == sent_us)?;
        row.why()
    }
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
                        FormField::Node(node) => form.node = node.min(NodeId::at(n - 1)),
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
                    p.form.node = p.form.node.min(NodeId::at(n - 1));
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
                let (leader, follower) = leader_and_follower(world);
                self.console
                    .exercise_2(self.typing, client_id(self.typing), leader, follower);
                Vec::new()
            }
            ClientMsg::ConsoleClear => {
                self.console.clear();
                Vec::new()
            }
        }
    }

    /// `action` was scheduled at simulated time `at_us` under `ticket` and
    /// recorded.
    pub fn applied(&mut self, at_us: u64, action: &Action, ticket: Ticket) {
        let Some((client, ..)) = action.client_request() else {
            return;
        };
        let Some(i) = client_index(client) else {
            return;
        };
        let redirect = self.panels[i].form.redirect;
        if let Some(row) = ResultRow::new(action.clone(), at_us, ticket, redirect) {
            self.panels[i].push(row);
        }
    }

    /// Called whenever the live run stopped (each frame, and each time a
    /// watched operation was answered): collects answers, retries 503s at
    /// the leader and runs the console, each recording what it sends.
    pub fn observe(&mut self, run: &mut Timeline) {
        for panel in &mut self.panels {
            let retries: Vec<Action> = panel
                .rows
                .iter_mut()
                .filter(|row| row.verdict == Verdict::Pending)
                .filter_map(|row| row.settle(run))
                .collect();
            for action in retries {
                if let Some((at, ticket)) = apply_now(run, action.clone()) {
                    panel.push(ResultRow::new(action, at, ticket, false).expect("a client action"));
                }
            }
        }
        self.console.run(run);
    }

    /// The run now goes on from `t_us` without what was done after it:
    /// operations sent later go, and answers that came later are awaited
    /// again (the new run may answer them differently).
    pub fn branch_at(&mut self, t_us: u64) {
        for panel in &mut self.panels {
            panel.rows.retain(|row| row.at <= t_us);
            for row in &mut panel.rows {
                if row.answered_us.is_some_and(|at| at > t_us) {
                    *row = row.unanswered();
                }
            }
        }
        self.console.branch_at(t_us);
    }

    /// Reads answered in the last [`BUBBLE_US`] before `now`, newest first,
    /// one per node.
    pub fn bubbles(&self, now: u64) -> Vec<Bubble> {
        let recent = |at: u64| at <= now && now - at < BUBBLE_US;
        let mut all: Vec<(u64, Bubble)> = Vec::new();
        for (i, panel) in self.panels.iter().enumerate() {
            for row in &panel.rows {
                let (Some(at), Some(returned)) = (row.answered_us, &row.returned) else {
                    continue;
                };
                if recent(at) {
                    all.push((
                        at,
                        bubble(
                            row.node,
                            format!("Client {}: {returned}", i + 1),
                            &row.verdict,
                        ),
                    ));
                }
            }
        }
        for entry in &self.console.log {
            if let (Some(at), Some((node, returned, verdict))) = (entry.answered_us, entry.read()) {
                if recent(at) {
                    all.push((at, bubble(node, format!("curl: {returned}"), verdict)));
                }
            }
        }
        all.sort_by_key(|(at, _)| std::cmp::Reverse(*at));
        let mut seen = Vec::new();
        all.into_iter()
            .filter(|(_, b)| {
                let first = !seen.contains(&b.node);
                seen.push(b.node);
                first
            })
            .map(|(_, b)| b)
            .collect()
    }

    pub fn view(&self, world: &World) -> ClientsView {
        // A scenario's operations are listed from the moment they are sent.
        // Answers still to come at the moment shown are not shown yet.
        let now = world.now();
        let mut panels = self.panels.clone();
        for panel in &mut panels {
            panel.rows = panel
                .rows
                .iter()
                .filter(|row| row.at <= now)
                .take(MAX_RESULTS)
                .map(|row| match row.answered_us {
                    Some(at) if at > now => row.unanswered(),
                    _ => row.clone(),
                })
                .collect();
        }
        let behind = panels
            .iter()
            .map(|p| behind_on(world, p.form.key.trim()))
            .collect();
        let (leader, follower) = leader_and_follower(world);
        ClientsView {
            n: world.config().n,
            leader: world.leader(),
            panels,
            behind,
            workload: self.workload.clone(),
            workload_running: !world.workload_finished(),
            typing: self.typing,
            log: self.console.log_at(now),
            history: self.console.history.iter().cloned().collect(),
            console_busy: self.console.busy(),
            exercise: self.console.side_by_side(),
            exercise_note: exercise_note(world.config()),
            steps: examples::course_steps(leader, follower),
        }
    }
}

fn bubble(node: NodeId, text: String, verdict: &Verdict) -> Bubble {
    let label = verdict
        .badges()
        .last()
        .map(|b| b.text.clone())
        .unwrap_or_default();
    Bubble {
        node,
        text: format!("{text} · {label}"),
        tone: verdict.tone(),
    }
}

/// Under quorums that need not overlap, a strong read is no promise.
fn exercise_note(c: &quorum_sim::config::Config) -> Option<String> {
    (c.r + c.w <= c.n).then(|| {
        format!(
            "With R = {} and W = {}, R + W = {} is not more than N = {}: the strong read can miss the write too. Set R to {} and run it again.",
            c.r,
            c.w,
            c.r + c.w,
            c.n,
            c.n + 1 - c.w
        )
    })
}

/// The node that leads now (node-1 while none does, as the course assumes)
/// and a live follower of it, the first after it in ring order.
pub fn leader_and_follower(world: &World) -> (NodeId, NodeId) {
    let n = world.config().n;
    let first = NodeId::at(0);
    let leader = world.leader().unwrap_or(first);
    let after = NodeId::all(n).skip(leader.index() + 1);
    let follower = after
        .chain(NodeId::all(n))
        .find(|&k| k != leader && world.is_alive(k))
        .unwrap_or(if leader == first {
            NodeId::at(1.min(n - 1))
        } else {
            first
        });
    (leader, follower)
}

/// The live nodes whose copy of `key` is older than its newest
/// acknowledged version.
fn behind_on(world: &World, key: &str) -> Vec<Behind> {
    let key = Text::from(key);
    let newest = world.newest_acked(&key);
    if newest == Version::ZERO {
        return Vec::new();
    }
    NodeId::all(world.config().n)
        .filter(|&i| world.is_alive(i))
        .filter_map(|i| {
            let has = world
                .node(i)
                .map()
                .get(&key)
                .map_or(Version::ZERO, |c| c.version);
            (has < newest).then_some(Behind {
                node: i,
                has,
                newest,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests;
