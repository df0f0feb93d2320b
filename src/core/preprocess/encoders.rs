//! `OneHotEncoder` and `OrdinalEncoder`: categories learnt from the training
//! rows, as scikit-learn's `_unique` sorts them, and codes for any rows.
//!
//! Categories are sorted (numbers numerically, text by code point, which is
//! Python's order and Rust's `str` order), with the missing value last as a
//! category of its own (scikit-learn >= 1.1). A value the training rows never
//! had, a missing cell included when training had none, is unknown.

use super::spec::{Drop, HandleUnknown, OneHotEncoder, OrdinalEncoder, OrdinalUnknown};
use super::work::{Cells, Frame, Show, Work};

/// One column's categories.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Categories {
    values: Values,
    /// Whether the missing value is a category (the last one).
    missing: bool,
}

#[derive(Debug, Clone, PartialEq)]
enum Values {
    /// Sorted distinct numbers, and how they print.
    Num(Vec<f64>, Show),
    /// Sorted distinct text.
    Text(Vec<String>),
}

impl Categories {
    /// The sorted distinct values of `cells`.
    fn learn(cells: &Cells, n_rows: usize) -> Categories {
        let missing = (0..n_rows).any(|i| cells.is_missing(i));
        let values = match cells {
            Cells::Num { values, show } => {
                let mut v: Vec<f64> = values.iter().copied().filter(|x| !x.is_nan()).collect();
                v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
                v.dedup_by(|a, b| a == b);
                Values::Num(v, *show)
            }
            Cells::Text { dict, codes } => {
                let mut used = vec![false; dict.len()];
                for &c in codes {
                    if let Some(u) = used.get_mut(c as usize) {
                        *u = true;
                    }
                }
                let mut v: Vec<String> = dict.iter().zip(&used).filter(|(_, u)| **u).map(|(s, _)| s.clone()).collect();
                v.sort_unstable();
                v.dedup();
                Values::Text(v)
            }
        };
        Categories { values, missing }
    }

    /// The number of non-missing categories.
    fn known(&self) -> usize {
        match &self.values {
            Values::Num(v, _) => v.len(),
            Values::Text(v) => v.len(),
        }
    }

    /// The number of categories, missing included.
    fn len(&self) -> usize {
        self.known() + usize::from(self.missing)
    }

    /// The categories as `str()` writes them in feature names (`nan` for missing).
    fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = match &self.values {
            Values::Num(v, show) => v.iter().map(|&x| show.number(x)).collect(),
            Values::Text(v) => v.clone(),
        };
        if self.missing {
            names.push("nan".into());
        }
        names
    }

    /// Each row's category index; `None` for a value not among the categories.
    fn lookup(&self, column: &Work) -> Result<Vec<Option<usize>>, String> {
        let missing = self.missing.then(|| self.known());
        match (&self.values, &column.cells) {
            (Values::Num(cats, _), Cells::Num { values, .. }) => Ok(values
                .iter()
                .map(|&x| {
                    if x.is_nan() {
                        missing
                    } else {
                        cats.binary_search_by(|c| c.partial_cmp(&x).unwrap_or(std::cmp::Ordering::Less)).ok()
                    }
                })
                .collect()),
            (Values::Text(cats), Cells::Text { dict, codes }) => {
                // One search per dictionary entry, then a lookup per row.
                let index: Vec<Option<usize>> = dict.iter().map(|s| cats.binary_search(s).ok()).collect();
                Ok(codes.iter().map(|&c| index.get(c as usize).copied().unwrap_or(missing)).collect())
            }
            (_, cells) => {
                let (was, is) = if cells.is_numeric() { ("text", "numbers") } else { ("numbers", "text") };
                Err(format!("column `{}` was {was} in training but is {is} here", column.name))
            }
        }
    }

    /// The distinct values of the rows whose index is `None`, as Python prints a list of them.
    fn unknown_list(&self, column: &Work, found: &[Option<usize>]) -> String {
        let mut items: Vec<String> = Vec::new();
        let mut numbers: Vec<f64> = Vec::new();
        let mut nan = false;
        for (i, f) in found.iter().enumerate() {
            if f.is_some() {
                continue;
            }
            match &column.cells {
                _ if column.cells.is_missing(i) => nan = true,
                Cells::Num { values, .. } => numbers.push(values[i]),
                cells => items.push(format!("'{}'", cells.text(i).unwrap_or_default())),
            }
        }
        numbers.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
        numbers.dedup();
        let show = match (&self.values, &column.cells) {
            (_, Cells::Num { show, .. }) => *show,
            _ => Show::Float,
        };
        items.sort();
        items.dedup();
        let mut out: Vec<String> = numbers.iter().map(|&x| show.number(x)).collect();
        out.extend(items);
        if nan {
            out.push("nan".into());
        }
        format!("[{}]", out.join(", "))
    }
}

/// A fitted `OneHotEncoder`.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct FittedOneHot {
    categories: Vec<Categories>,
    /// Per column, the index of the category that gets no output column.
    drop: Vec<Option<usize>>,
    ignore: bool,
}

/// Learns each column's categories and which one `drop` removes.
pub(super) fn fit_one_hot(spec: &OneHotEncoder, frame: &Frame) -> FittedOneHot {
    let categories: Vec<Categories> = frame.columns.iter().map(|c| Categories::learn(&c.cells, frame.n_rows)).collect();
    let drop = categories
        .iter()
        .map(|c| match spec.drop {
            None => None,
            Some(Drop::First) => Some(0),
            // "Binary" counts the missing category too, as `len(categories_[i])` does.
            Some(Drop::IfBinary) => (c.len() == 2).then_some(0),
        })
        .collect();
    FittedOneHot { categories, drop, ignore: spec.handle_unknown == HandleUnknown::Ignore }
}

fn unknown_error(kind: &str, list: &str, column: &str, hint: &str) -> String {
    format!("Found unknown categories {list} in column `{column}` during transform ({kind}: {hint})")
}

impl FittedOneHot {
    /// One 0/1 column per kept category (`<column>_<category>`); an unknown
    /// value under `handle_unknown = "ignore"` gives zeros, else an error.
    pub fn transform<'a>(&self, frame: Frame<'a>) -> Result<Frame<'a>, String> {
        if frame.columns.len() != self.categories.len() {
            return Err(format!(
                "OneHotEncoder: X has {} features, expected {}",
                frame.columns.len(),
                self.categories.len()
            ));
        }
        let n = frame.n_rows;
        let mut out = Vec::new();
        for ((column, cats), drop) in frame.columns.iter().zip(&self.categories).zip(&self.drop) {
            let found = cats.lookup(column)?;
            if !self.ignore && found.iter().any(Option::is_none) {
                let hint = "handle_unknown = \"ignore\" would encode them as zeros";
                return Err(unknown_error("OneHotEncoder", &cats.unknown_list(column, &found), &column.name, hint));
            }
            let names = cats.names();
            let first = out.len();
            for (k, name) in names.iter().enumerate() {
                if Some(k) != *drop {
                    out.push(Work {
                        name: format!("{}_{name}", column.name),
                        cells: Cells::Num { values: vec![0.0; n], show: Show::Float },
                    });
                }
            }
            for (i, f) in found.iter().enumerate() {
                let Some(k) = *f else { continue };
                let position = match *drop {
                    Some(d) if k == d => continue,
                    Some(d) if k > d => k - 1,
                    _ => k,
                };
                if let Some(Work { cells: Cells::Num { values, .. }, .. }) = out.get_mut(first + position) {
                    values[i] = 1.0;
                }
            }
        }
        // The encoder's output is a fresh row-major array.
        Ok(Frame { columns: out, n_rows: n, c_order: true })
    }
}

/// A fitted `OrdinalEncoder`.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct FittedOrdinal {
    categories: Vec<Categories>,
    /// The code of an unknown value; `None`: an unknown value is an error.
    unknown_value: Option<f64>,
}

/// Learns each column's categories, refusing an `unknown_value` scikit-learn refuses.
pub(super) fn fit_ordinal(spec: &OrdinalEncoder, frame: &Frame) -> Result<FittedOrdinal, String> {
    let show = |v: f64| Show::Int.number(v);
    let unknown_value = match (spec.handle_unknown, spec.unknown_value) {
        (OrdinalUnknown::UseEncodedValue, None) => {
            return Err("OrdinalEncoder: unknown_value should be an integer or np.nan when handle_unknown is \
                        'use_encoded_value', got None."
                .into());
        }
        (OrdinalUnknown::UseEncodedValue, Some(v)) if !v.is_nan() && (v.fract() != 0.0 || v.is_infinite()) => {
            return Err(format!(
                "OrdinalEncoder: unknown_value should be an integer or np.nan when handle_unknown is \
                 'use_encoded_value', got {}.",
                show(v)
            ));
        }
        (OrdinalUnknown::Error, Some(v)) => {
            return Err(format!(
                "OrdinalEncoder: unknown_value should only be set when handle_unknown is 'use_encoded_value', got {}.",
                show(v)
            ));
        }
        (OrdinalUnknown::UseEncodedValue, Some(v)) => Some(v),
        (OrdinalUnknown::Error, None) => None,
    };
    let categories: Vec<Categories> = frame.columns.iter().map(|c| Categories::learn(&c.cells, frame.n_rows)).collect();
    if let Some(v) = unknown_value {
        // The missing category has no code (it stays NaN), so it does not count.
        if categories.iter().any(|c| 0.0 <= v && v < c.known() as f64) {
            return Err(format!(
                "OrdinalEncoder: The used value for unknown_value {} is one of the values already used for encoding \
                 the seen categories.",
                show(v)
            ));
        }
    }
    Ok(FittedOrdinal { categories, unknown_value })
}

impl FittedOrdinal {
    /// Each value's index among its column's categories; missing stays NaN;
    /// an unknown value gets `unknown_value` or is an error.
    pub fn transform<'a>(&self, frame: Frame<'a>) -> Result<Frame<'a>, String> {
        if frame.columns.len() != self.categories.len() {
            return Err(format!(
                "OrdinalEncoder: X has {} features, expected {}",
                frame.columns.len(),
                self.categories.len()
            ));
        }
        let n = frame.n_rows;
        let mut out = Vec::with_capacity(frame.columns.len());
        for (column, cats) in frame.columns.iter().zip(&self.categories) {
            let found = cats.lookup(column)?;
            if self.unknown_value.is_none() && found.iter().any(Option::is_none) {
                let hint = "handle_unknown = \"use_encoded_value\" with unknown_value = -1 would code them -1";
                return Err(unknown_error("OrdinalEncoder", &cats.unknown_list(column, &found), &column.name, hint));
            }
            let known = cats.known();
            let values = found
                .iter()
                .map(|f| match *f {
                    Some(k) if k < known => k as f64,
                    Some(_) => f64::NAN,
                    None => self.unknown_value.unwrap_or(f64::NAN),
                })
                .collect();
            out.push(Work { name: column.name.clone(), cells: Cells::Num { values, show: Show::Float } });
        }
        Ok(Frame { columns: out, n_rows: n, c_order: true })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::frame::{Column, ColumnType};

    const NAN: f64 = f64::NAN;

    fn frame<'a>(names: &[String], columns: &'a [Column], rows: &[usize]) -> Frame<'a> {
        Frame::take(names, columns, &(0..columns.len()).collect::<Vec<_>>(), rows).unwrap()
    }

    /// Fits on `train` rows, transforms `test` rows: (names, columns of values).
    fn one_hot(
        spec: &OneHotEncoder,
        column: Column,
        train: &[usize],
        test: &[usize],
    ) -> Result<(Vec<String>, Vec<Vec<f64>>), String> {
        let names = vec!["c".to_string()];
        let columns = [column];
        let fitted = fit_one_hot(spec, &frame(&names, &columns, train));
        let out = fitted.transform(frame(&names, &columns, test))?;
        Ok(split(out))
    }

    fn ordinal(spec: &OrdinalEncoder, column: Column, train: &[usize], test: &[usize]) -> Result<Vec<f64>, String> {
        let names = vec!["c".to_string()];
        let columns = [column];
        let fitted = fit_ordinal(spec, &frame(&names, &columns, train))?;
        let out = fitted.transform(frame(&names, &columns, test))?;
        Ok(split(out).1.remove(0))
    }

    fn split(frame: Frame) -> (Vec<String>, Vec<Vec<f64>>) {
        let names = frame.columns.iter().map(|c| c.name.clone()).collect();
        let values = frame
            .columns
            .into_iter()
            .map(|c| match c.cells {
                Cells::Num { values, .. } => values,
                Cells::Text { .. } => panic!("numbers expected"),
            })
            .collect();
        (names, values)
    }

    fn same(a: &[f64], b: &[f64]) -> bool {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y || (x.is_nan() && y.is_nan()))
    }

    /// "b", "B", missing, "a": categories B < a < b (code points), missing last.
    #[test]
    fn one_hot_sorts_text_by_code_point_with_missing_last() {
        let column = Column::text(&[Some("b"), Some("B"), None, Some("a")]);
        let (names, cols) = one_hot(&OneHotEncoder::default(), column, &[0, 1, 2, 3], &[0, 1, 2, 3]).unwrap();
        assert_eq!(names, ["c_B", "c_a", "c_b", "c_nan"]);
        assert_eq!(
            cols,
            [vec![0.0, 1.0, 0.0, 0.0], vec![0.0, 0.0, 0.0, 1.0], vec![1.0, 0.0, 0.0, 0.0], vec![0.0, 0.0, 1.0, 0.0]]
        );
    }

    /// 10, 9, 2: sorted numerically (2 < 9 < 10), not as text ("10" < "2").
    #[test]
    fn one_hot_sorts_numbers_numerically() {
        let column = Column::Numbers { ty: ColumnType::Long, values: vec![10.0, 9.0, 2.0] };
        let (names, _) = one_hot(&OneHotEncoder::default(), column, &[0, 1, 2], &[0]).unwrap();
        assert_eq!(names, ["c_2", "c_9", "c_10"]);
        let floats = Column::numbers(vec![1.5, NAN, 1.0]);
        let (names, _) = one_hot(&OneHotEncoder::default(), floats, &[0, 1, 2], &[0]).unwrap();
        assert_eq!(names, ["c_1.0", "c_1.5", "c_nan"]);
    }

    #[test]
    fn an_unknown_category_is_an_error_or_zeros() {
        let column = Column::text(&[Some("a"), Some("b"), Some("x"), None]);
        let e = one_hot(&OneHotEncoder::default(), column.clone(), &[0, 1], &[0, 2, 3]).unwrap_err();
        assert!(e.starts_with("Found unknown categories ['x', nan] in column `c` during transform"), "{e}");
        let ignore = OneHotEncoder { handle_unknown: HandleUnknown::Ignore, drop: None };
        let (names, cols) = one_hot(&ignore, column, &[0, 1], &[0, 2, 3]).unwrap();
        assert_eq!(names, ["c_a", "c_b"]);
        assert_eq!(
            cols,
            [vec![1.0, 0.0, 0.0], vec![0.0, 0.0, 0.0]],
            "a missing cell unseen in training is unknown too"
        );
    }

    /// drop="first" removes the first category's column; with handle_unknown
    /// "ignore" an unknown value is all zeros, like the dropped category.
    #[test]
    fn drop_first_and_if_binary() {
        let column = Column::text(&[Some("a"), Some("b"), Some("c"), Some("z")]);
        let first = OneHotEncoder { handle_unknown: HandleUnknown::Ignore, drop: Some(Drop::First) };
        let (names, cols) = one_hot(&first, column.clone(), &[0, 1, 2], &[0, 1, 2, 3]).unwrap();
        assert_eq!(names, ["c_b", "c_c"]);
        assert_eq!(cols, [vec![0.0, 1.0, 0.0, 0.0], vec![0.0, 0.0, 1.0, 0.0]]);
        let if_binary = OneHotEncoder { handle_unknown: HandleUnknown::Error, drop: Some(Drop::IfBinary) };
        let (names, _) = one_hot(&if_binary, column.clone(), &[0, 1, 2], &[0]).unwrap();
        assert_eq!(names, ["c_a", "c_b", "c_c"], "three categories: nothing dropped");
        let (names, cols) = one_hot(&if_binary, column.clone(), &[0, 1], &[0, 1]).unwrap();
        assert_eq!((names, cols), (vec!["c_b".to_string()], vec![vec![0.0, 1.0]]));
        let with_missing = Column::text(&[Some("a"), None]);
        let (names, _) = one_hot(&if_binary, with_missing, &[0, 1], &[0]).unwrap();
        assert_eq!(names, ["c_nan"], "a and missing are two categories");
        let (names, _) = one_hot(&first, Column::text(&[Some("a")]), &[0], &[0]).unwrap();
        assert!(names.is_empty(), "one category, dropped: no column at all");
    }

    /// Categories a < b < c get codes 0, 1, 2; missing stays NaN.
    #[test]
    fn ordinal_codes_sorted_categories_and_keeps_missing() {
        let column = Column::text(&[Some("c"), Some("a"), None, Some("b")]);
        let out = ordinal(&OrdinalEncoder::default(), column, &[0, 1, 2, 3], &[0, 1, 2, 3]).unwrap();
        assert!(same(&out, &[2.0, 0.0, NAN, 1.0]), "{out:?}");
    }

    #[test]
    fn ordinal_unknown_is_an_error_or_unknown_value() {
        let column = Column::text(&[Some("a"), Some("b"), Some("z")]);
        let e = ordinal(&OrdinalEncoder::default(), column.clone(), &[0, 1], &[2]).unwrap_err();
        assert!(e.starts_with("Found unknown categories ['z'] in column `c` during transform"), "{e}");
        let spec = OrdinalEncoder { handle_unknown: OrdinalUnknown::UseEncodedValue, unknown_value: Some(-1.0) };
        assert_eq!(ordinal(&spec, column.clone(), &[0, 1], &[2, 1]).unwrap(), [-1.0, 1.0]);
        let nan = OrdinalEncoder { unknown_value: Some(NAN), ..spec.clone() };
        assert!(ordinal(&nan, column.clone(), &[0, 1], &[2]).unwrap()[0].is_nan());
        // Codes 0 and 1 are taken by a and b; 2 is free.
        let two = OrdinalEncoder { unknown_value: Some(2.0), ..spec };
        assert_eq!(ordinal(&two, column, &[0, 1], &[2]).unwrap(), [2.0]);
    }

    #[test]
    fn ordinal_refuses_the_unknown_values_scikit_learn_refuses() {
        let column = Column::text(&[Some("a"), Some("b"), None]);
        let use_encoded = |v| OrdinalEncoder { handle_unknown: OrdinalUnknown::UseEncodedValue, unknown_value: v };
        let e = ordinal(&use_encoded(None), column.clone(), &[0], &[0]).unwrap_err();
        assert!(e.ends_with("got None."), "{e}");
        let e = ordinal(&use_encoded(Some(1.0)), column.clone(), &[0, 1, 2], &[0]).unwrap_err();
        assert!(e.contains("unknown_value 1 is one of the values already used"), "{e}");
        assert!(ordinal(&use_encoded(Some(2.0)), column.clone(), &[0, 1, 2], &[0]).is_ok(), "missing has no code");
        let e = ordinal(&use_encoded(Some(0.5)), column.clone(), &[0], &[0]).unwrap_err();
        assert!(e.ends_with("got 0.5."), "{e}");
        let stray = OrdinalEncoder { handle_unknown: OrdinalUnknown::Error, unknown_value: Some(-1.0) };
        let e = ordinal(&stray, column, &[0], &[0]).unwrap_err();
        assert!(e.ends_with("'use_encoded_value', got -1."), "{e}");
    }
}
