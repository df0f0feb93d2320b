// The benchmark (issue 6): each workload in bench/jobs/ on the page (headless Chromium),
// `tuna run` and scikit-learn's GridSearchCV, then the page load and a 1,000,000-row CSV.
// Prints the table and the target ratios, and writes everything as JSON. Never fails
// on timing: a target not met is a line in the output.
//
//   node bench/run.mjs [--repeats 3] [--out bench/results/DATE-MACHINE.json]
//
// Needs bench/data/ (bench/make_data.py), dist/ (make page), target/release/tuna
// (make build) and a Python with scikit-learn ($BENCH_PYTHON, default .venv-sklearn/bin/python).
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { availableParallelism, cpus, hostname, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs, promisify } from "node:util";
import { ROOT, TUNA, launch, serveDist } from "../tests/e2e/harness.mjs";
import { bigCsv, pageLoad, pageSearch } from "./page.mjs";

const run = promisify(execFile);
const { values: args } = parseArgs({
  options: { repeats: { type: "string", default: process.env.BENCH_REPEATS ?? "5" }, out: { type: "string" } },
});
const REPEATS = Number(args.repeats);
const BENCH = join(ROOT, "bench");
const DATA = join(BENCH, "data");
const PYTHON = process.env.BENCH_PYTHON ?? join(ROOT, ".venv-sklearn", "bin", "python");
const CORES = availableParallelism();

const WORKLOADS = [
  { name: "random_forest", data: "friedman1" },
  { name: "decision_tree", data: "friedman1" },
  { name: "ridge", data: "friedman1" },
  { name: "classification", data: "classification" },
];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const stats = (seconds) => ({ median: median(seconds), min: Math.min(...seconds), max: Math.max(...seconds), runs: seconds });
const log = (line) => process.stderr.write(`${line}\n`);
/** Seconds the fits and scorings took, summed over every (candidate, fold), from Tuna's results JSON. */
const fitSeconds = (r) => r.cv_results.mean_fit_time.reduce((s, t, i) => s + (t + r.cv_results.mean_score_time[i]) * r.n_splits, 0);

/** `tuna run --jobs N`, `repeats` times; seconds are the process's wall time. */
async function tunaRuns(job, jobs) {
  const dir = await mkdtemp(join(tmpdir(), "tuna-bench-"));
  const times = [];
  const searchTimes = [];
  let results;
  for (let i = 0; i < REPEATS; i++) {
    const out = join(dir, "results.json");
    const start = process.hrtime.bigint();
    const { stderr } = await run(TUNA, ["run", job, "--out", out, "--jobs", String(jobs)], { maxBuffer: 64 << 20 });
    times.push(Number(process.hrtime.bigint() - start) / 1e9);
    // The progress line at 100%: time from the job's start to the last fit (no refit, no writing).
    searchTimes.push(Number(stderr.match(/fits (\d+)\/\1 \(100%\), elapsed ([\d.]+) s/)?.[2]));
    results = JSON.parse(await readFile(out, "utf8"));
  }
  await rm(dir, { recursive: true, force: true });
  return {
    ...stats(times), fits_s: fitSeconds(results), log_elapsed_s: searchTimes, refit_time_s: results.refit_time,
    best_score: results.best_score, best_params: results.best_params,
  };
}

/** scikit-learn's GridSearchCV.fit with n_jobs, `repeats` times, in one Python process. */
async function sklearnRuns(job, nJobs) {
  const { stdout } = await run(PYTHON, [join(BENCH, "sklearn_bench.py"), job, "--n-jobs", String(nJobs), "--repeats", String(REPEATS)], {
    env: { ...process.env, OPENBLAS_NUM_THREADS: "1" }, maxBuffer: 64 << 20,
  });
  const r = JSON.parse(stdout);
  return { ...stats(r.times), fits_s: r.fits_s, best_score: r.best_score, best_params: r.best_params };
}

async function pageRuns(browser, server, workload, job, nJobs) {
  const r = await pageSearch(browser, server, {
    config: await readFile(job, "utf8"),
    inputs: join(DATA, `${workload.data}_inputs.csv`),
    targets: join(DATA, `${workload.data}_targets.csv`),
    nJobs, repeats: REPEATS,
  });
  return {
    ...stats(r.times.map((ms) => ms / 1000)), fits_s: fitSeconds(r.results), phases_s: r.phases.map((p) => ({ setup: p.setup / 1000, fits: p.fits / 1000, finish: p.finish / 1000 })),
    best_score: r.best_score, best_params: r.best_params, workers: r.workers, page_errors: r.page_errors,
  };
}

// ---- printing ----
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);
const sec = (x) => (x >= 100 ? x.toFixed(1) : x >= 10 ? x.toFixed(2) : x.toFixed(3));
const params = (p) => Object.entries(p).map(([k, v]) => `${k}=${v}`).join(" ");

function printWorkload(name, engines) {
  console.log(`\n${name}`);
  console.log(`  ${pad("engine", 22)}${lpad("median s", 10)}${lpad("min s", 10)}${lpad("max s", 10)}${lpad("fits s", 10)}   ${pad("best score", 22)}best params`);
  for (const [engine, r] of Object.entries(engines)) {
    console.log(`  ${pad(engine, 22)}${lpad(sec(r.median), 10)}${lpad(sec(r.min), 10)}${lpad(sec(r.max), 10)}${lpad(sec(r.fits_s), 10)}   ${pad(r.best_score, 22)}${params(r.best_params)}`);
  }
  const distinct = new Set(Object.values(engines).map((r) => JSON.stringify(Object.entries(r.best_params).sort())));
  console.log(`  best params agree across engines: ${distinct.size === 1 ? "yes" : "NO"}`);
  for (const [engine, r] of Object.entries(engines).filter(([, r]) => r.workers !== undefined)) {
    const errors = r.page_errors.length ? `; page errors: ${r.page_errors.join(" | ")}` : "";
    const phase = (k) => sec(median(r.phases_s.map((p) => p[k])));
    console.log(`  ${engine}: ${r.workers} Web Worker(s); medians: Run to first fit ${phase("setup")} s, first to last fit ${phase("fits")} s, last fit to done ${phase("finish")} s${errors}`);
  }
}

/** A ratio against its target; `at most` or `at least`. */
function ratio(what, value, op, target) {
  const met = op === "at most" ? value <= target : value >= target;
  const line = `  ${pad(what, 64)}${lpad(value.toFixed(3), 9)}   target ${op} ${target.toFixed(2)}   ${met ? "met" : "NOT MET"}`;
  console.log(line);
  return { what, value, op, target, met };
}

async function main() {
  const cpu = cpus()[0]?.model?.trim() ?? "unknown CPU";
  const machine = { cpu, cores: CORES, memory_gib: Math.round(totalmem() / 2 ** 30), hostname: hostname(), node: process.version };
  const { stdout: sk } = await run(PYTHON, ["-c", "import sklearn, numpy; print(sklearn.__version__, numpy.__version__)"]);
  machine.sklearn = sk.trim().split(" ")[0];
  machine.numpy = sk.trim().split(" ")[1];
  machine.chromium = (await run("/usr/bin/chromium", ["--version"]).catch(() => ({ stdout: "?" }))).stdout.trim();
  const started = new Date();
  machine.loadavg_1min_start = loadavg()[0];

  const server = await serveDist();
  const browser = await launch();
  const workloads = {};
  let load;
  let big;
  let bigParquet;
  try {
    for (const w of WORKLOADS) {
      const job = join(BENCH, "jobs", `${w.name}.toml`);
      const e = {};
      log(`${w.name}: page, 1 worker`);
      e["page, 1 worker"] = await pageRuns(browser, server, w, job, 1);
      log(`${w.name}: page, all workers`);
      e["page, all workers"] = await pageRuns(browser, server, w, job, 0);
      log(`${w.name}: tuna run --jobs 1`);
      e["tuna --jobs 1"] = await tunaRuns(job, 1);
      log(`${w.name}: tuna run --jobs 0`);
      e["tuna --jobs 0 (all)"] = await tunaRuns(job, 0);
      log(`${w.name}: scikit-learn n_jobs=1`);
      e["sklearn n_jobs=1"] = await sklearnRuns(job, 1);
      log(`${w.name}: scikit-learn n_jobs=-1`);
      e["sklearn n_jobs=-1"] = await sklearnRuns(job, -1);
      workloads[w.name] = e;
    }
    log("page load");
    load = await pageLoad(browser, server, { repeats: Math.max(REPEATS, 3) });
    log("1,000,000-row CSV and Parquet");
    big = [];
    bigParquet = [];
    const ridge = await readFile(join(BENCH, "jobs", "ridge.toml"), "utf8");
    for (let i = 0; i < REPEATS; i++) {
      big.push(await bigCsv(browser, server, { inputs: join(DATA, "big_inputs.csv"), targets: join(DATA, "big_targets.csv"), config: ridge }));
      bigParquet.push(await bigCsv(browser, server, {
        inputs: join(DATA, "big_inputs.parquet"), targets: join(DATA, "big_targets.parquet"), config: ridge,
      }));
    }
  } finally {
    await browser.close().catch(() => {});
    await server.close();
  }

  machine.loadavg_1min_end = loadavg()[0];
  const minutes = (Date.now() - started) / 60_000;
  console.log(`Tuna benchmark, ${started.toISOString()}, ${minutes.toFixed(1)} minutes`);
  console.log(`machine: ${cpu}, ${CORES} cores, ${machine.memory_gib} GiB; ${machine.chromium}; scikit-learn ${machine.sklearn}`);
  console.log(`load average (1 min) ${machine.loadavg_1min_start.toFixed(2)} at the start, ${machine.loadavg_1min_end.toFixed(2)} at the end: other work on the machine skews the times`);
  console.log(`${REPEATS} runs each. page: Run click to done, in the page; tuna: process wall time; sklearn: GridSearchCV.fit (refit included everywhere)`);
  console.log("fits s: fit + score times of every (candidate, fold), summed (the last run's cv_results; no refit, no overhead)");
  for (const [name, engines] of Object.entries(workloads)) printWorkload(name, engines);

  const m = (w, e) => workloads[w][e].median;
  const targets = [];
  console.log("\nTargets (ratios of medians)");
  targets.push(ratio("random_forest: page all workers / sklearn n_jobs=-1", m("random_forest", "page, all workers") / m("random_forest", "sklearn n_jobs=-1"), "at most", 0.25));
  for (const w of Object.keys(workloads)) {
    targets.push(ratio(`${w}: page 1 worker / tuna --jobs 1`, m(w, "page, 1 worker") / m(w, "tuna --jobs 1"), "at most", 1.2));
  }
  for (const w of Object.keys(workloads)) {
    targets.push(ratio(`${w}: speed-up page 1 worker / page all (${CORES} cores)`, m(w, "page, 1 worker") / m(w, "page, all workers"), "at least", 0.9 * CORES));
  }
  for (const w of ["ridge", "decision_tree"]) {
    targets.push(ratio(`${w}: page all workers / sklearn n_jobs=-1`, m(w, "page, all workers") / m(w, "sklearn n_jobs=-1"), "at most", 1));
  }

  console.log("\nPage load (gzip -9 of each file the page requested; time from navigation to the Run button enabled)");
  for (const f of load.files) console.log(`  ${pad(f.file, 36)}${lpad(f.bytes, 10)} B  gzip ${lpad(f.gzip, 9)} B`);
  for (const f of load.worker_files) console.log(`  ${pad(`${f.file} (when data is picked)`, 36)}${lpad(f.bytes, 10)} B  gzip ${lpad(f.gzip, 9)} B`);
  console.log(`  time to interactive, ms: median ${median(load.tti_ms).toFixed(0)} (runs ${load.tti_ms.map((t) => t.toFixed(0)).join(", ")}); app wasm started at ${median(load.wasm_started_ms).toFixed(0)} ms`);
  targets.push(ratio("page load: MB transferred, gzip (without the worker)", load.gzip_bytes / 1e6, "at most", 1.5));
  console.log(`  (with the worker files a search loads: ${(load.gzip_bytes_with_workers / 1e6).toFixed(3)} MB)`);
  targets.push(ratio("page load: s to interactive", median(load.tti_ms) / 1000, "at most", 1));

  for (const [format, runs, seconds] of [["CSV", big, 3], ["Parquet", bigParquet, 1.5]]) {
    const b = runs[0];
    console.log(`\n1,000,000 x 20 ${format} (${(b.inputs_bytes / 1e6).toFixed(1)} MB inputs, ${(b.targets_bytes / 1e6).toFixed(1)} MB targets), ${runs.length} fresh pages`);
    for (const r of runs) {
      const parts = [];
      if (r.inputs) parts.push(`inputs picked -> "${r.inputs.text}" ${r.inputs.ms.toFixed(0)} ms (longest main-thread task ${r.longest_task_ms.toFixed(0)} ms)`);
      if (r.reader_s != null) parts.push(`reader worker's read ${r.reader_s.toFixed(2)} s`);
      if (r.targets) parts.push(`targets picked -> "${r.targets.text}" ${r.targets.ms.toFixed(0)} ms`);
      if (r.wasm_bytes_peak != null) parts.push(`page's wasm memory ${(r.wasm_bytes_before / 1e6).toFixed(1)} -> ${(r.wasm_bytes_peak / 1e6).toFixed(1)} MB, reader worker's ${(r.reader_wasm_bytes / 1e6).toFixed(1)} MB; renderer RSS ${(r.rss_bytes_before / 1e6).toFixed(0)} -> peak ${(r.rss_bytes_peak / 1e6).toFixed(0)} MB`);
      if (r.error) parts.push(`FAILED: ${r.error}`);
      console.log(`  ${parts.join("; ")}`);
    }
    const parsed = runs.filter((r) => r.inputs?.ok);
    if (parsed.length === runs.length) {
      targets.push(ratio(`1M-row ${format}: s from pick to parsed and validated (inputs), median`, median(parsed.map((r) => r.inputs.ms)) / 1000, "at most", seconds));
      targets.push(ratio(`1M-row ${format}: main thread's longest task while reading, ms, median`, median(parsed.map((r) => r.longest_task_ms)), "at most", 50));
    } else {
      console.log(`  1M-row ${format}: NOT MET, the page did not parse it every time`);
      targets.push({ what: `1M-row ${format} parsed and validated within ${seconds} s`, met: false, errors: runs.map((r) => r.error ?? r.inputs?.text) });
    }
    // What reading and checking the files added to the tab: the renderer processes' resident
    // memory (the page, its workers, wasm and JavaScript alike), peak over the level before the pick.
    const grown = runs.filter((r) => r.rss_bytes_peak > 0).map((r) => r.rss_bytes_peak - r.rss_bytes_before);
    if (grown.length) targets.push(ratio(`1M-row ${format}: peak memory added (renderer RSS) / inputs file size`, Math.max(...grown) / b.inputs_bytes, "at most", 3));
    // The sum of the page's and the reader worker's wasm peaks, which never coexist (the worker
    // ends before the page copies the table in): an upper bound, printed for comparison.
    const wasm = runs.filter((r) => r.wasm_bytes_peak != null).map((r) => r.wasm_bytes_peak + r.reader_wasm_bytes);
    if (wasm.length) console.log(`  (page + reader worker wasm peaks, summed: ${(Math.max(...wasm) / b.inputs_bytes).toFixed(2)} x the file)`);
  }

  const met = targets.filter((t) => t.met).length;
  console.log(`\n${met} of ${targets.length} targets met`);

  const day = started.toISOString().slice(0, 10);
  const slug = `${cpu.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "")}-${CORES}c`;
  const out = args.out ?? join(BENCH, "results", `${day}-${slug}.json`);
  await mkdir(join(out, ".."), { recursive: true });
  await writeFile(out, `${JSON.stringify({ date: started.toISOString(), machine, repeats: REPEATS, workloads, targets, page_load: load, big_csv: big, big_parquet: bigParquet }, null, 2)}\n`);
  console.log(`wrote ${out.startsWith(ROOT) ? out.slice(ROOT.length) : out}`);
}

await main();
