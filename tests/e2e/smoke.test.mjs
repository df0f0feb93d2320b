// The first thing a person does: open the page and press Run (the demo job
// comes with its data); with screenshots before, during and after the run
// (target/screenshots/).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { stat } from "node:fs/promises";
import { setUp, TunaPage, cellNumber } from "./harness.mjs";

let env;
before(async () => { env = await setUp(); });
after(async () => { await env?.tearDown(); });

test("Run on first load runs the demo in Web Workers and shows every candidate and the best params", async () => {
  const page = await TunaPage.create(env.browser);
  try {
    await page.open(env.server.url);
    const shots = [await page.screenshot("before-run")];
    assert.ok(await page.el("run-button").isEnabled(), `Run works on first load: ${await page.runReason()}`);
    assert.equal(await page.runReason(), "");
    await page.page.getByText("randhie_targets.csv").first().waitFor();
    await page.run();
    await page.waitForState("running");
    shots.push(await page.screenshot("during-run"));
    await page.waitForState("done");
    shots.push(await page.screenshot("after-run"));
    for (const shot of shots) assert.ok((await stat(shot)).size > 1000, `${shot} is a real screenshot`);

    assert.ok(page.workers.length >= 1, "the search ran in Web Workers");
    const means = await page.column("mean_test_score");
    assert.equal(means.length, 6, "one row per candidate (3 max_depth x 2 min_samples_leaf)");
    assert.ok(means.map(cellNumber).every(Number.isFinite), `every mean_test_score is a number: ${means}`);
    const ranks = await page.column("rank_test_score");
    assert.ok(ranks.includes("1"));
    const best = JSON.parse(await page.el("best-params").textContent());
    assert.deepEqual(Object.keys(best).sort(), ["max_depth", "min_samples_leaf"]);
    // The best score is the rank-1 row's mean (negated MSE: negative).
    const bestScore = cellNumber(await page.el("best-score").textContent());
    assert.ok(bestScore < 0, `negated MSE is negative: ${bestScore}`);
    assert.equal(bestScore, cellNumber(means[ranks.indexOf("1")]), "best-score is the rank-1 candidate's mean");
    assert.equal(bestScore, Math.max(...means.map(cellNumber)), "rank 1 has the greatest mean");
    // The table leads with the answer: rank, the parameters, then the test score and its spread.
    const columns = await page.columns();
    assert.deepEqual(columns.slice(0, 5),
      ["rank_test_score", "param_max_depth", "param_min_samples_leaf", "mean_test_score", "std_test_score"]);
    // Each number's exact value rides beside its rounded text, as the results JSON writes it.
    const exact = await page.page.locator('[data-testid="results-table"] tbody tr').evaluateAll((rows) => rows
      .map((tr) => [Number(tr.dataset.candidate), Number(tr.querySelector('td[data-col="mean_test_score"]').dataset.value)])
      .sort((a, b) => a[0] - b[0]).map(([, x]) => x));
    assert.equal(Math.max(...exact), Number(await page.el("best-score").getAttribute("title")), "the best row's exact mean is the best score");
    exact.forEach((x, i) => assert.ok(Math.abs(x - cellNumber(means[i])) <= 1e-5 * Math.abs(x), `${x} ~ ${means[i]}`));
    // Best first: the top row is rank 1.
    const top = page.page.locator('[data-testid="results-table"] tbody tr').first();
    assert.equal(await top.locator('td[data-col="rank_test_score"]').textContent(), "1");
    // The times and per-fold columns are hidden at first (their toggles show them).
    assert.equal(await page.page.locator('[data-testid="results-table"] th[data-col="mean_fit_time"]').isVisible(), false);
    assert.equal(await page.page.locator('[data-testid="results-table"] th[data-col="split0_test_score"]').isVisible(), false);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
});
