// Page performance benchmark (not a test): frame times and memory of the
// release build in headless Chromium under load.
//
//   node scripts/bench-page.mjs [--seconds 60] [--runs 3] [--speed STEP]
//
// Load: N = 9, W = 5, a 50 ops/s workload of writes and strong reads, 450 ms
// latency with exponential jitter, so that 100+ messages are in flight.
// Reports, per run and as the median over runs: animation-frame intervals
// (p50/p95/p99, ms), messages drawn in flight (median, min), and the growth
// of the JS heap and of the wasm linear memory between the end of a warm-up
// and the end of the run. Needs a release build in dist/ (scripts/build.sh).
import { serveDist, launch, DESKTOP } from "../tests/e2e/harness.mjs";

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const SECONDS = arg("seconds", 60);
const RUNS = arg("runs", 3);
const SPEED = arg("speed", 6); // the Speed slider's step: 6 is 1x

const scenario = {
  version: 1,
  seed: 7,
  config: { n: 9, w: 5, r: 1, latency_ms: 450, jitter: { dist: { kind: "exponential", rate: 0.02 } } },
  workload: {
    clients: 10, ops_per_sec: 50, read_fraction: 0.6, delete_fraction: 0.05, keys: 8,
    levels: [["eventual", 1], ["strong", 1]],
  },
};
const query = "?s=" + Buffer.from(JSON.stringify(scenario)).toString("base64url");

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const median = (xs) => pct(xs, 50);
const mb = (b) => (b / 1e6).toFixed(1);

async function run(browser, url) {
  const context = await browser.newContext({ viewport: DESKTOP });
  const page = await context.newPage();
  // Keep a handle on the wasm memory as the page instantiates its module.
  await page.addInitScript(() => {
    const keep = (r) => {
      const mem = (r.instance ?? r).exports?.memory;
      if (mem) window.__wasmMemory = mem;
      return r;
    };
    const { instantiate, instantiateStreaming } = WebAssembly;
    WebAssembly.instantiate = (...a) => instantiate(...a).then(keep);
    WebAssembly.instantiateStreaming = (...a) => instantiateStreaming(...a).then(keep);
  });
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(url);
  await page.getByRole("heading", { name: /^The cluster: 9 nodes/ }).waitFor();
  const notice = await page.locator(".cluster").getByRole("status").count();
  if (notice) throw new Error(`the page did not take the scenario: ${await page.locator(".cluster").getByRole("status").textContent()}`);
  await page.getByRole("slider", { name: "Speed" }).fill(String(SPEED));
  const memory = () =>
    page.evaluate(() => ({ heap: performance.memory.usedJSHeapSize, wasm: window.__wasmMemory?.buffer.byteLength ?? NaN }));
  await page.waitForTimeout(5000); // warm-up: a leader, a full pipeline
  const before = await memory();
  const sample = await page.evaluate(async (seconds) => {
    const frames = [];
    const inFlight = [];
    const drawn = [];
    let last = performance.now();
    const end = last + seconds * 1000;
    await new Promise((done) => {
      const tick = (now) => {
        frames.push(now - last);
        last = now;
        if (frames.length % 30 === 0) {
          inFlight.push(document.querySelectorAll(".sprite").length);
          drawn.push(document.querySelectorAll(".timeline-svg .arrow").length);
        }
        if (now < end) requestAnimationFrame(tick);
        else done();
      };
      requestAnimationFrame(tick);
    });
    return { frames: frames.slice(1), inFlight, drawn };
  }, SECONDS);
  const after = await memory();
  await context.close();
  if (errors.length) throw new Error(errors.join("; "));
  return {
    p50: pct(sample.frames, 50), p95: pct(sample.frames, 95), p99: pct(sample.frames, 99),
    frames: sample.frames.length,
    inFlight: median(sample.inFlight), inFlightMin: Math.min(...sample.inFlight),
    drawn: median(sample.drawn), drawnMin: Math.min(...sample.drawn),
    heapGrowth: after.heap - before.heap, wasmGrowth: after.wasm - before.wasm,
    heap: after.heap, wasm: after.wasm,
  };
}

const server = await serveDist();
const browser = await launch();
const results = [];
try {
  for (let i = 0; i < RUNS; i++) {
    const r = await run(browser, server.url + query);
    results.push(r);
    console.log(
      `run ${i + 1}: ${r.frames} frames, interval p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms; ` +
        `in flight median ${r.inFlight} (min ${r.inFlightMin}); timeline arrows median ${r.drawn} (min ${r.drawnMin}); JS heap ${mb(r.heap)} MB (${mb(r.heapGrowth)} MB growth), wasm ${mb(r.wasm)} MB (${mb(r.wasmGrowth)} MB growth)`,
    );
  }
} finally {
  await browser.close();
  await server.close();
}
const m = (k) => median(results.map((r) => r[k]));
console.log(
  `median of ${RUNS} runs of ${SECONDS} s at speed step ${SPEED}: frame interval p95 ${m("p95").toFixed(1)} ms, p99 ${m("p99").toFixed(1)} ms; ` +
    `${m("inFlight")} messages in flight, ${m("drawn")} arrows in the timeline; JS heap growth ${mb(m("heapGrowth"))} MB, wasm memory growth ${mb(m("wasmGrowth"))} MB`,
);
