//! One change the form makes to a config, through a TOML table and back
//! through the engine's parser.

use toml::{Table, Value};

use super::values::{parse_scalar, parse_space};
use crate::core::catalog::Family;
use crate::core::models::Estimator;
use crate::core::preprocess::Preprocess;
use crate::core::splitters::SplitterKind;
use crate::io::config::{Format, JobConfig, parse};

/// Settings kept when the splitter's KIND changes (where the new KIND has them).
const SHARED_SPLITTER_KEYS: [&str; 3] = ["n_splits", "shuffle", "random_state"];

/// Settings every searcher has, kept when the searcher's KIND changes.
const SHARED_SEARCHER_KEYS: [&str; 4] = ["n_jobs", "error_score", "return_train_score", "refit"];

/// One change the form makes.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// Another model: hyperparameters and grid rows it does not have are
    /// dropped, and a metric for the other kind of model (classifier or
    /// regressor) becomes the usual one for this kind.
    ModelKind(String),
    /// Another metric, by name; its direction is the metric's own.
    Metric(String),
    /// Another splitter, keeping `n_splits`, `shuffle` and `random_state` where it has them.
    SplitterKind(String),
    /// Another searcher, keeping the shared settings and turning the grid into
    /// choices (or distributions into their end points).
    SearcherKind(String),
    /// One setting by dotted key: text as in TOML, bare words as strings,
    /// empty for the default.
    Set {
        /// `section.name`.
        key: String,
        /// The new value.
        text: String,
    },
    /// Sets (or, with `None`, removes) the `[preprocess]` section.
    Preprocess(Option<Preprocess>),
    /// Adds (`old: None`), changes or renames (`old: Some`) a row of the grid
    /// or distributions; an empty `name` removes row `old`.
    SpaceRow {
        /// The row's current name, if it exists.
        old: Option<String>,
        /// The hyperparameter's name.
        name: String,
        /// Its values: `3, 5, 7`, `"gini", "entropy"`, or `loguniform(0.001, 1000)`.
        values: String,
    },
}

/// Where the form shows a failed edit's error: the setting it changed, as a
/// dotted key (`space` for the grid), so the message sits at its field.
pub const SPACE: &str = "space";

impl Edit {
    /// The field this edit changes: its error is shown there.
    pub fn place(&self) -> &str {
        match self {
            Edit::ModelKind(_) => "model.KIND",
            Edit::Metric(_) => "metric.name",
            Edit::SplitterKind(_) => "splitter.KIND",
            Edit::SearcherKind(_) => "searcher.KIND",
            Edit::Set { key, .. } => key,
            Edit::SpaceRow { .. } => SPACE,
            Edit::Preprocess(_) => "preprocess",
        }
    }
}

/// `cfg` changed by `edit`, or the reason it cannot be, as the engine words it.
pub fn apply(cfg: &JobConfig, edit: &Edit) -> Result<JobConfig, String> {
    let mut table = Table::try_from(cfg).map_err(|e| format!("this config cannot be edited in the form: {e}"))?;
    match edit {
        Edit::ModelKind(kind) => set_model_kind(&mut table, cfg, kind)?,
        Edit::Metric(name) => {
            table.insert("metric".into(), metric_table(name));
        }
        Edit::SplitterKind(kind) => set_splitter_kind(&mut table, kind)?,
        Edit::SearcherKind(kind) => set_searcher_kind(&mut table, kind)?,
        Edit::Set { key, text } => set(&mut table, key, text)?,
        Edit::SpaceRow { old, name, values } => set_space_row(&mut table, old.as_deref(), name, values)?,
        Edit::Preprocess(None) => {
            table.remove("preprocess");
        }
        Edit::Preprocess(Some(section)) => {
            let section = Value::try_from(section).map_err(|e| format!("preprocess: {e}"))?;
            table.insert("preprocess".into(), section);
        }
    }
    let text = toml::to_string(&table).map_err(|e| e.to_string())?;
    parse::<JobConfig>("form", &text, Format::Toml).map_err(|e| match edit {
        // The engine's path stops at a tagged section (`splitter`); the form knows the key.
        Edit::Set { key, .. } => format!("{key}: {}", e.message),
        _ if e.path.is_empty() => e.message,
        _ => format!("{}: {}", e.path, e.message),
    })
}

/// The section `name` of a config table, created when missing.
fn section<'t>(table: &'t mut Table, name: &str) -> Result<&'t mut Table, String> {
    table
        .entry(name.to_string())
        .or_insert_with(|| Value::Table(Table::new()))
        .as_table_mut()
        .ok_or_else(|| format!("{name} is not a table"))
}

fn metric_table(name: &str) -> Value {
    Value::Table(Table::from_iter([
        ("KIND".to_string(), Value::String("SklearnMetric".into())),
        ("name".to_string(), Value::String(name.into())),
    ]))
}

fn set(table: &mut Table, key: &str, text: &str) -> Result<(), String> {
    let (name, field) = key.split_once('.').ok_or_else(|| format!("`{key}` is not a setting the form knows"))?;
    let section = section(table, name)?;
    match parse_scalar(text) {
        Some(value) => section.insert(field.to_string(), value),
        None => section.remove(field),
    };
    Ok(())
}

fn set_model_kind(table: &mut Table, cfg: &JobConfig, kind: &str) -> Result<(), String> {
    let known = Estimator::defaults(kind).ok_or_else(|| format!("unknown model `{kind}`; pick one from the list"))?;
    let mut model = Table::from_iter([("KIND".to_string(), Value::String(kind.into()))]);
    if let Some(path) = &cfg.model.model_config_path {
        model.insert("model_config_path".into(), Value::String(path.clone()));
    }
    for (name, value) in cfg.model.params.iter().filter(|(name, _)| known.contains_key(*name)) {
        model.insert(name.clone(), Value::try_from(value).map_err(|e| e.to_string())?);
    }
    table.insert("model".into(), Value::Table(model));
    // The grid keeps only what the new model has.
    let searcher = section(table, "searcher")?;
    for space in ["param_grid", "param_distributions"] {
        match searcher.get_mut(space) {
            Some(Value::Table(t)) => t.retain(|name, _| known.contains_key(name)),
            Some(Value::Array(grids)) => grids
                .iter_mut()
                .filter_map(Value::as_table_mut)
                .for_each(|t| t.retain(|name, _| known.contains_key(name))),
            _ => {}
        }
    }
    // A classification metric fails a regressor's search (and the reverse).
    let classifier = Estimator::kind_is_classifier(kind).unwrap_or(false);
    if let Ok(metric) = cfg.metric.check()
        && metric.name.is_classification() != classifier
    {
        table.insert("metric".into(), metric_table(if classifier { "accuracy" } else { "mean_squared_error" }));
    }
    Ok(())
}

fn set_splitter_kind(table: &mut Table, kind: &str) -> Result<(), String> {
    let keys =
        SplitterKind::defaults(kind).ok_or_else(|| format!("unknown splitter `{kind}`; pick one from the list"))?;
    let old = table.get("splitter").and_then(Value::as_table).cloned().unwrap_or_default();
    let mut new = Table::from_iter([("KIND".to_string(), Value::String(kind.into()))]);
    for key in SHARED_SPLITTER_KEYS.into_iter().filter(|k| keys.contains_key(*k)) {
        if let Some(value) = old.get(key) {
            new.insert(key.into(), value.clone());
        }
    }
    table.insert("splitter".into(), Value::Table(new));
    Ok(())
}

fn set_searcher_kind(table: &mut Table, kind: &str) -> Result<(), String> {
    let old = table.get("searcher").and_then(Value::as_table).cloned().unwrap_or_default();
    let mut new = Table::from_iter([("KIND".to_string(), Value::String(kind.into()))]);
    for key in SHARED_SEARCHER_KEYS {
        if let Some(value) = old.get(key) {
            new.insert(key.into(), value.clone());
        }
    }
    let space = match kind {
        "GridCVSearcher" => match old.get("param_distributions") {
            // Each distribution becomes the grid of its two end points.
            Some(Value::Table(spaces)) => Value::Table(
                spaces
                    .iter()
                    .map(|(name, space)| {
                        let values = match space {
                            Value::Table(d) => {
                                Value::Array(["low", "high"].iter().filter_map(|k| d.get(*k).cloned()).collect())
                            }
                            other => other.clone(),
                        };
                        (name.clone(), values)
                    })
                    .collect(),
            ),
            _ => old.get("param_grid").cloned().unwrap_or_else(|| Value::Table(Table::new())),
        },
        "RandomCVSearcher" => match old.get("param_grid") {
            // Several grids: the first one's lists become choices.
            Some(Value::Array(grids)) => grids.first().cloned().unwrap_or_else(|| Value::Table(Table::new())),
            Some(grid) => grid.clone(),
            None => old.get("param_distributions").cloned().unwrap_or_else(|| Value::Table(Table::new())),
        },
        other => return Err(format!("unknown searcher `{other}`; pick one from the list")),
    };
    let key = if kind == "GridCVSearcher" { "param_grid" } else { "param_distributions" };
    new.insert(key.into(), space);
    table.insert("searcher".into(), Value::Table(new));
    Ok(())
}

fn set_space_row(table: &mut Table, old: Option<&str>, name: &str, values: &str) -> Result<(), String> {
    let searcher = section(table, "searcher")?;
    let random = searcher.get("KIND").and_then(Value::as_str) == Some("RandomCVSearcher");
    let (key, what) = if random { ("param_distributions", "distributions") } else { ("param_grid", "grid") };
    let space = searcher
        .entry(key.to_string())
        .or_insert_with(|| Value::Table(Table::new()))
        .as_table_mut()
        .ok_or("this search has several grids: edit them in the TOML editor")?;
    if let Some(old) = old {
        space.remove(old);
    }
    let name = name.trim();
    if name.is_empty() {
        return Ok(());
    }
    if space.contains_key(name) {
        return Err(format!("`{name}` is already in the {what}; change its row instead"));
    }
    space.insert(name.to_string(), parse_space(values, random)?);
    Ok(())
}
