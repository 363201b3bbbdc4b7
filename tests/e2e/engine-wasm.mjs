// Builds crates/bench-wasm (the engine without the page) for the browser, and
// runs cargo with the project's tools on PATH: shared by
// scripts/bench-wasm.mjs and the native-versus-wasm determinism test.
import { execFileSync } from "node:child_process";
import { writeFile, mkdir } from "node:fs/promises";
import { join } from "node:path";

export const ROOT = new URL("../..", import.meta.url).pathname;
export const ENGINE_WASM_DIR = join(ROOT, "target", "bench-wasm");
const env = { ...process.env, PATH: `${process.env.HOME}/.cargo/bin:${process.env.PATH}` };

/** Runs `cargo ARGS` in the project, quietly, with the lock file enforced. */
export function cargo(args) {
  execFileSync("cargo", [args[0], "-q", "--locked", ...args.slice(1)], { cwd: ROOT, env, stdio: "inherit" });
}

/**
 * Builds the engine with each cargo profile into ENGINE_WASM_DIR/<profile>/,
 * beside an index.html, so that serveDist(ENGINE_WASM_DIR) serves them and a
 * page can `import("./<profile>/quorum_bench_wasm.js")`.
 */
export async function buildEngineWasm(profiles) {
  for (const profile of profiles) {
    cargo(["build", "-p", "quorum-bench-wasm", "--target", "wasm32-unknown-unknown", "--profile", profile]);
    execFileSync("wasm-bindgen", ["--target", "web", "--out-dir", join(ENGINE_WASM_DIR, profile),
      join(ROOT, "target", "wasm32-unknown-unknown", profile, "quorum_bench_wasm.wasm")], { env, stdio: "inherit" });
  }
  await mkdir(ENGINE_WASM_DIR, { recursive: true });
  await writeFile(join(ENGINE_WASM_DIR, "index.html"), "<!doctype html><title>engine in wasm</title>");
}
