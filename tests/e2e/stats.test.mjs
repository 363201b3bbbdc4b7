// The statistics panel: live figures from the running cluster and the PBS
// curve following the quorum sliders.
import { test } from "node:test";
import assert from "node:assert/strict";
import { suite, PHONE } from "./harness.mjs";

const { open } = suite();

const stats = (page) => page.getByRole("region", { name: "Live statistics" });
const figure = (page, id) => stats(page).getByTestId(id);

/** Runs the simulation at the Speed slider's top speed for `ms` of wall time. */
async function runFast(page, ms = 1500) {
  const speed = page.getByRole("slider", { name: "Speed" });
  await speed.fill(await speed.getAttribute("max"));
  await page.waitForTimeout(ms);
}

test("the panel counts elections and messages as the cluster runs", async () => {
  const page = await open();
  await stats(page).getByRole("heading", { name: "Live statistics" }).waitFor();
  await runFast(page);
  const elections = Number(await figure(page, "elections").textContent());
  assert.ok(elections >= 1, `elections: ${elections}`);
  const sent = await figure(page, "messages").textContent();
  assert.match(sent, /^[1-9][\d\u2009]* sent$/);
  // No client has read yet: the percentages say so rather than show 0 %.
  assert.equal(await figure(page, "stale-reads").textContent(), "–");
  assert.equal(await figure(page, "lost-writes").textContent(), "0");
  // The chart over time marks the election it saw.
  const timeline = stats(page).getByRole("img", { name: "Stale reads and availability over simulated time" });
  assert.ok((await timeline.locator(".event").count()) >= 1);
  assert.match(await timeline.locator("desc").textContent(), /elections/);
});

/** The PBS summary once the worker's curve for the current settings shows. */
async function summaryMatching(page, pattern) {
  const summary = stats(page).getByTestId("pbs-summary");
  await summary.filter({ hasText: pattern }).waitFor({ timeout: 20_000 });
  return summary.textContent();
}

test("the PBS curve follows R: partial quorums get a curve, R + W > N is always consistent", async () => {
  const page = await open();
  const curve = stats(page).getByRole("img", { name: /PBS/ });
  // The course's cluster: N = 3, W = 2, R = 1, with its disk jitter.
  assert.doesNotMatch(await summaryMatching(page, /R \+ W ≤ N/), /always consistent/);

  // Jitter makes the partial quorum's curve rise, with its 99.9 % point marked.
  await page.getByRole("slider", { name: "Latency (ms)" }).fill("0");
  await page.getByRole("combobox", { name: "Jitter" }).selectOption({ label: "Exponential" });
  await page.getByRole("slider", { name: "Write quorum (W)" }).fill("1");
  await summaryMatching(page, /p = \d+\.\d %; p reaches 99\.9 % at t = [\d.]+ ms/);
  assert.equal(await curve.locator(".mark").count(), 1);
  assert.match(await curve.locator(".mark text").textContent(), /^99\.9 % at [\d.]+ ms$/);
  assert.match(await stats(page).textContent(), /4\u2009000 Monte Carlo trials/);

  await page.getByRole("slider", { name: "Read quorum (R)" }).fill("3");
  assert.match(
    await summaryMatching(page, /R \+ W = 4 > N = 3: reads are always consistent/),
    /the curve is 1 \(100 %\) everywhere/,
  );
  assert.equal(await curve.locator(".mark").count(), 0);
  assert.match(await curve.locator("desc").textContent(), /always consistent/);
});

test("the panel stacks on a phone without sideways scrolling", async () => {
  const page = await open("", { viewport: PHONE });
  await runFast(page, 800);
  await stats(page).scrollIntoViewIfNeeded();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the phone`);
  const boxes = await stats(page).locator(".chart svg").evaluateAll((svgs) =>
    svgs.map((s) => s.getBoundingClientRect().toJSON()),
  );
  assert.equal(boxes.length, 2);
  assert.ok(boxes[1].top >= boxes[0].bottom, "the two charts are stacked");
  for (const b of boxes) assert.ok(b.width >= 300 && b.right <= 390, JSON.stringify(b));
});
