//! The native executor: units spread over a pool of threads.
//!
//! Threads pull the next unit from a shared counter (so slow candidates do not
//! leave threads idle) and send results back over a channel; the calling
//! thread reports progress and can cancel between units. Results do not
//! depend on the number of threads: each unit is deterministic on its own.

use std::ops::ControlFlow;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Instant;

use crate::core::data::Dataset;
use crate::core::search::{Refit, SearchPlan};
use crate::io::services::{Executed, Executor, Progress};

/// Runs units on `threads` threads (0: one per hardware thread).
pub struct ThreadExecutor {
    /// Number of threads; 0 means `available_parallelism`.
    pub threads: usize,
}

impl ThreadExecutor {
    fn count(&self, units: usize) -> usize {
        let n = if self.threads == 0 {
            std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
        } else {
            self.threads
        };
        n.clamp(1, units.max(1))
    }
}

/// Seconds since the first call in this process.
pub fn now() -> f64 {
    static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_secs_f64()
}

impl Executor for ThreadExecutor {
    async fn execute(
        &self,
        data: &Dataset,
        plan: &SearchPlan,
        progress: &mut dyn Progress,
    ) -> Result<Executed, String> {
        let units = plan.units();
        let total = units.len();
        let next = AtomicUsize::new(0);
        let stop = AtomicBool::new(false);
        let (tx, rx) = mpsc::channel();
        let mut finished = Vec::with_capacity(total);
        let mut cancelled = false;
        std::thread::scope(|scope| {
            for _ in 0..self.count(total) {
                let tx = tx.clone();
                let (next, stop, units) = (&next, &stop, &units);
                scope.spawn(move || {
                    while !stop.load(Ordering::Relaxed) {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(&unit) = units.get(i) else { break };
                        let result = plan.run_unit(data, unit, &now);
                        if tx.send(result).is_err() {
                            break;
                        }
                    }
                });
            }
            drop(tx);
            for result in rx.iter() {
                finished.push(result);
                let done = finished.len();
                if progress.on_unit(&finished[done - 1], done, total) == ControlFlow::Break(()) {
                    stop.store(true, Ordering::Relaxed);
                    cancelled = done < total;
                    break;
                }
            }
        });
        Ok(Executed { units: finished, cancelled })
    }

    async fn refit(&self, data: &Dataset, plan: &SearchPlan, candidate: usize) -> Result<Refit, String> {
        plan.refit(data, candidate, &now)
    }
}
