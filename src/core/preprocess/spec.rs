//! The section as written: serde types tagged on `KIND`, with scikit-learn's
//! parameter names and defaults, and the names `make_pipeline` gives steps.

use serde::{Deserialize, Serialize};
use strum::{IntoStaticStr, VariantNames};

use crate::core::catalog::Family;
use crate::core::params::ParamValue;

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
#[derive(Debug, Clone, PartialEq, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Steps {
    /// `"passthrough"`: the columns as they are.
    Passthrough(PassthroughWord),
    /// A pipeline of steps (`make_pipeline(...)`).
    Pipeline(Vec<Step>),
}

/// Reads a setting written as one word or as a list (`steps = "passthrough"`
/// or `steps = [...]`). An untagged enum would only say that the value "does
/// not fit the expected shape"; this keeps serde's own message for a mistake
/// in the list (an unknown step KIND, a wrong setting) and names the words.
struct WordOrList<W, T> {
    expecting: &'static str,
    word: fn(&str) -> Option<W>,
    list: fn(Vec<T>) -> W,
}

impl<'de, W, T: Deserialize<'de>> serde::de::Visitor<'de> for WordOrList<W, T> {
    type Value = W;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(self.expecting)
    }

    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<W, E> {
        (self.word)(s).ok_or_else(|| E::invalid_value(serde::de::Unexpected::Str(s), &self))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<W, A::Error> {
        Vec::<T>::deserialize(serde::de::value::SeqAccessDeserializer::new(seq)).map(self.list)
    }
}

impl<'de> Deserialize<'de> for Steps {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Steps, D::Error> {
        de.deserialize_any(WordOrList::<Steps, Step> {
            expecting: "\"passthrough\" or a list of steps such as [{ KIND = \"StandardScaler\" }]",
            word: |s| (s == "passthrough").then_some(Steps::Passthrough(PassthroughWord::Passthrough)),
            list: Steps::Pipeline,
        })
    }
}

impl<'de> Deserialize<'de> for Columns {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Columns, D::Error> {
        de.deserialize_any(WordOrList::<Columns, String> {
            expecting: "a list of column names, or \"numeric\" or \"categorical\" (every column of that type)",
            word: |s| match s {
                "numeric" => Some(Columns::Selector(Selector::Numeric)),
                "categorical" => Some(Columns::Selector(Selector::Categorical)),
                _ => None,
            },
            list: Columns::Names,
        })
    }
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

/// Why a table is no `SimpleImputer` `fill_value` (the check and the fit both say it).
pub(super) const TABLE_FILL: &str = "SimpleImputer fill_value is a table; it takes one number or one text, e.g. fill_value = 0 or fill_value = \"missing\"";

/// `SimpleImputer`: scikit-learn's settings and defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SimpleImputer {
    /// `"mean"` (default), `"median"`, `"most_frequent"` or `"constant"`.
    pub strategy: ImputeStrategy,
    /// The value `"constant"` fills in; unset: 0 for numbers, `"missing_value"` for text.
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
    #[serde(with = "code_or_nan")]
    pub unknown_value: Option<f64>,
}

/// `unknown_value` may be NaN (scikit-learn's `np.nan`, TOML's `nan`), which
/// JSON cannot hold (serde_json writes it as null, which would read back as
/// unset in a worker): it is written as the string `"nan"` and read from a
/// number or that string.
mod code_or_nan {
    use serde::de::{self, Deserializer, Visitor};
    use serde::ser::Serializer;

    pub fn serialize<S: Serializer>(value: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(x) if x.is_nan() => s.serialize_some("nan"),
            Some(x) => s.serialize_some(x),
            None => s.serialize_none(),
        }
    }

    struct Code;

    impl<'de> Visitor<'de> for Code {
        type Value = Option<f64>;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a whole number or nan")
        }

        fn visit_f64<E: de::Error>(self, x: f64) -> Result<Self::Value, E> {
            Ok(Some(x))
        }

        fn visit_i64<E: de::Error>(self, x: i64) -> Result<Self::Value, E> {
            Ok(Some(x as f64))
        }

        fn visit_u64<E: de::Error>(self, x: u64) -> Result<Self::Value, E> {
            Ok(Some(x as f64))
        }

        fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
            if s.eq_ignore_ascii_case("nan") {
                Ok(Some(f64::NAN))
            } else {
                Err(E::invalid_value(de::Unexpected::Str(s), &self))
            }
        }

        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(Code)
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
        d.deserialize_option(Code)
    }
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

impl Step {
    /// The scikit-learn class name (`SimpleImputer`).
    pub fn kind(&self) -> &'static str {
        self.into()
    }

    /// The parameters KIND `kind` takes, each with whether it takes Python's
    /// `None` (an unset option), in scikit-learn's order. Grid keys and their
    /// errors list these; a test keeps them equal to the serde fields.
    pub fn params_of(kind: &str) -> &'static [(&'static str, bool)] {
        match kind {
            "SimpleImputer" => &[("strategy", false), ("fill_value", true)],
            "StandardScaler" => &[("with_mean", false), ("with_std", false)],
            "MinMaxScaler" => &[("feature_range", false)],
            "OneHotEncoder" => &[("handle_unknown", false), ("drop", true)],
            "OrdinalEncoder" => &[("handle_unknown", false), ("unknown_value", true)],
            _ => &[],
        }
    }
}

impl Steps {
    /// The pipeline's steps; none for `"passthrough"`.
    pub fn steps(&self) -> &[Step] {
        match self {
            Steps::Passthrough(_) => &[],
            Steps::Pipeline(steps) => steps,
        }
    }
}

/// The names `make_pipeline` gives `steps`: the class name in lower case, and
/// for a class that appears more than once, `-1`, `-2`, ... in order
/// (`simpleimputer-1`, `simpleimputer-2`), so grid keys are scikit-learn's.
pub fn step_names(steps: &[Step]) -> Vec<String> {
    let lower: Vec<String> = steps.iter().map(|s| s.kind().to_lowercase()).collect();
    let mut seen = std::collections::HashMap::<&str, usize>::new();
    lower
        .iter()
        .map(|name| {
            if lower.iter().filter(|n| *n == name).count() == 1 {
                return name.clone();
            }
            let k = seen.entry(name.as_str()).or_insert(0);
            *k += 1;
            format!("{name}-{k}")
        })
        .collect()
}

impl Selector {
    /// The word as written in a config.
    pub fn word(self) -> &'static str {
        match self {
            Selector::Numeric => "numeric",
            Selector::Categorical => "categorical",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_kinds_are_numbered_as_make_pipeline_numbers_them() {
        let imputer = || Step::SimpleImputer(SimpleImputer::default());
        let steps = [imputer(), Step::StandardScaler(StandardScaler::default()), imputer()];
        assert_eq!(step_names(&steps), ["simpleimputer-1", "standardscaler", "simpleimputer-2"]);
        assert_eq!(step_names(&steps[..2]), ["simpleimputer", "standardscaler"]);
    }

    /// NaN crosses JSON (the page sends the plan to its workers as JSON) as "nan".
    #[test]
    fn an_unknown_value_of_nan_survives_json() {
        let nan = Step::OrdinalEncoder(OrdinalEncoder {
            handle_unknown: OrdinalUnknown::UseEncodedValue,
            unknown_value: Some(f64::NAN),
        });
        let json = serde_json::to_string(&nan).unwrap();
        assert_eq!(json, r#"{"KIND":"OrdinalEncoder","handle_unknown":"use_encoded_value","unknown_value":"nan"}"#);
        let Step::OrdinalEncoder(back) = serde_json::from_str::<Step>(&json).unwrap() else { panic!("ordinal") };
        assert!(back.unknown_value.is_some_and(f64::is_nan));
        let minus_one: Step = serde_json::from_str(r#"{"KIND":"OrdinalEncoder","unknown_value":-1}"#).unwrap();
        assert_eq!(
            minus_one,
            Step::OrdinalEncoder(OrdinalEncoder { unknown_value: Some(-1.0), ..OrdinalEncoder::default() })
        );
        let unset: Step = serde_json::from_str(r#"{"KIND":"OrdinalEncoder","unknown_value":null}"#).unwrap();
        assert_eq!(unset, Step::OrdinalEncoder(OrdinalEncoder::default()));
        let e = serde_json::from_str::<Step>(r#"{"KIND":"OrdinalEncoder","unknown_value":"x"}"#).unwrap_err();
        assert!(e.to_string().contains("expected a whole number or nan"), "{e}");
    }

    /// The parameter table lists exactly the fields serde reads and writes.
    #[test]
    fn the_parameter_table_is_the_serde_fields() {
        let full = [
            Step::SimpleImputer(SimpleImputer {
                strategy: ImputeStrategy::Constant,
                fill_value: Some(ParamValue::Int(0)),
            }),
            Step::StandardScaler(StandardScaler::default()),
            Step::MinMaxScaler(MinMaxScaler::default()),
            Step::OneHotEncoder(OneHotEncoder { handle_unknown: HandleUnknown::Ignore, drop: Some(Drop::First) }),
            Step::OrdinalEncoder(OrdinalEncoder {
                handle_unknown: OrdinalUnknown::UseEncodedValue,
                unknown_value: Some(-1.0),
            }),
        ];
        assert_eq!(full.len(), Step::kinds().len(), "one full example per KIND");
        for step in &full {
            let serde_json::Value::Object(fields) = serde_json::to_value(step).unwrap() else { panic!("an object") };
            let mut fields: Vec<&str> = fields.keys().map(String::as_str).filter(|k| *k != "KIND").collect();
            let mut table: Vec<&str> = Step::params_of(step.kind()).iter().map(|(p, _)| *p).collect();
            fields.sort_unstable();
            table.sort_unstable();
            assert_eq!(fields, table, "{}", step.kind());
        }
    }
}
