//! The lesson file, format 1: what a course author writes.
//!
//! ```json
//! { "format": 1, "id": "follower-read", "title": "…", "summary": "…",
//!   "steps": [
//!     { "title": "…", "text": ["a paragraph", "another"],
//!       "start": "defaults",
//!       "task": "what the learner does",
//!       "check": [{ "that": "stale-read", "client": 2, "within_ms": 100 }],
//!       "hint": "said when the check is not met",
//!       "why": "said when it is" } ] }
//! ```
//!
//! `start` is `"defaults"` (the course's cluster), `"keep"` (go on with the
//! run as it is; the default, not allowed on a first step),
//! `{"preset": "id"}` or `{"scenario": {…}}` (a scenario as in a preset
//! file). `check` is a list of [`Condition`]s that must all hold; a step
//! without one only asks the learner to read and go on.
//!
//! A file is read in stages (the file, then each step, then each check) so
//! that an error names the step and the field it is about.

use crate::check::Condition;
use quorum_sim::read_json::{Fields, ReadJson};
use quorum_sim::scenario::{limits, Scenario};
use serde_json::Value;
use std::fmt;

/// The format this crate reads.
pub const FORMAT: u64 = 1;

/// Most steps a lesson may have, and most checks a step may have: a file
/// past them is refused before it is read further.
pub const MAX_STEPS: usize = 40;
pub const MAX_CHECKS: usize = 12;
/// Most bytes of a lesson file.
pub const MAX_FILE_BYTES: usize = 256 * 1024;

#[derive(Clone, Debug, PartialEq)]
pub struct Lesson {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub steps: Vec<Step>,
}

struct Head {
    format: u64,
    id: String,
    title: String,
    summary: String,
    steps: Vec<Raw>,
}

impl ReadJson for Head {
    fn read_json(value: Value) -> Result<Head, serde_json::Error> {
        let mut f = Fields::of(value, &["format", "id", "title", "summary", "steps"])?;
        let head = Head {
            format: f.req("format")?,
            id: f.req("id")?,
            title: f.req("title")?,
            summary: f.req("summary")?,
            steps: f.req("steps")?,
        };
        f.end(head)
    }
}

struct RawStep {
    title: String,
    text: Vec<String>,
    start: Option<Raw>,
    task: Option<String>,
    check: Vec<Raw>,
    hint: Option<String>,
    why: Option<String>,
}

/// A part read later, on its own, so that its errors can say where it is.
pub(crate) struct Raw(pub Value);

impl ReadJson for Raw {
    fn read_json(value: Value) -> Result<Raw, serde_json::Error> {
        Ok(Raw(value))
    }
}

impl ReadJson for RawStep {
    fn read_json(value: Value) -> Result<RawStep, serde_json::Error> {
        const NAMES: &[&str] = &["title", "text", "start", "task", "check", "hint", "why"];
        let mut f = Fields::of(value, NAMES)?;
        let step = RawStep {
            title: f.req("title")?,
            text: f.req("text")?,
            start: f.opt("start")?,
            task: f.opt("task")?,
            check: f.or("check", Vec::new())?,
            hint: f.opt("hint")?,
            why: f.opt("why")?,
        };
        f.end(step)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub title: String,
    pub text: Vec<String>,
    pub start: Start,
    pub task: Option<String>,
    pub check: Vec<Condition>,
    pub hint: Option<String>,
    pub why: Option<String>,
}

/// The run a step begins with.
#[derive(Clone, Debug, PartialEq)]
pub enum Start {
    /// The course's cluster, as the page opens.
    Defaults,
    /// The run as the learner left it.
    Keep,
    /// A preset, by id (the page holds the presets).
    Preset(String),
    /// A scenario of the lesson's own, checked when the file is read, and
    /// its JSON as the file wrote it (for the page to load).
    Scenario(Box<Scenario>, Value),
}

/// What is wrong with a lesson file, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LessonError {
    /// The step, from 1, when the problem is in one.
    pub step: Option<usize>,
    /// The field, e.g. `check[2]`.
    pub field: String,
    pub problem: String,
}

impl fmt::Display for LessonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(step) = self.step {
            write!(f, "step {step}, ")?;
        }
        write!(f, "{}: {}", self.field, self.problem)
    }
}

impl std::error::Error for LessonError {}

fn error(step: Option<usize>, field: impl Into<String>, problem: impl fmt::Display) -> LessonError {
    LessonError {
        step,
        field: field.into(),
        problem: problem.to_string(),
    }
}

impl Lesson {
    /// Reads and validates a lesson file.
    pub fn from_json(text: &str) -> Result<Lesson, LessonError> {
        if text.len() > MAX_FILE_BYTES {
            return Err(error(
                None,
                "file",
                format!(
                    "{} bytes is more than a lesson may hold ({MAX_FILE_BYTES})",
                    text.len()
                ),
            ));
        }
        let value: Value = serde_json::from_str(text)
            .map_err(|e| error(None, "file", format!("not JSON: {e}")))?;
        let head = Head::read_json(value).map_err(|e| error(None, "lesson", e))?;
        if head.format != FORMAT {
            return Err(error(
                None,
                "format",
                format!(
                    "{} is not a format this page reads (it reads {FORMAT})",
                    head.format
                ),
            ));
        }
        check_id(&head.id, None, "id")?;
        if head.steps.is_empty() || head.steps.len() > MAX_STEPS {
            return Err(error(
                None,
                "steps",
                format!(
                    "a lesson has 1 to {MAX_STEPS} steps, not {}",
                    head.steps.len()
                ),
            ));
        }
        let steps = head
            .steps
            .into_iter()
            .enumerate()
            .map(|(i, Raw(raw))| read_step(i + 1, raw))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Lesson {
            id: head.id,
            title: head.title,
            summary: head.summary,
            steps,
        })
    }
}

/// Ids appear in links (`?lesson=ID`): short, lowercase words and dashes.
fn check_id(id: &str, step: Option<usize>, field: &str) -> Result<(), LessonError> {
    let ok = !id.is_empty()
        && id.len() <= 40
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(error(
            step,
            field,
            format!("{id:?} is not an id: use 1 to 40 lowercase letters, digits and dashes"),
        ))
    }
}

fn read_step(number: usize, raw: Value) -> Result<Step, LessonError> {
    let at = Some(number);
    let raw = RawStep::read_json(raw).map_err(|e| error(at, "step", e))?;
    let start = match raw.start {
        None if number == 1 => {
            return Err(error(
                at,
                "start",
                "the first step must say how its run starts",
            ))
        }
        None => Start::Keep,
        Some(Raw(v)) => read_start(&v, at)?,
    };
    if number == 1 && start == Start::Keep {
        return Err(error(at, "start", "the first step has no run to keep"));
    }
    if raw.check.len() > MAX_CHECKS {
        return Err(error(
            at,
            "check",
            format!("at most {MAX_CHECKS} conditions, not {}", raw.check.len()),
        ));
    }
    let check = raw
        .check
        .into_iter()
        .enumerate()
        .map(|(i, Raw(c))| {
            let field = format!("check[{i}]");
            let condition = Condition::read_json(c).map_err(|e| error(at, &field, e))?;
            condition.validate().map_err(|p| error(at, &field, p))?;
            Ok(condition)
        })
        .collect::<Result<Vec<_>, _>>()?;
    if raw.task.is_some() == check.is_empty() {
        return Err(error(
            at,
            "task",
            "a step with a task needs a check, and a check needs a task to say what to do",
        ));
    }
    let texts = raw
        .text
        .iter()
        .chain(&raw.task)
        .chain(&raw.hint)
        .chain(&raw.why);
    for text in texts.chain(std::iter::once(&raw.title)) {
        limits::check_length("a text", text, 2000).map_err(|p| error(at, "text", p))?;
    }
    Ok(Step {
        title: raw.title,
        text: raw.text,
        start,
        task: raw.task,
        check,
        hint: raw.hint,
        why: raw.why,
    })
}

fn read_start(v: &Value, at: Option<usize>) -> Result<Start, LessonError> {
    match v {
        Value::String(s) if s == "defaults" => Ok(Start::Defaults),
        Value::String(s) if s == "keep" => Ok(Start::Keep),
        Value::Object(o) if o.len() == 1 => {
            if let Some(Value::String(id)) = o.get("preset") {
                check_id(id, at, "start")?;
                return Ok(Start::Preset(id.clone()));
            }
            if let Some(s) = o.get("scenario") {
                return Scenario::from_json(&s.to_string())
                    .map(|parsed| Start::Scenario(Box::new(parsed), s.clone()))
                    .map_err(|e| error(at, "start", format!("the scenario: {e}")));
            }
            Err(error(
                at,
                "start",
                "an object names a \"preset\" or holds a \"scenario\"",
            ))
        }
        _ => Err(error(
            at,
            "start",
            "\"defaults\", \"keep\", {\"preset\": id} or {\"scenario\": {…}}",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{"format":1,"id":"t","title":"T","summary":"S","steps":[
        {"title":"One","text":["a"],"start":"defaults","task":"do","check":[{"that":"lost-write"}]},
        {"title":"Two","text":["b"]}]}"#;

    fn err(text: &str) -> String {
        Lesson::from_json(text).unwrap_err().to_string()
    }

    #[test]
    fn a_good_file_reads_and_a_later_step_keeps_the_run() {
        let lesson = Lesson::from_json(GOOD).unwrap();
        assert_eq!(lesson.steps.len(), 2);
        assert_eq!(lesson.steps[0].start, Start::Defaults);
        assert_eq!(lesson.steps[1].start, Start::Keep);
        assert_eq!(lesson.steps[0].check, vec![Condition::LostWrite]);
    }

    #[test]
    fn errors_name_the_step_and_the_field() {
        let cases = [
            (
                GOOD.replace("\"format\":1", "\"format\":2"),
                "format: 2 is not a format",
            ),
            (
                GOOD.replace("\"id\":\"t\"", "\"id\":\"T x\""),
                "id: \"T x\" is not an id",
            ),
            (
                GOOD.replace("\"lost-write\"", "\"lost-wirte\""),
                "step 1, check[0]: unknown variant `lost-wirte`",
            ),
            (
                GOOD.replace(
                    r#"{"that":"lost-write"}"#,
                    r#"{"that":"stale-read","clent":2}"#,
                ),
                "step 1, check[0]: unknown field `clent`",
            ),
            (
                GOOD.replace(
                    r#"{"that":"lost-write"}"#,
                    r#"{"that":"stale-read","level":"sometimes"}"#,
                ),
                "step 1, check[0]: \"sometimes\" is not a level",
            ),
            (
                GOOD.replace("\"text\":[\"b\"]", "\"txt\":[\"b\"]"),
                "step 2, step: missing field `text`",
            ),
            (
                GOOD.replace("\"text\":[\"b\"]", "\"text\":[],\"txt\":1"),
                "step 2, step: unknown field `txt`",
            ),
            (
                GOOD.replace("\"start\":\"defaults\",", ""),
                "step 1, start: the first step must say",
            ),
            (
                GOOD.replace("\"defaults\"", "\"keep\""),
                "step 1, start: the first step has no run to keep",
            ),
            (
                GOOD.replace("\"defaults\"", "{\"preset\":\"No Such\"}"),
                "step 1, start: \"No Such\" is not an id",
            ),
            (
                GOOD.replace(
                    "\"defaults\"",
                    r#"{"scenario":{"version":1,"seed":1,"config":{"n":3,"w":5}}}"#,
                ),
                "step 1, start: the scenario:",
            ),
            (
                GOOD.replace("\"task\":\"do\",", ""),
                "step 1, task: a step with a task needs a check",
            ),
            (
                GOOD.replace("\"steps\":[", "\"steps\":[],\"x\":["),
                "lesson: unknown field `x`",
            ),
            ("[1".to_string(), "file: not JSON"),
        ];
        for (text, want) in cases {
            let got = err(&text);
            assert!(got.starts_with(want), "{got:?} should start with {want:?}");
        }
    }

    #[test]
    fn limits_are_named_in_the_message() {
        let many = format!(
            "{{\"format\":1,\"id\":\"t\",\"title\":\"T\",\"summary\":\"S\",\"steps\":[{}]}}",
            vec![r#"{"title":"x","text":[],"start":"defaults"}"#; MAX_STEPS + 1].join(",")
        );
        assert!(err(&many).contains(&format!("1 to {MAX_STEPS} steps, not {}", MAX_STEPS + 1)));
        let checks = vec![r#"{"that":"lost-write"}"#; MAX_CHECKS + 1].join(",");
        let wide = GOOD.replace(r#"[{"that":"lost-write"}]"#, &format!("[{checks}]"));
        assert!(err(&wide).contains(&format!("at most {MAX_CHECKS} conditions")));
        let huge = " ".repeat(MAX_FILE_BYTES + 1);
        assert!(err(&huge).contains("more than a lesson may hold"));
    }
}
