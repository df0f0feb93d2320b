//! Native side of the determinism check (the wasm32 side is `wasm_determinism.rs`).
//! `TUNA_BLESS=1 cargo test --test determinism` rewrites the expected file from
//! the native build; the wasm32 test then proves the browser build agrees.
#![cfg(not(target_arch = "wasm32"))] // Native services (threads): `--target wasm32` builds skip it.

#[path = "common/determinism_cases.rs"]
mod determinism_cases;

use determinism_cases::{cases, expected, prepare, run};
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
    let (data, plan) = prepare(config, inputs, targets);
    let scores = |threads| {
        let executed = pollster::block_on(ThreadExecutor { threads }.execute(&data, &plan, &mut Ignore)).unwrap();
        plan.results(executed.units).cv_results.split_test_scores
    };
    assert_eq!(scores(1), scores(2));
    assert_eq!(scores(1), scores(3));
}
