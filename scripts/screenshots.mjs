// Writes desktop (1280x800) and phone (390x844) screenshots of chosen states
// of the release build to one folder, for people to look at:
//   node scripts/screenshots.mjs [out-dir]     (default: screenshots/)
import { mkdir, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { serveDist, launch, openPage, runTo, DESKTOP, PHONE } from "../tests/e2e/harness.mjs";

const out = process.argv[2] ?? "screenshots";
// `--lessons`: only the lesson steps, the quorum map and the quiz.
const lessonsOnly = process.argv.includes("--lessons");

// Runs the simulation fast for a moment (so a leader is elected), then back
// to slow motion so messages are caught mid-flight.
async function fastForward(page, ms = 1500) {
  const speed = page.getByRole("slider", { name: "Speed" });
  await speed.fill("9");
  await page.waitForTimeout(ms);
  await speed.fill("3");
  await page.waitForTimeout(300);
}

// The moment each preset shows its idea (simulated seconds).
const PRESET_MOMENTS = {
  "stale-follower-read": 1.05,
  "strong-quorum-read": 5.6,
  "leader-crash": 2.1,
  "partition-split": 3.3,
  "w1-lost-write": 3.3,
  "read-repair": 5.75,
};

/** Waits until `seconds` of wall time have passed since the page loaded. */
const at = (seconds) => async (page, loaded) => {
  const wait = seconds * 1000 - (Date.now() - loaded);
  if (wait > 0) await page.waitForTimeout(wait);
};

// Each state: a name and what to do on a freshly loaded page.
const STATES = [
  ["first-1s", at(1)],
  ["first-5s", at(5)],
  ["first-10s", at(10)],
  ["first-15s", at(15)],
  ["history-linearizability", async (page) => {
    await page.getByRole("combobox", { name: "Scenario preset" }).selectOption("stale-follower-read");
    await runTo(page, 2);
    await page.getByRole("button", { name: "Check linearizability" }).click();
    await page.getByTestId("linear-why").waitFor({ timeout: 30_000 });
    await page.locator("section.history").scrollIntoViewIfNeeded();
  }],
  ["exercise-1", async (page) => {
    await page.locator(".node.leader").waitFor();
    const card = async (i) => {
      const tab = page.getByRole("tab", { name: `Client ${i}` });
      if (await tab.isVisible()) await tab.click();
      return page.getByRole("region", { name: `Client ${i}`, exact: true });
    };
    await (await card(1)).getByRole("button", { name: "Send" }).click();
    await (await card(1)).locator(".badge.fresh").waitFor();
    await (await card(2)).getByRole("button", { name: "Send" }).click();
    await (await card(2)).locator(".result .badge:not(.pending)").first().waitFor();
  }],
  ...Object.entries(PRESET_MOMENTS).map(([id, at]) => [
    `preset-${id}`,
    async (page) => {
      await page.getByRole("combobox", { name: "Scenario preset" }).selectOption(id);
      await runTo(page, at);
    },
  ]),
  ["start", async () => {}],
  ["elected", async (page) => fastForward(page)],
  ["leader-crashed", async (page) => {
    await fastForward(page);
    await page.locator(".node.leader").click();
    await fastForward(page, 800);
  }],
  ["partition", async (page) => {
    await fastForward(page);
    await page.getByRole("checkbox", { name: "node-1" }).check();
    await page.getByRole("button", { name: "Cut off" }).click();
    await fastForward(page, 600);
  }],
  ["console-exercise-2", async (page) => {
    await fastForward(page);
    await page.getByRole("button", { name: "Run exercise 2" }).click();
    await fastForward(page, 1500);
    await page.getByRole("textbox", { name: "Console" }).fill("curl http://localhost:4001/status");
  }],
  ["nine-nodes", async (page) => {
    await page.getByRole("slider", { name: "Nodes (N)" }).fill("9");
    await fastForward(page);
  }],
];

// Every lesson step as its link opens it, then the map and the quiz (light
// theme): a query and what to wait for.
const lessonDir = new URL("../lessons/", import.meta.url).pathname;
const LESSON_SHOTS = [];
for (const file of (await readdir(lessonDir)).filter((f) => f.endsWith(".json") && f !== "quiz.json").sort()) {
  const lesson = JSON.parse(await readFile(lessonDir + file, "utf8"));
  lesson.steps.forEach((step, k) => LESSON_SHOTS.push([`lesson-${lesson.id}-${k + 1}`, `?lesson=${lesson.id}&step=${k + 1}`, step.title]));
}

await mkdir(out, { recursive: true });
const server = await serveDist();
const browser = await launch();
let failed = false;
const done = (file, problems) => {
  if (problems.length) {
    failed = true;
    console.error(`${file}: ${problems.join("; ")}`);
  } else console.log(file);
};
try {
  for (const [name, query, heading] of LESSON_SHOTS) {
    for (const [size, viewport] of [["desktop", DESKTOP], ["phone", PHONE]]) {
      const { page, problems, close } = await openPage(browser, server.url + query, { viewport });
      await page.getByRole("heading", { name: heading }).waitFor({ timeout: 30_000 });
      const file = join(out, `${name}-${size}.png`);
      await page.screenshot({ path: file });
      done(file, problems);
      await close();
    }
  }
  for (const [size, viewport] of [["desktop", DESKTOP], ["phone", PHONE]]) {
    const { page, problems, close } = await openPage(browser, server.url, { viewport });
    await page.getByRole("button", { name: "Lessons" }).click();
    await page.getByRole("button", { name: "Exercise 3: the quorum map" }).click();
    await page.getByRole("grid", { name: "Quorum map" }).waitFor({ timeout: 30_000 });
    await page.getByRole("button", { name: "Bank balance transfer" }).click();
    await page.getByRole("button", { name: /^W = 1, R = 1:/ }).click();
    await page.locator(".map-verdict p").waitFor({ timeout: 30_000 });
    await page.screenshot({ path: join(out, `lesson-map-${size}.png`), fullPage: true });
    await page.getByRole("button", { name: "All lessons" }).click();
    await page.getByRole("button", { name: "Check your understanding: the quiz" }).click();
    await page.getByRole("group", { name: "Question 1" }).getByRole("button").nth(1).click();
    await page.getByRole("group", { name: "Question 2" }).getByRole("button").nth(0).click();
    await page.locator(".quiz-explain").nth(1).waitFor();
    await page.screenshot({ path: join(out, `lesson-quiz-${size}.png`) });
    done(join(out, `lesson-map/quiz-${size}.png`), problems);
    await close();
  }
  for (const [name, act] of lessonsOnly ? [] : STATES) {
    for (const [size, viewport] of [["desktop", DESKTOP], ["phone", PHONE]]) {
      for (const scheme of ["light", "dark"]) {
        const { page, problems, close } = await openPage(browser, server.url, { viewport, colorScheme: scheme });
        await act(page, Date.now());
        const file = join(out, `${name}-${size}-${scheme}.png`);
        // The timed states show what a visitor sees without scrolling; the
        // history state, its panel.
        if (name.startsWith("history")) await page.locator("section.history").screenshot({ path: file });
        else await page.screenshot({ path: file, fullPage: !name.startsWith("first-") });
        done(file, problems);
        await close();
      }
    }
  }
} finally {
  await browser.close();
  await server.close();
}
process.exit(failed ? 1 : 0);
