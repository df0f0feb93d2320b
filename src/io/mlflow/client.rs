//! The MLflow client under the tracker: the credentials it sends, the REST
//! requests, and what an answer means: MLflow's JSON, or an error that says
//! what failed and how to fix it, with every secret taken out. No request is
//! retried: once the server stops answering, later calls fail fast with the
//! first cause.

use serde_json::{Value, json};

use super::payload::truncate;
use crate::io::http::{Http, HttpRequest, HttpResponse};
use crate::io::urls::{base64, encode_component, encode_path, split_userinfo};

/// Credentials for a server behind authentication. Never logged or exported.
#[derive(Clone, PartialEq, Eq)]
pub enum MlflowAuth {
    /// `Authorization: Bearer <token>`.
    Token(String),
    /// `Authorization: Basic <user:password>`.
    Basic {
        /// User name.
        username: String,
        /// Password.
        password: String,
    },
}

impl std::fmt::Debug for MlflowAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MlflowAuth::Token(_) => write!(f, "Token(<hidden>)"),
            MlflowAuth::Basic { username, .. } => write!(f, "Basic({username}, <hidden>)"),
        }
    }
}

impl MlflowAuth {
    /// Credentials from the variables MLflow's own client reads:
    /// `MLFLOW_TRACKING_TOKEN`, or `MLFLOW_TRACKING_USERNAME` and `MLFLOW_TRACKING_PASSWORD`.
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Option<MlflowAuth> {
        let non_empty = |name: &str| var(name).filter(|v| !v.is_empty());
        if let Some(token) = non_empty("MLFLOW_TRACKING_TOKEN") {
            return Some(MlflowAuth::Token(token));
        }
        let username = non_empty("MLFLOW_TRACKING_USERNAME")?;
        Some(MlflowAuth::Basic { username, password: var("MLFLOW_TRACKING_PASSWORD").unwrap_or_default() })
    }

    fn header(&self) -> String {
        match self {
            MlflowAuth::Token(t) => format!("Bearer {t}"),
            MlflowAuth::Basic { username, password } => {
                format!("Basic {}", base64(format!("{username}:{password}").as_bytes()))
            }
        }
    }

    fn secrets(&self) -> Vec<&str> {
        match self {
            MlflowAuth::Token(t) => vec![t.as_str()],
            MlflowAuth::Basic { password, .. } => vec![password.as_str()],
        }
    }
}

/// Sends MLflow's REST requests to one server and reads its answers.
pub(super) struct Client<'a, H: Http> {
    http: &'a H,
    /// The tracking URI without credentials or a trailing slash.
    pub(super) base: String,
    pub(super) auth: Option<MlflowAuth>,
    /// The first transport failure: later calls fail fast with it.
    pub(super) unreachable: Option<String>,
    /// The page's origin when the tracker runs in a browser: the fixes it
    /// suggests are then the page's (CORS, the credentials fields).
    pub(super) page_origin: Option<String>,
}

impl<'a, H: Http> Client<'a, H> {
    /// A client for `tracking_uri`. Credentials written in the URI
    /// (`http://user:password@host`) are taken out of it and sent as basic auth.
    pub(super) fn new(http: &'a H, tracking_uri: &str) -> Self {
        let (base, userinfo) = split_userinfo(tracking_uri.trim().trim_end_matches('/'));
        let auth = userinfo.map(|(username, password)| MlflowAuth::Basic { username, password });
        Client { http, base, auth, unreachable: None, page_origin: None }
    }

    fn request(&self, method: &'static str, url: String, content_type: &str, body: Vec<u8>) -> HttpRequest {
        let mut headers = vec![("Content-Type".to_string(), content_type.to_string())];
        if let Some(auth) = &self.auth {
            headers.push(("Authorization".into(), auth.header()));
        }
        HttpRequest { method, url, headers, body, no_cors: false }
    }

    /// `POST /api/2.0/mlflow/<endpoint>` with a JSON body.
    pub(super) fn post(&self, endpoint: &str, body: &Value) -> HttpRequest {
        self.request(
            "POST",
            format!("{}/api/2.0/mlflow/{endpoint}", self.base),
            "application/json",
            body.to_string().into_bytes(),
        )
    }

    /// `GET /api/2.0/mlflow/<endpoint>?<query>`.
    pub(super) fn get(&self, endpoint: &str, query: &[(&str, &str)]) -> HttpRequest {
        let q: Vec<String> = query.iter().map(|(k, v)| format!("{k}={}", encode_component(v))).collect();
        let mut request = self.request(
            "GET",
            format!("{}/api/2.0/mlflow/{endpoint}?{}", self.base, q.join("&")),
            "application/json",
            Vec::new(),
        );
        request.headers.retain(|(k, _)| k != "Content-Type");
        request
    }

    /// `PUT` of one artifact through the server's proxy.
    pub(super) fn put_artifact(
        &self,
        artifact_uri: &str,
        file: &str,
        content_type: &str,
        body: &str,
    ) -> Result<HttpRequest, String> {
        let path = artifact_path(artifact_uri).ok_or_else(|| {
            format!(
                "the server keeps this run's artifacts at `{}`, which only its own machine can write; start it with \
                 `mlflow server --artifacts-destination <folder>` so that it proxies artifacts",
                artifact_uri
            )
        })?;
        let url =
            format!("{}/api/2.0/mlflow-artifacts/artifacts/{}/{}", self.base, encode_path(&path), encode_path(file));
        Ok(self.request("PUT", url, content_type, body.as_bytes().to_vec()))
    }

    /// Sends a request and reads MLflow's JSON answer; errors say what failed
    /// (`what`) and how to fix it.
    pub(super) async fn call(&mut self, what: &str, request: HttpRequest) -> Result<Value, String> {
        if let Some(cause) = &self.unreachable {
            return Err(format!("{what}: skipped, MLflow at {} stopped answering earlier ({cause})", self.base));
        }
        let response = match self.http.send(&request).await {
            Ok(r) => r,
            Err(e) => {
                let e = self.redact(&e);
                self.unreachable = Some(e.clone());
                let start = match &self.page_origin {
                    None => "start a server with `mlflow server --host 127.0.0.1 --port 5000`".to_string(),
                    Some(origin) => format!(
                        "start a server that lets this page in with `mlflow server --host 127.0.0.1 --port 5000 \
                         --cors-allowed-origins {origin}` (MLflow 3.5 or newer)"
                    ),
                };
                return Err(format!(
                    "{what}: MLflow at {} is unreachable ({e}); {start} and set mlflow.tracking_uri to its URL, or set \
                     mlflow.tracking_uri = \"\" to run without tracking",
                    self.base
                ));
            }
        };
        self.answer(what, &request, response)
    }

    fn answer(&self, what: &str, request: &HttpRequest, response: HttpResponse) -> Result<Value, String> {
        let base = &self.base;
        let parsed: Option<Value> = serde_json::from_str(&response.body).ok();
        let status = response.status;
        if (200..300).contains(&status) {
            return match parsed {
                Some(v) => Ok(v),
                None if response.body.trim().is_empty() => Ok(json!({})),
                None => Err(format!(
                    "{what}: {base} answered with something other than MLflow's JSON; check that \
                     mlflow.tracking_uri is the URL of an MLflow tracking server"
                )),
            };
        }
        let code = parsed.as_ref().and_then(|v| v["error_code"].as_str()).unwrap_or("");
        let message = parsed.as_ref().and_then(|v| v["message"].as_str()).map(|m| self.redact(&first_line(m, 300)));
        let detail = match (code, &message) {
            ("", None) => format!("HTTP {status}"),
            ("", Some(m)) => format!("HTTP {status}: {m}"),
            (c, None) => format!("HTTP {status} {c}"),
            (c, Some(m)) => format!("HTTP {status} {c}: {m}"),
        };
        let path = request.url.strip_prefix(base.as_str()).unwrap_or(&request.url);
        let path = path.split('?').next().unwrap_or(path);
        Err(match status {
            0 => format!("{what}: the browser hid MLflow's answer; the server must allow this page's origin (CORS)"),
            401 | 403 if self.page_origin.is_some() => format!(
                "{what}: MLflow at {base} refused the request ({detail}); it needs credentials: enter a token, or a \
                 user name and password, under Tracking and alerts"
            ),
            401 | 403 => format!(
                "{what}: MLflow at {base} refused the request ({detail}); it needs credentials: set \
                 MLFLOW_TRACKING_TOKEN, or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD"
            ),
            404 if code.is_empty() => format!(
                "{what}: {base} has no {path} ({detail}); check that mlflow.tracking_uri is the URL of an MLflow \
                 tracking server (3.5 or newer)"
            ),
            500..=599 => format!("{what}: MLflow at {base} failed ({detail}); the server's log says why"),
            _ => format!("{what}: MLflow at {base} rejected it ({detail})"),
        })
    }

    /// Removes credentials from a message.
    fn redact(&self, message: &str) -> String {
        let mut m = message.to_string();
        if let Some(auth) = &self.auth {
            for s in auth.secrets().into_iter().filter(|s| !s.is_empty()) {
                m = m.replace(s, "<hidden>");
            }
        }
        m
    }
}

/// The artifact proxy path for a run's `mlflow-artifacts:` URI, or `None` when
/// the server stores artifacts somewhere Tuna cannot write through it.
pub(super) fn artifact_path(artifact_uri: &str) -> Option<String> {
    let rest = artifact_uri.strip_prefix("mlflow-artifacts:")?;
    // `mlflow-artifacts://host:port/path` names a host: the path is what follows it.
    let rest = match rest.strip_prefix("//") {
        Some(with_host) => &with_host[with_host.find('/')?..],
        None => rest,
    };
    Some(rest.trim_matches('/').to_string())
}

fn first_line(s: &str, max: usize) -> String {
    truncate(s.lines().next().unwrap_or(""), max)
}

pub(super) fn id_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::fake::*;
    use super::*;
    use crate::io::config::MlflowConfig;
    use crate::io::mlflow::MlflowTracker;
    use crate::io::services::Tracker;

    #[test]
    fn an_unreachable_server_says_how_to_fix_it_and_is_not_asked_again() {
        let http = FakeHttp::new(|_| Err("cannot reach the server: the connection was refused or failed".into()));
        let mut t = MlflowTracker::new(&http, &config(), clock);
        let e = pollster::block_on(t.start(&run_start())).unwrap_err();
        assert!(e.starts_with("finding the experiment `tuna`: MLflow at http://127.0.0.1:5000 is unreachable"), "{e}");
        assert!(
            e.contains("`mlflow server --host 127.0.0.1 --port 5000`") && e.contains("mlflow.tracking_uri = \"\""),
            "{e}"
        );
        let e = pollster::block_on(t.client.call("again", t.client.get("x", &[]))).unwrap_err();
        assert!(e.contains("skipped, MLflow at http://127.0.0.1:5000 stopped answering earlier"), "{e}");
        assert_eq!(http.sent().len(), 1, "no second request to a server that is down");

        // In a page, the fix includes letting the page's origin in.
        let mut t = MlflowTracker::new(&http, &config(), clock).in_page("http://127.0.0.2:8080");
        let e = pollster::block_on(t.start(&run_start())).unwrap_err();
        assert!(e.contains("--cors-allowed-origins http://127.0.0.2:8080` (MLflow 3.5 or newer)"), "{e}");
    }

    #[test]
    fn http_errors_name_the_step_the_status_and_the_fix() {
        let answer = |status: u16, body: &str| {
            let body = body.to_string();
            let http = FakeHttp::new(move |_| Ok(HttpResponse { status, body: body.clone() }));
            let mut t =
                MlflowTracker::new(&http, &config(), clock).with_auth(Some(MlflowAuth::Token("SECRET-TOKEN".into())));
            let e = pollster::block_on(t.start(&run_start())).unwrap_err();
            assert!(!e.contains("SECRET-TOKEN"), "{e}");
            assert!(http.sent()[0].headers.contains(&("Authorization".into(), "Bearer SECRET-TOKEN".into())));
            e
        };
        let e = answer(500, r#"{"error_code": "INTERNAL_ERROR", "message": "db locked SECRET-TOKEN\nTraceback"}"#);
        assert_eq!(
            e,
            "finding the experiment `tuna`: MLflow at http://127.0.0.1:5000 failed (HTTP 500 INTERNAL_ERROR: db locked \
             <hidden>); the server's log says why"
        );
        assert!(answer(502, "Bad Gateway").contains("failed (HTTP 502)"));
        assert!(answer(401, "").contains("needs credentials: set MLFLOW_TRACKING_TOKEN"));
        let e = answer(404, "<html>Not Found</html>");
        assert!(e.contains("has no /api/2.0/mlflow/experiments/get-by-name (HTTP 404)"), "{e}");
        assert!(e.contains("check that mlflow.tracking_uri is the URL of an MLflow tracking server"), "{e}");
        assert!(answer(200, "<html>hello</html>").contains("something other than MLflow's JSON"));
    }

    #[test]
    fn credentials_in_the_uri_become_basic_auth_and_leave_the_links() {
        let http = FakeHttp::new(mlflow_server);
        let cfg =
            MlflowConfig { tracking_uri: "https://ann:p%40ss@mlflow.example/".into(), experiment_name: "e".into() };
        let mut t = MlflowTracker::new(&http, &cfg, clock);
        pollster::block_on(t.start(&run_start())).unwrap();
        let r = &http.sent()[0];
        assert!(r.url.starts_with("https://mlflow.example/api/2.0/"), "{}", r.url);
        // base64("ann:p@ss")
        assert!(r.headers.contains(&("Authorization".into(), "Basic YW5uOnBAc3M=".into())));
        assert!(!t.run_link().unwrap().contains("ann"));
        assert_eq!(
            MlflowAuth::from_env(|k| (k == "MLFLOW_TRACKING_USERNAME").then(|| "u".to_string())),
            Some(MlflowAuth::Basic { username: "u".into(), password: String::new() })
        );
        assert_eq!(format!("{:?}", MlflowAuth::Token("SECRET".into())), "Token(<hidden>)");
    }
}
