// Parquet and the original YAML job in the page (issue 14): the bikes seed's Parquet files
// dropped in the page, with the seed's own tuning.yaml as the job, run the original job; the
// scores equal `tuna run ../shared/seed-bikes/tuning.yaml`'s exactly. Reading happens in a
// worker, with progress and a Cancel; the main thread's longest task while the page reads a
// 50 MB CSV is measured (printed, not asserted: it depends on the machine).
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

/** A small forest job on the bikes slice of tests/data/parquet/bikes/, read as `format` ("csv" or "parquet"). */
function bikesJob(format) {
  const reader = format === "csv" ? "CsvReader" : "ParquetReader";
  return `KIND = "TuningJob"
inputs = { KIND = "${reader}", path = "inputs.${format}" }
targets = { KIND = "${reader}", path = "targets.${format}" }
model = { KIND = "RandomForestRegressor", n_estimators = 8, random_state = 42 }
splitter = { KIND = "TimeSeriesSplitter", n_splits = 3, test_size = 300 }
searcher = { KIND = "GridCVSearcher", param_grid = { max_depth = [3, 6] } }
[preprocess]
KIND = "ColumnTransformer"
remainder = "drop"
transformers = [
  { name = "categoricals", columns = ["season", "weathersit"], steps = [{ KIND = "OneHotEncoder", handle_unknown = "ignore" }] },
  { name = "numericals", columns = ["yr", "mnth", "hr", "holiday", "weekday", "workingday", "temp", "atemp", "hum", "windspeed"], steps = "passthrough" },
]
`;
}

test("in the page, a Parquet job scores as the same data as CSV, bit for bit", async () => {
  const scores = {};
  for (const format of ["csv", "parquet"]) {
    const page = await TunaPage.create(env.browser);
    try {
      await page.open(env.server.url);
      const dir = join(ROOT, "tests", "data", "parquet", "bikes");
      await page.prepare({ inputs: join(dir, `inputs.${format}`), targets: join(dir, `targets.${format}`), config: bikesJob(format) });
      await page.runToDone(120_000);
      scores[format] = JSON.parse((await page.download("export-json")).text).cv_results.mean_test_score;
    } finally {
      await page.close();
    }
  }
  assert.equal(scores.csv.length, 2);
  assert.ok(scores.csv.every((s) => Number.isFinite(s) && s < 0), JSON.stringify(scores));
  assert.deepEqual(scores.parquet, scores.csv, "the same scores from Parquet and from CSV");
});

/** A CSV of 20 numeric columns and about 50 MB, written once; its path and data rows. */
let bigCsv;
async function fiftyMegabytes() {
  if (bigCsv) return bigCsv;
  const path = join(await tempDir(), "big.csv");
  const columns = Array.from({ length: 20 }, (_, j) => `x${j}`);
  const rows = [columns.join(",")];
  let bytes = rows[0].length + 1;
  for (let i = 0; bytes < 50_000_000; i++) {
    const row = columns.map((_, j) => ((i * 7919 + j * 104729) % 1_000_003 / 997).toFixed(6)).join(",");
    rows.push(row);
    bytes += row.length + 1;
  }
  await writeFile(path, rows.join("\n") + "\n");
  bigCsv = { path, rows: rows.length - 1 };
  return bigCsv;
}

test("reading a 50 MB CSV happens in a worker, with its progress in bytes and rows; the main thread's longest task is measured", async () => {
  const { path, rows } = await fiftyMegabytes();
  const page = await TunaPage.create(env.browser);
  try {
    await page.open(env.server.url);
    const before = await page.probes();
    const started = Date.now();
    await page.pick("inputs", path);
    const wall = Date.now() - started;
    const probes = await page.probes();
    const tasks = probes.longtasks.slice(before.longtasks.length);
    const longest = Math.max(0, ...tasks.map((t) => t.duration));
    console.log(`50 MB CSV (${rows} rows x 20): picked to preview in ${wall} ms; ` +
      `main thread's longest task ${longest.toFixed(0)} ms over ${tasks.length} long tasks`);
    const shape = await page.page.locator('[data-testid="shape"]').first().textContent();
    assert.equal(shape, `${rows} rows × 20 columns`);
    const readings = probes.readings.slice(before.readings.length).map((r) => r.text);
    assert.match(readings[0], /^Reading big\.csv \(5\d\.\d MB\)… Cancel$/, "the read starts with the file's size");
    assert.ok(readings.some((r) => /^Reading big\.csv: \d+\.\d of 5\d\.\d MB, [\d,]+ rows Cancel$/.test(r)),
      `the data panel showed bytes and rows as it read: ${JSON.stringify(readings)}`);
    assert.equal(readings.at(-1), "", "and nothing once it was read");
    const readers = probes.readers.slice(before.readers.length);
    assert.ok(readers.length === 1 && readers[0].terminated, `one reader worker read it, and ended: ${JSON.stringify(readers)}`);
  } finally {
    await page.close();
  }
});

test("Cancel stops reading a big file: its worker ends, no preview appears, and the file can be picked again", async () => {
  const { path, rows } = await fiftyMegabytes();
  const page = await TunaPage.create(env.browser);
  try {
    await page.open(env.server.url);
    const readersBefore = (await page.probes()).readers.length;
    await page.el("inputs-file").setInputFiles(path);
    await page.el("cancel-read").click();
    await page.page.waitForFunction(() => !document.querySelector('[data-testid="reading"]'));
    const readers = (await page.probes()).readers.slice(readersBefore);
    assert.ok(readers.length === 1 && readers[0].terminated, `its reader worker ended: ${JSON.stringify(readers)}`);
    await page.page.waitForTimeout(1_000); // time for a read that went on to show itself
    const names = await page.page.locator(".preview .file-name").allTextContents();
    assert.ok(!names.includes("big.csv"), `no preview of the cancelled file: ${names}`);
    assert.deepEqual(page.errors, [], "no uncaught exception in the page");
    await page.pick("inputs", path);
    assert.equal(await page.page.locator('[data-testid="shape"]').first().textContent(), `${rows} rows × 20 columns`);
  } finally {
    await page.close();
  }
});
