//! Cross-validation splitters with scikit-learn's exact index sets.
//!
//! Each KIND is a struct named as in the config; `SplitterKind` is the tagged
//! union the config deserializes into. `split` returns every fold up front:
//! folds are small (indices only) and the searcher needs them all to plan units.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::data::sorted_unique;
use super::numpy_random::RandomState;

/// One train/test split: row indices into the dataset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fold {
    /// Rows to fit on.
    pub train: Vec<usize>,
    /// Rows to score on.
    pub test: Vec<usize>,
}

/// Why a splitter cannot split the data it was given.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum SplitError {
    /// A setting is outside its range, whatever the data.
    #[error("splitter.{key}: {message}")]
    Setting {
        /// The config key.
        key: &'static str,
        /// What is wrong and what is accepted.
        message: String,
    },
    /// The settings do not fit this many rows (or classes).
    #[error("{0}")]
    Data(String),
}

/// A test set size: a row count (`1440`) or a fraction of the rows (`0.2`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum TestSize {
    /// An absolute number of rows.
    Count(u64),
    /// A fraction in (0, 1).
    Fraction(f64),
}

/// The splitter chosen in the config, tagged on `KIND`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, strum::VariantNames, strum::IntoStaticStr)]
#[serde(tag = "KIND")]
pub enum SplitterKind {
    /// One split, like `train_test_split`.
    TrainTestSplitter(TrainTestSplitter),
    /// `TimeSeriesSplit`: growing train windows followed by test windows.
    TimeSeriesSplitter(TimeSeriesSplitter),
    /// `KFold`.
    KFoldSplitter(KFoldSplitter),
    /// `StratifiedKFold`.
    StratifiedKFoldSplitter(StratifiedKFoldSplitter),
}

impl Default for SplitterKind {
    /// The original job's splitter: `TimeSeriesSplit(n_splits=4, test_size=1440, gap=0)`.
    fn default() -> Self {
        SplitterKind::TimeSeriesSplitter(TimeSeriesSplitter::default())
    }
}

impl SplitterKind {
    /// The folds for targets `y` (only `StratifiedKFoldSplitter` looks at the values).
    pub fn split(&self, y: &[f64]) -> Result<Vec<Fold>, SplitError> {
        match self {
            SplitterKind::TrainTestSplitter(s) => s.split(y.len()),
            SplitterKind::TimeSeriesSplitter(s) => s.split(y.len()),
            SplitterKind::KFoldSplitter(s) => s.split(y.len()),
            SplitterKind::StratifiedKFoldSplitter(s) => s.split(y),
        }
    }

    /// The KIND name, for logs and tracking.
    pub fn kind(&self) -> &'static str {
        self.into()
    }

    /// How many folds it makes (scikit-learn's `get_n_splits`).
    pub fn n_splits(&self) -> usize {
        match self {
            SplitterKind::TrainTestSplitter(_) => 1,
            SplitterKind::TimeSeriesSplitter(s) => s.n_splits,
            SplitterKind::KFoldSplitter(s) => s.n_splits,
            SplitterKind::StratifiedKFoldSplitter(s) => s.n_splits,
        }
    }
}

/// Fits a search may hold: candidates × folds. Past it, the results alone
/// would not fit a browser tab's memory, and the search would not end today.
pub const MAX_FITS: usize = 1_000_000;

/// Row indices the folds may hold (every fold lists every row, as train or
/// test): 100 million is 400 MB in the page, 800 MB natively.
pub const MAX_FOLD_ROWS: usize = 100_000_000;

/// Refuses a search too big to plan, before its folds are made: naming the
/// count, the limit and the setting to lower.
pub fn check_search_size(n_candidates: usize, n_splits: usize, n_rows: usize) -> Result<(), String> {
    let fits = n_candidates.saturating_mul(n_splits);
    if fits > MAX_FITS {
        return Err(format!(
            "{n_candidates} candidates × {n_splits} folds = {fits} fits, more than Tuna's limit of {MAX_FITS}; \
             search fewer candidates (searcher.param_grid or n_iter) or lower splitter.n_splits"
        ));
    }
    let indices = n_splits.saturating_mul(n_rows);
    if indices > MAX_FOLD_ROWS {
        return Err(format!(
            "splitter.n_splits = {n_splits} on {n_rows} rows makes folds of {indices} row indices, more than Tuna's \
             limit of {MAX_FOLD_ROWS}; lower splitter.n_splits"
        ));
    }
    Ok(())
}

impl super::catalog::Family for SplitterKind {
    const SECTION: &'static str = "splitter";
}

/// A single train/test split (the original job's `TrainTestSplitter`).
///
/// Defaults: `shuffle = false`, `test_size = 0.2`, `random_state = 42`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TrainTestSplitter {
    /// Shuffle before splitting (numpy's `RandomState(random_state).permutation`).
    pub shuffle: bool,
    /// Test rows: a count, or a fraction of the rows rounded up (scikit-learn's rule).
    pub test_size: TestSize,
    /// Seed for the shuffle.
    pub random_state: u32,
}

impl Default for TrainTestSplitter {
    fn default() -> Self {
        TrainTestSplitter { shuffle: false, test_size: TestSize::Fraction(0.2), random_state: 42 }
    }
}

impl TrainTestSplitter {
    fn split(&self, n: usize) -> Result<Vec<Fold>, SplitError> {
        let n_test = match self.test_size {
            TestSize::Count(c) => {
                if c == 0 || c as usize >= n {
                    return Err(SplitError::Data(format!(
                        "splitter.test_size = {c} must be at least 1 and smaller than the number of rows ({n})"
                    )));
                }
                c as usize
            }
            TestSize::Fraction(f) => {
                if !(f > 0.0 && f < 1.0) {
                    return Err(SplitError::Setting {
                        key: "test_size",
                        message: format!(
                            "a fraction must be between 0 and 1 (exclusive), found {f}; use a whole number for a row count"
                        ),
                    });
                }
                (f * n as f64).ceil() as usize
            }
        };
        if n_test >= n {
            return Err(SplitError::Data(format!("splitter.test_size leaves no training rows out of {n}; lower it")));
        }
        let n_train = n - n_test;
        let order: Vec<usize> =
            if self.shuffle { RandomState::new(self.random_state).permutation(n) } else { (0..n).collect() };
        // scikit-learn's ShuffleSplit takes the test rows first from the permutation.
        let (test, train) = if self.shuffle {
            (order[..n_test].to_vec(), order[n_test..].to_vec())
        } else {
            (order[n_train..].to_vec(), order[..n_train].to_vec())
        };
        Ok(vec![Fold { train, test }])
    }
}

/// `TimeSeriesSplit`: each fold trains on the rows before its test window.
///
/// Defaults are the original job's: `n_splits = 4`, `test_size = 1440`, `gap = 0`,
/// no `max_train_size`. TOML has no `None`, so `test_size = 0` asks for
/// scikit-learn's default, `n_rows // (n_splits + 1)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TimeSeriesSplitter {
    /// Number of folds (at least 2).
    pub n_splits: usize,
    /// Rows per test window; 0 means scikit-learn's default, `n_rows // (n_splits + 1)`.
    pub test_size: usize,
    /// Rows dropped between each train window and its test window.
    pub gap: usize,
    /// Cap on the train window (the most recent rows are kept); absent means no cap.
    pub max_train_size: Option<usize>,
}

impl Default for TimeSeriesSplitter {
    fn default() -> Self {
        TimeSeriesSplitter { n_splits: 4, test_size: 1440, gap: 0, max_train_size: None }
    }
}

impl TimeSeriesSplitter {
    fn split(&self, n: usize) -> Result<Vec<Fold>, SplitError> {
        check_n_splits(self.n_splits)?;
        // Saturating and checked sums: a huge setting is an error to explain, never an overflow.
        let n_folds = self.n_splits.saturating_add(1);
        if n_folds > n {
            return Err(SplitError::Data(format!(
                "splitter.n_splits = {} needs at least {n_folds} rows, the data has {n}",
                self.n_splits
            )));
        }
        let test_size = if self.test_size == 0 { n / n_folds } else { self.test_size };
        let needed = test_size.checked_mul(self.n_splits).and_then(|rows| rows.checked_add(self.gap));
        if needed.is_none_or(|needed| needed >= n) {
            let needed =
                needed.map_or_else(|| "more rows than any table has".to_string(), |k| format!("more than {k} rows"));
            return Err(SplitError::Data(format!(
                "splitter: {} test windows of {test_size} rows plus a gap of {} need {needed}, the data has {n}; lower test_size or n_splits",
                self.n_splits, self.gap
            )));
        }
        let first_test = n - self.n_splits * test_size;
        Ok((0..self.n_splits)
            .map(|k| {
                let test_start = first_test + k * test_size;
                let train_end = test_start - self.gap;
                let train_start = match self.max_train_size {
                    Some(m) if m > 0 && m < train_end => train_end - m,
                    _ => 0,
                };
                Fold { train: (train_start..train_end).collect(), test: (test_start..test_start + test_size).collect() }
            })
            .collect())
    }
}

/// `KFold`: contiguous folds, optionally after a seeded shuffle.
///
/// Defaults: `n_splits = 5`, `shuffle = false`, `random_state = 0`
/// (scikit-learn's `None` draws a fresh seed; Tuna always repeats).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct KFoldSplitter {
    /// Number of folds (at least 2).
    pub n_splits: usize,
    /// Shuffle rows before cutting folds.
    pub shuffle: bool,
    /// Seed for numpy's `RandomState`, as in scikit-learn.
    pub random_state: Option<u32>,
}

impl Default for KFoldSplitter {
    fn default() -> Self {
        KFoldSplitter { n_splits: 5, shuffle: false, random_state: None }
    }
}

impl KFoldSplitter {
    fn split(&self, n: usize) -> Result<Vec<Fold>, SplitError> {
        check_n_splits(self.n_splits)?;
        if self.n_splits > n {
            return Err(SplitError::Data(format!(
                "splitter.n_splits = {} is more than the number of rows ({n})",
                self.n_splits
            )));
        }
        let mut order: Vec<usize> = (0..n).collect();
        if self.shuffle {
            RandomState::new(self.random_state.unwrap_or(0)).shuffle(&mut order);
        }
        let mut fold_of = vec![0usize; n];
        let mut start = 0;
        for k in 0..self.n_splits {
            let size = n / self.n_splits + usize::from(k < n % self.n_splits);
            for &row in &order[start..start + size] {
                fold_of[row] = k;
            }
            start += size;
        }
        Ok(folds_from_assignment(&fold_of, self.n_splits))
    }
}

/// `StratifiedKFold`: folds that keep each class's share of rows.
///
/// Defaults: `n_splits = 5`, `shuffle = false`, `random_state = 0`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StratifiedKFoldSplitter {
    /// Number of folds (at least 2, at most the size of the largest class).
    pub n_splits: usize,
    /// Shuffle each class's fold assignment.
    pub shuffle: bool,
    /// Seed for numpy's `RandomState`, as in scikit-learn.
    pub random_state: Option<u32>,
}

impl Default for StratifiedKFoldSplitter {
    fn default() -> Self {
        StratifiedKFoldSplitter { n_splits: 5, shuffle: false, random_state: None }
    }
}

impl StratifiedKFoldSplitter {
    /// scikit-learn's `_make_test_folds`: classes numbered by first appearance,
    /// per-fold class counts dealt round-robin over the sorted labels, then each
    /// class's rows take their fold numbers in blocks (shuffled when asked).
    fn split(&self, y: &[f64]) -> Result<Vec<Fold>, SplitError> {
        check_n_splits(self.n_splits)?;
        let classes = sorted_unique(y);
        // Number classes by order of first appearance in y.
        let mut first_seen: Vec<(usize, usize)> =
            classes.iter().enumerate().map(|(c, v)| (y.iter().position(|t| t == v).unwrap_or(0), c)).collect();
        first_seen.sort();
        let mut code_of_sorted = vec![0usize; classes.len()];
        for (code, &(_, sorted_idx)) in first_seen.iter().enumerate() {
            code_of_sorted[sorted_idx] = code;
        }
        let encoded: Vec<usize> = y
            .iter()
            .map(|v| {
                let sorted_idx = classes.binary_search_by(|c| c.total_cmp(v)).unwrap_or(0);
                code_of_sorted[sorted_idx]
            })
            .collect();
        let n_classes = classes.len();
        let mut counts = vec![0usize; n_classes];
        for &c in &encoded {
            counts[c] += 1;
        }
        if counts.iter().all(|&c| self.n_splits > c) {
            return Err(SplitError::Data(format!(
                "splitter.n_splits = {} is more than the number of rows in every class (largest class: {} rows)",
                self.n_splits,
                counts.iter().max().copied().unwrap_or(0)
            )));
        }
        let mut sorted_codes = encoded.clone();
        sorted_codes.sort();
        // allocation[fold][class]: rows of `class` in test fold `fold`.
        let mut allocation = vec![vec![0usize; n_classes]; self.n_splits];
        for (i, &c) in sorted_codes.iter().enumerate() {
            allocation[i % self.n_splits][c] += 1;
        }
        let mut rng = RandomState::new(self.random_state.unwrap_or(0));
        let mut fold_of = vec![0usize; y.len()];
        for class in 0..n_classes {
            let mut folds_for_class: Vec<usize> = allocation
                .iter()
                .enumerate()
                .flat_map(|(f, per_class)| std::iter::repeat_n(f, per_class[class]))
                .collect();
            if self.shuffle {
                rng.shuffle(&mut folds_for_class);
            }
            let rows = encoded.iter().enumerate().filter(|&(_, &c)| c == class).map(|(i, _)| i);
            for (row, fold) in rows.zip(folds_for_class) {
                fold_of[row] = fold;
            }
        }
        Ok(folds_from_assignment(&fold_of, self.n_splits))
    }
}

fn check_n_splits(n_splits: usize) -> Result<(), SplitError> {
    if n_splits < 2 {
        return Err(SplitError::Setting { key: "n_splits", message: format!("must be at least 2, found {n_splits}") });
    }
    Ok(())
}

/// Turns "row i is in test fold f" into folds with sorted train and test rows,
/// as scikit-learn's boolean test masks produce.
fn folds_from_assignment(fold_of: &[usize], n_splits: usize) -> Vec<Fold> {
    (0..n_splits)
        .map(|k| {
            let (test, train): (Vec<usize>, Vec<usize>) = (0..fold_of.len()).partition(|&i| fold_of[i] == k);
            Fold { train, test }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_too_big_is_refused_before_its_folds_are_made() {
        assert_eq!(check_search_size(100_000, 10, 1_000), Ok(()), "a million fits is the limit itself");
        let e = check_search_size(100_000, 11, 1_000).unwrap_err();
        assert!(e.starts_with("100000 candidates × 11 folds = 1100000 fits, more than Tuna's limit of 1000000"), "{e}");
        let loo = KFoldSplitter { n_splits: 20_000, ..Default::default() };
        let e = check_search_size(1, SplitterKind::KFoldSplitter(loo).n_splits(), 20_000).unwrap_err();
        assert!(e.starts_with("splitter.n_splits = 20000 on 20000 rows makes folds of 400000000 row indices"), "{e}");
        assert_eq!(check_search_size(usize::MAX, usize::MAX, usize::MAX).map_err(|e| e.contains("fits")), Err(true));
        assert_eq!(SplitterKind::TrainTestSplitter(TrainTestSplitter::default()).n_splits(), 1);
    }

    #[test]
    fn kfold_sizes_put_the_remainder_first() {
        let folds = KFoldSplitter { n_splits: 3, ..Default::default() }.split(10).unwrap();
        let sizes: Vec<usize> = folds.iter().map(|f| f.test.len()).collect();
        assert_eq!(sizes, vec![4, 3, 3]);
        assert_eq!(folds[1].test, vec![4, 5, 6]);
    }

    #[test]
    fn kfold_rejects_one_split() {
        let err = KFoldSplitter { n_splits: 1, ..Default::default() }.split(10).unwrap_err();
        assert!(err.to_string().contains("n_splits"), "{err}");
    }

    #[test]
    fn kfold_rejects_more_splits_than_rows() {
        assert!(KFoldSplitter { n_splits: 11, ..Default::default() }.split(10).is_err());
    }

    #[test]
    fn time_series_default_test_size_is_n_over_folds() {
        let s = TimeSeriesSplitter { n_splits: 3, test_size: 0, ..Default::default() };
        let folds = s.split(12).unwrap();
        assert_eq!(folds[0].train, (0..3).collect::<Vec<_>>());
        assert_eq!(folds[2].test, vec![9, 10, 11]);
    }

    #[test]
    fn time_series_rejects_test_size_too_large_for_data() {
        let err = TimeSeriesSplitter::default().split(1000).unwrap_err();
        assert!(err.to_string().contains("lower test_size"), "{err}");
    }

    /// Issue 12: a huge `test_size` overflowed (a panic in debug builds, a wrap in release).
    #[test]
    fn issue_12_huge_time_series_settings_are_errors_not_overflows() {
        for (n_splits, test_size, gap) in
            [(4, usize::MAX, 0), (usize::MAX, 2, 0), (4, 10, usize::MAX), (usize::MAX, 0, 0)]
        {
            let s = TimeSeriesSplitter { n_splits, test_size, gap, max_train_size: None };
            let err = s.split(1000).unwrap_err().to_string();
            assert!(err.contains("the data has 1000"), "{err}");
        }
        let err = TimeSeriesSplitter { test_size: usize::MAX, ..Default::default() }.split(1000).unwrap_err();
        assert!(err.to_string().contains("need more rows than any table has"), "{err}");
    }

    #[test]
    fn train_test_fraction_rounds_test_up() {
        let s = TrainTestSplitter { test_size: TestSize::Fraction(0.25), ..Default::default() };
        let fold = &s.split(10).unwrap()[0];
        assert_eq!(fold.test, vec![7, 8, 9]);
    }

    #[test]
    fn train_test_rejects_fraction_out_of_range() {
        let s = TrainTestSplitter { test_size: TestSize::Fraction(1.5), ..Default::default() };
        assert!(s.split(10).is_err());
    }

    #[test]
    fn stratified_rejects_too_many_splits() {
        let s = StratifiedKFoldSplitter { n_splits: 4, ..Default::default() };
        assert!(s.split(&[0.0, 0.0, 1.0, 1.0, 1.0]).is_err());
    }

    #[test]
    fn stratified_keeps_class_shares() {
        let y: Vec<f64> = (0..30).map(|i| if i % 3 == 0 { 1.0 } else { 0.0 }).collect();
        let s = StratifiedKFoldSplitter { n_splits: 5, ..Default::default() };
        for fold in s.split(&y).unwrap() {
            let ones = fold.test.iter().filter(|&&i| y[i] == 1.0).count();
            assert_eq!(ones, 2);
            assert_eq!(fold.test.len(), 6);
        }
    }
}
