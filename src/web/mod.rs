//! The page: the worker protocol and page state (all targets, tested
//! natively) and, in wasm32, the worker pool, browser services and the UI.

pub mod protocol;
pub mod state;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod browser;
#[cfg(target_arch = "wasm32")]
pub mod pool;
