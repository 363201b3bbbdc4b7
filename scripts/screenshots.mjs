// Writes desktop (1280x800) and phone (390x844) screenshots of chosen states
// of the release build to one folder, for people to look at:
//   node scripts/screenshots.mjs [out-dir]     (default: screenshots/)
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { serveDist, launch, openPage, DESKTOP, PHONE } from "../tests/e2e/harness.mjs";

const out = process.argv[2] ?? "screenshots";

// Each state: a name and what to do on a freshly loaded page.
const STATES = [
  ["default", async () => {}],
  ["nine-nodes", async (page) => {
    await page.getByRole("slider", { name: "Nodes (N)" }).fill("9");
  }],
  ["clamped", async (page) => {
    await page.getByRole("slider", { name: "Nodes (N)" }).fill("5");
    await page.getByRole("slider", { name: "Write quorum (W)" }).fill("5");
    await page.getByRole("slider", { name: "Nodes (N)" }).fill("2");
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
