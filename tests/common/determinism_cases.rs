//! Searches whose numbers depend on seeded randomness (bootstraps, feature
//! draws, shuffled folds, random candidates). Native and wasm32 builds must
//! both reproduce `tests/data/expected/determinism.json` bit for bit.

use tuna::core::data::Dataset;
use tuna::core::search::SearchPlan;
use tuna::io::table::read_csv;
use tuna::io::validation::validate;
use tuna::jobs::tuning::TuningJob;

/// (name, config TOML without data paths, inputs CSV, targets CSV)
pub fn cases() -> Vec<(&'static str, &'static str, &'static [u8], &'static [u8])> {
    let friedman = (
        include_bytes!("../data/friedman1/inputs.csv").as_slice(),
        include_bytes!("../data/friedman1/targets.csv").as_slice(),
    );
    let cancer = (
        include_bytes!("../data/breast_cancer/inputs.csv").as_slice(),
        include_bytes!("../data/breast_cancer/targets.csv").as_slice(),
    );
    let diabetes = (
        include_bytes!("../data/diabetes/inputs.csv").as_slice(),
        include_bytes!("../data/diabetes/targets.csv").as_slice(),
    );
    vec![
        (
            "random_forest_regressor",
            r#"[model]
KIND = "RandomForestRegressor"
n_estimators = 15
max_features = 0.5
random_state = 7
[splitter]
KIND = "KFoldSplitter"
n_splits = 3
shuffle = true
random_state = 11
[searcher]
KIND = "GridCVSearcher"
param_grid = { max_depth = [3, 6] }"#,
            friedman.0,
            friedman.1,
        ),
        (
            "random_forest_classifier",
            r#"[model]
KIND = "RandomForestClassifier"
n_estimators = 10
random_state = 3
[metric]
KIND = "SklearnMetric"
name = "accuracy"
[splitter]
KIND = "StratifiedKFoldSplitter"
n_splits = 3
shuffle = true
random_state = 5
[searcher]
KIND = "GridCVSearcher"
param_grid = { max_depth = [2, 4] }"#,
            cancer.0,
            cancer.1,
        ),
        (
            "gradient_boosting_classifier",
            r#"[model]
KIND = "GradientBoostingClassifier"
n_estimators = 20
subsample = 0.8
random_state = 4
[metric]
KIND = "SklearnMetric"
name = "neg_log_loss"
[splitter]
KIND = "StratifiedKFoldSplitter"
n_splits = 3
shuffle = true
random_state = 5
[searcher]
KIND = "GridCVSearcher"
param_grid = { learning_rate = [0.1, 0.5] }"#,
            cancer.0,
            cancer.1,
        ),
        (
            // Early stopping: a stratified held-out split, its losses' exp and log per stage.
            "gradient_boosting_early_stopping",
            r#"[model]
KIND = "GradientBoostingClassifier"
n_estimators = 100
learning_rate = 0.5
n_iter_no_change = 2
random_state = 6
[metric]
KIND = "SklearnMetric"
name = "neg_log_loss"
[splitter]
KIND = "StratifiedKFoldSplitter"
n_splits = 3
[searcher]
KIND = "GridCVSearcher"
param_grid = { validation_fraction = [0.1, 0.2] }"#,
            cancer.0,
            cancer.1,
        ),
        (
            "random_forest_absolute_error",
            r#"[model]
KIND = "RandomForestRegressor"
criterion = "absolute_error"
n_estimators = 5
random_state = 8
[splitter]
KIND = "KFoldSplitter"
n_splits = 3
[searcher]
KIND = "GridCVSearcher"
param_grid = { max_depth = [3, "None"] }"#,
            diabetes.0,
            diabetes.1,
        ),
        (
            "random_search_elastic_net",
            r#"[model]
KIND = "ElasticNet"
[splitter]
KIND = "KFoldSplitter"
n_splits = 4
shuffle = true
random_state = 2
[searcher]
KIND = "RandomCVSearcher"
n_iter = 4
random_state = 9
param_distributions = { alpha = { distribution = "loguniform", low = 0.001, high = 1.0 }, l1_ratio = { distribution = "uniform", low = 0.0, high = 1.0 } }"#,
            diabetes.0,
            diabetes.1,
        ),
    ]
}

/// The dataset and the checked search plan of one case.
pub fn prepare(config: &str, inputs: &[u8], targets: &[u8]) -> (Dataset, SearchPlan) {
    let text = format!(
        "KIND = \"TuningJob\"\n[inputs]\nKIND = \"CsvReader\"\npath = \"inputs.csv\"\n[targets]\nKIND = \"CsvReader\"\npath = \"targets.csv\"\n{config}\n"
    );
    let job = TuningJob::from_config("case.toml", &text).expect("config");
    let cfg = job.config();
    let data: Dataset = validate(
        &read_csv("inputs.csv", inputs, None).expect("inputs"),
        &read_csv("targets.csv", targets, None).expect("targets"),
        None,
        false,
    )
    .expect("data");
    let model = &cfg.model;
    let plan = SearchPlan::new(
        model.kind.as_deref().expect("KIND"),
        &model.params,
        cfg.searcher.candidates().expect("candidates"),
        cfg.splitter.split(&data.y).expect("folds"),
        cfg.metric.check().expect("metric"),
        cfg.searcher.settings(),
    )
    .expect("plan");
    (data, plan)
}

/// Every candidate's split scores, as bit patterns (exact comparison, NaN-safe).
pub fn run(config: &str, inputs: &[u8], targets: &[u8]) -> Vec<Vec<u64>> {
    let (data, plan) = prepare(config, inputs, targets);
    let units: Vec<_> = plan.units().into_iter().map(|u| plan.run_unit(&data, u, &|| 0.0)).collect();
    plan.results(units).cv_results.split_test_scores.iter().map(|c| c.iter().map(|s| s.to_bits()).collect()).collect()
}

/// The committed expectation: `{case name: [[bits per fold] per candidate]}`.
pub fn expected() -> serde_json::Value {
    serde_json::from_str(include_str!("../data/expected/determinism.json")).expect("determinism.json")
}
