// A shared link restores the job, without the data and without secrets.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { inflateRawSync, inflateSync, gunzipSync } from "node:zlib";
import { setUp, TunaPage, DIST, DEMO, ensureCli, tempDir, runCli } from "./harness.mjs";

let env;
before(async () => {
  await ensureCli();
  env = await setUp();
});
after(async () => { await env?.tearDown(); });

/** Every readable form of the link: as is, URL-decoded, and each part base64-decoded and inflated. */
function decodings(link) {
  const out = [link];
  try { out.push(decodeURIComponent(link)); } catch { /* not URI-encoded */ }
  for (const part of link.split(/[?#&=]/)) {
    let bytes;
    try { bytes = Buffer.from(decodeURIComponent(part).replace(/-/g, "+").replace(/_/g, "/"), "base64"); } catch { continue; }
    out.push(bytes.toString("utf8"), bytes.toString("latin1"));
    for (const inflate of [inflateRawSync, inflateSync, gunzipSync]) {
      try { out.push(inflate(bytes).toString("utf8")); } catch { /* not this format */ }
    }
  }
  return out;
}

/** The link from the share-link element: an <a href>, an <input value> or its text. */
async function readLink(page) {
  const el = (await page.need("share-link")).first();
  await page.page.waitForFunction(
    (el) => (el.getAttribute("href") || el.value || el.textContent || "").includes("://"),
    await el.elementHandle(), { timeout: 5_000 },
  );
  return el.evaluate((e) => (e.getAttribute("href") && e.href) || e.value || e.textContent.trim());
}

test("copy-link gives a link that restores the edited job, without the data or the webhook secret", async (t) => {
  const secret = `https://hooks.example.invalid/services/T0/B0/secret-${Date.now().toString(36)}`;
  const demo = await readFile(join(DIST, "demos", "regression.toml"), "utf8");
  // An edited job: another model KIND and grid than the demo's, and a webhook secret.
  const job = demo
    .replace(/\[model\][^[]*/, '[model]\nKIND = "Ridge"\n\n')
    .replace(/^param_grid = .*$/m, "param_grid = { alpha = [0.5, 2.0, 8.0], fit_intercept = [true, false] }")
    + `\n[alerts]\nenable = true\nwebhook_url = "${secret}"\nformat = "slack"\n`;
  assert.match(job, /KIND = "Ridge"/);

  const dir = await tempDir({ "randhie_inputs.csv": { copy: DEMO.inputs }, "randhie_targets.csv": { copy: DEMO.targets }, "job.toml": job });
  const original = await runCli(join(dir, "job.toml"), join(dir, "original.json"));

  const page = await TunaPage.create(env.browser);
  let link;
  try {
    await page.open(env.server.url);
    await page.loadDemo();
    await page.setConfig(job);
    await (await page.need("copy-link-button")).click();
    link = await readLink(page);
  } finally {
    await page.close();
  }
  t.diagnostic(`share link: ${link.length} characters`);

  assert.ok(link.startsWith(env.server.url), `the link points at this page (${env.server.url}): ${link.slice(0, 120)}`);
  for (const text of decodings(link)) {
    assert.ok(!text.includes(secret) && !text.includes("secret-"), "the link does not hold the webhook URL");
  }
  // No data: the link is far smaller than the data, and holds none of its values.
  const inputs = await readFile(DEMO.inputs, "utf8");
  assert.ok(link.length < inputs.length / 20, `the link (${link.length} chars) is small next to the data`);
  const sample = inputs.split("\n")[1];
  for (const text of decodings(link)) assert.ok(!text.includes(sample), "the link does not hold a data row");

  // A fresh browser context (no storage shared) opens the link: the editor holds the same job.
  const fresh = await TunaPage.create(env.browser);
  try {
    await fresh.open(link);
    const restored = await fresh.config();
    assert.ok(!restored.includes(secret), "the restored config has no webhook secret");
    assert.match(restored, /"Ridge"/, "same model KIND");
    assert.doesNotMatch(restored, /RandomForestRegressor/, "not the demo's model");
    for (const v of ["alpha", "fit_intercept", "0.5", "8"]) assert.ok(restored.includes(v), `grid has ${v}`);
    assert.equal(await fresh.el("shape").count(), 0, "no data was loaded from the link");

    // Semantically the same job: `tuna run` on the restored config gives the same candidates and scores.
    const ext = restored.trimStart().startsWith("{") ? "json" : "toml";
    const path = join(dir, `restored.${ext}`);
    await writeFile(path, restored);
    const again = await runCli(path, join(dir, "restored.json"));
    assert.deepEqual(again.cv_results.params, original.cv_results.params, "same candidates");
    assert.deepEqual(again.cv_results.mean_test_score, original.cv_results.mean_test_score, "same scores");
    assert.deepEqual(fresh.errors, []);
  } finally {
    await fresh.close();
  }
});

test("the exported config (export-config) leaves out the webhook secret and keeps the job", async () => {
  const secret = `https://hooks.example.invalid/services/T1/B1/secret-${Date.now().toString(36)}`;
  const demo = await readFile(join(DIST, "demos", "regression.toml"), "utf8");
  const job = `${demo}\n[alerts]\nenable = true\nwebhook_url = "${secret}"\nformat = "slack"\n`;
  const page = await TunaPage.create(env.browser);
  try {
    await page.open(env.server.url);
    await page.loadDemo();
    await page.setConfig(job);
    const { text } = await page.download("export-config");
    assert.ok(!text.includes(secret) && !text.includes("secret-"), "no webhook URL in the file");
    assert.match(text, /RandomForestRegressor/);
    assert.match(text, /max_depth/);
    assert.equal(await page.config(), job, "exporting does not change the editor");
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
});
