//! scikit-learn's `train_test_split` with a seed: `ShuffleSplit`, and
//! `StratifiedShuffleSplit` when a classifier stratifies on its classes.
//! Gradient boosting's early stopping sets its validation rows aside with it,
//! so the rows (and their order, which a tree's ties depend on) must be
//! scikit-learn's, draw for draw from numpy's `RandomState`.

use super::numpy_random::RandomState;

/// Training and held-out row indices, in scikit-learn's order.
#[derive(Debug, Clone, PartialEq)]
pub struct Split {
    pub train: Vec<usize>,
    pub test: Vec<usize>,
}

/// `ceil(test_fraction · n)` held out, the rest trains; neither side may be empty.
fn sizes(n: usize, test_fraction: f64) -> Result<(usize, usize), String> {
    let n_test = ((test_fraction * n as f64).ceil() as usize).min(n);
    if n_test == 0 || n_test == n {
        return Err(format!(
            "holding out {test_fraction} of {n} rows leaves {} rows to train on and {n_test} held out; \
             each side needs a row (more rows or another fraction)",
            n - n_test
        ));
    }
    Ok((n - n_test, n_test))
}

/// `train_test_split(..., test_size=test_fraction, random_state=seed)`: the
/// test rows first from one permutation of all rows, then the training rows.
pub fn shuffle_split(n: usize, test_fraction: f64, seed: u32) -> Result<Split, String> {
    let (n_train, n_test) = sizes(n, test_fraction)?;
    let order = RandomState::new(seed).permutation(n);
    Ok(Split { test: order[..n_test].to_vec(), train: order[n_test..n_test + n_train].to_vec() })
}

/// `train_test_split(..., stratify=codes)`: each class keeps its share of
/// rows on both sides (`codes` are class indices `0..n_classes`).
pub fn stratified_shuffle_split(
    codes: &[usize],
    n_classes: usize,
    test_fraction: f64,
    seed: u32,
) -> Result<Split, String> {
    let (n_train, n_test) = sizes(codes.len(), test_fraction)?;
    let mut rows_of_class: Vec<Vec<usize>> = vec![Vec::new(); n_classes];
    for (i, &c) in codes.iter().enumerate() {
        rows_of_class[c].push(i);
    }
    let counts: Vec<usize> = rows_of_class.iter().map(Vec::len).collect();
    if let Some(c) = counts.iter().position(|&k| k < 2) {
        return Err(format!(
            "class {c} has {} row(s), and a stratified split needs at least 2 of each class",
            counts[c]
        ));
    }
    if n_train < n_classes || n_test < n_classes {
        return Err(format!(
            "a stratified split of {} rows into {n_train} and {n_test} cannot give each of the {n_classes} classes a row on both sides",
            codes.len()
        ));
    }
    let mut rng = RandomState::new(seed);
    let train_counts = approximate_mode(&counts, n_train, &mut rng);
    let rest: Vec<usize> = counts.iter().zip(&train_counts).map(|(c, t)| c - t).collect();
    let test_counts = approximate_mode(&rest, n_test, &mut rng);
    let (mut train, mut test) = (Vec::with_capacity(n_train), Vec::with_capacity(n_test));
    for (rows, (&n_i, &t_i)) in rows_of_class.iter().zip(train_counts.iter().zip(&test_counts)) {
        let shuffled: Vec<usize> = rng.permutation(rows.len()).into_iter().map(|p| rows[p]).collect();
        train.extend_from_slice(&shuffled[..n_i]);
        test.extend_from_slice(&shuffled[n_i..n_i + t_i]);
    }
    rng.shuffle(&mut train);
    rng.shuffle(&mut test);
    Ok(Split { train, test })
}

/// scikit-learn's `_approximate_mode`: `n_draws` shared out in proportion to
/// `counts`, floored, the rest going to the largest remainders (equal
/// remainders in a random order).
fn approximate_mode(counts: &[usize], n_draws: usize, rng: &mut RandomState) -> Vec<usize> {
    let total = counts.iter().sum::<usize>() as f64;
    let continuous: Vec<f64> = counts.iter().map(|&c| c as f64 / total * n_draws as f64).collect();
    let mut floored: Vec<f64> = continuous.iter().map(|c| c.floor()).collect();
    let mut need = (n_draws as f64 - floored.iter().sum::<f64>()) as i64;
    if need > 0 {
        let remainder: Vec<f64> = continuous.iter().zip(&floored).map(|(c, f)| c - f).collect();
        let mut values = remainder.clone();
        values.sort_by(|a, b| b.total_cmp(a));
        values.dedup();
        for value in values {
            let tied: Vec<usize> = (0..remainder.len()).filter(|&i| remainder[i] == value).collect();
            let add_now = tied.len().min(need as usize);
            // numpy's `choice(tied, add_now, replace=False)`: a permutation's first elements.
            for p in rng.permutation(tied.len()).into_iter().take(add_now) {
                floored[tied[p]] += 1.0;
            }
            need -= add_now as i64;
            if need == 0 {
                break;
            }
        }
    }
    floored.into_iter().map(|f| f as usize).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// scikit-learn's own doctest values of `_approximate_mode`.
    #[test]
    fn approximate_mode_is_scikit_learns() {
        let mode = |counts: &[usize], n: usize, seed: u32| approximate_mode(counts, n, &mut RandomState::new(seed));
        assert_eq!(mode(&[4, 2], 3, 0), vec![2, 1]);
        assert_eq!(mode(&[5, 2], 4, 0), vec![3, 1]);
        assert_eq!(mode(&[2, 2, 2, 1], 2, 0), vec![0, 1, 1, 0]);
        assert_eq!(mode(&[2, 2, 2, 1], 2, 42), vec![1, 1, 0, 0]);
    }

    #[test]
    fn a_stratified_split_keeps_each_class_on_both_sides() {
        let codes: Vec<usize> = (0..30).map(|i| usize::from(i % 3 == 0)).collect();
        let split = stratified_shuffle_split(&codes, 2, 0.2, 7).unwrap();
        assert_eq!((split.train.len(), split.test.len()), (24, 6));
        assert_eq!(split.test.iter().filter(|&&i| codes[i] == 1).count(), 2);
        let e = stratified_shuffle_split(&[0, 0, 1], 2, 0.5, 0).unwrap_err();
        assert!(e.contains("class 1 has 1 row"), "{e}");
        let e = shuffle_split(3, 0.9, 0).unwrap_err();
        assert!(e.contains("leaves 0 rows to train on"), "{e}");
    }
}
