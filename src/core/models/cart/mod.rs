//! Tuna's CART trees, grown exactly as scikit-learn 1.9 grows them.
//!
//! A tree scikit-learn fits with a given `random_state` is the tree Tuna fits
//! with it: the same features tried in the same order (scikit-learn's own
//! generator, seeded from numpy's `RandomState`), the same float32 features
//! and thresholds, the same sorts and sums, so the same choice between splits
//! that tie, and the same leaf values. One implementation serves regression
//! and classification; only the criterion differs.

mod absolute_error;
mod builder;
mod criterion;
mod prune;
mod sort;
mod splitter;

pub(crate) use criterion::{Impurity, RegressionLoss};
pub(crate) use splitter::{Features, Strategy};

use absolute_error::AbsoluteError;
use builder::StopRules;
use criterion::{Classification, Criterion, Regression};
use splitter::{RAND_R_MAX, SplitLimits, Splitter};

use crate::core::numpy_random::RandomState;

/// What a tree predicts and how it measures a split.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Task<'a> {
    Regression { y: &'a [f64], loss: RegressionLoss },
    Classification { codes: &'a [u32], n_classes: usize, impurity: Impurity },
}

/// A tree's settings, resolved against the data as scikit-learn resolves them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TreeParams {
    pub strategy: Strategy,
    /// `None`: no limit.
    pub max_depth: Option<usize>,
    pub min_samples_split: usize,
    pub min_samples_leaf: usize,
    /// `min_weight_fraction_leaf` times the total sample weight.
    pub min_weight_leaf: f64,
    pub max_features: usize,
    pub max_leaf_nodes: Option<usize>,
    pub min_impurity_decrease: f64,
    /// Cost-complexity pruning after growth; 0 keeps the whole tree.
    pub ccp_alpha: f64,
}

/// One node; a leaf has no feature. Impurity and sizes are kept as
/// scikit-learn's `tree_` keeps them (for pruning and for comparing trees).
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub feature: Option<usize>,
    pub threshold: f64,
    pub left: Option<usize>,
    pub right: Option<usize>,
    pub impurity: f64,
    pub n_node_samples: usize,
    pub weighted_n_node_samples: f64,
}

/// A fitted tree: nodes in scikit-learn's order and each node's value
/// (a mean, or one fraction per class).
#[derive(Debug, Clone)]
pub(crate) struct Tree {
    pub nodes: Vec<Node>,
    pub values: Vec<f64>,
    pub value_stride: usize,
    pub max_depth: usize,
}

impl Tree {
    /// Grows a tree on `features`. `rng` is the tree's `random_state`: its next
    /// draw seeds the splitter, as in scikit-learn. Rows with zero weight are left out.
    pub(crate) fn fit(
        features: Features,
        task: Task,
        sample_weight: Option<&[f64]>,
        params: &TreeParams,
        rng: &mut RandomState,
    ) -> Tree {
        let seed = rng.randint(RAND_R_MAX as u64) as u32;
        let n = features.n_rows;
        let min_samples_split = params.min_samples_split.max(2 * params.min_samples_leaf);
        let rules = StopRules {
            max_depth: params.max_depth.unwrap_or(i32::MAX as usize),
            min_samples_split,
            min_samples_leaf: params.min_samples_leaf,
            min_weight_leaf: params.min_weight_leaf,
            min_impurity_decrease: params.min_impurity_decrease,
            max_leaf_nodes: params.max_leaf_nodes,
        };
        let limits = SplitLimits {
            max_features: params.max_features,
            min_samples_leaf: params.min_samples_leaf,
            min_weight_leaf: params.min_weight_leaf,
        };
        debug_assert!(match task {
            Task::Regression { y, .. } => y.len() == n,
            Task::Classification { codes, .. } => codes.len() == n,
        });
        let tree = match task {
            Task::Regression { y, loss: RegressionLoss::AbsoluteError } => {
                let criterion = AbsoluteError::new(y, sample_weight);
                grow(Splitter::new(criterion, features, sample_weight, params.strategy, limits, seed), rules, 1)
            }
            Task::Regression { y, loss } => {
                let criterion = Regression::new(loss == RegressionLoss::Poisson, y, sample_weight);
                grow(Splitter::new(criterion, features, sample_weight, params.strategy, limits, seed), rules, 1)
            }
            Task::Classification { codes, n_classes, impurity } => {
                let criterion = Classification::new(impurity, codes, n_classes, sample_weight);
                let splitter = Splitter::new(criterion, features, sample_weight, params.strategy, limits, seed);
                grow(splitter, rules, n_classes)
            }
        };
        if params.ccp_alpha > 0.0 { tree.pruned(params.ccp_alpha) } else { tree }
    }

    /// The leaf `row` falls in (`row` as float32, as scikit-learn compares).
    pub(crate) fn leaf_of(&self, row: &[f32]) -> usize {
        let mut id = 0;
        while let (Some(feature), Some(left), Some(right)) =
            (self.nodes[id].feature, self.nodes[id].left, self.nodes[id].right)
        {
            id = if row[feature] as f64 <= self.nodes[id].threshold { left } else { right };
        }
        id
    }

    /// The leaf each row of `features` (the float32 columns it was fitted on) falls in.
    pub(crate) fn apply(&self, features: Features) -> Vec<usize> {
        let n = features.n_rows;
        (0..n)
            .map(|i| {
                let mut id = 0;
                while let (Some(feature), Some(left), Some(right)) =
                    (self.nodes[id].feature, self.nodes[id].left, self.nodes[id].right)
                {
                    let value = features.x[feature * n + i];
                    id = if value as f64 <= self.nodes[id].threshold { left } else { right };
                }
                id
            })
            .collect()
    }

    /// The value of the leaf `row` falls in.
    pub(crate) fn predict(&self, row: &[f32]) -> &[f64] {
        let id = self.leaf_of(row);
        &self.values[id * self.value_stride..(id + 1) * self.value_stride]
    }

    /// Number of leaves.
    #[cfg(test)]
    pub(crate) fn n_leaves(&self) -> usize {
        self.nodes.iter().filter(|n| n.feature.is_none()).count()
    }
}

fn grow<C: Criterion>(mut splitter: Splitter<C>, rules: StopRules, value_stride: usize) -> Tree {
    builder::build(&mut splitter, rules, value_stride)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params() -> TreeParams {
        TreeParams {
            strategy: Strategy::Best,
            max_depth: None,
            min_samples_split: 2,
            min_samples_leaf: 1,
            min_weight_leaf: 0.0,
            max_features: 1,
            max_leaf_nodes: None,
            min_impurity_decrease: 0.0,
            ccp_alpha: 0.0,
        }
    }

    #[test]
    fn a_regression_stump_cuts_at_the_midpoint() {
        let x = [1.0f32, 2.0, 3.0, 4.0];
        let y = [0.0, 0.0, 10.0, 10.0];
        let features = Features { x: &x, n_rows: 4, n_features: 1 };
        let task = Task::Regression { y: &y, loss: RegressionLoss::SquaredError };
        let tree = Tree::fit(features, task, None, &params(), &mut RandomState::new(0));
        assert_eq!(tree.nodes.len(), 3);
        assert_eq!(tree.nodes[0].threshold, 2.5);
        assert_eq!(tree.predict(&[2.5]), &[0.0]);
        assert_eq!(tree.predict(&[2.6]), &[10.0]);
    }

    #[test]
    fn classification_leaves_keep_class_fractions() {
        // Sorted: (1,a) (2,b) (2,a) (3,a)...: the best cut is between 2 and 3.
        let x = [1.0f32, 2.0, 2.0, 3.0, 3.0, 3.0];
        let codes = [0, 1, 1, 0, 0, 0];
        let features = Features { x: &x, n_rows: 6, n_features: 1 };
        let task = Task::Classification { codes: &codes, n_classes: 2, impurity: Impurity::Gini };
        let p = TreeParams { max_depth: Some(1), ..params() };
        let tree = Tree::fit(features, task, None, &p, &mut RandomState::new(0));
        assert_eq!(tree.predict(&[3.0]), &[1.0, 0.0]);
        assert_eq!(tree.predict(&[2.0]), &[1.0 / 3.0, 2.0 / 3.0]);
    }

    #[test]
    fn zero_weight_rows_are_left_out() {
        let x = [1.0f32, 2.0, 3.0, 4.0];
        let y = [0.0, 100.0, 10.0, 10.0];
        let features = Features { x: &x, n_rows: 4, n_features: 1 };
        let task = Task::Regression { y: &y, loss: RegressionLoss::SquaredError };
        let tree = Tree::fit(features, task, Some(&[1.0, 0.0, 1.0, 1.0]), &params(), &mut RandomState::new(0));
        assert_eq!(tree.nodes[0].n_node_samples, 3);
        assert_eq!(tree.predict(&[1.0]), &[0.0]);
    }

    #[test]
    fn max_leaf_nodes_grows_best_first() {
        let x: Vec<f32> = (0..32).map(|i| i as f32).collect();
        let y: Vec<f64> = (0..32)
            .map(|i| {
                if i < 8 {
                    0.0
                } else if i < 16 {
                    1.0
                } else {
                    50.0
                }
            })
            .collect();
        let features = Features { x: &x, n_rows: 32, n_features: 1 };
        let task = Task::Regression { y: &y, loss: RegressionLoss::SquaredError };
        let p = TreeParams { max_leaf_nodes: Some(3), ..params() };
        let tree = Tree::fit(features, task, None, &p, &mut RandomState::new(0));
        assert_eq!(tree.n_leaves(), 3);
        assert_eq!(tree.nodes[0].threshold, 15.5);
    }

    #[test]
    fn pruning_cuts_the_weakest_link_first() {
        // Two clear groups, each with a little noise the full tree fits.
        let x: Vec<f32> = (0..8).map(|i| i as f32).collect();
        let y = [0.0, 0.1, 0.0, 0.1, 10.0, 10.1, 10.0, 10.1];
        let features = Features { x: &x, n_rows: 8, n_features: 1 };
        let task = Task::Regression { y: &y, loss: RegressionLoss::SquaredError };
        let full = Tree::fit(features, task, None, &params(), &mut RandomState::new(0));
        let p = TreeParams { ccp_alpha: 0.01, ..params() };
        let pruned = Tree::fit(features, task, None, &p, &mut RandomState::new(0));
        assert!(full.n_leaves() > 2);
        assert_eq!((pruned.n_leaves(), pruned.max_depth), (2, 1));
        assert_eq!(pruned.predict(&[0.0]), &[0.05]);
    }
}
