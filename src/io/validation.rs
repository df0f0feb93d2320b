//! Checks a pair of tables and turns them into the `Dataset` the engine fits on.

use std::collections::HashSet;

use super::table::{DataError, Table};
use crate::core::data::{Dataset, sorted_unique};

/// Checks the inputs and targets tables and builds the dataset.
///
/// `column` picks the target column (required when the targets file has
/// several); `classification` adds the at-least-two-classes check.
pub fn validate(
    inputs: &Table,
    targets: &Table,
    column: Option<&str>,
    classification: bool,
) -> Result<Dataset, DataError> {
    check_unique_names(inputs)?;
    check_unique_names(targets)?;
    let target_index = match column {
        Some(name) => targets.columns.iter().position(|c| c == name).ok_or_else(|| DataError::File {
            file: targets.name.clone(),
            message: format!(
                "targets.column = `{name}` is not a column; the columns are: {}",
                targets.columns.join(", ")
            ),
        })?,
        None if targets.columns.len() == 1 => 0,
        None => {
            return Err(DataError::File {
                file: targets.name.clone(),
                message: format!(
                    "has {} columns ({}); set targets.column to the one to predict",
                    targets.columns.len(),
                    targets.columns.join(", ")
                ),
            });
        }
    };
    if inputs.n_rows() != targets.n_rows() {
        return Err(DataError::File {
            file: format!("{} and {}", inputs.name, targets.name),
            message: format!(
                "the inputs have {} rows but the targets have {}; each input row needs one target (check `limit` and the files)",
                inputs.n_rows(),
                targets.n_rows()
            ),
        });
    }
    let y = targets.column(target_index);
    if classification {
        let classes = sorted_unique(&y);
        if classes.len() < 2 {
            return Err(DataError::File {
                file: targets.name.clone(),
                message: format!(
                    "the target `{}` has a single class; a classifier needs at least two (every row is {})",
                    targets.columns[target_index],
                    classes.first().copied().unwrap_or(f64::NAN)
                ),
            });
        }
    }
    Ok(Dataset {
        feature_names: inputs.columns.clone(),
        x: inputs.values.clone(),
        target_name: targets.columns[target_index].clone(),
        y,
    })
}

fn check_unique_names(table: &Table) -> Result<(), DataError> {
    let mut seen = HashSet::new();
    for name in &table.columns {
        if !seen.insert(name) {
            return Err(DataError::File {
                file: table.name.clone(),
                message: format!("column `{name}` appears more than once in the header; rename one of them"),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::table::read_csv;

    fn table(name: &str, text: &str) -> Table {
        read_csv(name, text.as_bytes(), None).unwrap()
    }

    #[test]
    fn builds_a_dataset() {
        let d = validate(&table("x.csv", "a,b\n1,2\n3,4\n"), &table("y.csv", "t\n0\n1\n"), None, true).unwrap();
        assert_eq!(d.n_rows(), 2);
        assert_eq!(d.target_name, "t");
    }

    #[test]
    fn row_counts_must_match() {
        let e = validate(&table("x.csv", "a\n1\n2\n"), &table("y.csv", "t\n0\n"), None, false).unwrap_err();
        assert!(e.to_string().contains("the inputs have 2 rows but the targets have 1"), "{e}");
    }

    #[test]
    fn duplicate_columns_are_named() {
        let e = validate(&table("x.csv", "a,a\n1,2\n"), &table("y.csv", "t\n0\n"), None, false).unwrap_err();
        assert!(e.to_string().contains("column `a` appears more than once"), "{e}");
    }

    #[test]
    fn target_column_is_required_with_several() {
        let e = validate(&table("x.csv", "a\n1\n"), &table("y.csv", "t,u\n0,1\n"), None, false).unwrap_err();
        assert!(e.to_string().contains("set targets.column"), "{e}");
        let e = validate(&table("x.csv", "a\n1\n"), &table("y.csv", "t,u\n0,1\n"), Some("v"), false).unwrap_err();
        assert!(e.to_string().contains("`v` is not a column"), "{e}");
    }

    #[test]
    fn one_class_is_rejected_for_classifiers() {
        let e = validate(&table("x.csv", "a\n1\n2\n"), &table("y.csv", "t\n1\n1\n"), None, true).unwrap_err();
        assert!(e.to_string().contains("single class"), "{e}");
    }
}
