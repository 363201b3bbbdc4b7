#!/usr/bin/env bash
# Installs everything building, serving and testing the playground needs, at
# pinned versions, and only what is missing: safe to run again and again.
# Everything comes from the package registries (crates.io, npm, Debian);
# nothing downloads a prebuilt toolchain or browser.
set -euo pipefail
. "$(dirname "$0")/env.sh"

say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# The consistency of the pins, before spending minutes installing them.
grep -q "wasm_bindgen = \"$WASM_BINDGEN_VERSION\"" Trunk.toml ||
    { echo "Trunk.toml does not pin wasm_bindgen = \"$WASM_BINDGEN_VERSION\"" >&2; exit 1; }
grep -q "wasm-bindgen = \"=$WASM_BINDGEN_VERSION\"" Cargo.toml ||
    { echo "Cargo.toml does not pin wasm-bindgen = \"=$WASM_BINDGEN_VERSION\"" >&2; exit 1; }

# Debian's Chromium for the browser tests (Playwright's own download is not
# reachable), and its driver for wasm-bindgen-test.
if ! [ -x /usr/bin/chromium ] || ! [ -x /usr/bin/chromedriver ]; then
    say "installing chromium and chromium-driver (Debian)"
    as_root apt-get update -q
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q chromium chromium-driver
fi

if ! rustup target list --installed | grep -qx "$WASM_TARGET"; then
    say "adding the $WASM_TARGET target"
    rustup target add "$WASM_TARGET"
fi
for component in rustfmt clippy; do
    if ! rustup component list --installed | grep -q "^$component"; then
        rustup component add "$component"
    fi
done

if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
    say "installing trunk $TRUNK_VERSION (about 9 minutes on 2 cores)"
    cargo install --locked trunk --version "$TRUNK_VERSION"
fi

# No --locked: wasm-bindgen-cli's own lock pins a crate version the registry
# no longer serves.
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
    say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 4 minutes)"
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

# twiggy, for scripts/size-breakdown.mjs (its binary names itself twiggy-opt).
if [ "$(twiggy --version 2>/dev/null)" != "twiggy-opt $TWIGGY_VERSION" ]; then
    say "installing twiggy $TWIGGY_VERSION"
    cargo install --locked twiggy --version "$TWIGGY_VERSION"
fi

# npm: Playwright's driver library and binaryen's wasm-opt, exactly as locked.
# The stamp skips `npm ci` until the lock file changes.
stamp=node_modules/.lock-stamp
if ! [ -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
    say "installing npm packages from package-lock.json"
    npm ci --no-audit --no-fund
    cp package-lock.json "$stamp"
fi

# Trunk builds with --offline, so every crate must already be on disk.
cargo fetch --locked -q
