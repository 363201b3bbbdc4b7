//! The observer: the run's one judge. The world feeds it every client
//! operation as it is invoked and answered, every commit and every new
//! leader; it alone decides which reads were stale, which session
//! guarantees broke, which acknowledged writes were lost and whether two
//! leaders shared a term, and it keeps the counts. Nothing else in the
//! engine or the page judges.
//!
//! Reads are judged exactly as the history checker judges them
//! (`crate::check`, whose module docs give the rules), but as they happen,
//! from what the run has shown so far:
//! * a read's *source* is the write whose value it returned (the latest
//!   write of that value not known failed), or for an absent value the
//!   latest delete not known failed, else the key's initial absence;
//! * it is **stale** when a write acknowledged before the read began was
//!   invoked after the source completed: `versions` counts them and
//!   `behind_us` is how long the first of them had been acknowledged;
//! * otherwise it **missed a write in flight** when a write invoked after
//!   the source completed was not yet acknowledged when the read began: an
//!   old value, and allowed;
//! * read-your-writes and monotonic reads compare with the client's latest
//!   acknowledged own write and the newest source of its earlier reads.
//!
//! The checker reads a whole history; the observer decides at each answer.
//! The two agree whenever a client runs one operation at a time (every
//! workload client and the console do): an operation still pending when a
//! read is answered cannot yet count for the observer.
//!
//! Memory is bounded: per key, the newest [`KEEP`] writes and
//! acknowledgements. A read whose value is older than all of them is
//! counted stale with `at_least` set.
//!
//! Lost writes are decided from replica state, which no history shows: an
//! acknowledged write is lost when the entry at its index is committed with
//! another term.

use super::ids::IdMap;
use crate::cow_deque::CowDeque;
use crate::history::Outcome;
use crate::kv::{Level, Text, Version};
use crate::msg::{NodeId, ReqId};
use crate::node::Node;
use crate::stats::Stats;
use std::collections::{BTreeMap, BTreeSet};

/// Writes and acknowledgements remembered per key.
const KEEP: usize = 256;

/// Recent terms remembered for the one-leader-per-term check.
const LEADER_MEMORY: usize = 64;

/// One write (or delete, with no value) as a verdict names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WriteFact {
    pub client: u32,
    pub value: Option<Text>,
    pub invoked_us: u64,
    /// When it was acknowledged, if it was by the time of the verdict.
    pub acked_us: Option<u64>,
    /// Its place in the log, once its acknowledgement said so.
    pub version: Option<Version>,
}

/// How a read's value compares with the writes around it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lag {
    Fresh,
    /// Older than `versions` writes acknowledged before the read began; the
    /// first of them, `newer`, `behind_us` before.
    Stale {
        versions: u64,
        /// The value is older than everything remembered: more versions
        /// behind, and for longer, than counted.
        at_least: bool,
        behind_us: u64,
        newer: WriteFact,
    },
    /// Older than `write`, which was still in flight when the read began:
    /// allowed at every level but linearizable.
    InFlight {
        write: WriteFact,
    },
    /// No write explains the value.
    Unexplained,
}

/// The verdict on one answered read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadJudgement {
    pub lag: Lag,
    /// Older than the client's own write acknowledged before the read.
    pub read_your_writes: bool,
    /// Older than what an earlier read of the client returned.
    pub monotonic: bool,
}

impl ReadJudgement {
    pub fn is_stale(&self) -> bool {
        matches!(self.lag, Lag::Stale { .. })
    }
}

/// A client operation as the observer needs it once it is answered.
#[derive(Clone, Copy, Debug)]
pub(super) struct Invoked {
    pub client: u32,
    pub invoke: u64,
}

#[derive(Clone)]
struct WriteRec {
    req: ReqId,
    client: u32,
    /// `None` for a delete.
    value: Option<Text>,
    invoke: u64,
    complete: Option<u64>,
    /// `None` while pending.
    outcome: Option<Outcome>,
    version: Option<Version>,
}

impl WriteRec {
    fn could_have_happened(&self) -> bool {
        self.outcome != Some(Outcome::Fail)
    }

    fn fact(&self) -> WriteFact {
        WriteFact {
            client: self.client,
            value: self.value.clone(),
            invoked_us: self.invoke,
            acked_us: (self.outcome == Some(Outcome::Ok))
                .then_some(self.complete)
                .flatten(),
            version: self.version,
        }
    }
}

#[derive(Clone)]
struct Acked {
    invoke: u64,
    complete: u64,
    fact: WriteFact,
}

/// Where a read's value came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Source {
    Initial,
    /// `seq` names the write in its key's log.
    Write {
        seq: u64,
        invoke: u64,
        complete: Option<u64>,
    },
    /// A write older than every one remembered.
    Forgotten,
    Unexplained,
}

impl Source {
    /// Took effect before a write invoked at `invoke` in every
    /// linearization.
    fn precedes(self, invoke: u64) -> bool {
        match self {
            Source::Initial | Source::Forgotten => true,
            Source::Write { complete, .. } => complete.is_some_and(|c| c < invoke),
            Source::Unexplained => false,
        }
    }

    fn precedes_source(self, later: Source) -> bool {
        match later {
            Source::Write { invoke, .. } => self.precedes(invoke),
            _ => false,
        }
    }

    fn invoked(self) -> Option<u64> {
        match self {
            Source::Write { invoke, .. } => Some(invoke),
            _ => None,
        }
    }

    fn is(self, seq: u64) -> bool {
        matches!(self, Source::Write { seq: s, .. } if s == seq)
    }
}

#[derive(Clone, Default)]
struct KeyLog {
    /// Writes and deletes in invoke order; `first_seq` numbers the oldest.
    writes: CowDeque<WriteRec>,
    first_seq: u64,
    /// The newest delete that fell out of `writes`.
    forgotten_delete: Option<(u64, Option<u64>)>,
    /// Acknowledged writes in the order they were acknowledged.
    acked: CowDeque<Acked>,
    acked_total: u64,
    /// The first acknowledged write ever, and when.
    first_ack: Option<(u64, WriteFact)>,
    /// The highest version acknowledged so far.
    newest_version: Version,
}

impl KeyLog {
    fn record(&mut self, seq: u64) -> Option<&mut WriteRec> {
        let i = seq.checked_sub(self.first_seq)?;
        self.writes.get_mut(i as usize)
    }

    /// The write a read returning `value` saw.
    fn source(&self, value: Option<&Text>) -> Source {
        let found = self
            .writes
            .rfind(|_, w| w.value.as_ref() == value && w.could_have_happened());
        match (found, value) {
            (Some((i, w)), _) => Source::Write {
                seq: self.first_seq + i as u64,
                invoke: w.invoke,
                complete: w.complete,
            },
            (None, None) => match self.forgotten_delete {
                Some((invoke, complete)) => Source::Write {
                    seq: u64::MAX,
                    invoke,
                    complete,
                },
                None => Source::Initial,
            },
            (None, Some(_)) if self.first_seq > 0 => Source::Forgotten,
            (None, Some(_)) => Source::Unexplained,
        }
    }

    /// Acknowledged writes, before `before`, that `source` certainly
    /// precedes: how many, the first, and whether some were forgotten.
    fn newer_acked(&self, source: Source, before: u64) -> (u64, Option<&Acked>, bool) {
        let after = match source {
            Source::Write { complete: None, .. } | Source::Unexplained => return (0, None, false),
            Source::Write {
                complete: Some(c), ..
            } => Some(c),
            Source::Initial | Source::Forgotten => None,
        };
        let lo = after.map_or(0, |c| self.acked.partition_point(|a| a.complete <= c));
        let hi = self.acked.partition_point(|a| a.complete < before);
        let mut count = 0;
        let mut first = None;
        for a in self.acked.range(lo..hi.max(lo)) {
            if source.precedes(a.invoke) {
                count += 1;
                first.get_or_insert(a);
            }
        }
        let forgotten = self.acked_total - self.acked.len() as u64;
        let reaches_back = after.is_none_or(|c| self.acked.front().is_some_and(|f| c < f.complete));
        if forgotten > 0 && reaches_back {
            if source == Source::Initial {
                // Every acknowledged write is newer than nothing at all,
                // and the first of them was the first ever.
                return (count + forgotten, None, false);
            }
            return (count, first, true);
        }
        (count, first, source == Source::Forgotten)
    }

    /// The newest write the read missed although `source` precedes it:
    /// invoked by the time the read was answered, not acknowledged when it
    /// began.
    fn missed_in_flight(&self, source: Source, began: u64, now: u64) -> Option<&WriteRec> {
        let first = self.first_seq;
        self.writes
            .rfind(|i, w| {
                w.invoke <= now
                    && w.could_have_happened()
                    && w.complete.is_none_or(|c| c >= began)
                    && source.precedes(w.invoke)
                    && !source.is(first + i as u64)
            })
            .map(|(_, w)| w)
    }

    fn keep_bounded(&mut self) {
        while self.writes.len() > KEEP {
            let old = self.writes.front().expect("over the bound");
            if old.value.is_none() && old.could_have_happened() {
                self.forgotten_delete = Some((old.invoke, old.complete));
            }
            self.writes.pop_front();
            self.first_seq += 1;
        }
        while self.acked.len() > KEEP {
            self.acked.pop_front();
        }
    }
}

/// One client's view of one key: what it last wrote and read.
#[derive(Clone, Default)]
struct Session {
    /// (invoke, complete) of its latest acknowledged write.
    own_write: Option<(u64, u64)>,
    /// The source of its earlier read that was invoked last.
    newest_read: Option<Source>,
}

#[derive(Clone, Default)]
pub(super) struct Observer {
    keys: BTreeMap<Text, KeyLog>,
    sessions: BTreeMap<(u32, Text), Session>,
    /// Writes by request, while they are pending.
    open: IdMap<ReqId, (Text, u64)>,
    /// Acknowledged writes not yet known committed or lost, as (index,
    /// term). A set of pairs, not a map by index: with W ≤ N/2 a new leader
    /// acknowledges its own write at the index of one its predecessor
    /// acknowledged, and at most one of the two can survive.
    unsettled: BTreeSet<(u64, u64)>,
    /// Who led each recent term, to catch two leaders in one term.
    leaders: BTreeMap<u64, NodeId>,
}

impl Observer {
    /// A write (`value`) or delete (`None`) of `key` was sent.
    pub(super) fn write_invoked(
        &mut self,
        req: ReqId,
        client: u32,
        key: &Text,
        value: Option<Text>,
        now: u64,
    ) {
        let log = self.keys.entry(key.clone()).or_default();
        let seq = log.first_seq + log.writes.len() as u64;
        log.writes.push_back(WriteRec {
            req,
            client,
            value,
            invoke: now,
            complete: None,
            outcome: None,
            version: None,
        });
        log.keep_bounded();
        self.open.insert(req, (key.clone(), seq));
    }

    /// A write or delete ended; `version` is where the leader logged it.
    pub(super) fn write_done(
        &mut self,
        req: ReqId,
        op: Invoked,
        complete: Option<u64>,
        outcome: Outcome,
        version: Option<Version>,
    ) {
        let Some((key, seq)) = self.open.remove(&req) else {
            return;
        };
        let log = self
            .keys
            .get_mut(&key)
            .expect("an open write's key has a log");
        let Some(rec) = log.record(seq).filter(|r| r.req == req) else {
            return;
        };
        rec.complete = complete;
        rec.outcome = Some(outcome);
        rec.version = version;
        if outcome != Outcome::Ok {
            return;
        }
        let (fact, complete) = (rec.fact(), complete.expect("an acknowledgement has a time"));
        if let Some(v) = version {
            log.newest_version = log.newest_version.max(v);
        }
        log.first_ack
            .get_or_insert_with(|| (complete, fact.clone()));
        log.acked.push_back(Acked {
            invoke: op.invoke,
            complete,
            fact,
        });
        log.acked_total += 1;
        log.keep_bounded();
        let session = self.sessions.entry((op.client, key)).or_default();
        if session
            .own_write
            .is_none_or(|(invoke, _)| invoke <= op.invoke)
        {
            session.own_write = Some((op.invoke, complete));
        }
    }

    /// Judges a read of `key` that returned `value`, answered now, and
    /// counts it in `stats`.
    pub(super) fn read_done(
        &mut self,
        op: Invoked,
        key: &Text,
        level: Level,
        value: Option<&Text>,
        now: u64,
        stats: &mut Stats,
    ) -> ReadJudgement {
        let log = self.keys.entry(key.clone()).or_default();
        let source = log.source(value);
        let lag = match log.newer_acked(source, op.invoke) {
            _ if source == Source::Unexplained => Lag::Unexplained,
            (versions, Some(first), at_least) if versions > 0 => Lag::Stale {
                versions,
                at_least,
                behind_us: op.invoke - first.complete,
                newer: first.fact.clone(),
            },
            (versions, None, at_least) if versions > 0 => {
                // Only forgotten acknowledgements count: the first ever is the first.
                let (at, newer) = log.first_ack.clone().expect("something was acknowledged");
                Lag::Stale {
                    versions,
                    at_least,
                    behind_us: op.invoke - at,
                    newer,
                }
            }
            _ => match log.missed_in_flight(source, op.invoke, now) {
                Some(w) => Lag::InFlight { write: w.fact() },
                None => Lag::Fresh,
            },
        };
        let session = self.sessions.entry((op.client, key.clone())).or_default();
        let read_your_writes = session
            .own_write
            .is_some_and(|(invoke, complete)| complete <= op.invoke && source.precedes(invoke));
        let monotonic = session
            .newest_read
            .is_some_and(|earlier| source.precedes_source(earlier));
        if source != Source::Unexplained
            && session
                .newest_read
                .is_none_or(|earlier| source.invoked() > earlier.invoked())
        {
            session.newest_read = Some(source);
        }
        let judged = ReadJudgement {
            lag,
            read_your_writes,
            monotonic,
        };
        if judged.is_stale() {
            stats.stale_reads += 1;
            stats.stale_by_level[level as usize] += 1;
        }
        stats.ryw_violations += u64::from(read_your_writes);
        stats.monotonic_violations += u64::from(monotonic);
        judged
    }

    /// A write acknowledged by `node`, logged at `version`: final when the
    /// node had already committed it, else watched until settled.
    pub(super) fn acknowledged(
        &mut self,
        nodes: &[Node],
        node: NodeId,
        version: Version,
        stats: &mut Stats,
    ) {
        if nodes[node].commit_index() >= version.index {
            return;
        }
        self.unsettled.insert((version.index, version.term));
        // A leader cut off in a minority acknowledges (W ≤ N/2) at indexes
        // the majority may have committed long ago, and no later commit
        // would look back at them.
        let (most, commit) = NodeId::all(nodes.len())
            .map(|i| (i, nodes[i].commit_index()))
            .max_by_key(|&(_, c)| c)
            .expect("a cluster has nodes");
        if commit >= version.index {
            self.settle(nodes, most, commit, stats);
        }
    }

    /// Node `node` committed up to `to`: committed entries are final, so an
    /// acknowledged write whose index holds another term's entry is lost.
    pub(super) fn settle(&mut self, nodes: &[Node], node: NodeId, to: u64, stats: &mut Stats) {
        let settled: Vec<(u64, u64)> = self.unsettled.range(..=(to, u64::MAX)).copied().collect();
        for (index, term) in settled {
            self.unsettled.remove(&(index, term));
            if nodes[node].term_at(index) != Some(term) {
                stats.lost_acked_writes += 1;
            }
        }
    }

    /// The cluster agreed on a log committed up to `commit` on `leader`:
    /// anything acknowledged beyond it was truncated away.
    pub(super) fn converged(
        &mut self,
        nodes: &[Node],
        leader: NodeId,
        commit: u64,
        stats: &mut Stats,
    ) {
        self.settle(nodes, leader, commit, stats);
        let beyond: Vec<(u64, u64)> = self.unsettled.range((commit + 1, 0)..).copied().collect();
        for write in beyond {
            self.unsettled.remove(&write);
            stats.lost_acked_writes += 1;
        }
    }

    /// `node` became leader of `term`.
    pub(super) fn crowned(&mut self, node: NodeId, term: u64, stats: &mut Stats) {
        stats.elections += 1;
        if self
            .leaders
            .insert(term, node)
            .is_some_and(|other| other != node)
        {
            stats.split_brains += 1;
        }
        while self.leaders.len() > LEADER_MEMORY {
            self.leaders.pop_first();
        }
    }

    /// The highest version of `key` acknowledged so far.
    pub(super) fn newest_acked(&self, key: &Text) -> Version {
        self.keys
            .get(key)
            .map_or(Version::ZERO, |k| k.newest_version)
    }

    pub(super) fn unsettled(&self) -> usize {
        self.unsettled.len()
    }

    /// Records held over all keys: bounded by [`KEEP`] per key.
    pub(super) fn len(&self) -> usize {
        self.keys
            .values()
            .map(|k| k.writes.len() + k.acked.len())
            .sum()
    }
}
