//! The page's state as plain types with methods, tested natively; the Leptos
//! components only wire them to signals.

use serde_json::Value;

use crate::core::results::{SearchResults, UnitResult};
use crate::io::table::{Table, read_csv};

/// Where a run is; `progress`'s `data-state` attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunState {
    /// Nothing has run yet.
    Idle,
    /// Workers are fitting.
    Running,
    /// Finished.
    Done,
    /// Cancelled by the person; finished units kept.
    Cancelled,
    /// Stopped by an error.
    Failed,
}

impl RunState {
    /// The `data-state` value.
    pub fn as_str(self) -> &'static str {
        match self {
            RunState::Idle => "idle",
            RunState::Running => "running",
            RunState::Done => "done",
            RunState::Cancelled => "cancelled",
            RunState::Failed => "failed",
        }
    }
}

/// Progress of a running search, fed one finished unit at a time.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LiveSearch {
    /// Units in the search.
    pub total: usize,
    /// Seconds (page clock) when the search started.
    pub started: f64,
    /// Finished units so far.
    pub units: Vec<UnitResult>,
}

impl LiveSearch {
    /// A search of `total` units starting at `now`.
    pub fn new(total: usize, now: f64) -> Self {
        LiveSearch { total, started: now, units: Vec::new() }
    }

    /// "12 / 36 fits · 4.1 s elapsed · about 8 s left".
    pub fn summary(&self, now: f64) -> String {
        let done = self.units.len();
        let elapsed = now - self.started;
        let mut s = format!("{done} / {} fits · {elapsed:.1} s elapsed", self.total);
        if done > 0 && done < self.total {
            let eta = elapsed / done as f64 * (self.total - done) as f64;
            s.push_str(&format!(" · about {eta:.0} s left"));
        }
        s
    }

    /// Share done, 0 to 1.
    pub fn fraction(&self) -> f64 {
        if self.total == 0 { 0.0 } else { self.units.len() as f64 / self.total as f64 }
    }

    /// Per candidate: folds finished and the mean test score so far (NaN if none).
    pub fn candidates(&self, n_candidates: usize) -> Vec<(usize, f64)> {
        (0..n_candidates)
            .map(|c| {
                let scores: Vec<f64> = self.units.iter().filter(|u| u.candidate == c).map(|u| u.test_score).collect();
                let mean = if scores.is_empty() { f64::NAN } else { scores.iter().sum::<f64>() / scores.len() as f64 };
                (scores.len(), mean)
            })
            .collect()
    }
}

/// A short look at a picked file: shape, columns, first rows, or the reader's error.
#[derive(Debug, Clone, PartialEq)]
pub struct Preview {
    /// File name.
    pub name: String,
    /// Rows × columns, or the error that reading gave.
    pub shape: Result<(usize, usize), String>,
    /// Column names.
    pub columns: Vec<String>,
    /// The first rows, formatted.
    pub head: Vec<Vec<String>>,
}

impl Preview {
    /// Reads `bytes` as the engine will and keeps the first `rows` rows.
    pub fn of(name: &str, bytes: &[u8], rows: usize) -> Preview {
        match read_csv(name, bytes, None) {
            Ok(table) => Preview {
                name: name.to_string(),
                shape: Ok((table.n_rows(), table.columns.len())),
                head: head(&table, rows),
                columns: table.columns,
            },
            Err(e) => {
                Preview { name: name.to_string(), shape: Err(e.to_string()), columns: Vec::new(), head: Vec::new() }
            }
        }
    }
}

fn head(table: &Table, rows: usize) -> Vec<Vec<String>> {
    let p = table.columns.len();
    (0..table.n_rows().min(rows)).map(|r| (0..p).map(|c| format_number(table.values[r * p + c])).collect()).collect()
}

/// Numbers as a person reads them: up to 6 significant digits, no trailing zeros.
pub fn format_number(x: f64) -> String {
    if x.is_nan() {
        return "—".into();
    }
    if x == 0.0 || x.fract() == 0.0 && x.abs() < 1e15 {
        return format!("{x:.0}");
    }
    let magnitude = x.abs().log10().floor() as i32;
    if !(-4..15).contains(&magnitude) {
        return format!("{x:.5e}");
    }
    let decimals = (5 - magnitude).max(0) as usize;
    let s = format!("{x:.decimals$}");
    if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s }
}

/// The results table: column names and one row of cells per candidate. Times
/// and scores are rounded for reading; `params` is JSON.
pub fn results_table(results: &SearchResults) -> (Vec<String>, Vec<Vec<String>>) {
    let columns = results.columns();
    let names = columns.iter().map(|(n, _)| n.clone()).collect();
    let rows = (0..results.cv_results.params.len())
        .map(|c| {
            columns
                .iter()
                .map(|(_, values)| match &values[c] {
                    Value::Number(n) => n.as_f64().map(format_number).unwrap_or_default(),
                    Value::Null => "—".into(),
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect();
    (names, rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_rounded_for_reading() {
        assert_eq!(format_number(-2993.0813104693307), "-2993.08");
        assert_eq!(format_number(0.91736), "0.91736");
        assert_eq!(format_number(0.000012345678), "1.23457e-5");
        assert_eq!(format_number(42.0), "42");
        assert_eq!(format_number(f64::NAN), "—");
    }

    #[test]
    fn live_search_reports_progress_and_partial_means() {
        let mut live = LiveSearch::new(4, 10.0);
        let unit = |candidate, fold, score| UnitResult {
            candidate,
            fold,
            test_score: score,
            train_score: None,
            fit_time: 0.0,
            score_time: 0.0,
            error: None,
        };
        live.units.push(unit(0, 0, 1.0));
        live.units.push(unit(0, 1, 3.0));
        assert_eq!(live.summary(12.0), "2 / 4 fits · 2.0 s elapsed · about 2 s left");
        assert_eq!(live.candidates(2)[0], (2, 2.0));
        assert!(live.candidates(2)[1].1.is_nan());
    }

    #[test]
    fn preview_shows_shape_head_or_the_error() {
        let p = Preview::of("x.csv", b"a,b\n1,2.5\n3,4\n", 1);
        assert_eq!(p.shape, Ok((2, 2)));
        assert_eq!(p.head, vec![vec!["1".to_string(), "2.5".to_string()]]);
        let bad = Preview::of("x.csv", b"a,b\n1\n", 1);
        assert!(bad.shape.unwrap_err().contains("row 1 (line 2)"));
    }
}
