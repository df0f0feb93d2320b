//! The results table as the page shows it: the answer first (rank, the
//! parameters, the test score and its spread, the train score), then the rest
//! of `cv_results` in scikit-learn's order; cells rounded for reading (times in
//! milliseconds) with the exact value beside them; sortable by any column, the
//! best candidate marked. The exports keep scikit-learn's order and the full
//! values; only this view reorders and rounds.

use std::cmp::Ordering;

use serde_json::Value;

use crate::core::results::SearchResults;

use super::format::{format_ms, format_number};

/// Columns a person can hide to keep a wide table readable; the rest
/// (parameters, mean, std, rank, errors) always show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnGroup {
    /// `mean_fit_time`, `std_score_time`, ...
    Times,
    /// `split<i>_test_score`.
    Folds,
    /// `*_train_score`.
    Train,
    /// Everything else.
    Always,
}

impl ColumnGroup {
    /// The group of column `name`.
    pub fn of(name: &str) -> ColumnGroup {
        if name.ends_with("_time") {
            ColumnGroup::Times
        } else if name.ends_with("_train_score") {
            ColumnGroup::Train
        } else if name.starts_with("split") {
            ColumnGroup::Folds
        } else {
            ColumnGroup::Always
        }
    }

    /// The cells' `data-group`, which the page's CSS hides by.
    pub fn as_str(self) -> &'static str {
        match self {
            ColumnGroup::Times => "times",
            ColumnGroup::Folds => "folds",
            ColumnGroup::Train => "train",
            ColumnGroup::Always => "always",
        }
    }
}

/// A column of the table.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// The `cv_results` column name (`data-col`).
    pub name: String,
    /// Which toggle hides it.
    pub group: ColumnGroup,
    /// The unit the cells are shown in, if not the column's own.
    pub unit: Option<&'static str>,
    /// Numbers: right-aligned.
    pub numeric: bool,
}

/// A cell: its text and what it sorts by.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// What the page shows.
    pub text: String,
    /// What sorting compares.
    pub key: SortKey,
    /// A number as the results JSON writes it (`data-value`), for whoever
    /// needs more than the rounded text.
    pub exact: Option<String>,
}

/// A sortable value. Missing values (NaN, a fold that never ran, a parameter a
/// candidate lacks) sort last whichever way the column is sorted.
#[derive(Debug, Clone, PartialEq)]
pub enum SortKey {
    /// A number.
    Number(f64),
    /// Text, compared as text.
    Text(String),
    /// Nothing to compare.
    Missing,
}

/// One candidate's row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Candidate index: the row's key, and its place when unsorted.
    pub candidate: usize,
    /// One cell per column.
    pub cells: Vec<Cell>,
    /// Has a mean test score: false for a candidate whose folds did not all
    /// finish (a cancel) or that failed with `error_score = nan`.
    pub scored: bool,
}

/// The order the person picked by clicking a header.
#[derive(Debug, Clone, PartialEq)]
pub struct Sort {
    /// The column's name.
    pub column: String,
    /// Largest first.
    pub descending: bool,
}

impl Sort {
    /// After a click on `column`: best first for a score (scikit-learn's
    /// scores are higher-is-better, errors negated), else ascending (a rank:
    /// best first too); reversed by a second click.
    pub fn clicked(current: Option<&Sort>, column: &str) -> Sort {
        let score = column.ends_with("_score") && !column.starts_with("rank_");
        match current {
            Some(s) if s.column == column => Sort { column: column.to_string(), descending: !s.descending },
            _ => Sort { column: column.to_string(), descending: score },
        }
    }
}

/// Where a column stands in the table: the answer first, in this order,
/// then the others in scikit-learn's order.
fn lead(name: &str) -> usize {
    match name {
        "rank_test_score" => 0,
        _ if name.starts_with("param_") => 1,
        "mean_test_score" => 2,
        "std_test_score" => 3,
        "mean_train_score" => 4,
        "std_train_score" => 5,
        _ => 6,
    }
}

/// The whole table.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultsView {
    /// Columns, the answer first (see [`ResultsView::of`]), plus `error` when a fit failed or never ran.
    pub columns: Vec<Column>,
    /// Rows in candidate order.
    pub rows: Vec<Row>,
    /// The best candidate, when it has a score.
    pub best: Option<usize>,
}

impl ResultsView {
    /// The view of `results`: rank, the parameters, `mean_test_score`,
    /// `std_test_score` and the train scores lead; the rest follow in
    /// scikit-learn's order.
    pub fn of(results: &SearchResults) -> ResultsView {
        let mut columns = Vec::new();
        let mut cells: Vec<Vec<Cell>> = vec![Vec::new(); results.cv_results.params.len()];
        for (name, values) in results.columns() {
            let time = name.ends_with("_time");
            for (row, value) in cells.iter_mut().zip(&values) {
                row.push(cell(&name, value, time));
            }
            let numeric = name != "params" && values.iter().all(|v| v.is_number() || v.is_null());
            columns.push(Column { group: ColumnGroup::of(&name), name, unit: time.then_some("ms"), numeric });
        }
        let errors = &results.cv_results.errors;
        if errors.iter().any(Option::is_some) {
            for (row, error) in cells.iter_mut().zip(errors) {
                let text = error.clone().unwrap_or_default();
                let key = if text.is_empty() { SortKey::Missing } else { SortKey::Text(text.clone()) };
                row.push(Cell { text, key, exact: None });
            }
            columns.push(Column { name: "error".into(), group: ColumnGroup::Always, unit: None, numeric: false });
        }
        let mut order: Vec<usize> = (0..columns.len()).collect();
        order.sort_by_key(|&i| lead(&columns[i].name));
        let columns = order.iter().map(|&i| columns[i].clone()).collect();
        let cells = cells.into_iter().map(|row| order.iter().map(|&i| row[i].clone()).collect::<Vec<_>>());
        let means = &results.cv_results.mean_test_score;
        let rows = cells
            .enumerate()
            .map(|(candidate, cells)| Row {
                candidate,
                cells,
                scored: means.get(candidate).is_some_and(|m| m.is_finite()),
            })
            .collect();
        let best = results.best_score.is_finite().then_some(results.best_index);
        ResultsView { columns, rows, best }
    }

    /// The rows in `sort`'s order (candidate order when `None` or an unknown
    /// column); ties keep candidate order.
    pub fn sorted(&self, sort: Option<&Sort>) -> Vec<Row> {
        let mut rows = self.rows.clone();
        if let Some(s) = sort
            && let Some(i) = self.columns.iter().position(|c| c.name == s.column)
        {
            rows.sort_by(|a, b| compare(&a.cells[i].key, &b.cells[i].key, s.descending));
        }
        rows
    }
}

fn cell(name: &str, value: &Value, time: bool) -> Cell {
    match value {
        Value::Number(n) => {
            let x = n.as_f64().unwrap_or(f64::NAN);
            let text = if time {
                format_ms(x)
            } else if name.starts_with("param_") {
                n.to_string() // as the person wrote it in the grid
            } else {
                format_number(x)
            };
            Cell { text, key: SortKey::Number(x), exact: Some(n.to_string()) }
        }
        Value::Null => Cell { text: "—".into(), key: SortKey::Missing, exact: None },
        Value::String(s) => Cell { text: s.clone(), key: SortKey::Text(s.clone()), exact: None },
        other => {
            let text = other.to_string();
            Cell { key: SortKey::Text(text.clone()), text, exact: None }
        }
    }
}

fn compare(a: &SortKey, b: &SortKey, descending: bool) -> Ordering {
    let directed = |o: Ordering| if descending { o.reverse() } else { o };
    match (a, b) {
        (SortKey::Missing, SortKey::Missing) => Ordering::Equal,
        (SortKey::Missing, _) => Ordering::Greater,
        (_, SortKey::Missing) => Ordering::Less,
        (SortKey::Number(x), SortKey::Number(y)) => directed(x.total_cmp(y)),
        (SortKey::Number(_), SortKey::Text(_)) => directed(Ordering::Less),
        (SortKey::Text(_), SortKey::Number(_)) => directed(Ordering::Greater),
        (SortKey::Text(x), SortKey::Text(y)) => directed(x.cmp(y)),
    }
}

/// A column name cut after each underscore, where a narrow header may wrap
/// (`mean_`, `test_`, `score`), so names never break mid-word.
pub fn header_parts(name: &str) -> Vec<&str> {
    name.split_inclusive('_').collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::params::{ParamValue, Params};
    use crate::core::results::UnitResult;

    fn results(scores: &[[f64; 2]]) -> SearchResults {
        let params: Vec<Params> = (0..scores.len())
            .map(|i| {
                let mut p = Params::from([("alpha".to_string(), ParamValue::Float(0.5 * (i + 1) as f64))]);
                if i == 0 {
                    p.insert("kernel".into(), ParamValue::Str("rbf".into()));
                }
                p
            })
            .collect();
        let units: Vec<UnitResult> = scores
            .iter()
            .enumerate()
            .flat_map(|(c, s)| {
                s.iter().enumerate().map(move |(fold, &score)| UnitResult {
                    candidate: c,
                    fold,
                    test_score: score,
                    train_score: None,
                    fit_time: 0.00125,
                    score_time: 2.5e-5,
                    error: score.is_nan().then(|| "not run: the search was cancelled".into()),
                })
            })
            .collect();
        SearchResults::from_units(params, 2, &units, false)
    }

    fn column(view: &ResultsView, rows: &[Row], name: &str) -> Vec<String> {
        let i = view.columns.iter().position(|c| c.name == name).unwrap();
        rows.iter().map(|r| r.cells[i].text.clone()).collect()
    }

    #[test]
    fn cells_are_rounded_and_times_shown_in_ms() {
        let view = ResultsView::of(&results(&[[-1.0, -2.0], [-0.5, -0.25]]));
        let names: Vec<&str> = view.columns.iter().map(|c| c.name.as_str()).collect();
        // The answer first, then the rest in scikit-learn's order.
        assert_eq!(
            &names[..8],
            [
                "rank_test_score",
                "param_alpha",
                "param_kernel",
                "mean_test_score",
                "std_test_score",
                "mean_fit_time",
                "std_fit_time",
                "mean_score_time"
            ]
        );
        assert!(!names.contains(&"error"), "no error column when every fit ran");
        let at = |n: &str| view.columns.iter().position(|c| c.name == n).unwrap();
        assert_eq!(view.rows[1].cells[at("mean_test_score")].exact.as_deref(), Some("-0.375"));
        assert_eq!(view.rows[0].cells[at("params")].exact, None);
        assert_eq!(column(&view, &view.rows, "mean_fit_time"), ["1.25", "1.25"]);
        assert_eq!(column(&view, &view.rows, "mean_score_time"), ["0.025", "0.025"]);
        assert_eq!(view.columns[at("mean_fit_time")].unit, Some("ms"));
        assert_eq!(column(&view, &view.rows, "mean_test_score"), ["-1.5", "-0.375"]);
        assert_eq!(column(&view, &view.rows, "param_kernel"), ["rbf", "—"]);
        assert_eq!(column(&view, &view.rows, "param_alpha"), ["0.5", "1.0"]);
        assert_eq!(column(&view, &view.rows, "params")[0], r#"{"alpha":0.5,"kernel":"rbf"}"#);
        let numeric = |n: &str| view.columns.iter().find(|c| c.name == n).unwrap().numeric;
        assert!(numeric("rank_test_score") && numeric("param_alpha"));
        assert!(!numeric("params") && !numeric("param_kernel"));
        assert_eq!(view.best, Some(1));
    }

    #[test]
    fn sorting_by_a_header_then_reversing() {
        let view = ResultsView::of(&results(&[[-1.0, -2.0], [-0.5, -0.25], [-3.0, -3.0]]));
        // A score's first click puts the best first; the second reverses.
        let by = Sort::clicked(None, "mean_test_score");
        assert!(by.descending);
        let order = |s: &Sort| view.sorted(Some(s)).iter().map(|r| r.candidate).collect::<Vec<_>>();
        assert_eq!(order(&by), [1, 0, 2]);
        let by = Sort::clicked(Some(&by), "mean_test_score");
        assert!(!by.descending);
        assert_eq!(order(&by), [2, 0, 1]);
        assert_eq!(order(&Sort::clicked(Some(&by), "rank_test_score")), [1, 0, 2], "rank 1 first");
        assert!(!Sort::clicked(None, "param_alpha").descending);
        assert_eq!(order(&Sort::clicked(None, "no_such_column")), [0, 1, 2]);
        assert_eq!(view.sorted(None).iter().map(|r| r.candidate).collect::<Vec<_>>(), [0, 1, 2]);
    }

    #[test]
    fn a_cancelled_search_shows_its_finished_rows_and_sorts_the_rest_last() {
        let view = ResultsView::of(&results(&[[-1.0, -2.0], [f64::NAN, f64::NAN], [-3.0, f64::NAN]]));
        assert_eq!(column(&view, &view.rows, "mean_test_score"), ["-1.5", "—", "—"]);
        assert_eq!(column(&view, &view.rows, "split0_test_score"), ["-1", "—", "-3"]);
        assert_eq!(column(&view, &view.rows, "error")[1], "not run: the search was cancelled");
        assert_eq!(view.rows.iter().map(|r| r.scored).collect::<Vec<_>>(), [true, false, false]);
        for descending in [false, true] {
            let rows = view.sorted(Some(&Sort { column: "split0_test_score".into(), descending }));
            assert_eq!(rows[2].candidate, 1, "missing values sort last both ways");
        }
        let nothing = ResultsView::of(&results(&[[f64::NAN, f64::NAN]]));
        assert_eq!(nothing.best, None, "no best row when nothing has a score");
    }

    #[test]
    fn columns_fall_in_groups_a_person_can_hide() {
        let groups = |n: &str| ColumnGroup::of(n);
        assert_eq!(groups("std_score_time"), ColumnGroup::Times);
        assert_eq!(groups("split3_test_score"), ColumnGroup::Folds);
        assert_eq!(groups("split0_train_score"), ColumnGroup::Train);
        assert_eq!(groups("mean_train_score"), ColumnGroup::Train);
        for always in ["params", "param_split_criterion", "mean_test_score", "rank_test_score", "error"] {
            assert_eq!(groups(always), ColumnGroup::Always, "{always}");
        }
    }

    #[test]
    fn headers_wrap_after_underscores() {
        assert_eq!(header_parts("split0_test_score"), ["split0_", "test_", "score"]);
        assert_eq!(header_parts("params"), ["params"]);
    }
}
