//! Support vector machines (smartcore's SMO solvers) with scikit-learn's kernel settings.
//!
//! smartcore's SVMs borrow their training data, which is why models fit and
//! predict inside one call. Scores agree with scikit-learn's only roughly: the
//! solvers stop by different rules.

use serde::{Deserialize, Serialize};
use smartcore::linalg::basic::arrays::Array;
use smartcore::linalg::basic::matrix::DenseMatrix;
use smartcore::svm::Kernels;
use smartcore::svm::svc as sc_svc;
use smartcore::svm::svr as sc_svr;

use super::{LabelCodes, TrainSet, ensure, failed};
use crate::core::metrics::Predictions;

/// The kernel: scikit-learn's `kernel`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kernel {
    /// `<x, y>`.
    Linear,
    /// `(gamma <x, y> + coef0)^degree`.
    Poly,
    /// `exp(-gamma ||x - y||²)` (default).
    Rbf,
    /// `tanh(gamma <x, y> + coef0)`.
    Sigmoid,
}

/// Kernel coefficient: `"scale"` (default), `"auto"` or a number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Gamma {
    /// A fixed value, above 0.
    Value(f64),
    /// `"scale"`: `1 / (n_features * X.var())`; `"auto"`: `1 / n_features`.
    Rule(String),
}

/// Kernel settings shared by SVR and SVC.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct KernelSettings {
    kernel: Kernel,
    degree: u32,
    gamma: Gamma,
    coef0: f64,
}

impl KernelSettings {
    fn check(&self) -> Result<(), String> {
        match &self.gamma {
            Gamma::Value(g) => ensure(*g > 0.0, "gamma", "above 0", g),
            Gamma::Rule(r) => ensure(r == "scale" || r == "auto", "gamma", "\"scale\", \"auto\" or a number", r),
        }
    }

    /// smartcore's kernel, with gamma resolved on the training rows as scikit-learn does.
    fn smartcore(&self, x: &DenseMatrix<f64>) -> Kernels {
        let (n, p) = x.shape();
        let gamma = match &self.gamma {
            Gamma::Value(g) => *g,
            Gamma::Rule(r) if r == "auto" => 1.0 / p as f64,
            Gamma::Rule(_) => {
                let count = (n * p) as f64;
                let mean = x.iterator(0).sum::<f64>() / count;
                let var = x.iterator(0).map(|v| (v - mean) * (v - mean)).sum::<f64>() / count;
                if var > 0.0 { 1.0 / (p as f64 * var) } else { 1.0 }
            }
        };
        match self.kernel {
            Kernel::Linear => Kernels::linear(),
            Kernel::Rbf => Kernels::rbf().with_gamma(gamma),
            Kernel::Poly => {
                Kernels::polynomial().with_gamma(gamma).with_degree(self.degree as f64).with_coef0(self.coef0)
            }
            Kernel::Sigmoid => Kernels::sigmoid().with_gamma(gamma).with_coef0(self.coef0),
        }
    }
}

/// `SVR`: epsilon-insensitive support vector regression.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SVR {
    /// Penalty on errors outside the tube, above 0 (default 1.0).
    #[serde(rename = "C")]
    pub c: f64,
    /// Half-width of the tube with no penalty (default 0.1).
    pub epsilon: f64,
    /// `"rbf"` (default), `"linear"`, `"poly"` or `"sigmoid"`.
    pub kernel: Kernel,
    /// Polynomial degree (default 3).
    pub degree: u32,
    /// `"scale"` (default), `"auto"` or a number.
    pub gamma: Gamma,
    /// Constant term of poly and sigmoid kernels (default 0.0).
    pub coef0: f64,
    /// Solver tolerance (default 1e-3).
    pub tol: f64,
}

impl Default for SVR {
    fn default() -> Self {
        SVR {
            c: 1.0,
            epsilon: 0.1,
            kernel: Kernel::Rbf,
            degree: 3,
            gamma: Gamma::Rule("scale".into()),
            coef0: 0.0,
            tol: 1e-3,
        }
    }
}

/// `SVC`: support vector classification, one-vs-one for more than two classes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SVC {
    /// Penalty on margin violations, above 0 (default 1.0).
    #[serde(rename = "C")]
    pub c: f64,
    /// `"rbf"` (default), `"linear"`, `"poly"` or `"sigmoid"`.
    pub kernel: Kernel,
    /// Polynomial degree (default 3).
    pub degree: u32,
    /// `"scale"` (default), `"auto"` or a number.
    pub gamma: Gamma,
    /// Constant term of poly and sigmoid kernels (default 0.0).
    pub coef0: f64,
    /// Solver tolerance (default 1e-3).
    pub tol: f64,
    /// Seed for the solver's visiting order (default 0).
    pub random_state: Option<u64>,
}

impl Default for SVC {
    fn default() -> Self {
        SVC {
            c: 1.0,
            kernel: Kernel::Rbf,
            degree: 3,
            gamma: Gamma::Rule("scale".into()),
            coef0: 0.0,
            tol: 1e-3,
            random_state: None,
        }
    }
}

impl SVR {
    fn kernel_settings(&self) -> KernelSettings {
        KernelSettings { kernel: self.kernel, degree: self.degree, gamma: self.gamma.clone(), coef0: self.coef0 }
    }

    pub(super) fn check(&self) -> Result<(), String> {
        ensure(self.c > 0.0, "C", "above 0", self.c)?;
        ensure(self.epsilon >= 0.0, "epsilon", "at least 0", self.epsilon)?;
        ensure(self.tol > 0.0, "tol", "above 0", self.tol)?;
        self.kernel_settings().check()
    }

    pub(super) fn fit_predict(&self, train: &TrainSet, eval: &[&DenseMatrix<f64>]) -> Result<Vec<Predictions>, String> {
        let y = train.y.to_vec();
        let params = sc_svr::SVRParameters::default()
            .with_c(self.c)
            .with_eps(self.epsilon)
            .with_tol(self.tol)
            .with_kernel(self.kernel_settings().smartcore(train.x));
        let model = sc_svr::SVR::fit(train.x, &y, &params).map_err(failed)?;
        eval.iter().map(|m| Ok(Predictions { values: model.predict(m).map_err(failed)?, proba: None })).collect()
    }
}

impl SVC {
    fn kernel_settings(&self) -> KernelSettings {
        KernelSettings { kernel: self.kernel, degree: self.degree, gamma: self.gamma.clone(), coef0: self.coef0 }
    }

    pub(super) fn check(&self) -> Result<(), String> {
        ensure(self.c > 0.0, "C", "above 0", self.c)?;
        ensure(self.tol > 0.0, "tol", "above 0", self.tol)?;
        self.kernel_settings().check()
    }

    pub(super) fn fit_predict(&self, train: &TrainSet, eval: &[&DenseMatrix<f64>]) -> Result<Vec<Predictions>, String> {
        let labels = LabelCodes::encode(train.y)?;
        let params: sc_svc::SVCParameters<f64, i32, DenseMatrix<f64>, Vec<i32>> = sc_svc::SVCParameters::default()
            .with_c(self.c)
            .with_tol(self.tol)
            .with_kernel(self.kernel_settings().smartcore(train.x))
            .with_seed(Some(self.random_state.unwrap_or(0)));
        let model = sc_svc::MultiClassSVC::fit(train.x, &labels.codes, &params).map_err(failed)?;
        eval.iter()
            .map(|m| {
                let codes = model.predict(m).map_err(failed)?;
                Ok(Predictions { values: labels.decode(codes.into_iter().map(|c| c.round() as i32)), proba: None })
            })
            .collect()
    }
}
