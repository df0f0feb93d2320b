//! Split criteria, computed as scikit-learn computes them, operation for
//! operation: the same sums in the same order (forward from the node's start,
//! or backward from its end when that is shorter), the same proxy for the
//! search and the same impurity for the tree. A split scikit-learn prefers by
//! one rounding error is the split Tuna prefers.
//!
//! What moves between a node's two sides is the same for every criterion
//! (`Sides`); what is summed per row is a weighted target for regression
//! (`Values`) and a weighted class count for classification (`Counts`).

use std::f64::consts::LN_2;

/// Weighted sample counts of the node being split and of its two sides.
#[derive(Debug, Clone, Default)]
pub(super) struct Weights {
    /// Total weight of the tree's samples.
    pub samples: f64,
    pub node: f64,
    pub left: f64,
    pub right: f64,
}

/// The node under evaluation: `samples[start..end]`, split at `pos`.
#[derive(Debug, Clone, Copy, Default)]
struct Span {
    start: usize,
    end: usize,
    pos: usize,
}

/// A split criterion over the rows `samples[start..end]` of one node.
pub(super) trait Criterion {
    /// Starts a node: totals over `samples[start..end]`, split position at `start`.
    fn init(&mut self, samples: &[usize], start: usize, end: usize, weighted_n_samples: f64);
    /// Moves the split position back to the node's start, for rows now in
    /// `samples[start..end]`'s order (the absolute-error criterion depends on it).
    fn reset(&mut self, samples: &[usize]);
    /// Moves `samples[pos..new_pos]` to the left side.
    fn update(&mut self, samples: &[usize], new_pos: usize);
    fn node_impurity(&self, samples: &[usize]) -> f64;
    /// Impurities of the left and right sides at the current position.
    fn children_impurity(&self, samples: &[usize]) -> (f64, f64);
    /// A quantity that orders splits like the impurity decrease, cheaper to compute.
    fn proxy_impurity_improvement(&self, samples: &[usize]) -> f64 {
        let (left, right) = self.children_impurity(samples);
        let w = self.weights();
        -w.right * right - w.left * left
    }
    /// The node's prediction: a mean, or class fractions (one value per class).
    fn node_value(&self, dest: &mut [f64]);
    fn weights(&self) -> &Weights;

    /// The weighted impurity decrease of the split, as scikit-learn reports it.
    fn impurity_improvement(&self, parent: f64, left: f64, right: f64) -> f64 {
        let w = self.weights();
        (w.node / w.samples) * (parent - (w.right / w.node * right) - (w.left / w.node * left))
    }
}

/// scikit-learn's `log` in its tree code: base 2, as `ln(x) / ln(2)`.
fn log2(x: f64) -> f64 {
    // Correctly rounded on every target, so native and wasm32 round alike and
    // agree with glibc's `log` (scikit-learn's) on all but rare inputs.
    pxfm::f_log(x) / LN_2
}

fn weight_of(weights: Option<&[f64]>, i: usize) -> f64 {
    weights.map_or(1.0, |w| w[i])
}

/// What a criterion adds up per row.
trait Tally {
    /// One side's sums.
    type Sums: Clone;
    /// Sets every sum to 0.
    fn clear(sums: &mut Self::Sums);
    /// Adds row `i` with weight `w`.
    fn add(&self, sums: &mut Self::Sums, i: usize, w: f64);
    /// Takes row `i` with weight `w` away.
    fn remove(&self, sums: &mut Self::Sums, i: usize, w: f64);
    /// `total - left`, into `right`.
    fn rest(total: &Self::Sums, left: &Self::Sums, right: &mut Self::Sums);
}

/// Weighted targets: `Σ w·y`.
struct Values<'a> {
    y: &'a [f64],
}

impl Tally for Values<'_> {
    type Sums = f64;

    fn clear(sums: &mut f64) {
        *sums = 0.0;
    }

    fn add(&self, sums: &mut f64, i: usize, w: f64) {
        *sums += w * self.y[i];
    }

    fn remove(&self, sums: &mut f64, i: usize, w: f64) {
        *sums -= w * self.y[i];
    }

    fn rest(total: &f64, left: &f64, right: &mut f64) {
        *right = total - left;
    }
}

/// Weighted class counts: `Σ w` per class code.
struct Counts<'a> {
    codes: &'a [u32],
}

impl Tally for Counts<'_> {
    type Sums = Vec<f64>;

    fn clear(sums: &mut Vec<f64>) {
        sums.fill(0.0);
    }

    fn add(&self, sums: &mut Vec<f64>, i: usize, w: f64) {
        sums[self.codes[i] as usize] += w;
    }

    fn remove(&self, sums: &mut Vec<f64>, i: usize, w: f64) {
        sums[self.codes[i] as usize] -= w;
    }

    fn rest(total: &Vec<f64>, left: &Vec<f64>, right: &mut Vec<f64>) {
        for ((r, t), l) in right.iter_mut().zip(total).zip(left) {
            *r = t - l;
        }
    }
}

/// A node's sums and the sums of its two sides at the split position, moved
/// as scikit-learn's criteria move them.
struct Sides<'a, T: Tally> {
    tally: T,
    sample_weight: Option<&'a [f64]>,
    span: Span,
    weights: Weights,
    total: T::Sums,
    left: T::Sums,
    right: T::Sums,
}

impl<'a, T: Tally> Sides<'a, T> {
    fn new(tally: T, zero: T::Sums, sample_weight: Option<&'a [f64]>) -> Self {
        Sides {
            tally,
            sample_weight,
            span: Span::default(),
            weights: Weights::default(),
            total: zero.clone(),
            left: zero.clone(),
            right: zero,
        }
    }

    fn init(&mut self, samples: &[usize], start: usize, end: usize, weighted_n_samples: f64) {
        self.span = Span { start, end, pos: start };
        self.weights.samples = weighted_n_samples;
        self.weights.node = 0.0;
        T::clear(&mut self.total);
        for &i in &samples[start..end] {
            let w = weight_of(self.sample_weight, i);
            self.tally.add(&mut self.total, i, w);
            self.weights.node += w;
        }
        self.reset();
    }

    fn reset(&mut self) {
        self.span.pos = self.span.start;
        T::clear(&mut self.left);
        self.right.clone_from(&self.total);
        self.weights.left = 0.0;
        self.weights.right = self.weights.node;
    }

    fn reverse_reset(&mut self) {
        self.span.pos = self.span.end;
        T::clear(&mut self.right);
        self.left.clone_from(&self.total);
        self.weights.right = 0.0;
        self.weights.left = self.weights.node;
    }

    fn update(&mut self, samples: &[usize], new_pos: usize) {
        let Span { pos, end, .. } = self.span;
        if new_pos - pos <= end - new_pos {
            for &i in &samples[pos..new_pos] {
                let w = weight_of(self.sample_weight, i);
                self.tally.add(&mut self.left, i, w);
                self.weights.left += w;
            }
        } else {
            self.reverse_reset();
            for &i in samples[new_pos..end].iter().rev() {
                let w = weight_of(self.sample_weight, i);
                self.tally.remove(&mut self.left, i, w);
                self.weights.left -= w;
            }
        }
        self.weights.right = self.weights.node - self.weights.left;
        T::rest(&self.total, &self.left, &mut self.right);
        self.span.pos = new_pos;
    }
}

/// Regression criteria.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum RegressionLoss {
    /// `squared_error` (and `friedman_mse`, which scikit-learn 1.9 maps to it).
    SquaredError,
    /// `poisson`: half the Poisson deviance.
    Poisson,
    /// `absolute_error`: leaves predict a median (`super::absolute_error`).
    AbsoluteError,
}

/// The criteria whose leaves predict a mean: sums of `w·y` over a node and
/// its sides, and of `w·y²` over the node.
pub(super) struct Regression<'a> {
    /// `poisson` rather than `squared_error`.
    poisson: bool,
    y: &'a [f64],
    sides: Sides<'a, Values<'a>>,
    sq_sum_total: f64,
}

/// scikit-learn's floor for a Poisson side's sum of targets.
const POISSON_EPSILON: f64 = 10.0 * f64::EPSILON;

impl<'a> Regression<'a> {
    pub(super) fn new(poisson: bool, y: &'a [f64], sample_weight: Option<&'a [f64]>) -> Self {
        Regression { poisson, y, sides: Sides::new(Values { y }, 0.0, sample_weight), sq_sum_total: 0.0 }
    }

    /// Half Poisson deviance of `samples[start..end]` with mean `y_sum / weight_sum`.
    fn poisson_loss(&self, samples: &[usize], start: usize, end: usize, y_sum: f64, weight_sum: f64) -> f64 {
        if y_sum <= POISSON_EPSILON {
            return f64::INFINITY;
        }
        let y_mean = y_sum / weight_sum;
        let mut loss = 0.0;
        for &i in &samples[start..end] {
            loss += weight_of(self.sides.sample_weight, i) * xlogy(self.y[i], self.y[i] / y_mean);
        }
        loss / weight_sum
    }
}

/// scipy's `xlogy`: `x · ln(y)`, and 0 when `x` is 0.
fn xlogy(x: f64, y: f64) -> f64 {
    if x == 0.0 && !y.is_nan() { 0.0 } else { x * pxfm::f_log(y) }
}

impl Criterion for Regression<'_> {
    fn init(&mut self, samples: &[usize], start: usize, end: usize, weighted_n_samples: f64) {
        self.sides.init(samples, start, end, weighted_n_samples);
        self.sq_sum_total = 0.0;
        for &i in &samples[start..end] {
            let y = self.y[i];
            self.sq_sum_total += weight_of(self.sides.sample_weight, i) * y * y;
        }
    }

    fn reset(&mut self, _samples: &[usize]) {
        self.sides.reset();
    }

    fn update(&mut self, samples: &[usize], new_pos: usize) {
        self.sides.update(samples, new_pos);
    }

    fn node_impurity(&self, samples: &[usize]) -> f64 {
        let (w, sum) = (self.sides.weights.node, self.sides.total);
        if self.poisson {
            self.poisson_loss(samples, self.sides.span.start, self.sides.span.end, sum, w)
        } else {
            self.sq_sum_total / w - (sum / w).powi(2)
        }
    }

    fn children_impurity(&self, samples: &[usize]) -> (f64, f64) {
        let Span { start, pos, end } = self.sides.span;
        let (wl, wr) = (self.sides.weights.left, self.sides.weights.right);
        let (sum_left, sum_right) = (self.sides.left, self.sides.right);
        if self.poisson {
            return (
                self.poisson_loss(samples, start, pos, sum_left, wl),
                self.poisson_loss(samples, pos, end, sum_right, wr),
            );
        }
        let mut sq_sum_left = 0.0;
        for &i in &samples[start..pos] {
            let y = self.y[i];
            sq_sum_left += weight_of(self.sides.sample_weight, i) * y * y;
        }
        let sq_sum_right = self.sq_sum_total - sq_sum_left;
        (sq_sum_left / wl - (sum_left / wl).powi(2), sq_sum_right / wr - (sum_right / wr).powi(2))
    }

    fn proxy_impurity_improvement(&self, _samples: &[usize]) -> f64 {
        let (wl, wr) = (self.sides.weights.left, self.sides.weights.right);
        let (sum_left, sum_right) = (self.sides.left, self.sides.right);
        if !self.poisson {
            return sum_left * sum_left / wl + sum_right * sum_right / wr;
        }
        if sum_left <= POISSON_EPSILON || sum_right <= POISSON_EPSILON {
            return f64::NEG_INFINITY;
        }
        let left = -(sum_left * log2(sum_left / wl));
        let right = -(sum_right * log2(sum_right / wr));
        -left - right
    }

    fn node_value(&self, dest: &mut [f64]) {
        dest[0] = self.sides.total / self.sides.weights.node;
    }

    fn weights(&self) -> &Weights {
        &self.sides.weights
    }
}

/// Classification criteria.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Impurity {
    /// `gini`.
    Gini,
    /// `entropy` and `log_loss` (the same criterion in scikit-learn).
    Entropy,
}

impl Impurity {
    /// Impurity of weighted class counts summing to `total`.
    fn of(self, counts: &[f64], total: f64) -> f64 {
        match self {
            Impurity::Gini => {
                let sq: f64 = counts.iter().fold(0.0, |s, c| s + c * c);
                1.0 - sq / (total * total)
            }
            Impurity::Entropy => counts.iter().filter(|c| **c > 0.0).fold(0.0, |e, c| {
                let p = c / total;
                e - p * log2(p)
            }),
        }
    }
}

/// Weighted class counts over a node and its two sides.
pub(super) struct Classification<'a> {
    impurity: Impurity,
    sides: Sides<'a, Counts<'a>>,
}

impl<'a> Classification<'a> {
    pub(super) fn new(
        impurity: Impurity,
        codes: &'a [u32],
        n_classes: usize,
        sample_weight: Option<&'a [f64]>,
    ) -> Self {
        Classification { impurity, sides: Sides::new(Counts { codes }, vec![0.0; n_classes], sample_weight) }
    }
}

impl Criterion for Classification<'_> {
    fn init(&mut self, samples: &[usize], start: usize, end: usize, weighted_n_samples: f64) {
        self.sides.init(samples, start, end, weighted_n_samples);
    }

    fn reset(&mut self, _samples: &[usize]) {
        self.sides.reset();
    }

    fn update(&mut self, samples: &[usize], new_pos: usize) {
        self.sides.update(samples, new_pos);
    }

    fn node_impurity(&self, _samples: &[usize]) -> f64 {
        self.impurity.of(&self.sides.total, self.sides.weights.node)
    }

    fn children_impurity(&self, _samples: &[usize]) -> (f64, f64) {
        let w = &self.sides.weights;
        (self.impurity.of(&self.sides.left, w.left), self.impurity.of(&self.sides.right, w.right))
    }

    fn node_value(&self, dest: &mut [f64]) {
        for (d, c) in dest.iter_mut().zip(&self.sides.total) {
            *d = c / self.sides.weights.node;
        }
    }

    fn weights(&self) -> &Weights {
        &self.sides.weights
    }
}
