//! The services a job reports to, as small traits so the page and the CLI
//! supply their own: where data comes from, where units run, progress,
//! logging, tracking and alerts.
//!
//! Tracking and alerts never fail a job: their errors become warnings, and the
//! results stay with the caller.

#![allow(async_fn_in_trait)] // Futures here run on one thread (pollster natively, the browser's event loop in wasm).

use std::cell::RefCell;
use std::ops::ControlFlow;
use std::sync::Arc;

use super::alert_facts::AlertFacts;
use super::config::Level;
use super::lineage::{Lineage, sha256_hex};
use super::reading::{FileFormat, read_table};
use super::table::Table;
use crate::core::data::Dataset;
use crate::core::results::{SearchResults, UnitResult};
use crate::core::search::{Refit, SearchPlan};

/// Reads the bytes behind a config path (a file, a picked file, a URL, a demo).
pub trait DataSource {
    /// The bytes at `path`, or a message saying why they cannot be read.
    async fn read(&self, path: &str) -> Result<Vec<u8>, String>;
    /// How `path` is named in lineage and messages (e.g. the resolved file path).
    fn describe(&self, path: &str) -> String {
        path.to_string()
    }
    /// The SHA-256 of bytes read here, as hex, for lineage (the page asks the
    /// browser's own crypto, many times faster than hashing in wasm).
    async fn sha256(&self, bytes: &[u8]) -> String {
        sha256_hex(bytes)
    }
    /// The data file at `path` (CSV or Parquet, see [`read_table`]) read as a
    /// table of at most `limit` rows, with its file's SHA-256. The page
    /// overrides it to reuse the table it already read when the file was picked.
    async fn read_table(&self, path: &str, limit: Option<usize>, format: FileFormat) -> Result<SourceTable, ReadError> {
        parse_table(self, path, limit, format).await
    }
}

/// [`DataSource::read_table`] by reading the bytes and parsing them.
pub async fn parse_table<S: DataSource + ?Sized>(
    source: &S,
    path: &str,
    limit: Option<usize>,
    format: FileFormat,
) -> Result<SourceTable, ReadError> {
    let bytes = bytes::Bytes::from(source.read(path).await.map_err(ReadError::Read)?);
    let table =
        read_table(&source.describe(path), &bytes, limit, format).map_err(|e| ReadError::Parse(e.to_string()))?;
    Ok(SourceTable { table: Arc::new(table), sha256: source.sha256(&bytes).await })
}

/// A data file as a job reads it.
#[derive(Debug, Clone)]
pub struct SourceTable {
    /// Its values and column types.
    pub table: Arc<Table>,
    /// The SHA-256 of its bytes, as hex.
    pub sha256: String,
}

/// Why [`DataSource::read_table`] failed.
#[derive(Debug, Clone, PartialEq)]
pub enum ReadError {
    /// The file could not be read.
    Read(String),
    /// Its contents are not a CSV or Parquet file the engine reads (the message names file, row and column).
    Parse(String),
}

/// Receives each finished unit; `Break` cancels the search between units.
pub trait Progress {
    /// Called once per finished unit with the count done so far.
    fn on_unit(&mut self, result: &UnitResult, done: usize, total: usize) -> ControlFlow<()>;

    /// Called once with the job's final results (`cancelled`: the search
    /// stopped before every fit ran), before tracking and the alert, so a
    /// front end that saves them here is never delayed by a slow tracking
    /// server or webhook.
    fn on_results(&mut self, _results: &SearchResults, _cancelled: bool) {}
}

/// What an executor returns: the units that finished, and whether it stopped early.
#[derive(Debug, Clone, PartialEq)]
pub struct Executed {
    /// Finished units, in any order.
    pub units: Vec<UnitResult>,
    /// True if progress asked to stop before every unit ran.
    pub cancelled: bool,
}

/// Runs a plan's units somewhere: threads natively, Web Workers in the page.
pub trait Executor {
    /// Runs every unit of `plan` on `data`, reporting each to `progress`.
    async fn execute(&self, data: &Dataset, plan: &SearchPlan, progress: &mut dyn Progress)
    -> Result<Executed, String>;
    /// Fits candidate `candidate` on every row (scikit-learn's `refit`): its time and fitted attributes.
    async fn refit(&self, data: &Dataset, plan: &SearchPlan, candidate: usize) -> Result<Refit, String>;
}

/// Writes log lines (the CLI to stderr, the page to its log panel).
pub trait Logger {
    /// One log line.
    fn log(&self, level: Level, message: &str);
}

/// How a tracked run ended (MLflow's run statuses).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunStatus {
    /// Completed.
    Finished,
    /// Stopped by an error.
    Failed,
    /// Cancelled by the person.
    Killed,
}

/// What the tracker needs to open a run.
#[derive(Debug, Clone, PartialEq)]
pub struct RunStart {
    /// Run name.
    pub name: String,
    /// Description, if any.
    pub description: Option<String>,
    /// Tags from `run_config`.
    pub tags: Vec<(String, String)>,
    /// The job's settings as flat params (model KIND and hyperparameters, metric, ...).
    pub params: Vec<(String, String)>,
    /// The job config with secrets removed, as an artifact.
    pub config_text: String,
}

/// Logs a job to a tracking server (MLflow). Errors are messages for the log.
pub trait Tracker {
    /// Opens the run.
    async fn start(&mut self, run: &RunStart) -> Result<(), String>;
    /// Logs both datasets' lineage.
    async fn log_lineage(&mut self, lineages: &[Lineage]) -> Result<(), String>;
    /// Logs the search: a child run per candidate, the best params and score, artifacts.
    async fn log_search(&mut self, results: &SearchResults, log_text: &str) -> Result<(), String>;
    /// Closes the run.
    async fn finish(&mut self, status: RunStatus, error: Option<&str>) -> Result<(), String>;
    /// A link to the run for alerts, once started.
    fn run_link(&self) -> Option<String> {
        None
    }
}

/// `None` is tracking off: every call succeeds and there is no run link. A
/// front end builds `Option<MlflowTracker>` from the config and runs the job
/// one way, with or without tracking.
impl<T: Tracker> Tracker for Option<T> {
    async fn start(&mut self, run: &RunStart) -> Result<(), String> {
        match self {
            Some(t) => t.start(run).await,
            None => Ok(()),
        }
    }
    async fn log_lineage(&mut self, lineages: &[Lineage]) -> Result<(), String> {
        match self {
            Some(t) => t.log_lineage(lineages).await,
            None => Ok(()),
        }
    }
    async fn log_search(&mut self, results: &SearchResults, log_text: &str) -> Result<(), String> {
        match self {
            Some(t) => t.log_search(results, log_text).await,
            None => Ok(()),
        }
    }
    async fn finish(&mut self, status: RunStatus, error: Option<&str>) -> Result<(), String> {
        match self {
            Some(t) => t.finish(status, error).await,
            None => Ok(()),
        }
    }
    fn run_link(&self) -> Option<String> {
        self.as_ref().and_then(Tracker::run_link)
    }
}

/// A tracker for when tracking is off and no tracker type is at hand (a
/// validation run, the page until it builds an `Option` too): does nothing.
pub struct NoTracker;

impl Tracker for NoTracker {
    async fn start(&mut self, _: &RunStart) -> Result<(), String> {
        Ok(())
    }
    async fn log_lineage(&mut self, _: &[Lineage]) -> Result<(), String> {
        Ok(())
    }
    async fn log_search(&mut self, _: &SearchResults, _: &str) -> Result<(), String> {
        Ok(())
    }
    async fn finish(&mut self, _: RunStatus, _: Option<&str>) -> Result<(), String> {
        Ok(())
    }
}

/// Sends completion and failure alerts (webhooks, browser notifications).
pub trait Alerter {
    /// Sends one alert and says where it went ("the discord webhook accepted
    /// it"); an error is logged, never fatal.
    async fn notify(&self, alert: &AlertFacts) -> Result<String, String>;
}

/// What became of a service that never fails the job (tracking, the alert),
/// so the front end can show it next to the results.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// Turned off by the config (or nothing to send, as after a cancel).
    Off,
    /// Done: where to see it (the MLflow run's link) or what happened.
    Done(String),
    /// Failed: why, and how to fix it.
    Failed(String),
}

/// A logger that keeps every line (for the job log artifact and for tests)
/// and forwards it to another logger.
pub struct RecordingLogger<'a> {
    inner: Option<&'a dyn Logger>,
    min_level: Level,
    lines: RefCell<Vec<(Level, String)>>,
}

impl<'a> RecordingLogger<'a> {
    /// Records lines at `min_level` and above, forwarding them to `inner`.
    pub fn new(inner: Option<&'a dyn Logger>, min_level: Level) -> Self {
        RecordingLogger { inner, min_level, lines: RefCell::new(Vec::new()) }
    }

    /// The recorded lines as text, one per line.
    pub fn text(&self) -> String {
        self.lines.borrow().iter().map(|(l, m)| format!("{}: {m}\n", l.as_str())).collect()
    }

    /// The recorded lines.
    pub fn lines(&self) -> Vec<(Level, String)> {
        self.lines.borrow().clone()
    }
}

impl Logger for RecordingLogger<'_> {
    fn log(&self, level: Level, message: &str) {
        if level < self.min_level {
            return;
        }
        self.lines.borrow_mut().push((level, message.to_string()));
        if let Some(inner) = self.inner {
            inner.log(level, message);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fails every call after opening a run, so a test sees which calls reach it.
    struct Opened(bool);

    impl Tracker for Opened {
        async fn start(&mut self, _: &RunStart) -> Result<(), String> {
            self.0 = true;
            Ok(())
        }
        async fn log_lineage(&mut self, _: &[Lineage]) -> Result<(), String> {
            Err("logged".into())
        }
        async fn log_search(&mut self, _: &SearchResults, _: &str) -> Result<(), String> {
            Err("logged".into())
        }
        async fn finish(&mut self, _: RunStatus, _: Option<&str>) -> Result<(), String> {
            Err("closed".into())
        }
        fn run_link(&self) -> Option<String> {
            self.0.then(|| "http://mlflow/#/runs/1".into())
        }
    }

    #[test]
    fn an_option_tracks_when_some_and_is_off_when_none() {
        let run = RunStart {
            name: "Tuning".into(),
            description: None,
            tags: Vec::new(),
            params: Vec::new(),
            config_text: String::new(),
        };
        let mut on = Some(Opened(false));
        pollster::block_on(on.start(&run)).unwrap();
        assert_eq!(pollster::block_on(on.log_lineage(&[])), Err("logged".into()));
        assert_eq!(pollster::block_on(on.finish(RunStatus::Finished, None)), Err("closed".into()));
        assert_eq!(on.run_link().as_deref(), Some("http://mlflow/#/runs/1"));
        let mut off: Option<Opened> = None;
        pollster::block_on(off.start(&run)).unwrap();
        pollster::block_on(off.log_lineage(&[])).unwrap();
        pollster::block_on(off.finish(RunStatus::Failed, Some("x"))).unwrap();
        assert_eq!(off.run_link(), None);
    }
}
