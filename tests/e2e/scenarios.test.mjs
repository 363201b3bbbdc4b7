// Presets, links, sharing, embedding, shortcuts and faults, driven in
// headless Chromium against the release build below a sub-path.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { suite, simTime, runTo, PHONE } from "./harness.mjs";

const PRESETS = readdirSync(new URL("../../presets", import.meta.url))
  .map((f) => JSON.parse(readFileSync(new URL(`../../presets/${f}`, import.meta.url), "utf8")));

const { open, settle, raw } = suite();

const leaderName = (page) => page.locator(".node.leader .node-name").textContent();

test("every preset link loads its scenario and tells its story", async () => {
  assert.equal(PRESETS.length, 6);
  for (const p of PRESETS) {
    const page = await open(`?preset=${p.id}`);
    await page.getByTestId("story").getByRole("heading", { name: p.title }).waitFor();
    assert.equal(await page.getByRole("combobox", { name: "Scenario preset" }).inputValue(), p.id);
    assert.equal(await page.locator(".cluster .node").count(), p.scenario.config.n ?? 3, p.id);
    await settle(p.id);
  }
});

test("choosing a preset from the menu loads it and puts it in the address", async () => {
  const page = await open();
  await page.getByRole("combobox", { name: "Scenario preset" }).selectOption("partition-split");
  await page.getByTestId("story").getByRole("heading", { name: "Partition with split quorums" }).waitFor();
  assert.equal(await page.locator(".cluster .node").count(), 5);
  assert.match(new URL(page.url()).search, /preset=partition-split/);
});

test("malformed links fall back to the defaults with a visible notice", async () => {
  for (const [query, says] of [
    ["?s=%25%25not-base64", /could not be used/],
    ["?preset=no-such-thing", /no preset called/],
    ["?s=eyJ2ZXJzaW9uIjo5fQ", /made for scenario version 9/],
  ]) {
    const page = await open(query);
    assert.match(await page.locator(".cluster").getByRole("status").textContent(), says, query);
    assert.equal(await page.locator(".cluster .node").count(), 3);
    await settle(query);
  }
});

test("the address holds the run: opening it replays the learner's crash", async () => {
  const page = await open();
  await runTo(page, 1.5);
  await page.locator(".node").filter({ hasText: "node-2" }).click();
  const url = page.url();
  assert.match(new URL(url).search, /s=/);
  const replay = await raw(url);
  try {
    await runTo(replay.page, 3);
    const node2 = replay.page.locator(".node").filter({ hasText: "node-2" });
    assert.match(await node2.getAttribute("class"), /crashed/);
    assert.deepEqual(replay.problems, []);
  } finally {
    await replay.close();
  }
});

test("crashing the leader puts a new leader on screen", async () => {
  const page = await open();
  await runTo(page, 1.5);
  const first = await leaderName(page);
  await page.locator(".node.leader").click();
  await page.locator(".node.crashed").waitFor();
  const t = await simTime(page);
  await runTo(page, t + 2);
  const second = await leaderName(page);
  assert.notEqual(second, first);
  assert.match(await page.locator(".node.crashed .node-name").textContent(), new RegExp(first));
});

test("a partition leaves the minority leader unable to reach W = 3 of 5", async () => {
  const page = await open("?preset=partition-split");
  await runTo(page, 3.2);
  // node-4 led before the cut; it logged Bob but can never commit it.
  const node4 = page.locator(".node").filter({ hasText: "node-4" });
  const log = await node4.locator(".node-log").textContent();
  const [, last, commit] = /log (\d+) · commit (\d+)/.exec(log).map(Number);
  assert.ok(last > commit, `node-4 ${log}: an entry it cannot commit`);
  // Two crowns: node-4 still believes it leads term 1; the majority's
  // leader holds a later term.
  const leaders = await page.locator(".node.leader").evaluateAll((els) =>
    els.map((e) => [e.querySelector(".node-name").textContent, Number(/term (\d+)/.exec(e.textContent)[1])]),
  );
  const newest = leaders.reduce((a, b) => (b[1] > a[1] ? b : a));
  assert.ok(["node-1", "node-2", "node-3"].includes(newest[0]), `the majority elected: ${JSON.stringify(leaders)}`);
  assert.equal(await page.locator(".link.cut").count(), 6, "2 × 3 links cut");
});

test("Space pauses and plays, '.' steps, '?' opens help and Esc closes it", async () => {
  const page = await open();
  const playPause = page.getByRole("button", { name: /^(Pause|Play)$/ });
  await page.locator("body").click({ position: { x: 5, y: 5 } });
  await page.keyboard.press("Space");
  assert.equal(await playPause.textContent(), "Play");
  const t = await simTime(page);
  await page.waitForTimeout(300);
  assert.equal(await simTime(page), t, "paused");
  for (let i = 0; i < 40 && (await simTime(page)) === t; i++) await page.keyboard.press(".");
  assert.ok((await simTime(page)) > t, "steps advance the clock");
  await page.keyboard.press("Space");
  assert.equal(await playPause.textContent(), "Pause");
  await page.keyboard.press("?");
  const dialog = page.getByRole("dialog", { name: "How to use the playground" });
  await dialog.waitFor();
  assert.match(await dialog.textContent(), /Space/);
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "detached" });
});

test("the theme button cycles light, dark and the system's choice", async () => {
  const page = await open("", { colorScheme: "dark" });
  const theme = () => page.evaluate(() => document.documentElement.dataset.theme ?? "system");
  const button = page.getByRole("button", { name: /^Theme:/ });
  assert.equal(await theme(), "system");
  await button.click();
  assert.equal(await theme(), "light");
  const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const light = await bg();
  await button.click();
  assert.equal(await theme(), "dark");
  assert.notEqual(await bg(), light, "dark has its own colours");
  await button.click();
  assert.equal(await theme(), "system");
});

test("embed mode shows only the scenario, with a way out", async () => {
  const page = await open("?preset=leader-crash&embed=1");
  await page.getByTestId("story").waitFor();
  assert.equal(await page.getByRole("heading", { name: "Settings" }).count(), 0);
  assert.equal(await page.locator("header").count(), 0);
  const out = page.getByRole("link", { name: /Open in Consistency Playground/ });
  assert.doesNotMatch(await out.getAttribute("href"), /embed=1/);
  assert.match(await out.getAttribute("href"), /preset=leader-crash/);
});

test("Share offers the link and the embed code", async () => {
  const page = await open("?preset=read-repair");
  await page.getByRole("button", { name: "Share" }).click();
  const panel = page.getByRole("dialog", { name: "Share this run" });
  assert.match(await panel.getByRole("textbox", { name: "Link" }).inputValue(), /preset=read-repair/);
  const code = await panel.getByRole("textbox", { name: "Embed in a course page" }).inputValue();
  assert.match(code, /<iframe src="[^"]*embed=1/);
});

test("the phone layout never scrolls sideways with a preset, share and help open", async () => {
  const page = await open("?preset=partition-split", { viewport: PHONE });
  await page.getByRole("button", { name: "Share" }).click();
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok((await overflow()) <= 0, `${await overflow()}px too wide`);
  await page.getByRole("button", { name: "Help and keyboard shortcuts" }).click();
  assert.ok((await overflow()) <= 0);
});
