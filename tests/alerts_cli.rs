//! Completion alerts from the CLI to a real HTTP receiver on 127.0.0.1,
//! started by each test: one alert per run, with the best score; the failure
//! alert once the search started, none before; a receiver that answers 500,
//! is down or is slow leaves the results intact; the webhook URL (a secret)
//! appears in no output.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::mpsc::{Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One request: (request line, headers, body).
type Request = (String, Vec<String>, String);

/// What the receiver got.
type Received = Arc<Mutex<Vec<Request>>>;

/// Reads one HTTP request from `stream`.
fn read_request(stream: &TcpStream) -> Request {
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
    (request_line.trim_end().to_string(), headers, String::from_utf8_lossy(&body).into())
}

/// Answers with `status` (and CORS headers).
fn answer(mut stream: TcpStream, status: u16, text: &str) {
    let _ = write!(
        stream,
        "HTTP/1.1 {status} X\r\nAccess-Control-Allow-Origin: *\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
        text.len()
    );
}

fn listen() -> (TcpListener, String) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hooks/SECRET-TOKEN-123", listener.local_addr().unwrap());
    (listener, url)
}

/// A webhook receiver answering every request with `status`.
fn receiver(status: u16) -> (String, Received) {
    let (listener, url) = listen();
    let received: Received = Arc::default();
    let log = received.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let request = read_request(&stream);
            // Like many real servers, the answer echoes the request line, token and all
            // (issue 12: the CLI printed it on stderr when the status was an error).
            let text = format!("unknown hook: {}", request.0);
            log.lock().unwrap().push(request);
            answer(stream, status, &text);
        }
    });
    (url, received)
}

/// A slow webhook: it holds the first request open, says so on the returned
/// channel, and answers 200 only when the test sends on the channel it was given.
fn holding_receiver() -> (String, std::sync::mpsc::Receiver<Sender<()>>) {
    let (listener, url) = listen();
    let (held, holding) = channel();
    std::thread::spawn(move || {
        let Some(stream) = listener.incoming().flatten().next() else { return };
        read_request(&stream);
        let (release, released) = channel();
        held.send(release).unwrap();
        let _ = released.recv();
        answer(stream, 200, "ok");
    });
    (url, holding)
}

/// What the test job searches, and on which data.
#[derive(Clone, Copy)]
enum Job {
    /// Ridge on the diabetes data: every fit succeeds.
    Ridge,
    /// Ridge on a ragged CSV: the job fails reading the data, before its search.
    BrokenData,
    /// Every fit fails (2 folds leave 221 training rows, too few for 300
    /// neighbours) under `error_score = nan`, so the search fails.
    AllFitsFail,
}

/// Writes the job with this `[alerts]` table into a fresh folder; the command that runs it.
fn job(name: &str, job: Job, alerts: &str) -> (Command, PathBuf) {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/diabetes");
    let inputs = match job {
        Job::BrokenData => Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/configs/data/ragged.csv"),
        Job::Ridge | Job::AllFitsFail => data.join("inputs.csv"),
    };
    let search = match job {
        Job::Ridge | Job::BrokenData => {
            "[model]\nKIND = \"Ridge\"\n[splitter]\nKIND = \"KFoldSplitter\"\nn_splits = 3\n\
             [searcher]\nKIND = \"GridCVSearcher\"\nparam_grid = { alpha = [0.1, 1.0] }\n"
        }
        Job::AllFitsFail => {
            "[model]\nKIND = \"KNeighborsRegressor\"\n[splitter]\nKIND = \"KFoldSplitter\"\nn_splits = 2\n\
             [searcher]\nKIND = \"GridCVSearcher\"\nerror_score = nan\nparam_grid = { n_neighbors = [300, 400] }\n"
        }
    };
    let text = format!(
        "KIND = \"TuningJob\"\n[inputs]\nKIND = \"CsvReader\"\npath = \"{}\"\n[targets]\nKIND = \"CsvReader\"\npath = \"{}\"\n\
         {search}{alerts}",
        inputs.display(),
        data.join("targets.csv").display()
    );
    std::fs::write(dir.join("job.toml"), text).unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_tuna"));
    command.args(["run", dir.join("job.toml").to_str().unwrap(), "--out", dir.join("results.json").to_str().unwrap()]);
    (command, dir)
}

/// Runs the job to its end.
fn run_job(name: &str, alerts: &str, which: Job) -> (Output, PathBuf) {
    let (mut command, dir) = job(name, which, alerts);
    (command.output().unwrap(), dir)
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
    let (out, dir) =
        run_job("alert_ok", &format!("[alerts]\nwebhook_url = \"{url}\"\nformat = \"json\"\n"), Job::Ridge);
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

/// Issue 12: a config or data mistake, found before any fit ran, posted "Tuning Job Failed" to the team's channel.
#[test]
fn issue_12_a_job_failing_before_its_search_sends_no_alert() {
    let (url, received) = receiver(200);
    let alerts = format!("[alerts]\nwebhook_url = \"{url}\"\nformat = \"slack\"\n");
    let (out, dir) = run_job("alert_not_started", &alerts, Job::BrokenData);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("error: read the data: "), "{}", text(&out));
    assert!(text(&out).contains("INFO: no alert: the job failed before its search started"), "{}", text(&out));
    assert_eq!(received.lock().unwrap().len(), 0, "no alert for a job that never searched");
    assert_secret_stays_out(&out, &dir);
}

#[test]
fn a_search_whose_fits_all_fail_sends_the_failure_alert() {
    let (url, received) = receiver(200);
    let alerts = format!("[alerts]\nwebhook_url = \"{url}\"\nformat = \"slack\"\n");
    let (out, dir) = run_job("alert_failed", &alerts, Job::AllFitsFail);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let got = received.lock().unwrap().clone();
    assert_eq!(got.len(), 1, "{got:?}");
    let body: serde_json::Value = serde_json::from_str(&got[0].2).unwrap();
    let slack_text = body["text"].as_str().unwrap();
    assert!(slack_text.starts_with("*Tuning Job Failed*\nTuning: Step `search` failed:"), "{slack_text}");
    assert!(slack_text.contains("all the 4 fits failed"), "{slack_text}");
    assert_secret_stays_out(&out, &dir);
}

/// Issue 12: the results files waited for the webhook (up to its 10 s timeout).
#[test]
fn issue_12_the_results_files_are_written_while_a_slow_webhook_holds_the_alert() {
    let (url, holding) = holding_receiver();
    let (mut command, dir) =
        job("alert_slow", Job::Ridge, &format!("[alerts]\nwebhook_url = \"{url}\"\nformat = \"json\"\n"));
    let child = command.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().unwrap();
    // Hang guards only: the receiver holds the alert until this test releases it.
    let release = holding.recv_timeout(Duration::from_secs(60)).expect("the alert reached the receiver");
    let json = dir.join("results.json");
    let mut polls = 0;
    while !(json.exists() && dir.join("cv_results.csv").exists()) {
        polls += 1;
        assert!(polls < 3000, "no results files while the webhook held the alert");
        std::thread::sleep(Duration::from_millis(20));
    }
    let written = std::fs::read_to_string(&json).unwrap();
    let results: serde_json::Value = serde_json::from_str(&written).unwrap();
    assert_eq!(results["cancelled"], false);
    assert_eq!(results["cv_results"]["mean_test_score"].as_array().unwrap().len(), 2);
    release.send(()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", text(&out));
    // Delivered, so the receiver still held the request when the files were seen
    // (an alert that had timed out first would say "not sent").
    assert!(text(&out).contains("the json webhook accepted the alert"), "{}", text(&out));
    assert_eq!(std::fs::read_to_string(&json).unwrap(), written, "the files were final: not rewritten");
}

#[test]
fn a_receiver_answering_500_leaves_the_results_and_says_so() {
    let (url, received) = receiver(500);
    let (out, dir) =
        run_job("alert_500", &format!("[alerts]\nwebhook_url = \"{url}\"\nformat = \"discord\"\n"), Job::Ridge);
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
    let (out, dir) =
        run_job("alert_down", &format!("[alerts]\nwebhook_url = \"{url}\"\nformat = \"teams\"\n"), Job::Ridge);
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
    let (out, _) = run_job("alert_off", &format!("[alerts]\nenable = false\nwebhook_url = \"{url}\"\n"), Job::Ridge);
    assert!(out.status.success());
    assert!(received.lock().unwrap().is_empty());
}
