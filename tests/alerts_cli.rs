//! Completion alerts from the CLI to a real HTTP receiver on 127.0.0.1,
//! started by each test: one alert per run, with the best score; the failure
//! alert; a receiver that answers 500 or is down leaves the results intact;
//! the webhook URL (a secret) appears in no output.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

/// What the receiver got: (request line, headers, body).
type Received = Arc<Mutex<Vec<(String, Vec<String>, String)>>>;

/// A webhook receiver answering every request with `status` (and CORS headers).
fn receiver(status: u16) -> (String, Received) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hooks/SECRET-TOKEN-123", listener.local_addr().unwrap());
    let received: Received = Arc::default();
    let log = received.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request_line = String::new();
            reader.read_line(&mut request_line).unwrap();
            let mut headers = Vec::new();
            let mut length = 0;
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                let line = line.trim_end().to_string();
                if line.is_empty() {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap();
                }
                headers.push(line);
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            log.lock().unwrap().push((
                request_line.trim_end().to_string(),
                headers,
                String::from_utf8_lossy(&body).into(),
            ));
            let mut stream = stream;
            // Like many real servers, the answer echoes the request line, token and all
            // (issue 12: the CLI printed it on stderr when the status was an error).
            let answer = format!("unknown hook: {}", request_line.trim_end());
            let _ = write!(
                stream,
                "HTTP/1.1 {status} X\r\nAccess-Control-Allow-Origin: *\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}",
                answer.len()
            );
        }
    });
    (url, received)
}

/// Writes a job on the diabetes data with this `[alerts]` table and runs it.
fn run_job(name: &str, alerts: &str, broken_data: bool) -> (Output, PathBuf) {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/diabetes");
    let inputs = if broken_data {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/configs/data/ragged.csv")
    } else {
        data.join("inputs.csv")
    };
    let job = format!(
        "KIND = \"TuningJob\"\n[inputs]\nKIND = \"CsvReader\"\npath = \"{}\"\n[targets]\nKIND = \"CsvReader\"\npath = \"{}\"\n\
         [model]\nKIND = \"Ridge\"\n[splitter]\nKIND = \"KFoldSplitter\"\nn_splits = 3\n\
         [searcher]\nKIND = \"GridCVSearcher\"\nparam_grid = {{ alpha = [0.1, 1.0] }}\n{alerts}",
        inputs.display(),
        data.join("targets.csv").display()
    );
    std::fs::write(dir.join("job.toml"), job).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_tuna"))
        .args(["run", dir.join("job.toml").to_str().unwrap(), "--out", dir.join("results.json").to_str().unwrap()])
        .output()
        .unwrap();
    (out, dir)
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

fn assert_secret_stays_out(out: &Output, dir: &Path) {
    assert!(!text(out).contains("SECRET-TOKEN"), "the webhook URL leaked into the output:\n{}", text(out));
    for file in ["results.json", "cv_results.csv"] {
        if let Ok(content) = std::fs::read_to_string(dir.join(file)) {
            assert!(!content.contains("SECRET-TOKEN"), "the webhook URL leaked into {file}");
        }
    }
}

#[test]
fn a_finished_run_sends_exactly_one_alert_with_the_best_score() {
    let (url, received) = receiver(200);
    let (out, dir) = run_job("alert_ok", &format!("[alerts]\nwebhook_url = \"{url}\"\nformat = \"json\"\n"), false);
    assert!(out.status.success(), "{}", text(&out));
    let results: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("results.json")).unwrap()).unwrap();
    let got = received.lock().unwrap().clone();
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, "POST /hooks/SECRET-TOKEN-123 HTTP/1.1");
    let body: serde_json::Value = serde_json::from_str(&got[0].2).unwrap();
    assert_eq!(body["title"], "Tuning Job Finished");
    assert_eq!(body["best_score"], results["best_score"]);
    assert_eq!(body["best_params"], results["best_params"]);
    assert!(text(&out).contains("the json webhook accepted the alert"));
    assert_secret_stays_out(&out, &dir);
}

#[test]
fn a_failed_run_sends_the_failure_alert() {
    let (url, received) = receiver(200);
    let (out, dir) = run_job("alert_failed", &format!("[alerts]\nwebhook_url = \"{url}\"\nformat = \"slack\"\n"), true);
    assert_eq!(out.status.code(), Some(1));
    let got = received.lock().unwrap().clone();
    assert_eq!(got.len(), 1, "{got:?}");
    let body: serde_json::Value = serde_json::from_str(&got[0].2).unwrap();
    let slack_text = body["text"].as_str().unwrap();
    assert!(slack_text.starts_with("*Tuning Job Failed*\nTuning: Step `read the data` failed:"), "{slack_text}");
    assert!(slack_text.contains("row 2 (line 3)"), "{slack_text}");
    assert_secret_stays_out(&out, &dir);
}

#[test]
fn a_receiver_answering_500_leaves_the_results_and_says_so() {
    let (url, received) = receiver(500);
    let (out, dir) = run_job("alert_500", &format!("[alerts]\nwebhook_url = \"{url}\"\nformat = \"discord\"\n"), false);
    assert!(out.status.success(), "a failing webhook never fails the job:\n{}", text(&out));
    assert_eq!(received.lock().unwrap().len(), 1);
    assert!(dir.join("results.json").exists() && dir.join("cv_results.csv").exists());
    assert!(
        text(&out).contains("WARNING: the alert was not sent: the discord webhook answered HTTP 500"),
        "{}",
        text(&out)
    );
    assert_secret_stays_out(&out, &dir);
}

#[test]
fn a_receiver_that_is_down_leaves_the_results_and_says_so() {
    // Bind and drop a listener to get a port nobody listens on.
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let url = format!("http://127.0.0.1:{port}/hooks/SECRET-TOKEN-123");
    let (out, dir) = run_job("alert_down", &format!("[alerts]\nwebhook_url = \"{url}\"\nformat = \"teams\"\n"), false);
    assert!(out.status.success(), "{}", text(&out));
    assert!(dir.join("results.json").exists());
    assert!(
        text(&out).contains("WARNING: the alert was not sent: the teams webhook: cannot reach the server"),
        "{}",
        text(&out)
    );
    assert_secret_stays_out(&out, &dir);
}

#[test]
fn alerts_disabled_send_nothing() {
    let (url, received) = receiver(200);
    let (out, _) = run_job("alert_off", &format!("[alerts]\nenable = false\nwebhook_url = \"{url}\"\n"), false);
    assert!(out.status.success());
    assert!(received.lock().unwrap().is_empty());
}
