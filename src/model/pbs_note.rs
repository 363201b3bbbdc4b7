//! When the PBS curve and the counted stale reads disagree, one plain
//! sentence on why.

use crate::model::series::Tally;
use quorum_analysis::pbs_curve::PbsCurve;

/// Reads counted before a difference from the curve is worth a sentence.
const NOTE_MIN_READS: u64 = 5;
/// Percentage points between the curve and the count that call for one.
const NOTE_GAP: f64 = 10.0;

/// One plain sentence on why the counted stale reads and the curve's
/// prediction differ, when they differ by much.
pub fn disagreement(curve: &PbsCurve, tally: &Tally) -> Option<String> {
    if tally.reads < NOTE_MIN_READS {
        return None;
    }
    let counted = 100.0 * tally.stale_reads as f64 / tally.reads as f64;
    match curve {
        PbsCurve::Strict { .. } if tally.stale_reads > 0 => {
            let strong = tally
                .by_level
                .iter()
                .find(|l| l.level == "strong")
                .map_or(0, |l| l.stale);
            Some(if strong > 0 && tally.lost_acked_writes > 0 {
                "The curve promises fresh strong reads, yet some were stale: acknowledged writes were lost in a failover, which R + W > N does not prevent when W is not a majority.".into()
            } else {
                "The curve is for strong reads, which R + W > N keeps fresh; the stale reads counted were at weaker levels, which ask one replica whatever R is.".into()
            })
        }
        PbsCurve::Partial(c) => {
            let predicted = 100.0 * (1.0 - c.p_at_commit);
            if counted + NOTE_GAP < predicted {
                Some(format!(
                    "Fewer reads were stale ({counted:.0} %) than the curve's {predicted:.0} % at t = 0: the curve is for a read sent the moment a write commits, and most reads here came later, when fewer replicas lag."
                ))
            } else if counted > predicted + NOTE_GAP {
                Some(format!(
                    "More reads were stale ({counted:.0} %) than the curve's {predicted:.0} % at t = 0: the curve's read asks R replicas at random, while these asked followers, which lag the leader that acknowledged the write."
                ))
            } else {
                None
            }
        }
        PbsCurve::Strict { .. } => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::series::LevelReads;
    use quorum_analysis::pbs_curve::Partial;
    use quorum_sim::stats::Stats;

    fn tally(reads: u64, stale: u64, strong_stale: u64, lost: u64) -> Tally {
        Tally {
            reads,
            stale_reads: stale,
            by_level: vec![LevelReads {
                level: "strong",
                reads,
                stale: strong_stale,
            }],
            lost_acked_writes: lost,
            ..Tally::of(&Stats::default())
        }
    }

    #[test]
    fn a_big_gap_gets_its_reason_and_agreement_gets_none() {
        let partial = |p_at_commit| {
            PbsCurve::Partial(Partial {
                points: vec![],
                t_target_ms: 10.0,
                p_at_commit,
                trials: 1,
            })
        };
        let low = disagreement(&partial(0.6), &tally(100, 5, 0, 0)).unwrap();
        assert!(
            low.starts_with("Fewer reads were stale (5 %) than the curve's 40 %"),
            "{low}"
        );
        let high = disagreement(&partial(0.95), &tally(100, 40, 0, 0)).unwrap();
        assert!(high.starts_with("More reads were stale (40 %)"), "{high}");
        assert_eq!(disagreement(&partial(0.7), &tally(100, 28, 0, 0)), None);
        assert_eq!(
            disagreement(&partial(0.1), &tally(3, 0, 0, 0)),
            None,
            "too few reads"
        );
        let strict = PbsCurve::Strict { n: 3, r: 2, w: 2 };
        assert!(disagreement(&strict, &tally(50, 4, 0, 0))
            .unwrap()
            .contains("weaker levels"));
        assert!(disagreement(&strict, &tally(50, 4, 2, 1))
            .unwrap()
            .contains("lost in a failover"));
        assert_eq!(disagreement(&strict, &tally(50, 0, 0, 0)), None);
    }
}
