//! The job's checks, written once: the page's form and data panel,
//! `tuna validate` and `TuningJob::run` all call these pure stages, so what
//! they say about a job can never disagree.
//!
//! [`check_config`] needs only the config (with its model table loaded from
//! `model_config_path` if it has one) and checks the metric, the model, the
//! column rules and every candidate; [`check_data`] turns the two tables into
//! the dataset (target column, row counts, classes). Reading the files and
//! logging lineage are the job's async steps around them.

use thiserror::Error;

use crate::core::data::Dataset;
use crate::core::metrics::Metric;
use crate::core::metrics::MetricKind;
use crate::core::models::Estimator;
use crate::core::params::Params;
use crate::core::preprocess::{Preprocess, check_without};
use crate::core::search::SearchPlan;
use crate::core::splitters::{SplitError, SplitterKind, check_fit_count};
use crate::io::config::{JobConfig, ModelConfig, OriginalDefault};
use crate::io::table::Table;
use crate::io::validation::validate;

/// A failed job: the step that failed and why.
#[derive(Debug, Clone, PartialEq, Error)]
#[error("{step}: {message}")]
pub struct JobError {
    /// The step, as named in the log ("read the data", "search", ...).
    pub step: &'static str,
    /// The cause, naming what to fix.
    pub message: String,
}

/// The steps a check's error names, as the job's log names them.
pub mod step {
    /// Reading and validating inputs and targets (and the metric and column rules).
    pub const READ: &str = "read the data";
    /// The model's KIND and fixed hyperparameters.
    pub const MODEL: &str = "load the model";
    /// The candidates and the folds.
    pub const SEARCH: &str = "search";
}

/// A `JobError` maker for `step`, for `map_err`.
pub(crate) fn at<E: ToString>(step: &'static str) -> impl Fn(E) -> JobError {
    move |e| JobError { step, message: e.to_string() }
}

/// What the two tables must satisfy, from the config (by default: a
/// single-column targets file, any target values, numeric complete features).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DataRules {
    /// `targets.column`: the column to predict (optional when the file has one).
    pub target_column: Option<String>,
    /// The model is a classifier: the target needs at least two classes.
    pub classifier: bool,
    /// The `[preprocess]` section the feature columns go through (none: they
    /// go to the model as they are, so they must be numbers without blanks).
    pub preprocess: Option<Preprocess>,
    /// Where the section came from when the config did not write it (the
    /// original layout's default), said after a problem with it.
    pub preprocess_note: Option<&'static str>,
}

impl DataRules {
    /// The rules of `cfg` with model table `model`; an unknown model KIND
    /// counts as a regressor (`check_config` reports it).
    pub fn of(cfg: &JobConfig, model: &ModelConfig) -> DataRules {
        let classifier = model.kind.as_deref().and_then(Estimator::kind_is_classifier).unwrap_or(false);
        let defaulted = cfg.layout.took(OriginalDefault::Preprocess);
        DataRules {
            target_column: cfg.targets.file().column.clone(),
            classifier,
            preprocess: cfg.preprocess.clone(),
            preprocess_note: defaulted.then(|| OriginalDefault::Preprocess.hint()),
        }
    }
}

/// The config checked without its data: the metric, the model and every
/// candidate, ready for the folds.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedConfig {
    /// The metric, its name and direction checked.
    pub metric: Metric,
    /// The model with its fixed hyperparameters (each candidate overrides some).
    pub model: Estimator,
    /// What the data must satisfy.
    pub rules: DataRules,
    /// The search with every candidate checked, and no folds yet.
    search: SearchPlan,
}

impl CheckedConfig {
    /// Each candidate's parameters, in the searcher's order.
    pub fn candidates(&self) -> &[Params] {
        &self.search.candidates
    }

    /// The search over `data`: the splitter's folds added to the checked candidates.
    pub fn plan(self, cfg: &JobConfig, data: &Dataset) -> Result<SearchPlan, JobError> {
        check_fit_count(self.search.candidates.len(), cfg.splitter.n_splits()).map_err(at(step::SEARCH))?;
        let MetricKind::SklearnMetric(metric) = &cfg.metric;
        let metric = if self.rules.classifier {
            self.search
                .metric
                .with_pos_label(metric.pos_label.as_ref(), &data.classes(), data.labels.as_deref())
                .map_err(|e| at(step::READ)(format!("{}{e}", target_place(cfg, data))))?
        } else {
            self.search.metric
        };
        let folds =
            cfg.splitter.split_named(&data.y, &|v| data.label_of(v)).map_err(|e| match (&cfg.splitter, &e) {
                // Its refusals of the data are about the target's classes: name where they are.
                (SplitterKind::StratifiedKFoldSplitter(_), SplitError::Data(_)) => {
                    at(step::SEARCH)(format!("{}{e}", target_place(cfg, data)))
                }
                _ => at(step::SEARCH)(e),
            })?;
        Ok(SearchPlan { folds, metric, ..self.search })
    }
}

/// The targets file and column, as a message names them before a problem with the classes.
pub fn target_place(cfg: &JobConfig, data: &Dataset) -> String {
    format!("{}, column `{}`: ", cfg.targets.file().path, data.target_name)
}

/// Checks everything a config says before any data is read: the column
/// rules, the metric, the model (`model`: the `[model]` table merged over its
/// `model_config_path` file) and every candidate against it.
pub fn check_config(cfg: &JobConfig, model: &ModelConfig) -> Result<CheckedConfig, JobError> {
    if cfg.inputs.file().column.is_some() {
        return Err(at(step::READ)("inputs.column: only [targets] selects a column; remove it from [inputs]"));
    }
    for (what, reader) in [("inputs", &cfg.inputs), ("targets", &cfg.targets)] {
        if reader.file().limit == Some(0) {
            // Read as given, it keeps no row and the file looks empty ("no data rows").
            return Err(at(step::READ)(format!(
                "{what}.limit = 0 keeps no rows; give the number of rows to read, or remove it to read them all"
            )));
        }
    }
    let metric = cfg.metric.check().map_err(at(step::READ))?;
    let kind = model
        .kind
        .as_deref()
        .ok_or_else(|| at(step::MODEL)("model: missing KIND; name a model such as KIND = \"Ridge\""))?;
    let fixed = Estimator::new(kind, &model.params).map_err(|e| at(step::MODEL)(format!("model: {e}")))?;
    let candidates = cfg.searcher.candidates().map_err(at(step::SEARCH))?;
    let settings = cfg.searcher.settings();
    let search = SearchPlan::with_preprocess(
        cfg.preprocess.as_ref(),
        kind,
        &model.params,
        candidates,
        Vec::new(),
        metric,
        settings,
    )
    .map_err(at(step::SEARCH))?;
    Ok(CheckedConfig { metric, model: fixed, rules: DataRules::of(cfg, model), search })
}

/// Checks the inputs and targets tables against `rules` and builds the
/// dataset: the target, and that every feature column can reach the model
/// (through the preprocess section, or as it is), every problem listed.
pub fn check_data(rules: &DataRules, inputs: &Table, targets: &Table) -> Result<Dataset, JobError> {
    let data = validate(inputs, targets, rules.target_column.as_deref(), rules.classifier).map_err(at(step::READ))?;
    let (names, columns) = (&data.feature_names, &data.columns);
    match &rules.preprocess {
        None => check_without(names, columns).map_err(|e| at(step::READ)(format!("{}: {e}", inputs.name)))?,
        Some(section) => section.check(names, columns).map_err(|problems| {
            let mut message = match problems.as_slice() {
                [one] => format!("preprocess: {one}"),
                many => format!(
                    "preprocess: {} problems with the columns of {}:\n{}",
                    many.len(),
                    inputs.name,
                    many.iter().map(|p| format!("  - {p}")).collect::<Vec<_>>().join("\n")
                ),
            };
            if let Some(note) = rules.preprocess_note {
                message = format!("{message}\n{note}");
            }
            at(step::READ)(message)
        })?,
    }
    Ok(data)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::config::parse_job;
    use crate::io::table::read_csv;

    fn job(extra: &str) -> JobConfig {
        let text = format!(
            "KIND = \"TuningJob\"\n[inputs]\nKIND = \"CsvReader\"\npath = \"x.csv\"\n\
             [targets]\nKIND = \"CsvReader\"\npath = \"y.csv\"\n{extra}"
        );
        parse_job("job.toml", &text).unwrap()
    }

    fn table(name: &str, text: &str) -> Table {
        read_csv(name, text.as_bytes(), None).unwrap()
    }

    fn config_error(extra: &str) -> JobError {
        let cfg = job(extra);
        check_config(&cfg, &cfg.model).unwrap_err()
    }

    #[test]
    fn a_config_checks_into_its_metric_model_and_candidates() {
        let cfg = job(
            "[model]\nKIND = \"Ridge\"\n[searcher]\nKIND = \"GridCVSearcher\"\nparam_grid = { alpha = [0.1, 1.0] }\n",
        );
        let checked = check_config(&cfg, &cfg.model).unwrap();
        assert_eq!(checked.candidates().len(), 2);
        assert_eq!(checked.model.kind(), "Ridge");
        assert!(!checked.metric.greater_is_better, "mean_squared_error is negated");
        assert_eq!(
            checked.rules,
            DataRules { target_column: None, classifier: false, preprocess: None, preprocess_note: None }
        );
    }

    #[test]
    fn each_config_rule_names_its_step() {
        let e = config_error(
            "[model]\nKIND = \"Ridge\"\nalpha = -1.0\n[searcher]\nKIND = \"GridCVSearcher\"\nparam_grid = { alpha = [1.0] }\n",
        );
        assert_eq!(e.step, step::MODEL);
        assert!(e.message.starts_with("model: Ridge: alpha must be at least 0"), "{e}");
        let e = config_error(
            "[model]\nKIND = \"Ridge\"\n[searcher]\nKIND = \"GridCVSearcher\"\nparam_grid = { alpha = [1.0, -1.0] }\n",
        );
        assert_eq!(e.step, step::SEARCH);
        assert!(e.message.contains("candidate 1 {'alpha': -1.0}"), "{e}");
        let e = config_error("[model]\nKIND = \"Ridge\"\n[metric]\nKIND = \"SklearnMetric\"\nname = \"accuracy\"\n");
        assert!(e.message.contains("pick a regression metric"), "{e}");
        let e = config_error("[metric]\nKIND = \"SklearnMetric\"\nname = \"mse\"\n");
        assert_eq!(e.step, step::READ);
        let cfg = job("[model]\nKIND = \"Ridge\"\n");
        let mut no_kind = cfg.model.clone();
        no_kind.kind = None;
        let e = check_config(&cfg, &no_kind).unwrap_err();
        assert_eq!(
            (e.step, e.message.as_str()),
            (step::MODEL, "model: missing KIND; name a model such as KIND = \"Ridge\"")
        );
    }

    #[test]
    fn inputs_may_not_select_a_column() {
        let text = "KIND = \"TuningJob\"\n[inputs]\nKIND = \"CsvReader\"\npath = \"x.csv\"\ncolumn = \"a\"\n\
                    [targets]\nKIND = \"CsvReader\"\npath = \"y.csv\"\n";
        let cfg = parse_job("job.toml", text).unwrap();
        let e = check_config(&cfg, &cfg.model).unwrap_err();
        assert!(e.message.starts_with("inputs.column: only [targets]"), "{e}");
    }

    /// Issue 12: `limit = 0` read no rows and blamed the file ("a header row but no data rows").
    #[test]
    fn issue_12_a_zero_limit_is_named_as_the_setting() {
        let text = "KIND = \"TuningJob\"\n[inputs]\nKIND = \"CsvReader\"\npath = \"x.csv\"\nlimit = 0\n\
                    [targets]\nKIND = \"CsvReader\"\npath = \"y.csv\"\n";
        let cfg = parse_job("job.toml", text).unwrap();
        let e = check_config(&cfg, &cfg.model).unwrap_err();
        assert_eq!(
            e.to_string(),
            "read the data: inputs.limit = 0 keeps no rows; give the number of rows to read, or remove it to read them all"
        );
    }

    #[test]
    fn data_rules_follow_the_model_and_the_targets_column() {
        let cfg = job("[model]\nKIND = \"GaussianNB\"\n");
        let rules = DataRules::of(&cfg, &cfg.model);
        assert!(rules.classifier);
        let (x, y) = (table("x.csv", "a\n1\n2\n"), table("y.csv", "c\n1\n1\n"));
        let e = check_data(&rules, &x, &y).unwrap_err();
        assert_eq!(e.step, step::READ);
        assert!(e.message.contains("the target `c` has a single class; a classifier needs at least two"), "{e}");
        let regression = DataRules { classifier: false, ..rules };
        assert_eq!(check_data(&regression, &x, &y).unwrap().n_rows(), 2, "a regressor may have one value");
    }

    #[test]
    fn the_plan_adds_the_splitters_folds() {
        let cfg = job(
            "[model]\nKIND = \"Ridge\"\n[splitter]\nKIND = \"KFoldSplitter\"\nn_splits = 2\n[searcher]\nKIND = \"GridCVSearcher\"\nparam_grid = { alpha = [1.0] }\n",
        );
        let checked = check_config(&cfg, &cfg.model).unwrap();
        let data =
            check_data(&checked.rules.clone(), &table("x.csv", "a\n1\n2\n3\n4\n"), &table("y.csv", "t\n1\n2\n3\n4\n"))
                .unwrap();
        let plan = checked.plan(&cfg, &data).unwrap();
        assert_eq!((plan.candidates.len(), plan.folds.len()), (1, 2));
    }
}
