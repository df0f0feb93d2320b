//! The Web Worker: loads the engine, says `Ready`, then answers each message:
//! a file to read with `wire::answer_read` (a reader worker), anything else
//! with `wire::handle_js` (a pool worker). Natively an empty program.

#[cfg(target_arch = "wasm32")]
fn main() {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::Closure;
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    console_error_panic_hook::set_once();
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let now = {
        let performance = scope.performance();
        move || performance.as_ref().map(|p| p.now() / 1000.0).unwrap_or(0.0)
    };
    let mut state = tuna::web::protocol::WorkerState::default();
    let reply_to = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let post = |message: wasm_bindgen::JsValue, transfer: js_sys::Array| {
            let _ = reply_to.post_message_with_transfer(&message, &transfer);
        };
        if let Some((request, file)) = tuna::web::wire::read_from_js(&event.data()) {
            tuna::web::wire::answer_read(&request, &file, &now, &post);
        } else if let Some(reply) = tuna::web::wire::handle_js(&mut state, &event.data(), &now) {
            post(reply.into(), js_sys::Array::new());
        }
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    // Messages sent before this handler existed were dropped: tell the page we listen now.
    let _ = scope.post_message(&tuna::web::protocol::encode(&tuna::web::protocol::FromWorker::Ready).into());
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
