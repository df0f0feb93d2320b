//! Test data for the state's tests: finished units and a report.

use crate::core::metrics::{Metric, MetricName};
use crate::core::results::{SearchResults, UnitResult};
use crate::io::services::Delivery;
use crate::jobs::tuning::JobReport;

/// Candidate `candidate`'s fold `fold`, scoring `score`.
pub fn unit(candidate: usize, fold: usize, score: f64) -> UnitResult {
    UnitResult { candidate, fold, test_score: score, train_score: None, fit_time: 0.0, score_time: 0.0, error: None }
}

/// A report with no results, for tests of a run's phase rather than its scores.
pub fn report(cancelled: bool) -> JobReport {
    JobReport {
        results: SearchResults::from_units(Vec::new(), 0, &[], false),
        cancelled,
        lineage: Vec::new(),
        metric: Metric { name: MetricName::MeanSquaredError, greater_is_better: false, pos_label: 1.0 },
        shape: (0, 0),
        duration: 0.0,
        warnings: Vec::new(),
        tracking: Delivery::Off,
        alert: Delivery::Off,
        log: String::new(),
    }
}
