//! The page's model: the simulated world, the scenario being recorded, and
//! how fast time runs. Pure Rust with no web dependency, so every rule here is
//! unit-tested natively; `state.rs` adapts it to Yew.
//!
//! Everything a learner does to the cluster becomes a scenario [`Action`],
//! scheduled one microsecond after the current simulated time and recorded
//! with that time in the run's [`Timeline`]. Replaying the recorded scenario
//! therefore reproduces the run exactly, which is what a shared link, a
//! scrub back in time and a step back rely on.
//!
//! The page shows either the live run or, while the learner looks back, the
//! world as it was at an earlier moment (`past`). Playing on from the past
//! replays what was recorded until it meets the live run again; acting in
//! the past branches the run there, and Undo restores the run it replaced.

pub mod clients;
pub mod clock;
pub mod jitter;
pub mod narrate;
pub mod pbs_note;
pub mod quorum;
pub mod series;
pub mod view;

use clock::Pace;
use jitter::{JitterKind, JITTER_DEFAULT_SPREAD_MS};
use quorum_sim::config::{Config, ReadRepair, MAX_NODES};
use quorum_sim::errors::sentence;
use quorum_sim::msg::NodeId;
use quorum_sim::scenario::{ms_to_us, Action, Scenario, Settings};
use quorum_sim::timeline::{Branch, Timeline};
use quorum_sim::world::{Ticket, World};

/// Learner actions kept for a shared link; past this the run goes on, but the
/// link stops growing (and says so), so a URL stays a URL.
pub const MAX_RECORDED: usize = 500;

/// Times per frame the world may stop early for an answer before the frame
/// simply ends: a console script of many commands still runs in one frame.
const STOPS_PER_FRAME: usize = 64;

/// How long the page keeps saying it skipped quiet time after a skip (wall
/// ms), so the notice does not flicker on and off between heartbeats.
const SKIP_NOTICE_MS: f64 = 800.0;

/// What a learner can do on the page.
#[derive(Clone, Debug, PartialEq)]
pub enum Msg {
    /// A browser frame: wall-clock milliseconds since the previous one.
    Frame(f64),
    TogglePause,
    /// One event, while paused.
    Step,
    /// Back one event (pauses).
    StepBack,
    /// Show the run as it was at this simulated time (µs); at or past the
    /// live moment, follow the live run.
    Seek(u64),
    /// Back to the live run.
    Live,
    /// Take back the last change made in the past.
    Undo,
    /// Back to the start of the loaded scenario.
    Reset,
    /// Run another scenario (a preset) from its start.
    Load(Box<Scenario>),
    Nodes(usize),
    WriteQuorum(usize),
    ReadQuorum(usize),
    Latency(f64),
    JitterKind(JitterKind),
    JitterSpread(f64),
    Drop(f64),
    ReadRepair(ReadRepair),
    Speed(usize),
    /// Let the clock jump over time in which nothing travels.
    SkipQuiet(bool),
    /// Run to just before the scenario's next scripted action.
    SkipToNext,
    Seed(u64),
    /// Crash a live node, restart a crashed one.
    ToggleNode(NodeId),
    /// Cut the listed nodes off from all the others.
    Isolate(Vec<NodeId>),
    Heal,
    /// Something done in the clients area (operations, workload, console).
    Client(clients::ClientMsg),
}

pub struct Model {
    /// The run: its scenario so far, checkpoints and the live world.
    timeline: Timeline,
    /// The run as it was at an earlier moment, while the learner looks back.
    past: Option<World>,
    /// What a change in the past replaced, for Undo.
    branched: Option<Branched>,
    /// Where Reset returns to: the loaded preset or link.
    base: Scenario,
    pub speed_step: usize,
    pub paused: bool,
    pub skip_quiet: bool,
    /// The pace time ran at in the last frame.
    pub pace: Pace,
    /// Wall ms since the clock last skipped quiet time.
    since_skip_ms: f64,
    pub selected: Option<NodeId>,
    /// A sentence the learner should read: why something they did not touch
    /// changed, or why something they asked for did not happen.
    pub notice: Option<String>,
    pub jitter_kind: JitterKind,
    pub jitter_spread_ms: f64,
    /// The run before the last change of N, for before-and-after.
    pub previous_run: Option<series::Segment>,
    pub clients: clients::Clients,
    /// Counts changes to the recorded run, so the page rewrites its URL
    /// only when there is something new to say.
    pub revision: u64,
}

impl Model {
    /// A model replaying `scenario`, or the defaults with a notice when the
    /// scenario cannot be run.
    pub fn new(scenario: Scenario) -> Model {
        match Timeline::new(scenario.clone()) {
            Ok((timeline, tickets)) => Model::with(timeline, tickets, scenario, None),
            Err(e) => {
                let base = crate::link::default_scenario();
                let (timeline, tickets) = Timeline::new(base.clone())
                    .unwrap_or_else(|e| panic!("the default scenario runs: {e}"));
                Model::with(
                    timeline,
                    tickets,
                    base,
                    Some(format!("{e}; showing the defaults instead.")),
                )
            }
        }
    }

    fn with(
        timeline: Timeline,
        tickets: Vec<Option<Ticket>>,
        base: Scenario,
        notice: Option<String>,
    ) -> Model {
        let (jitter_kind, jitter_spread_ms) = JitterKind::of(&base.config.jitter)
            .unwrap_or((JitterKind::None, JITTER_DEFAULT_SPREAD_MS));
        let mut clients = clients::Clients::default();
        // Client 1 and Client 2's operations in the scenario (a preset's
        // story, or a shared run) show in their panels like the learner's own.
        for ((at_ms, action), ticket) in base.actions.iter().zip(tickets) {
            if let (Some(at), Some(ticket)) = (ms_to_us(*at_ms), ticket) {
                clients.applied(at, action, ticket);
            }
        }
        Model {
            timeline,
            past: None,
            branched: None,
            base,
            speed_step: clock::DEFAULT_SPEED_STEP,
            paused: false,
            skip_quiet: true,
            pace: Pace::Watch,
            since_skip_ms: f64::INFINITY,
            selected: None,
            notice,
            jitter_kind,
            jitter_spread_ms,
            previous_run: None,
            revision: 0,
            clients,
        }
    }

    /// The world the page shows: the live run, or the past it looks at.
    pub fn world(&self) -> &World {
        self.past.as_ref().unwrap_or(self.timeline.live())
    }

    /// The head of the run, however far back the page looks.
    pub fn live(&self) -> &World {
        self.timeline.live()
    }

    /// Whether the page shows an earlier moment than the live run.
    pub fn looking_back(&self) -> bool {
        self.past.is_some()
    }

    /// Whether there is a change in the past to take back, and when it was.
    pub fn branched_at(&self) -> Option<u64> {
        self.branched.as_ref().map(|b| b.at_us)
    }

    pub fn config(&self) -> &Config {
        self.world().config()
    }

    /// The run so far as a shareable scenario: the base plus the learner's
    /// first [`MAX_RECORDED`] actions.
    pub fn recorded(&self) -> Scenario {
        let mut scenario = self.timeline.scenario().clone();
        scenario
            .actions
            .truncate(self.base.actions.len() + MAX_RECORDED);
        scenario
    }

    /// Everything recorded, for a file: unlike [`Model::recorded`], no
    /// action is left out.
    pub fn whole_run(&self) -> &Scenario {
        self.timeline.scenario()
    }

    /// Whether the page should say it is skipping quiet time.
    pub fn skipping(&self) -> bool {
        self.since_skip_ms < SKIP_NOTICE_MS
    }

    /// The scenario's next scripted action still to come, and when (µs).
    pub fn next_action(&self) -> Option<(u64, &Action)> {
        let now = self.world().now();
        self.base
            .actions
            .iter()
            .filter_map(|(at, action)| Some((ms_to_us(*at)?, action)))
            .find(|&(at, _)| at > now)
    }

    pub fn update(&mut self, msg: Msg) {
        if !matches!(msg, Msg::Frame(_)) {
            self.notice = None;
        }
        match msg {
            Msg::Frame(wall_ms) => self.frame(wall_ms),
            Msg::TogglePause => self.paused = !self.paused,
            Msg::Step => {
                self.paused = true;
                match &mut self.past {
                    Some(past) => {
                        past.step();
                        self.rejoin_if_caught_up();
                    }
                    None => {
                        self.timeline.step();
                    }
                }
                self.observe();
            }
            Msg::StepBack => {
                self.paused = true;
                let events = self.world().stats().events;
                if events > 0 {
                    self.past = Some(self.timeline.at_event(events - 1));
                }
            }
            Msg::Seek(t_us) => {
                // Held there to be looked at; Play replays on from it.
                self.paused = true;
                self.past = (t_us < self.live().now()).then(|| self.timeline.at(t_us));
            }
            Msg::Live => self.past = None,
            Msg::Undo => self.undo(),
            Msg::Reset => self.restart(self.base.clone(), None),
            Msg::Load(scenario) => self.restart(*scenario, None),
            Msg::Nodes(n) => self.resize(n),
            Msg::WriteQuorum(w) => self.set(Settings {
                w: Some(w.clamp(1, self.config().n)),
                ..Settings::default()
            }),
            Msg::ReadQuorum(r) => self.set(Settings {
                r: Some(r.clamp(1, self.config().n)),
                ..Settings::default()
            }),
            Msg::Latency(ms) => self.set(Settings {
                latency_ms: Some(ms.clamp(0.0, 1000.0)),
                ..Settings::default()
            }),
            Msg::JitterKind(kind) => {
                self.jitter_kind = kind;
                self.set_jitter();
            }
            Msg::JitterSpread(ms) => {
                self.jitter_spread_ms = ms.clamp(1.0, 1000.0);
                self.set_jitter();
            }
            Msg::Drop(p) => self.set(Settings {
                drop: Some(p.clamp(0.0, 1.0)),
                ..Settings::default()
            }),
            Msg::ReadRepair(mode) => self.set(Settings {
                read_repair: Some(mode),
                ..Settings::default()
            }),
            Msg::Speed(step) => self.speed_step = step.min(clock::SPEEDS.len() - 1),
            Msg::SkipQuiet(on) => self.skip_quiet = on,
            Msg::SkipToNext => {
                if let Some((at, _)) = self.next_action() {
                    // Just before it, so the learner watches it happen.
                    match &mut self.past {
                        Some(past) => {
                            past.run_until(at - 1);
                            self.rejoin_if_caught_up();
                        }
                        None => self.timeline.advance_to(at - 1),
                    }
                    self.observe();
                    self.paused = false;
                }
            }
            Msg::Seed(seed) => {
                let mut base = self.base.clone();
                base.seed = seed;
                self.restart(
                    base,
                    Some(format!("Seed {seed}: the run started again with it.")),
                );
            }
            Msg::ToggleNode(node) if node.is_in(self.config().n) => {
                let action = if self.world().is_alive(node) {
                    Action::Crash { node }
                } else {
                    Action::Restart { node }
                };
                self.act(action);
                self.selected = Some(node);
            }
            Msg::ToggleNode(_) => {}
            Msg::Isolate(side) => {
                let n = self.config().n;
                let side: Vec<NodeId> = side.into_iter().filter(|i| i.is_in(n)).collect();
                if side.is_empty() || side.len() == n {
                    self.notice =
                        Some("Choose some nodes, but not all, to cut off from the rest.".into());
                } else {
                    self.act(Action::Partition { groups: vec![side] });
                }
            }
            Msg::Heal => {
                self.act(Action::Heal);
            }
            Msg::Client(msg) => {
                let shown = self.past.as_ref().unwrap_or(self.timeline.live());
                let actions = self.clients.update(msg, shown);
                for action in actions {
                    if let Some((at, ticket)) = self.act(action.clone()) {
                        self.clients.applied(at, &action, ticket);
                    }
                }
                // A console command may answer at once (a /status).
                self.observe();
            }
        }
    }

    /// Advances the world shown by one frame of wall time, pace by pace,
    /// stopping at each watched answer so the console and redirects act at
    /// the simulated moment the answer came. Looking back, the recorded run
    /// replays until it meets the live run, which then carries on.
    fn frame(&mut self, wall_ms: f64) {
        if self.paused || !wall_ms.is_finite() {
            self.observe();
            return;
        }
        let mut wall = wall_ms;
        self.since_skip_ms += wall_ms.max(0.0);
        for _ in 0..STOPS_PER_FRAME {
            let done = match &mut self.past {
                Some(past) => {
                    let done = clock::advance(past, wall, self.speed_step, self.skip_quiet);
                    self.rejoin_if_caught_up();
                    done
                }
                None => clock::advance(&mut self.timeline, wall, self.speed_step, self.skip_quiet),
            };
            if done.skipped_us > 0 {
                self.since_skip_ms = 0.0;
            }
            if let Some(pace) = done.pace {
                self.pace = pace;
            }
            self.observe();
            wall = done.wall_left_ms;
            if wall <= 0.0 {
                break;
            }
        }
    }

    /// Once the replayed past has reached the live run, shows the live run.
    fn rejoin_if_caught_up(&mut self) {
        if self
            .past
            .as_ref()
            .is_some_and(|p| p.stats().events >= self.live().stats().events)
        {
            self.past = None;
        }
    }

    /// Lets the clients collect answers from the live run and act on them.
    fn observe(&mut self) {
        if self.past.is_some() {
            return;
        }
        let before = self.timeline.scenario().actions.len();
        self.clients.observe(&mut self.timeline);
        self.note_recorded(before);
    }

    fn set(&mut self, settings: Settings) {
        self.act(Action::Set(settings));
    }

    fn set_jitter(&mut self) {
        let jitter = self.jitter_kind.jitter(self.jitter_spread_ms);
        self.set(Settings {
            jitter: Some(jitter),
            ..Settings::default()
        });
    }

    /// Applies `action` in the live run (branching it first when the page
    /// looks at the past) and records it; returns when it was scheduled
    /// and, for a client operation, its ticket.
    fn act(&mut self, action: Action) -> Option<(u64, Ticket)> {
        let mut check = self.config().clone();
        if let Err(e) = quorum_sim::scenario::check_action(&action, &mut check) {
            self.notice = Some(sentence(&e));
            return None;
        }
        if let Some(past) = self.past.take() {
            self.branch_at(past.now());
        }
        let before = self.timeline.scenario().actions.len();
        let at = self.live().now() + 1;
        let ticket = match self.timeline.record(at, action) {
            Ok(ticket) => ticket,
            Err(e) => {
                self.notice = Some(sentence(&e));
                return None;
            }
        };
        // Take effect now, even while paused: the learner clicked for a reason.
        self.timeline.advance_to(at);
        self.note_recorded(before);
        Some((at, ticket.unwrap_or(Ticket(0))))
    }

    /// Makes the live run go on from `t_us` without what was recorded
    /// after it, keeping what an undo needs.
    fn branch_at(&mut self, t_us: u64) {
        let clients = self.clients.clone();
        let branch = self.timeline.branch_at(t_us);
        let dropped = branch.dropped().len();
        self.clients.branch_at(t_us);
        self.branched = Some(Branched {
            branch,
            clients,
            at_us: t_us,
        });
        self.revision += 1;
        let later = match dropped {
            0 => String::new(),
            1 => " The one action taken after it was dropped.".into(),
            k => format!(" The {k} actions taken after it were dropped."),
        };
        self.notice = Some(format!(
            "You changed the past: the run now goes on from t = {:.3} s.{later} Undo brings the earlier run back.",
            t_us as f64 / 1e6
        ));
    }

    fn undo(&mut self) {
        if let Some(b) = self.branched.take() {
            self.timeline.undo(b.branch);
            self.clients = b.clients;
            self.past = None;
            self.revision += 1;
            self.notice = Some("The earlier run is back, as it was.".into());
        }
    }

    /// Counts new recorded actions for the link, and says when the link
    /// stops growing.
    fn note_recorded(&mut self, before: usize) {
        let now = self.timeline.scenario().actions.len();
        if now == before {
            return;
        }
        self.revision += 1;
        if now - self.base.actions.len() > MAX_RECORDED {
            self.notice = Some(format!(
                "This run has more than {MAX_RECORDED} actions: a shared link replays the first {MAX_RECORDED}."
            ));
        }
    }

    /// N cannot change in a running cluster (membership changes are another
    /// lesson), so a new N starts a new run, and the learner is told so.
    fn resize(&mut self, n: usize) {
        let n = n.clamp(1, MAX_NODES);
        if n == self.config().n {
            return;
        }
        let mut base = self.base.clone();
        base.actions.clear();
        base.config = self.config().clone();
        base.config.n = n;
        let mut clamped = Vec::new();
        if base.config.w > n {
            clamped.push(format!("W from {} to {n}", base.config.w));
            base.config.w = n;
        }
        if base.config.r > n {
            clamped.push(format!("R from {} to {n}", base.config.r));
            base.config.r = n;
        }
        let mut note = format!("N is now {n}: a cluster of a new size starts a new run");
        if !clamped.is_empty() {
            note += &format!(", and {} (a quorum cannot exceed N)", clamped.join(" and "));
        }
        note.push('.');
        let previous = series::Segment::whole_run(self.world());
        self.restart(base, Some(note));
        self.previous_run = Some(previous);
    }

    fn restart(&mut self, base: Scenario, notice: Option<String>) {
        let kept = (self.speed_step, self.paused, self.revision, self.skip_quiet);
        *self = Model::new(base);
        (self.speed_step, self.paused, self.revision, self.skip_quiet) = kept;
        self.revision += 1;
        if notice.is_some() {
            self.notice = notice;
        }
    }
}

/// A change made in the past, and what it replaced.
struct Branched {
    branch: Branch,
    clients: clients::Clients,
    at_us: u64,
}

#[cfg(test)]
mod test_support;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod time_travel_tests;
