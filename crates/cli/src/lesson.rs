//! `quorum lesson FILE…`: a course author's check of lesson files (and the
//! quiz file) before they go beside the page: each is read as the lesson
//! worker reads it, and any problem is named by step and field.

use crate::input::read_at_most;
use clap::Args;
use quorum_lessons::format::{Lesson, MAX_FILE_BYTES};
use quorum_lessons::quiz::Quiz;

#[derive(Args)]
pub struct LessonArgs {
    /// Lesson files (format 1), or a quiz file (its "questions" say which).
    #[arg(required = true)]
    files: Vec<String>,
}

/// 0 when every file reads, 1 when one does not, 2 when one cannot be read.
pub fn run(args: LessonArgs) -> i32 {
    let mut status = 0;
    for path in &args.files {
        let text = match read_at_most(path, MAX_FILE_BYTES, "lesson file") {
            Ok(text) => text,
            Err(e) => {
                eprintln!("error: {e}");
                return 2;
            }
        };
        let is_quiz = serde_json::from_str::<serde_json::Value>(&text)
            .is_ok_and(|v| v.get("questions").is_some());
        let read = if is_quiz {
            Quiz::from_json(&text).map(|q| format!("a quiz of {} questions", q.questions.len()))
        } else {
            Lesson::from_json(&text).map(|l| format!("lesson {:?}, {} steps", l.id, l.steps.len()))
        };
        match read {
            Ok(what) => println!("{path}: ok, {what}"),
            Err(e) => {
                eprintln!("{path}: {e}");
                status = 1;
            }
        }
    }
    status
}
