#!/usr/bin/env bash
# Runs every fuzz target (README.md, "Fuzzing") for CASES cases each
# (default 100,000) in the fuzz profile: optimized, with overflow checks.
# Each target prints the cases it ran and its time; a failing case prints the
# command that replays it and where its input was written. One cargo
# invocation, so that the crates are built once with the same features.
set -euo pipefail
cd "$(dirname "$0")/.."
export FUZZ_CASES="${1:-100000}"
cargo test --profile fuzz --locked \
  -p quorum-sim --test fuzz_scenario --test fuzz_history \
  -p consistency-playground --bin consistency-playground \
  -p quorum-console --test parser_props \
  -p quorum-lessons --test fuzz_lesson \
  -p quorum-server --lib \
  -- fuzz --nocapture
