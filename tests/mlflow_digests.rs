//! Tuna's MLflow dataset digest equals the real MLflow's on the same CSVs.
//!
//! `tests/data/expected/mlflow_digests.json` holds what
//! `mlflow.data.from_pandas(pd.read_csv(file, nrows=N))` gives (digest, schema,
//! profile) for every bundled CSV and the edge cases in `tests/mlflow/data/`,
//! computed by `tests/mlflow/make_digests.py` with the pinned MLflow and pandas.

use std::path::Path;

use tuna::io::lineage::{Lineage, sha256_hex};
use tuna::io::mlflow::digest::mlflow_digest;
use tuna::io::table::read_csv;

#[test]
fn digests_schemas_and_profiles_equal_mlflow_from_pandas() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("tests/data/expected/mlflow_digests.json")).unwrap())
            .unwrap();
    let cases = expected["cases"].as_array().unwrap();
    assert!(cases.len() >= 20, "expected the bundled CSVs and the edge cases, got {}", cases.len());
    let mut failures = Vec::new();
    for case in cases {
        let file = case["file"].as_str().unwrap();
        let nrows = case["nrows"].as_u64().map(|n| n as usize);
        let bytes = std::fs::read(root.join(file)).unwrap();
        let table = read_csv(file, &bytes, nrows).unwrap();
        let lineage = Lineage::new("inputs", file, sha256_hex(&bytes), &table);
        let schema: Vec<(String, String)> = case["schema"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| (c[0].as_str().unwrap().to_string(), c[1].as_str().unwrap().to_string()))
            .collect();
        let got = (
            mlflow_digest(&table),
            lineage.digest.clone(),
            lineage.num_rows as u64,
            lineage.num_elements as u64,
            lineage.schema.clone(),
        );
        let want = (
            case["digest"].as_str().unwrap().to_string(),
            case["digest"].as_str().unwrap().to_string(),
            case["profile"]["num_rows"].as_u64().unwrap(),
            case["profile"]["num_elements"].as_u64().unwrap(),
            schema,
        );
        if got != want {
            failures.push(format!("{file} (nrows {nrows:?}): got {got:?}, MLflow gives {want:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
