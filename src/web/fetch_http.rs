//! The page's `Http`: the browser's `fetch`, with a timeout (an
//! `AbortController`) so a slow server cannot hold the page, and `no-cors`
//! simple requests for receivers that answer no preflight (Slack).

use gloo_net::http::{Headers, Method, RequestBuilder};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{AbortController, RequestMode, ResponseType};

use crate::io::http::{Http, HttpRequest, HttpResponse};

/// `fetch` (through gloo-net) with a per-request timeout in milliseconds.
pub struct FetchHttp {
    /// Give up after this long.
    pub timeout_ms: i32,
}

impl Http for FetchHttp {
    async fn send(&self, request: &HttpRequest) -> Result<HttpResponse, String> {
        let method =
            Method::from_bytes(request.method.as_bytes()).map_err(|_| format!("bad method {}", request.method))?;
        // Headers are built here, fallibly: a value an HTTP header cannot hold
        // (a pasted token with a line break) is an error, not a crash.
        let headers = web_sys::Headers::new().map_err(js_message)?;
        for (name, value) in &request.headers {
            headers
                .append(name, value)
                .map_err(|_| format!("the {name} header holds characters HTTP does not allow"))?;
        }
        let controller = AbortController::new().map_err(js_message)?;
        let mut builder = RequestBuilder::new(&request.url)
            .method(method)
            .headers(Headers::from_raw(headers))
            .abort_signal(Some(&controller.signal()));
        if request.no_cors {
            builder = builder.mode(RequestMode::NoCors);
        }
        let built = if request.body.is_empty() {
            builder.build()
        } else {
            builder.body(js_sys::Uint8Array::from(request.body.as_slice()))
        };
        // The browser's message quotes the URL, which may be a secret.
        let built = built.map_err(|_| "the URL is not a valid http:// or https:// address".to_string())?;
        let abort = controller.clone();
        let timer = set_timeout(self.timeout_ms, move || abort.abort());
        let outcome = built.send().await;
        if let Some(window) = web_sys::window() {
            window.clear_timeout_with_handle(timer);
        }
        // The browser says only "Failed to fetch" for refused connections and
        // CORS refusals alike: explain, don't echo.
        let response = outcome.map_err(|e| {
            if controller.signal().aborted() {
                format!("no answer within {} s", self.timeout_ms / 1000)
            } else {
                format!("cannot reach the server or it refused this page's origin (CORS) ({e})")
            }
        })?;
        if response.type_() == ResponseType::Opaque {
            return Ok(HttpResponse { status: 0, body: String::new() });
        }
        let body = response.text().await.unwrap_or_default();
        Ok(HttpResponse { status: response.status(), body })
    }
}

/// Runs `f` after `ms` milliseconds; returns the timer's handle.
fn set_timeout(ms: i32, f: impl FnOnce() + 'static) -> i32 {
    let closure = wasm_bindgen::closure::Closure::once_into_js(f);
    web_sys::window()
        .and_then(|w| w.set_timeout_with_callback_and_timeout_and_arguments_0(closure.unchecked_ref(), ms).ok())
        .unwrap_or(0)
}

fn js_message(value: JsValue) -> String {
    value
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| "unknown browser error".into())
}
