//! Every config in `tests/configs/valid` validates; every one in
//! `tests/configs/invalid` fails with the message in its `.expected` file.
#![cfg(not(target_arch = "wasm32"))] // Native services (files on disk): `--target wasm32` builds skip it.

#[path = "common/expected.rs"]
mod expected;

use std::fs;
use std::path::Path;

use expected::{Warnings, cases, each_gives_its_message};
use tuna::io::config::Level;
use tuna::io::files::Files;
use tuna::io::services::Logger;
use tuna::jobs::tuning::TuningJob;

/// Parses and validates a config file (data, model, candidates, folds).
fn check(path: &Path) -> Result<String, String> {
    let text = fs::read_to_string(path).map_err(|e| e.to_string())?;
    let job = TuningJob::from_config(&path.display().to_string(), &text).map_err(|e| e.to_string())?;
    let prepared =
        pollster::block_on(job.validate(&Files::beside(path), &Warnings::default())).map_err(|e| e.to_string())?;
    Ok(format!("{} fits", prepared.plan.units().len()))
}

#[test]
fn valid_configs_validate() {
    for path in cases("tests/configs/valid", &["toml", "json", "yaml", "yml"]) {
        if let Err(e) = check(&path) {
            panic!("{} should be valid: {e}", path.display());
        }
    }
}

#[test]
fn invalid_configs_fail_with_their_message() {
    let configs = cases("tests/configs/invalid", &["toml", "json", "yaml", "yml"]);
    each_gives_its_message(&configs, false, |path| match check(path) {
        Ok(what) => format!("no error: {what}"),
        Err(e) => e,
    });
}

/// Every line a job logs.
#[derive(Default)]
struct Lines(std::cell::RefCell<Vec<String>>);

impl Logger for Lines {
    fn log(&self, _: Level, message: &str) {
        self.0.borrow_mut().push(message.to_string());
    }
}

/// The original layout's log says which defaults came from it.
#[test]
fn the_original_layout_logs_the_defaults_it_took() {
    let path = Path::new("tests/configs/valid/original_layout_bikes.yml");
    let job = TuningJob::from_config("original_layout_bikes.yml", &fs::read_to_string(path).unwrap()).unwrap();
    let lines = Lines::default();
    pollster::block_on(job.validate(&Files::beside(path), &lines)).unwrap();
    let lines = lines.0.into_inner();
    let at = lines.iter().position(|l| l.starts_with("config: original layout (job:)")).expect("the layout's line");
    assert_eq!(lines[at - 1], "[3/9] read the data", "{lines:?}");
    assert!(lines[at].ends_with("defaults taken from it: preprocess (one-hot season, weathersit; passthrough 12 numeric columns; dteday and any other column dropped)"), "{}", lines[at]);
}
