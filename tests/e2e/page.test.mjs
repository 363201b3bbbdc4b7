// The first screen, driven in headless Chromium against the release build
// served below a sub-path.
import { test } from "node:test";
import assert from "node:assert/strict";
import { suite, PHONE } from "./harness.mjs";

const { open } = suite();

const nodes = (page) => page.locator(".cluster .node");

test("the page loads below a sub-path and draws the course's 3-node cluster", async () => {
  const page = await open();
  assert.equal(await page.title(), "Consistency Playground");
  assert.equal(await nodes(page).count(), 3);
  assert.deepEqual(
    await nodes(page).locator(".node-name").allTextContents(),
    ["node-1", "node-2", "node-3"],
  );
  for (const [name, value] of [
    ["Nodes (N)", "3"],
    ["Write quorum (W)", "2"],
    ["Read quorum (R)", "1"],
    ["Latency (ms)", "50"],
  ]) {
    assert.equal(await page.getByRole("slider", { name }).inputValue(), value, name);
  }
});

test("dragging the N slider with the mouse redraws the ring", async () => {
  const page = await open();
  const slider = page.getByRole("slider", { name: "Nodes (N)" });
  const box = await slider.boundingBox();
  await page.mouse.move(box.x + 4, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width - 2, box.y + box.height / 2, { steps: 8 });
  await page.mouse.up();
  assert.equal(await slider.inputValue(), "9");
  assert.equal(await nodes(page).count(), 9);
  await page.getByRole("heading", { name: "The cluster: 9 nodes" }).waitFor();
});

test("shrinking N pulls W and R down with a visible note", async () => {
  const page = await open();
  const n = page.getByRole("slider", { name: "Nodes (N)" });
  const w = page.getByRole("slider", { name: "Write quorum (W)" });
  const r = page.getByRole("slider", { name: "Read quorum (R)" });
  await n.focus();
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  await w.focus();
  await page.keyboard.press("End");
  await r.focus();
  await page.keyboard.press("End");
  assert.deepEqual([await w.inputValue(), await r.inputValue()], ["5", "5"]);
  await n.focus();
  await page.keyboard.press("Home");
  assert.deepEqual(
    [await n.inputValue(), await w.inputValue(), await r.inputValue()],
    ["1", "1", "1"],
  );
  const note = page.locator(".cluster").getByRole("status");
  assert.match(await note.textContent(), /W from 5 to 1 and R from 5 to 1/);
});

test("moving W and R changes the quorum summary", async () => {
  const page = await open();
  const summary = page.getByTestId("quorum-summary");
  // The course's compose file: W = 2, R = 1, so quorums need not overlap.
  assert.match(await summary.textContent(), /R \+ W = 3 ≤ N = 3/);
  assert.match(await summary.textContent(), /never reached/);
  await page.getByRole("slider", { name: "Read quorum (R)" }).focus();
  await page.keyboard.press("ArrowRight");
  assert.match(await summary.textContent(), /R \+ W = 4 > N = 3/);
  assert.match(await summary.textContent(), /share at least 1 node/);
  await page.getByRole("slider", { name: "Write quorum (W)" }).focus();
  await page.keyboard.press("Home");
  assert.match(await summary.textContent(), /R \+ W = 3 ≤ N = 3/);
});

test("the phone layout puts the cluster first and never scrolls sideways", async () => {
  const page = await open("", { viewport: PHONE });
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - window.innerWidth,
  );
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone`);
  const cluster = await page.locator(".cluster").boundingBox();
  const controls = await page.locator(".controls").boundingBox();
  assert.ok(cluster.y < controls.y, "the cluster comes before the controls");
  const slider = await page.getByRole("slider", { name: "Nodes (N)" }).boundingBox();
  assert.ok(slider.height >= 44, `slider touch target is ${slider.height}px tall`);
});
