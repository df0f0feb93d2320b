//! scikit-learn's simultaneous sort of a node's feature values and sample
//! indices: introsort with a median-of-three pivot and a three-way partition,
//! heapsort past `2·⌊log2 n⌋` levels, insertion sort under 16 elements.
//!
//! The sort is not stable, and the order it leaves equal values in decides
//! the order in which a criterion adds targets up. Sums in another order
//! differ in the last bits, and that is enough to pick another of two equally
//! good splits, so Tuna sorts exactly as scikit-learn does.

/// Sorts `values` ascending, applying the same swaps to `samples`.
pub(super) fn sort(values: &mut [f32], samples: &mut [usize]) {
    let n = values.len();
    if n == 0 {
        return;
    }
    let max_depth = 2 * n.ilog2() as usize;
    introsort(values, samples, max_depth);
}

fn introsort(mut values: &mut [f32], mut samples: &mut [usize], mut max_depth: usize) {
    while values.len() > 15 {
        if max_depth == 0 {
            heapsort(values, samples);
            return;
        }
        max_depth -= 1;
        let pivot = median3(values);
        // Three-way partition: [< pivot] [== pivot] [> pivot].
        let (mut i, mut l, mut r) = (0, 0, values.len());
        while i < r {
            if values[i] < pivot {
                swap(values, samples, i, l);
                i += 1;
                l += 1;
            } else if values[i] > pivot {
                r -= 1;
                swap(values, samples, i, r);
            } else {
                i += 1;
            }
        }
        let (low_values, rest_values) = values.split_at_mut(r);
        let (low_samples, rest_samples) = samples.split_at_mut(r);
        introsort(&mut low_values[..l], &mut low_samples[..l], max_depth);
        values = rest_values;
        samples = rest_samples;
    }
    insertion_sort(values, samples);
}

/// Median of the first, middle and last values (Bentley and McIlroy).
fn median3(values: &[f32]) -> f32 {
    let n = values.len();
    let (a, b, c) = (values[0], values[n / 2], values[n - 1]);
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

fn swap(values: &mut [f32], samples: &mut [usize], i: usize, j: usize) {
    values.swap(i, j);
    samples.swap(i, j);
}

fn insertion_sort(values: &mut [f32], samples: &mut [usize]) {
    for i in 1..values.len() {
        let (value, sample) = (values[i], samples[i]);
        let mut j = i;
        while j > 0 && values[j - 1] > value {
            values[j] = values[j - 1];
            samples[j] = samples[j - 1];
            j -= 1;
        }
        values[j] = value;
        samples[j] = sample;
    }
}

fn heapsort(values: &mut [f32], samples: &mut [usize]) {
    let n = values.len();
    let mut start = (n - 2) / 2;
    loop {
        sift_down(values, samples, start, n);
        if start == 0 {
            break;
        }
        start -= 1;
    }
    let mut end = n - 1;
    while end > 0 {
        swap(values, samples, 0, end);
        sift_down(values, samples, 0, end);
        end -= 1;
    }
}

/// Restores heap order in `values[start..end]` by moving the largest to `start`.
fn sift_down(values: &mut [f32], samples: &mut [usize], start: usize, end: usize) {
    let mut root = start;
    loop {
        let child = root * 2 + 1;
        let mut largest = root;
        if child < end && values[largest] < values[child] {
            largest = child;
        }
        if child + 1 < end && values[largest] < values[child + 1] {
            largest = child + 1;
        }
        if largest == root {
            break;
        }
        swap(values, samples, root, largest);
        root = largest;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_values_and_carries_samples() {
        // Long enough to partition, with many ties, like a rounded feature.
        let mut values: Vec<f32> = (0..200).map(|i| ((i * 37) % 11) as f32).collect();
        let original = values.clone();
        let mut samples: Vec<usize> = (0..200).collect();
        sort(&mut values, &mut samples);
        assert!(values.windows(2).all(|w| w[0] <= w[1]));
        for (v, s) in values.iter().zip(&samples) {
            assert_eq!(*v, original[*s]);
        }
    }

    #[test]
    fn heapsort_takes_over_when_partitions_go_quadratic() {
        let mut values: Vec<f32> = (0..64).rev().map(|i| i as f32).collect();
        let mut samples: Vec<usize> = (0..64).collect();
        introsort(&mut values, &mut samples, 0);
        assert!(values.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(samples[0], 63);
    }
}
