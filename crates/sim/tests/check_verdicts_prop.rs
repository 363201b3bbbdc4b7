//! The fast freshness, session and lost-write verdicts against the
//! quadratic ones they replaced (`reference_verdicts`), on random histories with
//! concurrency, deletes, failed and unknown outcomes, several clients and
//! keys, and reads of values written later, by failed writes or never.

mod reference_verdicts;

use proptest::prelude::*;
use quorum_sim::check::{check_with_limit, judge};
use quorum_sim::history::{HistoryOp, OpKind, Outcome};
use quorum_sim::msg::NodeId;

/// One generated operation: (key, client, kind 0 read / 1 write / 2 delete,
/// invoke, duration, outcome 0 ok / 1 fail / 2 unknown, completed when not
/// ok, which value a read returns).
type Spec = (u8, u8, u8, u64, u64, u8, bool, u16);

fn build(specs: &[Spec]) -> Vec<HistoryOp> {
    let key = |s: &Spec| format!("k{}", s.0);
    specs
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let &(_, client, kind, invoke, duration, outcome, completed, pick) = s;
            let (op, value) = match kind {
                0 => {
                    // Any write of the key, wherever it is in the history;
                    // or absent; or a value nobody wrote.
                    let written: Vec<usize> = (0..specs.len())
                        .filter(|&j| specs[j].2 == 1 && specs[j].0 == s.0)
                        .collect();
                    let value = match pick as usize % (written.len() + 2) {
                        0 => None,
                        1 => Some("never".to_string()),
                        p => Some(format!("v{}", written[p - 2])),
                    };
                    (OpKind::Read, value)
                }
                1 => (OpKind::Write, Some(format!("v{i}"))),
                _ => (OpKind::Delete, None),
            };
            let outcome = [Outcome::Ok, Outcome::Fail, Outcome::Unknown][outcome as usize];
            let complete_us = (outcome == Outcome::Ok || completed).then_some(invoke + duration);
            HistoryOp {
                client: client as u32,
                node: NodeId::numbered(1).unwrap(),
                op,
                key: key(s),
                value,
                level: "eventual".into(),
                invoke_us: invoke,
                complete_us,
                outcome,
            }
        })
        .collect()
}

/// Times in `0..span`: small spans make ties and overlaps common.
fn spec(keys: u8, clients: u8, span: u64) -> impl Strategy<Value = Spec> {
    (
        0..keys,
        0..clients,
        prop_oneof![5 => Just(0u8), 4 => Just(1u8), 2 => Just(2u8)],
        0..span,
        0u64..span / 4 + 2,
        prop_oneof![7 => Just(0u8), 1 => Just(1u8), 2 => Just(2u8)],
        any::<bool>(),
        any::<u16>(),
    )
}

fn agrees(specs: &[Spec]) -> Result<(), TestCaseError> {
    let history = build(specs);
    let want = reference_verdicts::Keyed::new(&history);
    let got = judge(&history).unwrap();
    prop_assert_eq!(got.reads, want.judge_reads());
    let (ryw, monotonic) = want.judge_sessions();
    prop_assert_eq!(got.ryw_violations, ryw);
    prop_assert_eq!(got.monotonic_violations, monotonic);
    // A few search steps: only the lost writes are wanted here.
    let report = check_with_limit(&history, 100).unwrap();
    prop_assert_eq!(report.lost_acked_writes, want.find_lost_writes());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3_000))]

    #[test]
    fn small_histories(specs in prop::collection::vec(spec(3, 4, 40), 1..=30)) {
        agrees(&specs)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    #[test]
    fn long_histories(specs in prop::collection::vec(spec(2, 8, 5_000), 300..=1_500)) {
        agrees(&specs)?;
    }
}
