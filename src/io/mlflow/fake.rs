//! A fake MLflow server and a job's worth of inputs for the unit tests of
//! the client and the tracker.

use std::cell::RefCell;

use serde_json::{Value, json};

use crate::core::params::{ParamValue, Params};
use crate::core::results::{SearchResults, UnitResult};
use crate::io::config::MlflowConfig;
pub(super) use crate::io::http::{Http, HttpRequest, HttpResponse};
use crate::io::lineage::Lineage;
use crate::io::services::RunStart;

pub(super) type Responder = Box<dyn Fn(&HttpRequest) -> Result<HttpResponse, String>>;

/// Records every request and answers with `respond`.
pub(super) struct FakeHttp {
    sent: RefCell<Vec<HttpRequest>>,
    respond: Responder,
}

impl FakeHttp {
    pub(super) fn new(respond: impl Fn(&HttpRequest) -> Result<HttpResponse, String> + 'static) -> FakeHttp {
        FakeHttp { sent: RefCell::new(Vec::new()), respond: Box::new(respond) }
    }
    pub(super) fn sent(&self) -> Vec<HttpRequest> {
        self.sent.borrow().clone()
    }
    pub(super) fn bodies(&self, endpoint: &str) -> Vec<Value> {
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

pub(super) fn ok(body: Value) -> Result<HttpResponse, String> {
    Ok(HttpResponse { status: 200, body: body.to_string() })
}

/// A server where the experiment `tuna` does not exist yet.
pub(super) fn mlflow_server(request: &HttpRequest) -> Result<HttpResponse, String> {
    let url = &request.url;
    if url.contains("experiments/get-by-name") {
        Ok(HttpResponse {
            status: 404,
            body: json!({"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "Could not find experiment"}).to_string(),
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

pub(super) fn config() -> MlflowConfig {
    MlflowConfig { tracking_uri: "http://127.0.0.1:5000/".into(), experiment_name: "tuna".into() }
}

pub(super) fn clock() -> i64 {
    1_700_000_000_000
}

pub(super) fn run_start() -> RunStart {
    RunStart {
        name: "Tuning".into(),
        description: Some("Ridge on diabetes".into()),
        tags: vec![("context".into(), "tuning".into()), ("bad key!".into(), "v".into())],
        params: vec![("model.KIND".into(), "Ridge".into()), ("searcher.n_candidates".into(), "2".into())],
        config_text: "KIND = \"TuningJob\"\n".into(),
    }
}

pub(super) fn search_results(failed: bool) -> SearchResults {
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

pub(super) fn lineage() -> Lineage {
    Lineage {
        name: "inputs".into(),
        source: "/tmp/x.csv".into(),
        sha256: "ab".repeat(32),
        digest: "2293dd13".into(),
        num_rows: 2,
        num_elements: 6,
        schema: vec![
            ("b".into(), "long".into(), true),
            ("a".into(), "double".into(), true),
            ("c".into(), "boolean".into(), true),
        ],
    }
}
