//! The browser primitives the page's shells share (`browser`, `pool`,
//! `reader`, `wire`): an error's text, yielding to the event loop, starting
//! a worker. Each is a few lines over web-sys.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Worker, WorkerOptions, WorkerType};

/// A readable text for a JavaScript error value.
pub fn describe(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| format!("{e:?}"))
}

/// Ends the current task (a zero-delay timeout), so long main-thread work is
/// split into tasks the browser can interleave with input and painting.
pub async fn yield_to_event_loop() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Starts a Web Worker from a worker binary's loader `script`: the pool's, or
/// the reader's (`reader`). `name` tells them apart in the browser's devtools (and tests).
pub fn start_worker(script: &str, name: &str) -> Result<Worker, String> {
    let options = WorkerOptions::new();
    options.set_type(WorkerType::Module);
    options.set_name(name);
    Worker::new_with_options(script, &options).map_err(|e| format!("cannot start a Web Worker: {}", describe(&e)))
}
