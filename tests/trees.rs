//! Tuna's trees and forests against scikit-learn's, tree for tree.
//!
//! `tests/data/expected/trees.json` was written by `tests/sklearn/make_trees.py`: the real
//! estimators fitted on the first three quarters of each dataset's rows, with their
//! predictions for every row and, for single trees, every node. Tuna must build the same
//! trees (same splits, thresholds and values, node for node) and so predict the same
//! numbers, on data with many tied values too.
#![cfg(not(target_arch = "wasm32"))]

use std::fs;

use serde_json::Value;
use tuna::core::data::Dataset;
use tuna::core::models::{Estimator, FittedAttributes, TrainSet};
use tuna::core::params::{ParamValue, Params};
use tuna::io::table::read_csv;
use tuna::io::validation::validate;

fn dataset(name: &str) -> Dataset {
    let read = |file: &str| {
        let path = format!("tests/data/{name}/{file}");
        read_csv(&path, &fs::read(&path).expect("data file"), None).expect("readable CSV")
    };
    validate(&read("inputs.csv"), &read("targets.csv"), None, false).expect("valid data")
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect()
}

/// Largest relative difference between two equally long lists.
fn worst_gap(got: &[f64], want: &[f64]) -> f64 {
    assert_eq!(got.len(), want.len());
    got.iter().zip(want).map(|(g, w)| (g - w).abs() / w.abs().max(1e-300)).fold(0.0, f64::max)
}

struct Fitted {
    name: String,
    estimator: Estimator,
    data: Dataset,
    n_train: usize,
}

fn fitted(case: &Value) -> Fitted {
    let kind = case["kind"].as_str().unwrap();
    // scikit-learn's None is written null; a Tuna config spells it "None".
    let params: Params = case["params"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                if v.is_null() { ParamValue::Str("None".into()) } else { serde_json::from_value(v.clone()).unwrap() },
            )
        })
        .collect();
    let name = format!("{kind} {} on {}", case["params"], case["dataset"].as_str().unwrap());
    let estimator = Estimator::new(kind, &params).unwrap_or_else(|e| panic!("{name}: {e}"));
    let data = dataset(case["dataset"].as_str().unwrap());
    Fitted { name, estimator, data, n_train: case["n_train"].as_u64().unwrap() as usize }
}

#[test]
fn predictions_equal_scikit_learns() {
    let mut failures = Vec::new();
    let mut worst: f64 = 0.0;
    let cases: Vec<Value> =
        serde_json::from_str(&fs::read_to_string("tests/data/expected/trees.json").unwrap()).unwrap();
    for case in &cases {
        let f = fitted(case);
        let train_rows: Vec<usize> = (0..f.n_train).collect();
        let all_rows: Vec<usize> = (0..f.data.n_rows()).collect();
        let (x, y) = (f.data.features(&train_rows), f.data.targets(&train_rows));
        let eval = f.data.features(&all_rows);
        let predictions =
            f.estimator.fit_predict(&TrainSet { x: &x, y: &y, labels: None }, &[&eval]).unwrap().remove(0);
        let mut gap = worst_gap(&predictions.values, &floats(&case["predict"]));
        if let Some(want) = case["predict_proba"].as_array() {
            let got = predictions.proba.expect("probabilities");
            for (g, w) in got.rows.iter().zip(want) {
                gap = gap.max(worst_gap(g, &floats(w)));
            }
        }
        worst = worst.max(gap);
        if gap > 1e-12 {
            failures.push(format!("{}: predictions differ by {gap:.3e}", f.name));
        }
    }
    println!("{} cases, worst relative gap {worst:.3e}", cases.len());
    assert!(
        failures.is_empty(),
        "{} of {} cases differ from scikit-learn:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// Each expected case that records scikit-learn's fitted attribute `key`, with
/// the attributes Tuna's estimator reports after fitting on the same rows.
fn fitted_attributes(key: &str) -> Vec<(String, Value, FittedAttributes)> {
    let cases: Vec<Value> =
        serde_json::from_str(&fs::read_to_string("tests/data/expected/trees.json").unwrap()).unwrap();
    let with_key = cases.into_iter().filter(|c| c.get(key).is_some());
    with_key
        .map(|case| {
            let f = fitted(&case);
            let rows: Vec<usize> = (0..f.n_train).collect();
            let (x, y) = (f.data.features(&rows), f.data.targets(&rows));
            let got = f.estimator.fit_attributes(&TrainSet { x: &x, y: &y, labels: None }).unwrap();
            (f.name, case[key].clone(), got)
        })
        .collect()
}

/// A forest fitted with `oob_score = true` reports scikit-learn's `oob_score_`.
#[test]
fn out_of_bag_scores_equal_scikit_learns() {
    let cases = fitted_attributes("oob_score");
    for (name, want, got) in &cases {
        let (got, want) = (got.oob_score.expect("an oob_score"), want.as_f64().unwrap());
        assert!((got - want).abs() <= 1e-12 * want.abs().max(1.0), "{name}: oob_score {got} vs {want}");
    }
    println!("{} out-of-bag scores compared", cases.len());
    assert!(cases.len() >= 20, "only {} oob_score cases in the expected file", cases.len());
}

/// Early stopping (`n_iter_no_change`) keeps as many stages as scikit-learn's `n_estimators_`.
#[test]
fn early_stopping_keeps_scikit_learns_stages() {
    let cases = fitted_attributes("n_estimators_");
    for (name, want, got) in &cases {
        assert_eq!(got.n_estimators, want.as_u64().map(|n| n as usize), "{name}");
    }
    assert!(cases.len() >= 15, "only {} early-stopping cases in the expected file", cases.len());
}

#[test]
fn trees_are_scikit_learns_node_for_node() {
    let cases: Vec<Value> =
        serde_json::from_str(&fs::read_to_string("tests/data/expected/trees.json").unwrap()).unwrap();
    let mut failures = Vec::new();
    let mut checked = 0;
    for case in cases.iter().filter(|c| c.get("tree").is_some()) {
        let f = fitted(case);
        let rows: Vec<usize> = (0..f.n_train).collect();
        let (x, y) = (f.data.features(&rows), f.data.targets(&rows));
        let tree = f.estimator.tree_structure(&TrainSet { x: &x, y: &y, labels: None }).expect("a tree").unwrap();
        let want = &case["tree"];
        checked += 1;
        let features: Vec<i64> = want["feature"].as_array().unwrap().iter().map(|v| v.as_i64().unwrap()).collect();
        if tree.nodes.len() != features.len() || tree.max_depth as u64 != want["max_depth"].as_u64().unwrap() {
            failures.push(format!(
                "{}: {} nodes, depth {} vs scikit-learn's {} nodes, depth {}",
                f.name,
                tree.nodes.len(),
                tree.max_depth,
                features.len(),
                want["max_depth"]
            ));
            continue;
        }
        for (id, node) in tree.nodes.iter().enumerate() {
            let feature = node.feature.map_or(-2, |f| f as i64);
            let threshold = want["threshold"][id].as_f64();
            let value = floats(&want["value"][id]);
            let rows = want["n_node_samples"][id].as_u64().unwrap() as usize;
            if feature != features[id]
                || node.threshold != threshold
                || worst_gap(&node.value, &value) > 1e-12
                || node.n_node_samples != rows
            {
                failures.push(format!(
                    "{}: node {id}: feature {feature}, threshold {:?}, value {:?}, {} rows vs {}, {threshold:?}, {value:?}, {rows}",
                    f.name, node.threshold, node.value, node.n_node_samples, features[id]
                ));
                break;
            }
        }
    }
    println!("{checked} trees compared node for node");
    assert!(checked >= 40, "only {checked} trees in the expected file");
    assert!(failures.is_empty(), "{} trees differ from scikit-learn's:\n{}", failures.len(), failures.join("\n"));
}
