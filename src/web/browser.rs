//! Browser services: the job's data source, logger and progress sink over
//! signals; reading picked files and bundled demos; the page's address,
//! downloads and the clipboard. Nothing here sends data anywhere: the only
//! fetches are of the page's own bundled demo files.

use std::collections::HashMap;
use std::ops::ControlFlow;
use std::sync::Arc;

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use web_sys::Blob;

use super::js::describe;
use super::protocol::ReadRequest;
use super::reader::read_in_worker;
use super::state::Run;
use crate::core::results::UnitResult;
use crate::io::config::Level;
use crate::io::reading::FileFormat;
use crate::io::services::{DataSource, Logger, Progress, ReadError, SourceTable};
use crate::io::table::Table;

/// Seconds since the page loaded (`performance.now()`).
pub fn now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now() / 1000.0).unwrap_or(0.0)
}

/// Hardware threads (`navigator.hardwareConcurrency`): the workers `n_jobs = 0` starts.
pub fn hardware_concurrency() -> usize {
    web_sys::window().map(|w| w.navigator().hardware_concurrency() as usize).unwrap_or(2).max(1)
}

/// The page's address, fragment included.
pub fn page_url() -> String {
    web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default()
}

/// The address's fragment, with its `#`.
pub fn location_hash() -> String {
    web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default()
}

/// Bytes of a file the person picked or dropped.
pub async fn file_bytes(file: &web_sys::File) -> Result<Vec<u8>, String> {
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|e| format!("cannot read {}: {}", file.name(), describe(&e)))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// A picked file as UTF-8 text (an imported config).
pub async fn file_text(file: &web_sys::File) -> Result<String, String> {
    let bytes = file_bytes(file).await?;
    String::from_utf8(bytes)
        .map_err(|_| format!("{} is not UTF-8 text; a config is a TOML, JSON or YAML text file", file.name()))
}

/// Bytes at a URL relative to the page (the bundled demos).
pub async fn fetch_bytes(url: &str) -> Result<Vec<u8>, String> {
    let window = web_sys::window().ok_or("no window")?;
    let response = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|e| format!("cannot fetch {url}: {}", describe(&e)))?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| format!("cannot fetch {url}"))?;
    if !response.ok() {
        return Err(format!("cannot fetch {url}: HTTP {}", response.status()));
    }
    let buffer = JsFuture::from(response.array_buffer().map_err(|e| describe(&e))?)
        .await
        .map_err(|e| format!("cannot read {url}: {}", describe(&e)))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Saves `text` as a file named `name`: a Blob behind an object URL, clicked
/// through an `<a download>`. The text never leaves the machine.
pub fn download(name: &str, mime: &str, text: &str) -> Result<(), String> {
    let fail = |e: JsValue| format!("{name} could not be saved: {}", describe(&e));
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(fail)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(fail)?;
    let anchor: web_sys::HtmlAnchorElement =
        document().create_element("a").map_err(fail)?.dyn_into().map_err(|_| format!("{name} could not be saved"))?;
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    // The download has started; free the Blob a moment later.
    set_timeout(move || drop(web_sys::Url::revoke_object_url(&url)), std::time::Duration::from_secs(10));
    Ok(())
}

/// Puts `text` on the clipboard (`navigator.clipboard.writeText`). Browsers
/// refuse it without a secure origin or permission: the caller shows the
/// text to copy by hand then.
pub async fn copy_text(text: &str) -> Result<(), String> {
    let refused = || "the browser did not allow the clipboard".to_string();
    let navigator = web_sys::window().ok_or_else(refused)?.navigator();
    let clipboard = js_sys::Reflect::get(&navigator, &"clipboard".into()).map_err(|_| refused())?;
    let write: js_sys::Function = js_sys::Reflect::get(&clipboard, &"writeText".into())
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or_else(refused)?;
    let promise: js_sys::Promise =
        write.call1(&clipboard, &text.into()).ok().and_then(|p| p.dyn_into().ok()).ok_or_else(refused)?;
    JsFuture::from(promise).await.map(|_| ()).map_err(|_| refused())
}

/// The picked files, by the name the config uses for them: each file and,
/// when it read, the table the data panel made of it (shared, not copied), so
/// Run does not read a file again.
pub struct InMemory(pub HashMap<String, Picked>);

/// One picked file.
pub struct Picked {
    /// The file as picked.
    pub file: Blob,
    /// The data panel's table of it, if it read.
    pub table: Option<Arc<Table>>,
}

impl InMemory {
    fn picked(&self, path: &str) -> Result<&Picked, String> {
        self.0.get(path).ok_or_else(|| {
            format!("no file named `{path}` was picked; pick it with the Inputs or Targets button, or load a demo")
        })
    }
}

impl DataSource for InMemory {
    async fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        let file = &self.picked(path)?.file;
        blob_bytes(file).await.map(|buffer| js_sys::Uint8Array::new(&buffer).to_vec())
    }

    async fn read_table(&self, path: &str, limit: Option<usize>, format: FileFormat) -> Result<SourceTable, ReadError> {
        let picked = self.picked(path).map_err(ReadError::Read)?;
        let table = match &picked.table {
            // The data panel read it whole under this name, as the engine does: the same table.
            Some(table) if limit.is_none() && table.name == path => Arc::clone(table),
            // Read it again (a `limit`, or a file that did not read) in a reader worker.
            _ => {
                let request = ReadRequest { name: path.to_string(), limit, format };
                let (_, table) = read_in_worker(&picked.file, &request, &|_| {}).await;
                Arc::new(table.map_err(ReadError::Parse)?)
            }
        };
        let buffer = blob_bytes(&picked.file).await.map_err(ReadError::Read)?;
        Ok(SourceTable { table, sha256: sha256_of(&buffer).await })
    }

    async fn sha256(&self, bytes: &[u8]) -> String {
        sha256_of(&js_sys::Uint8Array::from(bytes).buffer()).await
    }
}

/// The bytes of a Blob, in JavaScript memory.
async fn blob_bytes(file: &Blob) -> Result<js_sys::ArrayBuffer, String> {
    let buffer =
        JsFuture::from(file.array_buffer()).await.map_err(|e| format!("cannot read the file: {}", describe(&e)))?;
    Ok(buffer.unchecked_into())
}

/// The SHA-256 of `bytes` as hex: the browser's `crypto.subtle` (many times
/// faster than hashing in wasm), which exists only in secure contexts (https,
/// localhost); elsewhere hashed here.
async fn sha256_of(bytes: &js_sys::ArrayBuffer) -> String {
    let digest = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .and_then(|c| c.subtle().digest_with_str_and_buffer_source("SHA-256", bytes).ok());
    if let Some(promise) = digest
        && let Ok(buffer) = JsFuture::from(promise).await
    {
        return js_sys::Uint8Array::new(&buffer).to_vec().iter().map(|b| format!("{b:02x}")).collect();
    }
    crate::io::lineage::sha256_hex(&js_sys::Uint8Array::new(bytes).to_vec())
}

/// One log line for the log panel.
#[derive(Debug, Clone, PartialEq)]
pub struct LogLine {
    /// Severity.
    pub level: Level,
    /// The text.
    pub message: String,
}

/// Appends log lines to a signal, and warnings and errors to the browser
/// console too (every line there cost about 1 ms a line with devtools
/// attached, and the log panel shows them all).
pub struct SignalLogger(pub WriteSignal<Vec<LogLine>>);

impl Logger for SignalLogger {
    fn log(&self, level: Level, message: &str) {
        if level >= Level::Warning {
            web_sys::console::warn_1(&format!("{}: {message}", level.as_str()).into());
        }
        self.0.update(|lines| lines.push(LogLine { level, message: message.to_string() }));
    }
}

/// Feeds finished units to the run's live view, redrawing it at most every
/// [`SignalProgress::REDRAW_S`]: on a machine with few cores, painting every
/// unit took CPU time from the workers. The run panel's clock shows the rest.
pub struct SignalProgress {
    run: RwSignal<Run>,
    drawn_at: f64,
}

impl SignalProgress {
    /// Seconds between redraws.
    pub const REDRAW_S: f64 = 0.2;

    /// Feeds `run`.
    pub fn new(run: RwSignal<Run>) -> SignalProgress {
        SignalProgress { run, drawn_at: f64::NEG_INFINITY }
    }
}

impl Progress for SignalProgress {
    fn on_unit(&mut self, result: &UnitResult, done: usize, total: usize) -> ControlFlow<()> {
        self.run.update_untracked(|run| run.record(result, total));
        let now = now();
        if done == total || now - self.drawn_at >= Self::REDRAW_S {
            self.drawn_at = now;
            self.run.notify();
        }
        ControlFlow::Continue(())
    }
}
