//! Probabilistically Bounded Staleness: Bailis, Venkataraman, Franklin,
//! Hellerstein and Stoica, "Probabilistically Bounded Staleness for Practical
//! Partial Quorums", VLDB 2012.
//!
//! * [`wars`]: the WARS latency model (one-way Write, Ack, Read, reSponse
//!   delays per replica) and the paper's four fitted production presets,
//!   which the simulated network reuses.
//! * [`monte_carlo`]: the probability that a read issued `t` ms after a write
//!   commits returns it, and t-visibility.
//! * [`closed_form`]: k-staleness for non-expanding quorums, exactly.

pub mod closed_form;
pub mod monte_carlo;
mod sampler;
pub mod wars;

pub use closed_form::{p_stale_k, p_within_k_versions};
pub use monte_carlo::{simulate, Quorum, Staleness};
pub use wars::{preset, ModelError, Wars, PRESET_NAMES};
