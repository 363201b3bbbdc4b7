# Tool pins, in one place. Trunk.toml and Cargo.toml must agree with these
# (scripts/setup.sh checks that they do).
TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=0.2.130
WASM_TARGET=wasm32-unknown-unknown
