//! Values as typed into the form's fields and as it shows them: TOML
//! scalars, bare strings, lists and scipy-style distribution calls.

use serde_json::Value as Json;
use strum::VariantNames;
use toml::{Table, Value};

use crate::core::params::ParamValue;
use crate::core::searchers::Distribution;

/// `RandomCVSearcher` distributions, written as scipy's calls: `loguniform(0.001, 1000)`.
const DISTRIBUTIONS: &[&str] = Distribution::VARIANTS;

/// A value typed into a field: TOML (`3`, `0.5`, `true`, `"x"`, `nan`), or
/// the text itself as a string (`sqrt`). `None` for empty text.
pub fn parse_scalar(text: &str) -> Option<Value> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    let parsed = if t.contains('\n') { None } else { toml::from_str::<Table>(&format!("v = {t}")).ok() };
    Some(match parsed.and_then(|mut table| table.remove("v")) {
        Some(v) if !v.is_table() && !v.is_datetime() => v,
        _ => Value::String(t.to_string()),
    })
}

/// A value as the form shows it: strings bare unless they would read back
/// as something else, lists as `a, b, c`.
pub(super) fn display(value: &Value) -> String {
    match value {
        Value::String(s) => match parse_scalar(s) {
            Some(Value::String(back)) if back == *s && !s.contains(',') => s.clone(),
            _ => value.to_string(),
        },
        Value::Array(items) => items.iter().map(display).collect::<Vec<_>>().join(", "),
        Value::Table(t) => match (t.get("distribution").and_then(Value::as_str), t.get("low"), t.get("high")) {
            (Some(d), Some(low), Some(high)) => format!("{d}({}, {})", display(low), display(high)),
            _ => value.to_string(),
        },
        other => other.to_string(),
    }
}

pub(super) fn display_param(value: &ParamValue) -> String {
    Value::try_from(value).map(|v| display(&v)).unwrap_or_default()
}

/// A default as the form shows it; `None` for unset options, as scikit-learn prints them.
pub(super) fn display_json(value: &Json) -> String {
    match value {
        Json::Null => "None".into(),
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A row's values: a list (`3, 5, 7`, brackets optional) or, for a random
/// search, a distribution (`loguniform(0.001, 1000)`).
pub(super) fn parse_space(text: &str, random: bool) -> Result<Value, String> {
    let t = text.trim();
    if let Some(distribution) = parse_distribution(t)? {
        if !random {
            return Err(format!(
                "`{t}`: distributions need the RandomCVSearcher; a grid lists values, e.g. 0.1, 1, 10"
            ));
        }
        return Ok(distribution);
    }
    let inner = t.strip_prefix('[').and_then(|s| s.strip_suffix(']')).unwrap_or(t);
    let items: Vec<Value> = split_list(inner).into_iter().filter_map(parse_scalar).collect();
    if items.is_empty() {
        return Err("give at least one value, e.g. 3, 5, 7".into());
    }
    Ok(Value::Array(items))
}

/// `loguniform(0.001, 1000)` as the config's `{ distribution, low, high }`;
/// `None` when the text is not a distribution call.
fn parse_distribution(text: &str) -> Result<Option<Value>, String> {
    let Some((name, rest)) = text.split_once('(') else { return Ok(None) };
    let name = name.trim();
    if !DISTRIBUTIONS.contains(&name) {
        return Ok(None);
    }
    let usage = format!("`{text}`: write {name}(low, high) with two numbers, e.g. {name}(1, 100)");
    let args = rest.trim_end().strip_suffix(')').ok_or_else(|| usage.clone())?;
    let bounds: Vec<Value> = split_list(args).into_iter().filter_map(parse_scalar).collect();
    let bound = |v: &Value| match (name, v) {
        ("randint", Value::Integer(i)) => Some(Value::Integer(*i)),
        ("randint", _) => None,
        (_, Value::Integer(i)) => Some(Value::Float(*i as f64)),
        (_, Value::Float(f)) => Some(Value::Float(*f)),
        _ => None,
    };
    match bounds.as_slice() {
        [low, high] => match (bound(low), bound(high)) {
            (Some(low), Some(high)) => Ok(Some(Value::Table(Table::from_iter([
                ("distribution".to_string(), Value::String(name.into())),
                ("low".to_string(), low),
                ("high".to_string(), high),
            ])))),
            _ => Err(usage),
        },
        _ => Err(usage),
    }
}

/// Splits at commas outside quotes; empty items (a trailing comma) are dropped.
fn split_list(text: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let (mut start, mut quote) = (0, None);
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, ',') => {
                items.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&text[start..]);
    items.into_iter().map(str::trim).filter(|s| !s.is_empty()).collect()
}
