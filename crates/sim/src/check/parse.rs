//! Reading JSON Lines histories, hand-written or from the engine.

use super::{HistoryError, HistoryProblem};
use crate::history::{HistoryOp, MAX_HISTORY_BYTES, MAX_HISTORY_OPS, MAX_LINE_BYTES};
use crate::scenario::limits::{check_length, MAX_KEY_BYTES, MAX_VALUE_BYTES};

/// One history, with the line each operation came from (1-based), so later
/// verdicts can point into the file.
#[derive(Clone, Debug, Default)]
pub struct ParsedHistory {
    pub ops: Vec<HistoryOp>,
    pub lines: Vec<usize>,
}

/// Parses JSON Lines, skipping blank lines, and checks every record against
/// the rules the verdicts rely on and the limits of the format. Errors name
/// the line.
pub fn parse_history(text: &str) -> Result<ParsedHistory, HistoryError> {
    parse_within(text, MAX_HISTORY_BYTES, MAX_HISTORY_OPS)
}

/// [`parse_history`] with the size limits as arguments, so that tests can
/// cross them without building a quarter of a gigabyte.
fn parse_within(
    text: &str,
    max_bytes: usize,
    max_ops: usize,
) -> Result<ParsedHistory, HistoryError> {
    let mut parsed = ParsedHistory::default();
    for (i, line) in text.lines().enumerate() {
        let fail = |problem| HistoryError {
            line: i + 1,
            problem,
        };
        let end = line.as_ptr() as usize - text.as_ptr() as usize + line.len();
        if end > max_bytes {
            return Err(fail(HistoryProblem::FileBytes(max_bytes)));
        }
        if line.len() > MAX_LINE_BYTES {
            return Err(fail(HistoryProblem::LineBytes(line.len())));
        }
        if line.trim().is_empty() {
            continue;
        }
        if parsed.ops.len() == max_ops {
            return Err(fail(HistoryProblem::Operations(max_ops)));
        }
        let op: HistoryOp = serde_json::from_str(line).map_err(|e| {
            // serde's column is useful; its "line 1" is not (one record a line).
            fail(HistoryProblem::Syntax {
                why: strip_position(&e.to_string()).to_string(),
                column: e.column(),
            })
        })?;
        check_length("key", &op.key, MAX_KEY_BYTES)
            .and_then(|()| {
                check_length("value", op.value.as_deref().unwrap_or(""), MAX_VALUE_BYTES)
            })
            .map_err(|e| fail(HistoryProblem::Length(e)))?;
        parsed.ops.push(op);
        parsed.lines.push(i + 1);
    }
    super::validate(&parsed.ops, &|i| parsed.lines[i])?;
    Ok(parsed)
}

fn strip_position(message: &str) -> &str {
    message
        .find(" at line ")
        .map_or(message, |at| &message[..at])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::limits::TooLong;

    const GOOD: &str = r#"{"client":1,"node":1,"op":"write","key":"k","value":"v","level":"eventual","invoke_us":0,"complete_us":1,"outcome":"ok"}"#;

    fn refused(text: &str) -> HistoryError {
        parse_history(text).expect_err("over a limit")
    }

    #[test]
    fn limits_are_named_at_the_line_that_crosses_them() {
        let e = refused(&format!("{GOOD}\n{}", " ".repeat(MAX_LINE_BYTES + 1)));
        assert_eq!(e.line, 2);
        assert_eq!(e.problem, HistoryProblem::LineBytes(MAX_LINE_BYTES + 1));
        let too_long = |what, len, max| HistoryProblem::Length(TooLong { what, len, max });
        let value = "v".repeat(MAX_VALUE_BYTES + 1);
        let e = refused(&GOOD.replace("\"value\":\"v\"", &format!("\"value\":\"{value}\"")));
        assert_eq!(
            e.problem,
            too_long("value", MAX_VALUE_BYTES + 1, MAX_VALUE_BYTES)
        );
        let key = "k".repeat(MAX_KEY_BYTES + 1);
        let e = refused(&GOOD.replace("\"key\":\"k\"", &format!("\"key\":\"{key}\"")));
        assert_eq!(e.problem, too_long("key", MAX_KEY_BYTES + 1, MAX_KEY_BYTES));
        assert_eq!(
            e.to_string(),
            "line 1: the key is 257 bytes long, more than the 256 bytes a key may have"
        );
    }

    #[test]
    fn a_history_over_its_size_or_count_is_refused_before_the_rest_is_read() {
        // Blank lines cost no operation: the size limit is what stops them.
        let blank = format!("{}\n", " ".repeat(100));
        let e = parse_within(&blank.repeat(50), 1000, 10).unwrap_err();
        assert_eq!(e.line, 1000 / blank.len() + 1, "{e}");
        assert_eq!(e.problem, HistoryProblem::FileBytes(1000));
        let read = GOOD.replace("\"write\"", "\"read\"");
        let e = parse_within(&[read.as_str(); 11].join("\n"), usize::MAX, 10).unwrap_err();
        assert_eq!(e.line, 11);
        assert_eq!(e.problem, HistoryProblem::Operations(10));
        assert_eq!(
            e.to_string(),
            "line 11: the history has more than the 10 operations a history may have"
        );
        let tens = [read.as_str(); 10].join("\n");
        assert_eq!(parse_within(&tens, tens.len(), 10).unwrap().ops.len(), 10);
        // parse_history holds a history to the format's limits.
        let over = " ".repeat(MAX_HISTORY_BYTES + 1);
        let e = parse_history(&over).unwrap_err();
        assert_eq!(e.problem, HistoryProblem::FileBytes(MAX_HISTORY_BYTES));
    }
}
