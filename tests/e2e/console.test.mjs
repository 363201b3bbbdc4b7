// The in-page curl console: the course's commands against the simulated
// cluster, driven through the real page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { suite, electLeader, runTo, simTime } from "./harness.mjs";

const { open, settle } = suite();

const speed = (page) => page.getByRole("slider", { name: "Speed" });

/** Types `command`, presses Enter, and returns its answer's text. */
async function run(page, command) {
  const log = page.getByRole("log");
  const before = await log.locator(".console-entry").count();
  await page.getByRole("textbox", { name: "Console" }).fill(command);
  await page.getByRole("textbox", { name: "Console" }).press("Enter");
  const entry = log.locator(".console-entry").nth(before);
  await entry.waitFor();
  await speed(page).fill("9");
  await page.waitForFunction(
    (el) => el.querySelector(".answer")?.textContent !== "…",
    await entry.elementHandle(),
  );
  await speed(page).fill("3");
  return entry.locator(".answer").textContent();
}

test("the console answers the course's step-2 commands with the course's JSON", async () => {
  const page = await open();
  assert.equal(await page.getByRole("log").getAttribute("aria-live"), "polite");
  const leader = await electLeader(page);
  // The course's node-1 is its leader; here it is elected, so its port varies.
  const put = await run(
    page,
    `curl -i -X PUT http://localhost:400${leader}/key/name \\\n  -H "Content-Type: application/json" \\\n  -d '"Alice"'`,
  );
  assert.match(put, /^HTTP\/1\.1 200 OK/);
  const body = JSON.parse(put.slice(put.indexOf("{")));
  assert.equal(body.key, "name");
  assert.equal(body.value, "Alice");
  assert.equal(body.success, true);
  const get = await run(page, `curl -i http://localhost:400${leader}/key/name`);
  assert.match(get, /^HTTP\/1\.1 200 OK/);
  const read = JSON.parse(get.slice(get.indexOf("{")));
  assert.deepEqual([read.key, read.value], ["name", "Alice"]);
  assert.match(get, /\n {2}"key": "name",\n/, "pretty-printed");
});

test("a crashed node and an unknown port fail to connect; a follower write names the leader; arrow-up recalls", async () => {
  const page = await open();
  const leader = await electLeader(page);
  const follower = (leader % 3) + 1;
  // A follower names its leader once a heartbeat (every 100 ms) reached it;
  // until then it answers "Unknown", rightly.
  await runTo(page, (await simTime(page)) + 0.5);
  const w = await run(page, `curl -X PUT http://localhost:400${follower}/key/name -d '"Bob"'`);
  assert.equal(JSON.parse(w).error, "Not the leader");
  assert.equal(JSON.parse(w).leader_id, `node-${leader}`);
  await page.getByRole("button", { name: new RegExp(`^node-${follower},`) }).click();
  const crashed = await run(page, `curl http://localhost:400${follower}/status`);
  assert.match(crashed, new RegExp(`^curl: \\(7\\) Failed to connect to localhost port 400${follower}`));
  const unknown = await run(page, "curl http://localhost:4009/status");
  assert.match(unknown, /^curl: \(7\) Failed to connect to localhost port 4009/);
  const input = page.getByRole("textbox", { name: "Console" });
  await input.focus();
  await input.press("ArrowUp");
  assert.equal(await input.inputValue(), "curl http://localhost:4009/status");
  await input.press("ArrowUp");
  assert.equal(await input.inputValue(), `curl http://localhost:400${follower}/status`);
  await input.press("ArrowDown");
  await input.press("ArrowDown");
  assert.equal(await input.inputValue(), "");
});

test("exercise 2 shows both reads side by side, and why the strong one needs R + W > N", async () => {
  const page = await open();
  await electLeader(page);
  const exercise = async () => {
    await page.getByRole("button", { name: "Run exercise 2" }).click();
    await page.getByRole("group", { name: /Exercise 2/ }).waitFor();
    await speed(page).fill("9");
    await page.waitForFunction(() =>
      [...document.querySelectorAll(".pair-value")].every((e) => e.textContent !== "waiting…"),
    );
    await speed(page).fill("3");
    return [await page.getByTestId("exercise-eventual").textContent(), await page.getByTestId("exercise-strong").textContent()];
  };
  // The course's R = 1: a strong read asks one replica, as stale as any.
  const [eventual, strong] = await exercise();
  assert.match(eventual, /^("Alice"|Key not found)$/);
  assert.match(strong, /^("Alice"|Key not found)$/);
  assert.match(await page.getByTestId("exercise-note").textContent(), /R \+ W = 3 is not more than N = 3: the strong read can miss the write too\. Set R to 2/);
  await page.getByRole("slider", { name: "Read quorum (R)" }).fill("2");
  const [, strongAgain] = await exercise();
  assert.equal(strongAgain, '"Bob"', "R + W > N: the strong read sees the write");
  assert.equal(await page.getByTestId("exercise-note").count(), 0);
  assert.equal(await page.locator(".console-entry").count(), 6);
});

test("the course's examples run with one click", async () => {
  const page = await open();
  await electLeader(page);
  await page.getByRole("button", { name: "Step 4: see the quorum settings" }).click();
  const answer = page.locator(".console-entry .answer").first();
  await page.waitForFunction((el) => el.textContent.startsWith("{"), await answer.elementHandle());
  const status = JSON.parse(await answer.textContent());
  assert.deepEqual(status.config, { writeQuorum: 2, readQuorum: 1, totalNodes: 3 });
});

test("after the leader crashes, the one-click steps address the new leader and still get the course's answers", async () => {
  const page = await open();
  const first = await electLeader(page);
  await page.locator(".cluster .node.leader").click();
  await page.locator(".cluster .node.crashed").waitFor();
  await speed(page).fill("9");
  await page.waitForFunction(
    (first) => [...document.querySelectorAll(".cluster .node.leader .node-name")].some((e) => e.textContent !== `node-${first}`),
    first,
  );
  await speed(page).fill("3");
  const leader = Number((await page.locator(".cluster .node.leader .node-name").first().textContent()).replace("node-", ""));
  assert.notEqual(leader, first);
  const write = page.getByRole("button", { name: new RegExp(`^Step 2: write name = "Alice" to the leader \\(node-${leader}, port 400${leader}\\)`) });
  await write.click();
  const answer = page.locator(".console-entry .answer").last();
  await speed(page).fill("9");
  await page.waitForFunction((el) => el.textContent.includes("{"), await answer.elementHandle());
  await speed(page).fill("3");
  const text = await answer.textContent();
  const put = JSON.parse(text.slice(text.indexOf("{")));
  assert.equal(put.success, true, text);
  assert.equal(put.leader_id, `node-${leader}`);
  // The read step goes to a live follower, never the crashed node.
  const read = page.getByRole("button", { name: /^Step 2: read it at once from a follower/ });
  const label = await read.textContent();
  const follower = Number(/node-(\d)/.exec(label)[1]);
  assert.ok(follower !== first && follower !== leader, label);
});

test("the course's steps 2 to 5, typed as the course prints them, give its statuses and JSON", async () => {
  const page = await open();
  const leader = await electLeader(page);
  const follower = leader === 1 ? 2 : 1;
  const json = (text) => JSON.parse(text.slice(text.indexOf("{")));
  // Step 2: write to the leader, read at once from a follower.
  const put = json(await run(page, `curl -X PUT http://localhost:400${leader}/key/name \\\n  -H "Content-Type: application/json" \\\n  -d '"Alice"'`));
  assert.deepEqual(Object.keys(put), ["success", "key", "value", "leader_id", "achieved_quorum", "write_quorum"]);
  assert.equal(put.leader_id, `node-${leader}`);
  const eventual = json(await run(page, `curl http://localhost:400${follower}/key/name`));
  // Eventual: the new value, or (read before replication arrived) not found.
  if ("error" in eventual) assert.deepEqual(eventual, { error: "Key not found", key: "name" });
  else assert.deepEqual(eventual, { key: "name", value: "Alice", node_role: "follower", consistency: "eventual" });
  // Step 3: a strong read from the same follower. The course's R = 1 asks
  // that follower alone, so it may still lag; the verdict says why.
  const strong = json(await run(page, `curl "http://localhost:400${follower}/key/name?consistency=strong"`));
  if ("error" in strong) {
    assert.deepEqual(strong, { error: "Key not found", key: "name" });
    assert.match(await page.getByTestId("console-verdict").last().textContent(), /A strong read asks only the node it is sent to/);
  } else assert.deepEqual(strong, { key: "name", value: "Alice", node_role: "follower", consistency: "strong" });
  // Step 4: the leader's status.
  const status = json(await run(page, `curl http://localhost:400${leader}/status`));
  assert.equal(status.nodeId, `node-${leader}`);
  assert.equal(status.role, "leader");
  assert.deepEqual([status.totalKeys, status.keys], [1, ["name"]]);
  assert.deepEqual(status.config, { writeQuorum: 2, readQuorum: 1, totalNodes: 3 });
  // Step 5: W = 3, as the course's compose file sets it; the running
  // cluster and the W slider follow.
  await run(page, "WRITE_QUORUM=3 READ_QUORUM=1");
  const after = json(await run(page, `curl http://localhost:400${leader}/status`));
  assert.deepEqual(after.config, { writeQuorum: 3, readQuorum: 1, totalNodes: 3 });
  assert.equal(await page.getByRole("slider", { name: "Write quorum (W)" }).inputValue(), "3");
});

test("a learner's markup typed in the console, or carried in a shared link, stays text", async () => {
  const key = `<img src=x onerror="window.pwned=1">`;
  const value = `<script>window.pwned=2</script>&"`;
  const page = await open();
  await page.evaluate(() => { window.pwned = 0; });
  const leader = await electLeader(page);
  await run(page, `curl -X PUT http://localhost:400${leader}/key/k -H "Content-Type: application/json" -d '${JSON.stringify(value)}'`);
  const get = await run(page, `curl http://localhost:400${leader}/key/k`);
  assert.equal(JSON.parse(get.slice(get.indexOf("{"))).value, value, "the value comes back as text");
  assert.equal(await page.locator("main img, main script").count(), 0, "no markup was made of it");
  assert.equal(await page.evaluate(() => window.pwned), 0);
  await settle();

  // Markup in a link another learner opens: a scenario whose write carries
  // it, replayed into the client card and the timeline.
  const scenario = {
    version: 1, seed: 369,
    config: { jitter: { writes: { kind: "exponential", rate: 1 / 150 } } },
    actions: [[800, { do: "write", client: 1, node: 1, key, value }]],
  };
  const shared = await open(`?s=${Buffer.from(JSON.stringify(scenario)).toString("base64url")}`);
  await shared.evaluate(() => { window.pwned = 0; });
  await runTo(shared, 1.5);
  const row = shared.getByRole("region", { name: "Client 1", exact: true }).locator(".result").first();
  await row.waitFor();
  assert.ok((await row.textContent()).includes(`${key} = ${value}`), await row.textContent());
  assert.equal(await shared.locator("main img, main script").count(), 0, "no markup was made of the link's strings");
  assert.equal(await shared.evaluate(() => window.pwned), 0);
});
