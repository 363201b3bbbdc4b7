// The quorum map's speed (not a test): how long the lesson worker takes to
// run every W and R for N = 5 (25 runs of 400 operations), as a learner
// waits for it in the page, in headless Chromium.
//
//   node scripts/bench-map.mjs [--runs 7]
//
// Each run changes the faults (none, a crash, a partition, in turn) and
// times from the click to the new grid; the first map, which also loads the
// worker, is not counted. Prints every time and the median. Needs a release
// build in dist/ (scripts/build.sh).
import { serveDist, launch, openPage } from "../tests/e2e/harness.mjs";

const i = process.argv.indexOf("--runs");
const RUNS = i > 0 ? Number(process.argv[i + 1]) : 7;
const server = await serveDist();
const browser = await launch();
const { page, close } = await openPage(browser, server.url);
await page.getByRole("slider", { name: "Nodes (N)" }).fill("5");
await page.getByRole("button", { name: "Lessons" }).click();
await page.getByRole("button", { name: "Exercise 3: the quorum map" }).click();
const grid = page.getByRole("grid", { name: "Quorum map" });
await grid.waitFor({ timeout: 60_000 });
const faults = ["a minority cut off from 3 s to 6 s", "node-1 down from 3 s to 6 s", "no faults"];
const times = [];
for (let run = 0; run < RUNS; run++) {
  const label = faults[run % faults.length];
  const started = await page.evaluate(() => performance.now());
  await page.getByRole("group", { name: "Faults" }).getByRole("button", { name: label }).click();
  await page.waitForFunction(
    (label) => document.querySelector(`.map-controls [aria-pressed="true"][data-do*=":${label}:"]`) && !document.querySelector(".lesson-busy"),
    ["partition", "crash", "none"][run % 3],
    { timeout: 60_000 },
  );
  const ms = (await page.evaluate(() => performance.now())) - started;
  times.push(ms);
  console.log(`map ${run + 1} (${label}): ${ms.toFixed(0)} ms`);
}
times.sort((a, b) => a - b);
console.log(`median over ${RUNS}: ${times[Math.floor(RUNS / 2)].toFixed(0)} ms for 25 cells (N = 5)`);
await close();
await browser.close();
await server.close();
