//! The course's curl exercises against the simulated cluster.
