//! The linearizability search against the one it replaced
//! (`reference_search`), on one key's histories too long for brute force:
//! clients with overlapping operations, generated from a hidden
//! linearization, with unknown and failed writes and deletes, and in a
//! third of them one read changed to another value.

mod reference_search;
mod witness;

use proptest::prelude::*;
use quorum_sim::check::{check, Linearizability};
use quorum_sim::history::{HistoryOp, OpKind, Outcome};
use quorum_sim::msg::NodeId;
use quorum_sim::rng::SimRng;

fn history(seed: u64, ops: usize, clients: u64) -> Vec<HistoryOp> {
    let mut rng = SimRng::new(seed);
    let mut clock = vec![0u64; clients as usize];
    // (effect time or none, history op)
    let mut planned: Vec<(Option<u64>, HistoryOp)> = Vec::with_capacity(ops);
    for i in 0..ops {
        let client = rng.below(clients);
        let invoke = clock[client as usize] + rng.below(20);
        let complete = invoke + rng.below(60);
        clock[client as usize] = complete + 1;
        let op = match rng.below(20) {
            0..=9 => OpKind::Read,
            10..=16 => OpKind::Write,
            _ => OpKind::Delete,
        };
        let outcome = match (op, rng.below(20)) {
            (_, 0) => Outcome::Fail,
            (OpKind::Read, 1) | (OpKind::Write | OpKind::Delete, 1..=3) => Outcome::Unknown,
            _ => Outcome::Ok,
        };
        let effect = match outcome {
            Outcome::Ok => Some(invoke + rng.below(complete - invoke + 1)),
            Outcome::Unknown if op != OpKind::Read && rng.below(2) == 0 => {
                Some(invoke + rng.below(200))
            }
            _ => None,
        };
        let complete_us = (outcome == Outcome::Ok || rng.below(2) == 0).then_some(complete);
        planned.push((
            effect,
            HistoryOp {
                client: client as u32,
                node: NodeId::at(0),
                op,
                key: "x".into(),
                value: (op == OpKind::Write).then(|| format!("v{i}")),
                level: "strong".into(),
                invoke_us: invoke,
                complete_us,
                outcome,
            },
        ));
    }
    let mut by_effect: Vec<usize> = (0..ops).filter(|&i| planned[i].0.is_some()).collect();
    by_effect.sort_by_key(|&i| (planned[i].0, i));
    let mut current = None;
    for i in by_effect {
        let op = &mut planned[i].1;
        match op.op {
            OpKind::Read => op.value = current.clone(),
            _ => current = op.value.clone(),
        }
    }
    let mut history: Vec<HistoryOp> = planned.into_iter().map(|(_, op)| op).collect();
    if rng.below(3) == 0 {
        let written: Vec<Option<String>> = history
            .iter()
            .filter(|op| op.op == OpKind::Write)
            .map(|op| op.value.clone())
            .chain([None])
            .collect();
        let reads: Vec<usize> = (0..ops)
            .filter(|&i| history[i].op == OpKind::Read && history[i].outcome == Outcome::Ok)
            .collect();
        if !reads.is_empty() {
            let read = reads[rng.below(reads.len() as u64) as usize];
            history[read].value = written[rng.below(written.len() as u64) as usize].clone();
        }
    }
    history
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(160))]

    #[test]
    fn search_agrees_with_the_previous_one(
        seed in any::<u64>(),
        ops in 10usize..160,
        clients in 2u64..12,
    ) {
        let history = history(seed, ops, clients);
        let Some(want) = reference_search::linearizable(&history, 2_000_000) else {
            return Ok(());
        };
        match check(&history).unwrap().linearizable {
            Linearizability::Linearizable { witness } => {
                prop_assert!(want, "found a linearization the previous search did not");
                let order = witness.get("x").cloned().unwrap_or_default();
                prop_assert_eq!(witness::check_witness(&history, &order), Ok(()));
            }
            Linearizability::NotLinearizable { window, .. } => {
                prop_assert!(!want, "found none, the previous search did");
                let sub: Vec<HistoryOp> = window.iter().map(|&i| history[i].clone()).collect();
                prop_assert_eq!(reference_search::linearizable(&sub, 2_000_000), Some(false));
            }
            Linearizability::Unknown { .. } => prop_assert!(false, "out of steps"),
        }
    }
}
