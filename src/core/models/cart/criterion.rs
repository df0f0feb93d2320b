//! Split criteria, computed as scikit-learn computes them, operation for
//! operation: the same sums in the same order (forward from the node's start,
//! or backward from its end when that is shorter), the same proxy for the
//! search and the same impurity for the tree. A split scikit-learn prefers by
//! one rounding error is the split Tuna prefers.

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
    /// Moves the split position back to the node's start.
    fn reset(&mut self);
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
    // libm on every target, so native and wasm32 round alike.
    libm::log(x) / LN_2
}

fn weight_of(weights: Option<&[f64]>, i: usize) -> f64 {
    weights.map_or(1.0, |w| w[i])
}

/// Regression criteria.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum RegressionLoss {
    /// `squared_error` (and `friedman_mse`, which scikit-learn 1.9 maps to it).
    SquaredError,
    /// `poisson`: half the Poisson deviance.
    Poisson,
}

/// Sums of `w·y` and `w·y²` over a node and its left side.
pub(super) struct Regression<'a> {
    loss: RegressionLoss,
    y: &'a [f64],
    sample_weight: Option<&'a [f64]>,
    span: Span,
    weights: Weights,
    sum_total: f64,
    sq_sum_total: f64,
    sum_left: f64,
    sum_right: f64,
}

/// scikit-learn's floor for a Poisson side's sum of targets.
const POISSON_EPSILON: f64 = 10.0 * f64::EPSILON;

impl<'a> Regression<'a> {
    pub(super) fn new(loss: RegressionLoss, y: &'a [f64], sample_weight: Option<&'a [f64]>) -> Self {
        Regression {
            loss,
            y,
            sample_weight,
            span: Span::default(),
            weights: Weights::default(),
            sum_total: 0.0,
            sq_sum_total: 0.0,
            sum_left: 0.0,
            sum_right: 0.0,
        }
    }

    fn reverse_reset(&mut self) {
        self.span.pos = self.span.end;
        self.sum_right = 0.0;
        self.sum_left = self.sum_total;
        self.weights.right = 0.0;
        self.weights.left = self.weights.node;
    }

    /// Half Poisson deviance of `samples[start..end]` with mean `y_sum / weight_sum`.
    fn poisson_loss(&self, samples: &[usize], start: usize, end: usize, y_sum: f64, weight_sum: f64) -> f64 {
        if y_sum <= POISSON_EPSILON {
            return f64::INFINITY;
        }
        let y_mean = y_sum / weight_sum;
        let mut loss = 0.0;
        for &i in &samples[start..end] {
            loss += weight_of(self.sample_weight, i) * xlogy(self.y[i], self.y[i] / y_mean);
        }
        loss / weight_sum
    }
}

/// scipy's `xlogy`: `x · ln(y)`, and 0 when `x` is 0.
fn xlogy(x: f64, y: f64) -> f64 {
    if x == 0.0 && !y.is_nan() { 0.0 } else { x * libm::log(y) }
}

impl Criterion for Regression<'_> {
    fn init(&mut self, samples: &[usize], start: usize, end: usize, weighted_n_samples: f64) {
        self.span = Span { start, end, pos: start };
        self.weights.samples = weighted_n_samples;
        self.weights.node = 0.0;
        self.sum_total = 0.0;
        self.sq_sum_total = 0.0;
        for &i in &samples[start..end] {
            let w = weight_of(self.sample_weight, i);
            let y = self.y[i];
            let wy = w * y;
            self.sum_total += wy;
            self.sq_sum_total += wy * y;
            self.weights.node += w;
        }
        self.reset();
    }

    fn reset(&mut self) {
        self.span.pos = self.span.start;
        self.sum_left = 0.0;
        self.sum_right = self.sum_total;
        self.weights.left = 0.0;
        self.weights.right = self.weights.node;
    }

    fn update(&mut self, samples: &[usize], new_pos: usize) {
        let Span { pos, end, .. } = self.span;
        if new_pos - pos <= end - new_pos {
            for &i in &samples[pos..new_pos] {
                let w = weight_of(self.sample_weight, i);
                self.sum_left += w * self.y[i];
                self.weights.left += w;
            }
        } else {
            self.reverse_reset();
            for &i in samples[new_pos..end].iter().rev() {
                let w = weight_of(self.sample_weight, i);
                self.sum_left -= w * self.y[i];
                self.weights.left -= w;
            }
        }
        self.weights.right = self.weights.node - self.weights.left;
        self.sum_right = self.sum_total - self.sum_left;
        self.span.pos = new_pos;
    }

    fn node_impurity(&self, samples: &[usize]) -> f64 {
        let w = self.weights.node;
        match self.loss {
            RegressionLoss::SquaredError => self.sq_sum_total / w - (self.sum_total / w).powi(2),
            RegressionLoss::Poisson => self.poisson_loss(samples, self.span.start, self.span.end, self.sum_total, w),
        }
    }

    fn children_impurity(&self, samples: &[usize]) -> (f64, f64) {
        let Span { start, pos, end } = self.span;
        let (wl, wr) = (self.weights.left, self.weights.right);
        match self.loss {
            RegressionLoss::SquaredError => {
                let mut sq_sum_left = 0.0;
                for &i in &samples[start..pos] {
                    let y = self.y[i];
                    sq_sum_left += weight_of(self.sample_weight, i) * y * y;
                }
                let sq_sum_right = self.sq_sum_total - sq_sum_left;
                let left = sq_sum_left / wl - (self.sum_left / wl).powi(2);
                let right = sq_sum_right / wr - (self.sum_right / wr).powi(2);
                (left, right)
            }
            RegressionLoss::Poisson => (
                self.poisson_loss(samples, start, pos, self.sum_left, wl),
                self.poisson_loss(samples, pos, end, self.sum_right, wr),
            ),
        }
    }

    fn proxy_impurity_improvement(&self, _samples: &[usize]) -> f64 {
        let (wl, wr) = (self.weights.left, self.weights.right);
        match self.loss {
            RegressionLoss::SquaredError => self.sum_left * self.sum_left / wl + self.sum_right * self.sum_right / wr,
            RegressionLoss::Poisson => {
                if self.sum_left <= POISSON_EPSILON || self.sum_right <= POISSON_EPSILON {
                    return f64::NEG_INFINITY;
                }
                let left = -(self.sum_left * log2(self.sum_left / wl));
                let right = -(self.sum_right * log2(self.sum_right / wr));
                -left - right
            }
        }
    }

    fn node_value(&self, dest: &mut [f64]) {
        dest[0] = self.sum_total / self.weights.node;
    }

    fn weights(&self) -> &Weights {
        &self.weights
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
    codes: &'a [u32],
    sample_weight: Option<&'a [f64]>,
    span: Span,
    weights: Weights,
    sum_total: Vec<f64>,
    sum_left: Vec<f64>,
    sum_right: Vec<f64>,
}

impl<'a> Classification<'a> {
    pub(super) fn new(
        impurity: Impurity,
        codes: &'a [u32],
        n_classes: usize,
        sample_weight: Option<&'a [f64]>,
    ) -> Self {
        Classification {
            impurity,
            codes,
            sample_weight,
            span: Span::default(),
            weights: Weights::default(),
            sum_total: vec![0.0; n_classes],
            sum_left: vec![0.0; n_classes],
            sum_right: vec![0.0; n_classes],
        }
    }

    fn reverse_reset(&mut self) {
        self.span.pos = self.span.end;
        self.sum_right.fill(0.0);
        self.sum_left.copy_from_slice(&self.sum_total);
        self.weights.right = 0.0;
        self.weights.left = self.weights.node;
    }
}

impl Criterion for Classification<'_> {
    fn init(&mut self, samples: &[usize], start: usize, end: usize, weighted_n_samples: f64) {
        self.span = Span { start, end, pos: start };
        self.weights.samples = weighted_n_samples;
        self.weights.node = 0.0;
        self.sum_total.fill(0.0);
        for &i in &samples[start..end] {
            let w = weight_of(self.sample_weight, i);
            self.sum_total[self.codes[i] as usize] += w;
            self.weights.node += w;
        }
        self.reset();
    }

    fn reset(&mut self) {
        self.span.pos = self.span.start;
        self.sum_left.fill(0.0);
        self.sum_right.copy_from_slice(&self.sum_total);
        self.weights.left = 0.0;
        self.weights.right = self.weights.node;
    }

    fn update(&mut self, samples: &[usize], new_pos: usize) {
        let Span { pos, end, .. } = self.span;
        if new_pos - pos <= end - new_pos {
            for &i in &samples[pos..new_pos] {
                let w = weight_of(self.sample_weight, i);
                self.sum_left[self.codes[i] as usize] += w;
                self.weights.left += w;
            }
        } else {
            self.reverse_reset();
            for &i in samples[new_pos..end].iter().rev() {
                let w = weight_of(self.sample_weight, i);
                self.sum_left[self.codes[i] as usize] -= w;
                self.weights.left -= w;
            }
        }
        self.weights.right = self.weights.node - self.weights.left;
        for ((r, t), l) in self.sum_right.iter_mut().zip(&self.sum_total).zip(&self.sum_left) {
            *r = t - l;
        }
        self.span.pos = new_pos;
    }

    fn node_impurity(&self, _samples: &[usize]) -> f64 {
        self.impurity.of(&self.sum_total, self.weights.node)
    }

    fn children_impurity(&self, _samples: &[usize]) -> (f64, f64) {
        (self.impurity.of(&self.sum_left, self.weights.left), self.impurity.of(&self.sum_right, self.weights.right))
    }

    fn node_value(&self, dest: &mut [f64]) {
        for (d, c) in dest.iter_mut().zip(&self.sum_total) {
            *d = c / self.weights.node;
        }
    }

    fn weights(&self) -> &Weights {
        &self.weights
    }
}
