//! The form against the configs the project ships and every kind of edit.

use super::values::display;
use super::*;
use crate::core::params::ParamValue;
use crate::io::config::parse_job;
use toml::Value;

const DEMO: &str = include_str!("../../../www/demos/regression.toml");

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
    assert_eq!(e, "splitter.n_splits: invalid type: string \"many\", expected a whole number, 0 or more");
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

/// A failed edit names the field it belongs to, where the form shows its
/// error: the parser's refusal, or the job check's error on the new config.
#[test]
fn a_failed_edit_is_placed_at_its_field() {
    let cfg = demo();
    let typo = set("splitter.n_splits", "abc");
    let refused = super::edit(&cfg, &typo);
    assert_eq!(refused.text, None, "the parser refuses text for a whole number");
    assert!(refused.error.as_deref().is_some_and(|e| e.contains("n_splits")), "{refused:?}");
    assert_eq!(typo.place(), "splitter.n_splits");

    let negative = set("model.n_estimators", "-3");
    let written = super::edit(&cfg, &negative);
    assert!(written.text.as_deref().is_some_and(|t| t.contains("n_estimators = -3")), "written as typed: {written:?}");
    let e = written.error.expect("the job check refuses a negative n_estimators");
    assert!(e.contains("n_estimators"), "{e}");

    let fine = super::edit(&cfg, &set("model.n_estimators", "7"));
    assert_eq!(fine.error, None);

    let bad_row = row(None, "max_depth", "3, x");
    assert!(super::edit(&cfg, &bad_row).error.is_some(), "a grid row of text for a number is refused");
    assert_eq!(bad_row.place(), SPACE);
    assert_eq!(Edit::ModelKind("NoSuchModel".into()).place(), "model.KIND");
    assert_eq!(Edit::SplitterKind("X".into()).place(), "splitter.KIND");
    assert_eq!(Edit::SearcherKind("X".into()).place(), "searcher.KIND");
    assert_eq!(Edit::Metric("x".into()).place(), "metric.name");
}

/// "Go to line" selects the line a config error names, counted as the
/// textarea counts (UTF-16 units; the browser's textarea holds LF only).
#[test]
fn a_line_span_is_in_utf16_units() {
    let text = "KIND = \"TuningJob\"\n# é 😀\nn_split = 3\n";
    assert_eq!(line_span(text, 1), (0, 18));
    assert_eq!(line_span(text, 2), (19, 25), "é is one unit, 😀 two");
    assert_eq!(line_span(text, 3), (26, 37));
    assert_eq!(line_span(text, 9), (38, 38), "past the end: the end");
}

#[test]
fn a_readers_kind_follows_the_picked_files_format() {
    use crate::io::reading::FileFormat;
    let cfg = edit(&demo(), set("inputs.KIND", FileFormat::Parquet.reader_kind()));
    assert_eq!((cfg.inputs.format(), cfg.targets.format()), (FileFormat::Parquet, FileFormat::Csv));
    assert_eq!(cfg.inputs.file(), demo().inputs.file(), "path, limit and column stay");
    let back = edit(&cfg, set("inputs.KIND", FileFormat::Csv.reader_kind()));
    assert_eq!(back.inputs, demo().inputs);
}
