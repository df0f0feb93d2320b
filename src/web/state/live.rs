//! The live view of a search as its units finish: progress, and each
//! candidate's fold scores so far.

use crate::core::params::Params;
use crate::core::results::UnitResult;
use crate::web::format::{format_duration, format_number};

/// A running search, fed one finished unit at a time. Scores are kept per
/// (candidate, fold) as they arrive, so each unit costs O(1) however large
/// the search.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LiveSearch {
    /// Each candidate's parameters, in the searcher's order (the same list
    /// the job builds, so indices match the units').
    pub candidates: Vec<Params>,
    /// Units in the search; 0 until the first one finishes.
    pub total: usize,
    /// Seconds (page clock) when Run was pressed.
    pub started: f64,
    /// Seconds (page clock) when the job ended, if it has.
    pub finished: Option<f64>,
    /// Units finished so far.
    pub done: usize,
    /// Test scores by candidate and fold, `None` until that fold finishes.
    pub scores: Vec<Vec<Option<f64>>>,
}

/// One candidate's row in the live table.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveRow {
    /// Its parameters as JSON, like `cv_results`' `params` column.
    pub params: String,
    /// Each fold's test score once it has finished.
    pub folds: Vec<Option<f64>>,
    /// Mean of the finished folds (`None` before the first).
    pub mean: Option<f64>,
}

impl LiveSearch {
    /// A search over `candidates` that started at `now`.
    pub fn new(candidates: Vec<Params>, now: f64) -> Self {
        LiveSearch { candidates, started: now, ..LiveSearch::default() }
    }

    /// Records a finished unit of a search of `total` units.
    pub fn record(&mut self, unit: &UnitResult, total: usize) {
        if self.total != total {
            self.total = total;
            self.scores = vec![vec![None; self.n_folds()]; self.candidates.len()];
        }
        if let Some(slot) = self.scores.get_mut(unit.candidate).and_then(|folds| folds.get_mut(unit.fold)) {
            *slot = Some(unit.test_score);
        }
        self.done += 1;
    }

    /// Seconds since Run, frozen when the job ends.
    pub fn elapsed(&self, now: f64) -> f64 {
        self.finished.unwrap_or(now) - self.started
    }

    /// "12 / 36 fits · 4.1 s elapsed · about 8.2 s left"; "24 / 24 fits in 1.3 s" at the end.
    pub fn summary(&self, now: f64) -> String {
        let elapsed = format_duration(self.elapsed(now));
        if self.finished.is_some() {
            return match self.total {
                0 => format!("stopped after {elapsed}"),
                total => format!("{} / {total} fits in {elapsed}", self.done),
            };
        }
        if self.total == 0 {
            return format!("reading the data and starting workers · {elapsed}");
        }
        let mut s = format!("{} / {} fits · {elapsed} elapsed", self.done, self.total);
        if self.done > 0 && self.done < self.total {
            let eta = self.elapsed(now) / self.done as f64 * (self.total - self.done) as f64;
            s.push_str(&format!(" · about {} left", format_duration(eta)));
        }
        s
    }

    /// Share done, 0 to 1.
    pub fn fraction(&self) -> f64 {
        if self.total == 0 { 0.0 } else { self.done as f64 / self.total as f64 }
    }

    /// Folds per candidate, once the search size is known.
    pub fn n_folds(&self) -> usize {
        if self.candidates.is_empty() { 0 } else { self.total / self.candidates.len() }
    }

    /// Candidate `c` with the folds finished so far.
    pub fn row(&self, c: usize) -> Option<LiveRow> {
        let params = serde_json::to_string(self.candidates.get(c)?).unwrap_or_default();
        let folds = self.scores.get(c).cloned().unwrap_or_default();
        let done: Vec<f64> = folds.iter().flatten().copied().collect();
        let mean = (!done.is_empty()).then(|| done.iter().sum::<f64>() / done.len() as f64);
        Some(LiveRow { params, folds, mean })
    }
}

/// A live score cell: the score, or a dot while its fold has not finished.
pub fn live_cell(score: Option<f64>) -> String {
    score.map(format_number).unwrap_or_else(|| "·".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::params::ParamValue;
    use crate::web::state::fixtures::unit;

    fn live() -> LiveSearch {
        let params = |d| Params::from([("max_depth".to_string(), ParamValue::Int(d))]);
        LiveSearch::new(vec![params(3), params(5)], 10.0)
    }

    #[test]
    fn progress_summary_estimates_what_is_left() {
        let mut live = live();
        assert_eq!(live.summary(10.5), "reading the data and starting workers · 0.5 s");
        live.record(&unit(0, 0, 1.0), 4);
        live.record(&unit(0, 1, 3.0), 4);
        assert_eq!(live.summary(12.0), "2 / 4 fits · 2.0 s elapsed · about 2.0 s left");
        assert_eq!(live.fraction(), 0.5);
        live.finished = Some(13.0);
        assert_eq!(live.summary(99.0), "2 / 4 fits in 3.0 s", "the clock stops with the job");
    }

    #[test]
    fn rows_fill_in_as_folds_finish() {
        let mut live = live();
        assert_eq!(live.row(0).unwrap().folds, Vec::<Option<f64>>::new(), "fold count unknown before the first unit");
        live.record(&unit(0, 1, 3.0), 4);
        live.record(&unit(0, 0, 1.0), 4);
        let first = live.row(0).unwrap();
        assert_eq!(first.params, r#"{"max_depth":3}"#);
        assert_eq!((first.folds, first.mean), (vec![Some(1.0), Some(3.0)], Some(2.0)));
        let second = live.row(1).unwrap();
        assert_eq!((second.folds, second.mean), (vec![None, None], None));
        assert_eq!(live.row(2), None);
        assert_eq!(live_cell(None), "·");
    }

    #[test]
    fn units_outside_the_plan_are_counted_but_not_placed() {
        let mut live = live();
        live.record(&unit(0, 7, 1.0), 4);
        live.record(&unit(9, 0, 1.0), 4);
        assert_eq!(live.row(0).unwrap().folds, vec![None, None]);
        assert_eq!(live.done, 2);
    }
}
