//! Tuna reads Parquet files as pandas' `read_parquet` does, and a job on
//! Parquet data scores exactly as the same data as CSV.
//!
//! `tests/data/parquet/` holds files written by pyarrow (through pandas, with
//! an index column) and by Polars, with every codec, nulls, strings,
//! dictionary-encoded categories, dates, timestamps and several row groups;
//! `tests/data/expected/parquet.json` holds what `pd.read_parquet` gives for
//! each, cell for cell. Both come from `tests/parquet/make_files.py`.
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;

use bytes::Bytes;
use serde_json::Value;
use tuna::core::frame::{Column, ColumnType};
use tuna::io::table::{DataError, FileFormat, RowIndex, Table, read_table};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &str, limit: Option<usize>) -> Result<Table, DataError> {
    let bytes = Bytes::from(std::fs::read(root().join(path)).unwrap());
    read_table(path, &bytes, limit, FileFormat::Parquet)
}

/// The type Tuna gives a pandas dtype, given whether the column has a missing cell.
fn expected_type(dtype: &str, has_missing: bool) -> ColumnType {
    match dtype {
        "bool" | "boolean" => ColumnType::Boolean,
        d if d.starts_with("int") || d.starts_with("uint") || d.starts_with("Int") || d.starts_with("UInt") => {
            if has_missing {
                ColumnType::Double
            } else {
                ColumnType::Long
            }
        }
        d if d.starts_with("float") || d.starts_with("Float") => ColumnType::Double,
        // `object` holds booleans with nulls (Polars) or dates; the cells tell.
        _ => ColumnType::Text,
    }
}

/// Whether Tuna's cell `row` of `column` is pandas' JSON cell.
fn same_cell(column: &Column, row: usize, want: &Value) -> bool {
    match (column, want) {
        (_, Value::Null) => column.is_missing(row),
        (Column::Numbers { .. }, Value::Bool(b)) => column.number(row) == f64::from(u8::from(*b)),
        (Column::Numbers { .. }, Value::Number(n)) => column.number(row) == n.as_f64().unwrap(),
        (Column::Text { .. }, Value::String(s)) => column.text_at(row) == Some(s.as_str()),
        _ => false,
    }
}

fn check_column(file: &str, name: &str, column: &Column, want: &Value, failures: &mut Vec<String>) {
    let cells = want["cells"].as_array().unwrap();
    if column.len() != cells.len() {
        failures.push(format!("{file}: `{name}` has {} rows, pandas {}", column.len(), cells.len()));
        return;
    }
    for (row, cell) in cells.iter().enumerate() {
        if !same_cell(column, row, cell) {
            failures.push(format!(
                "{file}: `{name}` row {row}: Tuna {column:?}, pandas {cell}",
                column = cell_of(column, row)
            ));
        }
    }
}

fn cell_of(column: &Column, row: usize) -> String {
    match column {
        Column::Numbers { .. } => column.number(row).to_string(),
        Column::Text { .. } => format!("{:?}", column.text_at(row)),
    }
}

#[test]
fn every_file_reads_as_pandas_reads_it() {
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("tests/data/expected/parquet.json")).unwrap())
            .unwrap();
    let files = expected["files"].as_array().unwrap();
    // Both writers, six codecs each, and the two index layouts.
    assert_eq!(files.len(), 14);
    let mut failures = Vec::new();
    for case in files {
        let file = case["file"].as_str().unwrap();
        let table = match read(file, None) {
            Ok(t) => t,
            Err(e) => {
                failures.push(format!("{file}: {e}"));
                continue;
            }
        };
        let columns = case["columns"].as_array().unwrap();
        let names: Vec<&str> = columns.iter().map(|c| c["name"].as_str().unwrap()).collect();
        assert_eq!(table.columns, names, "{file}: the columns, without the index");
        for ((name, column), want) in table.columns.iter().zip(&table.data).zip(columns) {
            let has_missing = want["cells"].as_array().unwrap().iter().any(Value::is_null);
            let dtype = want["dtype"].as_str().unwrap();
            let is_bool_object = want["cells"].as_array().unwrap().iter().any(Value::is_boolean);
            let ty = if is_bool_object { ColumnType::Boolean } else { expected_type(dtype, has_missing) };
            if column.column_type() != ty {
                failures.push(format!("{file}: `{name}` is {:?}, pandas' {dtype} is {ty:?}", column.column_type()));
            }
            check_column(file, name, column, want, &mut failures);
        }
        let index = &case["index"];
        match (&table.index, index.get("range")) {
            (RowIndex::Range { start, step }, Some(range)) => {
                assert_eq!([*start, *step], [range[0].as_i64().unwrap(), range[1].as_i64().unwrap()], "{file}");
            }
            (RowIndex::Column { name, values }, None) => {
                // pandas names an unnamed index `__index_level_0__` in the file and `None` in the frame.
                let want = index["name"].as_str().unwrap_or("__index_level_0__");
                assert_eq!(name, want, "{file}");
                check_column(file, name, values, index, &mut failures);
            }
            (got, _) => failures.push(format!("{file}: index {got:?}, pandas {index}")),
        }
    }
    assert!(failures.is_empty(), "{} differences:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn limit_keeps_the_first_rows_across_row_groups() {
    let all = read("tests/data/parquet/pyarrow_snappy.parquet", None).unwrap();
    // Row groups of 16 rows: 20 rows end inside the second.
    let some = read("tests/data/parquet/pyarrow_snappy.parquet", Some(20)).unwrap();
    assert_eq!(some.n_rows(), 20);
    for (a, s) in all.data.iter().zip(&some.data) {
        assert_eq!(a.column_type(), s.column_type());
        for row in 0..20 {
            assert_eq!(cell_of(a, row), cell_of(s, row));
        }
    }
}

#[test]
fn nested_columns_and_other_files_are_refused_by_name() {
    let e = read("tests/data/parquet/invalid_list_column.parquet", None).unwrap_err().to_string();
    assert_eq!(
        e,
        "tests/data/parquet/invalid_list_column.parquet: column `tags` holds lists or nested records, not one value \
         per row; Tuna reads flat columns (numbers, text, booleans, dates): flatten it or drop it before saving"
    );
    let csv = read("tests/data/parquet/bikes/targets.csv", None).unwrap_err().to_string();
    assert_eq!(
        csv,
        "tests/data/parquet/bikes/targets.csv: is not a Parquet file (it does not start with `PAR1`); if it is a CSV \
         file, set KIND = \"CsvReader\""
    );
    // A file cut short (a download that stopped) says so instead of panicking.
    let whole = std::fs::read(root().join("tests/data/parquet/pyarrow_zstd.parquet")).unwrap();
    for cut in [4, 100, whole.len() / 2, whole.len() - 1] {
        let bytes = Bytes::copy_from_slice(&whole[..cut]);
        let e = read_table("cut.parquet", &bytes, None, FileFormat::Parquet).unwrap_err().to_string();
        assert!(e.starts_with("cut.parquet: is not a Parquet file Tuna can read ("), "{cut}: {e}");
    }
}

#[test]
fn a_parquet_file_read_as_csv_is_still_parquet() {
    let bytes = Bytes::from(std::fs::read(root().join("tests/data/parquet/bikes/targets.parquet")).unwrap());
    let table = read_table("targets.parquet", &bytes, None, FileFormat::Csv).unwrap();
    assert_eq!(table.columns, ["cnt"]);
    assert!(matches!(table.index, RowIndex::Column { ref name, .. } if name == "instant"));
}

/// `mean_test_score` of a small forest job on the bikes slice in `format` (`csv` or `parquet`).
fn bikes_scores(format: &str) -> Vec<f64> {
    use tuna::io::files::Files;
    use tuna::jobs::tuning::TuningJob;
    let reader = if format == "csv" { "CsvReader" } else { "ParquetReader" };
    let config = format!(
        r#"KIND = "TuningJob"
inputs = {{ KIND = "{reader}", path = "tests/data/parquet/bikes/inputs.{format}" }}
targets = {{ KIND = "{reader}", path = "tests/data/parquet/bikes/targets.{format}" }}
model = {{ KIND = "RandomForestRegressor", n_estimators = 8, random_state = 42 }}
splitter = {{ KIND = "TimeSeriesSplitter", n_splits = 3, test_size = 300 }}
searcher = {{ KIND = "GridCVSearcher", param_grid = {{ max_depth = [3, 6] }} }}
[preprocess]
KIND = "ColumnTransformer"
remainder = "drop"
transformers = [
  {{ name = "categoricals", columns = ["season", "weathersit"], steps = [{{ KIND = "OneHotEncoder", handle_unknown = "ignore" }}] }},
  {{ name = "numericals", columns = ["yr", "mnth", "hr", "holiday", "weekday", "workingday", "temp", "atemp", "hum", "windspeed"], steps = "passthrough" }},
]
"#
    );
    let job = TuningJob::from_config("job.toml", &config).unwrap();
    let prepared =
        pollster::block_on(job.validate(&Files { base: root().into() }, &Quiet)).unwrap_or_else(|e| panic!("{e}"));
    let plan = &prepared.plan;
    let units = plan.units().into_iter().map(|u| plan.run_unit(&prepared.data, u, &tuna::jobs::threads::now)).collect();
    plan.results(units).cv_results.mean_test_score
}

struct Quiet;
impl tuna::io::services::Logger for Quiet {
    fn log(&self, _: tuna::io::config::Level, _: &str) {}
}

#[test]
fn a_parquet_job_scores_as_the_same_data_as_csv_bit_for_bit() {
    let (csv, parquet) = (bikes_scores("csv"), bikes_scores("parquet"));
    assert_eq!(csv.len(), 2);
    assert!(csv.iter().all(|s| s.is_finite() && *s < 0.0), "{csv:?}");
    assert_eq!(
        csv.iter().map(|s| s.to_bits()).collect::<Vec<_>>(),
        parquet.iter().map(|s| s.to_bits()).collect::<Vec<_>>()
    );
}
