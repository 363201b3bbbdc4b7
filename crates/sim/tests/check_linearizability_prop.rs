//! The linearizability search against brute force: every order of every
//! admissible subset of operations, on small random histories.

use proptest::prelude::*;
use quorum_sim::check::{check, Linearizability};
use quorum_sim::history::{HistoryOp, OpKind, Outcome};
use quorum_sim::msg::NodeId;

/// One generated operation on key "x": (kind 0 read / 1 write / 2 delete,
/// invoke, duration, outcome 0 ok / 1 fail / 2 unknown, completed when not
/// ok, which value a read returns).
type Spec = (u8, u64, u64, u8, bool, u8);

fn build(specs: &[Spec]) -> Vec<HistoryOp> {
    let written = specs.iter().filter(|s| s.0 == 1).count() as u8;
    specs
        .iter()
        .enumerate()
        .map(|(i, &(kind, invoke, duration, outcome, completed, pick))| {
            let (op, value) = match kind {
                0 => (
                    OpKind::Read,
                    // Absent, one of the written values, or now and then one
                    // nobody wrote.
                    match pick % (written + 2) {
                        0 => None,
                        p if p == written + 1 => Some("never".to_string()),
                        p => Some(format!("v{}", p - 1)),
                    },
                ),
                1 => {
                    let n = specs[..i].iter().filter(|s| s.0 == 1).count();
                    (OpKind::Write, Some(format!("v{n}")))
                }
                _ => (OpKind::Delete, None),
            };
            let outcome = [Outcome::Ok, Outcome::Fail, Outcome::Unknown][outcome as usize];
            let complete_us = (outcome == Outcome::Ok || completed).then_some(invoke + duration);
            HistoryOp {
                client: i as u32,
                node: NodeId::numbered(1).unwrap(),
                op,
                key: "x".into(),
                value,
                level: "strong".into(),
                invoke_us: invoke,
                complete_us,
                outcome,
            }
        })
        .collect()
}

/// The operations the semantics keep: required ones must appear in the
/// order, `unknown` writes may.
fn admissible(history: &[HistoryOp]) -> (Vec<usize>, Vec<usize>) {
    let mut required = Vec::new();
    let mut optional = Vec::new();
    for (i, op) in history.iter().enumerate() {
        match (op.outcome, op.op) {
            (Outcome::Ok, _) => required.push(i),
            (Outcome::Unknown, OpKind::Write | OpKind::Delete) => optional.push(i),
            _ => {}
        }
    }
    (required, optional)
}

/// Every op `b` with `b` completed before `a` was invoked must come first.
fn respects_real_time(history: &[HistoryOp], order: &[usize], chosen: &[usize]) -> bool {
    order.iter().enumerate().all(|(pos, &a)| {
        chosen.iter().all(|&b| {
            let b_first = history[b].outcome == Outcome::Ok
                && history[b].complete_us.unwrap() < history[a].invoke_us;
            !b_first || order[..pos].contains(&b)
        })
    })
}

fn legal(history: &[HistoryOp], order: &[usize]) -> bool {
    let mut state: Option<&str> = None;
    for &i in order {
        let op = &history[i];
        match op.op {
            OpKind::Read if op.value.as_deref() != state => return false,
            OpKind::Read => {}
            _ => state = op.value.as_deref(),
        }
    }
    true
}

fn permutations(items: &[usize], f: &mut dyn FnMut(&[usize]) -> bool) -> bool {
    fn go(
        prefix: &mut Vec<usize>,
        rest: &mut Vec<usize>,
        f: &mut dyn FnMut(&[usize]) -> bool,
    ) -> bool {
        if rest.is_empty() {
            return f(prefix);
        }
        for i in 0..rest.len() {
            let x = rest.remove(i);
            prefix.push(x);
            let found = go(prefix, rest, f);
            prefix.pop();
            rest.insert(i, x);
            if found {
                return true;
            }
        }
        false
    }
    go(&mut Vec::new(), &mut items.to_vec(), f)
}

fn brute_force(history: &[HistoryOp]) -> bool {
    let (required, optional) = admissible(history);
    (0..1u32 << optional.len()).any(|mask| {
        let mut chosen = required.clone();
        chosen.extend(
            optional
                .iter()
                .enumerate()
                .filter(|(b, _)| mask >> b & 1 == 1)
                .map(|(_, &i)| i),
        );
        permutations(&chosen, &mut |order| {
            respects_real_time(history, order, &chosen) && legal(history, order)
        })
    })
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        0u8..3,
        0u64..12,
        0u64..8,
        prop_oneof![6 => Just(0u8), 1 => Just(1u8), 2 => Just(2u8)],
        any::<bool>(),
        any::<u8>(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(5_000))]

    #[test]
    fn search_agrees_with_brute_force(specs in prop::collection::vec(spec(), 1..=7)) {
        let history = build(&specs);
        let want = brute_force(&history);
        match check(&history).unwrap().linearizable {
            Linearizability::Linearizable { witness } => {
                prop_assert!(want, "search found a linearization brute force did not");
                // The witness itself must be a valid linearization.
                let order = witness.get("x").cloned().unwrap_or_default();
                let (required, _) = admissible(&history);
                prop_assert!(required.iter().all(|i| order.contains(i)));
                prop_assert!(respects_real_time(&history, &order, &order));
                prop_assert!(legal(&history, &order));
            }
            Linearizability::NotLinearizable { window, .. } => {
                prop_assert!(!want, "search found none, brute force did");
                // The window alone must fail too.
                let sub: Vec<HistoryOp> = window.iter().map(|&i| history[i].clone()).collect();
                prop_assert!(!brute_force(&sub), "window {window:?} is linearizable");
            }
            Linearizability::Unknown { .. } => prop_assert!(false, "unknown on a tiny history"),
        }
    }
}
