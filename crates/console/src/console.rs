//! The console: runs what a learner types against a [`Cluster`], one command
//! after another like a shell, each waiting for the previous one's answer.
//!
//! Commands that only read a node's own state (`/status`, errors, settings)
//! answer at once; reads, writes and deletes travel through the simulated
//! cluster and answer later. So the page calls [`Console::run`] with the
//! input and [`Console::poll`] once per animation frame, after advancing the
//! simulation; each returns the [`Event`]s to append to the log, in order.

use crate::api::{self, Handled, Pending};
use crate::cluster::{Cluster, Refused};
use crate::curl::{self, Request};
use crate::render::{self, Answer};
use crate::shell::{self, Command};
use quorum_sim::errors::sentence;
use quorum_sim::msg::NodeId;
use std::collections::VecDeque;

/// Commands queued at once, over all pastes not yet run.
pub const MAX_QUEUED: usize = 1_000;

/// What to append to the console's log.
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    /// Command `id` began: echo `text` (as typed) as a prompt line.
    Started { id: u64, text: String },
    /// Command `id` ended with `answer`.
    Finished { id: u64, answer: Answer },
}

impl Event {
    /// The answer of a `Finished` event.
    pub fn into_answer(self) -> Option<Answer> {
        match self {
            Event::Finished { answer, .. } => Some(answer),
            Event::Started { .. } => None,
        }
    }
}

/// Clone, so a page can keep a copy to go back to (an undo).
#[derive(Clone, Default)]
pub struct Console {
    queue: VecDeque<(u64, u32, Command)>,
    waiting: Option<Waiting>,
    next_id: u64,
    last_exit: u8,
}

#[derive(Clone)]
struct Waiting {
    id: u64,
    request: Request,
    pending: Pending,
}

/// How one command went when started.
enum Step {
    Done(Answer),
    Wait(Request, Pending),
}

impl Console {
    pub fn new() -> Console {
        Console::default()
    }

    /// Queues what `client` typed (one or several commands) and runs as much
    /// of it as answers without simulated time passing.
    pub fn run(&mut self, cluster: &mut dyn Cluster, client: u32, input: &str) -> Vec<Event> {
        let mut events = Vec::new();
        match shell::split(input) {
            Ok(commands) if self.queue.len() + commands.len() > MAX_QUEUED => self.refuse(
                input,
                "too many commands waiting; wait or interrupt",
                &mut events,
            ),
            Ok(commands) => {
                for command in commands {
                    self.next_id += 1;
                    self.queue.push_back((self.next_id, client, command));
                }
            }
            Err(why) => self.refuse(input, &sentence(&why), &mut events),
        }
        self.advance(cluster, &mut events);
        events
    }

    /// Collects the answer the running command was waiting for, if it came,
    /// and runs the commands after it.
    pub fn poll(&mut self, cluster: &mut dyn Cluster) -> Vec<Event> {
        let mut events = Vec::new();
        self.advance(cluster, &mut events);
        events
    }

    /// Whether a command is running or queued.
    pub fn busy(&self) -> bool {
        self.waiting.is_some() || !self.queue.is_empty()
    }

    /// Ctrl-C: the running command ends unanswered and the queued ones are
    /// dropped. The request already sent still runs its course in the cluster.
    pub fn interrupt(&mut self) -> Vec<Event> {
        self.queue.clear();
        self.last_exit = 130;
        self.waiting
            .take()
            .map(|w| Event::Finished {
                id: w.id,
                answer: Answer::line("^C", 130),
            })
            .into_iter()
            .collect()
    }

    fn refuse(&mut self, input: &str, why: &str, events: &mut Vec<Event>) {
        self.next_id += 1;
        let first = input.trim().lines().next().unwrap_or_default();
        let text: String = first.chars().take(200).collect();
        events.push(Event::Started {
            id: self.next_id,
            text,
        });
        events.push(Event::Finished {
            id: self.next_id,
            answer: Answer::line(why, 2),
        });
        self.last_exit = 2;
    }

    fn advance(&mut self, cluster: &mut dyn Cluster, events: &mut Vec<Event>) {
        if let Some(w) = self.waiting.take() {
            match cluster.reply(w.pending.ticket) {
                Some(reply) => {
                    let (node, ticket) = (w.pending.node(), w.pending.ticket);
                    let answer = match api::finish(cluster, w.pending, reply) {
                        Some(http) => {
                            let mut answer = render::http(&w.request, node, http);
                            if let Some(exchange) = &mut answer.exchange {
                                exchange.ticket = Some(ticket);
                            }
                            answer
                        }
                        None => render::curl_error(&w.request, 52, "Empty reply from server"),
                    };
                    self.finish(w.id, answer, events);
                }
                None => {
                    self.waiting = Some(w);
                    return;
                }
            }
        }
        while let Some((id, client, command)) = self.queue.pop_front() {
            // `a && b`: b is skipped, and what follows sees a's failure.
            if command.only_if_ok && self.last_exit != 0 {
                continue;
            }
            events.push(Event::Started {
                id,
                text: command.text.clone(),
            });
            match start(cluster, client, &command.words) {
                Step::Done(answer) => self.finish(id, answer, events),
                Step::Wait(request, pending) => {
                    self.waiting = Some(Waiting {
                        id,
                        request,
                        pending,
                    });
                    return;
                }
            }
        }
    }

    fn finish(&mut self, id: u64, answer: Answer, events: &mut Vec<Event>) {
        self.last_exit = answer.exit_code;
        events.push(Event::Finished { id, answer });
    }
}

fn start(cluster: &mut dyn Cluster, client: u32, words: &[String]) -> Step {
    match words[0].as_str() {
        "curl" => match curl::parse(&words[1..]) {
            Ok(request) => send(cluster, client, request),
            Err(why) => Step::Done(Answer::line(sentence(&why), 2)),
        },
        _ => Step::Done(crate::settings::run(cluster, words).unwrap_or_else(|| {
            Answer::line(
                format!(
                    "{}: command not found (this console runs curl, and WRITE_QUORUM=… READ_QUORUM=… to change the cluster)",
                    words[0]
                ),
                127,
            )
        })),
    }
}

/// Connects to the node behind the URL's port and sends the request.
fn send(cluster: &mut dyn Cluster, client: u32, request: Request) -> Step {
    let url = &request.url;
    let local = ["localhost", "0.0.0.0", "[::1]"]
        .iter()
        .any(|h| url.host.eq_ignore_ascii_case(h))
        || url.host.starts_with("127.");
    let numeric =
        url.host.starts_with('[') || url.host.chars().all(|c| c.is_ascii_digit() || c == '.');
    if !local && !numeric {
        let why = format!("Could not resolve host: {}", url.host);
        return Step::Done(render::curl_error(&request, 6, &why));
    }
    let node = usize::from(url.port)
        .checked_sub(4000)
        .and_then(NodeId::numbered)
        .filter(|&id| local && id.is_in(cluster.node_count()));
    let Some(node) = node else {
        return refused(request);
    };
    let (path, query, body) = (url.path(), url.query(), request.body.as_deref());
    match api::handle(cluster, client, node, &request.method, path, query, body) {
        Ok(Handled::Done(http)) => Step::Done(render::http(&request, node, http)),
        Ok(Handled::Waiting(pending)) => Step::Wait(request, pending),
        Err(Refused) => refused(request),
    }
}

fn refused(request: Request) -> Step {
    let why = format!(
        "Failed to connect to {} port {} after 0 ms: Couldn't connect to server",
        request.url.host, request.url.port
    );
    Step::Done(render::curl_error(&request, 7, &why))
}
