//! Decision trees, random forests and extra trees with scikit-learn's
//! hyperparameters, defaults and results.
//!
//! Every estimator here grows Tuna's CART trees (`cart`), which are
//! scikit-learn's trees split for split. A forest draws its trees' seeds and
//! bootstrap rows from numpy's `RandomState` as scikit-learn's does, so a
//! forest with a given `random_state` is scikit-learn's forest, tree for tree,
//! and predicts by the same average in the same order.
//!
//! One generic struct per shape keeps the shared settings in one place: a
//! `DecisionTree<C>` and a `Forest<C, K>`, where `C` is the task's criterion
//! (regression or classification) and `K` says whether the forest is a random
//! forest (bootstrap, best splits) or extra trees (all rows, random splits).

// The criterion and forest-kind traits are plumbing inside this module: the
// public API is the estimator types below, not the traits that build them.
#![allow(private_bounds, private_interfaces)]

use std::collections::BTreeMap;
use std::marker::PhantomData;

use serde::{Deserialize, Serialize};
use smartcore::linalg::basic::arrays::Array;
use smartcore::linalg::basic::matrix::DenseMatrix;

use super::cart::{Features, Impurity, RegressionLoss, Strategy, Task, Tree, TreeParams};
use super::{LabelCodes, TrainSet, ensure, rows_of};
use crate::core::metrics::{MetricName, Predictions, Probabilities};
use crate::core::numpy_random::RandomState;
use crate::core::numpy_sum;
use crate::core::params::python_float;

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

/// A row count, or a fraction of the training rows: scikit-learn's
/// `min_samples_split` and `min_samples_leaf` take either.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum SampleCount {
    /// This many rows.
    Count(usize),
    /// This fraction of the training rows, rounded up.
    Fraction(f64),
}

impl SampleCount {
    fn resolve(self, n_samples: usize) -> usize {
        match self {
            SampleCount::Count(c) => c,
            SampleCount::Fraction(f) => (f * n_samples as f64).ceil() as usize,
        }
    }
}

/// How a decision tree cuts: scikit-learn's `splitter`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SplitterName {
    /// The best cut of each feature tried (default).
    Best,
    /// One random cut per feature tried.
    Random,
}

/// Split quality for regression trees: scikit-learn's `criterion`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegressionCriterion {
    /// Mean squared error (default).
    SquaredError,
    /// Deprecated in scikit-learn 1.9, where it means `squared_error`.
    FriedmanMse,
    /// Half the Poisson deviance (targets must be non-negative, with a positive sum).
    Poisson,
    /// Mean absolute error; leaves predict the weighted median.
    AbsoluteError,
}

/// Split quality for classification trees: scikit-learn's `criterion`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Criterion {
    /// Gini impurity (default).
    Gini,
    /// Shannon entropy.
    Entropy,
    /// The same as entropy, scikit-learn's newer name.
    LogLoss,
}

/// How a classifier weights its classes: scikit-learn's `class_weight`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ClassWeight {
    /// `"balanced"` or `"balanced_subsample"`.
    Rule(WeightRule),
    /// A weight per class label, `{ 0 = 1, 1 = 5 }` or `{ no = 1, yes = 5 }`;
    /// a class left out weighs 1.
    PerClass(BTreeMap<String, f64>),
}

/// The `class_weight` rules scikit-learn names.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WeightRule {
    /// Each class weighs `n_rows / (n_classes · rows of the class)`.
    Balanced,
    /// Forests: `"balanced"` computed on each tree's bootstrap sample.
    BalancedSubsample,
}

impl ClassWeight {
    const BALANCED_SUBSAMPLE: ClassWeight = ClassWeight::Rule(WeightRule::BalancedSubsample);
}

/// `"balanced"` weights from each class's (weighted) row count: the total over
/// the number of classes present times the class's count; 0 for an absent class.
fn balanced_weights(class_counts: &[f64]) -> Vec<f64> {
    let present = class_counts.iter().filter(|c| **c > 0.0).count() as f64;
    let total: f64 = class_counts.iter().sum();
    class_counts.iter().map(|&c| if c > 0.0 { total / (present * c) } else { 0.0 }).collect()
}

/// The weight of each class under a per-class table, as scikit-learn's
/// `compute_class_weight` reads a dict: a listed class takes its weight, the
/// others 1, and a table that both misses classes and names labels the
/// training rows lack is refused (a misspelt label, most likely).
fn listed_weights(table: &BTreeMap<String, f64>, names: &[String]) -> Result<Vec<f64>, String> {
    let weights: Vec<Option<f64>> = names.iter().map(|name| table.get(name).copied()).collect();
    let missing: Vec<&str> = names.iter().zip(&weights).filter(|(_, w)| w.is_none()).map(|(n, _)| n.as_str()).collect();
    if !missing.is_empty() && names.len() - missing.len() != table.len() {
        let unknown: Vec<&str> = table.keys().filter(|k| !names.contains(k)).map(String::as_str).collect();
        return Err(format!(
            "class_weight has no weight for the classes {} and names {}, which the training rows do not hold \
             (their classes: {}); write each class label as the target column holds it",
            missing.join(", "),
            unknown.join(", "),
            names.join(", ")
        ));
    }
    Ok(weights.into_iter().map(|w| w.unwrap_or(1.0)).collect())
}

/// The training targets in the form a tree grows on.
enum Targets<'a> {
    Values { y: &'a [f64], loss: RegressionLoss },
    Classes { labels: LabelCodes, codes: Vec<u32>, impurity: Impurity, names: Vec<String> },
}

impl Targets<'_> {
    /// Each row's weight under `class_weight`; `None` when classes are not weighted.
    fn class_weights(&self, class_weight: Option<&ClassWeight>) -> Result<Option<Vec<f64>>, String> {
        match (class_weight, self) {
            (Some(ClassWeight::PerClass(table)), Targets::Classes { codes, names, .. }) => {
                let per_class = listed_weights(table, names)?;
                Ok(Some(codes.iter().map(|&c| per_class[c as usize]).collect()))
            }
            (Some(ClassWeight::Rule(_)), _) => Ok(self.balanced(None)),
            _ => Ok(None),
        }
    }

    /// Each row's `"balanced"` weight, from class counts over `rows` (weighted
    /// by `rows`: a bootstrap sample's counts for `"balanced_subsample"`).
    fn balanced(&self, rows: Option<&[f64]>) -> Option<Vec<f64>> {
        let Targets::Classes { labels, codes, .. } = self else { return None };
        let mut counts = vec![0.0; labels.classes.len()];
        for (i, &c) in codes.iter().enumerate() {
            counts[c as usize] += rows.map_or(1.0, |r| r[i]);
        }
        let per_class = balanced_weights(&counts);
        Some(codes.iter().map(|&c| per_class[c as usize]).collect())
    }

    fn task(&self) -> Task<'_> {
        match self {
            Targets::Values { y, loss } => Task::Regression { y, loss: *loss },
            Targets::Classes { labels, codes, impurity, .. } => {
                Task::Classification { codes, n_classes: labels.classes.len(), impurity: *impurity }
            }
        }
    }
}

/// A task's criterion: what it checks in the targets and what it defaults to.
pub(crate) trait TreeCriterion: Copy + PartialEq + std::fmt::Debug {
    /// scikit-learn's default criterion.
    const DEFAULT: Self;
    /// A forest's default `max_features`: all features for regression, √p for classification.
    fn forest_max_features() -> MaxFeatures;
    /// The targets as the tree needs them, or why they do not fit the criterion.
    fn targets<'t>(self, train: &TrainSet<'t>) -> Result<Targets<'t>, String>;
    /// True when the task has no classes to weigh (`class_weight` is then left out).
    fn lacks_class_weight(_: &Option<ClassWeight>) -> bool;
}

impl TreeCriterion for RegressionCriterion {
    const DEFAULT: Self = RegressionCriterion::SquaredError;

    fn forest_max_features() -> MaxFeatures {
        MaxFeatures::Fraction(1.0)
    }

    fn targets<'t>(self, train: &TrainSet<'t>) -> Result<Targets<'t>, String> {
        let y = train.y;
        let loss = match self {
            RegressionCriterion::SquaredError | RegressionCriterion::FriedmanMse => RegressionLoss::SquaredError,
            RegressionCriterion::AbsoluteError => RegressionLoss::AbsoluteError,
            RegressionCriterion::Poisson => {
                if y.iter().any(|v| *v < 0.0) {
                    return Err("criterion \"poisson\" needs targets >= 0; the training rows have a negative target — use \"squared_error\" or check the target column".into());
                }
                if y.iter().sum::<f64>() <= 0.0 {
                    return Err("criterion \"poisson\" needs targets whose sum is positive; the training rows' targets are all 0".into());
                }
                RegressionLoss::Poisson
            }
        };
        Ok(Targets::Values { y, loss })
    }

    fn lacks_class_weight(_: &Option<ClassWeight>) -> bool {
        true
    }
}

impl TreeCriterion for Criterion {
    const DEFAULT: Self = Criterion::Gini;

    fn forest_max_features() -> MaxFeatures {
        MaxFeatures::Rule("sqrt".into())
    }

    fn targets<'t>(self, train: &TrainSet<'t>) -> Result<Targets<'t>, String> {
        let labels = LabelCodes::encode(train.y)?;
        let codes = labels.codes.iter().map(|&c| c as u32).collect();
        let impurity = match self {
            Criterion::Gini => Impurity::Gini,
            Criterion::Entropy | Criterion::LogLoss => Impurity::Entropy,
        };
        // Each class as the target column writes it: text, or the number as Python prints it.
        let names = labels
            .classes
            .iter()
            .map(|&c| match train.labels {
                Some(text) => text.get(c as usize).cloned().unwrap_or_default(),
                None if c.fract() == 0.0 && c.abs() < 1e15 => format!("{}", c as i64),
                None => python_float(c),
            })
            .collect();
        Ok(Targets::Classes { labels, codes, impurity, names })
    }

    fn lacks_class_weight(_: &Option<ClassWeight>) -> bool {
        false
    }
}

/// `DecisionTreeRegressor` and `DecisionTreeClassifier`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default, bound(serialize = "C: Serialize + TreeCriterion"))]
pub struct DecisionTree<C> {
    /// Split quality (default `"squared_error"`, or `"gini"` for a classifier).
    pub criterion: C,
    /// `"best"` (default) or `"random"`.
    pub splitter: SplitterName,
    /// Deepest level below the root; `None` grows until pure (default).
    pub max_depth: Option<usize>,
    /// Fewest rows (or fraction of rows) a node needs to be split (default 2).
    pub min_samples_split: SampleCount,
    /// Fewest rows (or fraction of rows) each leaf keeps (default 1).
    pub min_samples_leaf: SampleCount,
    /// Smallest fraction of the total weight a leaf keeps (default 0.0).
    pub min_weight_fraction_leaf: f64,
    /// Features tried per split; `None`: all (default).
    pub max_features: Option<MaxFeatures>,
    /// Seed of the order in which features are tried (default `None`, which
    /// Tuna takes as 0 so that runs repeat).
    pub random_state: Option<u32>,
    /// Grow best first up to this many leaves; `None`: no limit (default).
    pub max_leaf_nodes: Option<usize>,
    /// Split only when the weighted impurity decrease is at least this (default 0.0).
    pub min_impurity_decrease: f64,
    /// Cost-complexity pruning strength after growth (default 0.0: no pruning).
    pub ccp_alpha: f64,
    /// Classifiers: `"balanced"` weights each class against its frequency
    /// (default `None`: every row counts the same).
    #[serde(skip_serializing_if = "C::lacks_class_weight")]
    pub class_weight: Option<ClassWeight>,
}

/// `DecisionTreeRegressor`.
pub type DecisionTreeRegressor = DecisionTree<RegressionCriterion>;
/// `DecisionTreeClassifier`.
pub type DecisionTreeClassifier = DecisionTree<Criterion>;

impl<C: TreeCriterion> Default for DecisionTree<C> {
    fn default() -> Self {
        DecisionTree {
            criterion: C::DEFAULT,
            splitter: SplitterName::Best,
            max_depth: None,
            min_samples_split: SampleCount::Count(2),
            min_samples_leaf: SampleCount::Count(1),
            min_weight_fraction_leaf: 0.0,
            max_features: None,
            random_state: None,
            max_leaf_nodes: None,
            min_impurity_decrease: 0.0,
            ccp_alpha: 0.0,
            class_weight: None,
        }
    }
}

/// The settings every tree of an estimator shares, in scikit-learn's terms.
pub(super) struct Growth<'a> {
    pub max_depth: Option<usize>,
    pub min_samples_split: SampleCount,
    pub min_samples_leaf: SampleCount,
    pub min_weight_fraction_leaf: f64,
    pub max_features: Option<&'a MaxFeatures>,
    pub max_leaf_nodes: Option<usize>,
    pub min_impurity_decrease: f64,
    pub ccp_alpha: f64,
}

/// The `Growth` of a `DecisionTree` or a `Forest`, which name these settings alike.
macro_rules! growth_of {
    ($estimator:expr) => {
        Growth {
            max_depth: $estimator.max_depth,
            min_samples_split: $estimator.min_samples_split,
            min_samples_leaf: $estimator.min_samples_leaf,
            min_weight_fraction_leaf: $estimator.min_weight_fraction_leaf,
            max_features: $estimator.max_features.as_ref(),
            max_leaf_nodes: $estimator.max_leaf_nodes,
            min_impurity_decrease: $estimator.min_impurity_decrease,
            ccp_alpha: $estimator.ccp_alpha,
        }
    };
}

impl Growth<'_> {
    /// scikit-learn's checks of these settings.
    pub(super) fn check(&self) -> Result<(), String> {
        if let Some(d) = self.max_depth {
            ensure(d >= 1, "max_depth", "at least 1 or None", d)?;
        }
        match self.min_samples_split {
            SampleCount::Count(c) => ensure(c >= 2, "min_samples_split", "at least 2", c)?,
            SampleCount::Fraction(f) => {
                ensure(f > 0.0 && f <= 1.0, "min_samples_split", "at least 2, or a fraction in (0, 1]", f)?
            }
        }
        match self.min_samples_leaf {
            SampleCount::Count(c) => ensure(c >= 1, "min_samples_leaf", "at least 1", c)?,
            SampleCount::Fraction(f) => {
                ensure(f > 0.0 && f < 1.0, "min_samples_leaf", "at least 1, or a fraction in (0, 1)", f)?
            }
        }
        let w = self.min_weight_fraction_leaf;
        ensure((0.0..=0.5).contains(&w), "min_weight_fraction_leaf", "in [0, 0.5]", w)?;
        if let Some(m) = self.max_features {
            m.check()?;
        }
        if let Some(l) = self.max_leaf_nodes {
            ensure(l >= 2, "max_leaf_nodes", "at least 2 or None", l)?;
        }
        let d = self.min_impurity_decrease;
        ensure(d >= 0.0, "min_impurity_decrease", "at least 0", d)?;
        ensure(self.ccp_alpha >= 0.0, "ccp_alpha", "at least 0", self.ccp_alpha)
    }

    /// The tree settings for `n` training rows of `p` features with total weight `total_weight`.
    pub(super) fn params(&self, strategy: Strategy, n: usize, p: usize, total_weight: f64) -> TreeParams {
        let min_samples_split = match self.min_samples_split {
            SampleCount::Count(c) => c,
            fraction => fraction.resolve(n).max(2),
        };
        TreeParams {
            strategy,
            max_depth: self.max_depth,
            min_samples_split,
            min_samples_leaf: self.min_samples_leaf.resolve(n),
            min_weight_leaf: self.min_weight_fraction_leaf * total_weight,
            max_features: self.max_features.map_or(p, |m| m.resolve(p)),
            max_leaf_nodes: self.max_leaf_nodes,
            min_impurity_decrease: self.min_impurity_decrease,
            ccp_alpha: self.ccp_alpha,
        }
    }
}

/// A fitted tree as scikit-learn's `tree_` shows it: nodes in its order.
#[derive(Debug, Clone, PartialEq)]
pub struct TreeStructure {
    /// Depth of the deepest leaf (the root is depth 0).
    pub max_depth: usize,
    /// Every node, root first.
    pub nodes: Vec<TreeNode>,
}

/// One node of a `TreeStructure`.
#[derive(Debug, Clone, PartialEq)]
pub struct TreeNode {
    /// The feature a split tests; `None` for a leaf.
    pub feature: Option<usize>,
    /// Rows with `feature <= threshold` go left.
    pub threshold: Option<f64>,
    /// The node's mean target, or its class fractions.
    pub value: Vec<f64>,
    /// Training rows that reach the node.
    pub n_node_samples: usize,
}

impl<C: TreeCriterion> DecisionTree<C> {
    /// Fits on `train` and returns the tree itself (to inspect or compare with scikit-learn's).
    pub fn fit_structure(&self, train: &TrainSet) -> Result<TreeStructure, String> {
        let tree = self.fit_tree(train)?.0;
        let nodes = tree
            .nodes
            .iter()
            .enumerate()
            .map(|(id, node)| TreeNode {
                feature: node.feature,
                threshold: node.feature.map(|_| node.threshold),
                value: tree.values[id * tree.value_stride..(id + 1) * tree.value_stride].to_vec(),
                n_node_samples: node.n_node_samples,
            })
            .collect();
        Ok(TreeStructure { max_depth: tree.max_depth, nodes })
    }

    fn fit_tree<'t>(&self, train: &TrainSet<'t>) -> Result<(Tree, Targets<'t>), String> {
        let targets = self.criterion.targets(train)?;
        let data = TrainingFeatures::of(train.x);
        let strategy = match self.splitter {
            SplitterName::Best => Strategy::Best,
            SplitterName::Random => Strategy::Random,
        };
        let weights = targets.class_weights(self.class_weight.as_ref())?;
        let total_weight = weights.as_deref().map_or(data.n_rows as f64, numpy_sum::sum);
        let params = self.growth().params(strategy, data.n_rows, data.n_features, total_weight);
        let mut rng = RandomState::new(self.random_state.unwrap_or(0));
        Ok((Tree::fit(data.features(), targets.task(), weights.as_deref(), &params, &mut rng), targets))
    }

    fn growth(&self) -> Growth<'_> {
        growth_of!(self)
    }

    pub(super) fn check(&self) -> Result<(), String> {
        check_class_weight::<C>(&self.class_weight)?;
        if self.class_weight == Some(ClassWeight::BALANCED_SUBSAMPLE) {
            return Err("class_weight \"balanced_subsample\" is for forests (it reweights each tree's bootstrap sample); a single tree takes \"balanced\"".into());
        }
        self.growth().check()
    }

    pub(super) fn fit_predict(&self, train: &TrainSet, eval: &[&DenseMatrix<f64>]) -> Result<Vec<Predictions>, String> {
        let (tree, targets) = self.fit_tree(train)?;
        Ok(predict_all(&[tree], &targets, eval))
    }
}

/// Which forest: bagged best-split trees or extra trees.
pub(crate) trait ForestKind: Clone + PartialEq + std::fmt::Debug + Default {
    /// scikit-learn's default `bootstrap`.
    const BOOTSTRAP: bool;
    /// How its trees cut.
    const STRATEGY: Strategy;
}

/// Random forests: bootstrap samples, best splits.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Bagged;

/// Extremely randomized trees: every row, one random cut per feature tried.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Extra;

impl ForestKind for Bagged {
    const BOOTSTRAP: bool = true;
    const STRATEGY: Strategy = Strategy::Best;
}

impl ForestKind for Extra {
    const BOOTSTRAP: bool = false;
    const STRATEGY: Strategy = Strategy::Random;
}

/// A row count, or a fraction of the training rows: a forest's `max_samples`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum MaxSamples {
    /// This many rows per bootstrap sample.
    Count(usize),
    /// This fraction of the training rows (at least one).
    Fraction(f64),
}

/// `RandomForest*` and `ExtraTrees*`: trees averaged (probabilities for a classifier).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default, bound(serialize = "C: Serialize + TreeCriterion"))]
pub struct Forest<C, K> {
    /// Number of trees (default 100).
    pub n_estimators: usize,
    /// Split quality (default `"squared_error"`, or `"gini"` for a classifier).
    pub criterion: C,
    /// Deepest level below the root; `None` grows until pure (default).
    pub max_depth: Option<usize>,
    /// Fewest rows (or fraction of rows) a node needs to be split (default 2).
    pub min_samples_split: SampleCount,
    /// Fewest rows (or fraction of rows) each leaf keeps (default 1).
    pub min_samples_leaf: SampleCount,
    /// Smallest fraction of a tree's total weight a leaf keeps (default 0.0).
    pub min_weight_fraction_leaf: f64,
    /// Features tried per split (default 1.0, all, for regression; `"sqrt"` for
    /// classification); `None`: all.
    pub max_features: Option<MaxFeatures>,
    /// Grow each tree best first up to this many leaves; `None`: no limit (default).
    pub max_leaf_nodes: Option<usize>,
    /// Split only when the weighted impurity decrease is at least this (default 0.0).
    pub min_impurity_decrease: f64,
    /// Cost-complexity pruning strength after growth (default 0.0: no pruning).
    pub ccp_alpha: f64,
    /// Classifiers: `"balanced"` weights each class against its frequency
    /// (default `None`: every row counts the same).
    #[serde(skip_serializing_if = "C::lacks_class_weight")]
    pub class_weight: Option<ClassWeight>,
    /// Each tree sees a bootstrap sample of the rows (default true for random
    /// forests, false for extra trees).
    pub bootstrap: bool,
    /// Seed of every tree's bootstrap and feature order (default `None`, which
    /// Tuna takes as 0 so that runs repeat).
    pub random_state: Option<u32>,
    /// Rows per bootstrap sample, a count or a fraction; `None`: as many as the
    /// training rows (default).
    pub max_samples: Option<MaxSamples>,
    /// Also score the model on the rows each tree's bootstrap sample left out
    /// (scikit-learn's `oob_score_`: R² or accuracy), reported for the refit
    /// best model (default false).
    pub oob_score: bool,
    #[serde(skip)]
    kind: PhantomData<K>,
}

/// `RandomForestRegressor`.
pub type RandomForestRegressor = Forest<RegressionCriterion, Bagged>;
/// `RandomForestClassifier`.
pub type RandomForestClassifier = Forest<Criterion, Bagged>;
/// `ExtraTreesRegressor`.
pub type ExtraTreesRegressor = Forest<RegressionCriterion, Extra>;
/// `ExtraTreesClassifier`.
pub type ExtraTreesClassifier = Forest<Criterion, Extra>;

impl<C: TreeCriterion, K: ForestKind> Default for Forest<C, K> {
    fn default() -> Self {
        Forest {
            n_estimators: 100,
            criterion: C::DEFAULT,
            max_depth: None,
            min_samples_split: SampleCount::Count(2),
            min_samples_leaf: SampleCount::Count(1),
            min_weight_fraction_leaf: 0.0,
            max_features: Some(C::forest_max_features()),
            max_leaf_nodes: None,
            min_impurity_decrease: 0.0,
            ccp_alpha: 0.0,
            class_weight: None,
            bootstrap: K::BOOTSTRAP,
            random_state: None,
            max_samples: None,
            oob_score: false,
            kind: PhantomData,
        }
    }
}

impl<C: TreeCriterion, K: ForestKind> Forest<C, K> {
    fn growth(&self) -> Growth<'_> {
        growth_of!(self)
    }

    pub(super) fn check(&self) -> Result<(), String> {
        ensure(self.n_estimators >= 1, "n_estimators", "at least 1", self.n_estimators)?;
        match self.max_samples {
            Some(_) if !self.bootstrap => {
                return Err(
                    "max_samples needs bootstrap = true (without bootstrap every tree sees every row); set max_samples = \"None\" or bootstrap = true"
                        .into(),
                );
            }
            Some(MaxSamples::Count(c)) => ensure(c >= 1, "max_samples", "at least 1", c)?,
            Some(MaxSamples::Fraction(f)) => ensure(f > 0.0 && f <= 1.0, "max_samples", "in (0, 1] as a fraction", f)?,
            None => {}
        }
        if self.oob_score && !self.bootstrap {
            return Err("oob_score needs bootstrap = true: the out-of-bag rows are those a tree's bootstrap sample left out; set bootstrap = true or oob_score = false".into());
        }
        check_class_weight::<C>(&self.class_weight)?;
        self.growth().check()
    }

    /// Rows per bootstrap sample for `n` training rows with these row weights,
    /// as scikit-learn counts them (a fraction is of the total weight).
    fn n_samples_bootstrap(&self, n: usize, weights: Option<&[f64]>) -> usize {
        match self.max_samples {
            None => n,
            Some(MaxSamples::Count(c)) => c,
            Some(MaxSamples::Fraction(f)) => ((f * weights.map_or(n as f64, numpy_sum::sum)) as usize).max(1),
        }
    }

    /// One tree's row weights: bootstrap counts (rows drawn by weight when the
    /// classes are balanced), reweighted per sample for `"balanced_subsample"`;
    /// without bootstrap, the class weights.
    fn tree_weights(&self, seed: u32, targets: &Targets, draw: &Draw) -> Option<Vec<f64>> {
        if !self.bootstrap {
            return draw.row_weights.clone();
        }
        let n = draw.n_rows;
        let mut rows = RandomState::new(seed);
        let drawn: Vec<usize> = match &draw.probabilities {
            Some(p) => rows.choice_weighted(p, draw.n_bootstrap),
            None => (0..draw.n_bootstrap).map(|_| rows.randint(n as u64) as usize).collect(),
        };
        let mut counts = vec![0.0; n];
        for i in drawn {
            counts[i] += 1.0;
        }
        if self.class_weight == Some(ClassWeight::BALANCED_SUBSAMPLE) {
            let weights = targets.balanced(Some(&counts)).unwrap_or_default();
            for (c, w) in counts.iter_mut().zip(weights) {
                *c *= w;
            }
        }
        Some(counts)
    }

    pub(super) fn fit_predict(&self, train: &TrainSet, eval: &[&DenseMatrix<f64>]) -> Result<Vec<Predictions>, String> {
        let targets = self.criterion.targets(train)?;
        let (trees, _) = self.fit(train, &targets)?;
        Ok(predict_all(&trees, &targets, eval))
    }

    /// Fits on `train` and returns scikit-learn's `oob_score_` when `oob_score` is
    /// set, with the number of rows no tree left out.
    pub(super) fn fit_oob_score(&self, train: &TrainSet) -> Result<Option<OutOfBagScore>, String> {
        let targets = self.criterion.targets(train)?;
        Ok(self.fit(train, &targets)?.1)
    }

    /// Grows the trees, and with `oob_score` scores each row by the trees that left it out.
    fn fit(&self, train: &TrainSet, targets: &Targets) -> Result<(Vec<Tree>, Option<OutOfBagScore>), String> {
        let data = TrainingFeatures::of(train.x);
        let n = data.n_rows;
        // scikit-learn draws every tree's seed first, then fits each tree from its seed.
        let mut forest_rng = RandomState::new(self.random_state.unwrap_or(0));
        let seeds: Vec<u32> = (0..self.n_estimators).map(|_| forest_rng.randint(i32::MAX as u64) as u32).collect();
        // "balanced" weights every row, and bootstrap rows are then drawn by weight;
        // "balanced_subsample" with bootstrap weighs each tree's sample instead.
        let per_sample = self.bootstrap && self.class_weight == Some(ClassWeight::BALANCED_SUBSAMPLE);
        let row_weights = if per_sample { None } else { targets.class_weights(self.class_weight.as_ref())? };
        let probabilities = row_weights.as_deref().map(|w| {
            let total = numpy_sum::sum(w);
            w.iter().map(|v| v / total).collect()
        });
        let n_bootstrap = self.n_samples_bootstrap(n, row_weights.as_deref());
        let draw = Draw { n_rows: n, n_bootstrap, row_weights, probabilities };
        let mut out_of_bag = (self.oob_score && self.bootstrap).then(|| OutOfBag::new(&data));
        let trees = seeds
            .into_iter()
            .map(|seed| {
                let weights = self.tree_weights(seed, targets, &draw);
                let total_weight = weights.as_deref().map_or(n as f64, numpy_sum::sum);
                let params = self.growth().params(K::STRATEGY, n, data.n_features, total_weight);
                let tree = Tree::fit(
                    data.features(),
                    targets.task(),
                    weights.as_deref(),
                    &params,
                    &mut RandomState::new(seed),
                );
                if let (Some(oob), Some(weights)) = (&mut out_of_bag, &weights) {
                    oob.add(&tree, weights, &data);
                }
                tree
            })
            .collect::<Vec<Tree>>();
        let oob_score = out_of_bag.map(|oob| oob.score(targets, train.y)).transpose()?;
        Ok((trees, oob_score))
    }
}

/// How a forest's rows are weighted and drawn, the same for every tree.
struct Draw {
    n_rows: usize,
    n_bootstrap: usize,
    /// Class weights of every row (`"balanced"`), if any.
    row_weights: Option<Vec<f64>>,
    /// The row weights scaled to sum to 1: bootstrap draws by weight.
    probabilities: Option<Vec<f64>>,
}

/// `oob_score_`, and how many rows no tree left out of its bootstrap sample.
pub(super) type OutOfBagScore = (f64, usize);

/// The out-of-bag estimate, as scikit-learn's `_compute_oob_predictions`:
/// each training row's tree values summed over the trees whose bootstrap
/// sample left it out, then divided by their number.
struct OutOfBag {
    /// `sums[i * stride..]`: row `i`'s summed values (a mean, or class fractions).
    sums: Vec<f64>,
    counts: Vec<u32>,
    /// One row's features, gathered from the columns.
    row: Vec<f32>,
}

impl OutOfBag {
    fn new(data: &TrainingFeatures) -> Self {
        OutOfBag { sums: Vec::new(), counts: vec![0; data.n_rows], row: vec![0.0; data.n_features] }
    }

    /// Adds `tree`'s values for the rows its bootstrap `weights` left out (weight 0).
    fn add(&mut self, tree: &Tree, weights: &[f64], data: &TrainingFeatures) {
        let (n, stride) = (data.n_rows, tree.value_stride);
        if self.sums.is_empty() {
            self.sums = vec![0.0; n * stride];
        }
        for i in (0..n).filter(|&i| weights[i] == 0.0) {
            for (j, v) in self.row.iter_mut().enumerate() {
                *v = data.x[j * n + i];
            }
            for (s, v) in self.sums[i * stride..(i + 1) * stride].iter_mut().zip(tree.predict(&self.row)) {
                *s += v;
            }
            self.counts[i] += 1;
        }
    }

    /// R² of the averaged predictions (regression) or accuracy of their most
    /// probable class (classification), and how many rows no tree left out:
    /// those predict 0 (class 0), as in scikit-learn, which warns about them.
    fn score(self, targets: &Targets, y: &[f64]) -> Result<OutOfBagScore, String> {
        let unscored = self.counts.iter().filter(|&&c| c == 0).count();
        let stride = self.sums.len() / self.counts.len().max(1);
        let averages = self.sums.chunks(stride.max(1)).zip(&self.counts).map(|(sums, &c)| {
            let c = c.max(1) as f64;
            sums.iter().map(move |s| s / c)
        });
        let (metric, truth, values) = match targets {
            Targets::Values { .. } => {
                (MetricName::R2, y.to_vec(), averages.map(|mut a| a.next().unwrap_or(0.0)).collect())
            }
            Targets::Classes { codes, .. } => (
                MetricName::Accuracy,
                codes.iter().map(|&c| c as f64).collect(),
                averages.map(|a| super::linear::argmax(&a.collect::<Vec<_>>()) as f64).collect(),
            ),
        };
        let score = metric.compute(&truth, &Predictions { values, proba: None }, 1.0);
        Ok((score.map_err(|e| format!("oob_score: {e}"))?, unscored))
    }
}

/// `class_weight` is for classifiers only.
fn check_class_weight<C: TreeCriterion>(class_weight: &Option<ClassWeight>) -> Result<(), String> {
    if class_weight.is_some() && C::lacks_class_weight(class_weight) {
        return Err("class_weight weighs classes, and a regressor has none; remove class_weight".into());
    }
    Ok(())
}

/// Training features as the trees read them: float32, column by column.
pub(super) struct TrainingFeatures {
    x: Vec<f32>,
    pub n_rows: usize,
    pub n_features: usize,
}

impl TrainingFeatures {
    pub(super) fn of(m: &DenseMatrix<f64>) -> Self {
        let (n_rows, n_features) = m.shape();
        let mut x = vec![0.0f32; n_rows * n_features];
        for (i, row) in rows_of(m).chunks_exact(n_features.max(1)).enumerate() {
            for (j, &v) in row.iter().enumerate() {
                x[j * n_rows + i] = v as f32;
            }
        }
        TrainingFeatures { x, n_rows, n_features }
    }

    /// The rows `rows` alone, in that order.
    pub(super) fn rows(&self, rows: &[usize]) -> Self {
        let mut x = Vec::with_capacity(rows.len() * self.n_features);
        for column in self.x.chunks_exact(self.n_rows.max(1)).take(self.n_features) {
            x.extend(rows.iter().map(|&i| column[i]));
        }
        TrainingFeatures { x, n_rows: rows.len(), n_features: self.n_features }
    }

    pub(super) fn features(&self) -> Features<'_> {
        Features { x: &self.x, n_rows: self.n_rows, n_features: self.n_features }
    }
}

/// Each evaluation matrix's predictions: the trees' values summed in order and
/// divided by their number (scikit-learn's average), then for a classifier the
/// most probable class (the first on ties, as numpy's argmax).
fn predict_all(trees: &[Tree], targets: &Targets, eval: &[&DenseMatrix<f64>]) -> Vec<Predictions> {
    eval.iter()
        .map(|m| {
            let (rows, p) = m.shape();
            let values = rows_of(m);
            let mut row32 = vec![0.0f32; p];
            let averages: Vec<Vec<f64>> = (0..rows)
                .map(|i| {
                    for (d, v) in row32.iter_mut().zip(&values[i * p..(i + 1) * p]) {
                        *d = *v as f32;
                    }
                    let mut sum = vec![0.0; trees[0].value_stride];
                    for tree in trees {
                        for (s, v) in sum.iter_mut().zip(tree.predict(&row32)) {
                            *s += v;
                        }
                    }
                    for s in &mut sum {
                        *s /= trees.len() as f64;
                    }
                    sum
                })
                .collect();
            match targets {
                Targets::Values { .. } => {
                    Predictions { values: averages.into_iter().map(|v| v[0]).collect(), proba: None }
                }
                Targets::Classes { labels, .. } => Predictions {
                    values: averages.iter().map(|r| labels.classes[super::linear::argmax(r)]).collect(),
                    proba: Some(Probabilities { classes: labels.classes.clone(), rows: averages }),
                },
            }
        })
        .collect()
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
    fn fractions_of_rows_round_up() {
        assert_eq!(SampleCount::Fraction(0.01).resolve(150), 2);
        assert_eq!(SampleCount::Count(3).resolve(150), 3);
        let tree = DecisionTreeRegressor { min_samples_split: SampleCount::Fraction(0.001), ..Default::default() };
        assert_eq!(tree.growth().params(Strategy::Best, 100, 3, 100.0).min_samples_split, 2);
    }

    #[test]
    fn min_samples_split_of_one_is_rejected() {
        let t = DecisionTreeRegressor { min_samples_split: SampleCount::Count(1), ..Default::default() };
        assert!(t.check().unwrap_err().contains("min_samples_split"));
    }

    #[test]
    fn max_samples_without_bootstrap_is_refused() {
        let f = ExtraTreesRegressor { max_samples: Some(MaxSamples::Fraction(0.5)), ..Default::default() };
        assert!(f.check().unwrap_err().contains("bootstrap"));
    }

    /// A text target's classes are named as the file writes them; a class left out weighs 1.
    #[test]
    fn a_class_weight_table_names_classes_as_the_target_column_writes_them() {
        let x = DenseMatrix::from_2d_vec(&vec![vec![0.0]; 3]).unwrap();
        let (y, labels) = ([1.0, 0.0, 2.0], ["maybe".to_string(), "no".into(), "yes".into()]);
        let train = TrainSet { x: &x, y: &y, labels: Some(&labels) };
        let targets = Criterion::Gini.targets(&train).unwrap();
        let table = |pairs: &[(&str, f64)]| {
            Some(ClassWeight::PerClass(pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()))
        };
        assert_eq!(targets.class_weights(table(&[("yes", 5.0)]).as_ref()).unwrap(), Some(vec![1.0, 1.0, 5.0]));
        let e = targets.class_weights(table(&[("yes", 5.0), ("Yes", 2.0)]).as_ref()).unwrap_err();
        assert!(e.contains("no weight for the classes maybe, no and names Yes"), "{e}");
        let numeric = TrainSet { x: &x, y: &[0.0, 1.0, 1.0], labels: None };
        let targets = Criterion::Gini.targets(&numeric).unwrap();
        assert_eq!(targets.class_weights(table(&[("1", 3.0)]).as_ref()).unwrap(), Some(vec![1.0, 3.0, 3.0]));
    }

    #[test]
    fn oob_score_needs_bootstrap() {
        let extra = ExtraTreesRegressor { oob_score: true, ..Default::default() };
        assert!(extra.check().unwrap_err().contains("oob_score needs bootstrap = true"));
        assert!(ExtraTreesRegressor { bootstrap: true, ..extra }.check().is_ok());
    }

    #[test]
    fn class_weight_is_a_classifiers_setting() {
        let regressor =
            RandomForestRegressor { class_weight: Some(ClassWeight::Rule(WeightRule::Balanced)), ..Default::default() };
        assert!(regressor.check().unwrap_err().contains("regressor"));
        let tree = DecisionTreeClassifier { class_weight: Some(ClassWeight::BALANCED_SUBSAMPLE), ..Default::default() };
        assert!(tree.check().unwrap_err().contains("forests"));
        // `tuna kinds` and the page show it for classifiers only.
        assert!(serde_json::to_value(DecisionTreeClassifier::default()).unwrap()["class_weight"].is_null());
        assert!(serde_json::to_value(DecisionTreeRegressor::default()).unwrap().get("class_weight").is_none());
    }

    #[test]
    fn balanced_weights_follow_class_frequencies() {
        // 3 rows of class 0, 1 of class 1, none of class 2: 4 / (2 · 3) and 4 / (2 · 1).
        assert_eq!(balanced_weights(&[3.0, 1.0, 0.0]), vec![4.0 / 6.0, 2.0, 0.0]);
    }

    #[test]
    fn defaults_follow_scikit_learn() {
        assert!(RandomForestRegressor::default().bootstrap);
        assert!(!ExtraTreesClassifier::default().bootstrap);
        assert_eq!(RandomForestClassifier::default().max_features, Some(MaxFeatures::Rule("sqrt".into())));
        assert_eq!(ExtraTreesRegressor::default().max_features, Some(MaxFeatures::Fraction(1.0)));
        assert_eq!(DecisionTreeClassifier::default().max_features, None);
    }
}
