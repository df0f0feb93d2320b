//! Decision trees and random forests with scikit-learn's meanings.
//!
//! Regressors wrap smartcore; classifiers use Tuna's own CART tree (`cart`),
//! because smartcore's skips thresholds scikit-learn evaluates and has one-hot
//! probabilities. For the smartcore regressors two translations matter: smartcore counts the root as depth 1, so
//! scikit-learn's `max_depth = d` is smartcore's `d + 1`; and its forest
//! regressor considers √p features per split unless told otherwise, while
//! scikit-learn's considers all of them (`max_features = 1.0`).

use serde::{Deserialize, Serialize};
use smartcore::ensemble::random_forest_regressor as sc_rfr;
use smartcore::linalg::basic::arrays::Array;
use smartcore::linalg::basic::matrix::DenseMatrix;
use smartcore::tree::decision_tree_regressor as sc_dtr;

use rand::{Rng, RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::cart::{ClassificationTree, Impurity, TreeData, TreeSettings};
use super::{LabelCodes, TrainSet, columns_of, ensure, failed, rows_of};
use crate::core::metrics::{Predictions, Probabilities};

/// How many features each split considers: scikit-learn's `max_features`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum MaxFeatures {
    /// Exactly this many features.
    Count(usize),
    /// This fraction of the features (at least one).
    Fraction(f64),
    /// `"sqrt"` or `"log2"` of the number of features.
    Rule(String),
}

impl MaxFeatures {
    fn check(&self) -> Result<(), String> {
        match self {
            MaxFeatures::Count(c) => ensure(*c >= 1, "max_features", "at least 1", c),
            MaxFeatures::Fraction(f) => ensure(*f > 0.0 && *f <= 1.0, "max_features", "in (0, 1] as a fraction", f),
            MaxFeatures::Rule(r) => {
                ensure(r == "sqrt" || r == "log2", "max_features", "\"sqrt\", \"log2\", a count or a fraction", r)
            }
        }
    }

    /// The number of features for data with `p` columns, as scikit-learn computes it.
    fn resolve(&self, p: usize) -> usize {
        let n = match self {
            MaxFeatures::Count(c) => *c,
            MaxFeatures::Fraction(f) => (f * p as f64) as usize,
            MaxFeatures::Rule(r) if r == "log2" => (p as f64).log2() as usize,
            MaxFeatures::Rule(_) => (p as f64).sqrt() as usize,
        };
        n.clamp(1, p.max(1))
    }
}

/// Split quality for classification trees: scikit-learn's `criterion`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Criterion {
    /// Gini impurity (default).
    Gini,
    /// Shannon entropy.
    Entropy,
    /// Same as entropy, scikit-learn's newer name.
    LogLoss,
}

impl Criterion {
    fn impurity(self) -> Impurity {
        match self {
            Criterion::Gini => Impurity::Gini,
            Criterion::Entropy | Criterion::LogLoss => Impurity::Entropy,
        }
    }
}

/// `DecisionTreeRegressor` (squared error).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DecisionTreeRegressor {
    /// Deepest level below the root; absent means grow until pure (default).
    pub max_depth: Option<u16>,
    /// Fewest rows a node needs to be split (default 2).
    pub min_samples_split: usize,
    /// Fewest rows each leaf keeps (default 1).
    pub min_samples_leaf: usize,
    /// Seed for tie-breaking between features (default 0).
    pub random_state: Option<u64>,
}

impl Default for DecisionTreeRegressor {
    fn default() -> Self {
        DecisionTreeRegressor { max_depth: None, min_samples_split: 2, min_samples_leaf: 1, random_state: None }
    }
}

/// `DecisionTreeClassifier`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DecisionTreeClassifier {
    /// Split quality: `"gini"` (default), `"entropy"` or `"log_loss"`.
    pub criterion: Criterion,
    /// Deepest level below the root; absent means grow until pure (default).
    pub max_depth: Option<u16>,
    /// Fewest rows a node needs to be split (default 2).
    pub min_samples_split: usize,
    /// Fewest rows each leaf keeps (default 1).
    pub min_samples_leaf: usize,
    /// Seed for tie-breaking between features (default 0).
    pub random_state: Option<u64>,
}

impl Default for DecisionTreeClassifier {
    fn default() -> Self {
        DecisionTreeClassifier {
            criterion: Criterion::Gini,
            max_depth: None,
            min_samples_split: 2,
            min_samples_leaf: 1,
            random_state: None,
        }
    }
}

/// `RandomForestRegressor`: bootstrapped trees, averaged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RandomForestRegressor {
    /// Number of trees (default 100).
    pub n_estimators: u16,
    /// Deepest level below the root; absent means grow until pure (default).
    pub max_depth: Option<u16>,
    /// Fewest rows a node needs to be split (default 2).
    pub min_samples_split: usize,
    /// Fewest rows each leaf keeps (default 1).
    pub min_samples_leaf: usize,
    /// Features per split (default 1.0: all, as in scikit-learn).
    pub max_features: MaxFeatures,
    /// Seed for bootstraps and feature draws (default 0; scikit-learn's `None`
    /// draws a fresh seed, Tuna always repeats).
    pub random_state: Option<u64>,
}

impl Default for RandomForestRegressor {
    fn default() -> Self {
        RandomForestRegressor {
            n_estimators: 100,
            max_depth: None,
            min_samples_split: 2,
            min_samples_leaf: 1,
            max_features: MaxFeatures::Fraction(1.0),
            random_state: None,
        }
    }
}

/// `RandomForestClassifier`: bootstrapped trees, majority vote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RandomForestClassifier {
    /// Number of trees (default 100).
    pub n_estimators: u16,
    /// Split quality: `"gini"` (default), `"entropy"` or `"log_loss"`.
    pub criterion: Criterion,
    /// Deepest level below the root; absent means grow until pure (default).
    pub max_depth: Option<u16>,
    /// Fewest rows a node needs to be split (default 2).
    pub min_samples_split: usize,
    /// Fewest rows each leaf keeps (default 1).
    pub min_samples_leaf: usize,
    /// Features per split (default `"sqrt"`, as in scikit-learn).
    pub max_features: MaxFeatures,
    /// Seed for bootstraps and feature draws (default 0).
    pub random_state: Option<u64>,
}

impl Default for RandomForestClassifier {
    fn default() -> Self {
        RandomForestClassifier {
            n_estimators: 100,
            criterion: Criterion::Gini,
            max_depth: None,
            min_samples_split: 2,
            min_samples_leaf: 1,
            max_features: MaxFeatures::Rule("sqrt".into()),
            random_state: None,
        }
    }
}

/// Checks shared by every tree: `min_samples_split >= 2`, `min_samples_leaf >= 1`, `max_depth >= 1`.
fn check_tree(max_depth: Option<u16>, min_samples_split: usize, min_samples_leaf: usize) -> Result<(), String> {
    if let Some(d) = max_depth {
        ensure(d >= 1, "max_depth", "at least 1", d)?;
    }
    ensure(min_samples_split >= 2, "min_samples_split", "at least 2", min_samples_split)?;
    ensure(min_samples_leaf >= 1, "min_samples_leaf", "at least 1", min_samples_leaf)
}

/// scikit-learn's depth (root = 0) as smartcore's (root = 1).
fn smartcore_depth(max_depth: Option<u16>) -> Option<u16> {
    max_depth.map(|d| d.saturating_add(1))
}

impl DecisionTreeRegressor {
    pub(super) fn check(&self) -> Result<(), String> {
        check_tree(self.max_depth, self.min_samples_split, self.min_samples_leaf)
    }

    pub(super) fn fit_predict(&self, train: &TrainSet, eval: &[&DenseMatrix<f64>]) -> Result<Vec<Predictions>, String> {
        let mut params = sc_dtr::DecisionTreeRegressorParameters::default()
            .with_min_samples_split(self.min_samples_split)
            .with_min_samples_leaf(self.min_samples_leaf);
        params.max_depth = smartcore_depth(self.max_depth);
        params.seed = Some(self.random_state.unwrap_or(0));
        let y = train.y.to_vec();
        let model = sc_dtr::DecisionTreeRegressor::fit(train.x, &y, params).map_err(failed)?;
        eval.iter().map(|m| Ok(Predictions { values: model.predict(*m).map_err(failed)?, proba: None })).collect()
    }
}

impl DecisionTreeClassifier {
    pub(super) fn check(&self) -> Result<(), String> {
        check_tree(self.max_depth, self.min_samples_split, self.min_samples_leaf)
    }

    pub(super) fn fit_predict(&self, train: &TrainSet, eval: &[&DenseMatrix<f64>]) -> Result<Vec<Predictions>, String> {
        let labels = LabelCodes::encode(train.y)?;
        let (n, p) = train.x.shape();
        let columns = columns_of(train.x);
        let codes: Vec<usize> = labels.codes.iter().map(|&c| c as usize).collect();
        let data =
            TreeData { columns: &columns, p, codes: &codes, weights: &vec![1.0; n], n_classes: labels.classes.len() };
        let settings = TreeSettings {
            impurity: self.criterion.impurity(),
            max_depth: self.max_depth.map(usize::from),
            min_samples_split: self.min_samples_split,
            min_samples_leaf: self.min_samples_leaf,
            max_features: p,
            seed: self.random_state.unwrap_or(0),
        };
        let tree = ClassificationTree::fit(&data, &settings);
        Ok(eval.iter().map(|m| class_predictions(&labels, m, |row| tree.predict_proba(row).to_vec())).collect())
    }
}

/// Labels and probabilities for each row of `m`, the label being the most
/// probable class (the first on ties, as numpy's argmax).
fn class_predictions(labels: &LabelCodes, m: &DenseMatrix<f64>, proba: impl Fn(&[f64]) -> Vec<f64>) -> Predictions {
    let (rows, p) = m.shape();
    let values = rows_of(m);
    let rows: Vec<Vec<f64>> = (0..rows).map(|i| proba(&values[i * p..(i + 1) * p])).collect();
    let predicted = rows.iter().map(|r| labels.classes[super::linear::argmax(r)]).collect();
    Predictions { values: predicted, proba: Some(Probabilities { classes: labels.classes.clone(), rows }) }
}

impl RandomForestRegressor {
    pub(super) fn check(&self) -> Result<(), String> {
        ensure(self.n_estimators >= 1, "n_estimators", "at least 1", self.n_estimators)?;
        self.max_features.check()?;
        check_tree(self.max_depth, self.min_samples_split, self.min_samples_leaf)
    }

    pub(super) fn fit_predict(&self, train: &TrainSet, eval: &[&DenseMatrix<f64>]) -> Result<Vec<Predictions>, String> {
        let p = train.x.shape().1;
        let mut params = sc_rfr::RandomForestRegressorParameters::default()
            .with_n_trees(self.n_estimators as usize)
            .with_min_samples_split(self.min_samples_split)
            .with_min_samples_leaf(self.min_samples_leaf)
            .with_m(self.max_features.resolve(p))
            .with_seed(self.random_state.unwrap_or(0));
        params.max_depth = smartcore_depth(self.max_depth);
        let y = train.y.to_vec();
        let model = sc_rfr::RandomForestRegressor::fit(train.x, &y, params).map_err(failed)?;
        eval.iter().map(|m| Ok(Predictions { values: model.predict(*m).map_err(failed)?, proba: None })).collect()
    }
}

impl RandomForestClassifier {
    pub(super) fn check(&self) -> Result<(), String> {
        ensure(self.n_estimators >= 1, "n_estimators", "at least 1", self.n_estimators)?;
        self.max_features.check()?;
        check_tree(self.max_depth, self.min_samples_split, self.min_samples_leaf)
    }

    /// Bootstrapped Tuna CART trees (see `cart`), probabilities averaged over
    /// trees as in scikit-learn. The random streams are Tuna's (ChaCha8 seeded
    /// by `random_state`), so forests match scikit-learn's in distribution, not
    /// tree for tree.
    pub(super) fn fit_predict(&self, train: &TrainSet, eval: &[&DenseMatrix<f64>]) -> Result<Vec<Predictions>, String> {
        let labels = LabelCodes::encode(train.y)?;
        let (n, p) = train.x.shape();
        let columns = columns_of(train.x);
        let codes: Vec<usize> = labels.codes.iter().map(|&c| c as usize).collect();
        let mut rng = ChaCha8Rng::seed_from_u64(self.random_state.unwrap_or(0));
        let trees: Vec<ClassificationTree> = (0..self.n_estimators)
            .map(|_| {
                let mut weights = vec![0.0; n];
                for _ in 0..n {
                    weights[rng.random_range(0..n)] += 1.0;
                }
                let data = TreeData {
                    columns: &columns,
                    p,
                    codes: &codes,
                    weights: &weights,
                    n_classes: labels.classes.len(),
                };
                let settings = TreeSettings {
                    impurity: self.criterion.impurity(),
                    max_depth: self.max_depth.map(usize::from),
                    min_samples_split: self.min_samples_split,
                    min_samples_leaf: self.min_samples_leaf,
                    max_features: self.max_features.resolve(p),
                    seed: rng.next_u64(),
                };
                ClassificationTree::fit(&data, &settings)
            })
            .collect();
        let k = labels.classes.len();
        let mean_proba = |row: &[f64]| {
            let mut sum = vec![0.0; k];
            for tree in &trees {
                for (s, v) in sum.iter_mut().zip(tree.predict_proba(row)) {
                    *s += v;
                }
            }
            sum.iter().map(|s| s / trees.len() as f64).collect()
        };
        Ok(eval.iter().map(|m| class_predictions(&labels, m, mean_proba)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_features_resolves_like_scikit_learn() {
        assert_eq!(MaxFeatures::Rule("sqrt".into()).resolve(10), 3);
        assert_eq!(MaxFeatures::Rule("log2".into()).resolve(10), 3);
        assert_eq!(MaxFeatures::Fraction(1.0).resolve(10), 10);
        assert_eq!(MaxFeatures::Fraction(0.01).resolve(10), 1);
        assert_eq!(MaxFeatures::Count(20).resolve(10), 10);
    }

    #[test]
    fn depth_counts_from_zero_at_the_root() {
        assert_eq!(smartcore_depth(Some(3)), Some(4));
        assert_eq!(smartcore_depth(None), None);
    }

    #[test]
    fn min_samples_split_of_one_is_rejected() {
        let t = DecisionTreeRegressor { min_samples_split: 1, ..Default::default() };
        assert!(t.check().unwrap_err().contains("min_samples_split"));
    }
}
