//! MLflow tracking over its REST API 2.0 (server 3.5 or newer), written once
//! over the small [`Http`] trait: the CLI sends with `NativeHttp`, the page
//! with fetch.
//!
//! What a job logs:
//! - the experiment by name, created if missing;
//! - a parent run named by `run_config.name` with its tags, the description as
//!   `mlflow.note.content`, `mlflow.source.name`/`mlflow.source.type`,
//!   `tuna.version`, and the job's settings as params;
//! - both datasets with `runs/log-inputs` (name, digest equal to
//!   `mlflow.data.from_pandas`, source, schema, profile; input tags
//!   `mlflow.data.context` and `tuna.sha256`);
//! - one child run per candidate (`mlflow.parentRunId`), with its params and
//!   its `cv_results_` row as metrics;
//! - on the parent: `best_cv_score`, counts, duration, `best_<param>` params,
//!   and the artifacts `cv_results.csv`, `job.toml` (no secrets), `job.log`
//!   through the server's artifact proxy;
//! - the end: `FINISHED`, `FAILED` (with an `error` tag) or `KILLED`.
//!
//! Batches respect the server's limits (100 params or tags, 1000 metrics,
//! 1000 entities, 1 MB per `log-batch`) and value lengths (param values 6000
//! characters, tag values 8000, keys 250). No request is retried: once the
//! server stops answering, later calls fail fast with the first cause, and
//! every message says what failed and how to fix it.

use serde_json::{Value, json};

use super::config::MlflowConfig;
use super::http::{Http, HttpRequest, HttpResponse};
use super::lineage::Lineage;
use super::services::{RunStart, RunStatus, Tracker};
use super::urls::{base64, encode_component, encode_path, split_userinfo};
use crate::core::params::Params;
use crate::core::results::SearchResults;

/// Params or tags per `log-batch` request (MLflow's `MAX_PARAMS_TAGS_PER_BATCH`).
pub const MAX_PARAMS_TAGS_PER_BATCH: usize = 100;
/// Metrics per `log-batch` request (`MAX_METRICS_PER_BATCH`).
pub const MAX_METRICS_PER_BATCH: usize = 1000;
/// Params, tags and metrics together per request (`MAX_ENTITIES_PER_BATCH`).
pub const MAX_ENTITIES_PER_BATCH: usize = 1000;
/// Bytes per `log-batch` request (`MAX_BATCH_LOG_REQUEST_SIZE`), with room to spare.
pub const MAX_BATCH_BYTES: usize = 900_000;
/// Characters in a param value (`MAX_PARAM_VAL_LENGTH`).
pub const MAX_PARAM_VALUE: usize = 6000;
/// Characters in a tag value (`MAX_TAG_VAL_LENGTH`).
pub const MAX_TAG_VALUE: usize = 8000;
/// Characters in a param, metric or tag key (`MAX_ENTITY_KEY_LENGTH`).
pub const MAX_KEY: usize = 250;
/// Characters in an input tag value (`MAX_INPUT_TAG_VALUE_SIZE`).
pub const MAX_INPUT_TAG_VALUE: usize = 500;
/// The dataset context tag's value unless the front end sets another.
pub const DEFAULT_CONTEXT: &str = "Tuning";

/// Credentials for a server behind authentication. Never logged or exported.
#[derive(Clone, PartialEq, Eq)]
pub enum MlflowAuth {
    /// `Authorization: Bearer <token>`.
    Token(String),
    /// `Authorization: Basic <user:password>`.
    Basic {
        /// User name.
        username: String,
        /// Password.
        password: String,
    },
}

impl std::fmt::Debug for MlflowAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MlflowAuth::Token(_) => write!(f, "Token(<hidden>)"),
            MlflowAuth::Basic { username, .. } => write!(f, "Basic({username}, <hidden>)"),
        }
    }
}

impl MlflowAuth {
    /// Credentials from the variables MLflow's own client reads:
    /// `MLFLOW_TRACKING_TOKEN`, or `MLFLOW_TRACKING_USERNAME` and `MLFLOW_TRACKING_PASSWORD`.
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Option<MlflowAuth> {
        let non_empty = |name: &str| var(name).filter(|v| !v.is_empty());
        if let Some(token) = non_empty("MLFLOW_TRACKING_TOKEN") {
            return Some(MlflowAuth::Token(token));
        }
        let username = non_empty("MLFLOW_TRACKING_USERNAME")?;
        Some(MlflowAuth::Basic { username, password: var("MLFLOW_TRACKING_PASSWORD").unwrap_or_default() })
    }

    fn header(&self) -> String {
        match self {
            MlflowAuth::Token(t) => format!("Bearer {t}"),
            MlflowAuth::Basic { username, password } => {
                format!("Basic {}", base64(format!("{username}:{password}").as_bytes()))
            }
        }
    }

    fn secrets(&self) -> Vec<&str> {
        match self {
            MlflowAuth::Token(t) => vec![t.as_str()],
            MlflowAuth::Basic { password, .. } => vec![password.as_str()],
        }
    }
}

/// The run being logged.
#[derive(Debug, Clone, PartialEq)]
struct OpenRun {
    experiment_id: String,
    run_id: String,
    artifact_uri: String,
    start_ms: i64,
}

/// A [`Tracker`] that logs to an MLflow tracking server.
pub struct MlflowTracker<'a, H: Http> {
    http: &'a H,
    /// The tracking URI without credentials or a trailing slash.
    base: String,
    experiment_name: String,
    auth: Option<MlflowAuth>,
    source_name: String,
    source_type: String,
    context: String,
    now_ms: fn() -> i64,
    run: Option<OpenRun>,
    config_text: String,
    config_logged: bool,
    /// The first transport failure: later calls fail fast with it.
    unreachable: Option<String>,
    /// The page's origin when the tracker runs in a browser: the fixes it
    /// suggests are then the page's (CORS, the credentials fields).
    page_origin: Option<String>,
}

impl<'a, H: Http> MlflowTracker<'a, H> {
    /// A tracker for `config.tracking_uri` and `config.experiment_name`;
    /// `now_ms` gives milliseconds since the Unix epoch. Credentials written in
    /// the URI (`http://user:password@host`) are taken out of it and sent as
    /// basic auth.
    pub fn new(http: &'a H, config: &MlflowConfig, now_ms: fn() -> i64) -> Self {
        let (base, userinfo) = split_userinfo(config.tracking_uri.trim().trim_end_matches('/'));
        let auth = userinfo.map(|(username, password)| MlflowAuth::Basic { username, password });
        MlflowTracker {
            http,
            base,
            experiment_name: config.experiment_name.clone(),
            auth,
            source_name: "tuna".into(),
            source_type: "LOCAL".into(),
            context: DEFAULT_CONTEXT.into(),
            now_ms,
            run: None,
            config_text: String::new(),
            config_logged: false,
            unreachable: None,
            page_origin: None,
        }
    }

    /// Runs in a page served from `origin`: messages say how to let the page in.
    pub fn in_page(mut self, origin: &str) -> Self {
        self.page_origin = Some(origin.to_string());
        self
    }

    /// Sends these credentials with every request.
    pub fn with_auth(mut self, auth: Option<MlflowAuth>) -> Self {
        if auth.is_some() {
            self.auth = auth;
        }
        self
    }

    /// `mlflow.source.name` and `mlflow.source.type` (`LOCAL`, `JOB`, ...).
    pub fn with_source(mut self, name: &str, source_type: &str) -> Self {
        self.source_name = name.into();
        self.source_type = source_type.into();
        self
    }

    /// The dataset context tag's value (default "Tuning").
    pub fn with_context(mut self, context: &str) -> Self {
        self.context = context.into();
        self
    }

    /// The open run's id.
    pub fn run_id(&self) -> Option<&str> {
        self.run.as_ref().map(|r| r.run_id.as_str())
    }

    /// The open run's experiment id.
    pub fn experiment_id(&self) -> Option<&str> {
        self.run.as_ref().map(|r| r.experiment_id.as_str())
    }

    // ---- requests --------------------------------------------------------

    fn request(&self, method: &'static str, url: String, content_type: &str, body: Vec<u8>) -> HttpRequest {
        let mut headers = vec![("Content-Type".to_string(), content_type.to_string())];
        if let Some(auth) = &self.auth {
            headers.push(("Authorization".into(), auth.header()));
        }
        HttpRequest { method, url, headers, body, no_cors: false }
    }

    /// `POST /api/2.0/mlflow/<endpoint>` with a JSON body.
    fn post(&self, endpoint: &str, body: &Value) -> HttpRequest {
        self.request(
            "POST",
            format!("{}/api/2.0/mlflow/{endpoint}", self.base),
            "application/json",
            body.to_string().into_bytes(),
        )
    }

    /// `GET /api/2.0/mlflow/<endpoint>?<query>`.
    fn get(&self, endpoint: &str, query: &[(&str, &str)]) -> HttpRequest {
        let q: Vec<String> = query.iter().map(|(k, v)| format!("{k}={}", encode_component(v))).collect();
        let mut request = self.request(
            "GET",
            format!("{}/api/2.0/mlflow/{endpoint}?{}", self.base, q.join("&")),
            "application/json",
            Vec::new(),
        );
        request.headers.retain(|(k, _)| k != "Content-Type");
        request
    }

    /// `PUT` of one artifact through the server's proxy.
    fn put_artifact(&self, run: &OpenRun, file: &str, content_type: &str, body: &str) -> Result<HttpRequest, String> {
        let path = artifact_path(&run.artifact_uri).ok_or_else(|| {
            format!(
                "the server keeps this run's artifacts at `{}`, which only its own machine can write; start it with \
                 `mlflow server --artifacts-destination <folder>` so that it proxies artifacts",
                run.artifact_uri
            )
        })?;
        let url =
            format!("{}/api/2.0/mlflow-artifacts/artifacts/{}/{}", self.base, encode_path(&path), encode_path(file));
        Ok(self.request("PUT", url, content_type, body.as_bytes().to_vec()))
    }

    /// Sends a request and reads MLflow's JSON answer; errors say what failed
    /// (`what`) and how to fix it.
    async fn call(&mut self, what: &str, request: HttpRequest) -> Result<Value, String> {
        if let Some(cause) = &self.unreachable {
            return Err(format!("{what}: skipped, MLflow at {} stopped answering earlier ({cause})", self.base));
        }
        let response = match self.http.send(&request).await {
            Ok(r) => r,
            Err(e) => {
                let e = self.redact(&e);
                self.unreachable = Some(e.clone());
                let start = match &self.page_origin {
                    None => "start a server with `mlflow server --host 127.0.0.1 --port 5000`".to_string(),
                    Some(origin) => format!(
                        "start a server that lets this page in with `mlflow server --host 127.0.0.1 --port 5000 \
                         --cors-allowed-origins {origin}` (MLflow 3.5 or newer)"
                    ),
                };
                return Err(format!(
                    "{what}: MLflow at {} is unreachable ({e}); {start} and set mlflow.tracking_uri to its URL, or set \
                     mlflow.tracking_uri = \"\" to run without tracking",
                    self.base
                ));
            }
        };
        self.answer(what, &request, response)
    }

    fn answer(&self, what: &str, request: &HttpRequest, response: HttpResponse) -> Result<Value, String> {
        let base = &self.base;
        let parsed: Option<Value> = serde_json::from_str(&response.body).ok();
        let status = response.status;
        if (200..300).contains(&status) {
            return match parsed {
                Some(v) => Ok(v),
                None if response.body.trim().is_empty() => Ok(json!({})),
                None => Err(format!(
                    "{what}: {base} answered with something other than MLflow's JSON; check that \
                     mlflow.tracking_uri is the URL of an MLflow tracking server"
                )),
            };
        }
        let code = parsed.as_ref().and_then(|v| v["error_code"].as_str()).unwrap_or("");
        let message = parsed.as_ref().and_then(|v| v["message"].as_str()).map(|m| self.redact(&first_line(m, 300)));
        let detail = match (code, &message) {
            ("", None) => format!("HTTP {status}"),
            ("", Some(m)) => format!("HTTP {status}: {m}"),
            (c, None) => format!("HTTP {status} {c}"),
            (c, Some(m)) => format!("HTTP {status} {c}: {m}"),
        };
        let path = request.url.strip_prefix(base.as_str()).unwrap_or(&request.url);
        let path = path.split('?').next().unwrap_or(path);
        Err(match status {
            0 => format!("{what}: the browser hid MLflow's answer; the server must allow this page's origin (CORS)"),
            401 | 403 if self.page_origin.is_some() => format!(
                "{what}: MLflow at {base} refused the request ({detail}); it needs credentials: enter a token, or a \
                 user name and password, under Tracking and alerts"
            ),
            401 | 403 => format!(
                "{what}: MLflow at {base} refused the request ({detail}); it needs credentials: set \
                 MLFLOW_TRACKING_TOKEN, or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD"
            ),
            404 if code.is_empty() => format!(
                "{what}: {base} has no {path} ({detail}); check that mlflow.tracking_uri is the URL of an MLflow \
                 tracking server (3.5 or newer)"
            ),
            500..=599 => format!("{what}: MLflow at {base} failed ({detail}); the server's log says why"),
            _ => format!("{what}: MLflow at {base} rejected it ({detail})"),
        })
    }

    /// Removes credentials from a message.
    fn redact(&self, message: &str) -> String {
        let mut m = message.to_string();
        if let Some(auth) = &self.auth {
            for s in auth.secrets().into_iter().filter(|s| !s.is_empty()) {
                m = m.replace(s, "<hidden>");
            }
        }
        m
    }

    fn open(&self) -> Result<&OpenRun, String> {
        self.run.as_ref().ok_or_else(|| "no MLflow run is open (opening it failed earlier)".to_string())
    }

    // ---- steps -----------------------------------------------------------

    /// The experiment's id, creating it if missing.
    async fn experiment_id_for_name(&mut self) -> Result<String, String> {
        let name = self.experiment_name.clone();
        let what = format!("finding the experiment `{name}`");
        let found = self.call(&what, self.get("experiments/get-by-name", &[("experiment_name", &name)])).await;
        let experiment = match found {
            Ok(v) => v["experiment"].clone(),
            Err(e) if e.contains("RESOURCE_DOES_NOT_EXIST") => {
                let what = format!("creating the experiment `{name}`");
                match self.call(&what, self.post("experiments/create", &json!({ "name": name }))).await {
                    Ok(v) => {
                        return id_of(&v["experiment_id"])
                            .ok_or_else(|| format!("{what}: no experiment_id in the answer"));
                    }
                    // Created by someone else in between: read it again.
                    Err(e) if e.contains("RESOURCE_ALREADY_EXISTS") => self
                        .call(&what, self.get("experiments/get-by-name", &[("experiment_name", &name)]))
                        .await?["experiment"]
                        .clone(),
                    Err(e) => return Err(e),
                }
            }
            Err(e) => return Err(e),
        };
        if experiment["lifecycle_stage"].as_str() == Some("deleted") {
            return Err(format!(
                "the MLflow experiment `{name}` is deleted; restore it (`mlflow experiments restore --experiment-id {}`) \
                 or set mlflow.experiment_name to another name",
                id_of(&experiment["experiment_id"]).unwrap_or_default()
            ));
        }
        id_of(&experiment["experiment_id"]).ok_or_else(|| format!("{what}: no experiment_id in the answer"))
    }

    /// `runs/create`: the run's id and artifact URI.
    async fn create_run(&mut self, what: &str, body: Value) -> Result<(String, String), String> {
        let v = self.call(what, self.post("runs/create", &body)).await?;
        let info = &v["run"]["info"];
        let run_id = info["run_id"].as_str().ok_or_else(|| format!("{what}: no run_id in MLflow's answer"))?;
        Ok((run_id.to_string(), info["artifact_uri"].as_str().unwrap_or_default().to_string()))
    }

    /// Logs params, metrics and tags in as few `log-batch` requests as the limits allow.
    async fn log_batch(
        &mut self,
        what: &str,
        run_id: &str,
        params: &[(String, String)],
        metrics: &[(String, f64)],
        tags: &[(String, String)],
    ) -> Result<(), String> {
        let now = (self.now_ms)();
        for body in batch_bodies(run_id, params, metrics, tags, now) {
            self.call(what, self.post("runs/log-batch", &body)).await?;
        }
        Ok(())
    }

    async fn upload(&mut self, file: &str, content_type: &str, body: &str) -> Result<(), String> {
        let what = format!("uploading the artifact {file}");
        let request = self.put_artifact(self.open()?, file, content_type, body).map_err(|e| format!("{what}: {e}"))?;
        self.call(&what, request).await.map(|_| ())
    }

    async fn update_run(&mut self, what: &str, run_id: &str, status: RunStatus) -> Result<(), String> {
        let body = json!({ "run_id": run_id, "status": status_name(status), "end_time": (self.now_ms)() });
        self.call(what, self.post("runs/update", &body)).await.map(|_| ())
    }

    /// One child run: create, params and metrics, close.
    async fn log_candidate(&mut self, results: &SearchResults, c: usize) -> Result<(), String> {
        let run = self.open()?.clone();
        let r = &results.cv_results;
        let params = &r.params[c];
        let name = candidate_run_name(c, params);
        let what = format!("logging candidate {c} ({name}) as a child run");
        let mut tags = vec![tag("mlflow.parentRunId", &run.run_id), tag("tuna.candidate", &c.to_string())];
        tags.push(tag("mlflow.source.name", &self.source_name));
        tags.push(tag("mlflow.source.type", &self.source_type));
        let error = r.errors[c].clone();
        if let Some(e) = &error {
            tags.push(tag("error", e));
        }
        let body = json!({
            "experiment_id": run.experiment_id,
            "run_name": name,
            "start_time": (self.now_ms)(),
            "tags": tags_json(&tags),
        });
        let (child, _) = self.create_run(&what, body).await?;
        let params: Vec<(String, String)> = params.iter().map(|(k, v)| (k.clone(), v.to_string())).collect();
        self.log_batch(&what, &child, &params, &candidate_metrics(results, c), &[]).await?;
        let not_run = error.as_deref().is_some_and(|e| e.starts_with("not run"));
        let status = if not_run { RunStatus::Killed } else { RunStatus::Finished };
        self.update_run(&what, &child, status).await
    }
}

impl<H: Http> Tracker for MlflowTracker<'_, H> {
    async fn start(&mut self, run: &RunStart) -> Result<(), String> {
        if !self.base.starts_with("http://") && !self.base.starts_with("https://") {
            return Err(format!(
                "mlflow.tracking_uri = `{}` is not an http:// or https:// URL; give the server's URL such as \
                 \"http://127.0.0.1:5000\", or \"\" to run without tracking",
                self.base
            ));
        }
        let experiment_id = self.experiment_id_for_name().await?;
        let mut tags: Vec<(String, String)> = run.tags.clone();
        if let Some(d) = run.description.as_deref().filter(|d| !d.is_empty()) {
            tags.push(("mlflow.note.content".into(), d.to_string()));
        }
        tags.push(("mlflow.source.name".into(), self.source_name.clone()));
        tags.push(("mlflow.source.type".into(), self.source_type.clone()));
        tags.push(("tuna.version".into(), env!("CARGO_PKG_VERSION").into()));
        let tags: Vec<(String, String)> = tags.iter().map(|(k, v)| tag(k, v)).collect();
        let start_ms = (self.now_ms)();
        let body = json!({
            "experiment_id": experiment_id,
            "run_name": truncate(&run.name, MAX_KEY),
            "start_time": start_ms,
            // More tags than one request takes go in log-batch below.
            "tags": tags_json(&tags[..tags.len().min(MAX_PARAMS_TAGS_PER_BATCH)]),
        });
        let what = format!("opening the run `{}` in the experiment `{}`", run.name, self.experiment_name);
        let (run_id, artifact_uri) = self.create_run(&what, body).await?;
        self.run = Some(OpenRun { experiment_id, run_id: run_id.clone(), artifact_uri, start_ms });
        self.config_text = run.config_text.clone();
        let extra_tags = tags.get(MAX_PARAMS_TAGS_PER_BATCH..).unwrap_or_default().to_vec();
        let params: Vec<(String, String)> = run.params.iter().map(|(k, v)| param(k, v)).collect();
        let logged = self.log_batch("logging the job's settings as params", &run_id, &params, &[], &extra_tags).await;
        if let Err(e) = logged {
            // Tracking goes off for this job: do not leave the run RUNNING.
            let _ = self.finish(RunStatus::Failed, Some(&format!("tracking stopped: {e}"))).await;
            self.run = None;
            return Err(e);
        }
        Ok(())
    }

    async fn log_lineage(&mut self, lineages: &[Lineage]) -> Result<(), String> {
        let run_id = self.open()?.run_id.clone();
        let datasets: Vec<Value> = lineages.iter().map(|l| dataset_input(l, &self.context)).collect();
        let body = json!({ "run_id": run_id, "datasets": datasets });
        self.call("logging the datasets' lineage", self.post("runs/log-inputs", &body)).await?;
        let tags: Vec<(String, String)> =
            lineages.iter().map(|l| tag(&format!("tuna.{}.sha256", l.name), &l.sha256)).collect();
        self.log_batch("tagging the datasets' SHA-256", &run_id, &[], &[], &tags).await
    }

    async fn log_search(&mut self, results: &SearchResults, log_text: &str) -> Result<(), String> {
        let run = self.open()?.clone();
        // The parent's summary first: it matters most.
        let best: Vec<(String, String)> =
            results.best_params.iter().map(|(k, v)| param(&format!("best_{k}"), &v.to_string())).collect();
        let duration = ((self.now_ms)() - run.start_ms) as f64 / 1000.0;
        let mut metrics = vec![
            ("best_cv_score".to_string(), results.best_score),
            ("n_candidates".into(), results.cv_results.params.len() as f64),
            ("n_splits".into(), results.n_splits as f64),
            ("n_fits".into(), (results.cv_results.params.len() * results.n_splits) as f64),
            ("n_failed_fits".into(), results.n_failed_fits as f64),
            ("duration".into(), duration),
        ];
        if let Some(t) = results.refit_time {
            metrics.push(("refit_time".into(), t));
        }
        let tags = [tag("tuna.best_index", &results.best_index.to_string())];
        self.log_batch("logging the best score and params", &run.run_id, &best, &metrics, &tags).await?;
        // Artifacts: when the server does not proxy them, say so once and go on
        // to the child runs; any other failure stops here (a failing server
        // fails every later request the same way).
        let mut problems = Vec::new();
        if artifact_path(&run.artifact_uri).is_some() {
            let artifacts = [
                ("cv_results.csv", "text/csv", results.to_csv()),
                ("job.toml", "application/toml", self.config_text.clone()),
                ("job.log", "text/plain", log_text.to_string()),
            ];
            for (file, content_type, body) in artifacts {
                self.upload(file, content_type, &body).await?;
            }
            self.config_logged = true;
        } else {
            problems.push(format!(
                "uploading cv_results.csv, job.toml and job.log: the server keeps this run's artifacts at `{}`, \
                 which only its own machine can write; start it with `mlflow server --artifacts-destination <folder>` \
                 so that it proxies artifacts",
                run.artifact_uri
            ));
        }
        // One child run per candidate.
        let n = results.cv_results.params.len();
        for c in 0..n {
            if let Err(e) = self.log_candidate(results, c).await {
                problems.push(format!("{e} ({c} of {n} child runs were logged)"));
                break;
            }
        }
        if problems.is_empty() { Ok(()) } else { Err(problems.join("; ")) }
    }

    async fn finish(&mut self, status: RunStatus, error: Option<&str>) -> Result<(), String> {
        let run_id = self.open()?.run_id.clone();
        // Tried even when the server stopped answering earlier: a few requests,
        // so that the run does not stay RUNNING after a passing hiccup.
        self.unreachable = None;
        let mut problems = Vec::new();
        if let Some(e) = error {
            let tags = [tag("error", e)];
            if let Err(e) = self.log_batch("tagging the run with its error", &run_id, &[], &[], &tags).await {
                problems.push(e);
            }
            let run = self.open()?;
            if !self.config_logged && !self.config_text.is_empty() && artifact_path(&run.artifact_uri).is_some() {
                let config = self.config_text.clone();
                if let Err(e) = self.upload("job.toml", "application/toml", &config).await {
                    problems.push(e);
                }
            }
        }
        let what = format!("closing the run as {}", status_name(status));
        if let Err(e) = self.update_run(&what, &run_id, status).await {
            problems.push(e);
        }
        if problems.is_empty() { Ok(()) } else { Err(problems.join("; ")) }
    }

    fn run_link(&self) -> Option<String> {
        let run = self.run.as_ref()?;
        Some(format!("{}/#/experiments/{}/runs/{}", self.base, run.experiment_id, run.run_id))
    }
}

// ---- pure helpers (unit-tested) -------------------------------------------

/// MLflow's run status names.
pub fn status_name(status: RunStatus) -> &'static str {
    match status {
        RunStatus::Finished => "FINISHED",
        RunStatus::Failed => "FAILED",
        RunStatus::Killed => "KILLED",
    }
}

/// A child run's name from its params: `alpha=0.1, fit_intercept=True`.
pub fn candidate_run_name(index: usize, params: &Params) -> String {
    if params.is_empty() {
        return format!("candidate {index}");
    }
    let name: Vec<String> = params.iter().map(|(k, v)| format!("{k}={v}")).collect();
    truncate(&name.join(", "), MAX_KEY)
}

/// A candidate's row of `cv_results_` as metrics, in scikit-learn's names.
pub fn candidate_metrics(results: &SearchResults, c: usize) -> Vec<(String, f64)> {
    let r = &results.cv_results;
    let mut m = vec![
        ("mean_test_score".to_string(), r.mean_test_score[c]),
        ("std_test_score".into(), r.std_test_score[c]),
        ("rank_test_score".into(), r.rank_test_score[c] as f64),
    ];
    for (k, s) in r.split_test_scores[c].iter().enumerate() {
        m.push((format!("split{k}_test_score"), *s));
    }
    m.push(("mean_fit_time".into(), r.mean_fit_time[c]));
    m.push(("std_fit_time".into(), r.std_fit_time[c]));
    m.push(("mean_score_time".into(), r.mean_score_time[c]));
    m.push(("std_score_time".into(), r.std_score_time[c]));
    if let (Some(split), Some(mean), Some(std)) = (&r.split_train_scores, &r.mean_train_score, &r.std_train_score) {
        for (k, s) in split[c].iter().enumerate() {
            m.push((format!("split{k}_train_score"), *s));
        }
        m.push(("mean_train_score".into(), mean[c]));
        m.push(("std_train_score".into(), std[c]));
    }
    m
}

/// The `log-batch` bodies for these entities, each within MLflow's limits.
pub fn batch_bodies(
    run_id: &str,
    params: &[(String, String)],
    metrics: &[(String, f64)],
    tags: &[(String, String)],
    timestamp: i64,
) -> Vec<Value> {
    let empty = || json!({ "run_id": run_id, "params": [], "metrics": [], "tags": [] });
    let size = |v: &Value| v.to_string().len();
    let mut bodies = Vec::new();
    let mut body = empty();
    let mut bytes = size(&body);
    let mut counts = (0usize, 0usize, 0usize); // params, metrics, tags
    let entities = params
        .iter()
        .map(|(k, v)| ("params", json!({ "key": k, "value": v })))
        .chain(metrics.iter().map(|(k, v)| {
            ("metrics", json!({ "key": k, "value": metric_value(*v), "timestamp": timestamp, "step": 0 }))
        }))
        .chain(tags.iter().map(|(k, v)| ("tags", json!({ "key": k, "value": v }))));
    for (kind, entity) in entities {
        let n = size(&entity) + 1;
        let full = match kind {
            "params" => counts.0 == MAX_PARAMS_TAGS_PER_BATCH,
            "metrics" => counts.1 == MAX_METRICS_PER_BATCH,
            _ => counts.2 == MAX_PARAMS_TAGS_PER_BATCH,
        } || counts.0 + counts.1 + counts.2 == MAX_ENTITIES_PER_BATCH
            || bytes + n > MAX_BATCH_BYTES;
        if full {
            bodies.push(std::mem::replace(&mut body, empty()));
            bytes = size(&body);
            counts = (0, 0, 0);
        }
        match kind {
            "params" => counts.0 += 1,
            "metrics" => counts.1 += 1,
            _ => counts.2 += 1,
        }
        bytes += n;
        body[kind].as_array_mut().expect("an array").push(entity);
    }
    if counts != (0, 0, 0) {
        bodies.push(body);
    }
    bodies
}

/// A metric value as MLflow's JSON takes it (protobuf's `"NaN"` and `"Infinity"`).
fn metric_value(x: f64) -> Value {
    if x.is_nan() {
        json!("NaN")
    } else if x.is_infinite() {
        json!(if x > 0.0 { "Infinity" } else { "-Infinity" })
    } else {
        json!(x)
    }
}

/// One `runs/log-inputs` dataset input, as `mlflow.data.from_pandas(df, source=...)` logs it.
pub fn dataset_input(l: &Lineage, context: &str) -> Value {
    let (source_type, source) = dataset_source(&l.source);
    let colspec: Vec<String> = l
        .schema
        .iter()
        .map(|(name, ty)| format!("{{\"type\": {}, \"name\": {}, \"required\": true}}", py_str(ty), py_str(name)))
        .collect();
    json!({
        "tags": [
            { "key": "mlflow.data.context", "value": truncate(context, MAX_INPUT_TAG_VALUE) },
            { "key": "tuna.sha256", "value": l.sha256 },
        ],
        "dataset": {
            "name": l.name,
            "digest": l.digest,
            "source_type": source_type,
            "source": source,
            "schema": format!("{{\"mlflow_colspec\": [{}]}}", colspec.join(", ")),
            "profile": format!("{{\"num_rows\": {}, \"num_elements\": {}}}", l.num_rows, l.num_elements),
        },
    })
}

/// MLflow's source type and source JSON for a dataset read from `source`:
/// `http` with `{"url": ...}` for a URL, else `local` with `{"uri": ...}`
/// (what `mlflow.data.from_pandas(df, source=...)` records).
pub fn dataset_source(source: &str) -> (&'static str, String) {
    if source.starts_with("http://") || source.starts_with("https://") {
        ("http", format!("{{\"url\": {}}}", py_str(source)))
    } else {
        ("local", format!("{{\"uri\": {}}}", py_str(source)))
    }
}

/// A JSON string as Python's `json.dumps` writes it (`ensure_ascii`), so the
/// stored text equals what MLflow's Python client stores.
pub fn py_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || (c as u32) > 0x7e => {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{u:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The artifact proxy path for a run's `mlflow-artifacts:` URI, or `None` when
/// the server stores artifacts somewhere Tuna cannot write through it.
pub fn artifact_path(artifact_uri: &str) -> Option<String> {
    let rest = artifact_uri.strip_prefix("mlflow-artifacts:")?;
    // `mlflow-artifacts://host:port/path` names a host: the path is what follows it.
    let rest = match rest.strip_prefix("//") {
        Some(with_host) => &with_host[with_host.find('/')?..],
        None => rest,
    };
    Some(rest.trim_matches('/').to_string())
}

/// A (key, value) tag within MLflow's key and value limits.
fn tag(key: &str, value: &str) -> (String, String) {
    (key_name(key), truncate(value, MAX_TAG_VALUE))
}

/// A (key, value) param within MLflow's key and value limits.
fn param(key: &str, value: &str) -> (String, String) {
    (key_name(key), truncate(value, MAX_PARAM_VALUE))
}

/// A key MLflow accepts: letters, digits, `_ - . / :` and spaces, at most 250 characters.
fn key_name(key: &str) -> String {
    let k: String = key
        .chars()
        .map(|c| if c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '/' | ':' | ' ') { c } else { '_' })
        .collect();
    truncate(&k, MAX_KEY)
}

fn tags_json(tags: &[(String, String)]) -> Value {
    Value::Array(tags.iter().map(|(k, v)| json!({ "key": k, "value": v })).collect())
}

/// At most `max` characters (MLflow counts characters), marking a cut.
fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mark = "...";
    let mut t: String = s.chars().take(max - mark.len()).collect();
    t.push_str(mark);
    t
}

fn first_line(s: &str, max: usize) -> String {
    truncate(s.lines().next().unwrap_or(""), max)
}

fn id_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Milliseconds since the Unix epoch from the system clock (native only; the
/// page passes the browser's `Date.now`).
#[cfg(not(target_arch = "wasm32"))]
pub fn system_now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use super::*;
    use crate::core::params::ParamValue;
    use crate::core::results::UnitResult;

    type Responder = Box<dyn Fn(&HttpRequest) -> Result<HttpResponse, String>>;

    /// Records every request and answers with `respond`.
    struct FakeHttp {
        sent: RefCell<Vec<HttpRequest>>,
        respond: Responder,
    }

    impl FakeHttp {
        fn new(respond: impl Fn(&HttpRequest) -> Result<HttpResponse, String> + 'static) -> FakeHttp {
            FakeHttp { sent: RefCell::new(Vec::new()), respond: Box::new(respond) }
        }
        fn sent(&self) -> Vec<HttpRequest> {
            self.sent.borrow().clone()
        }
        fn bodies(&self, endpoint: &str) -> Vec<Value> {
            self.sent()
                .iter()
                .filter(|r| r.url.contains(endpoint))
                .map(|r| serde_json::from_slice(&r.body).unwrap())
                .collect()
        }
    }

    impl Http for FakeHttp {
        async fn send(&self, request: &HttpRequest) -> Result<HttpResponse, String> {
            self.sent.borrow_mut().push(request.clone());
            (self.respond)(request)
        }
    }

    fn ok(body: Value) -> Result<HttpResponse, String> {
        Ok(HttpResponse { status: 200, body: body.to_string() })
    }

    /// A server where the experiment `tuna` does not exist yet.
    fn mlflow_server(request: &HttpRequest) -> Result<HttpResponse, String> {
        let url = &request.url;
        if url.contains("experiments/get-by-name") {
            Ok(HttpResponse {
                status: 404,
                body: json!({"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "Could not find experiment"})
                    .to_string(),
            })
        } else if url.contains("experiments/create") {
            ok(json!({"experiment_id": "7"}))
        } else if url.contains("runs/create") {
            let body: Value = serde_json::from_slice(&request.body).unwrap();
            let id = if body["tags"].as_array().unwrap().iter().any(|t| t["key"] == "mlflow.parentRunId") {
                "child"
            } else {
                "parent"
            };
            ok(json!({"run": {"info": {"run_id": id, "experiment_id": "7",
                "artifact_uri": format!("mlflow-artifacts:/7/{id}/artifacts")}}}))
        } else {
            ok(json!({}))
        }
    }

    fn config() -> MlflowConfig {
        MlflowConfig { tracking_uri: "http://127.0.0.1:5000/".into(), experiment_name: "tuna".into() }
    }

    fn clock() -> i64 {
        1_700_000_000_000
    }

    fn run_start() -> RunStart {
        RunStart {
            name: "Tuning".into(),
            description: Some("Ridge on diabetes".into()),
            tags: vec![("context".into(), "tuning".into()), ("bad key!".into(), "v".into())],
            params: vec![("model.KIND".into(), "Ridge".into()), ("searcher.n_candidates".into(), "2".into())],
            config_text: "KIND = \"TuningJob\"\n".into(),
        }
    }

    fn search_results(failed: bool) -> SearchResults {
        let candidates: Vec<Params> =
            [0.1, 1.0].iter().map(|a| Params::from([("alpha".to_string(), ParamValue::Float(*a))])).collect();
        let units: Vec<UnitResult> = (0..4)
            .map(|i| UnitResult {
                candidate: i / 2,
                fold: i % 2,
                test_score: if failed && i >= 2 { f64::NAN } else { -(i as f64) },
                train_score: None,
                fit_time: 0.01,
                score_time: 0.001,
                error: (failed && i >= 2).then(|| "not run: the search was cancelled".to_string()),
            })
            .collect();
        SearchResults::from_units(candidates, 2, &units, false)
    }

    fn lineage() -> Lineage {
        Lineage {
            name: "inputs".into(),
            source: "/tmp/x.csv".into(),
            sha256: "ab".repeat(32),
            digest: "2293dd13".into(),
            num_rows: 2,
            num_elements: 6,
            schema: vec![("b".into(), "long".into()), ("a".into(), "double".into()), ("c".into(), "boolean".into())],
        }
    }

    #[test]
    fn start_creates_a_missing_experiment_and_opens_the_parent_run_with_tags_and_params() {
        let http = FakeHttp::new(mlflow_server);
        let mut t = MlflowTracker::new(&http, &config(), clock).with_source("tuna run job.toml", "LOCAL");
        pollster::block_on(t.start(&run_start())).unwrap();
        let sent = http.sent();
        let urls: Vec<String> = sent.iter().map(|r| format!("{} {}", r.method, r.url)).collect();
        assert_eq!(
            urls,
            [
                "GET http://127.0.0.1:5000/api/2.0/mlflow/experiments/get-by-name?experiment_name=tuna",
                "POST http://127.0.0.1:5000/api/2.0/mlflow/experiments/create",
                "POST http://127.0.0.1:5000/api/2.0/mlflow/runs/create",
                "POST http://127.0.0.1:5000/api/2.0/mlflow/runs/log-batch",
            ]
        );
        assert!(sent[1].headers.contains(&("Content-Type".into(), "application/json".into())));
        let create = &http.bodies("runs/create")[0];
        assert_eq!(create["experiment_id"], "7");
        assert_eq!(create["run_name"], "Tuning");
        assert_eq!(create["start_time"], clock());
        let tags: Vec<(String, String)> = create["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| (t["key"].as_str().unwrap().into(), t["value"].as_str().unwrap().into()))
            .collect();
        for want in [
            ("context", "tuning"),
            ("bad key_", "v"),
            ("mlflow.note.content", "Ridge on diabetes"),
            ("mlflow.source.name", "tuna run job.toml"),
            ("mlflow.source.type", "LOCAL"),
            ("tuna.version", env!("CARGO_PKG_VERSION")),
        ] {
            assert!(tags.contains(&(want.0.into(), want.1.into())), "{want:?} not in {tags:?}");
        }
        let batch = &http.bodies("runs/log-batch")[0];
        assert_eq!(batch["run_id"], "parent");
        assert_eq!(
            batch["params"],
            json!([{"key": "model.KIND", "value": "Ridge"}, {"key": "searcher.n_candidates", "value": "2"}])
        );
        assert_eq!(t.run_link().unwrap(), "http://127.0.0.1:5000/#/experiments/7/runs/parent");
    }

    #[test]
    fn an_existing_experiment_is_reused_and_a_deleted_one_is_explained() {
        for (stage, expect_ok) in [("active", true), ("deleted", false)] {
            let http = FakeHttp::new(move |r| {
                if r.url.contains("get-by-name") {
                    ok(json!({"experiment": {"experiment_id": "3", "name": "tuna", "lifecycle_stage": stage}}))
                } else {
                    mlflow_server(r)
                }
            });
            let mut t = MlflowTracker::new(&http, &config(), clock);
            let result = pollster::block_on(t.start(&run_start()));
            assert!(!http.sent().iter().any(|r| r.url.contains("experiments/create")));
            if expect_ok {
                result.unwrap();
                assert_eq!(http.bodies("runs/create")[0]["experiment_id"], "3");
            } else {
                let e = result.unwrap_err();
                assert!(e.contains("is deleted; restore it") && e.contains("mlflow.experiment_name"), "{e}");
            }
        }
    }

    #[test]
    fn lineage_is_logged_as_mlflow_from_pandas_logs_it() {
        let http = FakeHttp::new(mlflow_server);
        let mut t = MlflowTracker::new(&http, &config(), clock);
        pollster::block_on(t.start(&run_start())).unwrap();
        pollster::block_on(t.log_lineage(&[lineage()])).unwrap();
        let inputs = &http.bodies("runs/log-inputs")[0];
        assert_eq!(inputs["run_id"], "parent");
        let d = &inputs["datasets"][0];
        assert_eq!(d["tags"][0], json!({"key": "mlflow.data.context", "value": "Tuning"}));
        assert_eq!(d["tags"][1]["key"], "tuna.sha256");
        // The strings `mlflow.data.from_pandas(pd.read_csv("/tmp/x.csv"), source="/tmp/x.csv")` gives.
        assert_eq!(
            d["dataset"],
            json!({
                "name": "inputs", "digest": "2293dd13", "source": "{\"uri\": \"/tmp/x.csv\"}", "source_type": "local",
                "schema": "{\"mlflow_colspec\": [{\"type\": \"long\", \"name\": \"b\", \"required\": true}, {\"type\": \"double\", \"name\": \"a\", \"required\": true}, {\"type\": \"boolean\", \"name\": \"c\", \"required\": true}]}",
                "profile": "{\"num_rows\": 2, \"num_elements\": 6}",
            })
        );
        let tags = &http.bodies("runs/log-batch")[1]["tags"];
        assert_eq!(tags[0]["key"], "tuna.inputs.sha256");
        assert_eq!(dataset_source("https://x.org/d.csv"), ("http", "{\"url\": \"https://x.org/d.csv\"}".into()));
    }

    #[test]
    fn log_search_logs_the_summary_artifacts_and_one_child_per_candidate() {
        let http = FakeHttp::new(mlflow_server);
        let mut t = MlflowTracker::new(&http, &config(), clock);
        pollster::block_on(t.start(&run_start())).unwrap();
        let results = search_results(false);
        pollster::block_on(t.log_search(&results, "INFO: done\n")).unwrap();
        let batches = http.bodies("runs/log-batch");
        let summary = &batches[1];
        assert_eq!(summary["params"], json!([{"key": "best_alpha", "value": "0.1"}]));
        let metric = |b: &Value, k: &str| b["metrics"].as_array().unwrap().iter().find(|m| m["key"] == k).cloned();
        assert_eq!(metric(summary, "best_cv_score").unwrap()["value"], results.best_score);
        assert_eq!(metric(summary, "n_fits").unwrap()["value"], 4.0);
        assert_eq!(metric(summary, "n_candidates").unwrap()["value"], 2.0);
        assert!(metric(summary, "duration").is_some() && metric(summary, "n_failed_fits").is_some());
        let puts: Vec<(String, String)> = http
            .sent()
            .iter()
            .filter(|r| r.method == "PUT")
            .map(|r| (r.url.clone(), String::from_utf8(r.body.clone()).unwrap()))
            .collect();
        let base = "http://127.0.0.1:5000/api/2.0/mlflow-artifacts/artifacts/7/parent/artifacts";
        assert_eq!(puts[0], (format!("{base}/cv_results.csv"), results.to_csv()));
        assert_eq!(puts[1], (format!("{base}/job.toml"), "KIND = \"TuningJob\"\n".to_string()));
        assert_eq!(puts[2], (format!("{base}/job.log"), "INFO: done\n".to_string()));
        let children = &http.bodies("runs/create")[1..];
        assert_eq!(children.len(), 2);
        assert_eq!(children[0]["run_name"], "alpha=0.1");
        assert_eq!(children[1]["run_name"], "alpha=1.0");
        assert!(
            children[0]["tags"].as_array().unwrap().contains(&json!({"key": "mlflow.parentRunId", "value": "parent"}))
        );
        let child_batch = &batches[2];
        assert_eq!(child_batch["run_id"], "child");
        assert_eq!(child_batch["params"], json!([{"key": "alpha", "value": "0.1"}]));
        let keys: Vec<&str> =
            child_batch["metrics"].as_array().unwrap().iter().map(|m| m["key"].as_str().unwrap()).collect();
        assert_eq!(
            keys,
            [
                "mean_test_score",
                "std_test_score",
                "rank_test_score",
                "split0_test_score",
                "split1_test_score",
                "mean_fit_time",
                "std_fit_time",
                "mean_score_time",
                "std_score_time"
            ]
        );
        let updates = http.bodies("runs/update");
        assert_eq!(updates.len(), 2);
        assert_eq!(updates[0], json!({"run_id": "child", "status": "FINISHED", "end_time": clock()}));
    }

    #[test]
    fn a_cancelled_candidate_is_a_killed_child_with_nan_metrics_and_its_error() {
        let http = FakeHttp::new(mlflow_server);
        let mut t = MlflowTracker::new(&http, &config(), clock);
        pollster::block_on(t.start(&run_start())).unwrap();
        let results = search_results(true);
        pollster::block_on(t.log_search(&results, "")).unwrap();
        pollster::block_on(t.finish(RunStatus::Killed, None)).unwrap();
        let child = &http.bodies("runs/create")[2];
        assert!(child["tags"].as_array().unwrap().iter().any(|t| t["key"] == "error"));
        let batch = &http.bodies("runs/log-batch")[3];
        assert_eq!(
            batch["metrics"][0],
            json!({"key": "mean_test_score", "value": "NaN", "timestamp": clock(), "step": 0})
        );
        let updates = http.bodies("runs/update");
        assert_eq!(updates[1]["status"], "KILLED");
        assert_eq!(updates[2], json!({"run_id": "parent", "status": "KILLED", "end_time": clock()}));
    }

    #[test]
    fn a_failed_job_tags_the_error_uploads_the_config_and_ends_failed() {
        let http = FakeHttp::new(mlflow_server);
        let mut t = MlflowTracker::new(&http, &config(), clock);
        pollster::block_on(t.start(&run_start())).unwrap();
        pollster::block_on(t.finish(RunStatus::Failed, Some("read the data: x.csv: row 2"))).unwrap();
        let batch = http.bodies("runs/log-batch").pop().unwrap();
        assert_eq!(batch["tags"], json!([{"key": "error", "value": "read the data: x.csv: row 2"}]));
        assert!(http.sent().iter().any(|r| r.method == "PUT" && r.url.ends_with("/job.toml")));
        assert_eq!(http.bodies("runs/update")[0], json!({"run_id": "parent", "status": "FAILED", "end_time": clock()}));
    }

    #[test]
    fn an_unreachable_server_says_how_to_fix_it_and_is_not_asked_again() {
        let http = FakeHttp::new(|_| Err("cannot reach the server: the connection was refused or failed".into()));
        let mut t = MlflowTracker::new(&http, &config(), clock);
        let e = pollster::block_on(t.start(&run_start())).unwrap_err();
        assert!(e.starts_with("finding the experiment `tuna`: MLflow at http://127.0.0.1:5000 is unreachable"), "{e}");
        assert!(
            e.contains("`mlflow server --host 127.0.0.1 --port 5000`") && e.contains("mlflow.tracking_uri = \"\""),
            "{e}"
        );
        let e = pollster::block_on(t.call("again", t.get("x", &[]))).unwrap_err();
        assert!(e.contains("skipped, MLflow at http://127.0.0.1:5000 stopped answering earlier"), "{e}");
        assert_eq!(http.sent().len(), 1, "no second request to a server that is down");

        // In a page, the fix includes letting the page's origin in.
        let mut t = MlflowTracker::new(&http, &config(), clock).in_page("http://127.0.0.2:8080");
        let e = pollster::block_on(t.start(&run_start())).unwrap_err();
        assert!(e.contains("--cors-allowed-origins http://127.0.0.2:8080` (MLflow 3.5 or newer)"), "{e}");
    }

    #[test]
    fn http_errors_name_the_step_the_status_and_the_fix() {
        let answer = |status: u16, body: &str| {
            let body = body.to_string();
            let http = FakeHttp::new(move |_| Ok(HttpResponse { status, body: body.clone() }));
            let mut t =
                MlflowTracker::new(&http, &config(), clock).with_auth(Some(MlflowAuth::Token("SECRET-TOKEN".into())));
            let e = pollster::block_on(t.start(&run_start())).unwrap_err();
            assert!(!e.contains("SECRET-TOKEN"), "{e}");
            assert!(http.sent()[0].headers.contains(&("Authorization".into(), "Bearer SECRET-TOKEN".into())));
            e
        };
        let e = answer(500, r#"{"error_code": "INTERNAL_ERROR", "message": "db locked SECRET-TOKEN\nTraceback"}"#);
        assert_eq!(
            e,
            "finding the experiment `tuna`: MLflow at http://127.0.0.1:5000 failed (HTTP 500 INTERNAL_ERROR: db locked \
             <hidden>); the server's log says why"
        );
        assert!(answer(502, "Bad Gateway").contains("failed (HTTP 502)"));
        assert!(answer(401, "").contains("needs credentials: set MLFLOW_TRACKING_TOKEN"));
        let e = answer(404, "<html>Not Found</html>");
        assert!(e.contains("has no /api/2.0/mlflow/experiments/get-by-name (HTTP 404)"), "{e}");
        assert!(e.contains("check that mlflow.tracking_uri is the URL of an MLflow tracking server"), "{e}");
        assert!(answer(200, "<html>hello</html>").contains("something other than MLflow's JSON"));
    }

    #[test]
    fn a_run_whose_params_are_refused_is_closed_failed_not_left_running() {
        let http = FakeHttp::new(|r| {
            if r.url.ends_with("runs/log-batch") && String::from_utf8_lossy(&r.body).contains("\"params\":[{") {
                Ok(HttpResponse {
                    status: 400,
                    body: r#"{"error_code": "INVALID_PARAMETER_VALUE", "message": "no"}"#.into(),
                })
            } else {
                mlflow_server(r)
            }
        });
        let mut t = MlflowTracker::new(&http, &config(), clock);
        let e = pollster::block_on(t.start(&run_start())).unwrap_err();
        assert!(
            e.starts_with("logging the job's settings as params: MLflow at http://127.0.0.1:5000 rejected it"),
            "{e}"
        );
        assert_eq!(http.bodies("runs/update"), [json!({"run_id": "parent", "status": "FAILED", "end_time": clock()})]);
        assert!(t.run_link().is_none());
    }

    #[test]
    fn a_tracking_uri_that_is_not_http_is_refused_before_any_request() {
        let http = FakeHttp::new(mlflow_server);
        let cfg = MlflowConfig { tracking_uri: "./mlruns".into(), experiment_name: "tuna".into() };
        let e = pollster::block_on(MlflowTracker::new(&http, &cfg, clock).start(&run_start())).unwrap_err();
        assert!(e.contains("is not an http:// or https:// URL"), "{e}");
        assert!(http.sent().is_empty());
    }

    #[test]
    fn credentials_in_the_uri_become_basic_auth_and_leave_the_links() {
        let http = FakeHttp::new(mlflow_server);
        let cfg =
            MlflowConfig { tracking_uri: "https://ann:p%40ss@mlflow.example/".into(), experiment_name: "e".into() };
        let mut t = MlflowTracker::new(&http, &cfg, clock);
        pollster::block_on(t.start(&run_start())).unwrap();
        let r = &http.sent()[0];
        assert!(r.url.starts_with("https://mlflow.example/api/2.0/"), "{}", r.url);
        // base64("ann:p@ss")
        assert!(r.headers.contains(&("Authorization".into(), "Basic YW5uOnBAc3M=".into())));
        assert!(!t.run_link().unwrap().contains("ann"));
        assert_eq!(
            MlflowAuth::from_env(|k| (k == "MLFLOW_TRACKING_USERNAME").then(|| "u".to_string())),
            Some(MlflowAuth::Basic { username: "u".into(), password: String::new() })
        );
        assert_eq!(format!("{:?}", MlflowAuth::Token("SECRET".into())), "Token(<hidden>)");
    }

    #[test]
    fn batches_stay_within_the_servers_limits() {
        let params: Vec<(String, String)> = (0..250).map(|i| (format!("p{i}"), "v".into())).collect();
        let metrics: Vec<(String, f64)> = (0..2500).map(|i| (format!("m{i}"), i as f64)).collect();
        let tags: Vec<(String, String)> = (0..120).map(|i| (format!("t{i}"), "v".into())).collect();
        let bodies = batch_bodies("r", &params, &metrics, &tags, 1);
        let count = |b: &Value, k: &str| b[k].as_array().unwrap().len();
        for b in &bodies {
            assert!(count(b, "params") <= 100 && count(b, "tags") <= 100 && count(b, "metrics") <= 1000);
            assert!(count(b, "params") + count(b, "tags") + count(b, "metrics") <= 1000);
            assert!(b.to_string().len() <= 1_000_000);
        }
        let total = |k: &str| bodies.iter().map(|b| count(b, k)).sum::<usize>();
        assert_eq!((total("params"), total("metrics"), total("tags")), (250, 2500, 120));
        // Long values: the 1 MB cap splits them too.
        // (100 params and 100 tags fit one request by count, not by size.)
        let big: Vec<(String, String)> = (0..100).map(|i| (format!("k{i}"), "x".repeat(MAX_PARAM_VALUE))).collect();
        let big_tags: Vec<(String, String)> = (0..100).map(|i| (format!("k{i}"), "x".repeat(MAX_TAG_VALUE))).collect();
        let bodies = batch_bodies("r", &big, &[], &big_tags, 1);
        assert!(bodies.len() >= 2 && bodies.iter().all(|b| b.to_string().len() <= 1_000_000));
        assert!(batch_bodies("r", &[], &[], &[], 1).is_empty());
    }

    #[test]
    fn keys_and_values_are_cut_to_mlflows_limits() {
        let (k, v) = param(&"k".repeat(300), &"v".repeat(7000));
        assert_eq!((k.chars().count(), v.chars().count()), (MAX_KEY, MAX_PARAM_VALUE));
        assert!(v.ends_with("..."));
        assert_eq!(tag("a b/c:d.e-f_g", "x").0, "a b/c:d.e-f_g");
        assert_eq!(tag("what?{x}", "x").0, "what__x_");
    }

    #[test]
    fn json_strings_are_written_as_pythons_json_dumps() {
        assert_eq!(py_str("température"), "\"temp\\u00e9rature\"");
        assert_eq!(py_str("a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"");
        assert_eq!(py_str("🐟"), "\"\\ud83d\\udc1f\"");
    }

    #[test]
    fn artifact_uris_map_to_the_proxy_and_others_are_explained() {
        assert_eq!(artifact_path("mlflow-artifacts:/1/abc/artifacts").unwrap(), "1/abc/artifacts");
        assert_eq!(artifact_path("mlflow-artifacts://host:5000/1/abc/artifacts").unwrap(), "1/abc/artifacts");
        assert_eq!(artifact_path("/srv/mlruns/1/abc/artifacts"), None);
        assert_eq!(artifact_path("s3://bucket/1/abc"), None);
        let http = FakeHttp::new(|r| {
            if r.url.contains("runs/create") {
                ok(json!({"run": {"info": {"run_id": "p", "artifact_uri": "file:///srv/mlruns/1/p/artifacts"}}}))
            } else {
                mlflow_server(r)
            }
        });
        let mut t = MlflowTracker::new(&http, &config(), clock);
        pollster::block_on(t.start(&run_start())).unwrap();
        let results = search_results(false);
        let e = pollster::block_on(t.log_search(&results, "")).unwrap_err();
        assert!(e.contains("`mlflow server --artifacts-destination <folder>`"), "{e}");
        assert_eq!(http.bodies("runs/create").len(), 3, "the child runs are logged all the same");
    }
}
