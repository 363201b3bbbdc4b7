// Shared by the browser tests and scripts/screenshots.mjs: serves the release
// build from dist/ on loopback below a sub-path (as a course page hosts it),
// launches Debian's Chromium headless, and records every console error,
// uncaught exception and failed request so a test can insist on none.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { join, extname, normalize } from "node:path";
import { before, after, afterEach } from "node:test";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

export const BASE = "/course/playground/";
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

const ROOT = new URL("../..", import.meta.url).pathname;
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".wasm": "application/wasm",
  ".css": "text/css",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
};

/** Serves `dist` below BASE on 127.0.0.1; anything outside BASE is a 404. */
export async function serveDist(dist = join(ROOT, "dist")) {
  try {
    await stat(join(dist, "index.html"));
  } catch {
    throw new Error(`${dist}/index.html is missing: build the site first (scripts/build.sh)`);
  }
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (!path.startsWith(BASE)) {
      res.writeHead(404).end("outside the playground's sub-path");
      return;
    }
    let file = normalize(join(dist, path.slice(BASE.length)));
    if (!file.startsWith(dist)) {
      res.writeHead(403).end();
      return;
    }
    if (path.endsWith("/")) file = join(file, "index.html");
    try {
      const body = await readFile(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404).end("not found");
    }
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}${BASE}`,
    close: () => new Promise((ok) => server.close(ok)),
  };
}

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-quic",
      "--enable-precise-memory-info",
    ],
  });
}

/**
 * A fresh page at `url` with a `problems` list: console errors, uncaught
 * exceptions, failed requests and HTTP errors, each as one line of text.
 * Resolves once the app has rendered its first frame.
 */
export async function openPage(browser, url, { viewport = DESKTOP, colorScheme = "light", route, requests } = {}) {
  const context = await browser.newContext({ viewport, colorScheme });
  // A test may answer some requests itself (a worker that fails to load)
  // and see every request with its time, from navigation on.
  if (route) await context.route(...route);
  if (requests) context.on("request", (r) => requests.push({ url: r.url(), at: Date.now() }));
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console error: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`uncaught: ${e.message}`));
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on("response", (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  await page.goto(url);
  // The cluster is on every page, embedded or not.
  await page.getByRole("heading", { name: /^The cluster: / }).waitFor();
  return { page, problems, close: () => context.close() };
}

/**
 * One server and one browser for a test file, and after each test a check
 * that the page it opened reported no problems.
 * - `open(query, options)`: the playground (query like "?preset=x"); the page.
 * - `settle(label)`: closes that page now and checks it (for a loop of pages).
 * - `raw(target, options)`: a page the test closes and checks itself; `target`
 *   is a query or a whole URL.
 */
export function suite() {
  let server, browser, opened;
  const settle = async (label = "the page reported errors") => {
    if (!opened) return;
    const { problems, close } = opened;
    opened = undefined;
    await close();
    assert.deepEqual(problems, [], label);
  };
  before(async () => {
    server = await serveDist();
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
  afterEach(() => settle());
  const url = (target) => (target.startsWith("http") ? target : server.url + target);
  return {
    async open(query = "", options) {
      opened = await openPage(browser, url(query), options);
      return opened.page;
    },
    settle,
    raw: (target = "", options) => openPage(browser, url(target), options),
  };
}

/** Runs fast until a leader is on screen, then back to slow motion; its number. */
export async function electLeader(page) {
  const speed = page.getByRole("slider", { name: "Speed" });
  await speed.fill("9");
  const leader = page.locator(".cluster .node.leader .node-name");
  await leader.first().waitFor();
  await speed.fill("3");
  return Number((await leader.first().textContent()).replace("node-", ""));
}

/** Simulated seconds shown by the cluster's clock. */
export async function simTime(page) {
  const text = await page.locator(".clock").textContent();
  return Number(/t = ([\d.]+) s/.exec(text)[1]);
}

/**
 * Runs until the clock reads `seconds`: at 5x until 0.6 s short (a slow
 * frame at 5x is at most 0.5 s of simulated time), at 1x for the rest, then
 * in the slowest motion, so whatever follows happens near that moment.
 */
export async function runTo(page, seconds) {
  const speed = page.getByRole("slider", { name: "Speed" });
  const clock = (s) =>
    page.waitForFunction(
      (s) => Number(/t = ([\d.]+) s/.exec(document.querySelector(".clock").textContent)[1]) >= s,
      s,
      { timeout: 30_000 },
    );
  await speed.fill("8");
  await clock(seconds - 0.6);
  await speed.fill("6");
  await clock(seconds);
  await speed.fill("0");
}

const AXE = join(ROOT, "node_modules/axe-core/axe.min.js");

/**
 * axe-core's violations on the page as it is now (WCAG 2.x A and AA and
 * best practices), each as "rule: target …" lines, for an assertion that
 * names what is wrong.
 */
export async function axeViolations(page) {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.map((n) => `${n.target.join(" ")}: ${n.failureSummary.replace(/\s+/g, " ").slice(0, 200)}`),
    }));
  });
  return violations.flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}) ${n}`));
}

/** The client card `i` (1 or 2); on a phone, its tab is chosen first. */
export async function clientCard(page, i) {
  const tab = page.getByRole("tab", { name: `Client ${i}` });
  if (await tab.isVisible().catch(() => false)) await tab.click();
  return page.getByRole("region", { name: `Client ${i}`, exact: true });
}
