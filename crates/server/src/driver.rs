//! The runtime around one sans-IO node. The node shares log entries through
//! `Rc`, so it is not `Send`: it lives on a thread of its own, which runs a
//! single-threaded tokio loop over its inbox and its timers, while HTTP in
//! and out runs on the process's multi-threaded runtime.
//!
//! Each step hands the node one input, then saves what it must keep (fsync,
//! with a data directory) and only then lets its outputs go: no vote, ack
//! or client answer leaves before the state it depends on is on disk.

use crate::disk::Disk;
use crate::local::LocalNode;
use crate::peers::{decode, Peers};
use crate::timers::Timers;
use quorum_console::api::{self, Handled, HttpReply, Pending};
use quorum_console::{Cluster, Ticket};
use quorum_sim::msg::Output;
use std::time::Instant;
use tokio::sync::{mpsc, oneshot};
use tokio::time::sleep_until;

/// What reaches the node from outside.
pub enum Event {
    /// A request on the course's API.
    Client {
        method: String,
        path: String,
        query: String,
        body: String,
        answer: oneshot::Sender<HttpReply>,
    },
    /// A batch of messages from a peer, as it arrived.
    Peer(bytes::Bytes),
}

pub struct Driver {
    local: LocalNode,
    timers: Timers,
    peers: Peers,
    disk: Option<Disk>,
    /// HTTP requests the node is still working on, by ticket.
    waiting: Vec<(Ticket, Pending, oneshot::Sender<HttpReply>)>,
    /// The node's clock: µs since the process started.
    epoch: Instant,
}

impl Driver {
    pub fn new(local: LocalNode, peers: Peers, disk: Option<Disk>, epoch: Instant) -> Driver {
        Driver {
            local,
            timers: Timers::default(),
            peers,
            disk,
            waiting: Vec::new(),
            epoch,
        }
    }

    fn now(&self) -> u64 {
        self.epoch.elapsed().as_micros() as u64
    }

    /// Runs until every sender of `inbox` is gone. `booted`: whether the
    /// node came back from disk rather than fresh.
    pub async fn run(mut self, mut inbox: mpsc::Receiver<Event>, booted: bool) {
        let now = self.now();
        if booted {
            self.local.node.restart(now, &mut self.local.out);
        } else {
            self.local.node.start(now, &mut self.local.out);
        }
        self.flush();
        loop {
            let wake = self
                .timers
                .next_at()
                .map(|at| self.epoch + std::time::Duration::from_micros(at));
            tokio::select! {
                event = inbox.recv() => match event {
                    Some(event) => self.on_event(event),
                    None => return,
                },
                _ = sleep_until(wake.unwrap_or_else(Instant::now).into()), if wake.is_some() => {
                    let now = self.now();
                    while let Some(timer) = self.timers.pop_due(now) {
                        self.local.node.on_timer(now, timer, &mut self.local.out);
                    }
                    self.flush();
                }
            }
        }
    }

    fn on_event(&mut self, event: Event) {
        let now = self.now();
        match event {
            Event::Client {
                method,
                path,
                query,
                body,
                answer,
            } => {
                self.local.now = now;
                let me = self.local.node.id();
                let handled =
                    api::handle(&mut self.local, 0, me, &method, &path, &query, Some(&body));
                self.flush();
                match handled {
                    Ok(Handled::Done(reply)) => {
                        let _ = answer.send(reply);
                    }
                    Ok(Handled::Waiting(pending)) => {
                        self.waiting.push((pending.ticket, pending, answer));
                        self.answer_waiting();
                    }
                    Err(_) => unreachable!("a node always reaches itself"),
                }
            }
            Event::Peer(bytes) => {
                let (me, n) = (self.local.node.id(), self.local.node.params().n);
                let Some(batch) = decode(&bytes, me, n) else {
                    eprintln!("[{me}] dropped a malformed peer batch");
                    return;
                };
                for msg in batch.messages {
                    self.local
                        .node
                        .on_message(now, batch.from, msg, &mut self.local.out);
                }
                self.flush();
            }
        }
    }

    /// Saves, then carries out everything the node asked for.
    fn flush(&mut self) {
        if let Some(disk) = &mut self.disk {
            if let Err(e) = disk.save(&self.local.node) {
                // A node that cannot keep its promises must not make any.
                eprintln!("[{}] cannot save its state: {e}", self.local.node.id());
                std::process::exit(1);
            }
        }
        let me = self.local.node.id();
        for output in std::mem::take(&mut self.local.out) {
            match output {
                Output::Send { to, msg } => {
                    let text = serde_json::to_string(&msg).expect("messages serialize");
                    self.peers.send(to, text);
                }
                Output::SetTimer { timer, at } => self.timers.set(at, timer),
                Output::Reply { req, response } => self.local.answered(req, response),
                Output::RoleChanged { role, term } => {
                    eprintln!("[{me}] {} for term {term}", role.name())
                }
                Output::Truncated { from } => {
                    eprintln!("[{me}] discarded log entries from index {from} on")
                }
                Output::Applied { .. } | Output::Committed { .. } => {}
            }
        }
        self.answer_waiting();
    }

    fn answer_waiting(&mut self) {
        let mut i = 0;
        while i < self.waiting.len() {
            if !self.local.has_reply(self.waiting[i].0) {
                i += 1;
                continue;
            }
            let (ticket, pending, answer) = self.waiting.swap_remove(i);
            let reply = self.local.reply(ticket).expect("checked above");
            if let Some(http) = api::finish(&self.local, pending, reply) {
                let _ = answer.send(http);
            }
        }
    }
}
