//! scikit-learn's simultaneous sort of a node's feature values and sample
//! indices: introsort with a median-of-three pivot and a three-way partition,
//! heapsort past `2·⌊log2 n⌋` levels, insertion sort under 16 elements.
//!
//! The sort is not stable, and the order it leaves equal values in decides
//! the order in which a criterion adds targets up. Sums in another order
//! differ in the last bits, and that is enough to pick another of two equally
//! good splits, so Tuna sorts exactly as scikit-learn does. It moves (value,
//! sample) pairs together, where scikit-learn swaps two arrays in step: the
//! same swaps, the same order, one memory access per move.

/// A feature value and the sample (row) it belongs to.
pub(super) type Pair = (f32, u32);

/// Sorts `pairs` by value, ascending: float32 features in the splitter,
/// float64 targets in the absolute-error criterion (scikit-learn's one sort,
/// `simultaneous_sort` with its three-way partition, serves both).
pub(super) fn sort<K: Copy + PartialOrd>(pairs: &mut [(K, u32)]) {
    let n = pairs.len();
    if n == 0 {
        return;
    }
    let max_depth = 2 * n.ilog2() as usize;
    introsort(pairs, max_depth);
}

fn introsort<K: Copy + PartialOrd>(mut pairs: &mut [(K, u32)], mut max_depth: usize) {
    while pairs.len() > 15 {
        if max_depth == 0 {
            heapsort(pairs);
            return;
        }
        max_depth -= 1;
        let pivot = median3(pairs);
        // Three-way partition: [< pivot] [== pivot] [> pivot].
        let (mut i, mut l, mut r) = (0, 0, pairs.len());
        while i < r {
            let v = pairs[i].0;
            if v < pivot {
                pairs.swap(i, l);
                i += 1;
                l += 1;
            } else if v > pivot {
                r -= 1;
                pairs.swap(i, r);
            } else {
                i += 1;
            }
        }
        let (low, rest) = pairs.split_at_mut(r);
        introsort(&mut low[..l], max_depth);
        pairs = rest;
    }
    insertion_sort(pairs);
}

/// Median of the first, middle and last values (Bentley and McIlroy).
fn median3<K: Copy + PartialOrd>(pairs: &[(K, u32)]) -> K {
    let n = pairs.len();
    let (a, b, c) = (pairs[0].0, pairs[n / 2].0, pairs[n - 1].0);
    if a < b {
        if b < c {
            b
        } else if a < c {
            c
        } else {
            a
        }
    } else if b < c {
        if a < c { a } else { c }
    } else {
        b
    }
}

fn insertion_sort<K: Copy + PartialOrd>(pairs: &mut [(K, u32)]) {
    for i in 1..pairs.len() {
        let pair = pairs[i];
        let mut j = i;
        while j > 0 && pairs[j - 1].0 > pair.0 {
            pairs[j] = pairs[j - 1];
            j -= 1;
        }
        pairs[j] = pair;
    }
}

fn heapsort<K: Copy + PartialOrd>(pairs: &mut [(K, u32)]) {
    let n = pairs.len();
    let mut start = (n - 2) / 2;
    loop {
        sift_down(pairs, start, n);
        if start == 0 {
            break;
        }
        start -= 1;
    }
    let mut end = n - 1;
    while end > 0 {
        pairs.swap(0, end);
        sift_down(pairs, 0, end);
        end -= 1;
    }
}

/// Restores heap order in `pairs[start..end]` by moving the largest to `start`.
fn sift_down<K: Copy + PartialOrd>(pairs: &mut [(K, u32)], start: usize, end: usize) {
    let mut root = start;
    loop {
        let child = root * 2 + 1;
        let mut largest = root;
        if child < end && pairs[largest].0 < pairs[child].0 {
            largest = child;
        }
        if child + 1 < end && pairs[largest].0 < pairs[child + 1].0 {
            largest = child + 1;
        }
        if largest == root {
            break;
        }
        pairs.swap(root, largest);
        root = largest;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_values_and_carries_samples() {
        // Long enough to partition, with many ties, like a rounded feature.
        let original: Vec<f32> = (0..200).map(|i| ((i * 37) % 11) as f32).collect();
        let mut pairs: Vec<Pair> = original.iter().enumerate().map(|(i, &v)| (v, i as u32)).collect();
        sort(&mut pairs);
        assert!(pairs.windows(2).all(|w| w[0].0 <= w[1].0));
        for (v, s) in &pairs {
            assert_eq!(*v, original[*s as usize]);
        }
    }

    #[test]
    fn heapsort_takes_over_when_partitions_go_quadratic() {
        let mut pairs: Vec<Pair> = (0..64).rev().map(|i| (i as f32, 63 - i as u32)).collect();
        introsort(&mut pairs, 0);
        assert!(pairs.windows(2).all(|w| w[0].0 <= w[1].0));
        assert_eq!(pairs[0].1, 63);
    }
}
