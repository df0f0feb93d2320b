// The first thing a person does: open the page, load the demo, run it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serveDist, launch, TunaPage } from "./harness.mjs";

let server, browser;
before(async () => {
  server = await serveDist();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test("the demo runs in Web Workers and shows every candidate and the best params", async () => {
  const page = new TunaPage(await browser.newPage({ viewport: { width: 1280, height: 900 } }));
  const errors = [];
  page.page.on("pageerror", (e) => errors.push(e.message));
  await page.open(server.url);
  await page.screenshot("before-run");
  await page.loadDemo();
  await page.run();
  await page.waitForState("running");
  await page.screenshot("during-run");
  await page.waitForState("done");
  await page.screenshot("after-run");
  const means = await page.column("mean_test_score");
  assert.equal(means.length, 6, "one row per candidate");
  const ranks = await page.column("rank_test_score");
  assert.ok(ranks.includes("1"));
  const best = JSON.parse(await page.el("best-params").textContent());
  assert.deepEqual(Object.keys(best).sort(), ["max_depth", "min_samples_leaf"]);
  assert.match(await page.el("best-score").textContent(), /^-\d/);
  assert.deepEqual(errors, []);
});
