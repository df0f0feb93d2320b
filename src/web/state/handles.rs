//! The signals the panels share. The panels that change a piece of state get
//! its handle; the ones that only read it get its read half.

use leptos::prelude::*;

use super::readiness::{Status, status};
use crate::io::config::ConfigError;
use crate::jobs::tuning::TuningJob;
use crate::web::preview::{Loaded, pair_check};

/// The config text parsed by the engine (`config:LINE: key: message` on
/// error): the read half of [`Config`], for panels that run the job or
/// report it but never edit it.
pub type ParsedConfig = Memo<Result<TuningJob, ConfigError>>;

/// The config editor's text and what it parses to.
#[derive(Clone, Copy)]
pub struct Config {
    /// The TOML (or JSON, YAML) text: the source of truth; the form edits it too.
    pub text: RwSignal<String>,
    /// The text, parsed.
    pub parsed: ParsedConfig,
    /// The job's check of it (every candidate), made once for the editor and Run.
    pub status: Memo<Status>,
}

impl Config {
    /// A config holding `text`.
    pub fn new(text: String) -> Config {
        let text = RwSignal::new(text);
        let parsed = Memo::new(move |_| text.with(|t| TuningJob::from_config("config", t)));
        Config { text, parsed, status: Memo::new(move |_| parsed.with(status)) }
    }
}

/// The picked pair's check against the job (rows, target, classes, folds):
/// made once for the data panel and Run. `None` until both files read cleanly.
pub type PairCheck = Memo<Option<Result<String, String>>>;

/// The picked (or demo) files, for the data panel that picks them.
#[derive(Clone, Copy)]
pub struct Files {
    /// The inputs CSV.
    pub inputs: RwSignal<Option<Loaded>>,
    /// The targets CSV.
    pub targets: RwSignal<Option<Loaded>>,
    /// Whether the demo's files are on their way.
    pub loading: RwSignal<bool>,
}

impl Files {
    /// Nothing picked yet.
    pub fn new() -> Files {
        Files { inputs: RwSignal::new(None), targets: RwSignal::new(None), loading: RwSignal::new(false) }
    }

    /// The pair's check against `config`'s job, as either changes.
    pub fn checked_against(self, config: Config) -> PairCheck {
        Memo::new(move |_| {
            self.inputs.with(|x| {
                self.targets.with(|y| {
                    let (x, y) = (x.as_ref()?, y.as_ref()?);
                    config.parsed.with(|cfg| pair_check(x, y, Some(cfg.as_ref().ok()?.config())))
                })
            })
        })
    }

    /// The read half, for the run bar.
    pub fn read_only(self) -> ReadFiles {
        ReadFiles {
            inputs: self.inputs.read_only(),
            targets: self.targets.read_only(),
            loading: self.loading.read_only(),
        }
    }
}

impl Default for Files {
    fn default() -> Self {
        Files::new()
    }
}

/// The picked files, read-only.
#[derive(Clone, Copy)]
pub struct ReadFiles {
    /// The inputs CSV.
    pub inputs: ReadSignal<Option<Loaded>>,
    /// The targets CSV.
    pub targets: ReadSignal<Option<Loaded>>,
    /// Whether the demo's files are on their way.
    pub loading: ReadSignal<bool>,
}
