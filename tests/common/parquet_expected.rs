//! What `pd.read_parquet` gives for each file in `tests/data/parquet/`
//! (`tests/data/expected/parquet.json`), and Tuna's table compared with it
//! cell for cell: shared by the native test and the wasm32 one.

use serde_json::Value;
use tuna::core::frame::{Column, ColumnType};
use tuna::io::table::{RowIndex, Table};

/// The committed reads, one per file.
pub fn cases() -> Vec<Value> {
    let expected: Value = serde_json::from_str(include_str!("../data/expected/parquet.json")).unwrap();
    expected["files"].as_array().unwrap().clone()
}

/// Every difference between `table` and pandas' read in `case`.
pub fn differences(case: &Value, table: &Table) -> Vec<String> {
    let file = case["file"].as_str().unwrap();
    let mut failures = Vec::new();
    let columns = case["columns"].as_array().unwrap();
    let names: Vec<&str> = columns.iter().map(|c| c["name"].as_str().unwrap()).collect();
    if table.columns != names {
        return vec![format!("{file}: columns {:?}, pandas {names:?} (the index left out)", table.columns)];
    }
    for ((name, column), want) in table.columns.iter().zip(table.data.iter()).zip(columns) {
        let cells = want["cells"].as_array().unwrap();
        let dtype = want["dtype"].as_str().unwrap();
        let ty = if cells.iter().any(Value::is_boolean) {
            ColumnType::Boolean
        } else {
            expected_type(dtype, cells.iter().any(Value::is_null))
        };
        if column.column_type() != ty {
            failures.push(format!("{file}: `{name}` is {:?}, pandas' {dtype} is {ty:?}", column.column_type()));
        }
        check_column(file, name, column, want, &mut failures);
    }
    let index = &case["index"];
    match (&table.index, index.get("range")) {
        (RowIndex::Range { start, step }, Some(range))
            if [*start, *step] == [range[0].as_i64().unwrap(), range[1].as_i64().unwrap()] => {}
        (RowIndex::Column { name, values }, None) => {
            // pandas names an unnamed index `__index_level_0__` in the file and `None` in the frame.
            let want = index["name"].as_str().unwrap_or("__index_level_0__");
            if name != want {
                failures.push(format!("{file}: index `{name}`, pandas `{want}`"));
            }
            check_column(file, name, values, index, &mut failures);
        }
        (got, _) => failures.push(format!("{file}: index {got:?}, pandas {index}")),
    }
    failures
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

pub fn cell_of(column: &Column, row: usize) -> String {
    match column {
        Column::Numbers { .. } => column.number(row).to_string(),
        Column::Text { .. } => format!("{:?}", column.text_at(row)),
    }
}
