// Parquet and the original YAML job in the page (issue 14): the bikes seed's Parquet files
// dropped in the page, with the seed's own tuning.yaml as the job, run the original job; the
// scores equal `tuna run ../shared/seed-bikes/tuning.yaml`'s exactly. Also measures (prints,
// does not assert) the main thread's longest task while the page reads a 50 MB CSV.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { readFile, writeFile } from "node:fs/promises";
import { setUp, TunaPage, ensureCli, tempDir, runCli, ROOT } from "./harness.mjs";

const SEED = join(ROOT, "..", "shared", "seed-bikes");

let env;
before(async () => {
  await ensureCli();
  env = await setUp();
});
after(async () => { await env?.tearDown(); });

test("the seed's Parquet files and tuning.yaml run the original job in the page, as `tuna run` does", async (t) => {
  const page = await TunaPage.create(env.browser);
  try {
    await page.open(env.server.url);
    const yaml = await readFile(join(SEED, "tuning.yaml"), "utf8");
    await page.prepare({ inputs: join(SEED, "inputs_train.parquet"), targets: join(SEED, "targets_train.parquet"), config: yaml });

    await t.test("the preview reads the Parquet schema and names the index it leaves out", async () => {
      const shapes = await page.page.locator('[data-testid="shape"]').allTextContents();
      assert.deepEqual(shapes, [
        "13903 rows × 15 columns; index `instant` (not a feature, as in pandas)",
        "13903 rows × 1 columns; index `instant` (not a feature, as in pandas)",
      ]);
      const types = await page.page.locator(".preview").first().locator('[data-testid="column-types"] th').allTextContents();
      assert.equal(types[0], "text", `dteday: ${types[0]}`);
      assert.equal(await page.config(), yaml, "a config that already says ParquetReader is left as written");
    });

    await page.runToDone(300_000);

    await t.test("the scores equal `tuna run` on the seed's own files and config", async () => {
      const dir = await tempDir();
      const cli = await runCli(join(SEED, "tuning.yaml"), join(dir, "r.json"));
      const exported = JSON.parse((await page.download("export-json")).text);
      assert.deepEqual(exported.cv_results.params, cli.cv_results.params);
      assert.deepEqual(exported.cv_results.mean_test_score, cli.cv_results.mean_test_score);
      assert.deepEqual(exported.best_params, { max_depth: 7 }, "scikit-learn's best on this job");
    });
    await page.screenshot("parquet-seed-desktop");
  } finally {
    await page.close();
  }
});

test("a Parquet file picked under a CSV job makes its reader a ParquetReader", async () => {
  const page = await TunaPage.create(env.browser);
  try {
    await page.open(env.server.url);
    assert.match(await page.config(), /KIND = "CsvReader"/, "the demo job reads CSV");
    await page.pick("targets", join(ROOT, "tests", "data", "parquet", "bikes", "targets.parquet"));
    await page.page.waitForFunction(() =>
      /\[targets\][^[]*KIND = "ParquetReader"/.test(document.querySelector('[data-testid="config-editor"]').value));
    assert.match(await page.config(), /\[inputs\]\s*KIND = "CsvReader"/, "the inputs are still the demo's CSV");
  } finally {
    await page.close();
  }
});

test("reading a 50 MB CSV: the main thread's longest task is measured", async () => {
  // 20 numeric columns; about 50 MB of text.
  const dir = await tempDir();
  const path = join(dir, "big.csv");
  const columns = Array.from({ length: 20 }, (_, j) => `x${j}`);
  const rows = [columns.join(",")];
  let bytes = rows[0].length + 1;
  for (let i = 0; bytes < 50_000_000; i++) {
    const row = columns.map((_, j) => ((i * 7919 + j * 104729) % 1_000_003 / 997).toFixed(6)).join(",");
    rows.push(row);
    bytes += row.length + 1;
  }
  await writeFile(path, rows.join("\n") + "\n");
  const page = await TunaPage.create(env.browser);
  try {
    await page.open(env.server.url);
    const before = (await page.probes()).longtasks.length;
    const started = Date.now();
    await page.pick("inputs", path);
    const wall = Date.now() - started;
    const tasks = (await page.probes()).longtasks.slice(before);
    const longest = Math.max(0, ...tasks.map((t) => t.duration));
    console.log(`50 MB CSV (${rows.length - 1} rows x 20): picked to preview in ${wall} ms; ` +
      `main thread's longest task ${longest.toFixed(0)} ms over ${tasks.length} long tasks`);
    const shape = await page.page.locator('[data-testid="shape"]').first().textContent();
    assert.equal(shape, `${rows.length - 1} rows × 20 columns`);
  } finally {
    await page.close();
  }
});
