//! The few draws of numpy's legacy `RandomState` that scikit-learn's splitters use.
//!
//! `KFold(shuffle=True, random_state=s)` shuffles with `np.random.RandomState(s)`;
//! to give the same index sets we need the same generator (MT19937, seeded with
//! `init_genrand`) and the same bounded-integer draw (masked rejection sampling).
//! The generator is the `rand_mt` crate; the draw below is numpy's algorithm.

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
