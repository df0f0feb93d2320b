// Markup in data and config is shown as text, never run: no <img> is created
// from it, no script runs, no dialog opens.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { setUp, TunaPage, FIXTURES, DIST, jobToml } from "./harness.mjs";

let env;
before(async () => { env = await setUp(); });
after(async () => { await env?.tearDown(); });

/** Elements the markup would have created if it had been parsed as HTML. */
async function injected(page) {
  return page.page.evaluate(() => [
    ...[...document.querySelectorAll("img")].filter((i) => i.hasAttribute("onerror") || /\/(x|y|z)$/.test(i.src)),
    ...[...document.querySelectorAll("script")].filter((s) => /alert/.test(s.textContent)),
    ...[...document.querySelectorAll("b")].filter((b) => b.textContent === "bold"),
  ].map((e) => e.outerHTML));
}

test("a CSV header and cells with markup render as text, also through a whole run", async () => {
  const inputs = join(FIXTURES, "markup_inputs.csv");
  const targets = join(FIXTURES, "markup_targets.csv");
  const header = (await readFile(inputs, "utf8")).split("\n")[0].split(",");
  const badCell = (await readFile(targets, "utf8")).split("\n").find((l) => l.startsWith("<img"));
  assert.equal(header[0], "<img src=x onerror=alert(1)>");

  const page = await TunaPage.create(env.browser);
  try {
    await page.open(env.server.url);
    await page.prepare({ inputs, targets, config: jobToml({ model: 'KIND = "Ridge"', grid: "{ alpha = [1.0] }" }) });
    // The inputs preview shows each header exactly, as text.
    for (const name of header) {
      await page.page.getByText(name, { exact: true }).first().waitFor({ timeout: 5_000 });
    }
    // The targets file has markup in a cell: its error quotes it as text (on picking or at the latest on Run).
    if (!(await page.errorText()).includes(badCell)) await page.runAndWait();
    assert.ok((await page.errorText()).includes(badCell), `the error quotes ${badCell}: ${await page.errorText()}`);

    // With good targets, the markup-named columns go through a whole run (log, lineage, results).
    await page.pick("targets", join(FIXTURES, "small_targets.csv"));
    await page.runToDone();
    await page.page.waitForTimeout(500); // time for an injected image's onerror to fire
    assert.deepEqual(await injected(page), [], "no element was created from the data");
    assert.deepEqual(page.dialogs, [], "no dialog opened");
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
});

test("markup in the config's run name stays text through a whole run", async () => {
  const name = "<img src=z onerror=alert(4)>";
  const page = await TunaPage.create(env.browser);
  try {
    await page.open(env.server.url);
    const demo = await readFile(join(DIST, "demos", "regression.toml"), "utf8");
    await page.loadDemo();
    await page.setConfig(demo.replace(/^name = .*$/m, `name = ${JSON.stringify(name)}`));
    await page.runToDone();
    // The run's name is logged (step 2 names the run): as the literal text.
    const log = await page.el("log").textContent();
    assert.ok(log.includes(name), `the log shows the run name as text: ${log.slice(0, 300)}`);
    await page.page.waitForTimeout(500);
    assert.deepEqual(await injected(page), []);
    assert.deepEqual(page.dialogs, []);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
});
