//! How protocol messages cross `postMessage`: JSON strings, except the
//! columns' cells, which cross as typed arrays (numbers as `Float64Array`s,
//! text as its codes in `Uint32Array`s), copied as memory and transferred
//! instead of printed and parsed as text (17k x 10 numbers: 3.5 MB of JSON).
//! A message with columns is `[header JSON, buffers...]`: the header holds
//! the columns emptied (a text column keeps its categories), the buffers
//! their cells, in order. A file to read crosses as `[request JSON, Blob]`.

use bytes::Bytes;
use send_wrapper::SendWrapper;
use wasm_bindgen::{JsCast, JsValue};

use crate::core::data::Dataset;
use crate::core::frame::{Column, MISSING};
use crate::io::reading::ReadProgress;
use crate::io::reading::{FileFormat, FileSource};
use crate::io::source::{ByteRanges, Chunks};
use crate::io::table::{RowIndex, Table};
use crate::web::protocol::{FromReader, FromWorker, ReadRequest, ToWorker, WorkerState, encode, read_file};

/// A column without its cells, for a header.
fn emptied(column: &Column) -> Column {
    match column {
        Column::Numbers { ty, .. } => Column::Numbers { ty: *ty, values: Vec::new() },
        Column::Text { categories, .. } => Column::Text { categories: categories.clone(), codes: Vec::new() },
    }
}

/// A column's cells as a typed array (a copy out of wasm memory), and the memory behind it.
fn buffer(column: &Column) -> (JsValue, js_sys::ArrayBuffer) {
    match column {
        Column::Numbers { values, .. } => {
            let array = js_sys::Float64Array::from(&values[..]);
            let memory = array.buffer();
            (array.into(), memory)
        }
        Column::Text { codes, .. } => {
            let array = js_sys::Uint32Array::from(&codes[..]);
            let memory = array.buffer();
            (array.into(), memory)
        }
    }
}

/// Puts the cells of `buffer` back into an emptied column, checking that
/// they fit it (a text code names one of its categories) and that there are `rows`.
pub fn fill(column: &mut Column, buffer: &JsValue, rows: usize) -> Result<(), String> {
    let fail = |what: &str| Err(format!("unreadable message: a column's cells are {what}"));
    match column {
        Column::Numbers { values, .. } => match buffer.dyn_ref::<js_sys::Float64Array>() {
            Some(array) => *values = array.to_vec(),
            None => return fail("not a Float64Array"),
        },
        Column::Text { categories, codes } => match buffer.dyn_ref::<js_sys::Uint32Array>() {
            Some(array) => {
                *codes = array.to_vec();
                let known = categories.len() as u32;
                if codes.iter().any(|&c| c >= known && c != MISSING) {
                    return fail("codes past its categories");
                }
            }
            None => return fail("not a Uint32Array"),
        },
    }
    if column.len() != rows {
        return fail("of another length than the others");
    }
    Ok(())
}

/// `[header, buffers...]` and the buffers to transfer with it.
fn with_buffers(header: String, columns: &[&Column]) -> (JsValue, js_sys::Array) {
    let message = js_sys::Array::of1(&header.into());
    let transfer = js_sys::Array::new();
    for column in columns {
        let (cells, memory) = buffer(column);
        message.push(&cells);
        transfer.push(&memory);
    }
    (message.into(), transfer)
}

/// A message as `postMessage` takes it, and the buffers to transfer with it.
pub fn to_js(message: &ToWorker) -> (JsValue, js_sys::Array) {
    match message {
        ToWorker::Data(data) => data_to_js(data),
        _ => (encode(message).into(), js_sys::Array::new()),
    }
}

/// `ToWorker::Data(data)` as [`to_js`] makes it, from a borrowed dataset:
/// `[header, y, columns...]` (the header is the dataset without its cells).
pub fn data_to_js(data: &Dataset) -> (JsValue, js_sys::Array) {
    let header = Dataset {
        feature_names: data.feature_names.clone(),
        columns: data.columns.iter().map(emptied).collect(),
        target_name: data.target_name.clone(),
        y: Vec::new(),
        labels: data.labels.clone(),
    };
    let y = Column::numbers(data.y.clone());
    let columns: Vec<&Column> = std::iter::once(&y).chain(data.columns.iter()).collect();
    with_buffers(encode(&ToWorker::Data(header)), &columns)
}

/// The message [`to_js`] made.
pub fn from_js(value: &JsValue) -> Result<ToWorker, String> {
    let parse = |text: Option<String>| {
        serde_json::from_str::<ToWorker>(&text.unwrap_or_default()).map_err(|e| format!("unreadable message: {e}"))
    };
    let Some(parts) = value.dyn_ref::<js_sys::Array>() else { return parse(value.as_string()) };
    let ToWorker::Data(mut data) = parse(parts.get(0).as_string())? else {
        return Err("unreadable message: only a dataset crosses with buffers".into());
    };
    if parts.length() != data.columns.len() as u32 + 2 {
        return Err("unreadable message: a data message without a Float64Array for its targets and each column".into());
    }
    let mut y = Column::numbers(Vec::new());
    let rows = parts.get(1).dyn_ref::<js_sys::Float64Array>().map_or(0, |a| a.length() as usize);
    fill(&mut y, &parts.get(1), rows)?;
    // The header's columns are empty, so this copy is of names and kinds only.
    let mut columns = data.columns.to_vec();
    for (i, column) in columns.iter_mut().enumerate() {
        fill(column, &parts.get(i as u32 + 2), rows)?;
    }
    data.columns = columns.into();
    let Column::Numbers { values, .. } = y else { unreachable!("y was made as numbers") };
    data.y = values;
    Ok(ToWorker::Data(data))
}

/// Handles one pool message as the browser delivered it; the reply, if any, as JSON.
pub fn handle_js(state: &mut WorkerState, message: &JsValue, now: &dyn Fn() -> f64) -> Option<String> {
    match from_js(message) {
        Ok(message) => state.handle(message, now),
        Err(e) => Some(FromWorker::Error(e)),
    }
    .map(|reply| encode(&reply))
}

/// A file to read, as the page posts it: `[request JSON, Blob]`.
pub fn read_to_js(request: &ReadRequest, file: &web_sys::Blob) -> JsValue {
    js_sys::Array::of2(&encode(&serde_json::json!({ "Read": request })).into(), file).into()
}

/// The request and file of a message [`read_to_js`] made; `None` for any other message.
pub fn read_from_js(value: &JsValue) -> Option<(ReadRequest, web_sys::Blob)> {
    let parts = value.dyn_ref::<js_sys::Array>()?;
    let file = parts.get(1).dyn_into::<web_sys::Blob>().ok()?;
    let mut header: serde_json::Value = serde_json::from_str(&parts.get(0).as_string()?).ok()?;
    Some((serde_json::from_value(header.get_mut("Read")?.take()).ok()?, file))
}

/// The most bytes read from a `Blob` per slice: a reader worker holds one
/// slice of a CSV at a time, not the whole file.
const SLICE_BYTES: usize = 8 << 20;

/// A pass's first slice: a look at the file's start (its format, its head,
/// a BOM) reads this much, not a whole slice; each slice after doubles.
const FIRST_SLICE_BYTES: usize = 64 << 10;

/// A picked file, read in slices (`FileReaderSync`: a worker may block).
struct BlobSource<'a> {
    blob: &'a web_sys::Blob,
    reader: web_sys::FileReaderSync,
}

impl FileSource for BlobSource<'_> {
    fn size(&self) -> usize {
        self.blob.size() as usize
    }
    fn open(&self) -> Box<dyn std::io::Read + '_> {
        Box::new(BlobRead { source: self, at: 0, slice: Vec::new(), used: 0, next: FIRST_SLICE_BYTES })
    }
    fn chunks(&self) -> std::io::Result<Chunks> {
        let reader = web_sys::FileReaderSync::new().map_err(read_failed)?;
        Ok(Chunks::ranges(BlobRanges(SendWrapper::new((self.blob.clone(), reader)))))
    }
}

/// `end - start` bytes of `blob` from `start`.
fn read_slice(
    blob: &web_sys::Blob,
    reader: &web_sys::FileReaderSync,
    start: usize,
    end: usize,
    into: &mut Vec<u8>,
) -> std::io::Result<()> {
    let slice = blob.slice_with_f64_and_f64(start as f64, end as f64).map_err(read_failed)?;
    let buffer = reader.read_as_array_buffer(&slice).map_err(read_failed)?;
    let array = js_sys::Uint8Array::new(&buffer);
    into.resize(array.length() as usize, 0);
    array.copy_to(into);
    Ok(())
}

/// A browser's refusal to read a file, as a reader's error.
fn read_failed(e: JsValue) -> std::io::Error {
    std::io::Error::other(format!("the browser could not read the file: {}", super::js::describe(&e)))
}

/// A picked file's byte ranges, for the Parquet reader, which asks its
/// sources to be `Send + Sync`: a reader worker has one thread, so the
/// browser's objects never leave it (`SendWrapper` would panic if they did).
struct BlobRanges(SendWrapper<(web_sys::Blob, web_sys::FileReaderSync)>);

impl ByteRanges for BlobRanges {
    fn size(&self) -> u64 {
        self.0.0.size() as u64
    }
    fn range(&self, start: u64, length: usize) -> std::io::Result<Bytes> {
        let (blob, reader) = &*self.0;
        let end = (start as usize + length).min(blob.size() as usize);
        let mut bytes = Vec::new();
        read_slice(blob, reader, (start as usize).min(end), end, &mut bytes)?;
        Ok(bytes.into())
    }
}

/// A pass over a [`BlobSource`]: the slice in hand, how much of it was
/// read, and the size of the next.
struct BlobRead<'a> {
    source: &'a BlobSource<'a>,
    at: usize,
    slice: Vec<u8>,
    used: usize,
    next: usize,
}

impl std::io::Read for BlobRead<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.used == self.slice.len() {
            let end = (self.at + self.next).min(self.source.size());
            if self.at >= end {
                return Ok(0);
            }
            self.next = (2 * self.next).min(SLICE_BYTES);
            read_slice(self.source.blob, &self.source.reader, self.at, end, &mut self.slice)?;
            self.at += self.slice.len();
            self.used = 0;
            if self.slice.is_empty() {
                return Ok(0);
            }
        }
        let n = buf.len().min(self.slice.len() - self.used);
        buf[..n].copy_from_slice(&self.slice[self.used..self.used + n]);
        self.used += n;
        Ok(n)
    }
}

/// Seconds between two progress messages of a reader worker.
const REPORT_S: f64 = 0.1;

/// The reader worker's answer to [`read_to_js`]'s message: progress messages
/// through `post` while it reads, then the table as `[header, buffers...]`
/// (data columns, then a stored index column), or the error as JSON.
pub fn answer_read(
    request: &ReadRequest,
    file: &web_sys::Blob,
    now: &dyn Fn() -> f64,
    post: &dyn Fn(JsValue, js_sys::Array),
) {
    let name = &request.name;
    let started = now();
    let source = match web_sys::FileReaderSync::new() {
        Ok(reader) => BlobSource { blob: file, reader },
        Err(e) => {
            let table = Err(format!(
                "{name}: the browser could not read the file ({}); pick it again",
                super::js::describe(&e)
            ));
            return post(encode(&FromReader::Read { format: FileFormat::Csv, table }).into(), js_sys::Array::new());
        }
    };
    // The first report goes at once (a file past 65,536 rows always shows its progress), the rest every REPORT_S.
    let mut reported = f64::NEG_INFINITY;
    let mut report = |progress: ReadProgress| {
        if now() - reported >= REPORT_S {
            reported = now();
            post(encode(&FromReader::Reading(progress)).into(), js_sys::Array::new());
        }
    };
    let read = read_file(request, &source, &mut report);
    let parsed = now();
    // Wasm memory only grows: its size now is this worker's peak, for the benchmark to read.
    let memory = wasm_bindgen::memory().dyn_into::<js_sys::WebAssembly::Memory>().map(|m| m.buffer());
    if let Ok(memory) = memory {
        let bytes = memory.unchecked_into::<js_sys::ArrayBuffer>().byte_length();
        let seconds = parsed - started;
        web_sys::console::debug_1(
            &format!("tuna reader: {name} read with {bytes} bytes of wasm memory in {seconds:.3} s").into(),
        );
    }
    match read {
        FromReader::Read { format, table: Ok(table) } => {
            let index = match &table.index {
                RowIndex::Column { values, .. } => Some(values),
                RowIndex::Range { .. } => None,
            };
            let header = Table {
                name: table.name.clone(),
                columns: table.columns.clone(),
                data: table.data.iter().map(emptied).collect(),
                index: match &table.index {
                    RowIndex::Column { name, values } => {
                        RowIndex::Column { name: name.clone(), values: emptied(values) }
                    }
                    range => range.clone(),
                },
                stored: table.stored.clone(),
            };
            let columns: Vec<&Column> = table.data.iter().chain(index).collect();
            let (message, transfer) = with_buffers(encode(&FromReader::Read { format, table: Ok(header) }), &columns);
            post(message, transfer)
        }
        other => post(encode(&other).into(), js_sys::Array::new()),
    }
}

/// Seconds on this worker's clock (`performance.now()`).
pub fn worker_now() -> f64 {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    scope.performance().map(|p| p.now() / 1000.0).unwrap_or(0.0)
}

/// A worker binary's main loop: hands each message to `handle` with a way
/// to post replies (and the buffers to transfer with them), then says
/// `Ready`: messages sent before the handler existed were dropped, so the
/// page waits for it.
pub fn listen(mut handle: impl FnMut(JsValue, &dyn Fn(JsValue, js_sys::Array)) + 'static) {
    use wasm_bindgen::prelude::Closure;
    console_error_panic_hook::set_once();
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_to = scope.clone();
    let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
        let post = |message: JsValue, transfer: js_sys::Array| {
            let _ = reply_to.post_message_with_transfer(&message, &transfer);
        };
        handle(event.data(), &post);
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let _ = scope.post_message(&encode(&FromWorker::Ready).into());
}
