// Shared set-up for the end-to-end tests: a static server for dist/ (mounted
// under a sub-path, to prove the page uses relative URLs), Debian's Chromium
// driven by playwright-core, a page object that finds elements by data-testid,
// and the native `tuna` CLI that the page's results are compared with.
import { createServer } from "node:http";
import { readFile, writeFile, mkdir, mkdtemp, copyFile, access, rm } from "node:fs/promises";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { tmpdir } from "node:os";
import { basename, extname, join, normalize } from "node:path";
import { chromium } from "playwright-core";

export const ROOT = new URL("../../", import.meta.url).pathname;
export const DIST = join(ROOT, "dist");
export const SUBPATH = "/some/sub/path/";
export const SCREENSHOTS = join(ROOT, "target", "screenshots");
export const FIXTURES = join(ROOT, "tests", "e2e", "fixtures");
export const DIABETES = {
  inputs: join(ROOT, "tests", "data", "diabetes", "inputs.csv"),
  targets: join(ROOT, "tests", "data", "diabetes", "targets.csv"),
};
export const DEMO = {
  inputs: join(DIST, "demos", "randhie_inputs.csv"),
  targets: join(DIST, "demos", "randhie_targets.csv"),
};
export const TUNA = process.env.TUNA ?? join(ROOT, "target", "release", "tuna");

const run = promisify(execFile);

const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".wasm": "application/wasm",
  ".css": "text/css", ".csv": "text/csv", ".toml": "text/plain", ".md": "text/plain",
  ".json": "application/json", ".svg": "image/svg+xml", ".png": "image/png", ".ico": "image/x-icon",
};

/**
 * Serves dist/ at SUBPATH on `host` (127.0.0.1; another loopback address such
 * as 127.0.0.2 gives the page an origin that is not localhost) on a free
 * port; records every request path and status.
 */
export async function serveDist({ host = "127.0.0.1" } = {}) {
  const requests = [];
  const responses = [];
  const server = createServer(async (req, res) => {
    requests.push(req.url);
    const reply = (status, headers) => {
      responses.push({ url: req.url, status });
      return res.writeHead(status, headers);
    };
    const url = new URL(req.url, "http://x");
    if (!url.pathname.startsWith(SUBPATH)) { reply(404).end(); return; }
    let rel = normalize(decodeURIComponent(url.pathname.slice(SUBPATH.length))).replace(/^(\.\.[/\\])+/, "");
    if (rel === "" || rel === ".") rel = "index.html";
    let body;
    try {
      body = await readFile(join(DIST, rel));
    } catch {
      reply(404).end();
      return;
    }
    reply(200, { "content-type": TYPES[extname(rel)] ?? "application/octet-stream" }).end(body);
  });
  await new Promise((ok) => server.listen(0, host, ok));
  const origin = `http://${host}:${server.address().port}`;
  const url = `${origin}${SUBPATH}`;
  return {
    url, origin, requests, responses,
    close: () => new Promise((ok) => { server.closeAllConnections?.(); server.close(ok); }),
  };
}

/** Headless Debian Chromium with the flags this closed network needs. */
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
      "--disable-sync", "--no-first-run", "--disable-quic"],
  });
}

/**
 * Installed before the page's own scripts, on the page's clock
 * (performance.now(), ms): every change of the data panel's reading lines,
 * every change of the progress element's data-state
 * and of its "k / N fits" text, every long task (PerformanceObserver
 * 'longtask'), every click on an element with a data-testid, and the Web
 * Workers the page starts.
 */
const PROBES = `(() => {
  if (window.__tuna || typeof document === "undefined") return;
  const probes = window.__tuna = { states: [], fits: [], longtasks: [], clicks: [] };
  // Each change of the data panel's "Reading ..." lines (a read's start and progress), and their end ("").
  probes.readings = [];
  const check = () => {
    const reading = [...document.querySelectorAll('[data-testid="reading"]')].map((e) => e.textContent).join(" | ");
    const lastReading = probes.readings.length ? probes.readings[probes.readings.length - 1].text : "";
    if (reading !== lastReading) probes.readings.push({ text: reading, t: performance.now() });
    const p = document.querySelector('[data-testid="progress"]');
    if (!p) return;
    const now = performance.now();
    const state = p.getAttribute("data-state");
    const last = probes.states[probes.states.length - 1];
    if (state && (!last || last.state !== state)) probes.states.push({ state, t: now });
    const m = p.textContent.match(/(\\d+)\\s*\\/\\s*(\\d+)\\s*fits/);
    const lastFits = probes.fits[probes.fits.length - 1];
    if (m && (!lastFits || lastFits.done !== +m[1] || lastFits.total !== +m[2])) {
      probes.fits.push({ done: +m[1], total: +m[2], t: now });
    }
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ["data-state"] });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) probes.longtasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: "longtask", buffered: true });
  } catch (e) { probes.longtaskError = String(e); }
  // Web Workers the page starts, how many are alive at once (a worker counts until terminate()),
  // and each one's record: whether it was sent a unit to fit since the last reset, how many
  // datasets it was sent (the one message that is an array), and whether it ended. The objects
  // themselves are in window.__tunaWorkerObjects, in the same order.
  const counts = probes.workers = { created: 0, live: 0, maxLive: 0, list: [] };
  // The workers that read a picked file (named "tuna reader"), apart from the pool's: [{terminated}].
  probes.readers = [];
  const Native = window.Worker;
  if (Native) {
    window.Worker = class extends Native {
      constructor(...args) {
        super(...args);
        if (args[1]?.name === "tuna reader") {
          this.__tuna = { terminated: false, reader: true };
          probes.readers.push(this.__tuna);
          return;
        }
        counts.created++;
        counts.maxLive = Math.max(counts.maxLive, ++counts.live);
        this.__tuna = { id: counts.list.length, ran: false, data: 0, terminated: false };
        counts.list.push(this.__tuna);
        (window.__tunaWorkerObjects ??= []).push(this);
      }
      postMessage(data, ...rest) {
        if (this.__tuna.reader) return super.postMessage(data, ...rest);
        if (typeof data === "string" && data.startsWith('{"Run"')) this.__tuna.ran = true;
        if (Array.isArray(data)) this.__tuna.data++;
        return super.postMessage(data, ...rest);
      }
      terminate() {
        if (!this.__tuna.terminated) { this.__tuna.terminated = true; if (!this.__tuna.reader) counts.live--; }
        return super.terminate();
      }
    };
  }
  // Every Content-Security-Policy violation: the suite fails on any (see TunaPage.close).
  probes.csp = [];
  document.addEventListener("securitypolicyviolation", (e) => {
    probes.csp.push(e.effectiveDirective + " blocked " + (e.blockedURI || "inline") + " (" + (e.sourceFile || "page") + ":" + e.lineNumber + ")");
  });
  document.addEventListener("click", (e) => {
    const el = e.target && e.target.closest && e.target.closest("[data-testid]");
    if (el) probes.clicks.push({ id: el.getAttribute("data-testid"), t: performance.now() });
  }, true);
})();`;

/** The page as a test sees it: elements by data-testid, plus the common steps. */
export class TunaPage {
  constructor(page) {
    this.page = page;
    /** Uncaught exceptions in the page (pageerror). */
    this.errors = [];
    /** Dialogs (alert, confirm, prompt) the page opened; each is dismissed. */
    this.dialogs = [];
    /** Web Workers the page started. */
    this.workers = [];
    page.on("pageerror", (e) => this.errors.push(e.message));
    page.on("dialog", (d) => { this.dialogs.push(`${d.type()}: ${d.message()}`); d.dismiss().catch(() => {}); });
    page.on("worker", (w) => this.workers.push(w.url()));
    /** Console messages about the Content-Security-Policy (the page's and its workers'). */
    this.cspMessages = [];
    const csp = (m) => { if (/Content.Security.Policy/i.test(m.text())) this.cspMessages.push(m.text()); };
    page.on("console", csp);
    page.on("worker", (w) => w.on("console", csp));
  }
  /** A new page in its own browser context (no shared storage between tests), with the probes installed. */
  static async create(browser, { initScript } = {}) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    await page.addInitScript(PROBES);
    if (initScript) await page.addInitScript(initScript);
    return new TunaPage(page);
  }
  /**
   * What the probes recorded: states [{state, t}], fits [{done, total, t}], longtasks [{start, duration}],
   * clicks [{id, t}] (ms, page clock), workers {created, live, maxLive, list: [{id, ran, data, terminated}]}
   * (the pool's), readers [{terminated}] (the workers that read picked files), readings [{text, t}].
   */
  probes() {
    return this.page.evaluate(() => window.__tuna);
  }
  /** Starts counting the most Web Workers alive at once, and which ones fit units, from now on. */
  resetWorkerPeak() {
    return this.page.evaluate(() => {
      const w = window.__tuna.workers;
      w.maxLive = w.live;
      for (const worker of w.list) worker.ran = false;
    });
  }
  /** The Web Workers sent a unit to fit since the last `resetWorkerPeak` (all, if never reset). */
  async workersThatRan() {
    return (await this.probes()).workers.list.filter((w) => w.ran);
  }
  /**
   * Closes the page; fails when the page broke its Content-Security-Policy
   * at any point (a run, a tracked run, an alert: whatever the test did).
   */
  async close() {
    const violations = [...this.cspMessages, ...((await this.probes().catch(() => null))?.csp ?? [])];
    await this.page.context().close();
    if (violations.length) throw new Error(`Content-Security-Policy violations: ${violations.join("; ")}`);
  }
  el(id) {
    return this.page.getByTestId(id);
  }
  async has(id) {
    return (await this.el(id).count()) > 0;
  }
  /** The element, or a clear failure when the page lacks it (a contract feature not in dist/ yet). */
  async need(id, timeout = 5_000) {
    try {
      await this.el(id).first().waitFor({ state: "attached", timeout });
    } catch {
      throw new Error(`the page has no data-testid="${id}" element (missing from this build of dist/)`);
    }
    return this.el(id);
  }
  /** Opens the page and waits until the first-load demo data (if any) has arrived. */
  async open(url) {
    await this.page.goto(url);
    await this.el("run-button").waitFor();
    await this.demoArrived();
  }
  /** Waits until no demo data is on its way (Run's reason no longer says "Loading"). */
  async demoArrived() {
    await this.page.waitForFunction(() => !document.querySelector('[data-testid="run-reason"]')?.textContent.includes("Loading"));
  }
  /** Why Run is disabled: the text beside it that the button's aria-describedby names ("" when enabled). */
  async runReason() {
    const button = this.el("run-button");
    const described = await button.getAttribute("aria-describedby");
    if (!described) throw new Error("the Run button has no aria-describedby");
    const reason = this.page.locator(`#${described}`);
    return (await reason.count()) ? (await reason.textContent()).trim() : "";
  }
  /** Asserts Run is disabled and returns the reason shown beside it. */
  async runBlocked() {
    await this.page.waitForFunction(() => document.querySelector('[data-testid="run-button"]')?.disabled, null, { timeout: 5_000 })
      .catch(() => {});
    if (await this.el("run-button").isEnabled()) throw new Error("Run is enabled; the test expected it disabled");
    const reason = await this.runReason();
    if (!reason) throw new Error("Run is disabled with no reason beside it");
    return reason;
  }
  /** Loads a bundled demo (data and job): "regression" (demo-button) or "classification". */
  async loadDemo(kind = "regression") {
    await (await this.need(kind === "regression" ? "demo-button" : `demo-${kind}-button`)).click();
    await this.page.getByText("randhie_targets.csv").first().waitFor();
    // The first load's demo shows the same names: wait for this load's files too.
    await this.demoArrived();
  }
  async setConfig(text) {
    await this.el("config-editor").fill(text);
  }
  async config() {
    return this.el("config-editor").inputValue();
  }
  async pick(which, path) {
    const before = (await this.probes()).readings.length;
    await (await this.need(`${which}-file`)).setInputFiles(path);
    // The page reads the file in a worker: wait until this read has started and ended, and a preview names the file.
    await this.page.waitForFunction(
      ({ name, before }) => window.__tuna.readings.length > before && !document.querySelector('[data-testid="reading"]') &&
        [...document.querySelectorAll(".preview .file-name")].some((e) => e.textContent === name),
      { name: basename(path), before },
    );
  }
  /** Picks both files, sets the config and, when the page has a workers input, the worker count. */
  async prepare({ inputs, targets, config, workers }) {
    if (inputs) await this.pick("inputs", inputs);
    if (targets) await this.pick("targets", targets);
    if (config !== undefined) await this.setConfig(config);
    if (workers !== undefined && (await this.has("workers-input"))) {
      await this.el("workers-input").fill(String(workers));
    }
  }
  /** Clicks Run; fails at once with the reason when Run is disabled. */
  async run() {
    const button = this.el("run-button");
    await this.page.waitForFunction(() => !document.querySelector('[data-testid="run-button"]')?.disabled, null, { timeout: 5_000 })
      .catch(() => {});
    if (!(await button.isEnabled())) throw new Error(`Run is disabled: ${await this.runReason()}`);
    await button.click();
  }
  state() {
    return this.el("progress").getAttribute("data-state");
  }
  async waitForState(state, timeout = 120_000) {
    await this.page.waitForSelector(`[data-testid="progress"][data-state="${state}"]`, { timeout });
  }
  /** Waits until the run ends (done, failed or cancelled) and returns the state. */
  async waitForEnd(timeout = 120_000) {
    const sel = ["done", "failed", "cancelled"].map((s) => `[data-testid="progress"][data-state="${s}"]`).join(",");
    await this.page.waitForSelector(sel, { timeout });
    return this.state();
  }
  /**
   * Clicks Run and waits until this run ends; returns the final state, or
   * "rejected" when the page refused to start (an error shown, no `running`).
   */
  async runAndWait(timeout = 120_000) {
    const since = (await this.probes()).states.length;
    await this.run();
    const handle = await this.page.waitForFunction(
      (since) => {
        const fresh = window.__tuna.states.slice(since).map((s) => s.state);
        const end = fresh.find((s) => s === "done" || s === "failed" || s === "cancelled");
        if (end) return end;
        if (!fresh.includes("running") && document.querySelector('[data-testid="error"]')) return "rejected";
        return false;
      },
      since,
      { timeout, polling: 50 },
    );
    return handle.jsonValue();
  }
  /** Runs and waits for `done`; on any other end, fails with the page's error text. */
  async runToDone(timeout = 120_000) {
    const state = await this.runAndWait(timeout);
    if (state !== "done") throw new Error(`run ended ${state}: ${await this.errorText()}`);
  }
  /** Text of every `error` element, joined ("" when there is none). */
  async errorText() {
    return (await this.el("error").allTextContents()).join("\n");
  }
  /** "12 / 36 fits" in the progress element, as numbers (null when absent). */
  async fits() {
    const text = (await this.el("progress").textContent()) ?? "";
    const m = text.match(/(\d+)\s*\/\s*(\d+)\s*fits/);
    return m ? { done: Number(m[1]), total: Number(m[2]) } : null;
  }
  /** Every candidate's cell in column `col` of the results table, as text, in candidate order (the table shows them best first). */
  async column(col) {
    return this.page.locator('[data-testid="results-table"] tbody tr').evaluateAll((rows, col) => rows
      .map((tr) => [Number(tr.dataset.candidate), tr.querySelector(`td[data-col="${col}"]`)?.textContent ?? ""])
      .sort((a, b) => a[0] - b[0])
      .map(([, text]) => text), col);
  }
  /** Column names of the results table, from its cells' data-col. */
  async columns() {
    return this.page.locator('[data-testid="results-table"] tbody tr').first().locator("td[data-col]")
      .evaluateAll((tds) => tds.map((td) => td.getAttribute("data-col")));
  }
  async rowCount() {
    return this.page.locator('[data-testid="results-table"] tbody tr').count();
  }
  /** Clicks a download button and returns the downloaded file's text. */
  async download(id, timeout = 15_000) {
    const button = await this.need(id);
    const [dl] = await Promise.all([this.page.waitForEvent("download", { timeout }), button.click()]);
    const path = await dl.path();
    return { name: dl.suggestedFilename(), text: await readFile(path, "utf8") };
  }
  async screenshot(name) {
    await mkdir(SCREENSHOTS, { recursive: true });
    const path = join(SCREENSHOTS, `${name}.png`);
    await this.page.screenshot({ path, fullPage: true });
    return path;
  }
}

/** A cell as the page formats numbers: "—" is NaN. */
export function cellNumber(text) {
  const t = text.trim();
  if (t === "—" || t === "" || /^nan$/i.test(t)) return NaN;
  return Number(t.replace("−", "-"));
}

/**
 * True when `shown` is `exact` rounded to `digits` significant digits (the
 * page's table rounds to 6): the difference is within half a unit in the last
 * shown place, plus a hair for binary/decimal conversion.
 */
export function roundedEquals(exact, shown, digits = 6) {
  if (exact === null || Number.isNaN(exact)) return Number.isNaN(shown);
  if (exact === 0) return shown === 0;
  const place = 10 ** (Math.floor(Math.log10(Math.abs(exact))) - (digits - 1));
  return Math.abs(exact - shown) <= place / 2 * (1 + 1e-9) + Math.abs(exact) * 1e-15;
}

/** Builds the CLI once if it is missing. */
export async function ensureCli() {
  try {
    await access(TUNA);
  } catch {
    await run("cargo", ["build", "--release", "--bin", "tuna"], { cwd: ROOT, maxBuffer: 64 << 20, timeout: 1_800_000 });
  }
  return TUNA;
}

const temps = [];

/** A fresh temp folder holding `files` ({name: text, or {copy: path}}); setUp's tearDown removes it. */
export async function tempDir(files = {}) {
  const dir = await mkdtemp(join(tmpdir(), "tuna-e2e-"));
  temps.push(dir);
  for (const [name, source] of Object.entries(files)) {
    if (typeof source === "object" && source.copy) await copyFile(source.copy, join(dir, name));
    else await writeFile(join(dir, name), source);
  }
  return dir;
}

/** Runs `tuna run` on a config file and returns its results JSON. */
export async function runCli(configPath, outPath) {
  await run(TUNA, ["run", configPath, "--out", outPath], { maxBuffer: 64 << 20, timeout: 600_000 });
  return JSON.parse(await readFile(outPath, "utf8"));
}

/**
 * A job config (TOML) from its parts; every part but the model and grid has a
 * default. `extra` is appended verbatim (e.g. `[alerts]` tables).
 */
export function jobToml({
  inputs = "inputs.csv", targets = "targets.csv", targetColumn, model, metric = "mean_squared_error",
  splitter = 'KIND = "KFoldSplitter"\nn_splits = 3', grid, nJobs, extra = "", name = "e2e",
}) {
  return [
    'KIND = "TuningJob"',
    "",
    "[run_config]",
    `name = ${JSON.stringify(name)}`,
    "",
    "[inputs]",
    'KIND = "CsvReader"',
    `path = ${JSON.stringify(inputs)}`,
    "",
    "[targets]",
    'KIND = "CsvReader"',
    `path = ${JSON.stringify(targets)}`,
    ...(targetColumn ? [`column = ${JSON.stringify(targetColumn)}`] : []),
    "",
    "[model]",
    model,
    "",
    "[metric]",
    'KIND = "SklearnMetric"',
    `name = ${JSON.stringify(metric)}`,
    "",
    "[splitter]",
    splitter,
    "",
    "[searcher]",
    'KIND = "GridCVSearcher"',
    `param_grid = ${grid}`,
    ...(nJobs !== undefined ? [`n_jobs = ${nJobs}`] : []),
    "",
    extra,
  ].join("\n");
}

/** Starts a server (see serveDist) and a browser for one test file; returns them and a closer. */
export async function setUp(options) {
  const server = await serveDist(options);
  const browser = await launch();
  return {
    server, browser,
    async tearDown() {
      await browser.close().catch(() => {});
      await server.close();
      if (!process.env.TUNA_E2E_KEEP) await Promise.all(temps.splice(0).map((d) => rm(d, { recursive: true, force: true })));
    },
  };
}
