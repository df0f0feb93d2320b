//! The Parquet reader compiled to WebAssembly (every codec, ZSTD's C code
//! included) reads each test file as pandas does, as the native build does.
#![cfg(target_arch = "wasm32")]

#[path = "common/parquet_expected.rs"]
mod parquet_expected;

use tuna::io::reading::{FileFormat, read_table};
use wasm_bindgen_test::wasm_bindgen_test;

const FILES: &[(&str, &[u8])] = &[
    ("tests/data/parquet/pyarrow_none.parquet", include_bytes!("data/parquet/pyarrow_none.parquet")),
    ("tests/data/parquet/pyarrow_snappy.parquet", include_bytes!("data/parquet/pyarrow_snappy.parquet")),
    ("tests/data/parquet/pyarrow_gzip.parquet", include_bytes!("data/parquet/pyarrow_gzip.parquet")),
    ("tests/data/parquet/pyarrow_lz4.parquet", include_bytes!("data/parquet/pyarrow_lz4.parquet")),
    ("tests/data/parquet/pyarrow_brotli.parquet", include_bytes!("data/parquet/pyarrow_brotli.parquet")),
    ("tests/data/parquet/pyarrow_zstd.parquet", include_bytes!("data/parquet/pyarrow_zstd.parquet")),
    ("tests/data/parquet/polars_none.parquet", include_bytes!("data/parquet/polars_none.parquet")),
    ("tests/data/parquet/polars_snappy.parquet", include_bytes!("data/parquet/polars_snappy.parquet")),
    ("tests/data/parquet/polars_gzip.parquet", include_bytes!("data/parquet/polars_gzip.parquet")),
    ("tests/data/parquet/polars_lz4.parquet", include_bytes!("data/parquet/polars_lz4.parquet")),
    ("tests/data/parquet/polars_brotli.parquet", include_bytes!("data/parquet/polars_brotli.parquet")),
    ("tests/data/parquet/polars_zstd.parquet", include_bytes!("data/parquet/polars_zstd.parquet")),
    ("tests/data/parquet/range_index.parquet", include_bytes!("data/parquet/range_index.parquet")),
    ("tests/data/parquet/unnamed_index.parquet", include_bytes!("data/parquet/unnamed_index.parquet")),
];

#[wasm_bindgen_test]
fn every_codec_reads_in_wasm_as_pandas_reads_it() {
    let cases = parquet_expected::cases();
    assert_eq!(cases.len(), FILES.len());
    let mut failures = Vec::new();
    for case in &cases {
        let file = case["file"].as_str().unwrap();
        let (_, bytes) =
            FILES.iter().find(|(name, _)| *name == file).unwrap_or_else(|| panic!("{file} is not embedded"));
        match read_table(file, &bytes::Bytes::from_static(bytes), None, FileFormat::Parquet) {
            Ok(table) => failures.extend(parquet_expected::differences(case, &table)),
            Err(e) => failures.push(format!("{file}: {e}")),
        }
    }
    assert!(failures.is_empty(), "{} differences:\n{}", failures.len(), failures.join("\n"));
}
