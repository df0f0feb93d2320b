//! Facts about each dataset for lineage tracking: where it came from, its
//! shape, its schema, MLflow's digest of its values and a hash of the file's bytes.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::mlflow::digest::mlflow_digest;
use super::table::{Stored, Table};
use crate::core::frame::Column;

/// What is logged about one dataset (MLflow's dataset input, plus the file's SHA-256).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lineage {
    /// `inputs` or `targets`.
    pub name: String,
    /// The file name, URL or demo name it was read from.
    pub source: String,
    /// SHA-256 of the file's bytes, lowercase hex.
    pub sha256: String,
    /// MLflow's digest: `mlflow.data.from_pandas(pd.read_csv(file)).digest`.
    pub digest: String,
    /// Data rows read (after `limit`).
    pub num_rows: usize,
    /// Rows × columns.
    pub num_elements: usize,
    /// Column names with MLflow type names (`long`, `double`, `boolean`, `string`)
    /// and whether every cell is present (MLflow's `required`), as [`mlflow_schema`] gives them.
    pub schema: Vec<(String, String, bool)>,
}

/// SHA-256 of `bytes` as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// MLflow's `required` for a column (`_infer_required`): no cell is missing
/// (NaN, or `None` in an `object` column of booleans with blanks).
pub fn mlflow_required(column: &Column) -> bool {
    column.n_missing() == 0
}

/// The schema MLflow's `_infer_schema` gives the DataFrame `pd.read_csv`
/// reads: each column's name, MLflow type and `required`, in file order.
///
/// The type is the [`ColumnType`](crate::core::frame::ColumnType)'s MLflow
/// name, which is MLflow's for every column pandas reads as `Table` does:
/// `int64` is `long`; `float64` (an integer column with blanks, an
/// all-missing column) is `double`; `bool` is `boolean`, and so is an `object`
/// column of `True`/`False` with blanks (MLflow types its values, skipping
/// NaN); pandas 3's `str` is `string`, with or without missing cells (a date
/// too: `read_csv` does not parse dates unless asked).
pub fn mlflow_schema(table: &Table) -> Vec<(String, String, bool)> {
    table
        .columns
        .iter()
        .zip(table.data.iter())
        .enumerate()
        .map(|(j, (name, c))| (name.clone(), mlflow_type(c, table.stored(j)).to_string(), mlflow_required(c)))
        .collect()
}

/// MLflow's name for the dtype pandas gives a column stored so.
fn mlflow_type(column: &Column, stored: Stored) -> &'static str {
    match stored {
        // numpy's int8..int32 and uint8/uint16 are MLflow's `integer`; uint32 needs a `long`.
        Stored::Integer { bytes: 4, signed: false } => "long",
        Stored::Integer { .. } => "integer",
        Stored::Float32 => "float",
        Stored::NullableInteger => "long",
        Stored::Datetime => "datetime",
        Stored::AsRead => column.column_type().mlflow_name(),
    }
}

impl Lineage {
    /// Lineage of `table`, read from `source`, whose bytes hash to `sha256` (hex).
    pub fn new(name: &str, source: &str, sha256: String, table: &Table) -> Lineage {
        Lineage {
            name: name.to_string(),
            source: source.to_string(),
            sha256,
            digest: mlflow_digest(table),
            num_rows: table.n_rows(),
            num_elements: table.n_rows() * table.columns.len(),
            schema: mlflow_schema(table),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::table::read_csv;

    #[test]
    fn sha256_and_shape() {
        let bytes = b"a,b\n1,2.5\n3,4\n";
        let t = read_csv("x.csv", bytes, None).unwrap();
        let l = Lineage::new("inputs", "x.csv", sha256_hex(bytes), &t);
        // `printf 'a,b\n1,2.5\n3,4\n' | sha256sum`
        assert_eq!(l.sha256, "df45170606a73132cd13e774d46fa5d8b34a4793e4832298200017f4e054341c");
        // `mlflow.data.from_pandas(pd.read_csv(...)).digest` on the same bytes.
        assert_eq!(l.digest, "99d0d34a");
        assert_eq!(l.num_rows, 2);
        assert_eq!(l.num_elements, 4);
        assert_eq!(l.schema, vec![("a".into(), "long".into(), true), ("b".into(), "double".into(), true)]);
    }

    #[test]
    fn schema_of_text_missing_cells_and_booleans_with_blanks() {
        let t = read_csv("x.csv", b"i,n,s,m,b,e\n1,,x,y,true,\n2,2.5,z,,,NA\n", None).unwrap();
        let want = [
            ("i", "long", true),
            ("n", "double", false),
            ("s", "string", true),
            ("m", "string", false),
            ("b", "boolean", false),
            ("e", "double", false),
        ];
        assert_eq!(mlflow_schema(&t), want.map(|(n, t, r)| (n.to_string(), t.to_string(), r)));
        // `pd.read_csv(...)`, `mlflow.data.from_pandas(df).digest` (mlflow 3.17.2, pandas 3.1.1).
        assert_eq!(mlflow_digest(&t), "0637ff13");
    }
}
