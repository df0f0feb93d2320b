//! Estimators by scikit-learn class name, with scikit-learn's hyperparameter
//! names, defaults and meanings.
//!
//! A config's `[model]` table (plus a grid candidate) becomes an `Estimator`:
//! the checked hyperparameters. Fitting happens per fold in `fit_predict`,
//! which fits on the train rows and predicts every evaluation set at once;
//! that shape also fits smartcore's SVMs, which borrow their training data.
//!
//! Some estimators wrap smartcore 0.7 and translate where its meaning differs
//! from scikit-learn's (Ridge without a centred intercept). Where smartcore has
//! no matching algorithm (Lasso/ElasticNet coordinate descent, GaussianNB's
//! `var_smoothing` and probabilities, trees split for split as scikit-learn's)
//! the estimator is Tuna's own.

mod boosting;
mod cart;
mod linear;
mod naive_bayes;
mod neighbors;
mod svm;
mod trees;

use serde::{Deserialize, Serialize};
use smartcore::linalg::basic::matrix::DenseMatrix;
use strum::{IntoStaticStr, VariantNames};
use thiserror::Error;

pub use boosting::{
    BoostingInit, ClassificationBoostingLoss, GradientBoosting, GradientBoostingClassifier, GradientBoostingRegressor,
    RegressionBoostingLoss,
};
pub use linear::{ElasticNet, Lasso, LinearRegression, LogisticRegression, Ridge};
pub use naive_bayes::GaussianNB;
pub use neighbors::{KNeighborsClassifier, KNeighborsRegressor, Weights};
pub use svm::{Gamma, Kernel, SVC, SVR};
pub use trees::{
    Bagged, ClassWeight, Criterion, DecisionTree, DecisionTreeClassifier, DecisionTreeRegressor, Extra,
    ExtraTreesClassifier, ExtraTreesRegressor, Forest, MaxFeatures, MaxSamples, RandomForestClassifier,
    RandomForestRegressor, RegressionCriterion, SampleCount, SplitterName, TreeNode, TreeStructure, WeightRule,
};

use super::catalog::Family;
use super::metrics::Predictions;
use super::params::{ParamValue, Params};

/// Why a model could not be built or fitted.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ModelError {
    /// A hyperparameter is unknown, of the wrong type or out of range.
    #[error("{model}: {message}")]
    Params {
        /// The model KIND.
        model: String,
        /// What is wrong, naming the hyperparameter and the accepted values.
        message: String,
    },
    /// The fit itself failed (singular system, a fold with one class, ...).
    #[error("{model} failed to fit: {message}")]
    Fit {
        /// The model KIND.
        model: &'static str,
        /// smartcore's or Tuna's reason.
        message: String,
    },
}

/// A model with checked hyperparameters, tagged on `KIND` like the config.
///
/// The variants are the model catalog (`Family`): `tuna kinds`, the page's
/// picker and the unknown-KIND message all read them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, VariantNames, IntoStaticStr)]
#[serde(tag = "KIND")]
#[allow(clippy::large_enum_variant)]
pub enum Estimator {
    /// Ordinary least squares.
    LinearRegression(LinearRegression),
    /// L2-penalised least squares.
    Ridge(Ridge),
    /// L1-penalised least squares.
    Lasso(Lasso),
    /// L1 + L2 penalised least squares.
    ElasticNet(ElasticNet),
    /// CART regression tree.
    DecisionTreeRegressor(DecisionTreeRegressor),
    /// Bagged regression trees.
    RandomForestRegressor(RandomForestRegressor),
    /// Extremely randomized regression trees.
    ExtraTreesRegressor(ExtraTreesRegressor),
    /// Boosted regression trees.
    GradientBoostingRegressor(GradientBoostingRegressor),
    /// k nearest neighbours, averaged.
    KNeighborsRegressor(KNeighborsRegressor),
    /// Epsilon-support vector regression.
    SVR(SVR),
    /// L2-penalised logistic regression.
    LogisticRegression(LogisticRegression),
    /// CART classification tree.
    DecisionTreeClassifier(DecisionTreeClassifier),
    /// Bagged classification trees.
    RandomForestClassifier(RandomForestClassifier),
    /// Extremely randomized classification trees.
    ExtraTreesClassifier(ExtraTreesClassifier),
    /// Boosted trees on the log loss.
    GradientBoostingClassifier(GradientBoostingClassifier),
    /// k nearest neighbours, voted.
    KNeighborsClassifier(KNeighborsClassifier),
    /// Gaussian naive Bayes.
    GaussianNB(GaussianNB),
    /// Support vector classification (one-vs-one).
    SVC(SVC),
}

impl Family for Estimator {
    const SECTION: &'static str = "model";
}

/// What a fitted model shows beyond its predictions: the attributes of
/// scikit-learn's `best_estimator_` that Tuna reports after the refit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct FittedAttributes {
    /// `oob_score_`: a forest fitted with `oob_score = true` scored on the
    /// rows its trees' bootstrap samples left out.
    pub oob_score: Option<f64>,
    /// With `oob_score`: the rows every tree's bootstrap sample held, which
    /// have no out-of-bag prediction (scikit-learn warns about them).
    #[serde(default)]
    pub oob_unscored_rows: Option<usize>,
    /// `n_estimators_`: the stages a gradient boosting model with
    /// `n_iter_no_change` kept before early stopping ended it.
    pub n_estimators: Option<usize>,
}

/// The training rows of one fold.
pub struct TrainSet<'a> {
    /// Features.
    pub x: &'a DenseMatrix<f64>,
    /// Targets (class labels for classifiers).
    pub y: &'a [f64],
    /// For text class labels, each label by its code in `y` (so that
    /// `class_weight = { yes = 5 }` can name a class as the file writes it).
    pub labels: Option<&'a [String]>,
}

impl Estimator {
    /// Checks `params` as the hyperparameters of model `kind`.
    ///
    /// Unknown KINDs, unknown hyperparameters, wrong types and out-of-range values
    /// are errors naming the model and the key.
    pub fn new(kind: &str, params: &Params) -> Result<Estimator, ModelError> {
        if !Estimator::kinds().contains(&kind) {
            return Err(ModelError::Params {
                model: kind.to_string(),
                message: format!("unknown model KIND; known models: {}", Estimator::kinds().join(", ")),
            });
        }
        let object = |params: &mut dyn Iterator<Item = (&String, &ParamValue)>| {
            let mut object = serde_json::Map::new();
            object.insert("KIND".into(), serde_json::Value::String(kind.into()));
            // `"None"` is Python's None where a setting takes it (`max_depth = "None"`).
            object.extend(params.map(|(k, v)| (k.clone(), v.to_json_none())));
            serde_json::from_value::<Estimator>(serde_json::Value::Object(object))
        };
        let estimator = object(&mut params.iter()).map_err(|e| {
            // serde names the type, not the field: find the setting it refused.
            let culprit = params.iter().find(|&(k, v)| object(&mut std::iter::once((k, v))).is_err());
            let message = tidy_serde_message(&e.to_string());
            let message = match culprit {
                Some((key, _)) if !message.starts_with("unknown hyperparameter") => format!("{key}: {message}"),
                _ => message,
            };
            ModelError::Params { model: kind.to_string(), message }
        })?;
        estimator.check().map_err(|message| ModelError::Params { model: kind.to_string(), message })?;
        Ok(estimator)
    }

    /// The scikit-learn class name.
    pub fn kind(&self) -> &'static str {
        self.into()
    }

    /// True for classifiers (targets are class labels).
    pub fn is_classifier(&self) -> bool {
        use Estimator::*;
        matches!(
            self,
            LogisticRegression(_)
                | DecisionTreeClassifier(_)
                | RandomForestClassifier(_)
                | ExtraTreesClassifier(_)
                | GradientBoostingClassifier(_)
                | KNeighborsClassifier(_)
                | GaussianNB(_)
                | SVC(_)
        )
    }

    /// True when KIND `kind` is a classifier; `None` for an unknown KIND.
    pub fn kind_is_classifier(kind: &str) -> Option<bool> {
        Estimator::default_of(kind).map(|m| m.is_classifier())
    }

    /// Every hyperparameter with its value, defaults included (for logging).
    pub fn hyperparameters(&self) -> Params {
        let serde_json::Value::Object(fields) = serde_json::to_value(self).unwrap_or_default() else {
            return Params::new();
        };
        // Unset options (`max_depth = None`) serialize as null and are left out.
        fields
            .into_iter()
            .filter(|(k, v)| k != "KIND" && !v.is_null())
            .filter_map(|(k, v)| Some((k, serde_json::from_value(v).ok()?)))
            .collect()
    }

    /// Range checks that types alone cannot express.
    fn check(&self) -> Result<(), String> {
        use Estimator::*;
        match self {
            LinearRegression(_) => Ok(()),
            Ridge(m) => m.check(),
            Lasso(m) => m.check(),
            ElasticNet(m) => m.check(),
            DecisionTreeRegressor(m) => m.check(),
            RandomForestRegressor(m) => m.check(),
            ExtraTreesRegressor(m) => m.check(),
            GradientBoostingRegressor(m) => m.check(),
            KNeighborsRegressor(m) => m.check(),
            SVR(m) => m.check(),
            LogisticRegression(m) => m.check(),
            DecisionTreeClassifier(m) => m.check(),
            RandomForestClassifier(m) => m.check(),
            ExtraTreesClassifier(m) => m.check(),
            GradientBoostingClassifier(m) => m.check(),
            KNeighborsClassifier(m) => m.check(),
            GaussianNB(m) => m.check(),
            SVC(m) => m.check(),
        }
    }

    /// For a decision tree, fits on `train` and returns the fitted tree; `None` for other models.
    pub fn tree_structure(&self, train: &TrainSet) -> Option<Result<TreeStructure, ModelError>> {
        let fit_error = |message: String| ModelError::Fit { model: self.kind(), message };
        match self {
            Estimator::DecisionTreeRegressor(m) => Some(m.fit_structure(train).map_err(fit_error)),
            Estimator::DecisionTreeClassifier(m) => Some(m.fit_structure(train).map_err(fit_error)),
            _ => None,
        }
    }

    /// Fits on `train`, as a refit does, and returns the fitted attributes a
    /// search reports for its best model.
    pub fn fit_attributes(&self, train: &TrainSet) -> Result<FittedAttributes, ModelError> {
        let fit_error = |message: String| ModelError::Fit { model: self.kind(), message };
        let oob = |fitted: Result<Option<trees::OutOfBagScore>, String>| {
            let attributes = |oob: Option<trees::OutOfBagScore>| FittedAttributes {
                oob_score: oob.map(|o| o.0),
                oob_unscored_rows: oob.map(|o| o.1),
                ..Default::default()
            };
            fitted.map(attributes).map_err(fit_error)
        };
        let stages = |fitted: Result<usize, String>| {
            fitted.map(|n| FittedAttributes { n_estimators: Some(n), ..Default::default() }).map_err(fit_error)
        };
        match self {
            Estimator::GradientBoostingRegressor(m) if m.n_iter_no_change.is_some() => stages(m.fit_stage_count(train)),
            Estimator::GradientBoostingClassifier(m) if m.n_iter_no_change.is_some() => {
                stages(m.fit_stage_count(train))
            }
            Estimator::RandomForestRegressor(m) if m.oob_score => oob(m.fit_oob_score(train)),
            Estimator::ExtraTreesRegressor(m) if m.oob_score => oob(m.fit_oob_score(train)),
            Estimator::RandomForestClassifier(m) if m.oob_score => oob(m.fit_oob_score(train)),
            Estimator::ExtraTreesClassifier(m) if m.oob_score => oob(m.fit_oob_score(train)),
            _ => self.fit_predict(train, &[]).map(|_| FittedAttributes::default()),
        }
    }

    /// Fits on `train` and predicts each matrix in `eval`, in order.
    pub fn fit_predict(&self, train: &TrainSet, eval: &[&DenseMatrix<f64>]) -> Result<Vec<Predictions>, ModelError> {
        use Estimator::*;
        let fit_error = |message: String| ModelError::Fit { model: self.kind(), message };
        match self {
            LinearRegression(m) => m.fit_predict(train, eval),
            Ridge(m) => m.fit_predict(train, eval),
            Lasso(m) => m.fit_predict(train, eval),
            ElasticNet(m) => m.fit_predict(train, eval),
            DecisionTreeRegressor(m) => m.fit_predict(train, eval),
            RandomForestRegressor(m) => m.fit_predict(train, eval),
            ExtraTreesRegressor(m) => m.fit_predict(train, eval),
            GradientBoostingRegressor(m) => m.fit_predict(train, eval),
            KNeighborsRegressor(m) => m.fit_predict(train, eval),
            SVR(m) => m.fit_predict(train, eval),
            LogisticRegression(m) => m.fit_predict(train, eval),
            DecisionTreeClassifier(m) => m.fit_predict(train, eval),
            RandomForestClassifier(m) => m.fit_predict(train, eval),
            ExtraTreesClassifier(m) => m.fit_predict(train, eval),
            GradientBoostingClassifier(m) => m.fit_predict(train, eval),
            KNeighborsClassifier(m) => m.fit_predict(train, eval),
            GaussianNB(m) => m.fit_predict(train, eval),
            SVC(m) => m.fit_predict(train, eval),
        }
        .map_err(fit_error)
    }
}

/// The values of `m` row by row: borrowed when `m` is stored row-major (as
/// `Dataset::features` builds every matrix a search uses), copied otherwise.
/// smartcore's element access (`get`, `iterator`) checks bounds and layout per
/// element behind a boxed iterator; the models here read plain slices instead.
pub(crate) fn rows_of(m: &DenseMatrix<f64>) -> std::borrow::Cow<'_, [f64]> {
    use smartcore::linalg::basic::arrays::Array;
    let values = m.iter().as_slice();
    let (n, p) = m.shape();
    // Stored row-major exactly when element (0, 1) is the second value.
    if n < 2 || p < 2 || std::ptr::eq(m.get((0, 1)), &values[1]) {
        std::borrow::Cow::Borrowed(values)
    } else {
        std::borrow::Cow::Owned(m.iterator(0).copied().collect())
    }
}

/// serde says "unknown field `x`, expected one of ..."; say it in the user's terms.
fn tidy_serde_message(message: &str) -> String {
    let message =
        message.replace("unknown field", "unknown hyperparameter").replace("expected one of", "known hyperparameters:");
    super::wording::plain(&message)
}

/// Class labels as the dense integer codes smartcore's classifiers need.
///
/// Codes index the sorted distinct training labels, so decoding is a lookup
/// and probability columns come out in scikit-learn's `classes_` order.
pub(crate) struct LabelCodes {
    /// Sorted distinct labels seen in training.
    pub classes: Vec<f64>,
    /// The training labels as codes.
    pub codes: Vec<i32>,
}

impl LabelCodes {
    pub(crate) fn encode(y: &[f64]) -> Result<LabelCodes, String> {
        let classes = super::data::sorted_unique(y);
        if classes.len() < 2 {
            return Err(format!(
                "the training rows have a single class ({}); a classifier needs at least two — use a stratified splitter or check the target column",
                classes.first().copied().unwrap_or(f64::NAN)
            ));
        }
        let codes = y.iter().map(|v| classes.binary_search_by(|c| c.total_cmp(v)).unwrap_or(0) as i32).collect();
        Ok(LabelCodes { classes, codes })
    }

    pub(crate) fn decode(&self, codes: impl IntoIterator<Item = i32>) -> Vec<f64> {
        codes.into_iter().map(|c| self.classes[c.clamp(0, self.classes.len() as i32 - 1) as usize]).collect()
    }
}

/// A smartcore error as a plain message.
pub(crate) fn failed(e: smartcore::error::Failed) -> String {
    e.to_string()
}

/// A range check: `Ok` when `ok`, else a message naming the key, the rule and the value.
pub(crate) fn ensure(ok: bool, key: &str, rule: &str, value: impl std::fmt::Display) -> Result<(), String> {
    if ok { Ok(()) } else { Err(format!("{key} must be {rule}, found {value}")) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::params::ParamValue;

    fn params(pairs: &[(&str, ParamValue)]) -> Params {
        pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
    }

    #[test]
    fn unknown_kind_lists_models() {
        let err = Estimator::new("RandomForest", &Params::new()).unwrap_err().to_string();
        assert!(err.contains("unknown model KIND") && err.contains("RandomForestRegressor"), "{err}");
    }

    #[test]
    fn unknown_hyperparameter_is_named() {
        let err = Estimator::new("Ridge", &params(&[("alpah", ParamValue::Float(1.0))])).unwrap_err().to_string();
        assert!(err.contains("unknown hyperparameter `alpah`") && err.contains("alpha"), "{err}");
    }

    #[test]
    fn wrong_type_is_named() {
        let err = Estimator::new("DecisionTreeRegressor", &params(&[("max_depth", ParamValue::Str("deep".into()))]))
            .unwrap_err()
            .to_string();
        assert!(err.contains("deep"), "{err}");
    }

    #[test]
    fn defaults_are_scikit_learns() {
        let est = Estimator::new("RandomForestRegressor", &Params::new()).unwrap();
        let hp = est.hyperparameters();
        assert_eq!(hp["n_estimators"], ParamValue::Int(100));
        assert_eq!(hp["min_samples_split"], ParamValue::Int(2));
    }

    #[test]
    fn estimators_cross_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Estimator>();
    }
}
