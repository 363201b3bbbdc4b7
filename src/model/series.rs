//! Statistics over time for the stats panel, and the panel's figures.
//!
//! The chart covers the whole run in at most [`BUCKETS`] buckets of
//! simulated time: when the run outgrows them, neighbours are merged in
//! pairs and the width doubles. Memory is fixed however long a learner
//! leaves the tab open, and a step in the chart still marks the moment a
//! setting changed, whatever the speed.

use quorum_sim::check::judge;
use quorum_sim::history::HistoryOp;
use quorum_sim::kv::Level;
use quorum_sim::stats::Stats;
use quorum_sim::world::World;

/// Chart columns: enough to see a dip, few enough to draw every frame.
pub const BUCKETS: usize = 48;

/// Simulated time per bucket at the start of a run.
const FIRST_WIDTH_US: u64 = 500_000;

/// Frames between session-guarantee checks: twice a second at 60 fps. The
/// checker reads the whole history window (2,000 operations take about
/// 2 ms natively), far too much for every frame; at the fastest speed and
/// a busy workload, half a second still adds fewer operations than the
/// window holds, so no read leaves it unjudged.
const CHECK_EVERY_FRAMES: u32 = 30;

/// What happened during one bucket of simulated time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Bucket {
    pub reads: u64,
    pub stale_reads: u64,
    /// Operations that ended, and those of them that succeeded.
    pub completed: u64,
    pub succeeded: u64,
    pub elections: u64,
}

impl Bucket {
    fn of(stats: &Stats) -> Bucket {
        Bucket {
            reads: stats.read_latency.count(),
            stale_reads: stats.stale_reads,
            completed: stats.completed,
            succeeded: succeeded(stats),
            elections: stats.elections,
        }
    }

    fn since(self, earlier: Bucket) -> Bucket {
        Bucket {
            reads: self.reads.saturating_sub(earlier.reads),
            stale_reads: self.stale_reads.saturating_sub(earlier.stale_reads),
            completed: self.completed.saturating_sub(earlier.completed),
            succeeded: self.succeeded.saturating_sub(earlier.succeeded),
            elections: self.elections.saturating_sub(earlier.elections),
        }
    }

    fn add(&mut self, more: Bucket) {
        self.reads += more.reads;
        self.stale_reads += more.stale_reads;
        self.completed += more.completed;
        self.succeeded += more.succeeded;
        self.elections += more.elections;
    }

    pub fn stale_percent(&self) -> Option<f64> {
        percent(self.stale_reads, self.reads)
    }

    pub fn availability_percent(&self) -> Option<f64> {
        percent(self.succeeded, self.completed)
    }
}

fn succeeded(stats: &Stats) -> u64 {
    stats.completed - stats.failed_ops - stats.unknown_ops
}

/// `part` of `whole` in percent; `None` when there is no whole to speak of.
pub fn percent(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| 100.0 * part as f64 / whole as f64)
}

/// Session-guarantee violations found so far, counted from the checker's
/// verdicts on the history window. Each check counts only reads that
/// completed after the previous one, so nothing is counted twice; a read
/// whose evidence had already left the window by then goes uncounted.
#[derive(Clone, Debug, Default, PartialEq)]
struct Sessions {
    read_your_writes: u64,
    monotonic_reads: u64,
    /// Reads completed up to this simulated time have been judged.
    judged_to_us: u64,
    frames_since_check: u32,
}

impl Sessions {
    fn sample(&mut self, world: &World) {
        self.frames_since_check += 1;
        if self.frames_since_check < CHECK_EVERY_FRAMES {
            return;
        }
        self.frames_since_check = 0;
        let ops: Vec<HistoryOp> = world.history().collect();
        let newest = ops.iter().filter_map(|op| op.complete_us).max();
        let Some(newest) = newest.filter(|&t| t > self.judged_to_us) else {
            return;
        };
        if let Ok(report) = judge(&ops) {
            let judged = self.judged_to_us;
            let new = |v: &&quorum_sim::check::SessionViolation| {
                ops[v.read].complete_us.is_some_and(|t| t > judged)
            };
            self.read_your_writes += report.ryw_violations.iter().filter(new).count() as u64;
            self.monotonic_reads += report.monotonic_violations.iter().filter(new).count() as u64;
        }
        self.judged_to_us = newest;
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    width_us: u64,
    /// Bucket i covers [i·width, (i+1)·width) of simulated time.
    buckets: Vec<Bucket>,
    /// The world's counters at the previous sample.
    seen: Bucket,
    sessions: Sessions,
}

impl Default for Series {
    fn default() -> Self {
        Series {
            width_us: FIRST_WIDTH_US,
            buckets: Vec::with_capacity(BUCKETS),
            seen: Bucket::default(),
            sessions: Sessions::default(),
        }
    }
}

impl Series {
    /// Called once per frame, after the world advanced.
    pub fn sample(&mut self, world: &World) {
        let now = Bucket::of(world.stats());
        self.record(world.now(), now.since(self.seen));
        self.seen = now;
        self.sessions.sample(world);
    }

    /// Adds what happened up to `at_us` to the bucket holding `at_us`.
    fn record(&mut self, at_us: u64, delta: Bucket) {
        while at_us / self.width_us >= BUCKETS as u64 {
            self.merge_pairs();
        }
        let index = (at_us / self.width_us) as usize;
        if self.buckets.len() <= index {
            self.buckets.resize(index + 1, Bucket::default());
        }
        self.buckets[index].add(delta);
    }

    fn merge_pairs(&mut self) {
        self.buckets = self
            .buckets
            .chunks(2)
            .map(|pair| {
                let mut merged = pair[0];
                if let Some(&second) = pair.get(1) {
                    merged.add(second);
                }
                merged
            })
            .collect();
        self.width_us *= 2;
    }
}

/// One consistency level's reads.
#[derive(Clone, Debug, PartialEq)]
pub struct LevelReads {
    pub level: &'static str,
    pub reads: u64,
    pub stale: u64,
}

/// Everything the stats panel shows, as plain numbers.
#[derive(Clone, Debug, PartialEq)]
pub struct Figures {
    pub reads: u64,
    pub stale_reads: u64,
    /// Levels that have reads, in the engine's order (weakest first).
    pub by_level: Vec<LevelReads>,
    pub read_your_writes: u64,
    pub monotonic_reads: u64,
    pub lost_acked_writes: u64,
    pub acked_writes: u64,
    pub completed: u64,
    pub succeeded: u64,
    pub not_leader: u64,
    /// (p50, p99) in ms, when there is at least one sample.
    pub read_latency_ms: Option<(f64, f64)>,
    pub write_latency_ms: Option<(f64, f64)>,
    pub elections: u64,
    pub messages_sent: u64,
    pub messages_dropped: u64,
    pub bucket_s: f64,
    pub buckets: Vec<Bucket>,
}

impl Figures {
    pub fn of(world: &World, series: &Series) -> Figures {
        let s = world.stats();
        let quantiles = |h: &quorum_sim::stats::Histogram| {
            (h.count() > 0).then(|| (h.quantile_ms(0.5), h.quantile_ms(0.99)))
        };
        Figures {
            reads: s.read_latency.count(),
            stale_reads: s.stale_reads,
            by_level: Level::ALL
                .into_iter()
                .filter(|&l| s.reads_at(l) > 0)
                .map(|l| LevelReads {
                    level: l.name(),
                    reads: s.reads_at(l),
                    stale: s.stale_at(l),
                })
                .collect(),
            read_your_writes: series.sessions.read_your_writes,
            monotonic_reads: series.sessions.monotonic_reads,
            lost_acked_writes: s.lost_acked_writes,
            acked_writes: s.acked_writes,
            completed: s.completed,
            succeeded: succeeded(s),
            not_leader: s.not_leader,
            read_latency_ms: quantiles(&s.read_latency),
            write_latency_ms: quantiles(&s.write_latency),
            elections: s.elections,
            messages_sent: s.messages_sent,
            messages_dropped: s.messages_dropped,
            bucket_s: series.width_us as f64 / 1e6,
            buckets: series.buckets.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quorum_sim::config::Config;
    use quorum_sim::scenario::Scenario;
    use quorum_sim::workload::Workload;

    fn reads(reads: u64, stale_reads: u64) -> Bucket {
        Bucket {
            reads,
            stale_reads,
            ..Bucket::default()
        }
    }

    #[test]
    fn percentages_need_a_whole() {
        assert_eq!(percent(1, 4), Some(25.0));
        assert_eq!(percent(0, 0), None);
        assert_eq!(reads(8, 2).stale_percent(), Some(25.0));
        let b = Bucket {
            completed: 10,
            succeeded: 9,
            ..Bucket::default()
        };
        assert_eq!(b.availability_percent(), Some(90.0));
        assert_eq!(Bucket::default().availability_percent(), None);
    }

    #[test]
    fn samples_land_in_the_bucket_of_their_time() {
        let mut s = Series::default();
        s.record(0, reads(1, 0));
        s.record(FIRST_WIDTH_US - 1, reads(1, 1));
        s.record(3 * FIRST_WIDTH_US, reads(2, 0));
        assert_eq!(
            s.buckets,
            &[reads(2, 1), reads(0, 0), reads(0, 0), reads(2, 0)]
        );
    }

    #[test]
    fn a_long_run_merges_buckets_and_keeps_every_count() {
        let mut s = Series::default();
        let hours = 3 * 3600 * 1_000_000u64;
        let mut t = 0;
        let mut frames = 0u64;
        while t < hours {
            s.record(t, reads(3, 1));
            t += 16_000 * 50; // 50× speed frames
            frames += 1;
        }
        assert!(s.buckets.len() <= BUCKETS);
        assert!(s.buckets.len() > BUCKETS / 2, "the chart stays filled");
        assert!(s.width_us as f64 * BUCKETS as f64 >= hours as f64);
        let total: u64 = s.buckets.iter().map(|b| b.reads).sum();
        assert_eq!(total, 3 * frames);
        let stale: u64 = s.buckets.iter().map(|b| b.stale_reads).sum();
        assert_eq!(stale, frames);
    }

    #[test]
    fn a_merge_adds_neighbours_in_pairs() {
        let mut s = Series::default();
        for i in 0..BUCKETS as u64 {
            s.record(i * FIRST_WIDTH_US, reads(i, 0));
        }
        s.record(BUCKETS as u64 * FIRST_WIDTH_US, reads(100, 0));
        assert_eq!(s.width_us, 2 * FIRST_WIDTH_US);
        assert_eq!(s.buckets.len(), BUCKETS / 2 + 1);
        assert_eq!(s.buckets[0].reads, 1);
        assert_eq!(s.buckets[1].reads, 2 + 3);
        assert_eq!(s.buckets[BUCKETS / 2].reads, 100);
    }

    fn busy_world(config: Config) -> World {
        let mut scenario = Scenario::new(config, 7);
        scenario.workload = Some(Workload {
            ops_per_sec: 50.0,
            ..Workload::default()
        });
        World::from_scenario(&scenario).unwrap()
    }

    #[test]
    fn figures_follow_the_world_frame_by_frame() {
        let mut world = busy_world(Config::default());
        let mut series = Series::default();
        for frame in 1..=600 {
            world.run_until(frame * 16_000);
            series.sample(&world);
        }
        let f = Figures::of(&world, &series);
        let s = world.stats();
        assert!(f.elections >= 1);
        assert!(f.reads > 0 && f.completed > f.reads);
        assert_eq!(f.stale_reads, s.stale_reads);
        let charted: Bucket = f.buckets.iter().fold(Bucket::default(), |mut sum, b| {
            sum.add(*b);
            sum
        });
        assert_eq!(charted, Bucket::of(s), "every count is in some bucket");
        assert_eq!(f.by_level.len(), 1, "the workload reads only eventual");
        assert_eq!(f.by_level[0].level, "eventual");
        assert_eq!(f.by_level[0].reads, f.reads);
        let (p50, p99) = f.read_latency_ms.unwrap();
        assert!(p50 <= p99);
    }

    #[test]
    fn session_violations_are_counted_once() {
        // R = W = 1 with eventual reads spread over all nodes and heavy
        // jitter: clients read from followers that have not caught up.
        let config = Config {
            w: 1,
            jitter: quorum_sim::config::Jitter::Dist(quorum_sim::dist::Dist::Exponential {
                rate: 0.01,
            }),
            ..Config::default()
        };
        let mut world = busy_world(config);
        let mut series = Series::default();
        let mut last = (0, 0);
        for frame in 1..=1500 {
            world.run_until(frame * 16_000);
            series.sample(&world);
            let now = (
                series.sessions.read_your_writes,
                series.sessions.monotonic_reads,
            );
            assert!(now.0 >= last.0 && now.1 >= last.1);
            last = now;
        }
        let ops: Vec<HistoryOp> = world.history().collect();
        assert!(
            ops.len() < world.config().history_window,
            "all in the window"
        );
        let report = judge(&ops).unwrap();
        let counted = series.sessions.read_your_writes + series.sessions.monotonic_reads;
        let found = report.ryw_violations.len() + report.monotonic_violations.len();
        assert!(found > 0, "the setup produces violations");
        // The last frames after the final check may hold a few more.
        assert!(
            counted as usize <= found && counted > 0,
            "{counted} of {found}"
        );
    }
}
