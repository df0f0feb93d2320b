// Picked CSV files and a pasted config give the page the same cv_results as
// `tuna run` on the same job and data, with 1 and with 3 workers.
//
// The page's table rounds to 6 significant digits, so the table is compared
// with the CLI within that rounding; the results-JSON export (export-json) is
// compared exactly.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { readFile } from "node:fs/promises";
import {
  setUp, TunaPage, ensureCli, tempDir, runCli, jobToml, DIABETES, DEMO, DIST, cellNumber, roundedEquals,
} from "./harness.mjs";

const CASES = [
  {
    // The bundled demo (no file picking): its job with n_jobs added, train scores on.
    name: "regression demo",
    demo: "regression",
    kind: "RandomForestRegressor",
  },
  {
    name: "classification demo",
    demo: "classification",
    kind: "DecisionTreeClassifier",
  },
  {
    name: "Ridge, KFold",
    model: 'KIND = "Ridge"',
    grid: "{ alpha = [0.1, 1.0, 10.0] }",
    splitter: 'KIND = "KFoldSplitter"\nn_splits = 3',
  },
  {
    // Seeded randomness: shuffled folds, bootstraps and feature sampling.
    name: "RandomForestRegressor, shuffled KFold",
    model: 'KIND = "RandomForestRegressor"\nn_estimators = 15\nrandom_state = 42',
    grid: "{ max_depth = [3, 6], max_features = [0.5, 1.0] }",
    splitter: 'KIND = "KFoldSplitter"\nn_splits = 3\nshuffle = true\nrandom_state = 7',
  },
  {
    // Boosting: one RandomState draws the subsamples and the trees' seeds; Huber's delta per stage.
    name: "GradientBoostingRegressor, subsampled",
    model: 'KIND = "GradientBoostingRegressor"\nn_estimators = 30\nsubsample = 0.8\nrandom_state = 1',
    grid: '{ learning_rate = [0.1, 0.3], loss = ["squared_error", "huber"] }',
    splitter: 'KIND = "KFoldSplitter"\nn_splits = 3',
  },
  {
    // The refit forest's out-of-bag score, shown under the best params.
    name: "RandomForestRegressor, oob_score",
    model: 'KIND = "RandomForestRegressor"\nn_estimators = 10\noob_score = true\nrandom_state = 3',
    grid: "{ max_depth = [3, 5] }",
    splitter: 'KIND = "KFoldSplitter"\nn_splits = 3',
  },
  {
    // Early stopping: held-out rows drawn as scikit-learn draws them; the refit's stage count shown.
    name: "GradientBoostingRegressor, early stopping",
    model: 'KIND = "GradientBoostingRegressor"\nn_estimators = 200\nlearning_rate = 0.3\nn_iter_no_change = 3\nrandom_state = 2',
    grid: "{ validation_fraction = [0.1, 0.2] }",
    splitter: 'KIND = "KFoldSplitter"\nn_splits = 3',
  },
];
const WORKERS = [1, 3];
// Score columns compared (timings differ from run to run by nature).
const SCORE_COLUMNS = (cv) => Object.keys(cv).filter((k) => /^(split\d+_(test|train)_score|(mean|std)_(test|train)_score|rank_test_score)$/.test(k));

let env;
before(async () => {
  await ensureCli();
  env = await setUp();
});
after(async () => { await env?.tearDown(); });

/** Page results by case and worker count, for the 1-vs-3 comparison. */
const seen = {};

for (const c of CASES) {
  for (const workers of WORKERS) {
    test(`${c.name}, ${workers} worker(s): the page's cv_results equal \`tuna run\`'s`, async (t) => {
      let config, dir;
      if (c.demo) {
        const demo = await readFile(join(DIST, "demos", `${c.demo}.toml`), "utf8");
        const tables = [...demo.matchAll(/^\[([\w.]+)\]\s*$/gm)].map((m) => m[1]);
        assert.equal(tables.at(-1), "searcher", "the demo job ends with its [searcher] table");
        config = `${demo.trimEnd()}\nn_jobs = ${workers}\n`;
        dir = await tempDir({
          "randhie_inputs.csv": { copy: DEMO.inputs }, "randhie_targets.csv": { copy: DEMO.targets }, "job.toml": config,
        });
      } else {
        config = jobToml({ model: c.model, grid: c.grid, splitter: c.splitter, nJobs: workers });
        dir = await tempDir({
          "inputs.csv": { copy: DIABETES.inputs }, "targets.csv": { copy: DIABETES.targets }, "job.toml": config,
        });
      }
      const cli = await runCli(join(dir, "job.toml"), join(dir, "r.json"));
      const cv = cli.cv_results;
      const n = cv.mean_test_score.length;
      const units = n * cli.n_splits;

      const page = await TunaPage.create(env.browser);
      try {
        await page.open(env.server.url);
        if (c.demo) {
          await page.loadDemo(c.demo);
          assert.match(await page.config(), new RegExp(`"${c.kind}"`), "the demo button loads its job");
          await page.prepare({ config, workers });
        } else {
          await page.prepare({ inputs: join(dir, "inputs.csv"), targets: join(dir, "targets.csv"), config, workers });
        }
        await page.resetWorkerPeak();
        await page.runToDone();
        const { workers: counts } = await page.probes();
        const ran = await page.workersThatRan();
        const entry = (seen[c.name] ??= {})[workers] = { table: {} };

        await t.test("one row per candidate, in the CLI's order (params)", async () => {
          assert.equal(await page.rowCount(), n);
          const params = (await page.column("params")).map((p) => JSON.parse(p));
          assert.deepEqual(params, cv.params);
        });

        await t.test(`the search ran on at most ${Math.min(workers, units)} of the ${workers} Web Worker(s) kept`, () => {
          // A worker still loading when the others have taken every unit gets none, so a small
          // search on a loaded machine may use fewer.
          assert.ok(ran.length >= 1 && ran.length <= Math.min(workers, units), `Web Workers sent units: ${JSON.stringify(counts)}`);
          assert.equal(counts.live, workers, `Web Workers alive after the run: ${JSON.stringify(counts)}`);
        });

        await t.test("every score cell is the CLI's value rounded to 6 significant digits", async () => {
          const cols = SCORE_COLUMNS(cv);
          assert.ok(cols.includes("mean_test_score") && cols.includes("split2_test_score"));
          for (const col of cols) {
            const cells = await page.column(col);
            entry.table[col] = cells;
            assert.equal(cells.length, n, `column ${col} has a cell per candidate`);
            cells.forEach((text, i) => {
              const shown = cellNumber(text);
              assert.ok(roundedEquals(cv[col][i], shown),
                `${col}[${i}]: page shows ${text}, CLI has ${cv[col][i]}`);
            });
          }
          assert.ok(roundedEquals(cli.best_score, cellNumber(await page.el("best-score").textContent())));
          assert.deepEqual(JSON.parse(await page.el("best-params").textContent()), cli.best_params);
          if (cli.best_estimator_oob_score != null) {
            assert.ok(roundedEquals(cli.best_estimator_oob_score, cellNumber(await page.el("oob-score").textContent())));
          }
          if (cli.best_estimator_n_estimators != null) {
            assert.equal(Number(await page.el("n-estimators").textContent()), cli.best_estimator_n_estimators);
          }
        });

        await t.test("the results-JSON export (export-json) equals the CLI's results exactly", async () => {
          const { text } = await page.download("export-json");
          const exported = JSON.parse(text);
          entry.exported = exported;
          const ecv = exported.cv_results ?? assert.fail(`export has no cv_results: ${Object.keys(exported)}`);
          assert.deepEqual(ecv.params, cv.params, "cv_results.params");
          assert.equal(exported.cancelled, cli.cancelled, "both say whether the search was cancelled");
          assert.equal(exported.cancelled, false);
          // Every differing number, so a failure shows how far apart the two are.
          const differ = [];
          for (const col of SCORE_COLUMNS(cv)) {
            assert.equal(ecv[col]?.length, n, `cv_results.${col} has a value per candidate`);
            cv[col].forEach((want, i) => {
              const got = ecv[col][i];
              if (!Object.is(got, want)) {
                const rel = Math.abs(got - want) / Math.abs(want);
                differ.push(`${col}[${i}]: page ${got}, CLI ${want} (relative ${rel.toExponential(1)})`);
              }
            });
          }
          if (differ.length) {
            assert.fail(`${differ.length} scores are not bit-identical to the CLI's:\n${differ.slice(0, 8).join("\n")}` +
              (differ.length > 8 ? `\n... and ${differ.length - 8} more` : ""));
          }
          for (const key of ["best_index", "best_params", "best_score", "n_candidates", "n_splits",
            "best_estimator_oob_score", "best_estimator_n_estimators"]) {
            assert.deepEqual(exported[key], cli[key], key);
          }
        });
        assert.deepEqual(page.errors, []);
      } finally {
        await page.close();
      }
    });
  }

  test(`${c.name}: 1 and 3 workers give identical results in the page`, () => {
    const [one, three] = WORKERS.map((w) => seen[c.name]?.[w]);
    assert.ok(one && three, "both runs happened");
    assert.ok(Object.keys(one.table).length > 0, "the 1-worker table was read");
    assert.deepEqual(three.table, one.table, "table cells");
    if (one.exported || three.exported) {
      assert.deepEqual(
        Object.fromEntries(SCORE_COLUMNS(one.exported.cv_results).map((k) => [k, three.exported?.cv_results?.[k]])),
        Object.fromEntries(SCORE_COLUMNS(one.exported.cv_results).map((k) => [k, one.exported.cv_results[k]])),
        "exported scores",
      );
    }
  });
}
