//! The page: data, job, run, results and log panels.
//!
//! Components wire signals to the plain state in `state` and the services in
//! `browser`; the job itself is `TuningJob::run`, the same code as the CLI's,
//! with a pool of Web Workers as its executor. Everything from data and config
//! is rendered as text nodes (never as HTML).

use std::collections::HashMap;

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use super::browser::{InMemory, LogLine, SignalLogger, SignalProgress, fetch_bytes, file_bytes, now};
use super::pool::{CancelHandle, WorkerPool};
use super::state::{LiveSearch, Preview, RunState, format_number, results_table};
use crate::core::params::params_to_python;
use crate::io::services::{LogAlerter, NoTracker};
use crate::jobs::tuning::{JobReport, Services, TuningJob, score_name};

/// The job shown on first load: the bundled regression demo.
pub const DEFAULT_CONFIG: &str = include_str!("../../www/demos/regression.toml");

/// A picked (or demo) file: its name and bytes.
#[derive(Clone, PartialEq)]
struct Picked {
    name: String,
    bytes: std::sync::Arc<Vec<u8>>,
}

/// The whole page.
#[component]
pub fn App() -> impl IntoView {
    let config = RwSignal::new(DEFAULT_CONFIG.to_string());
    let inputs = RwSignal::new(None::<Picked>);
    let targets = RwSignal::new(None::<Picked>);
    let run_state = RwSignal::new(RunState::Idle);
    let live = RwSignal::new(LiveSearch::default());
    let report = RwSignal::new(None::<JobReport>);
    let error = RwSignal::new(None::<String>);
    let log = RwSignal::new(Vec::<LogLine>::new());
    let cancel = CancelHandle::default();
    let clock = RwSignal::new(0.0);

    let load_demo = move |_| {
        spawn_local(async move {
            for (slot, file) in [(inputs, "randhie_inputs.csv"), (targets, "randhie_targets.csv")] {
                match fetch_bytes(&format!("./demos/{file}")).await {
                    Ok(bytes) => slot.set(Some(Picked { name: file.to_string(), bytes: bytes.into() })),
                    Err(e) => error.set(Some(e)),
                }
            }
            config.set(DEFAULT_CONFIG.to_string());
        });
    };

    let cancel_for_run = cancel.clone();
    let run = move |_| {
        error.set(None);
        report.set(None);
        log.set(Vec::new());
        let text = config.get_untracked();
        let mut job = match TuningJob::from_config("config", &text) {
            Ok(job) => job,
            Err(e) => {
                error.set(Some(e.to_string()));
                return;
            }
        };
        // Picked files stand in for the paths written in the config.
        let mut files = HashMap::new();
        for (picked, reader) in [(inputs, &mut job.config.inputs), (targets, &mut job.config.targets)] {
            if let Some(p) = picked.get_untracked() {
                let crate::io::config::ReaderKind::CsvReader(r) = reader;
                r.path = p.name.clone();
                files.insert(p.name.clone(), (*p.bytes).clone());
            }
        }
        let workers = match job.config.searcher.settings().n_jobs {
            0 => web_sys::window().map(|w| w.navigator().hardware_concurrency() as usize).unwrap_or(2).max(1),
            n => n,
        };
        run_state.set(RunState::Running);
        live.set(LiveSearch::new(0, now()));
        let cancel = cancel_for_run.clone();
        spawn_local(async move {
            let source = InMemory(files);
            let pool = WorkerPool { workers, cancel };
            let logger = SignalLogger(log);
            let alerter = LogAlerter(&logger);
            let mut progress = SignalProgress(live);
            let services = Services {
                source: &source,
                executor: &pool,
                tracker: &mut NoTracker,
                alerter: &alerter,
                logger: &logger,
                progress: &mut progress,
                now,
            };
            match job.run(services).await {
                Ok(r) => {
                    run_state.set(if r.cancelled { RunState::Cancelled } else { RunState::Done });
                    report.set(Some(r));
                }
                Err(e) => {
                    run_state.set(RunState::Failed);
                    error.set(Some(e.to_string()));
                }
            }
        });
    };

    // A ticking clock while running, so elapsed time and ETA move between units.
    let tick =
        leptos::prelude::set_interval_with_handle(move || clock.set(now()), std::time::Duration::from_millis(500));
    on_cleanup(move || {
        if let Ok(handle) = tick {
            handle.clear();
        }
    });

    view! {
        <header class="top">
            <h1>"Tuna"</h1>
            <p class="tagline">"Hyperparameter tuning in your browser. Your data stays on this machine."</p>
        </header>
        <main class="panels">
            <section class="panel data">
                <h2>"Data"</h2>
                <FilePicker label="Inputs CSV" testid="inputs-file" slot=inputs error=error/>
                <FilePicker label="Targets CSV" testid="targets-file" slot=targets error=error/>
                <button class="secondary" data-testid="demo-button" on:click=load_demo>"Load demo data (RAND HIE)"</button>
                <PreviewTable picked=inputs/>
                <PreviewTable picked=targets/>
            </section>
            <section class="panel job">
                <h2>"Job"</h2>
                <textarea
                    data-testid="config-editor"
                    spellcheck="false"
                    prop:value=move || config.get()
                    on:input:target=move |ev| config.set(ev.target().value())
                ></textarea>
                <div class="actions">
                    <button
                        data-testid="run-button"
                        on:click=run
                        disabled=move || run_state.get() == RunState::Running
                    >
                        "Run"
                    </button>
                    <button
                        class="secondary"
                        data-testid="cancel-button"
                        on:click=move |_| cancel.cancel()
                        disabled=move || run_state.get() != RunState::Running
                    >
                        "Cancel"
                    </button>
                </div>
                {move || error.get().map(|e| view! { <p class="error" data-testid="error">{e}</p> })}
            </section>
            <section class="panel results">
                <h2>"Results"</h2>
                <div data-testid="progress" data-state=move || run_state.get().as_str() class="progress">
                    <progress max="1" value=move || live.with(|l| l.fraction())></progress>
                    <span>{move || { clock.track(); live.with(|l| l.summary(now())) }}</span>
                </div>
                <Best report=report/>
                <ResultsTable report=report live=live/>
            </section>
            <section class="panel log">
                <h2>"Log"</h2>
                <ol data-testid="log">
                    <For each=move || log.get().into_iter().enumerate() key=|(i, _)| *i let:line>
                        <li class=line.1.level.as_str()>{line.1.message}</li>
                    </For>
                </ol>
            </section>
        </main>
    }
}

/// A file input that reads the picked file into `slot`.
#[component]
fn FilePicker(
    label: &'static str,
    testid: &'static str,
    slot: RwSignal<Option<Picked>>,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let on_change = move |ev: web_sys::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
        spawn_local(async move {
            match file_bytes(&file).await {
                Ok(bytes) => slot.set(Some(Picked { name: file.name(), bytes: bytes.into() })),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <label class="file">
            <span>{label}</span>
            <input type="file" accept=".csv,.tsv,.txt,text/csv" data-testid=testid on:change=on_change/>
        </label>
    }
}

/// Name, shape, columns and first rows of a picked file, or its reading error.
#[component]
fn PreviewTable(picked: RwSignal<Option<Picked>>) -> impl IntoView {
    move || {
        picked.get().map(|p| {
            let preview = Preview::of(&p.name, &p.bytes, 5);
            let shape = match &preview.shape {
                Ok((r, c)) => format!("{r} rows × {c} columns"),
                Err(e) => e.clone(),
            };
            let failed = preview.shape.is_err();
            view! {
                <div class="preview">
                    <p class:error=failed data-testid=if failed { "error" } else { "shape" }>
                        <strong>{preview.name.clone()}</strong>": "{shape}
                    </p>
                    <div class="scroll">
                        <table>
                            <thead><tr>{preview.columns.iter().map(|c| view! { <th>{c.clone()}</th> }).collect_view()}</tr></thead>
                            <tbody>
                                {preview.head.iter().map(|row| view! {
                                    <tr>{row.iter().map(|v| view! { <td class="num">{v.clone()}</td> }).collect_view()}</tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                </div>
            }
        })
    }
}

/// The best score and params, prominent.
#[component]
fn Best(report: RwSignal<Option<JobReport>>) -> impl IntoView {
    move || {
        report.get().map(|r| {
            let params = serde_json::to_string(&r.results.best_params).unwrap_or_default();
            view! {
                <div class="best">
                    <p>"Best " {score_name(&r.metric)} ": "
                        <strong data-testid="best-score">{format_number(r.results.best_score)}</strong></p>
                    <p>"Best params: " <code data-testid="best-params">{params}</code></p>
                    <p class="muted">{params_to_python(&r.results.best_params)}</p>
                </div>
            }
        })
    }
}

/// `cv_results` once the search ends; live per-candidate means while it runs.
#[component]
fn ResultsTable(report: RwSignal<Option<JobReport>>, live: RwSignal<LiveSearch>) -> impl IntoView {
    move || match report.get() {
        Some(r) => {
            let (columns, rows) = results_table(&r.results);
            let best = r.results.best_index;
            view! {
                <div class="scroll">
                    <table data-testid="results-table" class="results">
                        <thead><tr>{columns.iter().map(|c| view! { <th>{c.clone()}</th> }).collect_view()}</tr></thead>
                        <tbody>
                            {rows.into_iter().enumerate().map(|(i, cells)| {
                                let columns = columns.clone();
                                view! {
                                    <tr class:best=i == best>
                                        {cells.into_iter().zip(columns).map(|(v, c)| view! {
                                            <td data-col=c.clone() class:num=c != "params">{v}</td>
                                        }).collect_view()}
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }
            .into_any()
        }
        None => {
            let rows = live.with(|l| {
                let n = l.units.iter().map(|u| u.candidate + 1).max().unwrap_or(0);
                l.candidates(n)
            });
            view! {
                <table class="results live">
                    <thead><tr><th>"candidate"</th><th>"folds done"</th><th>"mean_test_score so far"</th></tr></thead>
                    <tbody>
                        {rows.into_iter().enumerate().map(|(c, (folds, mean))| view! {
                            <tr><td class="num">{c}</td><td class="num">{folds}</td><td class="num">{format_number(mean)}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }
            .into_any()
        }
    }
}
