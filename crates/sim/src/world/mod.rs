//! The world: simulated clock, event queue, nodes, network, clients, trace
//! and statistics, and the observer that judges what happens. The world owns
//! the only randomness (one [`SimRng`]); nodes get theirs as separately
//! seeded streams handed in at birth.
//!
//! Its rooms:
//! * `queue`: every pending event, ordered by (time, class, seq);
//! * `dispatch`: the loop that pops an event, hands it to a node and carries
//!   out what the node asked for;
//! * `faults`: a scenario's or learner's actions (crashes, partitions,
//!   settings);
//! * `clients`: client operations and the workload generator;
//! * `observer`: the one judge of stale reads, session guarantees, lost
//!   writes and split brains;
//! * `tickets`: answers to operations a caller watches;
//! * `convergence`: healing, agreeing and ending a replay;
//! * `views`: every read-only query, for drawing and tests.
//!
//! Built to be driven frame by frame: [`World::run_until`] the frame's
//! simulated time, then draw from the views; change things only through
//! [`World::apply`] or [`World::schedule_action`].

use crate::config::{Config, ConfigError};
use crate::msg::{NodeId, Output};
use crate::net::Network;
use crate::node::{Node, Params};
use crate::rng::SimRng;
use crate::scenario::{ms_to_us, Scenario, ScenarioError};
use crate::series::Series;
use crate::stats::Stats;
use crate::trace::{Trace, TraceSink};

mod clients;
mod convergence;
mod dispatch;
mod faults;
mod ids;
mod observer;
mod queue;
mod record;
mod tickets;
mod views;

pub use observer::{Lag, ReadJudgement, WriteFact};
pub use queue::Flying;
pub use record::HistorySink;
pub use tickets::{Answer, Done, ReadContext, Ticket};
pub use views::{InFlight, Memory};

/// A clone runs on exactly as the original would: a timeline's checkpoints
/// are clones. Keys, values and snapshots are shared, not copied; the sinks
/// are not cloned.
#[derive(Clone)]
pub struct World {
    config: Config,
    seed: u64,
    now: u64,
    queue: queue::Queue,
    nodes: Vec<Node>,
    alive: Vec<bool>,
    lives: Vec<u32>,
    net: Network,
    rng: SimRng,
    trace: Trace,
    stats: Stats,
    /// The chart's columns, counted as things happen.
    series: Series,
    clients: clients::Clients,
    history: record::History,
    observer: observer::Observer,
    tickets: tickets::Tickets,
    /// The last setting changes, oldest first: where statistics segments
    /// begin.
    marks: std::collections::VecDeque<Mark>,
    out: Vec<Output>,
    deliveries: crate::tap::Tap<Delivery>,
}

/// A message as it reaches its node, whole: the trace records only its
/// kind, and an explanation sometimes needs what it carried (a quorum
/// read's replies).
#[derive(Clone, Debug)]
pub struct Delivery {
    pub at_us: u64,
    pub from: NodeId,
    pub to: NodeId,
    pub msg: crate::msg::Msg,
}

pub type DeliverySink = crate::tap::Sink<Delivery>;

/// A setting changed: the counters and the settings as they were just
/// before, so a page can compare the run before and after.
#[derive(Clone, Debug)]
pub struct Mark {
    pub at_us: u64,
    pub stats: Stats,
    pub before: Config,
}

/// Setting changes remembered: the current segment and the one before.
const MARKS: usize = 2;

impl World {
    pub fn new(config: Config, seed: u64) -> Result<World, ConfigError> {
        config.validate()?;
        let mut rng = SimRng::new(seed);
        let params = Params::from_config(&config);
        let nodes: Vec<Node> = NodeId::all(config.n)
            .map(|id| Node::new(id, params.clone(), SimRng::new(rng.next_u64())))
            .collect();
        let mut world = World {
            net: Network::new(&config),
            trace: Trace::new(config.trace_window),
            history: record::History::new(config.history_window),
            alive: vec![true; config.n],
            lives: vec![0; config.n],
            nodes,
            config,
            seed,
            now: 0,
            queue: queue::Queue::default(),
            rng,
            stats: Stats::default(),
            series: Series::default(),
            clients: clients::Clients::default(),
            observer: observer::Observer::default(),
            tickets: tickets::Tickets::default(),
            marks: std::collections::VecDeque::new(),
            out: Vec::new(),
            deliveries: Default::default(),
        };
        for id in NodeId::all(world.nodes.len()) {
            world.drive(id, |node, now, out| node.start(now, out));
        }
        Ok(world)
    }

    /// Replays a scenario: its actions are queued now, in order, so the run
    /// is the same every time.
    pub fn from_scenario(scenario: &Scenario) -> Result<World, ScenarioError> {
        World::with_tickets(scenario).map(|(world, _)| world)
    }

    /// Like [`World::from_scenario`], with the ticket of each of the
    /// scenario's client operations (`None` for its other actions), so a
    /// replayed operation's answer can be shown like a live one's.
    pub fn with_tickets(
        scenario: &Scenario,
    ) -> Result<(World, Vec<Option<Ticket>>), ScenarioError> {
        scenario.validate()?;
        let mut world =
            World::new(scenario.config.clone(), scenario.seed).map_err(ScenarioError::Config)?;
        if let Some(w) = &scenario.workload {
            world
                .start_workload(w.clone())
                .map_err(ScenarioError::Workload)?;
        }
        let tickets = scenario
            .actions
            .iter()
            .map(|(at, action)| {
                let at = ms_to_us(*at).expect("validated");
                let ticket = action.client_request().map(|_| world.tickets.issue());
                world
                    .queue
                    .push(at, queue::EventKind::Action(action.clone(), ticket));
                ticket
            })
            .collect();
        Ok((world, tickets))
    }

    /// Streams every history record, not just the window, to `sink`. A
    /// clone of the world has no sink.
    pub fn set_history_sink(&mut self, sink: HistorySink) {
        self.history.sink.set(sink);
    }

    /// Hands every message delivered from now on to `sink`. A clone of the
    /// world has no sink.
    pub fn set_delivery_sink(&mut self, sink: DeliverySink) {
        self.deliveries.set(sink);
    }

    /// Streams every event the trace records, not just the window, to
    /// `sink`. A clone of the world has no sink.
    pub fn set_trace_sink(&mut self, sink: TraceSink) {
        self.trace.set_sink(sink);
    }

    /// The one way a node is stepped: hand it the time and an output
    /// buffer, then carry out what it asked for.
    fn drive(&mut self, id: NodeId, step: impl FnOnce(&mut Node, u64, &mut Vec<Output>)) {
        let mut out = std::mem::take(&mut self.out);
        step(&mut self.nodes[id], self.now, &mut out);
        self.process(id, &mut out);
        self.out = out;
    }
}
