//! The small HTTP interface the services use: fetch in the page, a native
//! client in the CLI. Requests and responses are plain data so the bodies can
//! be built and tested without a network.

#![allow(async_fn_in_trait)] // Single-threaded futures, as in `services`.

/// One HTTP request.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpRequest {
    /// `GET`, `POST`, `PUT`...
    pub method: &'static str,
    /// Where to send it.
    pub url: String,
    /// Header names and values.
    pub headers: Vec<(String, String)>,
    /// The body (empty for none).
    pub body: Vec<u8>,
    /// In a browser, send it as a "simple" `no-cors` request: for receivers that
    /// do not answer CORS preflights (Slack). The response is then opaque.
    pub no_cors: bool,
}

impl HttpRequest {
    /// A POST with a JSON body.
    pub fn post_json(url: &str, body: &serde_json::Value) -> HttpRequest {
        HttpRequest {
            method: "POST",
            url: url.to_string(),
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.to_string().into_bytes(),
            no_cors: false,
        }
    }
}

/// What came back. `status` is 0 for an opaque (`no-cors`) response, whose
/// delivery cannot be confirmed.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpResponse {
    /// HTTP status code, or 0 when the browser hides it.
    pub status: u16,
    /// The body as text (empty when hidden).
    pub body: String,
}

/// Sends requests. Errors are transport failures (unreachable, timed out,
/// blocked by CORS), described without the URL, which may be a secret.
pub trait Http {
    /// Sends one request and waits for its response.
    async fn send(&self, request: &HttpRequest) -> Result<HttpResponse, String>;
}
