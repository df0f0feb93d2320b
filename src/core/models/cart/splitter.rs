//! scikit-learn's dense splitters (`BestSplitter`, `RandomSplitter`): which
//! features a node tries, in which order, and where it cuts.
//!
//! Features are drawn without replacement by a Fisher–Yates walk over a
//! feature list, from scikit-learn's own xorshift generator (`rand_r`) seeded
//! once per tree from numpy's `RandomState`. Features found constant in a node
//! are remembered for its descendants and never count towards `max_features`
//! unless the search has seen nothing else. The best splitter sorts the node's
//! rows by each drawn feature and tries every cut between distinct values (in
//! float32, as scikit-learn stores features); the random splitter draws one
//! threshold per feature between its minimum and maximum.

use super::criterion::Criterion;
use super::sort::{Pair, sort};

/// Values this close (in float32) count as equal, as scikit-learn's `FEATURE_THRESHOLD`.
const FEATURE_THRESHOLD: f32 = 1e-7;

/// The largest value of scikit-learn's `rand_r`.
pub(super) const RAND_R_MAX: u32 = 0x7FFF_FFFF;

/// scikit-learn's `our_rand_r`: one xorshift step, reduced to `0..=RAND_R_MAX`.
fn rand_r(state: &mut u32) -> u32 {
    if *state == 0 {
        *state = 1;
    }
    *state ^= *state << 13;
    *state ^= *state >> 17;
    *state ^= *state << 5;
    *state % (RAND_R_MAX + 1)
}

/// A uniform integer in `low..high`.
fn rand_int(low: usize, high: usize, state: &mut u32) -> usize {
    low + rand_r(state) as usize % (high - low)
}

/// A uniform double in `[low, high)`.
fn rand_uniform(low: f64, high: f64, state: &mut u32) -> f64 {
    (high - low) * rand_r(state) as f64 / RAND_R_MAX as f64 + low
}

/// How thresholds are found: scikit-learn's `splitter`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Strategy {
    /// Every cut between distinct values of each drawn feature.
    Best,
    /// One random cut per drawn feature (extra trees).
    Random,
}

/// The split a node search found; `pos == end` means none.
#[derive(Debug, Clone, Copy)]
pub(super) struct Split {
    pub feature: usize,
    pub pos: usize,
    pub threshold: f64,
    pub improvement: f64,
    pub impurity_left: f64,
    pub impurity_right: f64,
}

impl Split {
    fn none(end: usize) -> Split {
        Split {
            feature: 0,
            pos: end,
            threshold: 0.0,
            improvement: f64::NEG_INFINITY,
            impurity_left: f64::INFINITY,
            impurity_right: f64::INFINITY,
        }
    }
}

/// What a node passes to its children's search.
#[derive(Debug, Clone, Copy)]
pub(super) struct ParentInfo {
    pub impurity: f64,
    /// How many features (at the front of the feature list) are known constant.
    pub n_constant_features: usize,
}

/// Limits a split must respect.
#[derive(Debug, Clone, Copy)]
pub(super) struct SplitLimits {
    pub max_features: usize,
    pub min_samples_leaf: usize,
    pub min_weight_leaf: f64,
}

/// The training features as float32, column by column (`x[f * n_rows + i]`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Features<'a> {
    pub x: &'a [f32],
    pub n_rows: usize,
    pub n_features: usize,
}

impl Features<'_> {
    fn column(&self, f: usize) -> &[f32] {
        &self.x[f * self.n_rows..(f + 1) * self.n_rows]
    }
}

/// One tree's splitter state: the rows in node order, the feature list, the generator.
pub(super) struct Splitter<'a, C> {
    pub criterion: C,
    features: Features<'a>,
    strategy: Strategy,
    limits: SplitLimits,
    /// Rows with positive weight; each node owns a contiguous range.
    pub samples: Vec<usize>,
    pub weighted_n_samples: f64,
    feature_order: Vec<usize>,
    constant_features: Vec<usize>,
    feature_values: Vec<f32>,
    /// The sort's buffer: a node's (value, row) pairs.
    pairs: Vec<Pair>,
    rand_r_state: u32,
    start: usize,
    end: usize,
}

impl<'a, C: Criterion> Splitter<'a, C> {
    pub(super) fn new(
        criterion: C,
        features: Features<'a>,
        sample_weight: Option<&[f64]>,
        strategy: Strategy,
        limits: SplitLimits,
        seed: u32,
    ) -> Self {
        let n = features.n_rows;
        let samples: Vec<usize> = (0..n).filter(|&i| sample_weight.is_none_or(|w| w[i] != 0.0)).collect();
        let weighted_n_samples = match sample_weight {
            Some(w) => w.iter().fold(0.0, |s, v| s + v),
            None => n as f64,
        };
        Splitter {
            criterion,
            features,
            strategy,
            limits,
            feature_values: vec![0.0; samples.len()],
            pairs: vec![(0.0, 0); samples.len()],
            samples,
            weighted_n_samples,
            feature_order: (0..features.n_features).collect(),
            constant_features: vec![0; features.n_features],
            rand_r_state: seed,
            start: 0,
            end: 0,
        }
    }

    /// Starts node `samples[start..end]`; returns its weighted size.
    pub(super) fn node_reset(&mut self, start: usize, end: usize) -> f64 {
        self.start = start;
        self.end = end;
        self.criterion.init(&self.samples, start, end, self.weighted_n_samples);
        self.criterion.weights().node
    }

    pub(super) fn node_impurity(&self) -> f64 {
        self.criterion.node_impurity(&self.samples)
    }

    pub(super) fn node_value(&self, dest: &mut [f64]) {
        self.criterion.node_value(dest);
    }

    /// Finds the node's split and partitions its rows around it.
    pub(super) fn node_split(&mut self, parent: &mut ParentInfo) -> Split {
        let (start, end) = (self.start, self.end);
        let n_features = self.features.n_features;
        let SplitLimits { max_features, min_samples_leaf, .. } = self.limits;
        let mut best = Split::none(end);
        let mut best_proxy = f64::NEG_INFINITY;
        let mut f_i = n_features;
        let mut n_visited = 0;
        let mut n_found_constants = 0;
        let mut n_drawn_constants = 0;
        let n_known_constants = parent.n_constant_features;
        let mut n_total_constants = n_known_constants;
        let mut last_feature = None;
        // feature_order holds, in turn: drawn known constants, known constants not
        // yet drawn, newly found constants, features not yet drawn, drawn features.
        while f_i > n_total_constants
            && (n_visited < max_features || n_visited <= n_found_constants + n_drawn_constants)
        {
            n_visited += 1;
            let mut f_j = rand_int(n_drawn_constants, f_i - n_found_constants, &mut self.rand_r_state);
            if f_j < n_known_constants {
                self.feature_order.swap(n_drawn_constants, f_j);
                n_drawn_constants += 1;
                continue;
            }
            f_j += n_found_constants;
            let feature = self.feature_order[f_j];
            last_feature = Some(feature);
            let column = self.features.column(feature);
            let (min, max) = match self.strategy {
                Strategy::Best => {
                    let pairs = &mut self.pairs[..end - start];
                    for (pair, &i) in pairs.iter_mut().zip(&self.samples[start..end]) {
                        *pair = (column[i], i as u32);
                    }
                    sort(pairs);
                    let rows = self.samples[start..end].iter_mut().zip(&mut self.feature_values[start..end]);
                    for ((sample, value), &(v, i)) in rows.zip(pairs.iter()) {
                        (*sample, *value) = (i as usize, v);
                    }
                    (pairs[0].0, pairs[pairs.len() - 1].0)
                }
                Strategy::Random => {
                    let values = &mut self.feature_values[start..end];
                    for (v, &i) in values.iter_mut().zip(&self.samples[start..end]) {
                        *v = column[i];
                    }
                    min_max(values)
                }
            };
            if max <= min + FEATURE_THRESHOLD {
                self.feature_order.swap(f_j, n_total_constants);
                n_found_constants += 1;
                n_total_constants += 1;
                continue;
            }
            f_i -= 1;
            self.feature_order.swap(f_i, f_j);
            match self.strategy {
                Strategy::Best => {
                    self.criterion.reset(&self.samples);
                    let mut p = start;
                    while p < end {
                        p += 1;
                        while p < end && self.feature_values[p] <= self.feature_values[p - 1] + FEATURE_THRESHOLD {
                            p += 1;
                        }
                        if p == end {
                            continue;
                        }
                        if p - start < min_samples_leaf || end - p < min_samples_leaf {
                            continue;
                        }
                        let Some(proxy) = self.proxy_at(p) else { continue };
                        if proxy > best_proxy {
                            best_proxy = proxy;
                            let (a, b) = (self.feature_values[p - 1] as f64, self.feature_values[p] as f64);
                            best = Split { feature, pos: p, threshold: a / 2.0 + b / 2.0, ..Split::none(end) };
                        }
                    }
                }
                Strategy::Random => {
                    let (min, max) = (min as f64, max as f64);
                    let mut threshold = rand_uniform(min, max, &mut self.rand_r_state);
                    if threshold == max {
                        threshold = min;
                    }
                    let pos = self.partition_values(threshold);
                    if pos - start < min_samples_leaf || end - pos < min_samples_leaf {
                        continue;
                    }
                    self.criterion.reset(&self.samples);
                    let Some(proxy) = self.proxy_at(pos) else { continue };
                    if proxy > best_proxy {
                        best_proxy = proxy;
                        best = Split { feature, pos, threshold, ..Split::none(end) };
                    }
                }
            }
        }
        if best.pos < end {
            // The random splitter's rows are already partitioned by the last feature it tried.
            if self.strategy == Strategy::Best || last_feature != Some(best.feature) {
                self.partition_rows(best.feature, best.threshold);
            }
            self.criterion.reset(&self.samples);
            self.criterion.update(&self.samples, best.pos);
            let (left, right) = self.criterion.children_impurity(&self.samples);
            best.impurity_left = left;
            best.impurity_right = right;
            best.improvement = self.criterion.impurity_improvement(parent.impurity, left, right);
        }
        // Known constants keep their order for siblings and children; new ones join them.
        self.feature_order[..n_known_constants].copy_from_slice(&self.constant_features[..n_known_constants]);
        self.constant_features[n_known_constants..n_total_constants]
            .copy_from_slice(&self.feature_order[n_known_constants..n_total_constants]);
        parent.n_constant_features = n_total_constants;
        best
    }

    /// Moves the split position to `pos`; the split's proxy improvement, or
    /// `None` when a side weighs less than `min_weight_leaf`.
    fn proxy_at(&mut self, pos: usize) -> Option<f64> {
        self.criterion.update(&self.samples, pos);
        let w = self.criterion.weights();
        let min = self.limits.min_weight_leaf;
        (!(w.left < min || w.right < min)).then(|| self.criterion.proxy_impurity_improvement(&self.samples))
    }

    /// Moves the node's rows with `feature_values <= threshold` to the front; returns the cut.
    fn partition_values(&mut self, threshold: f64) -> usize {
        let (mut lo, mut hi) = (self.start, self.end);
        while lo < hi {
            if self.feature_values[lo] as f64 <= threshold {
                lo += 1;
            } else {
                hi -= 1;
                self.feature_values.swap(lo, hi);
                self.samples.swap(lo, hi);
            }
        }
        hi
    }

    /// Moves the node's rows with `x[feature] <= threshold` to the front.
    fn partition_rows(&mut self, feature: usize, threshold: f64) {
        let column = self.features.column(feature);
        let (mut lo, mut hi) = (self.start, self.end);
        while lo < hi {
            if column[self.samples[lo]] as f64 <= threshold {
                lo += 1;
            } else {
                hi -= 1;
                self.samples.swap(lo, hi);
            }
        }
    }
}

/// The smallest and largest value, found as scikit-learn's `find_min_max` does.
fn min_max(values: &[f32]) -> (f32, f32) {
    let (mut min, mut max) = (values[0], values[0]);
    for &v in &values[1..] {
        if v < min {
            min = v;
        } else if v > max {
            max = v;
        }
    }
    (min, max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rand_r_is_scikit_learns_xorshift() {
        // Three steps of x ^= x << 13; x ^= x >> 17; x ^= x << 5 from 1, reduced mod 2^31.
        let mut state = 1u32;
        let draws: Vec<u32> = (0..3).map(|_| rand_r(&mut state)).collect();
        let mut x = 1u32;
        let expected: Vec<u32> = (0..3)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                x & 0x7FFF_FFFF
            })
            .collect();
        assert_eq!(draws, expected);
        assert_eq!(draws[0], 270369);
    }

    #[test]
    fn a_zero_seed_is_replaced_by_one() {
        let (mut a, mut b) = (0u32, 1u32);
        assert_eq!(rand_r(&mut a), rand_r(&mut b));
    }
}
