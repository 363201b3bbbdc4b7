// The engine benchmarks compiled to wasm and run in headless Chromium,
// beside the native criterion runs:
// * engine: the cases of quorum_sim::bench_cases (cargo bench -p quorum-sim
//   --bench engine), 100,000 events per batch, counted as trace events and
//   as queue events; prints the median events/s;
// * seek: time travel in the ten-minute run of bench_cases::faulty_timeline
//   (cargo bench -p quorum-sim --bench seek), 200 targets x 3 rounds, for
//   several checkpoint spacings; prints p50/p95/max per seek and how much
//   the wasm memory grew to hold the run (a fresh page, so a fresh memory,
//   per spacing).
//
//   node scripts/bench-wasm.mjs [--batches 15] [--only engine|seek]
//
// Builds crates/bench-wasm twice: with the speed profile (`fast`, opt-level 3)
// and with the page's size profile (`release`, opt-level z), since the page
// ships the latter.
import { serveDist, launch } from "../tests/e2e/harness.mjs";
import { buildEngineWasm, ENGINE_WASM_DIR } from "../tests/e2e/engine-wasm.mjs";

const option = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const BATCHES = Number(option("--batches", 15));
const ONLY = option("--only", "all");
const PROFILES = ["fast", "release"];
// [every ms, at most]: the default first, as in the native table.
const SPACINGS = [[2000, 64], [2000, 32], [1000, 64], [5000, 16], [10000, 8]];
const quantile = (sorted, q) => sorted[Math.round((sorted.length - 1) * q)];

async function engine(browser) {
  const page = await browser.newPage();
  await page.goto(server.url);
  for (const profile of PROFILES) {
    for (const name of ["course", "dense"]) {
      for (const traceEvents of [true, false]) {
        const rates = await page.evaluate(async ({ profile, name, batches, traceEvents }) => {
          const m = await import(`./${profile}/quorum_bench_wasm.js`);
          await m.default();
          const bench = new m.Bench(name);
          bench.run(100_000, traceEvents); // warm-up
          const rates = [];
          for (let b = 0; b < batches; b++) {
            const t0 = performance.now();
            bench.run(100_000, traceEvents);
            rates.push(100_000 / ((performance.now() - t0) / 1000));
          }
          return rates;
        }, { profile, name, batches: BATCHES, traceEvents });
        rates.sort((a, b) => a - b);
        const median = rates[Math.floor(rates.length / 2)];
        const count = traceEvents ? "trace" : "queue";
        console.log(`wasm ${profile.padEnd(7)} ${name.padEnd(6)} ${count} events: median ${(median / 1e6).toFixed(2)} M/s over ${BATCHES} batches of 100,000 (min ${(rates[0] / 1e6).toFixed(2)}, max ${(rates.at(-1) / 1e6).toFixed(2)})`);
      }
    }
  }
  await page.close();
}

async function seek(browser) {
  for (const profile of PROFILES) {
    for (const [everyMs, most] of SPACINGS) {
      const page = await browser.newPage();
      await page.goto(server.url);
      const r = await page.evaluate(async ({ profile, everyMs, most }) => {
        const m = await import(`./${profile}/quorum_bench_wasm.js`);
        const { memory } = await m.default();
        const before = memory.buffer.byteLength;
        const t0 = performance.now();
        const seek = new m.Seek(everyMs, most);
        const build = performance.now() - t0;
        const grown = memory.buffer.byteLength - before;
        for (let i = 0; i < 20; i++) seek.seek(i); // warm-up
        const times = [];
        for (let round = 0; round < 3; round++) {
          for (let i = 0; i < seek.targets(); i++) {
            const t = performance.now();
            seek.seek(i);
            times.push(performance.now() - t);
          }
        }
        return { times, build, grown, checkpoints: seek.checkpoints() };
      }, { profile, everyMs, most });
      const times = r.times.sort((a, b) => a - b);
      console.log(`wasm ${profile.padEnd(7)} seek, every ${String(everyMs / 1000).padStart(2)} s, at most ${String(most).padStart(2)}: ${r.checkpoints} checkpoints, memory +${(r.grown / 1e6).toFixed(1)} MB, run built in ${(r.build / 1000).toFixed(2)} s; seek p50 ${quantile(times, 0.5).toFixed(2)} ms, p95 ${quantile(times, 0.95).toFixed(2)} ms, max ${times.at(-1).toFixed(2)} ms over ${times.length}`);
      await page.close();
    }
  }
}

await buildEngineWasm(PROFILES);
const server = await serveDist(ENGINE_WASM_DIR);
const browser = await launch();
try {
  if (ONLY !== "seek") await engine(browser);
  if (ONLY !== "engine") await seek(browser);
} finally {
  await browser.close();
  await server.close();
}
