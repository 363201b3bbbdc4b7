//! Reading JSON Lines histories, hand-written or from the engine.

use super::HistoryError;
use crate::history::HistoryOp;

/// One history, with the line each operation came from (1-based), so later
/// verdicts can point into the file.
#[derive(Clone, Debug, Default)]
pub struct ParsedHistory {
    pub ops: Vec<HistoryOp>,
    pub lines: Vec<usize>,
}

/// Parses JSON Lines, skipping blank lines, and checks every record against
/// the rules the verdicts rely on. Errors name the line.
pub fn parse_history(text: &str) -> Result<ParsedHistory, HistoryError> {
    let mut parsed = ParsedHistory::default();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let op: HistoryOp = serde_json::from_str(line).map_err(|e| HistoryError {
            line: i + 1,
            // serde's column is useful; its "line 1" is not (one record a line).
            message: format!("{} (column {})", strip_position(&e.to_string()), e.column()),
        })?;
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
