//! The form's view of a config: one field per setting, with its default.

use std::collections::BTreeSet;

use serde_json::Value as Json;
use toml::Value;

use super::values::{display, display_json, display_param};
use crate::core::catalog::Family;
use crate::core::metrics::MetricKind;
use crate::core::models::Estimator;
use crate::core::preprocess::{Columns, Preprocess, Remainder, Selector, Step, Steps};
use crate::core::searchers::{ErrorScore, SearchSettings, SearcherKind};
use crate::core::splitters::SplitterKind;
use crate::io::config::{AlertsConfig, JobConfig, MlflowConfig, ModelConfig};

/// One setting as the form shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Dotted key in the config (`splitter.n_splits`, `model.max_depth`): what [`Edit::Set`](super::Edit::Set) takes.
    pub key: String,
    /// The setting's name as written in a config.
    pub label: String,
    /// The value as written in the config; empty when the default applies.
    pub value: String,
    /// The default, shown when `value` is empty (`None` when unset).
    pub default: String,
    /// A yes/no setting (a checkbox).
    pub flag: bool,
    /// Set per candidate by the grid or the distributions, so the value here is overridden.
    pub searched: bool,
    /// A secret (the webhook URL): typed into a password field, never shown.
    pub secret: bool,
}

/// The hyperparameters the searcher tries: one row per name, or several grids
/// that only the editor can show.
#[derive(Debug, Clone, PartialEq)]
pub enum Space {
    /// `(name, values)`: values as `3, 5, 7` or `loguniform(0.001, 1000.0)`.
    Rows(Vec<(String, String)>),
    /// A list of this many grids.
    SeveralGrids(usize),
}

/// What the form shows for one config.
#[derive(Debug, Clone, PartialEq)]
pub struct JobForm {
    /// The model's KIND (empty when the config loads it from `model_config_path`).
    pub model_kind: String,
    /// Every hyperparameter the model has, plus any unknown ones the config sets.
    pub hyperparameters: Vec<Field>,
    /// The metric's name as written.
    pub metric: String,
    /// The splitter's KIND.
    pub splitter_kind: &'static str,
    /// The splitter's settings.
    pub splitter: Vec<Field>,
    /// The searcher's KIND.
    pub searcher_kind: &'static str,
    /// The grid or the distributions.
    pub space: Space,
    /// The searcher's other settings (`n_iter`, `error_score`, ...), workers apart.
    pub searcher: Vec<Field>,
    /// `searcher.n_jobs`: workers, 0 for one per hardware thread.
    pub n_jobs: usize,
    /// Tracking and alert settings (`mlflow.tracking_uri`, `alerts.webhook_url`, ...), the format apart.
    pub services: Vec<Field>,
    /// `alerts.format`: how the webhook's message is written.
    pub alert_format: String,
    /// The `[preprocess]` section's transformers, `None` without one.
    pub preprocess: Option<Vec<TransformerRow>>,
    /// `preprocess.remainder`, as written.
    pub remainder: String,
}

/// One transformer of the preprocess section as the form lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct TransformerRow {
    /// Its name (in grid keys).
    pub name: String,
    /// Its columns: `season, weathersit`, or `numeric` / `categorical`.
    pub columns: String,
    /// Its steps as scikit-learn's `make_pipeline` reads:
    /// `SimpleImputer(strategy="median"), StandardScaler()`, or `passthrough`.
    pub steps: String,
}

/// A step as scikit-learn writes it: its KIND and the settings that differ from the defaults.
fn step_text(step: &Step) -> String {
    let kind: &'static str = step.into();
    let defaults = Step::defaults(kind).unwrap_or_default();
    let set = match serde_json::to_value(step) {
        Ok(Json::Object(map)) => map,
        _ => serde_json::Map::new(),
    };
    let args: Vec<String> = set
        .iter()
        .filter(|(k, v)| *k != "KIND" && defaults.get(*k) != Some(*v))
        .map(|(k, v)| format!("{k}={}", display_json(v)))
        .collect();
    format!("{kind}({})", args.join(", "))
}

fn transformer_rows(section: &Preprocess) -> Vec<TransformerRow> {
    let Preprocess::ColumnTransformer(ct) = section;
    ct.transformers
        .iter()
        .map(|t| TransformerRow {
            name: t.name.clone(),
            columns: match &t.columns {
                Columns::Names(names) => names.join(", "),
                Columns::Selector(Selector::Numeric) => "numeric".into(),
                Columns::Selector(Selector::Categorical) => "categorical".into(),
            },
            steps: match &t.steps {
                Steps::Passthrough(_) => "passthrough".into(),
                Steps::Pipeline(steps) => steps.iter().map(step_text).collect::<Vec<_>>().join(", "),
            },
        })
        .collect()
}

impl JobForm {
    /// The form's view of `cfg`.
    pub fn of(cfg: &JobConfig) -> JobForm {
        let space = space_rows(&cfg.searcher);
        let searched: BTreeSet<String> = match &space {
            Space::Rows(rows) => rows.iter().map(|(name, _)| name.clone()).collect(),
            Space::SeveralGrids(_) => BTreeSet::new(),
        };
        let MetricKind::SklearnMetric(metric) = &cfg.metric;
        JobForm {
            model_kind: cfg.model.kind.clone().unwrap_or_default(),
            hyperparameters: hyperparameter_fields(&cfg.model, &searched),
            metric: metric.name.clone(),
            splitter_kind: cfg.splitter.kind(),
            splitter: splitter_fields(&cfg.splitter),
            searcher_kind: cfg.searcher.kind(),
            space,
            searcher: searcher_fields(&cfg.searcher),
            n_jobs: cfg.searcher.settings().n_jobs,
            services: service_fields(&cfg.mlflow, &cfg.alerts),
            alert_format: cfg.alerts.format.as_str().to_string(),
            preprocess: cfg.preprocess.as_ref().map(transformer_rows),
            remainder: match &cfg.preprocess {
                Some(Preprocess::ColumnTransformer(ct)) if ct.remainder == Remainder::Passthrough => {
                    "passthrough".into()
                }
                _ => "drop".into(),
            },
        }
    }
}

impl JobForm {
    /// The field with dotted key `key`, in any section.
    pub fn field(&self, key: &str) -> Option<&Field> {
        let sections = [&self.hyperparameters, &self.splitter, &self.searcher, &self.services];
        sections.into_iter().flatten().find(|f| f.key == key)
    }

    /// The values of grid (or distributions) row `name`.
    pub fn space_values(&self, name: &str) -> Option<&str> {
        match &self.space {
            Space::Rows(rows) => rows.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str()),
            Space::SeveralGrids(_) => None,
        }
    }
}

fn hyperparameter_fields(model: &ModelConfig, searched: &BTreeSet<String>) -> Vec<Field> {
    let defaults = model.kind.as_deref().and_then(Estimator::defaults).unwrap_or_default();
    let names: BTreeSet<&String> = defaults.keys().chain(model.params.keys()).collect();
    names
        .into_iter()
        .map(|name| Field {
            key: format!("model.{name}"),
            label: name.clone(),
            value: model.params.get(name).map(display_param).unwrap_or_default(),
            default: defaults.get(name).map(display_json).unwrap_or_else(|| "not a setting of this model".into()),
            flag: false,
            searched: searched.contains(name),
            secret: false,
        })
        .collect()
}

fn splitter_fields(splitter: &SplitterKind) -> Vec<Field> {
    let defaults = SplitterKind::defaults(splitter.kind()).unwrap_or_default();
    let current = match serde_json::to_value(splitter) {
        Ok(Json::Object(map)) => map,
        _ => serde_json::Map::new(),
    };
    defaults
        .iter()
        .map(|(name, default)| Field {
            key: format!("splitter.{name}"),
            label: name.clone(),
            value: current.get(name).filter(|v| !v.is_null()).map(display_json).unwrap_or_default(),
            default: display_json(default),
            flag: default.is_boolean(),
            searched: false,
            secret: false,
        })
        .collect()
}

fn searcher_fields(searcher: &SearcherKind) -> Vec<Field> {
    let field = |name: &str, value: String, default: String, flag: bool| Field {
        key: format!("searcher.{name}"),
        label: name.to_string(),
        value,
        default,
        flag,
        searched: false,
        secret: false,
    };
    let error_score = |e: ErrorScore| match e {
        ErrorScore::Raise(_) => "raise".to_string(),
        ErrorScore::Value(x) => Value::Float(x).to_string(),
    };
    let mut fields = Vec::new();
    if let SearcherKind::RandomCVSearcher(r) = searcher {
        let defaults = SearcherKind::defaults(searcher.kind()).unwrap_or_default();
        let default = |name: &str| defaults.get(name).map(display_json).unwrap_or_default();
        fields.push(field("n_iter", r.n_iter.to_string(), default("n_iter"), false));
        fields.push(field("random_state", r.random_state.to_string(), default("random_state"), false));
    }
    let (s, d) = (searcher.settings(), SearchSettings::default());
    fields.push(field("error_score", error_score(s.error_score), error_score(d.error_score), false));
    fields.push(field("return_train_score", s.return_train_score.to_string(), d.return_train_score.to_string(), true));
    fields.push(field("refit", s.refit.to_string(), d.refit.to_string(), true));
    fields
}

/// Tracking and alerts: where the job reports, as a person fills them in.
fn service_fields(mlflow: &MlflowConfig, alerts: &AlertsConfig) -> Vec<Field> {
    let field = |key: &str, value: &str, default: &str| Field {
        key: key.to_string(),
        label: key.split_once('.').map_or(key, |(_, name)| name).to_string(),
        value: value.to_string(),
        default: default.to_string(),
        flag: false,
        searched: false,
        secret: false,
    };
    let experiment = MlflowConfig::default().experiment_name;
    vec![
        field("mlflow.tracking_uri", &mlflow.tracking_uri, "empty: no tracking"),
        field("mlflow.experiment_name", &mlflow.experiment_name, &experiment),
        Field { flag: true, ..field("alerts.enable", &alerts.enable.to_string(), "true") },
        Field { flag: true, ..field("alerts.on_cancel", &alerts.on_cancel.to_string(), "false") },
        Field {
            secret: true,
            ..field("alerts.webhook_url", &alerts.webhook_url, "empty: notify in this browser only")
        },
    ]
}

fn space_rows(searcher: &SearcherKind) -> Space {
    let rows = |value: Result<Value, toml::ser::Error>| match value {
        Ok(Value::Table(t)) => Space::Rows(t.iter().map(|(k, v)| (k.clone(), display(v))).collect()),
        Ok(Value::Array(grids)) => Space::SeveralGrids(grids.len()),
        _ => Space::Rows(Vec::new()),
    };
    match searcher {
        SearcherKind::GridCVSearcher(g) => rows(Value::try_from(&g.param_grid)),
        SearcherKind::RandomCVSearcher(r) => rows(Value::try_from(&r.param_distributions)),
    }
}
