//! Alerts in the page: the webhook through `fetch`, then the browser's own
//! notification, so the person sees the end of a long search from another
//! tab; a toast in the page when the browser may not show one. Also the field
//! that shows and asks for the browser's permission, and the toast itself.
//!
//! Permission is asked only when the person clicks the button for it (browsers
//! ignore or penalise requests made on load), in the field that shows it.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Notification, NotificationOptions};

use super::fetch_http::FetchHttp;
use crate::io::alerts::{AlertFacts, WebhookAlerter};
use crate::io::services::Alerter;

/// An alert shown in the page: a title and its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Toast {
    /// "Tuning Job Finished" or "Tuning Job Failed".
    pub title: String,
    /// The alert's message.
    pub text: String,
}

/// Whether this page may show notifications: `granted`, `denied`, `default`
/// (not asked yet) or `unsupported` (no Notification API, e.g. on plain http
/// from another machine).
pub fn permission() -> &'static str {
    if !supported() {
        return "unsupported";
    }
    match Notification::permission() {
        web_sys::NotificationPermission::Granted => "granted",
        web_sys::NotificationPermission::Denied => "denied",
        _ => "default",
    }
}

/// Asks for permission (call it from a click); returns the new state.
pub async fn request_permission() -> &'static str {
    if !supported() {
        return "unsupported";
    }
    if let Ok(promise) = Notification::request_permission() {
        let _ = JsFuture::from(promise).await;
    }
    permission()
}

fn supported() -> bool {
    web_sys::window().is_some_and(|w| js_sys::Reflect::has(&w, &JsValue::from_str("Notification")).unwrap_or(false))
}

/// Shows a browser notification if allowed; false when it could not be shown.
fn show_notification(title: &str, text: &str) -> bool {
    if permission() != "granted" {
        return false;
    }
    let options = NotificationOptions::new();
    options.set_body(text);
    options.set_tag("tuna-job");
    Notification::new_with_options(title, &options).is_ok()
}

/// The page's alerter: the configured webhook, then a browser notification or a toast.
pub struct PageAlerter<'a> {
    /// The webhook (its URL never reaches the log or the page's text).
    pub webhook: WebhookAlerter<'a, FetchHttp>,
    /// Where the toast goes when the browser may not notify.
    pub toast: WriteSignal<Option<Toast>>,
}

impl Alerter for PageAlerter<'_> {
    async fn notify(&self, alert: &AlertFacts) -> Result<String, String> {
        let sent = self.webhook.notify(alert).await;
        let shown = if show_notification(alert.title(), &alert.text()) {
            "shown as a browser notification"
        } else {
            self.toast.set(Some(Toast { title: alert.title().to_string(), text: alert.text() }));
            "shown in this page (browser notifications are not allowed)"
        };
        sent.map(|delivered| format!("{delivered}; {shown}"))
    }
}

/// Browser notifications: their state, and a button to allow them. The
/// permission is the browser's; this field is the only part of the page that
/// shows or changes it, so it keeps its own copy.
#[component]
pub fn NotificationsField() -> impl IntoView {
    let state = RwSignal::new(permission());
    let allow = move |_| {
        spawn_local(async move { state.set(request_permission().await) });
    };
    view! {
        <div class="field wide notifications" data-testid="notifications" data-state=move || state.get()>
            <span>"browser notifications"</span>
            {move || match state.get() {
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

/// The alert shown in the page, until dismissed.
#[component]
pub fn ToastView(toast: RwSignal<Option<Toast>>) -> impl IntoView {
    move || {
        toast.get().map(|t| {
            view! {
                <div class="toast" role="status" data-testid="toast">
                    <strong>{t.title}</strong>
                    <p>{t.text}</p>
                    <button class="secondary" data-testid="toast-close" on:click=move |_| toast.set(None)>
                        "Dismiss"
                    </button>
                </div>
            }
        })
    }
}
