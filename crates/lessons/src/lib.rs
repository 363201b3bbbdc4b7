//! Lessons: the course session as a guided path. Each step of a lesson
//! starts a run, gives the learner a task in it, and checks the run they
//! made; a quiz closes the path.
//!
//! ```text
//!  page ──"open:ID:K"──────────────▶ lesson worker ── reads lessons/*.json
//!       ◀── markup, the run to start ┘                (format.rs)
//!  learner acts in the live run
//!  page ──"check:ID:K" + recorded scenario + moment ──▶ replay (analysis)
//!       ◀── markup with findings ─── check.rs ◀─ history, checker, world
//! ```
//!
//! The page keeps no lesson code: it inserts the markup the worker writes
//! (markup.rs), hands back what a button's `data-do` says, loads the run a
//! step starts with, and stores the progress text it is given.

pub mod check;
pub mod errors;
pub mod format;
pub mod map;
pub mod markup;
pub mod progress;
pub mod quiz;

use check::{Finding, Run};
use errors::AskError;
use format::{Lesson, Start};
use progress::Progress;
use quorum_analysis::Message;
use quorum_sim::read_json::Named;
use quorum_sim::scenario::limits::MAX_WINDOW;
use quorum_sim::world::World;
use serde_json::{json, Value};

/// The lessons the page offers, in order, as files a course author can
/// copy and change (lessons/, documented in lessons/README.md).
pub const LESSON_FILES: [&str; 9] = [
    include_str!("../../../lessons/follower-read.json"),
    include_str!("../../../lessons/quorums.json"),
    include_str!("../../../lessons/read-repair.json"),
    include_str!("../../../lessons/lost-write.json"),
    include_str!("../../../lessons/partition.json"),
    include_str!("../../../lessons/sessions.json"),
    include_str!("../../../lessons/monotonic.json"),
    include_str!("../../../lessons/causal.json"),
    include_str!("../../../lessons/linearizable.json"),
];

/// The run a `"defaults"` step starts with: the page's opening run, which
/// the page builds itself (src/link.rs `default_scenario`; a test of the
/// page holds the two equal). The worker's tests start such steps from it.
pub const COURSE_DEFAULTS: &str = r#"{"version":1,"seed":369,"config":{"jitter":{"writes":{"kind":"exponential","rate":0.006666666666666667}}},"actions":[]}"#;

pub const QUIZ_FILE: &str = include_str!("../../../lessons/quiz.json");

/// The page's lessons; a file that does not read is named.
pub fn lessons() -> Result<Vec<Lesson>, AskError> {
    LESSON_FILES
        .iter()
        .map(|text| {
            Lesson::from_json(text).map_err(|error| AskError::File {
                which: "a lesson file",
                error,
            })
        })
        .collect()
}

/// What `check` finds in the page's run at `at_us`. Not inlined, as
/// [`map::cells`] is not: each inlined copy of the engine's run costs kB.
#[inline(never)]
pub fn judge(
    check: &[check::Condition],
    moment: &quorum_analysis::Moment,
) -> Result<Vec<Finding>, AskError> {
    let mut scenario = moment.scenario.clone();
    // Windows change no event of the run, only how much of it is kept.
    scenario.config.history_window = MAX_WINDOW;
    let mut world = World::from_scenario(&scenario)?;
    world.run_until(moment.at_us);
    // Writes still in flight count too: a read may already return one.
    let ops: Vec<_> = world
        .judged_history()
        .map(|(op, judgement)| (op, judgement.cloned()))
        .chain(world.pending_history().into_iter().map(|op| (op, None)))
        .collect();
    let run = Run {
        ops: &ops,
        world: &world,
    };
    Ok(check.iter().map(|c| c.evaluate(&run)).collect())
}

/// A request from the page: `{"do": "open:ID:K", "progress": {…}}`, with
/// the recorded scenario (and the moment in `numbers`) for a check. `open`
/// starts step K's run afresh, `next` (Continue) goes on with the run.
fn answer(request: &Message) -> Result<Value, AskError> {
    let v: Value = serde_json::from_str(&request.text)
        .map_err(|e| AskError::NotJson(quorum_sim::errors::sentence(&e)))?;
    let command = v["do"].as_str().ok_or(AskError::NoCommand)?;
    let mut progress = Progress::read(&v["progress"]);
    let lessons = lessons()?;
    let parts: Vec<&str> = command.split(':').collect();
    let reply = |markup: String, progress: &Progress| json!({ "markup": markup, "progress": progress.to_value() });
    match parts[..] {
        ["list"] => Ok(reply(markup::list(&lessons, &progress), &progress)),
        ["quiz"] => Ok(reply(markup::quiz(&quiz()?, &progress), &progress)),
        ["answer", question, choice] => {
            let quiz = quiz()?;
            let q = quiz
                .questions
                .iter()
                .find(|q| q.id == question)
                .ok_or_else(|| AskError::NoQuestion(question.to_string()))?;
            let choice: usize = choice
                .parse()
                .ok()
                .filter(|&c| c < q.choices.len())
                .ok_or_else(|| AskError::NoChoice {
                    question: question.to_string(),
                    choice: choice.to_string(),
                })?;
            progress.quiz.insert(q.id.clone(), choice);
            Ok(reply(markup::quiz(&quiz, &progress), &progress))
        }
        [verb @ ("open" | "next" | "check"), id, k] => {
            let place = lessons
                .iter()
                .position(|l| l.id == id)
                .ok_or_else(|| AskError::NoLesson(id.to_string()))?;
            let lesson = &lessons[place];
            let n = lesson.steps.len();
            let k: usize = k
                .parse()
                .ok()
                .filter(|k| (1..=n).contains(k))
                .ok_or_else(|| AskError::NoStep {
                    title: lesson.title.clone(),
                    steps: n,
                    asked: k.to_string(),
                })?;
            let step = &lesson.steps[k - 1];
            let findings = if verb == "check" {
                Some(judge(&step.check, &moment_of(request, &v, "a check")?)?)
            } else {
                None
            };
            let feedback = findings.as_ref().map(|f| markup::Feedback {
                findings: f,
                hint: step.hint.as_deref(),
                why: step.why.as_deref(),
            });
            if feedback.as_ref().is_some_and(markup::Feedback::passed) {
                progress.pass(id, k);
            }
            let markup = markup::step(
                lesson,
                k,
                (place + 1, lessons.len()),
                &progress,
                feedback.as_ref(),
                lessons.get(place + 1),
            );
            let mut out = reply(markup, &progress);
            // The page's address while the step is shown.
            out["at"] = json!(format!("?lesson={id}&step={k}"));
            if verb != "check" {
                // Continue keeps the run; a link or Back starts the step
                // afresh, from the run the steps before it started with.
                let start = match verb {
                    "next" => &step.start,
                    _ => lesson.steps[..k]
                        .iter()
                        .rev()
                        .map(|s| &s.start)
                        .find(|s| **s != Start::Keep)
                        .expect("a first step never keeps a run"),
                };
                out["start"] = match start {
                    Start::Defaults => json!("defaults"),
                    Start::Keep => json!("keep"),
                    Start::Preset(p) => json!({ "preset": p }),
                    Start::Scenario(_, json) => json!({ "scenario": json }),
                };
            }
            Ok(out)
        }
        ["map", metric, faults, case, cell] => {
            let named = |what, name: &str| AskError::NotOnMap {
                what,
                name: name.to_string(),
            };
            let metric = map::Metric::find(metric).ok_or_else(|| named("metric", metric))?;
            let faults = map::Faults::find(faults).ok_or_else(|| named("faults", faults))?;
            let use_case = match case {
                "-" => None,
                c => Some(map::UseCase::find(c).ok_or_else(|| named("use case", c))?),
            };
            let chosen = match cell {
                "-" => None,
                _ => {
                    let (w, r) = cell.split_once('-').ok_or_else(|| named("cell", cell))?;
                    let number = |q: &str| q.parse::<usize>().map_err(|_| named("cell", cell));
                    Some((number(w)?, number(r)?))
                }
            };
            // The page sends its settings as they are now, as a scenario
            // without actions; the worker never writes a scenario itself.
            let (base, base_json) = map::base(&v["scenario"], faults)?;
            let cells = map::cells(&base)?;
            let n = base.config.n;
            if chosen.is_some_and(|(w, r)| w == 0 || r == 0 || w > n || r > n) {
                return Err(named("cell", cell));
            }
            let shown = map::Shown {
                cells: &cells,
                n,
                metric,
                faults,
                use_case,
                chosen,
                base: &base_json,
            };
            let mut out = reply(format!("{}{}", markup::STYLE, shown.markup()), &progress);
            if let Some((w, r)) = chosen {
                out["set"] = json!([w, r]);
            }
            Ok(out)
        }
        _ => Err(AskError::Unknown(command.to_string())),
    }
}

/// The run a request carries: its recorded scenario, and the moment in
/// `numbers`.
fn moment_of(
    request: &Message,
    v: &Value,
    what: &'static str,
) -> Result<quorum_analysis::Moment, AskError> {
    if v["scenario"].is_null() {
        return Err(AskError::NoRun(what));
    }
    let run = Message::new(
        request.id,
        "",
        v["scenario"].to_string(),
        request.numbers.clone(),
    );
    quorum_analysis::Moment::read(&run).map_err(AskError::Moment)
}

fn quiz() -> Result<quiz::Quiz, AskError> {
    quiz::Quiz::from_json(QUIZ_FILE).map_err(|error| AskError::File {
        which: "the quiz file",
        error,
    })
}

/// The lesson worker's job for one request.
pub fn serve(request: &Message) -> Message {
    match answer(request) {
        Ok(v) => Message::new(request.id, "lesson", v.to_string(), Vec::new()),
        Err(why) => Message::new(
            request.id,
            "error",
            quorum_sim::errors::sentence(&why),
            Vec::new(),
        ),
    }
}

#[cfg(test)]
mod tests;
