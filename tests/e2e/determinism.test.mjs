// The engine must run a scenario to the identical trace natively and in
// wasm. Each scenario, the presets and the generated runs below full of
// faults, goes through `quorum run --scenario FILE --json` natively and
// through the same engine compiled to wasm (crates/bench-wasm) in headless
// Chromium; their summaries, trace hash included, must agree field by field.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { readFile, readdir, writeFile, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serveDist, launch } from "./harness.mjs";
import { buildEngineWasm, cargo, ENGINE_WASM_DIR, ROOT } from "./engine-wasm.mjs";


const QUORUM = join(ROOT, "target", "debug", "quorum");

const workload = (extra) => ({
  clients: 8, ops_per_sec: 400, ops: 1500, read_fraction: 0.6, delete_fraction: 0.1, keys: 6, key_skew: 1.2,
  levels: [["eventual", 1], ["read_your_writes", 1], ["monotonic_reads", 1], ["causal", 1], ["strong", 1], ["linearizable", 1]],
  ...extra,
});

// Every jitter shape (logarithms, powers and exponentials are where native
// and wasm maths could part), loss, crashes, partitions, one-way cuts, read
// repair and every read level.
const GENERATED = {
  "faults-and-every-distribution": {
    version: 1, seed: 11,
    config: { n: 5, w: 2, r: 2, latency_ms: 5, jitter: { dist: { kind: "exponential", rate: 0.5 } }, drop: 0.02, read_repair: "blocking" },
    workload: workload({}),
    actions: [
      [800, { do: "crash", node: 1 }],
      [1500, { do: "partition", groups: [[2, 3]] }],
      [2300, { do: "set", jitter: { dist: { kind: "pareto", xm: 1, alpha: 2 } } }],
      [2600, { do: "restart", node: 1 }],
      [3000, { do: "heal" }],
      [3200, { do: "cut", from: [4], to: [5] }],
      [3600, { do: "set", w: 3, jitter: { dist: { kind: "lognormal", mu: 1, sigma: 0.5 } } }],
      [4200, { do: "heal" }],
    ],
    until_ms: 5000,
  },
  // What a page's shared link holds: workloads without an operation count,
  // started and stopped by actions, which the replay ends at until_ms.
  "page-link-with-endless-workloads": {
    version: 1, seed: 9,
    config: { n: 5, w: 3, r: 2, latency_ms: 40, jitter: { dist: { kind: "uniform", lo: 0, hi: 20 } } },
    actions: [
      [300, { do: "start_workload", clients: 3, ops_per_sec: 60 }],
      [1200, { do: "crash", node: 2 }],
      [2000, { do: "stop_workload" }],
      [2100, { do: "start_workload", clients: 2, ops_per_sec: 30, levels: [["linearizable", 1], ["causal", 1]] }],
    ],
    until_ms: 3500,
  },
  "pbs-presets-and-mixtures": {
    version: 1, seed: 5,
    config: { n: 3, w: 1, r: 1, latency_ms: 1, jitter: { preset: "wan" }, read_repair: "async" },
    workload: workload({ clients: 5, ops: 800, follow_leader: true }),
    actions: [
      [500, { do: "set", jitter: { preset: "lnkd-disk" } }],
      [900, { do: "crash", node: 2 }],
      [1200, { do: "set", jitter: { dist: { kind: "mixture", parts: [[3, { kind: "uniform", lo: 0, hi: 4 }], [1, { kind: "constant", ms: 9 }]] } } }],
      [1700, { do: "restart", node: 2 }],
      [1800, { do: "write", client: 1, node: 1, key: "name", value: "Alice" }],
      [1801, { do: "read", client: 2, node: 3, key: "name", level: "strong" }],
    ],
  },
};

async function scenarios() {
  const out = { ...GENERATED };
  for (const file of (await readdir(join(ROOT, "presets"))).filter((f) => f.endsWith(".json"))) {
    const preset = JSON.parse(await readFile(join(ROOT, "presets", file), "utf8"));
    out[`preset ${preset.id}`] = preset.scenario;
  }
  return out;
}

let server, browser, page, dir;
before(async () => {
  await buildEngineWasm(["release"]);
  cargo(["build", "-p", "quorum-cli"]);
  dir = await mkdtemp(join(tmpdir(), "determinism-"));
  server = await serveDist(ENGINE_WASM_DIR);
  browser = await launch();
  page = await browser.newPage();
  await page.goto(server.url);
});
after(async () => {
  await browser?.close();
  await server?.close();
});

function native(name, scenario) {
  const file = join(dir, `${name.replace(/\W+/g, "-")}.json`);
  return writeFile(file, JSON.stringify(scenario)).then(() =>
    JSON.parse(execFileSync(QUORUM, ["run", "--scenario", file, "--json"], { encoding: "utf8" })));
}

function wasm(scenario) {
  return page.evaluate(async (json) => {
    const m = await import("./release/quorum_bench_wasm.js");
    await m.default();
    return JSON.parse(m.replay(json));
  }, JSON.stringify(scenario));
}

test("every scenario runs to the same trace natively and in wasm", async () => {
  const all = await scenarios();
  assert.ok(Object.keys(all).length >= 8, "the presets are found");
  const hashes = new Set();
  for (const [name, scenario] of Object.entries(all)) {
    const [n, w] = [await native(name, scenario), await wasm(scenario)];
    delete n.peak_memory;
    assert.ok(n.events > 20, `${name}: the run did something (${n.events} events)`);
    assert.deepEqual(w, n, `${name}: wasm and native runs differ`);
    hashes.add(n.trace_hash);
  }
  assert.equal(hashes.size, Object.keys(all).length, "different scenarios give different traces");
});

test("a scenario that differs only in its seed runs differently in both", async () => {
  const base = GENERATED["faults-and-every-distribution"];
  const other = { ...base, seed: base.seed + 1 };
  const [a, b] = [await wasm(base), await wasm(other)];
  assert.notEqual(a.trace_hash, b.trace_hash);
  assert.equal((await native("other-seed", other)).trace_hash, b.trace_hash);
});

test("a malformed scenario is refused in wasm with the native message", async () => {
  const bad = '{"version":1,"seed":1,"config":{"n":3,"w":4}}';
  const message = await page.evaluate(async (bad) => {
    const m = await import("./release/quorum_bench_wasm.js");
    await m.default();
    try {
      m.replay(bad);
      return null;
    } catch (e) {
      return String(e.message ?? e);
    }
  }, bad);
  assert.match(message ?? "", /W must be/);
  const file = join(dir, "bad.json");
  await writeFile(file, bad);
  const cli = spawnSync(QUORUM, ["run", "--scenario", file], { encoding: "utf8" });
  assert.equal(cli.status, 2);
  assert.ok(cli.stderr.includes(message), `${cli.stderr} should include ${message}`);
});
