//! Reading a section against the data's columns before any fit, so a job
//! that cannot run says why at once, every problem in one pass, each with
//! the transformer, the column and the fix (the TOML to paste where it helps).
//!
//! The check follows the columns' types through each transformer's steps as
//! scikit-learn would see them: a step sees one array, numeric only when all
//! its columns are numbers (so `SimpleImputer(strategy="mean")` on a
//! transformer that also takes a text column fails, as scikit-learn's does),
//! and what leaves the last step must be numbers with no missing cell.

use super::fit::select;
use super::spec::{
    ColumnTransformer, Columns, Drop, ImputeStrategy, OrdinalUnknown, Preprocess, Remainder, SimpleImputer, Step,
    Steps, Transformer, step_names,
};
use super::suggest::suggest_with_reasons;
use crate::core::frame::{Column, ColumnType};
use crate::core::params::{ParamValue, python_float};

/// Problems listed at most; the rest are counted.
const MAX_LISTED: usize = 20;

/// The fixes messages offer, as TOML to paste.
const ONE_HOT: &str = r#"{ KIND = "OneHotEncoder", handle_unknown = "ignore" }"#;
const MEDIAN: &str = r#"{ KIND = "SimpleImputer", strategy = "median" }"#;
const MOST_FREQUENT: &str = r#"{ KIND = "SimpleImputer", strategy = "most_frequent" }"#;

/// Names scikit-learn refuses for a transformer: `ColumnTransformer`'s own
/// parameters (`_validate_names`), `remainder` above all.
const RESERVED: &[&str] = &[
    "transformers",
    "remainder",
    "sparse_threshold",
    "n_jobs",
    "transformer_weights",
    "verbose",
    "verbose_feature_names_out",
    "force_int_remainder_cols",
];

/// What one column is, as it flows through a transformer's steps.
#[derive(Debug, Clone)]
struct Flow<'a> {
    /// The data column it comes from.
    name: &'a str,
    column: &'a Column,
    text: bool,
    /// Missing cells still missing at this point.
    missing: usize,
    /// The step that kept them missing (none: as read).
    kept_by: Option<&'static str>,
    /// Output columns it stands for (a one-hot column stands for several).
    width: usize,
    /// The dtype its numbers have (for `fill_value`'s cast rule).
    ty: ColumnType,
    /// `OrdinalEncoder(unknown_value=nan)` turns unseen categories into missing cells.
    unknown_nan: bool,
}

impl<'a> Flow<'a> {
    fn of(name: &'a str, column: &'a Column) -> Flow<'a> {
        Flow {
            name,
            column,
            text: !column.is_numeric(),
            missing: column.n_missing(),
            kept_by: None,
            width: 1,
            ty: column.column_type(),
            unknown_nan: false,
        }
    }

    fn all_missing(&self) -> bool {
        self.missing > 0 && self.missing == self.column.len()
    }
}

/// A text column's first value that is not a number (what made it text), for
/// messages, quoted: "`2011-01-01`"; a long one is cut, its length said.
pub(super) fn example(column: &Column) -> Option<String> {
    const SHOWN: usize = 40;
    let mut cells = (0..column.len()).filter_map(|r| column.text_at(r));
    let first = cells.clone().next();
    let cell = cells.find(|t| t.trim().parse::<f64>().is_err()).or(first)?;
    Some(match cell.char_indices().nth(SHOWN) {
        Some((cut, _)) => format!("`{}…` ({} characters)", &cell[..cut], cell.chars().count()),
        None => format!("`{cell}`"),
    })
}

/// A number as a person writes it: `0`, `-1`, `0.5`.
fn whole(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 9.0e15 { format!("{}", v as i64) } else { python_float(v) }
}

fn quoted<S: AsRef<str>>(names: &[S]) -> String {
    let shown: Vec<String> = names.iter().take(5).map(|n| format!("`{}`", n.as_ref())).collect();
    match names.len() {
        n if n > 5 => format!("{} and {} more", shown.join(", "), n - 5),
        _ => shown.join(", "),
    }
}

fn cells(n: usize) -> String {
    if n == 1 { "1 missing cell".into() } else { format!("{n} missing cells") }
}

/// A column as a message names it: "text column `dteday` (e.g. `2011-01-01`)".
fn text_column(name: &str, column: &Column) -> String {
    match example(column) {
        Some(e) => format!("text column `{name}` (e.g. {e})"),
        None => format!("text column `{name}`"),
    }
}

/// Edit distance, by characters, ignoring case.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (row[j + 1] + 1).min(row[j] + 1).min(prev + usize::from(ca != cb));
            prev = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

/// Up to three names close to `wanted` (a typo, another case, a part of it).
pub(super) fn close_names<'n>(wanted: &str, names: &'n [String]) -> Vec<&'n str> {
    let w = wanted.to_lowercase();
    let mut scored: Vec<(usize, usize, &str)> = names
        .iter()
        .enumerate()
        .filter_map(|(i, n)| {
            let d = distance(wanted, n);
            let lower = n.to_lowercase();
            let contains = w.len() >= 3 && lower.len() >= 3 && (lower.contains(&w) || w.contains(&lower));
            (d <= (wanted.chars().count() / 3).max(1) || contains).then_some((d, i, n.as_str()))
        })
        .collect();
    scored.sort_unstable();
    scored.into_iter().take(3).map(|(_, _, n)| n).collect()
}

fn unknown_column(transformer: &str, wanted: &str, names: &[String]) -> String {
    let close = close_names(wanted, names);
    let hint = if close.is_empty() {
        let shown: Vec<&String> = names.iter().take(10).collect();
        let more = if names.len() > 10 { format!(" and {} more", names.len() - 10) } else { String::new() };
        format!("the columns are {}{more}", quoted_all(&shown))
    } else {
        format!("did you mean {}?", close.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(" or "))
    };
    format!("transformer `{transformer}`: there is no column `{wanted}` in the data; {hint}")
}

fn quoted_all<S: AsRef<str>>(names: &[S]) -> String {
    names.iter().map(|n| format!("`{}`", n.as_ref())).collect::<Vec<_>>().join(", ")
}

/// The transformer names' problems: empty, with `__`, reserved, repeated.
fn check_names(ct: &ColumnTransformer, problems: &mut Vec<String>) {
    let mut reported: Vec<&str> = Vec::new();
    for (i, t) in ct.transformers.iter().enumerate() {
        let name = t.name.as_str();
        if name.is_empty() {
            problems.push(format!("transformer {} has an empty `name`; give it one (grid keys use it)", i + 1));
        } else if name.contains("__") {
            problems.push(format!(
                "transformer `{name}`: a name must not contain `__`, which separates the parts of grid keys \
                 (`preprocess__<transformer>__<step>__<param>`); e.g. name = \"{}\"",
                name.replace("__", "_")
            ));
        } else if RESERVED.contains(&name) {
            problems.push(format!(
                "transformer `{name}`: the name is taken by ColumnTransformer's own `{name}` setting; choose another, \
                 e.g. name = \"{name}_cols\""
            ));
        }
        let repeats = ct.transformers.iter().filter(|u| u.name == t.name).count();
        if repeats > 1 && !reported.contains(&name) {
            reported.push(name);
            problems.push(format!(
                "{repeats} transformers are named `{name}`: give each its own name (grid keys reach a transformer \
                 by it: `preprocess__{name}__...`)"
            ));
        }
    }
}

/// The fill a constant `SimpleImputer` uses on an array, or the problem.
enum ConstantFill {
    Number(f64),
    Text(String),
}

/// The flows after `step`, or its problems (the check of this transformer stops there).
fn through<'a>(t: &Transformer, step: &Step, name: &str, flow: Vec<Flow<'a>>) -> Result<Vec<Flow<'a>>, Vec<String>> {
    let at = |what: String| format!("transformer `{}`, step `{name}`: {what}", t.name);
    let texts: Vec<&Flow> = flow.iter().filter(|f| f.text).collect();
    let numeric = texts.is_empty();
    match step {
        Step::SimpleImputer(imputer) => {
            let fill = match imputer.strategy {
                ImputeStrategy::Mean | ImputeStrategy::Median => {
                    if !numeric {
                        let word = if imputer.strategy == ImputeStrategy::Mean { "mean" } else { "median" };
                        let names: Vec<&str> = texts.iter().map(|f| f.name).collect();
                        let are = if names.len() == 1 { "is text" } else { "are text" };
                        return Err(vec![at(format!(
                            "SimpleImputer with strategy = \"{word}\" needs numbers, but {} {are} (scikit-learn: \
                             \"Cannot use {word} strategy with non-numeric data\"); for text use `{MOST_FREQUENT}`, \
                             or give the text columns a transformer of their own",
                            quoted(&names)
                        ))]);
                    }
                    None
                }
                ImputeStrategy::MostFrequent => None,
                ImputeStrategy::Constant => Some(constant_fill(imputer, &flow).map_err(|e| vec![at(e)])?),
            };
            let mut problems = Vec::new();
            if let Some(fill) = &fill {
                for f in flow.iter().filter(|f| f.missing > 0 && !f.all_missing()) {
                    match (fill, f.text) {
                        (ConstantFill::Number(x), true) => problems.push(at(format!(
                            "SimpleImputer would fill the blanks of {} with the number {}, mixing numbers into text \
                             (scikit-learn's encoders then fail); use a text fill_value, e.g. fill_value = \"missing\"",
                            text_column(f.name, f.column),
                            whole(*x)
                        ))),
                        (ConstantFill::Text(s), false) => problems.push(at(format!(
                            "SimpleImputer would fill the blanks of numeric column `{}` with the text \"{s}\"{}, \
                             mixing text into numbers; give the numeric columns a transformer of their own",
                            f.name,
                            if imputer.fill_value.is_none() {
                                " (its default for a transformer that also takes text)"
                            } else {
                                ""
                            }
                        ))),
                        _ => {}
                    }
                }
            }
            if !problems.is_empty() {
                return Err(problems);
            }
            // A column with no value at all is dropped (keep_empty_features=False).
            let to_float = matches!(imputer.strategy, ImputeStrategy::Mean | ImputeStrategy::Median);
            Ok(flow
                .into_iter()
                .filter(|f| !f.all_missing())
                .map(|f| Flow {
                    missing: 0,
                    kept_by: None,
                    ty: if to_float && !f.text { ColumnType::Double } else { f.ty },
                    ..f
                })
                .collect())
        }
        Step::StandardScaler(_) | Step::MinMaxScaler(_) => {
            let kind = step.kind();
            let mut problems: Vec<String> = texts
                .iter()
                .map(|f| {
                    at(format!(
                        "{kind} needs numbers, but {} is text; one-hot encode it instead (`{ONE_HOT}`), or give it \
                         a transformer of its own",
                        text_column(f.name, f.column).trim_start_matches("text column ")
                    ))
                })
                .collect();
            if let Step::MinMaxScaler(m) = step {
                let (lo, hi) = m.feature_range;
                if lo.is_nan() || hi.is_nan() || lo >= hi {
                    problems.push(at(format!(
                        "MinMaxScaler feature_range = [{}, {}]: the minimum must be smaller than the maximum, \
                         e.g. feature_range = [0, 1]",
                        python_float(lo),
                        python_float(hi)
                    )));
                }
            }
            if !problems.is_empty() {
                return Err(problems);
            }
            Ok(flow
                .into_iter()
                .map(|f| Flow {
                    kept_by: if f.missing > 0 { Some(kind) } else { f.kept_by },
                    ty: ColumnType::Double,
                    ..f
                })
                .collect())
        }
        Step::OneHotEncoder(encoder) => Ok(flow
            .into_iter()
            .map(|f| {
                // At most: categories of the whole data, the missing one included.
                let categories = f.column.n_distinct().min(f.column.len()) + usize::from(f.missing > 0);
                let dropped = match encoder.drop {
                    None => 0,
                    Some(Drop::First) => 1,
                    Some(Drop::IfBinary) => usize::from(categories == 2),
                };
                Flow {
                    text: false,
                    missing: 0,
                    kept_by: None,
                    width: f.width * categories.saturating_sub(dropped),
                    ty: ColumnType::Double,
                    unknown_nan: false,
                    ..f
                }
            })
            .collect()),
        Step::OrdinalEncoder(encoder) => {
            let problems = ordinal_problems(encoder.handle_unknown, encoder.unknown_value, &flow);
            if !problems.is_empty() {
                return Err(problems.into_iter().map(at).collect());
            }
            let nan = encoder.unknown_value.is_some_and(f64::is_nan);
            Ok(flow
                .into_iter()
                .map(|f| Flow {
                    text: false,
                    kept_by: if f.missing > 0 { Some("OrdinalEncoder") } else { f.kept_by },
                    ty: ColumnType::Double,
                    unknown_nan: nan,
                    ..f
                })
                .collect())
        }
    }
}

/// The constant a `SimpleImputer(strategy="constant")` fills with, or why
/// scikit-learn refuses it (`np.can_cast(type(fill_value), X.dtype, "same_kind")`).
fn constant_fill(imputer: &SimpleImputer, flow: &[Flow]) -> Result<ConstantFill, String> {
    let numeric = flow.iter().all(|f| !f.text);
    let all = |ty: ColumnType| !flow.is_empty() && flow.iter().all(|f| f.ty == ty);
    let names: Vec<&str> = flow.iter().map(|f| f.name).collect();
    match &imputer.fill_value {
        None if numeric && !all(ColumnType::Boolean) => Ok(ConstantFill::Number(0.0)),
        None => Ok(ConstantFill::Text("missing_value".into())),
        Some(ParamValue::Dict(_)) => Err(super::spec::TABLE_FILL.into()),
        Some(ParamValue::Str(s)) if numeric => Err(format!(
            "SimpleImputer fill_value = \"{s}\" is text, but {} {} numbers; use a number, e.g. fill_value = 0",
            quoted(&names),
            if names.len() == 1 { "holds" } else { "hold" }
        )),
        Some(ParamValue::Float(x)) if numeric && (all(ColumnType::Long) || all(ColumnType::Boolean)) => Err(format!(
            "SimpleImputer fill_value = {} is not a whole number, but {} {} whole numbers (scikit-learn cannot cast \
             it to int64); use a whole number, e.g. fill_value = {}",
            python_float(*x),
            quoted(&names),
            if names.len() == 1 { "holds" } else { "hold" },
            x.trunc()
        )),
        Some(ParamValue::Int(i)) if numeric && all(ColumnType::Boolean) => Err(format!(
            "SimpleImputer fill_value = {i} is a number, but {} {} true/false (scikit-learn cannot cast it to bool); \
             use fill_value = true or false",
            quoted(&names),
            if names.len() == 1 { "holds" } else { "hold" }
        )),
        Some(ParamValue::Str(s)) => Ok(ConstantFill::Text(s.clone())),
        Some(ParamValue::Int(i)) => Ok(ConstantFill::Number(*i as f64)),
        Some(ParamValue::Float(x)) => Ok(ConstantFill::Number(*x)),
        Some(ParamValue::Bool(b)) => Ok(ConstantFill::Number(f64::from(u8::from(*b)))),
    }
}

/// `OrdinalEncoder`'s `unknown_value` rules, with the data's categories.
fn ordinal_problems(handle: OrdinalUnknown, unknown_value: Option<f64>, flow: &[Flow]) -> Vec<String> {
    match (handle, unknown_value) {
        (OrdinalUnknown::UseEncodedValue, None) => vec![
            "OrdinalEncoder with handle_unknown = \"use_encoded_value\" needs `unknown_value`, the code a category \
             not seen in training gets, e.g. unknown_value = -1"
                .into(),
        ],
        (OrdinalUnknown::Error, Some(v)) => vec![format!(
            "OrdinalEncoder unknown_value = {} is used only with handle_unknown = \"use_encoded_value\"; set that too, \
             or remove unknown_value",
            whole(v)
        )],
        (OrdinalUnknown::UseEncodedValue, Some(v)) if !v.is_nan() && (v.fract() != 0.0 || v.is_infinite()) => {
            vec![format!(
                "OrdinalEncoder unknown_value = {}: it must be a whole number (or nan), e.g. unknown_value = -1",
                python_float(v)
            )]
        }
        (OrdinalUnknown::UseEncodedValue, Some(v)) if v >= 0.0 => flow
            .iter()
            .filter(|f| v < f.column.n_distinct() as f64)
            .map(|f| {
                format!(
                    "OrdinalEncoder unknown_value = {} is already the code of a category of `{}` (its categories get \
                     0 to {}); use a negative code, e.g. unknown_value = -1",
                    whole(v),
                    f.name,
                    f.column.n_distinct() - 1
                )
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The problems of what `t`'s last step hands the model.
fn reaching_the_model(t: &Transformer, flow: &[Flow], problems: &mut Vec<String>) {
    let passthrough = matches!(t.steps, Steps::Passthrough(_));
    for f in flow {
        if f.text {
            problems.push(if passthrough {
                format!(
                    "transformer `{}` passes {} to the model as it is, but a model needs numbers; one-hot encode it \
                     instead: steps = [{ONE_HOT}]",
                    t.name,
                    text_column(f.name, f.column)
                )
            } else {
                format!(
                    "transformer `{}` gives the model {}, but a model needs numbers; end its steps with `{ONE_HOT}`",
                    t.name,
                    text_column(f.name, f.column)
                )
            });
        } else if f.missing > 0 {
            let fix = match f.kept_by {
                None if passthrough => format!("fill them instead: steps = [{MEDIAN}]"),
                None => format!("fill them: add `{MEDIAN}` to its steps"),
                Some("OrdinalEncoder") => format!("fill them: add `{MOST_FREQUENT}` before OrdinalEncoder"),
                Some(kind) => format!("fill them: add `{MEDIAN}` before {kind}"),
            };
            let kept = f.kept_by.map(|k| format!(" ({k} keeps them missing)")).unwrap_or_default();
            problems.push(format!(
                "transformer `{}` gives the model `{}` with {}{kept}, but a model needs every cell; {fix}",
                t.name,
                f.name,
                cells(f.missing)
            ));
        } else if f.unknown_nan {
            problems.push(format!(
                "transformer `{}`: OrdinalEncoder's unknown_value = nan gives the model a missing cell wherever `{}` \
                 has a category not seen in training; use a code, e.g. unknown_value = -1",
                t.name, f.name
            ));
        }
    }
}

/// A transformer name not yet taken: `base`, else `base_2`, ...
fn free_name(ct: &ColumnTransformer, base: &str) -> String {
    let taken = |n: &str| ct.transformers.iter().any(|t| t.name == n);
    if !taken(base) {
        return base.into();
    }
    (2..).map(|k| format!("{base}_{k}")).find(|n| !taken(n)).unwrap_or_else(|| base.into())
}

fn toml_list(names: &[&str]) -> String {
    let items: Vec<String> = names.iter().map(|n| super::suggest::toml_string(n)).collect();
    format!("[{}]", items.join(", "))
}

/// The remainder's problems: one for its text columns, one for its columns with blanks.
fn remainder_problems(
    ct: &ColumnTransformer,
    names: &[String],
    columns: &[Column],
    selected: &[bool],
    problems: &mut Vec<String>,
) {
    let rest: Vec<usize> = (0..columns.len()).filter(|&j| !selected[j]).collect();
    let text: Vec<usize> = rest.iter().copied().filter(|&j| !columns[j].is_numeric()).collect();
    let blanks: Vec<usize> =
        rest.iter().copied().filter(|&j| columns[j].is_numeric() && columns[j].n_missing() > 0).collect();
    if !text.is_empty() {
        let described: Vec<String> = text.iter().take(5).map(|&j| text_column(&names[j], &columns[j])).collect();
        let more = if text.len() > 5 { format!(" and {} more", text.len() - 5) } else { String::new() };
        let list: Vec<&str> = text.iter().map(|&j| names[j].as_str()).collect();
        problems.push(format!(
            "remainder = \"passthrough\" passes {}{more}, which no transformer takes, to the model, but a model needs \
             numbers; one-hot encode {} in a transformer of its own, or leave {} out with remainder = \"drop\":\n\n\
             [[preprocess.transformers]]\nname = \"{}\"\ncolumns = {}\nsteps = [{ONE_HOT}]",
            described.join(", "),
            if text.len() == 1 { "it" } else { "them" },
            if text.len() == 1 { "it" } else { "them" },
            free_name(ct, "cat"),
            toml_list(&list)
        ));
    }
    if !blanks.is_empty() {
        let described: Vec<String> =
            blanks.iter().take(5).map(|&j| format!("`{}` ({})", names[j], cells(columns[j].n_missing()))).collect();
        let more = if blanks.len() > 5 { format!(" and {} more", blanks.len() - 5) } else { String::new() };
        let list: Vec<&str> = blanks.iter().map(|&j| names[j].as_str()).collect();
        problems.push(format!(
            "remainder = \"passthrough\" passes {}{more}, which no transformer takes, to the model, but a model needs \
             every cell; fill the blanks in a transformer of its own:\n\n\
             [[preprocess.transformers]]\nname = \"{}\"\ncolumns = {}\nsteps = [{MEDIAN}]",
            described.join(", "),
            free_name(ct, "impute"),
            toml_list(&list)
        ));
    }
}

/// At most [`MAX_LISTED`] problems, the rest counted in a last line.
fn capped(mut problems: Vec<String>) -> Vec<String> {
    if problems.len() > MAX_LISTED {
        let more = problems.len() - MAX_LISTED;
        problems.truncate(MAX_LISTED);
        problems.push(format!("... and {more} more problems"));
    }
    problems
}

impl Preprocess {
    /// Checks the section against the data's columns before any fit: every
    /// named column exists, each step can take what reaches it (no mean of
    /// text), and nothing text or missing reaches the model. Every problem is
    /// listed (at most 20), each naming the transformer, the column and the fix.
    pub fn check(&self, names: &[String], columns: &[Column]) -> Result<(), Vec<String>> {
        let Preprocess::ColumnTransformer(ct) = self;
        if names.len() != columns.len() {
            return Err(vec![format!("the data has {} column names for {} columns", names.len(), columns.len())]);
        }
        let mut problems = Vec::new();
        check_names(ct, &mut problems);
        let mut selected = vec![false; columns.len()];
        // Output columns at least (unknown where a transformer's check stopped).
        let mut outputs = 0usize;
        for t in &ct.transformers {
            let picked = match select(&t.columns, names, columns) {
                Ok(picked) => picked,
                Err(unknown) => {
                    problems.extend(unknown.iter().map(|u| unknown_column(&t.name, u, names)));
                    // Its other columns are taken, not the remainder's.
                    if let Columns::Names(wanted) = &t.columns {
                        names
                            .iter()
                            .zip(&mut selected)
                            .filter(|(n, _)| wanted.contains(n))
                            .for_each(|(_, s)| *s = true);
                    }
                    outputs += 1;
                    continue;
                }
            };
            picked.iter().for_each(|&j| selected[j] = true);
            if picked.is_empty() {
                continue;
            }
            let steps = match &t.steps {
                Steps::Pipeline(steps) if steps.is_empty() => {
                    problems.push(format!(
                        "transformer `{}` has no steps: list them, e.g. steps = [{MEDIAN}], or pass its columns \
                         through with steps = \"passthrough\"",
                        t.name
                    ));
                    outputs += 1;
                    continue;
                }
                steps => steps.steps(),
            };
            let mut flow: Vec<Flow> = picked.iter().map(|&j| Flow::of(&names[j], &columns[j])).collect();
            let mut stopped = false;
            for (step, step_name) in steps.iter().zip(step_names(steps)) {
                match through(t, step, &step_name, flow.clone()) {
                    Ok(next) => flow = next,
                    Err(found) => {
                        problems.extend(found);
                        stopped = true;
                        break;
                    }
                }
            }
            if stopped {
                outputs += 1;
                continue;
            }
            reaching_the_model(t, &flow, &mut problems);
            outputs += flow.iter().map(|f| f.width).sum::<usize>();
        }
        if ct.remainder == Remainder::Passthrough {
            remainder_problems(ct, names, columns, &selected, &mut problems);
            outputs += selected.iter().filter(|s| !**s).count();
        }
        if outputs == 0 && problems.is_empty() {
            problems.push(
                "the section gives the model no columns (its transformers select none, or drop every one they \
                 select, as an imputer drops a column with no value) and remainder = \"drop\"; name the columns \
                 each transformer takes, or set remainder = \"passthrough\""
                    .into(),
            );
        }
        if problems.is_empty() { Ok(()) } else { Err(capped(problems)) }
    }
}

/// Without a `[preprocess]` section every column goes to the model as it
/// is: the columns that cannot (text, missing cells), each named, and the
/// section to paste that handles them ([`super::suggest`]).
pub fn check_without(names: &[String], columns: &[Column]) -> Result<(), String> {
    if names.len() != columns.len() {
        return Err(format!("the data has {} column names for {} columns", names.len(), columns.len()));
    }
    let bad: Vec<String> = names
        .iter()
        .zip(columns)
        .filter_map(|(name, column)| {
            let missing = column.n_missing();
            let text = (!column.is_numeric()).then(|| match example(column) {
                Some(e) => format!("text (e.g. {e})"),
                None => "text".to_string(),
            });
            match (text, missing) {
                (None, 0) => None,
                (Some(t), 0) => Some(format!("`{name}`: {t}")),
                (None, n) => Some(format!("`{name}`: {}", cells(n))),
                (Some(t), n) => Some(format!("`{name}`: {t}, {}", cells(n))),
            }
        })
        .collect();
    if bad.is_empty() {
        return Ok(());
    }
    let mut message = format!(
        "{} cannot go to a model as {} (a model needs numbers in every cell), and the job has no [preprocess] section:\n",
        if bad.len() == 1 { "1 column".to_string() } else { format!("{} columns", bad.len()) },
        if bad.len() == 1 { "it is" } else { "they are" }
    );
    for line in bad.iter().take(MAX_LISTED) {
        message.push_str(&format!("  {line}\n"));
    }
    if bad.len() > MAX_LISTED {
        message.push_str(&format!("  ... and {} more\n", bad.len() - MAX_LISTED));
    }
    if let Some(suggestion) = suggest_with_reasons(names, columns) {
        message.push_str(&format!(
            "Add this section to the job config. {}.\n\n{}",
            suggestion.summary(),
            suggestion.to_toml()
        ));
    }
    Err(message.trim_end().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::frame::ColumnType;

    const NAN: f64 = f64::NAN;

    fn section(text: &str) -> Preprocess {
        #[derive(serde::Deserialize)]
        struct Job {
            preprocess: Preprocess,
        }
        toml::from_str::<Job>(&format!("[preprocess]\nKIND = \"ColumnTransformer\"\n{text}")).unwrap().preprocess
    }

    fn bikes() -> (Vec<String>, Vec<Column>) {
        let names = ["season", "temp", "hum", "dteday", "weather"].map(String::from).to_vec();
        let columns = vec![
            Column::Numbers { ty: ColumnType::Long, values: vec![1.0, 2.0, 3.0, 4.0] },
            Column::numbers(vec![0.5, 0.6, 0.7, 0.8]),
            Column::numbers(vec![0.5, NAN, NAN, 0.8]),
            Column::text(&[Some("2011-01-01"), Some("2011-01-02"), Some("2011-01-03"), Some("2011-01-04")]),
            Column::text(&[Some("clear"), None, Some("rain"), Some("clear")]),
        ];
        (names, columns)
    }

    fn problems(text: &str) -> Vec<String> {
        let (names, columns) = bikes();
        section(text).check(&names, &columns).err().unwrap_or_default()
    }

    #[test]
    fn a_good_section_passes() {
        let p = problems(
            r#"
            [[preprocess.transformers]]
            name = "cat"
            columns = "categorical"
            steps = [{ KIND = "OneHotEncoder", handle_unknown = "ignore" }]
            [[preprocess.transformers]]
            name = "num"
            columns = "numeric"
            steps = [{ KIND = "SimpleImputer", strategy = "median" }, { KIND = "StandardScaler" }]
            "#,
        );
        assert!(p.is_empty(), "{p:#?}");
    }

    /// The section of issue 13's example, on a table like the bikes data.
    #[test]
    fn the_issue_example_passes() {
        let names = ["dteday", "season", "weathersit", "temp", "hum"].map(String::from).to_vec();
        let columns = vec![
            Column::text(&[Some("2011-01-01"), Some("2011-01-02"), Some("2011-01-03")]),
            Column::Numbers { ty: ColumnType::Long, values: vec![1.0, 1.0, 2.0] },
            Column::numbers(vec![1.0, NAN, 3.0]),
            Column::numbers(vec![0.3, 0.4, 0.5]),
            Column::numbers(vec![0.8, NAN, 0.6]),
        ];
        let p = section(
            r#"
            remainder = "drop"
            [[preprocess.transformers]]
            name = "cat"
            columns = ["season", "weathersit"]
            steps = [
              { KIND = "SimpleImputer", strategy = "most_frequent" },
              { KIND = "OneHotEncoder", handle_unknown = "ignore" },
            ]
            [[preprocess.transformers]]
            name = "num"
            columns = "numeric"
            steps = [{ KIND = "SimpleImputer", strategy = "median" }, { KIND = "StandardScaler" }]
            "#,
        );
        assert_eq!(p.check(&names, &columns), Ok(()));
    }

    #[test]
    fn an_unknown_column_is_named_with_close_names() {
        let p = problems(
            "[[preprocess.transformers]]\nname = \"n\"\ncolumns = [\"Temp\", \"seasn\", \"zzz\"]\nsteps = \"passthrough\"\n",
        );
        assert_eq!(p[0], "transformer `n`: there is no column `Temp` in the data; did you mean `temp`?");
        assert_eq!(p[1], "transformer `n`: there is no column `seasn` in the data; did you mean `season`?");
        assert_eq!(
            p[2],
            "transformer `n`: there is no column `zzz` in the data; the columns are `season`, `temp`, `hum`, `dteday`, `weather`"
        );
    }

    #[test]
    fn a_misspelt_column_does_not_send_the_others_to_the_remainder() {
        let p = problems(
            "remainder = \"passthrough\"\n[[preprocess.transformers]]\nname = \"c\"\ncolumns = [\"dteday\", \"weathr\", \"hum\"]\nsteps = [{ KIND = \"OneHotEncoder\" }]\n",
        );
        assert_eq!(p.len(), 2, "{p:#?}");
        assert!(p[0].contains("no column `weathr`"), "{}", p[0]);
        assert!(p[1].contains("passes text column `weather`"), "only weather is the remainder's: {}", p[1]);
    }

    #[test]
    fn names_must_be_unique_usable_in_grid_keys_and_not_reserved() {
        let p = problems(
            r#"
            [[preprocess.transformers]]
            name = "num"
            columns = ["temp"]
            steps = "passthrough"
            [[preprocess.transformers]]
            name = "num"
            columns = ["season"]
            steps = "passthrough"
            [[preprocess.transformers]]
            name = "a__b"
            columns = ["temp"]
            steps = "passthrough"
            [[preprocess.transformers]]
            name = "remainder"
            columns = ["temp"]
            steps = "passthrough"
            "#,
        );
        assert_eq!(p.len(), 3, "{p:#?}");
        assert!(p[0].starts_with("2 transformers are named `num`"), "{}", p[0]);
        assert!(p[1].starts_with("transformer `a__b`: a name must not contain `__`"), "{}", p[1]);
        assert!(p[2].starts_with("transformer `remainder`: the name is taken"), "{}", p[2]);
    }

    #[test]
    fn mean_of_text_names_the_text_columns_and_the_fix() {
        let p = problems(
            "[[preprocess.transformers]]\nname = \"all\"\ncolumns = [\"hum\", \"weather\"]\nsteps = [{ KIND = \"SimpleImputer\" }]\n",
        );
        assert_eq!(p.len(), 1, "{p:#?}");
        assert_eq!(
            p[0],
            "transformer `all`, step `simpleimputer`: SimpleImputer with strategy = \"mean\" needs numbers, but \
             `weather` is text (scikit-learn: \"Cannot use mean strategy with non-numeric data\"); for text use \
             `{ KIND = \"SimpleImputer\", strategy = \"most_frequent\" }`, or give the text columns a transformer of their own"
        );
    }

    #[test]
    fn constant_fills_scikit_learn_refuses_or_that_mix_types_are_problems() {
        let p = problems(
            "[[preprocess.transformers]]\nname = \"n\"\ncolumns = [\"hum\"]\nsteps = [{ KIND = \"SimpleImputer\", strategy = \"constant\", fill_value = \"none\" }]\n",
        );
        assert!(
            p[0].contains("fill_value = \"none\" is text, but `hum` holds numbers; use a number, e.g. fill_value = 0"),
            "{p:#?}"
        );
        let p = problems(
            "[[preprocess.transformers]]\nname = \"c\"\ncolumns = [\"weather\"]\nsteps = [{ KIND = \"SimpleImputer\", strategy = \"constant\", fill_value = 0 }, { KIND = \"OneHotEncoder\" }]\n",
        );
        assert!(p[0].contains("fill the blanks of text column `weather` (e.g. `clear`) with the number 0"), "{p:#?}");
        let p = problems(
            "[[preprocess.transformers]]\nname = \"m\"\ncolumns = [\"hum\", \"weather\"]\nsteps = [{ KIND = \"SimpleImputer\", strategy = \"constant\" }]\n",
        );
        assert!(p[0].contains("numeric column `hum` with the text \"missing_value\" (its default"), "{p:#?}");
        let p = problems(
            "[[preprocess.transformers]]\nname = \"i\"\ncolumns = [\"season\"]\nsteps = [{ KIND = \"SimpleImputer\", strategy = \"constant\", fill_value = 0.5 }]\n",
        );
        assert!(p[0].contains("fill_value = 0.5 is not a whole number"), "{p:#?}");
        let ok = problems(
            "[[preprocess.transformers]]\nname = \"c\"\ncolumns = [\"weather\"]\nsteps = [{ KIND = \"SimpleImputer\", strategy = \"constant\" }, { KIND = \"OneHotEncoder\" }]\n",
        );
        assert!(ok.is_empty(), "{ok:#?}");
    }

    #[test]
    fn scalers_need_numbers_and_keep_missing_cells() {
        let p = problems(
            "[[preprocess.transformers]]\nname = \"s\"\ncolumns = [\"weather\", \"hum\"]\nsteps = [{ KIND = \"StandardScaler\" }]\n",
        );
        assert_eq!(p.len(), 1, "{p:#?}");
        assert!(p[0].starts_with("transformer `s`, step `standardscaler`: StandardScaler needs numbers, but `weather` (e.g. `clear`) is text"), "{}", p[0]);
        let p = problems(
            "[[preprocess.transformers]]\nname = \"s\"\ncolumns = [\"hum\"]\nsteps = [{ KIND = \"MinMaxScaler\" }]\n",
        );
        assert_eq!(
            p,
            [
                "transformer `s` gives the model `hum` with 2 missing cells (MinMaxScaler keeps them missing), but a model \
              needs every cell; fill them: add `{ KIND = \"SimpleImputer\", strategy = \"median\" }` before MinMaxScaler"
            ]
        );
        let p = problems(
            "[[preprocess.transformers]]\nname = \"s\"\ncolumns = [\"temp\"]\nsteps = [{ KIND = \"MinMaxScaler\", feature_range = [1, 0] }]\n",
        );
        assert!(p[0].contains("feature_range = [1.0, 0.0]: the minimum must be smaller"), "{p:#?}");
    }

    #[test]
    fn one_hot_takes_missing_cells_and_ordinal_keeps_them() {
        let p = problems(
            "[[preprocess.transformers]]\nname = \"c\"\ncolumns = [\"weather\", \"hum\"]\nsteps = [{ KIND = \"OneHotEncoder\" }]\n",
        );
        assert!(p.is_empty(), "{p:#?}");
        let p = problems(
            "[[preprocess.transformers]]\nname = \"o\"\ncolumns = [\"weather\"]\nsteps = [{ KIND = \"OrdinalEncoder\" }]\n",
        );
        assert_eq!(
            p,
            [
                "transformer `o` gives the model `weather` with 1 missing cell (OrdinalEncoder keeps them missing), but a \
              model needs every cell; fill them: add `{ KIND = \"SimpleImputer\", strategy = \"most_frequent\" }` before OrdinalEncoder"
            ]
        );
    }

    #[test]
    fn ordinal_unknown_value_rules() {
        let step = |extra: &str| {
            problems(&format!(
                "[[preprocess.transformers]]\nname = \"o\"\ncolumns = [\"dteday\"]\nsteps = [{{ KIND = \"OrdinalEncoder\"{extra} }}]\n"
            ))
        };
        assert!(step(", handle_unknown = \"use_encoded_value\"")[0].contains("needs `unknown_value`"));
        assert!(step(", unknown_value = -1")[0].contains("is used only with handle_unknown = \"use_encoded_value\""));
        assert!(
            step(", handle_unknown = \"use_encoded_value\", unknown_value = 0.5")[0].contains("must be a whole number")
        );
        let taken = step(", handle_unknown = \"use_encoded_value\", unknown_value = 3");
        assert!(
            taken[0].contains(
                "unknown_value = 3 is already the code of a category of `dteday` (its categories get 0 to 3)"
            ),
            "{taken:#?}"
        );
        assert!(step(", handle_unknown = \"use_encoded_value\", unknown_value = 4").is_empty());
        assert!(
            step(", handle_unknown = \"use_encoded_value\", unknown_value = nan")[0]
                .contains("unknown_value = nan gives the model a missing cell")
        );
    }

    #[test]
    fn text_or_missing_cells_reaching_the_model_are_named_with_the_fix() {
        let p = problems(
            "[[preprocess.transformers]]\nname = \"p\"\ncolumns = [\"dteday\", \"hum\"]\nsteps = \"passthrough\"\n",
        );
        assert_eq!(
            p,
            [
                "transformer `p` passes text column `dteday` (e.g. `2011-01-01`) to the model as it is, but a model needs \
                 numbers; one-hot encode it instead: steps = [{ KIND = \"OneHotEncoder\", handle_unknown = \"ignore\" }]",
                "transformer `p` gives the model `hum` with 2 missing cells, but a model needs every cell; fill them \
                 instead: steps = [{ KIND = \"SimpleImputer\", strategy = \"median\" }]",
            ]
        );
    }

    #[test]
    fn the_remainder_passes_text_and_blanks_through_with_a_section_to_paste() {
        let p = problems(
            "remainder = \"passthrough\"\n[[preprocess.transformers]]\nname = \"cat\"\ncolumns = [\"weather\"]\nsteps = [{ KIND = \"OneHotEncoder\" }]\n",
        );
        assert_eq!(p.len(), 2, "{p:#?}");
        assert_eq!(
            p[0],
            "remainder = \"passthrough\" passes text column `dteday` (e.g. `2011-01-01`), which no transformer takes, to \
             the model, but a model needs numbers; one-hot encode it in a transformer of its own, or leave it out with \
             remainder = \"drop\":\n\n[[preprocess.transformers]]\nname = \"cat_2\"\ncolumns = [\"dteday\"]\n\
             steps = [{ KIND = \"OneHotEncoder\", handle_unknown = \"ignore\" }]"
        );
        assert!(
            p[1].starts_with("remainder = \"passthrough\" passes `hum` (2 missing cells), which no transformer takes"),
            "{}",
            p[1]
        );
        assert!(
            p[1].ends_with(
                "name = \"impute\"\ncolumns = [\"hum\"]\nsteps = [{ KIND = \"SimpleImputer\", strategy = \"median\" }]"
            ),
            "{}",
            p[1]
        );
    }

    #[test]
    fn an_imputer_drops_an_all_missing_column_and_a_section_with_no_output_is_a_problem() {
        let names = vec!["empty".to_string(), "x".to_string()];
        let columns = vec![Column::numbers(vec![NAN, NAN]), Column::numbers(vec![1.0, NAN])];
        let p = section(
            "[[preprocess.transformers]]\nname = \"n\"\ncolumns = \"numeric\"\nsteps = [{ KIND = \"SimpleImputer\" }]\n",
        );
        assert!(p.check(&names, &columns).is_ok(), "`empty` is dropped, nothing missing reaches the model");
        let e = p.check(&names[..1], &columns[..1]).unwrap_err();
        assert!(e[0].starts_with("the section gives the model no columns"), "its one column is dropped: {e:#?}");
        let e = section("").check(&names, &columns).unwrap_err();
        assert!(e[0].starts_with("the section gives the model no columns"), "{e:#?}");
        let e = section("[[preprocess.transformers]]\nname = \"n\"\ncolumns = []\nsteps = \"passthrough\"\n")
            .check(&names, &columns)
            .unwrap_err();
        assert!(e[0].starts_with("the section gives the model no columns"), "{e:#?}");
    }

    #[test]
    fn an_empty_step_list_is_a_problem() {
        let p = problems("[[preprocess.transformers]]\nname = \"n\"\ncolumns = [\"temp\"]\nsteps = []\n");
        assert!(p[0].starts_with("transformer `n` has no steps"), "{p:#?}");
    }

    #[test]
    fn at_most_20_problems_are_listed() {
        let names: Vec<String> = (0..30).map(|j| format!("t{j}")).collect();
        let columns: Vec<Column> = (0..30).map(|_| Column::text(&[Some("x")])).collect();
        let p =
            section("[[preprocess.transformers]]\nname = \"p\"\ncolumns = \"categorical\"\nsteps = \"passthrough\"\n");
        let e = p.check(&names, &columns).unwrap_err();
        assert_eq!(e.len(), 21);
        assert_eq!(e[20], "... and 10 more problems");
    }

    #[test]
    fn without_a_section_text_and_missing_columns_are_listed_with_a_section_to_paste() {
        let (names, columns) = bikes();
        let e = check_without(&names, &columns).unwrap_err();
        let head = "3 columns cannot go to a model as they are (a model needs numbers in every cell), and the job has no \
                    [preprocess] section:\n  `hum`: 2 missing cells\n  `dteday`: text (e.g. `2011-01-01`)\n  \
                    `weather`: text (e.g. `clear`), 1 missing cell\nAdd this section to the job config. It ";
        assert!(e.starts_with(head), "{e}");
        assert!(e.contains("\n[preprocess]\nKIND = \"ColumnTransformer\"\n"), "{e}");
        let numeric = [Column::numbers(vec![1.0])];
        assert!(check_without(&["x".to_string()], &numeric).is_ok());
    }

    #[test]
    fn close_names_catch_typos_case_and_parts() {
        let names = ["temperature", "temp", "season", "atemp"].map(String::from).to_vec();
        assert_eq!(close_names("tmp", &names), ["temp"]);
        assert_eq!(close_names("TEMP", &names), ["temp", "atemp", "temperature"]);
        assert!(close_names("wind", &names).is_empty());
    }
}
