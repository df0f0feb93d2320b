//! Tuna reads Parquet files as pandas' `read_parquet` does, and a job on
//! Parquet data scores exactly as the same data as CSV.
//!
//! `tests/data/parquet/` holds files written by pyarrow (through pandas, with
//! an index column) and by Polars, with every codec, nulls, strings,
//! dictionary-encoded categories, dates, timestamps and several row groups;
//! `tests/data/expected/parquet.json` holds what `pd.read_parquet` gives for
//! each, cell for cell. Both come from `tests/parquet/make_files.py`.
#![cfg(not(target_arch = "wasm32"))]

#[path = "common/parquet_expected.rs"]
mod parquet_expected;

use std::path::Path;

use bytes::Bytes;
use tuna::io::parquet::read_parquet;
use tuna::io::reading::{FileFormat, read_table};
use tuna::io::source::Chunks;
use tuna::io::table::{DataError, RowIndex, Table};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &str, limit: Option<usize>) -> Result<Table, DataError> {
    let bytes = Bytes::from(std::fs::read(root().join(path)).unwrap());
    read_table(path, &bytes, limit, FileFormat::Parquet)
}

#[test]
fn every_file_reads_as_pandas_reads_it() {
    let cases = parquet_expected::cases();
    // Both writers, six codecs each, and the two index layouts.
    assert_eq!(cases.len(), 14);
    let mut failures = Vec::new();
    for case in &cases {
        let file = case["file"].as_str().unwrap();
        match read(file, None) {
            Ok(table) => failures.extend(parquet_expected::differences(case, &table)),
            Err(e) => failures.push(format!("{file}: {e}")),
        }
    }
    assert!(failures.is_empty(), "{} differences:\n{}", failures.len(), failures.join("\n"));
}

/// Read range by range, as the page's reader worker reads a picked file
/// (`web::wire`'s `BlobRanges`), a Parquet file reads as one in memory.
#[test]
fn a_file_read_a_page_at_a_time_reads_as_one_in_memory() {
    for case in &parquet_expected::cases() {
        let file = case["file"].as_str().unwrap();
        let bytes = Bytes::from(std::fs::read(root().join(file)).unwrap());
        let ranged = read_parquet(file, Chunks::ranges(bytes), None, &mut |_| {}).unwrap();
        let differences = parquet_expected::differences(case, &ranged);
        assert!(differences.is_empty(), "{file}: {differences:?}");
    }
    let cut = Bytes::from(std::fs::read(root().join("tests/data/parquet/pyarrow_snappy.parquet")).unwrap());
    assert!(read_parquet("cut.parquet", Chunks::ranges(cut.slice(..cut.len() - 10)), None, &mut |_| {}).is_err());
}

#[test]
fn limit_keeps_the_first_rows_across_row_groups() {
    let all = read("tests/data/parquet/pyarrow_snappy.parquet", None).unwrap();
    // Row groups of 16 rows: 20 rows end inside the second.
    let some = read("tests/data/parquet/pyarrow_snappy.parquet", Some(20)).unwrap();
    assert_eq!(some.n_rows(), 20);
    for (a, s) in all.data.iter().zip(some.data.iter()) {
        assert_eq!(a.column_type(), s.column_type());
        for row in 0..20 {
            assert_eq!(parquet_expected::cell_of(a, row), parquet_expected::cell_of(s, row));
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
