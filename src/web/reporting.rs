//! Where a job run from the page reports to: the MLflow tracker over `fetch`,
//! the credentials for it (kept in memory only: never in the config, a link,
//! an export or the log), browser notifications, and what became of both
//! once the job ends, with a way to send the results to MLflow again.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::app::{Config, Run};
use super::fetch_http::FetchHttp;
use super::notify::{Toast, permission, request_permission};
use crate::io::config::MlflowConfig;
use crate::io::mlflow::{MlflowAuth, MlflowTracker};
use crate::io::services::Delivery;

/// MLflow and alerts get 10 s a request: a slow server must not hold the page.
pub const REQUEST_TIMEOUT_MS: i32 = 10_000;

/// The page's reporting state that is not part of the job's config.
#[derive(Clone, Copy)]
pub struct Reporting {
    /// MLflow user name for basic auth; empty for a bearer token.
    pub mlflow_user: RwSignal<String>,
    /// The bearer token, or the password when a user name is given.
    pub mlflow_secret: RwSignal<String>,
    /// Browser notification permission, as [`permission`] says.
    pub notifications: RwSignal<&'static str>,
    /// The alert shown in the page when the browser may not notify.
    pub toast: RwSignal<Option<Toast>>,
    /// Sending the results to MLflow again is under way.
    pub resending: RwSignal<bool>,
}

impl Reporting {
    /// Empty credentials, the browser's current permission, no toast.
    pub fn new() -> Self {
        Reporting {
            mlflow_user: RwSignal::new(String::new()),
            mlflow_secret: RwSignal::new(String::new()),
            notifications: RwSignal::new(permission()),
            toast: RwSignal::new(None),
            resending: RwSignal::new(false),
        }
    }

    /// The credentials typed in, if any.
    fn auth(&self) -> Option<MlflowAuth> {
        let (user, secret) = (self.mlflow_user.get_untracked(), self.mlflow_secret.get_untracked());
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

impl Default for Reporting {
    fn default() -> Self {
        Reporting::new()
    }
}

/// Milliseconds since the Unix epoch, for MLflow's timestamps.
fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// Credentials for an MLflow server behind authentication.
#[component]
pub fn CredentialsFields(reporting: Reporting) -> impl IntoView {
    view! {
        {credential_field("MLflow user", "text", "mlflow-user", "empty: a token", reporting.mlflow_user)}
        {credential_field(
            "MLflow token or password",
            "password",
            "mlflow-secret",
            "empty: no authentication",
            reporting.mlflow_secret,
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

/// Browser notifications: their state, and a button to allow them.
#[component]
pub fn NotificationsField(reporting: Reporting) -> impl IntoView {
    let allow = move |_| {
        spawn_local(async move { reporting.notifications.set(request_permission().await) });
    };
    view! {
        <div class="field wide notifications" data-testid="notifications" data-state=move || reporting.notifications.get()>
            <span>"browser notifications"</span>
            {move || match reporting.notifications.get() {
                "default" => view! {
                    <button class="secondary" data-testid="allow-notifications" on:click=allow>
                        "Allow notifications"
                    </button>
                    <span class="hint">"so the end of a run shows in another tab too; else it shows here"</span>
                }
                .into_any(),
                "granted" => view! { <span class="hint">"on: alerts also show as browser notifications"</span> }.into_any(),
                "denied" => view! {
                    <span class="hint">"blocked for this page (the browser's site settings can allow them); alerts show here"</span>
                }
                .into_any(),
                _ => view! { <span class="hint">"not available on this page; alerts show here"</span> }.into_any(),
            }}
        </div>
    }
}

/// After a run: the MLflow run's link or why tracking failed (with "send
/// again"), and where the alert went.
#[component]
pub fn DeliveryStatus(config: Config, run: Run, reporting: Reporting) -> impl IntoView {
    let tracking = move || run.report.with(|r| r.as_ref().map(|r| r.tracking.clone()));
    let alert = move || run.report.with(|r| r.as_ref().map(|r| r.alert.clone()));
    let send_again = move |_| send_again(config, run, reporting);
    let state = |d: &Option<Delivery>| match d {
        None | Some(Delivery::Off) => "off",
        Some(Delivery::Done(_)) => "done",
        Some(Delivery::Failed(_)) => "failed",
    };
    view! {
        <div class="deliveries">
            <p class="delivery" data-testid="tracking-status" data-state=move || if reporting.resending.get() { "sending" } else { state(&tracking()) }>
                {move || match tracking() {
                    None | Some(Delivery::Off) => None,
                    Some(Delivery::Done(link)) => Some(view! {
                        <span>"Logged to MLflow: "</span>
                        <a href=link.clone() target="_blank" rel="noopener" data-testid="mlflow-link">{link.clone()}</a>
                    }.into_any()),
                    Some(Delivery::Failed(why)) => Some(view! {
                        <span class="error">"Not logged to MLflow (the results here are complete): " {why}</span>
                        <button class="secondary" data-testid="track-again" on:click=send_again disabled=move || reporting.resending.get()>
                            "Send results to MLflow again"
                        </button>
                    }.into_any()),
                }}
            </p>
            <p class="delivery" data-testid="alert-status" data-state=move || state(&alert())>
                {move || match alert() {
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
fn send_again(config: Config, run: Run, reporting: Reporting) {
    let (Some(mut job), Some(report)) = (run.job.get_untracked(), run.report.get_untracked()) else { return };
    if let Ok(current) = config.parsed.get_untracked() {
        job.config.mlflow = current.mlflow;
    }
    if job.config.mlflow.tracking_uri.trim().is_empty() {
        let why = "mlflow.tracking_uri is empty: set it to the server's URL, then send again".to_string();
        run.report.update(|r| r.iter_mut().for_each(|r| r.tracking = Delivery::Failed(why.clone())));
        return;
    }
    reporting.resending.set(true);
    spawn_local(async move {
        let http = FetchHttp { timeout_ms: REQUEST_TIMEOUT_MS };
        let mut tracker = reporting.tracker(&http, &job.config.mlflow);
        let delivered = job.track_again(&report, &mut tracker).await;
        run.report.update(|r| r.iter_mut().for_each(|r| r.tracking = delivered.clone()));
        reporting.resending.set(false);
    });
}

/// The alert shown in the page, until dismissed.
#[component]
pub fn ToastView(reporting: Reporting) -> impl IntoView {
    move || {
        reporting.toast.get().map(|t| {
            view! {
                <div class="toast" role="status" data-testid="toast">
                    <strong>{t.title}</strong>
                    <p>{t.text}</p>
                    <button class="secondary" data-testid="toast-close" on:click=move |_| reporting.toast.set(None)>
                        "Dismiss"
                    </button>
                </div>
            }
        })
    }
}
