//! Completion alerts by webhook: the bodies for Slack, Discord, Teams, ntfy and
//! plain JSON, and the [`Alerter`] that sends them. What an alert says is in
//! `alert_facts.rs`, re-exported here so that callers find every alert type in
//! one module.
//!
//! A failing webhook never fails the job: `WebhookAlerter::notify` returns
//! the problem as a message for the log, without the URL (it is a secret).

use serde_json::{Value, json};

pub use super::alert_facts::{AlertFacts, Outcome};
use super::config::{AlertFormat, AlertsConfig, Level};
use super::http::{Http, HttpRequest};
use super::services::{Alerter, Logger};
use super::urls::{form_urlencode, redact_url};

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
        let format = self.config.format.as_str();
        let url = &self.config.webhook_url;
        let request = webhook_request(self.config.format, url, facts, self.in_browser);
        let response =
            self.http.send(&request).await.map_err(|e| redact_url(&format!("the {format} webhook: {e}"), url))?;
        let delivered = match response.status {
            0 => format!("sent to the {format} webhook; a browser cannot confirm its delivery (no-cors request)"),
            200..=299 => format!("the {format} webhook accepted the alert"),
            status => {
                // The body is cut after the secrets are out, so no token is cut in half and kept.
                let body = redact_url(&response.body, url);
                return Err(format!(
                    "the {format} webhook answered HTTP {status}: {}",
                    body.chars().take(200).collect::<String>()
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
    use crate::io::alert_facts::tests::{TEXT, failed, finished};

    fn body(request: &HttpRequest) -> Value {
        serde_json::from_slice(&request.body).unwrap()
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
