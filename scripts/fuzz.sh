#!/usr/bin/env bash
# Runs every fuzz target (README.md, "Tests") for CASES cases each (default
# 100,000) in the fuzz profile: optimized, with overflow checks. Each target
# prints the cases it ran; a failing case prints the command that replays
# it and where its input was written.
set -euo pipefail
cd "$(dirname "$0")/.."
export FUZZ_CASES="${1:-100000}"
fuzz() { cargo test --profile fuzz --locked "$@" -- --nocapture; }
fuzz -p quorum-sim --test fuzz_scenario --test fuzz_history
fuzz -p consistency-playground --bin consistency-playground link::fuzz::
fuzz -p quorum-console --test parser_props
fuzz -p quorum-server --lib fuzz::
