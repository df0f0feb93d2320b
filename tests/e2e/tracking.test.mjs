// MLflow tracking from the page against a real MLflow server: the parent run,
// one child run per candidate, both datasets' lineage and the artifacts, read
// back through the REST API and with MLflow's own Python client. Then the
// faults: a server that refuses the page's origin (CORS), one that is down,
// one killed mid-run, one answering 500. Each keeps every result on the page,
// says what failed and how to fix it, and "Send results to MLflow again"
// logs the finished results once the server lets the page in.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFile, writeFile } from "node:fs/promises";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { setUp, serveDist, TunaPage, DIST, cellNumber, roundedEquals, tempDir } from "./harness.mjs";
import { startMlflow, freePort, checkWithMlflowClient, byKey, expectedDigests } from "./mlflow.mjs";

let env;
let mlflow;
before(async () => {
  env = await setUp();
  mlflow = await startMlflow();
});
after(async () => {
  mlflow?.kill();
  await env?.tearDown();
});

/** Loads the regression demo (6 candidates), changed by `edit`, and points its `[mlflow]` at `uri`. */
async function demoTrackedBy(page, uri, { experiment = "page-e2e", edit = (c) => c } = {}) {
  await page.loadDemo();
  const config = edit(await page.config());
  await page.setConfig(`${config}\n[mlflow]\ntracking_uri = "${uri}"\nexperiment_name = "${experiment}"\n`);
}

/** Waits for the tracking status to settle in `state`; returns its text. */
async function trackingStatus(page, state, timeout = 60_000) {
  await page.page.waitForSelector(`[data-testid="tracking-status"][data-state="${state}"]`, { timeout });
  return page.el("tracking-status").textContent();
}

/** The results on the page: every candidate's params and mean test score. */
async function pageResults(page) {
  const params = (await page.column("params")).map((p) => p.replace(/^★ best\s*/, "").trim());
  const means = (await page.column("mean_test_score")).map(cellNumber);
  return { params, means, best: Number(await page.el("best-score").getAttribute("title")) };
}

/** Asserts the page kept a complete search: `n` rows, every mean a number, a best score. */
async function assertResultsKept(page, n) {
  assert.equal(await page.state(), "done", "the search itself finished");
  const { means, best } = await pageResults(page);
  assert.equal(means.length, n, "one row per candidate");
  assert.ok(means.every(Number.isFinite) && Number.isFinite(best), `every result is on the page: ${means}`);
}

test("a run from the page is logged to MLflow: run, child runs, lineage, artifacts", async () => {
  const page = await TunaPage.create(env.browser);
  try {
    await page.open(env.server.url);
    await demoTrackedBy(page, mlflow.url);
    await page.runToDone();
    await trackingStatus(page, "done");
    const link = await page.el("mlflow-link").getAttribute("href");
    const [, experimentId, runId] = link.match(/#\/experiments\/(\w+)\/runs\/(\w+)$/) ?? [];
    assert.ok(link.startsWith(`${mlflow.url}/#/experiments/`) && runId, `a link to the run: ${link}`);
    const { params: pageParams, means, best } = await pageResults(page);
    await page.screenshot("tracking-logged");

    const { run } = await mlflow.api("runs/get", { run_id: runId });
    assert.equal(run.info.experiment_id, experimentId);
    assert.equal(run.info.run_name, "Tuning");
    assert.equal(run.info.status, "FINISHED");
    const tags = byKey(run.data.tags);
    assert.match(tags["mlflow.source.name"], /^tuna page http:\/\/127\.0\.0\.1:\d+\/some\/sub\/path\//);
    assert.equal(tags["mlflow.note.content"], "Random forest on the RAND Health Insurance Experiment");
    assert.equal(tags.dataset, "randhie", "run_config.tags are run tags");
    for (const name of ["inputs", "targets"]) {
      const bytes = await readFile(join(DIST, "demos", `randhie_${name}.csv`));
      assert.equal(tags[`tuna.${name}.sha256`], createHash("sha256").update(bytes).digest("hex"), `${name}: SHA-256 of the file`);
    }
    const params = byKey(run.data.params);
    assert.equal(params["model.KIND"], "RandomForestRegressor");
    const pageBest = JSON.parse(await page.el("best-params").textContent());
    assert.equal(params.best_max_depth, String(pageBest.max_depth));
    assert.equal(params.best_min_samples_leaf, String(pageBest.min_samples_leaf));
    const metrics = byKey(run.data.metrics);
    assert.equal(metrics.best_cv_score, best, "best_cv_score is the page's best score, exactly");
    assert.equal(metrics.n_candidates, 6);
    assert.equal(metrics.n_fits, 24);

    // Lineage: the picked files by name, with MLflow's own digest of the same CSV.
    const digests = await expectedDigests();
    const inputs = run.inputs.dataset_inputs;
    assert.deepEqual(inputs.map((i) => i.dataset.name).sort(), ["inputs", "targets"]);
    for (const { dataset, tags: inputTags } of inputs) {
      assert.equal(byKey(inputTags)["mlflow.data.context"], "Tuning");
      assert.deepEqual(JSON.parse(dataset.source), { uri: `randhie_${dataset.name}.csv` });
      const expected = digests.cases.find((c) => c.file === `examples/data/randhie_${dataset.name}.csv` && c.nrows === null);
      assert.equal(dataset.digest, expected.digest, `${dataset.name}: the digest mlflow.data.from_pandas gives`);
      assert.deepEqual(JSON.parse(dataset.profile), expected.profile);
    }

    // One child per candidate, with the page's scores.
    const children = await mlflow.runs("page-e2e", `tags.mlflow.parentRunId = '${runId}'`);
    assert.equal(children.length, 6, "one child run per candidate");
    for (const child of children) {
      const p = byKey(child.data.params);
      const row = pageParams.findIndex((text) => {
        const shown = JSON.parse(text);
        return String(shown.max_depth) === p.max_depth && String(shown.min_samples_leaf) === p.min_samples_leaf;
      });
      assert.ok(row >= 0, `child ${child.info.run_name} matches a row on the page`);
      const mean = byKey(child.data.metrics).mean_test_score;
      assert.ok(roundedEquals(mean, means[row]), `child ${row}: mean_test_score ${mean} vs the page's ${means[row]}`);
      assert.equal(child.info.status, "FINISHED");
    }

    // Artifacts: the page's own cv_results.csv export, byte for byte.
    const exported = await page.download("export-csv");
    assert.equal(await mlflow.artifact(run.info.artifact_uri, "cv_results.csv"), exported.text);
    assert.match(await mlflow.artifact(run.info.artifact_uri, "job.log"), /\[7\/9\] best/);
    assert.match(await mlflow.artifact(run.info.artifact_uri, "job.toml"), /KIND = "RandomForestRegressor"/);

    // MLflow's own client reads it all, computing the digests itself from the same files.
    const dir = await tempDir();
    const csvPath = join(dir, "cv_results.csv");
    await writeFile(csvPath, exported.text);
    const ok = await checkWithMlflowClient(mlflow.url, "page-e2e", runId, 6, csvPath,
      { param: "max_depth", dataDir: join(DIST, "demos") });
    assert.equal(ok.length, 5, ok.join("\n"));
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
});

test("a server that refuses the page's origin (CORS): the message says how to start it; send again works", async () => {
  // 127.0.0.2 is loopback but not a localhost origin, which MLflow allows by default.
  const site = await serveDist({ host: "127.0.0.2" });
  let lettingIn;
  const page = await TunaPage.create(env.browser);
  try {
    await page.open(site.url);
    await demoTrackedBy(page, mlflow.url, { experiment: "page-cors" });
    await page.runToDone();
    const why = await trackingStatus(page, "failed");
    assert.match(why, /refused this page's origin \(CORS\)/);
    assert.ok(why.includes(`--cors-allowed-origins ${site.origin}`), `the fix names this page's origin: ${why}`);
    await assertResultsKept(page, 6);
    const logged = await mlflow.api("experiments/search", { max_results: 1000 });
    assert.ok(!(logged.experiments ?? []).some((e) => e.name === "page-cors"), "nothing reached MLflow");
    await page.screenshot("tracking-cors-refused");

    // The person starts the server as the message says, points the job at it and sends again.
    lettingIn = await startMlflow({ corsOrigins: site.origin });
    const uri = page.el("mlflow-tracking_uri");
    await uri.fill(lettingIn.url);
    await uri.press("Enter");
    await page.el("track-again").click();
    await trackingStatus(page, "done");
    const runs = await lettingIn.runs("page-cors");
    const parent = runs.find((r) => !byKey(r.data.tags)["mlflow.parentRunId"]);
    assert.equal(parent.info.status, "FINISHED");
    assert.equal(runs.length, 7, "the parent and one child per candidate");
    assert.equal(byKey(parent.data.metrics).best_cv_score, (await pageResults(page)).best);
    assert.equal(parent.inputs.dataset_inputs.length, 2, "both datasets' lineage");
  } finally {
    lettingIn?.kill();
    await page.close();
    await site.close();
  }
});

test("a server that is down: the search runs, the message says what to do", async () => {
  const page = await TunaPage.create(env.browser);
  try {
    await page.open(env.server.url);
    await demoTrackedBy(page, `http://127.0.0.1:${await freePort()}`);
    await page.runToDone();
    const why = await trackingStatus(page, "failed");
    assert.match(why, /is unreachable .*start a server .*mlflow server --host 127\.0\.0\.1/);
    await assertResultsKept(page, 6);
    const log = await page.el("log").textContent();
    assert.match(log, /tracking is off for this run/);
  } finally {
    await page.close();
  }
});

test("a server killed mid-run: the search finishes and keeps its results", async () => {
  const dying = await startMlflow();
  const page = await TunaPage.create(env.browser);
  try {
    await page.open(env.server.url);
    // 12 candidates x 4 folds: long enough to kill the server while workers fit.
    const bigger = (c) => c.replace("max_depth = [3, 5, 7]", "max_depth = [3, 5, 7, 9]")
      .replace("min_samples_leaf = [1, 20]", "min_samples_leaf = [1, 5, 20]");
    await demoTrackedBy(page, dying.url, { edit: bigger });
    await page.run();
    await page.page.waitForFunction(() => window.__tuna.fits.some((f) => f.done >= 1), null, { timeout: 60_000 });
    dying.kill();
    await page.waitForEnd();
    const why = await trackingStatus(page, "failed");
    assert.match(why, /unreachable/, why);
    await assertResultsKept(page, 12);
  } finally {
    dying.kill();
    await page.close();
  }
});

test("a server answering 500: the message names it; credentials are sent but never shown", async () => {
  const seen = [];
  const stub = createServer((req, res) => {
    seen.push({ method: req.method, url: req.url, authorization: req.headers.authorization });
    const cors = {
      "access-control-allow-origin": "*",
      "access-control-allow-headers": "content-type, authorization",
      "access-control-allow-methods": "GET, POST, PUT",
    };
    if (req.method === "OPTIONS") return res.writeHead(204, cors).end();
    res.writeHead(500, { ...cors, "content-type": "application/json" })
      .end(JSON.stringify({ error_code: "INTERNAL_ERROR", message: "the database is locked" }));
  });
  await new Promise((ok) => stub.listen(0, "127.0.0.1", ok));
  const page = await TunaPage.create(env.browser);
  try {
    await page.open(env.server.url);
    await demoTrackedBy(page, `http://127.0.0.1:${stub.address().port}`);
    await page.el("mlflow-secret").fill("s3cr3t-token-e2e");
    await page.el("mlflow-secret").press("Enter");
    await page.runToDone();
    const why = await trackingStatus(page, "failed");
    assert.match(why, /failed \(HTTP 500 INTERNAL_ERROR: the database is locked\); the server's log says why/);
    await assertResultsKept(page, 6);
    const asked = seen.filter((r) => r.method !== "OPTIONS");
    assert.ok(asked.length >= 1 && asked.every((r) => r.authorization === "Bearer s3cr3t-token-e2e"), JSON.stringify(asked));
    const shown = [await page.page.evaluate(() => document.body.innerText), await page.config()];
    assert.ok(shown.every((text) => !text.includes("s3cr3t")), "the token is in no text, log or config");
  } finally {
    await page.close();
    await new Promise((ok) => stub.close(ok));
  }
});
