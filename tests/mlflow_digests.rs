//! Tuna's MLflow dataset digest equals the real MLflow's on the same CSVs.
//!
//! `tests/data/expected/mlflow_digests.json` holds what
//! `mlflow.data.from_pandas(pd.read_csv(file, nrows=N))` gives (digest, schema
//! with `required`, profile) for every bundled CSV and the edge cases in
//! `tests/mlflow/data/` (text, missing cells, mixed files), computed by
//! `tests/mlflow/make_digests.py` with the pinned MLflow and pandas.
//!
//! The `known_*.csv` cases are the "Known differences" of
//! `src/io/mlflow/digest.rs`: they are checked to still differ, so that
//! fixing one (or pandas changing) is noticed and the docs updated.

use std::path::Path;

use tuna::io::lineage::{Lineage, mlflow_schema, sha256_hex};
use tuna::io::mlflow::digest::mlflow_digest;
use tuna::io::reading::{FileFormat, read_table};

/// The edge cases Tuna does not reproduce, and why (digest.rs, "Known differences").
const KNOWN_DIFFERENCES: &[(&str, &str)] = &[
    ("tests/mlflow/data/known_spaces.csv", "Tuna trims spaces around cells and header names"),
    ("tests/mlflow/data/known_nan_spellings.csv", "NAN and +nan are missing to Tuna, text to pandas"),
    ("tests/mlflow/data/known_bool_numbers.csv", "booleans among numbers are text to pandas"),
    ("tests/mlflow/data/known_big_ints.csv", "integers beyond 2^53 are doubles in a Table; pandas reads uint64"),
    ("tests/mlflow/data/known_low_memory.csv", "pandas types a large file per chunk"),
];

/// (digest, num_rows, num_elements, schema as (name, type, required), or `None` without one).
type Facts = (String, u64, u64, Option<Vec<(String, String, bool)>>);

#[test]
fn digests_schemas_and_profiles_equal_mlflow_from_pandas() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("tests/data/expected/mlflow_digests.json")).unwrap())
            .unwrap();
    let cases = expected["cases"].as_array().unwrap();
    assert!(cases.len() >= 30, "expected the bundled CSVs and the edge cases, got {}", cases.len());
    let mut failures = Vec::new();
    let mut known_seen = Vec::new();
    for case in cases {
        let file = case["file"].as_str().unwrap();
        let nrows = case["nrows"].as_u64().map(|n| n as usize);
        let bytes = bytes::Bytes::from(std::fs::read(root.join(file)).unwrap());
        let table = read_table(file, &bytes, nrows, FileFormat::Csv).unwrap();
        let lineage = Lineage::new("inputs", file, sha256_hex(&bytes), &table);
        let schema = mlflow_schema(&table);
        assert_eq!(lineage.digest, mlflow_digest(&table), "{file}");
        assert_eq!(lineage.schema, schema, "{file}: Lineage's schema is mlflow_schema's");
        let want_schema = case["schema"].as_array().map(|s| {
            s.iter()
                .zip(case["required"].as_array().unwrap())
                .map(|(c, r)| {
                    (c[0].as_str().unwrap().to_string(), c[1].as_str().unwrap().to_string(), r.as_bool().unwrap())
                })
                .collect()
        });
        let got: Facts = (lineage.digest.clone(), lineage.num_rows as u64, lineage.num_elements as u64, Some(schema));
        let want: Facts = (
            case["digest"].as_str().unwrap().to_string(),
            case["profile"]["num_rows"].as_u64().unwrap(),
            case["profile"]["num_elements"].as_u64().unwrap(),
            want_schema,
        );
        if let Some((_, why)) = KNOWN_DIFFERENCES.iter().find(|(f, _)| *f == file) {
            known_seen.push(file);
            // The profile is the same; the digest differs (and the schema may).
            assert_eq!((&got.1, &got.2), (&want.1, &want.2), "{file}: the profile");
            if got.0 == want.0 {
                failures
                    .push(format!("{file}: a known difference ({why}) is gone: update digest.rs's docs and this list"));
            }
        } else if got != want {
            failures.push(format!("{file} (nrows {nrows:?}): got {got:?}, MLflow gives {want:?}"));
        }
    }
    for (file, _) in KNOWN_DIFFERENCES {
        assert!(known_seen.contains(file), "{file} is not in mlflow_digests.json");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
