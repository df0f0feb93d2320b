// Completion alerts from the page (issue 5): a run delivers exactly one alert
// with the best score to a local webhook receiver, a failed job delivers the
// failure alert, a broken receiver never spoils the results, the webhook URL
// (a secret) leaks nowhere, and `enable = false` sends nothing.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { setUp, TunaPage, cellNumber, roundedEquals } from "./harness.mjs";
import { startReceivers, alertBody } from "./receivers.mjs";

let env;
let hooks;
before(async () => {
  env = await setUp();
  hooks = await startReceivers();
});
after(async () => {
  await hooks?.close();
  await env?.tearDown();
});

/**
 * Installed before the page's scripts: window.Notification wrapped so that
 * each notification shown ({title, body}) and each permission request is
 * recorded; the static permission and requestPermission keep working.
 */
const RECORD_NOTIFICATIONS = `(() => {
  if (typeof window === "undefined" || window.__alerts) return;
  const seen = window.__alerts = { notifications: [], permissionRequests: 0 };
  const Native = window.Notification;
  if (!Native) return;
  window.Notification = class extends Native {
    constructor(title, options = {}) {
      super(title, options);
      seen.notifications.push({ title, body: options.body ?? "" });
    }
    static get permission() { return Native.permission; }
    static requestPermission(...args) { seen.permissionRequests++; return Native.requestPermission(...args); }
  };
})();`;

/** The demo's grid, `{ max_depth = [3, 5, 7], min_samples_leaf = [1, 20] }`: its number of candidates. */
function gridSize(config) {
  const grid = config.match(/^param_grid\s*=\s*\{(.*)\}\s*$/m);
  assert.ok(grid, "the demo job has a one-line param_grid");
  return [...grid[1].matchAll(/\[([^\]]*)\]/g)].reduce((n, m) => n * m[1].split(",").length, 1);
}

/** A webhook path no other test uses: what arrives there is this test's. */
let hookCount = 0;
const uniqueName = (what) => `${what}-${++hookCount}-${Math.random().toString(36).slice(2, 10)}`;

/** `config` with an `[alerts]` table appended (the demo job has none). */
function withAlerts(config, { enable = true, url, format }) {
  assert.ok(!/^\[alerts\]/m.test(config), "the config has no [alerts] table yet");
  return `${config}\n[alerts]\nenable = ${enable}\nwebhook_url = ${JSON.stringify(url)}\nformat = ${JSON.stringify(format)}\n`;
}

/**
 * A fresh page (browser notifications granted or not) with the demo loaded and
 * `alerts` (if given) set in the config; `edit` may change the config text
 * first. Runs `body(page, config)` and closes the page.
 */
async function withDemo({ notifications = false, alerts, edit = (c) => c, permissions = [] }, body) {
  const page = await TunaPage.create(env.browser, { initScript: RECORD_NOTIFICATIONS });
  try {
    const granted = [...permissions, ...(notifications ? ["notifications"] : [])];
    if (granted.length) await page.page.context().grantPermissions(granted, { origin: env.server.origin });
    await page.open(env.server.url);
    await page.loadDemo();
    let config = edit(await page.config());
    if (alerts) config = withAlerts(config, alerts);
    await page.setConfig(config);
    await body(page, config);
    assert.deepEqual(page.errors, [], "no uncaught exception in the page");
    assert.deepEqual(page.dialogs, [], "the page opened no dialog");
  } finally {
    await page.close();
  }
}

/** Runs and expects `state`; then waits a little, so a second (duplicate) alert would have arrived. */
async function runExpecting(page, state) {
  const end = await page.runAndWait();
  assert.equal(end, state, `the run ends ${state} (error shown: ${await page.errorText()})`);
  await page.page.waitForTimeout(500);
}

/** The POSTs that reached `url`, asserting there is exactly one; returns it. */
function onePost(receiver, url) {
  const posts = receiver.at(url).filter((r) => r.method === "POST");
  assert.equal(posts.length, 1,
    `exactly one alert POST reached the ${receiver.kind} receiver (got ${posts.length}; all requests there: ${describe(receiver.at(url))})`);
  return posts[0];
}

const describe = (requests) => JSON.stringify(requests.map((r) => `${r.method} ${r.headers["content-type"] ?? ""}`));

/** The page's best result: the shown (rounded) score, the exact one (its title), the params. */
async function bestOnPage(page) {
  const el = page.el("best-score");
  const shown = cellNumber(await el.textContent());
  const exact = Number(await el.getAttribute("title"));
  assert.ok(Number.isFinite(shown) && Number.isFinite(exact), `the page shows a best score (${shown}, exact ${exact})`);
  const params = JSON.parse(await page.el("best-params").textContent());
  return { shown, exact, params };
}

/** Asserts that a score an alert carries is the page's best score. */
function assertBestScore(score, best, where) {
  assert.ok(Number.isFinite(score), `${where} holds a numeric best score: ${score}`);
  assert.ok(roundedEquals(score, best.shown), `${where}'s best score ${score} rounds to the page's best-score ${best.shown}`);
  assert.equal(score, best.exact, `${where}'s best score is the page's exact best score`);
}

/** "Best neg_mean_squared_error: -12.3" in an alert's text: the number. */
function scoreInText(text) {
  const m = text.match(/Best neg_mean_squared_error: (\S+)/);
  assert.ok(m, `the alert text names the metric and the best score: ${JSON.stringify(text)}`);
  return Number(m[1]);
}

/** "Best params: {'max_depth': 7, ...}" in an alert's text, as an object (Python literal to JSON). */
function paramsInText(text) {
  const m = text.match(/Best params: (\{.*\})/);
  assert.ok(m, `the alert text has the best params: ${JSON.stringify(text)}`);
  return pythonDict(m[1]);
}

/** A Python dict literal of plain values (what params_to_python writes) as an object. */
function pythonDict(text) {
  return JSON.parse(text.replace(/'/g, '"').replace(/\bTrue\b/g, "true").replace(/\bFalse\b/g, "false").replace(/\bNone\b/g, "null"));
}

/** The alert-status element: {state, text}. */
async function alertStatus(page) {
  const el = await page.need("alert-status");
  return { state: await el.getAttribute("data-state"), text: (await el.textContent()).trim() };
}

/** The log panel's lines: {level, text}. */
function logLines(page) {
  return page.page.locator('[data-testid="log"] li').evaluateAll((lis) =>
    lis.map((li) => ({ level: li.className.replace(/^level-/, ""), text: li.textContent.trim() })));
}

/** The in-page toast: null when none is shown, else its text. */
async function toastText(page) {
  return (await page.has("toast")) ? (await page.el("toast").textContent()).trim() : null;
}

function notificationsShown(page) {
  return page.page.evaluate(() => window.__alerts.notifications);
}

test("discord to a CORS receiver, notifications granted: one POST with the best score, one browser notification, no toast", async (t) => {
  const url = hooks.cors.hook(uniqueName("discord"));
  await withDemo({ notifications: true, alerts: { url, format: "discord" } }, async (page, config) => {
    assert.equal(await (await page.need("notifications")).getAttribute("data-state"), "granted", "the page sees the permission");
    await runExpecting(page, "done");
    const best = await bestOnPage(page);
    assert.equal(await page.rowCount(), gridSize(config), "one row per candidate");

    const post = onePost(hooks.cors, url);
    assert.match(post.headers["content-type"] ?? "", /^application\/json/, "discord gets JSON");
    const body = alertBody(post);
    assert.equal(body.content, "Tuning Job Finished", "discord content is the title");
    const [embed] = body.embeds;
    assert.equal(embed.title, "Tuning Job Finished");
    const field = (name) => embed.fields.find((f) => f.name === name)?.value;
    assertBestScore(Number(field("Best neg_mean_squared_error")), best, "the discord embed's field");
    assertBestScore(scoreInText(embed.description), best, "the discord embed's description");
    assert.deepEqual(pythonDict(field("Best params")), best.params, "the embed's best params are the page's");
    assert.deepEqual(paramsInText(embed.description), best.params);
    assert.equal(field("Candidates"), String(gridSize(config)), "the embed counts the candidates");

    const status = await alertStatus(page);
    t.diagnostic(status.text);
    assert.equal(status.state, "done", `alert-status: ${status.text}`);
    assert.match(status.text, /discord webhook accepted the alert/, status.text);
    assert.match(status.text, /browser notification/, status.text);

    const shown = await notificationsShown(page);
    assert.equal(shown.length, 1, `exactly one browser notification: ${JSON.stringify(shown)}`);
    assert.equal(shown[0].title, "Tuning Job Finished");
    assertBestScore(scoreInText(shown[0].body), best, "the notification's body");
    assert.equal(await toastText(page), null, "no toast when the browser shows the notification");
  });
});

test("slack to a receiver without CORS, notifications not granted: one form-encoded no-cors POST, delivery unconfirmed, a toast", async (t) => {
  const url = hooks.plain.hook(uniqueName("slack"));
  await withDemo({ alerts: { url, format: "slack" } }, async (page) => {
    assert.equal(await (await page.need("notifications")).getAttribute("data-state"), "default", "permission not asked yet");
    await runExpecting(page, "done");
    const best = await bestOnPage(page);

    const requests = hooks.plain.at(url);
    assert.ok(requests.every((r) => r.method === "POST"), `a simple request: no preflight (${describe(requests)})`);
    const post = onePost(hooks.plain, url);
    assert.equal(post.headers["content-type"], "application/x-www-form-urlencoded", "slack from a browser is form-encoded");
    const body = alertBody(post);
    assert.match(body.text, /^\*Tuning Job Finished\*\n/, `slack text starts with the bold title: ${body.text}`);
    assertBestScore(scoreInText(body.text), best, "the slack payload");
    assert.deepEqual(paramsInText(body.text), best.params, "the slack payload's best params are the page's");

    const status = await alertStatus(page);
    t.diagnostic(status.text);
    assert.equal(status.state, "done", `alert-status: ${status.text}`);
    assert.match(status.text, /slack/, status.text);
    assert.match(status.text, /cannot confirm its delivery/, `the page says a browser cannot confirm delivery: ${status.text}`);

    const toast = await toastText(page);
    assert.ok(toast, "a toast shows the alert when browser notifications are not allowed");
    assert.match(toast, /Tuning Job Finished/);
    assertBestScore(scoreInText(toast), best, "the toast");
    assert.deepEqual(await notificationsShown(page), [], "no browser notification without permission");
    assert.equal(await page.page.evaluate(() => window.__alerts.permissionRequests), 0, "permission is never asked without a click");
    await page.el("toast-close").click();
    assert.equal(await toastText(page), null, "the toast can be dismissed");
  });
});

test("json to a receiver without CORS: the preflight is refused, no POST; the alert fails naming CORS and the results are complete", async (t) => {
  const url = hooks.plain.hook(uniqueName("json-no-cors"));
  await withDemo({ alerts: { url, format: "json" } }, async (page, config) => {
    await runExpecting(page, "done");
    const requests = hooks.plain.at(url);
    assert.equal(requests.filter((r) => r.method === "POST").length, 0, `no POST gets past a refused preflight: ${describe(requests)}`);
    assert.ok(requests.length <= 1 && requests.every((r) => r.method === "OPTIONS"), `at most the preflight: ${describe(requests)}`);

    const status = await alertStatus(page);
    t.diagnostic(status.text);
    assert.equal(status.state, "failed", `alert-status: ${status.text}`);
    assert.match(status.text, /^Alert not delivered: /, status.text);
    assert.match(status.text, /CORS/, `the failure names CORS: ${status.text}`);
    assert.equal(await page.rowCount(), gridSize(config), "the results table has every candidate");
    await bestOnPage(page);
    assert.equal(await page.errorText(), "", "the job itself did not fail");
  });
});

test("a job that fails in its search (more neighbours than training rows) sends one failure alert with the step and the error", async (t) => {
  const url = hooks.cors.hook(uniqueName("failed"));
  // The fit fails on every fold, and error_score = "raise" stops the search at the first.
  const edit = (config) => {
    assert.doesNotMatch(config, /^error_score/m, "the demo leaves error_score to its default");
    return config
      .replace(/^KIND = "RandomForestRegressor"$/m, 'KIND = "KNeighborsRegressor"')
      .replace(/^n_estimators = \d+$/m, "")
      .replace(/^random_state = 42$/m, "")
      .replace(/^param_grid = .*$/m, 'param_grid = { n_neighbors = [6000] }\nerror_score = "raise"');
  };
  await withDemo({ alerts: { url, format: "json" }, edit }, async (page) => {
    await runExpecting(page, "failed");
    const error = await page.errorText();
    assert.match(error, /n_neighbors must be at most the number of training rows/, `the error says why: ${error}`);

    const body = alertBody(onePost(hooks.cors, url));
    assert.equal(body.title, "Tuning Job Failed");
    assert.equal(body.status, "failed");
    assert.equal(body.step, "search");
    assert.equal(body.best_score, null, "a failed job has no best score");
    assert.match(body.error, /n_neighbors/, "the alert's error says why");
    assert.ok(error.includes(`${body.step}: ${body.error}`), `the page shows the alert's step and error: ${error}`);
    assert.match(body.text, new RegExp(`Step \`${body.step}\` failed`), body.text);

    const toast = await toastText(page);
    t.diagnostic(`toast: ${toast}`);
    assert.match(toast ?? "", /Tuning Job Failed/, `the toast shows the failure: ${toast}`);
    const logged = await logLines(page);
    assert.ok(logged.some((l) => l.level === "error" && l.text.includes("n_neighbors")), "the log has the error");
  });
});

test("a job that cannot start (a targets column that does not exist) is not run and sends no alert", async () => {
  const url = hooks.cors.hook(uniqueName("never-started"));
  const edit = (config) => {
    assert.match(config, /^column = "mdvis"$/m, "the demo names its target column");
    return config.replace(/^column = "mdvis"$/m, 'column = "no_such_column"');
  };
  await withDemo({ alerts: { url, format: "json" }, edit }, async (page) => {
    const reason = await page.runBlocked();
    assert.match(reason, /files do not fit the job/, `Run says why it is off: ${reason}`);
    assert.match(await page.errorText(), /no_such_column/, "the data panel names the column");
    await page.page.keyboard.press("Control+Enter");
    await page.page.waitForTimeout(500); // time for a POST to arrive, were one sent
    assert.equal(await page.state(), "idle", "nothing ran");
    assert.deepEqual(hooks.cors.at(url), [], "no request reached the webhook");
    assert.equal(await toastText(page), null, "no alert in the page either");
  });
});

test("a webhook that answers 500 or is down: the run ends done with its results, the alert fails and the log says why", async (t) => {
  const cases = [
    { name: "answers 500", url: hooks.failing.hook(uniqueName("500")), receiver: hooks.failing, why: /json webhook answered HTTP 500: receiver is broken/ },
    { name: "is down", url: hooks.down, why: /json webhook: cannot reach the server/ },
  ];
  for (const c of cases) {
    await t.test(`the webhook ${c.name}`, async (t) => {
      await withDemo({ alerts: { url: c.url, format: "json" } }, async (page, config) => {
        await runExpecting(page, "done");
        if (c.receiver) onePost(c.receiver, c.url);
        assert.equal(await page.rowCount(), gridSize(config), "the results table has every candidate");
        await bestOnPage(page);
        assert.equal(await page.errorText(), "", "the job itself did not fail");

        const status = await alertStatus(page);
        t.diagnostic(status.text);
        assert.equal(status.state, "failed", `alert-status: ${status.text}`);
        assert.match(status.text, /^Alert not delivered: /, status.text);
        assert.match(status.text, c.why, status.text);

        const warnings = (await logLines(page)).filter((l) => l.level === "warning");
        assert.ok(warnings.some((l) => /the alert was not sent/.test(l.text) && c.why.test(l.text)),
          `the log warns that the alert was not sent, and why: ${JSON.stringify(warnings)}`);
        assert.match((await toastText(page)) ?? "", /Tuning Job Finished/, "the page still shows the alert itself");
      });
    });
  }
});

/**
 * Starts watching where a page's text can go: its console, every request its
 * browser context makes, and the page's static server.
 */
function watch(page) {
  const consoleLines = [];
  const requests = [];
  const served = env.server.requests.length;
  page.page.on("console", (m) => consoleLines.push(m.text()));
  page.page.context().on("request", (r) => requests.push({ url: r.url(), method: r.method(), body: r.postData() ?? "" }));
  return {
    requests,
    /** Every place `token` shows up: log lines, the page's text, console, address bar, storage, the page's server. */
    async leaks(token) {
      const places = [];
      for (const l of await logLines(page)) if (l.text.includes(token)) places.push(`log line: ${l.text}`);
      const text = await page.page.evaluate(() => document.body.innerText);
      for (const line of text.split("\n")) if (line.includes(token)) places.push(`page text: ${line.trim()}`);
      for (const line of consoleLines) if (line.includes(token)) places.push(`console: ${line}`);
      const [href, storage] = await page.page.evaluate(() => [location.href, JSON.stringify([{ ...localStorage }, { ...sessionStorage }])]);
      if (href.includes(token)) places.push(`address bar: ${href}`);
      if (storage.includes(token)) places.push("the page's storage");
      for (const path of env.server.requests.slice(served)) if (path.includes(token)) places.push(`request to the page's own server: ${path}`);
      return places;
    },
  };
}

test("the webhook URL, typed into its password field, is in no export, link, log line, page text or request but the alert", async () => {
  const token = `s3cr3t${Math.random().toString(36).slice(2, 12)}`;
  const url = hooks.cors.hook(`T0/B0/${token}`);
  await withDemo({ permissions: ["clipboard-read", "clipboard-write"] }, async (page) => {
    const watched = watch(page);
    await (await page.need("alert-format")).selectOption("json");
    const field = await page.need("alerts-webhook_url");
    assert.equal(await field.getAttribute("type"), "password", "the webhook URL is typed into a password field");
    await field.fill(url);
    await field.press("Enter");
    await page.page.waitForFunction((token) => document.querySelector('[data-testid="config-editor"]').value.includes(token), token);
    assert.match(await page.config(), /format = "json"/, "the form set the format");

    await runExpecting(page, "done");
    onePost(hooks.cors, url);
    assert.equal((await alertStatus(page)).state, "done", "the alert reached the secret URL");

    const exported = await page.download("export-config");
    assert.match(exported.text, /TuningJob/, "the export is the job");
    assert.ok(!exported.text.includes(token), `the exported ${exported.name} has no webhook URL`);

    await (await page.need("copy-link-button")).click();
    const link = await page.el("share-link").getAttribute("href");
    const fragment = link.split("#job=")[1];
    assert.ok(fragment, `the share link carries the job: ${link.slice(0, 100)}`);
    const shared = Buffer.from(fragment, "base64url").toString("utf8");
    assert.match(shared, /TuningJob/, "the link's fragment decodes to the job");
    for (const text of [link, decodeURIComponent(link), shared]) assert.ok(!text.includes(token), "the share link has no webhook URL");
    await page.page.waitForFunction(() => /Copied|did not allow/.test(document.querySelector(".share")?.textContent ?? ""));
    const clipboard = await page.page.evaluate(() => navigator.clipboard.readText());
    assert.equal(clipboard, link, "Copy link put the shown link on the clipboard");

    assert.ok((await logLines(page)).some((l) => /\[8\/9\] notify/.test(l.text)), "the log has the alert step");
    assert.deepEqual(await watched.leaks(token), [], "the webhook URL shows up nowhere");
    const carrying = watched.requests.filter((r) => r.url.includes(token) || r.body.includes(token));
    assert.ok(carrying.length >= 1, "the alert itself went to the secret URL");
    assert.deepEqual(carrying.filter((r) => r.url !== url), [], "only the alert's own requests carry the webhook URL");
  });
});

test("a mistyped webhook URL is neither echoed in the page and the log nor sent anywhere", async (t) => {
  const cases = [
    // The browser's "Failed to parse URL from <url>" must not be passed on as is.
    { name: "a port out of range", url: (token) => `https://hooks.example.invalid:99999/services/${token}`, ends: "done" },
    // Without a scheme, fetch would resolve it against the page and send the secret to the page's host:
    // the config refuses it, naming the key but not the value, and Run stays off.
    { name: "no scheme", url: (token) => `hooks.example.invalid/services/T0/B0/${token}`, ends: "blocked" },
  ];
  for (const c of cases) {
    await t.test(c.name, async (t) => {
      const token = `s3cr3t${Math.random().toString(36).slice(2, 12)}`;
      await withDemo({ alerts: { url: c.url(token), format: "json" } }, async (page) => {
        const watched = watch(page);
        if (c.ends === "blocked") assert.match(await page.runBlocked(), /^The config has an error on line \d+/);
        else await runExpecting(page, c.ends);
        if (c.ends === "done") {
          const status = await alertStatus(page);
          t.diagnostic(`${c.name}: ${status.text}`);
          assert.equal(status.state, "failed", `a mistyped URL cannot deliver: ${status.text}`);
          assert.match(status.text, /the URL is not a valid http:\/\/ or https:\/\/ address/);
        } else {
          const error = await page.errorText();
          t.diagnostic(`${c.name}: ${error}`);
          assert.match(error, /alerts\.webhook_url: must be an absolute URL starting with http:\/\/ or https:\/\//);
        }
        assert.deepEqual(await watched.leaks(token), [], `the mistyped webhook URL (${c.name}) must show up nowhere`);
        const carrying = watched.requests.filter((r) => r.url.includes(token));
        assert.deepEqual(carrying.map((r) => `${r.method} ${r.url}`), [], "no request carries a webhook URL that is not an absolute http(s) URL");
      });
    });
  }
});

test("alerts.enable = false: nothing reaches the receiver, no toast, alert-status off", async () => {
  const url = hooks.cors.hook(uniqueName("disabled"));
  await withDemo({ alerts: { url, format: "json", enable: false } }, async (page) => {
    await runExpecting(page, "done");
    await bestOnPage(page);
    assert.deepEqual(hooks.cors.at(url), [], "no request reached the receiver");
    const status = await alertStatus(page);
    assert.equal(status.state, "off", `alert-status: ${status.text}`);
    assert.equal(status.text, "", "nothing is said about an alert");
    assert.equal(await toastText(page), null, "no toast");
    assert.deepEqual(await notificationsShown(page), []);
    assert.ok((await logLines(page)).some((l) => /alerts are off/.test(l.text)), "the log says alerts are off");
  });
});
