//! Searchers: which candidates to try (a grid, or random draws) and how to
//! treat failures, as scikit-learn's `GridSearchCV` and `RandomizedSearchCV`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::libc_exp;
use super::numpy_random::RandomState;
use super::params::{ParamValue, Params};
use super::pipeline::PREPROCESS_PREFIX;

/// Why the searcher settings are unusable.
#[derive(Debug, Clone, PartialEq, Error)]
#[error("searcher.{key}: {message}")]
pub struct SearcherError {
    /// The config key at fault, e.g. `param_grid.max_depth`.
    pub key: String,
    /// What is wrong and what is expected.
    pub message: String,
}

/// The most candidates a search may have. Each candidate is a checked model
/// kept for the whole search (and a row of the page's table); past this a
/// search would run out of memory or time before it says anything, so it is
/// refused before any fit, naming the count.
pub const MAX_CANDIDATES: usize = 100_000;

fn err(key: impl Into<String>, message: impl Into<String>) -> SearcherError {
    SearcherError { key: key.into(), message: message.into() }
}

/// What a failed fit scores: scikit-learn's `error_score`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ErrorScore {
    /// `"raise"`: stop the job at the first failed fit (default).
    Raise(RaiseTag),
    /// Record this score (often `nan`) for the failed split and go on.
    Value(f64),
}

/// The literal string `"raise"`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RaiseTag {
    /// `"raise"`.
    Raise,
}

impl Default for ErrorScore {
    fn default() -> Self {
        ErrorScore::Raise(RaiseTag::Raise)
    }
}

/// A `param_grid`: one table of lists, or a list of such tables.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ParamGrid {
    /// One grid: every combination of the lists.
    One(BTreeMap<String, Vec<ParamValue>>),
    /// Several grids, searched one after another.
    Many(Vec<BTreeMap<String, Vec<ParamValue>>>),
}

/// The searcher section of a config, tagged on `KIND`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, strum::VariantNames, strum::IntoStaticStr)]
#[serde(tag = "KIND")]
pub enum SearcherKind {
    /// Every combination of a grid.
    GridCVSearcher(GridCVSearcher),
    /// `n_iter` random draws.
    RandomCVSearcher(RandomCVSearcher),
}

impl Default for SearcherKind {
    fn default() -> Self {
        SearcherKind::GridCVSearcher(GridCVSearcher::default())
    }
}

/// Settings every searcher has (written out in each searcher's table).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchSettings {
    /// Parallel workers (threads in the CLI, Web Workers in the page); 0 = one per
    /// hardware thread (default). Unlike scikit-learn, -1 is spelled 0.
    pub n_jobs: usize,
    /// What a failed fit scores (default `"raise"`).
    pub error_score: ErrorScore,
    /// Also score each fold's training rows (default false).
    pub return_train_score: bool,
    /// Refit the best candidate on all rows at the end (default true).
    pub refit: bool,
}

impl Default for SearchSettings {
    fn default() -> Self {
        SearchSettings { n_jobs: 0, error_score: ErrorScore::default(), return_train_score: false, refit: true }
    }
}

/// `GridCVSearcher`: like `GridSearchCV`. Default grid: the original job's
/// `{max_depth = [3, 5, 7]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GridCVSearcher {
    /// The grid (or list of grids) of hyperparameters to try.
    #[serde(default = "default_grid")]
    pub param_grid: ParamGrid,
    /// Parallel workers (threads in the CLI, Web Workers in the page); 0 = one per
    /// hardware thread (default; scikit-learn spells it -1).
    #[serde(default)]
    pub n_jobs: usize,
    /// What a failed fit scores (default `"raise"`).
    #[serde(default)]
    pub error_score: ErrorScore,
    /// Also score each fold's training rows (default false).
    #[serde(default)]
    pub return_train_score: bool,
    /// Refit the best candidate on all rows at the end (default true).
    #[serde(default = "yes")]
    pub refit: bool,
}

fn default_grid() -> ParamGrid {
    let values = [3, 5, 7].iter().map(|&d| ParamValue::Int(d)).collect();
    ParamGrid::One(BTreeMap::from([("max_depth".to_string(), values)]))
}

impl Default for GridCVSearcher {
    fn default() -> Self {
        let s = SearchSettings::default();
        GridCVSearcher {
            param_grid: default_grid(),
            n_jobs: s.n_jobs,
            error_score: s.error_score,
            return_train_score: s.return_train_score,
            refit: s.refit,
        }
    }
}

/// Where a random search draws one hyperparameter from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ParamSpace {
    /// Pick one of these values.
    Choice(Vec<ParamValue>),
    /// Draw from a distribution.
    Distribution(Distribution),
}

/// A distribution for `RandomCVSearcher`, named as scipy's (`VARIANTS` lists them).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, strum::VariantNames)]
#[serde(tag = "distribution", rename_all = "lowercase", deny_unknown_fields)]
#[strum(serialize_all = "lowercase")]
pub enum Distribution {
    /// Uniform real in `[low, high)`.
    Uniform {
        /// Lower bound.
        low: f64,
        /// Upper bound.
        high: f64,
    },
    /// Log-uniform real in `[low, high)` (scipy's `loguniform`), both above 0.
    Loguniform {
        /// Lower bound.
        low: f64,
        /// Upper bound.
        high: f64,
    },
    /// Uniform integer in `[low, high)` (scipy's `randint`).
    Randint {
        /// Lower bound (inclusive).
        low: i64,
        /// Upper bound (exclusive).
        high: i64,
    },
}

/// `RandomCVSearcher`: like `RandomizedSearchCV`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RandomCVSearcher {
    /// For each hyperparameter, a list to pick from or a distribution.
    pub param_distributions: BTreeMap<String, ParamSpace>,
    /// Number of candidates (default 10).
    #[serde(default = "default_n_iter")]
    pub n_iter: usize,
    /// Seed for the draws (default 0): numpy's `RandomState(random_state)`,
    /// as scikit-learn's `ParameterSampler` draws, so at most 2^32 - 1.
    #[serde(default)]
    pub random_state: u64,
    /// Parallel workers (threads in the CLI, Web Workers in the page); 0 = one per
    /// hardware thread (default; scikit-learn spells it -1).
    #[serde(default)]
    pub n_jobs: usize,
    /// What a failed fit scores (default `"raise"`).
    #[serde(default)]
    pub error_score: ErrorScore,
    /// Also score each fold's training rows (default false).
    #[serde(default)]
    pub return_train_score: bool,
    /// Refit the best candidate on all rows at the end (default true).
    #[serde(default = "yes")]
    pub refit: bool,
}

fn default_n_iter() -> usize {
    10
}

fn yes() -> bool {
    true
}

impl SearcherKind {
    /// Shared settings.
    pub fn settings(&self) -> SearchSettings {
        let (n_jobs, error_score, return_train_score, refit) = match self {
            SearcherKind::GridCVSearcher(s) => (s.n_jobs, s.error_score, s.return_train_score, s.refit),
            SearcherKind::RandomCVSearcher(s) => (s.n_jobs, s.error_score, s.return_train_score, s.refit),
        };
        SearchSettings { n_jobs, error_score, return_train_score, refit }
    }

    /// The KIND name.
    pub fn kind(&self) -> &'static str {
        self.into()
    }

    /// The candidates, in scikit-learn's order.
    pub fn candidates(&self) -> Result<Vec<Params>, SearcherError> {
        match self {
            SearcherKind::GridCVSearcher(s) => grid_candidates(&s.param_grid),
            SearcherKind::RandomCVSearcher(s) => s.candidates(),
        }
    }

    /// What the job should warn of before it runs these candidates (a random
    /// search over lists with fewer points than `n_iter`, as scikit-learn warns).
    pub fn warning(&self) -> Option<String> {
        match self {
            SearcherKind::GridCVSearcher(_) => None,
            SearcherKind::RandomCVSearcher(s) => s.warning(),
        }
    }
}

impl super::catalog::Family for SearcherKind {
    const SECTION: &'static str = "searcher";

    /// A random search has no default distributions: its default shows none.
    fn required(kind: &str) -> serde_json::Map<String, serde_json::Value> {
        let mut required = serde_json::Map::new();
        if kind == "RandomCVSearcher" {
            required.insert("param_distributions".into(), serde_json::json!({}));
        }
        required
    }
}

/// A grid key as scikit-learn names it in `Pipeline(preprocess, model)`.
fn sklearn_name(key: &str) -> String {
    if key.starts_with(PREPROCESS_PREFIX) { key.to_string() } else { format!("model__{key}") }
}

/// `ParameterGrid`: per grid, keys sorted, last key varying fastest; grids in order.
pub fn grid_candidates(grid: &ParamGrid) -> Result<Vec<Params>, SearcherError> {
    let grids: Vec<&BTreeMap<String, Vec<ParamValue>>> = match grid {
        ParamGrid::One(g) => vec![g],
        ParamGrid::Many(gs) => gs.iter().collect(),
    };
    if grids.is_empty() {
        return Err(err("param_grid", "is an empty list; give at least one grid"));
    }
    for (gi, g) in grids.iter().enumerate() {
        for (name, values) in g.iter() {
            if values.is_empty() {
                let key =
                    if grids.len() > 1 { format!("param_grid[{gi}].{name}") } else { format!("param_grid.{name}") };
                return Err(err(key, "is an empty list; give at least one value"));
            }
        }
    }
    // Count before expanding: a grid of 10^9 combinations must not be built to be refused.
    let count = grids.iter().try_fold(0usize, |total, g| {
        g.values().try_fold(1usize, |n, values| n.checked_mul(values.len())).and_then(|n| total.checked_add(n))
    });
    if count.is_none_or(|n| n > MAX_CANDIDATES) {
        let count = count.map_or_else(|| "more than 2^64".to_string(), |n| n.to_string());
        return Err(err(
            "param_grid",
            format!(
                "has {count} combinations, more than Tuna's limit of {MAX_CANDIDATES} candidates; \
                 search fewer values, or sample n_iter of them with RandomCVSearcher"
            ),
        ));
    }
    let mut out = Vec::new();
    for g in &grids {
        let mut combos: Vec<Params> = vec![Params::new()];
        // scikit-learn sorts a Pipeline's keys by their own names, where a
        // model key `alpha` is `model__alpha`: model keys before `preprocess__` keys.
        let mut keys: Vec<_> = g.iter().collect();
        keys.sort_by_key(|(name, _)| sklearn_name(name));
        for (name, values) in keys {
            combos = combos
                .into_iter()
                .flat_map(|c| {
                    values.iter().map(move |v| {
                        let mut c = c.clone();
                        c.insert(name.clone(), v.clone());
                        c
                    })
                })
                .collect();
        }
        out.extend(combos);
    }
    Ok(out)
}

impl RandomCVSearcher {
    /// scikit-learn's `ParameterSampler`, draw for draw with the same
    /// `random_state`: when every space is a list, distinct grid points
    /// without replacement (the whole grid, in grid order, if it has no more
    /// than `n_iter` points); otherwise, per candidate, each hyperparameter in
    /// scikit-learn's key order drawn from its list or its distribution.
    fn candidates(&self) -> Result<Vec<Params>, SearcherError> {
        if self.n_iter == 0 {
            return Err(err("n_iter", "must be at least 1, found 0"));
        }
        if self.n_iter > MAX_CANDIDATES {
            return Err(err(
                "n_iter",
                format!("must be at most {MAX_CANDIDATES} (Tuna's limit of candidates), found {}", self.n_iter),
            ));
        }
        let seed = u32::try_from(self.random_state).map_err(|_| {
            err(
                "random_state",
                format!(
                    "must be at most 4294967295 (2^32 - 1, numpy's largest RandomState seed, which scikit-learn's \
                     ParameterSampler draws with), found {}",
                    self.random_state
                ),
            )
        })?;
        if self.param_distributions.is_empty() {
            return Err(err("param_distributions", "is empty; give at least one hyperparameter"));
        }
        for (name, space) in &self.param_distributions {
            check_space(name, space)?;
        }
        let mut rng = RandomState::new(seed);
        if let Some(all) = self.grid()? {
            if all.len() <= self.n_iter {
                return Ok(all);
            }
            return Ok(rng
                .sample_without_replacement(all.len(), self.n_iter)
                .into_iter()
                .map(|i| all[i].clone())
                .collect());
        }
        let mut keys: Vec<_> = self.param_distributions.iter().collect();
        keys.sort_by_key(|(name, _)| sklearn_name(name));
        Ok((0..self.n_iter)
            .map(|_| keys.iter().map(|(k, space)| ((*k).clone(), draw(space, &mut rng))).collect())
            .collect())
    }

    /// Every point of the grid the spaces make when each is a list (`None`
    /// when one is a distribution), in `ParameterGrid`'s order.
    fn grid(&self) -> Result<Option<Vec<Params>>, SearcherError> {
        let mut grid = BTreeMap::new();
        for (name, space) in &self.param_distributions {
            let ParamSpace::Choice(values) = space else { return Ok(None) };
            grid.insert(name.clone(), values.clone());
        }
        // Sampling without replacement draws from the whole grid, so it is held to the same limit.
        grid_candidates(&ParamGrid::One(grid))
            .map(Some)
            .map_err(|e| SearcherError { key: e.key.replace("param_grid", "param_distributions"), ..e })
    }

    /// What scikit-learn warns of: fewer grid points than `n_iter` (counted,
    /// not built: the candidates build the grid once).
    fn warning(&self) -> Option<String> {
        let points = self.param_distributions.values().try_fold(1usize, |n, space| match space {
            ParamSpace::Choice(values) => n.checked_mul(values.len()),
            ParamSpace::Distribution(_) => None,
        })?;
        (points > 0 && points < self.n_iter).then(|| {
            format!(
                "the lists of param_distributions make {points} combinations, fewer than n_iter = {}: running {points} \
                 candidates, each once (as scikit-learn's ParameterSampler does); for an exhaustive search use \
                 GridCVSearcher",
                self.n_iter
            )
        })
    }
}

fn check_space(name: &str, space: &ParamSpace) -> Result<(), SearcherError> {
    let key = format!("param_distributions.{name}");
    match space {
        ParamSpace::Choice(v) if v.is_empty() => Err(err(key, "is an empty list; give at least one value")),
        ParamSpace::Distribution(Distribution::Uniform { low, high })
            if low.partial_cmp(high) != Some(std::cmp::Ordering::Less) =>
        {
            Err(err(key, format!("needs low < high, found low = {low}, high = {high}")))
        }
        ParamSpace::Distribution(Distribution::Loguniform { low, high }) if !(*low > 0.0 && low < high) => {
            Err(err(key, format!("needs 0 < low < high, found low = {low}, high = {high}")))
        }
        ParamSpace::Distribution(Distribution::Randint { low, high }) if low >= high => {
            Err(err(key, format!("needs low < high (high is excluded), found low = {low}, high = {high}")))
        }
        _ => Ok(()),
    }
}

/// One draw from `space`, as `ParameterSampler` makes it: a list's item by
/// `randint`, a distribution by scipy's `rvs` (`uniform(loc=low,
/// scale=high-low)`, `loguniform(low, high)`, `randint(low, high)`).
fn draw(space: &ParamSpace, rng: &mut RandomState) -> ParamValue {
    match space {
        ParamSpace::Choice(values) => values[rng.randint(values.len() as u64) as usize].clone(),
        ParamSpace::Distribution(Distribution::Uniform { low, high }) => {
            ParamValue::Float(rng.random_sample() * (high - low) + low)
        }
        ParamSpace::Distribution(Distribution::Loguniform { low, high }) => {
            let (a, b) = (libm::log(*low), libm::log(*high));
            ParamValue::Float(libc_exp::exp(a + rng.random_sample() * (b - a)))
        }
        ParamSpace::Distribution(Distribution::Randint { low, high }) => {
            ParamValue::Int(low.wrapping_add(rng.randint(high.abs_diff(*low)) as i64))
        }
    }
}

#[cfg(test)]
mod tests {
    /// Issue 13: in scikit-learn's `Pipeline`, `weights` is `model__weights`,
    /// so it sorts before `preprocess__...` and the preprocess key varies fastest.
    #[test]
    fn issue_13_pipeline_keys_are_ordered_by_scikit_learns_names() {
        let grid = ParamGrid::One(BTreeMap::from([
            ("weights".to_string(), vec![ParamValue::Str("uniform".into()), ParamValue::Str("distance".into())]),
            (
                "preprocess__num__simpleimputer__strategy".to_string(),
                vec![ParamValue::Str("mean".into()), ParamValue::Str("median".into())],
            ),
        ]));
        let order: Vec<(String, String)> = grid_candidates(&grid)
            .unwrap()
            .iter()
            .map(|c| (c["weights"].to_string(), c["preprocess__num__simpleimputer__strategy"].to_string()))
            .collect();
        let pairs = [("uniform", "mean"), ("uniform", "median"), ("distance", "mean"), ("distance", "median")];
        assert_eq!(order, pairs.map(|(a, b)| (a.to_string(), b.to_string())));
    }

    /// Issue 12: a 10^6-candidate grid ran (then hung ranking), and n_iter = 1e8 ran out of memory.
    #[test]
    fn issue_12_searches_past_the_candidate_limit_are_refused_before_any_candidate_is_built() {
        let values = |n: i64| (0..n).map(ParamValue::Int).collect::<Vec<_>>();
        let grid = ParamGrid::One(BTreeMap::from([("a".to_string(), values(1000)), ("b".to_string(), values(1000))]));
        let e = grid_candidates(&grid).unwrap_err().to_string();
        assert_eq!(
            e,
            "searcher.param_grid: has 1000000 combinations, more than Tuna's limit of 100000 candidates; \
             search fewer values, or sample n_iter of them with RandomCVSearcher"
        );
        let huge = ParamGrid::One((0..20).map(|i| (format!("p{i}"), values(1000))).collect());
        assert!(grid_candidates(&huge).unwrap_err().to_string().contains("has more than 2^64 combinations"));
        let at_limit =
            ParamGrid::One(BTreeMap::from([("a".to_string(), values(100)), ("b".to_string(), values(1000))]));
        assert_eq!(grid_candidates(&at_limit).unwrap().len(), MAX_CANDIDATES);
        let random = RandomCVSearcher {
            n_iter: 100_000_000,
            ..serde_json::from_value(serde_json::json!({"param_distributions": {"alpha": {"distribution": "uniform", "low": 0.0, "high": 1.0}}})).unwrap()
        };
        let e = SearcherKind::RandomCVSearcher(random).candidates().unwrap_err().to_string();
        assert_eq!(e, "searcher.n_iter: must be at most 100000 (Tuna's limit of candidates), found 100000000");
    }

    use super::*;

    fn ints(v: &[i64]) -> Vec<ParamValue> {
        v.iter().map(|&i| ParamValue::Int(i)).collect()
    }

    #[test]
    fn grid_varies_last_key_fastest() {
        let grid = ParamGrid::One(BTreeMap::from([("a".into(), ints(&[1, 2])), ("b".into(), ints(&[10, 20]))]));
        let c = grid_candidates(&grid).unwrap();
        assert_eq!(c.len(), 4);
        assert_eq!(c[1]["a"], ParamValue::Int(1));
        assert_eq!(c[1]["b"], ParamValue::Int(20));
    }

    #[test]
    fn empty_grid_list_names_the_key() {
        let grid = ParamGrid::One(BTreeMap::from([("max_depth".into(), vec![])]));
        let e = grid_candidates(&grid).unwrap_err().to_string();
        assert_eq!(e, "searcher.param_grid.max_depth: is an empty list; give at least one value");
    }

    #[test]
    fn random_search_is_repeatable_and_in_range() {
        let s = RandomCVSearcher {
            param_distributions: BTreeMap::from([
                ("alpha".into(), ParamSpace::Distribution(Distribution::Loguniform { low: 1e-3, high: 1e3 })),
                ("max_depth".into(), ParamSpace::Distribution(Distribution::Randint { low: 2, high: 5 })),
            ]),
            n_iter: 20,
            random_state: 7,
            n_jobs: 0,
            error_score: ErrorScore::default(),
            return_train_score: false,
            refit: true,
        };
        let a = s.candidates().unwrap();
        assert_eq!(a, s.candidates().unwrap());
        for c in &a {
            let alpha = c["alpha"].as_f64().unwrap();
            assert!((1e-3..1e3).contains(&alpha));
            assert!(matches!(c["max_depth"], ParamValue::Int(2..=4)));
        }
    }

    #[test]
    fn random_search_over_lists_draws_distinct_points() {
        let s = RandomCVSearcher {
            param_distributions: BTreeMap::from([("a".into(), ParamSpace::Choice(ints(&[1, 2, 3, 4, 5])))]),
            n_iter: 3,
            random_state: 0,
            n_jobs: 0,
            error_score: ErrorScore::default(),
            return_train_score: false,
            refit: true,
        };
        let mut c: Vec<String> = s.candidates().unwrap().iter().map(|p| p["a"].to_string()).collect();
        c.sort();
        c.dedup();
        assert_eq!(c.len(), 3);
        assert_eq!(s.warning(), None);
        let capped = RandomCVSearcher { n_iter: 40, ..s.clone() };
        assert_eq!(capped.candidates().unwrap().len(), 5);
        assert!(capped.warning().unwrap().contains("make 5 combinations, fewer than n_iter = 40"));
        let big_seed = RandomCVSearcher { random_state: 1 << 32, ..s };
        let e = big_seed.candidates().unwrap_err().to_string();
        assert!(e.starts_with("searcher.random_state: must be at most 4294967295"), "{e}");
    }

    #[test]
    fn loguniform_rejects_zero_low() {
        let e = check_space("alpha", &ParamSpace::Distribution(Distribution::Loguniform { low: 0.0, high: 1.0 }));
        assert!(e.unwrap_err().to_string().contains("0 < low"));
    }
}
