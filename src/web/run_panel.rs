//! The run panel: Run and Cancel, progress (fits done, elapsed, estimate),
//! and each candidate's fold scores as they finish.
//!
//! Run is `TuningJob::run`, the CLI's code, with a pool of Web Workers as
//! its executor, the picked files as its data source, and MLflow and
//! webhooks over `fetch`; the main thread only receives results.

use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::app::{Config, Files, Run};
use super::browser::{InMemory, Picked, SignalLogger, SignalProgress, hardware_concurrency, now};
use super::fetch_http::FetchHttp;
use super::format::format_number;
use super::notify::PageAlerter;
use super::pool::{CancelHandle, WorkerPool};
use super::reporting::{DeliveryStatus, REQUEST_TIMEOUT_MS, Reporting};
use super::state::{LiveSearch, RunState, live_cell};
use crate::io::alerts::WebhookAlerter;
use crate::io::config::ReaderKind;
use crate::io::services::{NoTracker, Tracker};
use crate::jobs::tuning::{JobError, JobReport, Services, TuningJob};

/// The run panel.
#[component]
pub fn RunPanel(config: Config, files: Files, run: Run, reporting: Reporting) -> impl IntoView {
    let cancel = CancelHandle::default();
    let pool = Rc::new(WorkerPool::new(cancel.clone()));
    // Workers load their wasm while the person picks the rest; a failure here shows again at Run.
    Effect::new({
        let pool = Rc::clone(&pool);
        move |_| {
            if files.inputs.with(Option::is_some) {
                let _ = pool.resize(workers_for(&config.text.get_untracked()));
            }
        }
    });
    // A ticking clock while running, so elapsed time and the estimate move between
    // units; it also draws units that finished since the last redraw.
    let clock = RwSignal::new(now());
    let tick = set_interval_with_handle(
        move || {
            if run.state.get_untracked() == RunState::Running {
                clock.set(now());
                run.live.notify();
            }
        },
        Duration::from_secs_f64(SignalProgress::REDRAW_S),
    );
    on_cleanup(move || {
        if let Ok(handle) = tick {
            handle.clear();
        }
    });
    let running = move || run.state.get() == RunState::Running;
    let start = move |_| start(config, files, run, reporting, Rc::clone(&pool));
    let state_text = move || match run.state.get() {
        RunState::Idle => "ready",
        RunState::Running => "running",
        RunState::Done => "done",
        RunState::Cancelled => "cancelled",
        RunState::Failed => "failed",
    };

    view! {
        <section class="panel run">
            <div class="run-bar">
                <button data-testid="run-button" on:click=start disabled=running>"Run"</button>
                <button class="secondary" data-testid="cancel-button" on:click=move |_| cancel.cancel() disabled=move || !running()>
                    "Cancel"
                </button>
                <div data-testid="progress" data-state=move || run.state.get().as_str() class="progress">
                    <progress max="1" value=move || run.live.with(LiveSearch::fraction)></progress>
                    <span class="badge state">{state_text}</span>
                    <span>
                        {move || match run.state.get() {
                            RunState::Idle => "Pick the data and a job, then press Run.".to_string(),
                            _ => run.live.with(|l| l.summary(clock.get())),
                        }}
                    </span>
                </div>
            </div>
            {move || {
                (run.state.get() == RunState::Cancelled)
                    .then(|| view! {
                        <p class="hint">"Cancelled: the results below keep every fit that finished; the others show —."</p>
                    })
            }}
            {move || run.error.get().map(|e| view! { <p class="error" data-testid="error">{e}</p> })}
            <DeliveryStatus config=config run=run reporting=reporting/>
            // While running, and after a failure the fits that had finished (no report then).
            {move || {
                let failed_midway = run.state.get() == RunState::Failed && run.live.with(|l| l.done > 0);
                (running() || failed_midway).then(|| view! { <LiveTable live=run.live/> })
            }}
        </section>
    }
}

/// Starts the job in the config editor on the picked files.
fn start(config: Config, files: Files, run: Run, reporting: Reporting, pool: Rc<WorkerPool>) {
    run.error.set(None);
    run.report.set(None);
    run.log.set(Vec::new());
    run.live.set(LiveSearch::default());
    let mut job = match TuningJob::from_config("config", &config.text.get_untracked()) {
        Ok(job) => job,
        Err(e) => {
            run.state.set(RunState::Failed);
            run.error.set(Some(format!("the config has an error, so nothing ran: {e}")));
            return;
        }
    };
    // Picked files stand in for the paths written in the config.
    let mut sources: HashMap<String, Picked> = HashMap::new();
    for (slot, reader) in [(files.inputs, &mut job.config.inputs), (files.targets, &mut job.config.targets)] {
        let ReaderKind::CsvReader(reader) = reader;
        slot.with_untracked(|loaded| {
            if let Some(loaded) = loaded {
                let mut name = loaded.name.clone();
                // Two different files with one name (from two folders): keep both.
                if sources.get(&name).is_some_and(|picked| *picked.bytes != *loaded.bytes) {
                    name = format!("targets/{name}");
                }
                reader.path = name.clone();
                let table = loaded.table.as_ref().ok().map(Arc::clone);
                sources.insert(name, Picked { bytes: Arc::clone(&loaded.bytes), table });
            }
        });
    }
    let workers = workers_of(&job);
    let candidates = job.config.searcher.candidates().unwrap_or_default();
    run.live.set(LiveSearch::new(candidates, now()));
    run.job.set(Some(job.clone()));
    run.state.set(RunState::Running);
    if let Err(e) = pool.resize(workers) {
        run.state.set(RunState::Failed);
        run.error.set(Some(format!("{e}; this browser may not allow Web Workers here")));
        return;
    }
    spawn_local(async move {
        let source = InMemory(sources);
        let logger = SignalLogger(run.log);
        let http = FetchHttp { timeout_ms: REQUEST_TIMEOUT_MS };
        let webhook =
            WebhookAlerter { http: &http, config: job.config.alerts.clone(), in_browser: true, logger: &logger };
        let alerter = PageAlerter { webhook, toast: reporting.toast };
        let mut progress = SignalProgress::new(run.live);
        let page = Page { source: &source, pool: &pool, alerter: &alerter, logger: &logger, progress: &mut progress };
        let outcome = if job.config.mlflow.tracking_uri.trim().is_empty() {
            page.run(&job, &mut NoTracker).await
        } else {
            let mut tracker = reporting.tracker(&http, &job.config.mlflow);
            page.run(&job, &mut tracker).await
        };
        run.live.update(|l| l.finished = Some(now()));
        // The report first: whoever sees the new state finds the results there.
        match outcome {
            Ok(report) => {
                let state = if report.cancelled { RunState::Cancelled } else { RunState::Done };
                run.report.set(Some(report));
                run.state.set(state);
            }
            Err(e) => {
                run.error.set(Some(e.to_string()));
                run.state.set(RunState::Failed);
            }
        }
    });
}

/// Web Workers for `job`: its `n_jobs`, 0 meaning one per hardware thread.
fn workers_of(job: &TuningJob) -> usize {
    match job.config.searcher.settings().n_jobs {
        0 => hardware_concurrency(),
        n => n,
    }
}

/// Web Workers for the config text, or one per hardware thread while it does not parse.
fn workers_for(config: &str) -> usize {
    TuningJob::from_config("config", config).map_or_else(|_| hardware_concurrency(), |job| workers_of(&job))
}

/// The page's services other than the tracker, which is MLflow's only when
/// tracking is on.
struct Page<'a> {
    source: &'a InMemory,
    pool: &'a WorkerPool,
    alerter: &'a PageAlerter<'a>,
    logger: &'a SignalLogger,
    progress: &'a mut SignalProgress,
}

impl Page<'_> {
    async fn run<T: Tracker>(self, job: &TuningJob, tracker: &mut T) -> Result<JobReport, JobError> {
        let services = Services {
            source: self.source,
            executor: self.pool,
            tracker,
            alerter: self.alerter,
            logger: self.logger,
            progress: self.progress,
            now,
        };
        job.run(services).await
    }
}

/// Each candidate's fold scores as they finish, and the mean so far.
#[component]
fn LiveTable(live: RwSignal<LiveSearch>) -> impl IntoView {
    let n_folds = move || live.with(LiveSearch::n_folds);
    let n_candidates = move || live.with(|l| l.candidates.len());
    view! {
        <div class="scroll">
            <table class="live" data-testid="live-table">
                <thead>
                    <tr>
                        <th class="num">"#"</th>
                        <th>"params"</th>
                        {move || (0..n_folds()).map(|k| view! { <th class="num">{format!("split{k}")}</th> }).collect_view()}
                        <th class="num">"mean so far"</th>
                    </tr>
                </thead>
                <tbody>
                    <For each=move || 0..n_candidates() key=|c| *c let:c>
                        <LiveRowView candidate=c live=live/>
                    </For>
                </tbody>
            </table>
        </div>
    }
}

/// One candidate's live row; it re-renders only when its own scores change.
#[component]
fn LiveRowView(candidate: usize, live: RwSignal<LiveSearch>) -> impl IntoView {
    let row = Memo::new(move |_| live.with(|l| l.row(candidate)));
    move || {
        row.get().map(|r| {
            let complete = !r.folds.is_empty() && r.folds.iter().all(Option::is_some);
            view! {
                <tr class:complete=complete>
                    <td class="num">{candidate}</td>
                    <td class="params">{r.params}</td>
                    {r
                        .folds
                        .into_iter()
                        .map(|s| view! { <td class="num" class:pending=s.is_none()>{live_cell(s)}</td> })
                        .collect_view()}
                    <td class="num mean">{r.mean.map(format_number).unwrap_or_else(|| "·".into())}</td>
                </tr>
            }
        })
    }
}
