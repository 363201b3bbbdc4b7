// The size budget check must be able to fail: run it on the real build with
// a budget below its size, and with the committed budget.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";

const script = new URL("../../scripts/size-budget.mjs", import.meta.url).pathname;
const root = new URL("../..", import.meta.url).pathname;
const run = (env) =>
  spawnSync(process.execPath, [script, "dist"], { cwd: root, env: { ...process.env, ...env }, encoding: "utf8" });

test("the committed budget holds for the release build", () => {
  const { status, stdout, stderr } = run({});
  assert.equal(status, 0, stdout + stderr);
  assert.match(stdout, /size budget: ok/);
});

test("a budget below the real size fails the check", () => {
  const { status, stdout } = run({});
  const total = Number(/ok, ([\d.]+) kB/.exec(stdout)[1]) * 1000;
  const below = run({ SIZE_BUDGET_BYTES: String(Math.floor(total - 1000)) });
  assert.equal(below.status, 1, below.stdout + below.stderr);
  assert.match(below.stderr, /FAILED/);
});
