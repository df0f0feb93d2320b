// The page's side of the benchmark, in headless Chromium through the e2e harness:
// a search timed inside the page (Run click to the `done` state, on performance.now()),
// the page load (compressed bytes, time to interactive) and a 1,000,000-row CSV.
import { readFile, readdir, stat } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import { DIST, SUBPATH, TunaPage } from "../tests/e2e/harness.mjs";

/**
 * Installed before the page's scripts: when the app's wasm started (and its exports,
 * for its memory), when the Run button first became enabled, when a file input
 * changed, and every new text of the data panel's shape, error and "Ready" lines.
 */
const BENCH_PROBES = `(() => {
  if (window.__bench || typeof document === "undefined") return;
  const b = window.__bench = { changes: [], texts: [] };
  addEventListener("TrunkApplicationStarted", (e) => { b.started = performance.now(); b.wasm = e.detail && e.detail.wasm; });
  document.addEventListener("change", (e) => {
    const id = e.target && e.target.getAttribute && e.target.getAttribute("data-testid");
    if (id) b.changes.push({ id, t: performance.now() });
  }, true);
  const seen = new Set();
  new MutationObserver(() => {
    const now = performance.now();
    const run = document.querySelector('[data-testid="run-button"]');
    if (b.interactive === undefined && run && !run.disabled) b.interactive = now;
    for (const el of document.querySelectorAll('.data [data-testid="shape"], .data [data-testid="error"], .data p.ok')) {
      const text = el.textContent;
      if (!seen.has(text)) { seen.add(text); b.texts.push({ text, t: now }); }
    }
  }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
})();`;

const newPage = (browser) => TunaPage.create(browser, { initScript: BENCH_PROBES });
const wasmBytes = (tuna) => tuna.page.evaluate(() => window.__bench.wasm?.memory?.buffer.byteLength ?? null);

/** The job's text with `searcher.n_jobs` set. */
export function withJobs(config, nJobs) {
  return config.replace(/^n_jobs = .*$/m, `n_jobs = ${nJobs}`);
}

/**
 * Runs the job `repeats` times in one page with n_jobs = `nJobs` (0: one worker per
 * hardware thread). Returns each run's ms from the Run click to `done` and its phases,
 * the best score and params the page shows, each run's exported results JSON, and
 * how many workers were alive and how many fitted. With `memory`, also the renderer
 * processes' resident memory on the opened page, once the data is read and checked
 * ("Ready"), and at its peak over the reading and the runs (sampled every 50 ms).
 */
export async function pageSearch(browser, server, { config, inputs, targets, nJobs, repeats, memory = false, timeout = 900_000 }) {
  const tuna = await newPage(browser);
  let rssPeak = null;
  try {
    await tuna.open(server.url);
    const rss = {};
    if (memory) {
      rss.rss_bytes_before = await rendererRss();
      rssPeak = sampleRss();
    }
    await tuna.prepare({ inputs, targets, config: withJobs(config, nJobs) });
    await tuna.page.getByText("Ready:").first().waitFor({ timeout: 60_000 });
    if (memory) rss.rss_bytes_ready = await rendererRss();
    const times = [];
    const phases = [];
    const runResults = [];
    let workers = 0;
    let workersFitted = 0;
    for (let i = 0; i < repeats; i++) {
      await tuna.resetWorkerPeak();
      const since = (await tuna.probes()).states.length;
      await tuna.runToDone(timeout);
      const probes = await tuna.probes();
      const click = probes.clicks.filter((c) => c.id === "run-button").at(-1);
      const done = probes.states.slice(since).find((s) => s.state === "done");
      times.push(done.t - click.t);
      // Phases: Run to the first finished fit (reading the data, starting workers, sending them the
      // data, one fit), first to last fit, last fit to done (refit, report, results table).
      // A one-fit job may show "1 / 1 fits" again with no change the probes see: then no phases.
      const fits = probes.fits.filter((f) => f.t > click.t && f.done > 0);
      phases.push(fits.length
        ? { setup: fits[0].t - click.t, fits: fits.at(-1).t - fits[0].t, finish: done.t - fits.at(-1).t }
        : { setup: NaN, fits: NaN, finish: NaN });
      workers = probes.workers.maxLive;
      workersFitted = Math.max(workersFitted, (await tuna.workersThatRan()).length);
      // The run's results JSON (the CLI's format), for the fit and score times the workers measured.
      runResults.push(JSON.parse((await tuna.download("export-json")).text));
    }
    if (rssPeak) {
      rss.rss_bytes_peak = await rssPeak();
      rssPeak = null;
    }
    const bestScore = Number(await tuna.el("best-score").getAttribute("title"));
    const bestParams = JSON.parse(await tuna.el("best-params").textContent());
    return {
      times, phases, results: runResults.at(-1), run_results: runResults, ...rss,
      best_score: bestScore, best_params: bestParams, workers, workers_fitted: workersFitted, page_errors: tuna.errors,
    };
  } finally {
    await rssPeak?.();
    await tuna.close();
  }
}

/** Bytes of a dist/ file after gzip -9. */
async function gzipped(rel) {
  return gzipSync(await readFile(join(DIST, rel)), { level: 9 }).length;
}

/**
 * Opens the page `repeats` times, each in a fresh context (empty cache). Time to
 * interactive: navigation start to the Run button enabled (the app has mounted).
 * Bytes: every file the page requested while loading, and the worker files a
 * search adds, each gzip -9'd, summed.
 */
export async function pageLoad(browser, server, { repeats }) {
  const tti = [];
  const wasmStarted = [];
  let files = [];
  for (let i = 0; i < repeats; i++) {
    const tuna = await newPage(browser);
    const from = server.requests.length;
    await tuna.open(server.url);
    await tuna.page.waitForFunction(() => window.__bench.interactive !== undefined);
    const b = await tuna.page.evaluate(() => ({ interactive: window.__bench.interactive, started: window.__bench.started }));
    tti.push(b.interactive);
    wasmStarted.push(b.started);
    await tuna.page.waitForLoadState("networkidle");
    files = [...new Set(server.requests.slice(from).map((u) => decodeURIComponent(new URL(u, "http://x").pathname)))]
      .map((p) => p.slice(SUBPATH.length) || "index.html");
    await tuna.close();
  }
  const load = [];
  for (const f of files) load.push({ file: f, bytes: (await stat(join(DIST, f))).size, gzip: await gzipped(f) });
  const workerFiles = [];
  for (const f of ["worker_loader.js", "worker.js", "worker_bg.wasm", "reader_loader.js", "reader.js", "reader_bg.wasm"]) {
    workerFiles.push({ file: f, bytes: (await stat(join(DIST, f))).size, gzip: await gzipped(f) });
  }
  const sum = (list) => list.reduce((s, f) => s + f.gzip, 0);
  return {
    tti_ms: tti, wasm_started_ms: wasmStarted,
    files: load, gzip_bytes: sum(load),
    worker_files: workerFiles, gzip_bytes_with_workers: sum(load) + sum(workerFiles),
  };
}

/** Picks `path` in the `which` file input; returns the ms from its change event to a data-panel text matching `done`. */
async function pickAndWait(tuna, which, path, done, timeout) {
  const before = await tuna.page.evaluate(() => window.__bench.texts.length);
  await tuna.el(`${which}-file`).setInputFiles(path);
  const handle = await tuna.page.waitForFunction(
    ({ before, done }) => {
      const texts = window.__bench.texts.slice(before);
      return texts.find((x) => new RegExp(done).test(x.text)) ?? texts.find((x) => /error|cannot|not /i.test(x.text)) ?? false;
    },
    { before, done },
    { timeout, polling: 100 },
  );
  const hit = await handle.jsonValue();
  const change = (await tuna.page.evaluate(() => window.__bench.changes)).filter((c) => c.id === `${which}-file`).at(-1);
  return { ms: hit.t - change.t, text: hit.text, ok: new RegExp(done).test(hit.text) };
}

/** Parent pid of each process, from /proc/<pid>/stat (after the command name, which may hold spaces). */
async function parents(pids) {
  const parent = new Map();
  for (const pid of pids) {
    try {
      const stat = await readFile(`/proc/${pid}/stat`, "utf8");
      parent.set(pid, stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    } catch { /* the process ended meanwhile */ }
  }
  return parent;
}

/**
 * Resident memory of Chromium's renderer processes (a page, its workers, their wasm and
 * JavaScript heaps), in bytes, from /proc; 0 where there is no /proc. Only the renderers
 * of the Chromium this process started (their parents lead to it), so a test or another
 * benchmark running meanwhile does not count.
 */
async function rendererRss() {
  let total = 0;
  const pids = (await readdir("/proc").catch(() => [])).filter((pid) => /^\d+$/.test(pid));
  const parent = await parents(pids);
  const ours = (pid) => {
    for (let p = pid; p && p !== "0"; p = parent.get(p)) if (p === String(process.pid)) return true;
    return false;
  };
  for (const pid of pids) {
    if (!ours(pid)) continue;
    try {
      if (!(await readFile(`/proc/${pid}/cmdline`, "utf8")).includes("--type=renderer")) continue;
      const rss = /VmRSS:\s+(\d+) kB/.exec(await readFile(`/proc/${pid}/status`, "utf8"));
      if (rss) total += Number(rss[1]) * 1024;
    } catch { /* the process ended meanwhile */ }
  }
  return total;
}

/** Samples `rendererRss` every 50 ms until `stop()`, which gives the largest sample. */
function sampleRss() {
  let peak = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      peak = Math.max(peak, await rendererRss());
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return async () => { running = false; await loop; return peak; };
}

/**
 * Picks the 1,000,000-row inputs file (CSV or Parquet), waits until the page shows its shape (read and
 * checked by the engine's CSV reader), then the targets CSV, until the pair check says
 * "Ready" (`config`: a job whose targets need no column). Reads the app's wasm memory
 * (it only grows, so the last size is the peak), and the largest reader worker's; and the
 * renderer processes' resident memory, sampled, before and at its peak.
 * A crash or a timeout is the result, not an exception.
 */
export async function bigCsv(browser, server, { inputs, targets, config, timeout = 180_000 }) {
  const result = { inputs_bytes: (await stat(inputs)).size, targets_bytes: (await stat(targets)).size };
  const tuna = await newPage(browser);
  let crashed = false;
  tuna.page.on("crash", () => { crashed = true; });
  // Each reader worker logs its wasm memory when its read ends (wasm memory only grows: its peak).
  const readerPeaks = [];
  const readerSeconds = [];
  tuna.page.on("worker", (w) => w.on("console", (m) => {
    const read = /^tuna reader: .* with (\d+) bytes of wasm memory in ([\d.]+) s/.exec(m.text());
    if (read) {
      readerPeaks.push(Number(read[1]));
      readerSeconds.push(Number(read[2]));
    }
  }));
  try {
    await tuna.open(server.url);
    await tuna.setConfig(config);
    result.wasm_bytes_before = await wasmBytes(tuna);
    const tasksBefore = (await tuna.probes()).longtasks.length;
    result.rss_bytes_before = await rendererRss();
    const rssPeak = sampleRss();
    result.inputs = await pickAndWait(tuna, "inputs", inputs, "^1000000 rows", timeout);
    // The main thread's longest task while the inputs were read and checked.
    const probes = await tuna.probes();
    const picked = (await tuna.page.evaluate(() => window.__bench.changes)).at(-1).t;
    result.longtasks = probes.longtasks.slice(tasksBefore).map((t) => ({ at_ms: t.start - picked, ms: t.duration }));
    result.longest_task_ms = Math.max(0, ...result.longtasks.map((t) => t.ms));
    // The inputs' reading lines, from the pick: the reader worker's start, progress, its end.
    result.readings = probes.readings.filter((r) => r.t >= picked).map((r) => ({ at_ms: r.t - picked, text: r.text }));
    result.reader_s = readerSeconds[0];
    result.wasm_bytes_after_inputs = await wasmBytes(tuna);
    result.targets = await pickAndWait(tuna, "targets", targets, "^Ready:", timeout);
    result.wasm_bytes_peak = await wasmBytes(tuna);
    result.reader_wasm_bytes = Math.max(0, ...readerPeaks);
    result.rss_bytes_peak = await rssPeak();
  } catch (e) {
    result.error = crashed ? "the page crashed" : String(e.message ?? e).split("\n")[0];
  } finally {
    result.page_errors = tuna.errors;
    await tuna.close().catch(() => {});
  }
  return result;
}
