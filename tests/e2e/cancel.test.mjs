// Cancel stops a long search at once, keeps what had finished, and leaves the
// page ready for the next run.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { setUp, TunaPage, DIST, cellNumber } from "./harness.mjs";

let env, demo;
before(async () => {
  env = await setUp();
  demo = await readFile(join(DIST, "demos", "regression.toml"), "utf8");
});
after(async () => { await env?.tearDown(); });

/** The demo job with its model and grid replaced by a slow forest grid (3 x 3 candidates). */
function slowJob() {
  const job = demo
    .replace(/^n_estimators = \d+$/m, "n_estimators = 200")
    .replace(/^param_grid = .*$/m, "param_grid = { max_depth = [3, 5, 7], min_samples_leaf = [1, 5, 20] }");
  assert.match(job, /n_estimators = 200/);
  assert.match(job, /min_samples_leaf = \[1, 5, 20\]/);
  return job;
}

test("cancel stops a running search within 2 s, keeps finished fits, and the page runs again", async (t) => {
  const page = await TunaPage.create(env.browser);
  try {
    await page.open(env.server.url);
    await page.loadDemo();
    await page.setConfig(slowJob());
    await page.run();
    await page.waitForState("running");

    // Wait until a few fits have finished, then cancel.
    await page.page.waitForFunction(() => {
      const m = document.querySelector('[data-testid="progress"]')?.textContent.match(/(\d+)\s*\/\s*(\d+)\s*fits/);
      return m && Number(m[1]) >= 3;
    }, null, { timeout: 60_000, polling: 20 });
    await page.el("cancel-button").click();
    const atClick = await page.fits();
    assert.ok(atClick && atClick.done < atClick.total, `the search was still running at the click: ${JSON.stringify(atClick)}`);
    await page.waitForState("cancelled", 5_000);

    const probes = await page.probes();
    const clicked = probes.clicks.filter((c) => c.id === "cancel-button").at(-1).t;
    const cancelled = probes.states.find((s) => s.state === "cancelled" && s.t >= clicked);
    assert.ok(cancelled, `states: ${JSON.stringify(probes.states)}`);
    const latency = cancelled.t - clicked;
    t.diagnostic(`cancel: ${atClick.done}/${atClick.total} fits done at the click; cancelled after ${latency.toFixed(0)} ms`);
    assert.ok(latency <= 2_000, `data-state became cancelled ${latency.toFixed(0)} ms after the click`);

    // Every worker of the search is terminated (fresh ones load for the next run).
    const ran = await page.workersThatRan();
    assert.ok(ran.length >= 1, "the search ran in Web Workers");
    assert.deepEqual(ran.filter((w) => !w.terminated), [], "no Web Worker of the search is left running");

    // Finished fits stay in the table: one row per candidate, a score for every fit that had finished.
    assert.equal(await page.rowCount(), 9, "one row per candidate");
    const cols = (await page.columns()).filter((c) => /^split\d+_test_score$/.test(c));
    assert.equal(cols.length, 4, `split columns: ${cols}`);
    let scored = 0;
    for (const col of cols) scored += (await page.column(col)).map(cellNumber).filter(Number.isFinite).length;
    assert.ok(scored >= atClick.done, `${scored} fold scores shown, ${atClick.done} fits had finished at the click`);
    assert.ok(scored < atClick.total, `${scored} fold scores shown of ${atClick.total}: the search did stop`);

    // The page keeps working: the demo job runs to the end.
    await page.setConfig(demo);
    await page.runToDone();
    assert.equal(await page.rowCount(), 6);
    assert.ok((await page.column("mean_test_score")).map(cellNumber).every(Number.isFinite));
    assert.equal(await page.errorText(), "");
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
});
