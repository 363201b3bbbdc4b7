//! The quiz, format 1: questions with one right choice, each explained and
//! linked to a run of the page that shows the answer.
//!
//! ```json
//! { "format": 1, "questions": [
//!     { "id": "w1-loss", "ask": "…", "choices": ["…", "…"], "answer": 1,
//!       "explain": "…", "run": "?preset=w1-lost-write" } ] }
//! ```
//!
//! `answer` counts choices from 0. `run` is a query of this page: a preset
//! (`?preset=ID`) or a lesson step (`?lesson=ID&step=K`).

use crate::format::{LessonError, Raw, FORMAT};
use quorum_sim::read_json::{Fields, ReadJson};
use serde_json::{Error, Value};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quiz {
    pub format: u64,
    pub questions: Vec<Question>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Question {
    pub id: String,
    pub ask: String,
    pub choices: Vec<String>,
    pub answer: usize,
    pub explain: String,
    pub run: String,
}

impl ReadJson for Question {
    fn read_json(value: Value) -> Result<Question, Error> {
        const NAMES: &[&str] = &["id", "ask", "choices", "answer", "explain", "run"];
        let mut f = Fields::of(value, NAMES)?;
        let q = Question {
            id: f.req("id")?,
            ask: f.req("ask")?,
            choices: f.req("choices")?,
            answer: f.req("answer")?,
            explain: f.req("explain")?,
            run: f.req("run")?,
        };
        f.end(q)
    }
}

impl Quiz {
    pub fn from_json(text: &str) -> Result<Quiz, LessonError> {
        let field = |field: String, problem: String| LessonError {
            step: None,
            field,
            problem,
        };
        let value: Value = serde_json::from_str(text)
            .map_err(|e| field("file".into(), format!("not JSON: {e}")))?;
        let mut f = Fields::of(value, &["format", "questions"])
            .map_err(|e| field("quiz".into(), e.to_string()))?;
        let head: Result<(u64, Vec<Raw>), Error> =
            (|| Ok((f.req("format")?, f.req("questions")?)))();
        let (format, raw) = head
            .and_then(|head| f.end(head))
            .map_err(|e| field("quiz".into(), e.to_string()))?;
        let questions = raw
            .into_iter()
            .enumerate()
            .map(|(i, Raw(q))| {
                Question::read_json(q).map_err(|e| field(format!("questions[{i}]"), e.to_string()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let quiz = Quiz { format, questions };
        if quiz.format != FORMAT {
            return Err(field(
                "format".into(),
                format!("{} is not format {FORMAT}", quiz.format),
            ));
        }
        for (i, q) in quiz.questions.iter().enumerate() {
            let at = |name: &str| format!("questions[{i}].{name}");
            if !(2..=6).contains(&q.choices.len()) {
                return Err(field(at("choices"), "a question has 2 to 6 choices".into()));
            }
            if q.answer >= q.choices.len() {
                return Err(field(
                    at("answer"),
                    format!("{} is not a choice (they count from 0)", q.answer),
                ));
            }
            if !is_page_query(&q.run) {
                return Err(field(
                    at("run"),
                    format!("{:?} is not ?preset=ID or ?lesson=ID&step=K", q.run),
                ));
            }
            if quiz.questions[..i].iter().any(|p| p.id == q.id) {
                return Err(field(at("id"), format!("{:?} is used twice", q.id)));
            }
        }
        Ok(quiz)
    }
}

/// A link that stays on this page and says nothing but what to open, so a
/// file cannot smuggle a script or another site into the markup.
fn is_page_query(run: &str) -> bool {
    let word = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    if let Some(id) = run.strip_prefix("?preset=") {
        return word(id);
    }
    let Some(rest) = run.strip_prefix("?lesson=") else {
        return false;
    };
    match rest.split_once("&step=") {
        Some((id, step)) => {
            word(id) && !step.is_empty() && step.bytes().all(|b| b.is_ascii_digit())
        }
        None => word(rest),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{"format":1,"questions":[{"id":"a","ask":"?","choices":["x","y"],"answer":1,"explain":"e","run":"?preset=w1-lost-write"}]}"#;

    #[test]
    fn a_quiz_reads_and_its_mistakes_are_named() {
        assert_eq!(Quiz::from_json(GOOD).unwrap().questions.len(), 1);
        let cases = [
            (
                GOOD.replace("\"answer\":1", "\"answer\":2"),
                "questions[0].answer: 2 is not a choice",
            ),
            (
                GOOD.replace("[\"x\",\"y\"]", "[\"x\"]"),
                "questions[0].choices",
            ),
            (
                GOOD.replace("?preset=w1-lost-write", "javascript:alert(1)"),
                "questions[0].run",
            ),
            (
                GOOD.replace("?preset=w1-lost-write", "?preset=x><img"),
                "questions[0].run",
            ),
            (
                GOOD.replace("\"explain\"", "\"explian\""),
                "questions[0]: missing field `explain`",
            ),
            (
                GOOD.replace("\"format\":1,", "\"format\":1,\"x\":2,"),
                "quiz: unknown field `x`",
            ),
        ];
        for (text, want) in cases {
            let got = Quiz::from_json(&text).unwrap_err().to_string();
            assert!(got.starts_with(want), "{got:?} should start with {want:?}");
        }
        assert!(is_page_query("?lesson=follower-read&step=2"));
        assert!(!is_page_query("?lesson=follower-read&step="));
    }
}
