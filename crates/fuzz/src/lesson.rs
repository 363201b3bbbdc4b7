//! Lesson files and quiz files as their JSON is shaped (lessons/README.md):
//! steps with every kind of start and every condition of the check
//! vocabulary, fields mostly right and sometimes wrong, hostile strings,
//! lists past their limits; then mutated as values and as text.

use crate::draw::{list, maybe, one_in, pick, weighted};
use crate::json::{hostile_number, hostile_string, mutate, object, word};
use crate::scenario::shaped;
use crate::text;
use arbitrary::{Result, Unstructured};
use serde_json::{json, Value};

/// Every condition a lesson file may name, and one it may not (the lesson
/// crate's own list is held equal to this one's, less that, by a test).
pub const CONDITIONS: &[&str] = &[
    "stale-read",
    "fresh-read",
    "no-stale-read",
    "failed",
    "answered",
    "lost-write",
    "no-lost-write",
    "session-broken",
    "new-then-old",
    "no-new-then-old",
    "setting",
    "repaired",
    "crashed",
    "nonsense",
];

fn text_value(u: &mut Unstructured) -> Result<Value> {
    Ok(match weighted(u, &[8, 2, 1])? {
        0 => json!(word(u)?),
        1 => json!(hostile_string(u)?),
        _ => hostile_number(u)?,
    })
}

fn small(u: &mut Unstructured) -> Result<Value> {
    if one_in(u, 20)? {
        hostile_number(u)
    } else {
        Ok(json!(u.int_in_range(0u32..=8)?))
    }
}

fn condition(u: &mut Unstructured) -> Result<Value> {
    let that = pick(u, CONDITIONS)?;
    let level = pick(
        u,
        &[
            "eventual",
            "strong",
            "read_your_writes",
            "linearizable",
            "sometimes",
        ],
    )?;
    Ok(object(vec![
        ("that", Some(json!(that))),
        ("client", maybe(u, 40, small)?),
        ("node", maybe(u, 30, small)?),
        ("level", maybe(u, 30, |_| Ok(json!(level)))?),
        ("within_ms", maybe(u, 20, small)?),
        ("latest", maybe(u, 10, |u| Ok(json!(one_in(u, 2)?)))?),
        (
            "op",
            maybe(u, 20, |u| Ok(json!(pick(u, &["read", "write", "reed"])?)))?,
        ),
        (
            "guarantee",
            maybe(u, 20, |u| {
                Ok(json!(pick(
                    u,
                    &["read-your-writes", "monotonic-reads", "x"]
                )?))
            })?,
        ),
        (
            "read_repair",
            maybe(u, 10, |u| {
                Ok(json!(pick(u, &["off", "async", "blocking", "on"])?))
            })?,
        ),
    ]))
}

fn start(u: &mut Unstructured) -> Result<Value> {
    Ok(match weighted(u, &[4, 3, 2, 3, 1])? {
        0 => json!("defaults"),
        1 => json!("keep"),
        2 => json!({ "preset": word(u)? }),
        3 => json!({ "scenario": shaped(u)? }),
        _ => text_value(u)?,
    })
}

fn step(u: &mut Unstructured) -> Result<Value> {
    let check = list(u, 0..=4, condition)?;
    let task = (!check.is_empty() || one_in(u, 8)?).then(|| json!("do it"));
    Ok(object(vec![
        ("title", Some(text_value(u)?)),
        ("text", Some(json!(list(u, 0..=3, text_value)?))),
        ("start", maybe(u, 60, start)?),
        ("task", task),
        ("check", (!check.is_empty()).then(|| json!(check))),
        ("hint", maybe(u, 50, text_value)?),
        ("why", maybe(u, 50, text_value)?),
    ]))
}

/// A lesson file's text.
pub fn lesson_text(u: &mut Unstructured) -> Result<String> {
    let steps = if one_in(u, 50)? {
        let one = step(u)?;
        vec![one; 41]
    } else {
        list(u, 0..=5, step)?
    };
    let mut value = object(vec![
        (
            "format",
            Some(if one_in(u, 20)? {
                hostile_number(u)?
            } else {
                json!(1)
            }),
        ),
        (
            "id",
            Some(if one_in(u, 10)? {
                text_value(u)?
            } else {
                json!("a-lesson")
            }),
        ),
        ("title", Some(text_value(u)?)),
        ("summary", Some(text_value(u)?)),
        ("steps", Some(json!(steps))),
    ]);
    mutate(u, &mut value, 3)?;
    let mut text = value.to_string();
    text::edit(u, &mut text)?;
    Ok(text)
}

/// A quiz file's text, or a stored progress value's.
pub fn quiz_text(u: &mut Unstructured) -> Result<String> {
    let question = |u: &mut Unstructured| -> Result<Value> {
        let choices = list(u, 0..=7, text_value)?;
        Ok(object(vec![
            ("id", Some(json!(word(u)?))),
            ("ask", Some(text_value(u)?)),
            ("choices", Some(json!(choices))),
            ("answer", Some(small(u)?)),
            ("explain", Some(text_value(u)?)),
            (
                "run",
                Some(json!(pick(
                    u,
                    &[
                        "?preset=a",
                        "?lesson=a&step=1",
                        "javascript:x",
                        "?lesson=a&step="
                    ]
                )?)),
            ),
        ]))
    };
    let mut value = if one_in(u, 4)? {
        // Progress as localStorage holds it, or garbage in its place.
        json!({ "lessons": { "a-lesson": list(u, 0..=4, small)? }, "quiz": { word(u)?: small(u)? } })
    } else {
        json!({ "format": 1, "questions": list(u, 0..=5, question)? })
    };
    mutate(u, &mut value, 3)?;
    let mut text = value.to_string();
    text::edit(u, &mut text)?;
    Ok(text)
}
