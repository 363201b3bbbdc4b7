# Sourced by the other scripts: the PATH under which the pinned tools are found
# (cargo-installed trunk and wasm-bindgen, npm's wasm-opt), and the repo root.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$ROOT/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
# shellcheck source=versions.sh
. "$ROOT/scripts/versions.sh"
cd "$ROOT"
