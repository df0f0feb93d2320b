// The worker pool lives as long as the page: workers start when data is picked,
// keep the dataset between runs (only new data is sent again), and a worker
// that crashes mid-search is replaced without losing the search.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { setUp, TunaPage, DIST, FIXTURES, jobToml } from "./harness.mjs";

let env, demo;
before(async () => {
  env = await setUp();
  demo = await readFile(join(DIST, "demos", "regression.toml"), "utf8");
});
after(async () => { await env?.tearDown(); });

const workers = async (page) => (await page.probes()).workers.list;

test("workers start when data is picked and keep it: a second Run sends no data, new data is sent once", async () => {
  const page = await TunaPage.create(env.browser);
  try {
    // A share link holds no data, so the page opens without any: no worker yet.
    const job = `${demo.trimEnd()}\nn_jobs = 2\n`;
    await page.open(`${env.server.url}#job=${Buffer.from(job).toString("base64url")}`);
    await page.page.getByText("This job came from a link").waitFor();
    assert.equal((await page.probes()).workers.created, 0, "no worker before any data");
    await page.loadDemo();
    await page.setConfig(job);
    await page.page.waitForFunction(() => window.__tuna.workers.created >= 1);
    const early = await workers(page);
    assert.ok(early.every((w) => w.data === 0 && !w.ran), `started, holding nothing yet: ${JSON.stringify(early)}`);

    await page.runToDone();
    const first = await workers(page);
    assert.ok(first.some((w) => w.ran), "the search ran in Web Workers");
    assert.ok(first.filter((w) => w.ran).every((w) => w.data === 1), `each worker that ran got the data once: ${JSON.stringify(first)}`);
    const rows = await page.rowCount();
    const dataSent = (list) => list.map((w) => w.data);

    // Same data, another grid: only the plan and units go out, to the same workers.
    await page.setConfig(`${demo.trimEnd().replace(/^param_grid = .*$/m, "param_grid = { max_depth = [2, 3, 4] }")}\nn_jobs = 2\n`);
    await page.resetWorkerPeak();
    await page.runToDone();
    const second = await workers(page);
    assert.ok(second.some((w) => w.ran), "the second search ran in Web Workers");
    assert.equal(second.length, first.length, "no worker was started for it");
    assert.deepEqual(dataSent(second), dataSent(first), "no worker was sent the data again");
    assert.equal(await page.rowCount(), 3, `the new grid's 3 candidates (the first run had ${rows})`);

    // New data: sent again, once, and the search uses it.
    await page.prepare({
      inputs: join(FIXTURES, "small_inputs.csv"), targets: join(FIXTURES, "small_targets.csv"),
      config: jobToml({ model: 'KIND = "Ridge"', grid: "{ alpha = [0.1, 1.0] }", nJobs: 2 }),
    });
    await page.resetWorkerPeak();
    await page.runToDone();
    const third = await workers(page);
    assert.ok(third.some((w) => w.ran));
    for (const w of third.filter((w) => w.ran)) {
      assert.equal(w.data, second[w.id].data + 1, `worker ${w.id} got the new data once`);
    }
    assert.equal(await page.rowCount(), 2, "one row per alpha, on the new data");
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
});

test("a worker that crashes mid-search is replaced: its fit scores error_score and the log says why", async () => {
  const page = await TunaPage.create(env.browser);
  try {
    await page.open(env.server.url);
    await page.loadDemo();
    // A slower forest grid, so the crash lands while fits are running; failed fits score -1000.
    const job = demo
      .replace(/^n_estimators = \d+$/m, "n_estimators = 100")
      .replace(/^param_grid = .*$/m, "param_grid = { max_depth = [3, 5, 7], min_samples_leaf = [1, 5] }\nerror_score = -1000.0");
    assert.match(job, /error_score = -1000.0/);
    await page.setConfig(`${job.trimEnd()}\nn_jobs = 2\n`);
    await page.run();
    await page.page.waitForFunction(() => {
      const m = document.querySelector('[data-testid="progress"]')?.textContent.match(/(\d+)\s*\/\s*(\d+)\s*fits/);
      return m && Number(m[1]) >= 2 && Number(m[1]) < Number(m[2]) - 4;
    }, null, { timeout: 60_000, polling: 10 });
    // The browser reports a worker's uncaught error to the page as an `error` event; send one
    // to a worker that is fitting (a real crash: a panic or running out of memory).
    const crashed = await page.page.evaluate(() => {
      const i = window.__tuna.workers.list.findIndex((w) => w.ran && !w.terminated);
      window.__tunaWorkerObjects[i].dispatchEvent(new ErrorEvent("error", { message: "simulated crash" }));
      return i;
    });
    assert.ok(crashed >= 0, "a worker was fitting");
    assert.equal(await page.waitForEnd(), "done", await page.errorText());

    const { total } = await page.fits();
    const list = await workers(page);
    assert.ok(list[crashed].terminated, "the crashed worker was ended");
    assert.equal(list.filter((w) => !w.terminated).length, 2, "a fresh worker took its place");
    const results = JSON.parse((await page.download("export-json")).text);
    const cv = results.cv_results;
    const splits = Object.keys(cv).filter((k) => /^split\d+_test_score$/.test(k));
    const scores = splits.flatMap((k) => cv[k]);
    assert.equal(scores.filter((s) => s === -1000).length, 1, `exactly the crashed fit scored error_score: ${scores}`);
    assert.ok(scores.filter((s) => s !== -1000).every(Number.isFinite), "every other fit finished");
    const log = await page.el("log").textContent();
    assert.match(log, new RegExp(`1 of ${total} fits failed and scored error_score; the first, candidate \\d+ fold \\d+: `
      + "the worker crashed while fitting this unit \\(simulated crash\\)"));

    // The page keeps working with the replaced worker.
    await page.setConfig(`${demo.trimEnd()}\nn_jobs = 2\n`);
    await page.runToDone();
    assert.equal(await page.state(), "done");
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
});
