//! MLflow tracking over its REST API 2.0 (server 3.5 or newer), written once
//! over the small [`Http`](super::http::Http) trait: the CLI sends with
//! `NativeHttp`, the page with fetch.
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
//! One concept per file: `client` sends the requests and explains the
//! answers (credentials, errors, redaction), `payload` builds the bodies
//! within the server's limits, `tracker` is the job's [`Tracker`](super::services::Tracker)
//! step by step, and `digest` computes MLflow's dataset digest.

mod client;
pub mod digest;
#[cfg(test)]
mod fake;
mod payload;
mod tracker;

pub use client::MlflowAuth;
pub use payload::{
    DATASET_CONTEXT, MAX_BATCH_BYTES, MAX_ENTITIES_PER_BATCH, MAX_INPUT_TAG_VALUE, MAX_KEY, MAX_METRICS_PER_BATCH,
    MAX_PARAM_VALUE, MAX_PARAMS_TAGS_PER_BATCH, MAX_TAG_VALUE,
};
pub use tracker::MlflowTracker;
#[cfg(not(target_arch = "wasm32"))]
pub use tracker::system_now_ms;
