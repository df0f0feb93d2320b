//! Browser services for the job: data from picked files and bundled demos,
//! the clock, logging and progress into signals.

use std::collections::HashMap;
use std::ops::ControlFlow;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::state::LiveSearch;
use crate::core::results::UnitResult;
use crate::io::config::Level;
use crate::io::services::{DataSource, Logger, Progress};

/// Seconds since the page loaded (`performance.now()`).
pub fn now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now() / 1000.0).unwrap_or(0.0)
}

/// Bytes of a file the person picked.
pub async fn file_bytes(file: &web_sys::File) -> Result<Vec<u8>, String> {
    let buffer =
        JsFuture::from(file.array_buffer()).await.map_err(|e| format!("cannot read {}: {e:?}", file.name()))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Bytes at a URL relative to the page (the bundled demos).
pub async fn fetch_bytes(url: &str) -> Result<Vec<u8>, String> {
    let window = web_sys::window().ok_or("no window")?;
    let response =
        JsFuture::from(window.fetch_with_str(url)).await.map_err(|e| format!("cannot fetch {url}: {e:?}"))?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| format!("cannot fetch {url}"))?;
    if !response.ok() {
        return Err(format!("cannot fetch {url}: HTTP {}", response.status()));
    }
    let buffer = JsFuture::from(response.array_buffer().map_err(|e| format!("{e:?}"))?)
        .await
        .map_err(|e| format!("cannot read {url}: {e:?}"))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Files already in memory, by the name the config uses for them.
pub struct InMemory(pub HashMap<String, Vec<u8>>);

impl DataSource for InMemory {
    async fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        self.0.get(path).cloned().ok_or_else(|| {
            format!("no file named `{path}` was picked; pick it with the Inputs or Targets button, or load a demo")
        })
    }
}

/// One log line for the log panel.
#[derive(Debug, Clone, PartialEq)]
pub struct LogLine {
    /// Severity.
    pub level: Level,
    /// The text.
    pub message: String,
}

/// Appends log lines to a signal (and to the browser console).
pub struct SignalLogger(pub RwSignal<Vec<LogLine>>);

impl Logger for SignalLogger {
    fn log(&self, level: Level, message: &str) {
        web_sys::console::log_1(&format!("{}: {message}", level.as_str()).into());
        self.0.update(|lines| lines.push(LogLine { level, message: message.to_string() }));
    }
}

/// Feeds finished units to the live view.
pub struct SignalProgress(pub RwSignal<LiveSearch>);

impl Progress for SignalProgress {
    fn on_unit(&mut self, result: &UnitResult, _: usize, total: usize) -> ControlFlow<()> {
        self.0.update(|live| {
            if live.total != total {
                *live = LiveSearch::new(total, now());
            }
            live.units.push(result.clone());
        });
        ControlFlow::Continue(())
    }
}
