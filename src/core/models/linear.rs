//! Linear models: least squares, Ridge, Lasso, ElasticNet and logistic regression.
//!
//! scikit-learn fits an intercept by centring X and y, solving without one,
//! then setting `intercept = mean(y) - mean(X) · w`. The least-squares models
//! here do exactly that, so their coefficients match scikit-learn's; smartcore
//! supplies the linear algebra (SVD and Cholesky solves). Lasso and ElasticNet
//! run scikit-learn's cyclic coordinate descent with its duality-gap stopping
//! rule (smartcore's Lasso uses an interior-point method with other tolerances).

use serde::{Deserialize, Serialize};
use smartcore::linalg::basic::arrays::Array;
use smartcore::linalg::basic::matrix::DenseMatrix;
use smartcore::linalg::traits::cholesky::CholeskyDecomposable;
use smartcore::linalg::traits::svd::SVDDecomposable;
use smartcore::linear::logistic_regression as sc_logistic;

use super::{LabelCodes, TrainSet, ensure, failed, rows_of};
use crate::core::metrics::{Predictions, Probabilities};
use crate::core::{libc_exp, numpy_sum};

/// `LinearRegression`: ordinary least squares (minimum-norm solution via SVD).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LinearRegression {
    /// Fit an intercept (default true).
    pub fit_intercept: bool,
}

impl Default for LinearRegression {
    fn default() -> Self {
        LinearRegression { fit_intercept: true }
    }
}

/// `Ridge`: least squares plus `alpha * ||w||²`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Ridge {
    /// Regularisation strength, at least 0 (default 1.0).
    pub alpha: f64,
    /// Fit an intercept (default true); the intercept is not penalised.
    pub fit_intercept: bool,
}

impl Default for Ridge {
    fn default() -> Self {
        Ridge { alpha: 1.0, fit_intercept: true }
    }
}

/// `Lasso`: `1/(2n) ||y - Xw||² + alpha * ||w||₁`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Lasso {
    /// Regularisation strength, at least 0 (default 1.0).
    pub alpha: f64,
    /// Fit an intercept (default true).
    pub fit_intercept: bool,
    /// Most coordinate-descent sweeps (default 1000).
    pub max_iter: usize,
    /// Duality-gap tolerance, relative to `||y||²` (default 1e-4).
    pub tol: f64,
}

impl Default for Lasso {
    fn default() -> Self {
        Lasso { alpha: 1.0, fit_intercept: true, max_iter: 1000, tol: 1e-4 }
    }
}

/// `ElasticNet`: `1/(2n) ||y - Xw||² + alpha * l1_ratio * ||w||₁ + alpha * (1 - l1_ratio) / 2 * ||w||²`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ElasticNet {
    /// Regularisation strength, at least 0 (default 1.0).
    pub alpha: f64,
    /// Share of the L1 penalty, in [0, 1] (default 0.5).
    pub l1_ratio: f64,
    /// Fit an intercept (default true).
    pub fit_intercept: bool,
    /// Most coordinate-descent sweeps (default 1000).
    pub max_iter: usize,
    /// Duality-gap tolerance, relative to `||y||²` (default 1e-4).
    pub tol: f64,
}

impl Default for ElasticNet {
    fn default() -> Self {
        ElasticNet { alpha: 1.0, l1_ratio: 0.5, fit_intercept: true, max_iter: 1000, tol: 1e-4 }
    }
}

/// `LogisticRegression` with an L2 penalty, fitted by L-BFGS (smartcore).
///
/// scikit-learn minimises `C * Σ log-loss + ½||w||²`; smartcore minimises
/// `Σ log-loss + alpha/2 ||w||²`, the same optimum with `alpha = 1/C`.
/// The intercept is always fitted and never penalised, as in scikit-learn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LogisticRegression {
    /// Inverse regularisation strength, above 0 (default 1.0).
    #[serde(rename = "C")]
    pub c: f64,
}

impl Default for LogisticRegression {
    fn default() -> Self {
        LogisticRegression { c: 1.0 }
    }
}

impl LinearRegression {
    pub(super) fn fit_predict(&self, train: &TrainSet, eval: &[&DenseMatrix<f64>]) -> Result<Vec<Predictions>, String> {
        let c = Centered::new(train, self.fit_intercept);
        if c.n < c.p {
            return Err(format!(
                "{} training rows for {} features: least squares needs at least as many rows as features",
                c.n, c.p
            ));
        }
        let a = DenseMatrix::new(c.n, c.p, c.x.clone(), false).map_err(failed)?;
        let b = DenseMatrix::new(c.n, 1, c.y.clone(), false).map_err(failed)?;
        let w = a.svd_solve_mut(b).map_err(failed)?;
        let w: Vec<f64> = (0..c.p).map(|j| *w.get((j, 0))).collect();
        Ok(c.predict(&w, eval))
    }
}

impl Ridge {
    pub(super) fn check(&self) -> Result<(), String> {
        ensure(self.alpha >= 0.0, "alpha", "at least 0", self.alpha)
    }

    pub(super) fn fit_predict(&self, train: &TrainSet, eval: &[&DenseMatrix<f64>]) -> Result<Vec<Predictions>, String> {
        let c = Centered::new(train, self.fit_intercept);
        // Normal equations (XᵀX + αI) w = Xᵀy, solved by Cholesky: scikit-learn's
        // `solver="auto"` for dense data.
        let mut gram = vec![0.0; c.p * c.p];
        let mut xty = vec![0.0; c.p];
        // Lower triangle, row by row, as slices: no bounds checks in the inner
        // loop, which LLVM then vectorises (natively and as wasm SIMD).
        for (row, &yi) in c.x.chunks_exact(c.p).zip(&c.y) {
            for (j, &xj) in row.iter().enumerate() {
                xty[j] += xj * yi;
                let lower = &mut gram[j * c.p..j * c.p + j + 1];
                for (g, &xk) in lower.iter_mut().zip(&row[..=j]) {
                    *g += xj * xk;
                }
            }
        }
        for j in 0..c.p {
            for k in 0..j {
                gram[k * c.p + j] = gram[j * c.p + k];
            }
            gram[j * c.p + j] += self.alpha;
        }
        let a = DenseMatrix::new(c.p, c.p, gram, false).map_err(failed)?;
        let b = DenseMatrix::new(c.p, 1, xty, false).map_err(failed)?;
        let w = a
            .cholesky_solve_mut(b)
            .map_err(|e| format!("{} (XᵀX + alpha·I is not positive definite: use alpha > 0)", failed(e)))?;
        let w: Vec<f64> = (0..c.p).map(|j| *w.get((j, 0))).collect();
        Ok(c.predict(&w, eval))
    }
}

impl Lasso {
    pub(super) fn check(&self) -> Result<(), String> {
        as_elastic_net(self).check()
    }

    pub(super) fn fit_predict(&self, train: &TrainSet, eval: &[&DenseMatrix<f64>]) -> Result<Vec<Predictions>, String> {
        as_elastic_net(self).fit_predict(train, eval)
    }
}

fn as_elastic_net(l: &Lasso) -> ElasticNet {
    ElasticNet { alpha: l.alpha, l1_ratio: 1.0, fit_intercept: l.fit_intercept, max_iter: l.max_iter, tol: l.tol }
}

impl ElasticNet {
    pub(super) fn check(&self) -> Result<(), String> {
        ensure(self.alpha >= 0.0, "alpha", "at least 0", self.alpha)?;
        ensure((0.0..=1.0).contains(&self.l1_ratio), "l1_ratio", "between 0 and 1", self.l1_ratio)?;
        ensure(self.max_iter >= 1, "max_iter", "at least 1", self.max_iter)?;
        ensure(self.tol >= 0.0, "tol", "at least 0", self.tol)
    }

    pub(super) fn fit_predict(&self, train: &TrainSet, eval: &[&DenseMatrix<f64>]) -> Result<Vec<Predictions>, String> {
        let c = Centered::new(train, self.fit_intercept);
        let w = self.coordinate_descent(&c);
        Ok(c.predict(&w, eval))
    }

    /// scikit-learn's `enet_coordinate_descent` (cyclic order, no warm start):
    /// sweep the coordinates, and when the largest update is small relative to
    /// the largest weight, stop if the duality gap is below `tol * ||y||²`.
    fn coordinate_descent(&self, c: &Centered) -> Vec<f64> {
        let (n, p) = (c.n, c.p);
        let l1 = self.alpha * self.l1_ratio * n as f64;
        let l2 = self.alpha * (1.0 - self.l1_ratio) * n as f64;
        // Column-major copy: each update walks one feature column.
        let cols: Vec<Vec<f64>> = (0..p).map(|j| (0..n).map(|i| c.x[i * p + j]).collect()).collect();
        let col_norm2: Vec<f64> = cols.iter().map(|col| dot(col, col)).collect();
        let mut w = vec![0.0; p];
        let mut r = c.y.clone();
        let tol = self.tol * dot(&c.y, &c.y);
        for sweep in 0..self.max_iter {
            let (mut w_max, mut dw_max) = (0.0f64, 0.0f64);
            for j in 0..p {
                if col_norm2[j] == 0.0 {
                    continue;
                }
                let w_old = w[j];
                if w_old != 0.0 {
                    axpy(w_old, &cols[j], &mut r);
                }
                let rho = dot(&cols[j], &r);
                w[j] = rho.signum() * (rho.abs() - l1).max(0.0) / (col_norm2[j] + l2);
                if w[j] != 0.0 {
                    axpy(-w[j], &cols[j], &mut r);
                }
                dw_max = dw_max.max((w[j] - w_old).abs());
                w_max = w_max.max(w[j].abs());
            }
            let small_steps = w_max == 0.0 || dw_max / w_max <= self.tol || sweep == self.max_iter - 1;
            if small_steps && duality_gap(&cols, &c.y, &r, &w, l1, l2) <= tol {
                break;
            }
        }
        w
    }
}

/// The elastic-net duality gap at `w` with residual `r = y - Xw`.
fn duality_gap(cols: &[Vec<f64>], y: &[f64], r: &[f64], w: &[f64], l1: f64, l2: f64) -> f64 {
    let dual_norm = cols.iter().zip(w).map(|(col, wj)| (dot(col, r) - l2 * wj).abs()).fold(0.0, f64::max);
    let r_norm2 = dot(r, r);
    let w_norm2 = dot(w, w);
    let (scale, mut gap) = if dual_norm > l1 {
        let s = l1 / dual_norm;
        (s, 0.5 * (r_norm2 + r_norm2 * s * s))
    } else {
        (1.0, r_norm2)
    };
    let l1_norm: f64 = w.iter().map(|v| v.abs()).sum();
    gap += l1 * l1_norm - scale * dot(r, y) + 0.5 * l2 * (1.0 + scale * scale) * w_norm2;
    gap
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// `y += a * x`.
fn axpy(a: f64, x: &[f64], y: &mut [f64]) {
    for (yi, xi) in y.iter_mut().zip(x) {
        *yi += a * xi;
    }
}

/// Training data centred the way scikit-learn's `_preprocess_data` does.
struct Centered {
    n: usize,
    p: usize,
    /// Row-major, centred when fitting an intercept.
    x: Vec<f64>,
    y: Vec<f64>,
    x_mean: Vec<f64>,
    y_mean: f64,
}

impl Centered {
    fn new(train: &TrainSet, fit_intercept: bool) -> Centered {
        let (n, p) = train.x.shape();
        let mut x: Vec<f64> = rows_of(train.x).into_owned();
        let mut y = train.y.to_vec();
        let (mut x_mean, mut y_mean) = (vec![0.0; p], 0.0);
        if fit_intercept {
            for i in 0..n {
                for j in 0..p {
                    x_mean[j] += x[i * p + j];
                }
            }
            x_mean.iter_mut().for_each(|m| *m /= n as f64);
            y_mean = y.iter().sum::<f64>() / n as f64;
            for i in 0..n {
                for j in 0..p {
                    x[i * p + j] -= x_mean[j];
                }
                y[i] -= y_mean;
            }
        }
        Centered { n, p, x, y, x_mean, y_mean }
    }

    /// `X w + intercept` for each evaluation matrix.
    fn predict(&self, w: &[f64], eval: &[&DenseMatrix<f64>]) -> Vec<Predictions> {
        let intercept = self.y_mean - dot(&self.x_mean, w);
        eval.iter()
            .map(|m| {
                let values = rows_of(m)
                    .chunks_exact(self.p)
                    .map(|row| intercept + row.iter().zip(w).map(|(x, w)| x * w).sum::<f64>())
                    .collect();
                Predictions { values, proba: None }
            })
            .collect()
    }
}

impl LogisticRegression {
    pub(super) fn check(&self) -> Result<(), String> {
        ensure(self.c > 0.0, "C", "above 0", self.c)
    }

    pub(super) fn fit_predict(&self, train: &TrainSet, eval: &[&DenseMatrix<f64>]) -> Result<Vec<Predictions>, String> {
        let labels = LabelCodes::encode(train.y)?;
        let params = sc_logistic::LogisticRegressionParameters::default().with_alpha(1.0 / self.c);
        let model = sc_logistic::LogisticRegression::fit(train.x, &labels.codes, params).map_err(failed)?;
        let coef = model.coefficients();
        let intercept = model.intercept();
        let k = labels.classes.len();
        Ok(eval
            .iter()
            .map(|m| {
                let (rows, p) = m.shape();
                let x = rows_of(m);
                let margin = |i: usize, class_row: usize| {
                    *intercept.get((class_row, 0))
                        + (0..p).map(|j| x[i * p + j] * coef.get((class_row, j))).sum::<f64>()
                };
                let proba: Vec<Vec<f64>> = (0..rows)
                    .map(|i| {
                        if k == 2 {
                            let p1 = 1.0 / (1.0 + libc_exp::exp(-margin(i, 0)));
                            vec![1.0 - p1, p1]
                        } else {
                            softmax(&(0..k).map(|c| margin(i, c)).collect::<Vec<f64>>())
                        }
                    })
                    .collect();
                let values = proba.iter().map(|row| labels.classes[argmax(row)]).collect();
                Predictions { values, proba: Some(Probabilities { classes: labels.classes.clone(), rows: proba }) }
            })
            .collect())
    }
}

/// scikit-learn's `softmax` of one row of raw scores (its sum is numpy's).
pub(super) fn softmax(raw: &[f64]) -> Vec<f64> {
    let max = raw.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let exps: Vec<f64> = raw.iter().map(|r| libc_exp::exp(r - max)).collect();
    let sum = numpy_sum::sum(&exps);
    exps.iter().map(|e| e / sum).collect()
}

/// Index of the largest value; the first one on ties, like numpy's `argmax`.
pub(super) fn argmax(row: &[f64]) -> usize {
    let mut best = 0;
    for (i, v) in row.iter().enumerate() {
        if *v > row[best] {
            best = i;
        }
    }
    best
}
