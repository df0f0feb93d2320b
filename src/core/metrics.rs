//! Scoring metrics by scikit-learn name, turned into greater-is-better scores.
//!
//! A score is `sign * metric(y_true, y_pred)` with `sign = -1` for error metrics,
//! exactly like scikit-learn's `neg_mean_squared_error` scorer, so the best
//! candidate always has the highest score.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::data::sorted_unique;
use super::params::ParamValue;

/// What a fitted model produced for the rows being scored.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Predictions {
    /// Predicted values (regression) or labels (classification).
    pub values: Vec<f64>,
    /// Class probabilities, when the model gives them.
    pub proba: Option<Probabilities>,
}

/// Predicted class probabilities: `rows[i][c]` is P(row i is `classes[c]`).
#[derive(Debug, Clone, PartialEq)]
pub struct Probabilities {
    /// Sorted class labels, the columns' order.
    pub classes: Vec<f64>,
    /// One probability row per scored row.
    pub rows: Vec<Vec<f64>>,
}

/// The metric section of a config (`KIND = "SklearnMetric"`).
///
/// Its metric names are `MetricName::all()`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, strum::VariantNames)]
#[serde(tag = "KIND")]
pub enum MetricKind {
    /// A scikit-learn metric by name.
    SklearnMetric(SklearnMetric),
}

impl super::catalog::Family for MetricKind {
    const SECTION: &'static str = "metric";
}

impl Default for MetricKind {
    fn default() -> Self {
        MetricKind::SklearnMetric(SklearnMetric::default())
    }
}

/// A scikit-learn metric by name; defaults to the original job's mean squared error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SklearnMetric {
    /// A metric function name (`mean_squared_error`, `r2`, `f1_macro`, ...) or a
    /// scikit-learn scorer name (`neg_mean_squared_error`, `r2`, `roc_auc`).
    pub name: String,
    /// Whether a larger metric value is better. Optional: each metric knows its
    /// direction, and a value that contradicts it is an error rather than a
    /// search that silently picks the worst candidate.
    #[serde(default)]
    pub greater_is_better: Option<bool>,
    /// The positive class of binary `f1`, `precision` and `recall` (scikit-learn's
    /// `pos_label`, default 1): a label as written, `"yes"` or `1`. Needed when
    /// the labels are text, as in scikit-learn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pos_label: Option<ParamValue>,
}

impl Default for SklearnMetric {
    fn default() -> Self {
        SklearnMetric { name: "mean_squared_error".into(), greater_is_better: Some(false), pos_label: None }
    }
}

/// The metrics Tuna knows, with scikit-learn's definitions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MetricName {
    /// `mean_squared_error`.
    MeanSquaredError,
    /// `root_mean_squared_error`.
    RootMeanSquaredError,
    /// `mean_absolute_error`.
    MeanAbsoluteError,
    /// `r2_score` (scorer `r2`).
    R2,
    /// `mean_absolute_percentage_error`.
    MeanAbsolutePercentageError,
    /// `max_error`.
    MaxError,
    /// `accuracy_score`.
    Accuracy,
    /// `balanced_accuracy_score`.
    BalancedAccuracy,
    /// `f1_score`, binary (positive label 1).
    F1,
    /// `precision_score`, binary.
    Precision,
    /// `recall_score`, binary.
    Recall,
    /// `f1_score(average="macro")`.
    F1Macro,
    /// `precision_score(average="macro")`.
    PrecisionMacro,
    /// `recall_score(average="macro")`.
    RecallMacro,
    /// `roc_auc_score`, binary, from the positive class's probability.
    RocAuc,
    /// `log_loss`, from predicted probabilities.
    LogLoss,
}

/// Every known name: (name as written in configs, metric).
const NAMES: &[(&str, MetricName)] = &[
    ("mean_squared_error", MetricName::MeanSquaredError),
    ("root_mean_squared_error", MetricName::RootMeanSquaredError),
    ("mean_absolute_error", MetricName::MeanAbsoluteError),
    ("r2", MetricName::R2),
    ("r2_score", MetricName::R2),
    ("mean_absolute_percentage_error", MetricName::MeanAbsolutePercentageError),
    ("max_error", MetricName::MaxError),
    ("accuracy", MetricName::Accuracy),
    ("accuracy_score", MetricName::Accuracy),
    ("balanced_accuracy", MetricName::BalancedAccuracy),
    ("balanced_accuracy_score", MetricName::BalancedAccuracy),
    ("f1", MetricName::F1),
    ("f1_score", MetricName::F1),
    ("precision", MetricName::Precision),
    ("precision_score", MetricName::Precision),
    ("recall", MetricName::Recall),
    ("recall_score", MetricName::Recall),
    ("f1_macro", MetricName::F1Macro),
    ("precision_macro", MetricName::PrecisionMacro),
    ("recall_macro", MetricName::RecallMacro),
    ("roc_auc", MetricName::RocAuc),
    ("roc_auc_score", MetricName::RocAuc),
    ("log_loss", MetricName::LogLoss),
];

/// Why a metric cannot be set up or computed.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum MetricError {
    /// The name is not a known metric.
    #[error("metric.name: unknown metric `{0}`; known metrics: {known}", known = known_names())]
    UnknownName(String),
    /// `greater_is_better` contradicts the metric's direction.
    #[error(
        "metric.greater_is_better = {given}, but for `{name}` {direction} is better; remove the key or set it to {expected}"
    )]
    WrongDirection {
        /// The metric name.
        name: String,
        /// What the config said.
        given: bool,
        /// What the metric needs.
        expected: bool,
        /// "higher" or "lower".
        direction: &'static str,
    },
    /// The metric is undefined for these targets or predictions.
    #[error("{metric}: {message}")]
    Undefined {
        /// The metric name.
        metric: &'static str,
        /// Why.
        message: String,
    },
}

fn known_names() -> String {
    NAMES.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
}

/// A checked metric: what to compute and which way is better.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Metric {
    /// The metric.
    pub name: MetricName,
    /// Whether larger metric values are better (false for errors and losses).
    pub greater_is_better: bool,
    /// The positive class of binary f1/precision/recall, as the target value
    /// the engine holds (a text label's code); see [`Metric::with_pos_label`].
    #[serde(default = "default_pos_label")]
    pub pos_label: f64,
}

fn default_pos_label() -> f64 {
    1.0
}

impl Metric {
    /// The metric with `pos_label` (the config's, as written) resolved
    /// against the data's classes: `classes` are the target values the engine
    /// holds, `labels` their texts when the target is text. scikit-learn's
    /// rule: the positive class must be one of the labels; its default 1
    /// suits 0/1 targets only, so text labels need it set.
    pub fn with_pos_label(
        self,
        pos_label: Option<&ParamValue>,
        classes: &[f64],
        labels: Option<&[String]>,
    ) -> Result<Metric, String> {
        if !matches!(self.name, MetricName::F1 | MetricName::Precision | MetricName::Recall) {
            return Ok(self);
        }
        let shown = |all: Vec<String>| all.join(", ");
        let value = match (labels, pos_label) {
            (Some(labels), Some(given)) => labels.iter().position(|l| *l == given.to_string()).map(|i| i as f64),
            (Some(labels), None) => {
                return Err(format!(
                    "metric.pos_label: binary `{}` needs the positive class, and the labels are text ({}); \
                     set pos_label = \"{}\" (or another label) under [metric], or use `{}_macro`",
                    self.name.as_str(),
                    shown(labels.iter().map(|l| format!("`{l}`")).collect()),
                    labels.last().map(String::as_str).unwrap_or_default(),
                    self.name.as_str()
                ));
            }
            (None, given) => {
                let want = given.map_or(Some(1.0), ParamValue::as_f64);
                want.filter(|w| classes.contains(w) || classes.len() < 2)
            }
        };
        match value {
            Some(pos_label) => Ok(Metric { pos_label, ..self }),
            None => {
                let all = match labels {
                    Some(l) => l.iter().map(|l| format!("`{l}`")).collect(),
                    None => classes.iter().map(|c| format!("{c}")).collect(),
                };
                Err(format!(
                    "metric.pos_label = {} is not a class of the target; the classes are {} \
                     (scikit-learn: \"pos_label=1 is not a valid label\"): set pos_label under [metric] to one of them",
                    pos_label.map_or("1 (the default)".to_string(), |v| v.to_string()),
                    shown(all)
                ))
            }
        }
    }
}

impl MetricKind {
    /// Checks the config into a `Metric`.
    pub fn check(&self) -> Result<Metric, MetricError> {
        let MetricKind::SklearnMetric(m) = self;
        // Scorer names (`neg_mean_squared_error`) mean the metric itself.
        let bare = m.name.strip_prefix("neg_").unwrap_or(&m.name);
        let name = NAMES
            .iter()
            .find(|(n, _)| *n == bare)
            .map(|(_, v)| *v)
            .ok_or_else(|| MetricError::UnknownName(m.name.clone()))?;
        let natural = name.greater_is_better();
        if let Some(given) = m.greater_is_better
            && given != natural
        {
            return Err(MetricError::WrongDirection {
                name: m.name.clone(),
                given,
                expected: natural,
                direction: if natural { "higher" } else { "lower" },
            });
        }
        Ok(Metric { name, greater_is_better: natural, pos_label: 1.0 })
    }
}

impl MetricName {
    /// Every metric once, in the documented order (for pickers in front ends).
    pub fn all() -> impl Iterator<Item = MetricName> {
        NAMES.iter().filter(|(n, m)| m.as_str() == *n).map(|(_, m)| *m)
    }

    /// The canonical name, as scikit-learn's metric function minus `_score`.
    pub fn as_str(self) -> &'static str {
        NAMES.iter().find(|(_, v)| *v == self).map(|(n, _)| *n).unwrap_or("unknown")
    }

    /// True for scores, false for errors and losses.
    pub fn greater_is_better(self) -> bool {
        use MetricName::*;
        !matches!(
            self,
            MeanSquaredError
                | RootMeanSquaredError
                | MeanAbsoluteError
                | MeanAbsolutePercentageError
                | MaxError
                | LogLoss
        )
    }

    /// True when the metric needs predicted probabilities.
    pub fn needs_proba(self) -> bool {
        matches!(self, MetricName::RocAuc | MetricName::LogLoss)
    }

    /// True for classification metrics.
    pub fn is_classification(self) -> bool {
        use MetricName::*;
        matches!(
            self,
            Accuracy
                | BalancedAccuracy
                | F1
                | Precision
                | Recall
                | F1Macro
                | PrecisionMacro
                | RecallMacro
                | RocAuc
                | LogLoss
        )
    }

    /// The raw metric value, as `sklearn.metrics` computes it.
    pub fn compute(self, y_true: &[f64], pred: &Predictions, pos_label: f64) -> Result<f64, MetricError> {
        use MetricName::*;
        let y_pred = &pred.values;
        let undefined = |message: String| MetricError::Undefined { metric: self.as_str(), message };
        if y_true.is_empty() {
            return Err(undefined("no rows to score".into()));
        }
        let n = y_true.len() as f64;
        let pairs = || y_true.iter().zip(y_pred.iter());
        Ok(match self {
            MeanSquaredError => pairs().map(|(t, p)| (t - p) * (t - p)).sum::<f64>() / n,
            RootMeanSquaredError => (pairs().map(|(t, p)| (t - p) * (t - p)).sum::<f64>() / n).sqrt(),
            MeanAbsoluteError => pairs().map(|(t, p)| (t - p).abs()).sum::<f64>() / n,
            MeanAbsolutePercentageError => {
                pairs().map(|(t, p)| (t - p).abs() / t.abs().max(f64::EPSILON)).sum::<f64>() / n
            }
            MaxError => pairs().map(|(t, p)| (t - p).abs()).fold(0.0, f64::max),
            R2 => r2(y_true, y_pred),
            Accuracy => pairs().filter(|(t, p)| t == p).count() as f64 / n,
            BalancedAccuracy => balanced_accuracy(y_true, y_pred),
            F1 | Precision | Recall => {
                // scikit-learn's `average="binary"`: at most two labels, one of them the positive.
                let labels = sorted_unique(&[y_true, y_pred.as_slice()].concat());
                if labels.len() > 2 || (labels.len() == 2 && !labels.contains(&pos_label)) {
                    return Err(undefined(format!(
                        "binary averaging needs two labels, one of them the positive class {}, found {}; \
                         use `{}_macro` for more classes",
                        pos_label,
                        list(&labels),
                        self.as_str()
                    )));
                }
                let c = ClassCounts::for_label(y_true, y_pred, pos_label);
                c.value(self)
            }
            F1Macro | PrecisionMacro | RecallMacro => {
                let labels = sorted_unique(&[y_true, y_pred.as_slice()].concat());
                let base = match self {
                    F1Macro => F1,
                    PrecisionMacro => Precision,
                    _ => Recall,
                };
                labels.iter().map(|&l| ClassCounts::for_label(y_true, y_pred, l).value(base)).sum::<f64>()
                    / labels.len() as f64
            }
            RocAuc => {
                let proba = needs_proba(self, pred)?;
                let present = sorted_unique(y_true);
                if present.len() != 2 || proba.classes.len() != 2 {
                    return Err(undefined(format!(
                        "needs exactly two classes, the scored rows have {}",
                        list(&present)
                    )));
                }
                let positive = proba.classes[1];
                let scores: Vec<f64> = proba.rows.iter().map(|r| r[1]).collect();
                roc_auc(y_true, &scores, positive)
            }
            LogLoss => {
                let proba = needs_proba(self, pred)?;
                log_loss(y_true, proba).map_err(undefined)?
            }
        })
    }
}

impl Metric {
    /// The greater-is-better score: the metric, negated for errors and losses.
    pub fn score(&self, y_true: &[f64], pred: &Predictions) -> Result<f64, MetricError> {
        let value = self.name.compute(y_true, pred, self.pos_label)?;
        Ok(if self.greater_is_better { value } else { -value })
    }
}

fn needs_proba(metric: MetricName, pred: &Predictions) -> Result<&Probabilities, MetricError> {
    pred.proba.as_ref().ok_or_else(|| MetricError::Undefined {
        metric: metric.as_str(),
        message: "needs predicted probabilities, which this model does not give".into(),
    })
}

fn list(values: &[f64]) -> String {
    values.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(", ")
}

/// `r2_score` with `force_finite=True`: a constant `y_true` scores 1.0 if
/// predicted perfectly, else 0.0.
fn r2(y_true: &[f64], y_pred: &[f64]) -> f64 {
    let mean = y_true.iter().sum::<f64>() / y_true.len() as f64;
    let ss_res: f64 = y_true.iter().zip(y_pred).map(|(t, p)| (t - p) * (t - p)).sum();
    let ss_tot: f64 = y_true.iter().map(|t| (t - mean) * (t - mean)).sum();
    if ss_tot == 0.0 {
        return if ss_res == 0.0 { 1.0 } else { 0.0 };
    }
    1.0 - ss_res / ss_tot
}

/// Mean recall over the classes present in `y_true`.
fn balanced_accuracy(y_true: &[f64], y_pred: &[f64]) -> f64 {
    let classes = sorted_unique(y_true);
    let recalls: f64 =
        classes.iter().map(|&c| ClassCounts::for_label(y_true, y_pred, c).value(MetricName::Recall)).sum();
    recalls / classes.len() as f64
}

/// True/false positives and false negatives for one label.
struct ClassCounts {
    tp: f64,
    fp: f64,
    fn_: f64,
}

impl ClassCounts {
    fn for_label(y_true: &[f64], y_pred: &[f64], label: f64) -> Self {
        let mut c = ClassCounts { tp: 0.0, fp: 0.0, fn_: 0.0 };
        for (&t, &p) in y_true.iter().zip(y_pred) {
            match (t == label, p == label) {
                (true, true) => c.tp += 1.0,
                (false, true) => c.fp += 1.0,
                (true, false) => c.fn_ += 1.0,
                _ => {}
            }
        }
        c
    }

    /// Precision, recall or F1; 0 where scikit-learn's `zero_division="warn"` gives 0.
    fn value(&self, metric: MetricName) -> f64 {
        let ratio = |num: f64, den: f64| if den == 0.0 { 0.0 } else { num / den };
        match metric {
            MetricName::Precision => ratio(self.tp, self.tp + self.fp),
            MetricName::Recall => ratio(self.tp, self.tp + self.fn_),
            _ => ratio(2.0 * self.tp, 2.0 * self.tp + self.fp + self.fn_),
        }
    }
}

/// Area under the ROC curve: the probability that a random positive outranks a
/// random negative, ties counting half (equal to scikit-learn's trapezoids).
fn roc_auc(y_true: &[f64], scores: &[f64], positive: f64) -> f64 {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    // Average ranks (1-based), ties sharing their mean rank.
    let mut ranks = vec![0.0; scores.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && scores[order[j + 1]] == scores[order[i]] {
            j += 1;
        }
        let mean_rank = (i + j) as f64 / 2.0 + 1.0;
        for &k in &order[i..=j] {
            ranks[k] = mean_rank;
        }
        i = j + 1;
    }
    let n_pos = y_true.iter().filter(|&&t| t == positive).count() as f64;
    let n_neg = y_true.len() as f64 - n_pos;
    let rank_sum: f64 = y_true.iter().zip(&ranks).filter(|(t, _)| **t == positive).map(|(_, r)| r).sum();
    (rank_sum - n_pos * (n_pos + 1.0) / 2.0) / (n_pos * n_neg)
}

/// Mean negative log-likelihood, probabilities clipped to [eps, 1 - eps] as
/// scikit-learn does.
fn log_loss(y_true: &[f64], proba: &Probabilities) -> Result<f64, String> {
    let eps = f64::EPSILON;
    let mut total = 0.0;
    for (t, row) in y_true.iter().zip(&proba.rows) {
        let c = proba
            .classes
            .iter()
            .position(|c| c == t)
            .ok_or_else(|| format!("label {t} was not seen when fitting, so it has no probability"))?;
        total -= libm::log(row[c].clamp(eps, 1.0 - eps));
    }
    Ok(total / y_true.len() as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metric(name: &str, gib: Option<bool>) -> Result<Metric, MetricError> {
        MetricKind::SklearnMetric(SklearnMetric { name: name.into(), greater_is_better: gib, pos_label: None }).check()
    }

    fn values(v: &[f64]) -> Predictions {
        Predictions { values: v.to_vec(), proba: None }
    }

    #[test]
    fn error_metrics_are_negated() {
        let m = metric("mean_squared_error", Some(false)).unwrap();
        assert_eq!(m.score(&[1.0, 2.0], &values(&[2.0, 2.0])).unwrap(), -0.5);
    }

    #[test]
    fn direction_defaults_to_the_metrics_own() {
        let m: MetricKind = serde_json::from_str(r#"{"KIND": "SklearnMetric", "name": "roc_auc"}"#).unwrap();
        assert!(m.check().unwrap().greater_is_better);
    }

    #[test]
    fn scorer_names_are_accepted() {
        assert_eq!(metric("neg_mean_absolute_error", None).unwrap().name, MetricName::MeanAbsoluteError);
    }

    #[test]
    fn unknown_metric_lists_known_ones() {
        let err = metric("mean_squared_eror", None).unwrap_err().to_string();
        assert!(err.contains("mean_squared_eror") && err.contains("root_mean_squared_error"), "{err}");
    }

    #[test]
    fn contradicting_direction_is_an_error() {
        let err = metric("mean_squared_error", Some(true)).unwrap_err().to_string();
        assert!(err.contains("lower is better"), "{err}");
    }

    #[test]
    fn r2_of_constant_target_is_finite() {
        assert_eq!(MetricName::R2.compute(&[2.0, 2.0], &values(&[2.0, 2.0]), 1.0).unwrap(), 1.0);
        assert_eq!(MetricName::R2.compute(&[2.0, 2.0], &values(&[1.0, 2.0]), 1.0).unwrap(), 0.0);
    }

    #[test]
    fn binary_f1_rejects_multiclass_labels() {
        let err = MetricName::F1.compute(&[0.0, 1.0, 2.0], &values(&[0.0, 1.0, 2.0]), 1.0).unwrap_err();
        assert!(err.to_string().contains("f1_macro"), "{err}");
    }

    /// Issue 13: scikit-learn's `pos_label`: any label of a binary target,
    /// required for text labels, refused when it is not a class.
    #[test]
    fn issue_13_pos_label_follows_scikit_learn() {
        let f1 =
            MetricKind::SklearnMetric(SklearnMetric { name: "f1".into(), greater_is_better: None, pos_label: None })
                .check()
                .unwrap();
        let labels = ["no".to_string(), "yes".to_string()];
        let e = f1.with_pos_label(None, &[0.0, 1.0], Some(&labels)).unwrap_err();
        assert!(e.contains("set pos_label = \"yes\""), "{e}");
        let yes = f1.with_pos_label(Some(&ParamValue::Str("yes".into())), &[0.0, 1.0], Some(&labels)).unwrap();
        assert_eq!(yes.pos_label, 1.0);
        let no = f1.with_pos_label(Some(&ParamValue::Str("no".into())), &[0.0, 1.0], Some(&labels)).unwrap();
        // y_true no/yes/yes, predicted no/no/yes: for `no`, precision 1/2, recall 1, f1 2/3.
        let got = no.score(&[0.0, 1.0, 1.0], &values(&[0.0, 0.0, 1.0])).unwrap();
        assert!((got - 2.0 / 3.0).abs() < 1e-15, "{got}");
        let e = f1.with_pos_label(None, &[1.0, 2.0], None).map(|m| m.pos_label);
        assert_eq!(e, Ok(1.0), "1 is a class of a 1/2 target");
        let e = f1.with_pos_label(None, &[0.0, 2.0], None).unwrap_err();
        assert!(e.contains("pos_label = 1 (the default) is not a class") && e.contains("0, 2"), "{e}");
        let accuracy = MetricKind::default().check().unwrap();
        assert!(accuracy.with_pos_label(None, &[0.0, 2.0], Some(&labels)).is_ok(), "only binary metrics take it");
    }

    #[test]
    fn roc_auc_needs_probabilities() {
        assert!(MetricName::RocAuc.compute(&[0.0, 1.0], &values(&[0.0, 1.0]), 1.0).is_err());
    }

    #[test]
    fn roc_auc_counts_ties_as_half() {
        let pred = Predictions {
            values: vec![],
            proba: Some(Probabilities {
                classes: vec![0.0, 1.0],
                rows: vec![vec![0.5, 0.5], vec![0.5, 0.5], vec![0.9, 0.1], vec![0.1, 0.9]],
            }),
        };
        let auc = MetricName::RocAuc.compute(&[0.0, 1.0, 0.0, 1.0], &pred, 1.0).unwrap();
        assert!((auc - 0.875).abs() < 1e-12, "{auc}");
    }
}
