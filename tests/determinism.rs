//! Native side of the determinism check (the wasm32 side is `wasm_determinism.rs`).
//! `TUNA_BLESS=1 cargo test --test determinism` rewrites the expected file from
//! the native build; the wasm32 test then proves the browser build agrees.

#[path = "common/determinism_cases.rs"]
mod determinism_cases;

use determinism_cases::{cases, expected, run};
use tuna::io::services::{Executor, Progress};
use tuna::jobs::threads::ThreadExecutor;

#[test]
fn native_scores_match_the_committed_bits() {
    let mut all = serde_json::Map::new();
    for (name, config, inputs, targets) in cases() {
        all.insert(name.into(), serde_json::to_value(run(config, inputs, targets)).unwrap());
    }
    if std::env::var("TUNA_BLESS").is_ok() {
        std::fs::write("tests/data/expected/determinism.json", serde_json::to_string_pretty(&all).unwrap()).unwrap();
    }
    assert_eq!(serde_json::Value::Object(all), expected());
}

struct Ignore;

impl Progress for Ignore {
    fn on_unit(&mut self, _: &tuna::core::results::UnitResult, _: usize, _: usize) -> std::ops::ControlFlow<()> {
        std::ops::ControlFlow::Continue(())
    }
}

#[test]
fn any_number_of_threads_gives_the_same_scores() {
    let (_, config, inputs, targets) = cases()[0];
    let text = format!(
        "KIND = \"TuningJob\"\n[inputs]\nKIND = \"CsvReader\"\npath = \"x\"\n[targets]\nKIND = \"CsvReader\"\npath = \"y\"\n{config}\n"
    );
    let job = tuna::TuningJob::from_config("case.toml", &text).unwrap();
    let cfg = &job.config;
    let data = tuna::io::validation::validate(
        &tuna::io::table::read_csv("x", inputs, None).unwrap(),
        &tuna::io::table::read_csv("y", targets, None).unwrap(),
        None,
        false,
    )
    .unwrap();
    let plan = tuna::core::search::SearchPlan::new(
        "RandomForestRegressor",
        &cfg.model.params,
        cfg.searcher.candidates().unwrap(),
        cfg.splitter.split(&data.y).unwrap(),
        cfg.metric.check().unwrap(),
        cfg.searcher.settings(),
    )
    .unwrap();
    let scores = |threads| {
        let executed = pollster::block_on(ThreadExecutor { threads }.execute(&data, &plan, &mut Ignore)).unwrap();
        plan.results(executed.units).cv_results.split_test_scores
    };
    assert_eq!(scores(1), scores(2));
    assert_eq!(scores(1), scores(3));
}
