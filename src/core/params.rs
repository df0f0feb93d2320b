//! Hyperparameter values and candidate parameter sets.
//!
//! A candidate is a `Params` map, sorted by name like scikit-learn's
//! `ParameterGrid`, so `cv_results.params` lists keys in the same order.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// One hyperparameter value as written in a config: TOML and JSON scalars.
///
/// Integers stay integers (`max_depth = 3` is not `3.0`), so a model can
/// reject a float where it needs a count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ParamValue {
    /// `true` / `false`.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// A real number (NaN allowed only where a model accepts it).
    Float(f64),
    /// A string such as `"sqrt"` or `"distance"`.
    Str(String),
    /// A table of values by key, Python's dict: `class_weight = { 0 = 1, 1 = 5 }`.
    Dict(BTreeMap<String, ParamValue>),
}

/// A set of hyperparameters: fixed ones from the model config, or one grid candidate.
pub type Params = BTreeMap<String, ParamValue>;

impl ParamValue {
    /// The value as JSON, for building typed hyperparameter structs with serde.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            ParamValue::Bool(b) => serde_json::Value::Bool(*b),
            ParamValue::Int(i) => serde_json::Value::from(*i),
            ParamValue::Float(f) => serde_json::Number::from_f64(*f)
                .map(serde_json::Value::Number)
                // serde_json has no NaN: a NaN parameter reaches the model as null
                // and the model's own check names it.
                .unwrap_or(serde_json::Value::Null),
            ParamValue::Str(s) => serde_json::Value::String(s.clone()),
            ParamValue::Dict(d) => serde_json::Value::Object(d.iter().map(|(k, v)| (k.clone(), v.to_json())).collect()),
        }
    }

    /// As `to_json`, with the string `"None"` as null: Python's `None`, which a
    /// setting such as `max_depth` takes.
    pub fn to_json_none(&self) -> serde_json::Value {
        match self {
            ParamValue::Str(s) if s == "None" => serde_json::Value::Null,
            other => other.to_json(),
        }
    }

    /// The value as a number, if it is one (used by numeric ranges and `error_score`).
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            ParamValue::Int(i) => Some(*i as f64),
            ParamValue::Float(f) => Some(*f),
            _ => None,
        }
    }
}

impl fmt::Display for ParamValue {
    /// Python's spelling, so run names and CSV cells read like scikit-learn's.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParamValue::Bool(true) => write!(f, "True"),
            ParamValue::Bool(false) => write!(f, "False"),
            ParamValue::Int(i) => write!(f, "{i}"),
            ParamValue::Float(x) => write!(f, "{}", python_float(*x)),
            ParamValue::Str(s) => write!(f, "{s}"),
            ParamValue::Dict(d) => {
                // Keys that read as numbers (class labels) unquoted, as Python prints `{0: 1, 1: 5}`.
                let key = |k: &str| if k.parse::<f64>().is_ok() { k.to_string() } else { format!("'{k}'") };
                let items: Vec<String> = d.iter().map(|(k, v)| format!("{}: {}", key(k), python_value(v))).collect();
                write!(f, "{{{}}}", items.join(", "))
            }
        }
    }
}

/// A value inside a Python literal: strings quoted, `None` bare.
fn python_value(v: &ParamValue) -> String {
    match v {
        ParamValue::Str(s) if s == "None" => "None".into(),
        ParamValue::Str(s) => format!("'{s}'"),
        other => other.to_string(),
    }
}

/// Formats a float the way Python's `repr` does for common values (`1.0`, `0.001`, `1e-05`).
pub fn python_float(x: f64) -> String {
    if x.is_nan() {
        return "nan".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf".into() } else { "-inf".into() };
    }
    let abs = x.abs();
    if abs != 0.0 && !(1e-4..1e16).contains(&abs) {
        // Python switches to exponent notation outside [1e-4, 1e16).
        let s = format!("{x:e}");
        let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
        let exp: i32 = exp.parse().unwrap_or(0);
        let sign = if exp < 0 { '-' } else { '+' };
        return format!("{mantissa}e{sign}{:02}", exp.abs());
    }
    let s = format!("{x}");
    if s.contains('.') { s } else { format!("{s}.0") }
}

/// Renders params as a Python dict literal, e.g. `{'alpha': 0.1, 'kernel': 'rbf'}`,
/// the form scikit-learn prints in `cv_results_['params']`.
pub fn params_to_python(params: &Params) -> String {
    let items: Vec<String> = params.iter().map(|(k, v)| format!("'{k}': {}", python_value(v))).collect();
    format!("{{{}}}", items.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_like_python() {
        assert_eq!(python_float(1.0), "1.0");
        assert_eq!(python_float(0.001), "0.001");
        assert_eq!(python_float(1e-5), "1e-05");
        assert_eq!(python_float(2.5e20), "2.5e+20");
        assert_eq!(python_float(-3.25), "-3.25");
    }

    #[test]
    fn params_render_as_python_dict() {
        let mut p = Params::new();
        p.insert("kernel".into(), ParamValue::Str("rbf".into()));
        p.insert("C".into(), ParamValue::Float(10.0));
        p.insert("fit_intercept".into(), ParamValue::Bool(false));
        assert_eq!(params_to_python(&p), "{'C': 10.0, 'fit_intercept': False, 'kernel': 'rbf'}");
    }

    #[test]
    fn tables_render_as_python_dicts() {
        let weights: ParamValue = serde_json::from_str(r#"{"0": 1, "1": 5.5}"#).unwrap();
        let named: ParamValue = serde_json::from_str(r#"{"no": 1, "yes": 2}"#).unwrap();
        let p = Params::from([("class_weight".to_string(), weights), ("w".to_string(), named)]);
        assert_eq!(params_to_python(&p), "{'class_weight': {0: 1, 1: 5.5}, 'w': {'no': 1, 'yes': 2}}");
    }

    #[test]
    fn integers_stay_integers_when_parsed() {
        let v: ParamValue = serde_json::from_str("3").unwrap();
        assert_eq!(v, ParamValue::Int(3));
        let v: ParamValue = serde_json::from_str("3.0").unwrap();
        assert_eq!(v, ParamValue::Float(3.0));
    }
}
