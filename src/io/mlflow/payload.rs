//! What goes in MLflow's request bodies, within the server's limits: batches
//! of params, metrics and tags (100 params or tags, 1000 metrics, 1000
//! entities, 1 MB per `log-batch`), keys and values cut to their lengths
//! (param values 6000 characters, tag values 8000, keys 250), the dataset
//! inputs as `mlflow.data.from_pandas` logs them, and a candidate's metrics.

use serde_json::{Value, json};

use crate::core::params::Params;
use crate::core::results::SearchResults;
use crate::io::lineage::Lineage;
use crate::io::services::RunStatus;

/// Params or tags per `log-batch` request (MLflow's `MAX_PARAMS_TAGS_PER_BATCH`).
pub const MAX_PARAMS_TAGS_PER_BATCH: usize = 100;
/// Metrics per `log-batch` request (`MAX_METRICS_PER_BATCH`).
pub const MAX_METRICS_PER_BATCH: usize = 1000;
/// Params, tags and metrics together per request (`MAX_ENTITIES_PER_BATCH`).
pub const MAX_ENTITIES_PER_BATCH: usize = 1000;
/// Bytes per `log-batch` request (`MAX_BATCH_LOG_REQUEST_SIZE`), with room to spare.
pub const MAX_BATCH_BYTES: usize = 900_000;
/// Characters in a param value (`MAX_PARAM_VAL_LENGTH`).
pub const MAX_PARAM_VALUE: usize = 6000;
/// Characters in a tag value (`MAX_TAG_VAL_LENGTH`).
pub const MAX_TAG_VALUE: usize = 8000;
/// Characters in a param, metric or tag key (`MAX_ENTITY_KEY_LENGTH`).
pub const MAX_KEY: usize = 250;
/// Characters in an input tag value (`MAX_INPUT_TAG_VALUE_SIZE`).
pub const MAX_INPUT_TAG_VALUE: usize = 500;
/// The datasets' `mlflow.data.context` tag: what they were used for.
pub const DATASET_CONTEXT: &str = "Tuning";

/// MLflow's run status names.
pub(super) fn status_name(status: RunStatus) -> &'static str {
    match status {
        RunStatus::Finished => "FINISHED",
        RunStatus::Failed => "FAILED",
        RunStatus::Killed => "KILLED",
    }
}

/// A child run's name from its params: `alpha=0.1, fit_intercept=True`.
pub(super) fn candidate_run_name(index: usize, params: &Params) -> String {
    if params.is_empty() {
        return format!("candidate {index}");
    }
    let name: Vec<String> = params.iter().map(|(k, v)| format!("{k}={v}")).collect();
    truncate(&name.join(", "), MAX_KEY)
}

/// A candidate's row of `cv_results_` as metrics, in scikit-learn's names.
pub(super) fn candidate_metrics(results: &SearchResults, c: usize) -> Vec<(String, f64)> {
    let r = &results.cv_results;
    let mut m = vec![
        ("mean_test_score".to_string(), r.mean_test_score[c]),
        ("std_test_score".into(), r.std_test_score[c]),
        ("rank_test_score".into(), r.rank_test_score[c] as f64),
    ];
    for (k, s) in r.split_test_scores[c].iter().enumerate() {
        m.push((format!("split{k}_test_score"), *s));
    }
    m.push(("mean_fit_time".into(), r.mean_fit_time[c]));
    m.push(("std_fit_time".into(), r.std_fit_time[c]));
    m.push(("mean_score_time".into(), r.mean_score_time[c]));
    m.push(("std_score_time".into(), r.std_score_time[c]));
    if let (Some(split), Some(mean), Some(std)) = (&r.split_train_scores, &r.mean_train_score, &r.std_train_score) {
        for (k, s) in split[c].iter().enumerate() {
            m.push((format!("split{k}_train_score"), *s));
        }
        m.push(("mean_train_score".into(), mean[c]));
        m.push(("std_train_score".into(), std[c]));
    }
    m
}

/// The `log-batch` bodies for these entities, each within MLflow's limits.
pub(super) fn batch_bodies(
    run_id: &str,
    params: &[(String, String)],
    metrics: &[(String, f64)],
    tags: &[(String, String)],
    timestamp: i64,
) -> Vec<Value> {
    let empty = || json!({ "run_id": run_id, "params": [], "metrics": [], "tags": [] });
    let size = |v: &Value| v.to_string().len();
    let mut bodies = Vec::new();
    let mut body = empty();
    let mut bytes = size(&body);
    let mut counts = (0usize, 0usize, 0usize); // params, metrics, tags
    let entities = params
        .iter()
        .map(|(k, v)| ("params", json!({ "key": k, "value": v })))
        .chain(metrics.iter().map(|(k, v)| {
            ("metrics", json!({ "key": k, "value": metric_value(*v), "timestamp": timestamp, "step": 0 }))
        }))
        .chain(tags.iter().map(|(k, v)| ("tags", json!({ "key": k, "value": v }))));
    for (kind, entity) in entities {
        let n = size(&entity) + 1;
        let full = match kind {
            "params" => counts.0 == MAX_PARAMS_TAGS_PER_BATCH,
            "metrics" => counts.1 == MAX_METRICS_PER_BATCH,
            _ => counts.2 == MAX_PARAMS_TAGS_PER_BATCH,
        } || counts.0 + counts.1 + counts.2 == MAX_ENTITIES_PER_BATCH
            || bytes + n > MAX_BATCH_BYTES;
        if full {
            bodies.push(std::mem::replace(&mut body, empty()));
            bytes = size(&body);
            counts = (0, 0, 0);
        }
        match kind {
            "params" => counts.0 += 1,
            "metrics" => counts.1 += 1,
            _ => counts.2 += 1,
        }
        bytes += n;
        body[kind].as_array_mut().expect("an array").push(entity);
    }
    if counts != (0, 0, 0) {
        bodies.push(body);
    }
    bodies
}

/// A metric value as MLflow's JSON takes it (protobuf's `"NaN"` and `"Infinity"`).
fn metric_value(x: f64) -> Value {
    if x.is_nan() {
        json!("NaN")
    } else if x.is_infinite() {
        json!(if x > 0.0 { "Infinity" } else { "-Infinity" })
    } else {
        json!(x)
    }
}

/// One `runs/log-inputs` dataset input, as `mlflow.data.from_pandas(df, source=...)` logs it.
pub(super) fn dataset_input(l: &Lineage, context: &str) -> Value {
    let (source_type, source) = dataset_source(&l.source);
    let colspec: Vec<String> = l
        .schema
        .iter()
        .map(|(name, ty, required)| {
            let required = if *required { "true" } else { "false" };
            format!("{{\"type\": {}, \"name\": {}, \"required\": {required}}}", py_str(ty), py_str(name))
        })
        .collect();
    json!({
        "tags": [
            { "key": "mlflow.data.context", "value": truncate(context, MAX_INPUT_TAG_VALUE) },
            { "key": "tuna.sha256", "value": l.sha256 },
        ],
        "dataset": {
            "name": l.name,
            "digest": l.digest,
            "source_type": source_type,
            "source": source,
            "schema": format!("{{\"mlflow_colspec\": [{}]}}", colspec.join(", ")),
            "profile": format!("{{\"num_rows\": {}, \"num_elements\": {}}}", l.num_rows, l.num_elements),
        },
    })
}

/// MLflow's source type and source JSON for a dataset read from `source`:
/// `http` with `{"url": ...}` for a URL, else `local` with `{"uri": ...}`
/// (what `mlflow.data.from_pandas(df, source=...)` records).
pub(super) fn dataset_source(source: &str) -> (&'static str, String) {
    if source.starts_with("http://") || source.starts_with("https://") {
        ("http", format!("{{\"url\": {}}}", py_str(source)))
    } else {
        ("local", format!("{{\"uri\": {}}}", py_str(source)))
    }
}

/// A JSON string as Python's `json.dumps` writes it (`ensure_ascii`), so the
/// stored text equals what MLflow's Python client stores.
pub(super) fn py_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || (c as u32) > 0x7e => {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{u:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A (key, value) tag within MLflow's key and value limits.
pub(super) fn tag(key: &str, value: &str) -> (String, String) {
    (key_name(key), truncate(value, MAX_TAG_VALUE))
}

/// A (key, value) param within MLflow's key and value limits.
pub(super) fn param(key: &str, value: &str) -> (String, String) {
    (key_name(key), truncate(value, MAX_PARAM_VALUE))
}

/// A key MLflow accepts: letters, digits, `_ - . / :` and spaces, at most 250 characters.
fn key_name(key: &str) -> String {
    let k: String = key
        .chars()
        .map(|c| if c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '/' | ':' | ' ') { c } else { '_' })
        .collect();
    truncate(&k, MAX_KEY)
}

pub(super) fn tags_json(tags: &[(String, String)]) -> Value {
    Value::Array(tags.iter().map(|(k, v)| json!({ "key": k, "value": v })).collect())
}

/// At most `max` characters (MLflow counts characters), marking a cut.
pub(super) fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mark = "...";
    let mut t: String = s.chars().take(max - mark.len()).collect();
    t.push_str(mark);
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_stay_within_the_servers_limits() {
        let params: Vec<(String, String)> = (0..250).map(|i| (format!("p{i}"), "v".into())).collect();
        let metrics: Vec<(String, f64)> = (0..2500).map(|i| (format!("m{i}"), i as f64)).collect();
        let tags: Vec<(String, String)> = (0..120).map(|i| (format!("t{i}"), "v".into())).collect();
        let bodies = batch_bodies("r", &params, &metrics, &tags, 1);
        let count = |b: &Value, k: &str| b[k].as_array().unwrap().len();
        for b in &bodies {
            assert!(count(b, "params") <= 100 && count(b, "tags") <= 100 && count(b, "metrics") <= 1000);
            assert!(count(b, "params") + count(b, "tags") + count(b, "metrics") <= 1000);
            assert!(b.to_string().len() <= 1_000_000);
        }
        let total = |k: &str| bodies.iter().map(|b| count(b, k)).sum::<usize>();
        assert_eq!((total("params"), total("metrics"), total("tags")), (250, 2500, 120));
        // Long values: the 1 MB cap splits them too.
        // (100 params and 100 tags fit one request by count, not by size.)
        let big: Vec<(String, String)> = (0..100).map(|i| (format!("k{i}"), "x".repeat(MAX_PARAM_VALUE))).collect();
        let big_tags: Vec<(String, String)> = (0..100).map(|i| (format!("k{i}"), "x".repeat(MAX_TAG_VALUE))).collect();
        let bodies = batch_bodies("r", &big, &[], &big_tags, 1);
        assert!(bodies.len() >= 2 && bodies.iter().all(|b| b.to_string().len() <= 1_000_000));
        assert!(batch_bodies("r", &[], &[], &[], 1).is_empty());
    }

    #[test]
    fn keys_and_values_are_cut_to_mlflows_limits() {
        let (k, v) = param(&"k".repeat(300), &"v".repeat(7000));
        assert_eq!((k.chars().count(), v.chars().count()), (MAX_KEY, MAX_PARAM_VALUE));
        assert!(v.ends_with("..."));
        assert_eq!(tag("a b/c:d.e-f_g", "x").0, "a b/c:d.e-f_g");
        assert_eq!(tag("what?{x}", "x").0, "what__x_");
    }

    #[test]
    fn json_strings_are_written_as_pythons_json_dumps() {
        assert_eq!(py_str("température"), "\"temp\\u00e9rature\"");
        assert_eq!(py_str("a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"");
        assert_eq!(py_str("🐟"), "\"\\ud83d\\udc1f\"");
    }
}
