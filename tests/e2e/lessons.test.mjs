// Lessons in the real page: every step of every lesson is done by a scripted
// learner with the page's own controls, and its check passes; a learner who
// does something else is told what is missing. Progress survives a reload,
// a step's link opens it, and the quiz scores and explains.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, writeFileSync, mkdtempSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite, clientCard, runTo, simTime, axeViolations, PHONE } from "./harness.mjs";

const { open, settle } = suite();
const LESSONS = new URL("../../lessons/", import.meta.url).pathname;
const lessonFiles = readdirSync(LESSONS)
  .filter((f) => f.endsWith(".json") && f !== "quiz.json")
  .map((f) => JSON.parse(readFileSync(LESSONS + f, "utf8")));

const panel = (page) => page.getByRole("region", { name: "Lesson" });

/** Sends from client `i`'s card, without waiting for the answer; the card. */
async function sendNow(page, i, { method, node, value, level }) {
  const card = await clientCard(page, i);
  if (method) await card.getByLabel("Method").selectOption(method);
  if (node) await card.getByLabel("Node").selectOption(String(node));
  if (value !== undefined) await card.getByLabel("Value").fill(value);
  if (level) await card.getByLabel("Consistency").selectOption(level);
  const before = await card.locator(".result").count();
  await card.getByRole("button", { name: "Send" }).click();
  await page.waitForFunction(
    ([i, before]) => document.querySelectorAll(`#client-panel-${i} .result`).length > before,
    [i, before],
  );
  return card;
}

/** Sends from client `i`'s card and waits for its answer; the answer's row. */
async function send(page, i, fields) {
  const card = await sendNow(page, i, fields);
  const row = card.locator(".result").first();
  const answered = row.locator(".badge:not(.pending)").first();
  // A slow answer (a read that times out) is waited for at a brisker pace.
  if (!(await answered.waitFor({ timeout: 2_000 }).then(() => true, () => false))) {
    const speed = page.getByRole("slider", { name: "Speed" });
    const was = await speed.inputValue();
    await speed.fill("7");
    await answered.waitFor({ timeout: 30_000 });
    await speed.fill(was);
  }
  return row;
}

/** Clicks "Check my run"; the verdict's text and the findings. */
async function check(page) {
  const feedback = panel(page).locator(".lesson-feedback");
  await panel(page).getByRole("button", { name: "Check my run" }).click();
  await feedback.locator(".lesson-verdict").waitFor({ timeout: 30_000 });
  return { passed: (await feedback.locator(".lesson-verdict.pass").count()) === 1, text: await feedback.textContent() };
}

async function openStep(page, id, k) {
  const heading = lessonFiles.find((l) => l.id === id).steps[k - 1].title;
  await panel(page).getByRole("heading", { name: heading }).waitFor({ timeout: 30_000 });
}

async function leaderNumber(page) {
  const name = page.locator(".cluster .node.leader .node-name");
  await name.first().waitFor({ timeout: 30_000 });
  return Number((await name.first().textContent()).replace("node-", ""));
}

/** Writes with client 1 and reads at once with `reader`, until the check passes. */
async function writeThenRead(page, reader, tries = 4) {
  await leaderNumber(page);
  for (let t = 0; t < tries; t++) {
    await send(page, 1, { method: "PUT", node: 1, value: `v${t}` });
    await send(page, reader.client, { method: "GET", node: reader.node, level: reader.level });
    const result = await check(page);
    if (result.passed) return result;
  }
  assert.fail(`not passed in ${tries} tries: ${await panel(page).locator(".lesson-feedback").textContent()}`);
}

/** Runs a second or so of simulated time beyond now. */
async function wait(page, seconds) {
  await runTo(page, (await simTime(page)) + seconds);
}

async function restoreRepair(page, mode) {
  await page.getByLabel("Read repair (strong reads)").selectOption(mode);
  await runTo(page, 5.3);
  // Paused, so no heartbeat catches node-3 up before the read reaches it.
  await page.getByRole("button", { name: "Pause" }).click();
  await page.locator(".cluster .node").nth(2).click();
  const card = await clientCard(page, 2);
  await card.getByLabel("Node").selectOption("1");
  await card.getByLabel("Consistency").selectOption("strong");
  await card.getByRole("button", { name: "Send" }).click();
  await page.getByRole("button", { name: "Play" }).click();
  await page.getByRole("slider", { name: "Speed" }).fill("5");
  await card.locator(".result .badge:not(.pending)").first().waitFor({ timeout: 30_000 });
  return check(page);
}

/** Alice to the cut-off node-1, Bob to the majority's new leader, past the heal. */
async function cutOffWrites(page, bob) {
  await runTo(page, 1.1);
  await send(page, 1, { method: "PUT", node: 1, value: "Alice" });
  if (bob) {
    // The newer crown: node-1 still wears its own, of term 1.
    const newer = page.locator(".cluster .node.leader").filter({ hasNotText: "node-1" });
    await page.getByRole("slider", { name: "Speed" }).fill("6");
    await newer.first().waitFor({ timeout: 30_000 });
    const leader = Number((await newer.first().locator(".node-name").textContent()).replace("node-", ""));
    await page.getByRole("slider", { name: "Speed" }).fill("0");
    await send(page, 2, { method: "PUT", node: leader, value: "Bob" });
  }
  await runTo(page, 6.8);
  return check(page);
}

/**
 * For each step: what a learner who does the task does (resolving to the
 * check's result), and what one who does something else does with the
 * sentence they must be told. A step of a lesson file missing here fails.
 */
const scripts = {
  "follower-read": [
    {
      right: (page) => writeThenRead(page, { client: 2, node: 2, level: "eventual" }),
      wrong: async (page) => {
        await leaderNumber(page);
        await send(page, 1, { method: "PUT", node: 1, value: "Alice" });
        await wait(page, 1.5);
        await send(page, 2, { method: "GET", node: 2, level: "eventual" });
      },
      missing: /No read by client 2 was stale within 100 ms of an acknowledged write yet\./,
    },
    {
      right: async (page) => {
        await wait(page, 1.2);
        await send(page, 2, { method: "GET", node: 2, level: "eventual" });
        return check(page);
      },
      missing: /The last read by client 2 at node-2 has not returned the newest acknowledged value\./,
    },
  ],
  quorums: [
    {
      right: (page) => writeThenRead(page, { client: 2, node: 2, level: "strong" }),
      missing: /No strong read by client 2 was judged stale yet\./,
    },
    {
      right: async (page) => {
        await page.getByRole("slider", { name: "Read quorum (R)" }).fill("2");
        await leaderNumber(page);
        await send(page, 1, { method: "PUT", node: 1, value: "Bob" });
        await send(page, 2, { method: "GET", node: 2, level: "strong" });
        return check(page);
      },
      wrong: async (page) => {
        await leaderNumber(page);
        await send(page, 1, { method: "PUT", node: 1, value: "Bob" });
        await send(page, 2, { method: "GET", node: 2, level: "strong" });
      },
      missing: /the step asks for R = 2\./,
    },
    {
      right: async (page) => {
        await page.getByRole("slider", { name: "Read quorum (R)" }).fill("2");
        await leaderNumber(page);
        for (let t = 0; t < 5; t++) {
          await runExercise2(page);
          const result = await check(page);
          if (result.passed) return result;
        }
        assert.fail("exercise 2 never showed an old eventual read in 5 runs");
      },
      wrong: async (page) => {
        await leaderNumber(page);
        await runExercise2(page);
      },
      missing: /the step asks for R = 2\./,
    },
  ],
  "read-repair": [
    { right: (page) => restoreRepair(page, "blocking"), missing: /No read repair has reached a stale replica yet\./ },
    { right: (page) => restoreRepair(page, "async"), missing: /the step asks for read repair async\./ },
  ],
  "lost-write": [
    { right: (page) => cutOffWrites(page, true), missing: /No acknowledged write has been lost yet\./ },
    { right: (page) => cutOffWrites(page, true), wrong: (page) => cutOffWrites(page, false), missing: /No write by client 2 has been answered yet\./ },
  ],
  partition: [
    {
      right: async (page) => {
        await runTo(page, 3.8);
        await send(page, 2, { method: "GET", node: 5, level: "strong" });
        return check(page);
      },
      wrong: async (page) => {
        await runTo(page, 3.8);
        await send(page, 2, { method: "GET", node: 2, level: "strong" });
      },
      missing: /No read by client 2 at node-5 has been refused yet\./,
    },
    {
      right: async (page) => {
        await send(page, 2, { method: "GET", node: 5, level: "eventual" });
        return check(page);
      },
      missing: /No eventual read by client 2 at node-5 was judged stale yet\./,
    },
  ],
  sessions: [
    {
      right: (page) => writeThenRead(page, { client: 1, node: 2, level: "eventual" }),
      missing: /No read by client 1 has broken “read your writes” yet\./,
    },
    {
      right: async (page) => {
        await leaderNumber(page);
        await send(page, 1, { method: "PUT", node: 1, value: "Dana" });
        await send(page, 1, { method: "GET", node: 2, level: "read_your_writes" });
        return check(page);
      },
      wrong: async (page) => {
        await leaderNumber(page);
        await send(page, 1, { method: "PUT", node: 1, value: "Dana" });
        await send(page, 1, { method: "GET", node: 2, level: "eventual" });
      },
      missing: /No read_your_writes read by client 1 has returned the newest acknowledged value yet\./,
    },
    {
      right: async (page) => {
        await leaderNumber(page);
        for (let t = 0; t < 3; t++) {
          await send(page, 1, { method: "PUT", node: 1, value: `w${t}` });
          await send(page, 1, { method: "GET", node: 1, level: "eventual" });
          // A client failing over: the leader goes, and it asks node-2.
          await page.getByRole("button", { name: "Pause" }).click();
          await page.locator(".cluster .node").nth(0).click();
          const card = await clientCard(page, 1);
          await card.getByLabel("Node").selectOption("2");
          await card.getByRole("button", { name: "Send" }).click();
          await page.getByRole("button", { name: "Play" }).click();
          await card.locator(".result .badge:not(.pending)").first().waitFor({ timeout: 30_000 });
          const result = await check(page);
          if (result.passed) return result;
          // node-2 had caught up: bring node-1 back and try again.
          await page.locator(".cluster .node").nth(0).click();
          await wait(page, 2);
        }
        assert.fail("not passed in 3 tries");
      },
      missing: /node-1 is still up\./,
    },
  ],
  causal: [
    {
      right: (page) => writeThenRead(page, { client: 1, node: 2, level: "monotonic_reads" }),
      wrong: async (page) => {
        await leaderNumber(page);
        await send(page, 1, { method: "PUT", node: 1, value: "Alice" });
        await send(page, 1, { method: "GET", node: 2, level: "eventual" });
      },
      missing: /No monotonic_reads read by client 1 has broken “read your writes” yet\./,
    },
    {
      right: (page) => newThenOld(page, "read_your_writes", 4),
      missing: /No read_your_writes read by client 2 has broken “monotonic reads” yet\./,
    },
    {
      right: (page) => newThenOld(page, "causal", 1),
      wrong: (page) => newThenOld(page, "read_your_writes", 1, false),
      missing: /No causal read by client 2 at node-2 has returned the newest acknowledged value yet\./,
    },
  ],
  linearizable: [
    {
      right: (page) => readAhead(page, "strong"),
      wrong: async (page) => {
        await leaderNumber(page);
        await send(page, 1, { method: "PUT", node: 3, value: "Bob" });
        await send(page, 1, { method: "GET", node: 3, level: "strong" });
        await send(page, 2, { method: "GET", node: 2, level: "strong" });
      },
      missing: /No strong read by client 2 has returned an older value than a read that had returned before it began yet\./,
    },
    {
      right: async (page) => {
        await page.getByLabel("Read repair (strong reads)").selectOption("blocking");
        return readAhead(page, "strong");
      },
      wrong: (page) => readAhead(page, "strong"),
      missing: /the step asks for read repair blocking\./,
    },
    {
      right: (page) => readAhead(page, "linearizable", [2, 3]),
      wrong: (page) => readAhead(page, "strong", [2, 3]),
      missing: /No linearizable read by client 2 has begun after an earlier read returned a write not yet acknowledged/,
    },
  ],
  monotonic: [
    {
      right: (page) => newThenOld(page, "eventual", 4),
      missing: /No read by client 2 has broken “monotonic reads” yet\./,
    },
    {
      right: (page) => newThenOld(page, "monotonic_reads", 1),
      wrong: (page) => newThenOld(page, "eventual", 1, false),
      missing: /No monotonic_reads read by client 2 at node-2 has returned the newest acknowledged value yet\./,
    },
  ],
};

/** The console's exercise 2 button, until both reads are answered. */
async function runExercise2(page) {
  await page.getByRole("button", { name: "Run exercise 2" }).click();
  await page.getByRole("group", { name: /Exercise 2/ }).last().waitFor();
  const speed = page.getByRole("slider", { name: "Speed" });
  const was = await speed.inputValue();
  await page.waitForFunction(() => {
    const values = [...document.querySelectorAll(".pair-value")];
    return values.length > 0 && values.every((e) => e.textContent !== "waiting…");
  }, null, { timeout: 60_000 });
  await speed.fill(was);
}

/** Client 1 writes; client 2 reads node-3, then node-2 once that answers. */
async function newThenOld(page, level, tries, checked = true) {
  await leaderNumber(page);
  for (let t = 0; t < tries; t++) {
    await send(page, 1, { method: "PUT", node: 1, value: `m${t}` });
    await send(page, 2, { method: "GET", node: 3, level });
    await send(page, 2, { method: "GET", node: 2, level });
    if (!checked) return;
    const result = await check(page);
    if (result.passed) return result;
  }
  assert.fail(`not passed in ${tries} tries: ${await panel(page).locator(".lesson-feedback").textContent()}`);
}

/**
 * Client 1 writes to node-3, the leader, and reads it back at `level`
 * without waiting for the write; once that read returns, client 2 reads at
 * each node of `then`.
 */
async function readAhead(page, level, then = [2]) {
  assert.equal(await leaderNumber(page), 3, "the lesson says node-3 leads");
  await sendNow(page, 1, { method: "PUT", node: 3, value: "Bob" });
  await send(page, 1, { method: "GET", node: 3, level });
  for (const node of then) await send(page, 2, { method: "GET", node, level });
  return check(page);
}

for (const lesson of lessonFiles) {
  test(`${lesson.id}: a learner who does each step's task passes its check; one who does not is told what is missing`, async () => {
    const steps = scripts[lesson.id];
    assert.ok(steps, `no scripted learner for lesson ${lesson.id}`);
    assert.equal(steps.length, lesson.steps.length, `a scripted learner for every step of ${lesson.id}`);
    // The one who does something else first, each step from its own link.
    for (const [k, step] of steps.entries()) {
      if (!lesson.steps[k].check) continue;
      const page = await open(`?lesson=${lesson.id}&step=${k + 1}`);
      await openStep(page, lesson.id, k + 1);
      // A step that keeps the run starts, from its link, with the run of
      // the step before it.
      await step.wrong?.(page);
      const { passed, text } = await check(page);
      assert.equal(passed, false, `${lesson.id} step ${k + 1}: ${text}`);
      assert.match(text, /^Not yet\./);
      assert.match(text, step.missing);
      if (lesson.steps[k].hint) assert.ok(text.includes(`Hint: ${lesson.steps[k].hint}`), text);
      await settle(`${lesson.id} step ${k + 1} reported errors`);
    }
    // Then the whole lesson in order, as a learner walks it.
    const page = await open(`?lesson=${lesson.id}`);
    for (const [k, step] of steps.entries()) {
      await openStep(page, lesson.id, k + 1);
      assert.match(page.url(), new RegExp(`\\?lesson=${lesson.id}&step=${k + 1}$`));
      const { passed, text } = await step.right(page);
      assert.ok(passed, `${lesson.id} step ${k + 1}: ${text}`);
      assert.match(text, /^✓ Done: the run shows it\./);
      assert.ok(text.includes(`Why: ${lesson.steps[k].why}`), text);
      assert.match(await panel(page).locator(".lesson-where").textContent(), /✓ done/);
      if (k + 1 < steps.length) {
        await panel(page).getByRole("button", { name: "Continue →" }).click();
      }
    }
  });
}

test("progress survives a reload, and the list says how far each lesson got", async () => {
  const page = await open("?lesson=partition&step=1");
  await openStep(page, "partition", 1);
  assert.ok((await scripts.partition[0].right(page)).passed);
  await page.reload();
  await openStep(page, "partition", 1);
  assert.match(await panel(page).locator(".lesson-where").textContent(), /step 1 of 2 · ✓ done/);
  await panel(page).getByRole("button", { name: "All lessons" }).click();
  await panel(page).getByRole("heading", { name: "Lessons" }).waitFor();
  const item = panel(page).locator("li").filter({ hasText: "A partition: consistency or availability" });
  assert.match(await item.textContent(), /1 of 2 tasks done/);
  assert.match(await panel(page).locator("li").first().textContent(), /0 of 2 tasks done/);
  // The heading a keyboard user lands on when the view changes.
  assert.equal(await page.evaluate(() => document.activeElement?.id), "lesson-title");
  assert.match(page.url(), /\?lesson=partition&step=1$/, "the list keeps the last step's link");
});

test("a step's link opens that step, Back goes to the one before, and a bad link says why", async () => {
  const page = await open("?lesson=partition&step=2");
  await openStep(page, "partition", 2);
  assert.match(await panel(page).locator(".lesson-where").textContent(), new RegExp(`Lesson 5 of ${lessonFiles.length}: A partition: consistency or availability · step 2 of 2`));
  // The step's run: five nodes, as the lesson's first step set them.
  assert.equal(await page.locator(".cluster .node").count(), 5);
  await panel(page).getByRole("button", { name: "← Back" }).click();
  await openStep(page, "partition", 1);
  await page.waitForURL(/\?lesson=partition&step=1$/);
  await settle();
  const bad = await open("?lesson=%3Cimg%20src%3Dx%3E&step=1");
  await panel(bad).getByRole("alert").waitFor();
  assert.match(await panel(bad).getByRole("alert").textContent(), /there is no lesson called "%3Cimg%20src%3Dx%3E"/);
  assert.equal(await bad.locator(".lesson img").count(), 0, "the bad id is shown as text");
  await panel(bad).getByRole("button", { name: "All lessons" }).click();
  await panel(bad).getByRole("heading", { name: "Lessons" }).waitFor();
});

test("the Lessons button opens the list; a lesson starts its run; × closes the panel", async () => {
  const page = await open();
  await page.getByRole("button", { name: "Lessons" }).click();
  await panel(page).getByRole("heading", { name: "Lessons" }).waitFor();
  assert.equal(await panel(page).locator(".lesson-list li").count(), lessonFiles.length);
  await panel(page).getByRole("button", { name: "A partition: consistency or availability" }).click();
  await openStep(page, "partition", 1);
  await page.locator(".cluster .node").nth(4).waitFor();
  await panel(page).getByRole("button", { name: "Close the lesson" }).click();
  assert.equal(await panel(page).count(), 0);
});

test("the quiz scores each answer, explains it, and links to a run that shows it", async () => {
  const quiz = JSON.parse(readFileSync(LESSONS + "quiz.json", "utf8"));
  assert.ok(quiz.questions.length >= 15);
  const page = await open("?lesson=follower-read");
  await openStep(page, "follower-read", 1);
  await panel(page).getByRole("button", { name: "All lessons" }).click();
  await panel(page).getByRole("button", { name: "Check your understanding: the quiz" }).click();
  await panel(page).getByRole("heading", { name: "Check your understanding" }).waitFor();
  const [first, second] = quiz.questions;
  const group = (i) => panel(page).getByRole("group", { name: `Question ${i}` });
  await group(1).getByRole("button", { name: first.choices[first.answer], exact: true }).click();
  await panel(page).getByText("1 right of 1 answered").waitFor();
  const wrongChoice = second.choices[(second.answer + 1) % second.choices.length];
  await group(2).getByRole("button", { name: wrongChoice, exact: true }).click();
  await panel(page).getByText("1 right of 2 answered").waitFor();
  const explain = panel(page).locator(".quiz-explain");
  assert.match(await explain.nth(0).textContent(), new RegExp(`^Right\\. ${first.explain.slice(0, 30).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
  assert.ok((await explain.nth(1).textContent()).startsWith(`Not quite: the answer is “${second.choices[second.answer]}”.`));
  assert.equal(await group(2).getByRole("button", { name: wrongChoice, exact: true }).getAttribute("aria-pressed"), "true");
  const link = explain.nth(1).getByRole("link", { name: "See it in a run" });
  assert.equal(await link.getAttribute("href"), second.run);
  await link.click();
  await page.waitForURL(new RegExp(second.run.replace("?", "\\?") + "$"));
  await panel(page).getByRole("heading").first().waitFor();
});

test("axe finds no violations in a lesson step, with feedback, on desktop and phone", async () => {
  for (const viewport of [undefined, PHONE]) {
    const page = await open("?lesson=partition&step=1", viewport && { viewport });
    await openStep(page, "partition", 1);
    await check(page);
    assert.deepEqual(await axeViolations(page), []);
    await settle();
  }
});

test("on a phone a step leaves the cluster on the first screen, and its buttons and feedback in view", async () => {
  const page = await open("?lesson=linearizable&step=1", { viewport: PHONE });
  await openStep(page, "linearizable", 1);
  const lesson = await panel(page).boundingBox();
  const cluster = await page.locator(".cluster").boundingBox();
  assert.ok(lesson.height <= PHONE.height / 2 + 1, `the step takes ${lesson.height} px`);
  assert.ok(cluster.y + 120 < PHONE.height, `the cluster starts at ${cluster.y} px`);
  const button = panel(page).getByRole("button", { name: "Check my run" });
  const inside = async (locator) => {
    const b = await locator.boundingBox();
    return b.y >= lesson.y && b.y + b.height <= lesson.y + lesson.height + 1;
  };
  assert.ok(await inside(button), "Check my run is in view without scrolling the panel");
  await check(page);
  // The task and what the check found are reached by scrolling the panel.
  const feedback = panel(page).locator(".lesson-verdict");
  await feedback.scrollIntoViewIfNeeded();
  assert.ok(await inside(feedback), "the verdict scrolls into the panel's view");
  assert.ok(await inside(button), "and the buttons stay");
  assert.deepEqual(await axeViolations(page), []);
});

test("a learner's markup in a value stays text in the lesson's feedback", async () => {
  const evil = "<img src=x onerror=alert(1)>";
  const page = await open("?lesson=follower-read&step=2");
  await openStep(page, "follower-read", 2);
  await leaderNumber(page);
  await send(page, 1, { method: "PUT", node: 1, value: evil });
  await wait(page, 1.2);
  await send(page, 2, { method: "GET", node: 2, level: "eventual" });
  const { passed, text } = await check(page);
  assert.ok(passed, text);
  assert.ok(text.includes(`returned “${evil}”`), text);
  assert.equal(await page.locator(".lesson img").count(), 0);
});

test("the quorum map: its cells agree with quorum run, a cell sets W and R, and a use case is judged by its numbers", async () => {
  const QUORUM = new URL("../../target/debug/quorum", import.meta.url).pathname;
  const page = await open();
  await page.getByRole("slider", { name: "Nodes (N)" }).fill("5");
  await page.getByRole("button", { name: "Lessons" }).click();
  await panel(page).getByRole("button", { name: "Exercise 3: the quorum map" }).click();
  const grid = panel(page).getByRole("grid", { name: "Quorum map" });
  await grid.waitFor({ timeout: 30_000 });
  const cells = grid.locator("td");
  assert.equal(await cells.count(), 25, "every W and R for N = 5");
  // Each cell is the run the panel names, as quorum run runs it.
  const base = JSON.parse(await panel(page).locator(".map-scenario").textContent());
  assert.equal(base.config.n, 5);
  const dir = mkdtempSync(join(tmpdir(), "playground-map-"));
  for (const [w, r] of [[1, 1], [2, 3], [5, 5]]) {
    const cell = grid.locator(`td[data-w="${w}"][data-r="${r}"]`);
    const file = join(dir, `map-${w}-${r}.json`);
    writeFileSync(file, JSON.stringify({ ...base, config: { ...base.config, w, r } }));
    const run = JSON.parse(execFileSync(QUORUM, ["run", "--scenario", file, "--json"], { encoding: "utf8" }));
    const number = async (name) => Number(await cell.getAttribute(`data-${name}`));
    assert.equal(await number("lost"), run.lost_acked_writes, `W = ${w}, R = ${r}: lost`);
    assert.ok(Math.abs((await number("stale")) - (100 * run.stale_reads) / run.reads) < 0.001, `W = ${w}, R = ${r}: stale`);
    const available = (100 * (run.ops - run.failed_ops - run.unknown_ops)) / run.ops;
    assert.ok(Math.abs((await number("available")) - available) < 0.001, `W = ${w}, R = ${r}: availability`);
    const p99 = Math.max(run.read_latency_ms_p99, run.write_latency_ms_p99);
    assert.ok(Math.abs((await number("p99")) - p99) < 0.001, `W = ${w}, R = ${r}: p99`);
  }
  assert.ok(Number(await grid.locator('td[data-w="1"][data-r="1"]').getAttribute("data-stale")) > 0, "partial quorums read stale values");
  // A use case, then a cell: judged by the map's numbers; the cell's W and R are set.
  await panel(page).getByRole("group", { name: "Use case" }).getByRole("button", { name: "Bank balance transfer" }).click();
  await panel(page).getByText("No money may vanish").waitFor();
  await grid.getByRole("button", { name: /^W = 1, R = 1:/ }).click();
  const verdict = panel(page).locator(".map-verdict");
  await verdict.getByText(/^Not this one for a bank balance transfer: W = 1, R = 1: [1-9]\d* % stale reads/).waitFor({ timeout: 30_000 });
  assert.equal(await page.getByRole("slider", { name: "Write quorum (W)" }).inputValue(), "1");
  assert.equal(await page.getByRole("slider", { name: "Read quorum (R)" }).inputValue(), "1");
  await panel(page).getByRole("grid", { name: "Quorum map" }).getByRole("button", { name: /^W = 3, R = 3:/ }).click();
  await verdict.getByText(/^A good choice for a bank balance transfer: W = 3, R = 3: 0 % stale reads, 0 lost acknowledged writes/).waitFor({ timeout: 30_000 });
  assert.equal(await page.getByRole("slider", { name: "Write quorum (W)" }).inputValue(), "3");
  // Another colour: the cells show the metric chosen.
  await panel(page).getByRole("group", { name: "Colour by" }).getByRole("button", { name: "Availability" }).click();
  await panel(page).getByRole("grid", { name: "Quorum map" }).getByRole("button", { name: /^W = 1, R = 1: \d+ %$/ }).waitFor({ timeout: 30_000 });
  assert.deepEqual(await axeViolations(page), []);
});
