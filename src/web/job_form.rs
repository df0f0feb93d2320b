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

use std::collections::BTreeSet;

use serde::Serialize;
use serde_json::Value as Json;
use toml::{Table, Value};

use crate::core::metrics::{MetricKind, MetricName};
use crate::jobs::checks::check_config;
use strum::VariantNames;

use crate::core::catalog::Family;
use crate::core::models::Estimator;
use crate::core::params::ParamValue;
use crate::core::searchers::{Distribution, ErrorScore, SearchSettings, SearcherKind};
use crate::core::splitters::SplitterKind;
use crate::io::config::{
    AlertFormat, AlertsConfig, Format, JobConfig, JobKind, LoggerConfig, MlflowConfig, ModelConfig, ReaderKind,
    RunConfig, parse,
};

/// Splitter KINDs the form offers: the catalog's.
pub const SPLITTER_KINDS: &[&str] = SplitterKind::VARIANTS;

/// `alerts.format` values: the webhook's message format.
pub const ALERT_FORMATS: &[&str] = AlertFormat::VARIANTS;

/// Searcher KINDs the form offers: the catalog's.
pub const SEARCHER_KINDS: &[&str] = SearcherKind::VARIANTS;

/// `RandomCVSearcher` distributions, written as scipy's calls: `loguniform(0.001, 1000)`.
const DISTRIBUTIONS: &[&str] = Distribution::VARIANTS;

/// Settings kept when the splitter's KIND changes (where the new KIND has them).
const SHARED_SPLITTER_KEYS: [&str; 3] = ["n_splits", "shuffle", "random_state"];

/// Settings every searcher has, kept when the searcher's KIND changes.
const SHARED_SEARCHER_KEYS: [&str; 4] = ["n_jobs", "error_score", "return_train_score", "refit"];

/// Every model KIND the picker offers, and whether it is a classifier.
pub fn model_choices() -> Vec<(&'static str, bool)> {
    Estimator::kinds().iter().map(|&kind| (kind, Estimator::kind_is_classifier(kind).unwrap_or(false))).collect()
}

/// Every metric the picker offers: its name and whether it is for classifiers.
pub fn metric_choices() -> Vec<(&'static str, bool)> {
    MetricName::all().map(|m| (m.as_str(), m.is_classification())).collect()
}

/// One setting as the form shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Dotted key in the config (`splitter.n_splits`, `model.max_depth`): what [`Edit::Set`] takes.
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

/// One change the form makes.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// Another model: hyperparameters and grid rows it does not have are
    /// dropped, and a metric for the other kind of model (classifier or
    /// regressor) becomes the usual one for this kind.
    ModelKind(String),
    /// Another metric, by name; its direction is the metric's own.
    Metric(String),
    /// Another splitter, keeping `n_splits`, `shuffle` and `random_state` where it has them.
    SplitterKind(String),
    /// Another searcher, keeping the shared settings and turning the grid into
    /// choices (or distributions into their end points).
    SearcherKind(String),
    /// One setting by dotted key: text as in TOML, bare words as strings,
    /// empty for the default.
    Set {
        /// `section.name`.
        key: String,
        /// The new value.
        text: String,
    },
    /// Adds (`old: None`), changes or renames (`old: Some`) a row of the grid
    /// or distributions; an empty `name` removes row `old`.
    SpaceRow {
        /// The row's current name, if it exists.
        old: Option<String>,
        /// The hyperparameter's name.
        name: String,
        /// Its values: `3, 5, 7`, `"gini", "entropy"`, or `loguniform(0.001, 1000)`.
        values: String,
    },
}

/// `cfg` changed by `edit`, or the reason it cannot be, as the engine words it.
pub fn apply(cfg: &JobConfig, edit: &Edit) -> Result<JobConfig, String> {
    let mut table = Table::try_from(cfg).map_err(|e| format!("this config cannot be edited in the form: {e}"))?;
    match edit {
        Edit::ModelKind(kind) => set_model_kind(&mut table, cfg, kind)?,
        Edit::Metric(name) => {
            table.insert("metric".into(), metric_table(name));
        }
        Edit::SplitterKind(kind) => set_splitter_kind(&mut table, kind)?,
        Edit::SearcherKind(kind) => set_searcher_kind(&mut table, kind)?,
        Edit::Set { key, text } => set(&mut table, key, text)?,
        Edit::SpaceRow { old, name, values } => set_space_row(&mut table, old.as_deref(), name, values)?,
    }
    let text = toml::to_string(&table).map_err(|e| e.to_string())?;
    parse::<JobConfig>("form", &text, Format::Toml).map_err(|e| match edit {
        // The engine's path stops at a tagged section (`splitter`); the form knows the key.
        Edit::Set { key, .. } => format!("{key}: {}", e.message),
        _ if e.path.is_empty() => e.message,
        _ => format!("{}: {}", e.path, e.message),
    })
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

/// A value typed into a field: TOML (`3`, `0.5`, `true`, `"x"`, `nan`), or
/// the text itself as a string (`sqrt`). `None` for empty text.
pub fn parse_scalar(text: &str) -> Option<Value> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    let parsed = if t.contains('\n') { None } else { toml::from_str::<Table>(&format!("v = {t}")).ok() };
    Some(match parsed.and_then(|mut table| table.remove("v")) {
        Some(v) if !v.is_table() && !v.is_datetime() => v,
        _ => Value::String(t.to_string()),
    })
}

/// A value as the form shows it: strings bare unless they would read back
/// as something else, lists as `a, b, c`.
fn display(value: &Value) -> String {
    match value {
        Value::String(s) => match parse_scalar(s) {
            Some(Value::String(back)) if back == *s && !s.contains(',') => s.clone(),
            _ => value.to_string(),
        },
        Value::Array(items) => items.iter().map(display).collect::<Vec<_>>().join(", "),
        Value::Table(t) => match (t.get("distribution").and_then(Value::as_str), t.get("low"), t.get("high")) {
            (Some(d), Some(low), Some(high)) => format!("{d}({}, {})", display(low), display(high)),
            _ => value.to_string(),
        },
        other => other.to_string(),
    }
}

fn display_param(value: &ParamValue) -> String {
    Value::try_from(value).map(|v| display(&v)).unwrap_or_default()
}

/// A default as the form shows it; `None` for unset options, as scikit-learn prints them.
fn display_json(value: &Json) -> String {
    match value {
        Json::Null => "None".into(),
        Json::String(s) => s.clone(),
        other => other.to_string(),
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

/// The section `name` of a config table, created when missing.
fn section<'t>(table: &'t mut Table, name: &str) -> Result<&'t mut Table, String> {
    table
        .entry(name.to_string())
        .or_insert_with(|| Value::Table(Table::new()))
        .as_table_mut()
        .ok_or_else(|| format!("{name} is not a table"))
}

fn metric_table(name: &str) -> Value {
    Value::Table(Table::from_iter([
        ("KIND".to_string(), Value::String("SklearnMetric".into())),
        ("name".to_string(), Value::String(name.into())),
    ]))
}

fn set(table: &mut Table, key: &str, text: &str) -> Result<(), String> {
    let (name, field) = key.split_once('.').ok_or_else(|| format!("`{key}` is not a setting the form knows"))?;
    let section = section(table, name)?;
    match parse_scalar(text) {
        Some(value) => section.insert(field.to_string(), value),
        None => section.remove(field),
    };
    Ok(())
}

fn set_model_kind(table: &mut Table, cfg: &JobConfig, kind: &str) -> Result<(), String> {
    let known = Estimator::defaults(kind).ok_or_else(|| format!("unknown model `{kind}`; pick one from the list"))?;
    let mut model = Table::from_iter([("KIND".to_string(), Value::String(kind.into()))]);
    if let Some(path) = &cfg.model.model_config_path {
        model.insert("model_config_path".into(), Value::String(path.clone()));
    }
    for (name, value) in cfg.model.params.iter().filter(|(name, _)| known.contains_key(*name)) {
        model.insert(name.clone(), Value::try_from(value).map_err(|e| e.to_string())?);
    }
    table.insert("model".into(), Value::Table(model));
    // The grid keeps only what the new model has.
    let searcher = section(table, "searcher")?;
    for space in ["param_grid", "param_distributions"] {
        match searcher.get_mut(space) {
            Some(Value::Table(t)) => t.retain(|name, _| known.contains_key(name)),
            Some(Value::Array(grids)) => grids
                .iter_mut()
                .filter_map(Value::as_table_mut)
                .for_each(|t| t.retain(|name, _| known.contains_key(name))),
            _ => {}
        }
    }
    // A classification metric fails a regressor's search (and the reverse).
    let classifier = Estimator::kind_is_classifier(kind).unwrap_or(false);
    if let Ok(metric) = cfg.metric.check()
        && metric.name.is_classification() != classifier
    {
        table.insert("metric".into(), metric_table(if classifier { "accuracy" } else { "mean_squared_error" }));
    }
    Ok(())
}

fn set_splitter_kind(table: &mut Table, kind: &str) -> Result<(), String> {
    let keys =
        SplitterKind::defaults(kind).ok_or_else(|| format!("unknown splitter `{kind}`; pick one from the list"))?;
    let old = table.get("splitter").and_then(Value::as_table).cloned().unwrap_or_default();
    let mut new = Table::from_iter([("KIND".to_string(), Value::String(kind.into()))]);
    for key in SHARED_SPLITTER_KEYS.into_iter().filter(|k| keys.contains_key(*k)) {
        if let Some(value) = old.get(key) {
            new.insert(key.into(), value.clone());
        }
    }
    table.insert("splitter".into(), Value::Table(new));
    Ok(())
}

fn set_searcher_kind(table: &mut Table, kind: &str) -> Result<(), String> {
    let old = table.get("searcher").and_then(Value::as_table).cloned().unwrap_or_default();
    let mut new = Table::from_iter([("KIND".to_string(), Value::String(kind.into()))]);
    for key in SHARED_SEARCHER_KEYS {
        if let Some(value) = old.get(key) {
            new.insert(key.into(), value.clone());
        }
    }
    let space = match kind {
        "GridCVSearcher" => match old.get("param_distributions") {
            // Each distribution becomes the grid of its two end points.
            Some(Value::Table(spaces)) => Value::Table(
                spaces
                    .iter()
                    .map(|(name, space)| {
                        let values = match space {
                            Value::Table(d) => {
                                Value::Array(["low", "high"].iter().filter_map(|k| d.get(*k).cloned()).collect())
                            }
                            other => other.clone(),
                        };
                        (name.clone(), values)
                    })
                    .collect(),
            ),
            _ => old.get("param_grid").cloned().unwrap_or_else(|| Value::Table(Table::new())),
        },
        "RandomCVSearcher" => match old.get("param_grid") {
            // Several grids: the first one's lists become choices.
            Some(Value::Array(grids)) => grids.first().cloned().unwrap_or_else(|| Value::Table(Table::new())),
            Some(grid) => grid.clone(),
            None => old.get("param_distributions").cloned().unwrap_or_else(|| Value::Table(Table::new())),
        },
        other => return Err(format!("unknown searcher `{other}`; pick one from the list")),
    };
    let key = if kind == "GridCVSearcher" { "param_grid" } else { "param_distributions" };
    new.insert(key.into(), space);
    table.insert("searcher".into(), Value::Table(new));
    Ok(())
}

fn set_space_row(table: &mut Table, old: Option<&str>, name: &str, values: &str) -> Result<(), String> {
    let searcher = section(table, "searcher")?;
    let random = searcher.get("KIND").and_then(Value::as_str) == Some("RandomCVSearcher");
    let (key, what) = if random { ("param_distributions", "distributions") } else { ("param_grid", "grid") };
    let space = searcher
        .entry(key.to_string())
        .or_insert_with(|| Value::Table(Table::new()))
        .as_table_mut()
        .ok_or("this search has several grids: edit them in the TOML editor")?;
    if let Some(old) = old {
        space.remove(old);
    }
    let name = name.trim();
    if name.is_empty() {
        return Ok(());
    }
    if space.contains_key(name) {
        return Err(format!("`{name}` is already in the {what}; change its row instead"));
    }
    space.insert(name.to_string(), parse_space(values, random)?);
    Ok(())
}

/// A row's values: a list (`3, 5, 7`, brackets optional) or, for a random
/// search, a distribution (`loguniform(0.001, 1000)`).
fn parse_space(text: &str, random: bool) -> Result<Value, String> {
    let t = text.trim();
    if let Some(distribution) = parse_distribution(t)? {
        if !random {
            return Err(format!(
                "`{t}`: distributions need the RandomCVSearcher; a grid lists values, e.g. 0.1, 1, 10"
            ));
        }
        return Ok(distribution);
    }
    let inner = t.strip_prefix('[').and_then(|s| s.strip_suffix(']')).unwrap_or(t);
    let items: Vec<Value> = split_list(inner).into_iter().filter_map(parse_scalar).collect();
    if items.is_empty() {
        return Err("give at least one value, e.g. 3, 5, 7".into());
    }
    Ok(Value::Array(items))
}

/// `loguniform(0.001, 1000)` as the config's `{ distribution, low, high }`;
/// `None` when the text is not a distribution call.
fn parse_distribution(text: &str) -> Result<Option<Value>, String> {
    let Some((name, rest)) = text.split_once('(') else { return Ok(None) };
    let name = name.trim();
    if !DISTRIBUTIONS.contains(&name) {
        return Ok(None);
    }
    let usage = format!("`{text}`: write {name}(low, high) with two numbers, e.g. {name}(1, 100)");
    let args = rest.trim_end().strip_suffix(')').ok_or_else(|| usage.clone())?;
    let bounds: Vec<Value> = split_list(args).into_iter().filter_map(parse_scalar).collect();
    let bound = |v: &Value| match (name, v) {
        ("randint", Value::Integer(i)) => Some(Value::Integer(*i)),
        ("randint", _) => None,
        (_, Value::Integer(i)) => Some(Value::Float(*i as f64)),
        (_, Value::Float(f)) => Some(Value::Float(*f)),
        _ => None,
    };
    match bounds.as_slice() {
        [low, high] => match (bound(low), bound(high)) {
            (Some(low), Some(high)) => Ok(Some(Value::Table(Table::from_iter([
                ("distribution".to_string(), Value::String(name.into())),
                ("low".to_string(), low),
                ("high".to_string(), high),
            ])))),
            _ => Err(usage),
        },
        _ => Err(usage),
    }
}

/// Splits at commas outside quotes; empty items (a trailing comma) are dropped.
fn split_list(text: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let (mut start, mut quote) = (0, None);
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, ',') => {
                items.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&text[start..]);
    items.into_iter().map(str::trim).filter(|s| !s.is_empty()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::config::parse_job;

    const DEMO: &str = include_str!("../../www/demos/regression.toml");

    fn demo() -> JobConfig {
        parse_job("regression.toml", DEMO).unwrap()
    }

    fn edit(cfg: &JobConfig, e: Edit) -> JobConfig {
        apply(cfg, &e).unwrap_or_else(|err| panic!("{e:?}: {err}"))
    }

    fn set(key: &str, text: &str) -> Edit {
        Edit::Set { key: key.into(), text: text.into() }
    }

    fn row(old: Option<&str>, name: &str, values: &str) -> Edit {
        Edit::SpaceRow { old: old.map(str::to_string), name: name.into(), values: values.into() }
    }

    /// Every config the project ships reads back equal after the form writes it.
    #[test]
    fn written_toml_reads_back_as_the_same_config() {
        let mut files = vec![std::path::PathBuf::from("www/demos/regression.toml")];
        for dir in ["examples", "tests/configs/valid", "tests/configs/valid/models", "www/demos"] {
            let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
            for entry in std::fs::read_dir(root).unwrap().flatten() {
                files.push(entry.path());
            }
        }
        let mut seen = 0;
        for path in files.iter().filter(|p| p.extension().is_some_and(|e| e == "toml" || e == "json")) {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
            let text = std::fs::read_to_string(&path).unwrap();
            let Ok(cfg) = parse_job(&path.display().to_string(), &text) else { continue };
            let written = to_toml(&cfg).unwrap();
            // Debug text, not `==`: `error_score = nan` is never equal to itself.
            let back = parse_job("written", &written).unwrap();
            assert_eq!(format!("{back:?}"), format!("{cfg:?}"), "{}:\n{written}", path.display());
            seen += 1;
        }
        assert!(seen >= 8, "only {seen} configs checked");
    }

    #[test]
    fn written_toml_leaves_out_default_sections_and_keeps_the_order() {
        let written = to_toml(&demo()).unwrap();
        assert!(!written.contains("[mlflow]") && !written.contains("[alerts]"), "{written}");
        let at = |s: &str| written.find(s).unwrap_or_else(|| panic!("no {s} in\n{written}"));
        assert!(at("[inputs]") < at("[targets]") && at("[targets]") < at("[model]"));
        assert!(at("[model]") < at("[metric]") && at("[splitter]") < at("[searcher]"));
        let mut cfg = demo();
        cfg.alerts.webhook_url = "https://hooks.example/secret".into();
        assert!(to_toml(&cfg).unwrap().contains("[alerts]"));
    }

    #[test]
    fn the_form_shows_the_demo() {
        let form = JobForm::of(&demo());
        assert_eq!(form.model_kind, "RandomForestRegressor");
        assert_eq!(form.field("splitter.n_splits").map(|f| f.value.as_str()), Some("4"));
        assert_eq!(form.space_values("min_samples_leaf"), Some("1, 20"));
        let n_estimators = form.hyperparameters.iter().find(|f| f.label == "n_estimators").unwrap();
        assert_eq!((n_estimators.value.as_str(), n_estimators.key.as_str()), ("50", "model.n_estimators"));
        let max_depth = form.hyperparameters.iter().find(|f| f.label == "max_depth").unwrap();
        assert_eq!((max_depth.value.as_str(), max_depth.default.as_str(), max_depth.searched), ("", "None", true));
        assert_eq!(form.metric, "mean_squared_error");
        assert_eq!(form.splitter_kind, "KFoldSplitter");
        let shuffle = form.splitter.iter().find(|f| f.label == "shuffle").unwrap();
        assert!(shuffle.flag && shuffle.value == "true");
        assert_eq!(
            form.space,
            Space::Rows(vec![("max_depth".into(), "3, 5, 7".into()), ("min_samples_leaf".into(), "1, 20".into())])
        );
        assert_eq!(form.n_jobs, 0);
        let train = form.searcher.iter().find(|f| f.label == "return_train_score").unwrap();
        assert_eq!(train.value, "true");
    }

    #[test]
    fn every_model_and_splitter_kind_lists_its_settings() {
        for kind in Estimator::kinds() {
            assert!(Estimator::defaults(kind).is_some_and(|d| !d.is_empty() || *kind == "LinearRegression"), "{kind}");
        }
        for &kind in SPLITTER_KINDS {
            let cfg = edit(&demo(), Edit::SplitterKind(kind.into()));
            assert_eq!(cfg.splitter.kind(), kind);
            assert!(!JobForm::of(&cfg).splitter.is_empty(), "{kind}");
        }
        assert!(metric_choices().contains(&("balanced_accuracy", true)));
        let models = model_choices();
        assert_eq!(models.len(), Estimator::kinds().len());
        assert!(models.contains(&("Ridge", false)) && models.contains(&("SVC", true)));
        assert!(!metric_choices().iter().any(|(n, _)| n.ends_with("_score")), "aliases are not offered");
    }

    #[test]
    fn tracking_and_alerts_are_set_from_the_form() {
        let mut cfg = edit(&demo(), set("mlflow.tracking_uri", "http://127.0.0.1:5000"));
        for (key, text) in [("alerts.enable", "false"), ("alerts.webhook_url", "https://hooks.example/T0/s")] {
            cfg = edit(&cfg, set(key, text));
        }
        for format in ALERT_FORMATS {
            assert_eq!(edit(&cfg, set("alerts.format", format)).alerts.format.as_str(), *format);
        }
        assert_eq!(cfg.mlflow.tracking_uri, "http://127.0.0.1:5000");
        assert!(!cfg.alerts.enable);
        let form = JobForm::of(&cfg);
        assert_eq!(form.field("mlflow.tracking_uri").unwrap().value, "http://127.0.0.1:5000");
        assert_eq!(form.field("mlflow.experiment_name").unwrap().value, "tuna");
        assert!(form.field("alerts.enable").unwrap().flag);
        assert!(form.field("alerts.webhook_url").unwrap().secret, "the webhook URL is typed into a password field");
        let cleared = edit(&cfg, set("mlflow.tracking_uri", ""));
        assert!(cleared.mlflow.tracking_uri.is_empty(), "an empty field turns tracking off");
    }

    #[test]
    fn settings_are_set_and_cleared_by_key() {
        let cfg = edit(&demo(), set("searcher.n_jobs", "2"));
        assert_eq!(cfg.searcher.settings().n_jobs, 2);
        assert!(to_toml(&cfg).unwrap().contains("n_jobs = 2"));
        let cfg = edit(&cfg, set("searcher.n_jobs", ""));
        assert_eq!(cfg.searcher.settings().n_jobs, 0);
        let cfg = edit(&cfg, set("model.max_features", "sqrt"));
        assert_eq!(cfg.model.params["max_features"], ParamValue::Str("sqrt".into()));
        let cfg = edit(&cfg, set("model.n_estimators", ""));
        assert!(!cfg.model.params.contains_key("n_estimators"));
        let cfg = edit(&cfg, set("splitter.shuffle", "false"));
        let cfg = edit(&cfg, set("splitter.n_splits", "3"));
        assert_eq!(JobForm::of(&cfg).splitter.iter().find(|f| f.label == "n_splits").unwrap().value, "3");
        let cfg = edit(&cfg, set("searcher.error_score", "nan"));
        assert_eq!(JobForm::of(&cfg).searcher.iter().find(|f| f.label == "error_score").unwrap().value, "nan");
    }

    #[test]
    fn bad_values_give_the_engines_error_and_leave_the_config_alone() {
        let e = apply(&demo(), &set("searcher.n_jobs", "-1")).unwrap_err();
        assert!(e.contains("searcher"), "{e}");
        let e = apply(&demo(), &set("splitter.n_splits", "many")).unwrap_err();
        assert_eq!(e, "splitter.n_splits: invalid type: string \"many\", expected usize");
        let e = apply(&demo(), &set("nonsense", "1")).unwrap_err();
        assert!(e.contains("nonsense"), "{e}");
    }

    #[test]
    fn changing_the_model_keeps_what_fits_it() {
        let cfg = edit(&demo(), Edit::ModelKind("RandomForestClassifier".into()));
        assert_eq!(cfg.model.params["n_estimators"], ParamValue::Int(50));
        let MetricKind::SklearnMetric(m) = &cfg.metric;
        assert_eq!(m.name, "accuracy", "a regression metric fails a classifier's search");
        assert_eq!(check(&cfg), Ok(6));
        let cfg = edit(&cfg, Edit::ModelKind("Ridge".into()));
        assert!(cfg.model.params.is_empty(), "{:?}", cfg.model.params);
        assert_eq!(JobForm::of(&cfg).space, Space::Rows(vec![]), "tree settings leave the grid");
        assert_eq!(check(&cfg), Ok(1));
        let cfg = edit(&cfg, row(None, "alpha", "0.1, 1, 10"));
        assert_eq!(check(&cfg), Ok(3));
        assert!(apply(&cfg, &Edit::ModelKind("Nope".into())).unwrap_err().contains("unknown model"));
    }

    #[test]
    fn grid_rows_are_added_renamed_and_removed() {
        let cfg = edit(&demo(), row(Some("min_samples_leaf"), "min_samples_split", "2, 10"));
        let cfg = edit(&cfg, row(None, "max_features", "sqrt, log2, 1.0"));
        let Space::Rows(rows) = JobForm::of(&cfg).space else { panic!() };
        assert_eq!(
            rows,
            vec![
                ("max_depth".into(), "3, 5, 7".into()),
                ("max_features".into(), "sqrt, log2, 1.0".into()),
                ("min_samples_split".into(), "2, 10".into())
            ]
        );
        assert_eq!(check(&cfg), Ok(18));
        let cfg = edit(&cfg, row(Some("max_features"), "", ""));
        assert_eq!(check(&cfg), Ok(6));
        let e = apply(&cfg, &row(None, "max_depth", "1")).unwrap_err();
        assert!(e.contains("already in the grid"), "{e}");
        let e = apply(&cfg, &row(None, "alpha", " , ")).unwrap_err();
        assert!(e.contains("at least one value"), "{e}");
        let e = apply(&cfg, &row(None, "alpha", "loguniform(1, 10)")).unwrap_err();
        assert!(e.contains("RandomCVSearcher"), "{e}");
        let cfg = edit(&cfg, row(Some("max_depth"), "max_depth", "[2, \"x, y\"]"));
        let Space::Rows(rows) = JobForm::of(&cfg).space else { panic!() };
        assert_eq!(rows[0].1, "2, \"x, y\"", "a string with a comma stays quoted");
    }

    #[test]
    fn searchers_convert_into_each_other() {
        let random = edit(&demo(), Edit::SearcherKind("RandomCVSearcher".into()));
        assert_eq!(random.searcher.kind(), "RandomCVSearcher");
        assert!(random.searcher.settings().return_train_score, "shared settings are kept");
        let random = edit(&random, row(None, "max_features", "uniform(0.1, 1)"));
        let Space::Rows(rows) = JobForm::of(&random).space else { panic!() };
        assert!(rows.contains(&("max_features".into(), "uniform(0.1, 1.0)".into())), "{rows:?}");
        assert_eq!(check(&random), Ok(10));
        let e = apply(&random, &row(None, "n_estimators", "randint(1.5, 3)")).unwrap_err();
        assert!(e.contains("randint(low, high)"), "{e}");
        let grid = edit(&random, Edit::SearcherKind("GridCVSearcher".into()));
        let Space::Rows(rows) = JobForm::of(&grid).space else { panic!() };
        assert!(rows.contains(&("max_features".into(), "0.1, 1.0".into())), "{rows:?}");
        assert_eq!(check(&grid), Ok(12));
    }

    #[test]
    fn several_grids_are_left_to_the_editor() {
        let text = DEMO.replace(
            "param_grid = { max_depth = [3, 5, 7], min_samples_leaf = [1, 20] }",
            "param_grid = [{ max_depth = [3] }, { min_samples_leaf = [1, 2] }]",
        );
        let cfg = parse_job("x.toml", &text).unwrap();
        assert_eq!(JobForm::of(&cfg).space, Space::SeveralGrids(2));
        assert!(apply(&cfg, &row(None, "a", "1")).unwrap_err().contains("TOML editor"));
        let cfg = edit(&cfg, Edit::ModelKind("DecisionTreeRegressor".into()));
        assert_eq!(check(&cfg), Ok(3));
    }

    #[test]
    fn metric_and_splitter_changes() {
        let cfg = edit(&demo(), Edit::Metric("r2".into()));
        assert!(cfg.metric.check().unwrap().greater_is_better);
        let cfg = edit(&cfg, Edit::SplitterKind("TimeSeriesSplitter".into()));
        assert!(matches!(&cfg.splitter, SplitterKind::TimeSeriesSplitter(s) if s.n_splits == 4));
        let e = check(&edit(&cfg, Edit::Metric("accuracy".into()))).unwrap_err();
        assert!(e.contains("pick a regression metric"), "{e}");
    }

    #[test]
    fn check_names_what_the_page_cannot_do() {
        let mut cfg = demo();
        cfg.model.model_config_path = Some("model.toml".into());
        assert!(check(&cfg).unwrap_err().contains("model_config_path"));
        let e = check(&edit(&demo(), set("model.n_estimators", "0"))).unwrap_err();
        assert!(e.contains("n_estimators"), "{e}");
    }

    #[test]
    fn typed_values_read_as_toml_or_as_strings() {
        assert_eq!(parse_scalar(" 3 "), Some(Value::Integer(3)));
        assert_eq!(parse_scalar("0.5"), Some(Value::Float(0.5)));
        assert_eq!(parse_scalar("true"), Some(Value::Boolean(true)));
        assert_eq!(parse_scalar("sqrt"), Some(Value::String("sqrt".into())));
        assert_eq!(parse_scalar("\"3\""), Some(Value::String("3".into())));
        assert_eq!(parse_scalar("1\nx = 2"), Some(Value::String("1\nx = 2".into())));
        assert_eq!(parse_scalar("  "), None);
        assert_eq!(display(&Value::String("3".into())), "\"3\"");
        assert_eq!(display(&Value::String("gini".into())), "gini");
    }
}
