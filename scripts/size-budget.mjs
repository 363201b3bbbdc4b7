// Fails when either set of the release site, gzip-compressed, exceeds its
// budget in size-budget.json:
// - first paint: what the page loads before it can be used (index.html's
//   wasm, JS and CSS);
// - deferred: what loads after the first paint, when first needed (the
//   analysis worker, whose files the "deferred" patterns name);
// - on demand: what loads only when a learner asks for it (the history
//   worker, named by the "on_demand" patterns);
// - lessons: what loads when a lesson is first opened (the lesson worker,
//   named by the "lessons" patterns).
// SIZE_BUDGET_FIRST_PAINT / SIZE_BUDGET_DEFERRED / SIZE_BUDGET_ON_DEMAND /
// SIZE_BUDGET_LESSONS override the budgets, so tests can prove the check fails. Prints every
// counted file.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, extname, relative, basename } from "node:path";
import { gzipSync } from "node:zlib";

const dist = process.argv[2] ?? "dist";
const root = new URL("..", import.meta.url).pathname;
const config = JSON.parse(readFileSync(join(root, "size-budget.json"), "utf8"));
const budgets = {
  "first paint": Number(process.env.SIZE_BUDGET_FIRST_PAINT ?? config.first_paint_max_gzip_bytes),
  deferred: Number(process.env.SIZE_BUDGET_DEFERRED ?? config.deferred_max_gzip_bytes),
  "on demand": Number(process.env.SIZE_BUDGET_ON_DEMAND ?? config.on_demand_max_gzip_bytes),
  lessons: Number(process.env.SIZE_BUDGET_LESSONS ?? config.lessons_max_gzip_bytes),
};
for (const [set, budget] of Object.entries(budgets)) {
  if (!Number.isFinite(budget) || budget <= 0) {
    console.error(`size budget: the ${set} budget is not a positive number of bytes: ${budget}`);
    process.exit(2);
  }
}
const patterns = {
  deferred: config.deferred_files.map((p) => new RegExp(p)),
  "on demand": config.on_demand_files.map((p) => new RegExp(p)),
  lessons: config.lessons_files.map((p) => new RegExp(p)),
};

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
const setOf = (file) =>
  Object.keys(patterns).find((set) => patterns[set].some((p) => p.test(basename(file)))) ?? "first paint";
for (const set of Object.keys(budgets)) {
  if (!counted.some((f) => f.endsWith(".wasm") && setOf(f) === set)) {
    console.error(`size budget: no ${set} .wasm file in ${dist} (build the site first)`);
    process.exit(2);
  }
}

const kb = (b) => (b / 1000).toFixed(1) + " kB";
let failed = false;
for (const [set, budget] of Object.entries(budgets)) {
  let total = 0;
  console.log(`${set}:`);
  for (const file of counted.filter((f) => setOf(f) === set).sort()) {
    const raw = readFileSync(file);
    const gz = gzipSync(raw, { level: 9 }).length;
    total += gz;
    console.log(`  ${relative(dist, file).padEnd(48)} ${String(raw.length).padStart(9)} B raw ${String(gz).padStart(8)} B gzip`);
  }
  if (total > budget) {
    console.error(`size budget: ${set} FAILED, ${kb(total)} gzip is over its budget of ${kb(budget)}`);
    failed = true;
  } else {
    console.log(`size budget: ${set} ok, ${kb(total)} gzip of ${kb(budget)}`);
  }
}
process.exit(failed ? 1 : 0);
