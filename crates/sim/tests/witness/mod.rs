//! Whether a witness the checker gives is a linearization.

use quorum_sim::history::{HistoryOp, OpKind, Outcome};

/// `order` is a linearization of `history` (one key): every completed `ok`
/// operation is in it, no `fail` operation or incomplete read is, no
/// operation comes after one that completed before it was invoked, and
/// each read returns what the last write before it wrote.
pub fn check_witness(history: &[HistoryOp], order: &[usize]) -> Result<(), String> {
    let mut in_order = vec![false; history.len()];
    for &i in order {
        if std::mem::replace(&mut in_order[i], true) {
            return Err(format!("operation {i} twice"));
        }
    }
    for (i, op) in history.iter().enumerate() {
        let may =
            op.outcome == Outcome::Ok || (op.outcome == Outcome::Unknown && op.op != OpKind::Read);
        if in_order[i] && !may {
            return Err(format!("operation {i} cannot take effect"));
        }
        if op.outcome == Outcome::Ok && !in_order[i] {
            return Err(format!("operation {i} left out"));
        }
    }
    let mut earliest_end_after = u64::MAX;
    for &i in order.iter().rev() {
        if history[i].invoke_us > earliest_end_after {
            return Err(format!(
                "operation {i} ordered after one that completed before it began"
            ));
        }
        if history[i].outcome == Outcome::Ok {
            earliest_end_after = earliest_end_after.min(history[i].complete_us.unwrap());
        }
    }
    let mut value = None;
    for &i in order {
        match history[i].op {
            OpKind::Read if history[i].value != value => {
                return Err(format!(
                    "read {i} returned {:?}, not {value:?}",
                    history[i].value
                ))
            }
            OpKind::Read => {}
            _ => value = history[i].value.clone(),
        }
    }
    Ok(())
}
