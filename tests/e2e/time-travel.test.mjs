// Looking back over a run: the scrubber shows the page as it was at any
// moment, Step back and Step walk event by event, a change in the past
// branches the run and Undo brings it back, and a stale read's reason is
// drawn in the timeline.
import { test } from "node:test";
import assert from "node:assert/strict";
import { suite, clientCard, runTo, DESKTOP, PHONE } from "./harness.mjs";

const { open } = suite();

const scrubber = (page) => page.getByRole("slider", { name: /Run time/ });
const clock = (page) => page.getByTestId("clock").textContent();

/** Shows the run at `ms` of simulated time. */
async function seek(page, ms) {
  await scrubber(page).fill(String(ms * 1000));
  await page.waitForFunction(
    (want) => document.querySelector("[data-testid=clock]").textContent === want,
    `t = ${(ms / 1000).toFixed(3)} s`,
  );
}

/** The verdict badges of a client's rows, newest first. */
async function rows(page, client) {
  const card = await clientCard(page, client);
  const texts = [];
  for (const row of await card.locator(".result").all()) {
    texts.push((await row.locator(".badge").allTextContents()).join(" "));
  }
  return texts;
}

/** The stale-follower preset run past its last read, then paused. */
async function staleFollowerRun(viewport) {
  const page = await open("?preset=stale-follower-read", { viewport });
  await runTo(page, 1.8);
  await page.getByRole("button", { name: "Pause" }).click();
  return page;
}

for (const [size, viewport] of [["desktop", DESKTOP], ["phone", PHONE]]) {
  test(`the scrubber shows each moment of the stale-follower run as it was, and Back to live returns (${size})`, async () => {
    const page = await staleFollowerRun(viewport);
    const live = await rows(page, 2);
    assert.equal(live.length, 2);
    assert.match(live[1], /stale: 1 version/, "the first read");
    assert.doesNotMatch(live[0], /stale/, "the second read");

    // Between the write and the first read: Client 1 wrote, Client 2 has not asked.
    await seek(page, 1010);
    assert.equal(await page.getByTestId("past-note").count(), 1, "the page says it looks back");
    assert.deepEqual(await rows(page, 2), []);
    assert.match((await rows(page, 1))[0], /acknowledged/);
    // After the first read: its stale verdict, and the replicate to node-2 still on its way.
    await seek(page, 1050);
    const first = await rows(page, 2);
    assert.equal(first.length, 1);
    assert.match(first[0], /stale: 1 version/);
    // Back to the present.
    await page.getByRole("button", { name: "Back to live" }).click();
    assert.equal(await page.getByTestId("past-note").count(), 0);
    assert.deepEqual(await rows(page, 2), live);
  });
}

test("dragging the scrubber to its start shows the cluster before any leader", async () => {
  const page = await open();
  await page.locator(".cluster .node.leader").waitFor();
  await page.getByRole("button", { name: "Pause" }).click();
  const bar = await scrubber(page).boundingBox();
  const y = bar.y + bar.height / 2;
  await page.mouse.move(bar.x + bar.width - 2, y);
  await page.mouse.down();
  await page.mouse.move(bar.x + bar.width / 2, y, { steps: 5 });
  await page.mouse.move(bar.x + 1, y, { steps: 5 });
  await page.mouse.up();
  assert.equal(await clock(page), "t = 0.000 s");
  assert.equal(await page.locator(".cluster .node.leader").count(), 0, "no leader at the start");
  assert.equal(await page.locator(".cluster .node .node-role").first().textContent(), "follower");
  // The scrubber's last step is the live edge itself.
  await page.keyboard.press("End");
  await page.locator(".cluster .node.leader").waitFor();
  assert.equal(await page.getByRole("button", { name: "Back to live" }).count(), 0);
});

test("Step back then Step returns the page to the same moment", async () => {
  const page = await open();
  await page.locator(".cluster .node.leader").waitFor();
  await page.getByRole("button", { name: "Pause" }).click();
  const snapshot = async () => ({
    clock: await clock(page),
    nodes: await page.locator(".cluster .node").allTextContents(),
    stats: await page.locator(".stats").textContent(),
  });
  const before = await snapshot();
  for (let i = 0; i < 3; i++) await page.getByRole("button", { name: "Step back" }).click();
  assert.notEqual((await snapshot()).clock, before.clock, "three events back is earlier");
  await page.keyboard.press(",");
  await page.keyboard.press(".");
  for (let i = 0; i < 3; i++) await page.getByRole("button", { name: "Step", exact: true }).click();
  assert.deepEqual(await snapshot(), before);
  assert.equal(await page.getByTestId("past-note").count(), 0, "caught up with the live run");
});

test("a change in the past branches the run, says so, and Undo brings the earlier run back", async () => {
  const page = await staleFollowerRun(DESKTOP);
  const live = await rows(page, 2);
  await seek(page, 1010);
  // Crash node-2 before Client 2 reads from it.
  await page.locator(".cluster .node").nth(1).locator(".hit").click();
  const notice = page.locator(".cluster .note");
  assert.match(await notice.textContent(), /You changed the past: the run now goes on from t = 1\.010 s/);
  assert.equal(await page.getByTestId("past-note").count(), 0, "the change is the present");
  await page.getByRole("button", { name: "Play" }).click();
  await runTo(page, 1.8);
  const branched = await rows(page, 2);
  assert.ok(branched.every((r) => !/stale/.test(r)), `node-2 is down, so no stale read: ${branched}`);
  await page.getByRole("button", { name: "Undo change" }).click();
  assert.match(await notice.textContent(), /The earlier run is back/);
  assert.equal(await page.getByRole("button", { name: "Undo change" }).count(), 0);
  assert.deepEqual(await rows(page, 2), live);
});

test("the stale read's reason shows in the timeline: the replicate still on its way to node-2", async () => {
  const page = await staleFollowerRun(DESKTOP);
  const c2 = await clientCard(page, 2);
  await c2.locator(".result").last().getByRole("button", { name: "Show why in the timeline" }).click();
  const missed = page.getByTestId("missed-replicate");
  assert.ok((await missed.count()) >= 1, "a replicate singled out");
  assert.match(await missed.first().getAttribute("class"), /replication/);
  // Going back to the read's moment keeps it singled out, flying.
  await seek(page, 1030);
  assert.ok((await missed.count()) >= 1);
  assert.match(await missed.first().getAttribute("class"), /flying/);
});

test("choosing the stale read's bar in the timeline shows why, as its card's button does", async () => {
  const page = await staleFollowerRun(DESKTOP);
  const timeline = page.getByRole("region", { name: "Timeline" });
  await timeline.getByRole("button", { name: "Zoom out" }).click();
  const bar = timeline.locator(".op.stale");
  assert.equal(await bar.count(), 1, "the stale read's bar");
  assert.equal(await page.getByTestId("missed-replicate").count(), 0, "nothing singled out yet");
  await bar.locator("rect").click();
  assert.ok((await page.getByTestId("missed-replicate").count()) >= 1, "its missed replicate singled out");
});
