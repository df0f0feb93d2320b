//! The messages between the page and its Web Workers, and the worker's handler.
//!
//! Plain serde types, tested natively: the worker binary only moves strings
//! in and out. The dataset and the plan cross once per worker (`Init`); after
//! that each message is one small unit. Messages are JSON strings, which the
//! browser copies between threads without walking an object graph.

use serde::{Deserialize, Serialize};

use crate::core::data::Dataset;
use crate::core::results::UnitResult;
use crate::core::search::{SearchPlan, Unit};

/// From the page to a worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ToWorker {
    /// The dataset and the plan, sent once after `Ready`.
    Init {
        /// The validated dataset.
        data: Dataset,
        /// Candidates, folds, metric.
        plan: SearchPlan,
    },
    /// Fit and score one unit.
    Run(Unit),
    /// Fit one candidate on every row (scikit-learn's `refit`).
    Refit {
        /// Candidate index.
        candidate: usize,
    },
}

/// From a worker to the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum FromWorker {
    /// The worker's wasm is loaded and it listens: the page may send `Init`.
    Ready,
    /// `Init` is stored; units may follow.
    Initialized,
    /// A unit's outcome (fit failures are inside the result).
    Done(UnitResult),
    /// The refit finished, in this many seconds (or failed, with the reason).
    Refitted(Result<f64, String>),
    /// The message could not be handled (a protocol error, not a fit failure).
    Error(String),
}

/// What a worker holds between messages.
#[derive(Default)]
pub struct WorkerState {
    init: Option<(Dataset, SearchPlan)>,
}

impl WorkerState {
    /// Handles one message (JSON) and returns the reply (JSON).
    pub fn handle_json(&mut self, message: &str, now: &dyn Fn() -> f64) -> String {
        let reply = match serde_json::from_str::<ToWorker>(message) {
            Ok(msg) => self.handle(msg, now),
            Err(e) => FromWorker::Error(format!("unreadable message: {e}")),
        };
        encode(&reply)
    }

    /// Handles one message.
    pub fn handle(&mut self, message: ToWorker, now: &dyn Fn() -> f64) -> FromWorker {
        match (message, &self.init) {
            (ToWorker::Init { data, plan }, _) => {
                self.init = Some((data, plan));
                FromWorker::Initialized
            }
            (ToWorker::Run(unit), Some((data, plan))) => {
                if unit.candidate >= plan.candidates.len() || unit.fold >= plan.folds.len() {
                    return FromWorker::Error(format!("unit {unit:?} is outside the plan"));
                }
                FromWorker::Done(plan.run_unit(data, unit, now))
            }
            (ToWorker::Refit { candidate }, Some((data, plan))) => match plan.estimators.get(candidate) {
                None => FromWorker::Error(format!("candidate {candidate} is outside the plan")),
                Some(_) => FromWorker::Refitted(plan.refit(data, candidate, now)),
            },
            (_, None) => FromWorker::Error("a unit arrived before Init".into()),
        }
    }
}

/// Serializes a message; the types here always serialize.
pub fn encode<T: Serialize>(message: &T) -> String {
    serde_json::to_string(message).unwrap_or_else(|e| format!("{{\"Error\":\"cannot encode: {e}\"}}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::metrics::{MetricKind, SklearnMetric};
    use crate::core::params::{ParamValue, Params};
    use crate::core::searchers::SearchSettings;
    use crate::core::splitters::{KFoldSplitter, SplitterKind};

    fn setup() -> (Dataset, SearchPlan) {
        let data = Dataset {
            feature_names: vec!["x".into()],
            x: (0..20).map(|i| i as f64).collect(),
            target_name: "y".into(),
            y: (0..20).map(|i| 2.0 * i as f64 + 1.0).collect(),
        };
        let folds =
            SplitterKind::KFoldSplitter(KFoldSplitter { n_splits: 2, ..Default::default() }).split(&data.y).unwrap();
        let metric = MetricKind::SklearnMetric(SklearnMetric::default()).check().unwrap();
        let candidates = vec![Params::from([("alpha".to_string(), ParamValue::Float(0.0))])];
        let plan =
            SearchPlan::new("Ridge", &Params::new(), candidates, folds, metric, SearchSettings::default()).unwrap();
        (data, plan)
    }

    #[test]
    fn a_unit_before_init_is_a_protocol_error() {
        let reply = WorkerState::default().handle(ToWorker::Run(Unit { candidate: 0, fold: 0 }), &|| 0.0);
        assert!(matches!(reply, FromWorker::Error(m) if m.contains("before Init")));
    }

    #[test]
    fn init_then_units_round_trip_as_json() {
        let (data, plan) = setup();
        let mut worker = WorkerState::default();
        let reply = worker.handle_json(&encode(&ToWorker::Init { data: data.clone(), plan: plan.clone() }), &|| 0.0);
        assert_eq!(serde_json::from_str::<FromWorker>(&reply).unwrap(), FromWorker::Initialized);
        let unit = Unit { candidate: 0, fold: 1 };
        let reply: FromWorker =
            serde_json::from_str(&worker.handle_json(&encode(&ToWorker::Run(unit)), &|| 0.0)).unwrap();
        // The worker computes exactly what the engine computes in-process.
        assert_eq!(reply, FromWorker::Done(plan.run_unit(&data, unit, &|| 0.0)));
    }

    #[test]
    fn units_outside_the_plan_and_garbage_are_errors_not_panics() {
        let (data, plan) = setup();
        let mut worker = WorkerState::default();
        worker.handle(ToWorker::Init { data, plan }, &|| 0.0);
        let reply = worker.handle(ToWorker::Run(Unit { candidate: 5, fold: 0 }), &|| 0.0);
        assert!(matches!(reply, FromWorker::Error(_)));
        let reply: FromWorker = serde_json::from_str(&worker.handle_json("{not json", &|| 0.0)).unwrap();
        assert!(matches!(reply, FromWorker::Error(m) if m.starts_with("unreadable message")));
    }

    #[test]
    fn the_dataset_crosses_as_json_bit_for_bit() {
        // Regression: without serde_json's float_roundtrip, some values came back
        // one bit off, and the page's scores differed from the CLI's.
        let (mut data, plan) = setup();
        data.x = vec![0.1 + 0.2, 1e-300, -0.038075906433423, 2.0f64.sqrt(), 5e-324, 1.7976931348623157e308];
        data.x.extend((0..14).map(|i| (i as f64 * 0.731).sin()));
        let text = encode(&ToWorker::Init { data: data.clone(), plan });
        let ToWorker::Init { data: back, .. } = serde_json::from_str(&text).unwrap() else { panic!() };
        let bits = |d: &Dataset| d.x.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&back), bits(&data));
    }

    #[test]
    fn refit_reports_its_time() {
        let (data, plan) = setup();
        let mut worker = WorkerState::default();
        worker.handle(ToWorker::Init { data, plan }, &|| 0.0);
        assert_eq!(worker.handle(ToWorker::Refit { candidate: 0 }, &|| 1.5), FromWorker::Refitted(Ok(0.0)));
    }
}
