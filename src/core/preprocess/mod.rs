//! The `[preprocess]` section: scikit-learn's `ColumnTransformer` of
//! per-column pipelines, fitted on each training fold only.
//!
//! A section is a spec (serde, tagged on `KIND` like every other component);
//! [`Preprocess::fit`] learns its statistics from the training rows and the
//! [`Fitted`] result turns any rows into the numeric matrix a model fits on.
//! Grid keys reach into it with scikit-learn's names
//! (`preprocess__<transformer>__<step>__<param>`, see [`Preprocess::with_param`]).

use serde::{Deserialize, Serialize};
use smartcore::linalg::basic::matrix::DenseMatrix;
use strum::{IntoStaticStr, VariantNames};

use super::catalog::Family;
use super::data::Dataset;
use super::frame::Column;
use super::params::ParamValue;

/// The `[preprocess]` section, tagged on `KIND`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, VariantNames)]
#[serde(tag = "KIND")]
pub enum Preprocess {
    /// scikit-learn's `ColumnTransformer`.
    ColumnTransformer(ColumnTransformer),
}

impl Family for Preprocess {
    const SECTION: &'static str = "preprocess";
}

/// Named transformers, each on some columns, and what happens to the others.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnTransformer {
    /// The columns no transformer names: dropped (scikit-learn's default) or passed through.
    #[serde(default)]
    pub remainder: Remainder,
    /// The transformers, in output order.
    #[serde(default)]
    pub transformers: Vec<Transformer>,
}

/// `remainder`: what happens to columns no transformer selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Remainder {
    /// Left out of the model's features.
    #[default]
    Drop,
    /// Given to the model as they are (after the transformers' outputs).
    Passthrough,
}

/// One `[[preprocess.transformers]]` entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Transformer {
    /// Its name in grid keys (`preprocess__<name>__...`).
    pub name: String,
    /// The columns it transforms.
    pub columns: Columns,
    /// Its steps, applied in order, or `"passthrough"`.
    pub steps: Steps,
}

/// A transformer's columns: names, or every column of a type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Columns {
    /// `["season", "weathersit"]`.
    Names(Vec<String>),
    /// `"numeric"` or `"categorical"`.
    Selector(Selector),
}

/// Every column of one type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Selector {
    /// Columns of numbers (booleans included).
    Numeric,
    /// Text columns.
    Categorical,
}

/// A transformer's steps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Steps {
    /// `"passthrough"`: the columns as they are.
    Passthrough(PassthroughWord),
    /// A pipeline of steps (`make_pipeline(...)`).
    Pipeline(Vec<Step>),
}

/// The word `"passthrough"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PassthroughWord {
    /// `"passthrough"`.
    Passthrough,
}

/// A step of a transformer's pipeline, by scikit-learn class name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, VariantNames, IntoStaticStr)]
#[serde(tag = "KIND")]
pub enum Step {
    /// Fills missing cells.
    SimpleImputer(SimpleImputer),
    /// Centres and scales to unit variance.
    StandardScaler(StandardScaler),
    /// Scales to a range.
    MinMaxScaler(MinMaxScaler),
    /// One 0/1 column per category.
    OneHotEncoder(OneHotEncoder),
    /// One integer code per category.
    OrdinalEncoder(OrdinalEncoder),
}

impl Family for Step {
    const SECTION: &'static str = "preprocess step";
}

/// `SimpleImputer`: scikit-learn's settings and defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SimpleImputer {
    /// `"mean"` (default), `"median"`, `"most_frequent"` or `"constant"`.
    pub strategy: ImputeStrategy,
    /// The value `"constant"` fills in; unset: 0 for numbers, `"missing_value"` for text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fill_value: Option<ParamValue>,
}

impl Default for SimpleImputer {
    fn default() -> Self {
        SimpleImputer { strategy: ImputeStrategy::Mean, fill_value: None }
    }
}

/// `SimpleImputer.strategy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImputeStrategy {
    /// The column's mean.
    Mean,
    /// The column's median.
    Median,
    /// The most frequent value (the smallest of ties).
    MostFrequent,
    /// `fill_value`.
    Constant,
}

/// `StandardScaler`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StandardScaler {
    /// Subtract the mean (default true).
    pub with_mean: bool,
    /// Divide by the standard deviation (default true; a constant column by 1).
    pub with_std: bool,
}

impl Default for StandardScaler {
    fn default() -> Self {
        StandardScaler { with_mean: true, with_std: true }
    }
}

/// `MinMaxScaler`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MinMaxScaler {
    /// The output range (default `[0, 1]`).
    pub feature_range: (f64, f64),
}

impl Default for MinMaxScaler {
    fn default() -> Self {
        MinMaxScaler { feature_range: (0.0, 1.0) }
    }
}

/// `OneHotEncoder` (always dense: `sparse_output=False`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OneHotEncoder {
    /// A category not seen in training: an error (default) or all zeros.
    pub handle_unknown: HandleUnknown,
    /// Drop no column (unset), the first category's, or the first of two.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub drop: Option<Drop>,
}

/// `OneHotEncoder.handle_unknown`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HandleUnknown {
    /// Fail the fold's fit.
    #[default]
    Error,
    /// All zeros.
    Ignore,
}

/// `OneHotEncoder.drop`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Drop {
    /// Drop the first category of every column.
    First,
    /// Drop the first category of columns with exactly two.
    IfBinary,
}

/// `OrdinalEncoder`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OrdinalEncoder {
    /// A category not seen in training: an error (default) or `unknown_value`.
    pub handle_unknown: OrdinalUnknown,
    /// The code of an unknown category (needed with `use_encoded_value`; a number or NaN).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unknown_value: Option<f64>,
}

/// `OrdinalEncoder.handle_unknown`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrdinalUnknown {
    /// Fail the fold's fit.
    #[default]
    Error,
    /// Code it as `unknown_value`.
    UseEncodedValue,
}

/// A section fitted on some rows: ready to turn rows into model features.
#[derive(Debug, Clone, PartialEq)]
pub struct Fitted {
    // Filled in by the implementation.
}

impl Preprocess {
    /// Checks the section against the data's columns before any fit: every
    /// named column exists, each step can take what reaches it (no mean of
    /// text), and nothing text or missing reaches the model. Every problem is
    /// listed (at most 20), each naming the transformer, the column and the fix.
    pub fn check(&self, names: &[String], columns: &[Column]) -> Result<(), Vec<String>> {
        let _ = (names, columns);
        Ok(())
    }

    /// This section with grid key `key` (`preprocess__num__simpleimputer__strategy`) set to `value`.
    pub fn with_param(&self, key: &str, value: &ParamValue) -> Result<Preprocess, String> {
        let _ = value;
        Err(format!("{key}: not implemented yet"))
    }

    /// Learns every step's statistics from `rows` of `data` (a training fold).
    pub fn fit(&self, data: &Dataset, rows: &[usize]) -> Result<Fitted, String> {
        let _ = (data, rows);
        Ok(Fitted {})
    }
}

impl Fitted {
    /// Rows `rows` of `data` as the model's features (row-major). Fails on a
    /// category the fit never saw under `handle_unknown = "error"`.
    pub fn transform(&self, data: &Dataset, rows: &[usize]) -> Result<DenseMatrix<f64>, String> {
        Ok(data.features(rows))
    }
}

/// Without a `[preprocess]` section every column goes to the model as it
/// is: the columns that cannot (text, missing cells), each named, and the
/// section to paste that handles them ([`suggest`]).
pub fn check_without(names: &[String], columns: &[Column]) -> Result<(), String> {
    let _ = (names, columns);
    Ok(())
}

/// The section the data panel offers for these columns: one-hot encoding
/// (missing as its own category... see implementation) for text columns,
/// median imputing for numeric columns with blanks, the rest passed through.
pub fn suggest(names: &[String], columns: &[Column]) -> Option<Preprocess> {
    let _ = (names, columns);
    None
}
