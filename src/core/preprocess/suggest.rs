//! The section Tuna offers for a table it cannot hand a model as it is, and
//! any section as the TOML a person pastes into a job config.
//!
//! The suggestion:
//! - text columns: `OneHotEncoder(handle_unknown="ignore")` alone, since it
//!   makes missing a category of its own (no imputer needed) and a category
//!   seen only in a test fold gives zeros instead of failing the fold;
//! - numeric columns with blanks: `SimpleImputer(strategy="median")`, robust
//!   to the skewed columns real tables have;
//! - complete numeric columns: a `"passthrough"` transformer naming them.
//!   Not `remainder = "passthrough"`: the remainder would also pass the
//!   columns left out below, and named columns show what goes to the model;
//! - left out, with the reason: a text column with very many distinct values
//!   (an id, a date: more than 100, or more than 10 and over half the rows),
//!   whose one-hot columns would not carry over to new rows, and a column
//!   with no value at all.

use super::spec::{
    ColumnTransformer, HandleUnknown, ImputeStrategy, OneHotEncoder, PassthroughWord, SimpleImputer, Transformer,
};
use super::spec::{Columns, Preprocess, Remainder, Selector, Step, Steps};
use crate::core::catalog::Family;
use crate::core::frame::Column;
use crate::core::params::python_float;

/// A text column is left out above this many distinct values.
const MANY: usize = 100;
/// ... or above this many when they are more than half the rows.
const FEW: usize = 10;

/// A column the suggestion leaves out, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftOut {
    /// The column's name.
    pub column: String,
    /// Why, in a data scientist's words.
    pub reason: String,
}

/// The section offered for some columns, with the columns it leaves out.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// The section.
    pub preprocess: Preprocess,
    /// The columns no transformer takes, in file order.
    pub left_out: Vec<LeftOut>,
}

fn listed(names: &[&str]) -> String {
    let shown: Vec<String> = names.iter().take(5).map(|n| format!("`{n}`")).collect();
    match names.len() {
        n if n > 5 => format!("{} and {} more", shown.join(", "), n - 5),
        _ => shown.join(", "),
    }
}

impl Suggestion {
    /// What the section does, as a sentence without its full stop.
    pub fn summary(&self) -> String {
        let Preprocess::ColumnTransformer(ct) = &self.preprocess;
        let mut parts = Vec::new();
        for t in &ct.transformers {
            let Columns::Names(names) = &t.columns else { continue };
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            match t.steps.steps().first() {
                Some(Step::OneHotEncoder(_)) => {
                    parts.push(format!("one-hot encodes {} with blanks as a category of their own", listed(&names)));
                }
                Some(Step::SimpleImputer(_)) => {
                    let its = if names.len() == 1 { "its" } else { "each column's" };
                    parts.push(format!("fills the blanks of {} with {its} median", listed(&names)));
                }
                _ => parts.push(format!("passes {} through", listed(&names))),
            }
        }
        if !self.left_out.is_empty() {
            let names: Vec<&str> = self.left_out.iter().map(|l| l.column.as_str()).collect();
            parts.push(format!("leaves out {} (the comments say why)", listed(&names)));
        }
        let mut s = String::from("It ");
        match parts.len() {
            0 => s.push_str("selects no column"),
            1 => s.push_str(&parts[0]),
            n => {
                s.push_str(&parts[..n - 1].join(", "));
                s.push_str(" and ");
                s.push_str(&parts[n - 1]);
            }
        }
        s
    }

    /// The section as TOML, the left-out columns and their reasons as comments above it.
    pub fn to_toml(&self) -> String {
        let mut s = String::new();
        if !self.left_out.is_empty() {
            s.push_str("# Left out:\n");
            for l in &self.left_out {
                s.push_str(&format!("#   `{}`: {}\n", l.column, l.reason));
            }
        }
        s.push_str(&to_toml(&self.preprocess));
        s
    }
}

/// The section the data panel offers for these columns: one-hot encoding
/// (missing as its own category) for text columns, median imputing for
/// numeric columns with blanks, the rest passed through; `None` when every
/// column is numeric and complete. See [`suggest_with_reasons`].
pub fn suggest(names: &[String], columns: &[Column]) -> Option<Preprocess> {
    suggest_with_reasons(names, columns).map(|s| s.preprocess)
}

/// [`suggest`], with the columns it leaves out and why.
pub fn suggest_with_reasons(names: &[String], columns: &[Column]) -> Option<Suggestion> {
    if columns.iter().all(|c| c.is_numeric() && c.n_missing() == 0) {
        return None;
    }
    let (mut num, mut impute, mut cat, mut left_out) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (name, column) in names.iter().zip(columns) {
        let rows = column.len();
        let missing = column.n_missing();
        let mut leave = |reason: String| left_out.push(LeftOut { column: name.clone(), reason });
        if missing == rows && rows > 0 {
            leave("every cell is missing".into());
        } else if column.is_numeric() {
            if missing == 0 { num.push(name.clone()) } else { impute.push(name.clone()) }
        } else {
            let d = column.n_distinct();
            if d > MANY || (d > FEW && 2 * d > rows) {
                leave(format!(
                    "{d} distinct values in {rows} rows, like an id or a date: its one-hot columns would not carry \
                     over to new rows"
                ));
            } else {
                cat.push(name.clone());
            }
        }
    }
    let mut transformers = Vec::new();
    if !num.is_empty() {
        transformers.push(Transformer {
            name: "num".into(),
            columns: Columns::Names(num),
            steps: Steps::Passthrough(PassthroughWord::Passthrough),
        });
    }
    if !impute.is_empty() {
        let median = SimpleImputer { strategy: ImputeStrategy::Median, fill_value: None };
        transformers.push(Transformer {
            name: "impute".into(),
            columns: Columns::Names(impute),
            steps: Steps::Pipeline(vec![Step::SimpleImputer(median)]),
        });
    }
    if !cat.is_empty() {
        let one_hot = OneHotEncoder { handle_unknown: HandleUnknown::Ignore, drop: None };
        transformers.push(Transformer {
            name: "cat".into(),
            columns: Columns::Names(cat),
            steps: Steps::Pipeline(vec![Step::OneHotEncoder(one_hot)]),
        });
    }
    let preprocess = Preprocess::ColumnTransformer(ColumnTransformer { remainder: Remainder::Drop, transformers });
    Some(Suggestion { preprocess, left_out })
}

/// A TOML basic string: `"..."` with `"`, `\` and control characters escaped.
pub(super) fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A JSON value as a TOML value (a null inside a step is a NaN, which JSON cannot hold).
fn toml_value(value: &serde_json::Value) -> String {
    use serde_json::Value;
    match value {
        Value::Null => "nan".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) if n.is_i64() || n.is_u64() => n.to_string(),
        Value::Number(n) => python_float(n.as_f64().unwrap_or(f64::NAN)),
        Value::String(s) => toml_string(s),
        Value::Array(items) => format!("[{}]", items.iter().map(toml_value).collect::<Vec<_>>().join(", ")),
        Value::Object(map) => {
            let items: Vec<String> = map.iter().map(|(k, v)| format!("{k} = {}", toml_value(v))).collect();
            format!("{{ {} }}", items.join(", "))
        }
    }
}

/// A step as an inline table holding `KIND` and the settings that differ from its defaults.
fn step_table(step: &Step) -> String {
    let kind = step.kind();
    let serde_json::Value::Object(fields) = serde_json::to_value(step).unwrap_or_default() else {
        return format!("{{ KIND = {} }}", toml_string(kind));
    };
    let defaults = Step::defaults(kind).unwrap_or_default();
    let mut items = vec![format!("KIND = {}", toml_string(kind))];
    // In scikit-learn's parameter order (a JSON map sorts its keys).
    for (key, _) in Step::params_of(kind) {
        match fields.get(*key) {
            // `unknown_value` NaN serializes as "nan" (see spec.rs); TOML has a bare nan.
            Some(serde_json::Value::String(s)) if *key == "unknown_value" && s == "nan" => {
                items.push("unknown_value = nan".into())
            }
            Some(value) if defaults.get(*key) != Some(value) => items.push(format!("{key} = {}", toml_value(value))),
            _ => {}
        }
    }
    format!("{{ {} }}", items.join(", "))
}

/// Lines no longer than this where a list can wrap.
const WIDTH: usize = 88;

/// `key = [items]` on one line, or packed on indented lines when too long.
fn array(key: &str, items: &[String], one_per_line: bool) -> String {
    let one_line = format!("{key} = [{}]", items.join(", "));
    if !one_per_line && one_line.len() <= WIDTH {
        return one_line;
    }
    let mut s = format!("{key} = [\n");
    if one_per_line {
        for item in items {
            s.push_str(&format!("    {item},\n"));
        }
    } else {
        let mut line = String::new();
        for item in items {
            if !line.is_empty() && line.len() + item.len() + 2 > WIDTH - 4 {
                s.push_str(&format!("    {}\n", line.trim_end()));
                line.clear();
            }
            line.push_str(item);
            line.push_str(", ");
        }
        if !line.is_empty() {
            s.push_str(&format!("    {}\n", line.trim_end().trim_end_matches(',')));
        }
    }
    s.push(']');
    s
}

/// The `[preprocess]` section as a person would paste it: `[[preprocess.transformers]]`
/// tables, steps as inline tables with only their non-default settings.
pub fn to_toml(preprocess: &Preprocess) -> String {
    let Preprocess::ColumnTransformer(ct) = preprocess;
    let remainder = match ct.remainder {
        Remainder::Drop => "drop",
        Remainder::Passthrough => "passthrough",
    };
    let mut s = format!("[preprocess]\nKIND = \"ColumnTransformer\"\nremainder = {}\n", toml_string(remainder));
    for t in &ct.transformers {
        s.push_str("\n[[preprocess.transformers]]\n");
        s.push_str(&format!("name = {}\n", toml_string(&t.name)));
        match &t.columns {
            Columns::Selector(Selector::Numeric) => s.push_str("columns = \"numeric\"\n"),
            Columns::Selector(Selector::Categorical) => s.push_str("columns = \"categorical\"\n"),
            Columns::Names(names) => {
                let items: Vec<String> = names.iter().map(|n| toml_string(n)).collect();
                s.push_str(&array("columns", &items, false));
                s.push('\n');
            }
        }
        match &t.steps {
            Steps::Passthrough(_) => s.push_str("steps = \"passthrough\"\n"),
            Steps::Pipeline(steps) => {
                let items: Vec<String> = steps.iter().map(step_table).collect();
                s.push_str(&array("steps", &items, items.len() > 1));
                s.push('\n');
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::frame::ColumnType;
    use crate::core::preprocess::spec::{Drop, MinMaxScaler, OrdinalEncoder, OrdinalUnknown, StandardScaler};

    const NAN: f64 = f64::NAN;

    fn parse(text: &str) -> Preprocess {
        #[derive(serde::Deserialize)]
        struct Job {
            preprocess: Preprocess,
        }
        toml::from_str::<Job>(text).unwrap_or_else(|e| panic!("{e}\n{text}")).preprocess
    }

    fn bikes() -> (Vec<String>, Vec<Column>) {
        let n = 24;
        let names = ["dteday", "season", "temp", "hum", "weather", "empty"].map(String::from).to_vec();
        let columns = vec![
            Column::text(&(0..n).map(|d| Some(format!("2011-01-{:02}", d + 1))).collect::<Vec<_>>()),
            Column::Numbers { ty: ColumnType::Long, values: (0..n).map(|i| (i % 4 + 1) as f64).collect() },
            Column::numbers((0..n).map(|i| i as f64 / 10.0).collect()),
            Column::numbers((0..n).map(|i| if i % 5 == 0 { NAN } else { i as f64 }).collect()),
            Column::text(&(0..n).map(|i| [Some("clear"), Some("rain"), None][i % 3]).collect::<Vec<_>>()),
            Column::numbers(vec![NAN; n]),
        ];
        (names, columns)
    }

    #[test]
    fn nothing_is_suggested_for_complete_numbers() {
        let columns = vec![Column::numbers(vec![1.0, 2.0])];
        assert_eq!(suggest(&["x".to_string()], &columns), None);
    }

    #[test]
    fn text_is_one_hot_encoded_blanks_imputed_the_rest_passed_and_ids_left_out() {
        let (names, columns) = bikes();
        let s = suggest_with_reasons(&names, &columns).unwrap();
        let expected = r#"# Left out:
#   `dteday`: 24 distinct values in 24 rows, like an id or a date: its one-hot columns would not carry over to new rows
#   `empty`: every cell is missing
[preprocess]
KIND = "ColumnTransformer"
remainder = "drop"

[[preprocess.transformers]]
name = "num"
columns = ["season", "temp"]
steps = "passthrough"

[[preprocess.transformers]]
name = "impute"
columns = ["hum"]
steps = [{ KIND = "SimpleImputer", strategy = "median" }]

[[preprocess.transformers]]
name = "cat"
columns = ["weather"]
steps = [{ KIND = "OneHotEncoder", handle_unknown = "ignore" }]
"#;
        assert_eq!(s.to_toml(), expected);
        assert_eq!(parse(&s.to_toml()), s.preprocess, "the text reads back as the section");
        assert_eq!(
            s.summary(),
            "It passes `season`, `temp` through, fills the blanks of `hum` with its median, one-hot encodes `weather` \
             with blanks as a category of their own and leaves out `dteday`, `empty` (the comments say why)"
        );
        assert!(s.preprocess.check(&names, &columns).is_ok(), "the suggestion passes the check");
    }

    #[test]
    fn to_toml_writes_only_settings_that_differ_and_reads_back() {
        let p = parse(
            r#"
            [preprocess]
            KIND = "ColumnTransformer"
            remainder = "passthrough"
            [[preprocess.transformers]]
            name = "we\"ird"
            columns = "numeric"
            steps = [{ KIND = "SimpleImputer", strategy = "constant", fill_value = -1 }, { KIND = "StandardScaler", with_mean = false }, { KIND = "MinMaxScaler", feature_range = [-1, 1.5] }]
            [[preprocess.transformers]]
            name = "ord"
            columns = "categorical"
            steps = [{ KIND = "OrdinalEncoder", handle_unknown = "use_encoded_value", unknown_value = nan }, { KIND = "OneHotEncoder", drop = "if_binary" }]
            "#,
        );
        let text = to_toml(&p);
        assert!(text.contains("name = \"we\\\"ird\"\ncolumns = \"numeric\"\nsteps = [\n    { KIND = \"SimpleImputer\", strategy = \"constant\", fill_value = -1 },\n    { KIND = \"StandardScaler\", with_mean = false },\n    { KIND = \"MinMaxScaler\", feature_range = [-1.0, 1.5] },\n]\n"), "{text}");
        assert!(text.contains("unknown_value = nan"), "{text}");
        let back = parse(&text);
        let Preprocess::ColumnTransformer(ct) = &back;
        let Step::OrdinalEncoder(OrdinalEncoder {
            handle_unknown: OrdinalUnknown::UseEncodedValue,
            unknown_value: Some(v),
        }) = &ct.transformers[1].steps.steps()[0]
        else {
            panic!("{back:?}")
        };
        assert!(v.is_nan());
        assert_eq!(
            ct.transformers[1].steps.steps()[1],
            Step::OneHotEncoder(OneHotEncoder { handle_unknown: HandleUnknown::Error, drop: Some(Drop::IfBinary) })
        );
        assert_eq!(
            ct.transformers[0].steps.steps()[1],
            Step::StandardScaler(StandardScaler { with_mean: false, with_std: true })
        );
        assert_eq!(
            ct.transformers[0].steps.steps()[2],
            Step::MinMaxScaler(MinMaxScaler { feature_range: (-1.0, 1.5) })
        );
        assert_eq!(ct.remainder, Remainder::Passthrough);
    }

    #[test]
    fn long_column_lists_wrap() {
        let names: Vec<String> = (0..40).map(|j| format!("column_{j}")).collect();
        let columns: Vec<Column> = (0..40).map(|_| Column::numbers(vec![NAN, 1.0])).collect();
        let s = suggest(&names, &columns).unwrap();
        let text = to_toml(&s);
        assert!(text.lines().all(|l| l.len() <= WIDTH), "{text}");
        assert_eq!(parse(&text), s);
    }

    #[test]
    fn a_few_distinct_values_in_a_small_table_are_kept() {
        let names = vec!["grade".to_string()];
        let columns = vec![Column::text(&[Some("a"), Some("b"), Some("c")])];
        let s = suggest_with_reasons(&names, &columns).unwrap();
        assert!(s.left_out.is_empty(), "3 distinct values in 3 rows is a category, not an id");
    }
}
