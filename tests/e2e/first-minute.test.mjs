// The first minute, as a newcomer with the course beside them meets it:
// the course's cluster elects node-1 at once, exercise 1 shows a stale read
// with its reason where the eye is, and everything needed fits one screen.
import { test } from "node:test";
import assert from "node:assert/strict";
import { suite, clientCard, DESKTOP, PHONE } from "./harness.mjs";

const { open } = suite();

const badge = (row) => row.locator(".badge");

test("at the defaults the first vote flies within a second and node-1 is crowned within five", async () => {
  const started = Date.now();
  const page = await open();
  await page.locator(".sprite .m-election").first().waitFor({ timeout: 1_000 + (Date.now() - started) });
  const vote = Date.now() - started;
  await page.locator(".cluster .node.leader").waitFor({ timeout: 5_000 });
  const crowned = Date.now() - started;
  assert.ok(vote < 1_500, `the first vote request flew ${vote} ms after navigation`);
  assert.ok(crowned < 5_000, `a leader after ${crowned} ms`);
  assert.equal(await page.locator(".node.leader .node-name").textContent(), "node-1");
  assert.match(await page.locator(".node.leader .node-term").textContent(), /^term 1$/);
  // Quiet time before the first election was skipped, and the page said so
  // or has since gone back to watching.
  assert.match(await page.getByTestId("pace").textContent(), /skipping quiet time|slow motion|heartbeats only/);
});

/** Client 1 writes to the leader and waits for the acknowledgement. */
async function write(page, value) {
  const c1 = await clientCard(page, 1);
  await c1.getByLabel("Value").fill(value);
  await c1.getByRole("button", { name: "Send" }).click();
  const row = c1.locator(".result").first();
  await row.locator(".badge:not(.pending)").waitFor({ timeout: 20_000 });
  assert.equal(await badge(row).first().textContent(), "acknowledged");
}

/** Client 2 reads `name` at `node` at once; its newest row once answered. */
async function read(page, node) {
  const c2 = await clientCard(page, 2);
  await c2.getByLabel("Node").selectOption(String(node));
  await c2.getByRole("button", { name: "Send" }).click();
  const row = c2.locator(".result").first();
  await row.locator(".badge:not(.pending)").waitFor({ timeout: 20_000 });
  return row;
}

for (const [size, viewport] of [["desktop", DESKTOP], ["phone", PHONE]]) {
  test(`exercise 1 at the defaults: a follower read right after the write is stale, with its reason in the card and on the ring (${size})`, async () => {
    const page = await open("", { viewport });
    await page.locator(".cluster .node.leader").waitFor();
    let stale = null;
    for (const value of ["Alice", "Bob", "Carol"]) {
      await write(page, value);
      // The course reads node-2; the hint names the follower still behind.
      const behind = (await clientCard(page, 2)).getByTestId("behind");
      const lagging = (await behind.isVisible()) ? Number(/node-(\d)/.exec(await behind.textContent())[1]) : 2;
      const row = await read(page, lagging);
      const texts = await badge(row).allTextContents();
      if (texts.some((t) => t.startsWith("stale:"))) {
        stale = { row, lagging };
        break;
      }
    }
    assert.ok(stale, "no stale read in three tries");
    const why = await stale.row.getByTestId("why").textContent();
    assert.match(why, new RegExp(`^node-${stale.lagging} had (no copy of name|v\\d+\\.\\d+ \\(“\\w+”\\)); “\\w+” \\(v\\d+\\.\\d+\\), held by node-\\d( and node-\\d)?, was acknowledged (\\d+ ms|less than 1 ms) before this read began; `));
    assert.match(why, new RegExp(`its replicate reaches node-${stale.lagging} in \\d+ ms\\.$`));
    // The answer shows at the node that gave it, on the ring.
    const bubble = page.getByTestId("bubble").filter({ hasText: "Client 2" });
    assert.match(await bubble.textContent(), /stale: 1 version/);
    const node = page.locator(".cluster .node").nth(stale.lagging - 1);
    const [b, n] = [await bubble.boundingBox(), await node.locator(".body").boundingBox()];
    const centre = n.x + n.width / 2;
    assert.ok(b.x <= centre && centre <= b.x + b.width, "the bubble is beside its node");
    assert.ok(b.y + b.height <= n.y || b.y >= n.y + n.height, "and clear of it");
  });
}

test("a read sent while the write is still in flight gets its own verdict", async () => {
  const page = await open();
  await page.locator(".cluster .node.leader").waitFor();
  const c1 = await clientCard(page, 1);
  await c1.getByRole("button", { name: "Send" }).click();
  const c2 = await clientCard(page, 2);
  await c2.getByRole("button", { name: "Send" }).click();
  const row = c2.locator(".result").first();
  await row.locator(".badge:not(.pending)").waitFor();
  assert.deepEqual(await badge(row).allTextContents(), ["old value, allowed: write in flight"]);
  assert.match(await row.getByTestId("why").textContent(), /was still being written \(sent \d+ ms before this read, not yet acknowledged\), so the old value is allowed/);
  assert.equal(await c1.locator(".result .badge").first().textContent(), "waiting…", "the write is indeed still in flight");
});

test("the course's step 2 typed in the console finds node-2 stale, and the console says why", async () => {
  const page = await open();
  await page.locator(".cluster .node.leader").waitFor();
  const console_ = page.getByRole("textbox", { name: "Console" });
  await console_.fill(`curl -X PUT http://localhost:4001/key/name \\\n  -H "Content-Type: application/json" \\\n  -d '"Alice"'\ncurl http://localhost:4002/key/name`);
  await console_.press("Enter");
  const entries = page.getByRole("log").locator(".console-entry");
  const verdict = entries.nth(1).getByTestId("console-verdict");
  await verdict.waitFor({ timeout: 20_000 });
  assert.match(await entries.nth(1).locator(".answer").textContent(), /"error": "Key not found"/);
  const line = await verdict.textContent();
  assert.match(line, /stale: 1 version \/ (\d+|0) ms behind/);
  assert.match(line, /node-2 had no copy of name; “Alice” \(v1\.2\), held by node-1 and node-3, was acknowledged/);
  assert.match(line, /its replicate reaches node-2 in \d+ ms\./);
  // The console's read shows why in the timeline, as a client card's does.
  assert.equal(await entries.nth(0).getByRole("button", { name: "Show why in the timeline" }).count(), 0, "a write has no read's why");
  assert.equal(await page.getByTestId("missed-replicate").count(), 0, "nothing singled out yet");
  await entries.nth(1).getByRole("button", { name: "Show why in the timeline" }).click();
  const missed = page.getByTestId("missed-replicate");
  await missed.first().waitFor();
  assert.match(await missed.first().getAttribute("class"), /replication/);
  assert.match(await missed.first().locator("title").textContent(), /^replicate from node-1 to node-2: sent /);
});

test("a preset shows its next scripted action with a countdown and skips to it", async () => {
  const page = await open("?preset=leader-crash");
  const next = page.getByTestId("next-action");
  await next.waitFor();
  const text = await next.textContent();
  assert.match(text, /^Next: .+ in \d+\.\d{3} s of simulated time/);
  const clockBefore = Number(/t = ([\d.]+) s/.exec(await page.getByTestId("clock").textContent())[1]);
  const inS = Number(/ in (\d+\.\d{3}) s/.exec(text)[1]);
  await next.getByRole("button", { name: "Skip to it" }).click();
  const clockAfter = Number(/t = ([\d.]+) s/.exec(await page.getByTestId("clock").textContent())[1]);
  assert.ok(clockAfter >= clockBefore + inS - 0.05, `skipped from ${clockBefore} s by ${inS} s to ${clockAfter} s`);
  await page.waitForFunction((t) => document.querySelector("[data-testid=next-action]")?.textContent !== t, text);
});

test("free play sets read repair and shows statistics before and after a change", async () => {
  const page = await open();
  await page.getByLabel("Read repair (strong reads)").selectOption("blocking");
  await page.getByRole("button", { name: "Start" }).click();
  const speed = page.getByRole("slider", { name: "Speed" });
  await speed.fill("9");
  await page.waitForTimeout(1_500);
  await page.getByRole("slider", { name: "Write quorum (W)" }).fill("1");
  await page.waitForTimeout(1_500);
  const rows = page.getByTestId("segments").locator("tbody tr");
  assert.equal(await rows.count(), 2);
  assert.match(await rows.nth(0).locator("th").textContent(), /W = 2 .*blocking repair/);
  assert.match(await rows.nth(1).locator("th").textContent(), /W = 1 .*blocking repair/);
  assert.match(await rows.nth(1).locator("td").first().textContent(), /^since \d/);
});

test("on a 1280×800 desktop the cluster, run controls, N/W/R, the R + W line and both clients fit one screen", async () => {
  const page = await open("", { viewport: DESKTOP });
  await page.locator(".cluster .node.leader").waitFor();
  await write(page, "Alice");
  await read(page, 2);
  const within = async (locator, what) => {
    const b = await locator.boundingBox();
    assert.ok(b, `${what} is shown`);
    assert.ok(b.x >= 0 && b.y >= 0 && b.x + b.width <= DESKTOP.width && b.y + b.height <= DESKTOP.height,
      `${what} at ${JSON.stringify(b)} is off the first screen`);
  };
  await within(page.locator(".cluster-svg"), "the cluster");
  await within(page.getByRole("button", { name: "Pause" }), "Pause");
  await within(page.getByRole("slider", { name: "Speed" }), "Speed");
  for (const name of ["Nodes (N)", "Write quorum (W)", "Read quorum (R)"]) {
    await within(page.getByRole("slider", { name }), name);
  }
  await within(page.getByTestId("quorum-line"), "the R + W line");
  for (const i of [1, 2]) {
    const card = await clientCard(page, i);
    await within(card.getByRole("button", { name: "Send" }), `Client ${i}'s Send`);
    await within(card.locator(".result").first().locator(".badge").first(), `Client ${i}'s latest verdict`);
  }
  assert.equal(await page.evaluate(() => window.scrollY), 0);
});

test("on a 390×844 phone the cluster, Pause, Speed and a client fit the first screen, nothing sideways", async () => {
  const page = await open("", { viewport: PHONE });
  const within = async (locator, what) => {
    const b = await locator.boundingBox();
    assert.ok(b && b.y >= 0 && b.y + b.height <= PHONE.height && b.x + b.width <= PHONE.width,
      `${what} at ${JSON.stringify(b)} is off the first screen`);
  };
  await within(page.locator(".cluster-svg"), "the cluster");
  await within(page.getByRole("button", { name: "Pause" }), "Pause");
  await within(page.getByRole("slider", { name: "Speed" }), "Speed");
  const card = await clientCard(page, 1);
  await within(card.getByRole("button", { name: "Send" }), "Client 1's Send");
  await within(page.getByRole("tab", { name: "Client 2" }), "the way to Client 2");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone`);
  // Pause and Speed stay in reach while the page scrolls.
  await page.evaluate(() => window.scrollTo(0, 2000));
  await within(page.getByRole("button", { name: "Pause" }), "Pause after scrolling");
});

test("an embed fits 800×600 with its story, Play/Reset, Speed and the verdicts of the scenario's reads", async () => {
  const frame = { width: 800, height: 600 };
  const page = await open("?preset=stale-follower-read&embed=1", { viewport: frame });
  const speed = page.getByRole("slider", { name: "Speed" });
  await speed.fill("8");
  const verdicts = page.getByRole("region", { name: "Verdicts" });
  await verdicts.locator(".badge.stale").waitFor({ timeout: 20_000 });
  for (const [locator, what] of [
    [page.getByTestId("story"), "the story"],
    [page.getByRole("button", { name: /^(Play|Pause)$/ }), "Play/Pause"],
    [page.getByRole("button", { name: "Reset" }), "Reset"],
    [speed, "Speed"],
    [page.locator(".cluster-svg"), "the cluster"],
    [verdicts.locator(".badge.stale").first(), "the stale verdict"],
  ]) {
    const b = await locator.boundingBox();
    assert.ok(b && b.y + b.height <= frame.height && b.x + b.width <= frame.width, `${what} at ${JSON.stringify(b)}`);
  }
  assert.match(await verdicts.textContent(), /Client 2: GET name \(eventual\)/);
});

test("Share opens beneath its button, takes focus, keeps it, and gives it back on Escape", async () => {
  const page = await open();
  const share = page.getByRole("button", { name: "Share" });
  await share.click();
  const dialog = page.getByRole("dialog", { name: "Share this run" });
  await dialog.waitFor();
  const [s, d] = [await share.boundingBox(), await dialog.boundingBox()];
  assert.ok(d.y >= s.y + s.height - 1 && d.y < s.y + s.height + 40, "right under the button");
  assert.ok(d.x + d.width <= DESKTOP.width && d.y + d.height <= DESKTOP.height, "on screen");
  assert.equal(
    await page.evaluate(() => document.activeElement.closest(".share") && document.activeElement.type),
    "text",
    "the link field has focus",
  );
  for (let i = 0; i < 8; i++) {
    await page.keyboard.press("Tab");
    assert.ok(await page.evaluate(() => !!document.activeElement.closest(".share")), `focus left the panel after ${i + 1} Tab`);
  }
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "detached" });
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "Share");
});
