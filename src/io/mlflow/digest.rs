//! MLflow's dataset digest, computed from a [`Table`] without Python.
//!
//! `mlflow.data.from_pandas(pd.read_csv(file)).digest` is what a Python user
//! sees for a CSV; Tuna logs the same 8 hex characters so that the same data
//! logged from Python and from Tuna is recognisable as the same.
//!
//! MLflow's `compute_pandas_digest` (mlflow/data/digest_utils.py):
//! 1. keeps the first 10,000 rows, and of their columns only those that are
//!    all strings or numeric (`select_dtypes(include=[np.number])`): pandas
//!    reads `true`/`false` columns as `bool`, which is not numeric, so boolean
//!    columns are left out of the row hashes (but not out of the names below);
//! 2. hashes each row with pandas' `hash_pandas_object(df)` (index included);
//! 3. MD5 over those row hashes (little-endian `uint64`), the row count as a
//!    little-endian `int64`, and every column name as UTF-8; keeps 8 hex chars.
//!
//! pandas' `hash_pandas_object` on a numeric frame (pandas/core/util/hashing.py):
//! each column's values are viewed as 64-bit unsigned integers (`int64` as is,
//! `float64` by its bits, with `-0.0` made `0.0` and NaN canonical), mixed by
//! a splitmix64-style finaliser, and the columns then the index (a
//! `RangeIndex`, so the row number as `int64`) are combined as CPython's
//! tuple hash does (`combine_hash_arrays`).
//!
//! The column dtypes are those `pd.read_csv` infers: integers `int64`, any
//! fraction or exponent `float64`, `True`/`true`/`TRUE`/`False`/... `bool`,
//! which is what `Table`'s [`ColumnType`] records. Checked against the real
//! MLflow and pandas in `tests/data/expected/mlflow_digests.json` (written by
//! `tests/mlflow/make_digests.py`).
//!
//! pandas 3 makes `-0.0` hash as `0.0`; pandas 2 (2.2.3 checked) hashed the
//! raw bits, so for data holding `-0.0` the digest depends on the pandas
//! version of whoever logs it. Tuna follows the pandas pinned in
//! `tests/mlflow/requirements.txt` (3.1.1).
//!
//! Known differences (none of them in numeric CSVs as Tuna writes and reads them):
//! a column mixing `true`/`false` with numbers is text to pandas (hashed with
//! SipHash) but numbers to Tuna; Tuna trims spaces around header names, pandas
//! keeps them; integers beyond 2^53 are held as doubles by `Table`.

use md5::{Digest, Md5};

use crate::io::table::{ColumnType, Table};

/// Rows MLflow hashes (`mlflow.data.digest_utils.MAX_ROWS`).
pub const MAX_ROWS: usize = 10_000;

/// pandas' `_hash_ndarray` mixing of one 64-bit value.
fn mix(mut v: u64) -> u64 {
    v ^= v >> 30;
    v = v.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    v ^= v >> 27;
    v = v.wrapping_mul(0x94D0_49BB_1331_11EB);
    v ^= v >> 31;
    v
}

/// The 64 bits pandas hashes for a cell of this dtype.
fn bits(value: f64, ty: ColumnType) -> u64 {
    match ty {
        ColumnType::Long => value as i64 as u64,
        // GH#28363: -0.0 hashes as 0.0 (NaN never reaches a Table).
        _ if value == 0.0 => 0,
        _ => value.to_bits(),
    }
}

/// Row hashes of `hash_pandas_object(df.head(10000)[numeric columns])`.
pub fn row_hashes(table: &Table) -> Vec<u64> {
    let p = table.columns.len();
    let types = table.types();
    let numeric: Vec<usize> = (0..p).filter(|&j| matches!(types[j], ColumnType::Long | ColumnType::Double)).collect();
    // `combine_hash_arrays`: the numeric columns, then the index.
    let num_items = numeric.len() as u64 + 1;
    (0..table.n_rows().min(MAX_ROWS))
        .map(|r| {
            let mut out: u64 = 0x34_5678;
            let mut mult: u64 = 1_000_003;
            let items = numeric.iter().map(|&j| mix(bits(table.data[j].number(r), types[j])));
            for (i, a) in items.chain(std::iter::once(mix(r as u64))).enumerate() {
                let inverse_i = num_items - i as u64;
                out ^= a;
                out = out.wrapping_mul(mult);
                mult = mult.wrapping_add(82_520 + inverse_i + inverse_i);
            }
            out.wrapping_add(97_531)
        })
        .collect()
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

    #[test]
    fn pandas_hash_array_docstring_values() {
        // `pd.util.hash_array(np.array([1, 2, 3]))` (pandas' own docstring).
        assert_eq!([1u64, 2, 3].map(mix), [6238072747940578789, 15839785061582574730, 2185194620014831856]);
    }

    #[test]
    fn pandas_hash_pandas_object_docstring_values() {
        // `pd.util.hash_pandas_object(pd.Series([1, 2, 3]))`: a one-column frame
        // hashes like a Series with its index.
        let t = read_csv("s.csv", b"s\n1\n2\n3\n", None).unwrap();
        assert_eq!(row_hashes(&t), vec![14639053686158035780, 3869563279212530728, 393322362522515241]);
    }

    #[test]
    fn minus_zero_hashes_as_zero_and_booleans_are_left_out() {
        let a = read_csv("a.csv", b"x,f\n-0.0,true\n1.5,false\n", None).unwrap();
        let b = read_csv("b.csv", b"x,f\n0.0,false\n1.5,true\n", None).unwrap();
        assert_eq!(row_hashes(&a), row_hashes(&b));
        assert_eq!(mlflow_digest(&a), mlflow_digest(&b));
        assert_eq!(mlflow_digest(&a).len(), 8);
    }
}
