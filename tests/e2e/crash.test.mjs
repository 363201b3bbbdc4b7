// A panic shows a clear message on the page instead of a blank or frozen one.
import { test } from "node:test";
import assert from "node:assert/strict";
import { suite } from "./harness.mjs";

const { raw } = suite();

test("a panic puts one plain message on the page and logs the details", async () => {
  const { page, problems, close } = await raw();
  try {
    for (let i = 0; i < 2; i++) {
      const threw = await page.evaluate(() => {
        try {
          window.wasmBindings.crash_self_test();
          return false;
        } catch {
          return true;
        }
      });
      assert.ok(threw, "the self-test panics");
    }
    const alert = page.getByRole("alert");
    assert.equal(await alert.count(), 1, "one message, however many panics");
    assert.match(await alert.textContent(), /stopped because of a bug: crash self-test requested .*share it to report the bug/);
    assert.ok(problems.length >= 1 && problems.every((p) => /panicked: crash self-test requested/.test(p)), problems.join("\n"));
    await page.getByRole("heading", { name: /^The cluster/ }).waitFor();
  } finally {
    await close();
  }
});
