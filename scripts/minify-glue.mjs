// Minifies the JavaScript glue in a release build (dist/ by default) with
// terser, pinned in package.json, and rewrites the integrity hashes that
// index.html holds for it. Trunk's own minifier gives up on the module glue
// wasm-bindgen writes (it fails on `export default` and ships the file
// unminified, with a warning), and the glue is part of every first paint.
//   node scripts/minify-glue.mjs [dist]
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { minify } from "terser";

const dist = process.argv[2] ?? "dist";
const index = join(dist, "index.html");
let html = readFileSync(index, "utf8");
const sri = (text) => `sha384-${createHash("sha384").update(text).digest("base64")}`;

for (const name of readdirSync(dist).filter((f) => f.endsWith(".js"))) {
  const path = join(dist, name);
  const source = readFileSync(path, "utf8");
  // The page's glue is an ES module; the worker's is a classic script.
  const module = /^export /m.test(source);
  const { code } = await minify(source, { module, compress: true, mangle: true });
  if (!code || code.length >= source.length) continue;
  const before = sri(source);
  writeFileSync(path, code);
  if (html.includes(before)) html = html.replaceAll(before, sri(code));
  console.log(`minified ${name}: ${source.length} → ${code.length} B`);
}
writeFileSync(index, html);
