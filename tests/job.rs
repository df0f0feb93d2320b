//! `TuningJob::run` end to end with native services: the steps, what reaches
//! the tracker and the alerter, failures, `error_score`, cancelling.
#![cfg(not(target_arch = "wasm32"))] // Native services (files and threads): `--target wasm32` builds skip it.

use std::cell::RefCell;
use std::ops::ControlFlow;
use std::path::Path;

use tuna::core::results::UnitResult;
use tuna::io::alerts::AlertFacts;
use tuna::io::config::Level;
use tuna::io::files::Files;
use tuna::io::lineage::Lineage;
use tuna::io::services::{Alerter, DataSource, Delivery, Logger, Progress, RunStart, RunStatus, Tracker};
use tuna::jobs::threads::{ThreadExecutor, now};
use tuna::jobs::tuning::{JobError, JobReport, Services, TuningJob};

/// Records what the job tells it, so tests can check the calls and their order.
#[derive(Default)]
struct RecordingTracker {
    calls: Vec<String>,
    fail_start: bool,
}

impl Tracker for RecordingTracker {
    async fn start(&mut self, run: &RunStart) -> Result<(), String> {
        if self.fail_start {
            return Err("connection refused".into());
        }
        self.calls.push(format!("start {} ({} params)", run.name, run.params.len()));
        Ok(())
    }
    async fn log_lineage(&mut self, lineages: &[Lineage]) -> Result<(), String> {
        self.calls.push(format!(
            "lineage {}",
            lineages
                .iter()
                .map(|l| format!("{}:{}x{}", l.name, l.num_rows, l.schema.len()))
                .collect::<Vec<_>>()
                .join(",")
        ));
        Ok(())
    }
    async fn log_search(&mut self, results: &tuna::SearchResults, _: &str) -> Result<(), String> {
        self.calls.push(format!("search {} candidates, best {}", results.cv_results.params.len(), results.best_index));
        Ok(())
    }
    async fn finish(&mut self, status: RunStatus, error: Option<&str>) -> Result<(), String> {
        self.calls.push(format!("finish {status:?} {}", error.unwrap_or("")));
        Ok(())
    }
}

#[derive(Default)]
struct RecordingAlerter {
    alerts: RefCell<Vec<AlertFacts>>,
}

impl Alerter for RecordingAlerter {
    async fn notify(&self, alert: &AlertFacts) -> Result<String, String> {
        self.alerts.borrow_mut().push(alert.clone());
        Ok("recorded".into())
    }
}

struct Quiet;

impl Logger for Quiet {
    fn log(&self, _: Level, _: &str) {}
}

/// Stops after `after` units (never, if `None`).
struct StopAfter(Option<usize>);

impl Progress for StopAfter {
    fn on_unit(&mut self, _: &UnitResult, done: usize, _: usize) -> ControlFlow<()> {
        if self.0.is_some_and(|n| done >= n) { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    }
}

fn job(extra: &str) -> TuningJob {
    let text = format!(
        "KIND = \"TuningJob\"\n[run_config]\nname = \"test run\"\n[inputs]\nKIND = \"CsvReader\"\npath = \"tests/data/diabetes/inputs.csv\"\n[targets]\nKIND = \"CsvReader\"\npath = \"tests/data/diabetes/targets.csv\"\n{extra}"
    );
    TuningJob::from_config("job.toml", &text).unwrap()
}

const RIDGE: &str = "[model]\nKIND = \"Ridge\"\n[splitter]\nKIND = \"KFoldSplitter\"\nn_splits = 3\n[searcher]\nKIND = \"GridCVSearcher\"\nparam_grid = { alpha = [0.1, 1.0, 10.0] }\n";

fn run(
    job: &TuningJob,
    tracker: &mut RecordingTracker,
    alerter: &RecordingAlerter,
    stop: Option<usize>,
) -> Result<JobReport, JobError> {
    let executor = ThreadExecutor { threads: 1 };
    let services = Services {
        source: &Files { base: Path::new(".").into() },
        executor: &executor,
        tracker,
        alerter,
        logger: &Quiet,
        progress: &mut StopAfter(stop),
        now,
    };
    pollster::block_on(job.run(services))
}

#[test]
fn a_job_runs_every_step_and_reports_to_its_services() {
    let (mut tracker, alerter) = (RecordingTracker::default(), RecordingAlerter::default());
    let report = run(&job(RIDGE), &mut tracker, &alerter, None).unwrap();
    assert_eq!(report.shape, (442, 10));
    assert_eq!(report.results.cv_results.params.len(), 3);
    assert!(report.results.refit_time.is_some(), "refit runs by default");
    assert!(!report.cancelled);
    assert!(tracker.calls[0].starts_with("start test run ("), "{:?}", tracker.calls);
    assert_eq!(tracker.calls[1], "lineage inputs:442x10,targets:442x1");
    assert_eq!(tracker.calls[2], format!("search 3 candidates, best {}", report.results.best_index));
    assert_eq!(tracker.calls[3], "finish Finished ");
    let alerts = alerter.alerts.borrow();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].title(), "Tuning Job Finished");
    assert_eq!(alerts[0].best_score, Some(report.results.best_score));
    assert!(alerts[0].text().contains(&report.results.best_score.to_string()), "{}", alerts[0].text());
    for step in 1..=9 {
        assert!(report.log.contains(&format!("[{step}/9]")), "step {step} is missing from the log:\n{}", report.log);
    }
    assert_eq!(report.tracking, Delivery::Off, "no mlflow.tracking_uri: tracking is reported off");
    assert_eq!(report.alert, Delivery::Done("recorded".into()));
}

#[test]
fn the_report_says_where_tracking_and_the_alert_went() {
    let tracked = format!("{RIDGE}[mlflow]\ntracking_uri = \"http://127.0.0.1:5000\"\n[alerts]\nenable = false\n");
    let (mut tracker, alerter) = (RecordingTracker::default(), RecordingAlerter::default());
    let report = run(&job(&tracked), &mut tracker, &alerter, None).unwrap();
    assert_eq!(report.tracking, Delivery::Done("logged".into()));
    assert_eq!(report.alert, Delivery::Off);
    assert!(alerter.alerts.borrow().is_empty(), "alerts.enable = false sends nothing");
}

/// Issue 12: a mistake found before any fit ran (here the plan's folds) sent "Tuning Job Failed".
#[test]
fn a_step_failing_before_the_search_fails_the_run_and_sends_no_alert() {
    let (mut tracker, alerter) = (RecordingTracker::default(), RecordingAlerter::default());
    let bad = job(&RIDGE.replace("n_splits = 3", "n_splits = 1000"));
    let err = run(&bad, &mut tracker, &alerter, None).unwrap_err();
    assert_eq!(err.step, "search");
    assert!(err.message.contains("n_splits = 1000 is more than the number of rows (442)"), "{err}");
    assert!(tracker.calls.last().unwrap().starts_with("finish Failed search:"), "{:?}", tracker.calls);
    assert!(alerter.alerts.borrow().is_empty(), "the search never started: no alert");
}

#[test]
fn an_unreachable_tracker_does_not_stop_the_search() {
    let (mut tracker, alerter) =
        (RecordingTracker { fail_start: true, ..Default::default() }, RecordingAlerter::default());
    let tracked = job(&format!("{RIDGE}[mlflow]\ntracking_uri = \"http://127.0.0.1:5000\"\n"));
    let report = run(&tracked, &mut tracker, &alerter, None).unwrap();
    assert!(tracker.calls.is_empty(), "no more tracking calls after a failed start");
    assert!(report.warnings[0].contains("connection refused"), "{:?}", report.warnings);
    assert_eq!(report.results.cv_results.params.len(), 3);
    let Delivery::Failed(why) = &report.tracking else { panic!("{:?}", report.tracking) };
    assert!(why.starts_with("tracking is off for this run: connection refused"), "{why}");

    // Once the server is back, the same results go to a new run.
    let mut back = RecordingTracker::default();
    let again = pollster::block_on(tracked.track_again(&report, &mut back));
    assert_eq!(again, Delivery::Done("logged".into()));
    assert_eq!(back.calls.len(), 4, "{:?}", back.calls);
    assert_eq!(back.calls[2], format!("search 3 candidates, best {}", report.results.best_index));
    assert_eq!(back.calls[3], "finish Finished ");
}

#[test]
fn cancelling_keeps_finished_units_and_kills_the_run() {
    let (mut tracker, alerter) = (RecordingTracker::default(), RecordingAlerter::default());
    let report = run(&job(RIDGE), &mut tracker, &alerter, Some(4)).unwrap();
    assert!(report.cancelled);
    let scores = &report.results.cv_results.split_test_scores;
    let finished = scores.iter().flatten().filter(|s| !s.is_nan()).count();
    assert_eq!(finished, 4, "the four finished fits are kept: {scores:?}");
    assert_eq!(tracker.calls.last().unwrap(), "finish Killed ");
    assert!(alerter.alerts.borrow().is_empty(), "no alert on cancel");
    assert_eq!(report.alert, Delivery::Off);

    // Unless asked: then the alert says it was cancelled and carries the best of what finished.
    let (mut tracker, alerter) = (RecordingTracker::default(), RecordingAlerter::default());
    let asked = job(&format!("{RIDGE}[alerts]\non_cancel = true\n"));
    let report = run(&asked, &mut tracker, &alerter, Some(4)).unwrap();
    let alerts = alerter.alerts.borrow();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].title(), "Tuning Job Cancelled");
    assert_eq!(alerts[0].best_score, Some(report.results.best_score));
    assert_eq!(report.alert, Delivery::Done("recorded".into()));
}

#[test]
fn error_score_raise_stops_at_the_first_failed_fit() {
    // 442 rows in 2 folds leave 221 training rows: too few for 300 neighbours.
    let (mut tracker, alerter) = (RecordingTracker::default(), RecordingAlerter::default());
    let knn = "[model]\nKIND = \"KNeighborsRegressor\"\n[splitter]\nKIND = \"KFoldSplitter\"\nn_splits = 2\n[searcher]\nKIND = \"GridCVSearcher\"\nparam_grid = { n_neighbors = [5, 300] }\n";
    let err = run(&job(knn), &mut tracker, &alerter, None).unwrap_err();
    assert!(err.message.contains("fit failed for candidate 1 {'n_neighbors': 300} on fold 0"), "{err}");
    assert!(err.message.contains("n_neighbors must be at most the number of training rows (221)"), "{err}");
}

#[test]
fn a_numeric_error_score_records_the_failure_and_goes_on() {
    let (mut tracker, alerter) = (RecordingTracker::default(), RecordingAlerter::default());
    let knn = "[model]\nKIND = \"KNeighborsRegressor\"\n[splitter]\nKIND = \"KFoldSplitter\"\nn_splits = 2\n[searcher]\nKIND = \"GridCVSearcher\"\nerror_score = -1e9\nparam_grid = { n_neighbors = [5, 300] }\n";
    let report = run(&job(knn), &mut tracker, &alerter, None).unwrap();
    let r = &report.results;
    assert_eq!(r.n_failed_fits, 2);
    assert_eq!(r.cv_results.mean_test_score[1], -1e9);
    assert_eq!(r.best_index, 0);
    assert!(r.cv_results.errors[1].as_deref().unwrap().contains("n_neighbors"));
    assert!(report.warnings.is_empty() && report.log.contains("2 of 4 fits failed"));
    // The log says why, so a failure is never only a number.
    let warning = report.log.lines().find(|l| l.contains("fits failed")).unwrap();
    assert!(warning.contains("candidate 1 fold") && warning.contains("n_neighbors"), "{warning}");
}

/// Issue 12: every fit failing under a numeric error_score exited 0 with a NaN "best".
#[test]
fn issue_12_all_fits_failing_fails_the_search_as_scikit_learn_does() {
    let (mut tracker, alerter) = (RecordingTracker::default(), RecordingAlerter::default());
    let knn = "[model]\nKIND = \"KNeighborsRegressor\"\n[splitter]\nKIND = \"KFoldSplitter\"\nn_splits = 2\n[searcher]\nKIND = \"GridCVSearcher\"\nerror_score = nan\nparam_grid = { n_neighbors = [300, 400] }\n";
    let err = run(&job(knn), &mut tracker, &alerter, None).unwrap_err();
    assert_eq!(err.step, "search");
    assert!(err.message.starts_with("all the 4 fits failed, so there is no best candidate"), "{err}");
    assert!(err.message.contains("n_neighbors must be at most the number of training rows (221)"), "{err}");
    assert_eq!(alerter.alerts.borrow().len(), 1, "the failure alert goes out");
}

#[test]
fn the_webhook_url_never_leaves_in_the_shareable_config() {
    let secret = "https://hooks.example.invalid/T000/SECRET";
    let j = job(&format!("{RIDGE}[alerts]\nwebhook_url = \"{secret}\"\n"));
    assert!(!j.shareable_config().contains("SECRET"));
    let (mut tracker, alerter) = (RecordingTracker::default(), RecordingAlerter::default());
    let report = run(&j, &mut tracker, &alerter, None).unwrap();
    assert!(!report.log.contains("SECRET"));
    // The shareable config is itself a valid config.
    TuningJob::from_config("shared.toml", &j.shareable_config()).unwrap();
}

/// Holds tables read before the run (as the page's data panel does) and counts
/// how often the job asks for raw bytes.
struct PreRead {
    files: Files,
    tables: std::collections::HashMap<String, tuna::io::services::SourceTable>,
    byte_reads: RefCell<usize>,
}

impl DataSource for PreRead {
    async fn read(&self, _: &str) -> Result<Vec<u8>, String> {
        *self.byte_reads.borrow_mut() += 1;
        Err("not expected".into())
    }
    fn describe(&self, path: &str) -> String {
        self.files.describe(path)
    }
    async fn read_table(
        &self,
        path: &str,
        _: Option<usize>,
        _: tuna::io::reading::FileFormat,
    ) -> Result<tuna::io::services::SourceTable, tuna::io::services::ReadError> {
        Ok(self.tables[path].clone())
    }
}

#[test]
fn a_source_that_already_read_its_tables_is_not_read_again() {
    let files = Files { base: Path::new(".").into() };
    let mut tables = std::collections::HashMap::new();
    for path in ["tests/data/diabetes/inputs.csv", "tests/data/diabetes/targets.csv"] {
        let csv = pollster::block_on(files.read_table(path, None, tuna::io::reading::FileFormat::Csv)).unwrap();
        tables.insert(path.to_string(), csv);
    }
    let source = PreRead { files, tables, byte_reads: RefCell::new(0) };
    let job = job(RIDGE);
    let (mut tracker, alerter) = (RecordingTracker::default(), RecordingAlerter::default());
    let executor = ThreadExecutor { threads: 1 };
    let services = Services {
        source: &source,
        executor: &executor,
        tracker: &mut tracker,
        alerter: &alerter,
        logger: &Quiet,
        progress: &mut StopAfter(None),
        now,
    };
    let report = pollster::block_on(job.run(services)).unwrap();
    assert_eq!(*source.byte_reads.borrow(), 0, "the job used the tables it was given");
    let plain = run(&job, &mut RecordingTracker::default(), &RecordingAlerter::default(), None).unwrap();
    assert_eq!(report.results.cv_results.mean_test_score, plain.results.cv_results.mean_test_score);
    assert_eq!(report.lineage, plain.lineage, "the same lineage, SHA-256 included");
}

/// One log of the calls a tracker, an alerter and the progress receive, in order.
struct Order<'a>(&'a RefCell<Vec<&'static str>>);

impl Tracker for Order<'_> {
    async fn start(&mut self, _: &RunStart) -> Result<(), String> {
        Ok(())
    }
    async fn log_lineage(&mut self, _: &[Lineage]) -> Result<(), String> {
        Ok(())
    }
    async fn log_search(&mut self, _: &tuna::SearchResults, _: &str) -> Result<(), String> {
        self.0.borrow_mut().push("log_search");
        Ok(())
    }
    async fn finish(&mut self, _: RunStatus, _: Option<&str>) -> Result<(), String> {
        self.0.borrow_mut().push("finish");
        Ok(())
    }
}

impl Alerter for Order<'_> {
    async fn notify(&self, _: &AlertFacts) -> Result<String, String> {
        self.0.borrow_mut().push("alert");
        Ok("recorded".into())
    }
}

impl Progress for Order<'_> {
    fn on_unit(&mut self, _: &UnitResult, _: usize, _: usize) -> ControlFlow<()> {
        ControlFlow::Continue(())
    }
    fn on_results(&mut self, results: &tuna::SearchResults, cancelled: bool) {
        assert!(!cancelled && results.best_score.is_finite());
        self.0.borrow_mut().push("results");
    }
}

/// Issue 12: the CLI wrote its results files only after a slow tracking server and webhook.
#[test]
fn the_final_results_reach_the_front_end_before_tracking_and_the_alert() {
    let calls = RefCell::new(Vec::new());
    let job = job(&format!("{RIDGE}[mlflow]\ntracking_uri = \"http://127.0.0.1:5000\"\n"));
    let services = Services {
        source: &Files { base: Path::new(".").into() },
        executor: &ThreadExecutor { threads: 1 },
        tracker: &mut Order(&calls),
        alerter: &Order(&calls),
        logger: &Quiet,
        progress: &mut Order(&calls),
        now,
    };
    pollster::block_on(job.run(services)).unwrap();
    assert_eq!(*calls.borrow(), ["results", "log_search", "alert", "finish"]);
}
