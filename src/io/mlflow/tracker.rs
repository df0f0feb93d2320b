//! [`MlflowTracker`]: the job's [`Tracker`] for an MLflow server, one step per
//! call: the experiment and the parent run, the datasets, the search (its
//! summary, artifacts and one child run per candidate), the end.

use serde_json::{Value, json};

use super::client::{Client, MlflowAuth, artifact_path, id_of};
use super::payload::{
    DATASET_CONTEXT, MAX_KEY, MAX_PARAMS_TAGS_PER_BATCH, batch_bodies, candidate_metrics, candidate_run_name,
    dataset_input, param, status_name, tag, tags_json, truncate,
};
use crate::core::results::SearchResults;
use crate::io::config::MlflowConfig;
use crate::io::http::Http;
use crate::io::lineage::Lineage;
use crate::io::services::{RunStart, RunStatus, Tracker};

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
    pub(super) client: Client<'a, H>,
    experiment_name: String,
    source_name: String,
    source_type: String,
    now_ms: fn() -> i64,
    run: Option<OpenRun>,
    config_text: String,
    config_logged: bool,
}

impl<'a, H: Http> MlflowTracker<'a, H> {
    /// A tracker for `config.tracking_uri` and `config.experiment_name`;
    /// `now_ms` gives milliseconds since the Unix epoch. Credentials written in
    /// the URI (`http://user:password@host`) are taken out of it and sent as
    /// basic auth.
    pub fn new(http: &'a H, config: &MlflowConfig, now_ms: fn() -> i64) -> Self {
        MlflowTracker {
            client: Client::new(http, &config.tracking_uri),
            experiment_name: config.experiment_name.clone(),
            source_name: "tuna".into(),
            source_type: "LOCAL".into(),
            now_ms,
            run: None,
            config_text: String::new(),
            config_logged: false,
        }
    }

    /// Runs in a page served from `origin`: messages say how to let the page in.
    pub fn in_page(mut self, origin: &str) -> Self {
        self.client.page_origin = Some(origin.to_string());
        self
    }

    /// Sends these credentials with every request.
    pub fn with_auth(mut self, auth: Option<MlflowAuth>) -> Self {
        if auth.is_some() {
            self.client.auth = auth;
        }
        self
    }

    /// `mlflow.source.name` and `mlflow.source.type` (`LOCAL`, `JOB`, ...).
    pub fn with_source(mut self, name: &str, source_type: &str) -> Self {
        self.source_name = name.into();
        self.source_type = source_type.into();
        self
    }

    fn open(&self) -> Result<&OpenRun, String> {
        self.run.as_ref().ok_or_else(|| "no MLflow run is open (opening it failed earlier)".to_string())
    }

    /// The experiment's id, creating it if missing.
    async fn experiment_id_for_name(&mut self) -> Result<String, String> {
        let name = self.experiment_name.clone();
        let what = format!("finding the experiment `{name}`");
        let found =
            self.client.call(&what, self.client.get("experiments/get-by-name", &[("experiment_name", &name)])).await;
        let experiment = match found {
            Ok(v) => v["experiment"].clone(),
            Err(e) if e.contains("RESOURCE_DOES_NOT_EXIST") => {
                let what = format!("creating the experiment `{name}`");
                match self.client.call(&what, self.client.post("experiments/create", &json!({ "name": name }))).await {
                    Ok(v) => {
                        return id_of(&v["experiment_id"])
                            .ok_or_else(|| format!("{what}: no experiment_id in the answer"));
                    }
                    // Created by someone else in between: read it again.
                    Err(e) if e.contains("RESOURCE_ALREADY_EXISTS") => self
                        .client
                        .call(&what, self.client.get("experiments/get-by-name", &[("experiment_name", &name)]))
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
        let v = self.client.call(what, self.client.post("runs/create", &body)).await?;
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
            self.client.call(what, self.client.post("runs/log-batch", &body)).await?;
        }
        Ok(())
    }

    async fn upload(&mut self, file: &str, content_type: &str, body: &str) -> Result<(), String> {
        let what = format!("uploading the artifact {file}");
        let request = self
            .client
            .put_artifact(&self.open()?.artifact_uri, file, content_type, body)
            .map_err(|e| format!("{what}: {e}"))?;
        self.client.call(&what, request).await.map(|_| ())
    }

    async fn update_run(&mut self, what: &str, run_id: &str, status: RunStatus) -> Result<(), String> {
        let body = json!({ "run_id": run_id, "status": status_name(status), "end_time": (self.now_ms)() });
        self.client.call(what, self.client.post("runs/update", &body)).await.map(|_| ())
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
        if !self.client.base.starts_with("http://") && !self.client.base.starts_with("https://") {
            return Err(format!(
                "mlflow.tracking_uri = `{}` is not an http:// or https:// URL; give the server's URL such as \
                 \"http://127.0.0.1:5000\", or \"\" to run without tracking",
                self.client.base
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
        let datasets: Vec<Value> = lineages.iter().map(|l| dataset_input(l, DATASET_CONTEXT)).collect();
        let body = json!({ "run_id": run_id, "datasets": datasets });
        self.client.call("logging the datasets' lineage", self.client.post("runs/log-inputs", &body)).await?;
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
        if let Some(score) = results.best_estimator_oob_score {
            metrics.push(("best_estimator_oob_score".into(), score));
        }
        if let Some(n) = results.best_estimator_n_estimators {
            metrics.push(("best_estimator_n_estimators".into(), n as f64));
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
        self.client.unreachable = None;
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
        Some(format!("{}/#/experiments/{}/runs/{}", self.client.base, run.experiment_id, run.run_id))
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
    use super::super::fake::*;
    use super::super::payload::dataset_source;
    use super::*;
    use crate::io::http::HttpResponse;

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
