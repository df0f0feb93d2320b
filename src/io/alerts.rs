//! Completion alerts: what a finished or failed job tells the person, and the
//! webhook bodies for Slack, Discord, Teams, ntfy and plain JSON.
//!
//! A failing webhook never fails the job: `WebhookAlerter::notify` returns
//! the problem as a message for the log, without the URL (it is a secret).

use serde_json::{Value, json};

use super::config::{AlertFormat, AlertsConfig, Level};
use super::http::{Http, HttpRequest};
use super::services::{Alerter, Logger};
use super::urls::form_urlencode;
use crate::core::params::{Params, params_to_python};

/// How the job ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Every step ran.
    Finished,
    /// A step failed.
    Failed,
    /// The person cancelled; the results hold what finished (only with `alerts.on_cancel`).
    Cancelled,
}

impl Outcome {
    /// The JSON body's `status`.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Finished => "finished",
            Outcome::Failed => "failed",
            Outcome::Cancelled => "cancelled",
        }
    }
}

/// Everything an alert says.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertFacts {
    /// How the job ended.
    pub outcome: Outcome,
    /// The run name (`run_config.name`).
    pub job: String,
    /// The score's name, e.g. `neg_mean_squared_error`.
    pub metric: String,
    /// The best mean test score (finished jobs).
    pub best_score: Option<f64>,
    /// The best hyperparameters (finished jobs).
    pub best_params: Option<Params>,
    /// Candidates searched.
    pub n_candidates: usize,
    /// Fits that failed and scored `error_score`.
    pub n_failed_fits: usize,
    /// Wall time in seconds.
    pub duration: f64,
    /// The tracked run's page, when tracking is on.
    pub run_link: Option<String>,
    /// The failed step (failed jobs).
    pub step: Option<String>,
    /// The error (failed jobs).
    pub error: Option<String>,
}

impl AlertFacts {
    /// "Tuning Job Finished", "Tuning Job Failed" or "Tuning Job Cancelled".
    pub fn title(&self) -> &'static str {
        match self.outcome {
            Outcome::Finished => "Tuning Job Finished",
            Outcome::Failed => "Tuning Job Failed",
            Outcome::Cancelled => "Tuning Job Cancelled",
        }
    }

    /// The message as plain text.
    pub fn text(&self) -> String {
        let mut lines = Vec::new();
        match self.outcome {
            Outcome::Finished | Outcome::Cancelled => {
                if self.outcome == Outcome::Cancelled {
                    lines.push("Cancelled before every fit ran; the best of the fits that finished:".to_string());
                }
                if let Some(score) = self.best_score {
                    lines.push(format!("Best {}: {score}", self.metric));
                }
                if let Some(params) = &self.best_params {
                    lines.push(format!("Best params: {}", params_to_python(params)));
                }
                lines.push(format!(
                    "{} candidates, {} failed fits, {:.1} s",
                    self.n_candidates, self.n_failed_fits, self.duration
                ));
            }
            Outcome::Failed => {
                lines.push(format!(
                    "Step `{}` failed: {}",
                    self.step.as_deref().unwrap_or("?"),
                    self.error.as_deref().unwrap_or("unknown error")
                ));
            }
        }
        if let Some(link) = &self.run_link {
            lines.push(format!("Run: {link}"));
        }
        format!("{}: {}", self.job, lines.join("\n"))
    }

    /// Label/value pairs for cards and embeds.
    fn facts(&self) -> Vec<(String, String)> {
        let mut facts = Vec::new();
        if let Some(score) = self.best_score {
            facts.push((format!("Best {}", self.metric), score.to_string()));
        }
        if let Some(params) = &self.best_params {
            facts.push(("Best params".into(), params_to_python(params)));
        }
        if self.outcome != Outcome::Failed {
            facts.push(("Candidates".into(), self.n_candidates.to_string()));
            facts.push(("Failed fits".into(), self.n_failed_fits.to_string()));
        }
        if let Some(step) = &self.step {
            facts.push(("Step".into(), step.clone()));
        }
        facts.push(("Duration".into(), format!("{:.1} s", self.duration)));
        facts
    }

    /// The generic JSON body: every field, machine-readable.
    pub fn to_json(&self) -> Value {
        json!({
            "title": self.title(),
            "status": self.outcome.as_str(),
            "job": self.job,
            "metric": self.metric,
            "best_score": self.best_score,
            "best_params": self.best_params,
            "n_candidates": self.n_candidates,
            "n_failed_fits": self.n_failed_fits,
            "duration_seconds": self.duration,
            "run_link": self.run_link,
            "step": self.step,
            "error": self.error,
            "text": self.text(),
        })
    }
}

/// The request that delivers `facts` to a webhook in `format`. In a browser,
/// Slack gets a form-encoded simple request: it answers no CORS preflight.
pub fn webhook_request(format: AlertFormat, url: &str, facts: &AlertFacts, in_browser: bool) -> HttpRequest {
    let title = facts.title();
    match format {
        AlertFormat::Slack => {
            let body = json!({ "text": format!("*{title}*\n{}", facts.text()) });
            if in_browser {
                HttpRequest {
                    method: "POST",
                    url: url.to_string(),
                    headers: vec![("Content-Type".into(), "application/x-www-form-urlencoded".into())],
                    body: format!("payload={}", form_urlencode(&body.to_string())).into_bytes(),
                    no_cors: true,
                }
            } else {
                HttpRequest::post_json(url, &body)
            }
        }
        AlertFormat::Discord => {
            let color = match facts.outcome {
                Outcome::Finished => 0x2e7d32,
                Outcome::Failed => 0xb3261e,
                Outcome::Cancelled => 0xb26a00,
            };
            let fields: Vec<Value> = facts
                .facts()
                .into_iter()
                .map(|(name, value)| json!({"name": name, "value": value, "inline": true}))
                .collect();
            HttpRequest::post_json(
                url,
                &json!({
                    "content": title,
                    "embeds": [{ "title": title, "description": facts.text(), "color": color, "fields": fields }],
                }),
            )
        }
        AlertFormat::Teams => {
            let fact_set: Vec<Value> =
                facts.facts().into_iter().map(|(title, value)| json!({"title": title, "value": value})).collect();
            HttpRequest::post_json(
                url,
                &json!({
                    "type": "message",
                    "attachments": [{
                        "contentType": "application/vnd.microsoft.card.adaptive",
                        "contentUrl": null,
                        "content": {
                            "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                            "type": "AdaptiveCard",
                            "version": "1.4",
                            "body": [
                                {"type": "TextBlock", "text": title, "weight": "Bolder", "size": "Medium"},
                                {"type": "TextBlock", "text": facts.text(), "wrap": true},
                                {"type": "FactSet", "facts": fact_set},
                            ],
                        },
                    }],
                }),
            )
        }
        AlertFormat::Ntfy => HttpRequest {
            method: "POST",
            url: url.to_string(),
            headers: vec![
                ("Title".into(), title.into()),
                ("Tags".into(), ntfy_tag(facts.outcome).into()),
                ("Content-Type".into(), "text/plain; charset=utf-8".into()),
            ],
            body: facts.text().into_bytes(),
            no_cors: false,
        },
        AlertFormat::Json => HttpRequest::post_json(url, &facts.to_json()),
    }
}

/// ntfy's emoji tag for the outcome.
fn ntfy_tag(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Finished => "white_check_mark",
        Outcome::Failed => "x",
        Outcome::Cancelled => "warning",
    }
}

/// Logs every alert and, when a webhook URL is set, sends it there.
pub struct WebhookAlerter<'a, H: Http> {
    /// The transport.
    pub http: &'a H,
    /// `[alerts]` from the config.
    pub config: AlertsConfig,
    /// True in the page (Slack then goes as a simple `no-cors` request).
    pub in_browser: bool,
    /// Where the alert is also written (the CLI prints it; the page logs it).
    pub logger: &'a dyn Logger,
}

impl<H: Http> Alerter for WebhookAlerter<'_, H> {
    async fn notify(&self, facts: &AlertFacts) -> Result<String, String> {
        self.logger.log(Level::Info, &format!("{}: {}", facts.title(), facts.text()));
        if !self.config.enable || self.config.webhook_url.is_empty() {
            return Ok("written to the log (no alerts.webhook_url)".into());
        }
        let format = format!("{:?}", self.config.format).to_lowercase();
        let request = webhook_request(self.config.format, &self.config.webhook_url, facts, self.in_browser);
        let response = self.http.send(&request).await.map_err(|e| format!("the {format} webhook: {e}"))?;
        let delivered = match response.status {
            0 => format!("sent to the {format} webhook; a browser cannot confirm its delivery (no-cors request)"),
            200..=299 => format!("the {format} webhook accepted the alert"),
            status => {
                return Err(format!(
                    "the {format} webhook answered HTTP {status}: {}",
                    response.body.chars().take(200).collect::<String>()
                ));
            }
        };
        self.logger.log(Level::Info, &delivered);
        Ok(delivered)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::params::ParamValue;

    fn finished() -> AlertFacts {
        AlertFacts {
            outcome: Outcome::Finished,
            job: "Tuning".into(),
            metric: "neg_mean_squared_error".into(),
            best_score: Some(-22.5),
            best_params: Some(Params::from([("max_depth".to_string(), ParamValue::Int(7))])),
            n_candidates: 6,
            n_failed_fits: 0,
            duration: 1.25,
            run_link: None,
            step: None,
            error: None,
        }
    }

    fn failed() -> AlertFacts {
        AlertFacts {
            outcome: Outcome::Failed,
            best_score: None,
            best_params: None,
            step: Some("read the data".into()),
            error: Some("x.csv: row 2 (line 3) has 1 cells".into()),
            ..finished()
        }
    }

    fn body(request: &HttpRequest) -> Value {
        serde_json::from_slice(&request.body).unwrap()
    }

    const TEXT: &str =
        "Tuning: Best neg_mean_squared_error: -22.5\nBest params: {'max_depth': 7}\n6 candidates, 0 failed fits, 1.2 s";

    #[test]
    fn text_names_score_params_counts_and_duration() {
        assert_eq!(finished().text(), TEXT);
        assert_eq!(failed().text(), "Tuning: Step `read the data` failed: x.csv: row 2 (line 3) has 1 cells");
    }

    #[test]
    fn slack_body_native_and_in_a_browser() {
        let native = webhook_request(AlertFormat::Slack, "https://hooks/x", &finished(), false);
        assert_eq!(body(&native), json!({"text": format!("*Tuning Job Finished*\n{TEXT}")}));
        assert!(!native.no_cors);
        let browser = webhook_request(AlertFormat::Slack, "https://hooks/x", &finished(), true);
        assert!(browser.no_cors);
        assert_eq!(
            browser.headers,
            vec![("Content-Type".to_string(), "application/x-www-form-urlencoded".to_string())]
        );
        let form = String::from_utf8(browser.body).unwrap();
        assert!(form.starts_with("payload=%7B%22text%22%3A%22%2ATuning+Job+Finished%2A%5Cn"), "{form}");
    }

    #[test]
    fn discord_body() {
        let b = body(&webhook_request(AlertFormat::Discord, "u", &finished(), false));
        assert_eq!(b["content"], "Tuning Job Finished");
        assert_eq!(b["embeds"][0]["description"], TEXT);
        assert_eq!(b["embeds"][0]["color"], 0x2e7d32);
        assert_eq!(
            b["embeds"][0]["fields"][0],
            json!({"name": "Best neg_mean_squared_error", "value": "-22.5", "inline": true})
        );
    }

    #[test]
    fn teams_body_is_an_adaptive_card() {
        let b = body(&webhook_request(AlertFormat::Teams, "u", &failed(), false));
        let card = &b["attachments"][0];
        assert_eq!(card["contentType"], "application/vnd.microsoft.card.adaptive");
        assert_eq!(card["content"]["type"], "AdaptiveCard");
        assert_eq!(card["content"]["body"][0]["text"], "Tuning Job Failed");
        assert_eq!(card["content"]["body"][2]["facts"][0], json!({"title": "Step", "value": "read the data"}));
    }

    #[test]
    fn ntfy_posts_the_text_with_a_title_header() {
        let r = webhook_request(AlertFormat::Ntfy, "https://ntfy.sh/topic", &finished(), true);
        assert_eq!(String::from_utf8(r.body).unwrap(), TEXT);
        assert!(r.headers.contains(&("Title".to_string(), "Tuning Job Finished".to_string())));
        assert!(!r.no_cors, "ntfy answers CORS");
    }

    #[test]
    fn json_body_has_every_field() {
        let b = body(&webhook_request(AlertFormat::Json, "u", &finished(), false));
        assert_eq!(b["status"], "finished");
        assert_eq!(b["best_score"], -22.5);
        assert_eq!(b["best_params"], json!({"max_depth": 7}));
        assert_eq!(b["n_candidates"], 6);
        assert_eq!(b["duration_seconds"], 1.25);
        assert_eq!(b["error"], Value::Null);
    }

    #[test]
    fn a_cancelled_job_says_so_in_every_format() {
        let cancelled = AlertFacts { outcome: Outcome::Cancelled, n_failed_fits: 3, ..finished() };
        assert_eq!(cancelled.title(), "Tuning Job Cancelled");
        assert!(
            cancelled.text().starts_with(
                "Tuning: Cancelled before every fit ran; the best of the fits that finished:\nBest neg_mean_squared_error: -22.5"
            ),
            "{}",
            cancelled.text()
        );
        assert_eq!(body(&webhook_request(AlertFormat::Json, "u", &cancelled, false))["status"], "cancelled");
        let discord = body(&webhook_request(AlertFormat::Discord, "u", &cancelled, false));
        assert_eq!(
            (discord["content"].as_str(), discord["embeds"][0]["color"].as_i64()),
            (Some("Tuning Job Cancelled"), Some(0xb26a00))
        );
        let ntfy = webhook_request(AlertFormat::Ntfy, "u", &cancelled, false);
        assert!(ntfy.headers.contains(&("Tags".to_string(), "warning".to_string())));
    }
}
