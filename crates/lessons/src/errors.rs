//! Why the lesson worker has no answer to what the page asked: a button's
//! command it does not know, a choice that is not there, a run that cannot
//! be judged. The page shows the sentence.

use crate::format::LessonError;
use quorum_analysis::errors::AnalysisError;
use quorum_sim::scenario::ScenarioError;
use std::fmt;

#[derive(Clone, Debug, PartialEq)]
pub enum AskError {
    /// Not JSON, in serde's words.
    NotJson(String),
    NoCommand,
    Unknown(String),
    /// A lesson file, or the quiz's, that does not read.
    File {
        which: &'static str,
        error: LessonError,
    },
    NoQuestion(String),
    NoChoice {
        question: String,
        choice: String,
    },
    NoLesson(String),
    NoStep {
        title: String,
        steps: usize,
        asked: String,
    },
    /// A check (or the map) without the run it is about.
    NoRun(&'static str),
    Moment(AnalysisError),
    /// The run to judge does not build a world.
    Run(ScenarioError),
    /// The map's run, from the learner's settings, does not read.
    MapRun(ScenarioError),
    /// A metric, a set of faults, a use case or a cell the map lacks.
    NotOnMap {
        what: &'static str,
        name: String,
    },
    /// The cluster's N; the map runs N × N scenarios.
    MapTooLarge(usize),
}

impl fmt::Display for AskError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AskError::NotJson(why) => write!(f, "a lesson request that is not JSON: {why}"),
            AskError::NoCommand => f.write_str("a lesson request without its \"do\""),
            AskError::Unknown(command) => {
                write!(f, "a lesson request the worker does not know: {command:?}")
            }
            AskError::File { which, error } => write!(f, "{which}: {error}"),
            AskError::NoQuestion(q) => write!(f, "the quiz has no question {q:?}"),
            AskError::NoChoice { question, choice } => {
                write!(f, "question {question:?} has no choice {choice:?}")
            }
            AskError::NoLesson(id) => write!(f, "there is no lesson called {id:?}"),
            AskError::NoStep {
                title,
                steps,
                asked,
            } => write!(f, "“{title}” has steps 1 to {steps}, not {asked:?}"),
            AskError::NoRun(what) => {
                write!(f, "{what} without the moment of the run it is about")
            }
            AskError::Moment(e) => e.fmt(f),
            AskError::Run(e) => e.fmt(f),
            AskError::MapRun(e) => write!(f, "the map's run: {e}"),
            AskError::NotOnMap { what, name } => {
                write!(f, "the map has no {what} called {name:?}")
            }
            AskError::MapTooLarge(n) => write!(
                f,
                "the map is drawn for at most {max} nodes ({runs} runs); this cluster has {n}",
                max = crate::map::MAX_N,
                runs = crate::map::MAX_N * crate::map::MAX_N
            ),
        }
    }
}

impl From<ScenarioError> for AskError {
    fn from(e: ScenarioError) -> AskError {
        AskError::Run(e)
    }
}
