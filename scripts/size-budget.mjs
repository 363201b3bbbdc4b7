// Fails when the release site's wasm + JS + CSS, gzip-compressed, exceed the
// budget in size-budget.json (or SIZE_BUDGET_BYTES, which tests use to prove
// the check can fail). Prints the size of every counted file.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, extname, relative } from "node:path";
import { gzipSync } from "node:zlib";

const dist = process.argv[2] ?? "dist";
const root = new URL("..", import.meta.url).pathname;
const budget = Number(
  process.env.SIZE_BUDGET_BYTES ??
    JSON.parse(readFileSync(join(root, "size-budget.json"), "utf8")).max_gzip_bytes,
);
if (!Number.isFinite(budget) || budget <= 0) {
  console.error(`size budget: not a positive number of bytes: ${budget}`);
  process.exit(2);
}

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

let counted;
try {
  counted = [...files(dist)].filter((f) => [".wasm", ".js", ".css"].includes(extname(f)));
} catch (e) {
  console.error(`size budget: cannot read ${dist}: ${e.message} (build the site first)`);
  process.exit(2);
}
if (!counted.some((f) => f.endsWith(".wasm"))) {
  console.error(`size budget: no .wasm file in ${dist} (build the site first)`);
  process.exit(2);
}

let total = 0;
for (const file of counted.sort()) {
  const raw = readFileSync(file);
  const gz = gzipSync(raw, { level: 9 }).length;
  total += gz;
  console.log(`${relative(dist, file).padEnd(48)} ${String(raw.length).padStart(9)} B raw ${String(gz).padStart(8)} B gzip`);
}
const kb = (b) => (b / 1000).toFixed(1) + " kB";
if (total > budget) {
  console.error(`size budget: FAILED, ${kb(total)} gzip is over the budget of ${kb(budget)}`);
  process.exit(1);
}
console.log(`size budget: ok, ${kb(total)} gzip of ${kb(budget)}`);
