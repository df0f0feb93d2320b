//! `TuningJob::run`: the job, written once for the page and the CLI.
//!
//! It reads as the original job's nine steps (services, open the run, read and
//! check the data, lineage, the model, search, best params, notify, close).
//! Each step logs what it does and wraps its errors with the step's name; the
//! checks themselves are `super::checks`. Tracking and alerts are reported,
//! never fatal: once the search has run, its results are returned whatever
//! the services do, and reach [`Progress::on_results`] before either is
//! called, so a slow server never delays them.
//!
//! The failure alert goes out only for a job whose search started (the
//! executor was asked to run fits): a mistake found before that (the config,
//! reading or checking the data, lineage, the model, the plan) is the person's
//! to fix at the keyboard, and posting it to a team's channel would be noise.
//! Such a job still closes its tracked run as FAILED.

use std::ops::ControlFlow;

pub use super::checks::JobError;
use super::checks::{CheckedConfig, at, check_config, check_data, step, target_place};
use crate::core::data::Dataset;
use crate::core::metrics::Metric;
use crate::core::params::params_to_python;
use crate::core::results::{SearchResults, UnitResult};
use crate::core::search::{SearchError, SearchPlan};
use crate::io::alerts::{AlertFacts, Outcome};
use crate::io::config::{ConfigError, JobConfig, Level, MlflowConfig, ModelConfig, ReaderKind, parse_job, parse_model};
use crate::io::lineage::Lineage;
use crate::io::services::{
    Alerter, DataSource, Delivery, Executor, Logger, NoTracker, Progress, ReadError, RecordingLogger, RunStart,
    RunStatus, SourceTable, Tracker,
};

/// Everything a finished (or cancelled) job produced.
#[derive(Debug, Clone, PartialEq)]
pub struct JobReport {
    /// The search results (missing units score NaN when cancelled).
    pub results: SearchResults,
    /// True when the person cancelled before every unit ran.
    pub cancelled: bool,
    /// Lineage of inputs and targets.
    pub lineage: Vec<Lineage>,
    /// The checked metric (its name and direction, for display).
    pub metric: Metric,
    /// Rows and features of the dataset.
    pub shape: (usize, usize),
    /// Wall time in seconds.
    pub duration: f64,
    /// Problems that did not stop the job (tracking or alert failures).
    pub warnings: Vec<String>,
    /// Whether the run reached the tracking server: its link, or why not.
    pub tracking: Delivery,
    /// Whether the completion alert went out: where, or why not.
    pub alert: Delivery,
    /// The job's log.
    pub log: String,
}

/// A checked job, ready to search: the dataset, the plan and the lineage.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    /// The validated dataset.
    pub data: Dataset,
    /// Candidates, folds and metric, every candidate checked.
    pub plan: SearchPlan,
    /// Lineage of inputs and targets.
    pub lineage: Vec<Lineage>,
    /// The checked metric.
    pub metric: Metric,
}

/// What a job needs from its front end.
pub struct Services<'a, S, E, T, A> {
    /// Reads data and model files.
    pub source: &'a S,
    /// Runs the search's units.
    pub executor: &'a E,
    /// Tracks the run.
    pub tracker: &'a mut T,
    /// Sends the completion alert.
    pub alerter: &'a A,
    /// Receives log lines.
    pub logger: &'a dyn Logger,
    /// Receives each finished unit; can cancel.
    pub progress: &'a mut dyn Progress,
    /// Seconds from a fixed origin.
    pub now: fn() -> f64,
}

/// A tuning job: read data, search hyperparameters with cross-validation,
/// track, notify.
///
/// Made only by parsing a config; [`TuningJob::validate`] checks it and its
/// data without fitting (`tuna validate`), [`TuningJob::run`] runs it. Data
/// comes from a [`DataSource`]: files beside the config in the CLI, the picked
/// files in the page, or memory as here:
///
/// ```
/// use tuna::TuningJob;
/// use tuna::io::config::Level;
/// use tuna::io::services::{DataSource, Logger};
///
/// struct InMemory;
/// impl DataSource for InMemory {
///     async fn read(&self, path: &str) -> Result<Vec<u8>, String> {
///         let rows = (0..40).map(|i| format!("{i},{}", i % 7));
///         match path {
///             "x.csv" => Ok(std::iter::once("a,b".to_string()).chain(rows).collect::<Vec<_>>().join("\n").into_bytes()),
///             "y.csv" => Ok(std::iter::once("t".to_string()).chain((0..40).map(|i| (i % 2).to_string())).collect::<Vec<_>>().join("\n").into_bytes()),
///             _ => Err("no such file".into()),
///         }
///     }
/// }
/// struct Quiet;
/// impl Logger for Quiet {
///     fn log(&self, _: Level, _: &str) {}
/// }
///
/// let config = r#"
/// KIND = "TuningJob"
/// inputs = { KIND = "CsvReader", path = "x.csv" }
/// targets = { KIND = "CsvReader", path = "y.csv" }
/// model = { KIND = "DecisionTreeClassifier" }
/// metric = { KIND = "SklearnMetric", name = "accuracy" }
/// splitter = { KIND = "StratifiedKFoldSplitter", n_splits = 4 }
/// searcher = { KIND = "GridCVSearcher", param_grid = { max_depth = [1, 2, 3] } }
/// "#;
/// let job = TuningJob::from_config("job.toml", config)?;
/// let checked = pollster::block_on(job.validate(&InMemory, &Quiet))?;
/// assert_eq!((checked.plan.candidates.len(), checked.plan.folds.len()), (3, 4));
///
/// // Every candidate is checked before the data is read.
/// let bad = TuningJob::from_config("job.toml", &config.replace("[1, 2, 3]", "[2, 0]"))?;
/// let e = pollster::block_on(bad.validate(&InMemory, &Quiet)).unwrap_err();
/// assert_eq!(e.step, "search");
/// assert!(e.message.starts_with("searcher candidate 1 {'max_depth': 0}"), "{e}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct TuningJob {
    /// The parsed config: private, so a job is always one the parser accepted.
    config: JobConfig,
}

impl TuningJob {
    /// The config's `KIND`.
    pub const KIND: &'static str = "TuningJob";

    /// Parses a config (TOML, JSON or YAML); `origin` names it in errors.
    pub fn from_config(origin: &str, text: &str) -> Result<TuningJob, ConfigError> {
        Ok(TuningJob { config: parse_job(origin, text)? })
    }

    /// The job's config.
    pub fn config(&self) -> &JobConfig {
        &self.config
    }

    /// The job reading its data from `inputs` and `targets` instead of the
    /// paths its config names (the page's picked files); `None` keeps a path.
    pub fn reading(mut self, inputs: Option<String>, targets: Option<String>) -> TuningJob {
        for (reader, path) in [(&mut self.config.inputs, inputs), (&mut self.config.targets, targets)] {
            if let Some(path) = path {
                reader.file_mut().path = path;
            }
        }
        self
    }

    /// The job tracking to `mlflow` instead (to send finished results again
    /// after the person fixed the server's URL).
    pub fn tracking_to(mut self, mlflow: MlflowConfig) -> TuningJob {
        self.config.mlflow = mlflow;
        self
    }

    /// Runs the job. See the module docs for what fails the job and what does not.
    pub async fn run<S, E, T, A>(&self, s: Services<'_, S, E, T, A>) -> Result<JobReport, JobError>
    where
        S: DataSource,
        E: Executor,
        T: Tracker,
        A: Alerter,
    {
        let started = (s.now)();
        let log = RecordingLogger::new(Some(s.logger), self.config.logger.level);
        let mut notes = Notes::new(&log);

        // 1. Services: the front end started them; say what is on.
        let cfg = &self.config;
        let tracking_on = !cfg.mlflow.tracking_uri.trim().is_empty();
        log.log(
            Level::Info,
            &format!("[1/9] start services: tracking {}, alerts {}", on_off(tracking_on), on_off(cfg.alerts.enable)),
        );

        // 2. Open the tracked run.
        log.log(Level::Info, &format!("[2/9] open run `{}`", cfg.run_config.name));
        let mut tracking = true;
        if let Err(e) = s.tracker.start(&self.run_start()).await {
            notes.tracking("tracking is off for this run", e);
            tracking = false;
        }

        let mut s = s;
        // The error, and whether the search had started when it came.
        let outcome = match self.prepare(s.source, &mut *s.tracker, tracking, &mut notes).await {
            Ok(prepared) => match self.search(&mut s, &prepared, &mut notes).await {
                Ok((results, cancelled)) => Ok((results, cancelled, prepared)),
                Err(e) => Err((e, true)),
            },
            Err(e) => Err((e, false)),
        };
        let (results, cancelled, prepared) = match outcome {
            Ok(parts) => parts,
            Err((e, searched)) => {
                log.log(Level::Error, &e.to_string());
                if cfg.alerts.enable && !searched {
                    log.log(Level::Info, "no alert: the job failed before its search started");
                } else if cfg.alerts.enable {
                    let alert = AlertFacts {
                        step: Some(e.step.to_string()),
                        error: Some(e.message.clone()),
                        ..self.alert_facts(Outcome::Failed, None, (s.now)() - started, None)
                    };
                    if let Err(a) = s.alerter.notify(&alert).await {
                        notes.warn("the failure alert was not sent", a);
                    }
                }
                if tracking && let Err(t) = s.tracker.finish(RunStatus::Failed, Some(&e.to_string())).await {
                    notes.tracking("tracking could not mark the run failed", t);
                }
                return Err(e);
            }
        };
        let Prepared { data, lineage, metric, .. } = prepared;
        let shape = (data.n_rows(), data.n_features());
        drop(data);

        // 7. Identify and log the best hyperparameters.
        log.log(
            Level::Info,
            &format!(
                "[7/9] best {} = {} with {}",
                score_name(&metric),
                results.best_score,
                params_to_python(&results.best_params)
            ),
        );
        s.progress.on_results(&results, cancelled);
        if tracking && let Err(e) = s.tracker.log_search(&results, &log.text()).await {
            notes.tracking("tracking could not log the results (they are kept here)", e);
        }

        // 8. Notify completion with the best score.
        let duration = (s.now)() - started;
        let outcome = if cancelled { Outcome::Cancelled } else { Outcome::Finished };
        let alert = if !cfg.alerts.enable {
            log.log(Level::Info, "[8/9] alerts are off (alerts.enable = false)");
            Delivery::Off
        } else if cancelled && !cfg.alerts.on_cancel {
            log.log(Level::Info, "[8/9] cancelled: no alert sent (alerts.on_cancel = false)");
            Delivery::Off
        } else {
            log.log(Level::Info, "[8/9] notify");
            let alert = self.alert_facts(outcome, Some(&results), duration, s.tracker.run_link());
            match s.alerter.notify(&alert).await {
                Ok(done) => Delivery::Done(done),
                Err(e) => {
                    notes.warn("the alert was not sent", e.clone());
                    Delivery::Failed(e)
                }
            }
        };

        // 9. Close the run.
        let status = if cancelled { RunStatus::Killed } else { RunStatus::Finished };
        log.log(Level::Info, &format!("[9/9] close run: {status:?}"));
        if tracking && let Err(e) = s.tracker.finish(status, None).await {
            notes.tracking("tracking could not close the run", e);
        }
        let tracking = match (tracking_on, notes.tracking_failure.take()) {
            (false, _) => Delivery::Off,
            (true, Some(e)) => Delivery::Failed(e),
            (true, None) => Delivery::Done(s.tracker.run_link().unwrap_or_else(|| "logged".into())),
        };
        let warnings = notes.lines;
        Ok(JobReport {
            results,
            cancelled,
            lineage,
            metric,
            shape,
            duration,
            warnings,
            tracking,
            alert,
            log: log.text(),
        })
    }

    /// Logs a finished job's results again, as a new run: for when the server
    /// failed during the job and the person fixed it. Returns where the run is.
    pub async fn track_again<T: Tracker>(&self, report: &JobReport, tracker: &mut T) -> Delivery {
        let status = if report.cancelled { RunStatus::Killed } else { RunStatus::Finished };
        let sent = async {
            tracker.start(&self.run_start()).await?;
            tracker.log_lineage(&report.lineage).await?;
            tracker.log_search(&report.results, &report.log).await?;
            tracker.finish(status, None).await
        };
        match sent.await {
            Ok(()) => Delivery::Done(tracker.run_link().unwrap_or_else(|| "logged".into())),
            Err(e) => Delivery::Failed(e),
        }
    }

    /// Checks the config without reading any data: loads the model table (its
    /// `model_config_path` file, if any) and runs [`check_config`]. The CLI
    /// calls it before the job starts, so a config mistake is a usage error
    /// (exit 2) whatever part of the config it is in.
    pub async fn check<S: DataSource>(&self, source: &S) -> Result<CheckedConfig, JobError> {
        let model = self.load_model(source).await.map_err(at(step::MODEL))?;
        check_config(&self.config, &model)
    }

    /// Checks the config and its data without running the search: steps 3 and 5
    /// and the search plan (`tuna validate`).
    pub async fn validate<S: DataSource>(&self, source: &S, logger: &dyn Logger) -> Result<Prepared, JobError> {
        let log = RecordingLogger::new(Some(logger), self.config.logger.level);
        self.prepare(source, &mut NoTracker, false, &mut Notes::new(&log)).await
    }

    /// Steps 3 to 5 and the plan: check the config, read and check the data,
    /// log lineage, load the model. The checks are [`check_config`] and
    /// [`check_data`], the same stages the page and `tuna validate` call.
    async fn prepare<S: DataSource, T: Tracker>(
        &self,
        source: &S,
        tracker: &mut T,
        tracking: bool,
        notes: &mut Notes<'_, '_>,
    ) -> Result<Prepared, JobError> {
        let cfg = &self.config;
        let log = notes.log;

        // 3. Check the config (its model table included) before reading any
        // data, then read inputs and targets, validate them, log their shapes.
        log.log(Level::Info, "[3/9] read the data");
        if let Some(note) = cfg.layout.note() {
            log.log(Level::Info, &note);
        }
        let checked = self.check(source).await?;
        let inputs = self.read(source, "inputs", &cfg.inputs).await.map_err(at(step::READ))?;
        let targets = self.read(source, "targets", &cfg.targets).await.map_err(at(step::READ))?;
        let (inputs_raw, targets_raw) = (&*inputs.table, &*targets.table);
        let data = check_data(&checked.rules, inputs_raw, targets_raw)?;
        log.log(
            Level::Info,
            &format!(
                "inputs: {} rows x {} columns: {}{}",
                inputs_raw.n_rows(),
                inputs_raw.columns.len(),
                inputs_raw.describe().join(", "),
                inputs_raw.index_note()
            ),
        );
        let target = targets_raw.columns.iter().position(|c| *c == data.target_name).unwrap_or(0);
        log.log(
            Level::Info,
            &format!("targets: {} rows, column {}", data.n_rows(), targets_raw.describe().swap_remove(target)),
        );

        // 4. Lineage of both datasets.
        log.log(Level::Info, "[4/9] log lineage");
        let lineage = vec![
            Lineage::new("inputs", &source.describe(&cfg.inputs.file().path), inputs.sha256, inputs_raw),
            Lineage::new("targets", &source.describe(&cfg.targets.file().path), targets.sha256, targets_raw),
        ];
        drop((inputs.table, targets.table));
        if tracking && let Err(e) = tracker.log_lineage(&lineage).await {
            notes.tracking("tracking could not log the lineage", e);
        }

        // 5. The model, from its config (checked in step 3).
        log.log(Level::Info, "[5/9] load the model");
        let kind = checked.model.kind();
        log.log(Level::Info, &format!("model: {kind} {}", params_to_python(&checked.model.hyperparameters())));

        // The plan: the checked candidates on the splitter's folds.
        let plan = checked.plan(cfg, &data)?;
        let metric = plan.metric;
        if let Some(w) = cfg.splitter.warning(&data.y, &|v| data.label_of(v)) {
            notes.warn("splitter", format!("{}{w}", target_place(cfg, &data)));
        }
        if let Some(w) = cfg.searcher.warning() {
            notes.warn("searcher", w);
        }
        Ok(Prepared { data, plan, lineage, metric })
    }

    /// Step 6, on a prepared job: the results, and whether the search was
    /// cancelled.
    async fn search<S, E, T, A>(
        &self,
        s: &mut Services<'_, S, E, T, A>,
        prepared: &Prepared,
        notes: &mut Notes<'_, '_>,
    ) -> Result<(SearchResults, bool), JobError>
    where
        S: DataSource,
        E: Executor,
        T: Tracker,
        A: Alerter,
    {
        let (data, plan) = (&prepared.data, &prepared.plan);
        let log = notes.log;

        // 6. Run the searcher.
        let total = plan.units().len();
        log.log(
            Level::Info,
            &format!(
                "[6/9] search: {} candidates x {} folds = {total} fits ({})",
                plan.candidates.len(),
                plan.folds.len(),
                self.config.searcher.kind()
            ),
        );
        let mut progress = RaiseOnFailure { inner: &mut *s.progress, plan, raised: None };
        let executed = s.executor.execute(data, plan, &mut progress).await.map_err(at(step::SEARCH))?;
        if let Some(e) = progress.raised {
            return Err(at(step::SEARCH)(e));
        }
        let mut failures = executed.units.iter().filter_map(|u| u.error.as_ref().map(|why| (u, why)));
        if let Some((first, why)) = failures.next() {
            let failed = 1 + failures.count();
            // scikit-learn raises here too: a "best" of all-NaN scores is no answer.
            if failed == total && !executed.cancelled {
                return Err(at(step::SEARCH)(format!(
                    "all the {total} fits failed, so there is no best candidate; the first, candidate {} fold {}: {why} \
                     (it is very likely that the model is misconfigured: set searcher.error_score = \"raise\" to stop at the first failure)",
                    first.candidate, first.fold
                )));
            }
            log.log(
                Level::Warning,
                &format!(
                    "{failed} of {total} fits failed and scored error_score; the first, candidate {} fold {}: {why}",
                    first.candidate, first.fold
                ),
            );
        }
        let finished = executed.units.len();
        let mut results = complete(plan, executed.units);
        if executed.cancelled {
            log.log(Level::Warning, &format!("cancelled: {finished} of {total} fits had finished"));
        } else if plan.settings.refit {
            match s.executor.refit(data, plan, results.best_index).await {
                Ok(refit) => {
                    results.refit_time = Some(refit.seconds);
                    results.best_estimator_oob_score = refit.attributes.oob_score;
                    results.best_estimator_n_estimators = refit.attributes.n_estimators;
                    if let Some(n) = refit.attributes.oob_unscored_rows.filter(|&n| n > 0) {
                        log.log(
                            Level::Warning,
                            &format!(
                                "oob_score_: {n} of {} rows were in every tree's bootstrap sample, so no tree predicts \
                                 them out of bag and they count as predicted 0, as in scikit-learn (\"Some inputs do not \
                                 have OOB scores\"); more trees (n_estimators) give every row an estimate",
                                data.n_rows()
                            ),
                        );
                    }
                }
                Err(e) => notes.warn("refit on all rows failed", e),
            }
        }
        Ok((results, executed.cancelled))
    }

    /// Reads and parses one data file.
    async fn read<S: DataSource>(&self, source: &S, what: &str, kind: &ReaderKind) -> Result<SourceTable, String> {
        let reader = kind.file();
        source.read_table(&reader.path, reader.limit, kind.format()).await.map_err(|e| match e {
            ReadError::Read(e) => format!("{what}.path = `{}`: {e}", reader.path),
            ReadError::Parse(e) => e,
        })
    }

    /// The `[model]` table, merged over its `model_config_path` file if any.
    async fn load_model<S: DataSource>(&self, source: &S) -> Result<ModelConfig, String> {
        let inline = &self.config.model;
        let model = match &inline.model_config_path {
            None => inline.clone(),
            Some(path) => {
                let bytes = source.read(path).await.map_err(|e| format!("model.model_config_path = `{path}`: {e}"))?;
                let text = String::from_utf8(bytes)
                    .map_err(|_| format!("model.model_config_path = `{path}`: not UTF-8 text"))?;
                let file = parse_model(&source.describe(path), &text).map_err(|e| e.to_string())?;
                inline.merged_over(file)
            }
        };
        Ok(model)
    }

    /// The run's name, tags and flattened settings for tracking.
    fn run_start(&self) -> RunStart {
        let cfg = &self.config;
        let mut params = Vec::new();
        let mut flat = |prefix: &str, value: serde_json::Value| flatten(prefix, &value, &mut params);
        flat("model", serde_json::to_value(&cfg.model).unwrap_or_default());
        flat("metric", serde_json::to_value(&cfg.metric).unwrap_or_default());
        flat("splitter", serde_json::to_value(&cfg.splitter).unwrap_or_default());
        flat("searcher", serde_json::to_value(&cfg.searcher).unwrap_or_default());
        if let Ok(c) = cfg.searcher.candidates() {
            params.push(("searcher.n_candidates".into(), c.len().to_string()));
        }
        RunStart {
            name: cfg.run_config.name.clone(),
            description: cfg.run_config.description.clone(),
            tags: cfg.run_config.tags.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            params,
            config_text: self.shareable_config(),
        }
    }

    /// The config as TOML with secrets (the webhook URL, credentials in the
    /// tracking URI) removed: safe to log, export or put in a link.
    pub fn shareable_config(&self) -> String {
        self.config.shareable_toml()
    }

    /// What the alert says: the job, the score's name, and the results if any.
    fn alert_facts(
        &self,
        outcome: Outcome,
        results: Option<&SearchResults>,
        duration: f64,
        run_link: Option<String>,
    ) -> AlertFacts {
        let metric = match self.config.metric.check() {
            Ok(m) => score_name(&m),
            Err(_) => "score".to_string(),
        };
        AlertFacts {
            outcome,
            job: self.config.run_config.name.clone(),
            metric,
            best_score: results.map(|r| r.best_score),
            best_params: results.map(|r| r.best_params.clone()),
            n_candidates: results.map(|r| r.cv_results.params.len()).unwrap_or(0),
            n_failed_fits: results.map(|r| r.n_failed_fits).unwrap_or(0),
            duration,
            run_link,
            step: None,
            error: None,
        }
    }
}

fn on_off(b: bool) -> &'static str {
    if b { "on" } else { "off" }
}

/// The score's name as scikit-learn's scorer would call it (`neg_mean_squared_error`).
pub fn score_name(metric: &Metric) -> String {
    if metric.greater_is_better { metric.name.as_str().to_string() } else { format!("neg_{}", metric.name.as_str()) }
}

/// Flattens a JSON object into dotted `key = value` pairs for tracking params.
fn flatten(prefix: &str, value: &serde_json::Value, out: &mut Vec<(String, String)>) {
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                flatten(&format!("{prefix}.{k}"), v, out);
            }
        }
        serde_json::Value::Null => {}
        serde_json::Value::String(s) => out.push((prefix.to_string(), s.clone())),
        other => out.push((prefix.to_string(), other.to_string())),
    }
}

/// Results over every unit, with units that never ran (after a cancel) as
/// failed fits scoring NaN.
fn complete(plan: &SearchPlan, mut units: Vec<UnitResult>) -> SearchResults {
    let have: std::collections::HashSet<(usize, usize)> = units.iter().map(|u| (u.candidate, u.fold)).collect();
    for unit in plan.units() {
        if !have.contains(&(unit.candidate, unit.fold)) {
            units.push(UnitResult {
                candidate: unit.candidate,
                fold: unit.fold,
                test_score: f64::NAN,
                train_score: plan.settings.return_train_score.then_some(f64::NAN),
                fit_time: 0.0,
                score_time: 0.0,
                error: Some("not run: the search was cancelled".into()),
            });
        }
    }
    plan.results(units)
}

/// Problems that did not stop the job, logged as warnings as they happen;
/// the first tracking failure is kept apart for the report.
struct Notes<'l, 'a> {
    log: &'l RecordingLogger<'a>,
    lines: Vec<String>,
    tracking_failure: Option<String>,
}

impl<'l, 'a> Notes<'l, 'a> {
    fn new(log: &'l RecordingLogger<'a>) -> Self {
        Notes { log, lines: Vec::new(), tracking_failure: None }
    }

    fn warn(&mut self, what: &str, e: String) {
        let line = format!("{what}: {e}");
        self.log.log(Level::Warning, &line);
        self.lines.push(line);
    }

    fn tracking(&mut self, what: &str, e: String) {
        self.tracking_failure.get_or_insert_with(|| format!("{what}: {e}"));
        self.warn(what, e);
    }
}

/// Forwards progress, and stops the search at the first failed fit when
/// `error_score = "raise"`.
struct RaiseOnFailure<'a> {
    inner: &'a mut dyn Progress,
    plan: &'a SearchPlan,
    raised: Option<SearchError>,
}

impl Progress for RaiseOnFailure<'_> {
    fn on_unit(&mut self, result: &UnitResult, done: usize, total: usize) -> ControlFlow<()> {
        if let Some(e) = self.plan.should_raise(result) {
            self.raised.get_or_insert(e);
            return ControlFlow::Break(());
        }
        self.inner.on_unit(result, done, total)
    }
}
