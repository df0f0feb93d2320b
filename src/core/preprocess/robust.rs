//! No input makes the section panic: many sections of random steps on
//! random tables (blanks, text, all-missing and constant columns, single
//! rows, rows out of range) go through every entry point, and each returns.

use super::spec::*;
use super::{check_without, suggest, to_toml};
use crate::core::data::Dataset;
use crate::core::frame::{Column, ColumnType};
use crate::core::params::ParamValue;

/// A small deterministic generator (no dependency, same cases every run).
struct Draw(u64);

impl Draw {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn column(d: &mut Draw, n: usize) -> Column {
    match d.below(6) {
        0 => Column::Numbers { ty: ColumnType::Long, values: (0..n).map(|_| d.below(4) as f64).collect() },
        1 => Column::Numbers { ty: ColumnType::Boolean, values: (0..n).map(|_| d.below(2) as f64).collect() },
        2 => {
            Column::numbers((0..n).map(|_| if d.below(3) == 0 { f64::NAN } else { d.below(5) as f64 / 4.0 }).collect())
        }
        3 => Column::numbers(vec![f64::NAN; n]),
        _ => Column::text(&(0..n).map(|_| [Some("a"), Some("b"), Some("Z"), None][d.below(4)]).collect::<Vec<_>>()),
    }
}

fn step(d: &mut Draw) -> Step {
    match d.below(9) {
        0 => Step::SimpleImputer(SimpleImputer::default()),
        1 => Step::SimpleImputer(SimpleImputer { strategy: ImputeStrategy::Median, fill_value: None }),
        2 => Step::SimpleImputer(SimpleImputer { strategy: ImputeStrategy::MostFrequent, fill_value: None }),
        3 => Step::SimpleImputer(SimpleImputer {
            strategy: ImputeStrategy::Constant,
            fill_value: [
                None,
                Some(ParamValue::Int(-1)),
                Some(ParamValue::Str("m".into())),
                Some(ParamValue::Float(0.5)),
            ][d.below(4)]
            .clone(),
        }),
        4 => Step::StandardScaler(StandardScaler { with_mean: d.below(2) == 0, with_std: d.below(2) == 0 }),
        5 => Step::MinMaxScaler(MinMaxScaler { feature_range: [(0.0, 1.0), (1.0, 0.0), (-1.0, 1.0)][d.below(3)] }),
        6 => Step::OneHotEncoder(OneHotEncoder {
            handle_unknown: [HandleUnknown::Error, HandleUnknown::Ignore][d.below(2)],
            drop: [None, Some(Drop::First), Some(Drop::IfBinary)][d.below(3)],
        }),
        _ => Step::OrdinalEncoder(OrdinalEncoder {
            handle_unknown: [OrdinalUnknown::Error, OrdinalUnknown::UseEncodedValue][d.below(2)],
            unknown_value: [None, Some(-1.0), Some(0.0), Some(f64::NAN), Some(0.5)][d.below(5)],
        }),
    }
}

fn section(d: &mut Draw, names: &[String]) -> Preprocess {
    let transformers = (0..d.below(4))
        .map(|t| Transformer {
            name: ["a", "b", "a", "x__y"][(t + d.below(2)) % 4].to_string(),
            columns: match d.below(4) {
                0 => Columns::Selector(Selector::Numeric),
                1 => Columns::Selector(Selector::Categorical),
                2 => Columns::Names(vec!["nope".into()]),
                _ => Columns::Names(
                    (0..d.below(3) + 1).filter_map(|_| names.get(d.below(names.len())).cloned()).collect(),
                ),
            },
            steps: if d.below(5) == 0 {
                Steps::Passthrough(PassthroughWord::Passthrough)
            } else {
                Steps::Pipeline((0..d.below(4)).map(|_| step(d)).collect())
            },
        })
        .collect();
    let remainder = [Remainder::Drop, Remainder::Passthrough][d.below(2)];
    Preprocess::ColumnTransformer(ColumnTransformer { remainder, transformers })
}

#[test]
fn no_section_or_table_makes_anything_panic() {
    let mut d = Draw(13);
    let (mut fitted_some, mut checked_some) = (0, 0);
    for _ in 0..3000 {
        let n = d.below(6);
        let p = d.below(4) + 1;
        let names: Vec<String> = (0..p).map(|j| format!("c{j}")).collect();
        let columns: Vec<Column> = (0..p).map(|_| column(&mut d, n)).collect();
        let data = Dataset {
            feature_names: names.clone(),
            columns: columns.clone().into(),
            target_name: "y".into(),
            y: vec![0.0; n],
            labels: None,
        };
        let s = section(&mut d, &names);
        let checked = s.check(&names, &columns);
        let _ = check_without(&names, &columns);
        if let Some(suggested) = suggest(&names, &columns) {
            let _ = suggested.check(&names, &columns);
            let _ = to_toml(&suggested);
        }
        let _ = to_toml(&s);
        let _ = s.with_param("preprocess__a__simpleimputer__strategy", &ParamValue::Str("median".into()));
        let _ = s.with_param("preprocess__a__onehotencoder__drop", &ParamValue::Str("None".into()));
        let train: Vec<usize> = (0..d.below(n + 2)).map(|_| d.below(n + 1)).collect();
        let test: Vec<usize> = (0..d.below(n + 2)).map(|_| d.below(n + 1)).collect();
        if let Ok(fitted) = s.fit(&data, &train) {
            fitted_some += 1;
            let _ = fitted.transform(&data, &test);
            let _ = fitted.feature_names_out();
        }
        // A section that passes the check fits on any training rows and gives
        // the model numbers only, with no missing cell.
        if checked.is_ok() && n > 0 {
            checked_some += 1;
            let rows: Vec<usize> = (0..d.below(n) + 1).map(|_| d.below(n)).collect();
            let fitted = s.fit(&data, &rows).unwrap_or_else(|e| panic!("{s:?} on {columns:?} rows {rows:?}: {e}"));
            match fitted.transform(&data, &rows) {
                Ok(m) => {
                    use smartcore::linalg::basic::arrays::Array;
                    let (r, c) = m.shape();
                    let nan = (0..r).any(|i| (0..c).any(|j| m.get((i, j)).is_nan()));
                    assert!(!nan, "{s:?} on {columns:?} rows {rows:?} gives a missing cell");
                }
                // The fold's rows may leave every selected column without a value.
                Err(e) => assert!(e.contains("no columns"), "{s:?} on {columns:?} rows {rows:?}: {e}"),
            }
            // Other rows fail only on a category the training rows lack.
            let other: Vec<usize> = (0..n).collect();
            if let Err(e) = fitted.transform(&data, &other) {
                assert!(e.contains("unknown categories") || e.contains("no columns"), "{s:?} on {columns:?}: {e}");
            }
        }
    }
    assert!(fitted_some > 100, "the cases reach the fits ({fitted_some})");
    assert!(checked_some > 50, "the cases pass the check ({checked_some})");
}
