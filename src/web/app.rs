//! The page: data, job, run, results and log panels, one component each.
//!
//! `App` owns the signals the panels share: the config text (the TOML editor
//! is the source of truth; the form edits it), the two picked files, and one
//! run's state. Everything from data and config is rendered as text nodes,
//! never as HTML, and the data never leaves the page: the job reads it from
//! memory and the workers receive it by `postMessage`.

use leptos::prelude::*;

use super::browser::{LogLine, location_hash};
use super::data_panel::DataPanel;
use super::job_panel::JobPanel;
use super::log_panel::LogPanel;
use super::preview::Loaded;
use super::reporting::{Reporting, ToastView};
use super::results_panel::ResultsPanel;
use super::run_panel::RunPanel;
use super::share::job_from_hash;
use super::state::{LiveSearch, RunState};
use crate::io::config::{ConfigError, JobConfig, parse_job};
use crate::jobs::tuning::{JobReport, TuningJob};

/// The job shown on first load: the bundled regression demo.
pub const REGRESSION_DEMO: &str = include_str!("../../www/demos/regression.toml");

/// The bundled classification demo: the same files, target `any_visit`.
pub const CLASSIFICATION_DEMO: &str = include_str!("../../www/demos/classification.toml");

/// The config editor's text and what it parses to.
#[derive(Clone, Copy)]
pub struct Config {
    /// The TOML (or JSON) text: the source of truth.
    pub text: RwSignal<String>,
    /// The text parsed by the engine (`config:LINE: key: message` on error).
    pub parsed: Memo<Result<JobConfig, ConfigError>>,
}

/// The picked (or demo) files.
#[derive(Clone, Copy)]
pub struct Files {
    /// The inputs CSV.
    pub inputs: RwSignal<Option<Loaded>>,
    /// The targets CSV.
    pub targets: RwSignal<Option<Loaded>>,
}

/// One run: its state, live view, outcome and log.
#[derive(Clone, Copy)]
pub struct Run {
    /// Where the run is (`progress`'s `data-state`).
    pub state: RwSignal<RunState>,
    /// Units as they finish.
    pub live: RwSignal<LiveSearch>,
    /// The job as it ran (the config the results belong to, for exports).
    pub job: RwSignal<Option<TuningJob>>,
    /// What the job produced, once it ends (also after a cancel).
    pub report: RwSignal<Option<JobReport>>,
    /// Why the run failed.
    pub error: RwSignal<Option<String>>,
    /// The job's log.
    pub log: RwSignal<Vec<LogLine>>,
}

/// The whole page.
#[component]
pub fn App() -> impl IntoView {
    // A share link (`#job=...`) opens with its job in the editor.
    let (initial, link_error) = match job_from_hash(&location_hash()) {
        Some(Ok(text)) => (text, None),
        Some(Err(e)) => (REGRESSION_DEMO.to_string(), Some(e)),
        None => (REGRESSION_DEMO.to_string(), None),
    };
    // A job from a link comes without its data: the data panel offers the demo files for it.
    let from_link = RwSignal::new(link_error.is_none() && initial != REGRESSION_DEMO);
    let text = RwSignal::new(initial);
    let config = Config { text, parsed: Memo::new(move |_| text.with(|t| parse_job("config", t))) };
    let link_error = RwSignal::new(link_error);
    let files = Files { inputs: RwSignal::new(None), targets: RwSignal::new(None) };
    let reporting = Reporting::new();
    let run = Run {
        state: RwSignal::new(RunState::Idle),
        live: RwSignal::new(LiveSearch::default()),
        job: RwSignal::new(None),
        report: RwSignal::new(None),
        error: RwSignal::new(None),
        log: RwSignal::new(Vec::new()),
    };

    // Syncs with the outside: a share link opened in this same tab changes
    // only the fragment, so the page is not reloaded; load its job here.
    let listener = window_event_listener(leptos::ev::hashchange, move |_| match job_from_hash(&location_hash()) {
        Some(Ok(job)) => {
            link_error.set(None);
            from_link.set(true);
            text.set(job);
        }
        Some(Err(e)) => link_error.set(Some(e)),
        None => {}
    });
    on_cleanup(move || listener.remove());

    view! {
        <header class="top">
            <h1>"Tuna"</h1>
            <p class="tagline">
                "Hyperparameter tuning in your browser, with scikit-learn's semantics. "
                <strong>"Your data stays on this machine:"</strong>
                " the search runs here, in Web Workers."
            </p>
        </header>
        <main class="panels">
            <DataPanel files=files config=config from_link=from_link/>
            <JobPanel config=config link_error=link_error reporting=reporting/>
            <RunPanel config=config files=files run=run reporting=reporting/>
            <ResultsPanel run=run/>
            <LogPanel log=run.log/>
        </main>
        <ToastView reporting=reporting/>
    }
}
