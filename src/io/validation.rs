//! Checks a pair of tables and turns them into the `Dataset` the engine fits on.

use std::collections::HashMap;

use super::table::{DataError, Table};
use crate::core::data::Dataset;
use crate::core::frame::Column;

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
                    "has {} columns ({}); set targets.column to the one to predict, e.g. column = \"{}\" under [targets]",
                    targets.columns.len(),
                    targets.columns.join(", "),
                    targets.columns[0]
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
    let name = &targets.columns[target_index];
    let column = &targets.data[target_index];
    if let Some(row) = column.first_missing() {
        return Err(DataError::File {
            file: targets.name.clone(),
            message: format!(
                "the target `{name}` is missing on {} row{} (the first is row {}); every row needs a target: \
                 drop those rows or fill them in",
                column.n_missing(),
                if column.n_missing() == 1 { "" } else { "s" },
                row + 1
            ),
        });
    }
    let (y, labels) = match column {
        Column::Text { categories, codes } if classification => {
            (codes.iter().map(|&c| f64::from(c)).collect::<Vec<_>>(), Some(categories.clone()))
        }
        Column::Text { .. } => {
            let row = (0..column.len()).find(|&r| column.text_at(r).is_some_and(|t| t.trim().parse::<f64>().is_err()));
            return Err(DataError::File {
                file: targets.name.clone(),
                message: format!(
                    "the target `{name}` is text (row {} is `{}`): a regressor needs numbers; \
                     pick a classifier, or the column to predict with targets.column",
                    row.map_or(1, |r| r + 1),
                    row.and_then(|r| column.text_at(r)).unwrap_or_default()
                ),
            });
        }
        Column::Numbers { values, .. } => (values.clone(), None),
    };
    if classification && labels.is_none() {
        // scikit-learn's `type_of_target`: a value with a fraction makes the
        // target continuous, which no classifier takes.
        if let Some(row) = y.iter().position(|v| v.fract() != 0.0 || !v.is_finite()) {
            return Err(DataError::File {
                file: targets.name.clone(),
                message: format!(
                    "the target `{name}` is continuous (row {} is {}): a classifier needs class labels \
                     (scikit-learn: \"Unknown label type: continuous\"); pick a regressor, or a column of classes",
                    row + 1,
                    y[row]
                ),
            });
        }
    }
    let data = Dataset {
        feature_names: inputs.columns.clone(),
        columns: inputs.data.clone(),
        target_name: name.clone(),
        y,
        labels,
    };
    if classification {
        let classes = data.classes();
        if classes.len() < 2 {
            return Err(DataError::File {
                file: targets.name.clone(),
                message: format!(
                    "the target `{name}` has a single class; a classifier needs at least two (every row is {}): \
                     check targets.column and `limit`, or pick a regressor",
                    classes.first().map(|&c| data.label_of(c)).unwrap_or_default()
                ),
            });
        }
    }
    Ok(data)
}

fn check_unique_names(table: &Table) -> Result<(), DataError> {
    let mut seen = HashMap::new();
    for (i, name) in table.columns.iter().enumerate() {
        if let Some(first) = seen.insert(name, i) {
            return Err(DataError::File {
                file: table.name.clone(),
                message: format!(
                    "header (line 1): columns {} and {} are both named `{name}`; rename one of them",
                    first + 1,
                    i + 1
                ),
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
        assert!(
            e.to_string().ends_with("header (line 1): columns 1 and 2 are both named `a`; rename one of them"),
            "{e}"
        );
    }

    #[test]
    fn target_column_is_required_with_several() {
        let e = validate(&table("x.csv", "a\n1\n"), &table("y.csv", "t,u\n0,1\n"), None, false).unwrap_err();
        assert!(e.to_string().contains("set targets.column"), "{e}");
        let e = validate(&table("x.csv", "a\n1\n"), &table("y.csv", "t,u\n0,1\n"), Some("v"), false).unwrap_err();
        assert!(e.to_string().contains("`v` is not a column"), "{e}");
    }

    /// Issue 12: a classifier on a continuous target scored 0 instead of refusing.
    #[test]
    fn issue_12_a_continuous_target_is_refused_for_classifiers() {
        let (x, y) = (table("x.csv", "a\n1\n2\n3\n"), table("y.csv", "t\n0\n1.5\n1\n"));
        let e = validate(&x, &y, None, true).unwrap_err().to_string();
        assert!(e.contains("the target `t` is continuous (row 2 is 1.5)") && e.contains("Unknown label type"), "{e}");
        assert!(validate(&x, &y, None, false).is_ok(), "a regressor takes it");
        let whole = table("y.csv", "t\n0\n2.0\n1\n");
        assert!(validate(&x, &whole, None, true).is_ok(), "2.0 is a class label, as in scikit-learn");
    }

    /// Issue 13: text class labels are encoded as scikit-learn does (sorted),
    /// a text target is refused for a regressor, a missing target for both.
    #[test]
    fn issue_13_text_labels_and_missing_targets() {
        let x = table("x.csv", "a\n1\n2\n3\n");
        let d = validate(&x, &table("y.csv", "t\nyes\nno\nyes\n"), None, true).unwrap();
        assert_eq!((d.y.clone(), d.labels.clone()), (vec![1.0, 0.0, 1.0], Some(vec!["no".into(), "yes".into()])));
        assert_eq!(d.label_of(1.0), "yes");
        let e = validate(&x, &table("y.csv", "t\nyes\nno\nyes\n"), None, false).unwrap_err().to_string();
        assert!(e.contains("the target `t` is text (row 1 is `yes`): a regressor needs numbers"), "{e}");
        let e = validate(&x, &table("y.csv", "t\n1\nNA\n2\n"), None, false).unwrap_err().to_string();
        assert!(e.contains("the target `t` is missing on 1 row (the first is row 2)"), "{e}");
    }

    #[test]
    fn one_class_is_rejected_for_classifiers() {
        let e = validate(&table("x.csv", "a\n1\n2\n"), &table("y.csv", "t\n1\n1\n"), None, true).unwrap_err();
        assert!(e.to_string().contains("single class"), "{e}");
    }
}
