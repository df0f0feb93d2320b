//! The CLI's HTTP client: `ureq` (blocking, small, rustls for HTTPS), with a
//! timeout so a slow server cannot hold a job forever.

use std::io::ErrorKind;
use std::time::Duration;

use super::http::{Http, HttpRequest, HttpResponse};

/// A `ureq` agent with a per-request timeout.
pub struct NativeHttp {
    agent: ureq::Agent,
}

impl NativeHttp {
    /// A client whose requests give up after `timeout`.
    pub fn new(timeout: Duration) -> NativeHttp {
        let config = ureq::Agent::config_builder().timeout_global(Some(timeout)).http_status_as_error(false).build();
        NativeHttp { agent: config.into() }
    }
}

impl Http for NativeHttp {
    async fn send(&self, request: &HttpRequest) -> Result<HttpResponse, String> {
        let mut builder = ureq::http::Request::builder().method(request.method).uri(&request.url);
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        let http_request = builder
            .body(request.body.clone())
            .map_err(|e| format!("bad request: {}", redact(&e.to_string(), &request.url)))?;
        let mut response = self.agent.run(http_request).map_err(|e| describe(&e, &request.url))?;
        let status = response.status().as_u16();
        let body = response.body_mut().read_to_string().unwrap_or_default();
        Ok(HttpResponse { status, body })
    }
}

/// A transport error in a person's terms, without the URL.
fn describe(error: &ureq::Error, url: &str) -> String {
    let what = match error {
        ureq::Error::Timeout(_) => "no answer before the timeout".to_string(),
        ureq::Error::HostNotFound => "the host name does not resolve".to_string(),
        ureq::Error::ConnectionFailed => "the connection was refused or failed".to_string(),
        ureq::Error::Io(e) if e.kind() == ErrorKind::ConnectionRefused => {
            "the connection was refused (nothing is listening there)".to_string()
        }
        ureq::Error::Io(e)
            if matches!(
                e.kind(),
                ErrorKind::ConnectionReset
                    | ErrorKind::ConnectionAborted
                    | ErrorKind::UnexpectedEof
                    | ErrorKind::BrokenPipe
            ) =>
        {
            "the server closed the connection without answering".to_string()
        }
        ureq::Error::Io(e) => format!("network error ({})", e.kind()),
        other => redact(&other.to_string(), url),
    };
    format!("cannot reach the server: {what}")
}

/// Removes the URL (a webhook URL is a secret) from a message.
fn redact(message: &str, url: &str) -> String {
    message.replace(url, "<url>")
}
