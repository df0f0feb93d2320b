//! Tuna's own CART classification tree, following scikit-learn's `BestSplitter`.
//!
//! smartcore's classification tree skips a threshold whenever the rows on both
//! sides of it end and start with the same class, which misses the best split
//! when a repeated value holds several classes (it gave other trees than
//! scikit-learn's on the wine data), and its probabilities are one-hot. This
//! tree evaluates every threshold between distinct values, as scikit-learn
//! does, and its leaves keep class fractions, so `predict_proba` means what
//! scikit-learn's means. Features are visited in column order (scikit-learn
//! visits them in a seeded random order), so only tied splits can differ.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Values closer than this count as equal, as scikit-learn's `FEATURE_THRESHOLD`.
const FEATURE_THRESHOLD: f64 = 1e-7;

/// Split quality.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Impurity {
    Gini,
    Entropy,
}

impl Impurity {
    fn of(self, counts: &[f64], total: f64) -> f64 {
        match self {
            Impurity::Gini => 1.0 - counts.iter().map(|c| (c / total).powi(2)).sum::<f64>(),
            Impurity::Entropy => {
                -counts.iter().filter(|c| **c > 0.0).map(|c| (c / total) * (c / total).log2()).sum::<f64>()
            }
        }
    }
}

/// Tree settings with scikit-learn's meanings (`max_depth`: root is depth 0).
#[derive(Debug, Clone)]
pub(crate) struct TreeSettings {
    pub impurity: Impurity,
    pub max_depth: Option<usize>,
    pub min_samples_split: usize,
    pub min_samples_leaf: usize,
    /// Features to try per split; with fewer than all, they are drawn at random.
    pub max_features: usize,
    pub seed: u64,
}

#[derive(Debug, Clone)]
enum Node {
    Leaf { proba: Vec<f64> },
    Split { feature: usize, threshold: f64, left: usize, right: usize },
}

/// A fitted tree over class codes `0..n_classes`.
#[derive(Debug, Clone)]
pub(crate) struct ClassificationTree {
    nodes: Vec<Node>,
}

/// Training data for one tree: column-major features (`columns[f * n + i]`,
/// `n` rows), class codes, row weights (bootstrap counts in a forest, 1
/// otherwise).
pub(crate) struct TreeData<'a> {
    pub columns: &'a [f64],
    pub p: usize,
    pub codes: &'a [usize],
    pub weights: &'a [f64],
    pub n_classes: usize,
}

impl TreeData<'_> {
    fn value(&self, feature: usize, row: u32) -> f64 {
        self.columns[feature * self.codes.len() + row as usize]
    }
}

/// A node's rows, once per feature, each list sorted by that feature's value.
/// The root's lists are sorted once per tree; a split then partitions every
/// list in order, so no node sorts again (scikit-learn sorts at every node).
type SortedRows = Vec<Vec<u32>>;

impl ClassificationTree {
    /// Grows a tree on the rows with non-zero weight.
    pub(crate) fn fit(data: &TreeData, settings: &TreeSettings) -> ClassificationTree {
        let n = data.codes.len();
        let rows: Vec<u32> = (0..n as u32).filter(|&i| data.weights[i as usize] > 0.0).collect();
        let sorted: SortedRows = (0..data.p)
            .map(|f| {
                let mut order = rows.clone();
                order.sort_by(|&a, &b| data.value(f, a).total_cmp(&data.value(f, b)));
                order
            })
            .collect();
        let mut tree = ClassificationTree { nodes: Vec::new() };
        let mut rng = ChaCha8Rng::seed_from_u64(settings.seed);
        let mut goes_left = vec![false; n];
        tree.grow(data, settings, sorted, 0, &mut rng, &mut goes_left);
        tree
    }

    /// Adds the subtree for the rows in `sorted` and returns its node index.
    fn grow(
        &mut self,
        data: &TreeData,
        s: &TreeSettings,
        sorted: SortedRows,
        depth: usize,
        rng: &mut ChaCha8Rng,
        goes_left: &mut [bool],
    ) -> usize {
        let rows: &[u32] = sorted.first().map_or(&[], Vec::as_slice);
        let counts = class_counts(data, rows);
        let total: f64 = counts.iter().sum();
        let impurity = s.impurity.of(&counts, total);
        let index = self.nodes.len();
        self.nodes.push(Node::Leaf { proba: counts.iter().map(|c| c / total).collect() });
        let n = rows.len();
        let is_leaf = s.max_depth.is_some_and(|d| depth >= d)
            || n < s.min_samples_split
            || n < 2 * s.min_samples_leaf
            || impurity <= f64::EPSILON;
        if is_leaf {
            return index;
        }
        let Some((feature, threshold)) = self.best_split(data, s, &sorted, &counts, rng) else {
            return index;
        };
        for &i in rows {
            goes_left[i as usize] = data.value(feature, i) <= threshold;
        }
        let (left, right): (SortedRows, SortedRows) =
            sorted.into_iter().map(|list| list.into_iter().partition(|&i| goes_left[i as usize])).unzip();
        let left = self.grow(data, s, left, depth + 1, rng, goes_left);
        let right = self.grow(data, s, right, depth + 1, rng, goes_left);
        self.nodes[index] = Node::Split { feature, threshold, left, right };
        index
    }

    /// The split with the largest impurity decrease (scikit-learn's proxy:
    /// `-(w_left * impurity_left + w_right * impurity_right)`), first one on ties.
    fn best_split(
        &self,
        data: &TreeData,
        s: &TreeSettings,
        sorted: &[Vec<u32>],
        counts: &[f64],
        rng: &mut ChaCha8Rng,
    ) -> Option<(usize, f64)> {
        let mut features: Vec<usize> = (0..data.p).collect();
        let random_subset = s.max_features < data.p;
        let mut best: Option<(f64, usize, f64)> = None;
        let mut visited = 0;
        let total: f64 = counts.iter().sum();
        let mut left = vec![0.0; data.n_classes];
        let mut right = vec![0.0; data.n_classes];
        for k in 0..data.p {
            if random_subset {
                if visited >= s.max_features {
                    break;
                }
                let j = rng.random_range(k..data.p);
                features.swap(k, j);
            }
            let f = features[k];
            let rows = &sorted[f];
            let value = |pos: usize| data.value(f, rows[pos]);
            if value(rows.len() - 1) <= value(0) + FEATURE_THRESHOLD {
                continue; // constant here: does not count towards max_features
            }
            visited += 1;
            left.fill(0.0);
            let mut left_weight = 0.0;
            for pos in 1..rows.len() {
                let prev = rows[pos - 1] as usize;
                let (a, b) = (value(pos - 1), value(pos));
                left[data.codes[prev]] += data.weights[prev];
                left_weight += data.weights[prev];
                if b <= a + FEATURE_THRESHOLD {
                    continue;
                }
                if pos < s.min_samples_leaf || rows.len() - pos < s.min_samples_leaf {
                    continue;
                }
                for ((r, c), l) in right.iter_mut().zip(counts).zip(&left) {
                    *r = c - l;
                }
                let right_weight = total - left_weight;
                let proxy = -(left_weight * s.impurity.of(&left, left_weight)
                    + right_weight * s.impurity.of(&right, right_weight));
                if best.is_none_or(|(b, _, _)| proxy > b) {
                    let mut threshold = a / 2.0 + b / 2.0;
                    if threshold == b || threshold.is_infinite() {
                        threshold = a;
                    }
                    best = Some((proxy, f, threshold));
                }
            }
        }
        best.map(|(_, f, t)| (f, t))
    }

    /// Class probabilities for one row: the leaf's class fractions.
    pub(crate) fn predict_proba(&self, row: &[f64]) -> &[f64] {
        let mut node = 0;
        loop {
            match &self.nodes[node] {
                Node::Leaf { proba } => return proba,
                Node::Split { feature, threshold, left, right } => {
                    node = if row[*feature] <= *threshold { *left } else { *right };
                }
            }
        }
    }
}

fn class_counts(data: &TreeData, rows: &[u32]) -> Vec<f64> {
    let mut counts = vec![0.0; data.n_classes];
    for &i in rows {
        counts[data.codes[i as usize]] += data.weights[i as usize];
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> TreeSettings {
        TreeSettings {
            impurity: Impurity::Gini,
            max_depth: Some(1),
            min_samples_split: 2,
            min_samples_leaf: 1,
            max_features: 1,
            seed: 0,
        }
    }

    #[test]
    fn splits_at_the_midpoint_and_keeps_fractions() {
        let x = [1.0, 2.0, 3.0, 4.0];
        let codes = [0, 0, 1, 1];
        let data = TreeData { columns: &x, p: 1, codes: &codes, weights: &[1.0; 4], n_classes: 2 };
        let tree = ClassificationTree::fit(&data, &settings());
        assert_eq!(tree.predict_proba(&[2.5]), &[1.0, 0.0]);
        assert_eq!(tree.predict_proba(&[2.6]), &[0.0, 1.0]);
    }

    #[test]
    fn a_repeated_value_with_mixed_classes_is_still_a_candidate() {
        // Sorted: (1,a) (2,b) (2,a) (3,a) (3,a): the best cut is between 2 and 3,
        // after a run of equal values whose last row has the next row's class.
        let x = [1.0, 2.0, 2.0, 3.0, 3.0, 3.0];
        let codes = [0, 1, 1, 0, 0, 0];
        let data = TreeData { columns: &x, p: 1, codes: &codes, weights: &[1.0; 6], n_classes: 2 };
        let tree = ClassificationTree::fit(&data, &settings());
        assert_eq!(tree.predict_proba(&[3.0]), &[1.0, 0.0]);
        assert_eq!(tree.predict_proba(&[2.0]), &[1.0 / 3.0, 2.0 / 3.0]);
    }
}
