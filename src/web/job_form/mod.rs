//! The job form: the common settings of a job config as fields, and the edits
//! the form makes.
//!
//! The TOML editor is the one source of truth. The form shows the parsed
//! `JobConfig` ([`JobForm::of`]); an edit ([`apply`]) takes that config,
//! changes one setting and returns a new config or the engine's own error;
//! the page writes it back into the editor with [`to_toml`]. Writing loses
//! the editor's comments and layout (the page says so): in exchange the two
//! views can never disagree. Edits go through a TOML table and back through
//! the engine's parser, so the form accepts exactly what a config file does.
//!
//! `view` builds the fields the form shows, `edit` makes one change, and
//! `values` reads and writes the values typed into fields.

mod edit;
mod values;
mod view;

use serde::Serialize;
use strum::VariantNames;

use crate::core::catalog::Family;
use crate::core::metrics::{MetricKind, MetricName};
use crate::core::models::Estimator;
use crate::core::preprocess::Preprocess;
use crate::core::searchers::SearcherKind;
use crate::core::splitters::SplitterKind;
use crate::io::config::{
    AlertFormat, AlertsConfig, JobConfig, JobKind, LoggerConfig, MlflowConfig, ModelConfig, ReaderKind, RunConfig,
};
use crate::jobs::checks::check_config;

pub use edit::{Edit, SPACE, apply};
pub use values::parse_scalar;
pub use view::{Field, JobForm, Space, TransformerRow};

/// Splitter KINDs the form offers: the catalog's.
pub const SPLITTER_KINDS: &[&str] = SplitterKind::VARIANTS;

/// `alerts.format` values: the webhook's message format.
pub const ALERT_FORMATS: &[&str] = AlertFormat::VARIANTS;

/// Searcher KINDs the form offers: the catalog's.
pub const SEARCHER_KINDS: &[&str] = SearcherKind::VARIANTS;

/// Every model KIND the picker offers, and whether it is a classifier.
pub fn model_choices() -> Vec<(&'static str, bool)> {
    Estimator::kinds().iter().map(|&kind| (kind, Estimator::kind_is_classifier(kind).unwrap_or(false))).collect()
}

/// Every metric the picker offers: its name and whether it is for classifiers.
pub fn metric_choices() -> Vec<(&'static str, bool)> {
    MetricName::all().map(|m| (m.as_str(), m.is_classification())).collect()
}

/// What the engine would reject before reading any data: the job's own
/// [`check_config`], plus what the page cannot do. `Ok` holds the candidate count.
pub fn check(cfg: &JobConfig) -> Result<usize, String> {
    if cfg.model.model_config_path.is_some() {
        return Err("model.model_config_path: the page can only read the two CSV files; \
                    write the model's settings under [model] instead"
            .into());
    }
    check_config(cfg, &cfg.model).map(|checked| checked.candidates().len()).map_err(|e| e.message)
}

/// What one form edit does: the config text to write into the editor (none
/// when the edit is refused), and the error to show at the edited field:
/// why it was refused, or what the job check says of the new config.
#[derive(Debug, Clone, PartialEq)]
pub struct Edited {
    /// The new config text.
    pub text: Option<String>,
    /// The error for the field [`Edit::place`] names.
    pub error: Option<String>,
}

/// Makes `edit` on `cfg`: the parser refuses what a config file could not
/// say; the job check's error on the result belongs to the field just edited.
pub fn edit(cfg: &JobConfig, edit: &Edit) -> Edited {
    match apply(cfg, edit).and_then(|new| Ok((to_toml(&new)?, new))) {
        Ok((text, new)) => Edited { text: Some(text), error: check(&new).err() },
        Err(e) => Edited { text: None, error: Some(e) },
    }
}

/// The config as TOML, leaving out the sections that only hold defaults
/// (tracking, alerts, logger, run name) so the editor shows what matters.
pub fn to_toml(cfg: &JobConfig) -> Result<String, String> {
    /// `JobConfig`'s fields in its order, the default-only sections as `None`.
    #[derive(Serialize)]
    struct Lean<'a> {
        #[serde(rename = "KIND")]
        kind: &'a JobKind,
        #[serde(skip_serializing_if = "Option::is_none")]
        run_config: Option<&'a RunConfig>,
        inputs: &'a ReaderKind,
        targets: &'a ReaderKind,
        #[serde(skip_serializing_if = "Option::is_none")]
        preprocess: Option<&'a Preprocess>,
        model: &'a ModelConfig,
        metric: &'a MetricKind,
        splitter: &'a SplitterKind,
        searcher: &'a SearcherKind,
        #[serde(skip_serializing_if = "Option::is_none")]
        mlflow: Option<&'a MlflowConfig>,
        #[serde(skip_serializing_if = "Option::is_none")]
        alerts: Option<&'a AlertsConfig>,
        #[serde(skip_serializing_if = "Option::is_none")]
        logger: Option<&'a LoggerConfig>,
    }
    fn unless_default<T: Default + PartialEq>(value: &T) -> Option<&T> {
        (*value != T::default()).then_some(value)
    }
    let lean = Lean {
        kind: &cfg.kind,
        run_config: unless_default(&cfg.run_config),
        inputs: &cfg.inputs,
        targets: &cfg.targets,
        preprocess: cfg.preprocess.as_ref(),
        model: &cfg.model,
        metric: &cfg.metric,
        splitter: &cfg.splitter,
        searcher: &cfg.searcher,
        mlflow: unless_default(&cfg.mlflow),
        alerts: unless_default(&cfg.alerts),
        logger: unless_default(&cfg.logger),
    };
    toml::to_string(&lean).map_err(|e| format!("the config could not be written as TOML: {e}"))
}

/// Where line `line` (1-based) starts and ends in `text`, in the UTF-16 units
/// a textarea's selection counts; past the end, the end.
pub fn line_span(text: &str, line: usize) -> (u32, u32) {
    let units = |s: &str| s.encode_utf16().count() as u32;
    let mut start = 0;
    for (n, content) in text.split('\n').enumerate() {
        let len = units(content);
        if n + 1 == line {
            return (start, start + len);
        }
        start += len + 1;
    }
    let end = units(text);
    (end, end)
}

#[cfg(test)]
mod tests;
