//! The validated dataset the engine works on: typed feature columns and a target.
//!
//! Readers and validation (in `io`) build it; everything in `core` takes it as
//! given, so a `Dataset` is always rectangular and non-empty, its target has
//! no missing value, and without a preprocess section every feature column is
//! numeric and complete (`jobs::checks` makes sure before any fit).

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use smartcore::linalg::basic::matrix::DenseMatrix;

use super::frame::Column;

/// Feature columns and targets, with their names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dataset {
    /// Feature names, one per column, in file order.
    pub feature_names: Vec<String>,
    /// The feature columns, as read (text and missing cells included), shared
    /// with the table they were read into.
    pub columns: Arc<[Column]>,
    /// The target column's name.
    pub target_name: String,
    /// One target per row: a number, or for text class labels the label's index in `labels`.
    pub y: Vec<f64>,
    /// The class labels as written, sorted, when the target column is text
    /// (scikit-learn's `classes_` of a string target).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labels: Option<Vec<String>>,
}

impl Dataset {
    /// A dataset of numeric features given row-major (`x[row * p + col]`), as tests and demos build one.
    pub fn numeric(feature_names: Vec<String>, x: &[f64], target_name: &str, y: Vec<f64>) -> Dataset {
        let p = feature_names.len();
        let columns = (0..p).map(|j| Column::numbers(x.iter().skip(j).step_by(p.max(1)).copied().collect())).collect();
        Dataset { feature_names, columns, target_name: target_name.to_string(), y, labels: None }
    }

    /// Number of rows (samples).
    pub fn n_rows(&self) -> usize {
        self.y.len()
    }

    /// Number of feature columns.
    pub fn n_features(&self) -> usize {
        self.feature_names.len()
    }

    /// The rows at `indices`, in that order, as a matrix smartcore can fit on
    /// (text cells read as NaN: a dataset with text goes through a preprocess section).
    pub fn features(&self, indices: &[usize]) -> DenseMatrix<f64> {
        let p = self.n_features();
        let mut values = Vec::with_capacity(indices.len() * p);
        for &i in indices {
            values.extend(self.columns.iter().map(|c| c.number(i)));
        }
        DenseMatrix::new(indices.len(), p, values, false).expect("shape matches the number of values by construction")
    }

    /// The targets at `indices`, in that order.
    pub fn targets(&self, indices: &[usize]) -> Vec<f64> {
        indices.iter().map(|&i| self.y[i]).collect()
    }

    /// The distinct target values, sorted: scikit-learn's `classes_` (as codes for text labels).
    pub fn classes(&self) -> Vec<f64> {
        sorted_unique(&self.y)
    }

    /// Whether `other` holds the same data, numbers compared by their bits.
    pub fn same_bits(&self, other: &Dataset) -> bool {
        let bits =
            |a: &[f64], b: &[f64]| a.len() == b.len() && a.iter().zip(b).all(|(p, q)| p.to_bits() == q.to_bits());
        self.feature_names == other.feature_names
            && self.target_name == other.target_name
            && self.labels == other.labels
            && bits(&self.y, &other.y)
            && self.columns.len() == other.columns.len()
            && self.columns.iter().zip(other.columns.iter()).all(|(a, b)| a.same_bits(b))
    }

    /// A target value as the person wrote it: the label for text classes, else the number.
    pub fn label_of(&self, value: f64) -> String {
        match &self.labels {
            Some(labels) => labels.get(value as usize).cloned().unwrap_or_else(|| value.to_string()),
            None if value.fract() == 0.0 && value.abs() < 9.0e15 => format!("{}", value as i64),
            None => crate::core::params::python_float(value),
        }
    }
}

/// Sorted distinct values (NaN-free input, as a validated `Dataset` guarantees).
pub fn sorted_unique(values: &[f64]) -> Vec<f64> {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    v.dedup();
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use smartcore::linalg::basic::arrays::Array;

    fn tiny() -> Dataset {
        Dataset::numeric(vec!["a".into(), "b".into()], &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], "y", vec![1.0, 0.0, 1.0])
    }

    #[test]
    fn features_gathers_rows_in_order() {
        let m = tiny().features(&[2, 0]);
        assert_eq!(*m.get((0, 0)), 5.0);
        assert_eq!(*m.get((0, 1)), 6.0);
        assert_eq!(*m.get((1, 1)), 2.0);
    }

    #[test]
    fn classes_are_sorted_and_distinct() {
        assert_eq!(tiny().classes(), vec![0.0, 1.0]);
    }
}
