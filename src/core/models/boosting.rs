//! Gradient boosting as scikit-learn 1.9 boosts: `GradientBoostingRegressor`
//! and `GradientBoostingClassifier`, with their hyperparameters and defaults.
//!
//! Each stage fits a CART regression tree (squared error, best splits) to the
//! loss's negative gradient, resets each leaf to the loss's own step (a
//! median, a quantile, a Newton step) over the stage's rows in that leaf, and
//! adds `learning_rate` times the tree to the raw predictions. As in
//! scikit-learn, every tree and every subsample draw takes from one numpy
//! `RandomState`, the features are float32, and sums, means and percentiles
//! are numpy's, so a fitted model is scikit-learn's, stage for stage. Its
//! `exp` is glibc's (`core::libc_exp`) and its `log` correctly rounded
//! (`pxfm`), since a gradient one unit in the last place off can move a split.

// The loss trait is plumbing inside this module: the public API is the two
// estimator types below.
#![allow(private_bounds, private_interfaces)]

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use smartcore::linalg::basic::arrays::Array;
use smartcore::linalg::basic::matrix::DenseMatrix;

use super::cart::{RegressionLoss, Strategy, Task, Tree};
use super::trees::{Growth, MaxFeatures, SampleCount, TrainingFeatures};
use super::{LabelCodes, TrainSet, ensure, rows_of};
use crate::core::metrics::{Predictions, Probabilities};
use crate::core::numpy_random::RandomState;
use crate::core::shuffle_split::{Split, shuffle_split, stratified_shuffle_split};
use crate::core::{libc_exp, numpy_sum};

/// `GradientBoostingRegressor`'s `loss`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegressionBoostingLoss {
    /// Squared error (default); each tree's leaves are the mean gradient.
    SquaredError,
    /// Absolute error; leaves are the median residual.
    AbsoluteError,
    /// Squared error near the prediction, absolute error past the `alpha` quantile of the errors.
    Huber,
    /// Pinball loss of the `alpha` quantile: quantile regression.
    Quantile,
}

/// `GradientBoostingClassifier`'s `loss`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClassificationBoostingLoss {
    /// Log loss (default): binary, or one tree per class and stage for more classes.
    LogLoss,
    /// Exponential loss (AdaBoost's), for two classes.
    Exponential,
}

/// `init`: the only value a config can give besides the default (`None`, the
/// mean, median, quantile or class prior the loss calls for).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BoostingInit {
    /// Start every raw prediction at 0.
    Zero,
}

/// A task's loss setting: its default and how it reads the targets.
pub(crate) trait BoostingLossName: Copy + PartialEq + std::fmt::Debug {
    const DEFAULT: Self;
    /// True for classification, which has no `alpha` (it is then left out).
    fn lacks_alpha(_: &f64) -> bool;
    /// The loss as fitted, and the targets as it reads them.
    fn objective(self, y: &[f64], alpha: f64) -> Result<Objective<'_>, String>;
}

impl BoostingLossName for RegressionBoostingLoss {
    const DEFAULT: Self = RegressionBoostingLoss::SquaredError;

    fn lacks_alpha(_: &f64) -> bool {
        false
    }

    fn objective(self, y: &[f64], alpha: f64) -> Result<Objective<'_>, String> {
        let loss = match self {
            RegressionBoostingLoss::SquaredError => Loss::SquaredError,
            RegressionBoostingLoss::AbsoluteError => Loss::AbsoluteError,
            RegressionBoostingLoss::Huber => Loss::Huber { alpha, delta: f64::NAN },
            RegressionBoostingLoss::Quantile => Loss::Quantile { alpha },
        };
        Ok(Objective { y: Cow::Borrowed(y), loss, labels: None })
    }
}

impl BoostingLossName for ClassificationBoostingLoss {
    const DEFAULT: Self = ClassificationBoostingLoss::LogLoss;

    fn lacks_alpha(_: &f64) -> bool {
        true
    }

    fn objective(self, y: &[f64], _: f64) -> Result<Objective<'_>, String> {
        let labels = LabelCodes::encode(y)?;
        let n_classes = labels.classes.len();
        let loss = match (self, n_classes) {
            (ClassificationBoostingLoss::LogLoss, 2) => Loss::Binomial,
            (ClassificationBoostingLoss::LogLoss, _) => Loss::Multinomial { n_classes },
            (ClassificationBoostingLoss::Exponential, 2) => Loss::Exponential,
            (ClassificationBoostingLoss::Exponential, _) => {
                return Err(format!(
                    "loss \"exponential\" is for two classes and the training rows have {n_classes}; use loss = \"log_loss\""
                ));
            }
        };
        let codes = labels.codes.iter().map(|&c| c as f64).collect();
        Ok(Objective { y: Cow::Owned(codes), loss, labels: Some(labels) })
    }
}

/// The targets a boosted model fits (class codes as floats for a classifier) and its loss.
pub(crate) struct Objective<'a> {
    y: Cow<'a, [f64]>,
    loss: Loss,
    labels: Option<LabelCodes>,
}

/// `GradientBoostingRegressor` and `GradientBoostingClassifier`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default, bound(serialize = "L: Serialize + BoostingLossName"))]
pub struct GradientBoosting<L> {
    /// What each stage reduces (default `"squared_error"`, or `"log_loss"` for a classifier).
    pub loss: L,
    /// Each tree's contribution is scaled by this (default 0.1).
    pub learning_rate: f64,
    /// Number of boosting stages (default 100).
    pub n_estimators: usize,
    /// Fraction of the rows each stage's trees see, drawn without replacement (default 1.0).
    pub subsample: f64,
    /// Fewest rows (or fraction of rows) a node needs to be split (default 2).
    pub min_samples_split: SampleCount,
    /// Fewest rows (or fraction of rows) each leaf keeps (default 1).
    pub min_samples_leaf: SampleCount,
    /// Smallest fraction of the total weight a leaf keeps (default 0.0).
    pub min_weight_fraction_leaf: f64,
    /// Deepest level of each tree (default 3; `None`: until pure).
    pub max_depth: Option<usize>,
    /// Split only when the weighted impurity decrease is at least this (default 0.0).
    pub min_impurity_decrease: f64,
    /// `None` (default): start from the loss's best constant; `"zero"`: from 0.
    pub init: Option<BoostingInit>,
    /// Seed of the trees' feature order and the subsample draws (default
    /// `None`, which Tuna takes as 0 so that runs repeat).
    pub random_state: Option<u32>,
    /// Features tried per split; `None`: all (default).
    pub max_features: Option<MaxFeatures>,
    /// Regression: the quantile of `"huber"` and `"quantile"` (default 0.9).
    #[serde(skip_serializing_if = "L::lacks_alpha")]
    pub alpha: f64,
    /// Grow each tree best first up to this many leaves; `None`: no limit (default).
    pub max_leaf_nodes: Option<usize>,
    /// Cost-complexity pruning strength of each tree (default 0.0: no pruning).
    pub ccp_alpha: f64,
    /// Early stopping: hold `validation_fraction` of the rows out and stop once
    /// this many stages in a row have not lowered their loss by `tol`
    /// (default `None`: every stage).
    pub n_iter_no_change: Option<usize>,
    /// Share of the rows early stopping holds out (default 0.1).
    pub validation_fraction: f64,
    /// The loss decrease early stopping counts as progress (default 1e-4).
    pub tol: f64,
}

/// `GradientBoostingRegressor`.
pub type GradientBoostingRegressor = GradientBoosting<RegressionBoostingLoss>;
/// `GradientBoostingClassifier`.
pub type GradientBoostingClassifier = GradientBoosting<ClassificationBoostingLoss>;

impl<L: BoostingLossName> Default for GradientBoosting<L> {
    fn default() -> Self {
        GradientBoosting {
            loss: L::DEFAULT,
            learning_rate: 0.1,
            n_estimators: 100,
            subsample: 1.0,
            min_samples_split: SampleCount::Count(2),
            min_samples_leaf: SampleCount::Count(1),
            min_weight_fraction_leaf: 0.0,
            max_depth: Some(3),
            min_impurity_decrease: 0.0,
            init: None,
            random_state: None,
            max_features: None,
            alpha: 0.9,
            max_leaf_nodes: None,
            ccp_alpha: 0.0,
            n_iter_no_change: None,
            validation_fraction: 0.1,
            tol: 1e-4,
        }
    }
}

impl<L: BoostingLossName> GradientBoosting<L> {
    fn growth(&self) -> Growth<'_> {
        Growth {
            max_depth: self.max_depth,
            min_samples_split: self.min_samples_split,
            min_samples_leaf: self.min_samples_leaf,
            min_weight_fraction_leaf: self.min_weight_fraction_leaf,
            max_features: self.max_features.as_ref(),
            max_leaf_nodes: self.max_leaf_nodes,
            min_impurity_decrease: self.min_impurity_decrease,
            ccp_alpha: self.ccp_alpha,
        }
    }

    pub(super) fn check(&self) -> Result<(), String> {
        let lr = self.learning_rate;
        ensure(lr >= 0.0, "learning_rate", "at least 0", lr)?;
        ensure(self.n_estimators >= 1, "n_estimators", "at least 1", self.n_estimators)?;
        ensure(self.subsample > 0.0 && self.subsample <= 1.0, "subsample", "in (0, 1]", self.subsample)?;
        if L::lacks_alpha(&self.alpha) {
            if self.alpha != 0.9 {
                return Err("alpha is the quantile of GradientBoostingRegressor's \"huber\" and \"quantile\" losses; a classifier has none — remove alpha".into());
            }
        } else {
            ensure(self.alpha > 0.0 && self.alpha < 1.0, "alpha", "in (0, 1)", self.alpha)?;
        }
        if let Some(n) = self.n_iter_no_change {
            ensure(n >= 1, "n_iter_no_change", "at least 1", n)?;
        }
        let fraction = self.validation_fraction;
        ensure(fraction > 0.0 && fraction < 1.0, "validation_fraction", "in (0, 1)", fraction)?;
        ensure(self.tol >= 0.0, "tol", "at least 0", self.tol)?;
        self.growth().check()
    }

    /// With `n_iter_no_change`, the rows early stopping trains on and holds
    /// out: scikit-learn's `train_test_split` seeded by `random_state`,
    /// stratified on the classes for a classifier.
    fn validation_split(&self, y: &[f64], labels: Option<&LabelCodes>) -> Result<Option<Split>, String> {
        if self.n_iter_no_change.is_none() {
            return Ok(None);
        }
        let seed = self.random_state.unwrap_or(0);
        let held_out =
            |e: String| format!("early stopping (n_iter_no_change) holds validation_fraction of the rows out: {e}");
        let Some(labels) = labels else {
            return shuffle_split(y.len(), self.validation_fraction, seed).map(Some).map_err(held_out);
        };
        let n_classes = labels.classes.len();
        let codes: Vec<usize> = y.iter().map(|&c| c as usize).collect();
        let split = stratified_shuffle_split(&codes, n_classes, self.validation_fraction, seed).map_err(held_out)?;
        let mut present = vec![false; n_classes];
        split.train.iter().for_each(|&i| present[codes[i]] = true);
        if present.contains(&false) {
            return Err("the rows early stopping (n_iter_no_change) trains on lack a class; try another random_state or a smaller validation_fraction".into());
        }
        Ok(Some(split))
    }

    /// Fits the stages on `train`.
    fn fit(&self, train: &TrainSet) -> Result<(Boosted, Option<LabelCodes>), String> {
        let Objective { y, loss, labels } = self.loss.objective(train.y, self.alpha)?;
        let all = TrainingFeatures::of(train.x);
        let (data, y, mut validation) = match self.validation_split(&y, labels.as_ref())? {
            None => (all, y, None),
            Some(split) => {
                let take = |rows: &[usize]| rows.iter().map(|&i| y[i]).collect::<Vec<f64>>();
                let held_out = Validation::new(all.rows(&split.test), take(&split.test), self.n_iter_no_change);
                (all.rows(&split.train), Cow::Owned(take(&split.train)), held_out)
            }
        };
        let n = data.n_rows;
        let init = match self.init {
            None => loss.initial_raw(&y),
            Some(BoostingInit::Zero) => vec![0.0; loss.n_trees()],
        };
        let mut raw: Vec<Vec<f64>> = init.iter().map(|&v| vec![v; n]).collect();
        if let Some(v) = &mut validation {
            v.raw = init.iter().map(|&r| vec![r; v.y.len()]).collect();
        }
        let mut rng = RandomState::new(self.random_state.unwrap_or(0));
        let n_in_bag = ((self.subsample * n as f64) as usize).max(1);
        let total_weight = if self.subsample < 1.0 { n_in_bag } else { n } as f64;
        let params = self.growth().params(Strategy::Best, n, data.n_features, total_weight);
        let mut stages = Vec::with_capacity(self.n_estimators);
        for _ in 0..self.n_estimators {
            let in_bag = (self.subsample < 1.0).then(|| sample_mask(n, n_in_bag, &mut rng));
            let loss = loss.at(&y, &raw);
            let gradients = loss.negative_gradients(&y, &raw);
            let mut trees = Vec::with_capacity(gradients.len());
            for (k, gradient) in gradients.iter().enumerate() {
                let task = Task::Regression { y: gradient, loss: RegressionLoss::SquaredError };
                let mut tree = Tree::fit(data.features(), task, in_bag.as_deref(), &params, &mut rng);
                let leaves = tree.apply(data.features());
                if let Some(step) = loss.leaf_step(&y, k, gradient, &raw) {
                    reset_leaves(&mut tree, &leaves, in_bag.as_deref(), step);
                }
                for (r, &leaf) in raw[k].iter_mut().zip(&leaves) {
                    *r += self.learning_rate * tree.values[leaf];
                }
                if let Some(v) = &mut validation {
                    v.add(k, &tree, self.learning_rate);
                }
                trees.push(tree);
            }
            stages.push(trees);
            // A stage that does not improve is kept, and the fit stops after it.
            if validation.as_mut().is_some_and(|v| !v.improved(loss, stages.len() - 1, self.tol)) {
                break;
            }
        }
        Ok((Boosted { init, stages, learning_rate: self.learning_rate, loss }, labels))
    }

    /// Fits on `train` and returns how many stages it kept (`n_estimators_`).
    pub(super) fn fit_stage_count(&self, train: &TrainSet) -> Result<usize, String> {
        Ok(self.fit(train)?.0.stages.len())
    }

    pub(super) fn fit_predict(&self, train: &TrainSet, eval: &[&DenseMatrix<f64>]) -> Result<Vec<Predictions>, String> {
        let (model, labels) = self.fit(train)?;
        Ok(eval.iter().map(|m| model.predict(m, labels.as_ref())).collect())
    }
}

/// Early stopping's held-out rows: their raw predictions stage by stage and
/// the last `n_iter_no_change` losses (scikit-learn's `loss_history`).
struct Validation {
    features: TrainingFeatures,
    y: Vec<f64>,
    raw: Vec<Vec<f64>>,
    history: Vec<f64>,
}

impl Validation {
    fn new(features: TrainingFeatures, y: Vec<f64>, n_iter_no_change: Option<usize>) -> Option<Validation> {
        let history = vec![f64::INFINITY; n_iter_no_change?];
        Some(Validation { features, y, raw: Vec::new(), history })
    }

    /// Adds tree `k` of the stage to the held-out raw predictions.
    fn add(&mut self, k: usize, tree: &Tree, learning_rate: f64) {
        for (r, leaf) in self.raw[k].iter_mut().zip(tree.apply(self.features.features())) {
            *r += learning_rate * tree.values[leaf];
        }
    }

    /// Whether stage `stage`'s held-out loss beats one of the last losses by
    /// more than `tol` (then it joins them).
    fn improved(&mut self, loss: Loss, stage: usize, tol: f64) -> bool {
        let value = loss.mean_loss(&self.y, &self.raw);
        let improved = self.history.iter().any(|&h| value + tol < h);
        if improved {
            let slot = stage % self.history.len();
            self.history[slot] = value;
        }
        improved
    }
}

/// scikit-learn's `_random_sample_mask`: exactly `n_in_bag` of `n` rows, each
/// kept with the probability that leaves the right count, as 1.0/0.0 weights.
fn sample_mask(n: usize, n_in_bag: usize, rng: &mut RandomState) -> Vec<f64> {
    let draws: Vec<f64> = (0..n).map(|_| rng.random_sample()).collect();
    let mut kept = 0;
    draws
        .iter()
        .enumerate()
        .map(|(i, &u)| {
            let keep = u * ((n - i) as f64) < (n_in_bag - kept) as f64;
            kept += keep as usize;
            if keep { 1.0 } else { 0.0 }
        })
        .collect()
}

/// Sets each leaf's value to `step` of the stage's rows in it, in row order.
fn reset_leaves(tree: &mut Tree, leaves: &[usize], in_bag: Option<&[f64]>, step: impl Fn(&[usize]) -> f64) {
    let mut rows_of_leaf: Vec<Vec<usize>> = vec![Vec::new(); tree.nodes.len()];
    for (i, &leaf) in leaves.iter().enumerate() {
        if in_bag.is_none_or(|w| w[i] != 0.0) {
            rows_of_leaf[leaf].push(i);
        }
    }
    for (leaf, rows) in rows_of_leaf.iter().enumerate() {
        if !rows.is_empty() {
            tree.values[leaf] = step(rows);
        }
    }
}

/// A loss as a boosted model fits it.
#[derive(Debug, Clone, Copy)]
enum Loss {
    SquaredError,
    AbsoluteError,
    /// `delta` is set each stage from the current errors (`Loss::at`).
    Huber {
        alpha: f64,
        delta: f64,
    },
    Quantile {
        alpha: f64,
    },
    Binomial,
    Exponential,
    Multinomial {
        n_classes: usize,
    },
}

/// A line search: the value of a leaf from the training rows that fell in it.
type LeafStep<'a> = Box<dyn Fn(&[usize]) -> f64 + 'a>;

impl Loss {
    /// The loss for a stage that starts from `raw`: Huber's `delta` is the
    /// `alpha` quantile of the absolute errors over every row.
    fn at(self, y: &[f64], raw: &[Vec<f64>]) -> Loss {
        match self {
            Loss::Huber { alpha, .. } => {
                let errors: Vec<f64> = y.iter().zip(&raw[0]).map(|(t, r)| (t - r).abs()).collect();
                Loss::Huber { alpha, delta: weighted_percentile(&errors, 100.0 * alpha) }
            }
            loss => loss,
        }
    }

    /// The mean loss at raw predictions `raw`, as `GradientBoosting*`'s early
    /// stopping measures it (`_loss.pyx`'s pointwise losses, doubled for the
    /// half squared error and the half binomial loss as `_gb.py` does).
    fn mean_loss(self, y: &[f64], raw: &[Vec<f64>]) -> f64 {
        let pointwise =
            |f: &dyn Fn(f64, f64) -> f64| -> Vec<f64> { y.iter().zip(&raw[0]).map(|(&t, &r)| f(t, r)).collect() };
        let losses = match self {
            Loss::SquaredError => pointwise(&|t, r| 0.5 * (r - t) * (r - t)),
            Loss::AbsoluteError => pointwise(&|t, r| (r - t).abs()),
            Loss::Huber { delta, .. } => pointwise(&|t, r| {
                let error = (t - r).abs();
                if error <= delta { 0.5 * error * error } else { delta * (error - 0.5 * delta) }
            }),
            Loss::Quantile { alpha } => {
                pointwise(&|t, r| if t >= r { alpha * (t - r) } else { (1.0 - alpha) * (r - t) })
            }
            Loss::Binomial => pointwise(&|t, r| log1pexp(r) - t * r),
            Loss::Exponential => pointwise(&|t, r| {
                let e = libc_exp::exp(r);
                t / e + (1.0 - t) * e
            }),
            Loss::Multinomial { n_classes } => (0..y.len())
                .map(|i| {
                    let max = row_max(raw, i, n_classes);
                    let sum = (0..n_classes).fold(0.0, |s, k| s + libc_exp::exp(raw[k][i] - max));
                    pxfm::f_log(sum) + max - raw[y[i] as usize][i]
                })
                .collect(),
        };
        let factor = if matches!(self, Loss::SquaredError | Loss::Binomial) { 2.0 } else { 1.0 };
        factor * mean(&losses)
    }

    /// Trees per stage: one per class for a multiclass log loss, else one.
    fn n_trees(self) -> usize {
        match self {
            Loss::Multinomial { n_classes } => n_classes,
            _ => 1,
        }
    }

    /// The raw prediction of scikit-learn's default `init`: a `DummyRegressor`'s
    /// mean, median or quantile, or a `DummyClassifier`'s class prior through the link.
    fn initial_raw(self, y: &[f64]) -> Vec<f64> {
        match self {
            Loss::SquaredError => vec![numpy_sum::sum(y) / y.len() as f64],
            Loss::AbsoluteError | Loss::Huber { .. } => vec![percentile_linear(y, 0.5 * 100.0)],
            Loss::Quantile { alpha } => vec![percentile_linear(y, alpha * 100.0)],
            Loss::Binomial | Loss::Exponential | Loss::Multinomial { .. } => {
                let prior = class_prior(y, self.classes());
                let eps = f64::EPSILON;
                let p: Vec<f64> = prior.iter().map(|v| v.clamp(eps, 1.0 - eps)).collect();
                match self {
                    Loss::Binomial => vec![logit(p[1])],
                    Loss::Exponential => vec![0.5 * logit(p[1])],
                    _ => {
                        let logs: Vec<f64> = p.iter().map(|&v| pxfm::f_log(v)).collect();
                        let geometric_mean = libc_exp::exp(numpy_sum::sum(&logs) / logs.len() as f64);
                        p.iter().map(|v| pxfm::f_log(v / geometric_mean)).collect()
                    }
                }
            }
        }
    }

    fn classes(self) -> usize {
        match self {
            Loss::Multinomial { n_classes } => n_classes,
            _ => 2,
        }
    }

    /// The negative gradient of the loss at the current raw predictions, per tree.
    fn negative_gradients(self, y: &[f64], raw: &[Vec<f64>]) -> Vec<Vec<f64>> {
        let column = |f: &dyn Fn(f64, f64) -> f64| vec![y.iter().zip(&raw[0]).map(|(&t, &r)| -f(t, r)).collect()];
        match self {
            Loss::SquaredError => column(&|t, r| r - t),
            Loss::AbsoluteError => column(&|t, r| if r > t { 1.0 } else { -1.0 }),
            Loss::Huber { delta, .. } => column(&|t, r| {
                let residual = r - t;
                if residual.abs() <= delta {
                    residual
                } else if residual >= 0.0 {
                    delta
                } else {
                    -delta
                }
            }),
            Loss::Quantile { alpha } => column(&|t, r| if t >= r { -alpha } else { 1.0 - alpha }),
            Loss::Binomial => column(&|t, r| {
                if r > -37.0 {
                    let e = libc_exp::exp(-r);
                    ((1.0 - t) - t * e) / (1.0 + e)
                } else {
                    libc_exp::exp(r) - t
                }
            }),
            Loss::Exponential => column(&|t, r| {
                let e = libc_exp::exp(r);
                -t / e + (1.0 - t) * e
            }),
            Loss::Multinomial { n_classes } => {
                let mut out = vec![vec![0.0; y.len()]; n_classes];
                let mut p = vec![0.0; n_classes];
                for (i, &t) in y.iter().enumerate() {
                    let max = row_max(raw, i, n_classes);
                    let mut sum = 0.0;
                    for (k, pk) in p.iter_mut().enumerate() {
                        *pk = libc_exp::exp(raw[k][i] - max);
                        sum += *pk;
                    }
                    for (k, pk) in p.iter().enumerate() {
                        out[k][i] = -(pk / sum - if t == k as f64 { 1.0 } else { 0.0 });
                    }
                }
                out
            }
        }
    }

    /// The leaf value each tree `k` of a stage takes, from its rows in the leaf
    /// (scikit-learn's line search); `None` for squared error, whose tree
    /// leaves are already the step.
    fn leaf_step<'a>(self, y: &'a [f64], k: usize, gradient: &'a [f64], raw: &'a [Vec<f64>]) -> Option<LeafStep<'a>> {
        let residuals = move |rows: &[usize]| rows.iter().map(|&i| y[i] - raw[k][i]).collect::<Vec<f64>>();
        // The target a class's tree sees: 1 for the class, 0 otherwise.
        let target = move |i: usize| match self {
            Loss::Multinomial { .. } => (y[i] == k as f64) as u8 as f64,
            _ => y[i],
        };
        let newton = move |rows: &[usize], scale: f64| {
            let g: Vec<f64> = rows.iter().map(|&i| gradient[i]).collect();
            let hessian: Vec<f64> = rows
                .iter()
                .map(|&i| {
                    let p = target(i) - gradient[i];
                    p * (1.0 - p)
                })
                .collect();
            safe_divide(mean(&g) * scale, mean(&hessian))
        };
        match self {
            Loss::SquaredError => None,
            Loss::AbsoluteError => Some(Box::new(move |rows| weighted_percentile(&residuals(rows), 50.0))),
            Loss::Quantile { alpha } => {
                Some(Box::new(move |rows| weighted_percentile(&residuals(rows), 100.0 * alpha)))
            }
            Loss::Huber { delta, .. } => Some(Box::new(move |rows| {
                let diff = residuals(rows);
                let median = weighted_percentile(&diff, 50.0);
                let terms: Vec<f64> = diff
                    .iter()
                    .map(|d| {
                        let d = d - median;
                        numpy_sign(d) * delta.min(d.abs())
                    })
                    .collect();
                median + mean(&terms)
            })),
            Loss::Binomial => Some(Box::new(move |rows| newton(rows, 1.0))),
            Loss::Multinomial { n_classes } => {
                let scale = (n_classes - 1) as f64 / n_classes as f64;
                Some(Box::new(move |rows| newton(rows, scale)))
            }
            Loss::Exponential => Some(Box::new(move |rows| {
                let g: Vec<f64> = rows.iter().map(|&i| gradient[i]).collect();
                let hessian: Vec<f64> =
                    rows.iter().map(|&i| if y[i] == 0.0 { -gradient[i] } else { gradient[i] }).collect();
                safe_divide(mean(&g), mean(&hessian))
            })),
        }
    }
}

/// A fitted boosted model.
struct Boosted {
    init: Vec<f64>,
    stages: Vec<Vec<Tree>>,
    learning_rate: f64,
    loss: Loss,
}

impl Boosted {
    /// Predictions for `m`: the raw sums through the loss's link, and labels for a classifier.
    fn predict(&self, m: &DenseMatrix<f64>, labels: Option<&LabelCodes>) -> Predictions {
        let (rows, p) = m.shape();
        let values = rows_of(m);
        let mut row32 = vec![0.0f32; p];
        let raw: Vec<Vec<f64>> = (0..rows)
            .map(|i| {
                for (d, v) in row32.iter_mut().zip(&values[i * p..(i + 1) * p]) {
                    *d = *v as f32;
                }
                let mut raw = self.init.clone();
                for trees in &self.stages {
                    for (r, tree) in raw.iter_mut().zip(trees) {
                        *r += self.learning_rate * tree.predict(&row32)[0];
                    }
                }
                raw
            })
            .collect();
        let Some(labels) = labels else {
            return Predictions { values: raw.into_iter().map(|r| r[0]).collect(), proba: None };
        };
        let (codes, proba): (Vec<usize>, Vec<Vec<f64>>) = raw
            .iter()
            .map(|r| match self.loss {
                Loss::Multinomial { .. } => (super::linear::argmax(r), super::linear::softmax(r)),
                loss => {
                    let scale = if matches!(loss, Loss::Exponential) { 2.0 } else { 1.0 };
                    let p = expit(scale * r[0]);
                    ((r[0] >= 0.0) as usize, vec![1.0 - p, p])
                }
            })
            .unzip();
        Predictions {
            values: codes.into_iter().map(|c| labels.classes[c]).collect(),
            proba: Some(Probabilities { classes: labels.classes.clone(), rows: proba }),
        }
    }
}

/// The largest raw prediction of row `i` over the classes, found as
/// `_loss.pyx`'s `sum_exp_minus_max` finds it (the first of equal maxima).
fn row_max(raw: &[Vec<f64>], i: usize, n_classes: usize) -> f64 {
    (1..n_classes).fold(raw[0][i], |m, k| if m < raw[k][i] { raw[k][i] } else { m })
}

/// `np.average(values, weights=ones)`: numpy's sum over the count.
fn mean(values: &[f64]) -> f64 {
    numpy_sum::sum(values) / values.len() as f64
}

/// scikit-learn's `_safe_divide`: 0 where the denominator vanishes.
fn safe_divide(numerator: f64, denominator: f64) -> f64 {
    if denominator.abs() < 1e-150 { 0.0 } else { numerator / denominator }
}

/// `np.sign`: 0 at 0.
fn numpy_sign(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else if x < 0.0 {
        -1.0
    } else {
        0.0
    }
}

/// scipy's `logit`, which switches to `log1p` near one half for precision.
fn logit(p: f64) -> f64 {
    if !(0.3..=0.65).contains(&p) {
        pxfm::f_log(p / (1.0 - p))
    } else {
        let s = 2.0 * (p - 0.5);
        libm::log1p(s) - libm::log1p(-s)
    }
}

/// `_loss.pyx`'s `log1pexp`: `log(1 + exp(x))` without overflow or lost digits.
fn log1pexp(x: f64) -> f64 {
    if x <= -37.0 {
        libc_exp::exp(x)
    } else if x <= -2.0 {
        libm::log1p(libc_exp::exp(x))
    } else if x <= 18.0 {
        pxfm::f_log(1.0 + libc_exp::exp(x))
    } else if x <= 33.3 {
        x + libc_exp::exp(-x)
    } else {
        x
    }
}

/// scipy's `expit`.
fn expit(x: f64) -> f64 {
    1.0 / (1.0 + libc_exp::exp(-x))
}

/// Each class's share of the rows (`y` holds class codes): a `DummyClassifier`'s prior.
fn class_prior(y: &[f64], n_classes: usize) -> Vec<f64> {
    let mut counts = vec![0usize; n_classes];
    for &c in y {
        counts[c as usize] += 1;
    }
    counts.iter().map(|&c| c as f64 / y.len() as f64).collect()
}

/// scikit-learn's `_weighted_percentile` with unit weights (numpy's
/// `inverted_cdf`): the first sorted value whose rank reaches `rank`% of the count.
fn weighted_percentile(values: &[f64], rank: f64) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let target = rank / 100.0 * sorted.len() as f64;
    // The cumulative weights are 1, 2, ..., n: the first reaching `target`.
    let index = if target <= 0.0 { 0 } else { (target.ceil() as usize).saturating_sub(1) };
    sorted[index.min(sorted.len() - 1)]
}

/// `np.percentile(values, q)` with its default linear interpolation.
fn percentile_linear(values: &[f64], q: f64) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    let virtual_index = (n - 1) as f64 * (q / 100.0);
    if virtual_index >= (n - 1) as f64 {
        return sorted[n - 1];
    }
    let below = virtual_index.floor();
    let (a, b) = (sorted[below as usize], sorted[below as usize + 1]);
    lerp(a, b, virtual_index - below)
}

/// numpy's `_lerp`, which interpolates from the nearer end.
fn lerp(a: f64, b: f64, t: f64) -> f64 {
    let diff = b - a;
    if t >= 0.5 { b - diff * (1.0 - t) } else { a + diff * t }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_follow_numpy() {
        // np.percentile([1, 2, 3, 4], 50) = 2.5; _weighted_percentile(..., 50) = 2.
        assert_eq!(percentile_linear(&[4.0, 1.0, 3.0, 2.0], 50.0), 2.5);
        assert_eq!(weighted_percentile(&[4.0, 1.0, 3.0, 2.0], 50.0), 2.0);
        assert_eq!(weighted_percentile(&[5.0, 1.0, 4.0, 2.0, 3.0], 50.0), 3.0);
        assert_eq!(weighted_percentile(&[3.0, 1.0, 2.0], 0.0), 1.0);
        assert_eq!(percentile_linear(&[1.0, 2.0, 3.0], 100.0), 3.0);
    }

    #[test]
    fn the_sample_mask_keeps_exactly_the_asked_rows() {
        let mask = sample_mask(100, 37, &mut RandomState::new(3));
        assert_eq!(mask.iter().sum::<f64>(), 37.0);
    }

    #[test]
    fn early_stopping_settings_are_checked() {
        let bad = |m: GradientBoostingRegressor| m.check().unwrap_err();
        assert!(
            bad(GradientBoostingRegressor { n_iter_no_change: Some(0), ..Default::default() })
                .contains("n_iter_no_change")
        );
        assert!(
            bad(GradientBoostingRegressor { validation_fraction: 1.0, ..Default::default() })
                .contains("validation_fraction")
        );
        assert!(bad(GradientBoostingRegressor { tol: -1.0, ..Default::default() }).contains("tol"));
    }

    #[test]
    fn alpha_is_a_regressors_setting() {
        let c = GradientBoostingClassifier { alpha: 0.5, ..Default::default() };
        assert!(c.check().unwrap_err().contains("remove alpha"));
        let r = GradientBoostingRegressor { alpha: 1.0, ..Default::default() };
        assert!(r.check().unwrap_err().contains("alpha"));
        assert!(serde_json::to_value(GradientBoostingClassifier::default()).unwrap().get("alpha").is_none());
    }
}
