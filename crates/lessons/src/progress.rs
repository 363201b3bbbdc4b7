//! What a learner has done, as the page keeps it in localStorage: the steps
//! whose check passed, per lesson, and the quiz's answers. The page stores
//! the text and hands it back; only this module reads it.

use serde_json::{json, Value};
use std::collections::BTreeMap;

/// Most lessons and quiz answers kept: a stored text past them is cut, so a
/// tampered store cannot grow a request without end.
const MAX_ENTRIES: usize = 200;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Lesson id → steps (from 1) whose check passed, in order. A list,
    /// not a set: one map type fewer in the worker's download.
    pub lessons: BTreeMap<String, Vec<usize>>,
    /// Question id → the choice given.
    pub quiz: BTreeMap<String, usize>,
}

impl Progress {
    /// The stored progress; anything unreadable is a fresh start, never an
    /// error: it is only a convenience.
    pub fn read(value: &Value) -> Progress {
        let number = |v: &Value| v.as_u64().map(|n| n as usize);
        let lessons = value["lessons"].as_object().into_iter().flatten();
        let quiz = value["quiz"].as_object().into_iter().flatten();
        Progress {
            lessons: lessons
                .filter_map(|(id, steps)| {
                    let mut steps: Vec<usize> = steps
                        .as_array()?
                        .iter()
                        .map(number)
                        .collect::<Option<_>>()?;
                    steps.sort_unstable();
                    steps.dedup();
                    Some((id.clone(), steps))
                })
                .take(MAX_ENTRIES)
                .collect(),
            quiz: quiz
                .filter_map(|(id, c)| Some((id.clone(), number(c)?)))
                .take(MAX_ENTRIES)
                .collect(),
        }
    }

    pub fn done(&self, lesson: &str, step: usize) -> bool {
        self.lessons.get(lesson).is_some_and(|s| s.contains(&step))
    }

    pub fn steps_done(&self, lesson: &str) -> usize {
        self.lessons.get(lesson).map_or(0, Vec::len)
    }

    pub fn pass(&mut self, lesson: &str, step: usize) {
        let steps = self.lessons.entry(lesson.to_string()).or_default();
        if let Err(at) = steps.binary_search(&step) {
            steps.insert(at, step);
        }
    }

    pub fn to_value(&self) -> Value {
        json!({ "lessons": self.lessons, "quiz": self.quiz })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_round_trips_and_garbage_is_a_fresh_start() {
        let mut p = Progress::default();
        p.pass("follower-read", 2);
        p.pass("follower-read", 1);
        p.pass("follower-read", 2);
        p.quiz.insert("w1-loss".into(), 2);
        assert_eq!(p.lessons["follower-read"], [1, 2]);
        assert_eq!(Progress::read(&p.to_value()), p);
        assert!(Progress::read(&p.to_value()).done("follower-read", 1));
        for bad in [
            json!(null),
            json!("x"),
            json!({"lessons": {"a": "b"}}),
            json!([1, 2]),
        ] {
            assert_eq!(Progress::read(&bad), Progress::default(), "{bad}");
        }
        let kept = Progress::read(&json!({"lessons": {"a": [1], "b": "x"}, "quiz": {"q": -1}}));
        assert_eq!(kept.lessons.len(), 1, "the readable part is kept");
        assert!(kept.quiz.is_empty());
        let many: BTreeMap<String, usize> = (0..500).map(|i| (format!("q{i}"), 1)).collect();
        assert_eq!(
            Progress::read(&json!({ "quiz": many })).quiz.len(),
            MAX_ENTRIES
        );
    }
}
