//! The config's text formats (TOML, JSON, YAML): telling them apart, and
//! turning each parser's errors into one [`ConfigError`] shape: the file, the
//! line, the key path and serde's message in config words.

use serde::de::DeserializeOwned;

use super::ConfigError;

/// Config text formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// TOML (the default).
    Toml,
    /// JSON.
    Json,
    /// YAML, the original project's format.
    Yaml,
}

impl Format {
    /// By the origin's extension (`.json`, `.yaml`/`.yml`, `.toml`); for any
    /// other origin (the page's editor says "config"), by the text: JSON when
    /// it starts with `{`, YAML when its first line that is not blank or a
    /// comment is YAML-only (`---`, a `key:` with no `=` before the colon, a
    /// `- item`), TOML otherwise (`key = value`, `[table]`).
    pub fn guess(origin: &str, text: &str) -> Format {
        let extension = origin.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
        match extension.as_deref() {
            Some("json") => return Format::Json,
            Some("yaml" | "yml") => return Format::Yaml,
            Some("toml") => return Format::Toml,
            _ => {}
        }
        if text.trim_start().starts_with('{') {
            return Format::Json;
        }
        let first = text.lines().map(str::trim).find(|l| !l.is_empty() && !l.starts_with('#'));
        match first {
            Some(line) if looks_like_yaml(line) => Format::Yaml,
            _ => Format::Toml,
        }
    }
}

/// A line only YAML writes: a document start or directive, a list item, or a
/// `key:` whose colon comes before any `=` and ends the key (`KIND: TuningJob`,
/// `job:`); TOML's `path = "http://x"` has its `=` first.
fn looks_like_yaml(line: &str) -> bool {
    if line == "---" || line.starts_with("--- ") || line.starts_with("%YAML") || line.starts_with("- ") {
        return true;
    }
    let Some(colon) = line.find(':') else { return false };
    let before = &line[..colon];
    let after = &line[colon + 1..];
    !before.contains('=')
        && !before.starts_with('[')
        && !before.trim().is_empty()
        && (after.is_empty() || after.starts_with([' ', '\t']))
}

/// Deserializes `text` as `T`, with the failing key path and line in errors.
pub fn parse<T: DeserializeOwned>(origin: &str, text: &str, format: Format) -> Result<T, ConfigError> {
    let at = Place { origin, text };
    match format {
        Format::Toml => toml_value(at),
        Format::Json => json_value(at),
        Format::Yaml => yaml_value(at),
    }
}

/// The config being read: its name for messages, and its text for lines.
#[derive(Clone, Copy)]
struct Place<'a> {
    origin: &'a str,
    text: &'a str,
}

impl Place<'_> {
    /// A mistake at `line` and `path`, in config words.
    fn fail(self, line: Option<usize>, path: String, message: &str) -> ConfigError {
        ConfigError { origin: self.origin.to_string(), line, path, message: explain(message) }
    }

    /// A mistake in a value: `raw_path` as serde_path_to_error prints it and
    /// the line the parser points at (`None`: unknown). An unknown key gets
    /// its own line and leaves the path (the message names it).
    fn value_error(self, raw_path: &str, message: &str, line: Option<usize>) -> ConfigError {
        let path = tidy_path(raw_path);
        let line = key_line(self.text, message, line);
        self.fail(line, without_unknown_key(&path, message), message)
    }
}

fn toml_value<T: DeserializeOwned>(at: Place) -> Result<T, ConfigError> {
    let text = at.text;
    let de = toml::de::Deserializer::parse(text).map_err(|e| {
        let line = e.span().map(|s| line_of(text, s.start));
        // toml says only "duplicate key"; the span holds the key itself.
        let message = match e.span().and_then(|s| text.get(s)) {
            Some(key) if e.message().trim() == "duplicate key" => set_twice(key.trim()),
            _ => e.message().to_string(),
        };
        at.fail(line, String::new(), &message)
    })?;
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        at.value_error(&path, inner.message(), inner.span().map(|s| line_of(text, s.start)))
    })
}

fn json_value<T: DeserializeOwned>(at: Place) -> Result<T, ConfigError> {
    let mut de = serde_json::Deserializer::from_str(at.text);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = tidy_path(&e.path().to_string());
        let inner = e.into_inner();
        at.fail(Some(inner.line()), path, &strip_json_position(&inner.to_string()))
    })?;
    // Text after the config's closing brace (a second object, a pasted
    // fragment) is a mistake, not something to ignore.
    de.end().map_err(|e| {
        let message = format!(
            "{}: the config ends at its closing brace; remove what follows it",
            strip_json_position(&e.to_string())
        );
        at.fail(Some(e.line()), String::new(), &message)
    })?;
    Ok(value)
}

/// YAML as the original project's PyYAML reads it (merge keys, anchors,
/// `.nan`), except that a key set twice is refused, as TOML refuses it.
fn yaml_options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        non_finite_float_policy: serde_saphyr::options::NonFiniteFloatPolicy::PassThrough,
    }
}

fn yaml_value<T: DeserializeOwned>(at: Place) -> Result<T, ConfigError> {
    let line = |e: &serde_saphyr::Error| e.location().map(|l| l.line() as usize).filter(|l| *l > 0);
    // The whole text's syntax first, as toml and serde_json check it: reading
    // streams, so a wrong value early on would hide a bad indentation below it.
    serde_saphyr::from_str_with_options::<serde::de::IgnoredAny>(at.text, yaml_options()).map_err(|e| {
        let message = yaml_message(&e, at.text);
        let line = if message.starts_with(TAB) { tab_line(at.text, line(&e)) } else { line(&e) };
        at.fail(line, String::new(), &message)
    })?;
    let mut path = String::new();
    serde_saphyr::with_deserializer_from_str_with_options(at.text, yaml_options(), |de| {
        serde_path_to_error::deserialize(de).map_err(|e| {
            path = e.path().to_string();
            e.into_inner()
        })
    })
    .map_err(|e| at.value_error(&path, &yaml_message(&e, at.text), line(&e)))
}

/// serde-saphyr's message for `e` in serde's own wording (the one the TOML and
/// JSON messages use, backticks included), with what to do for syntax errors.
fn yaml_message(e: &serde_saphyr::Error, text: &str) -> String {
    use serde_saphyr::{Error, MessageFormatter, UserMessageFormatter};
    let mut e = e;
    while let Error::AliasError { error, .. } | Error::WithSnippet { error, .. } = e {
        e = error;
    }
    let quoted = |names: &[&str]| names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ");
    let one_of = |names: &[&str], what: &str| match names {
        [] => format!("there are no {what}"),
        [one] => format!("expected {}", quoted(&[one])),
        many => format!("expected one of {}", quoted(many)),
    };
    match e {
        Error::SerdeUnknownField { field, expected, .. } => {
            format!("unknown field `{field}`, {}", one_of(expected, "fields"))
        }
        Error::SerdeUnknownVariant { variant, expected, .. } => {
            format!("unknown variant `{variant}`, {}", one_of(expected, "variants"))
        }
        Error::DuplicateMappingKey { key: Some(key), .. } => set_twice(key),
        Error::MultipleDocuments { .. } => {
            "a second YAML document (after `---`): a config is one document; remove the `---` and what follows it"
                .into()
        }
        Error::InvalidScalar { ty, location } => {
            let value = written_at(text, location);
            let kind = if *ty == "boolean" { "a boolean" } else { ty };
            match value {
                Some(value) => format!("invalid type: string {value:?}, expected {kind}"),
                None => format!("invalid value, expected {kind}"),
            }
        }
        Error::Eof { .. } => "the config is empty; it needs at least KIND, inputs and targets".into(),
        Error::UnknownAnchor { location } => {
            let alias = written_at(text, location).and_then(|rest| {
                let name = rest.strip_prefix('*')?;
                let end = name.find(|c: char| c.is_whitespace() || ",]}".contains(c)).unwrap_or(name.len());
                Some(format!("the alias `*{}`", &name[..end]))
            });
            format!(
                "{} names no anchor: define the anchor above it (`&name`, as in `inputs: &reader`), or fix the name",
                alias.as_deref().unwrap_or("an alias")
            )
        }
        _ => syntax_in_words(&UserMessageFormatter.format_message(e)),
    }
}

/// The rest of the line from an error's location (where the value or alias it is about starts).
fn written_at<'t>(text: &'t str, location: &serde_saphyr::Location) -> Option<&'t str> {
    let line = text.lines().nth(usize::try_from(location.line()).ok()?.checked_sub(1)?)?;
    let column = usize::try_from(location.column()).ok()?.checked_sub(1)?;
    let (start, _) = line.char_indices().nth(column)?;
    Some(line[start..].split(" #").next().unwrap_or("").trim())
}

const TAB: &str = "a tab in the indentation: YAML indents with spaces only; replace the tab with spaces";

/// The line of the tab a tab error is about: the parser may stop on the line
/// above it (a value that could go on over the next line).
fn tab_line(text: &str, reported: Option<usize>) -> Option<usize> {
    let indented_by_tab = |l: &str| l.chars().take_while(|c| c.is_whitespace()).any(|c| c == '\t');
    first_line_from(text, reported, indented_by_tab).or(reported)
}

/// A YAML syntax error's message in words, with what to do about it.
fn syntax_in_words(message: &str) -> String {
    let has = |words: &str| message.contains(words);
    if has("tabs") || has("found a tab") {
        TAB.into()
    } else if has("did not find expected key") {
        "this line's indentation does not match its section's: the keys of one section start in the same column".into()
    } else if has("mapping values are not allowed") {
        "a `key: value` cannot start here: check the line above for its colon (`key: value`, a space after the colon) \
         and this line's indentation (a nested key is indented more than its section)"
            .into()
    } else if has("expected mapping start") {
        "expected indented `key: value` lines here, not a list or a single value".into()
    } else if has("unclosed") {
        format!("{message}; add the closing one")
    } else {
        message.to_string()
    }
}

fn set_twice(key: &str) -> String {
    format!("`{key}` is set twice; keep one of them")
}

/// For "unknown field `k`" the path ends in `k` itself; the message already names it.
fn without_unknown_key(path: &str, message: &str) -> String {
    match unknown_key(message) {
        Some(key) if path == key => String::new(),
        Some(key) => path.strip_suffix(&format!(".{key}")).unwrap_or(path).to_string(),
        None => path.to_string(),
    }
}

fn unknown_key(message: &str) -> Option<&str> {
    message.strip_prefix("unknown field `").and_then(|m| m.split('`').next())
}

/// 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset).unwrap_or(text).matches('\n').count() + 1
}

/// The line of the offending key: for "unknown field `k`" the first line at
/// or after `line` (the section's start; the top without one) where `k` is
/// written as a key (`k =` or `[k]` in TOML, `k:` or `- k:` in YAML), else `line`.
fn key_line(text: &str, message: &str, line: Option<usize>) -> Option<usize> {
    let Some(key) = unknown_key(message) else { return line };
    let written_here = |l: &str| {
        let l = l.trim_start();
        let table = l.strip_prefix('[').and_then(|t| t.strip_suffix(']')).map(str::trim);
        let l = l.strip_prefix("- ").unwrap_or(l).trim_start();
        table == Some(key) || l.strip_prefix(key).is_some_and(|rest| rest.trim_start().starts_with(['=', ':']))
    };
    first_line_from(text, line, written_here).or(line)
}

/// The first line (1-based) at or after `from` (the top without one) that `is` holds for.
fn first_line_from(text: &str, from: Option<usize>, is: impl Fn(&str) -> bool) -> Option<usize> {
    let skip = from.unwrap_or(1).saturating_sub(1);
    text.lines().enumerate().skip(skip).find(|(_, l)| is(l)).map(|(i, _)| i + 1)
}

/// serde_path_to_error prints `.` for the root and `?` for positions inside
/// buffered (tagged) values; keep the readable part.
fn tidy_path(path: &str) -> String {
    let p = path.trim_matches('.');
    if p == "." { String::new() } else { p.replace(".?", "").replace('?', "") }
}

fn strip_json_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// serde's wording, said in config terms.
fn explain(message: &str) -> String {
    let m = crate::core::wording::plain(message.trim())
        .replace("unknown field", "unknown key")
        .replace("missing field", "missing key");
    if m.starts_with("unknown variant") {
        format!("{m} (unknown KIND)")
    } else if m.contains("did not match any variant of untagged enum") {
        let what = m.rsplit(' ').next().unwrap_or("");
        format!("the value does not fit {}", untagged_hint(what))
    } else {
        m
    }
}

fn untagged_hint(type_name: &str) -> &'static str {
    match type_name {
        "ParamGrid" => "param_grid: expected a table of lists, e.g. { max_depth = [3, 5] }, or a list of such tables",
        "ErrorScore" => "error_score: expected \"raise\" or a number such as nan",
        "TestSize" => "test_size: expected a row count or a fraction between 0 and 1",
        "ParamSpace" => {
            "param_distributions: expected a list of values or a table such as { distribution = \"loguniform\", low = 0.001, high = 1000.0 }"
        }
        "MaxFeatures" => "max_features: expected a count, a fraction, \"sqrt\" or \"log2\"",
        "Gamma" => "gamma: expected \"scale\", \"auto\" or a number",
        "ParamValue" => "a hyperparameter: expected a number, a string or a boolean",
        _ => "the expected shape",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::config::{JobConfig, parse_job, parse_model};

    const MINIMAL: &str =
        "KIND: TuningJob\ninputs:\n  KIND: CsvReader\n  path: x.csv\ntargets:\n  KIND: CsvReader\n  path: y.csv\n";

    fn error(text: &str) -> String {
        parse_job("job.yaml", text).unwrap_err().to_string()
    }

    #[test]
    fn the_format_is_the_extension_else_the_first_meaningful_line() {
        let cases = [
            ("job.yaml", "KIND = \"TuningJob\"", Format::Yaml),
            ("JOB.YML", "", Format::Yaml),
            ("job.toml", "KIND: TuningJob", Format::Toml),
            ("job.json", "", Format::Json),
            ("config", "  {\"KIND\": \"TuningJob\"}", Format::Json),
            ("config", "# a comment: with a colon\n\nKIND: TuningJob\n", Format::Yaml),
            ("config", "---\nKIND: TuningJob\n", Format::Yaml),
            ("config", "job:\n  KIND: TuningJob\n", Format::Yaml),
            ("config", "\"KIND\": TuningJob\n", Format::Yaml),
            ("config", "- KIND: TuningJob\n", Format::Yaml),
            ("config", "KIND = \"TuningJob\"\n", Format::Toml),
            ("config", "# job: the bikes\npath = \"http://host:80/x.csv\"\n", Format::Toml),
            ("config", "[inputs]\nKIND = \"CsvReader\"\n", Format::Toml),
            ("config", "inputs.path = \"a:b\"\n", Format::Toml),
            ("config", "url:http://x\n", Format::Toml),
            ("config", "", Format::Toml),
        ];
        for (origin, text, format) in cases {
            assert_eq!(Format::guess(origin, text), format, "{origin}: {text:?}");
        }
    }

    #[test]
    fn yaml_reads_into_the_same_config_as_toml() {
        let toml = r#"KIND = "TuningJob"
[inputs]
KIND = "CsvReader"
path = "x.csv"
limit = 100
[targets]
KIND = "CsvReader"
path = "y.csv"
column = "cnt"
[model]
KIND = "Ridge"
alpha = 0.5
fit_intercept = false
[splitter]
KIND = "KFoldSplitter"
n_splits = 3
shuffle = true
random_state = 7
[searcher]
KIND = "GridCVSearcher"
param_grid = { alpha = [0.1, 1.0], fit_intercept = [true, false] }
error_score = nan
[preprocess]
KIND = "ColumnTransformer"
remainder = "passthrough"
[[preprocess.transformers]]
name = "cat"
columns = ["season"]
steps = [{ KIND = "OneHotEncoder", handle_unknown = "ignore" }]
"#;
        let yaml = "KIND: TuningJob
inputs: {KIND: CsvReader, path: x.csv, limit: 100}
targets:
  KIND: CsvReader
  path: y.csv
  column: cnt
model:
  KIND: Ridge
  alpha: 0.5
  fit_intercept: false
splitter:
  KIND: KFoldSplitter
  n_splits: 3
  shuffle: true
  random_state: 7
searcher:
  KIND: GridCVSearcher
  param_grid:
    alpha: [0.1, 1.0]
    fit_intercept: [true, false]
  error_score: .nan
preprocess:
  KIND: ColumnTransformer
  remainder: passthrough
  transformers:
    - name: cat
      columns: [season]
      steps:
        - KIND: OneHotEncoder
          handle_unknown: ignore
";
        let (from_toml, from_yaml) = (parse_job("job.toml", toml).unwrap(), parse_job("job.yaml", yaml).unwrap());
        // NaN is not equal to itself: compare what both write out.
        assert_eq!(from_yaml.shareable_toml(), from_toml.shareable_toml());
        assert!(from_yaml.shareable_toml().contains("error_score = nan"), "{}", from_yaml.shareable_toml());
        assert_eq!(from_yaml.model, from_toml.model);
        assert_eq!(from_yaml.preprocess, from_toml.preprocess);
    }

    #[test]
    fn anchors_and_merge_keys_are_expanded() {
        let yaml = "KIND: TuningJob
inputs: &reader
  KIND: CsvReader
  path: x.csv
  limit: 50
targets:
  <<: *reader
  path: y.csv
model:
  <<: [{KIND: Ridge, alpha: 1.0}, {fit_intercept: false}]
  alpha: 2.0
searcher:
  KIND: GridCVSearcher
  param_grid:
    alpha: &alphas [0.1, 1.0]
";
        let job = parse_job("job.yaml", yaml).unwrap();
        let targets = job.targets.file();
        assert_eq!((targets.path.as_str(), targets.limit), ("y.csv", Some(50)), "merged, then overridden");
        assert_eq!(job.inputs.file().path, "x.csv", "the anchor's own value is unchanged");
        let expected = parse_job("job.toml", "KIND = \"TuningJob\"\ninputs = { KIND = \"CsvReader\", path = \"x.csv\" }\ntargets = { KIND = \"CsvReader\", path = \"y.csv\" }\n[model]\nKIND = \"Ridge\"\nalpha = 2.0\nfit_intercept = false\n").unwrap();
        assert_eq!(job.model, expected.model, "a list of merges, and the mapping's own key wins");
        let alias = format!(
            "{MINIMAL}searcher:\n  KIND: GridCVSearcher\n  param_grid: {{alpha: &a [0.1, 1.0], l1_ratio: *a}}\n"
        );
        assert!(parse_job("job.yaml", &alias).is_ok());
    }

    #[test]
    fn an_unknown_key_names_its_line_and_section() {
        let text = format!("{MINIMAL}splitter:\n  KIND: KFoldSplitter\n  n_split: 3\n");
        assert_eq!(
            error(&text),
            "job.yaml:10: splitter: unknown key `n_split`, expected one of `n_splits`, `shuffle`, `random_state`"
        );
        assert_eq!(
            error(&format!("{MINIMAL}serching: {{}}\n")),
            "job.yaml:8: unknown key `serching`, expected one of `KIND`, `run_config`, `inputs`, `targets`, `preprocess`, `model`, `metric`, `splitter`, `searcher`, `mlflow`, `alerts`, `logger`"
        );
        let first = "serching: 1\nKIND: TuningJob\n";
        assert!(error(first).starts_with("job.yaml:1: unknown key `serching`"), "{}", error(first));
    }

    #[test]
    fn a_wrong_type_names_the_key_and_what_was_expected() {
        let text = format!("{MINIMAL}splitter:\n  KIND: KFoldSplitter\n  n_splits: five\n");
        assert_eq!(
            error(&text),
            "job.yaml:8: splitter: invalid type: string \"five\", expected a whole number, 0 or more"
        );
        let text = format!("{MINIMAL}alerts:\n  enable: maybe\n");
        assert_eq!(error(&text), "job.yaml:9: alerts.enable: invalid type: string \"maybe\", expected true or false");
        // YAML 1.1 booleans, as the original project's PyYAML reads them.
        assert!(!parse_job("job.yaml", &format!("{MINIMAL}alerts:\n  enable: no\n")).unwrap().alerts.enable);
    }

    #[test]
    fn an_unknown_kind_lists_the_known_ones() {
        let text = format!("{MINIMAL}splitter:\n  KIND: KFold\n");
        assert_eq!(
            error(&text),
            "job.yaml:9: splitter.KIND: unknown variant `KFold`, expected one of `TrainTestSplitter`, `TimeSeriesSplitter`, `KFoldSplitter`, `StratifiedKFoldSplitter` (unknown KIND)"
        );
    }

    #[test]
    fn syntax_errors_say_the_line_and_what_to_fix() {
        let cases = [
            (
                format!("{MINIMAL}splitter:\n\tKIND: KFoldSplitter\n"),
                "job.yaml:9: a tab in the indentation: YAML indents with spaces only; replace the tab with spaces",
            ),
            (
                format!("{MINIMAL}splitter:\n  KIND: KFoldSplitter\n n_splits: 3\n"),
                "job.yaml:10: this line's indentation does not match its section's: the keys of one section start in the same column",
            ),
            (
                format!("{MINIMAL}splitter:\n  KIND KFoldSplitter\n  n_splits: 3\n"),
                "job.yaml:10: a `key: value` cannot start here: check the line above for its colon (`key: value`, a space after the colon) and this line's indentation (a nested key is indented more than its section)",
            ),
            (
                format!("{MINIMAL}model:\n  KIND: Ridge\n  alpha: 1.0\n  alpha: 2.0\n"),
                "job.yaml:11: `alpha` is set twice; keep one of them",
            ),
            (
                format!("{MINIMAL}model:\n  <<: *base\n"),
                "job.yaml:9: the alias `*base` names no anchor: define the anchor above it (`&name`, as in `inputs: &reader`), or fix the name",
            ),
            (format!("{MINIMAL}model: {{KIND: Ridge\n"), "job.yaml:8: unclosed bracket '{'; add the closing one"),
            (
                format!("{MINIMAL}---\nKIND: TuningJob\n"),
                "job.yaml:9: a second YAML document (after `---`): a config is one document; remove the `---` and what follows it",
            ),
            (
                format!("{MINIMAL}model:\n  - Ridge\n"),
                "job.yaml:9: model: expected indented `key: value` lines here, not a list or a single value",
            ),
            (String::new(), "job.yaml:1: the config is empty; it needs at least KIND, inputs and targets"),
            (
                "# nothing but a comment\n".to_string(),
                "job.yaml:2: the config is empty; it needs at least KIND, inputs and targets",
            ),
            (
                "- KIND: TuningJob\n".to_string(),
                "job.yaml:1: expected indented `key: value` lines here, not a list or a single value",
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(error(&text), expected, "{text}");
        }
    }

    #[test]
    fn model_files_may_be_yaml() {
        let model = parse_model("model.yaml", "KIND: Ridge\nalpha: 1.0\nfit_intercept: false\n").unwrap();
        assert_eq!(model.kind.as_deref(), Some("Ridge"));
        assert_eq!(model.params.len(), 2);
        let e = parse_model("model.yml", "KIND: Ridge\nalpha: [1.0\n").unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
    }

    /// Every YAML error has a line or a key, and nothing panics, on broken text.
    #[test]
    fn broken_yaml_never_panics_and_always_says_where() {
        let base =
            format!("{MINIMAL}model:\n  KIND: Ridge\n  alpha: 1.0\nsplitter:\n  KIND: KFoldSplitter\n  n_splits: 3\n");
        for cut in 0..base.len() {
            for insert in ["\t", ":", "- ", "&a ", "*a", "<<: ", "{", "[", "\"", "\n ", "!!str "] {
                let text = format!("{}{insert}{}", &base[..cut], &base[cut..]);
                if let Err(e) = parse_job("job.yaml", &text) {
                    assert!(e.line.is_some() || !e.path.is_empty(), "no line and no key for {text:?}: {e}");
                    assert!(!e.message.trim().is_empty(), "{text:?}");
                }
            }
        }
        let _: JobConfig = parse_job("job.yaml", &base).unwrap();
    }
}
