// Writes desktop (1280x800) and phone (390x844) screenshots of chosen states
// of the release build to one folder, for people to look at:
//   node scripts/screenshots.mjs [out-dir]     (default: screenshots/)
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { serveDist, launch, openPage, runTo, DESKTOP, PHONE } from "../tests/e2e/harness.mjs";

const out = process.argv[2] ?? "screenshots";

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

// Each state: a name and what to do on a freshly loaded page.
const STATES = [
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
  ["clients-stale-read", async (page) => {
    await fastForward(page);
    const leader = Number((await page.locator(".node.leader .node-name").first().textContent()).slice(5));
    await page.getByRole("slider", { name: "Write quorum (W)" }).fill("1");
    await page.getByRole("slider", { name: "Latency (ms)" }).fill("200");
    const card = (i) => page.getByRole("region", { name: `Client ${i}`, exact: true });
    await card(1).getByLabel("Node").selectOption(String(leader));
    await card(1).getByRole("button", { name: "Send" }).click();
    await card(2).getByLabel("Node").selectOption(String((leader % 3) + 1));
    await card(2).getByRole("button", { name: "Send" }).click();
    await card(2).locator(".badge.stale").waitFor();
    await card(1).getByLabel("Node").selectOption(String((leader % 3) + 1));
    await card(1).getByRole("button", { name: "Send" }).click();
    await page.waitForTimeout(300);
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

await mkdir(out, { recursive: true });
const server = await serveDist();
const browser = await launch();
let failed = false;
try {
  for (const [name, act] of STATES) {
    for (const [size, viewport] of [["desktop", DESKTOP], ["phone", PHONE]]) {
      for (const scheme of ["light", "dark"]) {
        const { page, problems, close } = await openPage(browser, server.url, { viewport, colorScheme: scheme });
        await act(page);
        const file = join(out, `${name}-${size}-${scheme}.png`);
        await page.screenshot({ path: file, fullPage: true });
        if (problems.length) {
          failed = true;
          console.error(`${file}: ${problems.join("; ")}`);
        } else console.log(file);
        await close();
      }
    }
  }
} finally {
  await browser.close();
  await server.close();
}
process.exit(failed ? 1 : 0);
