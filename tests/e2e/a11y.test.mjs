// Accessibility: axe-core finds nothing in the four views a learner sees
// (desktop, phone, help open, dark theme); the keyboard meets the page in
// the order the eye does; dialogs keep focus; a focused node shows it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { suite, axeViolations, PHONE } from "./harness.mjs";

const { open } = suite();

/** A page with something on every panel: a leader, a write, a stale read. */
async function busy(page) {
  await page.locator(".cluster .node.leader").waitFor();
  await page.getByRole("button", { name: "Send" }).first().click();
  await page.waitForTimeout(300);
}

test("axe finds no violations on the desktop page", async () => {
  const page = await open();
  await busy(page);
  assert.deepEqual(await axeViolations(page), []);
});

test("axe finds no violations on a phone", async () => {
  const page = await open("", { viewport: PHONE });
  await busy(page);
  assert.deepEqual(await axeViolations(page), []);
});

test("axe finds no violations with the help dialog open", async () => {
  const page = await open();
  await page.keyboard.press("?");
  await page.getByRole("dialog", { name: "How to use the playground" }).waitFor();
  assert.deepEqual(await axeViolations(page), []);
});

test("axe finds no violations in the dark theme", async () => {
  const page = await open("", { colorScheme: "dark" });
  await busy(page);
  assert.deepEqual(await axeViolations(page), []);
});

test("the axe check itself finds a problem when there is one", async () => {
  const page = await open();
  await page.evaluate(() => document.querySelector(".runbar").append(Object.assign(document.createElement("button"), { className: "unnamed" })));
  const found = await axeViolations(page);
  assert.ok(found.some((v) => v.startsWith("button-name")), found.join("\n"));
});

test("Tab visits the page in reading order: top bar, run bar, cluster, clients, settings", async () => {
  const page = await open();
  const regions = [];
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press("Tab");
    const where = await page.evaluate(() => {
      const el = document.activeElement;
      const region = el.closest("header, [aria-label=Run], .cluster, .clients, .controls");
      return region ? (region.matches("header") ? "top" : region.getAttribute("aria-label") === "Run" ? "run"
        : region.classList.contains("cluster") ? "cluster" : region.classList.contains("clients") ? "clients" : "settings") : "other";
    });
    if (regions.at(-1) !== where) regions.push(where);
  }
  const order = ["top", "run", "cluster", "clients", "settings"];
  assert.deepEqual(regions.filter((r) => r !== "other").slice(0, order.length), order);
});

test("a focused node shows a visible ring, and Enter crashes it", async () => {
  const page = await open();
  const node = page.getByRole("button", { name: /^node-2,/ });
  await node.focus();
  await page.keyboard.press("Tab");
  await page.keyboard.press("Shift+Tab");
  const ring = page.locator(".cluster .node").nth(1).locator(".focus-ring");
  assert.equal(await ring.evaluate((el) => getComputedStyle(el).opacity), "1");
  await page.keyboard.press("Enter");
  await page.locator(".cluster .node.crashed").waitFor();
});

test("the help dialog keeps focus until it is closed", async () => {
  const page = await open();
  const help = page.getByRole("button", { name: "Help and keyboard shortcuts" });
  await help.click();
  const dialog = page.getByRole("dialog", { name: "How to use the playground" });
  await dialog.waitFor();
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press(i % 2 ? "Shift+Tab" : "Tab");
    assert.ok(await page.evaluate(() => !!document.activeElement.closest("[role=dialog]")), `focus escaped on press ${i + 1}`);
  }
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "detached" });
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute("aria-label")), "Help and keyboard shortcuts");
});
