//! Sums added in numpy's order, so means, variances and sample weights agree
//! with scikit-learn's to the last bit rather than to a rounding error.
//!
//! `np.sum(X, axis=0)` adds a contiguous column pairwise (blocks of eight
//! partial sums, halves of more than 128 values summed apart), but adds the
//! rows of a row-major array with several columns one after another. A
//! DataFrame's values are column-major; an encoder's output is row-major.
//! `np.nansum` adds zeros where the NaNs were, in the same order.

/// The sum of `values`, NaN read as 0, in the order numpy adds one column of
/// an array whose layout is `c_order` with `n_columns` columns.
pub(crate) fn column_sum(values: &[f64], c_order: bool, n_columns: usize) -> f64 {
    // The reduction starts from the identity 0.0 and adds the loop's result.
    if c_order && n_columns > 1 { values.iter().fold(0.0, |s, &x| s + zero_nan(x)) } else { 0.0 + pairwise(values) }
}

/// `np.sum` of a 1-D array.
pub(crate) fn sum(values: &[f64]) -> f64 {
    column_sum(values, false, 1)
}

fn zero_nan(x: f64) -> f64 {
    if x.is_nan() { 0.0 } else { x }
}

/// numpy's `pairwise_sum` (numpy/_core/src/umath/loops_utils.h.src).
fn pairwise(a: &[f64]) -> f64 {
    let n = a.len();
    if n < 8 {
        // numpy starts from -0.0 so that a sum of -0.0s stays -0.0.
        a.iter().fold(-0.0, |s, &x| s + zero_nan(x))
    } else if n <= 128 {
        let mut r = [0.0; 8];
        for (k, slot) in r.iter_mut().enumerate() {
            *slot = zero_nan(a[k]);
        }
        let whole = n - n % 8;
        let mut i = 8;
        while i < whole {
            for (k, slot) in r.iter_mut().enumerate() {
                *slot += zero_nan(a[i + k]);
            }
            i += 8;
        }
        let mut res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for &x in &a[whole..] {
            res += zero_nan(x);
        }
        res
    } else {
        let mut n2 = n / 2;
        n2 -= n2 % 8;
        pairwise(&a[..n2]) + pairwise(&a[n2..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 0.1 ten times: numpy's pairwise order gives 1.0 where adding one after
    /// another gives 0.9999999999999999 (`sum([0.1] * 10)` in Python).
    #[test]
    fn a_column_is_summed_pairwise_and_rows_one_after_another() {
        let tenths = [0.1; 10];
        assert_eq!(column_sum(&tenths, false, 3), 1.0);
        assert_eq!(column_sum(&tenths, true, 1), 1.0, "one column is contiguous in either order");
        assert_eq!(column_sum(&tenths, true, 2), 0.9999999999999999);
    }

    #[test]
    fn nan_counts_as_zero_and_long_columns_split_in_halves() {
        assert_eq!(column_sum(&[1.0, f64::NAN, 2.0], false, 1), 3.0);
        let ones = vec![1.0; 1000];
        assert_eq!(column_sum(&ones, false, 1), 1000.0);
        assert_eq!(column_sum(&[], false, 1), 0.0);
    }
}
