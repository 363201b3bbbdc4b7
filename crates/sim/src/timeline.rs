//! Time travel over one run (issue 13): seek anywhere in a long run, step
//! back, branch and undo, and read every event of any stretch, in bounded
//! memory.
//!
//! The engine is deterministic, so a run *is* its scenario: the base (a
//! preset, a shared link) plus the actions a learner took, each recorded
//! here as it is scheduled. Replaying from the start would take as long as
//! the run itself, so the timeline keeps checkpoints: clones of the live
//! world taken every [`Spacing::every_us`] of simulated time as it
//! advances. A seek clones the latest checkpoint before its target and runs
//! on from there, so it replays at most the gap between two checkpoints.
//!
//! There are never more than [`Spacing::most`] checkpoints: when one more
//! would exceed them, every other checkpoint of the finest-spaced stretch
//! among the older half goes (by the trailing zeros of the boundary number
//! each was taken at, so a stretch is halved once before any older one is
//! halved again). Recent moments, where a learner steps back and forth, stay
//! dense; older stretches get sparser, and the widest gap grows with the
//! run's length over `most`: at the defaults (2 s, 64), 32 s after ten
//! minutes and 128 s after an hour.
//!
//! A checkpoint is any moment of the live run, and the actions recorded
//! after it are not in its queue yet: a seek schedules them onto the clone
//! in the order they were recorded. That gives the run exactly as it was
//! live, because an action is recorded only for a time after the live
//! clock (so after every event it could have preceded), actions run first
//! within their microsecond in the order they were scheduled, and their
//! tickets are issued in that same order.

use crate::errors::ActionError;
use crate::scenario::{ms_to_us, Action, Scenario, ScenarioError};
use crate::trace::TraceEvent;
use crate::world::{Done, Ticket, World};
use std::cell::RefCell;
use std::rc::Rc;

/// Simulated time between checkpoints, by default.
pub const CHECKPOINT_US: u64 = 2_000_000;

/// Checkpoints kept, by default: each is a whole world.
pub const MAX_CHECKPOINTS: usize = 64;

/// How often checkpoints are taken and how many are kept: memory against
/// seek time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Spacing {
    pub every_us: u64,
    pub most: usize,
}

impl Default for Spacing {
    fn default() -> Self {
        Spacing {
            every_us: CHECKPOINT_US,
            most: MAX_CHECKPOINTS,
        }
    }
}

/// The live world as it was at one moment.
struct Checkpoint {
    /// The boundary (a multiple of `every_us`) it was taken at or just
    /// after: thinning goes by its trailing zeros.
    boundary: u64,
    /// How many of the scenario's actions were already queued in `world`.
    queued: usize,
    world: World,
}

/// A run, its checkpoints, and the live world at its head.
pub struct Timeline {
    /// The base scenario, then every action recorded, in recording order.
    scenario: Scenario,
    /// The base's own actions, which a branch keeps.
    base_actions: usize,
    spacing: Spacing,
    live: World,
    /// Oldest first; the first is the run's start and is never thinned.
    /// Shared with the [`Branch`] an undo would restore.
    checkpoints: Vec<Rc<Checkpoint>>,
    /// The boundary at which the next checkpoint is due.
    next_boundary: u64,
}

/// What [`Timeline::branch_at`] replaced: [`Timeline::undo`] puts it back.
/// Holding one keeps the earlier run's checkpoints alive.
pub struct Branch {
    previous: Timeline,
    dropped: Vec<(f64, Action)>,
}

impl Branch {
    /// The recorded actions the branch dropped, as `(at_ms, action)`.
    pub fn dropped(&self) -> &[(f64, Action)] {
        &self.dropped
    }
}

/// The trace events of a stretch of the run, oldest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stretch {
    pub events: Vec<TraceEvent>,
    /// More events happened in the stretch than the limit let through.
    pub cut: bool,
}

/// Why an action cannot join the run's record.
#[derive(Clone, Debug, PartialEq)]
pub enum RecordError {
    /// At or before the live clock: a replay would run it out of order.
    TooLate {
        at_us: u64,
        now_us: u64,
    },
    /// Beyond what a scenario's times can hold.
    TooFar(u64),
    Action(ActionError),
}

impl std::fmt::Display for RecordError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RecordError::TooLate { at_us, now_us } => write!(
                f,
                "an action at {} µs comes too late: the run is at {} µs",
                *at_us, *now_us
            ),
            RecordError::TooFar(at_us) => {
                write!(f, "{} µs is beyond what a scenario can hold", *at_us)
            }
            RecordError::Action(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for RecordError {}

impl Timeline {
    /// Starts `scenario`, with the default [`Spacing`]; also returns the
    /// ticket of each of its actions, as [`World::with_tickets`] does.
    pub fn new(scenario: Scenario) -> Result<(Timeline, Vec<Option<Ticket>>), ScenarioError> {
        Timeline::with_spacing(scenario, Spacing::default())
    }

    /// Like [`Timeline::new`]; a spacing of under 1 µs or under one
    /// checkpoint counts as that.
    pub fn with_spacing(
        scenario: Scenario,
        spacing: Spacing,
    ) -> Result<(Timeline, Vec<Option<Ticket>>), ScenarioError> {
        let (live, tickets) = World::with_tickets(&scenario)?;
        let spacing = Spacing {
            every_us: spacing.every_us.max(1),
            most: spacing.most.max(1),
        };
        let start = Rc::new(Checkpoint {
            boundary: 0,
            queued: scenario.actions.len(),
            world: live.clone(),
        });
        let timeline = Timeline {
            base_actions: scenario.actions.len(),
            scenario,
            spacing,
            live,
            checkpoints: vec![start],
            next_boundary: 1,
        };
        Ok((timeline, tickets))
    }

    /// The world at the head of the run, to draw from.
    pub fn live(&self) -> &World {
        &self.live
    }

    /// The base scenario with every recorded action appended: what a shared
    /// link replays to this same run.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// The checkpoints' worlds, oldest first.
    pub fn checkpoints(&self) -> impl ExactSizeIterator<Item = &World> + '_ {
        self.checkpoints.iter().map(|c| &c.world)
    }

    /// Runs the live world to `t_us` ([`World::run_until`]), taking the
    /// checkpoints due on the way.
    pub fn advance_to(&mut self, t_us: u64) {
        loop {
            let due = self.next_boundary.saturating_mul(self.spacing.every_us);
            if due > t_us {
                break;
            }
            self.live.run_until(due);
            self.checkpoint();
        }
        self.live.run_until(t_us);
    }

    /// Runs the live world's next event ([`World::step`]); false when
    /// nothing is left to happen.
    pub fn step(&mut self) -> bool {
        let ran = self.live.step();
        if self.live.now() >= self.next_boundary.saturating_mul(self.spacing.every_us) {
            self.checkpoint();
        }
        ran
    }

    /// Schedules `action` in the live world for `at_us` and records it in
    /// the scenario: the one way a run changes, so that every seek and
    /// every link replays it. `at_us` must be after the live clock: events
    /// of the present microsecond may have run already, and a replay would
    /// run the action before them. Returns the ticket of a client
    /// operation.
    pub fn record(&mut self, at_us: u64, action: Action) -> Result<Option<Ticket>, RecordError> {
        let now = self.live.now();
        if at_us <= now {
            return Err(RecordError::TooLate { at_us, now_us: now });
        }
        let at_ms = at_us as f64 / 1000.0;
        if ms_to_us(at_ms) != Some(at_us) {
            return Err(RecordError::TooFar(at_us));
        }
        let ticket = self
            .live
            .schedule_action(at_us, action.clone())
            .map_err(RecordError::Action)?;
        self.scenario.actions.push((at_ms, action));
        Ok(ticket)
    }

    /// The live world's answer for `ticket` ([`World::take_done`]).
    pub fn take_done(&mut self, ticket: Ticket) -> Option<Done> {
        self.live.take_done(ticket)
    }

    /// The world exactly as the run was once it had run every event due up
    /// to `t_us`. Its queue holds the actions recorded for later, so it
    /// runs on as the recorded run did.
    pub fn at(&self, t_us: u64) -> World {
        let mut world = self.resume(|w| w.now() <= t_us);
        world.run_until(t_us);
        world
    }

    /// The world once the run had run exactly `count` events (or all there
    /// were), its clock at the last of them: `at_event(n - 1)` and then
    /// [`World::step`] is `at_event(n)`, which is how a page steps back and
    /// forth.
    pub fn at_event(&self, count: u64) -> World {
        // Strictly fewer events, so that at least one runs and sets the
        // clock; the start has none and nothing can come before it.
        let mut world = self.resume(|w| w.stats().events < count);
        world.run_events(count - world.stats().events);
        world
    }

    /// Every trace event of the run from `t0_us` to `t1_us` (both
    /// included), replayed with a trace sink; at most `limit` of them, the
    /// earliest.
    pub fn events(&self, t0_us: u64, t1_us: u64, limit: usize) -> Stretch {
        // A moment before t0, so that no event of t0 has run yet.
        let mut world = self.resume(|w| w.now() < t0_us);
        let seen = Rc::new(RefCell::new(Vec::new()));
        let sink = Rc::clone(&seen);
        world.set_trace_sink(Box::new(move |event: &TraceEvent| {
            if event.at >= t0_us {
                sink.borrow_mut().push(event.clone());
            }
        }));
        while world.next_event_at().is_some_and(|at| at <= t1_us) && seen.borrow().len() <= limit {
            world.step();
        }
        let mut events = seen.take();
        let cut = events.len() > limit;
        events.truncate(limit);
        Stretch { events, cut }
    }

    /// Makes the run continue from `t_us` as if the actions recorded for
    /// later had never been taken (the base scenario's own actions stay):
    /// the live world becomes the world at `t_us` without them, and
    /// checkpoints after the branch point go. Returns what an undo needs.
    pub fn branch_at(&mut self, t_us: u64) -> Branch {
        let actions = &self.scenario.actions;
        let late = |i: usize| i >= self.base_actions && ms_to_us(actions[i].0) > Some(t_us);
        let first_late = (self.base_actions..actions.len())
            .find(|&i| late(i))
            .unwrap_or(actions.len());
        let (dropped, kept): (Vec<usize>, Vec<usize>) =
            (first_late..actions.len()).partition(|&i| late(i));
        let mut scenario = self.scenario.clone();
        scenario.actions = (0..first_late)
            .chain(kept)
            .map(|i| actions[i].clone())
            .collect();
        let dropped = dropped.into_iter().map(|i| actions[i].clone()).collect();
        // A checkpoint taken before the first dropped action was recorded
        // never had it queued: it is a moment of the branch too.
        let checkpoints: Vec<Rc<Checkpoint>> = self
            .checkpoints
            .iter()
            .take_while(|c| c.world.now() <= t_us && c.queued <= first_late)
            .cloned()
            .collect();
        let from = checkpoints.last().expect("the start is kept").clone();
        let live = replay_from(&from, &scenario.actions);
        let branch = Timeline {
            base_actions: self.base_actions,
            spacing: self.spacing,
            live,
            checkpoints,
            next_boundary: from.boundary + 1,
            scenario,
        };
        let previous = std::mem::replace(self, branch);
        self.advance_to(t_us);
        Branch { previous, dropped }
    }

    /// Restores the run as it was before `branch` was made from it, exactly.
    pub fn undo(&mut self, branch: Branch) {
        *self = branch.previous;
    }

    /// The latest moment of the run for which `usable` holds (the live
    /// world, or a checkpoint, or else the start), ready to run on.
    fn resume(&self, usable: impl Fn(&World) -> bool) -> World {
        if usable(&self.live) {
            return self.live.clone();
        }
        let from = self
            .checkpoints
            .iter()
            .rev()
            .find(|c| usable(&c.world))
            .unwrap_or(&self.checkpoints[0]);
        replay_from(from, &self.scenario.actions)
    }

    fn checkpoint(&mut self) {
        let boundary = self.live.now() / self.spacing.every_us;
        self.checkpoints.push(Rc::new(Checkpoint {
            boundary,
            queued: self.scenario.actions.len(),
            world: self.live.clone(),
        }));
        self.next_boundary = boundary + 1;
        self.thin();
    }

    /// Drops every other checkpoint of the finest-spaced stretch among the
    /// older half. In a stretch of spacing s, boundary numbers are
    /// consecutive multiples of s, and those with the fewest trailing zeros
    /// are every other one of them; coarser stretches hold none of those.
    fn thin(&mut self) {
        if self.checkpoints.len() <= self.spacing.most {
            return;
        }
        let older = 1..=self.checkpoints.len() / 2;
        let level = |c: &Checkpoint| c.boundary.trailing_zeros();
        let finest = self.checkpoints[older.clone()]
            .iter()
            .map(|c| level(c))
            .min()
            .expect("over the limit, so at least two checkpoints");
        let mut i = 0;
        self.checkpoints.retain(|c| {
            i += 1;
            !(older.contains(&(i - 1)) && level(c) == finest)
        });
    }
}

/// A clone of `from`'s world with the actions recorded after it queued.
fn replay_from(from: &Checkpoint, actions: &[(f64, Action)]) -> World {
    let mut world = from.world.clone();
    for (at_ms, action) in &actions[from.queued..] {
        let at = ms_to_us(*at_ms).expect("recorded from a whole µs");
        // Display, not Debug: an error's Debug costs the page's download.
        if let Err(e) = world.schedule_action(at, action.clone()) {
            panic!("an action valid when it was recorded: {e}");
        }
    }
    world
}
