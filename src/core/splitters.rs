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
        self.split_named(y, &number)
    }

    /// [`SplitterKind::split`], its messages naming a class as `name` gives
    /// it (a text label for the code the engine holds).
    pub fn split_named(&self, y: &[f64], name: &dyn Fn(f64) -> String) -> Result<Vec<Fold>, SplitError> {
        match self {
            SplitterKind::TrainTestSplitter(s) => s.split(y.len()),
            SplitterKind::TimeSeriesSplitter(s) => s.split(y.len()),
            SplitterKind::KFoldSplitter(s) => s.split(y.len()),
            SplitterKind::StratifiedKFoldSplitter(s) => s.split(y, name),
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

/// Refuses a search of more than [`MAX_FITS`] fits before its folds are made,
/// naming the count, the limit and the settings to lower.
pub fn check_fit_count(n_candidates: usize, n_splits: usize) -> Result<(), String> {
    let fits = n_candidates.saturating_mul(n_splits);
    if fits > MAX_FITS {
        return Err(format!(
            "{n_candidates} candidates × {n_splits} folds = {fits} fits, more than Tuna's limit of {MAX_FITS}; \
             search fewer candidates (searcher.param_grid or n_iter) or lower splitter.n_splits"
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
        check_size(self.n_splits, n)?;
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
        check_size(self.n_splits, n)?;
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
    fn split(&self, y: &[f64], name: &dyn Fn(f64) -> String) -> Result<Vec<Fold>, SplitError> {
        check_n_splits(self.n_splits)?;
        // -0.0 and 0.0 are one class (numpy's `unique`); adding 0.0 makes every -0.0 a 0.0,
        // so each label is found exactly among the sorted classes below.
        let y: Vec<f64> = y.iter().map(|v| v + 0.0).collect();
        if let Some(row) = y.iter().position(|v| v.fract() != 0.0) {
            return Err(SplitError::Data(format!(
                "splitter: StratifiedKFoldSplitter needs class labels, but the target is continuous (row {} is {}; \
                 scikit-learn: \"Supported target types are: ('binary', 'multiclass'). Got 'continuous' instead.\"); \
                 use KFoldSplitter for a regression target",
                row + 1,
                y[row]
            )));
        }
        let classes = sorted_unique(&y);
        let sorted_index = |v: &f64| classes.binary_search_by(|c| c.total_cmp(v)).unwrap_or(0);
        // Number classes by order of first appearance in y (one pass: a target
        // of many classes must not cost rows x classes).
        let mut first = vec![usize::MAX; classes.len()];
        for (i, v) in y.iter().enumerate().rev() {
            first[sorted_index(v)] = i;
        }
        let mut first_seen: Vec<(usize, usize)> = first.into_iter().enumerate().map(|(c, i)| (i, c)).collect();
        first_seen.sort();
        let mut code_of_sorted = vec![0usize; classes.len()];
        for (code, &(_, sorted_idx)) in first_seen.iter().enumerate() {
            code_of_sorted[sorted_idx] = code;
        }
        let sorted_of = |code: usize| code_of_sorted.iter().position(|&c| c == code).unwrap_or(0);
        let encoded: Vec<usize> = y.iter().map(|v| code_of_sorted[sorted_index(v)]).collect();
        let n_classes = classes.len();
        let mut counts = vec![0usize; n_classes];
        for &c in &encoded {
            counts[c] += 1;
        }
        if counts.iter().all(|&c| self.n_splits > c) {
            let largest = (0..n_classes).max_by_key(|&c| (counts[c], std::cmp::Reverse(c)));
            let largest = largest.map_or("the data has no rows".into(), |c| {
                format!(
                    "the largest, class {}, has {} row{}",
                    name(classes[sorted_of(c)]),
                    counts[c],
                    plural(counts[c])
                )
            });
            return Err(SplitError::Data(format!(
                "splitter.n_splits = {k} is more than the rows of every class (scikit-learn: \"n_splits={k} cannot be \
                 greater than the number of members in each class\"): {largest}; lower n_splits or gather more rows",
                k = self.n_splits
            )));
        }
        check_size(self.n_splits, y.len())?;
        let mut rows_of = vec![Vec::new(); n_classes];
        for (row, &c) in encoded.iter().enumerate() {
            rows_of[c].push(row);
        }
        // scikit-learn deals the labels, sorted by class code, round-robin over the
        // folds: the block of class c, at `start`, gives fold i % n_splits to each
        // of its places i, and its rows take those folds in fold order. Computed
        // per class, without scikit-learn's folds x classes table (n_splits = 10^5
        // over 10^5 classes would be 80 GB).
        let mut rng = RandomState::new(self.random_state.unwrap_or(0));
        let mut fold_of = vec![0usize; y.len()];
        let mut start = 0;
        for rows in &rows_of {
            let mut folds: Vec<usize> = (start..start + rows.len()).map(|i| i % self.n_splits).collect();
            folds.sort_unstable();
            if self.shuffle {
                rng.shuffle(&mut folds);
            }
            for (&row, fold) in rows.iter().zip(folds) {
                fold_of[row] = fold;
            }
            start += rows.len();
        }
        Ok(folds_from_assignment(&fold_of, self.n_splits))
    }
}

impl StratifiedKFoldSplitter {
    /// scikit-learn's warning for a class with fewer rows than folds (some
    /// test folds will hold none of it), naming the class, which scikit-learn
    /// does not: the first such class in sorted order.
    pub fn warning(&self, y: &[f64], name: &dyn Fn(f64) -> String) -> Option<String> {
        let mut sorted: Vec<f64> = y.iter().map(|v| v + 0.0).collect();
        sorted.sort_by(f64::total_cmp);
        let (class, members) = sorted.chunk_by(|a, b| a == b).map(|run| (run[0], run.len())).min_by_key(|&(_, n)| n)?;
        (members < self.n_splits && members > 0).then(|| {
            let class = name(class);
            format!(
                "class {class} has only {members} row{}, fewer than splitter.n_splits = {k} (scikit-learn warns: \"The least \
                 populated class in y has only {members} members, which is less than n_splits={k}\"): some test folds \
                 have no row of class {class}; lower n_splits or gather more rows of it",
                plural(members),
                k = self.n_splits
            )
        })
    }
}

impl SplitterKind {
    /// What is odd about these folds without making them wrong (scikit-learn's
    /// warnings), naming a class as `name` gives it.
    pub fn warning(&self, y: &[f64], name: &dyn Fn(f64) -> String) -> Option<String> {
        match self {
            SplitterKind::StratifiedKFoldSplitter(s) => s.warning(y, name),
            _ => None,
        }
    }
}

/// A class label as a number is written: `1`, `2.5`.
fn number(v: f64) -> String {
    v.to_string()
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The most row indices the folds of a search may hold (800 MB natively, 400
/// MB in wasm32). Every fold lists its train and test rows, so `n_splits = n`
/// over a million rows would be a million folds of a million rows each: the
/// job would run out of memory instead of saying why.
pub const MAX_FOLD_ROWS: usize = 100_000_000;

fn check_size(n_splits: usize, n: usize) -> Result<(), SplitError> {
    let held = n_splits.saturating_mul(n);
    if held > MAX_FOLD_ROWS {
        return Err(SplitError::Data(format!(
            "splitter: {n_splits} folds over {n} rows would hold {held} row indices, more than Tuna's limit of \
             {MAX_FOLD_ROWS}; lower n_splits (5 or 10 folds suit any table)"
        )));
    }
    Ok(())
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
    fn a_search_of_too_many_fits_is_refused_before_its_folds_are_made() {
        assert_eq!(check_fit_count(100_000, 10), Ok(()), "a million fits is the limit itself");
        let e = check_fit_count(100_000, 11).unwrap_err();
        assert!(e.starts_with("100000 candidates × 11 folds = 1100000 fits, more than Tuna's limit of 1000000"), "{e}");
        assert!(check_fit_count(usize::MAX, usize::MAX).unwrap_err().contains("fits"), "no overflow");
        assert_eq!(SplitterKind::TrainTestSplitter(TrainTestSplitter::default()).n_splits(), 1);
        assert_eq!(SplitterKind::KFoldSplitter(KFoldSplitter { n_splits: 7, ..Default::default() }).n_splits(), 7);
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
    fn stratified_rejects_too_many_splits_naming_the_largest_class() {
        let s = StratifiedKFoldSplitter { n_splits: 4, ..Default::default() };
        let e = s.split(&[0.0, 0.0, 1.0, 1.0, 1.0], &number).unwrap_err().to_string();
        assert!(e.ends_with("the largest, class 1, has 3 rows; lower n_splits or gather more rows"), "{e}");
    }

    /// Issue 12: scikit-learn warns of a class with fewer rows than folds; Tuna was silent.
    #[test]
    fn issue_12_a_class_smaller_than_n_splits_is_a_warning_naming_it() {
        let s = StratifiedKFoldSplitter { n_splits: 3, ..Default::default() };
        let w = s.warning(&[0.0, 0.0, 0.0, 2.0, 1.0, 1.0, 1.0], &number).unwrap();
        assert!(w.starts_with("class 2 has only 1 row, fewer than splitter.n_splits = 3"), "{w}");
        assert_eq!(s.warning(&[0.0, 0.0, 0.0, 1.0, 1.0, 1.0], &number), None);
    }

    /// Issue 12: a target of many classes cost rows x classes (a quadratic
    /// hang), and a continuous target was stratified where scikit-learn refuses it.
    #[test]
    fn issue_12_many_classes_split_fast_and_a_continuous_target_is_refused() {
        let y: Vec<f64> = (0..200_000).map(|i| f64::from(i / 2)).collect();
        let started = std::time::Instant::now();
        let folds =
            StratifiedKFoldSplitter { n_splits: 2, shuffle: true, random_state: Some(1) }.split(&y, &number).unwrap();
        assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
        assert_eq!((folds[0].test.len(), folds[1].test.len()), (100_000, 100_000));
        let e = StratifiedKFoldSplitter::default().split(&[0.0, 1.0, 1.5, 0.0, 1.0], &number).unwrap_err().to_string();
        assert!(e.contains("the target is continuous (row 3 is 1.5") && e.contains("use KFoldSplitter"), "{e}");
    }

    /// Issue 12: `n_splits` near the row count of a large table asked for rows x
    /// folds indices (terabytes for a million rows) and ran out of memory.
    #[test]
    fn issue_12_folds_past_the_index_limit_are_refused_before_they_are_built() {
        let y = vec![0.0; 20_000];
        let kfold = SplitterKind::KFoldSplitter(KFoldSplitter { n_splits: 20_000, ..Default::default() });
        let stratified =
            SplitterKind::StratifiedKFoldSplitter(StratifiedKFoldSplitter { n_splits: 20_000, ..Default::default() });
        let series = SplitterKind::TimeSeriesSplitter(TimeSeriesSplitter {
            n_splits: 19_999,
            test_size: 1,
            ..Default::default()
        });
        for splitter in [kfold, stratified, series] {
            let e = splitter.split(&y).unwrap_err().to_string();
            assert!(e.contains("more than Tuna's limit of 100000000; lower n_splits"), "{e}");
        }
        assert_eq!(check_size(5_000, 20_000), Ok(()), "1e8 indices is the limit itself");
    }

    /// Issue 12: a `-0.0` label split the 0 class off and put its rows in
    /// the class below it (`0.0` was not found among the sorted classes).
    #[test]
    fn issue_12_minus_zero_is_the_same_class_as_zero() {
        let y = [-1.0, -1.0, 0.0, 0.0, -0.0, 0.0, 1.0, 1.0];
        let s = StratifiedKFoldSplitter { n_splits: 2, ..Default::default() };
        for fold in s.split(&y, &number).unwrap() {
            let zeros = fold.test.iter().filter(|&&i| y[i] == 0.0).count();
            let minus_ones = fold.test.iter().filter(|&&i| y[i] == -1.0).count();
            assert_eq!((zeros, minus_ones), (2, 1), "{fold:?}");
        }
    }

    #[test]
    fn stratified_keeps_class_shares() {
        let y: Vec<f64> = (0..30).map(|i| if i % 3 == 0 { 1.0 } else { 0.0 }).collect();
        let s = StratifiedKFoldSplitter { n_splits: 5, ..Default::default() };
        for fold in s.split(&y, &number).unwrap() {
            let ones = fold.test.iter().filter(|&&i| y[i] == 1.0).count();
            assert_eq!(ones, 2);
            assert_eq!(fold.test.len(), 6);
        }
    }
}
