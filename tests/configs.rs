//! Every config in `tests/configs/valid` validates; every one in
//! `tests/configs/invalid` fails with the message in its `.expected` file.
#![cfg(not(target_arch = "wasm32"))] // Native services (files on disk): `--target wasm32` builds skip it.

#[path = "common/expected.rs"]
mod expected;

use std::fs;
use std::path::Path;

use expected::{Warnings, cases, each_gives_its_message};
use tuna::io::files::Files;
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
    for path in cases("tests/configs/valid", &["toml", "json"]) {
        if let Err(e) = check(&path) {
            panic!("{} should be valid: {e}", path.display());
        }
    }
}

#[test]
fn invalid_configs_fail_with_their_message() {
    let configs = cases("tests/configs/invalid", &["toml", "json"]);
    each_gives_its_message(&configs, false, |path| match check(path) {
        Ok(what) => format!("no error: {what}"),
        Err(e) => e,
    });
}
