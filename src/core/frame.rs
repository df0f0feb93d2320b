//! Typed columns: what a data file's cells are once read, numbers or text,
//! with missing cells kept as missing.
//!
//! A column is numeric when every non-missing cell is a number (or
//! `true`/`false`), as pandas' `read_csv` infers it; otherwise it is text.
//! Text is held dictionary-encoded (sorted distinct values and one code per
//! row) because what Tuna does with text is count, sort and one-hot it.

use serde::{Deserialize, Serialize};

/// The code of a missing text cell.
pub const MISSING: u32 = u32::MAX;

/// A column's type as a person reads it (and MLflow's schema names it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ColumnType {
    /// Every cell an integer (none missing): pandas `int64`, MLflow `long`.
    Long,
    /// Numbers with a fraction or exponent, or integers with blanks: `float64`, MLflow `double`.
    Double,
    /// Every cell `true`/`false`: pandas `bool`, MLflow `boolean`.
    Boolean,
    /// Some cell is not a number: pandas `object`/`str`, MLflow `string`.
    Text,
}

impl ColumnType {
    /// MLflow's name for the type.
    pub fn mlflow_name(self) -> &'static str {
        match self {
            ColumnType::Long => "long",
            ColumnType::Double => "double",
            ColumnType::Boolean => "boolean",
            ColumnType::Text => "string",
        }
    }

    /// The type as the data panel and `tuna validate` name it.
    pub fn label(self) -> &'static str {
        match self {
            ColumnType::Long => "integer",
            ColumnType::Double => "number",
            ColumnType::Boolean => "boolean",
            ColumnType::Text => "text",
        }
    }
}

/// One column's cells.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Column {
    /// Numbers (booleans as 1/0); NaN where a cell is missing.
    Numbers {
        /// `Long`, `Double` or `Boolean`.
        ty: ColumnType,
        /// One value per row.
        values: Vec<f64>,
    },
    /// Text.
    Text {
        /// The distinct values, sorted by code point (as Python sorts strings).
        categories: Vec<String>,
        /// Each row's index into `categories`, or [`MISSING`].
        codes: Vec<u32>,
    },
}

impl Column {
    /// A numeric column of `values` (NaN for missing), typed `Double`.
    pub fn numbers(values: Vec<f64>) -> Column {
        Column::Numbers { ty: ColumnType::Double, values }
    }

    /// A text column of `cells` (`None` for missing), dictionary-encoded.
    pub fn text<S: AsRef<str>>(cells: &[Option<S>]) -> Column {
        let mut categories: Vec<String> = cells.iter().flatten().map(|s| s.as_ref().to_string()).collect();
        categories.sort_unstable();
        categories.dedup();
        let codes = cells
            .iter()
            .map(|c| match c {
                Some(s) => categories.binary_search_by(|k| k.as_str().cmp(s.as_ref())).map_or(MISSING, |i| i as u32),
                None => MISSING,
            })
            .collect();
        Column::Text { categories, codes }
    }

    /// The number of distinct non-missing values (a text column's categories
    /// may include values its rows no longer hold, after `take`).
    pub fn n_distinct(&self) -> usize {
        match self {
            Column::Text { categories, codes } => {
                let mut used = vec![false; categories.len()];
                codes.iter().for_each(|&c| {
                    if let Some(u) = used.get_mut(c as usize) {
                        *u = true;
                    }
                });
                used.iter().filter(|u| **u).count()
            }
            Column::Numbers { values, .. } => {
                let mut v: Vec<f64> = values.iter().copied().filter(|x| !x.is_nan()).collect();
                v.sort_by(f64::total_cmp);
                v.dedup_by(|a, b| a == b);
                v.len()
            }
        }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        match self {
            Column::Numbers { values, .. } => values.len(),
            Column::Text { codes, .. } => codes.len(),
        }
    }

    /// Whether the column has no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The column's type.
    pub fn column_type(&self) -> ColumnType {
        match self {
            Column::Numbers { ty, .. } => *ty,
            Column::Text { .. } => ColumnType::Text,
        }
    }

    /// Whether the cells are numbers.
    pub fn is_numeric(&self) -> bool {
        matches!(self, Column::Numbers { .. })
    }

    /// Whether row `row`'s cell is missing.
    pub fn is_missing(&self, row: usize) -> bool {
        match self {
            Column::Numbers { values, .. } => values[row].is_nan(),
            Column::Text { codes, .. } => codes[row] == MISSING,
        }
    }

    /// How many cells are missing.
    pub fn n_missing(&self) -> usize {
        match self {
            Column::Numbers { values, .. } => values.iter().filter(|v| v.is_nan()).count(),
            Column::Text { codes, .. } => codes.iter().filter(|&&c| c == MISSING).count(),
        }
    }

    /// The first row whose cell is missing.
    pub fn first_missing(&self) -> Option<usize> {
        (0..self.len()).find(|&r| self.is_missing(r))
    }

    /// Row `row` as a number: NaN when missing or text.
    pub fn number(&self, row: usize) -> f64 {
        match self {
            Column::Numbers { values, .. } => values[row],
            Column::Text { .. } => f64::NAN,
        }
    }

    /// Row `row`'s text, for a text column's non-missing cell.
    pub fn text_at(&self, row: usize) -> Option<&str> {
        match self {
            Column::Text { categories, codes } => categories.get(codes[row] as usize).map(String::as_str),
            Column::Numbers { .. } => None,
        }
    }

    /// The rows at `rows`, in that order.
    pub fn take(&self, rows: &[usize]) -> Column {
        match self {
            Column::Numbers { ty, values } => {
                Column::Numbers { ty: *ty, values: rows.iter().map(|&r| values[r]).collect() }
            }
            Column::Text { categories, codes } => {
                Column::Text { categories: categories.clone(), codes: rows.iter().map(|&r| codes[r]).collect() }
            }
        }
    }
}

impl Column {
    /// Whether two columns hold the same cells, numbers compared by their bits (NaN equals NaN).
    pub fn same_bits(&self, other: &Column) -> bool {
        match (self, other) {
            (Column::Numbers { ty: a, values: x }, Column::Numbers { ty: b, values: y }) => {
                a == b && x.len() == y.len() && x.iter().zip(y).all(|(p, q)| p.to_bits() == q.to_bits())
            }
            (a, b) => a == b,
        }
    }
}

/// A column's summary for the data panel and `tuna validate`: its type and
/// missing cells, e.g. "`season` integer", "`hum` number, 12 missing".
pub fn describe_column(name: &str, column: &Column) -> String {
    let mut s = format!("`{name}` {}", column.column_type().label());
    if let Column::Text { categories, .. } = column {
        s.push_str(&format!(" ({} distinct)", categories.len()));
    }
    match column.n_missing() {
        0 => {}
        n => s.push_str(&format!(", {n} missing")),
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_sorted_by_code_point_with_missing_cells_kept() {
        let c = Column::text(&[Some("b"), None, Some("a"), Some("Z"), Some("b")]);
        let Column::Text { categories, codes } = &c else { panic!("text") };
        assert_eq!(categories, &["Z", "a", "b"], "Python sorts upper case before lower case");
        assert_eq!(codes, &[2, MISSING, 1, 0, 2]);
        assert_eq!((c.n_missing(), c.first_missing(), c.text_at(2)), (1, Some(1), Some("a")));
        assert_eq!(c.take(&[3, 1]), Column::Text { categories: categories.clone(), codes: vec![0, MISSING] });
    }

    #[test]
    fn numbers_use_nan_for_missing() {
        let c = Column::numbers(vec![1.0, f64::NAN, 3.0]);
        assert_eq!((c.n_missing(), c.is_missing(1), c.is_numeric()), (1, true, true));
        assert_eq!(describe_column("hum", &c), "`hum` number, 1 missing");
        assert_eq!(describe_column("s", &Column::text(&[Some("x"), Some("y")])), "`s` text (2 distinct)");
    }
}
