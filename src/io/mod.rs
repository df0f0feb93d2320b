//! The edges: config parsing, reading and validating data, lineage, and the
//! services a job reports to (logger, tracker, alerter).

pub mod alert_facts;
pub mod alerts;
pub mod config;
#[cfg(not(target_arch = "wasm32"))]
pub mod files;
pub mod http;
pub mod lineage;
pub mod mlflow;
#[cfg(not(target_arch = "wasm32"))]
pub mod native_http;
pub mod parquet;
pub mod reading;
pub mod services;
pub mod source;
pub mod table;
pub mod urls;
pub mod validation;
