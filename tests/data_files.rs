//! Every case in `tests/data/invalid` gives exactly the message in its
//! `.expected` file: bad inputs and targets files as people save them.
//!
//! A case `NAME` is `NAME.inputs.csv` and/or `NAME.targets.csv` (a missing one
//! is `good.inputs.csv` / `good.targets.csv`), and optionally `NAME.toml` with
//! the sections it changes (a classifier, a splitter); the job is otherwise a
//! regression tree on two folds. A case that validates gives its warnings.
#![cfg(not(target_arch = "wasm32"))] // Files on disk: `--target wasm32` builds skip it.

#[path = "common/expected.rs"]
mod expected;

use std::fs;
use std::path::Path;

use expected::{Warnings, cases, each_gives_its_message};
use tuna::io::files::Files;
use tuna::jobs::tuning::TuningJob;

const DIR: &str = "tests/data/invalid";

/// The sections a case's `NAME.toml` may replace.
const DEFAULTS: &[(&str, &str)] = &[
    ("[model]", "[model]\nKIND = \"DecisionTreeRegressor\"\n"),
    ("[splitter]", "[splitter]\nKIND = \"KFoldSplitter\"\nn_splits = 2\n"),
    ("[searcher]", "[searcher]\nKIND = \"GridCVSearcher\"\nparam_grid = { max_depth = [2] }\n"),
];

/// The case's job: its files (or the good ones), its sections over the defaults.
fn job(case: &str) -> String {
    let file = |kind: &str| {
        let own = format!("{case}.{kind}.csv");
        if Path::new(DIR).join(&own).exists() { own } else { format!("good.{kind}.csv") }
    };
    let own = fs::read_to_string(Path::new(DIR).join(format!("{case}.toml"))).unwrap_or_default();
    let mut text = format!(
        "KIND = \"TuningJob\"\n[inputs]\nKIND = \"CsvReader\"\npath = \"{}\"\n[targets]\nKIND = \"CsvReader\"\npath = \"{}\"\n{own}",
        file("inputs"),
        file("targets")
    );
    for (section, default) in DEFAULTS {
        if !own.contains(section) {
            text += default;
        }
    }
    text
}

/// The job's error, or its warnings when it validates.
fn message(expected: &Path) -> String {
    let case = expected.file_stem().unwrap().to_str().unwrap();
    let job = TuningJob::from_config(&format!("{case}.toml"), &job(case)).unwrap();
    let warnings = Warnings::default();
    match pollster::block_on(job.validate(&Files { base: DIR.into() }, &warnings)) {
        Err(e) => e.to_string(),
        Ok(_) => warnings.0.take().join("\n"),
    }
}

#[test]
fn bad_data_files_give_their_message() {
    each_gives_its_message(&cases(DIR, &["expected"]), true, message);
}

#[test]
fn the_good_files_validate_without_warnings() {
    assert_eq!(message(Path::new("tests/data/invalid/good.expected")), "");
}
