//! The cross-validated search as work units: one (candidate, fold) fit each.
//!
//! A `SearchPlan` is everything a worker needs besides the data: checked
//! estimators, folds, the metric. It serializes, so the page sends it to each
//! Web Worker once; the CLI shares it between threads. Units can run in any
//! order on any worker and give the same numbers: all randomness is seeded by
//! the config.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::data::Dataset;
use super::metrics::Metric;
use super::models::{Estimator, FittedAttributes, ModelError};
use super::params::{Params, params_to_python};
use super::pipeline::Pipeline;
use super::preprocess::Preprocess;
use super::results::{SearchResults, UnitResult};
use super::searchers::{ErrorScore, SearchSettings};
use super::splitters::Fold;

/// One fit: candidate `candidate` on fold `fold`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    /// Candidate index.
    pub candidate: usize,
    /// Fold index.
    pub fold: usize,
}

/// Why a search could not be planned or finished.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum SearchError {
    /// A grid candidate has hyperparameters the model rejects.
    #[error("searcher candidate {index} {params}: {source}")]
    Candidate {
        /// Candidate index.
        index: usize,
        /// Its parameters, as a Python dict.
        params: String,
        /// The model's complaint.
        source: ModelError,
    },
    /// A fit failed and `error_score = "raise"`.
    #[error(
        "fit failed for candidate {index} {params} on fold {fold}: {message} (set searcher.error_score = nan to record failures and go on)"
    )]
    FitFailed {
        /// Candidate index.
        index: usize,
        /// Its parameters, as a Python dict.
        params: String,
        /// Fold index.
        fold: usize,
        /// What failed.
        message: String,
    },
    /// The metric does not suit the model.
    #[error("{0}")]
    Mismatch(String),
}

/// A classification metric needs a classifier, a regression metric a regressor.
fn check_metric_suits(metric: &Metric, model: &Estimator) -> Result<(), SearchError> {
    let (name, kind) = (metric.name.as_str(), model.kind());
    match (metric.name.is_classification(), model.is_classifier()) {
        (true, false) => Err(SearchError::Mismatch(format!(
            "metric `{name}` is for classifiers but {kind} is a regressor; pick a regression metric such as mean_squared_error or r2"
        ))),
        (false, true) => Err(SearchError::Mismatch(format!(
            "metric `{name}` is for regressors but {kind} is a classifier; pick a classification metric such as accuracy or f1_macro"
        ))),
        _ => Ok(()),
    }
}

/// The refit of the best candidate on every row: how long it took and what
/// the fitted model reports (scikit-learn's `refit_time_` and `best_estimator_`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Refit {
    /// How long the fit took.
    pub seconds: f64,
    /// What the fitted model reports (`oob_score_`).
    pub attributes: FittedAttributes,
}

/// The search, ready to run.
///
/// Every candidate is checked against the model when the plan is made, so a
/// bad grid value fails before the first fit:
///
/// ```
/// use tuna::core::data::Dataset;
/// use tuna::core::metrics::{MetricKind, SklearnMetric};
/// use tuna::core::params::{ParamValue, Params};
/// use tuna::core::search::SearchPlan;
/// use tuna::core::searchers::SearchSettings;
/// use tuna::core::splitters::{KFoldSplitter, SplitterKind};
///
/// let x: Vec<f64> = (0..20).map(f64::from).collect();
/// let data = Dataset::numeric(vec!["x".into()], &x, "y", (0..20).map(|i| 2.0 * f64::from(i) + 1.0).collect());
/// let folds = SplitterKind::KFoldSplitter(KFoldSplitter { n_splits: 4, ..Default::default() }).split(&data.y)?;
/// let metric = MetricKind::SklearnMetric(SklearnMetric::default()).check()?; // neg_mean_squared_error
/// let alphas = |values: &[f64]| -> Vec<Params> {
///     values.iter().map(|&a| Params::from([("alpha".to_string(), ParamValue::Float(a))])).collect()
/// };
/// let settings = SearchSettings::default();
///
/// let plan = SearchPlan::new("Ridge", &Params::new(), alphas(&[0.0, 10.0]), folds.clone(), metric, settings.clone())?;
/// let units = plan.units().into_iter().map(|u| plan.run_unit(&data, u, &|| 0.0)).collect();
/// let results = plan.results(units);
/// assert_eq!(results.best_index, 0, "no penalty fits a straight line best");
/// assert!(results.best_score > -1e-9);
///
/// let bad = SearchPlan::new("Ridge", &Params::new(), alphas(&[1.0, -1.0]), folds, metric, settings).unwrap_err();
/// assert_eq!(bad.to_string(), "searcher candidate 1 {'alpha': -1.0}: Ridge: alpha must be at least 0, found -1");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchPlan {
    /// Each candidate's parameters (grid values only, as in `cv_results_['params']`).
    pub candidates: Vec<Params>,
    /// Each candidate's pipeline: fixed hyperparameters merged with its grid values.
    pub pipelines: Vec<Pipeline>,
    /// The cross-validation folds.
    pub folds: Vec<Fold>,
    /// The score to maximise.
    pub metric: Metric,
    /// Failure handling, train scores, refit.
    pub settings: SearchSettings,
}

impl SearchPlan {
    /// Checks every candidate against the model before any fit runs.
    pub fn new(
        model_kind: &str,
        fixed: &Params,
        candidates: Vec<Params>,
        folds: Vec<Fold>,
        metric: Metric,
        settings: SearchSettings,
    ) -> Result<SearchPlan, SearchError> {
        SearchPlan::with_preprocess(None, model_kind, fixed, candidates, folds, metric, settings)
    }

    /// [`SearchPlan::new`] with a `[preprocess]` section in front of the
    /// model, which `preprocess__` grid keys reach into.
    pub fn with_preprocess(
        preprocess: Option<&Preprocess>,
        model_kind: &str,
        fixed: &Params,
        candidates: Vec<Params>,
        folds: Vec<Fold>,
        metric: Metric,
        settings: SearchSettings,
    ) -> Result<SearchPlan, SearchError> {
        // The metric must suit the model, whatever the grid says.
        if let Ok(fixed_model) = Estimator::new(model_kind, fixed) {
            check_metric_suits(&metric, &fixed_model)?;
        }
        let pipelines = candidates
            .iter()
            .enumerate()
            .map(|(index, c)| {
                let mut params = fixed.clone();
                params.extend(c.clone());
                Pipeline::new(preprocess, model_kind, &params).map_err(|source| SearchError::Candidate {
                    index,
                    params: params_to_python(c),
                    source,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        if let Some(first) = pipelines.first() {
            check_metric_suits(&metric, &first.model)?;
        }
        Ok(SearchPlan { candidates, pipelines, folds, metric, settings })
    }

    /// Every unit, candidate by candidate, fold by fold (scikit-learn's order).
    pub fn units(&self) -> Vec<Unit> {
        (0..self.candidates.len())
            .flat_map(|candidate| (0..self.folds.len()).map(move |fold| Unit { candidate, fold }))
            .collect()
    }

    /// Fits one unit and scores it. `now` returns seconds from any fixed origin
    /// (`Instant` natively, `performance.now()` in a worker).
    pub fn run_unit(&self, data: &Dataset, unit: Unit, now: &dyn Fn() -> f64) -> UnitResult {
        let fold = &self.folds[unit.fold];
        let pipeline = &self.pipelines[unit.candidate];
        let with_train = self.settings.return_train_score;
        let start = now();
        let train_y = data.targets(&fold.train);
        let test_y = data.targets(&fold.test);
        let eval: Vec<&[usize]> = if with_train { vec![&fold.test, &fold.train] } else { vec![&fold.test] };
        let failed = |message: String, fit_time: f64, score_time: f64| UnitResult {
            fit_time,
            score_time,
            ..self.failed_unit(unit, message)
        };
        // Fitting and predicting happen in one call (see `models`); the time
        // up to the end of fit_predict counts as fit time, scoring as score time.
        let predictions = match pipeline.fit_predict(data, &fold.train, &eval) {
            Ok(p) => p,
            Err(e) => return failed(e, now() - start, 0.0),
        };
        let fitted = now();
        let test_score = self.metric.score(&test_y, &predictions[0]);
        let train_score = if with_train { Some(self.metric.score(&train_y, &predictions[1])) } else { None };
        let score_time = now() - fitted;
        match (test_score, train_score.transpose()) {
            (Ok(test_score), Ok(train_score)) => UnitResult {
                candidate: unit.candidate,
                fold: unit.fold,
                test_score,
                train_score,
                fit_time: fitted - start,
                score_time,
                error: None,
            },
            (Err(e), _) | (_, Err(e)) => failed(e.to_string(), fitted - start, score_time),
        }
    }

    /// Fits candidate `candidate` on every row (scikit-learn's `refit`) and
    /// returns the seconds it took and the model's fitted attributes; the same
    /// for threads and Web Workers.
    pub fn refit(&self, data: &Dataset, candidate: usize, now: &dyn Fn() -> f64) -> Result<Refit, String> {
        let pipeline =
            self.pipelines.get(candidate).ok_or_else(|| format!("candidate {candidate} is outside the plan"))?;
        let all: Vec<usize> = (0..data.n_rows()).collect();
        let start = now();
        let attributes = pipeline.fit_attributes(data, &all)?;
        Ok(Refit { seconds: now() - start, attributes })
    }

    /// The result of a unit that failed outside the engine (a worker that
    /// crashed or ran out of memory): it scores `error_score` like a failed fit.
    pub fn failed_unit(&self, unit: Unit, message: String) -> UnitResult {
        UnitResult {
            candidate: unit.candidate,
            fold: unit.fold,
            test_score: self.error_value(),
            train_score: self.settings.return_train_score.then(|| self.error_value()),
            fit_time: 0.0,
            score_time: 0.0,
            error: Some(message),
        }
    }

    /// The score a failed unit records (NaN under `"raise"`, which stops the job anyway).
    fn error_value(&self) -> f64 {
        match self.settings.error_score {
            ErrorScore::Value(v) => v,
            ErrorScore::Raise(_) => f64::NAN,
        }
    }

    /// The error to stop on, if this unit failed and failures raise.
    pub fn should_raise(&self, result: &UnitResult) -> Option<SearchError> {
        match (&result.error, self.settings.error_score) {
            (Some(message), ErrorScore::Raise(_)) => Some(SearchError::FitFailed {
                index: result.candidate,
                params: params_to_python(&self.candidates[result.candidate]),
                fold: result.fold,
                message: message.clone(),
            }),
            _ => None,
        }
    }

    /// Builds the results once every unit has run (in any order).
    pub fn results(&self, mut units: Vec<UnitResult>) -> SearchResults {
        units.sort_by_key(|u| (u.candidate, u.fold));
        SearchResults::from_units(self.candidates.clone(), self.folds.len(), &units, self.settings.return_train_score)
    }
}
