//! Agreement with scikit-learn: every case of
//! `tests/data/expected/transformers.json` (written by real scikit-learn,
//! `tests/sklearn/make_expected.py`) fitted on its train table and applied to
//! both tables, the outputs compared with scikit-learn's.
//!
//! A case: `{ name, preprocess: <the section as JSON>, train: { columns,
//! rows: [[cell | null]] }, test: { ... }, train_out: [[x | null]],
//! test_out: [[x | null]] | test_error: "...", feature_names_out?: [...] }`.
//! A null cell is missing; a null output is NaN (`NaN` as Python's `json`
//! writes it is read too).

use super::work::Cells;
use serde::Deserialize;
use serde_json::Value;

use super::spec::Preprocess;
use crate::core::data::Dataset;
use crate::core::frame::{Column, ColumnType};

const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/expected/transformers.json");

/// Largest difference allowed, relative to max(1, |expected|): the sums are
/// numpy's order, so outputs should agree to the last bits.
const TOLERANCE: f64 = 1e-12;

#[derive(Deserialize)]
struct Table {
    columns: Vec<String>,
    rows: Vec<Vec<Value>>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    preprocess: Value,
    train: Table,
    test: Table,
    #[serde(default)]
    train_out: Option<Vec<Vec<Value>>>,
    #[serde(default)]
    test_out: Option<Vec<Vec<Value>>>,
    #[serde(default)]
    test_error: Option<String>,
    #[serde(default, alias = "train_error")]
    fit_error: Option<String>,
    #[serde(default, alias = "columns_out")]
    feature_names_out: Option<Vec<String>>,
}

/// Python's `json.dumps` writes `NaN` and `Infinity`, which JSON lacks: read them as null.
fn nan_as_null(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let (mut in_string, mut escaped) = (false, false);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if in_string {
            in_string = c != '"' || escaped;
            escaped = c == '\\' && !escaped;
        } else if c == '"' {
            in_string = true;
        } else if let Some(word) = ["-Infinity", "Infinity", "NaN"].iter().find(|w| rest.starts_with(**w)) {
            out.push_str("null");
            rest = &rest[word.len()..];
            continue;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Column `j` of `table` typed as pandas reads it (text if any cell is text,
/// or if the training column was text), missing cells kept.
fn column(table: &Table, j: usize, text_hint: bool) -> Column {
    let cells: Vec<&Value> = table.rows.iter().map(|r| r.get(j).unwrap_or(&Value::Null)).collect();
    let text = text_hint || cells.iter().any(|c| c.is_string());
    if text {
        let strings: Vec<Option<String>> = cells
            .iter()
            .map(|c| match c {
                Value::Null => None,
                Value::String(s) => Some(s.clone()),
                other => Some(other.to_string()),
            })
            .collect();
        return Column::text(&strings);
    }
    let bools = !cells.is_empty() && cells.iter().all(|c| c.is_boolean());
    let ints = cells.iter().all(|c| c.is_i64() || c.is_u64());
    let values = cells
        .iter()
        .map(|c| match c {
            Value::Bool(b) => f64::from(u8::from(*b)),
            Value::Number(n) => n.as_f64().unwrap_or(f64::NAN),
            _ => f64::NAN,
        })
        .collect();
    let ty = if bools {
        ColumnType::Boolean
    } else if ints {
        ColumnType::Long
    } else {
        ColumnType::Double
    };
    Column::Numbers { ty, values }
}

fn dataset(table: &Table, text_hints: &[bool]) -> Dataset {
    let columns =
        (0..table.columns.len()).map(|j| column(table, j, text_hints.get(j).copied().unwrap_or(false))).collect();
    Dataset {
        feature_names: table.columns.clone(),
        columns,
        target_name: "y".into(),
        y: vec![0.0; table.rows.len()],
        labels: None,
    }
}

/// The differences between the output columns `got` and scikit-learn's
/// rows `expected` (numbers, text, or null for missing), or an empty list.
fn compare(what: &str, got: &[Cells], expected: &[Vec<Value>]) -> Vec<String> {
    let (n, p) = (
        got.first().map_or(expected.len(), |c| match c {
            Cells::Num { values, .. } => values.len(),
            Cells::Text { codes, .. } => codes.len(),
        }),
        got.len(),
    );
    let width = expected.first().map_or(0, Vec::len);
    if n != expected.len() || p != width {
        return vec![format!("{what}: shape {n} x {p}, scikit-learn's {} x {width}", expected.len())];
    }
    let mut problems = Vec::new();
    for (i, row) in expected.iter().enumerate() {
        for (j, e) in row.iter().enumerate() {
            let ok = match (&got[j], e) {
                (cells, Value::Null) => cells.is_missing(i),
                (Cells::Num { values, .. }, Value::Number(e)) => {
                    let (g, e) = (values[i], e.as_f64().unwrap_or(f64::NAN));
                    (g - e).abs() <= TOLERANCE * e.abs().max(1.0)
                }
                (cells @ Cells::Text { .. }, Value::String(e)) => cells.text(i) == Some(e.as_str()),
                _ => false,
            };
            if !ok && problems.len() < 5 {
                let g = match &got[j] {
                    Cells::Num { values, .. } => format!("{:?}", values[i]),
                    cells => format!("{:?}", cells.text(i)),
                };
                problems.push(format!("{what}[{i}][{j}] = {g}, scikit-learn's {e}"));
            }
        }
    }
    problems
}

fn run(case: &Case) -> Vec<String> {
    let preprocess: Preprocess = match serde_json::from_value(case.preprocess.clone()) {
        Ok(p) => p,
        Err(e) => return vec![format!("the section does not read: {e}")],
    };
    let train = dataset(&case.train, &[]);
    let hints: Vec<bool> = train.columns.iter().map(|c| !c.is_numeric()).collect();
    let test = dataset(&case.test, &hints);
    let all: Vec<usize> = (0..train.n_rows()).collect();
    let fitted = match (preprocess.fit_with(&train, &all, false), &case.fit_error) {
        (Ok(f), None) => f,
        (Err(_), Some(_)) => return Vec::new(),
        (Ok(_), Some(e)) => return vec![format!("fitted, scikit-learn's fit failed: {e}")],
        (Err(e), None) => return vec![format!("fit failed: {e}")],
    };
    let mut problems = Vec::new();
    if let Some(names) = &case.feature_names_out
        && &fitted.feature_names_out() != names
    {
        problems.push(format!("feature names {:?}, scikit-learn's {names:?}", fitted.feature_names_out()));
    }
    if let Some(expected) = &case.train_out {
        match fitted.outputs(&train, &all, false) {
            Ok(m) => problems.extend(compare("train_out", &m, expected)),
            Err(e) => problems.push(format!("train transform failed: {e}")),
        }
    }
    let test_rows: Vec<usize> = (0..test.n_rows()).collect();
    match (fitted.outputs(&test, &test_rows, false), &case.test_out, &case.test_error) {
        (Ok(m), Some(expected), _) => problems.extend(compare("test_out", &m, expected)),
        (Err(e), _, Some(expected)) => {
            if expected.contains("unknown categor") && !e.contains("unknown categories") {
                problems.push(format!("test error `{e}`, scikit-learn's `{expected}`"));
            }
        }
        (Ok(_), _, Some(expected)) => {
            problems.push(format!("transformed the test table, scikit-learn failed: {expected}"))
        }
        (Err(e), _, None) => problems.push(format!("test transform failed: {e}")),
        (Ok(_), None, None) => {}
    }
    problems
}

/// Where Tuna refuses on purpose what scikit-learn does: a `SimpleImputer`
/// fill of the other type (its default "missing_value" into a numeric
/// column beside a text one, a number into a text column) makes a column of
/// text and numbers, which no model or encoder after it takes as meant.
const REFUSED: &[&str] = &["imputer_constant_default_fill", "imputer_constant_number_fill_on_text"];

#[test]
fn every_case_of_the_scikit_learn_file_agrees() {
    let text = std::fs::read_to_string(PATH).unwrap_or_else(|e| panic!("{PATH}: {e}"));
    let cases: Vec<Case> = serde_json::from_str(&nan_as_null(&text)).unwrap_or_else(|e| panic!("{PATH}: {e}"));
    assert!(cases.len() >= 50, "{PATH} has {} cases", cases.len());
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| {
            let problems = run(case);
            if REFUSED.contains(&case.name.as_str()) {
                let refused = problems.iter().any(|p| p.contains("mixing text and numbers in one column"));
                return (!refused).then(|| format!("{}: Tuna should refuse it, got {problems:?}", case.name));
            }
            (!problems.is_empty()).then(|| format!("{}:\n    {}", case.name, problems.join("\n    ")))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases disagree with scikit-learn:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// The runner itself, on a case written by hand in the file's format.
#[test]
fn the_runner_reads_the_file_format() {
    let text = r#"[{
        "name": "impute_then_one_hot",
        "preprocess": {"KIND": "ColumnTransformer", "remainder": "passthrough", "transformers": [
            {"name": "cat", "columns": ["c"], "steps": [{"KIND": "OneHotEncoder", "handle_unknown": "ignore"}]},
            {"name": "num", "columns": ["x"], "steps": [{"KIND": "SimpleImputer", "strategy": "mean"}]}]},
        "train": {"columns": ["c", "x", "k"], "rows": [["a", 1.0, 5], [null, NaN, 6], ["b", 3.0, 7]]},
        "test": {"columns": ["c", "x", "k"], "rows": [["z", null, 8]]},
        "train_out": [[1, 0, 0, 1.0, 5], [0, 0, 1, 2.0, 6], [0, 1, 0, 3.0, 7]],
        "test_out": [[0, 0, 0, 2.0, 8]],
        "feature_names_out": ["cat__c_a", "cat__c_b", "cat__c_nan", "num__x", "remainder__k"]
    }, {
        "name": "unknown_is_an_error",
        "preprocess": {"KIND": "ColumnTransformer", "transformers": [
            {"name": "cat", "columns": ["c"], "steps": [{"KIND": "OneHotEncoder"}]}]},
        "train": {"columns": ["c"], "rows": [["a"]]},
        "test": {"columns": ["c"], "rows": [["b"]]},
        "test_error": "Found unknown categories ['b'] in column 0 during transform"
    }]"#;
    let cases: Vec<Case> = serde_json::from_str(&nan_as_null(text)).unwrap();
    for case in &cases {
        assert_eq!(run(case), Vec::<String>::new(), "{}", case.name);
    }
    assert_eq!(nan_as_null(r#"["NaN", NaN, -Infinity]"#), r#"["NaN", null, null]"#);
}
