//! Judging histories: per-read freshness, session guarantees, lost writes and
//! linearizability.
