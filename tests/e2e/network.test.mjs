// With no tracking server and no webhook configured, the page asks nothing of
// the network but its own static files: the data stays on this machine.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { setUp, TunaPage, FIXTURES, SUBPATH, jobToml } from "./harness.mjs";

let env;
before(async () => { env = await setUp(); });
after(async () => { await env?.tearDown(); });

/** Runs `steps` on a fresh page, then checks every request the browser made and the server saw. */
async function onlyOwnStaticFiles(t, steps) {
  const page = await TunaPage.create(env.browser);
  const seen = [];
  // Context-wide: the page, its Web Workers and anything they fetch.
  page.page.context().on("request", (r) => seen.push(r.url()));
  const from = env.server.responses.length;
  try {
    await page.open(env.server.url);
    await steps(page);
    await page.page.waitForTimeout(300);
  } finally {
    await page.close();
  }
  const served = env.server.responses.slice(from);
  t.diagnostic(`${seen.length} requests seen by the browser, ${served.length} by the server`);
  assert.ok(seen.length > 0 && served.length > 0);
  const outside = seen.filter((u) => !u.startsWith(env.server.origin + "/") && !u.startsWith(`blob:${env.server.origin}/`));
  assert.deepEqual(outside, [], "no request leaves the page's origin");
  // Stricter, for a static site under a sub-path (GitHub Pages style): nothing outside the page's
  // folder, nothing missing. (Chromium asks for /favicon.ico when the page declares no icon.)
  await t.test("every request the server saw is a file under the page's path, and it exists", () => {
    assert.deepEqual(served.filter((r) => !r.url.startsWith(SUBPATH) || r.status !== 200), []);
  });
}

test("loading the page and running the demo: only the page's own static files", async (t) => {
  await onlyOwnStaticFiles(t, async (page) => {
    await page.loadDemo();
    await page.runToDone();
  });
});

test("picked files, a run, exports and the share link: only the page's own static files", async (t) => {
  await onlyOwnStaticFiles(t, async (page) => {
    await page.prepare({
      inputs: join(FIXTURES, "small_inputs.csv"), targets: join(FIXTURES, "small_targets.csv"),
      config: jobToml({ model: 'KIND = "Ridge"', grid: "{ alpha = [0.1, 1.0] }" }),
    });
    await page.runToDone();
    for (const id of ["export-json", "export-csv"]) await page.download(id);
    await (await page.need("copy-link-button")).click();
  });
});
