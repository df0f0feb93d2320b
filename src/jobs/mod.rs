//! Jobs: `TuningJob::run` and the native executor.

#[cfg(not(target_arch = "wasm32"))]
pub mod threads;
pub mod tuning;
