//! Every lesson file reads, and every step's check is passed by a scripted
//! learner who does its task and refused, with what is missing, to one who
//! does something else. The learner acts as a person at the page does: it
//! sends, waits for the answer, and acts again, and its actions are the
//! scenario's, at the simulated moments they were made.

use super::*;
use crate::check::{Condition, ConditionError};
use quorum_analysis::{replay, Moment};
use quorum_sim::msg::{NodeId, Role};
use quorum_sim::read_json::ReadJson;
use quorum_sim::scenario::Scenario;
use serde_json::json;

fn preset(id: &str) -> Scenario {
    let path = format!("{}/../../presets/{id}.json", env!("CARGO_MANIFEST_DIR"));
    let file: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    Scenario::from_json(&file["scenario"].to_string()).unwrap()
}

fn lesson(id: &str) -> Lesson {
    lessons().unwrap().into_iter().find(|l| l.id == id).unwrap()
}

#[derive(Clone)]
struct Learner {
    lesson: Lesson,
    scenario: Scenario,
    step: usize,
}

impl Learner {
    fn new(id: &str) -> Learner {
        let mut l = Learner {
            lesson: lesson(id),
            scenario: Scenario::from_json(COURSE_DEFAULTS).unwrap(),
            step: 0,
        };
        l.go_to(1);
        l
    }

    /// Opens step `k`, starting its run as the page does.
    fn go_to(&mut self, k: usize) {
        self.step = k;
        match &self.lesson.steps[k - 1].start {
            Start::Defaults => self.scenario = Scenario::from_json(COURSE_DEFAULTS).unwrap(),
            Start::Keep => {}
            Start::Preset(id) => self.scenario = preset(id),
            Start::Scenario(s, _) => self.scenario = (**s).clone(),
        }
    }

    fn act(&mut self, at_ms: f64, action: Value) {
        let mut v: Value = serde_json::from_str(&self.scenario.to_json()).unwrap();
        v["actions"]
            .as_array_mut()
            .unwrap()
            .push(json!([at_ms, action]));
        self.scenario = Scenario::from_json(&v.to_string()).unwrap();
    }

    fn last_ms(&self) -> f64 {
        self.scenario
            .actions
            .iter()
            .map(|(at, _)| *at)
            .fold(0.0, f64::max)
    }

    /// When the client's last operation sent was answered (ms).
    fn answered_ms(&self, client: u32) -> f64 {
        let r = replay::replay(&self.scenario, self.scenario.end_us()).unwrap();
        let op = r
            .ops
            .iter()
            .filter(|o| o.client == client)
            .max_by_key(|o| o.invoke_us)
            .expect("an operation");
        op.complete_us.expect("answered") as f64 / 1000.0
    }

    /// The node that leads at `at_ms` in the newest term (a leader cut
    /// off may still think it leads an older one), from 1.
    fn leader_at(&self, at_ms: f64) -> usize {
        let r = replay::replay(&self.scenario, (at_ms * 1000.0) as u64).unwrap();
        NodeId::all(r.world.config().n)
            .filter(|&i| r.world.is_alive(i) && r.world.node(i).role() == Role::Leader)
            .max_by_key(|&i| r.world.node(i).term())
            .expect("a leader")
            .number()
    }

    fn write(&mut self, at_ms: f64, client: u32, node: usize, value: &str) -> f64 {
        self.act(
            at_ms,
            json!({"do": "write", "client": client, "node": node, "key": "name", "value": value}),
        );
        self.answered_ms(client)
    }

    fn read(&mut self, at_ms: f64, client: u32, node: usize, level: &str) {
        self.act(
            at_ms,
            json!({"do": "read", "client": client, "node": node, "key": "name", "level": level}),
        );
    }

    /// Writes, and reads the moment the write is answered, until the
    /// step's check passes; how many tries it took.
    fn write_then_read(&mut self, writer: u32, reader: (u32, usize, &str), tries: usize) -> usize {
        for i in 0..tries {
            let at = self.last_ms().max(1000.0) + 1500.0;
            let done = self.write(at, writer, 1, &format!("v{i}"));
            self.read(done + 1.0, reader.0, reader.1, reader.2);
            if self.passes() {
                return i + 1;
            }
        }
        panic!("{}: not passed in {tries} tries", self.where_());
    }

    /// Client 1 writes; client 2 reads node-3 and, once that answers,
    /// node-2, at `level`: up to `tries` times, until the step's check
    /// passes (a learner told to go on is left as they are).
    fn new_then_old(&mut self, level: &str, tries: usize) {
        for i in 0..tries {
            let at = self.last_ms().max(1000.0) + 1500.0;
            let done = self.write(at, 1, 1, &format!("v{i}"));
            self.read(done + 1.0, 2, 3, level);
            let first = self.answered_ms(2);
            self.read(first + 1.0, 2, 2, level);
            if self.passes() {
                return;
            }
        }
    }

    fn where_(&self) -> String {
        format!("{} step {}", self.lesson.id, self.step)
    }

    fn findings(&self) -> Vec<check::Finding> {
        let end = self.scenario.end_us();
        let moment = Moment {
            scenario: self.scenario.clone(),
            at_us: end,
        };
        judge(&self.lesson.steps[self.step - 1].check, &moment).unwrap()
    }

    fn passes(&self) -> bool {
        self.findings().iter().all(|f| f.met)
    }

    fn assert_passes(&self) {
        let f = self.findings();
        assert!(f.iter().all(|f| f.met), "{}: {f:#?}", self.where_());
    }

    /// Not passed, and told `missing` (a part of the sentence).
    fn assert_missing(&self, missing: &str) {
        let f = self.findings();
        assert!(
            f.iter().any(|f| !f.met && f.says.contains(missing)),
            "{} should miss {missing:?}: {f:#?}",
            self.where_()
        );
    }
}

#[test]
fn every_lesson_and_the_quiz_read_and_link_to_what_exists() {
    let lessons = lessons().unwrap();
    assert!(lessons.len() >= 6);
    for l in &lessons {
        for (k, s) in l.steps.iter().enumerate() {
            if let Start::Preset(id) = &s.start {
                preset(id);
            }
            assert!(!s.text.is_empty(), "{} step {}", l.id, k + 1);
        }
    }
    let quiz = quiz().unwrap();
    assert!(quiz.questions.len() >= 15, "the course's five and ten more");
    for q in &quiz.questions {
        if let Some(id) = q.run.strip_prefix("?preset=") {
            preset(id);
        } else {
            let rest = q.run.strip_prefix("?lesson=").unwrap();
            let (id, step) = rest.split_once("&step=").unwrap();
            let step: usize = step.parse().unwrap();
            assert!((1..=lesson(id).steps.len()).contains(&step), "{}", q.run);
        }
    }
}

#[test]
fn follower_read() {
    let mut right = Learner::new("follower-read");
    let tries = right.write_then_read(1, (2, 2, "eventual"), 3);
    assert!(tries <= 3);
    let mut late = Learner::new("follower-read");
    let done = late.write(1000.0, 1, 1, "Alice");
    late.read(done + 1000.0, 2, 2, "eventual");
    late.assert_missing("within 100 ms");

    right.go_to(2);
    right.assert_missing("The last read by client 2 at node-2 has not returned");
    right.read(right.last_ms() + 1000.0, 2, 2, "eventual");
    right.assert_passes();
}

#[test]
fn quorums() {
    let mut right = Learner::new("quorums");
    right.write_then_read(1, (2, 2, "strong"), 3);
    let mut eventual = Learner::new("quorums");
    let done = eventual.write(1000.0, 1, 1, "Alice");
    eventual.read(done + 1.0, 2, 2, "eventual");
    eventual.assert_missing("No strong read by client 2 was judged stale");

    right.go_to(2);
    let mut unset = right.clone();
    right.act(500.0, json!({"do": "set", "r": 2}));
    for learner in [&mut right, &mut unset] {
        let done = learner.write(1000.0, 1, 1, "Bob");
        learner.read(done + 1.0, 2, 2, "strong");
    }
    right.assert_passes();
    unset.assert_missing("the step asks for R = 2");
}

#[test]
fn read_repair() {
    for (k, mode) in [(1, "blocking"), (2, "async")] {
        let mut right = Learner::new("read-repair");
        right.go_to(k);
        let mut off = right.clone();
        right.act(5100.0, json!({"do": "set", "read_repair": mode}));
        for learner in [&mut right, &mut off] {
            learner.act(5500.0, json!({"do": "restart", "node": 3}));
            learner.read(5510.0, 2, 1, "strong");
        }
        right.assert_passes();
        off.assert_missing("No read repair has reached");
        off.assert_missing(&format!("the step asks for read repair {mode}"));
    }
}

#[test]
fn lost_write() {
    // Alice to the cut-off node-1, Bob to the majority's leader, past the heal.
    let walk = |learner: &mut Learner, bob: bool| {
        learner.write(1200.0, 1, 1, "Alice");
        if bob {
            let leader = learner.leader_at(2500.0);
            assert_ne!(leader, 1);
            learner.write(2500.0, 2, leader, "Bob");
        }
        learner.act(
            7000.0,
            json!({"do": "read", "client": 2, "node": 2, "key": "name", "level": "eventual"}),
        );
    };
    let mut right = Learner::new("lost-write");
    walk(&mut right, true);
    right.assert_passes();
    let mut idle = Learner::new("lost-write");
    idle.act(
        7000.0,
        json!({"do": "read", "client": 2, "node": 2, "key": "name", "level": "eventual"}),
    );
    idle.assert_missing("No acknowledged write has been lost");
    let mut alone = Learner::new("lost-write");
    walk(&mut alone, false);
    alone.assert_passes();

    let mut right = Learner::new("lost-write");
    right.go_to(2);
    let mut alone = right.clone();
    walk(&mut right, true);
    right.assert_passes();
    walk(&mut alone, false);
    alone.assert_missing("No write by client 2 has been answered");
}

#[test]
fn partition() {
    let mut right = Learner::new("partition");
    let mut wrong_side = right.clone();
    right.read(4000.0, 2, 5, "strong");
    right.assert_passes();
    wrong_side.read(4000.0, 2, 2, "strong");
    wrong_side.assert_missing("No read by client 2 at node-5 has been refused");

    right.go_to(2);
    let mut strong_again = right.clone();
    right.read(4500.0, 2, 5, "eventual");
    right.assert_passes();
    strong_again.read(4500.0, 2, 5, "strong");
    strong_again.assert_missing("No eventual read by client 2 at node-5 was judged stale");
}

#[test]
fn sessions() {
    let mut right = Learner::new("sessions");
    right.write_then_read(1, (1, 2, "eventual"), 3);
    let mut other = Learner::new("sessions");
    let done = other.write(1000.0, 1, 1, "Alice");
    other.read(done + 1.0, 2, 2, "eventual");
    other.assert_missing("No read by client 1 has broken “read your writes”");

    {
        let mut right = Learner::new("sessions");
        right.go_to(2);
        let mut eventual = right.clone();
        let done = right.write(1000.0, 1, 1, "Alice");
        right.read(done + 1.0, 1, 2, "read_your_writes");
        right.assert_passes();
        let done = eventual.write(1000.0, 1, 1, "Alice");
        eventual.read(done + 1.0, 1, 2, "eventual");
        eventual.assert_missing("No read_your_writes read by client 1 has");
    }
}

#[test]
fn the_worker_opens_checks_and_remembers() {
    let ask = |command: &str, progress: &Value, moment: Option<&Moment>| {
        let mut text = json!({ "do": command, "progress": progress });
        let mut numbers = Vec::new();
        if let Some(m) = moment {
            text["scenario"] = serde_json::from_str(&m.scenario.to_json()).unwrap();
            numbers.push(m.at_us as f64);
        }
        let reply = serve(&Message::new(3, "lesson", text.to_string(), numbers));
        assert_eq!(reply.id, 3);
        (reply.tag.clone(), reply.text.clone())
    };
    let (tag, text) = ask("open:partition:1", &Value::Null, None);
    assert_eq!(tag, "lesson");
    let open: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(open["at"], json!("?lesson=partition&step=1"));
    assert_eq!(open["start"]["scenario"]["config"]["n"], json!(5));
    assert!(open["markup"]
        .as_str()
        .unwrap()
        .contains("data-do=\"check:partition:1\""));

    let mut learner = Learner::new("partition");
    learner.read(4000.0, 2, 5, "strong");
    let moment = Moment {
        at_us: learner.scenario.end_us(),
        scenario: learner.scenario.clone(),
    };
    let (_, text) = ask("check:partition:1", &open["progress"], Some(&moment));
    let checked: Value = serde_json::from_str(&text).unwrap();
    assert!(checked["markup"].as_str().unwrap().contains("✓ Done"));
    assert_eq!(checked["progress"]["lessons"]["partition"], json!([1]));
    let (_, text) = ask("list", &checked["progress"], None);
    assert!(text.contains("1 of 2 tasks done"), "{text}");

    let (_, text) = ask("answer:w1-loss:1", &Value::Null, None);
    let answered: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(answered["progress"]["quiz"]["w1-loss"], json!(1));
    assert!(answered["markup"]
        .as_str()
        .unwrap()
        .contains("1 right of 1 answered"));

    let partition_steps = AskError::NoStep {
        title: lesson("partition").title,
        steps: 2,
        asked: "9".into(),
    };
    for (bad, why) in [
        ("open:nope:1", AskError::NoLesson("nope".into())),
        ("open:partition:9", partition_steps),
        (
            "answer:w1-loss:7",
            AskError::NoChoice {
                question: "w1-loss".into(),
                choice: "7".into(),
            },
        ),
        ("answer:nope:1", AskError::NoQuestion("nope".into())),
        ("explode", AskError::Unknown("explode".into())),
        ("check:partition:1", AskError::NoRun("a check")),
    ] {
        let request = json!({ "do": bad, "progress": null }).to_string();
        assert_eq!(
            answer(&Message::new(3, "lesson", request, Vec::new())),
            Err(why.clone())
        );
        assert_eq!(
            ask(bad, &Value::Null, None),
            ("error".into(), why.to_string())
        );
    }
    assert_eq!(
        AskError::NoRun("a check").to_string(),
        "a check without the moment of the run it is about"
    );
}

#[test]
fn a_learners_markup_stays_text() {
    let mut learner = Learner::new("follower-read");
    let evil = "<img src=x onerror=alert(1)>";
    let done = learner.write(1000.0, 1, 1, evil);
    learner.read(done + 1.0, 2, 2, "eventual");
    learner.read(done + 2000.0, 2, 2, "eventual");
    learner.go_to(2);
    let findings = learner.findings();
    assert!(
        findings.iter().any(|f| f.says.contains(evil)),
        "{findings:#?}"
    );
    let feedback = markup::Feedback {
        findings: &findings,
        hint: None,
        why: Some("<script>"),
    };
    let html = markup::step(
        &learner.lesson,
        2,
        (1, 6),
        &Progress::default(),
        Some(&feedback),
        None,
    );
    assert!(
        !html.contains("<img") && !html.contains("<script>"),
        "{html}"
    );
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
}

#[test]
fn conditions_that_cannot_hold_are_refused_when_read() {
    let c = Condition::read_json(json!({"that": "stale-read", "within_ms": 0})).unwrap();
    assert_eq!(c.validate(), Err(ConditionError::WithinZero));
    for that in ["new-then-old", "no-new-then-old", "session-broken"] {
        let mut c = json!({"that": that, "level": "sometimes"});
        if that == "session-broken" {
            c["guarantee"] = json!("monotonic-reads");
        }
        let err = Condition::read_json(c).unwrap().validate().unwrap_err();
        assert_eq!(err, ConditionError::NotALevel("sometimes".into()), "{that}");
        assert!(
            err.to_string().starts_with("\"sometimes\" is not a level"),
            "{that}: {err}"
        );
    }
    let err = Condition::read_json(json!({"that": "new-then-old", "node": 2})).unwrap_err();
    assert!(err.to_string().contains("unknown field `node`"), "{err}");
}

#[test]
fn the_quorum_map_runs_every_w_and_r_and_judges_a_use_case() {
    let course = Scenario::from_json(COURSE_DEFAULTS).unwrap();
    let settings: Value = serde_json::from_str(COURSE_DEFAULTS).unwrap();
    let (base, _) = map::base(&settings, map::Faults::None).unwrap();
    let cells = map::cells(&base).unwrap();
    assert_eq!(cells.len(), 9);
    for c in &cells {
        let mut s = base.clone();
        (s.config.w, s.config.r) = (c.w, c.r);
        let mut world = quorum_sim::world::World::from_scenario(&s).unwrap();
        world.replay_to_end(s.end_us(), |_| {});
        let summary = world.summary();
        assert_eq!(c.lost, summary.lost_acked_writes);
        assert!(summary.ops >= 400, "the workload ran: {}", summary.ops);
        if c.w + c.r > 3 {
            assert_eq!(c.stale_pct, 0.0, "R + W > N reads no stale value: {c:?}");
        }
    }
    assert!(
        cells.iter().any(|c| c.stale_pct > 0.0),
        "partial quorums read stale: {cells:?}"
    );

    let (crash, _) = map::base(&settings, map::Faults::Partition).unwrap();
    let cells = map::cells(&crash).unwrap();
    let one = cells.iter().find(|c| (c.w, c.r) == (1, 1)).unwrap();
    let all = cells.iter().find(|c| (c.w, c.r) == (3, 3)).unwrap();
    assert!(
        all.available_pct < one.available_pct,
        "W = R = N gives up availability in a cut: {all:?} {one:?}"
    );

    // The worker's answer: the map, the chosen cell's verdict, and the
    // setting for the page to apply.
    let moment = Moment {
        scenario: course.clone(),
        at_us: 1_000_000,
    };
    let mut text = json!({ "do": "map:lost:partition:bank:1-1", "progress": null });
    text["scenario"] = serde_json::from_str(&moment.scenario.to_json()).unwrap();
    let reply = serve(&Message::new(1, "lesson", text.to_string(), vec![1e6]));
    let v: Value = serde_json::from_str(&reply.text).unwrap();
    assert_eq!(v["set"], json!([1, 1]));
    let html = v["markup"].as_str().unwrap();
    assert!(html.contains("aria-label=\"Quorum map\""));
    assert_eq!(html.matches("<td ").count(), 9);
    assert!(
        html.contains("for a bank balance transfer: W = 1, R = 1:"),
        "{html}"
    );
    let bad = serve(&Message::new(
        2,
        "lesson",
        text.to_string().replace("1-1", "1-9"),
        vec![1e6],
    ));
    assert_eq!(
        (bad.tag.as_str(), bad.text.as_str()),
        ("error", "the map has no cell called \"1-9\"")
    );
}

#[test]
fn monotonic() {
    let mut right = Learner::new("monotonic");
    right.new_then_old("eventual", 4);
    right.assert_passes();
    let mut one = Learner::new("monotonic");
    let done = one.write(1000.0, 1, 1, "Alice");
    one.read(done + 1.0, 2, 2, "eventual");
    one.assert_missing("No read by client 2 has broken “monotonic reads”");

    let mut right = Learner::new("monotonic");
    right.go_to(2);
    let mut eventual = right.clone();
    right.new_then_old("monotonic_reads", 1);
    right.assert_passes();
    eventual.new_then_old("eventual", 1);
    eventual.assert_missing("No monotonic_reads read by client 2 at node-2 has returned");
}

#[test]
fn sessions_after_a_failover() {
    let mut right = Learner::new("sessions");
    right.go_to(3);
    let mut stays = right.clone();
    for learner in [&mut right, &mut stays] {
        let done = learner.write(1000.0, 1, 1, "Alice");
        learner.read(done + 1.0, 1, 1, "eventual");
    }
    let read = right.answered_ms(1);
    right.act(read + 1.0, json!({"do": "crash", "node": 1}));
    right.read(read + 2.0, 1, 2, "eventual");
    right.assert_passes();
    stays.assert_missing("node-1 is still up");
}

#[test]
fn quorums_exercise_2_side_by_side() {
    // The console's exercise 2 as client 1: PUT, then an eventual and a
    // strong read from node-2, each sent when the one before is answered.
    let run = |learner: &mut Learner, tries: usize| {
        for i in 0..tries {
            let at = learner.last_ms().max(1000.0) + 1500.0;
            let done = learner.write(at, 1, 1, &format!("x{i}"));
            learner.read(done + 1.0, 1, 2, "eventual");
            let eventual = learner.answered_ms(1);
            learner.read(eventual + 1.0, 1, 2, "strong");
            if learner.passes() {
                return;
            }
        }
    };
    let mut right = Learner::new("quorums");
    right.go_to(3);
    let mut r1 = right.clone();
    right.act(500.0, json!({"do": "set", "r": 2}));
    run(&mut right, 5);
    right.assert_passes();
    run(&mut r1, 2);
    r1.assert_missing("the step asks for R = 2");
}

#[test]
fn causal() {
    let mut right = Learner::new("causal");
    right.write_then_read(1, (1, 2, "monotonic_reads"), 4);
    let mut eventual = Learner::new("causal");
    let done = eventual.write(1000.0, 1, 1, "Alice");
    eventual.read(done + 1.0, 1, 2, "eventual");
    eventual.assert_missing("No monotonic_reads read by client 1 has broken “read your writes”");

    right.go_to(2);
    right.new_then_old("read_your_writes", 4);
    right.assert_passes();

    right.go_to(3);
    let mut weaker = right.clone();
    right.new_then_old("causal", 1);
    right.assert_passes();
    weaker.new_then_old("read_your_writes", 1);
    weaker.assert_missing("No causal read by client 2 at node-2 has returned");
}

#[test]
fn linearizable() {
    // Client 1 writes to node-3, the leader, and reads it back at `level`
    // without waiting; client 2 reads at node-2, then node-3, once that
    // read has returned.
    let walk = |learner: &mut Learner, level: &str, then: &[usize]| {
        assert_eq!(learner.leader_at(1000.0), 3, "the lesson says node-3 leads");
        learner.act(
            1000.0,
            json!({"do": "write", "client": 1, "node": 3, "key": "name", "value": "Bob"}),
        );
        learner.read(1001.0, 1, 3, level);
        let mut at = learner.answered_ms(1);
        for &node in then {
            learner.read(at + 1.0, 2, node, level);
            at = learner.answered_ms(2);
        }
    };
    let mut right = Learner::new("linearizable");
    walk(&mut right, "strong", &[2]);
    right.assert_passes();
    // One who waits for the write's answer sees nothing run backwards.
    let mut patient = Learner::new("linearizable");
    let done = patient.write(1000.0, 1, 3, "Bob");
    patient.read(done + 1.0, 1, 3, "strong");
    let read = patient.answered_ms(1);
    patient.read(read + 1.0, 2, 2, "strong");
    patient.assert_missing("No strong read by client 2 has returned an older value");

    right.go_to(2);
    let mut off = right.clone();
    right.act(500.0, json!({"do": "set", "read_repair": "blocking"}));
    walk(&mut right, "strong", &[2]);
    right.assert_passes();
    walk(&mut off, "strong", &[2]);
    off.assert_missing("the step asks for read repair blocking");
    off.assert_missing("older, so time ran backwards");

    right.go_to(3);
    let mut strong = right.clone();
    walk(&mut right, "linearizable", &[2, 3]);
    right.assert_passes();
    walk(&mut strong, "strong", &[2, 3]);
    strong.assert_missing("No linearizable read by client 2 has begun");
}

#[test]
fn a_read_that_went_back_is_named_whoever_read_first() {
    // The pair, and nothing else, decides: an earlier read by any client
    // counts, and one that was answered after the later read began does not.
    let lesson = lesson("linearizable");
    let mut learner = Learner::new("linearizable");
    learner.act(
        1000.0,
        json!({"do": "write", "client": 1, "node": 3, "key": "name", "value": "Bob"}),
    );
    learner.read(1001.0, 1, 3, "strong");
    let first = learner.answered_ms(1);
    // Client 2 asks before client 1's read returned: concurrent, allowed.
    learner.read(first - 50.0, 2, 2, "strong");
    let check = &lesson.steps[0].check;
    let findings = judge(
        check,
        &Moment {
            scenario: learner.scenario.clone(),
            at_us: learner.scenario.end_us(),
        },
    )
    .unwrap();
    assert!(!findings[1].met, "{findings:#?}");
}
