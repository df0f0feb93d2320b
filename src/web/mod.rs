//! The page. Plain modules (all targets, tested natively) hold the page's
//! state and logic; in wasm32, one component per panel wires them to
//! signals, with the worker pool and browser services at the edges.
//! Components import `state`; `app` imports the components; nothing
//! imports `app` but the page's entry point.

pub mod exports;
pub mod format;
pub mod job_form;
pub mod preview;
pub mod protocol;
pub mod results_view;
pub mod scheduler;
pub mod share;
pub mod state;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod browser;
#[cfg(target_arch = "wasm32")]
mod config_form;
#[cfg(target_arch = "wasm32")]
mod data_panel;
#[cfg(target_arch = "wasm32")]
pub mod fetch_http;
#[cfg(target_arch = "wasm32")]
mod job_panel;
#[cfg(target_arch = "wasm32")]
pub mod js;
#[cfg(target_arch = "wasm32")]
mod log_panel;
#[cfg(target_arch = "wasm32")]
mod notify;
#[cfg(target_arch = "wasm32")]
pub mod pool;
#[cfg(target_arch = "wasm32")]
pub mod reader;
#[cfg(target_arch = "wasm32")]
mod reporting;
#[cfg(target_arch = "wasm32")]
mod results_panel;
#[cfg(target_arch = "wasm32")]
mod run_bar;
#[cfg(target_arch = "wasm32")]
mod run_panel;
#[cfg(target_arch = "wasm32")]
pub mod wire;
