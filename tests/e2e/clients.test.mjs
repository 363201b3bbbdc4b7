// The clients area: the course's Client 1 and Client 2 against the live
// simulation, with verdict badges computed by the engine's checker.
import { test } from "node:test";
import assert from "node:assert/strict";
import { suite, electLeader, runTo, simTime, PHONE } from "./harness.mjs";

const { open } = suite();

const speed = (page) => page.getByRole("slider", { name: "Speed" });

export const client = (page, i) => page.getByRole("region", { name: `Client ${i}`, exact: true });

/** Sets client `i`'s form and sends; returns its newest result row. */
export async function send(page, i, { node, op, key, value, level }) {
  const card = client(page, i);
  if (op) await card.getByLabel("Method").selectOption(op);
  if (node) await card.getByLabel("Node").selectOption(String(node));
  if (key) await card.getByLabel("Key").fill(key);
  if (value) await card.getByLabel("Value").fill(value);
  if (level) await card.getByLabel("Consistency").selectOption(level);
  const before = await card.locator(".result").count();
  await card.getByRole("button", { name: "Send" }).click();
  await card.locator(".result").nth(before).waitFor();
  return card.locator(".result").first();
}

/** Runs fast until `row` has a verdict, then slows down again. */
async function verdict(page, row) {
  await speed(page).fill("9");
  await row.locator(".badge:not(.pending)").first().waitFor();
  await speed(page).fill("3");
  return (await row.locator(".badge").allTextContents()).join(" | ");
}

/** The course's weakest setting (W = 1) on a slow network. */
export async function weakAndSlow(page) {
  await page.getByRole("slider", { name: "Write quorum (W)" }).fill("1");
  await page.getByRole("slider", { name: "Latency (ms)" }).fill("200");
}

test("a follower's immediate eventual read is stale; a strong read with R + W > N is fresh", async () => {
  const page = await open();
  const leader = await electLeader(page);
  const follower = (leader % 3) + 1;
  await weakAndSlow(page);
  const write = await send(page, 1, { node: leader, op: "put", key: "name", value: "Alice" });
  // W = 1: the leader acknowledges at once, in slow motion still.
  assert.equal(await write.locator(".badge.fresh").textContent(), "acknowledged");
  const read = await send(page, 2, { node: follower, op: "get", key: "name", level: "eventual" });
  const stale = read.locator(".badge.stale");
  await stale.waitFor();
  assert.match(await stale.textContent(), /^stale: 1 version \/ \d+ ms behind$/);
  assert.match(await read.textContent(), /got \(not found\)/);

  await page.getByRole("slider", { name: "Read quorum (R)" }).fill("3");
  await send(page, 1, { value: "Bob" });
  const strong = await send(page, 2, { level: "strong" });
  assert.equal(await verdict(page, strong), "fresh");
  assert.match(await strong.textContent(), /got Bob/);
  assert.match(await strong.textContent(), /\d+ ms/);
});

test("a write to a follower gets 503 naming the leader, and is retried there when asked", async () => {
  const page = await open();
  const leader = await electLeader(page);
  const follower = (leader % 3) + 1;
  // The follower learns who leads from the leader's first heartbeat.
  await runTo(page, (await simTime(page)) + 0.3);
  const row = await send(page, 1, { node: follower, op: "put", key: "name", value: "Alice" });
  assert.equal(await verdict(page, row), `503 not the leader: node-${leader} leads`);
  await client(page, 1).getByLabel(/Retry a 503 at the leader/).check();
  await client(page, 1).getByRole("button", { name: "Send" }).click();
  const rows = client(page, 1).locator(".result");
  await rows.nth(2).waitFor();
  assert.match(await rows.nth(1).textContent(), new RegExp(`retried at node-${leader}`));
  assert.equal(await verdict(page, rows.first()), "acknowledged");
});

test("the workload generator starts and stops, and on a phone the clients share one place as tabs", async () => {
  const page = await open("", { viewport: PHONE });
  const start = page.getByRole("button", { name: "Start" });
  await start.click();
  await page.getByRole("button", { name: "Stop" }).click();
  await start.waitFor();
  assert.ok(await client(page, 1).isVisible());
  assert.ok(!(await client(page, 2).isVisible()), "one client at a time");
  const top = (i) => client(page, i).evaluate((el) => Math.round(el.getBoundingClientRect().top + window.scrollY));
  const one = await top(1);
  await page.getByRole("tab", { name: "Client 2" }).click();
  assert.equal(await page.getByRole("tab", { name: "Client 2" }).getAttribute("aria-selected"), "true");
  assert.equal(await top(2), one, "Client 2 takes Client 1's place");
  await page.getByRole("tab", { name: "Client 2" }).press("ArrowLeft");
  assert.equal(await page.getByRole("tab", { name: "Client 1" }).getAttribute("aria-selected"), "true");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone`);
  const send = await client(page, 1).getByRole("button", { name: "Send" }).boundingBox();
  assert.ok(send.height >= 44, `Send is ${send.height}px tall`);
});
