//! The `tuna` binary as a person runs it: exit codes, what it prints, what it writes.

use std::path::PathBuf;
use std::process::{Command, Output};

fn tuna(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tuna")).args(args).output().expect("tuna runs")
}

fn out_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn run_writes_results_json_and_cv_results_csv() {
    let dir = out_dir("cli_run");
    let json = dir.join("results.json");
    let out = tuna(&["run", "examples/regression.toml", "--out", json.to_str().unwrap(), "--jobs", "2"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("best neg_mean_squared_error = -"), "{stdout}");
    assert!(stdout.contains("best params: {'max_depth': "), "{stdout}");
    let stderr = text(&out.stderr);
    assert!(stderr.contains("inputs: 5000 rows x 9 columns"), "{stderr}");
    assert!(stderr.contains("fits 24/24 (100%)"), "{stderr}");

    let results: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let cv = &results["cv_results"];
    assert_eq!(cv["mean_test_score"].as_array().unwrap().len(), 6);
    assert_eq!(cv["split3_train_score"].as_array().unwrap().len(), 6, "return_train_score = true");
    let best = results["best_index"].as_u64().unwrap() as usize;
    assert_eq!(cv["rank_test_score"][best], 1);
    assert_eq!(results["best_score"], cv["mean_test_score"][best]);

    let csv = std::fs::read_to_string(dir.join("cv_results.csv")).unwrap();
    let header = csv.lines().next().unwrap();
    assert!(header.starts_with(",mean_fit_time,std_fit_time,mean_score_time,std_score_time,param_max_depth,param_min_samples_leaf,params,split0_test_score"), "{header}");
    assert_eq!(csv.lines().count(), 7);
}

#[test]
fn the_same_job_gives_the_same_scores_with_one_or_two_threads() {
    let scores = |jobs: &str| {
        let dir = out_dir(&format!("cli_threads_{jobs}"));
        let json = dir.join("r.json");
        let out = tuna(&["run", "examples/classification.toml", "--out", json.to_str().unwrap(), "--jobs", jobs]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let r: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(json).unwrap()).unwrap();
        r["cv_results"]["mean_test_score"].clone()
    };
    assert_eq!(scores("1"), scores("2"));
}

/// `oob_score = true`: the refit best forest's `oob_score_` is printed and
/// written, equal to scikit-learn's `best_estimator_.oob_score_` for the same
/// search (tests/data/expected/refit_oob.json, by tests/sklearn/make_trees.py).
#[test]
fn the_refit_forests_oob_score_is_scikit_learns() {
    let dir = out_dir("cli_oob");
    std::fs::create_dir_all(&dir).unwrap();
    let data = std::env::current_dir().unwrap().join("tests/data/diabetes");
    let job = dir.join("job.toml");
    std::fs::write(
        &job,
        format!(
            r#"KIND = "TuningJob"
inputs = {{ KIND = "CsvReader", path = "{x}" }}
targets = {{ KIND = "CsvReader", path = "{y}" }}
model = {{ KIND = "RandomForestRegressor", n_estimators = 10, oob_score = true, random_state = 0 }}
metric = {{ KIND = "SklearnMetric", name = "mean_squared_error" }}
splitter = {{ KIND = "KFoldSplitter", n_splits = 5 }}
searcher = {{ KIND = "GridCVSearcher", param_grid = {{ max_depth = [3, "None"] }} }}
alerts = {{ enable = false }}
"#,
            x = data.join("inputs.csv").display(),
            y = data.join("targets.csv").display()
        ),
    )
    .unwrap();
    let json = dir.join("results.json");
    let out = tuna(&["run", job.to_str().unwrap(), "--out", json.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let want: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string("tests/data/expected/refit_oob.json").unwrap()).unwrap();
    let results: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let (got, oob) = (results["best_estimator_oob_score"].as_f64().unwrap(), want["oob_score"].as_f64().unwrap());
    assert!((got - oob).abs() < 1e-12, "oob_score_ {got}, scikit-learn's {oob}");
    let best_depth = results["best_params"]["max_depth"].clone();
    let want_depth = if want["best_params"]["max_depth"].is_null() {
        "None".into()
    } else {
        want["best_params"]["max_depth"].clone()
    };
    assert_eq!(best_depth, want_depth);
    assert!(text(&out.stdout).contains(&format!("best estimator's oob_score_ = {got}")), "{}", text(&out.stdout));
    let unscored = want["oob_unscored_rows"].as_u64().unwrap();
    assert!(unscored > 0, "the expected case has rows with no out-of-bag prediction");
    let warning = format!("oob_score_: {unscored} of 442 rows were in every tree's bootstrap sample");
    assert!(text(&out.stderr).contains(&warning), "{}", text(&out.stderr));
}

#[test]
fn validate_checks_without_running() {
    let out = tuna(&["validate", "examples/classification.toml"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout).trim(),
        "examples/classification.toml is valid: 5000 rows x 9 features, 16 candidates x 5 folds = 80 fits"
    );
}

/// YAML configs, in both layouts, run and validate as TOML ones do.
#[test]
fn yaml_configs_run_and_validate() {
    let out = tuna(&["validate", "tests/configs/valid/original_layout_bikes.yml"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout).trim(),
        "tests/configs/valid/original_layout_bikes.yml is valid: 13903 rows x 15 features, 3 candidates x 4 folds = 12 fits"
    );
    let log = text(&out.stderr);
    assert!(log.contains("INFO: config: original layout (job:); defaults taken from it: preprocess (one-hot"), "{log}");
    let dir = out_dir("yaml_run");
    let json = dir.join("results.json");
    let out = tuna(&["run", "tests/configs/valid/ridge_kfold_anchors.yaml", "--out", json.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let results: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(results["cv_results"]["params"].as_array().map(Vec::len), Some(6), "3 alphas x 2 intercepts");
    let out = tuna(&["validate", "tests/configs/invalid/yaml_unknown_splitter_key.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr).trim(),
        "error: tests/configs/invalid/yaml_unknown_splitter_key.yaml:10: splitter: unknown key `n_split`, expected one of `n_splits`, `shuffle`, `random_state`"
    );
}

#[test]
fn a_bad_config_exits_2_with_one_line_naming_file_and_key() {
    let out = tuna(&["run", "tests/configs/invalid/unknown_splitter_key.toml"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr
            .starts_with("error: tests/configs/invalid/unknown_splitter_key.toml:13: splitter: unknown key `n_split`"),
        "{stderr}"
    );
}

/// Issue 12: an unknown model KIND exited 1 while an unknown splitter KIND exited 2.
#[test]
fn issue_12_every_config_mistake_exits_2_before_the_job_starts() {
    for (config, message) in [
        ("unknown_model.toml", "error: load the model: model: RandomForest: unknown model KIND; known models: Linear"),
        ("negative_candidate.toml", "search: searcher candidate 1 {'alpha': -1.0}"),
        ("metric_for_classifier.toml", "metric `accuracy` is for classifiers but Ridge is a regressor"),
    ] {
        let path = format!("tests/configs/invalid/{config}");
        for (command, args) in
            [("run", vec!["run", &path, "--out", "/dev/null"]), ("validate", vec!["validate", &path])]
        {
            let out = tuna(&args);
            assert_eq!(out.status.code(), Some(2), "{command} {config}: {}", text(&out.stderr));
            let stderr = text(&out.stderr);
            assert_eq!(stderr.lines().count(), 1, "{stderr}");
            assert!(stderr.contains(message), "{command} {config}: {stderr}");
        }
    }
}

/// Issue 12: after a failed run, an earlier run's results stayed in place looking current.
#[test]
fn issue_12_a_failed_run_leaves_no_earlier_results_and_a_run_no_temporary_files() {
    let dir = out_dir("issue_12_stale");
    std::fs::create_dir_all(&dir).unwrap();
    let json = dir.join("r.json");
    std::fs::write(&json, "{\"best_score\": 1}").unwrap();
    std::fs::write(dir.join("cv_results.csv"), "old").unwrap();
    let out = tuna(&["run", "tests/configs/invalid/ragged_csv.toml", "--out", json.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!json.exists() && !dir.join("cv_results.csv").exists(), "the earlier results were left in place");
    let out = tuna(&["run", "examples/regression.toml", "--out", json.to_str().unwrap(), "--jobs", "2"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let mut names: Vec<String> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(names, ["cv_results.csv", "r.json"], "written through temporary files renamed into place");
}

#[test]
fn a_failing_job_exits_1_naming_the_step() {
    let out = tuna(&[
        "run",
        "tests/configs/invalid/ragged_csv.toml",
        "--out",
        out_dir("cli_fail").join("r.json").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let last = text(&out.stderr).lines().last().unwrap().to_string();
    assert!(last.starts_with("error: read the data: "), "{last}");
    assert!(last.contains("ragged.csv: row 2 (line 3) has 1 cell, the header has 2"), "{last}");
}

#[test]
fn a_missing_config_file_is_named() {
    let out = tuna(&["run", "no/such/job.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).starts_with("error: cannot read no/such/job.toml:"));
}

#[test]
fn help_documents_run_and_validate() {
    let out = tuna(&["--help"]);
    let help = text(&out.stdout);
    assert!(help.contains("run") && help.contains("validate") && help.contains("kinds"), "{help}");
    let run_help = text(&tuna(&["run", "--help"]).stdout);
    assert!(run_help.contains("--out") && run_help.contains("--jobs"), "{run_help}");
}

/// Issue 12: an MLflow server that takes the connection and never answers.
/// Each request gives up after the CLI's 10 s timeout and tracking goes off
/// for the run: the search runs, its results are written, the run exits 0.
#[test]
fn issue_12_an_mlflow_server_that_never_answers_does_not_hold_the_run() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let uri = format!("http://{}", listener.local_addr().unwrap());
    // Accepts every connection and holds it open, unanswered, until the test ends.
    std::thread::spawn(move || {
        let held: Vec<_> = listener.incoming().collect();
        drop(held);
    });
    let dir = out_dir("cli_silent_mlflow");
    std::fs::create_dir_all(&dir).unwrap();
    let data = std::fs::canonicalize("examples/data").unwrap();
    let config =
        std::fs::read_to_string("examples/regression.toml").unwrap().replace("data/", &format!("{}/", data.display()));
    let job = dir.join("job.toml");
    std::fs::write(&job, format!("{config}\n[mlflow]\ntracking_uri = \"{uri}\"\n")).unwrap();
    let json = dir.join("results.json");
    let started = std::time::Instant::now();
    let out = tuna(&["run", job.to_str().unwrap(), "--out", json.to_str().unwrap(), "--jobs", "2"]);
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("tracking is off for this run"), "{stderr}");
    assert!(stderr.contains("no answer before the timeout"), "says why: {stderr}");
    assert!(stderr.contains("fits 24/24 (100%)"), "the search ran: {stderr}");
    let results: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(results["cv_results"]["mean_test_score"].as_array().unwrap().len(), 6);
    // A hang guard, not a timing claim: one 10 s timeout, the search, and slack for a slow machine.
    assert!(started.elapsed() < std::time::Duration::from_secs(120), "took {:?}", started.elapsed());
}
