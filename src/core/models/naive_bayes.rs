//! Gaussian naive Bayes, written here because smartcore's has neither
//! scikit-learn's `var_smoothing` nor class probabilities.

use serde::{Deserialize, Serialize};
use smartcore::linalg::basic::arrays::Array;
use smartcore::linalg::basic::matrix::DenseMatrix;

use super::{LabelCodes, TrainSet, ensure, rows_of};
use crate::core::libc_exp;
use crate::core::metrics::{Predictions, Probabilities};

/// `GaussianNB`: per-class normal distributions with independent features.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GaussianNB {
    /// Share of the largest feature variance added to every variance, for
    /// numerical stability (default 1e-9).
    pub var_smoothing: f64,
}

impl Default for GaussianNB {
    fn default() -> Self {
        GaussianNB { var_smoothing: 1e-9 }
    }
}

impl GaussianNB {
    pub(super) fn check(&self) -> Result<(), String> {
        ensure(self.var_smoothing >= 0.0, "var_smoothing", "at least 0", self.var_smoothing)
    }

    pub(super) fn fit_predict(&self, train: &TrainSet, eval: &[&DenseMatrix<f64>]) -> Result<Vec<Predictions>, String> {
        let labels = LabelCodes::encode(train.y)?;
        let (n, p) = train.x.shape();
        let k = labels.classes.len();

        // epsilon = var_smoothing * max over features of the variance of X.
        let mut overall = Moments::new(p);
        let mut per_class: Vec<Moments> = (0..k).map(|_| Moments::new(p)).collect();
        let train_rows = rows_of(train.x);
        for i in 0..n {
            let r = &train_rows[i * p..(i + 1) * p];
            overall.add(r);
            per_class[labels.codes[i] as usize].add(r);
        }
        let epsilon = self.var_smoothing * overall.variances().into_iter().fold(0.0, f64::max);
        let classes: Vec<(f64, Vec<f64>, Vec<f64>)> = per_class
            .iter()
            .map(|m| {
                let var: Vec<f64> = m.variances().into_iter().map(|v| v + epsilon).collect();
                (m.count / n as f64, m.means(), var)
            })
            .collect();
        if classes.iter().any(|(_, _, var)| var.iter().any(|v| *v <= 0.0)) {
            return Err("a feature is constant within a class and var_smoothing is 0: set var_smoothing > 0".into());
        }

        Ok(eval
            .iter()
            .map(|m| {
                let values = rows_of(m);
                let rows: Vec<Vec<f64>> = (0..m.shape().0)
                    .map(|i| {
                        let x = &values[i * p..(i + 1) * p];
                        let jll: Vec<f64> = classes
                            .iter()
                            .map(|(prior, mean, var)| {
                                let mut ll = libm::log(*prior);
                                for j in 0..p {
                                    ll -= 0.5 * libm::log(2.0 * std::f64::consts::PI * var[j]);
                                    ll -= 0.5 * (x[j] - mean[j]).powi(2) / var[j];
                                }
                                ll
                            })
                            .collect();
                        normalize_log(&jll)
                    })
                    .collect();
                let values = rows.iter().map(|r| labels.classes[super::linear::argmax(r)]).collect();
                Predictions { values, proba: Some(Probabilities { classes: labels.classes.clone(), rows }) }
            })
            .collect())
    }
}

/// `exp(v - logsumexp(v))`: joint log-likelihoods to probabilities.
fn normalize_log(v: &[f64]) -> Vec<f64> {
    let max = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let lse = max + libm::log(v.iter().map(|x| libc_exp::exp(x - max)).sum::<f64>());
    v.iter().map(|x| libc_exp::exp(x - lse)).collect()
}

/// Running sums for per-feature means and population variances.
struct Moments {
    count: f64,
    sum: Vec<f64>,
    rows: Vec<Vec<f64>>,
}

impl Moments {
    fn new(p: usize) -> Self {
        Moments { count: 0.0, sum: vec![0.0; p], rows: Vec::new() }
    }

    fn add(&mut self, row: &[f64]) {
        self.count += 1.0;
        for (s, v) in self.sum.iter_mut().zip(row) {
            *s += v;
        }
        self.rows.push(row.to_vec());
    }

    fn means(&self) -> Vec<f64> {
        self.sum.iter().map(|s| s / self.count).collect()
    }

    /// Two-pass population variance (numpy's `var`), stable for large offsets.
    fn variances(&self) -> Vec<f64> {
        let means = self.means();
        let mut var = vec![0.0; means.len()];
        for r in &self.rows {
            for j in 0..var.len() {
                var[j] += (r[j] - means[j]).powi(2);
            }
        }
        var.iter().map(|v| v / self.count).collect()
    }
}
