//! Every config in `tests/configs/valid` validates; every one in
//! `tests/configs/invalid` fails with the message in its `.expected` file.
#![cfg(not(target_arch = "wasm32"))] // Native services (files on disk): `--target wasm32` builds skip it.

use std::fs;
use std::path::{Path, PathBuf};

use tuna::io::config::Level;
use tuna::io::files::Files;
use tuna::io::services::Logger;
use tuna::jobs::tuning::TuningJob;

struct Quiet;

impl Logger for Quiet {
    fn log(&self, _: Level, _: &str) {}
}

/// Parses and validates a config file (data, model, candidates, folds).
fn check(path: &Path) -> Result<String, String> {
    let text = fs::read_to_string(path).map_err(|e| e.to_string())?;
    let job = TuningJob::from_config(&path.display().to_string(), &text).map_err(|e| e.to_string())?;
    let prepared = pollster::block_on(job.validate(&Files::beside(path), &Quiet)).map_err(|e| e.to_string())?;
    Ok(format!("{} fits", prepared.plan.units().len()))
}

fn configs(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("toml" | "json")))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no configs in {dir}");
    files
}

#[test]
fn valid_configs_validate() {
    for path in configs("tests/configs/valid") {
        if let Err(e) = check(&path) {
            panic!("{} should be valid: {e}", path.display());
        }
    }
}

#[test]
fn invalid_configs_fail_with_their_message() {
    let mut problems = Vec::new();
    for path in configs("tests/configs/invalid") {
        let expected = fs::read_to_string(path.with_extension("expected"))
            .unwrap_or_else(|_| panic!("{} has no .expected file", path.display()));
        let expected = expected.trim();
        match check(&path) {
            Ok(what) => problems.push(format!("{}: expected an error, got {what}", path.display())),
            Err(e) if e.contains(expected) => {}
            Err(e) => problems.push(format!("{}:\n  expected: {expected}\n  got:      {e}", path.display())),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
