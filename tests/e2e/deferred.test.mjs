// The first paint downloads only what it needs: the analysis worker comes
// after, when the page first asks for an analysis; if it cannot load, the
// panel that needed it says so and everything else goes on.
import { test } from "node:test";
import assert from "node:assert/strict";
import { suite } from "./harness.mjs";

const { open, raw } = suite();

const pbsSummary = (page) => page.getByRole("region", { name: "Live statistics" }).getByTestId("pbs-summary");

test("nothing of the deferred set is fetched before Pause is ready, and the PBS curve still comes", async () => {
  const requests = [];
  const { page, problems, close } = await raw("", { requests });
  try {
    await page.getByRole("button", { name: "Pause" }).waitFor();
    const ready = Date.now();
    const early = requests.filter((r) => r.at <= ready && /analysis-worker/.test(r.url));
    assert.deepEqual(early.map((r) => r.url), [], "the worker was fetched before the page was ready");
    // Asked for by the statistics panel, it comes just after.
    await pbsSummary(page).filter({ hasText: /R \+ W ≤ N/ }).waitFor({ timeout: 20_000 });
    const later = requests.filter((r) => /analysis-worker/.test(r.url)).map((r) => r.url.replace(/^.*\//, ""));
    assert.deepEqual(later.sort(), ["analysis-worker.js", "analysis-worker_bg.wasm"]);
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});

test("a worker that cannot load leaves a plain message in its panel and the rest of the page working", async () => {
  const { page, problems, close } = await raw("", {
    route: ["**/analysis-worker*", (route) => route.fulfill({ status: 404, body: "gone" })],
  });
  try {
    await pbsSummary(page).filter({ hasText: /could not be computed/ }).waitFor({ timeout: 30_000 });
    assert.match(await pbsSummary(page).textContent(), /Everything else on the page works/);
    // The page goes on: a leader is elected and a write is acknowledged.
    await page.locator(".cluster .node.leader").waitFor();
    await page.getByRole("button", { name: "Send" }).first().click();
    await page.locator(".client-card .badge.fresh").first().waitFor({ timeout: 20_000 });
    await page.getByRole("button", { name: "Pause" }).click();
    await page.getByRole("button", { name: "Play" }).waitFor();
    const unexpected = problems.filter((p) => !/analysis-worker|404/.test(p));
    assert.deepEqual(unexpected, []);
  } finally {
    await close();
  }
});

test("a worker that dies at start says why in its panel", async () => {
  const { page, problems, close } = await raw("", {
    route: ["**/analysis-worker.js", (route) => route.fulfill({ contentType: "text/javascript", body: "throw new Error('boom');" })],
  });
  try {
    await pbsSummary(page).filter({ hasText: /could not be computed: the analysis worker stopped: .*boom/ }).waitFor({ timeout: 30_000 });
    await page.locator(".cluster .node.leader").waitFor();
    assert.deepEqual(problems.filter((p) => !/boom/.test(p)), []);
  } finally {
    await close();
  }
});
