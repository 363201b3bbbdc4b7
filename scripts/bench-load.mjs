// First-load benchmark (not a test): how much longer the playground takes to
// become usable than a bare Yew counter built the same way.
//
//   node scripts/bench-load.mjs [--runs 10] [--max-ratio 1.5]
//
// Builds the counter (one Pause/Play button and a number) in
// target/bench-load/counter with the playground's yew, gloo and wasm-bindgen
// pins, its release profile, Cargo.lock and Trunk.toml, so the only
// difference is the app. Serves it and the playground's dist/ gzip-encoded on
// 127.0.0.1 and loads each --runs times, alternating, in a fresh browser
// context (no cache). A load is the time from navigation start to an enabled
// `button.primary` reading "Pause", the moment the page can be used.
// Prints every load, the medians and their ratio. Exits 0 unless --max-ratio
// is given and exceeded. Needs a release build in dist/ for the sub-path:
// `PUBLIC_URL=/course/playground/ ./scripts/build.sh`.
import { spawnSync } from "node:child_process";
import { createServer } from "node:http";
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync, existsSync } from "node:fs";
import { join, extname } from "node:path";
import { gzipSync } from "node:zlib";
import { launch, BASE, DESKTOP } from "../tests/e2e/harness.mjs";

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const RUNS = arg("runs", 10);
const MAX_RATIO = arg("max-ratio", Infinity);
const ROOT = new URL("..", import.meta.url).pathname;
const COUNTER = join(ROOT, "target/bench-load/counter");

// A stuck build or page must not hang a benchmark left running.
setTimeout(() => {
  console.error("bench-load: gave up after 30 minutes");
  process.exit(1);
}, 30 * 60_000).unref();

const manifest = readFileSync(join(ROOT, "Cargo.toml"), "utf8");
const pin = (name) => {
  const line = new RegExp(`^${name} = .*$`, "m").exec(manifest);
  if (!line) throw new Error(`Cargo.toml has no ${name} dependency line`);
  return line[0];
};
const profile = /^\[profile\.release\]\n(?:.+\n)*/m.exec(manifest)[0];

const files = {
  // Its own [workspace]: it sits below the playground's workspace root.
  "Cargo.toml": `[package]
name = "load-counter"
version = "0.1.0"
edition = "2021"
publish = false

[workspace]

[dependencies]
${pin("yew")}
${pin("gloo")}
${pin("wasm-bindgen")}

${profile}`,
  "Cargo.lock": readFileSync(join(ROOT, "Cargo.lock"), "utf8"),
  "Trunk.toml": readFileSync(join(ROOT, "Trunk.toml"), "utf8"),
  "index.html": `<!doctype html>
<html lang="en">
<head>
    <meta charset="utf-8" />
    <title>Counter</title>
    <base data-trunk-public-url />
    <link data-trunk rel="rust" data-wasm-opt="z" />
</head>
<body></body>
</html>
`,
  "src/main.rs": `use gloo::timers::callback::Interval;
use std::rc::Rc;
use yew::prelude::*;

struct Count(u64);

impl Reducible for Count {
    type Action = ();
    fn reduce(self: Rc<Self>, _: ()) -> Rc<Self> {
        Rc::new(Count(self.0 + 1))
    }
}

#[function_component]
fn App() -> Html {
    let count = use_reducer(|| Count(0));
    let playing = use_state(|| true);
    let tick = count.dispatcher();
    use_effect_with(*playing, move |&playing| {
        let interval = playing.then(|| Interval::new(100, move || tick.dispatch(())));
        move || drop(interval)
    });
    let toggle = {
        let playing = playing.clone();
        Callback::from(move |_| playing.set(!*playing))
    };
    html! {
        <main>
            <button type="button" class="primary" onclick={toggle}>
                { if *playing { "Pause" } else { "Play" } }
            </button>
            <output>{ count.0 }</output>
        </main>
    }
}

fn main() {
    yew::Renderer::<App>::new().render();
}
`,
};

// Rewriting an unchanged file would make cargo rebuild the crate.
for (const [name, text] of Object.entries(files)) {
  const path = join(COUNTER, name);
  mkdirSync(join(path, ".."), { recursive: true });
  if (!existsSync(path) || readFileSync(path, "utf8") !== text) writeFileSync(path, text);
}
console.log(`building the counter in ${COUNTER} (minutes the first time)`);
// env.sh puts the pinned trunk, wasm-bindgen and wasm-opt first on PATH.
const build = spawnSync(
  "bash",
  ["-c", `. scripts/env.sh && cd "$1" && trunk build --release --offline --public-url ${BASE}`, "build", COUNTER],
  { cwd: ROOT, stdio: "inherit", timeout: 20 * 60_000 },
);
if (build.status !== 0) {
  console.error("bench-load: the counter did not build");
  process.exit(1);
}

const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".wasm": "application/wasm", ".css": "text/css", ".svg": "image/svg+xml" };

/** Serves `dist` below BASE on 127.0.0.1 from memory, gzip -9 as a CDN would. */
async function serveGzip(dist) {
  if (!existsSync(join(dist, "index.html"))) {
    throw new Error(`${dist}/index.html is missing: PUBLIC_URL=${BASE} ./scripts/build.sh first`);
  }
  const gz = new Map();
  for (const name of readdirSync(dist, { recursive: true })) {
    const file = join(dist, name);
    if (statSync(file).isFile()) gz.set(name, gzipSync(readFileSync(file), { level: 9 }));
  }
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    const name = path.startsWith(BASE) ? path.slice(BASE.length) || "index.html" : undefined;
    const body = gz.get(name);
    if (!body) return res.writeHead(404).end();
    res.writeHead(200, { "content-type": TYPES[extname(name)] ?? "application/octet-stream", "content-encoding": "gzip" });
    res.end(body);
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  return { url: `http://127.0.0.1:${server.address().port}${BASE}`, close: () => new Promise((ok) => server.close(ok)) };
}

/**
 * One load in a fresh context: ms from navigation start to an enabled Pause
 * and to the wasm's last byte, and the gzip bytes that arrived before Pause.
 */
async function load(browser, url) {
  const context = await browser.newContext({ viewport: DESKTOP });
  // Observed from before the first script runs, so the moment is the DOM
  // change itself, not the next poll.
  await context.addInitScript(() => {
    new MutationObserver((_, observer) => {
      const button = document.querySelector("button.primary");
      if (button && !button.disabled && button.textContent.trim() === "Pause") {
        window.__pauseReady = performance.now();
        observer.disconnect();
      }
    }).observe(document, { childList: true, subtree: true, characterData: true, attributes: true });
  });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  try {
    await page.goto(url);
    const ready = await (await page.waitForFunction(() => window.__pauseReady, null, { timeout: 30_000 })).jsonValue();
    const { wasm, bytes } = await page.evaluate((ready) => {
      const entries = [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")];
      return {
        wasm: entries.find((e) => e.name.endsWith("_bg.wasm"))?.responseEnd,
        bytes: entries.filter((e) => e.responseEnd <= ready).reduce((n, e) => n + e.encodedBodySize, 0),
      };
    }, ready);
    if (errors.length) throw new Error(errors.join("; "));
    return { ready, wasm, bytes };
  } finally {
    await context.close();
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const sites = { counter: await serveGzip(join(COUNTER, "dist")), playground: await serveGzip(join(ROOT, "dist")) };
const times = { counter: [], playground: [] };
const browser = await launch();
try {
  // Round 0 warms up the browser itself (its first context starts slowly)
  // and is not counted. Alternating spreads the shared machine's ups and
  // downs over both sites.
  for (let i = 0; i <= RUNS; i++) {
    for (const [name, site] of Object.entries(sites)) {
      const { ready, wasm, bytes } = await load(browser, site.url);
      if (i > 0) times[name].push(ready);
      console.log(
        `${name.padEnd(10)} ${i ? `load ${String(i).padStart(2)}` : "warm-up"}: Pause ready at ${ready.toFixed(0).padStart(5)} ms ` +
          `(wasm downloaded at ${wasm.toFixed(0)} ms; ${(bytes / 1000).toFixed(1)} kB gzip before Pause)`,
      );
    }
  }
} finally {
  await browser.close();
  for (const site of Object.values(sites)) await site.close();
}
const counter = median(times.counter);
const playground = median(times.playground);
const ratio = playground / counter;
console.log(`median of ${RUNS} loads: counter ${counter.toFixed(0)} ms, playground ${playground.toFixed(0)} ms, ratio ${ratio.toFixed(2)}`);
if (ratio > MAX_RATIO) {
  console.error(`bench-load: ratio ${ratio.toFixed(2)} is over --max-ratio ${MAX_RATIO}`);
  process.exit(1);
}
