#!/usr/bin/env bash
# Release build of the site into dist/. PUBLIC_URL is the path the site will
# be served under (default /); a course page usually hosts it below the root.
set -euo pipefail
. "$(dirname "$0")/env.sh"
trunk build --release --offline --public-url "${PUBLIC_URL:-/}" "$@"
# Trunk cannot minify wasm-bindgen's module glue; terser (pinned) can.
node "$(dirname "$0")/minify-glue.mjs" "$(dirname "$0")/../dist"
