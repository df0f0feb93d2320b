//! Where a job run from the page reports to: the MLflow tracker over `fetch`
//! and the credentials for it (kept in memory only: never in the config, a
//! link, an export or the log), and what became of the tracking and the
//! alert once the job ends, with a way to send the results to MLflow again.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::fetch_http::FetchHttp;
use super::state::{ParsedConfig, Run};
use crate::io::config::MlflowConfig;
use crate::io::mlflow::{MlflowAuth, MlflowTracker};
use crate::io::services::Delivery;

/// MLflow and alerts get 10 s a request: a slow server must not hold the page.
pub const REQUEST_TIMEOUT_MS: i32 = 10_000;

/// The MLflow credentials typed into the page: not part of the job's config.
#[derive(Clone, Copy)]
pub struct Credentials {
    /// MLflow user name for basic auth; empty for a bearer token.
    user: RwSignal<String>,
    /// The bearer token, or the password when a user name is given.
    secret: RwSignal<String>,
}

impl Credentials {
    /// None typed yet.
    pub fn new() -> Self {
        Credentials { user: RwSignal::new(String::new()), secret: RwSignal::new(String::new()) }
    }

    /// The credentials typed in, if any.
    fn auth(&self) -> Option<MlflowAuth> {
        let (user, secret) = (self.user.get_untracked(), self.secret.get_untracked());
        match (user.trim().is_empty(), secret.is_empty()) {
            (true, true) => None,
            (true, false) => Some(MlflowAuth::Token(secret)),
            (false, _) => Some(MlflowAuth::Basic { username: user.trim().to_string(), password: secret }),
        }
    }

    /// A tracker for `mlflow` with the typed credentials, naming the page as the run's source.
    pub fn tracker<'h>(&self, http: &'h FetchHttp, mlflow: &MlflowConfig) -> MlflowTracker<'h, FetchHttp> {
        let location = web_sys::window().map(|w| w.location());
        let origin = location.as_ref().and_then(|l| l.origin().ok()).unwrap_or_default();
        let page = location.and_then(|l| l.pathname().ok()).unwrap_or_default();
        MlflowTracker::new(http, mlflow, now_ms)
            .with_auth(self.auth())
            .with_source(&format!("tuna page {origin}{page}"), "LOCAL")
            .in_page(&origin)
    }
}

impl Default for Credentials {
    fn default() -> Self {
        Credentials::new()
    }
}

/// Milliseconds since the Unix epoch, for MLflow's timestamps.
fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// Credentials for an MLflow server behind authentication.
#[component]
pub fn CredentialsFields(credentials: Credentials) -> impl IntoView {
    view! {
        {credential_field("MLflow user", "text", "mlflow-user", "empty: a token", credentials.user)}
        {credential_field(
            "MLflow token or password",
            "password",
            "mlflow-secret",
            "empty: no authentication",
            credentials.secret,
        )}
    }
}

/// One credential input, kept in `value` (the tab's memory only).
fn credential_field(
    label: &'static str,
    kind: &'static str,
    testid: &'static str,
    placeholder: &'static str,
    value: RwSignal<String>,
) -> impl IntoView {
    view! {
        <label class="field">
            <span>{label}</span>
            <input
                type=kind
                autocomplete="off"
                spellcheck="false"
                data-testid=testid
                placeholder=placeholder
                prop:value=move || value.get()
                on:change:target=move |ev| value.set(ev.target().value())
            />
        </label>
    }
}

/// After a run: the MLflow run's link or why tracking failed (with "send
/// again"), and where the alert went.
#[component]
pub fn DeliveryStatus(config: ParsedConfig, run: RwSignal<Run>, credentials: Credentials) -> impl IntoView {
    // Sending the results to MLflow again is under way.
    let resending = RwSignal::new(false);
    let tracking = Memo::new(move |_| run.with(|r| r.report().map(|r| r.tracking.clone())));
    let alert = Memo::new(move |_| run.with(|r| r.report().map(|r| r.alert.clone())));
    let send_again = move |_| send_again(config, run, credentials, resending);
    let state = |d: &Option<Delivery>| match d {
        None | Some(Delivery::Off) => "off",
        Some(Delivery::Done(_)) => "done",
        Some(Delivery::Failed(_)) => "failed",
    };
    view! {
        <div class="deliveries">
            <p class="delivery" data-testid="tracking-status" data-state=move || if resending.get() { "sending" } else { tracking.with(state) }>
                {move || match tracking.get() {
                    None | Some(Delivery::Off) => None,
                    Some(Delivery::Done(link)) => Some(view! {
                        <span>"Logged to MLflow: "</span>
                        <a href=link.clone() target="_blank" rel="noopener" data-testid="mlflow-link">{link.clone()}</a>
                    }.into_any()),
                    Some(Delivery::Failed(why)) => Some(view! {
                        <span class="error">"Not logged to MLflow (the results here are complete): " {why}</span>
                        <button class="secondary" data-testid="track-again" on:click=send_again disabled=move || resending.get()>
                            "Send results to MLflow again"
                        </button>
                    }.into_any()),
                }}
            </p>
            <p class="delivery" data-testid="alert-status" data-state=move || alert.with(state)>
                {move || match alert.get() {
                    None | Some(Delivery::Off) => None,
                    Some(Delivery::Done(how)) => Some(view! { <span>"Alert: " {how}</span> }.into_any()),
                    Some(Delivery::Failed(why)) => Some(view! { <span class="error">"Alert not delivered: " {why}</span> }.into_any()),
                }}
            </p>
        </div>
    }
}

/// Logs the finished results as a new MLflow run, with the editor's current
/// `[mlflow]` settings (the person may have fixed the URL) and credentials.
fn send_again(config: ParsedConfig, run: RwSignal<Run>, credentials: Credentials, resending: RwSignal<bool>) {
    let finished = run.with_untracked(|r| r.finished().map(|(job, report)| (job.clone(), report.clone())));
    let Some((mut job, report)) = finished else { return };
    if let Ok(current) = config.get_untracked() {
        job = job.tracking_to(current.config().mlflow.clone());
    }
    if job.config().mlflow.tracking_uri.trim().is_empty() {
        let why = "mlflow.tracking_uri is empty: set it to the server's URL, then send again".to_string();
        run.update(|r| r.set_tracking(Delivery::Failed(why)));
        return;
    }
    resending.set(true);
    spawn_local(async move {
        let http = FetchHttp { timeout_ms: REQUEST_TIMEOUT_MS };
        let mut tracker = credentials.tracker(&http, &job.config().mlflow);
        let delivered = job.track_again(&report, &mut tracker).await;
        run.update(|r| r.set_tracking(delivered));
        resending.set(false);
    });
}
