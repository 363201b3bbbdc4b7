//! The page's side of lessons: it forwards what a lesson button says to the
//! lesson worker (crates/lessons), keeps the progress text the worker
//! returns in localStorage, and starts the run a step asks for. It reads no
//! lesson file itself, so lessons cost the first download nothing.

use crate::analysis;
use crate::link::{self, LinkError};
use crate::presets;
use gloo::storage::{LocalStorage, Storage};
use quorum_analysis::errors::Failure;
use quorum_analysis::{Done, LessonAsk, Moment, Work};
use quorum_sim::scenario::Scenario;
use serde_json::Value;
use std::fmt;

const PROGRESS_KEY: &str = "playground-lessons";

/// The lesson panel, while it is open.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Panel {
    /// The worker's markup of the step, the list or the quiz.
    pub markup: Option<String>,
    /// The step shown as the page's query (`?lesson=ID&step=K`): it goes
    /// in the address.
    pub at: Option<String>,
    /// What the panel waits for, in words.
    pub busy: Option<&'static str>,
    pub error: Option<String>,
}

/// Why a lesson's button did not do what it says.
#[derive(Debug)]
pub enum LessonError {
    Ask(Failure),
    Unreadable,
    /// A preset the step starts from that this page lacks.
    NoPreset(String),
    Start(LinkError),
}

impl fmt::Display for LessonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LessonError::Ask(e) => e.fmt(f),
            LessonError::Unreadable => f.write_str("the lesson worker's answer was not readable"),
            LessonError::NoPreset(id) => {
                write!(f, "this lesson starts from a preset the page lacks ({id})")
            }
            LessonError::Start(e) => write!(f, "this step's run could not be started: {e}"),
        }
    }
}

/// What the worker's answer asks of the page.
pub struct Reply {
    pub panel: Panel,
    /// The run to start, when the step begins with one of its own.
    pub start: Option<Scenario>,
    /// W and R to set: the quorum map's chosen cell.
    pub set: Option<(usize, usize)>,
}

fn stored_progress() -> String {
    LocalStorage::raw()
        .get_item(PROGRESS_KEY)
        .ok()
        .flatten()
        .unwrap_or_default()
}

/// The run a step's `start` names; `None` keeps the run as it is.
fn start(value: &Value) -> Result<Option<Scenario>, LessonError> {
    if value.is_null() || value == "keep" {
        return Ok(None);
    }
    if value == "defaults" {
        return Ok(Some(link::default_scenario()));
    }
    if let Some(id) = value["preset"].as_str() {
        return presets::find(id)
            .map(|p| Some(p.scenario.clone()))
            .ok_or_else(|| LessonError::NoPreset(id.to_string()));
    }
    link::from_value(value["scenario"].clone())
        .map(Some)
        .map_err(LessonError::Start)
}

fn read(text: &str) -> Result<Reply, LessonError> {
    let v: Value = serde_json::from_str(text).map_err(|_| LessonError::Unreadable)?;
    let _ = LocalStorage::raw().set_item(PROGRESS_KEY, &v["progress"].to_string());
    let quorum = |i: usize| v["set"][i].as_u64().map(|q| q as usize);
    Ok(Reply {
        start: start(&v["start"])?,
        set: quorum(0).zip(quorum(1)),
        panel: Panel {
            markup: v["markup"].as_str().map(String::from),
            at: v["at"].as_str().map(String::from),
            busy: None,
            error: None,
        },
    })
}

/// Sends `command` (a button's `data-do`) to the lesson worker; a check
/// carries the run so far, `moment`. `reply` gets what to show and start.
pub fn ask(
    command: String,
    moment: Option<Moment>,
    reply: impl FnOnce(Result<Reply, LessonError>) + 'static,
) {
    let work = Work::Lesson(LessonAsk {
        command,
        progress: stored_progress(),
        moment,
    });
    // `ask`, not `ask_for`: one more instance of a generic is download size.
    analysis::ask(work, move |done| {
        reply(match done {
            Ok(Done::Lesson(text)) => read(&text),
            Ok(_) => Err(LessonError::Ask(Failure::OtherQuestion)),
            Err(e) => Err(LessonError::Ask(e)),
        })
    });
}
