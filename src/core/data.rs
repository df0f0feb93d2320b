//! The validated dataset the engine works on: a numeric feature matrix and a target.
//!
//! Readers and validation (in `io`) build it; everything in `core` takes it as
//! given, so a `Dataset` is always rectangular, finite and non-empty.

use serde::{Deserialize, Serialize};
use smartcore::linalg::basic::matrix::DenseMatrix;

/// Features (row-major) and targets, with their column names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dataset {
    /// Feature names, one per column, in file order.
    pub feature_names: Vec<String>,
    /// Row-major feature values: `x[row * n_features + col]`.
    pub x: Vec<f64>,
    /// The target column's name.
    pub target_name: String,
    /// One target per row.
    pub y: Vec<f64>,
}

impl Dataset {
    /// Number of rows (samples).
    pub fn n_rows(&self) -> usize {
        self.y.len()
    }

    /// Number of feature columns.
    pub fn n_features(&self) -> usize {
        self.feature_names.len()
    }

    /// One row of features.
    pub fn row(&self, i: usize) -> &[f64] {
        let p = self.n_features();
        &self.x[i * p..(i + 1) * p]
    }

    /// The rows at `indices`, in that order, as a matrix smartcore can fit on.
    pub fn features(&self, indices: &[usize]) -> DenseMatrix<f64> {
        let p = self.n_features();
        let mut values = Vec::with_capacity(indices.len() * p);
        for &i in indices {
            values.extend_from_slice(self.row(i));
        }
        DenseMatrix::new(indices.len(), p, values, false).expect("shape matches the number of values by construction")
    }

    /// The targets at `indices`, in that order.
    pub fn targets(&self, indices: &[usize]) -> Vec<f64> {
        indices.iter().map(|&i| self.y[i]).collect()
    }

    /// The distinct target values, sorted: scikit-learn's `classes_`.
    pub fn classes(&self) -> Vec<f64> {
        sorted_unique(&self.y)
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
        Dataset {
            feature_names: vec!["a".into(), "b".into()],
            x: vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
            target_name: "y".into(),
            y: vec![1.0, 0.0, 1.0],
        }
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
