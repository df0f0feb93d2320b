//! k-nearest-neighbour models (smartcore, Euclidean or Manhattan distance).

use serde::{Deserialize, Serialize};
use smartcore::linalg::basic::matrix::DenseMatrix;
use smartcore::metrics::distance::Distances;
use smartcore::neighbors::KNNWeightFunction;
use smartcore::neighbors::knn_classifier as sc_knc;
use smartcore::neighbors::knn_regressor as sc_knr;

use super::{LabelCodes, TrainSet, ensure, failed};
use crate::core::metrics::{Predictions, Probabilities};

/// How neighbours' votes are weighted: scikit-learn's `weights`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Weights {
    /// Every neighbour counts the same (default).
    Uniform,
    /// Neighbours count by the inverse of their distance.
    Distance,
}

impl Weights {
    fn smartcore(self) -> KNNWeightFunction {
        match self {
            Weights::Uniform => KNNWeightFunction::Uniform,
            Weights::Distance => KNNWeightFunction::Distance,
        }
    }
}

/// `KNeighborsRegressor`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct KNeighborsRegressor {
    /// Neighbours per prediction (default 5).
    pub n_neighbors: usize,
    /// `"uniform"` (default) or `"distance"`.
    pub weights: Weights,
    /// Minkowski power: 2 is Euclidean (default), 1 is Manhattan.
    pub p: u16,
}

impl Default for KNeighborsRegressor {
    fn default() -> Self {
        KNeighborsRegressor { n_neighbors: 5, weights: Weights::Uniform, p: 2 }
    }
}

/// `KNeighborsClassifier`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct KNeighborsClassifier {
    /// Neighbours per prediction (default 5).
    pub n_neighbors: usize,
    /// `"uniform"` (default) or `"distance"`.
    pub weights: Weights,
    /// Minkowski power: 2 is Euclidean (default), 1 is Manhattan.
    pub p: u16,
}

impl Default for KNeighborsClassifier {
    fn default() -> Self {
        KNeighborsClassifier { n_neighbors: 5, weights: Weights::Uniform, p: 2 }
    }
}

fn check(n_neighbors: usize, p: u16) -> Result<(), String> {
    ensure(n_neighbors >= 1, "n_neighbors", "at least 1", n_neighbors)?;
    ensure(p == 1 || p == 2, "p", "1 (Manhattan) or 2 (Euclidean)", p)
}

fn check_enough_rows(n_neighbors: usize, rows: usize) -> Result<(), String> {
    ensure(n_neighbors <= rows, "n_neighbors", &format!("at most the number of training rows ({rows})"), n_neighbors)
}

impl KNeighborsRegressor {
    pub(super) fn check(&self) -> Result<(), String> {
        check(self.n_neighbors, self.p)
    }

    pub(super) fn fit_predict(&self, train: &TrainSet, eval: &[&DenseMatrix<f64>]) -> Result<Vec<Predictions>, String> {
        check_enough_rows(self.n_neighbors, train.y.len())?;
        let y = train.y.to_vec();
        let base =
            sc_knr::KNNRegressorParameters::default().with_k(self.n_neighbors).with_weight(self.weights.smartcore());
        let values = |predicted: Result<Vec<f64>, smartcore::error::Failed>| {
            Ok(Predictions { values: predicted.map_err(failed)?, proba: None })
        };
        if self.p == 1 {
            let model =
                sc_knr::KNNRegressor::fit(train.x, &y, base.with_distance(Distances::manhattan())).map_err(failed)?;
            eval.iter().map(|m| values(model.predict(*m))).collect()
        } else {
            let model = sc_knr::KNNRegressor::fit(train.x, &y, base).map_err(failed)?;
            eval.iter().map(|m| values(model.predict(*m))).collect()
        }
    }
}

impl KNeighborsClassifier {
    pub(super) fn check(&self) -> Result<(), String> {
        check(self.n_neighbors, self.p)
    }

    pub(super) fn fit_predict(&self, train: &TrainSet, eval: &[&DenseMatrix<f64>]) -> Result<Vec<Predictions>, String> {
        check_enough_rows(self.n_neighbors, train.y.len())?;
        let labels = LabelCodes::encode(train.y)?;
        let base =
            sc_knc::KNNClassifierParameters::default().with_k(self.n_neighbors).with_weight(self.weights.smartcore());
        let to_predictions = |proba: Vec<Vec<f64>>| {
            // The predicted label is the most probable class, first one on ties,
            // as scikit-learn's `argmax` over `predict_proba`.
            let values = proba.iter().map(|row| labels.classes[super::linear::argmax(row)]).collect();
            Predictions { values, proba: Some(Probabilities { classes: labels.classes.clone(), rows: proba }) }
        };
        if self.p == 1 {
            let model = sc_knc::KNNClassifier::fit(train.x, &labels.codes, base.with_distance(Distances::manhattan()))
                .map_err(failed)?;
            eval.iter().map(|m| Ok(to_predictions(model.predict_proba(*m).map_err(failed)?))).collect()
        } else {
            let model = sc_knc::KNNClassifier::fit(train.x, &labels.codes, base).map_err(failed)?;
            eval.iter().map(|m| Ok(to_predictions(model.predict_proba(*m).map_err(failed)?))).collect()
        }
    }
}
