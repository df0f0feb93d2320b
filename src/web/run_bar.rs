//! The run bar: Run, Cancel and the progress, sticky at the top of the page
//! so they are in view wherever the person is; Ctrl+Enter (⌘+Enter) runs.
//!
//! Run is enabled only when the job can start (`state::blocker`): otherwise
//! it is disabled with the reason beside it, linked with
//! `aria-describedby`, and a button that shows the panel with the error.
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
use super::notify::{PageAlerter, Toast};
use super::pool::{CancelHandle, WorkerPool};
use super::reporting::{Credentials, REQUEST_TIMEOUT_MS};
use super::state::{Blocker, Config, Inputs, PairCheck, ReadFiles, Run, RunState, blocker};
use crate::io::alerts::WebhookAlerter;
use crate::io::config::{ConfigError, JobConfig};
use crate::jobs::tuning::{Services, TuningJob};

/// The run bar.
#[component]
pub fn RunBar(
    /// The job to run.
    config: Config,
    /// The data to run it on.
    files: ReadFiles,
    /// The data's check against the job.
    pair: PairCheck,
    /// The run, which this bar starts and ends.
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
                let _ = pool.resize(config.parsed.with_untracked(workers_for));
            }
        }
    });
    // A failed run's error belongs to the job and files it ran on: it goes
    // once the person changes either (the panels then show their own checks).
    Effect::watch(
        move || (config.text.track(), files.inputs.track(), files.targets.track()),
        move |_, _, _| {
            if run.with_untracked(|r| r.state() == RunState::Failed) {
                run.set(Run::Idle);
            }
        },
        false,
    );
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
    let running = move || state.get() == RunState::Running;
    let blocked = Memo::new(move |_| {
        config.status.with(|status| {
            files.inputs.with(|inputs| {
                files.targets.with(|targets| {
                    pair.with(|pair| {
                        let (inputs, targets, pair) = (inputs.as_ref(), targets.as_ref(), pair.as_ref());
                        blocker(&Inputs { status, inputs, targets, pair, loading: files.loading.get() })
                    })
                })
            })
        })
    });
    let outlets = Outlets { log, credentials, toast };
    let start = move || {
        if !running() && blocked.with_untracked(Option::is_none) {
            start(config, files, run, outlets, Rc::clone(&pool));
        }
    };
    let start_on_click = start.clone();
    let shortcut = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) {
            ev.prevent_default();
            start();
        }
    });
    on_cleanup(move || shortcut.remove());

    view! {
        <div class="run-bar" data-testid="run-bar" role="region" aria-label="Run">
            <button
                data-testid="run-button"
                title="Run the job (Ctrl+Enter)"
                aria-keyshortcuts="Control+Enter Meta+Enter"
                aria-describedby="run-reason"
                on:click=move |_| start_on_click()
                disabled=move || running() || blocked.with(Option::is_some)
            >
                "Run"
            </button>
            <button class="secondary" data-testid="cancel-button" on:click=move |_| cancel.cancel() disabled=move || !running()>
                "Cancel"
            </button>
            <div data-testid="progress" data-state=move || state.get().as_str() class="progress">
                <progress max="1" value=move || run.with(Run::fraction) aria-label="fits done"></progress>
                <span class="badge state">{move || state.get().label()}</span>
                <span>{move || run.with(|r| r.summary(clock.get()))}</span>
            </div>
            <div class="run-reason" aria-live="polite">
                {move || blocked.get().filter(|_| !running()).map(|b| view! { <BlockerView blocker=b/> })}
            </div>
        </div>
    }
}

/// Why Run is disabled, and a button to the panel that shows the error.
#[component]
fn BlockerView(blocker: Blocker) -> impl IntoView {
    let show = blocker.panel.map(|panel| {
        let reveal = move |_| {
            let element = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(panel.id()));
            if let Some(element) = element {
                element.scroll_into_view();
            }
        };
        view! { " " <button type="button" class="secondary small" data-testid="run-reason-show" on:click=reveal>"Show"</button> }
    });
    view! { <span id="run-reason" data-testid="run-reason">{blocker.reason}</span> {show} }
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
fn start(config: Config, files: ReadFiles, run: RwSignal<Run>, outlets: Outlets, pool: Rc<WorkerPool>) {
    let Outlets { log, credentials, toast } = outlets;
    log.set(Vec::new());
    let job = match config.parsed.get_untracked() {
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
            if sources.get(&name).is_some_and(|picked| picked.file != *loaded.file.0) {
                name = format!("targets/{name}");
            }
            let table = loaded.table.as_ref().ok().map(Arc::clone);
            sources.insert(name.clone(), Picked { file: (*loaded.file.0).clone(), table });
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
