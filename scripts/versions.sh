# Tool pins, in one place. Trunk.toml and Cargo.toml must agree with these
# (scripts/setup.sh checks that they do).
TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=0.2.130
# For scripts/size-breakdown.mjs only: no build depends on it.
TWIGGY_VERSION=0.8.0
WASM_TARGET=wasm32-unknown-unknown
