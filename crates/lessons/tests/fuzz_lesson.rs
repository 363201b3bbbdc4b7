//! Fuzz target: lesson files, quiz files and stored progress (what the
//! lesson worker reads from a course author and from localStorage). No
//! input panics; a lesson that reads renders every step with no unescaped
//! markup, and one case in 16 evaluates its first checks on a short run of
//! the course's cluster. `FUZZ_CASES` sets the number of cases (README.md,
//! "Tests").

use quorum_analysis::Moment;
use quorum_fuzz::lesson::{lesson_text, quiz_text};
use quorum_fuzz::{corpus, run};
use quorum_lessons::format::{Lesson, Start};
use quorum_lessons::progress::Progress;
use quorum_lessons::quiz::Quiz;
use quorum_lessons::{judge, markup};
use quorum_sim::scenario::Scenario;

/// Markup the input held must reach the page as text.
fn no_markup_from(text: &str, html: &str) {
    for bad in ["<img", "<script", "<svg", "<i>", "<b>", "<a href"] {
        assert!(
            !(html.contains(bad) && text.contains(bad)),
            "{bad} got through: {html}"
        );
    }
}

fn lesson(text: &str) {
    let Ok(lesson) = Lesson::from_json(text) else {
        return;
    };
    let progress = Progress::default();
    for k in 1..=lesson.steps.len() {
        no_markup_from(
            text,
            &markup::step(&lesson, k, (1, 1), &progress, None, None),
        );
    }
    if text.len().is_multiple_of(16) {
        let scenario = match &lesson.steps[0].start {
            Start::Scenario(s, _) => (**s).clone(),
            _ => Scenario::from_json(r#"{"version":1,"seed":1}"#).unwrap(),
        };
        let moment = Moment {
            scenario,
            at_us: 300_000,
        };
        // A scenario that cannot start is an error, never a panic.
        let _ = judge(&lesson.steps[0].check, &moment);
    }
}

fn quiz(text: &str) {
    if let Ok(quiz) = Quiz::from_json(text) {
        no_markup_from(text, &markup::quiz(&quiz, &Progress::default()));
    }
    if let Ok(value) = serde_json::from_str(text) {
        let progress = Progress::read(&value);
        assert_eq!(
            Progress::read(&progress.to_value()),
            progress,
            "progress round-trips"
        );
    }
}

#[test]
fn the_generator_names_every_condition() {
    let generated: Vec<&str> = quorum_fuzz::lesson::CONDITIONS
        .iter()
        .copied()
        .filter(|&c| c != "nonsense")
        .collect();
    assert_eq!(generated, quorum_lessons::check::CONDITIONS);
}

#[test]
fn kept_inputs_decode_without_panic() {
    for (name, bytes) in corpus("lesson") {
        eprintln!("{name}");
        let text = String::from_utf8(bytes).expect("corpus files are text");
        lesson(&text);
        quiz(&text);
    }
}

#[test]
fn fuzz_lesson_files() {
    run("lesson", lesson_text, |text| lesson(text));
}

#[test]
fn fuzz_quiz_and_progress() {
    run("quiz", quiz_text, |text| quiz(text));
}
