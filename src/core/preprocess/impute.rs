//! `SimpleImputer`: each column's missing cells filled with a statistic of
//! its training cells, as scikit-learn 1.9 computes it.
//!
//! - mean: `np.ma.mean`, the column's sum (numpy's order, see [`super::sums`])
//!   over its count of non-missing cells;
//! - median: the middle value, or the two middle values' sum halved;
//! - most_frequent: the smallest of the most frequent values (scipy's `mode`,
//!   and `min` over text);
//! - constant: `fill_value`, by default 0 for numbers and `"missing_value"`
//!   for an array holding text.
//!
//! A column with no training value at all is dropped for every strategy
//! (`keep_empty_features=False`; since 1.8 `"constant"` drops it too).

use super::spec::{ImputeStrategy, SimpleImputer};
use super::work::{Cells, Frame, Show};
use crate::core::numpy_sum::column_sum;
use crate::core::params::{ParamValue, python_float};

/// A value a column's missing cells get.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Fill {
    /// A number.
    Num(f64),
    /// A text value.
    Text(String),
}

/// A fitted `SimpleImputer`.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct FittedImputer {
    strategy: ImputeStrategy,
    /// One per input column; `None` drops the column (no training value).
    fills: Vec<Option<Fill>>,
}

/// Learns the fill values from `frame` (the training rows).
pub(super) fn fit(spec: &SimpleImputer, frame: &Frame) -> Result<FittedImputer, String> {
    let numeric = frame.is_numeric();
    let strategy = spec.strategy;
    if matches!(strategy, ImputeStrategy::Mean | ImputeStrategy::Median) && !numeric {
        let word = if strategy == ImputeStrategy::Mean { "mean" } else { "median" };
        return Err(format!(
            "SimpleImputer: Cannot use {word} strategy with non-numeric data: {} {}",
            quoted(&frame.text_columns()),
            if frame.text_columns().len() == 1 { "is text" } else { "are text" }
        ));
    }
    let constant = if strategy == ImputeStrategy::Constant { Some(constant_fill(spec, frame)?) } else { None };
    let mut fills = Vec::with_capacity(frame.columns.len());
    for column in &frame.columns {
        let seen = (0..frame.n_rows).filter(|&i| !column.cells.is_missing(i)).count();
        if seen == 0 {
            fills.push(None);
            continue;
        }
        let fill = match (&column.cells, strategy, &constant) {
            (_, _, Some(constant)) => constant.clone(),
            (Cells::Num { values, .. }, ImputeStrategy::Mean, _) => {
                Fill::Num(column_sum(values, frame.c_order, frame.columns.len()) / seen as f64)
            }
            (Cells::Num { values, .. }, ImputeStrategy::Median, _) => Fill::Num(median(values)),
            (Cells::Num { values, .. }, _, _) => Fill::Num(most_frequent_number(values)),
            // Text under mean or median was refused above.
            (Cells::Text { dict, codes }, _, _) => Fill::Text(most_frequent_text(dict, codes)),
        };
        fills.push(Some(fill));
    }
    Ok(FittedImputer { strategy, fills })
}

/// The constant fill, checked against the array's dtype as scikit-learn does
/// (`np.can_cast(type(fill_value), X.dtype, "same_kind")`).
fn constant_fill(spec: &SimpleImputer, frame: &Frame) -> Result<Fill, String> {
    let show = frame.array_show();
    let fill = match (&spec.fill_value, show) {
        (None, Some(Show::Int | Show::Float)) => return Ok(Fill::Num(0.0)),
        // An object array, or numpy's bool (kind "b" is not numeric there).
        (None, _) => return Ok(Fill::Text("missing_value".into())),
        (Some(value), _) => value,
    };
    let refused = matches!(
        (fill, show),
        (ParamValue::Str(_), Some(_))
            | (ParamValue::Float(_), Some(Show::Int | Show::Bool))
            | (ParamValue::Int(_), Some(Show::Bool))
    );
    if refused {
        let dtype = match show {
            Some(Show::Int) => "int64",
            Some(Show::Bool) => "bool",
            _ => "float64",
        };
        return Err(format!(
            "SimpleImputer: fill_value={} cannot be cast to the input data that is {dtype}",
            repr(fill)
        ));
    }
    Ok(match fill {
        ParamValue::Str(s) => Fill::Text(s.clone()),
        ParamValue::Bool(b) => Fill::Num(f64::from(u8::from(*b))),
        ParamValue::Int(i) => Fill::Num(*i as f64),
        ParamValue::Float(x) => Fill::Num(*x),
        ParamValue::Dict(_) => return Err(super::spec::TABLE_FILL.into()),
    })
}

/// A value as Python's `repr` writes it.
fn repr(value: &ParamValue) -> String {
    match value {
        ParamValue::Str(s) => format!("'{s}'"),
        ParamValue::Float(x) => python_float(*x),
        other => other.to_string(),
    }
}

fn quoted(names: &[&str]) -> String {
    names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
}

/// The median of the non-NaN values (there is at least one).
fn median(values: &[f64]) -> f64 {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| !x.is_nan()).collect();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n == 0 {
        return f64::NAN;
    }
    // np.ma.median: the middle value, or the two middle values' sum halved.
    if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 }
}

/// The most frequent non-NaN value, the smallest of ties (scipy's `mode`).
fn most_frequent_number(values: &[f64]) -> f64 {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| !x.is_nan()).collect();
    v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    let (mut best, mut best_count) = (f64::NAN, 0);
    let mut i = 0;
    while i < v.len() {
        let mut j = i;
        while j < v.len() && v[j] == v[i] {
            j += 1;
        }
        // Ascending order: a later run replaces the best only when strictly more frequent.
        if j - i > best_count {
            (best, best_count) = (v[i], j - i);
        }
        i = j;
    }
    best
}

/// The most frequent text value, the smallest string of ties (`min` over a `Counter`).
fn most_frequent_text(dict: &[String], codes: &[u32]) -> String {
    let mut counts = vec![0usize; dict.len()];
    for &c in codes {
        if let Some(n) = counts.get_mut(c as usize) {
            *n += 1;
        }
    }
    let top = counts.iter().copied().max().unwrap_or(0);
    dict.iter().zip(&counts).filter(|&(_, &n)| n == top && n > 0).map(|(s, _)| s).min().cloned().unwrap_or_default()
}

impl FittedImputer {
    /// The kept columns with their missing cells filled.
    pub fn transform<'a>(&self, frame: Frame<'a>) -> Result<Frame<'a>, String> {
        if frame.columns.len() != self.fills.len() {
            return Err(format!(
                "SimpleImputer: X has {} features, expected {}",
                frame.columns.len(),
                self.fills.len()
            ));
        }
        let to_float = matches!(self.strategy, ImputeStrategy::Mean | ImputeStrategy::Median);
        let frame = frame.into_array();
        let n_in = frame.columns.len();
        let mut columns = Vec::with_capacity(n_in);
        for (mut column, fill) in frame.columns.into_iter().zip(&self.fills) {
            let Some(fill) = fill else { continue };
            match (&mut column.cells, fill) {
                (Cells::Num { values, show }, Fill::Num(x)) => {
                    for v in values.iter_mut().filter(|v| v.is_nan()) {
                        *v = *x;
                    }
                    if to_float {
                        *show = Show::Float;
                    }
                }
                (Cells::Text { dict, codes }, Fill::Text(s)) => {
                    if codes.iter().any(|&c| c as usize >= dict.len()) {
                        let code = match dict.iter().position(|d| d == s) {
                            Some(k) => k,
                            None => {
                                dict.to_mut().push(s.clone());
                                dict.len() - 1
                            }
                        } as u32;
                        let known = dict.len();
                        for c in codes.iter_mut().filter(|c| **c as usize >= known) {
                            *c = code;
                        }
                    }
                }
                (cells, fill) => {
                    let missing = (0..frame.n_rows).any(|i| cells.is_missing(i));
                    if missing {
                        let (what, into) = match fill {
                            Fill::Num(x) => (format!("the number {}", python_float(*x)), "text"),
                            Fill::Text(s) => (format!("the text \"{s}\""), "numeric"),
                        };
                        return Err(format!(
                            "SimpleImputer would fill the blanks of {into} column `{}` with {what}, mixing text and \
                             numbers in one column",
                            column.name
                        ));
                    }
                }
            }
            columns.push(column);
        }
        // Dropping columns indexes the array, which gives a row-major copy.
        let c_order = frame.c_order || (columns.len() < n_in && columns.len() > 1);
        Ok(Frame { columns, n_rows: frame.n_rows, c_order })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::frame::{Column, ColumnType};

    fn frame<'a>(names: &[&str], columns: &'a [Column]) -> Frame<'a> {
        let names: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        let n = columns.first().map_or(0, Column::len);
        Frame::take(&names, columns, &(0..columns.len()).collect::<Vec<_>>(), &(0..n).collect::<Vec<_>>()).unwrap()
    }

    fn imputer(strategy: ImputeStrategy, fill_value: Option<ParamValue>) -> SimpleImputer {
        SimpleImputer { strategy, fill_value }
    }

    /// A column after the step: its name and its numbers or texts.
    #[derive(Debug, PartialEq)]
    enum Out {
        N(Vec<f64>),
        T(Vec<Option<String>>),
    }

    fn numbers(out: &[(String, Out)], j: usize) -> Vec<f64> {
        match &out[j].1 {
            Out::N(v) => v.clone(),
            Out::T(_) => panic!("numbers expected"),
        }
    }

    fn texts(out: &[(String, Out)], j: usize) -> Vec<Option<String>> {
        match &out[j].1 {
            Out::T(v) => v.clone(),
            Out::N(_) => panic!("text expected"),
        }
    }

    fn run(spec: &SimpleImputer, columns: &[Column]) -> Result<Vec<(String, Out)>, String> {
        let names: Vec<&str> = ["a", "b", "c", "d"][..columns.len()].to_vec();
        let f = frame(&names, columns);
        let fitted = fit(spec, &f)?;
        let f = fitted.transform(f)?;
        Ok(f.columns
            .iter()
            .map(|w| {
                let out = match &w.cells {
                    Cells::Num { values, .. } => Out::N(values.clone()),
                    cells => Out::T((0..f.n_rows).map(|i| cells.text(i).map(str::to_string)).collect()),
                };
                (w.name.clone(), out)
            })
            .collect())
    }

    const NAN: f64 = f64::NAN;

    /// Mean of 1, 2, 4 is 7/3; median of 1, 2, 4, 10 is (2 + 4) / 2 = 3.
    #[test]
    fn mean_and_median_ignore_missing_cells() {
        let col = [Column::numbers(vec![1.0, NAN, 2.0, 4.0])];
        let out = run(&imputer(ImputeStrategy::Mean, None), &col).unwrap();
        assert_eq!(numbers(&out, 0), [1.0, 7.0 / 3.0, 2.0, 4.0]);
        let col = [Column::numbers(vec![10.0, 1.0, NAN, 4.0, 2.0])];
        let out = run(&imputer(ImputeStrategy::Median, None), &col).unwrap();
        assert_eq!(numbers(&out, 0), [10.0, 1.0, 3.0, 4.0, 2.0]);
        let col = [Column::numbers(vec![5.0, NAN, 1.0, 3.0])];
        let out = run(&imputer(ImputeStrategy::Median, None), &col).unwrap();
        assert_eq!(numbers(&out, 0)[1], 3.0, "odd count: the middle value");
    }

    /// 2 and 7 both appear twice: the smaller, 2, fills; for text "b" and "a" tie: "a".
    #[test]
    fn most_frequent_ties_go_to_the_smallest_value() {
        let col = [Column::numbers(vec![7.0, 2.0, NAN, 7.0, 2.0, 9.0])];
        let out = run(&imputer(ImputeStrategy::MostFrequent, None), &col).unwrap();
        assert_eq!(numbers(&out, 0)[2], 2.0);
        let col = [Column::text(&[Some("b"), None, Some("a"), Some("b"), Some("a"), Some("c")])];
        let out = run(&imputer(ImputeStrategy::MostFrequent, None), &col).unwrap();
        assert_eq!(texts(&out, 0)[1].as_deref(), Some("a"));
    }

    #[test]
    fn constant_fills_0_for_numbers_and_missing_value_for_text() {
        let col = [Column::numbers(vec![NAN, 2.0])];
        let out = run(&imputer(ImputeStrategy::Constant, None), &col).unwrap();
        assert_eq!(numbers(&out, 0), [0.0, 2.0]);
        let col = [Column::text(&[None, Some("x")])];
        let out = run(&imputer(ImputeStrategy::Constant, None), &col).unwrap();
        assert_eq!(texts(&out, 0), [Some("missing_value".to_string()), Some("x".to_string())]);
        let out = run(&imputer(ImputeStrategy::Constant, Some(ParamValue::Str("x".into()))), &col).unwrap();
        assert_eq!(texts(&out, 0), [Some("x".to_string()), Some("x".to_string())], "a fill already in the data");
    }

    #[test]
    fn a_column_with_no_training_value_is_dropped_for_every_strategy() {
        for strategy in
            [ImputeStrategy::Mean, ImputeStrategy::Median, ImputeStrategy::MostFrequent, ImputeStrategy::Constant]
        {
            let cols = [Column::numbers(vec![NAN, NAN]), Column::numbers(vec![1.0, NAN])];
            let out = run(&imputer(strategy, None), &cols).unwrap();
            assert_eq!(out.len(), 1, "{strategy:?}");
            assert_eq!(out[0].0, "b");
        }
    }

    #[test]
    fn mean_of_text_and_text_fill_of_numbers_are_refused_as_scikit_learn_refuses_them() {
        let cols = [Column::numbers(vec![1.0]), Column::text(&[Some("x")])];
        let e = run(&imputer(ImputeStrategy::Mean, None), &cols).unwrap_err();
        assert_eq!(e, "SimpleImputer: Cannot use mean strategy with non-numeric data: `b` is text");
        let cols = [Column::numbers(vec![NAN, 1.0])];
        let e = run(&imputer(ImputeStrategy::Constant, Some(ParamValue::Str("none".into()))), &cols).unwrap_err();
        assert_eq!(e, "SimpleImputer: fill_value='none' cannot be cast to the input data that is float64");
        let ints = [Column::Numbers { ty: ColumnType::Long, values: vec![1.0, 2.0] }];
        let e = run(&imputer(ImputeStrategy::Constant, Some(ParamValue::Float(0.5))), &ints).unwrap_err();
        assert!(e.ends_with("that is int64"), "{e}");
    }

    /// A text column and a numeric one in one array make an object array,
    /// whose default fill is text: a numeric column with blanks would mix.
    #[test]
    fn a_fill_that_would_mix_text_and_numbers_is_an_error() {
        let cols = [Column::numbers(vec![NAN, 1.0]), Column::text(&[Some("x"), None])];
        let e = run(&imputer(ImputeStrategy::Constant, None), &cols).unwrap_err();
        assert!(e.contains("numeric column `a` with the text \"missing_value\""), "{e}");
        let e = run(&imputer(ImputeStrategy::Constant, Some(ParamValue::Int(-1))), &cols).unwrap_err();
        assert!(e.contains("text column `b` with the number -1.0"), "{e}");
        let complete = [Column::numbers(vec![2.0, 1.0]), Column::text(&[Some("x"), None])];
        assert!(run(&imputer(ImputeStrategy::Constant, None), &complete).is_ok(), "no blank in the numbers: no mix");
    }

    #[test]
    fn most_frequent_in_an_array_with_text_fills_each_column_with_its_own_kind() {
        let cols = [Column::numbers(vec![NAN, 1.0, 1.0]), Column::text(&[Some("x"), None, Some("x")])];
        let out = run(&imputer(ImputeStrategy::MostFrequent, None), &cols).unwrap();
        assert_eq!(numbers(&out, 0), [1.0, 1.0, 1.0]);
        assert_eq!(texts(&out, 1)[1].as_deref(), Some("x"));
    }
}
