//! `RandomCVSearcher` draws the candidates scikit-learn's `ParameterSampler`
//! draws (what `RandomizedSearchCV` runs), draw for draw with the same
//! `random_state`, and warns when it does: `tests/data/expected/samplers.json`
//! comes from `tests/sklearn/make_samplers.py`, which runs the real thing.
#![cfg(not(target_arch = "wasm32"))]

use tuna::core::params::{ParamValue, Params};
use tuna::core::searchers::{RandomCVSearcher, SearcherKind};

#[derive(serde::Deserialize)]
struct Case {
    name: String,
    searcher: RandomCVSearcher,
    candidates: Vec<Params>,
    warnings: Vec<String>,
}

/// Equal, a float within 2 ulps (`loguniform` goes through `ln` and `exp`,
/// which numpy and Rust take from different maths libraries).
fn same(a: &ParamValue, b: &ParamValue) -> bool {
    match (a, b) {
        (ParamValue::Float(x), ParamValue::Float(y)) => (x - y).abs() <= 2.0 * f64::EPSILON * x.abs().max(y.abs()),
        _ => a == b,
    }
}

#[test]
fn random_search_draws_scikit_learns_candidates_draw_for_draw() {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/expected/samplers.json")).unwrap();
    let cases: Vec<Case> = serde_json::from_str(&text).unwrap();
    assert_eq!(cases.len(), 8);
    for case in cases {
        let searcher = SearcherKind::RandomCVSearcher(case.searcher);
        let drawn = searcher.candidates().unwrap();
        assert_eq!(drawn.len(), case.candidates.len(), "{}", case.name);
        for (i, (ours, theirs)) in drawn.iter().zip(&case.candidates).enumerate() {
            let agree =
                ours.len() == theirs.len() && ours.iter().all(|(k, v)| theirs.get(k).is_some_and(|t| same(v, t)));
            assert!(agree, "{}: candidate {i}: Tuna {ours:?}, scikit-learn {theirs:?}", case.name);
        }
        // scikit-learn warns when the lists hold fewer points than n_iter; so does Tuna.
        assert_eq!(searcher.warning().is_some(), !case.warnings.is_empty(), "{}", case.name);
    }
}
