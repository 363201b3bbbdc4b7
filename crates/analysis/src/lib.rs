//! The page's heavy analysis, kept out of the first download: the page asks,
//! a Web Worker (`src/bin/worker.rs`) answers, so the work never blocks a
//! frame and its code loads only once needed.
//!
//! A message either way is `[id, tag, text, numbers]`: what the page needs
//! to write and read is a string and a list of numbers, so its own bundle
//! needs no codec beyond the scenario format it already has.
//!
//! ```text
//!   page ── [7, "pbs", "{…config…}", []] ──────────────────▶ worker
//!   page ◀── [7, "partial", "", [t99, p0, trials, t, p, …]] ─ worker
//!   page ◀── [7, "error", "why", []] ─────────────────────── worker
//! ```

pub mod diagram;
pub mod errors;
pub mod linear_view;
pub mod lost_why;
pub mod pbs_curve;
pub mod quorum_why;
pub mod replay;

use errors::{AnalysisError, Failure, NotServed, PbsError};
use pbs_curve::{PbsCurve, PbsInputs};
use quorum_sim::config::Config;
use quorum_sim::scenario::Scenario;
use std::fmt::Display;

/// A simulated time (µs) as the page and the explanations print it:
/// "1.020 s".
pub fn seconds(us: u64) -> String {
    format!("{:.3} s", us as f64 / 1e6)
}

/// Work the page hands off.
#[derive(Clone, Debug, PartialEq)]
pub enum Work {
    Pbs(PbsInputs),
    /// The page's run to a moment, as a history file `quorum check` reads.
    History(Moment),
    /// The page's run to a moment, judged for linearizability.
    Linear(Moment),
    /// What a strong read's quorum held.
    Quorum(quorum_why::QuorumRead),
    /// What became of an acknowledged write.
    Lost(lost_why::AckedWrite),
    /// A lesson's step, the list or the quiz (crates/lessons reads it).
    Lesson(LessonAsk),
}

/// What the lesson panel asks: a button's command, the learner's stored
/// progress, and for a check the moment of the run to judge.
#[derive(Clone, Debug, PartialEq)]
pub struct LessonAsk {
    pub command: String,
    pub progress: String,
    pub moment: Option<Moment>,
}

/// A moment of the page's run: what it recorded, and the simulated time
/// it shows (µs).
#[derive(Clone, Debug, PartialEq)]
pub struct Moment {
    pub scenario: Scenario,
    pub at_us: u64,
}

/// A whole history file and how many operations it holds.
#[derive(Clone, Debug, PartialEq)]
pub struct HistoryFile {
    pub text: String,
    pub ops: usize,
    /// Operations past the limit a history file may hold, left out.
    pub left_out: usize,
}

/// The work's answer.
#[derive(Clone, Debug, PartialEq)]
pub enum Done {
    Pbs(PbsCurve),
    History(HistoryFile),
    Linear(linear_view::Answer),
    /// A sentence (and marks) explaining a read or a write.
    Quorum(quorum_why::Answer),
    /// The lesson panel's markup, progress and the run to start, as JSON.
    Lesson(String),
}

impl Moment {
    fn message(&self, id: u64, tag: &str) -> Message {
        Message::new(id, tag, self.scenario.to_json(), vec![self.at_us as f64])
    }

    pub fn read(message: &Message) -> Result<Moment, AnalysisError> {
        let scenario = Scenario::from_json(&message.text)?;
        let at_us = match message.numbers.first() {
            Some(&t) if t >= 0.0 && t.is_finite() => t as u64,
            _ => {
                return Err(AnalysisError::Missing {
                    what: "a request",
                    part: "the moment it is about",
                })
            }
        };
        Ok(Moment { scenario, at_us })
    }

    fn replay(&self) -> Result<replay::Replayed, AnalysisError> {
        replay::replay(&self.scenario, self.at_us)
    }
}

/// One message, as it crosses to or from the worker.
#[derive(Clone, Debug, PartialEq)]
pub struct Message {
    pub id: u64,
    pub tag: String,
    pub text: String,
    pub numbers: Vec<f64>,
}

impl Message {
    pub fn new(id: u64, tag: &str, text: String, numbers: Vec<f64>) -> Message {
        Message {
            id,
            tag: tag.to_string(),
            text,
            numbers,
        }
    }
}

impl Work {
    /// The request for `self`, numbered `id`.
    pub fn message(&self, id: u64) -> Message {
        match self {
            Work::Pbs(inputs) => {
                let config = serde_json::to_value(inputs.config()).expect("a config serializes");
                Message::new(id, "pbs", config.to_string(), Vec::new())
            }
            Work::History(moment) => moment.message(id, "history"),
            Work::Linear(moment) => moment.message(id, "linear"),
            Work::Quorum(read) => {
                let (text, numbers) = read.to_message();
                Message::new(id, "quorum", text, numbers)
            }
            Work::Lost(write) => {
                let (text, numbers) = write.to_message();
                Message::new(id, "lost", text, numbers)
            }
            Work::Lesson(ask) => {
                // The progress is the page's stored JSON; a value that does
                // not read is sent as null and read as a fresh start.
                let progress: serde_json::Value =
                    serde_json::from_str(&ask.progress).unwrap_or_default();
                let mut text = format!(
                    "{{\"do\":{},\"progress\":{progress}",
                    serde_json::Value::from(ask.command.as_str())
                );
                let numbers = match &ask.moment {
                    Some(m) => {
                        text += &format!(",\"scenario\":{}", m.scenario.to_json());
                        vec![m.at_us as f64]
                    }
                    None => Vec::new(),
                };
                Message::new(id, "lesson", text + "}", numbers)
            }
        }
    }

    /// The worker that does it.
    pub fn worker(&self) -> Worker {
        match self {
            Work::Pbs(_) => Worker::Analysis,
            Work::History(_) | Work::Linear(_) | Work::Quorum(_) | Work::Lost(_) => Worker::History,
            Work::Lesson(_) => Worker::Lesson,
        }
    }
}

/// The page's two workers. The PBS curve's is small and loads just after
/// the first paint; the history's holds the whole engine (to replay the run)
/// and the checker, and loads only when a learner asks for an export or a
/// verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Worker {
    Analysis,
    History,
    /// The lessons (crates/lessons), with the engine to replay and judge a
    /// learner's run: loaded when a lesson is first opened.
    Lesson,
}

impl Worker {
    /// Its files' name, beside the page: `{name}.js`, `{name}_bg.wasm`.
    pub fn name(self) -> &'static str {
        match self {
            Worker::Analysis => "analysis-worker",
            Worker::History => "history-worker",
            Worker::Lesson => "lesson-worker",
        }
    }

    /// The worker in words, for a learner.
    pub fn title(self) -> &'static str {
        match self {
            Worker::Analysis => "the analysis worker",
            Worker::History => "the history worker",
            Worker::Lesson => "the lesson worker",
        }
    }
}

impl Moment {
    fn history(&self) -> Result<Done, AnalysisError> {
        let r = self.replay()?;
        Ok(Done::History(HistoryFile {
            text: replay::history_file(&r.ops),
            ops: r.ops.len(),
            left_out: r.left_out,
        }))
    }

    fn linear(&self) -> Result<Done, AnalysisError> {
        let mut ops = self.replay()?.ops;
        quorum_sim::history::distinct_values(&mut ops);
        let view = linear_view::build(&ops, quorum_sim::check::DEFAULT_STEP_LIMIT)?;
        Ok(Done::Linear(view.answer(self.at_us)))
    }
}

impl Done {
    /// The answer to request `id`.
    pub fn message(&self, id: u64) -> Message {
        match self {
            Done::Pbs(curve) => {
                let (tag, numbers) = curve.to_numbers();
                Message::new(id, tag, String::new(), numbers)
            }
            Done::History(file) => Message::new(
                id,
                "history",
                file.text.clone(),
                vec![file.ops as f64, file.left_out as f64],
            ),
            Done::Linear(answer) => {
                let (tag, text) = answer.to_message();
                Message::new(id, tag, text, Vec::new())
            }
            Done::Quorum(answer) => {
                let (text, numbers) = answer.to_message();
                Message::new(id, "quorum", text, numbers)
            }
            Done::Lesson(text) => Message::new(id, "lesson", text.clone(), Vec::new()),
        }
    }

    /// Why request `id` has no answer.
    pub fn error(id: u64, why: &dyn Display) -> Message {
        Message::new(id, "error", quorum_sim::errors::sentence(why), Vec::new())
    }

    /// The answer a message holds, read as an answer to `work` (the page
    /// knows what it asked); a worker's error comes back as the work's
    /// failure.
    pub fn read(work: &Work, message: &Message) -> Result<Done, Failure> {
        if message.tag == "error" {
            return Err(Failure::Worker(message.text.clone()));
        }
        let answer = match (work, message.tag.as_str(), &message.numbers[..]) {
            (Work::Pbs(_), tag, numbers) => PbsCurve::from_numbers(tag, numbers).map(Done::Pbs),
            (Work::History(_), "history", &[ops, left_out]) => Some(Done::History(HistoryFile {
                text: message.text.clone(),
                ops: ops as usize,
                left_out: left_out as usize,
            })),
            (Work::Quorum(_) | Work::Lost(_), "quorum", numbers) => {
                quorum_why::Answer::from_message(&message.text, numbers).map(Done::Quorum)
            }
            (Work::Lesson(_), "lesson", _) => Some(Done::Lesson(message.text.clone())),
            (Work::Linear(_), tag, _) => {
                linear_view::Answer::from_message(tag, &message.text).map(Done::Linear)
            }
            _ => None,
        };
        answer.ok_or(Failure::OtherQuestion)
    }
}

/// The analysis worker's job for one request: the PBS curve. Each worker
/// reads only its own work, so its wasm holds only the code that work needs.
pub fn serve_analysis(request: &Message) -> Message {
    serve(request, Worker::Analysis, |m| match m.tag.as_str() {
        "pbs" => Some(read_pbs(m).and_then(|inputs| pbs_curve::build(&inputs).map(Done::Pbs))),
        _ => None,
    })
}

/// The history worker's job for one request: a history file, a verdict.
pub fn serve_history(request: &Message) -> Message {
    serve(request, Worker::History, |m| match m.tag.as_str() {
        "history" => Some(Moment::read(m).and_then(|moment| moment.history())),
        "linear" => Some(Moment::read(m).and_then(|moment| moment.linear())),
        "quorum" => Some(
            quorum_why::QuorumRead::from_message(&m.text, &m.numbers).and_then(|read| {
                quorum_why::explain(&read).map(|why| Done::Quorum(why.answer(read.node)))
            }),
        ),
        "lost" => Some(
            lost_why::AckedWrite::from_message(&m.text, &m.numbers)
                .and_then(|write| lost_why::follow(&write).map(|fate| Done::Quorum(fate.answer()))),
        ),
        _ => None,
    })
}

fn read_pbs(message: &Message) -> Result<PbsInputs, PbsError> {
    quorum_sim::read_json::from_str::<Config>(&message.text)
        .map(|config| PbsInputs::of(&config))
        .map_err(|e| PbsError::Settings(quorum_sim::errors::sentence(&e)))
}

/// Each worker's errors are its own type, so that each worker's download
/// holds only its own sentences.
fn serve<E: Display>(
    request: &Message,
    worker: Worker,
    run: impl Fn(&Message) -> Option<Result<Done, E>>,
) -> Message {
    match run(request) {
        Some(Ok(done)) => done.message(request.id),
        Some(Err(why)) => Done::error(request.id, &why),
        None => Done::error(
            request.id,
            &NotServed {
                worker,
                tag: &request.tag,
            },
        ),
    }
}

#[cfg(target_arch = "wasm32")]
pub mod glue;
pub mod js;

#[cfg(test)]
mod tests {
    use super::*;
    use quorum_sim::config::Jitter;
    use quorum_sim::dist::Dist;

    fn pbs(config: Config) -> Work {
        Work::Pbs(PbsInputs::of(&config))
    }

    fn config_of(work: &Work) -> Config {
        match work {
            Work::Pbs(inputs) => inputs.config(),
            _ => unreachable!(),
        }
    }

    #[test]
    fn a_pbs_request_travels_and_its_curve_comes_back_exactly() {
        for config in [
            Config {
                r: 1,
                w: 1,
                jitter: Jitter::Writes(Dist::Exponential { rate: 0.01 }),
                ..Config::default()
            },
            Config {
                r: 2,
                ..Config::default()
            },
        ] {
            let work = pbs(config);
            let request = work.message(7);
            assert_eq!(
                read_pbs(&request).map(Work::Pbs),
                Ok(work.clone()),
                "the settings arrive whole"
            );
            let answer = serve_analysis(&request);
            assert_eq!(answer.id, 7);
            assert_eq!(
                Done::read(&work, &answer),
                pbs_curve::build(&PbsInputs::of(&config_of(&work)))
                    .map(Done::Pbs)
                    .map_err(|e| Failure::Worker(e.to_string())),
                "the curve arrives whole"
            );
            assert!(serve_history(&request)
                .text
                .starts_with("history-worker does not do"));
        }
    }

    #[test]
    fn failures_come_back_as_reasons() {
        let work = pbs(Config::default());
        let mut bad = work.message(1);
        bad.text = "{".into();
        assert!(matches!(read_pbs(&bad), Err(PbsError::Settings(_))));
        let answer = serve_analysis(&bad);
        assert_eq!(answer.tag, "error");
        assert!(
            answer
                .text
                .starts_with("a PBS request without settings: EOF"),
            "{answer:?}"
        );
        assert_eq!(
            Done::read(&work, &answer),
            Err(Failure::Worker(answer.text.clone()))
        );
        bad.tag = "fly".into();
        assert_eq!(
            serve_analysis(&bad).text,
            "analysis-worker does not do \"fly\""
        );
        let nonsense = Message::new(1, "partial", String::new(), vec![1.0]);
        assert_eq!(Done::read(&work, &nonsense), Err(Failure::OtherQuestion));
    }

    #[test]
    fn a_moment_of_the_run_travels_and_its_history_and_verdict_come_back_whole() {
        let scenario = replay::tests::preset("stale-follower-read");
        let moment = Moment {
            at_us: scenario.end_us(),
            scenario,
        };
        for work in [Work::History(moment.clone()), Work::Linear(moment.clone())] {
            let request = work.message(3);
            assert_eq!(
                Moment::read(&request),
                Ok(moment.clone()),
                "the moment arrives whole"
            );
            let done = Done::read(&work, &serve_history(&request));
            let direct = match &work {
                Work::History(m) => m.history(),
                Work::Linear(m) => m.linear(),
                _ => unreachable!(),
            };
            assert_eq!(done, direct.map_err(|e| Failure::Worker(e.to_string())));
            assert_eq!(work.worker(), Worker::History);
            assert!(serve_analysis(&request)
                .text
                .starts_with("analysis-worker does not do"));
            match done.unwrap() {
                Done::History(file) => {
                    assert_eq!(file.text.lines().count(), file.ops);
                    assert_eq!(file.left_out, 0);
                }
                Done::Linear(view) => {
                    assert_eq!(view.verdict, linear_view::Verdict::NotLinearizable)
                }
                other => panic!("{other:?}"),
            }
        }
        let mut late = Work::History(moment).message(4);
        late.numbers.clear();
        assert!(matches!(
            Moment::read(&late),
            Err(AnalysisError::Missing {
                what: "a request",
                ..
            })
        ));
        assert_eq!(
            serve_history(&late).text,
            "a request without the moment it is about"
        );
    }

    #[test]
    fn a_strong_read_travels_to_the_history_worker_and_its_quorum_comes_back() {
        let scenario = replay::tests::preset("strong-quorum-read");
        let ops = replay::replay(&scenario, scenario.end_us()).unwrap().ops;
        let op = ops
            .iter()
            .find(|o| o.level == "strong" && o.complete_us.is_some())
            .unwrap();
        let read = quorum_why::QuorumRead {
            scenario,
            node: op.node,
            key: op.key.clone(),
            invoke_us: op.invoke_us,
            complete_us: op.complete_us.unwrap(),
        };
        let work = Work::Quorum(read.clone());
        let answer = serve_history(&work.message(5));
        let direct = quorum_why::explain(&read).unwrap().answer(read.node);
        assert_eq!(Done::read(&work, &answer), Ok(Done::Quorum(direct)));
        assert!(serve_analysis(&work.message(6))
            .text
            .starts_with("analysis-worker does not do"));
    }
}
