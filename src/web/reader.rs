//! Reading a picked file in a Web Worker of its own, so that parsing a big
//! file never blocks the page: the worker sends its progress as it reads,
//! then the table, whose columns arrive as typed arrays and are copied into
//! wasm memory one column per task. The worker ends with the read, and its
//! memory with it; dropping the read's future (Cancel) ends it at once.

use futures_channel::mpsc::{UnboundedReceiver, unbounded};
use futures_util::StreamExt;
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::Closure;
use web_sys::{Blob, ErrorEvent, MessageEvent, Worker};

use super::js::{describe, start_worker, yield_to_event_loop};
use super::protocol::{FromReader, FromWorker, ReadRequest};
use super::wire::{fill, read_to_js};
use crate::io::reading::{FileFormat, ReadProgress};
use crate::io::table::{RowIndex, Table};

/// Where Trunk's loader shim for the reader binary lives, relative to the page.
const READER_SCRIPT: &str = "./reader_loader.js";

/// The name reader workers get, which the browser's devtools show.
const READER_NAME: &str = "tuna reader";

/// What a reader worker said.
enum Heard {
    Message(JsValue),
    Crashed(String),
}

/// A reader worker and its callbacks; dropping it ends the worker.
struct ReaderWorker {
    worker: Worker,
    heard: UnboundedReceiver<Heard>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(ErrorEvent)>,
}

impl ReaderWorker {
    fn start() -> Result<ReaderWorker, String> {
        let worker = start_worker(READER_SCRIPT, READER_NAME)?;
        let (tx, heard) = unbounded();
        let messages = tx.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let _ = messages.unbounded_send(Heard::Message(event.data()));
        });
        let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |event: ErrorEvent| {
            event.prevent_default();
            let _ = tx.unbounded_send(Heard::Crashed(event.message()));
        });
        worker.set_onmessage(Some(wasm_bindgen::JsCast::unchecked_ref(on_message.as_ref())));
        worker.set_onerror(Some(wasm_bindgen::JsCast::unchecked_ref(on_error.as_ref())));
        Ok(ReaderWorker { worker, heard, _on_message: on_message, _on_error: on_error })
    }
}

impl Drop for ReaderWorker {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

/// Reads `file` as the engine reads a data file, in a Web Worker, telling
/// `on_progress` how far it has come. Gives the format its bytes are in and
/// the table, or the reader's error.
pub async fn read_in_worker(
    file: &Blob,
    request: &ReadRequest,
    on_progress: &dyn Fn(ReadProgress),
) -> (FileFormat, Result<Table, String>) {
    let name = &request.name;
    let stopped = |why: &str| {
        format!(
            "{name}: reading stopped ({why}); the file may be too big for this browser's memory: \
             try a smaller file, or a `limit` on the reader"
        )
    };
    let mut reader = match ReaderWorker::start() {
        Ok(reader) => reader,
        Err(e) => return (FileFormat::Csv, Err(format!("{name}: {e}; this browser may not allow Web Workers here"))),
    };
    loop {
        let message = match reader.heard.next().await {
            Some(Heard::Message(message)) => message,
            Some(Heard::Crashed(why)) => return (FileFormat::Csv, Err(stopped(&why))),
            None => return (FileFormat::Csv, Err(stopped("its worker went away"))),
        };
        if let Some(text) = message.as_string() {
            if let Ok(FromWorker::Ready) = serde_json::from_str::<FromWorker>(&text) {
                let _ = reader.worker.post_message(&read_to_js(request, file));
                continue;
            }
            match serde_json::from_str::<FromReader>(&text) {
                Ok(FromReader::Reading(progress)) => on_progress(progress),
                Ok(FromReader::Read { format, table }) => return (format, table),
                Err(e) => return (FileFormat::Csv, Err(stopped(&format!("unreadable reply: {e}")))),
            }
        } else {
            // Drop the worker (and its memory) before copying the columns in.
            drop(reader);
            return match table_from_js(&message).await {
                Ok((format, table)) => (format, Ok(table)),
                Err(e) => (FileFormat::Csv, Err(stopped(&e))),
            };
        }
    }
}

/// The table of a `[header, buffers...]` reply, one column copied per task.
async fn table_from_js(message: &JsValue) -> Result<(FileFormat, Table), String> {
    let parts: &js_sys::Array = wasm_bindgen::JsCast::dyn_ref(message).ok_or("a reply that is not a table")?;
    let header = parts.get(0).as_string().unwrap_or_default();
    let Ok(FromReader::Read { format, table: Ok(mut table) }) = serde_json::from_str::<FromReader>(&header) else {
        return Err("a table reply without its header".into());
    };
    let indexed = matches!(table.index, RowIndex::Column { .. });
    if parts.length() as usize != 1 + table.data.len() + usize::from(indexed) {
        return Err("a table reply without a buffer per column".into());
    }
    let rows = js_sys::Reflect::get(&parts.get(1), &"length".into()).map_err(|e| describe(&e))?.as_f64().unwrap_or(0.0)
        as usize;
    // The header's columns are empty, so this copy is of names and kinds only.
    let mut data = table.data.to_vec();
    for (i, column) in data.iter_mut().enumerate() {
        fill(column, &parts.get(i as u32 + 1), rows)?;
        yield_to_event_loop().await;
    }
    table.data = data.into();
    if let RowIndex::Column { values, .. } = &mut table.index {
        fill(values, &parts.get(parts.length() - 1), rows)?;
    }
    Ok((format, table))
}
