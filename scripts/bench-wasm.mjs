// The engine benchmark compiled to wasm and run in headless Chromium, beside
// the native criterion run (cargo bench -p quorum-sim --bench engine): the
// same cases from quorum_sim::bench_cases, 100,000 events per batch, counted
// as trace events and as queue events.
//
//   node scripts/bench-wasm.mjs [--batches 15]
//
// Builds crates/bench-wasm twice: with the speed profile (`fast`, opt-level 3)
// and with the page's size profile (`release`, opt-level z), since the page
// ships the latter. Prints the median events/s per case and profile.
import { serveDist, launch } from "../tests/e2e/harness.mjs";
import { buildEngineWasm, ENGINE_WASM_DIR } from "../tests/e2e/engine-wasm.mjs";

const i = process.argv.indexOf("--batches");
const BATCHES = i > 0 ? Number(process.argv[i + 1]) : 15;

await buildEngineWasm(["fast", "release"]);
const server = await serveDist(ENGINE_WASM_DIR);
const browser = await launch();
try {
  const page = await browser.newPage();
  await page.goto(server.url);
  for (const profile of ["fast", "release"]) {
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
} finally {
  await browser.close();
  await server.close();
}
