#!/usr/bin/env bash
# Sets up (first run only) and serves the playground at http://127.0.0.1:8080/
# with live reload. Extra arguments go to `trunk serve` (e.g. --port 9000).
set -euo pipefail
"$(dirname "$0")/setup.sh"
. "$(dirname "$0")/env.sh"
exec trunk serve --offline "$@"
