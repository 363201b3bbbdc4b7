//! The Consistency Playground engine: a deterministic, sans-IO simulation of a
//! replicated key-value store (elections, quorum writes, reads at several
//! consistency levels, faults), the checker that judges its histories, and the
//! PBS staleness model. It knows nothing of browsers, wall clocks or drawing.

pub mod bench_cases;
pub mod chaos;
pub mod check;
pub mod client;
pub mod config;
mod cow_deque;
pub mod dist;
pub mod errors;
pub mod history;
pub mod kv;
pub mod msg;
pub mod net;
pub mod node;
pub mod node_id;
pub mod pbs;
pub mod read_json;
pub mod rng;
pub mod scenario;
pub mod series;
pub mod stats;
mod tap;
pub mod timeline;
pub mod trace;
pub mod workload;
pub mod world;
