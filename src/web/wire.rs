//! How protocol messages cross `postMessage`: JSON strings, except the
//! dataset's numbers, which cross as `Float64Array`s, copied as memory
//! instead of printed and parsed as text (17k x 10 values: 3.5 MB of JSON).
//! Text columns (sorted categories and codes) ride in the JSON header.

use wasm_bindgen::{JsCast, JsValue};

use crate::core::data::Dataset;
use crate::core::frame::Column;
use crate::web::protocol::{FromWorker, ToWorker, WorkerState, encode};

/// A message as `postMessage` takes it, and the buffers to transfer with it:
/// `Data` is `[header JSON, x, y]` (the header is the dataset without its
/// numbers; `x` is its numeric columns one after another); anything else is
/// its JSON text.
pub fn to_js(message: &ToWorker) -> (JsValue, js_sys::Array) {
    match message {
        ToWorker::Data(data) => data_to_js(data),
        _ => (encode(message).into(), js_sys::Array::new()),
    }
}

/// `ToWorker::Data(data)` as [`to_js`] makes it, from a borrowed dataset.
pub fn data_to_js(data: &Dataset) -> (JsValue, js_sys::Array) {
    let mut numbers = Vec::new();
    let columns = data
        .columns
        .iter()
        .map(|c| match c {
            Column::Numbers { ty, values } => {
                numbers.extend_from_slice(values);
                Column::Numbers { ty: *ty, values: Vec::new() }
            }
            text => text.clone(),
        })
        .collect();
    let header = Dataset { columns, y: Vec::new(), ..data.clone() };
    let x = js_sys::Float64Array::from(&numbers[..]);
    let y = js_sys::Float64Array::from(&data.y[..]);
    let transfer = js_sys::Array::of2(&x.buffer(), &y.buffer());
    (js_sys::Array::of3(&encode(&ToWorker::Data(header)).into(), &x, &y).into(), transfer)
}

/// The message [`to_js`] made.
pub fn from_js(value: &JsValue) -> Result<ToWorker, String> {
    let parse = |text: Option<String>| {
        serde_json::from_str::<ToWorker>(&text.unwrap_or_default()).map_err(|e| format!("unreadable message: {e}"))
    };
    let Some(parts) = value.dyn_ref::<js_sys::Array>() else { return parse(value.as_string()) };
    let numbers = |i: u32| parts.get(i).dyn_into::<js_sys::Float64Array>().map(|a| a.to_vec());
    match (parse(parts.get(0).as_string())?, numbers(1), numbers(2)) {
        (ToWorker::Data(mut data), Ok(x), Ok(y)) => {
            let n = y.len();
            let mut chunks = x.chunks(n.max(1));
            for column in &mut data.columns {
                if let Column::Numbers { values, .. } = column {
                    *values = chunks.next().map(<[f64]>::to_vec).unwrap_or_default();
                }
            }
            if data.columns.iter().any(|c| c.len() != n) {
                return Err("unreadable message: the data's columns and targets differ in length".into());
            }
            data.y = y;
            Ok(ToWorker::Data(data))
        }
        _ => Err("unreadable message: a data message without its two Float64Arrays".into()),
    }
}

/// Handles one message as the browser delivered it; the reply, if any, as JSON.
pub fn handle_js(state: &mut WorkerState, message: &JsValue, now: &dyn Fn() -> f64) -> Option<String> {
    match from_js(message) {
        Ok(message) => state.handle(message, now),
        Err(e) => Some(FromWorker::Error(e)),
    }
    .map(|reply| encode(&reply))
}
