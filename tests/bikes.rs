//! The original project's own tuning job (`examples/bikes/tuning.toml`, its
//! data as CSV) gives scikit-learn's numbers: `tests/data/expected/bikes.json`
//! holds `GridSearchCV` on the same `Pipeline` (one-hot of `season` and
//! `weathersit`, passthrough of the numeric columns, `dteday` dropped, a
//! random forest, `random_state = 42`) from `tests/sklearn/make_pipelines.py`.
//!
//! Tuna's forests are scikit-learn's, tree for tree (`tests/trees.rs`), so every
//! fold's score is scikit-learn's to rounding, and so is the best candidate.
#![cfg(not(target_arch = "wasm32"))] // Files on disk and threads: `--target wasm32` builds skip it.

use serde_json::Value;
use tuna::core::params::Params;
use tuna::core::search::Unit;
use tuna::io::config::Level;
use tuna::io::files::Files;
use tuna::io::services::Logger;
use tuna::jobs::threads::now;
use tuna::jobs::tuning::TuningJob;

struct Quiet;
impl Logger for Quiet {
    fn log(&self, _: Level, _: &str) {}
}

#[test]
fn the_original_bikes_job_gives_scikit_learns_numbers() {
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string("tests/data/expected/bikes.json").unwrap()).unwrap();
    let text = std::fs::read_to_string("examples/bikes/tuning.toml").unwrap();
    let job = TuningJob::from_config("examples/bikes/tuning.toml", &text).unwrap();
    let prepared = pollster::block_on(job.validate(&Files::beside("examples/bikes/tuning.toml".as_ref()), &Quiet))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((prepared.data.n_rows(), prepared.data.n_features()), (13_903, 15), "dteday is read, then dropped");
    let plan = &prepared.plan;
    for (fold, want) in plan.folds.iter().zip(expected["folds"].as_array().unwrap()) {
        let range = |r: &Value| (r[0].as_u64().unwrap() as usize, r[1].as_u64().unwrap() as usize);
        let (test_start, test_end) = range(&want["test_range"]);
        assert_eq!((fold.test[0], fold.test.len()), (test_start, test_end - test_start), "TimeSeriesSplit's folds");
    }
    // Both cores: the units are independent and seeded, so the order does not matter.
    let units = plan.units();
    let data = &prepared.data;
    let results = std::thread::scope(|s| {
        let halves: Vec<Vec<Unit>> =
            vec![units.iter().step_by(2).copied().collect(), units.iter().skip(1).step_by(2).copied().collect()];
        let handles: Vec<_> = halves
            .into_iter()
            .map(|part| s.spawn(move || part.into_iter().map(|u| plan.run_unit(data, u, &now)).collect::<Vec<_>>()))
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect::<Vec<_>>()
    });
    let results = plan.results(results);
    assert!(results.cv_results.errors.iter().all(Option::is_none), "{:?}", results.cv_results.errors);
    let want_params: Vec<Params> = serde_json::from_value(expected["params"].clone()).unwrap();
    assert_eq!(results.cv_results.params, want_params);
    let want_best: Params = serde_json::from_value(expected["best_params"].clone()).unwrap();
    assert_eq!(results.best_params, want_best, "scikit-learn's best: {:?}", results.cv_results.mean_test_score);
    let close = |got: f64, want: &Value| (got - want.as_f64().unwrap()).abs() <= 1e-9 * got.abs();
    for (c, want) in expected["mean_test_score"].as_array().unwrap().iter().enumerate() {
        let got = results.cv_results.mean_test_score[c];
        eprintln!("bikes candidate {c}: Tuna {got}, scikit-learn {want}");
        assert!(close(got, want), "candidate {c}: Tuna {got}, scikit-learn {want}");
        for (k, want) in expected["split_test_scores"][c].as_array().unwrap().iter().enumerate() {
            let got = results.cv_results.split_test_scores[c][k];
            assert!(close(got, want), "candidate {c} fold {k}: Tuna {got}, scikit-learn {want}");
        }
    }
}

/// The original project's own config file, as it is (YAML, `job:`, Parquet
/// readers, the rest defaults), makes exactly the job of
/// `examples/bikes/tuning.toml`: the same data bit for bit (read from the
/// Parquet files, `instant` left out as the index), the same candidates,
/// pipelines, folds and metric. So its scores are the ones the test above
/// compares with scikit-learn's.
#[test]
fn the_seed_yaml_config_runs_the_same_job_from_its_parquet_files() {
    let seed = "../shared/seed-bikes/tuning.yaml";
    let prepare = |path: &str| {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let job = TuningJob::from_config(path, &text).unwrap_or_else(|e| panic!("{e}"));
        pollster::block_on(job.validate(&Files::beside(path.as_ref()), &Quiet)).unwrap_or_else(|e| panic!("{e}"))
    };
    let (yaml, toml) = (prepare(seed), prepare("examples/bikes/tuning.toml"));
    assert_eq!((yaml.data.n_rows(), yaml.data.n_features()), (13_903, 15));
    assert_eq!(yaml.data.feature_names, toml.data.feature_names);
    assert!(yaml.data.same_bits(&toml.data), "the Parquet files hold the CSVs' values");
    assert_eq!(yaml.plan, toml.plan);
    // The lineage names the Parquet files and MLflow's digest of pd.read_parquet.
    assert!(yaml.lineage[0].source.ends_with("inputs_train.parquet"), "{}", yaml.lineage[0].source);
    let digests: Value =
        serde_json::from_str(&std::fs::read_to_string("tests/data/expected/mlflow_digests.json").unwrap()).unwrap();
    let mlflow =
        digests["cases"].as_array().unwrap().iter().find(|c| c["file"] == "../shared/seed-bikes/inputs_train.parquet");
    assert_eq!(Some(yaml.lineage[0].digest.as_str()), mlflow.and_then(|c| c["digest"].as_str()));
}
