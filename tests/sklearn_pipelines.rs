//! Tuna's `[preprocess]` jobs against scikit-learn's `GridSearchCV(Pipeline(
//! ColumnTransformer(...), model))` on mixed-type data with missing values
//! and categories seen only in test folds. `tests/data/expected/pipelines.json`
//! was written by `tests/sklearn/make_pipelines.py` running scikit-learn; each
//! case holds the job's own TOML, which Tuna parses and runs here as `tuna run` does.
#![cfg(not(target_arch = "wasm32"))] // Files on disk: `--target wasm32` builds skip it.

use serde_json::Value;
use tuna::core::params::Params;
use tuna::io::config::Level;
use tuna::io::files::Files;
use tuna::io::services::Logger;
use tuna::jobs::threads::now;
use tuna::jobs::tuning::TuningJob;

struct Quiet;
impl Logger for Quiet {
    fn log(&self, _: Level, _: &str) {}
}

/// How closely a case's scores must match: exact algorithms to rounding,
/// LogisticRegression as its solver allows (the README's 5%).
fn tolerance(name: &str) -> f64 {
    if name.starts_with("logistic_regression") { 0.05 } else { 1e-9 }
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(|x| x.as_f64().unwrap_or(f64::NAN)).collect()
}

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a.is_nan() && b.is_nan()) || (a - b).abs() <= rel * b.abs().max(1e-12)
}

#[test]
fn preprocess_jobs_score_as_scikit_learns_pipelines() {
    let text = std::fs::read_to_string("tests/data/expected/pipelines.json").expect("expected file");
    let cases: Vec<Value> = serde_json::from_str(&text).unwrap();
    assert!(cases.len() >= 10, "{} cases", cases.len());
    let mut problems = Vec::new();
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        // scikit-learn's LogisticRegression is given a max_iter large enough to
        // converge; Tuna's runs L-BFGS to convergence and has no such setting.
        let text: String = case["job"]
            .as_str()
            .unwrap()
            .lines()
            .filter(|l| !l.starts_with("max_iter ="))
            .map(|l| format!("{l}\n"))
            .collect();
        let job = TuningJob::from_config(name, &text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let files = Files { base: format!("tests/data/{}", case["data"].as_str().unwrap()).into() };
        let prepared = match pollster::block_on(job.validate(&files, &Quiet)) {
            Ok(p) => p,
            Err(e) => {
                problems.push(format!("{name}: {e}"));
                continue;
            }
        };
        let plan = &prepared.plan;
        let units = plan.units().into_iter().map(|u| plan.run_unit(&prepared.data, u, &now)).collect();
        let results = plan.results(units);
        let want_params: Vec<Params> = serde_json::from_value(case["params"].clone()).unwrap();
        if results.cv_results.params != want_params {
            problems
                .push(format!("{name}: candidates {:?}, scikit-learn {:?}", results.cv_results.params, want_params));
            continue;
        }
        let rel = tolerance(name);
        let want_splits: Vec<Vec<f64>> = case["split_test_scores"].as_array().unwrap().iter().map(floats).collect();
        // A fold's f1 jumps with one flipped prediction: solvers that stop at
        // different points are compared on the means only.
        let folds_compared = if rel < 0.01 { want_splits.len() } else { 0 };
        for (c, (got, want)) in
            results.cv_results.split_test_scores.iter().zip(&want_splits).enumerate().take(folds_compared)
        {
            for (k, (g, w)) in got.iter().zip(want).enumerate() {
                if !close(*g, *w, rel) {
                    let error = results.cv_results.errors[c].clone().unwrap_or_default();
                    problems.push(format!("{name}: candidate {c} fold {k}: Tuna {g}, scikit-learn {w} {error}"));
                }
            }
        }
        let gap = results
            .cv_results
            .mean_test_score
            .iter()
            .zip(floats(&case["mean_test_score"]))
            .filter(|(g, w)| g.is_finite() && w.is_finite())
            .map(|(g, w)| (g - w).abs() / w.abs().max(1e-12))
            .fold(0.0, f64::max);
        eprintln!("{name}: largest relative gap in mean_test_score {gap:.1e}");
        for (c, (g, w)) in results.cv_results.mean_test_score.iter().zip(floats(&case["mean_test_score"])).enumerate() {
            if !close(*g, w, rel) {
                problems.push(format!("{name}: candidate {c} mean_test_score: Tuna {g}, scikit-learn {w}"));
            }
        }
        if let Some(want) = case["mean_train_score"].as_array() {
            let got = results.cv_results.mean_train_score.clone().unwrap_or_default();
            for (c, (g, w)) in got.iter().zip(want).enumerate() {
                if !close(*g, w.as_f64().unwrap_or(f64::NAN), rel) {
                    problems.push(format!("{name}: candidate {c} mean_train_score: Tuna {g}, scikit-learn {w}"));
                }
            }
        }
        if results.best_index != case["best_index"].as_u64().unwrap() as usize {
            problems.push(format!("{name}: best_index {} , scikit-learn {}", results.best_index, case["best_index"]));
        }
    }
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}
