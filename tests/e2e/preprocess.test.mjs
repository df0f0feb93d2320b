// Real data in the page (issue 13): a CSV with text and blank cells is picked; the data
// panel shows each column's type and missing cells, says the job cannot take the columns
// as they are, and offers a preprocessing section. Accepting it lets the job run, and its
// cv_results equal `tuna run`'s on the same job and files, exactly.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { setUp, TunaPage, ensureCli, tempDir, runCli, jobToml, ROOT } from "./harness.mjs";

const HOUSING = {
  inputs: join(ROOT, "tests", "data", "housing", "inputs.csv"),
  targets: join(ROOT, "tests", "data", "housing", "targets.csv"),
};

let env;
before(async () => {
  await ensureCli();
  env = await setUp();
});
after(async () => { await env?.tearDown(); });

test("a mixed CSV with blanks runs after accepting the suggested preprocessing, as `tuna run` does", async (t) => {
  const page = await TunaPage.create(env.browser);
  try {
    await page.open(env.server.url);
    assert.match(await page.config(), /column = "mdvis"/, "the demo job predicts mdvis");
    await page.prepare({ inputs: HOUSING.inputs, targets: HOUSING.targets });

    await t.test("a new targets file does not keep the demo's column", async () => {
      await page.page.waitForFunction(() => !document.querySelector('[data-testid="config-editor"]').value.includes('"mdvis"'));
      assert.equal(await page.el("target-column").inputValue(), "price");
    });

    await t.test("text in column names and cells renders as text, with each column's type", async () => {
      const preview = page.page.locator(".preview").first();
      const types = await preview.locator('[data-testid="column-types"] th').allTextContents();
      assert.equal(types.length, 8);
      assert.match(types[5], /^text · \d+ missing$/, `neighborhood: ${types[5]}`);
      assert.match(types[0], /^number( · \d+ missing)?$/, `area_m2: ${types[0]}`);
      const cells = await preview.locator("tbody td").allTextContents();
      assert.ok(cells.includes("Seefeld"), `cells: ${cells.join(" | ")}`);
      assert.equal(await preview.locator("td.num", { hasText: "Seefeld" }).count(), 0, "text is not aligned as a number");
    });

    const config = jobToml({ model: 'KIND = "Ridge"', grid: "{ alpha = [0.1, 10.0] }", nJobs: 2 });
    await page.setConfig(config);

    await t.test("Run is blocked and the data panel names the columns and the fix", async () => {
      assert.match(await page.runReason(), /files do not fit the job/);
      const error = await page.el("error").textContent();
      assert.match(error, /neighborhood/, error);
      assert.match(error, /\[preprocess\]/, error);
    });

    await page.el("suggest-preprocess").click();
    await page.page.waitForFunction(() => document.querySelector('[data-testid="config-editor"]').value.includes("[preprocess]"));
    assert.equal(await page.has("suggest-preprocess"), false, "the offer goes once the job has a section");
    await page.runToDone();

    await t.test("the scores equal `tuna run`'s on the page's own job", async () => {
      const dir = await tempDir({ "inputs.csv": { copy: HOUSING.inputs }, "targets.csv": { copy: HOUSING.targets }, "job.toml": await page.config() });
      const cli = await runCli(join(dir, "job.toml"), join(dir, "r.json"));
      const { text } = await page.download("export-json");
      const exported = JSON.parse(text);
      assert.deepEqual(exported.cv_results.params, cli.cv_results.params);
      assert.deepEqual(exported.cv_results.mean_test_score, cli.cv_results.mean_test_score);
      assert.deepEqual(exported.cv_results.split0_test_score, cli.cv_results.split0_test_score);
      assert.ok(cli.cv_results.mean_test_score.every(Number.isFinite), JSON.stringify(cli.cv_results.mean_test_score));
    });
    await page.screenshot("preprocess-desktop");
  } finally {
    await page.close();
  }
});
