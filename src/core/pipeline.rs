//! One candidate as scikit-learn's `Pipeline(preprocess, model)`: the
//! optional `[preprocess]` section fitted on a fold's training rows, then the
//! model fitted on what it gives.
//!
//! A candidate's keys are split by name: `preprocess__...` keys set the
//! section's settings, every other key is the model's.

use serde::{Deserialize, Serialize};
use smartcore::linalg::basic::matrix::DenseMatrix;

use super::data::Dataset;
use super::metrics::Predictions;
use super::models::{Estimator, FittedAttributes, ModelError, TrainSet};
use super::params::{ParamValue, Params};
use super::preprocess::Preprocess;

/// The prefix of grid keys that reach into the `[preprocess]` section.
pub const PREPROCESS_PREFIX: &str = "preprocess__";

/// A candidate's preprocessing and model, with checked settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pipeline {
    /// The `[preprocess]` section with this candidate's settings, if the job has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preprocess: Option<Preprocess>,
    /// The model with this candidate's hyperparameters.
    pub model: Estimator,
}

impl Pipeline {
    /// The pipeline of model `kind` with `params` (fixed ones merged with a
    /// candidate's) over `preprocess`; `preprocess__` keys go to the section.
    pub fn new(preprocess: Option<&Preprocess>, kind: &str, params: &Params) -> Result<Pipeline, ModelError> {
        let (steps, model): (Params, Params) =
            params.clone().into_iter().partition(|(k, _)| k.starts_with(PREPROCESS_PREFIX));
        let preprocess = match (preprocess, steps.is_empty()) {
            (section, true) => section.cloned(),
            (None, false) => {
                let key = steps.keys().next().cloned().unwrap_or_default();
                return Err(ModelError::Params {
                    model: kind.to_string(),
                    message: format!(
                        "{key}: the job has no [preprocess] section for this key to reach into; add one, or remove the key"
                    ),
                });
            }
            (Some(section), false) => {
                Some(steps.iter().try_fold(section.clone(), |s, (k, v): (&String, &ParamValue)| {
                    s.with_param(k, v).map_err(|message| ModelError::Params { model: "preprocess".into(), message })
                })?)
            }
        };
        Ok(Pipeline { preprocess, model: Estimator::new(kind, &model)? })
    }

    /// Fits on rows `train` of `data` (a refit) and returns the model's fitted attributes.
    pub fn fit_attributes(&self, data: &Dataset, train: &[usize]) -> Result<FittedAttributes, String> {
        let (x, _) = self.features(data, train, &[])?;
        self.model
            .fit_attributes(&TrainSet { x: &x, y: &data.targets(train), labels: data.labels.as_deref() })
            .map_err(|e| e.to_string())
    }

    /// Fits on rows `train` of `data` and predicts the rows of each `eval`, in order.
    pub fn fit_predict(&self, data: &Dataset, train: &[usize], eval: &[&[usize]]) -> Result<Vec<Predictions>, String> {
        let (x, eval) = self.features(data, train, eval)?;
        let eval: Vec<_> = eval.iter().collect();
        self.model
            .fit_predict(&TrainSet { x: &x, y: &data.targets(train), labels: data.labels.as_deref() }, &eval)
            .map_err(|e| e.to_string())
    }

    /// The model's features for rows `train` and each `eval`: the columns as
    /// they are, or through `[preprocess]` fitted on `train`.
    fn features(
        &self,
        data: &Dataset,
        train: &[usize],
        eval: &[&[usize]],
    ) -> Result<(DenseMatrix<f64>, Vec<DenseMatrix<f64>>), String> {
        match &self.preprocess {
            None => Ok((data.features(train), eval.iter().map(|rows| data.features(rows)).collect())),
            Some(section) => {
                let fitted = section.fit(data, train).map_err(|e| format!("preprocess: {e}"))?;
                let transform = |rows: &[usize]| fitted.transform(data, rows).map_err(|e| format!("preprocess: {e}"));
                Ok((transform(train)?, eval.iter().map(|rows| transform(rows)).collect::<Result<Vec<_>, _>>()?))
            }
        }
    }
}
