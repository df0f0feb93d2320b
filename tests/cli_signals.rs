//! Ctrl+C and SIGTERM on `tuna run`, sent as real signals to the binary: the
//! first cancels the search and keeps what finished, a second exits at once.
//! Each test waits for what the run prints, never for a fixed time.
#![cfg(unix)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

/// How long any one wait may take before the test calls it a hang.
const HANG: Duration = Duration::from_secs(60);

/// A run that cannot finish during a test on any machine: 30,000 forests of
/// 300 trees on 2 folds, one thread.
fn endless_job(dir: &Path) -> PathBuf {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/friedman1");
    let seeds: Vec<String> = (0..30_000).map(|i| i.to_string()).collect();
    let job = format!(
        "KIND = \"TuningJob\"\n[inputs]\nKIND = \"CsvReader\"\npath = \"{}\"\n[targets]\nKIND = \"CsvReader\"\npath = \"{}\"\n\
         [model]\nKIND = \"RandomForestRegressor\"\nn_estimators = 300\n[splitter]\nKIND = \"KFoldSplitter\"\nn_splits = 2\n\
         [searcher]\nKIND = \"GridCVSearcher\"\nn_jobs = 1\nparam_grid = {{ random_state = [{}] }}\n",
        data.join("inputs.csv").display(),
        data.join("targets.csv").display(),
        seeds.join(", ")
    );
    std::fs::write(dir.join("job.toml"), job).unwrap();
    dir.join("job.toml")
}

/// A running `tuna run` and its stderr, line by line.
struct Run {
    child: Child,
    stderr: Receiver<String>,
    seen: Vec<String>,
    results: PathBuf,
}

impl Run {
    /// Starts the endless job in a fresh folder where an earlier run's results lie.
    fn start(name: &str) -> Run {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let results = dir.join("results.json");
        std::fs::write(&results, "{\"best_score\": 1, \"cancelled\": false}").unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_tuna"))
            .args(["run", endless_job(&dir).to_str().unwrap(), "--out", results.to_str().unwrap()])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (tx, stderr) = channel();
        let pipe = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Run { child, stderr, seen: Vec::new(), results }
    }

    /// Waits for a stderr line containing `text`.
    fn wait_for(&mut self, text: &str) {
        let deadline = Instant::now() + HANG;
        while !self.seen.iter().any(|l| l.contains(text)) {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.stderr.recv_timeout(left) {
                Ok(line) => self.seen.push(line),
                Err(_) => {
                    let _ = self.child.kill();
                    panic!("no line with {text:?} on stderr:\n{}", self.seen.join("\n"));
                }
            }
        }
    }

    fn signal(&self, signal: libc::c_int) {
        let pid = libc::pid_t::try_from(self.child.id()).unwrap();
        // SAFETY: kill(2) on our own child's pid touches no memory of ours.
        assert_eq!(unsafe { libc::kill(pid, signal) }, 0, "the signal reached tuna");
    }

    /// Waits for the process to end, and reads the rest of its stderr.
    fn wait(mut self) -> (ExitStatus, String, PathBuf) {
        let deadline = Instant::now() + HANG;
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("tuna did not end within {HANG:?} of the signal:\n{}", self.seen.join("\n"));
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        self.seen.extend(self.stderr.iter());
        (status, self.seen.join("\n"), self.results)
    }
}

#[test]
fn ctrl_c_or_sigterm_cancels_the_run_and_writes_what_finished() {
    for (name, signal) in [("SIGINT", libc::SIGINT), ("SIGTERM", libc::SIGTERM)] {
        let mut run = Run::start(&format!("signal_{name}"));
        run.wait_for("fits 1/60000");
        run.signal(signal);
        let (status, stderr, results) = run.wait();
        assert_eq!(status.code(), Some(130), "{name}:\n{stderr}");
        assert!(stderr.contains("interrupted: cancelling the search"), "{name}:\n{stderr}");
        assert!(stderr.contains("INFO: [9/9] close run: Killed"), "{name}:\n{stderr}");
        let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&results).unwrap()).unwrap();
        assert_eq!(json["cancelled"], true, "{name}");
        let scores = json["cv_results"]["split0_test_score"].as_array().unwrap();
        assert_eq!(scores.len(), 30_000);
        let finished = scores.iter().filter(|s| s.is_number()).count();
        assert!(finished >= 1, "{name}: the finished fits are kept");
        assert!(finished < 30_000, "{name}: the unfinished ones are null");
        assert_eq!(json["cv_results"]["error"][29_999], "not run: the search was cancelled", "{name}");
        // A candidate scores once both its folds finished (scikit-learn's mean has no NaN skipping).
        let complete =
            (0..30_000).any(|c| (0..2).all(|k| json["cv_results"][format!("split{k}_test_score")][c].is_number()));
        assert_eq!(json["best_score"].is_number(), complete, "{name}: the best of the candidates that finished");
        let csv = std::fs::read_to_string(results.with_file_name("cv_results.csv")).unwrap();
        assert_eq!(csv.lines().count(), 30_001, "{name}");
    }
}

#[test]
fn a_second_ctrl_c_exits_at_once_leaving_no_results() {
    let mut run = Run::start("signal_twice");
    run.wait_for("fits 1/60000");
    run.signal(libc::SIGINT);
    run.wait_for("interrupted: cancelling the search");
    run.signal(libc::SIGINT);
    let (status, stderr, results) = run.wait();
    assert_eq!(status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("interrupted again: stopped at once"), "{stderr}");
    // It did not wait for the fit in progress: nothing was written, and the
    // earlier run's results were removed when this run started.
    assert!(!stderr.contains("[7/9]"), "{stderr}");
    assert!(!results.exists() && !results.with_file_name("cv_results.csv").exists());
}
