//! The stats panel's figures: the run's totals, the chart's columns (both
//! counted by the engine as things happen), and segments that start when a
//! setting changes, so before and after can be compared.

use quorum_sim::config::{Config, Jitter, ReadRepair};
use quorum_sim::kv::Level;
use quorum_sim::series::Bucket;
use quorum_sim::stats::{Histogram, Stats};
use quorum_sim::world::World;

pub use quorum_sim::series::percent;

/// One consistency level's reads.
#[derive(Clone, Debug, PartialEq)]
pub struct LevelReads {
    pub level: &'static str,
    pub reads: u64,
    pub stale: u64,
}

/// Counts over some stretch of the run, as plain numbers.
#[derive(Clone, Debug, PartialEq)]
pub struct Tally {
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
}

impl Tally {
    pub fn of(s: &Stats) -> Tally {
        let quantiles =
            |h: &Histogram| (h.count() > 0).then(|| (h.quantile_ms(0.5), h.quantile_ms(0.99)));
        Tally {
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
            read_your_writes: s.ryw_violations,
            monotonic_reads: s.monotonic_violations,
            lost_acked_writes: s.lost_acked_writes,
            acked_writes: s.acked_writes,
            completed: s.completed,
            succeeded: s.completed - s.failed_ops - s.unknown_ops,
            not_leader: s.not_leader,
            read_latency_ms: quantiles(&s.read_latency),
            write_latency_ms: quantiles(&s.write_latency),
            elections: s.elections,
            messages_sent: s.messages_sent,
            messages_dropped: s.messages_dropped,
        }
    }
}

/// A stretch of the run under one set of settings.
#[derive(Clone, Debug, PartialEq)]
pub struct Segment {
    /// The settings, in a few words: "W = 2 · R = 1 · 50 ms + disk 150 ms".
    pub settings: String,
    pub from_us: u64,
    /// `None` while it lasts.
    pub to_us: Option<u64>,
    pub tally: Tally,
}

impl Segment {
    /// The whole run so far, as the segment a new N ends.
    pub fn whole_run(world: &World) -> Segment {
        Segment {
            settings: settings_line(world.config()),
            from_us: 0,
            to_us: Some(world.now()),
            tally: Tally::of(world.stats()),
        }
    }
}

/// The settings a segment is named by.
pub fn settings_line(c: &Config) -> String {
    let jitter = match &c.jitter {
        Jitter::Dist(d) if d.mean() == 0.0 => String::new(),
        Jitter::Dist(d) => format!(" + jitter {:.0} ms", d.mean()),
        Jitter::Writes(d) => format!(" + disk {:.0} ms", d.mean()),
        Jitter::Preset(p) => format!(" + PBS {}", p.name()),
    };
    let repair = match c.read_repair {
        ReadRepair::Off => "",
        ReadRepair::Async => " · async repair",
        ReadRepair::Blocking => " · blocking repair",
    };
    let drop = if c.drop > 0.0 {
        format!(" · {:.0} % loss", c.drop * 100.0)
    } else {
        String::new()
    };
    format!(
        "N = {} · W = {} · R = {} · {} ms{jitter}{drop}{repair}",
        c.n, c.w, c.r, c.latency_ms
    )
}

/// Everything the stats panel shows, as plain numbers.
#[derive(Clone, Debug, PartialEq)]
pub struct Figures {
    pub total: Tally,
    /// Before and after the last setting change (or change of N), oldest
    /// first; empty while nothing changed.
    pub segments: Vec<Segment>,
    pub bucket_s: f64,
    pub buckets: Vec<Bucket>,
}

impl Figures {
    pub fn of(world: &World, previous_run: Option<&Segment>) -> Figures {
        let marks: Vec<_> = world.marks().collect();
        let mut segments = Vec::new();
        if let Some(last) = marks.last() {
            let (from_us, since) = match marks.len() {
                1 => (0, Stats::default()),
                _ => (marks[0].at_us, marks[0].stats.clone()),
            };
            segments.push(Segment {
                settings: settings_line(&last.before),
                from_us,
                to_us: Some(last.at_us),
                tally: Tally::of(&last.stats.since(&since)),
            });
            segments.push(Segment {
                settings: settings_line(world.config()),
                from_us: last.at_us,
                to_us: None,
                tally: Tally::of(&world.stats().since(&last.stats)),
            });
        } else if let Some(before) = previous_run {
            segments.push(before.clone());
            segments.push(Segment {
                to_us: None,
                ..Segment::whole_run(world)
            });
        }
        let series = world.series();
        Figures {
            total: Tally::of(world.stats()),
            segments,
            bucket_s: series.width_us() as f64 / 1e6,
            buckets: series.buckets().to_vec(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quorum_sim::config::Config;
    use quorum_sim::scenario::{Action, Scenario, Settings};
    use quorum_sim::workload::Workload;

    fn busy_world(config: Config) -> World {
        let mut scenario = Scenario::new(config, 7);
        scenario.workload = Some(Workload {
            ops_per_sec: 50.0,
            ..Workload::default()
        });
        World::from_scenario(&scenario).unwrap()
    }

    #[test]
    fn totals_and_columns_agree_with_the_engine() {
        let mut world = busy_world(Config::default());
        world.run_until(10_000_000);
        let f = Figures::of(&world, None);
        let s = world.stats();
        assert!(f.total.elections >= 1);
        assert!(f.total.reads > 0 && f.total.completed > f.total.reads);
        assert_eq!(f.total.stale_reads, s.stale_reads);
        let charted: u64 = f.buckets.iter().map(|b| b.completed).sum();
        assert_eq!(charted, s.completed, "every operation is in some column");
        assert_eq!(
            f.total.by_level.len(),
            1,
            "the workload reads only eventual"
        );
        assert_eq!(f.total.by_level[0].reads, f.total.reads);
        assert!(f.segments.is_empty(), "nothing changed");
    }

    #[test]
    fn a_setting_change_splits_the_run_into_before_and_after() {
        let mut world = busy_world(Config {
            jitter: Jitter::Writes(quorum_sim::dist::Dist::Exponential { rate: 0.01 }),
            ..Config::default()
        });
        world.run_until(8_000_000);
        world
            .apply(&Action::Set(Settings {
                w: Some(1),
                ..Settings::default()
            }))
            .unwrap();
        let at = world.now();
        world.run_until(16_000_000);
        let f = Figures::of(&world, None);
        let [before, after] = &f.segments[..] else {
            panic!("{:?}", f.segments)
        };
        assert_eq!((before.from_us, before.to_us), (0, Some(at)));
        assert_eq!((after.from_us, after.to_us), (at, None));
        assert!(before.settings.contains("W = 2") && after.settings.contains("W = 1"));
        assert_eq!(
            before.tally.completed + after.tally.completed,
            f.total.completed,
            "the two segments split the run"
        );
        assert_eq!(
            before.tally.stale_reads + after.tally.stale_reads,
            f.total.stale_reads
        );
    }
}
