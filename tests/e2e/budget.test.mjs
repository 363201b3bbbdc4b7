// The size budget check must be able to fail: run it on the real build with
// each budget below its set's size, and with the committed budgets.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";

const script = new URL("../../scripts/size-budget.mjs", import.meta.url).pathname;
const root = new URL("../..", import.meta.url).pathname;
const run = (env) =>
  spawnSync(process.execPath, [script, "dist"], { cwd: root, env: { ...process.env, ...env }, encoding: "utf8" });

test("the committed budgets hold for the release build", () => {
  const { status, stdout, stderr } = run({});
  assert.equal(status, 0, stdout + stderr);
  assert.match(stdout, /size budget: first paint ok/);
  assert.match(stdout, /size budget: deferred ok/);
  assert.match(stdout, /size budget: on demand ok/);
  assert.match(stdout, /size budget: lessons ok/);
});

for (const [set, variable] of [["first paint", "SIZE_BUDGET_FIRST_PAINT"], ["deferred", "SIZE_BUDGET_DEFERRED"], ["on demand", "SIZE_BUDGET_ON_DEMAND"], ["lessons", "SIZE_BUDGET_LESSONS"]]) {
  test(`a ${set} budget below its real size fails the check`, () => {
    const { stdout } = run({});
    const total = Number(new RegExp(`${set} ok, ([\\d.]+) kB`).exec(stdout)[1]) * 1000;
    const below = run({ [variable]: String(Math.floor(total - 1000)) });
    assert.equal(below.status, 1, below.stdout + below.stderr);
    assert.match(below.stderr, new RegExp(`${set} FAILED`));
  });
}
