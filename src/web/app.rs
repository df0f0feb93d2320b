//! The page: the run bar, then the data, job, run, results and log panels,
//! one component each.
//!
//! `App` owns the state the panels share (`state`: the config text, the two
//! picked files, the last run; and the job's log, the MLflow credentials and
//! the toast), hands each panel the narrowest half it needs, and renders the
//! fields of the state it owns itself. Everything from data and config is
//! rendered as text nodes, never as HTML, and the data never leaves the page:
//! the job reads it from memory and the workers receive it by `postMessage`.

use leptos::prelude::*;

use super::browser::{LogLine, location_hash};
use super::data_panel::DataPanel;
use super::job_panel::JobPanel;
use super::log_panel::LogPanel;
use super::notify::{NotificationsField, ToastView};
use super::reporting::{Credentials, CredentialsFields};
use super::results_panel::ResultsPanel;
use super::run_bar::RunBar;
use super::run_panel::RunPanel;
use super::share::job_from_hash;
use super::state::{Config, Files, REGRESSION_DEMO, Run};

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
    let config = Config::new(initial);
    let link_error = RwSignal::new(link_error);
    let files = Files::new();
    let pair = files.checked_against(config);
    let credentials = Credentials::new();
    let toast = RwSignal::new(None);
    let run = RwSignal::new(Run::Idle);
    let (log, set_log) = signal(Vec::<LogLine>::new());

    // Syncs with the outside: a share link opened in this same tab changes
    // only the fragment, so the page is not reloaded; load its job here.
    let listener = window_event_listener(leptos::ev::hashchange, move |_| match job_from_hash(&location_hash()) {
        Some(Ok(job)) => {
            link_error.set(None);
            from_link.set(true);
            config.text.set(job);
        }
        Some(Err(e)) => link_error.set(Some(e)),
        None => {}
    });
    on_cleanup(move || listener.remove());
    // A link's error is about the job it held: it goes once the text changes.
    Effect::watch(move || config.text.track(), move |_, _, _| link_error.set(None), false);

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
            <RunBar
                config=config
                files=files.read_only()
                pair=pair
                run=run
                log=set_log
                credentials=credentials
                toast=toast.write_only()
            />
            <DataPanel files=files config=config from_link=from_link pair=pair/>
            <JobPanel
                config=config
                link_error=link_error.read_only()
                reporting_fields=move || view! { <CredentialsFields credentials=credentials/> <NotificationsField/> }
            />
            <RunPanel config=config.parsed run=run credentials=credentials/>
            <ResultsPanel run=run.read_only()/>
            <LogPanel log=log/>
        </main>
        <ToastView toast=toast/>
    }
}
