//! The two layouts a job config comes in: Tuna's (the job's keys at the top)
//! and the original project's (all of them under `job:`), and the defaults
//! the original layout brings where its project's differ from Tuna's.
//!
//! Only the preprocessing differs: Tuna's model, metric, splitter and searcher
//! defaults are the original job's already (a test holds them to
//! `examples/bikes/tuning.toml`, which spells the original job out), but
//! without a section Tuna gives the columns to the model as they are, while
//! the original model is a scikit-learn Pipeline whose ColumnTransformer
//! one-hot encodes two columns and passes twelve through.

use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::JobConfig;
use crate::core::preprocess::{
    ColumnTransformer, Columns, HandleUnknown, OneHotEncoder, PassthroughWord, Preprocess, Remainder, Step, Steps,
    Transformer,
};

/// Which layout a config was written in. Not part of the config itself: it is
/// never serialized, and a shared config is in Tuna's layout with every
/// default written out.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Layout {
    /// The job's keys at the top.
    #[default]
    Tuna,
    /// Every key under `job:`, as the original project writes its jobs.
    Original {
        /// The keys the config leaves unset whose original default was taken.
        defaults: Vec<OriginalDefault>,
    },
}

/// A default of the original project that differs from Tuna's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OriginalDefault {
    /// The original model's ColumnTransformer ([`original_preprocess`]).
    Preprocess,
}

/// The original model's one-hot encoded columns.
const CATEGORICALS: [&str; 2] = ["season", "weathersit"];

/// The original model's columns passed through as they are.
const NUMERICALS: [&str; 12] = [
    "yr",
    "mnth",
    "hr",
    "holiday",
    "weekday",
    "workingday",
    "temp",
    "atemp",
    "hum",
    "windspeed",
    "casual",
    "registered",
];

/// The original model's preprocessing: `OneHotEncoder(sparse_output=False,
/// handle_unknown="ignore")` on the categoricals first, the numericals passed
/// through, `remainder="drop"` (so `dteday` is left out).
pub fn original_preprocess() -> Preprocess {
    let names = |columns: &[&str]| Columns::Names(columns.iter().map(|c| c.to_string()).collect());
    let one_hot = Step::OneHotEncoder(OneHotEncoder { handle_unknown: HandleUnknown::Ignore, drop: None });
    Preprocess::ColumnTransformer(ColumnTransformer {
        remainder: Remainder::Drop,
        transformers: vec![
            Transformer {
                name: "categoricals".into(),
                columns: names(&CATEGORICALS),
                steps: Steps::Pipeline(vec![one_hot]),
            },
            Transformer {
                name: "numericals".into(),
                columns: names(&NUMERICALS),
                steps: Steps::Passthrough(PassthroughWord::Passthrough),
            },
        ],
    })
}

impl OriginalDefault {
    /// The key and what it was given, for the log.
    pub fn describe(self) -> String {
        match self {
            OriginalDefault::Preprocess => format!(
                "preprocess (one-hot {}; passthrough {} numeric columns; dteday and any other column dropped)",
                CATEGORICALS.join(", "),
                NUMERICALS.len()
            ),
        }
    }

    /// Said after a problem with the defaulted value: where it came from and how to replace it.
    pub fn hint(self) -> &'static str {
        match self {
            OriginalDefault::Preprocess => {
                "this preprocess is the original layout's default, as the config sets no `preprocess` under `job:`; \
                 set one there to choose the columns yourself"
            }
        }
    }
}

impl Layout {
    /// The log line saying which layout the config is in and what it took
    /// from it; none for Tuna's layout.
    pub fn note(&self) -> Option<String> {
        let Layout::Original { defaults } = self else { return None };
        let taken = if defaults.is_empty() {
            "none (the config sets every key whose default differs)".to_string()
        } else {
            defaults.iter().map(|d| d.describe()).collect::<Vec<_>>().join(", ")
        };
        Some(format!("config: original layout (job:); defaults taken from it: {taken}"))
    }

    /// Whether the config's value for `default`'s key is the original's default.
    pub fn took(&self, default: OriginalDefault) -> bool {
        matches!(self, Layout::Original { defaults } if defaults.contains(&default))
    }
}

/// A parsed job config in either layout.
pub(super) struct Document {
    config: JobConfig,
    original: bool,
}

impl Document {
    /// The config, with the original layout's defaults where it leaves keys unset.
    pub(super) fn into_config(self) -> JobConfig {
        let mut config = self.config;
        if self.original {
            let mut defaults = Vec::new();
            if config.preprocess.is_none() {
                config.preprocess = Some(original_preprocess());
                defaults.push(OriginalDefault::Preprocess);
            }
            config.layout = Layout::Original { defaults };
        }
        config
    }
}

/// Reads the first key: `job` is the original layout (its value is the job);
/// any other is Tuna's, and the whole map, that key included, is the job.
/// One pass over the text, so errors keep their lines and key paths.
impl<'de> Deserialize<'de> for Document {
    fn deserialize<D: Deserializer<'de>>(de: D) -> Result<Document, D::Error> {
        de.deserialize_map(DocumentVisitor)
    }
}

struct DocumentVisitor;

impl<'de> Visitor<'de> for DocumentVisitor {
    type Value = Document;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a job config: keys such as KIND, inputs and targets (or all of them under `job`)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Document, A::Error> {
        let first = map.next_key::<String>()?;
        if first.as_deref() == Some("job") {
            let config: JobConfig = map.next_value()?;
            if let Some(other) = map.next_key::<String>()? {
                // Worded as serde's unknown key, so the message gets its line.
                return Err(de::Error::custom(format!(
                    "unknown field `{other}` beside `job`: in the original layout every key of the job goes under `job:`; move it there"
                )));
            }
            return Ok(Document { config, original: true });
        }
        let config = JobConfig::deserialize(de::value::MapAccessDeserializer::new(Replay { first, map }))?;
        Ok(Document { config, original: false })
    }
}

/// A map whose first key was read already: gives it again, then the rest.
struct Replay<A> {
    first: Option<String>,
    map: A,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Replay<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, A::Error> {
        match self.first.take() {
            Some(key) => seed.deserialize(key.into_deserializer()).map(Some),
            None => self.map.next_key_seed(seed),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.map.next_value_seed(seed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::config::{FileReader, ReaderKind, parse_job};

    const ORIGINAL: &str = "job:\n  KIND: TuningJob\n  inputs:\n    KIND: CsvReader\n    path: x.csv\n  targets:\n    KIND: CsvReader\n    path: y.csv\n";

    /// The bikes example spells the original job out; Tuna's defaults must be
    /// its values everywhere but the preprocessing, which the layout supplies.
    #[test]
    fn tunas_defaults_are_the_original_jobs_but_for_the_preprocessing() {
        let original = parse_job("tuning.toml", include_str!("../../../examples/bikes/tuning.toml")).unwrap();
        let flat = parse_job(
            "job.yaml",
            "KIND: TuningJob\ninputs: {KIND: CsvReader, path: x.csv}\ntargets: {KIND: CsvReader, path: y.csv}\n",
        )
        .unwrap();
        assert_eq!(
            (&flat.model, &flat.splitter, &flat.searcher),
            (&original.model, &original.splitter, &original.searcher)
        );
        // The example writes no `greater_is_better`, the default says false: the same metric.
        assert_eq!(flat.metric.check(), original.metric.check());
        assert_eq!(flat.preprocess, None, "Tuna's own layout gives the columns as they are");
        assert_eq!(original.preprocess, Some(original_preprocess()));
    }

    #[test]
    fn the_original_layout_takes_the_original_preprocess_when_unset() {
        let job = parse_job("job.yaml", ORIGINAL).unwrap();
        assert_eq!(job.preprocess, Some(original_preprocess()));
        assert_eq!(job.layout, Layout::Original { defaults: vec![OriginalDefault::Preprocess] });
        assert_eq!(
            job.layout.note().unwrap(),
            "config: original layout (job:); defaults taken from it: preprocess (one-hot season, weathersit; \
             passthrough 12 numeric columns; dteday and any other column dropped)"
        );
        assert!(job.layout.took(OriginalDefault::Preprocess));
    }

    #[test]
    fn a_preprocess_set_under_job_wins() {
        let text = format!("{ORIGINAL}  preprocess:\n    KIND: ColumnTransformer\n    remainder: passthrough\n");
        let job = parse_job("job.yaml", &text).unwrap();
        let Some(Preprocess::ColumnTransformer(section)) = &job.preprocess else { panic!("a section") };
        assert_eq!((section.remainder, section.transformers.len()), (Remainder::Passthrough, 0));
        assert_eq!(job.layout, Layout::Original { defaults: vec![] });
        assert!(!job.layout.took(OriginalDefault::Preprocess));
        assert_eq!(
            job.layout.note().unwrap(),
            "config: original layout (job:); defaults taken from it: none (the config sets every key whose default differs)"
        );
        assert_eq!(
            parse_job("job.yaml", &ORIGINAL.replace("job:\n  ", "").replace("\n  ", "\n")).unwrap().layout.note(),
            None
        );
    }

    #[test]
    fn toml_and_json_may_use_the_original_layout_too() {
        let yaml = parse_job("job.yaml", ORIGINAL).unwrap();
        let toml = "[job]\nKIND = \"TuningJob\"\ninputs = { KIND = \"CsvReader\", path = \"x.csv\" }\n\
                    [job.targets]\nKIND = \"CsvReader\"\npath = \"y.csv\"\n";
        let json = r#"{"job": {"KIND": "TuningJob", "inputs": {"KIND": "CsvReader", "path": "x.csv"},
                       "targets": {"KIND": "CsvReader", "path": "y.csv"}}}"#;
        assert_eq!(parse_job("job.toml", toml).unwrap(), yaml);
        assert_eq!(parse_job("job.json", json).unwrap(), yaml);
        let beside = parse_job("job.toml", &format!("{toml}[splitter]\nKIND = \"KFoldSplitter\"\n")).unwrap_err();
        assert_eq!(beside.line, Some(7), "{beside}");
    }

    #[test]
    fn mistakes_under_job_name_their_whole_key_path() {
        let e = parse_job("job.yaml", &format!("{ORIGINAL}  splitter:\n    KIND: KFoldSplitter\n    n_split: 3\n"));
        assert_eq!(
            e.unwrap_err().to_string(),
            "job.yaml:11: job.splitter: unknown key `n_split`, expected one of `n_splits`, `shuffle`, `random_state`"
        );
        let e = parse_job("job.yaml", &format!("{ORIGINAL}splitter:\n  KIND: KFoldSplitter\n"));
        assert_eq!(
            e.unwrap_err().to_string(),
            "job.yaml:9: unknown key `splitter` beside `job`: in the original layout every key of the job goes under `job:`; move it there"
        );
        let e = parse_job("job.yaml", "job: 3\n").unwrap_err();
        assert_eq!((e.line, e.path.as_str()), (Some(1), "job"), "{e}");
        let e = parse_job("job.yaml", "job:\n  KIND: TrainingJob\n").unwrap_err().to_string();
        assert_eq!(e, "job.yaml:2: job.KIND: unknown variant `TrainingJob`, expected `TuningJob` (unknown KIND)");
    }

    /// The original project's own job file (`../shared/seed-bikes`, beside the repository).
    #[test]
    fn the_seed_bikes_job_reads_with_its_readers_and_the_original_preprocess() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/seed-bikes/tuning.yaml");
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let job = parse_job("../shared/seed-bikes/tuning.yaml", &text).unwrap();
        let parquet =
            |path: &str| ReaderKind::ParquetReader(FileReader { path: path.into(), limit: None, column: None });
        assert_eq!((&job.inputs, &job.targets), (&parquet("inputs_train.parquet"), &parquet("targets_train.parquet")));
        assert_eq!(job.preprocess, Some(original_preprocess()));
        assert!(job.layout.took(OriginalDefault::Preprocess));
        let shared = job.shareable_toml();
        let again = parse_job("shared.toml", &shared).unwrap();
        assert_eq!(again.layout, Layout::Tuna, "a shared config is in Tuna's layout, its defaults written out");
        assert_eq!(again, JobConfig { layout: Layout::Tuna, ..job });
    }
}
