// Mistakes in the data or the config give a clear error naming where the
// mistake is, right where it is (the file, the field, the config line); Run
// is disabled with the reason beside it until it is fixed, and the page
// keeps working afterwards.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { setUp, TunaPage, FIXTURES, DIST, jobToml } from "./harness.mjs";

let env;
before(async () => { env = await setUp(); });
after(async () => { await env?.tearDown(); });

const GOOD = { inputs: join(FIXTURES, "small_inputs.csv"), targets: join(FIXTURES, "small_targets.csv") };
const RIDGE = jobToml({ model: 'KIND = "Ridge"', grid: "{ alpha = [0.1, 1.0] }" });

/** Reads a fixture CSV: header and data rows as cell arrays (no quotes in these fixtures). */
async function csv(path) {
  const [header, ...rows] = (await readFile(path, "utf8")).trimEnd().split("\n").map((l) => l.split(","));
  return { header, rows };
}

/** Runs the good job after a failure: it must finish, and no error may remain on screen. */
async function goodRunAfterwards(page) {
  await page.prepare({ inputs: GOOD.inputs, targets: GOOD.targets, config: RIDGE });
  await page.runToDone();
  assert.equal(await page.rowCount(), 2, "one row per alpha");
  assert.equal(await page.errorText(), "", "the earlier error is gone");
}

test("a text cell in a numeric job: the error names the file and the column, quotes the cell and gives the [preprocess] to add; the page keeps working", async () => {
  const file = join(FIXTURES, "non_numeric_inputs.csv");
  // Where the text is, from the data: the first cell that is not a number makes its column text.
  const { header, rows } = await csv(file);
  const row = rows.findIndex((r) => r.some((v) => Number.isNaN(Number(v)))) + 1;
  const col = header[rows[row - 1].findIndex((v) => Number.isNaN(Number(v)))];
  const cell = rows[row - 1].find((v) => Number.isNaN(Number(v)));
  assert.ok(row > 1 && col, "the fixture has text past its first row");

  const page = await TunaPage.create(env.browser);
  try {
    await page.open(env.server.url);
    await page.prepare({ inputs: file, targets: GOOD.targets, config: RIDGE });
    const reason = await page.runBlocked();
    assert.match(reason, /do not fit the job/, `Run says why it is off: ${reason}`);
    const error = await page.errorText();
    assert.match(error, /non_numeric_inputs\.csv/, `names the file: ${error}`);
    assert.match(error, new RegExp(`\`${col}\`: text`), `names column ${col} as text: ${error}`);
    assert.ok(error.includes(cell), `quotes a cell like \`${cell}\`: ${error}`);
    assert.ok(error.includes("[preprocess]"), `gives the section to add: ${error}`);
    await goodRunAfterwards(page);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
});

test("a ragged row: the error names the file and the row; the page keeps working", async () => {
  const file = join(FIXTURES, "ragged_inputs.csv");
  const { header, rows } = await csv(file);
  const row = rows.findIndex((r) => r.length !== header.length) + 1;
  assert.ok(row > 1, "the fixture has one short row past its first row");

  const page = await TunaPage.create(env.browser);
  try {
    await page.open(env.server.url);
    await page.prepare({ inputs: file, targets: GOOD.targets, config: RIDGE });
    assert.match(await page.runBlocked(), /ragged_inputs\.csv/);
    const error = await page.errorText();
    assert.match(error, /ragged_inputs\.csv/, `names the file: ${error}`);
    assert.match(error, new RegExp(`\\brow ${row}\\b`), `names row ${row}: ${error}`);
    await goodRunAfterwards(page);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
});

test("an unknown config key: the engine's error names the key and its line; the page keeps working", async () => {
  const demo = await readFile(join(DIST, "demos", "regression.toml"), "utf8");
  const lines = demo.split("\n");
  const at = lines.findIndex((l) => /^n_splits\s*=/.test(l));
  assert.ok(at >= 0, "the demo job has a splitter n_splits");
  lines[at] = lines[at].replace("n_splits", "n_split");
  const line = at + 1;

  const page = await TunaPage.create(env.browser);
  try {
    await page.open(env.server.url);
    await page.loadDemo();
    await page.setConfig(lines.join("\n"));
    assert.equal(await page.runBlocked(), `The config has an error on line ${line}: see it under the config text.`);
    // Ctrl+Enter does not start a job that cannot start either.
    await page.page.keyboard.press("Control+Enter");
    assert.equal(await page.state(), "idle", "nothing ran");
    const error = await page.errorText();
    assert.match(error, /`n_split`/, `names the key: ${error}`);
    assert.match(error, new RegExp(`(:${line}:|line ${line}\\b)`), `names line ${line}: ${error}`);
    assert.match(error, /n_splits/, `says what was expected: ${error}`);
    // "Go to line" selects that line in the editor.
    await page.el("go-to-line").click();
    const selected = await page.el("config-editor").evaluate((t) => t.value.slice(t.selectionStart, t.selectionEnd));
    assert.equal(selected, lines[at], "the line the error names is selected");

    // Fixed, the same page runs the job.
    await page.setConfig(demo);
    await page.runToDone();
    assert.equal(await page.rowCount(), 6);
    assert.equal(await page.errorText(), "", "the config error is gone");
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
});

test("a form field's error sits at the field and goes when it is fixed; Ctrl+Enter runs", async () => {
  const page = await TunaPage.create(env.browser);
  try {
    await page.open(env.server.url);
    const field = page.page.locator("label.field", { has: page.el("model-n_estimators") });
    await page.el("model-n_estimators").fill("-3");
    await page.el("model-n_estimators").press("Enter");
    const error = await field.getByTestId("error").textContent();
    assert.match(error, /n_estimators/, `the error is at the n_estimators field and names it: ${error}`);
    assert.equal(await page.el("model-n_estimators").getAttribute("aria-invalid"), "true");
    assert.match(await page.runBlocked(), /^The job has an error/);

    await page.el("model-n_estimators").fill("5");
    await page.el("model-n_estimators").press("Enter");
    await field.getByTestId("error").waitFor({ state: "detached" });
    assert.equal(await page.errorText(), "", "no error is left on the page");
    assert.equal(await page.runReason(), "");
    // The keyboard shortcut runs the job, from anywhere on the page.
    const since = (await page.probes()).states.length;
    await page.page.keyboard.press("Control+Enter");
    await page.page.waitForFunction((since) => window.__tuna.states.slice(since).some((s) => s.state === "done"), since, { timeout: 120_000 });
    assert.equal(await page.rowCount(), 6);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
});
