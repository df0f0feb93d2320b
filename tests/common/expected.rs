//! Suites of bad input files, each beside a `.expected` file holding the
//! message it must produce (`tests/configs/invalid`, `tests/data/invalid`).

use std::fs;
use std::path::{Path, PathBuf};

use tuna::io::config::Level;
use tuna::io::services::Logger;

/// The files in `dir` whose extension is one of `extensions`, sorted; a suite
/// that finds none fails instead of passing empty.
pub fn cases(dir: &str, extensions: &[&str]) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().and_then(|e| e.to_str()).is_some_and(|e| extensions.contains(&e)))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no cases in {dir}");
    files
}

/// Runs `message` on every case and fails once, listing every case whose
/// message does not match its `.expected` file: is it (`exact`), or holds it
/// (config messages carry whole paths and long lists). With `TUNA_BLESS=1`
/// an exact suite writes each case's message into its `.expected` file
/// instead (read the diff before committing it).
pub fn each_gives_its_message(cases: &[PathBuf], exact: bool, message: impl Fn(&Path) -> String) {
    let mut problems = Vec::new();
    for case in cases {
        if exact && std::env::var_os("TUNA_BLESS").is_some() {
            fs::write(case.with_extension("expected"), message(case) + "\n").unwrap();
            continue;
        }
        let expected = fs::read_to_string(case.with_extension("expected"))
            .unwrap_or_else(|_| panic!("{} has no .expected file", case.display()));
        let (expected, got) = (expected.trim(), message(case));
        if !(got == expected || !exact && got.contains(expected)) {
            problems.push(format!("{}:\n  expected: {expected}\n  got:      {got}", case.display()));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A logger that keeps the warnings, as `WARNING: ...` lines.
#[derive(Default)]
pub struct Warnings(pub std::cell::RefCell<Vec<String>>);

impl Logger for Warnings {
    fn log(&self, level: Level, message: &str) {
        if level == Level::Warning {
            self.0.borrow_mut().push(format!("WARNING: {message}"));
        }
    }
}
