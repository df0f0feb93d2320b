//! Runs a property for a fixed number of cases (`cargo test`) or, with fresh
//! seeds, until a time budget is spent (`make fuzz`).

use std::fmt::Debug;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use proptest::strategy::Strategy;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner};

/// Longest one case may take before it counts as a hang. Generous: the
/// machine is shared and a debug build is slow, but no input here needs more
/// than milliseconds.
pub const CASE_LIMIT: Duration = Duration::from_secs(10);

/// `f()` on a thread of its own: a panic or a run past `CASE_LIMIT` is a
/// failed case that names what happened, instead of a crashed or stuck test.
pub fn within<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, TestCaseError> {
    let (send, receive) = mpsc::channel();
    let worker = std::thread::spawn(move || {
        let _ = send.send(f());
    });
    match receive.recv_timeout(CASE_LIMIT) {
        Ok(value) => Ok(value),
        Err(mpsc::RecvTimeoutError::Timeout) => Err(TestCaseError::fail(format!("no answer within {CASE_LIMIT:?}"))),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            let payload = worker.join().err();
            let why = payload
                .as_ref()
                .and_then(|p| {
                    p.downcast_ref::<String>().cloned().or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                })
                .unwrap_or_default();
            Err(TestCaseError::fail(format!("panicked: {why}")))
        }
    }
}

fn runner(cases: u32, seed: u64) -> TestRunner {
    TestRunner::new(Config {
        cases,
        rng_seed: RngSeed::Fixed(seed),
        failure_persistence: None,
        max_shrink_iters: 2000,
        ..Config::default()
    })
}

/// `cases` cases from a fixed seed, so `cargo test` repeats; a failure panics
/// with the shrunk input.
pub fn check<S: Strategy>(cases: u32, strategy: S, property: impl Fn(S::Value) -> Result<(), TestCaseError>)
where
    S::Value: Debug,
{
    if let Err(e) = runner(cases, 0).run(&strategy, property) {
        panic!("{e}");
    }
}

/// Fresh seeds in batches until `1/share` of `TUNA_FUZZ_SECONDS` (default 600)
/// has passed, then prints the seconds and the case count. A failure panics with its seed
/// (set `TUNA_FUZZ_SEED` to replay that batch first) and the shrunk input.
pub fn fuzz<S: Strategy>(name: &str, share: u64, strategy: S, property: impl Fn(S::Value) -> Result<(), TestCaseError>)
where
    S::Value: Debug,
{
    const BATCH: u32 = 500;
    let seconds: u64 = std::env::var("TUNA_FUZZ_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(600) / share;
    let start = Instant::now();
    let clock = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64);
    let mut seed = std::env::var("TUNA_FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(clock);
    let mut cases = 0u64;
    while start.elapsed() < Duration::from_secs(seconds) {
        if let Err(e) = runner(BATCH, seed).run(&strategy, &property) {
            panic!("{name}: failed after {cases} cases, TUNA_FUZZ_SEED={seed}: {e}");
        }
        cases += u64::from(BATCH);
        seed = seed.wrapping_add(1);
    }
    println!("fuzz {name}: {cases} cases in {:.0} s, no failure", start.elapsed().as_secs_f64());
}
