//! Fitting a section on a training fold, and turning any rows into the
//! model's matrix with what it learnt (scikit-learn's `ColumnTransformer`).
//!
//! Each transformer takes its columns from the dataset, fits its steps one
//! after another on the training rows (`fit_transform` of a `Pipeline`), and
//! its outputs come in transformer order, then the remainder's columns in
//! their original order. A transformer that selects no column outputs
//! nothing, as scikit-learn skips it; a column may feed several transformers.

use smartcore::linalg::basic::matrix::DenseMatrix;

use super::encoders::{FittedOneHot, FittedOrdinal, fit_one_hot, fit_ordinal};
use super::impute::{self, FittedImputer};
use super::scalers::{FittedMinMax, FittedStandard, fit_min_max, fit_standard};
use super::spec::{Columns, Preprocess, Remainder, Selector, Step, Steps, step_names};
use super::work::{Cells, Frame};
use crate::core::data::Dataset;
use crate::core::frame::Column;

/// A section fitted on some rows: ready to turn rows into model features.
///
/// Plain owned data (no borrow of the dataset), so it crosses threads and is
/// cloned freely.
#[derive(Debug, Clone, PartialEq)]
pub struct Fitted {
    n_features: usize,
    transformers: Vec<FittedTransformer>,
    remainder: Vec<usize>,
    names_out: Vec<String>,
}

/// One transformer, fitted.
#[derive(Debug, Clone, PartialEq)]
struct FittedTransformer {
    name: String,
    /// Indices of its dataset columns.
    columns: Vec<usize>,
    /// Its fitted steps, with their `make_pipeline` names; none for `"passthrough"`.
    steps: Vec<(String, FittedStep)>,
}

/// One fitted step.
#[derive(Debug, Clone, PartialEq)]
enum FittedStep {
    Impute(FittedImputer),
    Standard(FittedStandard),
    MinMax(FittedMinMax),
    OneHot(FittedOneHot),
    Ordinal(FittedOrdinal),
}

impl FittedStep {
    fn fit(step: &Step, frame: &Frame) -> Result<FittedStep, String> {
        Ok(match step {
            Step::SimpleImputer(s) => FittedStep::Impute(impute::fit(s, frame)?),
            Step::StandardScaler(s) => FittedStep::Standard(fit_standard(s, frame)?),
            Step::MinMaxScaler(s) => FittedStep::MinMax(fit_min_max(s, frame)?),
            Step::OneHotEncoder(s) => FittedStep::OneHot(fit_one_hot(s, frame)),
            Step::OrdinalEncoder(s) => FittedStep::Ordinal(fit_ordinal(s, frame)?),
        })
    }

    fn transform<'a>(&self, frame: Frame<'a>) -> Result<Frame<'a>, String> {
        match self {
            FittedStep::Impute(s) => s.transform(frame),
            FittedStep::Standard(s) => s.transform(frame),
            FittedStep::MinMax(s) => s.transform(frame),
            FittedStep::OneHot(s) => s.transform(frame),
            FittedStep::Ordinal(s) => s.transform(frame),
        }
    }
}

/// The dataset columns `columns` selects, in the order named (a selector:
/// file order); the names that are not in the data as the error.
pub(super) fn select(columns: &Columns, names: &[String], data: &[Column]) -> Result<Vec<usize>, Vec<String>> {
    match columns {
        Columns::Names(wanted) => {
            let mut picked = Vec::with_capacity(wanted.len());
            let mut unknown = Vec::new();
            for w in wanted {
                match names.iter().position(|n| n == w) {
                    Some(j) if j < data.len() => picked.push(j),
                    _ => unknown.push(w.clone()),
                }
            }
            if unknown.is_empty() { Ok(picked) } else { Err(unknown) }
        }
        Columns::Selector(selector) => Ok(data
            .iter()
            .enumerate()
            .filter(|(_, c)| c.is_numeric() == (*selector == Selector::Numeric))
            .map(|(j, _)| j)
            .take(names.len())
            .collect()),
    }
}

/// Checks that the dataset is rectangular and `rows` lie inside it.
fn check_shape(data: &Dataset, rows: &[usize], what: &str) -> Result<(), String> {
    if data.feature_names.len() != data.columns.len() {
        return Err(format!(
            "the data has {} column names for {} columns",
            data.feature_names.len(),
            data.columns.len()
        ));
    }
    if rows.is_empty() {
        return Err(format!("no rows to {what}"));
    }
    Ok(())
}

impl Preprocess {
    /// Learns every step's statistics from `rows` of `data` (a training fold).
    ///
    /// Fails with a message naming the transformer and step when a step
    /// cannot take its input (scikit-learn's error in its place), and when
    /// text would reach the model.
    pub fn fit(&self, data: &Dataset, rows: &[usize]) -> Result<Fitted, String> {
        self.fit_with(data, rows, true)
    }

    /// [`Preprocess::fit`]; without `numbers`, text may come out (as
    /// scikit-learn's `fit_transform` of text columns, for the agreement tests).
    pub(super) fn fit_with(&self, data: &Dataset, rows: &[usize], numbers: bool) -> Result<Fitted, String> {
        let Preprocess::ColumnTransformer(ct) = self;
        check_shape(data, rows, "fit on")?;
        let (names, columns) = (&data.feature_names, &data.columns);
        let mut transformers = Vec::with_capacity(ct.transformers.len());
        let mut names_out = Vec::new();
        let mut selected = vec![false; columns.len()];
        for t in &ct.transformers {
            let picked = select(&t.columns, names, columns).map_err(|unknown| {
                let list: Vec<String> = unknown.iter().map(|u| format!("`{u}`")).collect();
                format!("transformer `{}`: no column {} in the data", t.name, list.join(", "))
            })?;
            picked.iter().for_each(|&j| selected[j] = true);
            if picked.is_empty() {
                continue;
            }
            let steps = match &t.steps {
                Steps::Passthrough(_) => &[][..],
                Steps::Pipeline(steps) if steps.is_empty() => {
                    return Err(format!("transformer `{}` has no steps", t.name));
                }
                Steps::Pipeline(steps) => steps.as_slice(),
            };
            let mut frame = Frame::take(names, columns, &picked, rows)?;
            let mut fitted = Vec::with_capacity(steps.len());
            for (step, step_name) in steps.iter().zip(step_names(steps)) {
                let context = |e: String| format!("transformer `{}`, step `{step_name}`: {e}", t.name);
                let f = FittedStep::fit(step, &frame).map_err(context)?;
                frame = f.transform(frame).map_err(context)?;
                fitted.push((step_name, f));
            }
            if numbers {
                numbers_only(&t.name, &frame)?;
            }
            names_out.extend(frame.columns.iter().map(|c| format!("{}__{}", t.name, c.name)));
            transformers.push(FittedTransformer { name: t.name.clone(), columns: picked, steps: fitted });
        }
        let remainder: Vec<usize> = match ct.remainder {
            Remainder::Drop => Vec::new(),
            Remainder::Passthrough => (0..columns.len()).filter(|&j| !selected[j]).collect(),
        };
        if let Some(&j) = remainder.iter().find(|&&j| numbers && !columns[j].is_numeric()) {
            return Err(remainder_text(&names[j]));
        }
        names_out.extend(remainder.iter().map(|&j| format!("remainder__{}", names[j])));
        Ok(Fitted { n_features: columns.len(), transformers, remainder, names_out })
    }
}

fn remainder_text(name: &str) -> String {
    format!("remainder = \"passthrough\" gives the model text column `{name}`, which a model cannot take")
}

/// An error for the first text column of a transformer's output.
fn numbers_only(transformer: &str, frame: &Frame) -> Result<(), String> {
    match frame.columns.iter().find(|c| !c.cells.is_numeric()) {
        Some(c) => Err(format!(
            "transformer `{transformer}` gives the model text column `{}`, which a model cannot take",
            c.name
        )),
        None => Ok(()),
    }
}

impl Fitted {
    /// Rows `rows` of `data` as the model's features (row-major). Fails on a
    /// category the fit never saw under `handle_unknown = "error"`.
    ///
    /// A missing cell a step keeps (a scaler, `OrdinalEncoder`) stays NaN:
    /// [`Preprocess::check`] is what keeps such a section from reaching a fit.
    pub fn transform(&self, data: &Dataset, rows: &[usize]) -> Result<DenseMatrix<f64>, String> {
        let out: Vec<Vec<f64>> = self
            .outputs(data, rows, true)?
            .into_iter()
            .filter_map(|c| match c {
                Cells::Num { values, .. } => Some(values),
                Cells::Text { .. } => None,
            })
            .collect();
        if out.len() != self.names_out.len() {
            return Err(format!("the preprocessing gives {} columns, {} when fitted", out.len(), self.names_out.len()));
        }
        let p = out.len();
        if p == 0 {
            return Err("the [preprocess] section gives the model no columns".into());
        }
        let n = rows.len();
        let mut values = Vec::with_capacity(n * p);
        for i in 0..n {
            values.extend(out.iter().map(|col| col[i]));
        }
        DenseMatrix::new(n, p, values, false).map_err(|e| e.to_string())
    }

    /// The output columns, in order: the transformers' then the remainder's.
    /// With `numbers`, a text output is an error (a model takes numbers);
    /// without, text comes out as it is (scikit-learn's `transform` on text
    /// columns, which the agreement tests compare).
    pub(super) fn outputs<'d>(
        &self,
        data: &'d Dataset,
        rows: &[usize],
        numbers: bool,
    ) -> Result<Vec<Cells<'d>>, String> {
        check_shape(data, rows, "transform")?;
        if data.columns.len() != self.n_features {
            return Err(format!(
                "the data has {} columns, the preprocessing was fitted on {}",
                data.columns.len(),
                self.n_features
            ));
        }
        let (names, columns) = (&data.feature_names, &data.columns);
        let mut out = Vec::with_capacity(self.names_out.len());
        for t in &self.transformers {
            let mut frame = Frame::take(names, columns, &t.columns, rows)?;
            for (step_name, step) in &t.steps {
                frame =
                    step.transform(frame).map_err(|e| format!("transformer `{}`, step `{step_name}`: {e}", t.name))?;
            }
            if numbers {
                numbers_only(&t.name, &frame)?;
            }
            out.extend(frame.columns.into_iter().map(|c| c.cells));
        }
        for &j in &self.remainder {
            let frame = Frame::take(names, columns, &[j], rows)?;
            match frame.columns.into_iter().next().map(|c| c.cells) {
                Some(cells @ Cells::Num { .. }) => out.push(cells),
                Some(cells) if !numbers => out.push(cells),
                _ => return Err(remainder_text(&names[j])),
            }
        }
        Ok(out)
    }

    /// The model's column names as scikit-learn's `get_feature_names_out`
    /// gives them: `<transformer>__<column>`, one-hot columns as
    /// `<transformer>__<column>_<category>`, the remainder as `remainder__<column>`.
    pub fn feature_names_out(&self) -> Vec<String> {
        self.names_out.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::frame::ColumnType;
    use crate::core::preprocess::spec::*;
    use smartcore::linalg::basic::arrays::Array;

    const NAN: f64 = f64::NAN;

    fn data(columns: Vec<(&str, Column)>) -> Dataset {
        let n = columns.first().map_or(0, |c| c.1.len());
        Dataset {
            feature_names: columns.iter().map(|c| c.0.to_string()).collect(),
            columns: columns.into_iter().map(|c| c.1).collect(),
            target_name: "y".into(),
            y: vec![0.0; n],
            labels: None,
        }
    }

    fn section(text: &str) -> Preprocess {
        #[derive(serde::Deserialize)]
        struct Job {
            preprocess: Preprocess,
        }
        toml::from_str::<Job>(text).unwrap().preprocess
    }

    fn rows(m: &DenseMatrix<f64>) -> Vec<Vec<f64>> {
        let (n, p) = m.shape();
        (0..n).map(|i| (0..p).map(|j| *m.get((i, j))).collect()).collect()
    }

    fn bikes() -> Dataset {
        data(vec![
            ("season", Column::Numbers { ty: ColumnType::Long, values: vec![1.0, 2.0, 1.0, 3.0] }),
            ("temp", Column::numbers(vec![0.5, NAN, 0.25, 0.75])),
            ("dteday", Column::text(&[Some("2011-01-01"), Some("2011-01-02"), Some("2011-01-03"), Some("2011-01-04")])),
            ("windy", Column::Numbers { ty: ColumnType::Boolean, values: vec![1.0, 0.0, 0.0, 1.0] }),
        ])
    }

    /// One-hot of season, median of temp (0.5 over 0.25, 0.5, 0.75), windy by
    /// the remainder (dteday has a transformer of its own, so the remainder leaves it).
    #[test]
    fn outputs_come_in_transformer_order_then_the_remainder() {
        let p = section(
            r#"
            [preprocess]
            KIND = "ColumnTransformer"
            remainder = "passthrough"
            [[preprocess.transformers]]
            name = "cat"
            columns = ["season"]
            steps = [{ KIND = "OneHotEncoder" }]
            [[preprocess.transformers]]
            name = "num"
            columns = ["temp"]
            steps = [{ KIND = "SimpleImputer", strategy = "median" }]
            [[preprocess.transformers]]
            name = "drop_dates"
            columns = ["dteday"]
            steps = [{ KIND = "OneHotEncoder" }]
            "#,
        );
        let d = bikes();
        let fitted = p.fit(&d, &[0, 1, 2, 3]).unwrap();
        let dates = (1..=4).map(|d| format!("drop_dates__dteday_2011-01-0{d}"));
        let mut expected: Vec<String> =
            ["cat__season_1", "cat__season_2", "cat__season_3", "num__temp"].map(String::from).to_vec();
        expected.extend(dates);
        expected.push("remainder__windy".into());
        assert_eq!(fitted.feature_names_out(), expected);
        let r = rows(&fitted.transform(&d, &[1, 3]).unwrap());
        assert_eq!(r[0], [0.0, 1.0, 0.0, 0.5, 0.0, 1.0, 0.0, 0.0, 0.0]);
        assert_eq!(r[1], [0.0, 0.0, 1.0, 0.75, 0.0, 0.0, 0.0, 1.0, 1.0]);
    }

    /// Fitted on rows 0 and 2 only: season 2 and 3 never seen, temp's median is 0.375.
    #[test]
    fn only_the_training_rows_are_learnt_from() {
        let p = section(
            r#"
            [preprocess]
            KIND = "ColumnTransformer"
            [[preprocess.transformers]]
            name = "cat"
            columns = ["season"]
            steps = [{ KIND = "OneHotEncoder", handle_unknown = "ignore" }]
            [[preprocess.transformers]]
            name = "num"
            columns = "numeric"
            steps = [{ KIND = "SimpleImputer", strategy = "median" }]
            "#,
        );
        let d = bikes();
        let fitted = p.fit(&d, &[0, 2]).unwrap();
        assert_eq!(fitted.feature_names_out(), ["cat__season_1", "num__season", "num__temp", "num__windy"]);
        let r = rows(&fitted.transform(&d, &[1, 3]).unwrap());
        assert_eq!(r, [vec![0.0, 2.0, 0.375, 0.0], vec![0.0, 3.0, 0.75, 1.0]]);
        let err = section(
            r#"
            [preprocess]
            KIND = "ColumnTransformer"
            [[preprocess.transformers]]
            name = "cat"
            columns = ["season"]
            steps = [{ KIND = "OneHotEncoder" }]
            "#,
        )
        .fit(&d, &[0, 2])
        .unwrap()
        .transform(&d, &[1])
        .unwrap_err();
        assert!(
            err.starts_with("transformer `cat`, step `onehotencoder`: Found unknown categories [2] in column `season`"),
            "{err}"
        );
    }

    #[test]
    fn a_transformer_that_selects_nothing_outputs_nothing() {
        let d = data(vec![("x", Column::numbers(vec![1.0, 2.0]))]);
        let p = section(
            r#"
            [preprocess]
            KIND = "ColumnTransformer"
            [[preprocess.transformers]]
            name = "cat"
            columns = "categorical"
            steps = [{ KIND = "OneHotEncoder" }]
            [[preprocess.transformers]]
            name = "num"
            columns = "numeric"
            steps = "passthrough"
            "#,
        );
        let fitted = p.fit(&d, &[0, 1]).unwrap();
        assert_eq!(fitted.feature_names_out(), ["num__x"]);
        assert_eq!(rows(&fitted.transform(&d, &[1]).unwrap()), [vec![2.0]]);
    }

    #[test]
    fn text_reaching_the_model_and_bad_rows_are_errors_not_panics() {
        let d = bikes();
        let p = section("[preprocess]\nKIND = \"ColumnTransformer\"\nremainder = \"passthrough\"\n");
        assert!(p.fit(&d, &[0]).unwrap_err().contains("text column `dteday`"));
        let p = section("[preprocess]\nKIND = \"ColumnTransformer\"\n");
        assert!(p.fit(&d, &[]).unwrap_err().starts_with("no rows"));
        let p = section(
            "[preprocess]\nKIND = \"ColumnTransformer\"\n[[preprocess.transformers]]\nname = \"n\"\ncolumns = [\"season\"]\nsteps = \"passthrough\"\n",
        );
        assert_eq!(p.fit(&d, &[9]).unwrap_err(), "row 9 is not in the data, which has 4 rows");
        let fitted = p.fit(&d, &[0]).unwrap();
        assert!(fitted.transform(&d, &[4]).is_err());
        assert!(fitted.transform(&data(vec![]), &[0]).is_err());
        let none = section("[preprocess]\nKIND = \"ColumnTransformer\"\n").fit(&d, &[0]).unwrap();
        assert_eq!(none.transform(&d, &[0]).unwrap_err(), "the [preprocess] section gives the model no columns");
        let unknown = section(
            "[preprocess]\nKIND = \"ColumnTransformer\"\n[[preprocess.transformers]]\nname = \"n\"\ncolumns = [\"nope\"]\nsteps = \"passthrough\"\n",
        );
        assert_eq!(unknown.fit(&d, &[0]).unwrap_err(), "transformer `n`: no column `nope` in the data");
    }

    #[test]
    fn a_fitted_section_crosses_threads() {
        fn send_sync_clone<T: Send + Sync + Clone>() {}
        send_sync_clone::<Fitted>();
    }
}
