//! Search results in scikit-learn's shape: `cv_results_`, `best_index_`,
//! `best_score_`, `best_params_`; and their CSV and JSON forms.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::params::{ParamValue, Params, params_to_python};

/// What one (candidate, fold) fit produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitResult {
    /// Candidate index.
    pub candidate: usize,
    /// Fold index.
    pub fold: usize,
    /// Score on the fold's test rows (the `error_score` value when the fit failed).
    #[serde(deserialize_with = "null_is_nan")]
    pub test_score: f64,
    /// Score on the fold's train rows, when asked.
    pub train_score: Option<f64>,
    /// Seconds spent fitting.
    pub fit_time: f64,
    /// Seconds spent predicting and scoring.
    pub score_time: f64,
    /// Why the fit or the scoring failed, if it did.
    pub error: Option<String>,
}

/// JSON has no NaN: serde_json writes a NaN score as `null`, so `null` reads
/// back as NaN (a failed fit's `error_score = nan` crosses to the page intact).
fn null_is_nan<'de, D: serde::Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Option::<f64>::deserialize(d).map(|v| v.unwrap_or(f64::NAN))
}

/// `cv_results_`: one entry per candidate in every column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CvResults {
    /// Each candidate's parameters.
    pub params: Vec<Params>,
    /// `split{i}_test_score`: `[candidate][fold]`.
    pub split_test_scores: Vec<Vec<f64>>,
    /// `mean_test_score`.
    pub mean_test_score: Vec<f64>,
    /// `std_test_score` (population standard deviation, as numpy's `std`).
    pub std_test_score: Vec<f64>,
    /// `rank_test_score`: 1 is best, ties share the lowest rank, NaN ranks last.
    pub rank_test_score: Vec<u32>,
    /// `split{i}_train_score`, when `return_train_score`.
    pub split_train_scores: Option<Vec<Vec<f64>>>,
    /// `mean_train_score`, when `return_train_score`.
    pub mean_train_score: Option<Vec<f64>>,
    /// `std_train_score`, when `return_train_score`.
    pub std_train_score: Option<Vec<f64>>,
    /// `mean_fit_time` in seconds.
    pub mean_fit_time: Vec<f64>,
    /// `std_fit_time`.
    pub std_fit_time: Vec<f64>,
    /// `mean_score_time` in seconds.
    pub mean_score_time: Vec<f64>,
    /// `std_score_time`.
    pub std_score_time: Vec<f64>,
    /// Tuna's addition: each candidate's first fit error, if any.
    pub errors: Vec<Option<String>>,
}

/// Everything a search produced: the contract shared by the CLI and the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    /// Per-candidate results.
    pub cv_results: CvResults,
    /// Index of the best candidate (first with rank 1).
    pub best_index: usize,
    /// Its mean test score.
    pub best_score: f64,
    /// Its parameters.
    pub best_params: Params,
    /// Number of folds.
    pub n_splits: usize,
    /// Fits that failed and scored `error_score`.
    pub n_failed_fits: usize,
    /// Seconds to refit the best candidate on all rows, when refit ran.
    pub refit_time: Option<f64>,
    /// The refit model's `oob_score_` (a forest with `oob_score = true`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub best_estimator_oob_score: Option<f64>,
    /// The refit model's `n_estimators_` (gradient boosting with early stopping).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub best_estimator_n_estimators: Option<usize>,
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

/// Population standard deviation (numpy's default `ddof=0`, as scikit-learn uses).
fn std(v: &[f64]) -> f64 {
    let m = mean(v);
    (v.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / v.len() as f64).sqrt()
}

/// scikit-learn's ranking: `rankdata(-means, "min")`, NaN means ranked after
/// all others. Sorting once makes it O(n log n), so a grid of a million
/// candidates ranks in well under a second.
pub fn rank_min(means: &[f64]) -> Vec<u32> {
    let finite: Vec<f64> = {
        let mut f: Vec<f64> = means.iter().copied().filter(|x| !x.is_nan()).collect();
        f.sort_unstable_by(|a, b| b.total_cmp(a)); // best first
        f
    };
    let nan_rank = if finite.is_empty() { 1 } else { finite.len() as u32 + 1 };
    means
        .iter()
        .map(|&m| {
            if m.is_nan() {
                nan_rank
            } else {
                // 1 + how many finite means are strictly greater (sorted descending).
                1 + finite.partition_point(|&o| o > m) as u32
            }
        })
        .collect()
}

impl SearchResults {
    /// Assembles results from every unit's outcome (`units[c * n_splits + f]`).
    pub fn from_units(params: Vec<Params>, n_splits: usize, units: &[UnitResult], with_train: bool) -> SearchResults {
        let n = params.len();
        let column = |f: &dyn Fn(&UnitResult) -> f64| -> Vec<Vec<f64>> {
            (0..n).map(|c| (0..n_splits).map(|k| f(&units[c * n_splits + k])).collect()).collect()
        };
        let test = column(&|u| u.test_score);
        let fit = column(&|u| u.fit_time);
        let score = column(&|u| u.score_time);
        let train = with_train.then(|| column(&|u| u.train_score.unwrap_or(f64::NAN)));
        let mean_test_score: Vec<f64> = test.iter().map(|s| mean(s)).collect();
        let rank_test_score = rank_min(&mean_test_score);
        let best_index = rank_test_score.iter().position(|&r| r == 1).unwrap_or(0);
        let errors = (0..n).map(|c| (0..n_splits).find_map(|k| units[c * n_splits + k].error.clone())).collect();
        let cv_results = CvResults {
            std_test_score: test.iter().map(|s| std(s)).collect(),
            mean_test_score: mean_test_score.clone(),
            rank_test_score,
            mean_train_score: train.as_ref().map(|t| t.iter().map(|s| mean(s)).collect()),
            std_train_score: train.as_ref().map(|t| t.iter().map(|s| std(s)).collect()),
            split_train_scores: train,
            split_test_scores: test,
            mean_fit_time: fit.iter().map(|s| mean(s)).collect(),
            std_fit_time: fit.iter().map(|s| std(s)).collect(),
            mean_score_time: score.iter().map(|s| mean(s)).collect(),
            std_score_time: score.iter().map(|s| std(s)).collect(),
            errors,
            params: params.clone(),
        };
        SearchResults {
            best_index,
            best_score: mean_test_score.get(best_index).copied().unwrap_or(f64::NAN),
            best_params: params.get(best_index).cloned().unwrap_or_default(),
            n_splits,
            n_failed_fits: units.iter().filter(|u| u.error.is_some()).count(),
            refit_time: None,
            best_estimator_oob_score: None,
            best_estimator_n_estimators: None,
            cv_results,
        }
    }

    /// Every hyperparameter name that appears in any candidate, sorted.
    pub fn param_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.cv_results.params.iter().flat_map(|p| p.keys().cloned()).collect();
        names.sort();
        names.dedup();
        names
    }

    /// The columns of `cv_results_` in scikit-learn's order, as JSON values
    /// (NaN as `null`, and a missing `param_*` as `null`).
    pub fn columns(&self) -> Vec<(String, Vec<Value>)> {
        let r = &self.cv_results;
        let nums = |v: &[f64]| v.iter().map(|x| num(*x)).collect::<Vec<_>>();
        let mut cols: Vec<(String, Vec<Value>)> = vec![
            ("mean_fit_time".into(), nums(&r.mean_fit_time)),
            ("std_fit_time".into(), nums(&r.std_fit_time)),
            ("mean_score_time".into(), nums(&r.mean_score_time)),
            ("std_score_time".into(), nums(&r.std_score_time)),
        ];
        for name in self.param_names() {
            let values =
                r.params.iter().map(|p| p.get(&name).map(ParamValue::to_json).unwrap_or(Value::Null)).collect();
            cols.push((format!("param_{name}"), values));
        }
        cols.push(("params".into(), r.params.iter().map(|p| serde_json::to_value(p).unwrap_or_default()).collect()));
        let per_split = |cols: &mut Vec<(String, Vec<Value>)>, split: &[Vec<f64>], kind: &str| {
            for k in 0..self.n_splits {
                cols.push((format!("split{k}_{kind}_score"), split.iter().map(|s| num(s[k])).collect()));
            }
        };
        per_split(&mut cols, &r.split_test_scores, "test");
        cols.push(("mean_test_score".into(), nums(&r.mean_test_score)));
        cols.push(("std_test_score".into(), nums(&r.std_test_score)));
        cols.push(("rank_test_score".into(), r.rank_test_score.iter().map(|&x| Value::from(x)).collect()));
        if let (Some(split), Some(m), Some(s)) = (&r.split_train_scores, &r.mean_train_score, &r.std_train_score) {
            per_split(&mut cols, split, "train");
            cols.push(("mean_train_score".into(), nums(m)));
            cols.push(("std_train_score".into(), nums(s)));
        }
        cols
    }

    /// `cv_results.csv`: one row per candidate; `params` as a Python dict
    /// literal, as pandas writes `pd.DataFrame(cv_results_)`; NaN as `nan`.
    pub fn to_csv(&self) -> String {
        let cols = self.columns();
        let mut w = csv::Writer::from_writer(Vec::new());
        let mut header = vec![String::new()];
        header.extend(cols.iter().map(|(n, _)| n.clone()));
        header.push("error".into());
        let _ = w.write_record(&header);
        for c in 0..self.cv_results.params.len() {
            let mut row = vec![c.to_string()];
            for (name, values) in &cols {
                row.push(if name == "params" {
                    params_to_python(&self.cv_results.params[c])
                } else {
                    csv_cell(&values[c])
                });
            }
            row.push(self.cv_results.errors[c].clone().unwrap_or_default());
            let _ = w.write_record(&row);
        }
        String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
    }

    /// The results file's text (`tuna run --out`; the page's export is meant
    /// to be the same): [`Self::to_json`] plus `cancelled`, true when the
    /// search stopped before every fit ran. The fits that never ran are `null`
    /// there, with the `error` "not run: the search was cancelled".
    pub fn to_results_file(&self, cancelled: bool) -> String {
        let mut json = self.to_json();
        json["cancelled"] = Value::Bool(cancelled);
        serde_json::to_string_pretty(&json).unwrap_or_default()
    }

    /// The results as JSON: `cv_results` as a table of columns, plus `best_*`
    /// and counts.
    pub fn to_json(&self) -> Value {
        let mut cv = Map::new();
        for (name, values) in self.columns() {
            cv.insert(name, Value::Array(values));
        }
        cv.insert(
            "error".into(),
            Value::Array(
                self.cv_results.errors.iter().map(|e| e.clone().map(Value::String).unwrap_or(Value::Null)).collect(),
            ),
        );
        serde_json::json!({
            "cv_results": cv,
            "best_index": self.best_index,
            "best_score": num(self.best_score),
            "best_params": self.best_params,
            "n_candidates": self.cv_results.params.len(),
            "n_splits": self.n_splits,
            "n_failed_fits": self.n_failed_fits,
            "refit_time": self.refit_time.map(num),
            "best_estimator_oob_score": self.best_estimator_oob_score.map(num),
            "best_estimator_n_estimators": self.best_estimator_n_estimators,
        })
    }
}

fn num(x: f64) -> Value {
    serde_json::Number::from_f64(x).map(Value::Number).unwrap_or(Value::Null)
}

fn csv_cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::String(s) => s.clone(),
        // A table parameter (`class_weight`) as Python prints a dict, as pandas writes it.
        Value::Object(_) => {
            serde_json::from_value::<ParamValue>(v.clone()).map_or_else(|_| v.to_string(), |p| p.to_string())
        }
        other => other.to_string(),
    }
}

/// The candidate with the best mean test score over its finished folds (the
/// first on ties; failed fits count as their `error_score`, NaN never wins).
pub fn best_so_far<'a>(candidates: usize, finished: impl Iterator<Item = &'a UnitResult>) -> Option<usize> {
    let mut sums = vec![(0.0, 0usize); candidates];
    for unit in finished {
        if let Some((sum, n)) = sums.get_mut(unit.candidate) {
            *sum += unit.test_score;
            *n += 1;
        }
    }
    let means = sums.iter().enumerate().filter(|(_, (_, n))| *n > 0).map(|(c, (sum, n))| (c, sum / *n as f64));
    means
        .filter(|(_, mean)| !mean.is_nan())
        .fold(None, |best: Option<(usize, f64)>, (c, mean)| match best {
            Some((_, b)) if b >= mean => best,
            _ => Some((c, mean)),
        })
        .map(|(c, _)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_share_the_lowest_rank_and_nan_ranks_last() {
        assert_eq!(rank_min(&[0.5, 0.9, 0.5, f64::NAN, 0.1]), vec![2, 1, 2, 5, 4]);
        assert_eq!(rank_min(&[f64::NAN, f64::NAN]), vec![1, 1]);
        assert_eq!(rank_min(&[-0.0, 0.0, f64::INFINITY, f64::NEG_INFINITY]), vec![2, 2, 1, 4], "-0 ties +0");
    }

    /// Issue 12: ranking was O(n²) and sat for minutes on a 10^6-candidate grid.
    #[test]
    fn issue_12_ranking_agrees_with_counting_and_scales() {
        let means: Vec<f64> = (0..2000).map(|i| ((i * 7919) % 1000) as f64 / 10.0).collect();
        let counted: Vec<u32> = means.iter().map(|&m| 1 + means.iter().filter(|&&o| o > m).count() as u32).collect();
        assert_eq!(rank_min(&means), counted);
        let many: Vec<f64> = (0..1_000_000).map(|i| (i % 977) as f64).collect();
        assert_eq!(rank_min(&many).iter().max(), Some(&(1_000_000 - 1_000_000 / 977)));
    }

    #[test]
    fn std_is_population_std() {
        assert_eq!(std(&[1.0, 3.0]), 1.0);
    }

    fn unit(candidate: usize, fold: usize, score: f64) -> UnitResult {
        UnitResult {
            candidate,
            fold,
            test_score: score,
            train_score: None,
            fit_time: 0.0,
            score_time: 0.0,
            error: None,
        }
    }

    #[test]
    fn best_is_first_of_rank_one() {
        let params = vec![Params::new(), Params::new(), Params::new()];
        let units =
            vec![unit(0, 0, 1.0), unit(0, 1, 2.0), unit(1, 0, 3.0), unit(1, 1, 3.0), unit(2, 0, 2.0), unit(2, 1, 4.0)];
        let r = SearchResults::from_units(params, 2, &units, false);
        assert_eq!(r.best_index, 1);
        assert_eq!(r.best_score, 3.0);
        assert_eq!(r.cv_results.rank_test_score, vec![3, 1, 1]);
    }

    #[test]
    fn a_failed_fit_crosses_json_with_its_nan_score() {
        let failed = UnitResult {
            candidate: 0,
            fold: 1,
            test_score: f64::NAN,
            train_score: None,
            fit_time: 0.5,
            score_time: 0.0,
            error: Some("n_neighbors must be at most the number of training rows".into()),
        };
        let text = serde_json::to_string(&failed).unwrap();
        assert!(text.contains("\"test_score\":null"), "{text}");
        let back: UnitResult = serde_json::from_str(&text).unwrap();
        assert!(back.test_score.is_nan());
        assert_eq!((back.fold, back.error), (1, failed.error));
    }

    #[test]
    fn the_results_file_says_whether_the_search_was_cancelled() {
        let r = SearchResults::from_units(vec![Params::new()], 1, &[unit(0, 0, 1.0)], false);
        for cancelled in [false, true] {
            let file: Value = serde_json::from_str(&r.to_results_file(cancelled)).unwrap();
            assert_eq!(file["cancelled"], cancelled);
            assert_eq!(file["best_score"], 1.0);
        }
    }

    #[test]
    fn best_so_far_takes_the_best_mean_of_finished_folds_first_on_ties() {
        let unit = |candidate, fold, test_score| UnitResult {
            candidate,
            fold,
            test_score,
            train_score: None,
            fit_time: 0.0,
            score_time: 0.0,
            error: None,
        };
        let units = [unit(0, 0, -2.0), unit(1, 0, -1.0), unit(1, 1, -3.0), unit(2, 0, f64::NAN), unit(3, 0, -2.0)];
        // Means: 0 -> -2, 1 -> -2, 2 -> NaN (never wins), 3 -> -2; 4 has no finished fold.
        assert_eq!(best_so_far(5, units.iter()), Some(0));
        assert_eq!(best_so_far(5, units[1..].iter()), Some(1));
        assert_eq!(best_so_far(5, units[3..4].iter()), None);
        assert_eq!(best_so_far(2, [unit(7, 0, 1.0)].iter()), None, "a unit outside the plan is ignored");
    }
}
