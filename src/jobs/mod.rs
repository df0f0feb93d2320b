//! Jobs: the checks every front end shares, `TuningJob::run`, and the native executor.

pub mod checks;
#[cfg(not(target_arch = "wasm32"))]
pub mod threads;
pub mod tuning;
