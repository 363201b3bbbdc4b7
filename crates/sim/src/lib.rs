//! The Consistency Playground engine: a deterministic, sans-IO simulation of a
//! replicated key-value store (elections, quorum writes, reads at several
//! consistency levels, faults), the checker that judges its histories, and the
//! PBS staleness model. It knows nothing of browsers, wall clocks or drawing.

pub mod check;
pub mod config;
pub mod dist;
pub mod history;
pub mod pbs;
pub mod rng;
