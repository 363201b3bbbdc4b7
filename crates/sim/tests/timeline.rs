//! Time travel must show the run exactly as it was: a seek, a step back, a
//! branch undone and a stretch's events are all compared with a plain live
//! run driven the same way (the same scenario, the same actions scheduled
//! at the same moments), on every preset and on generated runs full of
//! faults, jitter, workloads and actions taken at odd moments.

#[path = "support/heap.rs"]
mod heap;

#[global_allocator]
static HEAP: heap::Counting = heap::Counting;

use quorum_sim::bench_cases;
use quorum_sim::chaos::{self, Faults};
use quorum_sim::config::{Config, Jitter};
use quorum_sim::dist::Dist;
use quorum_sim::history::HistoryOp;
use quorum_sim::kv::{KvMap, Level};
use quorum_sim::msg::{Entry, NodeId, Role, Snapshot};
use quorum_sim::rng::SimRng;
use quorum_sim::scenario::{Action, Scenario, Settings};
use quorum_sim::series::Series;
use quorum_sim::timeline::{RecordError, Spacing, Timeline, CHECKPOINT_US, MAX_CHECKPOINTS};
use quorum_sim::trace::TraceEvent;
use quorum_sim::workload::Workload;
use quorum_sim::world::{InFlight, Memory, ReadJudgement, World};
use std::cell::RefCell;
use std::rc::Rc;

#[derive(Debug, PartialEq)]
struct NodeSeen {
    alive: bool,
    role: Role,
    term: u64,
    voted_for: Option<NodeId>,
    leader_hint: Option<NodeId>,
    commit: u64,
    log: Vec<Entry>,
    snapshot: Snapshot,
    map: KvMap,
    links: Vec<bool>,
}

/// Everything a page can see of a world.
#[derive(Debug, PartialEq)]
struct Seen {
    now: u64,
    events: u64,
    trace_hash: u64,
    trace_total: u64,
    trace: Vec<TraceEvent>,
    /// Every counter and histogram, through `Debug`: `Stats` has no `==`.
    stats: String,
    series: Option<Series>,
    nodes: Vec<NodeSeen>,
    history: Vec<(HistoryOp, Option<ReadJudgement>)>,
    in_flight: Vec<InFlight>,
    marks: Vec<String>,
    sessions: Vec<Option<quorum_sim::client::Session>>,
    pending_ops: usize,
    /// Without the queue's length: a seek's queue also holds the actions
    /// recorded later.
    memory: Memory,
}

fn seen(w: &World) -> Seen {
    let n = w.config().n;
    Seen {
        now: w.now(),
        events: w.stats().events,
        trace_hash: w.trace_hash(),
        trace_total: w.trace_total(),
        trace: w.trace().cloned().collect(),
        stats: format!("{:?}", w.stats()),
        series: Some(w.series().clone()),
        nodes: NodeId::all(n)
            .map(|i| {
                let node = w.node(i);
                NodeSeen {
                    alive: w.is_alive(i),
                    role: node.role(),
                    term: node.term(),
                    voted_for: node.voted_for(),
                    leader_hint: node.leader_hint(),
                    commit: node.commit_index(),
                    log: node.log().to_vec(),
                    snapshot: node.snapshot().clone(),
                    map: node.map().clone(),
                    links: NodeId::all(n).map(|j| w.link_blocked(i, j)).collect(),
                }
            })
            .collect(),
        history: w.judged_history().map(|(op, j)| (op, j.cloned())).collect(),
        in_flight: w.in_flight(),
        marks: w.marks().map(|m| format!("{m:?}")).collect(),
        sessions: [1, 2]
            .into_iter()
            .chain(1001..1011)
            .map(|c| w.session(c).cloned())
            .collect(),
        pending_ops: w.pending_ops(),
        memory: Memory {
            queue: 0,
            ..w.memory()
        },
    }
}

impl Seen {
    /// Without the chart's columns, which a run stepped event by event
    /// extends only as far as its last count, not to the clock.
    fn stepped(self) -> Seen {
        Seen {
            series: None,
            ..self
        }
    }

    /// Without the clock too: after `run_until(t)` it reads t, after a step
    /// the time of the event.
    fn timeless(self) -> Seen {
        Seen {
            now: 0,
            ..self.stepped()
        }
    }
}

/// One thing the drive does, at a time of the run.
#[derive(Clone, Debug)]
enum Stop {
    /// Runs to the time and remembers what the world looks like.
    Look,
    /// Runs to the time, then to the next event's time, and looks.
    NextEvent,
    /// Records an action for `offset` µs after the time.
    Act(Action, u64),
    /// Runs this many single events, then looks.
    Steps(u32),
}

/// The reference (a plain world with a trace sink, driven as a page drives
/// one) and the timeline, driven side by side.
struct Drive {
    reference: World,
    events: Rc<RefCell<Vec<TraceEvent>>>,
    timeline: Timeline,
    /// What the run looked like at each time it was looked at.
    looks: Vec<(u64, Seen)>,
    /// ... and after each number of events it was stepped to.
    stepped: Vec<(u64, Seen)>,
    /// The base scenario's actions; those after them were recorded.
    base_len: usize,
    every_us: u64,
}

impl Drive {
    fn new(scenario: &Scenario, spacing: Spacing) -> Drive {
        let (mut reference, tickets) = World::with_tickets(scenario).unwrap();
        let events = Rc::new(RefCell::new(Vec::new()));
        let sink = Rc::clone(&events);
        reference.set_trace_sink(Box::new(move |e: &TraceEvent| {
            sink.borrow_mut().push(e.clone())
        }));
        let (timeline, timeline_tickets) =
            Timeline::with_spacing(scenario.clone(), spacing).unwrap();
        assert_eq!(tickets, timeline_tickets);
        Drive {
            reference,
            events,
            timeline,
            looks: Vec::new(),
            stepped: Vec::new(),
            base_len: scenario.actions.len(),
            every_us: spacing.every_us,
        }
    }

    fn to(&mut self, t: u64) {
        let t = t.max(self.reference.now());
        self.reference.run_until(t);
        self.timeline.advance_to(t);
    }

    fn look(&mut self, about: &str) {
        let now = seen(&self.reference);
        assert_eq!(seen(self.timeline.live()), now, "{about}: the live world");
        self.looks.push((self.reference.now(), now));
    }

    fn run(&mut self, mut stops: Vec<(u64, Stop)>, about: &str) {
        stops.sort_by_key(|(t, _)| *t);
        for (t, stop) in stops {
            self.to(t);
            match stop {
                Stop::Look => self.look(about),
                Stop::NextEvent => {
                    if let Some(next) = self.reference.next_event_at() {
                        self.to(next);
                    }
                    self.look(about);
                }
                Stop::Act(action, offset) => {
                    let at = self.reference.now() + offset;
                    let expected = self
                        .reference
                        .schedule_action(at, action.clone())
                        .map_err(RecordError::Action);
                    assert_eq!(self.timeline.record(at, action), expected, "{about}");
                }
                Stop::Steps(n) => {
                    for _ in 0..n {
                        assert_eq!(self.timeline.step(), self.reference.step());
                    }
                    let now = seen(&self.reference);
                    assert_eq!(seen(self.timeline.live()), now, "{about}: stepped");
                    self.stepped
                        .push((self.reference.stats().events, now.stepped()));
                }
            }
        }
    }

    /// Every check on a finished drive.
    fn check(&mut self, rng: &mut SimRng, about: &str) {
        let tl = &self.timeline;
        for (t, look) in &self.looks {
            assert_eq!(&seen(&tl.at(*t)), look, "{about}: at({t})");
        }
        for (count, look) in &self.stepped {
            assert_eq!(
                &seen(&tl.at_event(*count)).stepped(),
                look,
                "{about}: at_event({count})"
            );
        }
        self.step_back_and_forth(about);
        self.stretches(rng, about);
        let mut replay = World::from_scenario(tl.scenario()).unwrap();
        replay.run_until(self.reference.now());
        assert_eq!(
            seen(&replay),
            seen(&self.reference),
            "{about}: the link replays the run"
        );
        self.branch_and_undo(rng, about);
    }

    fn step_back_and_forth(&self, about: &str) {
        let tl = &self.timeline;
        // One event after each checkpoint and one before it, from the
        // checkpoints themselves and from the looks.
        let counts = tl
            .checkpoints()
            .flat_map(|w| [w.stats().events, w.stats().events + 1]);
        for events in counts.filter(|&e| e >= 2) {
            let mut back = tl.at_event(events - 1);
            back.step();
            let exact = tl.at_event(events);
            assert_eq!(exact.stats().events, events);
            assert_eq!(
                seen(&back).stepped(),
                seen(&exact).stepped(),
                "{about}: event {events}"
            );
        }
        for (t, look) in self.looks.iter().step_by(3) {
            let events = look.events;
            if events < 2 {
                continue;
            }
            let mut back = tl.at_event(events - 1);
            assert_eq!(back.stats().events, events - 1);
            back.step();
            let exact = tl.at_event(events);
            assert_eq!(
                seen(&back).stepped(),
                seen(&exact).stepped(),
                "{about}: {t}"
            );
            assert_eq!(
                seen(&back).timeless(),
                seen(&tl.at(*t)).timeless(),
                "{about}: step back at {t}"
            );
            let mut twice = tl.at_event(events - 2);
            twice.step();
            twice.step();
            assert_eq!(
                seen(&twice).stepped(),
                seen(&exact).stepped(),
                "{about}: {t}"
            );
        }
    }

    fn stretches(&self, rng: &mut SimRng, about: &str) {
        let all = self.events.borrow();
        let end = self.reference.now();
        let mut stretches: Vec<(u64, u64)> = (0..12)
            .map(|_| {
                let a = rng.below(end + 1);
                (a, a + rng.below(4_000_000))
            })
            .collect();
        stretches.push((0, end));
        stretches.push((self.every_us, 2 * self.every_us));
        stretches.push((self.every_us + 1, self.every_us + 1));
        if let Some(e) = all.get(all.len() / 2) {
            stretches.push((e.at, e.at));
        }
        // From each checkpoint's own moment: one taken by a step has run
        // some of that microsecond's events already.
        for w in self.timeline.checkpoints() {
            stretches.push((w.now(), w.now() + 50_000));
        }
        for (t0, t1) in stretches {
            let t1 = t1.min(end);
            let expected: Vec<TraceEvent> = all
                .iter()
                .filter(|e| (t0..=t1).contains(&e.at))
                .cloned()
                .collect();
            let got = self.timeline.events(t0, t1, usize::MAX);
            assert!(!got.cut);
            assert_eq!(got.events, expected, "{about}: events({t0}, {t1})");
            let exact = self.timeline.events(t0, t1, expected.len());
            assert!(!exact.cut && exact.events == expected, "{about}");
            if !expected.is_empty() {
                let half = expected.len() / 2;
                let cut = self.timeline.events(t0, t1, half);
                assert!(cut.cut, "{about}: events({t0}, {t1}) cut at {half}");
                assert_eq!(cut.events, expected[..half], "{about}");
            }
        }
    }

    fn branch_and_undo(&mut self, rng: &mut SimRng, about: &str) {
        let recorded_from = self.base_len;
        for _ in 0..3 {
            let (t, look) = &self.looks[rng.below(self.looks.len() as u64) as usize];
            let t = *t;
            let before = seen(self.timeline.live());
            let scenario = self.timeline.scenario().clone();
            let dropped: Vec<(f64, Action)> = scenario.actions[recorded_from..]
                .iter()
                .filter(|(at, _)| (at * 1000.0).round() as u64 > t)
                .cloned()
                .collect();
            let branch = self.timeline.branch_at(t);
            assert_eq!(branch.dropped(), dropped, "{about}: branch at {t}");
            let tl = &mut self.timeline;
            assert_eq!(seen(tl.live()), *look, "{about}: branched at {t}");
            assert!(tl.checkpoints().all(|w| w.now() <= t), "{about}");
            // The branch goes on, with an action of its own, and replays
            // from its own scenario.
            tl.advance_to(t + 2_500_000);
            let at = tl.live().now() + 1;
            tl.record(
                at,
                Action::Crash {
                    node: NodeId::at(0),
                },
            )
            .unwrap();
            tl.advance_to(t + 6_000_000);
            for u in [t, t + 2_500_001, t + 6_000_000] {
                let mut replay = World::from_scenario(tl.scenario()).unwrap();
                replay.run_until(u);
                assert_eq!(
                    seen(&tl.at(u)),
                    seen(&replay),
                    "{about}: branch at {t}, at({u})"
                );
            }
            tl.undo(branch);
            assert_eq!(
                seen(tl.live()),
                before,
                "{about}: undo of the branch at {t}"
            );
            assert_eq!(*tl.scenario(), scenario);
            for (u, look) in self.looks.iter().step_by(5) {
                assert_eq!(&seen(&tl.at(*u)), look, "{about}: undone, at({u})");
            }
        }
    }
}

/// Stops for a drive over `[0, end]`: random looks, looks on and beside
/// checkpoint boundaries and at event times, live actions at odd moments
/// (some due at once, some later than the next checkpoint), and stretches
/// run event by event.
fn stops(rng: &mut SimRng, n: usize, end: u64, every_us: u64) -> Vec<(u64, Stop)> {
    let mut stops = vec![(end, Stop::Look)];
    for _ in 0..12 {
        stops.push((rng.below(end + 1), Stop::Look));
        stops.push((rng.below(end + 1), Stop::NextEvent));
    }
    for k in (1..=end / every_us).step_by(1 + (end / every_us / 8) as usize) {
        let b = k * every_us;
        stops.extend([(b - 1, Stop::Look), (b, Stop::Look), (b + 1, Stop::Look)]);
    }
    for _ in 0..8 {
        let offset = [1, 1, 1, 17, 400_000, 3 * every_us + 1][rng.below(6) as usize];
        stops.push((rng.below(end), Stop::Act(action(rng, n), offset)));
    }
    for _ in 0..3 {
        stops.push((rng.below(end), Stop::Steps(1 + rng.below(80) as u32)));
        stops.push((rng.below(end), Stop::Steps(1 + rng.below(2_000) as u32)));
    }
    stops
}

/// A learner's action: an operation, a fault, a heal or a setting.
fn action(rng: &mut SimRng, n: usize) -> Action {
    let node = NodeId::at(rng.below(n as u64) as usize);
    let client = 1 + rng.below(2) as u32;
    let key = format!("k{}", rng.below(3));
    match rng.below(9) {
        0 | 1 => Action::Write {
            client,
            node,
            key,
            value: format!("learner-{}", rng.below(1000)),
        },
        2 | 3 => Action::Read {
            client,
            node,
            key,
            level: Level::ALL[rng.below(6) as usize],
        },
        4 => Action::Crash { node },
        5 => Action::Restart { node },
        6 => Action::Partition {
            groups: vec![vec![node]],
        },
        7 => Action::Set(Settings {
            w: Some(1 + rng.below(n as u64) as usize),
            r: Some(1 + rng.below(n as u64) as usize),
            drop: Some([0.0, 0.05][rng.below(2) as usize]),
            ..Settings::default()
        }),
        _ => Action::Heal,
    }
}

fn drive(scenario: &Scenario, spacing: Spacing, end: u64, seed: u64, about: &str) -> Drive {
    let mut rng = SimRng::new(seed);
    let mut drive = Drive::new(scenario, spacing);
    let stops = stops(&mut rng, scenario.config.n, end, spacing.every_us);
    drive.run(stops, about);
    drive.check(&mut rng, about);
    drive
}

#[test]
fn every_preset_is_sought_stepped_branched_and_read_exactly() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../presets");
    let mut seen_presets = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let preset: serde_json::Value = serde_json::from_str(&text).unwrap();
        let scenario = Scenario::from_json(&preset["scenario"].to_string()).unwrap();
        let end = scenario.end_us().min(60_000_000);
        let about = path.display().to_string();
        drive(&scenario, Spacing::default(), end, seen_presets, &about);
        seen_presets += 1;
    }
    assert!(seen_presets >= 6, "{seen_presets} presets");
}

/// A busy run: faults, jitter, snapshots (a short log), small windows, a
/// workload started late or from the start.
fn generated(seed: u64) -> Scenario {
    let mut rng = SimRng::new(seed ^ 0x7469_6d65_6c69_6e65); // "timeline"
    let n = [1, 3, 3, 5][rng.below(4) as usize];
    let config = Config {
        n,
        w: 1 + rng.below(n as u64) as usize,
        r: 1 + rng.below(n as u64) as usize,
        latency_ms: 2.0 + rng.below(40) as f64,
        jitter: match rng.below(3) {
            0 => Jitter::Dist(Dist::Exponential { rate: 0.1 }),
            1 => Jitter::Writes(Dist::Uniform { lo: 0.0, hi: 30.0 }),
            _ => Jitter::default(),
        },
        drop: [0.0, 0.02][rng.below(2) as usize],
        log_limit: [20, 1000][rng.below(2) as usize],
        trace_window: [0, 64, 2000][rng.below(3) as usize],
        history_window: [16, 2000][rng.below(2) as usize],
        ..Config::default()
    };
    let duration_us = 25_000_000;
    let mut scenario = Scenario::new(config.clone(), seed);
    let workload = Workload {
        clients: 1 + rng.below(6) as u32,
        ops_per_sec: 20.0 + rng.below(60) as f64,
        read_fraction: 0.6,
        delete_fraction: 0.2,
        keys: 1 + rng.below(4) as u32,
        levels: Level::ALL.iter().map(|&l| (l, 1.0)).collect(),
        ..Workload::default()
    };
    scenario.actions = chaos::plan(
        [Faults::Crash, Faults::Partition, Faults::Mixed][rng.below(3) as usize],
        n,
        config.drop,
        duration_us,
        seed,
    )
    .into_iter()
    .map(|(at, action)| (at as f64 / 1000.0, action))
    .collect();
    if rng.chance(0.5) {
        scenario.workload = Some(workload);
    } else {
        let at = rng.below(5_000) as f64 + 0.5;
        scenario.actions.push((at, Action::StartWorkload(workload)));
        scenario.actions.push((at + 12_000.0, Action::StopWorkload));
    }
    scenario.until_ms = Some(duration_us as f64 / 1000.0);
    scenario
}

#[test]
fn generated_faulty_runs_are_sought_stepped_branched_and_read_exactly() {
    let seeds: u64 = std::env::var("TIMELINE_SEEDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(12);
    let spacings = [
        Spacing::default(),
        // Thinned many times over in 25 s.
        Spacing {
            every_us: 500_000,
            most: 6,
        },
        Spacing {
            every_us: 1_000_000,
            most: 3,
        },
    ];
    let mut acted = 0;
    for seed in 0..seeds {
        let scenario = generated(seed);
        let spacing = spacings[seed as usize % spacings.len()];
        let about = format!("seed {seed}, {spacing:?}");
        let d = drive(&scenario, spacing, scenario.end_us(), seed, &about);
        assert!(d.timeline.checkpoints().len() <= spacing.most, "{about}");
        acted += d.timeline.scenario().actions.len() - d.base_len;
        assert!(d.reference.stats().ops > 100, "{about}: too quiet");
    }
    assert!(acted >= 8 * seeds as usize, "{acted} live actions");
}

/// Heap bytes `f` leaves allocated.
fn heap_growth(f: impl FnOnce()) -> isize {
    let before = heap::held();
    f();
    heap::held() - before
}

#[test]
fn an_hour_long_run_keeps_checkpoints_and_memory_bounded() {
    // Beside it, the same run keeping only its start: what one live world
    // (and the recorded scenario) takes.
    let mut one = 0;
    let mut lean = None;
    one += heap_growth(|| {
        lean = Some(bench_cases::faulty_timeline(Spacing {
            every_us: CHECKPOINT_US,
            most: 1,
        }))
    });
    let mut lean = lean.unwrap();
    let mut all = 0;
    let mut tl = None;
    all += heap_growth(|| tl = Some(bench_cases::faulty_timeline(Spacing::default())));
    let mut tl = tl.unwrap();
    let mut held = Vec::new();
    let minute = 60_000_000;
    for m in 1..=60 {
        all += heap_growth(|| bench_cases::run_faulty(&mut tl, m * minute));
        one += heap_growth(|| bench_cases::run_faulty(&mut lean, m * minute));
        assert!(tl.checkpoints().len() <= MAX_CHECKPOINTS);
        if m % 10 == 0 {
            held.push((all as f64 / 1e6, all as f64 / one as f64));
        }
    }
    assert_eq!(lean.live().trace_hash(), tl.live().trace_hash());
    let times: Vec<u64> = tl.checkpoints().map(World::now).collect();
    let gaps: Vec<u64> = times
        .windows(2)
        .map(|w| w[1] - w[0])
        .chain([tl.live().now() - times.last().unwrap()])
        .collect();
    let widest = *gaps.iter().max().unwrap();
    eprintln!(
        "an hour: {} ops, {} events, {} recorded faults, {} checkpoints, widest gap {} s; every 10 min, heap held (MB) and in live worlds: {held:.1?}",
        tl.live().stats().ops,
        tl.live().stats().events,
        tl.scenario().actions.len(),
        times.len(),
        widest / 1_000_000
    );
    assert!(tl.live().stats().ops > 40_000);
    assert!(times.len() > MAX_CHECKPOINTS / 2 && widest <= 64 * CHECKPOINT_US);
    // The newest half still every checkpoint interval: where a learner
    // steps back and forth.
    assert!(gaps[gaps.len() / 2..].iter().all(|&g| g <= CHECKPOINT_US));
    let config = tl.live().config().clone();
    for w in tl.checkpoints().chain([tl.live()]) {
        let m = w.memory();
        assert!(m.trace_window <= config.trace_window, "{m:?}");
        assert!(m.history_window <= config.history_window, "{m:?}");
        assert!(m.max_log_len <= config.log_limit + 300, "{m:?}");
        assert!(m.observed <= 16 * 2 * 256 && m.sessions <= 4, "{m:?}");
        assert!(m.queue < 500, "{m:?}");
    }
    // Never more than a world per checkpoint, and the live one; less, as
    // checkpoints close together share what did not change between them.
    for &(_, worlds) in &held {
        assert!(worlds <= (MAX_CHECKPOINTS + 1) as f64, "{held:?}");
    }
    // And the far past is still exactly there.
    let early = tl.at(61_234_567);
    let mut replay = World::from_scenario(tl.scenario()).unwrap();
    replay.run_until(61_234_567);
    assert_eq!(seen(&early), seen(&replay));
}
