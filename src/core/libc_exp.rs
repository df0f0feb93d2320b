//! The exponential scikit-learn's Cython losses call: glibc's `exp` (2.28 and
//! later, x86-64 with FMA), rebuilt so that every target rounds alike.
//!
//! Gradient boosting's gradients for the log and exponential losses go
//! through `exp`, and its trees split on those gradients: an exponential one
//! unit in the last place off moves a near-tied split. The `libm` crate's
//! `exp` differs from glibc's on about 10% of inputs, a correctly rounded one
//! on about 0.08% (where glibc's rounds the other way), and both changed
//! fitted ensembles. This one follows glibc's algorithm step for step and
//! equals it bit for bit (`tests` below compares the two on this machine).
//!
//! The algorithm: write `x = k·ln2/128 + r` with `|r| ≤ ln2/256`; then
//! `exp(x) = 2^(k/128)·exp(r)`, the power from a table of 128 doubles (with
//! each one's rounding error) and `exp(r) - 1` from a degree-5 polynomial.
//! Where the C compiler fuses a multiply and an add, so does this code
//! (`mul_add`, an exact fused operation on every target).

#[path = "libc_exp_table.rs"]
mod table;

/// 128 / ln 2.
const INV_LN2_N: f64 = f64::from_bits(0x4067_1547_652b_82fe);
/// −ln 2 / 128 in two parts: a high part with trailing zeros, so `k` times it
/// is exact, and the rest.
const NEG_LN2_HI_N: f64 = f64::from_bits(0xbf76_2e42_fefa_0000);
const NEG_LN2_LO_N: f64 = f64::from_bits(0xbd0c_f79a_bc9e_3b3a);
/// 1.5·2^52: adding it rounds to an integer kept in the low mantissa bits.
const SHIFT: f64 = f64::from_bits(0x4338_0000_0000_0000);
/// The polynomial's coefficients for r², r³, r⁴, r⁵ (near 1/2, 1/6, 1/24, 1/120).
const C2: f64 = f64::from_bits(0x3fdf_ffff_ffff_fdbd);
const C3: f64 = f64::from_bits(0x3fc5_5555_5555_543c);
const C4: f64 = f64::from_bits(0x3fa5_5555_cf17_2b91);
const C5: f64 = f64::from_bits(0x3f81_1111_67a4_d017);

/// The sign and exponent bits of `x`.
fn top12(x: f64) -> u64 {
    x.to_bits() >> 52
}

/// e^x, equal to glibc's.
pub(crate) fn exp(x: f64) -> f64 {
    let abs_top = top12(x) & 0x7ff;
    let tiny_top = top12(f64::from_bits(0x3c90_0000_0000_0000)); // 2^-54
    let mut near_limits = false;
    if abs_top.wrapping_sub(tiny_top) >= top12(512.0) - tiny_top {
        if abs_top < tiny_top {
            return 1.0 + x;
        }
        if abs_top >= top12(1024.0) {
            return if x == f64::NEG_INFINITY {
                0.0
            } else if abs_top >= 0x7ff {
                1.0 + x // NaN stays NaN, +inf stays +inf
            } else if x < 0.0 {
                0.0
            } else {
                f64::INFINITY
            };
        }
        near_limits = true; // 512 ≤ |x| < 1024: the scale needs care
    }
    let shifted = INV_LN2_N.mul_add(x, SHIFT);
    let k_bits = shifted.to_bits();
    let k = shifted - SHIFT;
    let r = k.mul_add(NEG_LN2_LO_N, k.mul_add(NEG_LN2_HI_N, x));
    let (tail_bits, scale_bits) = table::TABLE[(k_bits % 128) as usize];
    let tail = f64::from_bits(tail_bits);
    let scale_bits = scale_bits.wrapping_add(k_bits << 45);
    let r2 = r * r;
    let low = r2.mul_add(r.mul_add(C3, C2), tail + r);
    let tmp = (r2 * r2).mul_add(r.mul_add(C5, C4), low);
    if near_limits {
        return near_limits_exp(tmp, scale_bits, k_bits);
    }
    let scale = f64::from_bits(scale_bits);
    scale.mul_add(tmp, scale)
}

/// `scale·(1 + tmp)` when the scale's exponent over- or underflows a double:
/// scale by a power of two apart, and round once before going subnormal.
fn near_limits_exp(tmp: f64, scale_bits: u64, k_bits: u64) -> f64 {
    if k_bits & 0x8000_0000 == 0 {
        let scale = f64::from_bits(scale_bits.wrapping_sub(1009 << 52));
        return f64::from_bits(0x7f00_0000_0000_0000) * scale.mul_add(tmp, scale); // 2^1009
    }
    let scale = f64::from_bits(scale_bits.wrapping_add(1022 << 52));
    // The product has two uses here, so the C compiler keeps it unfused.
    let scaled_tmp = scale * tmp;
    let mut y = scale + scaled_tmp;
    if y < 1.0 {
        let lo = scale - y + scaled_tmp;
        let hi = 1.0 + y;
        let lo = 1.0 - hi + y + lo;
        y = (hi + lo) - 1.0;
        if y == 0.0 {
            y = 0.0;
        }
    }
    f64::from_bits(0x0010_0000_0000_0000) * y // 2^-1022
}

#[cfg(test)]
mod tests {
    use super::exp;

    /// Inputs spread over every range the algorithm treats apart.
    #[cfg(all(target_os = "linux", target_env = "gnu", target_arch = "x86_64"))]
    fn inputs() -> impl Iterator<Item = f64> {
        let mut rng = crate::core::numpy_random::RandomState::new(0);
        let specials = [0.0, -0.0, 1.0, -1.0, 709.78, 709.79, -708.4, -745.13, -745.14, 1e-300, -1e-17, 512.0, -512.0];
        let ranges = [(-40.0, 40.0), (-1.0, 1.0), (-745.2, -700.0), (500.0, 709.8), (-1100.0, 1100.0)];
        let drawn: Vec<f64> = ranges
            .iter()
            .flat_map(|&(a, b)| (0..400_000).map(move |_| (a, b)))
            .map(|(a, b)| a + (b - a) * rng.random_sample())
            .collect();
        specials.into_iter().chain([f64::INFINITY, f64::NEG_INFINITY]).chain(drawn)
    }

    #[test]
    fn special_values_are_ieee_exps() {
        assert_eq!(exp(0.0), 1.0);
        assert_eq!(exp(f64::NEG_INFINITY), 0.0);
        assert_eq!(exp(f64::INFINITY), f64::INFINITY);
        assert!(exp(f64::NAN).is_nan());
        assert_eq!(exp(1000.0), f64::INFINITY);
        assert_eq!(exp(-1000.0), 0.0);
        assert_eq!(exp(1.0), std::f64::consts::E);
    }

    /// The whole point: equal to glibc's `exp`, which is the platform's `exp`
    /// where this runs on Linux with glibc on an x86-64 with FMA (scikit-learn's
    /// reference machine). Elsewhere the platform's `exp` is another function
    /// and there is nothing to compare with.
    #[test]
    #[cfg(all(target_os = "linux", target_env = "gnu", target_arch = "x86_64"))]
    fn equals_glibcs_exp_bit_for_bit() {
        if !std::arch::is_x86_feature_detected!("fma") {
            eprintln!("no FMA: glibc takes its other code path; not compared");
            return;
        }
        let differ: Vec<f64> = inputs().filter(|&x| exp(x).to_bits() != f64::exp(x).to_bits()).collect();
        assert!(
            differ.is_empty(),
            "{} inputs differ from glibc's exp, e.g. {:?}",
            differ.len(),
            &differ[..differ.len().min(5)]
        );
    }
}
