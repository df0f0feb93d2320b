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

use super::browser::{InMemory, LogLine, Picked, SignalLogger, SignalProgress, hardware_concurrency, now};
use super::fetch_http::FetchHttp;
use super::format::format_number;
use super::notify::{PageAlerter, Toast};
use super::pool::{CancelHandle, WorkerPool};
use super::reporting::{Credentials, DeliveryStatus, REQUEST_TIMEOUT_MS};
use super::state::{LiveSearch, ParsedConfig, ReadFiles, Run, RunState, live_cell};
use crate::io::alerts::WebhookAlerter;
use crate::io::config::{ConfigError, JobConfig};
use crate::jobs::tuning::{Services, TuningJob};

/// The run panel.
#[component]
pub fn RunPanel(
    /// The job to run.
    config: ParsedConfig,
    /// The data to run it on.
    files: ReadFiles,
    /// The run, which this panel starts and ends.
    run: RwSignal<Run>,
    /// The job's log, emptied at each Run.
    log: WriteSignal<Vec<LogLine>>,
    /// For MLflow behind authentication.
    credentials: Credentials,
    /// The alert, when the browser may not notify.
    toast: WriteSignal<Option<Toast>>,
) -> impl IntoView {
    let cancel = CancelHandle::default();
    let pool = Rc::new(WorkerPool::new(cancel.clone()));
    // Workers load their wasm while the person picks the rest; a failure here shows again at Run.
    Effect::new({
        let pool = Rc::clone(&pool);
        move |_| {
            if files.inputs.with(Option::is_some) {
                let _ = pool.resize(config.with_untracked(workers_for));
            }
        }
    });
    // A ticking clock while running, so elapsed time and the estimate move between
    // units; it also draws units that finished since the last redraw.
    let clock = RwSignal::new(now());
    let tick = set_interval_with_handle(
        move || {
            if run.with_untracked(Run::is_running) {
                clock.set(now());
                run.notify();
            }
        },
        Duration::from_secs_f64(SignalProgress::REDRAW_S),
    );
    on_cleanup(move || {
        if let Ok(handle) = tick {
            handle.clear();
        }
    });
    // The run changes at every redraw while running: what shows only on a
    // change of state re-renders only then.
    let state = Memo::new(move |_| run.with(Run::state));
    let error = Memo::new(move |_| run.with(|r| r.error().map(str::to_string)));
    let shows_live_table = Memo::new(move |_| run.with(Run::shows_live_table));
    let running = move || state.get() == RunState::Running;
    let outlets = Outlets { log, credentials, toast };
    let start = move |_| start(config, files, run, outlets, Rc::clone(&pool));

    view! {
        <section class="panel run">
            <div class="run-bar">
                <button data-testid="run-button" on:click=start disabled=running>"Run"</button>
                <button class="secondary" data-testid="cancel-button" on:click=move |_| cancel.cancel() disabled=move || !running()>
                    "Cancel"
                </button>
                <div data-testid="progress" data-state=move || state.get().as_str() class="progress">
                    <progress max="1" value=move || run.with(Run::fraction)></progress>
                    <span class="badge state">{move || state.get().label()}</span>
                    <span>{move || run.with(|r| r.summary(clock.get()))}</span>
                </div>
            </div>
            {move || {
                (state.get() == RunState::Cancelled)
                    .then(|| view! {
                        <p class="hint">"Cancelled: the results below keep every fit that finished; the others show —."</p>
                    })
            }}
            {move || error.get().map(|e| view! { <p class="error" data-testid="error">{e}</p> })}
            <DeliveryStatus config=config run=run credentials=credentials/>
            {move || shows_live_table.get().then(|| view! { <LiveTable run=run.read_only()/> })}
        </section>
    }
}

/// Where a job started here goes besides the run: its log lines, MLflow
/// (with the typed credentials) and the toast.
#[derive(Clone, Copy)]
struct Outlets {
    log: WriteSignal<Vec<LogLine>>,
    credentials: Credentials,
    toast: WriteSignal<Option<Toast>>,
}

/// Starts the job in the config editor on the picked files.
fn start(config: ParsedConfig, files: ReadFiles, run: RwSignal<Run>, outlets: Outlets, pool: Rc<WorkerPool>) {
    let Outlets { log, credentials, toast } = outlets;
    log.set(Vec::new());
    let job = match config.get_untracked() {
        Ok(job) => job,
        Err(e) => {
            run.set(Run::refused(format!("the config has an error, so nothing ran: {e}")));
            return;
        }
    };
    // Picked files stand in for the paths written in the config.
    let mut sources: HashMap<String, Picked> = HashMap::new();
    let [inputs, targets] = [files.inputs, files.targets].map(|slot| {
        slot.with_untracked(|loaded| {
            let loaded = loaded.as_ref()?;
            let mut name = loaded.name.clone();
            // Two different files with one name (from two folders): keep both.
            if sources.get(&name).is_some_and(|picked| *picked.bytes != *loaded.bytes) {
                name = format!("targets/{name}");
            }
            let table = loaded.table.as_ref().ok().map(Arc::clone);
            sources.insert(name.clone(), Picked { bytes: Arc::clone(&loaded.bytes), table });
            Some(name)
        })
    });
    let job = job.reading(inputs, targets);
    let workers = workers_of(job.config());
    run.set(Run::start(job.clone(), now()));
    if let Err(e) = pool.resize(workers) {
        run.update(|r| r.end(Err(format!("{e}; this browser may not allow Web Workers here")), now()));
        return;
    }
    spawn_local(async move {
        let source = InMemory(sources);
        let logger = SignalLogger(log);
        let http = FetchHttp { timeout_ms: REQUEST_TIMEOUT_MS };
        let webhook =
            WebhookAlerter { http: &http, config: job.config().alerts.clone(), in_browser: true, logger: &logger };
        let alerter = PageAlerter { webhook, toast };
        let mut progress = SignalProgress::new(run);
        // No tracker (None) when tracking is off: the job's calls to it then do nothing.
        let mlflow = &job.config().mlflow;
        let mut tracker = (!mlflow.tracking_uri.trim().is_empty()).then(|| credentials.tracker(&http, mlflow));
        let services = Services {
            source: &source,
            executor: &*pool,
            tracker: &mut tracker,
            alerter: &alerter,
            logger: &logger,
            progress: &mut progress,
            now,
        };
        let outcome = job.run(services).await;
        run.update(|r| r.end(outcome.map_err(|e| e.to_string()), now()));
    });
}

/// Web Workers for a job: its `n_jobs`, 0 meaning one per hardware thread.
fn workers_of(config: &JobConfig) -> usize {
    match config.searcher.settings().n_jobs {
        0 => hardware_concurrency(),
        n => n,
    }
}

/// Web Workers for the config, or one per hardware thread while it does not parse.
fn workers_for(config: &Result<TuningJob, ConfigError>) -> usize {
    config.as_ref().map_or_else(|_| hardware_concurrency(), |job| workers_of(job.config()))
}

/// Each candidate's fold scores as they finish, and the mean so far.
#[component]
fn LiveTable(run: ReadSignal<Run>) -> impl IntoView {
    let n_folds = Memo::new(move |_| run.with(|r| r.live().map_or(0, LiveSearch::n_folds)));
    let n_candidates = Memo::new(move |_| run.with(|r| r.live().map_or(0, |l| l.candidates.len())));
    view! {
        <div class="scroll">
            <table class="live" data-testid="live-table">
                <thead>
                    <tr>
                        <th class="num">"#"</th>
                        <th>"params"</th>
                        {move || (0..n_folds.get()).map(|k| view! { <th class="num">{format!("split{k}")}</th> }).collect_view()}
                        <th class="num">"mean so far"</th>
                    </tr>
                </thead>
                <tbody>
                    <For each=move || 0..n_candidates.get() key=|c| *c let:c>
                        <LiveRowView candidate=c run=run/>
                    </For>
                </tbody>
            </table>
        </div>
    }
}

/// One candidate's live row; it re-renders only when its own scores change.
#[component]
fn LiveRowView(candidate: usize, run: ReadSignal<Run>) -> impl IntoView {
    let row = Memo::new(move |_| run.with(|r| r.live().and_then(|l| l.row(candidate))));
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
