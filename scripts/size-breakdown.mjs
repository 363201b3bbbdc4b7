// Where the page's wasm bytes go, by crate (not a test).
//
//   node scripts/size-breakdown.mjs
//
// Builds the page's release wasm as Trunk does (a no-op after scripts/build.sh),
// then runs wasm-bindgen and wasm-opt -Oz on it as Trunk does but keeping the
// function names (--keep-debug, -g), so twiggy can name every function. Trunk
// passes wasm-opt no feature flags (the page sets no data-reference-types);
// neither does this. Prints bytes per crate: a function counts for the crate
// its path starts with, or for the type's crate in `<Type as Trait>`. Generic
// code is counted where it is defined, so yew's component code instantiated
// for our components counts as yew (with each component's view inlined into
// it: the last line says how much), and drop glue for our types as core.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = new URL("..", import.meta.url).pathname;
// env.sh puts the pinned wasm-bindgen, wasm-opt and twiggy first on PATH.
const sh = (command, ...args) =>
  execFileSync("bash", ["-c", `. scripts/env.sh && ${command}`, "sh", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    maxBuffer: 1 << 28,
    stdio: ["ignore", "pipe", "inherit"],
  });

sh("cargo build --release --offline --target wasm32-unknown-unknown --bin consistency-playground");
const wasm = join(ROOT, "target/wasm32-unknown-unknown/release/consistency-playground.wasm");
const dir = mkdtempSync(join(tmpdir(), "size-breakdown-"));
let csv;
try {
  sh('wasm-bindgen --target web --keep-debug --out-dir "$1" --out-name page "$2"', dir, wasm);
  sh('wasm-opt -Oz -g --output "$1/named.wasm" "$1/page_bg.wasm"', dir);
  csv = sh('twiggy top --format csv "$1/named.wasm"', dir);
} finally {
  rmSync(dir, { recursive: true });
}

// A crate name at the start of a path, past any `<`, `&`, `&mut `, `*const `,
// `[`, `(`, `dyn `, and without the `[hash]` of the precompiled std's names.
const crateAt = (s) => /^(?:[<&[(]|mut |\*const |\*mut |dyn )*([a-z_][a-z0-9_]*)(?:\[[0-9a-f]+\])?::/.exec(s)?.[1];

function bucket(name) {
  if (/^"\w+ names" subsection$/.test(name)) return undefined; // only there because of -g
  if (name.startsWith("data segment")) return "data segments (strings, tables)";
  // serde_derive's impls sit in an anonymous `const _` block of the type's module.
  if (/::_::<impl serde(_core)?::/.test(name)) return "serde derives (in our crates)";
  if (/^<(bool|char|str|[iuf](8|16|32|64|128|size))>::/.test(name)) return "core"; // a primitive's methods
  const asType = /^<(.+?) as /.exec(name);
  const crate = (asType && crateAt(asType[1])) ?? crateAt(name.replace(/^<.+? as /, ""));
  if (!crate) return "wasm structure: imports, exports, tables, glue";
  return crate === "serde_core" ? "serde" : crate;
}

const bytes = new Map();
let views = 0;
for (const line of csv.trim().split("\n").slice(1)) {
  const [, quoted, size] = /^("(?:[^"]|"")*"|[^,]*),(\d+),/.exec(line);
  const name = quoted.startsWith('"') ? quoted.slice(1, -1).replaceAll('""', '"') : quoted;
  const b = bucket(name);
  if (b) bytes.set(b, (bytes.get(b) ?? 0) + Number(size));
  if (name.startsWith("<yew::html::component::lifecycle::CompStateInner<COMP> as yew::html::component::lifecycle::Stateful>::view::")) {
    views += Number(size);
  }
}
const total = [...bytes.values()].reduce((a, b) => a + b, 0);
console.log(`${wasm}: ${statSync(wasm).size} B before wasm-bindgen and wasm-opt`);
console.log(`after wasm-opt -Oz, the names left out: ${total} B`);
console.log(`${"crate".padEnd(52)} ${"bytes".padStart(8)}      %`);
for (const [name, b] of [...bytes].sort((a, b) => b[1] - a[1])) {
  console.log(`${name.padEnd(52)} ${String(b).padStart(8)} ${((100 * b) / total).toFixed(1).padStart(6)}`);
}
const pct = ((100 * views) / total).toFixed(1);
console.log(`yew includes ${views} B (${pct} %) in CompStateInner<COMP>::view: one copy per component, with that component's function and html! inlined`);
