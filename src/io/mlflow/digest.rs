//! MLflow's dataset digest, computed from a [`Table`] without Python.
//!
//! `mlflow.data.from_pandas(pd.read_csv(file)).digest` is what a Python user
//! sees for a CSV; Tuna logs the same 8 hex characters so that the same data
//! logged from Python and from Tuna is recognisable as the same.
//!
//! MLflow's `compute_pandas_digest` (mlflow/data/digest_utils.py):
//! 1. keeps the first 10,000 rows, and of their columns only the string
//!    columns and the numeric ones:
//!    - a string column is one whose every value *in the whole frame* (not
//!      only the first 10,000 rows) is a Python `str`
//!      (`(df.map(type) == str).all(0)`), so a text column with one missing
//!      cell (NaN) anywhere is left out;
//!    - numeric is `select_dtypes(include=[np.number])`: `int64` and
//!      `float64`, which includes an integer column with blanks (`float64`)
//!      and an all-missing column (`float64` of NaN); `bool` is not numeric,
//!      and a boolean column with blanks is `object` (`True`/`False`/NaN), so
//!      boolean columns are left out of the row hashes (but not out of the
//!      names below);
//!
//!    and takes them in the order of `string_columns.union(numeric_columns)`:
//!    pandas' `Index.union` returns one side as it is when the other is empty,
//!    and else *sorts* the names (by code point), so a file with both text and
//!    numeric columns is hashed with its columns sorted by name;
//! 2. hashes each row with pandas' `hash_pandas_object(df)` (index included);
//! 3. MD5 over those row hashes (little-endian `uint64`), the row count of the
//!    whole frame as a little-endian `int64`, and every column name (all of
//!    them, in file order) as UTF-8; keeps 8 hex chars.
//!
//! pandas' `hash_pandas_object` (pandas/core/util/hashing.py) hashes each
//! column to one `uint64` per row:
//! - numbers: the values viewed as 64-bit unsigned integers (`int64` as is,
//!   `float64` by its bits, with `-0.0` made `0.0` and every NaN made the one
//!   canonical NaN, `0x7FF8000000000000`), mixed by a splitmix64-style
//!   finaliser;
//! - text (pandas 3's `str` dtype, Arrow-backed): `categorize=True`
//!   dictionary-encodes the column, hashes each distinct value with
//!   SipHash-2-4 (key `"0123456789123456"`) over its UTF-8 bytes
//!   (`hash_object_array`), mixes that hash with the same finaliser, and gives
//!   each row its value's hash (a missing cell would get `u64::MAX`, but such
//!   a column is never hashed, see 1.). [`Column::Text`]'s categories are
//!   exactly those distinct values;
//!
//! and the columns then the index (a `RangeIndex`, so the row number as
//! `int64`) are combined as CPython's tuple hash does (`combine_hash_arrays`).
//!
//! The column dtypes are those `pd.read_csv` infers, which is what `Table`'s
//! [`ColumnType`] records: integers `int64` (`float64` with a blank), any
//! fraction or exponent `float64`, `True`/`true`/`TRUE`/`False`/... `bool`,
//! text `str` (pandas 3 does not parse dates by default: a date is text);
//! pandas' default NA strings (`NA`, `NaN`, `null`, `N/A`, ...) and blanks are
//! missing. Checked against the real MLflow and pandas in
//! `tests/data/expected/mlflow_digests.json` (written by
//! `tests/mlflow/make_digests.py` from the files in `tests/mlflow/data/`).
//!
//! For a Parquet file the frame is `pd.read_parquet`'s, whose dtypes come
//! from the file's schema ([`Stored`]): an `int8`..`uint32` column hashes
//! each value as an unsigned integer of its own width (an `int8` of -2 as
//! 254), `float32` by its 32 bits, pandas' nullable `Int64` as `int64` with
//! a missing cell as `0x1FFFFFFFFFFFFFFF` (measured); dates and timestamps
//! are neither `str` nor numbers, so they are not hashed; a stored index (the
//! bikes files' `instant`) is hashed in place of the row numbers. Checked on
//! pyarrow's and Polars' files in `tests/data/parquet/`.
//!
//! pandas 3 makes `-0.0` hash as `0.0`; pandas 2 (2.2.3 checked) hashed the
//! raw bits, so for data holding `-0.0` the digest depends on the pandas
//! version of whoever logs it. pandas 2 also read text as `object`, not `str`,
//! which hashes the same. Tuna follows the pandas pinned in
//! `tests/mlflow/requirements.txt` (3.1.1).
//!
//! # Known differences
//!
//! Each has a file in `tests/mlflow/data/` (`known_*.csv`) that
//! `tests/mlflow_digests.rs` checks still differs; where the digest differs,
//! so may the schema.
//! - Spaces around a cell: Tuna trims them before deciding what a cell is,
//!   pandas does not for missing markers and booleans: ` NA` is missing to
//!   Tuna but text to pandas, ` False` is a boolean to Tuna but text to
//!   pandas, so their column is text to pandas and hashed (or, with a missing
//!   cell, dropped) differently (`known_spaces.csv`). Numbers with spaces
//!   (` 2.5`) are numbers to both.
//! - NaN spellings pandas does not list (`NAN`, `+nan`, `-NAN`): missing to
//!   Tuna, text to pandas (`known_nan_spellings.csv`).
//! - A column mixing `true`/`false` with numbers is text to pandas (hashed with
//!   SipHash over the cells as written, `1.50` included) but numbers to Tuna,
//!   which no longer has the text (`known_bool_numbers.csv`).
//! - Integers beyond 2^53 are held as doubles by `Table`, so pandas' exact
//!   `int64` bits are lost; beyond 2^63 pandas reads `uint64`, which MLflow
//!   hashes but cannot type (the dataset is logged without a schema)
//!   (`known_big_ints.csv`).
//! - pandas' `low_memory` parser types a file's columns per chunk of rows
//!   (the largest power of two below 2^20 / the number of columns: 524,288
//!   rows for one column, 4,096 for 128): a column that is numbers in one
//!   chunk and text in another is `object` holding both `int`s and `str`s,
//!   which MLflow neither hashes nor types (the dataset is logged without a
//!   schema); Tuna reads it as text (`known_low_memory.csv`).
//! - Tuna trims spaces around header names, pandas keeps them
//!   (`known_spaces.csv`); pandas renames a repeated header `a` to `a.1`,
//!   which Tuna's validation rejects instead.

use md5::{Digest, Md5};
use siphasher::sip::SipHasher24;

use crate::core::frame::Column;
use crate::io::table::{ColumnType, RowIndex, Stored, Table};

/// Rows MLflow hashes (`mlflow.data.digest_utils.MAX_ROWS`).
pub const MAX_ROWS: usize = 10_000;

/// pandas' `_default_hash_key`, the SipHash key of text cells.
const HASH_KEY: &[u8; 16] = b"0123456789123456";

/// pandas' `_hash_ndarray` mixing of one 64-bit value.
fn mix(mut v: u64) -> u64 {
    v ^= v >> 30;
    v = v.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    v ^= v >> 27;
    v = v.wrapping_mul(0x94D0_49BB_1331_11EB);
    v ^= v >> 31;
    v
}

/// pandas' `hash_array` of one text cell: SipHash-2-4 of its UTF-8, then mixed.
fn hash_text(s: &str) -> u64 {
    mix(SipHasher24::new_with_key(HASH_KEY).hash(s.as_bytes()))
}

/// pandas' hash of a missing cell of a nullable `Int64` column (measured).
const NULLABLE_MISSING: u64 = 0x1FFF_FFFF_FFFF_FFFF;

/// The 64 bits pandas hashes for a number of this dtype: numpy views each
/// value as an unsigned integer of its own width, then widens it (an `int8`
/// of -2 hashes as 254).
fn bits(value: f64, ty: ColumnType, stored: Stored) -> u64 {
    match (stored, ty) {
        (Stored::Integer { bytes, .. }, _) => (value as i64 as u64) & (u64::MAX >> (64 - 8 * u32::from(bytes))),
        (Stored::Float32, _) if value.is_nan() => f32::NAN.to_bits() as u64,
        (Stored::Float32, _) => (value as f32).to_bits() as u64,
        (Stored::NullableInteger, _) => value as i64 as u64,
        (_, ColumnType::Long) => value as i64 as u64,
        // GH#28363: every NaN hashes as numpy's NaN, -0.0 as 0.0.
        _ if value.is_nan() => 0x7FF8_0000_0000_0000,
        _ if value == 0.0 => 0,
        _ => value.to_bits(),
    }
}

/// The columns MLflow hashes, in the order it hashes them: the text columns
/// with no missing cell (in any row) and the `int64`/`float64` ones, as
/// `string_columns.union(numeric_columns)` orders them (sorted by name when
/// there are both).
pub fn hashed_columns(table: &Table) -> Vec<usize> {
    let p = table.columns.len();
    // Dates and timestamps are text to the engine but neither `str` nor numbers to pandas.
    let strings: Vec<usize> = (0..p)
        .filter(|&j| matches!(table.data[j], Column::Text { .. }) && table.data[j].n_missing() == 0)
        .filter(|&j| table.stored(j) != Stored::Datetime)
        .collect();
    let numbers: Vec<usize> =
        (0..p).filter(|&j| matches!(table.data[j].column_type(), ColumnType::Long | ColumnType::Double)).collect();
    if strings.is_empty() {
        return numbers;
    }
    if numbers.is_empty() {
        return strings;
    }
    let mut both = [strings, numbers].concat();
    // Rust orders strings by their UTF-8 bytes, which is Python's code point order.
    both.sort_by(|&a, &b| table.columns[a].cmp(&table.columns[b]));
    both
}

/// One hashed column's `hash_array` values for its first `n` rows.
fn column_hashes(column: &Column, stored: Stored, n: usize) -> Vec<u64> {
    match column {
        Column::Numbers { values, .. } if stored == Stored::NullableInteger => values[..n]
            .iter()
            .map(|&v| if v.is_nan() { NULLABLE_MISSING } else { mix(bits(v, ColumnType::Long, stored)) })
            .collect(),
        Column::Numbers { ty, values } => values[..n].iter().map(|&v| mix(bits(v, *ty, stored))).collect(),
        Column::Text { categories, codes } => {
            let hashed: Vec<u64> = categories.iter().map(|c| hash_text(c)).collect();
            codes[..n].iter().map(|&c| hashed.get(c as usize).copied().unwrap_or(u64::MAX)).collect()
        }
    }
}

/// `hash_pandas_object(df.index)` of the first `n` rows: a `RangeIndex` hashes
/// its labels as `int64`; a stored index column as a column of its dtype.
fn index_hashes(index: &RowIndex, n: usize) -> Vec<u64> {
    match index {
        RowIndex::Range { start, step } => (0..n as i64).map(|i| mix((start + i * step) as u64)).collect(),
        RowIndex::Column { values, .. } => column_hashes(values, Stored::AsRead, n),
    }
}

/// Row hashes of `hash_pandas_object(df.head(10000)[hashed columns])`.
pub fn row_hashes(table: &Table) -> Vec<u64> {
    let n = table.n_rows().min(MAX_ROWS);
    let columns = hashed_columns(table);
    // `combine_hash_arrays`: the hashed columns, then the index.
    let num_items = columns.len() as u64 + 1;
    let index = index_hashes(&table.index, n);
    let mut out = vec![0x34_5678u64; n];
    let mut mult: u64 = 1_000_003;
    let arrays =
        columns.iter().map(|&j| column_hashes(&table.data[j], table.stored(j), n)).chain(std::iter::once(index));
    for (i, a) in arrays.enumerate() {
        let inverse_i = num_items - i as u64;
        for (o, h) in out.iter_mut().zip(a) {
            *o = (*o ^ h).wrapping_mul(mult);
        }
        mult = mult.wrapping_add(82_520 + inverse_i + inverse_i);
    }
    out.iter_mut().for_each(|o| *o = o.wrapping_add(97_531));
    out
}

/// `mlflow.data.from_pandas(pd.read_csv(file)).digest` for the table read from `file`
/// (with `limit = N`: of `pd.read_csv(file, nrows=N)`).
pub fn mlflow_digest(table: &Table) -> String {
    let mut md5 = Md5::new();
    for h in row_hashes(table) {
        md5.update(h.to_le_bytes());
    }
    md5.update((table.n_rows() as i64).to_le_bytes());
    for name in &table.columns {
        md5.update(name.as_bytes());
    }
    md5.finalize().iter().take(4).map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::table::read_csv;

    fn read(text: &str) -> Table {
        read_csv("t.csv", text.as_bytes(), None).unwrap()
    }

    #[test]
    fn pandas_hash_array_docstring_values() {
        // `pd.util.hash_array(np.array([1, 2, 3]))` (pandas' own docstring).
        assert_eq!([1u64, 2, 3].map(mix), [6238072747940578789, 15839785061582574730, 2185194620014831856]);
    }

    #[test]
    fn pandas_hash_pandas_object_docstring_values() {
        // `pd.util.hash_pandas_object(pd.Series([1, 2, 3]))`: a one-column frame
        // hashes like a Series with its index.
        assert_eq!(
            row_hashes(&read("s\n1\n2\n3\n")),
            vec![14639053686158035780, 3869563279212530728, 393322362522515241]
        );
        // `hash_pandas_object(pd.DataFrame({"a": ["a", "b", "c"]}))` (the docstring's text example).
        let t = Table {
            name: "df".into(),
            columns: vec!["a".into()],
            data: vec![Column::text(&[Some("a"), Some("b"), Some("c")])].into(),
            index: RowIndex::default(),
            stored: Vec::new(),
        };
        assert_eq!(row_hashes(&t), vec![4578374827886788867, 17338122309987883691, 5473791562133574857]);
    }

    #[test]
    fn text_cells_hash_as_pandas_siphash() {
        // `pd.util.hash_array(np.array(["a", "Zürich", ""], dtype=object), categorize=False)`
        // (pandas 3.1.1); the empty string never reaches a Table (it is missing).
        assert_eq!(
            ["a", "Zürich", "", "hello world, this is longer than 16"].map(hash_text),
            [13950350942979735504, 7424669937979758302, 1760245841805064774, 14159182375106296882]
        );
    }

    #[test]
    fn minus_zero_hashes_as_zero_and_booleans_are_left_out() {
        let a = read("x,f\n-0.0,true\n1.5,false\n");
        let b = read("x,f\n0.0,false\n1.5,true\n");
        assert_eq!(row_hashes(&a), row_hashes(&b));
        assert_eq!(mlflow_digest(&a), mlflow_digest(&b));
        assert_eq!(mlflow_digest(&a).len(), 8);
    }

    #[test]
    fn every_nan_hashes_alike() {
        let t = read("x\n1.5\nNA\n");
        let mut u = t.clone();
        let Column::Numbers { values, .. } = &mut std::sync::Arc::make_mut(&mut u.data)[0] else { panic!("numbers") };
        values[1] = -f64::NAN;
        assert_eq!(row_hashes(&t), row_hashes(&u));
    }

    #[test]
    fn text_with_a_missing_cell_and_booleans_are_not_hashed_and_names_are_sorted_when_both_kinds_are() {
        let t = read("z,b,s,m,f\n1,x,p,q,true\n2,y,r,,\n");
        // `s` and `z`, `b` (text, all present) sorted by name with the numbers;
        // `m` (text, one missing) and `f` (booleans) left out.
        assert_eq!(hashed_columns(&t), vec![1, 2, 0]);
        // Only numbers, or only text: the file's order.
        assert_eq!(hashed_columns(&read("z,a\n1,2\n")), vec![0, 1]);
        assert_eq!(hashed_columns(&read("z,a\nx,y\n")), vec![0, 1]);
        // The missing cell of a text column counts beyond the first 10,000 rows too.
        let mut long = "s,n\n".to_string() + &"x,1\n".repeat(MAX_ROWS) + "NA,2\n";
        assert_eq!(hashed_columns(&read(&long)), vec![1]);
        long = "s,n\n".to_string() + &"x,1\n".repeat(MAX_ROWS + 1);
        assert_eq!(hashed_columns(&read(&long)), vec![1, 0]);
    }
}
