//! The cells between two steps of a pipeline: numbers (NaN for missing) or
//! text, column by column, as scikit-learn's steps hand arrays to each other.
//!
//! Text stays dictionary-encoded and borrows the dataset's dictionary until a
//! step adds a value to it (a constant fill), so a fold costs no string copies.

use std::borrow::Cow;

use crate::core::frame::{Column, ColumnType};
use crate::core::params::python_float;

/// How a column's numbers print in feature names (`season_1`, `temp_1.5`,
/// `holiday_True`): numpy's `str` of the dtype the values have at that step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Show {
    /// `int64`: `1`.
    Int,
    /// `float64`: `1.0`.
    Float,
    /// `bool`: `True`.
    Bool,
}

impl Show {
    /// The dtype pandas gives a column of type `ty`.
    pub fn of(ty: ColumnType) -> Show {
        match ty {
            ColumnType::Long => Show::Int,
            ColumnType::Boolean => Show::Bool,
            ColumnType::Double | ColumnType::Text => Show::Float,
        }
    }

    /// `x` as Python prints a value of this dtype.
    pub fn number(self, x: f64) -> String {
        match self {
            _ if x.is_nan() => "nan".into(),
            Show::Int if x.fract() == 0.0 && x.abs() < 9.0e15 => format!("{}", x as i64),
            Show::Bool if x == 0.0 => "False".into(),
            Show::Bool if x == 1.0 => "True".into(),
            _ => python_float(x),
        }
    }
}

/// One column's cells.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Cells<'a> {
    /// Numbers; NaN where missing.
    Num {
        /// One per row.
        values: Vec<f64>,
        /// How they print in feature names.
        show: Show,
    },
    /// Text: indices into `dict`, `frame::MISSING` (or any code past the dictionary) where missing.
    Text {
        /// The values the codes point to (not necessarily sorted once a step added one).
        dict: Cow<'a, [String]>,
        /// One per row.
        codes: Vec<u32>,
    },
}

impl Cells<'_> {
    /// Whether row `i` is missing (a code outside the dictionary counts as missing).
    pub fn is_missing(&self, i: usize) -> bool {
        match self {
            Cells::Num { values, .. } => values[i].is_nan(),
            Cells::Text { dict, codes } => codes[i] as usize >= dict.len(),
        }
    }

    /// Whether the cells are numbers.
    pub fn is_numeric(&self) -> bool {
        matches!(self, Cells::Num { .. })
    }

    /// Row `i`'s text, for a text column's non-missing cell.
    pub fn text(&self, i: usize) -> Option<&str> {
        match self {
            Cells::Text { dict, codes } => dict.get(codes[i] as usize).map(String::as_str),
            Cells::Num { .. } => None,
        }
    }
}

/// A named column between steps.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Work<'a> {
    /// Its name in feature names and messages (`season`, then `season_1` after one-hot).
    pub name: String,
    /// Its cells.
    pub cells: Cells<'a>,
}

/// The columns one step hands the next.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Frame<'a> {
    /// The columns, in order.
    pub columns: Vec<Work<'a>>,
    /// The number of rows (kept apart so a frame of no columns still has rows).
    pub n_rows: usize,
    /// Whether the array is row-major (C order), which decides how numpy sums a
    /// column: pairwise along a contiguous column (a DataFrame's values are
    /// column-major), one row after another across a row-major array with
    /// several columns (an encoder's output). See [`super::sums`].
    pub c_order: bool,
}

impl<'a> Frame<'a> {
    /// Rows `rows` of the dataset columns `picked` (indices into `columns`),
    /// as a DataFrame's selection hands them to the first step.
    pub fn take(
        names: &[String],
        columns: &'a [Column],
        picked: &[usize],
        rows: &[usize],
    ) -> Result<Frame<'a>, String> {
        let mut out = Vec::with_capacity(picked.len());
        for &j in picked {
            let (Some(name), Some(column)) = (names.get(j), columns.get(j)) else {
                return Err(format!(
                    "column {j} is not in the data, which has {} columns",
                    columns.len().min(names.len())
                ));
            };
            if let Some(&r) = rows.iter().find(|&&r| r >= column.len()) {
                return Err(format!("row {r} is not in the data, which has {} rows", column.len()));
            }
            let cells = match column {
                Column::Numbers { ty, values } => {
                    Cells::Num { values: rows.iter().map(|&r| values[r]).collect(), show: Show::of(*ty) }
                }
                Column::Text { categories, codes } => Cells::Text {
                    dict: Cow::Borrowed(categories.as_slice()),
                    codes: rows.iter().map(|&r| codes[r]).collect(),
                },
            };
            out.push(Work { name: name.clone(), cells });
        }
        Ok(Frame { columns: out, n_rows: rows.len(), c_order: false })
    }

    /// Whether every column is numbers (numpy would give the array a numeric dtype).
    pub fn is_numeric(&self) -> bool {
        self.columns.iter().all(|c| c.cells.is_numeric())
    }

    /// The text columns' names.
    pub fn text_columns(&self) -> Vec<&str> {
        self.columns.iter().filter(|c| !c.cells.is_numeric()).map(|c| c.name.as_str()).collect()
    }

    /// The dtype numpy gives the numbers when the columns become one array
    /// (`None` when some column is text: an object array keeps each value's type).
    pub fn array_show(&self) -> Option<Show> {
        let mut shows = self.columns.iter().map(|c| match &c.cells {
            Cells::Num { show, .. } => Some(*show),
            Cells::Text { .. } => None,
        });
        let first = shows.next()??;
        let mut all_same = true;
        for s in shows {
            match s {
                None => return None,
                Some(s) if s != first => all_same = false,
                Some(_) => {}
            }
        }
        Some(if all_same { first } else { Show::Float })
    }

    /// The columns as one array: numbers take the array's common dtype.
    pub fn into_array(mut self) -> Frame<'a> {
        if let Some(common) = self.array_show() {
            for c in &mut self.columns {
                if let Cells::Num { show, .. } = &mut c.cells {
                    *show = common;
                }
            }
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_as_numpy_prints_their_dtype() {
        assert_eq!(Show::Int.number(3.0), "3");
        assert_eq!(Show::Float.number(3.0), "3.0");
        assert_eq!(Show::Float.number(f64::NAN), "nan");
        assert_eq!(Show::Bool.number(1.0), "True");
        assert_eq!(Show::Int.number(f64::NAN), "nan");
    }

    #[test]
    fn take_refuses_rows_and_columns_out_of_range() {
        let names = vec!["a".to_string()];
        let columns = vec![Column::numbers(vec![1.0, 2.0])];
        assert!(Frame::take(&names, &columns, &[0], &[1, 0]).is_ok());
        assert_eq!(
            Frame::take(&names, &columns, &[0], &[2]).unwrap_err(),
            "row 2 is not in the data, which has 2 rows"
        );
        assert!(Frame::take(&names, &columns, &[1], &[0]).unwrap_err().starts_with("column 1 is not in the data"));
    }

    #[test]
    fn an_array_of_integers_and_floats_is_floats() {
        let names = vec!["i".to_string(), "f".to_string()];
        let columns = vec![Column::Numbers { ty: ColumnType::Long, values: vec![1.0] }, Column::numbers(vec![0.5])];
        let frame = Frame::take(&names, &columns, &[0, 1], &[0]).unwrap();
        assert_eq!(frame.array_show(), Some(Show::Float));
        let only_int = Frame::take(&names, &columns, &[0], &[0]).unwrap();
        assert_eq!(only_int.array_show(), Some(Show::Int));
    }
}
