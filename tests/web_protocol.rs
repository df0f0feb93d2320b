//! The worker protocol inside headless Chromium (wasm-bindgen-test through
//! chromedriver): the handler `src/bin/worker.rs` runs, compiled to wasm32 and
//! fed messages in the form the page posts them (`wire`: JSON, the dataset's
//! numbers as Float64Arrays), keeps the data bit for bit, answers each unit
//! with exactly the result the engine computes in-process, and turns bad
//! messages into error replies. The round trip through real Web Workers (the
//! pool, the loader shim, crashes, cancel) is covered by `tests/e2e/`.
#![cfg(target_arch = "wasm32")]

use tuna::core::data::Dataset;
use tuna::core::frame::Column;
use tuna::core::metrics::{MetricKind, SklearnMetric};
use tuna::core::params::{ParamValue, Params};
use tuna::core::search::{SearchPlan, Unit};
use tuna::core::searchers::SearchSettings;
use tuna::core::splitters::{KFoldSplitter, SplitterKind};
use tuna::web::protocol::{FromWorker, ToWorker, WorkerState};
use tuna::web::wire::{from_js, handle_js, to_js};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn setup() -> (Dataset, SearchPlan) {
    let x: Vec<f64> = (0..60).map(|i| ((i * 7) % 13) as f64).collect();
    let y = (0..30).map(|i| (i % 5) as f64 * 1.5 + i as f64 * 0.1).collect();
    let data = Dataset::numeric(vec!["a".into(), "b".into()], &x, "y", y);
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

/// Sends `message` as the page would and decodes the reply.
fn send(worker: &mut WorkerState, message: &ToWorker) -> Option<FromWorker> {
    let (value, _) = to_js(message);
    handle_js(worker, &value, &now).map(|reply| serde_json::from_str(&reply).unwrap())
}

#[wasm_bindgen_test]
fn the_dataset_crosses_bit_for_bit() {
    let (mut data, _) = setup();
    let mut columns = data.columns.to_vec();
    let Column::Numbers { values, .. } = &mut columns[1] else { panic!() };
    values[..6].copy_from_slice(&[0.1 + 0.2, 1e-300, -0.0, f64::NAN, 5e-324, f64::MAX]);
    // A text column (issue 13) crosses in the header, missing cells and all.
    data.feature_names.push("town".into());
    columns.push(Column::text(&(0..30).map(|i| (i % 4 != 0).then(|| ["Zürich", "a, b"][i % 2])).collect::<Vec<_>>()));
    data.columns = columns.into();
    let ToWorker::Data(back) = from_js(&to_js(&ToWorker::Data(data.clone())).0).unwrap() else { panic!() };
    assert!(back.same_bits(&data), "{back:?}");
}

#[wasm_bindgen_test]
fn messages_round_trip_in_the_browser_and_match_the_engine() {
    let (data, plan) = setup();
    let mut worker = WorkerState::default();
    assert_eq!(send(&mut worker, &ToWorker::Data(data.clone())), None);
    assert_eq!(send(&mut worker, &ToWorker::Plan(plan.clone())), None);
    for unit in plan.units() {
        let Some(FromWorker::Done(result)) = send(&mut worker, &ToWorker::Run(unit)) else { panic!("unit {unit:?}") };
        let expected = plan.run_unit(&data, unit, &now);
        assert_eq!((result.candidate, result.fold), (unit.candidate, unit.fold));
        assert_eq!(result.test_score.to_bits(), expected.test_score.to_bits(), "unit {unit:?}");
    }
}

#[wasm_bindgen_test]
fn protocol_errors_are_replies_not_panics() {
    let (data, plan) = setup();
    let mut worker = WorkerState::default();
    let early = send(&mut worker, &ToWorker::Run(Unit { candidate: 0, fold: 0 }));
    assert!(matches!(early, Some(FromWorker::Error(m)) if m.contains("before the data")));
    send(&mut worker, &ToWorker::Data(data));
    send(&mut worker, &ToWorker::Plan(plan));
    let outside = send(&mut worker, &ToWorker::Run(Unit { candidate: 9, fold: 0 }));
    assert!(matches!(outside, Some(FromWorker::Error(_))));
    let reply = |value: wasm_bindgen::JsValue, worker: &mut WorkerState| {
        serde_json::from_str::<FromWorker>(&handle_js(worker, &value, &now).unwrap()).unwrap()
    };
    let garbage = reply("[1, 2".into(), &mut worker);
    assert!(matches!(garbage, FromWorker::Error(m) if m.starts_with("unreadable message")));
    // A data message whose numbers are missing.
    let header = js_sys::Array::of1(&r#"{"Data":{"feature_names":[],"columns":[],"target_name":"y","y":[]}}"#.into());
    let partial = reply(header.into(), &mut worker);
    assert!(matches!(partial, FromWorker::Error(m) if m.contains("Float64Array")));
}
