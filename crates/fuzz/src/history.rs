//! Histories as JSON Lines (README, "Formats"): operations on a few keys by
//! a few clients, times mostly ordered, reads returning values that were
//! written (or not), then lines mutated, blank lines and CRLFs mixed in.

use crate::draw::{one_in, pick};
use crate::json::{hostile_number, hostile_string, mutate};
use crate::text;
use arbitrary::{Result, Unstructured};
use serde_json::{json, Value};

fn small(u: &mut Unstructured, max: u32) -> Result<Value> {
    if one_in(u, 400)? {
        hostile_number(u)
    } else {
        Ok(json!(u.int_in_range(0..=max)?))
    }
}

fn text_field(u: &mut Unstructured, usual: &[&str]) -> Result<Value> {
    Ok(json!(if one_in(u, 400)? {
        hostile_string(u)?
    } else {
        pick(u, usual)?.to_string()
    }))
}

/// One line; `written` holds the values written so far, unique.
fn line(
    u: &mut Unstructured,
    i: usize,
    clock: &mut u64,
    written: &mut Vec<String>,
) -> Result<Value> {
    *clock += u.int_in_range(0..=1000)?;
    let kind = if one_in(u, 600)? {
        "scan"
    } else {
        pick(u, &["read", "read", "write", "write", "delete"])?
    };
    let value = match kind {
        "write" => {
            written.push(format!("v{i}"));
            json!(format!("v{i}"))
        }
        "delete" => Value::Null,
        _ if written.is_empty() || one_in(u, 5)? => Value::Null,
        _ => json!(pick(u, written)?),
    };
    let outcome = if one_in(u, 600)? {
        "maybe"
    } else {
        pick(u, &["ok", "ok", "ok", "fail", "unknown"])?
    };
    // Only an `ok` needs a completion; one in a few hundred lacks it anyway.
    let completes = (outcome == "ok" && !one_in(u, 600)?) || !one_in(u, 3)?;
    let length = if completes {
        Some(u.int_in_range(0u64..=300)?)
    } else {
        None
    };
    Ok(json!({
        "client": small(u, 3)?,
        "node": small(u, 3)?,
        "op": kind,
        "key": text_field(u, &["k0", "k1", "k2"])?,
        "value": value,
        "level": text_field(u, &["eventual", "strong", "linearizable", "causal"])?,
        "invoke_us": *clock,
        "complete_us": length.map(|l| *clock + l),
        "outcome": outcome,
    }))
}

/// History text: shaped lines, some mutated, joined with LF, CRLF or blank
/// lines, then perhaps edited as text.
pub fn history_text(u: &mut Unstructured) -> Result<String> {
    let (mut clock, mut written) = (0, Vec::new());
    let n = u.int_in_range(0..=40)?;
    let mut lines = (0..n)
        .map(|i| line(u, i, &mut clock, &mut written))
        .collect::<Result<Vec<Value>>>()?;
    for line in &mut lines {
        if one_in(u, 40)? {
            mutate(u, line, 2)?;
        }
    }
    let separator = pick(u, &["\n", "\n", "\r\n", "\n\n", "\n \t\n"])?;
    let mut text = lines
        .iter()
        .map(Value::to_string)
        .collect::<Vec<_>>()
        .join(separator);
    text::edit(u, &mut text)?;
    Ok(text)
}
