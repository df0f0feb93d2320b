//! The job config: TOML, JSON or YAML shaped like the original project's
//! YAML, every component a tagged union on `KIND`, unknown keys and wrong
//! types reported with the key path and line.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::core::metrics::MetricKind;
use crate::core::params::{ParamValue, Params};
use crate::core::preprocess::Preprocess;
use crate::core::searchers::SearcherKind;
use crate::core::splitters::SplitterKind;
use crate::io::urls::split_userinfo;

// The text formats and their errors; the two layouts and the original's defaults.
mod formats;
mod layout;

pub use formats::{Format, parse};
pub use layout::{Layout, OriginalDefault, original_preprocess};

/// A config that cannot be used, with where and why.
#[derive(Debug, Clone, PartialEq, Error)]
#[error("{origin}{line}: {path}{message}", line = line.map(|l| format!(":{l}")).unwrap_or_default(), path = if path.is_empty() { String::new() } else { format!("{path}: ") })]
pub struct ConfigError {
    /// The config's file name (or "config" for pasted text).
    pub origin: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// Dotted key path, e.g. `searcher.param_grid`.
    pub path: String,
    /// What is wrong and what was expected.
    pub message: String,
}

/// The literal `KIND = "TuningJob"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum JobKind {
    /// The only job Tuna runs.
    #[default]
    TuningJob,
}

/// The whole job config.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JobConfig {
    /// Must be `"TuningJob"`.
    #[serde(rename = "KIND")]
    pub kind: JobKind,
    /// The tracked run's name, description and tags.
    #[serde(default)]
    pub run_config: RunConfig,
    /// The features file.
    pub inputs: ReaderKind,
    /// The targets file.
    pub targets: ReaderKind,
    /// Optional preprocessing (scikit-learn's `ColumnTransformer`), fitted on each training fold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preprocess: Option<Preprocess>,
    /// The model and its fixed hyperparameters.
    #[serde(default)]
    pub model: ModelConfig,
    /// The score to maximise.
    #[serde(default)]
    pub metric: MetricKind,
    /// Cross-validation folds.
    #[serde(default)]
    pub splitter: SplitterKind,
    /// Which candidates to try.
    #[serde(default)]
    pub searcher: SearcherKind,
    /// MLflow tracking.
    #[serde(default)]
    pub mlflow: MlflowConfig,
    /// Completion alerts.
    #[serde(default)]
    pub alerts: AlertsConfig,
    /// Log verbosity.
    #[serde(default)]
    pub logger: LoggerConfig,
    /// The layout the text was in (and the original defaults it took): for
    /// the log, never written out.
    #[serde(skip)]
    pub layout: Layout,
}

impl JobConfig {
    /// This config with its secrets taken out, and what they were, as the
    /// person knows them ("the webhook URL", "the credentials in
    /// mlflow.tracking_uri"). The one place that knows what a secret is: share
    /// links, exported configs and the tracked run's `job.toml` all come from it.
    pub fn without_secrets(&self) -> (JobConfig, Vec<&'static str>) {
        let mut clean = self.clone();
        let mut removed = Vec::new();
        if !clean.alerts.webhook_url.is_empty() {
            clean.alerts.webhook_url.clear();
            removed.push("the webhook URL");
        }
        if let (uri, Some(_)) = split_userinfo(&clean.mlflow.tracking_uri) {
            clean.mlflow.tracking_uri = uri;
            removed.push("the credentials in mlflow.tracking_uri");
        }
        (clean, removed)
    }

    /// The config as TOML without its secrets: safe to log, export or put in a link.
    pub fn shareable_toml(&self) -> String {
        toml::to_string(&self.without_secrets().0).unwrap_or_default()
    }
}

/// Run name, description and tags (the original `run_config`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RunConfig {
    /// Run name (default "Tuning").
    pub name: String,
    /// Free text shown with the run.
    pub description: Option<String>,
    /// Tags for the run.
    pub tags: BTreeMap<String, String>,
}

impl Default for RunConfig {
    fn default() -> Self {
        RunConfig { name: "Tuning".into(), description: None, tags: BTreeMap::new() }
    }
}

/// A data reader, tagged on `KIND`. Both take the same keys; the KIND says
/// which format the file is in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "KIND")]
pub enum ReaderKind {
    /// A CSV file with a header row.
    CsvReader(FileReader),
    /// A Parquet file (pandas, pyarrow, Polars, Spark...).
    ParquetReader(FileReader),
}

/// Where a reader's file is and what to take from it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileReader {
    /// A file (relative to the config's folder), a URL, or a bundled demo name.
    pub path: String,
    /// Read only the first `limit` data rows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<usize>,
    /// Targets only: the column to predict (optional when the file has one column).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
}

impl ReaderKind {
    /// The reader's settings, whatever its format.
    pub fn file(&self) -> &FileReader {
        match self {
            ReaderKind::CsvReader(r) | ReaderKind::ParquetReader(r) => r,
        }
    }

    /// The settings, to change (the page's picked files).
    pub fn file_mut(&mut self) -> &mut FileReader {
        match self {
            ReaderKind::CsvReader(r) | ReaderKind::ParquetReader(r) => r,
        }
    }

    /// The format the KIND names.
    pub fn format(&self) -> crate::io::reading::FileFormat {
        match self {
            ReaderKind::CsvReader(_) => crate::io::reading::FileFormat::Csv,
            ReaderKind::ParquetReader(_) => crate::io::reading::FileFormat::Parquet,
        }
    }
}

/// The `[model]` table: a KIND, optional `model_config_path`, and fixed hyperparameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelConfig {
    /// scikit-learn class name; may come from `model_config_path` instead.
    #[serde(rename = "KIND", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// A TOML, JSON or YAML file holding a model table, loaded before the search;
    /// keys written here override it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_config_path: Option<String>,
    /// Fixed hyperparameters (the grid overrides them per candidate).
    #[serde(flatten)]
    pub params: Params,
}

impl Default for ModelConfig {
    /// The original job's model: `RandomForestRegressor(max_depth=20, n_estimators=200, random_state=42)`.
    fn default() -> Self {
        let params = Params::from([
            ("max_depth".to_string(), ParamValue::Int(20)),
            ("n_estimators".to_string(), ParamValue::Int(200)),
            ("random_state".to_string(), ParamValue::Int(42)),
        ]);
        ModelConfig { kind: Some("RandomForestRegressor".into()), model_config_path: None, params }
    }
}

impl ModelConfig {
    /// Merges a loaded model file under this table: this table's keys win.
    pub fn merged_over(&self, base: ModelConfig) -> ModelConfig {
        let mut params = base.params;
        params.extend(self.params.clone());
        ModelConfig { kind: self.kind.clone().or(base.kind), model_config_path: None, params }
    }
}

/// MLflow tracking settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MlflowConfig {
    /// Server URL; empty turns tracking off (default).
    #[serde(deserialize_with = "http_url_or_empty")]
    pub tracking_uri: String,
    /// Experiment name, created if missing (default "tuna").
    pub experiment_name: String,
}

impl Default for MlflowConfig {
    fn default() -> Self {
        MlflowConfig { tracking_uri: String::new(), experiment_name: "tuna".into() }
    }
}

/// An absolute http(s) URL, or empty. A relative one would go to the page's
/// own server. The message does not repeat the value: it may be a secret.
fn http_url_or_empty<'de, D: serde::Deserializer<'de>>(de: D) -> Result<String, D::Error> {
    let url = String::deserialize(de)?;
    let url = url.trim();
    let after_scheme = ["http://", "https://"].iter().find_map(|scheme| {
        url.get(..scheme.len()).filter(|p| p.eq_ignore_ascii_case(scheme)).map(|_| &url[scheme.len()..])
    });
    match after_scheme {
        _ if url.is_empty() => Ok(String::new()),
        Some(host) if !host.is_empty() && !url.contains(char::is_whitespace) => Ok(url.to_string()),
        _ => Err(serde::de::Error::custom(
            "must be an absolute URL starting with http:// or https:// (or \"\" for none)",
        )),
    }
}

/// Webhook message formats; the variants are the catalog the page's picker shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, strum::VariantNames, strum::IntoStaticStr)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum AlertFormat {
    /// Slack incoming webhook.
    Slack,
    /// Discord webhook.
    Discord,
    /// Microsoft Teams workflow.
    Teams,
    /// ntfy topic.
    Ntfy,
    /// Generic JSON.
    Json,
}

impl AlertFormat {
    /// The format as written in configs (`slack`).
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// Completion alerts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AlertsConfig {
    /// Send alerts at all (default true).
    pub enable: bool,
    /// Webhook URL (a secret); empty sends only the local notice (default).
    #[serde(deserialize_with = "http_url_or_empty")]
    pub webhook_url: String,
    /// Message format (default `slack`).
    pub format: AlertFormat,
    /// Also alert when the person cancels (default false: a cancel is their own doing).
    pub on_cancel: bool,
}

impl Default for AlertsConfig {
    fn default() -> Self {
        AlertsConfig { enable: true, webhook_url: String::new(), format: AlertFormat::Slack, on_cancel: false }
    }
}

/// Log levels, least to most severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Level {
    /// Details for debugging.
    Debug,
    /// Steps and shapes.
    Info,
    /// Something odd that did not stop the job.
    Warning,
    /// A failure.
    Error,
}

impl Level {
    /// The level as written in configs and logs.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Debug => "DEBUG",
            Level::Info => "INFO",
            Level::Warning => "WARNING",
            Level::Error => "ERROR",
        }
    }
}

/// Logger settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LoggerConfig {
    /// Least severe level shown (default `INFO`).
    pub level: Level,
}

impl Default for LoggerConfig {
    fn default() -> Self {
        LoggerConfig { level: Level::Info }
    }
}

/// Parses a job config (TOML, JSON or YAML: see [`Format::guess`]) in either
/// layout: the job's keys at the top, or all of them under `job:` as the
/// original project writes them, where an unset `preprocess` is the original
/// model's (see [`Layout`]). `origin` names it in errors (the file name).
///
/// Optional sections get the original job's defaults; a mistake names the
/// file, the line and the key:
///
/// ```
/// use tuna::io::config::parse_job;
///
/// let job = r#"
/// KIND = "TuningJob"
/// [inputs]
/// KIND = "CsvReader"
/// path = "inputs.csv"
/// [targets]
/// KIND = "CsvReader"
/// path = "targets.csv"
/// [splitter]
/// KIND = "KFoldSplitter"
/// n_split = 3
/// "#;
/// let e = parse_job("job.toml", job).unwrap_err();
/// assert_eq!(
///     e.to_string(),
///     "job.toml:11: splitter: unknown key `n_split`, expected one of `n_splits`, `shuffle`, `random_state`"
/// );
///
/// let fixed = parse_job("job.toml", &job.replace("n_split =", "n_splits ="))?;
/// assert_eq!(fixed.run_config.name, "Tuning");
/// assert_eq!(fixed.model.kind.as_deref(), Some("RandomForestRegressor"));
/// # Ok::<(), tuna::io::config::ConfigError>(())
/// ```
pub fn parse_job(origin: &str, text: &str) -> Result<JobConfig, ConfigError> {
    let document: layout::Document = parse(origin, text, Format::guess(origin, text))?;
    Ok(document.into_config())
}

/// Parses a model table file (for `model_config_path`).
pub fn parse_model(origin: &str, text: &str) -> Result<ModelConfig, ConfigError> {
    parse(origin, text, Format::guess(origin, text))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = "KIND = \"TuningJob\"\n[inputs]\nKIND = \"CsvReader\"\npath = \"x.csv\"\n[targets]\nKIND = \"CsvReader\"\npath = \"y.csv\"\n";

    #[test]
    fn urls_must_be_absolute_http_and_errors_do_not_repeat_them() {
        let with = |section: &str, key: &str, url: &str| {
            parse_job("job.toml", &format!("{MINIMAL}[{section}]\n{key} = \"{url}\"\n"))
        };
        for url in ["hooks.example/T0/SECRET", "ftp://x/SECRET", "https://", "http://a b/SECRET"] {
            let e = with("alerts", "webhook_url", url).unwrap_err().to_string();
            assert!(e.contains("alerts.webhook_url: must be an absolute URL") && !e.contains("SECRET"), "{e}");
        }
        assert!(with("mlflow", "tracking_uri", "127.0.0.1:5000").is_err(), "a tracking URI needs its scheme");
        let ok = with("alerts", "webhook_url", " HTTPS://hooks.example/T0 ").unwrap();
        assert_eq!(ok.alerts.webhook_url, "HTTPS://hooks.example/T0");
        assert_eq!(with("mlflow", "tracking_uri", "").unwrap().mlflow.tracking_uri, "");
    }

    #[test]
    fn every_alert_format_reads_back_under_its_catalog_name() {
        use strum::VariantNames;
        for name in AlertFormat::VARIANTS {
            let format: AlertFormat = serde_json::from_value(serde_json::json!(name)).unwrap();
            assert_eq!(format.as_str(), *name);
        }
        assert_eq!(AlertFormat::VARIANTS.len(), 5);
    }

    #[test]
    fn minimal_config_gets_the_original_defaults() {
        let job = parse_job("job.toml", MINIMAL).unwrap();
        assert_eq!(job.run_config.name, "Tuning");
        assert_eq!(job.model.kind.as_deref(), Some("RandomForestRegressor"));
        assert_eq!(job.model.params["n_estimators"], ParamValue::Int(200));
        assert_eq!(job.splitter, SplitterKind::default());
    }

    #[test]
    fn unknown_top_level_key_names_key_and_line() {
        let e = parse_job("job.toml", &format!("{MINIMAL}\n[serching]\nx = 1\n")).unwrap_err();
        assert!(e.to_string().contains("unknown key `serching`"), "{e}");
    }

    #[test]
    fn unknown_splitter_key_names_its_line() {
        let text = format!("{MINIMAL}[splitter]\nKIND = \"KFoldSplitter\"\nn_split = 3\n");
        let e = parse_job("job.toml", &text).unwrap_err();
        assert_eq!(e.line, Some(10), "{e}");
        assert!(e.to_string().starts_with("job.toml:10: splitter: unknown key `n_split`"), "{e}");
    }

    #[test]
    fn unknown_kind_lists_known_kinds() {
        let text = format!("{MINIMAL}[splitter]\nKIND = \"KFold\"\n");
        let e = parse_job("job.toml", &text).unwrap_err().to_string();
        assert!(e.contains("KFoldSplitter") && e.contains("unknown KIND"), "{e}");
    }

    #[test]
    fn wrong_type_is_explained() {
        let text = format!("{MINIMAL}[splitter]\nKIND = \"KFoldSplitter\"\nn_splits = \"five\"\n");
        let e = parse_job("job.toml", &text).unwrap_err().to_string();
        assert!(e.contains("five") && e.contains("splitter"), "{e}");
    }

    #[test]
    fn json_configs_parse_too() {
        let json = r#"{"KIND": "TuningJob", "inputs": {"KIND": "CsvReader", "path": "x.csv"},
                       "targets": {"KIND": "CsvReader", "path": "y.csv"}, "model": {"KIND": "Ridge", "alpha": 0.5}}"#;
        let job = parse_job("job.json", json).unwrap();
        assert_eq!(job.model.params["alpha"], ParamValue::Float(0.5));
    }

    /// Issue 12: trailing content after a JSON config was silently ignored.
    #[test]
    fn issue_12_json_with_trailing_content_is_refused_with_its_line() {
        let json = "{\"KIND\": \"TuningJob\", \"inputs\": {\"KIND\": \"CsvReader\", \"path\": \"x.csv\"},\n\
                    \"targets\": {\"KIND\": \"CsvReader\", \"path\": \"y.csv\"}}\n{\"model\": {}}\n";
        let e = parse_job("job.json", json).unwrap_err();
        assert_eq!(e.line, Some(3), "{e}");
        assert!(e.to_string().contains("the config ends at its closing brace"), "{e}");
        assert!(parse_job("job.json", &json.replace("{\"model\": {}}", "  ")).is_ok(), "trailing white space is fine");
    }

    #[test]
    fn json_errors_have_lines() {
        let e = parse_job("job.json", "{\n\"KIND\": \"TuningJob\",\n\"inputs\": 3\n}").unwrap_err();
        assert_eq!(e.line, Some(3), "{e}");
    }

    /// Issue 12: a duplicate key was reported without naming it.
    #[test]
    fn issue_12_a_duplicate_key_is_named() {
        let e = parse_job("job.toml", &format!("{MINIMAL}[model]\nKIND = \"Ridge\"\nalpha = 1.0\nalpha = 2.0\n"))
            .unwrap_err();
        assert_eq!(e.to_string(), "job.toml:11: `alpha` is set twice; keep one of them");
    }

    #[test]
    fn syntax_errors_have_lines() {
        let e = parse_job("job.toml", "KIND = \"TuningJob\"\n[inputs\n").unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
    }

    #[test]
    fn model_file_is_overridden_by_inline_keys() {
        let inline = ModelConfig {
            kind: None,
            model_config_path: Some("m.toml".into()),
            params: Params::from([("alpha".into(), ParamValue::Float(2.0))]),
        };
        let file = parse_model("m.toml", "KIND = \"Ridge\"\nalpha = 1.0\nfit_intercept = false\n").unwrap();
        let merged = inline.merged_over(file);
        assert_eq!(merged.kind.as_deref(), Some("Ridge"));
        assert_eq!(merged.params["alpha"], ParamValue::Float(2.0));
        assert_eq!(merged.params["fit_intercept"], ParamValue::Bool(false));
    }

    #[test]
    fn without_secrets_takes_out_the_webhook_and_the_uris_credentials_and_names_them() {
        let mut config = parse_job("job.toml", MINIMAL).unwrap();
        assert_eq!(config.without_secrets(), (config.clone(), vec![]));
        config.alerts.webhook_url = "https://hooks.example/T0/SECRET".into();
        config.mlflow.tracking_uri = "http://ana:SECRET@mlflow.example:5000".into();
        let (clean, removed) = config.without_secrets();
        assert_eq!(removed, ["the webhook URL", "the credentials in mlflow.tracking_uri"]);
        assert_eq!(
            (clean.alerts.webhook_url.as_str(), clean.mlflow.tracking_uri.as_str()),
            ("", "http://mlflow.example:5000")
        );
    }
}
