//! The worker protocol inside headless Chromium (wasm-bindgen-test through
//! chromedriver): the handler `src/bin/worker.rs` runs, compiled to wasm32 and
//! fed JSON messages as the page sends them, answers `Init` once, then each
//! unit with exactly the result the engine computes in-process, and turns bad
//! messages into error replies. The round trip through real Web Workers (the
//! pool, the loader shim, crashes, cancel) is covered by `tests/e2e/`.
#![cfg(target_arch = "wasm32")]

use tuna::core::data::Dataset;
use tuna::core::metrics::{MetricKind, SklearnMetric};
use tuna::core::params::{ParamValue, Params};
use tuna::core::search::{SearchPlan, Unit};
use tuna::core::searchers::SearchSettings;
use tuna::core::splitters::{KFoldSplitter, SplitterKind};
use tuna::web::protocol::{FromWorker, ToWorker, WorkerState, encode};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn setup() -> (Dataset, SearchPlan) {
    let data = Dataset {
        feature_names: vec!["a".into(), "b".into()],
        x: (0..60).map(|i| ((i * 7) % 13) as f64).collect(),
        target_name: "y".into(),
        y: (0..30).map(|i| (i % 5) as f64 * 1.5 + i as f64 * 0.1).collect(),
    };
    let folds = SplitterKind::KFoldSplitter(KFoldSplitter { n_splits: 3, shuffle: true, random_state: Some(4) })
        .split(&data.y)
        .unwrap();
    let metric = MetricKind::SklearnMetric(SklearnMetric::default()).check().unwrap();
    let candidates = [1, 3].iter().map(|&d| Params::from([("max_depth".to_string(), ParamValue::Int(d))])).collect();
    let plan =
        SearchPlan::new("DecisionTreeRegressor", &Params::new(), candidates, folds, metric, SearchSettings::default())
            .unwrap();
    (data, plan)
}

fn now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now() / 1000.0).unwrap_or(0.0)
}

#[wasm_bindgen_test]
fn messages_round_trip_in_the_browser_and_match_the_engine() {
    let (data, plan) = setup();
    let mut worker = WorkerState::default();
    let reply = worker.handle_json(&encode(&ToWorker::Init { data: data.clone(), plan: plan.clone() }), &now);
    assert_eq!(serde_json::from_str::<FromWorker>(&reply).unwrap(), FromWorker::Initialized);
    for unit in plan.units() {
        let reply: FromWorker = serde_json::from_str(&worker.handle_json(&encode(&ToWorker::Run(unit)), &now)).unwrap();
        let FromWorker::Done(result) = reply else { panic!("unit {unit:?}: {reply:?}") };
        let expected = plan.run_unit(&data, unit, &now);
        assert_eq!((result.candidate, result.fold), (unit.candidate, unit.fold));
        assert_eq!(result.test_score.to_bits(), expected.test_score.to_bits(), "unit {unit:?}");
    }
}

#[wasm_bindgen_test]
fn protocol_errors_are_replies_not_panics() {
    let (data, plan) = setup();
    let mut worker = WorkerState::default();
    let early: FromWorker =
        serde_json::from_str(&worker.handle_json(&encode(&ToWorker::Run(Unit { candidate: 0, fold: 0 })), &now))
            .unwrap();
    assert!(matches!(early, FromWorker::Error(m) if m.contains("before Init")));
    worker.handle(ToWorker::Init { data, plan }, &now);
    let outside = worker.handle(ToWorker::Run(Unit { candidate: 9, fold: 0 }), &now);
    assert!(matches!(outside, FromWorker::Error(_)));
    let garbage: FromWorker = serde_json::from_str(&worker.handle_json("[1, 2", &now)).unwrap();
    assert!(matches!(garbage, FromWorker::Error(m) if m.starts_with("unreadable message")));
}
