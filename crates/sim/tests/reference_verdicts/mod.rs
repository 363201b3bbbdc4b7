//! The checker's verdicts as the quadratic checker computed them before it
//! was made to scale (issue 17), kept as the oracle the fast ones are held
//! to: each read's source found by scanning its key's deletes, each read's
//! freshness by scanning its key's acknowledged writes. Same definitions as
//! the module docs of `quorum_sim::check`.

use quorum_sim::check::{Freshness, LostWrite, ReadVerdict, SessionViolation};
use quorum_sim::history::{HistoryOp, OpKind, Outcome};
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Source {
    Initial,
    Write(usize),
    Unexplained,
}

fn is_write(op: &HistoryOp) -> bool {
    matches!(op.op, OpKind::Write | OpKind::Delete)
}

fn is_ok(op: &HistoryOp) -> bool {
    op.outcome == Outcome::Ok && op.complete_us.is_some()
}

pub struct Keyed<'a> {
    ops: &'a [HistoryOp],
    by_key: BTreeMap<&'a str, Vec<usize>>,
    writer_of: BTreeMap<(&'a str, &'a str), usize>,
}

impl<'a> Keyed<'a> {
    pub fn new(ops: &'a [HistoryOp]) -> Self {
        let mut by_key: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        let mut writer_of = BTreeMap::new();
        for (i, op) in ops.iter().enumerate() {
            by_key.entry(op.key.as_str()).or_default().push(i);
            if let (OpKind::Write, Some(v)) = (op.op, &op.value) {
                writer_of.insert((op.key.as_str(), v.as_str()), i);
            }
        }
        Keyed {
            ops,
            by_key,
            writer_of,
        }
    }

    fn source(&self, r: usize) -> Source {
        let read = &self.ops[r];
        let read_end = read.complete_us.unwrap_or(u64::MAX);
        let could_have = |w: usize| {
            let op = &self.ops[w];
            op.outcome != Outcome::Fail && op.invoke_us <= read_end
        };
        match &read.value {
            Some(v) => match self.writer_of.get(&(read.key.as_str(), v.as_str())) {
                Some(&w) if self.ops[w].outcome != Outcome::Fail => Source::Write(w),
                _ => Source::Unexplained,
            },
            None => self.by_key[read.key.as_str()]
                .iter()
                .copied()
                .filter(|&w| self.ops[w].op == OpKind::Delete && could_have(w))
                .max_by_key(|&w| (self.ops[w].invoke_us, w))
                .map_or(Source::Initial, Source::Write),
        }
    }

    fn precedes(&self, a: Source, b: Source) -> bool {
        match (a, b) {
            (Source::Initial, Source::Write(_)) => true,
            (Source::Write(a), Source::Write(b)) => self.ops[a]
                .complete_us
                .is_some_and(|end| end < self.ops[b].invoke_us),
            _ => false,
        }
    }

    pub fn judge_reads(&self) -> Vec<ReadVerdict> {
        let ops = self.ops;
        let mut verdicts = Vec::new();
        for indices in self.by_key.values() {
            let acked: Vec<usize> = indices
                .iter()
                .copied()
                .filter(|&w| is_write(&ops[w]) && is_ok(&ops[w]))
                .collect();
            for &r in indices
                .iter()
                .filter(|&&r| !is_write(&ops[r]) && is_ok(&ops[r]))
            {
                let read = &ops[r];
                let source = self.source(r);
                let freshness = match source {
                    Source::Unexplained => Freshness::Impossible,
                    Source::Write(w) if ops[w].invoke_us > read.complete_us.unwrap_or(u64::MAX) => {
                        Freshness::Impossible
                    }
                    _ => {
                        let newer = acked.iter().copied().filter(|&w| {
                            ops[w].complete_us.is_some_and(|end| end < read.invoke_us)
                                && self.precedes(source, Source::Write(w))
                        });
                        let (k, first_ack) = newer.fold((0, u64::MAX), |(k, first), w| {
                            (k + 1, first.min(ops[w].complete_us.unwrap_or(u64::MAX)))
                        });
                        if k == 0 {
                            Freshness::Fresh
                        } else {
                            Freshness::Stale {
                                k,
                                t_us: read.invoke_us - first_ack,
                            }
                        }
                    }
                };
                let source = match source {
                    Source::Write(w) => Some(w),
                    _ => None,
                };
                verdicts.push(ReadVerdict {
                    read: r,
                    source,
                    freshness,
                });
            }
        }
        verdicts.sort_by_key(|v| v.read);
        verdicts
    }

    /// Read-your-writes and monotonic-reads violations.
    pub fn judge_sessions(&self) -> (Vec<SessionViolation>, Vec<SessionViolation>) {
        #[derive(Default)]
        struct Session {
            own_write: Option<usize>,
            newest_read: Option<(usize, Source)>,
        }
        let ops = self.ops;
        let mut order: Vec<usize> = (0..ops.len()).filter(|&i| is_ok(&ops[i])).collect();
        order.sort_by_key(|&i| (ops[i].client, ops[i].invoke_us, i));
        let mut sessions: BTreeMap<(u32, &str), Session> = BTreeMap::new();
        let (mut ryw, mut monotonic) = (Vec::new(), Vec::new());
        for i in order {
            let op = &ops[i];
            let session = sessions.entry((op.client, op.key.as_str())).or_default();
            if is_write(op) {
                session.own_write = Some(i);
                continue;
            }
            let source = self.source(i);
            let violation = |earlier| SessionViolation {
                client: op.client,
                key: op.key.clone(),
                earlier,
                read: i,
                returned: match source {
                    Source::Write(w) => Some(w),
                    _ => None,
                },
            };
            if let Some(w) = session.own_write {
                let acked_before = ops[w].complete_us.is_some_and(|end| end <= op.invoke_us);
                if acked_before && self.precedes(source, Source::Write(w)) {
                    ryw.push(violation(w));
                }
            }
            if let Some((earlier, earlier_source)) = session.newest_read {
                if self.precedes(source, earlier_source) {
                    monotonic.push(violation(earlier));
                }
            }
            let invoked = |s: Source| match s {
                Source::Write(w) => Some(ops[w].invoke_us),
                _ => None,
            };
            if source != Source::Unexplained
                && session
                    .newest_read
                    .is_none_or(|(_, s)| invoked(source) > invoked(s))
            {
                session.newest_read = Some((i, source));
            }
        }
        (ryw, monotonic)
    }

    pub fn find_lost_writes(&self) -> Vec<LostWrite> {
        let ops = self.ops;
        let mut lost = Vec::new();
        for indices in self.by_key.values() {
            let writes = || indices.iter().copied().filter(|&w| is_write(&ops[w]));
            let quiet_from = writes()
                .map(|w| ops[w].complete_us.unwrap_or(ops[w].invoke_us))
                .max()
                .unwrap_or(0);
            let last_final_read = indices
                .iter()
                .copied()
                .filter(|&r| !is_write(&ops[r]) && is_ok(&ops[r]) && ops[r].invoke_us > quiet_from)
                .max_by_key(|&r| (ops[r].invoke_us, r));
            let Some(read) = last_final_read else {
                continue;
            };
            let source = self.source(read);
            for w in writes().filter(|&w| is_ok(&ops[w])) {
                if self.precedes(source, Source::Write(w)) {
                    lost.push(LostWrite { write: w, read });
                }
            }
        }
        lost.sort_by_key(|l| l.write);
        lost
    }
}
