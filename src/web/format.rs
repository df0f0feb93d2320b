//! Numbers as a person reads them in the page's tables: a few significant
//! digits, no trailing zeros, exponents only for very small or large values.
//! Exports keep full precision; only the display rounds.

/// `1234567` as "1,234,567", for counts a person reads at a glance.
pub fn format_count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// `x` with `sig` significant digits (at least 1). NaN (a fold that never
/// ran or failed) shows as a dash.
pub fn format_sig(x: f64, sig: usize) -> String {
    let sig = sig.max(1);
    if x.is_nan() {
        return "—".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "∞".into() } else { "-∞".into() };
    }
    if x == 0.0 {
        return "0".into();
    }
    if x.fract() == 0.0 && x.abs() < 1e15 {
        return format!("{x:.0}");
    }
    let magnitude = x.abs().log10().floor() as i32;
    if !(-4..15).contains(&magnitude) {
        let s = format!("{x:.prec$e}", prec = sig - 1);
        return match s.split_once('e') {
            Some((mantissa, exp)) => format!("{}e{exp}", trim_zeros(mantissa)),
            None => s,
        };
    }
    let decimals = (sig as i32 - 1 - magnitude).max(0) as usize;
    trim_zeros(&format!("{x:.decimals$}")).to_string()
}

/// Scores and data values: six significant digits, enough to tell close
/// candidates apart.
pub fn format_number(x: f64) -> String {
    format_sig(x, 6)
}

/// Seconds shown as milliseconds, three significant digits: fit and score
/// times are mostly well under a second.
pub fn format_ms(seconds: f64) -> String {
    format_sig(seconds * 1000.0, 3)
}

/// "12.3 s", "2 min 05 s": elapsed time and estimates.
pub fn format_duration(seconds: f64) -> String {
    if !seconds.is_finite() || seconds < 0.0 {
        return "—".into();
    }
    if seconds < 60.0 {
        return format!("{seconds:.1} s");
    }
    let whole = seconds.round() as u64;
    format!("{} min {:02} s", whole / 60, whole % 60)
}

fn trim_zeros(s: &str) -> &str {
    if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.') } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_group_their_thousands() {
        assert_eq!(format_count(0), "0");
        assert_eq!(format_count(999), "999");
        assert_eq!(format_count(1000), "1,000");
        assert_eq!(format_count(1_234_567), "1,234,567");
    }

    #[test]
    fn numbers_are_rounded_for_reading() {
        assert_eq!(format_number(-2993.0813104693307), "-2993.08");
        assert_eq!(format_number(0.91736), "0.91736");
        assert_eq!(format_number(42.0), "42");
        assert_eq!(format_number(-0.0), "0");
        assert_eq!(format_number(f64::NAN), "—");
        assert_eq!(format_number(f64::NEG_INFINITY), "-∞");
    }

    #[test]
    fn exponents_have_no_trailing_zeros() {
        assert_eq!(format_number(2.5e-5), "2.5e-5");
        assert_eq!(format_number(1e-5), "1e-5");
        assert_eq!(format_number(0.000012345678), "1.23457e-5");
        assert_eq!(format_number(-3.0e20), "-3e20");
        assert_eq!(format_number(1.5e20), "1.5e20");
    }

    #[test]
    fn rounding_up_to_the_next_power_of_ten_stays_short() {
        assert_eq!(format_sig(9.99999999, 3), "10");
        assert_eq!(format_sig(0.0999999, 2), "0.1");
    }

    #[test]
    fn times_read_in_milliseconds() {
        assert_eq!(format_ms(0.13855), "139");
        assert_eq!(format_ms(0.000125), "0.125");
        assert_eq!(format_ms(2.5e-5), "0.025");
        assert_eq!(format_ms(0.0), "0");
    }

    #[test]
    fn durations_switch_to_minutes() {
        assert_eq!(format_duration(4.06), "4.1 s");
        assert_eq!(format_duration(125.2), "2 min 05 s");
        assert_eq!(format_duration(f64::NAN), "—");
    }
}
