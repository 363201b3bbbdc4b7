//! The in-page curl console: what was typed, what came back (with the
//! observer's verdict under each read), and the cluster the console talks
//! to, which records every request it sends so a shared link replays the
//! console's commands too.

use super::verdict::Verdict;
use super::Why;
use quorum_console::cluster::{Cluster, NodeStatus, Op, QuorumsFixed, Refused, Reply, Ticket};
use quorum_console::examples::{self, SideBySide};
use quorum_console::{Answer, Console, Event};
use quorum_sim::config::Config;
use quorum_sim::kv::Level;
use quorum_sim::msg::NodeId;
use quorum_sim::scenario::{Action, Settings};
use quorum_sim::timeline::Timeline;
use quorum_sim::world::{self, Done};
use std::collections::{BTreeMap, VecDeque};

/// Log entries kept (each a command and its answer).
pub const MAX_LOG: usize = 100;
/// Commands remembered for the arrow keys.
pub const MAX_HISTORY: usize = 50;

/// One command in the log.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub id: u64,
    /// Who typed it (index into the clients).
    pub client: usize,
    pub command: String,
    /// `None` while the command runs.
    pub answer: Option<Answer>,
    /// For a command the cluster answered: the observer's verdict.
    pub verdict: Option<Verdict>,
    /// When the cluster's answer came (simulated µs).
    pub answered_us: Option<u64>,
    /// When its request was sent (simulated µs).
    pub sent_us: Option<u64>,
    /// When it began and ended (simulated µs), so that a look back in time
    /// shows the log as it was.
    pub started_us: u64,
    pub finished_us: Option<u64>,
    /// The run was branched before its answer came: none will.
    pub cut_off: bool,
}

impl Entry {
    /// For a key read that returned: the node, what it returned
    /// and its verdict.
    pub fn read(&self) -> Option<(NodeId, String, &Verdict)> {
        let verdict = self
            .verdict
            .as_ref()
            .filter(|v| matches!(v, Verdict::Read(_)))?;
        let x = self.answer.as_ref()?.exchange.as_ref()?;
        let value = match x.status {
            200 => x
                .body
                .get("value")
                .map_or("null".into(), |v| v.to_value().to_string()),
            _ => "Key not found".to_string(),
        };
        Some((x.node, value, verdict))
    }

    /// For a read the timeline can explain, as a card's: what to single
    /// out.
    pub fn why(&self) -> Option<Why> {
        let Some(Verdict::Read(read)) = &self.verdict else {
            return None;
        };
        let x = self.answer.as_ref()?.exchange.as_ref()?;
        let key = key_of(&x.target)?;
        read.focus(x.node, key, (self.sent_us?, self.answered_us?))
            .map(Why::Read)
    }
}

/// The key a request's target (`/key/name?consistency=strong`) names.
fn key_of(target: &str) -> Option<&str> {
    target.split('?').next()?.strip_prefix("/key/")
}

/// Records `action` one microsecond from now and runs the live world to
/// it, as the model does with a learner's clicks; returns when, and the
/// ticket of a client operation.
pub fn apply_now(run: &mut Timeline, action: Action) -> Option<(u64, world::Ticket)> {
    let at = run.live().now() + 1;
    let ticket = run.record(at, action).ok()?;
    run.advance_to(at);
    Some((at, ticket.unwrap_or(world::Ticket(0))))
}

/// The engine as the console's cluster, but with every request applied as
/// a recorded action instead of [`quorum_sim::world::World::submit`]'s
/// unrecorded one.
struct Recording<'a> {
    run: &'a mut Timeline,
    /// Answers collected for the console, by ticket, until their command's
    /// entry takes its verdict.
    answers: &'a mut BTreeMap<u64, Done>,
}

impl Cluster for Recording<'_> {
    fn node_count(&self) -> usize {
        Cluster::node_count(self.run.live())
    }

    fn status(&self, node: NodeId) -> Option<NodeStatus> {
        Cluster::status(self.run.live(), node)
    }

    fn request(&mut self, client: u32, node: NodeId, op: Op) -> Result<Ticket, Refused> {
        self.status(node).ok_or(Refused)?;
        let (_, ticket) = apply_now(self.run, op.into_action(client, node)).ok_or(Refused)?;
        Ok(Ticket(ticket.0))
    }

    fn reply(&mut self, ticket: Ticket) -> Option<Reply> {
        let done = self.run.take_done(world::Ticket(ticket.0))?;
        let reply = match &done.answer {
            world::Answer::Dropped => Reply::Dropped,
            world::Answer::Replied(r) => {
                Reply::from_response(r.clone(), self.run.live().config().r)
            }
        };
        self.answers.insert(ticket.0, done);
        // Collected for a command that was interrupted: nothing pairs them.
        while self.answers.len() > MAX_LOG {
            self.answers.pop_first();
        }
        Some(reply)
    }

    fn set_quorums(
        &mut self,
        write: Option<usize>,
        read: Option<usize>,
    ) -> Result<(), QuorumsFixed> {
        let action = Action::Set(Settings {
            w: write,
            r: read,
            ..Settings::default()
        });
        let mut check = self.run.live().config().clone();
        quorum_sim::scenario::check_action(&action, &mut check).map_err(QuorumsFixed::Refused)?;
        // Checked above, so only a clock past what a scenario holds is left.
        apply_now(self.run, action)
            .map(|_| ())
            .ok_or(QuorumsFixed::Unrecorded)
    }
}

#[derive(Clone)]
struct Typed {
    who: usize,
    client: u32,
    text: String,
    exercise: bool,
}

#[derive(Clone, Default)]
pub struct ConsoleState {
    console: Console,
    /// Typed but not yet run: the console runs in the frame, where the
    /// world can be changed.
    typed: Vec<Typed>,
    pub log: VecDeque<Entry>,
    pub history: VecDeque<String>,
    answers: BTreeMap<u64, Done>,
    /// The first command of the last exercise-2 run.
    exercise_from: Option<u64>,
    exercise_runs: usize,
}

impl ConsoleState {
    /// Queues `text` typed by client `who` (engine id `client`).
    pub fn type_in(&mut self, who: usize, client: u32, text: &str) {
        let text = text.trim_end();
        if text.trim().is_empty() {
            return;
        }
        if self.history.back().map(String::as_str) != Some(text) {
            self.history.push_back(text.to_string());
            if self.history.len() > MAX_HISTORY {
                self.history.pop_front();
            }
        }
        self.typed.push(Typed {
            who,
            client,
            text: text.to_string(),
            exercise: false,
        });
    }

    /// Queues exercise 2 against the current `leader`, reading from
    /// `reader`, with a new value each time so the answers differ.
    pub fn exercise_2(&mut self, who: usize, client: u32, leader: NodeId, reader: NodeId) {
        const NAMES: [&str; 4] = ["Alice", "Bob", "Carol", "Dave"];
        let script = examples::exercise_2(leader, reader, NAMES[self.exercise_runs % NAMES.len()]);
        self.exercise_runs += 1;
        self.typed.push(Typed {
            who,
            client,
            text: script,
            exercise: true,
        });
    }

    pub fn clear(&mut self) {
        self.log.clear();
        self.exercise_from = None;
    }

    pub fn busy(&self) -> bool {
        self.console.busy() || !self.typed.is_empty()
    }

    /// The log as it stood at `t_us`: later commands not yet typed, later
    /// answers not yet come.
    pub fn log_at(&self, t_us: u64) -> Vec<Entry> {
        self.log
            .iter()
            .filter(|e| e.started_us <= t_us)
            .map(|e| match e.finished_us {
                Some(at) if at > t_us => Entry {
                    answer: None,
                    verdict: None,
                    answered_us: None,
                    sent_us: None,
                    finished_us: None,
                    ..e.clone()
                },
                _ => e.clone(),
            })
            .collect()
    }

    /// The run goes on from `t_us` without what came after: later commands
    /// go, and one still waiting then is cut off (the console stops
    /// waiting, as after an interrupt).
    pub fn branch_at(&mut self, t_us: u64) {
        self.log.retain(|e| e.started_us <= t_us);
        for e in &mut self.log {
            if e.finished_us.is_none_or(|at| at > t_us) {
                *e = Entry {
                    answer: None,
                    verdict: None,
                    answered_us: None,
                    sent_us: None,
                    finished_us: None,
                    cut_off: true,
                    ..e.clone()
                };
            }
        }
        self.console = Console::default();
        self.typed.clear();
        self.answers.clear();
        if self
            .exercise_from
            .is_some_and(|from| !self.log.iter().any(|e| e.id >= from))
        {
            self.exercise_from = None;
        }
    }

    /// Runs what was typed and collects answers, recording every request.
    pub fn run(&mut self, run: &mut Timeline) {
        let mut answers = std::mem::take(&mut self.answers);
        let mut cluster = Recording {
            run,
            answers: &mut answers,
        };
        for typed in std::mem::take(&mut self.typed) {
            let events = self.console.run(&mut cluster, typed.client, &typed.text);
            if typed.exercise {
                self.exercise_from = events.iter().find_map(|e| match e {
                    Event::Started { id, .. } => Some(*id),
                    Event::Finished { .. } => None,
                });
            }
            let (config, now) = (
                cluster.run.live().config().clone(),
                cluster.run.live().now(),
            );
            self.absorb(typed.who, events, cluster.answers, &config, now);
        }
        let events = self.console.poll(&mut cluster);
        // A command's author is whoever the console started it for: the
        // author of the entry before it when the paste held several.
        let who = self.log.back().map_or(0, |e| e.client);
        let (config, now) = (
            cluster.run.live().config().clone(),
            cluster.run.live().now(),
        );
        self.absorb(who, events, &mut answers, &config, now);
        self.answers = answers;
    }

    fn absorb(
        &mut self,
        who: usize,
        events: Vec<Event>,
        answers: &mut BTreeMap<u64, Done>,
        config: &Config,
        now: u64,
    ) {
        for event in events {
            match event {
                Event::Started { id, text } => {
                    self.log.push_back(Entry {
                        id,
                        client: who,
                        command: text,
                        answer: None,
                        verdict: None,
                        answered_us: None,
                        sent_us: None,
                        started_us: now,
                        finished_us: None,
                        cut_off: false,
                    });
                    if self.log.len() > MAX_LOG {
                        self.log.pop_front();
                    }
                }
                Event::Finished { id, answer } => {
                    let judged = answer.exchange.as_ref().and_then(|x| {
                        let done = answers.remove(&x.ticket?.0)?;
                        let key = key_of(&x.target)?;
                        let query = x.target.split_once('?').map_or("", |(_, q)| q);
                        let level = query
                            .split('&')
                            .find_map(|p| p.strip_prefix("consistency="))
                            .and_then(Level::parse)
                            .unwrap_or(Level::Eventual);
                        let verdict = Verdict::of(&done, x.node, key, level).with_quorums(config);
                        Some((verdict, done.invoked_us, done.answered_us))
                    });
                    if let Some(entry) = self.log.iter_mut().rev().find(|e| e.id == id) {
                        entry.answer = Some(answer);
                        entry.finished_us = Some(now);
                        if let Some((verdict, sent, at)) = judged {
                            entry.verdict = Some(verdict);
                            entry.sent_us = Some(sent);
                            entry.answered_us = Some(at);
                        }
                    }
                }
            }
        }
    }

    /// Exercise 2's two reads, once its script has run.
    pub fn side_by_side(&self) -> Option<SideBySide> {
        let from = self.exercise_from?;
        Some(examples::side_by_side(
            self.log
                .iter()
                .filter(|e| e.id >= from)
                .filter_map(|e| e.answer.as_ref()),
        ))
    }
}
