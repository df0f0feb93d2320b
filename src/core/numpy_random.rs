//! The few draws of numpy's legacy `RandomState` that scikit-learn's splitters
//! and its `ParameterSampler` use.
//!
//! `KFold(shuffle=True, random_state=s)` shuffles with `np.random.RandomState(s)`,
//! and `RandomizedSearchCV(random_state=s)` samples with it; to give the same
//! index sets and candidates we need the same generator (MT19937, seeded with
//! `init_genrand`), the same bounded-integer draw (masked rejection sampling)
//! and the same doubles (53 bits from two draws). The generator is the
//! `rand_mt` crate; the draws below are numpy's and scikit-learn's algorithms.

use rand_mt::Mt;

/// numpy's `RandomState(seed)` for an integer seed in `0..2**32`.
pub struct RandomState {
    mt: Mt,
}

impl RandomState {
    /// Seeds like `np.random.RandomState(seed)` (numpy calls `init_genrand`).
    pub fn new(seed: u32) -> Self {
        RandomState { mt: Mt::new(seed) }
    }

    /// A uniform integer in `0..=max`, as numpy's `random_interval`: draw 32 bits,
    /// keep the bits under the smallest all-ones mask covering `max`, retry if above.
    fn interval(&mut self, max: u64) -> u64 {
        if max == 0 {
            return 0;
        }
        let mut mask = max;
        for shift in [1, 2, 4, 8, 16, 32] {
            mask |= mask >> shift;
        }
        if max <= u32::MAX as u64 {
            loop {
                let v = (self.mt.next_u32() as u64) & mask;
                if v <= max {
                    return v;
                }
            }
        }
        loop {
            let v = self.mt.next_u64() & mask;
            if v <= max {
                return v;
            }
        }
    }

    /// Shuffles in place like `RandomState.shuffle` on a 1-D array
    /// (Fisher-Yates from the last element down).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.interval(i as u64) as usize;
            items.swap(i, j);
        }
    }

    /// `RandomState.permutation(n)`: a shuffled `0..n`.
    pub fn permutation(&mut self, n: usize) -> Vec<usize> {
        let mut v: Vec<usize> = (0..n).collect();
        self.shuffle(&mut v);
        v
    }

    /// `RandomState.randint(n)`: a uniform integer in `0..n` (`n` at least 1).
    pub fn randint(&mut self, n: u64) -> u64 {
        self.interval(n.saturating_sub(1))
    }

    /// `RandomState.random_sample()`: a uniform double in `[0, 1)`, from the
    /// top 27 and 26 bits of two draws (MT19937's `genrand_res53`).
    pub fn random_sample(&mut self) -> f64 {
        let (a, b) = (self.mt.next_u32() >> 5, self.mt.next_u32() >> 6);
        (a as f64 * 67_108_864.0 + b as f64) / 9_007_199_254_740_992.0
    }

    /// `RandomState.choice(len(p), size, replace=True, p=p)`: the cumulative
    /// `p` (scaled so that it ends at 1), searched for each uniform draw.
    pub fn choice_weighted(&mut self, p: &[f64], size: usize) -> Vec<usize> {
        let mut total = 0.0;
        let mut cdf: Vec<f64> = p
            .iter()
            .map(|v| {
                total += v;
                total
            })
            .collect();
        for c in &mut cdf {
            *c /= total;
        }
        let draws: Vec<f64> = (0..size).map(|_| self.random_sample()).collect();
        draws.into_iter().map(|u| cdf.partition_point(|&c| c <= u)).collect()
    }

    /// scikit-learn's `sample_without_replacement(n_population, n_samples)`
    /// with its `"auto"` method: a permutation's head when between 1% and 99%
    /// of the population is drawn, else tracking selection (under 20%) or
    /// reservoir sampling; each gives its own order, as scikit-learn's does.
    pub fn sample_without_replacement(&mut self, n_population: usize, n_samples: usize) -> Vec<usize> {
        let n_samples = n_samples.min(n_population);
        let ratio = if n_population == 0 { 1.0 } else { n_samples as f64 / n_population as f64 };
        if ratio > 0.01 && ratio < 0.99 {
            let mut head = self.permutation(n_population);
            head.truncate(n_samples);
            return head;
        }
        if ratio < 0.2 {
            let mut selected = std::collections::HashSet::new();
            return (0..n_samples)
                .map(|_| {
                    loop {
                        let j = self.randint(n_population as u64) as usize;
                        if selected.insert(j) {
                            break j;
                        }
                    }
                })
                .collect();
        }
        let mut out: Vec<usize> = (0..n_samples).collect();
        for i in n_samples..n_population {
            let j = self.randint(i as u64 + 1) as usize;
            if j < n_samples {
                out[j] = i;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mt19937_matches_numpy_first_draw() {
        // np.random.RandomState(0).randint(0, 2**32, dtype=np.uint64) draws the raw
        // 32-bit output: for seed 0 numpy's first genrand_int32 is 2357136044.
        let mut rs = RandomState::new(0);
        assert_eq!(rs.mt.next_u32(), 2357136044);
    }

    #[test]
    fn permutation_is_a_permutation() {
        let mut p = RandomState::new(42).permutation(100);
        p.sort();
        assert_eq!(p, (0..100).collect::<Vec<_>>());
    }
}
