//! The command line: argument parsing and native services.
//!
//! Parses arguments, loads the config, runs `TuningJob::run` with native
//! services (files, threads, stderr), writes the results. Exit codes: 0 done,
//! 1 the job failed, 2 the command line or config is wrong, 130 stopped by
//! Ctrl+C or SIGTERM.

use std::io::IsTerminal;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use strum::VariantNames;
use tuna::SearchResults;
use tuna::core::catalog::{Family, describe};
use tuna::core::metrics::MetricName;
use tuna::core::models::Estimator;
use tuna::core::params::params_to_python;
use tuna::core::preprocess::{Preprocess, Step};
use tuna::core::results::UnitResult;
use tuna::core::searchers::{Distribution, SearcherKind};
use tuna::core::splitters::SplitterKind;
use tuna::io::alerts::WebhookAlerter;
use tuna::io::config::{AlertFormat, Level};
use tuna::io::files::Files;
use tuna::io::mlflow::{MlflowAuth, MlflowTracker, system_now_ms};
use tuna::io::native_http::NativeHttp;
use tuna::io::services::{Logger, Progress, Tracker};
use tuna::jobs::threads::{ThreadExecutor, now};
use tuna::jobs::tuning::{Services, TuningJob, score_name};

use crate::interrupt::{self, Interrupt};
use crate::results_files::ResultsFiles;

/// Hyperparameter tuning with scikit-learn's semantics.
#[derive(Parser)]
#[command(name = "tuna", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a tuning job: read the data, search the grid, print the best params,
    /// write the results JSON and cv_results.csv.
    Run {
        /// The job config (TOML, or JSON/YAML with a .json/.yaml name). Paths
        /// in it are relative to its folder.
        config: PathBuf,
        /// Where to write the results JSON; cv_results.csv goes beside it.
        #[arg(long, default_value = "results.json")]
        out: PathBuf,
        /// Threads to use (0: one per hardware thread). Overrides searcher.n_jobs.
        #[arg(long)]
        jobs: Option<usize>,
    },
    /// Check a config and its data without running the search.
    Validate {
        /// The job config.
        config: PathBuf,
    },
    /// List every KIND (models, splitters, searchers, metrics) with its settings and defaults.
    Kinds,
}

/// Parses the arguments and runs the command.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Run { config, out, jobs } => run(&config, &out, jobs),
        Command::Validate { config } => validate(&config),
        Command::Kinds => {
            print_kinds();
            ExitCode::SUCCESS
        }
    }
}

/// Log lines to stderr.
struct Stderr;

impl Logger for Stderr {
    fn log(&self, level: Level, message: &str) {
        eprintln!("{}: {message}", level.as_str());
    }
}

/// Progress on stderr (a line at the first fit and every 10%, or a live line
/// on a terminal); cancels the search once interrupted; writes the results
/// files as soon as the results are final.
struct CliProgress<'a> {
    started: f64,
    last_tenth: usize,
    live: bool,
    interrupt: &'a Interrupt,
    files: &'a ResultsFiles,
    /// Whether the files were written, once the job's results were final.
    written: Option<Result<(), String>>,
}

impl Progress for CliProgress<'_> {
    fn on_unit(&mut self, _: &UnitResult, done: usize, total: usize) -> ControlFlow<()> {
        let elapsed = now() - self.started;
        let eta = elapsed / done as f64 * (total - done) as f64;
        let line = format!("fits {done}/{total} ({}%), elapsed {elapsed:.1} s, ETA {eta:.1} s", done * 100 / total);
        let tenth = done * 10 / total;
        if self.live {
            eprint!("\r{line}   ");
            if done == total {
                eprintln!();
            }
        } else if tenth > self.last_tenth || done == 1 || done == total {
            eprintln!("{line}");
        }
        self.last_tenth = tenth;
        if self.interrupt.requested() { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    }

    /// The files hold nothing known only later (no tracking link, no alert
    /// delivery), so this is their only write.
    fn on_results(&mut self, results: &SearchResults, cancelled: bool) {
        self.written = Some(self.files.write(results, cancelled));
    }
}

/// Reads and parses a config, or says why not (exit code 2).
fn load(config: &Path) -> Result<(TuningJob, Files), ExitCode> {
    let text = std::fs::read_to_string(config).map_err(|e| {
        eprintln!("error: cannot read {}: {e}", config.display());
        ExitCode::from(2)
    })?;
    let job = TuningJob::from_config(&config.display().to_string(), &text).map_err(|e| {
        eprintln!("error: {e}");
        ExitCode::from(2)
    })?;
    // Everything the config says is checked here, so a mistake in any part of
    // it (an unknown model KIND as much as an unknown splitter KIND) exits 2.
    let files = Files::beside(config);
    pollster::block_on(job.check(&files)).map_err(|e| {
        eprintln!("error: {e}");
        ExitCode::from(2)
    })?;
    Ok((job, files))
}

fn run(config: &Path, out: &Path, jobs: Option<usize>) -> ExitCode {
    let (job, files) = match load(config) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let outputs = ResultsFiles::at(out);
    if let Err(e) = outputs.remove_earlier() {
        eprintln!("error: {e}");
        return ExitCode::from(1);
    }
    let interrupt = Interrupt::install();
    let threads = jobs.unwrap_or(job.config().searcher.settings().n_jobs);
    let executor = ThreadExecutor { threads };
    let mut progress = CliProgress {
        started: now(),
        last_tenth: 0,
        live: std::io::stderr().is_terminal(),
        interrupt: &interrupt,
        files: &outputs,
        written: None,
    };
    // Webhooks and MLflow get 10 s a request: a slow server must not hold the job's results.
    let http = NativeHttp::new(std::time::Duration::from_secs(10));
    let alerter =
        WebhookAlerter { http: &http, config: job.config().alerts.clone(), in_browser: false, logger: &Stderr };
    // Credentials come from MLflow's own variables, never from the config.
    let mut tracker = (!job.config().mlflow.tracking_uri.trim().is_empty()).then(|| {
        MlflowTracker::new(&http, &job.config().mlflow, system_now_ms)
            .with_auth(MlflowAuth::from_env(|name| std::env::var(name).ok()))
            .with_source(&format!("tuna run {}", config.display()), "LOCAL")
    });
    let services = Services {
        source: &files,
        executor: &executor,
        tracker: &mut tracker,
        alerter: &alerter,
        logger: &Stderr,
        progress: &mut progress,
        now,
    };
    let outcome = pollster::block_on(job.run(services));
    let run_link = tracker.run_link();
    let report = match outcome {
        Ok(report) => report,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    let results = &report.results;
    let written = progress.written.take().unwrap_or_else(|| outputs.write(results, report.cancelled));
    if let Err(e) = written {
        eprintln!("error: {e}");
        return ExitCode::from(1);
    }
    println!("best {} = {}", score_name(&report.metric), results.best_score);
    println!("best params: {}", params_to_python(&results.best_params));
    if let Some(score) = results.best_estimator_oob_score {
        println!("best estimator's oob_score_ = {score} (refit on every row)");
    }
    if let Some(n) = results.best_estimator_n_estimators {
        println!("best estimator's n_estimators_ = {n} (stages kept by early stopping in the refit)");
    }
    println!("wrote {} and {}", outputs.json.display(), outputs.csv.display());
    if let Some(link) = run_link {
        println!("MLflow run: {link}");
    }
    if report.cancelled || interrupt.requested() {
        return ExitCode::from(interrupt::EXIT_CODE);
    }
    ExitCode::SUCCESS
}

fn validate(config: &Path) -> ExitCode {
    let (job, files) = match load(config) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    match pollster::block_on(job.validate(&files, &Stderr)) {
        Ok(prepared) => {
            println!(
                "{} is valid: {} rows x {} features, {} candidates x {} folds = {} fits",
                config.display(),
                prepared.data.n_rows(),
                prepared.data.n_features(),
                prepared.plan.candidates.len(),
                prepared.plan.folds.len(),
                prepared.plan.units().len()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

/// Every KIND of every family, read off the catalog (`tuna::core::catalog`).
fn print_kinds() {
    fn section<F: Family>(title: &str) {
        println!("{title}");
        for line in describe::<F>() {
            println!("  {line}");
        }
    }
    section::<Estimator>("Models ([model] KIND = scikit-learn class name), with their hyperparameters and defaults:");
    println!("\nMetrics ([metric] KIND = \"SklearnMetric\", name = one of; scores are greater-is-better):");
    for (classification, title) in [(false, "regression"), (true, "classification")] {
        let names: Vec<&str> =
            MetricName::all().filter(|m| m.is_classification() == classification).map(|m| m.as_str()).collect();
        println!("  {title:15} {}", names.join(", "));
    }
    section::<Preprocess>("\nPreprocessing ([preprocess], optional; fitted on each training fold):");
    section::<Step>(
        "\nPreprocess steps ([[preprocess.transformers]] steps = [...], in a KIND = \"ColumnTransformer\" [preprocess]; or steps = \"passthrough\"):",
    );
    section::<SplitterKind>("\nSplitters ([splitter]; test_size is a row count or a fraction):");
    section::<SearcherKind>("\nSearchers ([searcher]; param_grid may also be a list of grids):");
    println!(
        "  param_distributions values: a list to pick from, or {{ distribution = {}, low, high }}",
        Distribution::VARIANTS.iter().map(|d| format!("\"{d}\"")).collect::<Vec<_>>().join(" | ")
    );
    println!("\nAlert formats (alerts.format): {}", AlertFormat::VARIANTS.join(", "));
}
