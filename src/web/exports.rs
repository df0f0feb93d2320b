//! What the page lets a person download: the results (the same files as the
//! CLI's), the best model as a config, and the job config. No secret goes
//! into a file: a config that holds one is written without it.

use crate::core::params::{Params, params_to_python};
use crate::core::pipeline::PREPROCESS_PREFIX;
use crate::core::preprocess::Preprocess;
use crate::io::config::{Format, ModelConfig, parse_job};
use crate::jobs::tuning::{JobReport, TuningJob, score_name};

/// `cv_results.csv`, as `tuna run` writes it.
pub const CSV_FILE: &str = "cv_results.csv";
/// The results JSON, as `tuna run --out` writes it.
pub const JSON_FILE: &str = "results.json";
/// The best model as a model table.
pub const TRAINING_FILE: &str = "best_model.toml";

/// The results JSON: the same text `tuna run --out results.json` writes.
pub fn results_json(report: &JobReport) -> String {
    report.results.to_results_file(report.cancelled)
}

/// The best candidate as a ready model config for training: the model's
/// KIND and fixed hyperparameters with the best params merged in, as a
/// model table (what `model_config_path` reads, or the body of `[model]`).
/// A job with a `[preprocess]` section gets that section too, with the best
/// candidate's `preprocess__` settings in it: then the file holds a
/// `[model]` and a `[preprocess]` table, to paste into a job config.
pub fn training_config(job: &TuningJob, report: &JobReport) -> Result<String, String> {
    let cfg = job.config();
    let model = &cfg.model;
    let (steps, best): (Params, Params) =
        report.results.best_params.clone().into_iter().partition(|(k, _)| k.starts_with(PREPROCESS_PREFIX));
    let mut params = model.params.clone();
    params.extend(best);
    let write_error = |e: toml::ser::Error| format!("the best model could not be written: {e}");
    let best_model = ModelConfig { kind: model.kind.clone(), model_config_path: None, params };
    let body = toml::to_string(&best_model).map_err(write_error)?;
    let (body, use_it) = match &cfg.preprocess {
        None => (body, "Use it as a job's [model] table,\n# or point model_config_path at this file."),
        Some(section) => {
            let best_section = steps.iter().try_fold(section.clone(), |s, (k, v)| s.with_param(k, v))?;
            #[derive(serde::Serialize)]
            struct Sections<'a> {
                model: &'a ModelConfig,
                preprocess: &'a Preprocess,
            }
            let both =
                toml::to_string(&Sections { model: &best_model, preprocess: &best_section }).map_err(write_error)?;
            (both, "Paste these [model] and [preprocess] tables\n# into a job config in place of its own.")
        }
    };
    let r = &report.results;
    Ok(format!(
        "# The best model of Tuna's search: {} = {} with {}\n\
         # ({} candidates x {} folds{}). {use_it}\n{body}",
        score_name(&report.metric),
        r.best_score,
        params_to_python(&r.best_params),
        r.cv_results.params.len(),
        r.n_splits,
        if report.cancelled { ", cancelled before the end: the best of what finished" } else { "" },
    ))
}

/// A config file to save.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigFile {
    /// `job.toml`, or `job.json`/`job.yaml` for a JSON/YAML config.
    pub name: &'static str,
    /// MIME type.
    pub mime: &'static str,
    /// The file's text.
    pub text: String,
    /// What the person should know about it.
    pub note: String,
}

/// The config to export from the editor's `text`: the text itself, comments
/// and all, in its own format (a YAML config stays YAML: its anchors, merge
/// keys and `job:` layout are the person's, and TOML would drop them), unless it holds a secret ([`JobConfig::without_secrets`](crate::io::config::JobConfig::without_secrets)
/// finds them); then the shareable form (TOML, no secret, no comments) and a
/// note naming what it left out. Invalid text is refused: a secret in it
/// could not be found and removed.
pub fn config_export(text: &str) -> Result<ConfigFile, String> {
    let config = parse_job("config", text).map_err(|e| format!("fix the config before exporting it: {e}"))?;
    let (name, mime) = match Format::guess("config", text) {
        Format::Json => ("job.json", "application/json"),
        Format::Toml => ("job.toml", "application/toml"),
        Format::Yaml => ("job.yaml", "application/yaml"),
    };
    let (_, secrets) = config.without_secrets();
    if secrets.is_empty() {
        return Ok(ConfigFile { name, mime, text: text.to_string(), note: format!("saved {name}") });
    }
    Ok(ConfigFile {
        name: "job.toml",
        mime: "application/toml",
        text: config.shareable_toml(),
        note: format!("saved job.toml without {}: they are secrets", secrets.join(" and ")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::metrics::{Metric, MetricName};
    use crate::core::params::{ParamValue, Params};
    use crate::core::results::{SearchResults, UnitResult};
    use crate::io::config::parse_model;
    use crate::io::services::Delivery;

    const DEMO: &str = include_str!("../../www/demos/regression.toml");

    fn report() -> JobReport {
        let params = |d| Params::from([("max_depth".to_string(), ParamValue::Int(d))]);
        let unit = |candidate, score| UnitResult {
            candidate,
            fold: 0,
            test_score: score,
            train_score: None,
            fit_time: 0.1,
            score_time: 0.01,
            error: None,
        };
        let results = SearchResults::from_units(vec![params(3), params(7)], 1, &[unit(0, -2.0), unit(1, -1.0)], false);
        JobReport {
            results,
            cancelled: false,
            lineage: Vec::new(),
            metric: Metric { name: MetricName::MeanSquaredError, greater_is_better: false, pos_label: 1.0 },
            shape: (10, 2),
            duration: 1.0,
            warnings: Vec::new(),
            tracking: Delivery::Off,
            alert: Delivery::Off,
            log: String::new(),
        }
    }

    #[test]
    fn the_best_model_merges_fixed_and_best_params() {
        let job = TuningJob::from_config("demo.toml", DEMO).unwrap();
        let text = training_config(&job, &report()).unwrap();
        assert!(
            text.starts_with("# The best model of Tuna's search: neg_mean_squared_error = -1 with {'max_depth': 7}")
        );
        let model = parse_model("best_model.toml", &text).unwrap();
        assert_eq!(model.kind.as_deref(), Some("RandomForestRegressor"));
        assert_eq!(model.params["max_depth"], ParamValue::Int(7));
        assert_eq!(model.params["n_estimators"], ParamValue::Int(50));
        assert_eq!(model.params["random_state"], ParamValue::Int(42));
    }

    #[test]
    fn results_json_is_the_clis() {
        let json: serde_json::Value = serde_json::from_str(&results_json(&report())).unwrap();
        assert_eq!(json["best_params"]["max_depth"], 7);
        assert_eq!(json["cv_results"]["rank_test_score"], serde_json::json!([2, 1]));
        assert_eq!(json["cancelled"], false, "as the CLI's file says it");
    }

    #[test]
    fn exported_configs_keep_comments_but_never_the_webhook() {
        let file = config_export(DEMO).unwrap();
        assert_eq!((file.name, file.text.as_str(), file.note.as_str()), ("job.toml", DEMO, "saved job.toml"));
        let secret = format!("{DEMO}\n[alerts]\nwebhook_url = \"https://hooks.example/T0/secret\"\n");
        let file = config_export(&secret).unwrap();
        assert!(!file.text.contains("hooks.example") && file.note.contains("without the webhook URL"), "{file:?}");
        assert!(parse_job("job.toml", &file.text).is_ok());
        let with_password = format!("{DEMO}\n[mlflow]\ntracking_uri = \"http://ana:pa55@mlflow.example:5000\"\n");
        let file = config_export(&with_password).unwrap();
        assert!(!file.text.contains("pa55") && file.text.contains("http://mlflow.example:5000"), "{}", file.text);
        assert!(file.note.contains("without the credentials in mlflow.tracking_uri"), "{}", file.note);
        let e = config_export("KIND = 3").unwrap_err();
        assert!(e.starts_with("fix the config before exporting it: config:1"), "{e}");
    }

    #[test]
    fn a_json_config_exports_as_json() {
        let job = TuningJob::from_config("demo.toml", DEMO).unwrap();
        let json = serde_json::to_string_pretty(job.config()).unwrap();
        let file = config_export(&json).unwrap();
        assert_eq!((file.name, file.mime, file.text), ("job.json", "application/json", json));
    }

    /// A YAML config stays YAML, comments and anchors kept; with a secret it
    /// becomes the shareable TOML, in Tuna's layout.
    #[test]
    fn a_yaml_config_exports_as_yaml_unless_it_holds_a_secret() {
        let yaml = "# the bikes\njob:\n  KIND: TuningJob\n  inputs: &r {KIND: CsvReader, path: x.csv}\n  targets: {<<: *r, path: y.csv}\n";
        let file = config_export(yaml).unwrap();
        assert_eq!((file.name, file.mime, file.text.as_str()), ("job.yaml", "application/yaml", yaml));
        let secret = format!("{yaml}  alerts: {{webhook_url: \"https://hooks.example/T0/SECRET\"}}\n");
        let file = config_export(&secret).unwrap();
        assert_eq!(file.name, "job.toml");
        assert!(!file.text.contains("SECRET") && !file.text.contains("[job]"), "{}", file.text);
        let back = parse_job("job.toml", &file.text).unwrap();
        assert_eq!(back.preprocess, parse_job("job.yaml", yaml).unwrap().preprocess, "the default written out");
    }
}
