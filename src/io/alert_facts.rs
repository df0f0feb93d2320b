//! What an alert says, whoever delivers it: how the job ended ([`Outcome`])
//! and its facts ([`AlertFacts`]) with their title, text and JSON, shared by
//! the webhooks (`alerts.rs`) and the page's browser notifications.
//!
//! Apart from `alerts.rs` so that the [`Alerter`](super::services::Alerter)
//! trait can name what it sends without `services.rs` and `alerts.rs`
//! importing each other: this file depends on neither.

use serde_json::{Value, json};

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
    pub(super) fn facts(&self) -> Vec<(String, String)> {
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::core::params::ParamValue;

    pub(crate) fn finished() -> AlertFacts {
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

    pub(crate) fn failed() -> AlertFacts {
        AlertFacts {
            outcome: Outcome::Failed,
            best_score: None,
            best_params: None,
            step: Some("read the data".into()),
            error: Some("x.csv: row 2 (line 3) has 1 cells".into()),
            ..finished()
        }
    }

    pub(crate) const TEXT: &str =
        "Tuning: Best neg_mean_squared_error: -22.5\nBest params: {'max_depth': 7}\n6 candidates, 0 failed fits, 1.2 s";

    #[test]
    fn text_names_score_params_counts_and_duration() {
        assert_eq!(finished().text(), TEXT);
        assert_eq!(failed().text(), "Tuning: Step `read the data` failed: x.csv: row 2 (line 3) has 1 cells");
    }
}
