//! The `absolute_error` criterion: a node predicts its weighted median and a
//! split is scored by the weighted absolute deviations of its two sides.
//!
//! Computed as scikit-learn 1.9 computes it (its `MAE` criterion), because the
//! roundings decide between splits that tie: each reset ranks the node's
//! targets with the same sort the splitter uses, then walks the rows once
//! forward and once backward, adding each to a Fenwick tree of weights and
//! weighted targets at its rank. After each row the tree finds the weighted
//! median of the rows seen so far and their absolute error, from prefix sums:
//! `Σ_{y ≥ m} w (y − m) + Σ_{y < m} w (m − y)`. The forward walk gives every
//! left side's error, the backward walk every right side's, so moving the
//! split position costs only its weights.

use super::criterion::{Criterion, Weights};
use super::sort::sort;

/// Prefix sums of weights and of weighted targets over ranks, with the
/// search for the rank where the cumulative weight crosses a target.
struct FenwickTree {
    /// 1-based: `w[k]` and `wy[k]` hold the sums of their Fenwick ranges.
    w: Vec<f64>,
    wy: Vec<f64>,
    size: usize,
    /// The highest power of two not above `size`.
    max_pow2: usize,
    total_w: f64,
    total_wy: f64,
}

/// What a search found: prefix sums before the median rank, and that rank.
struct Crossing {
    /// Smallest rank whose cumulative weight exceeds the target.
    rank: usize,
    /// When the target is reached exactly, the rank that reaches it; else `rank`.
    prev_rank: usize,
    /// Weight and weighted targets of the ranks before `rank`.
    w_left: f64,
    wy_left: f64,
}

impl FenwickTree {
    fn new(capacity: usize) -> Self {
        FenwickTree {
            w: vec![0.0; capacity + 1],
            wy: vec![0.0; capacity + 1],
            size: 0,
            max_pow2: 0,
            total_w: 0.0,
            total_wy: 0.0,
        }
    }

    fn reset(&mut self, size: usize) {
        self.size = size;
        self.w[..=size].fill(0.0);
        self.wy[..=size].fill(0.0);
        self.total_w = 0.0;
        self.total_wy = 0.0;
        self.max_pow2 = if size == 0 { 0 } else { 1 << size.ilog2() };
    }

    /// Adds weight `w` of target `y` at 0-based `rank`.
    fn add(&mut self, rank: usize, y: f64, w: f64) {
        let wy = w * y;
        let mut k = rank + 1;
        while k <= self.size {
            self.w[k] += w;
            self.wy[k] += wy;
            k += k & k.wrapping_neg();
        }
        self.total_w += w;
        self.total_wy += wy;
    }

    /// Walks down the tree to where the cumulative weight crosses `target`,
    /// with scikit-learn's handling of a cumulative weight equal to it.
    fn search(&self, target: f64) -> Crossing {
        let (mut current, mut remaining) = (0, target);
        let (mut w_left, mut wy_left) = (0.0, 0.0);
        let mut bit = self.max_pow2;
        let mut equal_bit = None;
        while bit != 0 {
            let next = current + bit;
            if next <= self.size {
                let node = self.w[next];
                if remaining == node {
                    equal_bit = Some(bit);
                    break;
                } else if remaining > node {
                    remaining -= node;
                    current = next;
                    w_left += node;
                    wy_left += self.wy[next];
                }
            }
            bit >>= 1;
        }
        let Some(equal_bit) = equal_bit else {
            return Crossing { rank: current, prev_rank: current, w_left, wy_left };
        };
        // The cumulative weight equals the target: the median is the midpoint of
        // the rank that reaches it and the next rank with weight.
        let (mut prev, mut rest) = (current, remaining);
        let mut b = equal_bit;
        while b != 0 {
            let next = prev + b;
            if next <= self.size && rest > self.w[next] {
                rest -= self.w[next];
                prev = next;
            }
            b >>= 1;
        }
        let (mut rest, mut b) = (remaining, equal_bit);
        while b != 0 {
            let next = current + b;
            if next <= self.size && rest >= self.w[next] {
                rest -= self.w[next];
                current = next;
                w_left += self.w[next];
                wy_left += self.wy[next];
            }
            b >>= 1;
        }
        Crossing { rank: current, prev_rank: prev, w_left, wy_left }
    }
}

/// scikit-learn's `MAE` criterion over one tree's rows.
pub(super) struct AbsoluteError<'a> {
    y: &'a [f64],
    sample_weight: Option<&'a [f64]>,
    start: usize,
    end: usize,
    pos: usize,
    weights: Weights,
    /// By position in `samples`: the absolute error of `samples[start..=p]`
    /// (left) and of `samples[p..end]` (right).
    left_abs_errors: Vec<f64>,
    right_abs_errors: Vec<f64>,
    /// By position: the rank of the row's target among the node's.
    ranks: Vec<usize>,
    /// The node's targets in ascending order, with their node-local positions.
    sorted_y: Vec<(f64, u32)>,
    fenwick: FenwickTree,
    node_median: f64,
}

impl<'a> AbsoluteError<'a> {
    pub(super) fn new(y: &'a [f64], sample_weight: Option<&'a [f64]>) -> Self {
        let n = y.len();
        AbsoluteError {
            y,
            sample_weight,
            start: 0,
            end: 0,
            pos: 0,
            weights: Weights::default(),
            left_abs_errors: vec![0.0; n],
            right_abs_errors: vec![0.0; n],
            ranks: vec![0; n],
            sorted_y: vec![(0.0, 0); n],
            fenwick: FenwickTree::new(n),
            node_median: 0.0,
        }
    }

    fn weight(&self, i: usize) -> f64 {
        self.sample_weight.map_or(1.0, |w| w[i])
    }

    /// Adds the rows at `positions` one by one; after each, stores the absolute
    /// error of the rows added so far at its position. Returns the last median.
    fn walk(&mut self, samples: &[usize], positions: impl Iterator<Item = usize>, forward: bool) -> f64 {
        self.fenwick.reset(self.end - self.start);
        let mut median = 0.0;
        for p in positions {
            let i = samples[p];
            let rank = self.ranks[p];
            self.fenwick.add(rank, self.sorted_y[rank].0, self.weight(i));
            let crossing = self.fenwick.search(0.5 * self.fenwick.total_w);
            median = if crossing.rank != crossing.prev_rank {
                (self.sorted_y[crossing.prev_rank].0 + self.sorted_y[crossing.rank].0) / 2.0
            } else {
                self.sorted_y[crossing.rank].0
            };
            let w_right = self.fenwick.total_w - crossing.w_left;
            let wy_right = self.fenwick.total_wy - crossing.wy_left;
            let error = (wy_right - median * w_right) + (median * crossing.w_left - crossing.wy_left);
            let errors = if forward { &mut self.left_abs_errors } else { &mut self.right_abs_errors };
            errors[p] += error;
        }
        median
    }
}

impl Criterion for AbsoluteError<'_> {
    fn init(&mut self, samples: &[usize], start: usize, end: usize, weighted_n_samples: f64) {
        (self.start, self.end) = (start, end);
        self.weights.samples = weighted_n_samples;
        self.weights.node = samples[start..end].iter().fold(0.0, |s, &i| s + self.weight(i));
        self.reset(samples);
    }

    fn reset(&mut self, samples: &[usize]) {
        let (start, end) = (self.start, self.end);
        self.weights.left = 0.0;
        self.weights.right = self.weights.node;
        self.pos = start;
        self.left_abs_errors[start..end].fill(0.0);
        self.right_abs_errors[start..end].fill(0.0);
        let n = end - start;
        for (local, (pair, &i)) in self.sorted_y[..n].iter_mut().zip(&samples[start..end]).enumerate() {
            *pair = (self.y[i], local as u32);
        }
        sort(&mut self.sorted_y[..n]);
        for (rank, &(_, local)) in self.sorted_y[..n].iter().enumerate() {
            self.ranks[start + local as usize] = rank;
        }
        self.walk(samples, start..end, true);
        // The backward walk ends with every row added: the node's median.
        self.node_median = self.walk(samples, (start..end).rev(), false);
    }

    fn update(&mut self, samples: &[usize], new_pos: usize) {
        for &i in &samples[self.pos..new_pos] {
            self.weights.left += self.weight(i);
        }
        self.weights.right = self.weights.node - self.weights.left;
        self.pos = new_pos;
    }

    fn node_impurity(&self, _samples: &[usize]) -> f64 {
        self.right_abs_errors[self.start] / self.weights.node
    }

    fn children_impurity(&self, _samples: &[usize]) -> (f64, f64) {
        let left = if self.pos > self.start { self.left_abs_errors[self.pos - 1] } else { 0.0 };
        let right = if self.pos < self.end { self.right_abs_errors[self.pos] } else { 0.0 };
        (left / self.weights.left, right / self.weights.right)
    }

    fn node_value(&self, dest: &mut [f64]) {
        dest[0] = self.node_median;
    }

    fn weights(&self) -> &Weights {
        &self.weights
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The weighted median and absolute error of `(y, w)` pairs, by brute force.
    fn brute(rows: &[(f64, f64)]) -> (f64, f64) {
        let mut sorted = rows.to_vec();
        sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
        let half = sorted.iter().map(|r| r.1).sum::<f64>() / 2.0;
        let mut cumulative = 0.0;
        let mut median = f64::NAN;
        for (k, &(y, w)) in sorted.iter().enumerate() {
            cumulative += w;
            if cumulative == half {
                let next = sorted[k + 1..].iter().find(|r| r.1 > 0.0).unwrap().0;
                median = (y + next) / 2.0;
                break;
            }
            if cumulative > half {
                median = y;
                break;
            }
        }
        (median, rows.iter().map(|(y, w)| w * (y - median).abs()).sum())
    }

    #[test]
    fn every_side_has_its_weighted_median_and_absolute_error() {
        let y = [3.0, -1.0, 2.0, 2.0, 10.0, 0.5, 7.0, 2.0, -4.0];
        let w = [1.0, 2.0, 1.0, 3.0, 1.0, 1.0, 2.0, 1.0, 1.0];
        let samples: Vec<usize> = (0..y.len()).collect();
        let mut criterion = AbsoluteError::new(&y, Some(&w));
        criterion.init(&samples, 0, y.len(), w.iter().sum());
        let rows: Vec<(f64, f64)> = y.iter().copied().zip(w.iter().copied()).collect();
        assert_eq!(criterion.node_median, brute(&rows).0);
        for pos in 1..y.len() {
            criterion.reset(&samples);
            criterion.update(&samples, pos);
            let (left, right) = criterion.children_impurity(&samples);
            let (wl, wr) = (criterion.weights.left, criterion.weights.right);
            assert!((left * wl - brute(&rows[..pos]).1).abs() < 1e-12, "left of {pos}");
            assert!((right * wr - brute(&rows[pos..]).1).abs() < 1e-12, "right of {pos}");
        }
    }

    #[test]
    fn an_even_split_of_weight_takes_the_midpoint() {
        let y = [1.0, 4.0];
        let samples = [0, 1];
        let mut criterion = AbsoluteError::new(&y, None);
        criterion.init(&samples, 0, 2, 2.0);
        assert_eq!(criterion.node_median, 2.5);
        assert_eq!(criterion.node_impurity(&samples), 1.5);
    }
}
