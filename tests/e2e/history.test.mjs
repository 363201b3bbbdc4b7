// The run as files and as a judged history: an exported history that
// `quorum check` judges as the page did, the linearizability view (a
// failing window with its reason; an order for a linearizable run), a
// diagram that stands on its own as SVG, scenario files saved and loaded,
// and a history worker that loads only when asked and fails plainly.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite, clientCard, runTo, simTime, axeViolations } from "./harness.mjs";
import { cargo, ROOT } from "./engine-wasm.mjs";

const { open, raw } = suite();
const QUORUM = join(ROOT, "target", "debug", "quorum");
let dir;

before(async () => {
  cargo(["build", "-p", "quorum-cli"]);
  dir = await mkdtemp(join(tmpdir(), "playground-history-"));
});

const history = (page) => page.locator("section.history");

/** Clicks `button` in the history panel and saves the file it offers. */
async function download(page, button, name) {
  const [file] = await Promise.all([
    page.waitForEvent("download"),
    history(page).getByRole("button", { name: button }).click(),
  ]);
  const path = join(dir, name);
  await file.saveAs(path);
  return path;
}

/** The linearizability view's verdict word and reason, once it is in. */
async function checkLinearizability(page) {
  await history(page).getByRole("button", { name: "Check linearizability" }).click();
  const region = page.getByRole("region", { name: "Linearizability" });
  await region.getByTestId("linear-why").waitFor({ timeout: 30_000 });
  return {
    region,
    verdict: await region.getByTestId("linear-verdict").locator(".badge").textContent(),
    why: await region.getByTestId("linear-why").textContent(),
  };
}

/** The statistics panel's stale reads (a count) and lost writes. */
async function figures(page) {
  const stats = page.getByTestId("stats");
  const stale = await stats.locator(".figures > div").filter({ has: page.getByTestId("stale-reads") }).textContent();
  const reads = /(\d+) of (\d+) answered reads/.exec(stale);
  return {
    stale: reads ? Number(reads[1]) : 0,
    lost: Number(await stats.getByTestId("lost-writes").textContent()),
  };
}

// Each preset shows what it is named for, so the comparison is never 0 = 0
// alone: at least `stale` stale reads and `lost` lost writes.
for (const [preset, until, least] of [
  ["stale-follower-read", 2, { stale: 1, lost: 0 }],
  ["w1-lost-write", 6, { stale: 0, lost: 1 }],
  ["partition-split", 6, { stale: 0, lost: 0 }],
]) {
  test(`${preset}: the exported history, judged by quorum check, gives the page's stale reads, lost writes and linearizability`, async () => {
    const page = await open(`?preset=${preset}`);
    await runTo(page, until);
    await page.getByRole("button", { name: "Pause" }).click();
    const shown = await figures(page);
    assert.ok(shown.stale >= least.stale && shown.lost >= least.lost, JSON.stringify(shown));
    const { verdict } = await checkLinearizability(page);
    const path = await download(page, "Export history", `${preset}.jsonl`);
    assert.match(await history(page).getByRole("status").textContent(), /Exported \d+ operations up to t = /);
    const text = await readFile(path, "utf8");
    assert.ok(text.trim().split("\n").length >= 2, text);
    const report = JSON.parse(execFileSync(QUORUM, ["check", path], { encoding: "utf8" }));
    assert.equal(report.stale_reads, shown.stale, `stale reads: ${JSON.stringify(report)}`);
    assert.equal(report.lost_acked_writes, shown.lost, "lost acknowledged writes");
    const word = { true: "linearizable", false: "not linearizable", unknown: "unknown" }[String(report.linearizable)];
    assert.equal(verdict, word);
  });
}

test("a stale read after an acknowledged write shows its failing window and why, in numbers", async () => {
  const page = await open("?preset=stale-follower-read");
  await runTo(page, 2);
  const { region, verdict, why } = await checkLinearizability(page);
  assert.equal(verdict, "not linearizable");
  assert.match(why, /the write of “Alice” was acknowledged at 1\.\d{3} s, and client 2's read began after it, at 1\.\d{3} s, yet found the key absent/);
  assert.ok((await region.locator(".bar.failing").count()) >= 2, "the write and the read are marked");
  assert.equal(await region.getByRole("img").count(), 1);
  await page.getByRole("button", { name: "Pause" }).click();
  assert.deepEqual(await axeViolations(page), []);
});

test("a linearizable run numbers the order it found", async () => {
  const page = await open();
  await runTo(page, 1.2);
  const card = await clientCard(page, 1);
  await card.getByRole("button", { name: "Send" }).click();
  await runTo(page, 2);
  const { region, verdict, why } = await checkLinearizability(page);
  assert.equal(verdict, "linearizable");
  assert.match(why, /^Linearizable: /);
  assert.deepEqual(await region.locator(".point text").allTextContents(), ["1"]);
});

test("the exported diagram is a standalone SVG that parses and needs no page styles", async () => {
  const page = await open("?preset=stale-follower-read");
  await runTo(page, 1.5);
  // Paused, so the moment exported is the one on the clock however slow
  // the machine.
  await page.getByRole("button", { name: "Pause" }).click();
  const shown = (await simTime(page)).toFixed(3);
  const path = await download(page, "Export diagram", "timeline.svg");
  const svg = await readFile(path, "utf8");
  assert.ok(svg.startsWith("<?xml"), svg.slice(0, 80));
  assert.doesNotMatch(svg, /var\(--|light-dark\(|class="/, "every style resolved");
  const parsed = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, "image/svg+xml");
    return {
      error: doc.querySelector("parsererror")?.textContent ?? null,
      root: doc.documentElement.localName,
      lines: doc.querySelectorAll("line").length,
      title: doc.querySelector("title")?.textContent,
    };
  }, svg);
  assert.equal(parsed.error, null);
  assert.equal(parsed.root, "svg");
  assert.ok(parsed.lines > 10, `${parsed.lines} lines`);
  assert.equal(parsed.title, `Consistency Playground: the timeline up to t = ${shown} s`);
});

test("a saved scenario loads back and replays the learner's crash; a file that is not one says why", async () => {
  const page = await open();
  await runTo(page, 1.5);
  await page.locator(".node").filter({ hasText: "node-2" }).click();
  const path = await download(page, "Save scenario", "scenario.json");
  const saved = JSON.parse(await readFile(path, "utf8"));
  assert.deepEqual(saved.actions.map(([, a]) => a.do), ["crash"]);

  const other = await raw("?preset=leader-crash");
  try {
    const input = other.page.locator("section.history input[type=file]");
    await input.setInputFiles(path);
    const status = other.page.locator("section.history [role=status]");
    await status.getByText(/^Loaded scenario\.json: 1 actions, seed \d+, N = 3/).waitFor();
    assert.equal(await other.page.getByTestId("story").count(), 0, "the preset's story is gone");
    await runTo(other.page, 3);
    assert.match(await other.page.locator(".node").filter({ hasText: "node-2" }).getAttribute("class"), /crashed/);

    const bad = join(dir, "not-a-scenario.json");
    await writeFile(bad, '{"version": 1, "seed": 1, "actions": [[5, {"do": "crash", "node": 7}]]}');
    await input.setInputFiles(bad);
    await status.getByText(/^This file is not a scenario the page can run: .*node 7/).waitFor();
    assert.equal(await other.page.locator(".cluster .node").count(), 3, "the run goes on");
    assert.deepEqual(other.problems, []);
  } finally {
    await other.close();
  }
});

test("the history worker loads only when asked, and one that cannot load says so while the page goes on", async () => {
  const requests = [];
  const { page, problems, close } = await raw("", {
    requests,
    route: ["**/history-worker*", (route) => route.fulfill({ status: 404, body: "gone" })],
  });
  try {
    await runTo(page, 1.5);
    assert.deepEqual(requests.filter((r) => /history-worker/.test(r.url)), [], "not fetched before it was asked for");
    await history(page).getByRole("button", { name: "Check linearizability" }).click();
    const region = page.getByRole("region", { name: "Linearizability" });
    await region.getByText(/^No verdict: the history worker (could not be loaded|stopped: .*)\.$/).waitFor({ timeout: 30_000 });
    assert.ok(requests.some((r) => /history-worker\.js$/.test(r.url)));
    // The page goes on, and the analysis worker still answers.
    await runTo(page, 2.5);
    await page.getByTestId("pbs-summary").filter({ hasText: /\d/ }).waitFor({ timeout: 30_000 });
    assert.deepEqual(problems.filter((p) => !/history-worker|404/.test(p)), []);
  } finally {
    await close();
  }
});

test("a learner's markup in a key and a value stays text in the linearizability view and the exported files", async () => {
  const page = await open();
  await page.evaluate(() => { window.pwned = 0; });
  const key = `<img src=x onerror="window.pwned=1">`;
  const value = `<script>window.pwned=2</script>&"'`;
  await runTo(page, 1.2);
  const card = await clientCard(page, 1);
  await card.getByLabel("Key").fill(key);
  await card.getByLabel("Value").fill(value);
  await card.getByRole("button", { name: "Send" }).click();
  await runTo(page, 2);
  const { region } = await checkLinearizability(page);
  assert.equal(await page.locator("img, .linear script, .timeline script").count(), 0, "no markup was made of it");
  assert.match(await region.getByTestId("linear-verdict").textContent(), new RegExp(`drawn: “${key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}”`));
  assert.ok((await region.locator(".bar text").allTextContents()).includes(`W ${value}`));
  const svg = await readFile(await download(page, "Export diagram", "hostile.svg"), "utf8");
  assert.doesNotMatch(svg, /<img|<script/);
  const lines = (await readFile(await download(page, "Export history", "hostile.jsonl"), "utf8")).trim().split("\n");
  assert.deepEqual(lines.map((l) => [JSON.parse(l).key, JSON.parse(l).value]), [[key, value]]);
  assert.equal(await page.evaluate(() => window.pwned), 0);
});

test("a strong read's why names the copies its quorum gathered and marks the reply it chose", async () => {
  const page = await open("?preset=strong-quorum-read");
  await runTo(page, 6);
  await page.getByRole("button", { name: "Pause" }).click();
  const card = await clientCard(page, 2);
  const strong = card.locator(".result").filter({ hasText: "(strong)" });
  await strong.getByRole("button", { name: "Show why in the timeline" }).click();
  const why = page.getByTestId("quorum-why").filter({ hasText: /^A strong read/ });
  await why.waitFor({ timeout: 30_000 });
  assert.match(
    await why.textContent(),
    /^A strong read at node-3 needs R = 2 copies of “name”; it gathered 2: its own, nothing for the key; node-\d's at 5\.\d{3} s, “Alice” \(term \d+, index \d+\)\. It answered the newest: node-\d's “Alice”/,
  );
  const timeline = page.getByRole("region", { name: "Timeline" });
  assert.equal(await timeline.locator(".arrow.reply-chosen").count(), 1, "the reply it answered with");
  assert.ok((await timeline.locator(".arrow.reply-chosen title").textContent()).includes("to node-3"));
});

test("following the W = 1 write tells where it was acknowledged and where it was overwritten", async () => {
  const page = await open("?preset=w1-lost-write");
  await runTo(page, 4.5);
  await page.getByRole("button", { name: "Pause" }).click();
  const card = await clientCard(page, 1);
  await card.getByRole("button", { name: "What became of this write?" }).click();
  const why = page.getByTestId("quorum-why").filter({ hasText: /acknowledged/ });
  await why.waitFor({ timeout: 30_000 });
  assert.match(
    await why.textContent(),
    /^node-1 acknowledged “Alice” at 1\.000 s with W = 1, when node-1 held it \(entry \d+ of term 1\)\. At 3\.\d{3} s node-1's entry \d+ was replaced by one of term \d+ from node-[23], the leader of term \d+\. No node holds the write any more: it is lost/,
  );
  // The timeline moves to the overwrite and marks the append that did it.
  const append = page.getByRole("region", { name: "Timeline" }).locator(".arrow.reply-chosen");
  await append.first().waitFor();
  assert.match(await append.first().locator("title").textContent(), /^replicate from node-[23] to node-1: sent /);
});
