//! The workload generator's form: what a learner can set before Start.

use quorum_sim::kv::Level;
use quorum_sim::workload::Workload;

/// The read level(s) the generator uses: one, or an even mix of all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Levels {
    One(Level),
    Mix,
}

impl Levels {
    pub fn id(self) -> &'static str {
        match self {
            Levels::One(level) => level.name(),
            Levels::Mix => "mix",
        }
    }

    pub fn from_id(id: &str) -> Option<Levels> {
        if id == "mix" {
            return Some(Levels::Mix);
        }
        Level::parse(id).map(Levels::One)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct WorkloadForm {
    pub ops_per_sec: f64,
    /// Share of reads; the rest are writes (and a few deletes).
    pub read_fraction: f64,
    pub keys: u32,
    pub levels: Levels,
}

impl Default for WorkloadForm {
    fn default() -> Self {
        WorkloadForm {
            ops_per_sec: 10.0,
            read_fraction: 0.7,
            keys: 4,
            levels: Levels::One(Level::Eventual),
        }
    }
}

pub const MAX_OPS_PER_SEC: f64 = 200.0;
pub const MAX_KEYS: u32 = 20;

impl WorkloadForm {
    /// The engine's workload for this form (the engine's defaults otherwise:
    /// a few clients spread over the nodes, following the leader's hint).
    pub fn spec(&self) -> Workload {
        let levels = match self.levels {
            Levels::One(level) => vec![(level, 1.0)],
            Levels::Mix => Level::ALL.iter().map(|&l| (l, 1.0)).collect(),
        };
        Workload {
            ops_per_sec: self.ops_per_sec.clamp(1.0, MAX_OPS_PER_SEC),
            read_fraction: self.read_fraction.clamp(0.0, 1.0),
            keys: self.keys.clamp(1, MAX_KEYS),
            levels,
            ..Workload::default()
        }
    }
}
