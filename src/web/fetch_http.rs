//! The page's `Http`: the browser's `fetch`, with a timeout (an
//! `AbortController`) so a slow server cannot hold the page, and `no-cors`
//! simple requests for receivers that answer no preflight (Slack).

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Headers, Request, RequestInit, RequestMode, Response};

use crate::io::http::{Http, HttpRequest, HttpResponse};

/// `fetch` with a per-request timeout in milliseconds.
pub struct FetchHttp {
    /// Give up after this long.
    pub timeout_ms: i32,
}

impl Http for FetchHttp {
    async fn send(&self, request: &HttpRequest) -> Result<HttpResponse, String> {
        let window = web_sys::window().ok_or("no window")?;
        let init = RequestInit::new();
        init.set_method(request.method);
        if request.no_cors {
            init.set_mode(RequestMode::NoCors);
        }
        let headers = Headers::new().map_err(js_message)?;
        for (name, value) in &request.headers {
            headers.append(name, value).map_err(js_message)?;
        }
        init.set_headers(&headers);
        if !request.body.is_empty() {
            init.set_body(&js_sys::Uint8Array::from(request.body.as_slice()));
        }
        let controller = AbortController::new().map_err(js_message)?;
        init.set_signal(Some(&controller.signal()));
        let abort = controller.clone();
        let timer = gloo_timeout(self.timeout_ms, move || abort.abort());
        // The browser's message quotes the URL, which may be a secret.
        let fetch_request = Request::new_with_str_and_init(&request.url, &init)
            .map_err(|_| "the URL is not a valid http:// or https:// address".to_string())?;
        let outcome = JsFuture::from(window.fetch_with_request(&fetch_request)).await;
        window.clear_timeout_with_handle(timer);
        // The browser says only "Failed to fetch" for refused connections and
        // CORS refusals alike, and the URL may be a secret: explain, don't echo.
        let response: Response = outcome
            .map_err(|e| {
                if controller.signal().aborted() {
                    format!("no answer within {} s", self.timeout_ms / 1000)
                } else {
                    format!("cannot reach the server or it refused this page's origin (CORS) ({})", js_message(e))
                }
            })?
            .dyn_into()
            .map_err(|_| "the browser gave no response".to_string())?;
        if response.type_() == web_sys::ResponseType::Opaque {
            return Ok(HttpResponse { status: 0, body: String::new() });
        }
        let body = match response.text() {
            Ok(promise) => JsFuture::from(promise).await.ok().and_then(|v| v.as_string()).unwrap_or_default(),
            Err(_) => String::new(),
        };
        Ok(HttpResponse { status: response.status(), body })
    }
}

/// Runs `f` after `ms` milliseconds; returns the timer's handle.
fn gloo_timeout(ms: i32, f: impl FnOnce() + 'static) -> i32 {
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
