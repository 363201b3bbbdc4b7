//! How wall-clock time on the page becomes simulated time.
//!
//! Three paces, chosen moment by moment from what is happening:
//! * **watch**: anything worth seeing is on its way (a vote, a replicate, a
//!   read, a repair) or a client waits for an answer: the learner's speed,
//!   slow motion by default, so every such message visibly travels;
//! * **brisk**: only heartbeats and their replies fly: at least
//!   [`BRISK_SPEED`], still drawn moving;
//! * **skip**: nothing is in flight and nobody waits: the clock jumps to
//!   the next event, and the page says it is skipping quiet time.
//!
//! The pace only maps wall time to simulated time: what the page shows at
//! simulated time t is the same however it got there.

use quorum_sim::msg::{NodeId, Role};
use quorum_sim::timeline::Timeline;
use quorum_sim::world::World;

/// What the clock drives: a world of its own (a look back replaying the
/// recorded run), or a timeline's live world, which takes its checkpoints
/// on the way.
pub trait Runs {
    fn world(&self) -> &World;
    fn run_until(&mut self, t_us: u64);
}

impl Runs for World {
    fn world(&self) -> &World {
        self
    }
    fn run_until(&mut self, t_us: u64) {
        World::run_until(self, t_us);
    }
}

impl Runs for Timeline {
    fn world(&self) -> &World {
        self.live()
    }
    fn run_until(&mut self, t_us: u64) {
        self.advance_to(t_us);
    }
}

/// Simulated milliseconds per wall millisecond, slowest first. The slow end
/// lets a 50 ms message take seconds to cross the screen; the fast end runs
/// a workload long enough to see statistics settle.
pub const SPEEDS: [f64; 11] = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 50.0];

/// Slow motion on a first visit: a 50 ms message takes half a second.
pub const DEFAULT_SPEED_STEP: usize = 3;

/// While only heartbeats fly, time runs at least this fast: a heartbeat
/// still crosses in a tenth of a second, and a quiet cluster never drags.
pub const BRISK_SPEED: f64 = 0.5;

/// A frame longer than this (a background tab, a debugger pause) is treated
/// as this long, so the simulation never leaps ahead while nobody watches.
const MAX_FRAME_MS: f64 = 100.0;

/// Events one frame may run: a dense workload at 50× lags the wall clock
/// rather than freezing the tab.
const MAX_EVENTS_PER_FRAME: u32 = 50_000;

pub fn speed(step: usize) -> f64 {
    SPEEDS[step.min(SPEEDS.len() - 1)]
}

pub fn speed_label(step: usize) -> String {
    let s = speed(step);
    if s < 1.0 {
        format!("{}× (slow motion)", s)
    } else {
        format!("{}×", s)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pace {
    Watch,
    Brisk,
    Skip,
}

/// The pace the world calls for now, with quiet time skipped or not.
pub fn pace(world: &World, skip_quiet: bool) -> Pace {
    let flying = world.flying();
    let busy = flying.news > 0
        || world.pending_ops() > 0
        || NodeId::all(world.config().n)
            .any(|i| world.is_alive(i) && world.node(i).role() == Role::Candidate);
    match () {
        _ if busy || !skip_quiet => Pace::Watch,
        _ if flying.background > 0 => Pace::Brisk,
        _ => Pace::Skip,
    }
}

/// What one call to [`advance`] did.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Advanced {
    /// Wall milliseconds left over: the call stopped early because a
    /// watched operation was answered, and the caller should look at it
    /// before time goes on.
    pub wall_left_ms: f64,
    /// Simulated µs jumped over as quiet time.
    pub skipped_us: u64,
    /// The pace in force when it stopped.
    pub pace: Option<Pace>,
}

/// Runs `world` for `wall_ms` of wall time at speed step `step`, pace by
/// pace, stopping early (with the rest of the wall time returned) as soon
/// as an operation someone holds a ticket for is answered.
pub fn advance(run: &mut impl Runs, wall_ms: f64, step: usize, skip_quiet: bool) -> Advanced {
    let mut wall = if wall_ms.is_finite() {
        wall_ms.clamp(0.0, MAX_FRAME_MS)
    } else {
        0.0
    };
    let mut done = Advanced::default();
    let answered = run.world().answered();
    for _ in 0..MAX_EVENTS_PER_FRAME {
        let pace = pace(run.world(), skip_quiet);
        done.pace = Some(pace);
        let rate = match pace {
            Pace::Watch => speed(step),
            Pace::Brisk => speed(step).max(BRISK_SPEED),
            Pace::Skip => f64::INFINITY,
        };
        let now = run.world().now();
        let Some(next) = run.world().next_event_at() else {
            if rate.is_finite() {
                run.run_until(now + us(wall * rate));
            }
            wall = 0.0;
            break;
        };
        if rate.is_infinite() {
            done.skipped_us += next - now;
            run.run_until(next);
        } else {
            let reach = now + us(wall * rate);
            if next > reach {
                run.run_until(reach);
                wall = 0.0;
                break;
            }
            wall -= (next - now) as f64 / 1000.0 / rate;
            run.run_until(next);
        }
        if run.world().answered() != answered {
            break;
        }
        if wall <= 0.0 {
            break;
        }
    }
    done.wall_left_ms = wall.max(0.0);
    done
}

fn us(ms: f64) -> u64 {
    (ms * 1000.0).round() as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use quorum_sim::config::Config;
    use quorum_sim::kv::Level;
    use quorum_sim::scenario::Action;

    fn world() -> World {
        World::new(Config::default(), 369).unwrap()
    }

    #[test]
    fn an_idle_cluster_before_its_first_election_is_skipped_through() {
        let mut w = world();
        assert_eq!(pace(&w, true), Pace::Skip);
        let done = advance(&mut w, 16.0, DEFAULT_SPEED_STEP, true);
        assert!(
            done.skipped_us >= 300_000,
            "{done:?}: the first timeout is ≥ 300 ms away"
        );
        // The jump ends where the votes start flying, then slow motion.
        assert_eq!(done.pace, Some(Pace::Watch));
        let mut off = world();
        advance(&mut off, 16.0, DEFAULT_SPEED_STEP, false);
        assert_eq!(off.now(), 1_600, "0.1× without skipping");
    }

    #[test]
    fn messages_worth_seeing_are_watched_at_the_learners_speed() {
        let mut w = world();
        // Run until the votes fly.
        while pace(&w, true) != Pace::Watch {
            advance(&mut w, 16.0, DEFAULT_SPEED_STEP, true);
        }
        let before = w.now();
        let done = advance(&mut w, 10.0, DEFAULT_SPEED_STEP, true);
        assert_eq!(done.skipped_us, 0);
        assert_eq!(w.now() - before, 1_000, "10 ms of wall at 0.1×");
    }

    #[test]
    fn heartbeats_alone_run_briskly_and_a_leader_is_crowned_within_five_seconds() {
        let mut w = world();
        let mut wall = 0.0;
        while w.leader().is_none() {
            advance(&mut w, 16.0, DEFAULT_SPEED_STEP, true);
            wall += 16.0;
            assert!(wall < 5_000.0, "no leader after {wall} ms of wall time");
        }
        assert_eq!(
            w.leader(),
            Some(NodeId::at(0)),
            "node-1 leads, as in the course"
        );
        assert_eq!(w.node(NodeId::at(0)).term(), 1);
        // Settled: only heartbeats are left, at the brisk pace.
        for _ in 0..200 {
            advance(&mut w, 16.0, DEFAULT_SPEED_STEP, true);
        }
        assert_eq!(pace(&w, true), Pace::Brisk);
        let before = w.now();
        advance(&mut w, 16.0, DEFAULT_SPEED_STEP, true);
        assert!(w.now() - before >= 8_000, "{} µs", w.now() - before);
    }

    #[test]
    fn an_answer_stops_the_frame_at_its_moment() {
        let mut w = world();
        w.run_until(2_000_000);
        w.apply(&Action::Set(quorum_sim::scenario::Settings {
            r: Some(2),
            ..Default::default()
        }))
        .unwrap();
        // A strong read at a follower waits a round trip for R = 2 replies.
        let t = w
            .submit(&Action::Read {
                client: 2,
                node: NodeId::numbered(2).unwrap(),
                key: "k".into(),
                level: Level::Strong,
            })
            .unwrap();
        let done = advance(&mut w, 100.0, 9, true);
        assert!(done.wall_left_ms > 0.0, "{done:?}");
        let answer = w.take_done(t).expect("answered where the frame stopped");
        assert_eq!(answer.answered_us, w.now());
    }

    #[test]
    fn stalled_and_broken_frames_do_not_leap() {
        let mut w = world();
        advance(&mut w, f64::NAN, 6, false);
        advance(&mut w, -5.0, 6, false);
        assert_eq!(w.now(), 0);
        advance(&mut w, 10_000.0, 6, false);
        assert_eq!(w.now(), 100_000, "a stalled tab runs one capped frame");
    }

    #[test]
    fn labels_say_slow_motion() {
        assert_eq!(speed_label(DEFAULT_SPEED_STEP), "0.1× (slow motion)");
        assert_eq!(speed_label(99), "50×");
    }
}
