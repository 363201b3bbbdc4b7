//! The in-memory history: a bounded window of compact records (shared key
//! and value text, no copies), turned into [`HistoryOp`] lines only when
//! someone reads or streams them. The window is shared between clones of
//! the world ([`CowDeque`]): a timeline's checkpoints would otherwise each
//! copy it whole.

use super::observer::ReadJudgement;
use crate::cow_deque::CowDeque;
use crate::history::{HistoryOp, OpKind, Outcome};
use crate::kv::{Level, Text};
use crate::msg::NodeId;
use crate::tap::Tap;

#[derive(Clone, Debug)]
pub(super) struct OpRecord {
    pub client: u32,
    pub node: NodeId,
    pub op: OpKind,
    pub key: Text,
    pub value: Option<Text>,
    pub level: Level,
    pub invoke: u64,
    pub complete: Option<u64>,
    pub outcome: Outcome,
    /// The observer's verdict, for a read that returned.
    pub judgement: Option<ReadJudgement>,
}

impl OpRecord {
    pub fn to_history(&self) -> HistoryOp {
        HistoryOp {
            client: self.client,
            node: self.node,
            op: self.op,
            key: self.key.to_string(),
            value: self.value.as_deref().map(String::from),
            level: self.level.name().to_string(),
            invoke_us: self.invoke,
            complete_us: self.complete,
            outcome: self.outcome,
        }
    }
}

/// Receives every history line, for `--history FILE`.
pub type HistorySink = crate::tap::Sink<HistoryOp>;

#[derive(Clone)]
pub(super) struct History {
    pub window: CowDeque<OpRecord>,
    pub capacity: usize,
    pub sink: Tap<HistoryOp>,
}

impl History {
    pub fn new(capacity: usize) -> History {
        History {
            window: CowDeque::default(),
            capacity,
            sink: Tap::default(),
        }
    }

    pub fn push(&mut self, record: OpRecord) {
        if let Some(sink) = self.sink.as_mut() {
            sink(&record.to_history());
        }
        if self.capacity > 0 {
            if self.window.len() == self.capacity {
                self.window.pop_front();
            }
            self.window.push_back(record);
        }
    }
}
