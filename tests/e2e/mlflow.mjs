// A real MLflow tracking server for the page's tracking tests: `mlflow server`
// from the virtual environment named by TUNA_MLFLOW (`make test-e2e` sets it),
// on 127.0.0.1 with a SQLite backend and a proxied artifact store in a temp
// folder, plus readers for what was logged (MLflow's REST API, and MLflow's
// own Python client through tests/mlflow/check_run.py).
import { spawn, execFile } from "node:child_process";
import { createServer } from "node:net";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import { join } from "node:path";
import { ROOT, tempDir } from "./harness.mjs";

const run = promisify(execFile);

/** The MLflow virtual environment, or a failure that says how to make one. */
export function mlflowVenv() {
  const venv = process.env.TUNA_MLFLOW;
  if (!venv) {
    throw new Error("TUNA_MLFLOW is not set: run `make test-e2e` (it makes .venv-mlflow and sets it), or " +
      "`make setup-mlflow` then `TUNA_MLFLOW=$PWD/.venv-mlflow npm run e2e`");
  }
  const abs = venv.startsWith("/") ? venv : join(ROOT, venv);
  if (!existsSync(join(abs, "bin", "mlflow"))) throw new Error(`TUNA_MLFLOW = ${abs} has no bin/mlflow: run \`make setup-mlflow\``);
  return abs;
}

const QUIET = { ...process.env, MLFLOW_DISABLE_TELEMETRY: "true", DO_NOT_TRACK: "true", MLFLOW_SERVER_ENABLE_JOB_EXECUTION: "false" };

/** A port nothing listens on now. */
export async function freePort() {
  const server = createServer();
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address();
  await new Promise((ok) => server.close(ok));
  return port;
}

/**
 * Starts `mlflow server`; `corsOrigins` is passed as --cors-allowed-origins.
 * Returns { url, dir, api(endpoint, query), artifact(runId, file), kill() }.
 */
export async function startMlflow({ corsOrigins } = {}) {
  const dir = await tempDir();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const args = ["server", "--host", "127.0.0.1", "--port", String(port), "--workers", "1",
    "--backend-store-uri", `sqlite:///${dir}/mlflow.db`, "--artifacts-destination", `${dir}/artifacts`];
  if (corsOrigins) args.push("--cors-allowed-origins", corsOrigins);
  // Its own process group, so kill() ends the server and the workers it forks.
  const child = spawn(join(mlflowVenv(), "bin", "mlflow"), args, { env: QUIET, detached: true, stdio: "ignore" });
  let exited = null;
  child.on("exit", (code, signal) => { exited = code ?? signal; });
  const kill = () => { try { process.kill(-child.pid, "SIGKILL"); } catch { /* already gone */ } };
  process.on("exit", kill);
  const started = Date.now();
  for (;;) {
    if (exited !== null) throw new Error(`mlflow server exited (${exited}) before answering ${url}/health`);
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch { /* not up yet */ }
    if (Date.now() - started > 120_000) { kill(); throw new Error(`mlflow server did not answer ${url}/health in 120 s`); }
    await new Promise((ok) => setTimeout(ok, 250));
  }
  const api = async (endpoint, query = {}) => {
    const r = await fetch(`${url}/api/2.0/mlflow/${endpoint}?${new URLSearchParams(query)}`);
    if (!r.ok) throw new Error(`GET ${endpoint}: HTTP ${r.status} ${await r.text()}`);
    return r.json();
  };
  return {
    url, dir, api, kill,
    /** The runs of an experiment matching an MLflow filter string. */
    async runs(experimentName, filter = "") {
      const { experiment } = await api("experiments/get-by-name", { experiment_name: experimentName });
      const r = await fetch(`${url}/api/2.0/mlflow/runs/search`, {
        method: "POST", headers: { "content-type": "application/json" },
        body: JSON.stringify({ experiment_ids: [experiment.experiment_id], filter, max_results: 1000 }),
      });
      return (await r.json()).runs ?? [];
    },
    /** An artifact's text, through the server's artifact proxy. */
    async artifact(artifactUri, file) {
      const path = artifactUri.replace(/^mlflow-artifacts:/, "");
      const r = await fetch(`${url}/api/2.0/mlflow-artifacts/artifacts${path}/${file}`);
      if (!r.ok) throw new Error(`artifact ${file}: HTTP ${r.status}`);
      return r.text();
    },
  };
}

/** Reads a run with MLflow's own Python client (tests/mlflow/check_run.py); returns its `ok:` lines. */
export async function checkWithMlflowClient(url, experiment, runId, nCandidates, cvResultsPath, { param, dataDir }) {
  const script = join(ROOT, "tests", "mlflow", "check_run.py");
  const args = [script, url, experiment, runId, String(nCandidates), cvResultsPath, "--param", param, "--data-dir", dataDir];
  const { stdout } = await run(join(mlflowVenv(), "bin", "python"), args, { env: QUIET, timeout: 120_000 });
  return stdout.split("\n").filter((l) => l.startsWith("ok:"));
}

/** A run's tags, params or metrics as a plain object. */
export function byKey(list = []) {
  return Object.fromEntries(list.map((e) => [e.key, e.value]));
}

/** The digests MLflow computed for files (tests/data/expected/mlflow_digests.json), if listed there. */
export async function expectedDigests() {
  return JSON.parse(await readFile(join(ROOT, "tests", "data", "expected", "mlflow_digests.json"), "utf8"));
}
