//! wasm32 side of the determinism check: the same seeded searches as
//! `determinism.rs`, compiled to WebAssembly and run by wasm-bindgen-test-runner
//! (under Node.js), must give the committed native bits exactly.
#![cfg(target_arch = "wasm32")]

#[path = "common/determinism_cases.rs"]
mod determinism_cases;

use determinism_cases::{cases, expected, run};
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn wasm_scores_match_the_native_bits() {
    let want = expected();
    for (name, config, inputs, targets) in cases() {
        let got = serde_json::to_value(run(config, inputs, targets)).unwrap();
        assert_eq!(got, want[name], "{name}: wasm32 scores differ from native");
    }
}
