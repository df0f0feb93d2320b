//! `StandardScaler` and `MinMaxScaler`, computed in scikit-learn's order of
//! operations so the scaled values are its values, not merely close to them.
//!
//! Both learn from the non-missing training cells and keep a missing cell
//! missing (NaN in, NaN out), as scikit-learn's scalers do.

use super::spec::{MinMaxScaler, StandardScaler};
use super::work::{Cells, Frame, Show};
use crate::core::numpy_sum::column_sum;

/// A fitted `StandardScaler`.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct FittedStandard {
    /// Subtracted first (`with_mean`).
    mean: Option<Vec<f64>>,
    /// Divided by next (`with_std`); 1 for a constant column.
    scale: Option<Vec<f64>>,
}

/// A fitted `MinMaxScaler`: `x * scale + min`.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct FittedMinMax {
    scale: Vec<f64>,
    min: Vec<f64>,
}

/// The columns' numbers, or an error naming the text columns.
fn numbers<'f>(kind: &str, frame: &'f Frame) -> Result<Vec<&'f [f64]>, String> {
    frame
        .columns
        .iter()
        .map(|c| match &c.cells {
            Cells::Num { values, .. } => Ok(values.as_slice()),
            Cells::Text { .. } => Err(format!("{kind} needs numbers, but `{}` is text", c.name)),
        })
        .collect()
}

/// Learns each column's mean and standard deviation.
///
/// This is `_incremental_mean_and_var` from a first batch: the mean is the
/// sum over the count; the variance is the corrected two-pass one
/// (`sum((x - m)^2) - sum(x - m)^2 / n`, over `n`, the population variance).
/// A column whose variance is within rounding of zero for its mean
/// (`_is_constant_feature`) is scaled by 1, not by a tiny number.
pub(super) fn fit_standard(spec: &StandardScaler, frame: &Frame) -> Result<FittedStandard, String> {
    let columns = numbers("StandardScaler", frame)?;
    if !spec.with_mean && !spec.with_std {
        return Ok(FittedStandard { mean: None, scale: None });
    }
    let p = columns.len();
    let mut means = Vec::with_capacity(p);
    let mut scales = Vec::with_capacity(p);
    for values in columns {
        let count = values.iter().filter(|x| !x.is_nan()).count() as f64;
        let sum = column_sum(values, frame.c_order, p);
        let mean = (0.0 + sum) / count;
        means.push(mean);
        if spec.with_std {
            let t = sum / count;
            let temp: Vec<f64> = values.iter().map(|&x| x - t).collect();
            let correction = column_sum(&temp, frame.c_order, p);
            let squares: Vec<f64> = temp.iter().map(|&d| d * d).collect();
            let unnormalized = column_sum(&squares, frame.c_order, p) - correction * correction / count;
            let var = unnormalized / count;
            let eps = f64::EPSILON;
            let bound = count * eps * var + {
                let m = count * mean * eps;
                m * m
            };
            let constant = var <= bound;
            scales.push(if constant { 1.0 } else { var.sqrt() });
        }
    }
    Ok(FittedStandard { mean: spec.with_mean.then_some(means), scale: spec.with_std.then_some(scales) })
}

/// Learns each column's range.
///
/// scikit-learn: `scale_ = (max_r - min_r) / range` (a range below 10 eps
/// counts as 1) and `min_ = min_r - data_min * scale_`; computed in that order.
pub(super) fn fit_min_max(spec: &MinMaxScaler, frame: &Frame) -> Result<FittedMinMax, String> {
    let (lo, hi) = spec.feature_range;
    if lo.is_nan() || hi.is_nan() || lo >= hi {
        return Err(format!(
            "MinMaxScaler: Minimum of desired feature range must be smaller than maximum. Got ({}, {}).",
            crate::core::params::python_float(lo),
            crate::core::params::python_float(hi)
        ));
    }
    let columns = numbers("MinMaxScaler", frame)?;
    let mut scale = Vec::with_capacity(columns.len());
    let mut min = Vec::with_capacity(columns.len());
    for values in columns {
        let present = values.iter().copied().filter(|x| !x.is_nan());
        let (data_min, data_max) = present.fold((f64::NAN, f64::NAN), |(a, b), x| {
            (if a.is_nan() || x < a { x } else { a }, if b.is_nan() || x > b { x } else { b })
        });
        let range = data_max - data_min;
        let range = if range < 10.0 * f64::EPSILON { 1.0 } else { range };
        let s = (hi - lo) / range;
        scale.push(s);
        min.push(lo - data_min * s);
    }
    Ok(FittedMinMax { scale, min })
}

/// Checks that `frame` has the `expected` columns, all numbers.
fn numbers_mut<'f, 'a>(kind: &str, frame: &'f mut Frame<'a>, expected: usize) -> Result<Vec<&'f mut Vec<f64>>, String> {
    if frame.columns.len() != expected {
        return Err(format!("{kind}: X has {} features, expected {expected}", frame.columns.len()));
    }
    frame
        .columns
        .iter_mut()
        .map(|c| match &mut c.cells {
            Cells::Num { values, show } => {
                *show = Show::Float;
                Ok(values)
            }
            Cells::Text { .. } => Err(format!("{kind} needs numbers, but `{}` is text", c.name)),
        })
        .collect()
}

impl FittedStandard {
    /// `(x - mean) / scale`; NaN stays NaN.
    pub fn transform<'a>(&self, mut frame: Frame<'a>) -> Result<Frame<'a>, String> {
        let p = self.mean.as_ref().or(self.scale.as_ref()).map(Vec::len).unwrap_or(frame.columns.len());
        for (j, values) in numbers_mut("StandardScaler", &mut frame, p)?.into_iter().enumerate() {
            if let Some(mean) = &self.mean {
                values.iter_mut().for_each(|x| *x -= mean[j]);
            }
            if let Some(scale) = &self.scale {
                values.iter_mut().for_each(|x| *x /= scale[j]);
            }
        }
        Ok(frame)
    }
}

impl FittedMinMax {
    /// `x * scale + min`; NaN stays NaN.
    pub fn transform<'a>(&self, mut frame: Frame<'a>) -> Result<Frame<'a>, String> {
        for (j, values) in numbers_mut("MinMaxScaler", &mut frame, self.scale.len())?.into_iter().enumerate() {
            values.iter_mut().for_each(|x| *x = *x * self.scale[j] + self.min[j]);
        }
        Ok(frame)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::frame::Column;

    const NAN: f64 = f64::NAN;

    fn run_standard(spec: &StandardScaler, columns: &[Column]) -> Result<Vec<Vec<f64>>, String> {
        let names: Vec<String> = (0..columns.len()).map(|j| format!("x{j}")).collect();
        let n = columns[0].len();
        let frame = Frame::take(&names, columns, &(0..columns.len()).collect::<Vec<_>>(), &(0..n).collect::<Vec<_>>())?;
        let fitted = fit_standard(spec, &frame)?;
        Ok(values(&fitted.transform(frame)?))
    }

    fn run_min_max(spec: &MinMaxScaler, columns: &[Column]) -> Result<Vec<Vec<f64>>, String> {
        let names: Vec<String> = (0..columns.len()).map(|j| format!("x{j}")).collect();
        let n = columns[0].len();
        let frame = Frame::take(&names, columns, &(0..columns.len()).collect::<Vec<_>>(), &(0..n).collect::<Vec<_>>())?;
        let fitted = fit_min_max(spec, &frame)?;
        Ok(values(&fitted.transform(frame)?))
    }

    fn values(frame: &Frame) -> Vec<Vec<f64>> {
        frame
            .columns
            .iter()
            .map(|c| match &c.cells {
                Cells::Num { values, .. } => values.clone(),
                Cells::Text { .. } => panic!("numbers expected"),
            })
            .collect()
    }

    fn same(a: &[f64], b: &[f64]) -> bool {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan()))
    }

    /// 1, 3, 5: mean 3, population variance (4 + 0 + 4) / 3 = 8/3, so 5 maps
    /// to 2 / sqrt(8/3). The NaN is left out of both and stays NaN.
    #[test]
    fn standard_scaler_uses_the_population_variance_and_keeps_nan() {
        let out = run_standard(&StandardScaler::default(), &[Column::numbers(vec![1.0, NAN, 3.0, 5.0])]).unwrap();
        let s = (8.0f64 / 3.0).sqrt();
        assert!(same(&out[0], &[-2.0 / s, NAN, 0.0, 2.0 / s]), "{:?}", out[0]);
    }

    #[test]
    fn a_constant_column_is_scaled_by_1() {
        let out = run_standard(&StandardScaler::default(), &[Column::numbers(vec![7.0, 7.0, 7.0])]).unwrap();
        assert_eq!(out[0], [0.0, 0.0, 0.0]);
        // 1e6 and the next float up: the variance, (ulp/2)^2 = 3.4e-21, is a
        // rounding error for a mean of 1e6 (_is_constant_feature's bound is
        // (2 * 1e6 * eps)^2 = 2e-19), though its root 5.8e-11 is far above 10 eps.
        let next = f64::from_bits(1e6f64.to_bits() + 1);
        let out = run_standard(&StandardScaler::default(), &[Column::numbers(vec![1e6, next])]).unwrap();
        assert_eq!(out[0], [0.0, next - 1e6], "divided by 1, not by 5.8e-11 (which would give 0, 2)");
    }

    #[test]
    fn with_mean_and_with_std_switch_their_half_off() {
        let col = [Column::numbers(vec![1.0, 3.0])];
        // mean 2, std 1.
        assert_eq!(run_standard(&StandardScaler { with_mean: false, with_std: true }, &col).unwrap()[0], [1.0, 3.0]);
        assert_eq!(run_standard(&StandardScaler { with_mean: true, with_std: false }, &col).unwrap()[0], [-1.0, 1.0]);
        assert_eq!(run_standard(&StandardScaler { with_mean: false, with_std: false }, &col).unwrap()[0], [1.0, 3.0]);
    }

    #[test]
    fn scalers_refuse_text() {
        let e = run_standard(&StandardScaler::default(), &[Column::text(&[Some("a")])]).unwrap_err();
        assert_eq!(e, "StandardScaler needs numbers, but `x0` is text");
        assert!(run_min_max(&MinMaxScaler::default(), &[Column::text(&[Some("a")])]).is_err());
    }

    /// 2, 4, 10 into [0, 1]: scale 1/8, min -2/8: 0, 0.25, 1.
    #[test]
    fn min_max_maps_the_training_range_onto_feature_range() {
        let out = run_min_max(&MinMaxScaler::default(), &[Column::numbers(vec![2.0, NAN, 4.0, 10.0])]).unwrap();
        assert!(same(&out[0], &[0.0, NAN, 0.25, 1.0]), "{:?}", out[0]);
        // Into [-1, 1]: scale 2/8 = 0.25, min -1 - 2 * 0.25 = -1.5.
        let spec = MinMaxScaler { feature_range: (-1.0, 1.0) };
        let out = run_min_max(&spec, &[Column::numbers(vec![2.0, 4.0, 10.0])]).unwrap();
        assert_eq!(out[0], [-1.0, -0.5, 1.0]);
    }

    /// 0.1, 0.2, 0.3: scale_ = 1 / 0.19999999999999998 = 5.000000000000001 and
    /// min_ = -0.1 * scale_, so 0.2 * scale_ + min_ is exactly 0.5, where
    /// (0.2 - 0.1) / 0.19999999999999998 would give 0.5000000000000001.
    #[test]
    fn min_max_multiplies_then_adds_as_scikit_learn_does() {
        let out = run_min_max(&MinMaxScaler::default(), &[Column::numbers(vec![0.1, 0.2, 0.3])]).unwrap();
        assert_eq!(out[0], [0.0, 0.5, 1.0]);
    }

    /// scale_ = 1 / 1 for a range of 0; min_ = 0 - 5 * 1: every cell maps to 0.
    #[test]
    fn min_max_of_a_constant_column_divides_by_1() {
        let out = run_min_max(&MinMaxScaler::default(), &[Column::numbers(vec![5.0, 5.0])]).unwrap();
        assert_eq!(out[0], [0.0, 0.0]);
    }

    #[test]
    fn min_max_refuses_an_empty_feature_range() {
        let e = run_min_max(&MinMaxScaler { feature_range: (1.0, 0.0) }, &[Column::numbers(vec![1.0])]).unwrap_err();
        assert_eq!(e, "MinMaxScaler: Minimum of desired feature range must be smaller than maximum. Got (1.0, 0.0).");
    }

    #[test]
    fn an_all_missing_column_stays_missing() {
        let out = run_standard(&StandardScaler::default(), &[Column::numbers(vec![NAN, NAN])]).unwrap();
        assert!(out[0].iter().all(|x| x.is_nan()));
        let out = run_min_max(&MinMaxScaler::default(), &[Column::numbers(vec![NAN, NAN])]).unwrap();
        assert!(out[0].iter().all(|x| x.is_nan()));
    }
}
