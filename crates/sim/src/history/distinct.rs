//! Making written values unique per key, as the checker needs, in a history
//! where a person wrote the same value twice (`Alice`, then `Bob`, then
//! `Alice` again).
//!
//! The first write of a value keeps its name; the second becomes `Alice#2`,
//! the third `Alice#3` (with more `#` should such a name already be
//! written). A read of `Alice` is given the name of the write the engine's
//! observer takes as its source: the latest write of that value invoked
//! before the read was answered and not known to have failed by then. So the
//! checker, reading the renamed history, judges each read as the page did.

use super::{HistoryOp, OpKind, Outcome};
use std::collections::{BTreeMap, BTreeSet};

/// Renames repeated writes and the reads that returned them, in place.
/// Returns how many writes were renamed.
pub fn distinct_values(ops: &mut [HistoryOp]) -> usize {
    // Writes of each (key, value), by invocation.
    let mut writes: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    let mut taken: BTreeSet<(String, String)> = BTreeSet::new();
    for (i, op) in ops.iter().enumerate() {
        if let (OpKind::Write, Some(v)) = (op.op, &op.value) {
            writes
                .entry((op.key.clone(), v.clone()))
                .or_default()
                .push(i);
            taken.insert((op.key.clone(), v.clone()));
        }
    }
    let mut renamed = 0;
    // (key, value) → its writes by invocation, with their new names.
    let mut names: BTreeMap<(String, String), Vec<Named>> = BTreeMap::new();
    for ((key, value), mut group) in writes {
        if group.len() < 2 {
            continue;
        }
        group.sort_by_key(|&i| (ops[i].invoke_us, i));
        let mut named = Vec::with_capacity(group.len());
        for (j, &i) in group.iter().enumerate() {
            let name = if j == 0 {
                value.clone()
            } else {
                let number = (j + 1).to_string();
                let mut name = format!("{value}#{number}");
                while !taken.insert((key.clone(), name.clone())) {
                    name.insert(name.len() - number.len(), '#');
                }
                ops[i].value = Some(name.clone());
                renamed += 1;
                name
            };
            named.push(Named {
                name,
                invoke_us: ops[i].invoke_us,
                failed_by: (ops[i].outcome == Outcome::Fail)
                    .then_some(ops[i].complete_us)
                    .flatten(),
            });
        }
        names.insert((key, value), named);
    }
    for op in ops.iter_mut() {
        let (OpKind::Read, Some(v), Some(answered)) = (op.op, &op.value, op.complete_us) else {
            continue;
        };
        let Some(candidates) = names.get(&(op.key.clone(), v.clone())) else {
            continue;
        };
        let source = candidates
            .iter()
            .rev()
            .find(|w| w.invoke_us < answered && w.failed_by.is_none_or(|t| t > answered))
            .unwrap_or(&candidates[0]);
        op.value = Some(source.name.clone());
    }
    renamed
}

struct Named {
    name: String,
    invoke_us: u64,
    /// When the client learnt the write failed, if it did.
    failed_by: Option<u64>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::msg::NodeId;

    fn op(kind: OpKind, value: &str, invoke_us: u64, complete_us: u64) -> HistoryOp {
        HistoryOp {
            client: 1,
            node: NodeId::numbered(1).unwrap(),
            op: kind,
            key: "name".into(),
            value: Some(value.into()),
            level: "eventual".into(),
            invoke_us,
            complete_us: Some(complete_us),
            outcome: Outcome::Ok,
        }
    }

    fn values(ops: &[HistoryOp]) -> Vec<&str> {
        ops.iter().map(|o| o.value.as_deref().unwrap()).collect()
    }

    #[test]
    fn a_repeated_write_and_the_reads_after_it_are_renamed() {
        let mut ops = vec![
            op(OpKind::Write, "Alice", 0, 10),
            op(OpKind::Read, "Alice", 20, 30),
            op(OpKind::Write, "Bob", 40, 50),
            op(OpKind::Write, "Alice", 60, 70),
            op(OpKind::Read, "Alice", 80, 90),
        ];
        assert_eq!(distinct_values(&mut ops), 1);
        assert_eq!(
            values(&ops),
            ["Alice", "Alice", "Bob", "Alice#2", "Alice#2"]
        );
    }

    #[test]
    fn a_read_answered_before_the_second_write_began_keeps_the_first() {
        let mut ops = vec![
            op(OpKind::Write, "Alice", 0, 10),
            op(OpKind::Write, "Alice", 60, 70),
            op(OpKind::Read, "Alice", 20, 30),
        ];
        distinct_values(&mut ops);
        assert_eq!(values(&ops), ["Alice", "Alice#2", "Alice"]);
    }

    #[test]
    fn a_write_known_failed_is_no_source() {
        let mut ops = vec![
            op(OpKind::Write, "Alice", 0, 10),
            HistoryOp {
                outcome: Outcome::Fail,
                ..op(OpKind::Write, "Alice", 20, 25)
            },
            op(OpKind::Read, "Alice", 30, 40),
        ];
        distinct_values(&mut ops);
        assert_eq!(values(&ops), ["Alice", "Alice#2", "Alice"]);
    }

    #[test]
    fn a_new_name_never_takes_a_value_written_by_someone() {
        let mut ops = vec![
            op(OpKind::Write, "A#2", 0, 1),
            op(OpKind::Write, "A", 2, 3),
            op(OpKind::Write, "A", 4, 5),
            op(OpKind::Write, "A", 6, 7),
        ];
        assert_eq!(distinct_values(&mut ops), 2);
        assert_eq!(values(&ops), ["A#2", "A", "A##2", "A#3"]);
        let unique: BTreeSet<&str> = values(&ops).into_iter().collect();
        assert_eq!(unique.len(), 4);
    }

    #[test]
    fn unique_values_are_left_alone() {
        let mut ops = vec![op(OpKind::Write, "A", 0, 1), op(OpKind::Read, "A", 2, 3)];
        let before = ops.clone();
        assert_eq!(distinct_values(&mut ops), 0);
        assert_eq!(ops, before);
    }
}
