//! MLflow tracking from the CLI against a real MLflow server, and its faults.
//!
//! The server is `mlflow server` from the virtual environment named by
//! `TUNA_MLFLOW` (`make setup-mlflow` makes it; `make test-native` sets the
//! variable), on 127.0.0.1 with a SQLite backend and a proxied artifact store
//! in a temp folder. One server is shared by the tests of this file and stops
//! when they end. What Tuna logged is read back through the REST API, and
//! with MLflow's own Python client (`tests/mlflow/check_run.py`).
//!
//! Faults use no server (nothing listening) or a local stub that answers 500
//! or dies mid-run: the job succeeds, its results are written, and the
//! warning says what failed and how to fix it.
#![cfg(not(target_arch = "wasm32"))] // Native services (a server process and ureq): `--target wasm32` builds skip it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Output, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use serde_json::Value;
use sha2::{Digest, Sha256};

// ---- the real server ------------------------------------------------------

/// Whether the tests that need a real MLflow server can run: false, with the
/// reason on stderr, when `TUNA_MLFLOW` is unset, so a plain `cargo test`
/// skips them. `make test` sets it up and sets `TUNA_REQUIRE_MLFLOW`, which
/// turns a missing server into a failure instead of a skip.
fn mlflow_available() -> bool {
    if std::env::var_os("TUNA_MLFLOW").is_some() || std::env::var_os("TUNA_REQUIRE_MLFLOW").is_some() {
        return true;
    }
    // Written to the stderr handle, not with eprintln!, so the test harness shows it.
    let _ = writeln!(
        std::io::stderr(),
        "skipped: TUNA_MLFLOW is not set, so there is no MLflow server to test against; \
         `make test-native` sets one up (or `make setup-mlflow`, then `TUNA_MLFLOW=$PWD/.venv-mlflow cargo test`)"
    );
    false
}

/// The MLflow virtual environment, or a failure that says how to make one.
fn venv() -> PathBuf {
    let venv = match std::env::var_os("TUNA_MLFLOW") {
        Some(v) => PathBuf::from(v),
        None => panic!(
            "TUNA_MLFLOW is not set: these tests need a real MLflow server. Run `make test-native` (it runs `make \
             setup-mlflow` and sets TUNA_MLFLOW), or `make setup-mlflow` then \
             `TUNA_MLFLOW=$PWD/.venv-mlflow cargo test`"
        ),
    };
    let venv = if venv.is_absolute() { venv } else { Path::new(env!("CARGO_MANIFEST_DIR")).join(venv) };
    assert!(
        venv.join("bin/mlflow").exists(),
        "TUNA_MLFLOW = {} has no bin/mlflow: run `make setup-mlflow`",
        venv.display()
    );
    venv
}

/// A running `mlflow server`. Its shell parent kills it (its whole process
/// group) when this test process ends and closes the shell's stdin.
struct Server {
    url: String,
    _child: Mutex<(Child, ChildStdin)>,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn start_server() -> Server {
    let venv = venv();
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("mlflow-server-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}");
    let log = dir.join("server.log");
    // `setsid` puts the server (and the workers it forks) in its own process
    // group, which the shell ends when this process exits and its stdin closes.
    let script = "setsid \"$0\" server --host 127.0.0.1 --port \"$1\" --workers 1 \
                  --backend-store-uri \"sqlite:///$2/mlflow.db\" --artifacts-destination \"$2/artifacts\" \
                  >\"$2/server.log\" 2>&1 &\npid=$!\nread _\nkill -TERM -$pid 2>/dev/null\nsleep 5\n\
                  kill -KILL -$pid 2>/dev/null\n";
    let mut child = Command::new("sh")
        .args(["-c", script, venv.join("bin/mlflow").to_str().unwrap(), &port.to_string(), dir.to_str().unwrap()])
        .env("MLFLOW_DISABLE_TELEMETRY", "true")
        .env("DO_NOT_TRACK", "true")
        // MLflow 3's background job runner (seven huey consumers): not needed for tracking.
        .env("MLFLOW_SERVER_ENABLE_JOB_EXECUTION", "false")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("cannot run sh to start mlflow server");
    let stdin = child.stdin.take().unwrap();
    let started = Instant::now();
    loop {
        if let Ok(r) = get(&format!("{url}/health"))
            && r.0 == 200
        {
            break;
        }
        let log_text = std::fs::read_to_string(&log).unwrap_or_default();
        if let Ok(Some(status)) = child.try_wait() {
            panic!("mlflow server exited ({status}) before answering /health:\n{log_text}");
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "mlflow server did not answer {url}/health within 120 s:\n{log_text}"
        );
        std::thread::sleep(Duration::from_millis(250));
    }
    eprintln!("mlflow server on {url} answered /health after {:.1} s", started.elapsed().as_secs_f64());
    Server { url, _child: Mutex::new((child, stdin)) }
}

fn server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(start_server)
}

// ---- HTTP and CLI helpers -------------------------------------------------

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(30)))
        .http_status_as_error(false)
        .build()
        .into()
}

/// GET: (status, body).
fn get(url: &str) -> Result<(u16, String), ureq::Error> {
    let mut r = agent().get(url).call()?;
    Ok((r.status().as_u16(), r.body_mut().read_to_string().unwrap_or_default()))
}

fn get_json(url: &str) -> Value {
    let (status, body) = get(url).unwrap();
    assert_eq!(status, 200, "GET {url}: {body}");
    serde_json::from_str(&body).unwrap()
}

fn post_json(url: &str, body: &Value) -> Value {
    let mut r = agent().post(url).header("Content-Type", "application/json").send(body.to_string()).unwrap();
    let text = r.body_mut().read_to_string().unwrap();
    assert_eq!(r.status().as_u16(), 200, "POST {url}: {text}");
    serde_json::from_str(&text).unwrap()
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Writes a Ridge job on the diabetes data with this `[mlflow]` URI and
/// experiment, and runs `tuna run`; returns its output and folder.
fn run_job(name: &str, tracking_uri: &str, experiment: &str, broken_data: bool) -> (Output, PathBuf) {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("mlflow_{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let data = root().join("tests/data/diabetes");
    let inputs = if broken_data { root().join("tests/configs/data/ragged.csv") } else { data.join("inputs.csv") };
    let job = format!(
        "KIND = \"TuningJob\"\n\
         [run_config]\nname = \"Ridge on diabetes\"\ndescription = \"Tuned by tests/mlflow_server.rs\"\n\
         tags = {{ context = \"tuning\", team = \"tuna\" }}\n\
         [inputs]\nKIND = \"CsvReader\"\npath = \"{}\"\n[targets]\nKIND = \"CsvReader\"\npath = \"{}\"\n\
         [model]\nKIND = \"Ridge\"\n[splitter]\nKIND = \"KFoldSplitter\"\nn_splits = 3\n\
         [searcher]\nKIND = \"GridCVSearcher\"\nparam_grid = {{ alpha = [0.1, 1.0, 10.0] }}\nreturn_train_score = true\n\
         [mlflow]\ntracking_uri = \"{tracking_uri}\"\nexperiment_name = \"{experiment}\"\n\
         [alerts]\nenable = false\nwebhook_url = \"http://127.0.0.1:9/hooks/SECRET-HOOK\"\n",
        inputs.display(),
        data.join("targets.csv").display()
    );
    std::fs::write(dir.join("job.toml"), job).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_tuna"))
        .args(["run", dir.join("job.toml").to_str().unwrap(), "--out", dir.join("results.json").to_str().unwrap()])
        .env_remove("MLFLOW_TRACKING_TOKEN")
        .env_remove("MLFLOW_TRACKING_USERNAME")
        .output()
        .unwrap();
    (out, dir)
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

/// The run id from the CLI's `MLflow run: <uri>/#/experiments/<id>/runs/<run_id>` line.
fn run_link(out: &Output) -> (String, String) {
    let stdout = String::from_utf8_lossy(&out.stdout);
    let link = stdout
        .lines()
        .find_map(|l| l.strip_prefix("MLflow run: "))
        .unwrap_or_else(|| panic!("no `MLflow run:` line in the output:\n{}", text(out)));
    let (_, rest) = link.split_once("/#/experiments/").unwrap();
    let (experiment, run) = rest.split_once("/runs/").unwrap();
    (experiment.to_string(), run.to_string())
}

fn committed_digest(file: &str) -> String {
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("tests/data/expected/mlflow_digests.json")).unwrap())
            .unwrap();
    let case = expected["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["file"] == file && c["nrows"].is_null())
        .unwrap_or_else(|| panic!("{file} is not in mlflow_digests.json"));
    case["digest"].as_str().unwrap().to_string()
}

fn pairs(list: &Value) -> Vec<(String, Value)> {
    list.as_array()
        .map(|a| a.iter().map(|e| (e["key"].as_str().unwrap().to_string(), e["value"].clone())).collect())
        .unwrap_or_default()
}

fn lookup(list: &Value, key: &str) -> Value {
    pairs(list).into_iter().find(|(k, _)| k == key).map(|(_, v)| v).unwrap_or(Value::Null)
}

/// A finite number from MLflow's JSON (which writes NaN as "NaN").
fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

// ---- the logged job, shared by the read-back tests ------------------------

struct Logged {
    out: Output,
    dir: PathBuf,
    experiment_id: String,
    run_id: String,
}

const EXPERIMENT: &str = "tuna-cli-tests";

fn logged() -> &'static Logged {
    static LOGGED: OnceLock<Logged> = OnceLock::new();
    LOGGED.get_or_init(|| {
        let (out, dir) = run_job("logged", &server().url, EXPERIMENT, false);
        assert!(out.status.success(), "{}", text(&out));
        let (experiment_id, run_id) = run_link(&out);
        Logged { out, dir, experiment_id, run_id }
    })
}

#[test]
fn the_parent_run_has_its_name_tags_params_metrics_and_status() {
    if !mlflow_available() {
        return;
    }
    let l = logged();
    let api = format!("{}/api/2.0/mlflow", server().url);
    let out = text(&l.out);
    assert!(!out.contains("WARNING"), "tracking should work without warnings:\n{out}");
    let experiment = get_json(&format!("{api}/experiments/get-by-name?experiment_name={EXPERIMENT}"));
    assert_eq!(experiment["experiment"]["experiment_id"], l.experiment_id.as_str());

    let run = get_json(&format!("{api}/runs/get?run_id={}", l.run_id))["run"].clone();
    let info = &run["info"];
    assert_eq!(info["run_name"], "Ridge on diabetes");
    assert_eq!(info["status"], "FINISHED");
    assert!(num(&info["end_time"]) >= num(&info["start_time"]), "{info}");
    let tags = &run["data"]["tags"];
    assert_eq!(lookup(tags, "context"), "tuning");
    assert_eq!(lookup(tags, "team"), "tuna");
    assert_eq!(lookup(tags, "mlflow.note.content"), "Tuned by tests/mlflow_server.rs");
    assert_eq!(lookup(tags, "mlflow.source.type"), "LOCAL");
    assert!(lookup(tags, "mlflow.source.name").as_str().unwrap().starts_with("tuna run "), "{tags}");
    assert_eq!(lookup(tags, "tuna.version"), env!("CARGO_PKG_VERSION"));
    assert_eq!(lookup(tags, "mlflow.parentRunId"), Value::Null);

    let params = &run["data"]["params"];
    assert_eq!(lookup(params, "model.KIND"), "Ridge");
    assert_eq!(lookup(params, "metric.name"), "mean_squared_error");
    assert_eq!(lookup(params, "splitter.KIND"), "KFoldSplitter");
    assert_eq!(lookup(params, "splitter.n_splits"), "3");
    assert_eq!(lookup(params, "searcher.KIND"), "GridCVSearcher");
    assert_eq!(lookup(params, "searcher.n_candidates"), "3");
    assert_eq!(lookup(params, "searcher.return_train_score"), "true");
    assert!(pairs(params).iter().all(|(k, v)| !k.contains("webhook") && !v.to_string().contains("SECRET")));

    let results: Value = serde_json::from_str(&std::fs::read_to_string(l.dir.join("results.json")).unwrap()).unwrap();
    assert_eq!(lookup(params, "best_alpha"), results["best_params"]["alpha"].to_string().as_str());
    let metrics = &run["data"]["metrics"];
    assert_eq!(num(&lookup(metrics, "best_cv_score")), num(&results["best_score"]));
    assert_eq!(num(&lookup(metrics, "n_candidates")), 3.0);
    assert_eq!(num(&lookup(metrics, "n_splits")), 3.0);
    assert_eq!(num(&lookup(metrics, "n_fits")), 9.0);
    assert_eq!(num(&lookup(metrics, "n_failed_fits")), 0.0);
    assert!(num(&lookup(metrics, "duration")) > 0.0);
}

#[test]
fn one_child_run_per_candidate_with_the_right_parent_params_and_metrics() {
    if !mlflow_available() {
        return;
    }
    let l = logged();
    let api = format!("{}/api/2.0/mlflow", server().url);
    let found = post_json(
        &format!("{api}/runs/search"),
        &serde_json::json!({
            "experiment_ids": [l.experiment_id],
            "filter": format!("tags.mlflow.parentRunId = '{}'", l.run_id),
            "max_results": 100,
        }),
    );
    let children = found["runs"].as_array().unwrap();
    assert_eq!(children.len(), 3, "{found}");
    let results: Value = serde_json::from_str(&std::fs::read_to_string(l.dir.join("results.json")).unwrap()).unwrap();
    let cv = &results["cv_results"];
    let mut seen = Vec::new();
    for child in children {
        let data = &child["data"];
        assert_eq!(child["info"]["status"], "FINISHED");
        assert_eq!(lookup(&data["tags"], "mlflow.parentRunId"), l.run_id.as_str());
        let c: usize = lookup(&data["tags"], "tuna.candidate").as_str().unwrap().parse().unwrap();
        seen.push(c);
        let alpha = cv["param_alpha"][c].to_string();
        assert_eq!(lookup(&data["params"], "alpha"), alpha.as_str());
        assert_eq!(child["info"]["run_name"], format!("alpha={alpha}"));
        let metrics = &data["metrics"];
        for name in [
            "mean_test_score",
            "std_test_score",
            "rank_test_score",
            "split0_test_score",
            "split1_test_score",
            "split2_test_score",
            "mean_fit_time",
            "std_fit_time",
            "mean_score_time",
            "mean_train_score",
            "split2_train_score",
        ] {
            assert_eq!(num(&lookup(metrics, name)), num(&cv[name][c]), "candidate {c}, {name}");
        }
    }
    seen.sort();
    assert_eq!(seen, [0, 1, 2]);
}

#[test]
fn both_datasets_are_logged_with_context_schema_profile_source_and_mlflows_digest() {
    if !mlflow_available() {
        return;
    }
    let l = logged();
    let run = get_json(&format!("{}/api/2.0/mlflow/runs/get?run_id={}", server().url, l.run_id))["run"].clone();
    let inputs = run["inputs"]["dataset_inputs"].as_array().unwrap();
    assert_eq!(inputs.len(), 2, "{run}");
    for (name, file, columns) in
        [("inputs", "tests/data/diabetes/inputs.csv", 10), ("targets", "tests/data/diabetes/targets.csv", 1)]
    {
        let input = inputs.iter().find(|i| i["dataset"]["name"] == name).unwrap_or_else(|| panic!("no {name}"));
        let d = &input["dataset"];
        assert_eq!(lookup(&input["tags"], "mlflow.data.context"), "Tuning");
        let sha: String =
            Sha256::digest(std::fs::read(root().join(file)).unwrap()).iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(lookup(&input["tags"], "tuna.sha256"), sha.as_str());
        assert_eq!(lookup(&run["data"]["tags"], &format!("tuna.{name}.sha256")), sha.as_str());
        assert_eq!(d["digest"], committed_digest(file).as_str(), "{name}: the digest of mlflow.data.from_pandas");
        assert_eq!(d["source_type"], "local");
        let source: Value = serde_json::from_str(d["source"].as_str().unwrap()).unwrap();
        assert_eq!(Path::new(source["uri"].as_str().unwrap()), root().join(file));
        let schema: Value = serde_json::from_str(d["schema"].as_str().unwrap()).unwrap();
        let colspec = schema["mlflow_colspec"].as_array().unwrap();
        assert_eq!(colspec.len(), columns);
        assert!(colspec.iter().all(|c| c["type"] == "double" && c["required"] == true), "{schema}");
        let profile: Value = serde_json::from_str(d["profile"].as_str().unwrap()).unwrap();
        assert_eq!(profile, serde_json::json!({"num_rows": 442, "num_elements": 442 * columns}));
    }
}

#[test]
fn the_artifacts_download_through_the_server() {
    if !mlflow_available() {
        return;
    }
    let l = logged();
    let base =
        format!("{}/api/2.0/mlflow-artifacts/artifacts/{}/{}/artifacts", server().url, l.experiment_id, l.run_id);
    let (status, csv) = get(&format!("{base}/cv_results.csv")).unwrap();
    assert_eq!(status, 200);
    assert_eq!(csv, std::fs::read_to_string(l.dir.join("cv_results.csv")).unwrap());
    let (status, config) = get(&format!("{base}/job.toml")).unwrap();
    assert_eq!(status, 200);
    assert!(config.contains("KIND = \"TuningJob\"") && config.contains("Ridge"), "{config}");
    assert!(!config.contains("SECRET-HOOK"), "the webhook URL (a secret) was uploaded:\n{config}");
    let (status, log) = get(&format!("{base}/job.log")).unwrap();
    assert_eq!(status, 200);
    assert!(log.contains("INFO: [6/9] search: 3 candidates x 3 folds = 9 fits"), "{log}");
    assert!(log.contains("INFO: [7/9] best neg_mean_squared_error"), "{log}");
}

#[test]
fn mlflows_own_python_client_reads_what_tuna_logged() {
    if !mlflow_available() {
        return;
    }
    let l = logged();
    let out = Command::new(venv().join("bin/python"))
        .arg(root().join("tests/mlflow/check_run.py"))
        .args([&server().url, EXPERIMENT, &l.run_id, "3", l.dir.join("cv_results.csv").to_str().unwrap()])
        .env("MLFLOW_DISABLE_TELEMETRY", "true")
        .env("DO_NOT_TRACK", "true")
        .output()
        .unwrap();
    assert!(out.status.success(), "MLflow's Python client disagrees:\n{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.lines().filter(|l| l.starts_with("ok: ")).count(), 5, "{stdout}");
}

#[test]
fn a_failed_job_ends_failed_with_its_error_as_a_tag_and_its_config() {
    if !mlflow_available() {
        return;
    }
    let url = &server().url;
    let (out, _) = run_job("failed", url, EXPERIMENT, true);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(!text(&out).contains("WARNING"), "{}", text(&out));
    let api = format!("{url}/api/2.0/mlflow");
    let experiment_id = get_json(&format!("{api}/experiments/get-by-name?experiment_name={EXPERIMENT}"))["experiment"]
        ["experiment_id"]
        .clone();
    let found = post_json(
        &format!("{api}/runs/search"),
        &serde_json::json!({ "experiment_ids": [experiment_id], "filter": "attributes.status = 'FAILED'" }),
    );
    let runs = found["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1, "{found}");
    let run = &runs[0];
    let error = lookup(&run["data"]["tags"], "error");
    assert!(error.as_str().unwrap().starts_with("read the data: "), "{error}");
    assert!(error.as_str().unwrap().contains("row 2 (line 3)"), "{error}");
    assert!(run["info"]["end_time"].as_i64().is_some());
    let (status, config) = get(&format!(
        "{url}/api/2.0/mlflow-artifacts/artifacts/{}/{}/artifacts/job.toml",
        experiment_id.as_str().unwrap(),
        run["info"]["run_id"].as_str().unwrap()
    ))
    .unwrap();
    assert_eq!(status, 200);
    assert!(config.contains("ragged.csv"), "{config}");
}

// ---- faults ---------------------------------------------------------------

/// The results files exist and hold every candidate.
fn assert_results_kept(dir: &Path) {
    let results: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("results.json")).unwrap()).unwrap();
    assert_eq!(results["n_candidates"], 3);
    assert!(results["best_score"].as_f64().is_some());
    assert_eq!(std::fs::read_to_string(dir.join("cv_results.csv")).unwrap().lines().count(), 4);
}

#[test]
fn a_server_that_is_not_running_leaves_the_results_and_says_how_to_fix_it() {
    let url = format!("http://127.0.0.1:{}", free_port());
    let started = Instant::now();
    let (out, dir) = run_job("down", &url, "e", false);
    assert!(out.status.success(), "tracking never fails the job:\n{}", text(&out));
    assert!(started.elapsed() < Duration::from_secs(60));
    assert_results_kept(&dir);
    let out = text(&out);
    let warning = format!(
        "WARNING: tracking is off for this run: finding the experiment `e`: MLflow at {url} is unreachable (cannot \
         reach the server: the connection was refused (nothing is listening there)); start a server with `mlflow server --host \
         127.0.0.1 --port 5000` and set mlflow.tracking_uri to its URL, or set mlflow.tracking_uri = \"\" to run \
         without tracking"
    );
    assert!(out.contains(&warning), "{out}");
    assert_eq!(out.matches("WARNING").count(), 1, "one warning, no retries:\n{out}");
    assert!(!out.contains("MLflow run:"), "{out}");
}

/// What the stub received: (method, path).
type Received = Arc<Mutex<Vec<(String, String)>>>;

/// A stand-in for MLflow on 127.0.0.1: `answer` maps (method, path) to a
/// status and JSON body, or `None` to die there (drop the connection and stop
/// listening, as a killed server does).
fn stub(answer: impl Fn(&str, &str) -> Option<(u16, String)> + Send + 'static) -> (String, Received) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let received: Received = Arc::default();
    let log = received.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (method, path) = read_request(&stream);
            log.lock().unwrap().push((method.clone(), path.clone()));
            let Some((status, body)) = answer(&method, &path) else {
                return; // drops the listener: later connections are refused
            };
            let mut stream = stream;
            let _ = write!(
                stream,
                "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: \
                 close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    (url, received)
}

fn read_request(stream: &TcpStream) -> (String, String) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request_line = String::new();
    reader.read_line(&mut request_line).unwrap();
    let mut length = 0;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        if line.trim_end().is_empty() {
            break;
        }
        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = v.trim().parse().unwrap();
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_string();
    let path = parts.next().unwrap_or_default().split('?').next().unwrap_or_default().to_string();
    (method, path)
}

/// MLflow's answers for the calls a job makes.
fn like_mlflow(path: &str) -> (u16, String) {
    let body = if path.ends_with("experiments/get-by-name") {
        r#"{"experiment": {"experiment_id": "1", "name": "e", "lifecycle_stage": "active"}}"#
    } else if path.ends_with("runs/create") {
        r#"{"run": {"info": {"run_id": "r1", "experiment_id": "1", "artifact_uri": "mlflow-artifacts:/1/r1/artifacts"}}}"#
    } else {
        "{}"
    };
    (200, body.to_string())
}

#[test]
fn a_server_answering_500_leaves_the_results_and_says_so() {
    let error = r#"{"error_code": "INTERNAL_ERROR", "message": "database is locked"}"#.to_string();
    let (url, received) = stub(move |_, _| Some((500, error.clone())));
    let (out, dir) = run_job("500", &url, "e", false);
    assert!(out.status.success(), "{}", text(&out));
    assert_results_kept(&dir);
    let warning = format!(
        "WARNING: tracking is off for this run: finding the experiment `e`: MLflow at {url} failed (HTTP 500 \
         INTERNAL_ERROR: database is locked); the server's log says why"
    );
    assert!(text(&out).contains(&warning), "{}", text(&out));
    assert_eq!(received.lock().unwrap().len(), 1, "no retry: {:?}", received.lock().unwrap());
}

#[test]
fn a_500_while_logging_the_results_keeps_them_and_still_closes_the_run() {
    let (url, received) = stub(|_, path| {
        if path.contains("mlflow-artifacts") {
            Some((500, r#"{"error_code": "INTERNAL_ERROR", "message": "disk full"}"#.to_string()))
        } else {
            Some(like_mlflow(path))
        }
    });
    let (out, dir) = run_job("500_artifacts", &url, "e", false);
    assert!(out.status.success(), "{}", text(&out));
    assert_results_kept(&dir);
    let warning = format!(
        "WARNING: tracking could not log the results (they are kept here): uploading the artifact cv_results.csv: \
         MLflow at {url} failed (HTTP 500 INTERNAL_ERROR: disk full); the server's log says why"
    );
    assert!(text(&out).contains(&warning), "{}", text(&out));
    let got = received.lock().unwrap().clone();
    assert_eq!(got.iter().filter(|(m, _)| m == "PUT").count(), 1, "stops at the first failure: {got:?}");
    assert_eq!(got.last().unwrap().1, "/api/2.0/mlflow/runs/update", "the run is still closed: {got:?}");
}

#[test]
fn a_server_killed_mid_run_leaves_the_results_and_gives_up_at_once() {
    // Answers like MLflow until the first artifact upload, then dies.
    let (url, received) = stub(|method, path| if method == "PUT" { None } else { Some(like_mlflow(path)) });
    let started = Instant::now();
    let (out, dir) = run_job("killed", &url, "e", false);
    assert!(out.status.success(), "{}", text(&out));
    assert!(started.elapsed() < Duration::from_secs(60), "no retries: {:?}", started.elapsed());
    assert_results_kept(&dir);
    let out = text(&out);
    assert!(
        out.contains(&format!(
            "WARNING: tracking could not log the results (they are kept here): uploading the artifact \
             cv_results.csv: MLflow at {url} is unreachable"
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "WARNING: tracking could not close the run: closing the run as FINISHED: MLflow at {url} is unreachable"
        )),
        "{out}"
    );
    let got = received.lock().unwrap().clone();
    assert_eq!(got.last().unwrap().0, "PUT", "nothing reached the stub after it died: {got:?}");
}
