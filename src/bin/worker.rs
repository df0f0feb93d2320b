//! The pool's Web Worker: loads the engine, says `Ready`, then answers each
//! message with `wire::handle_js` (fits and scores units). Natively an empty program.

#[cfg(target_arch = "wasm32")]
fn main() {
    let mut state = tuna::web::protocol::WorkerState::default();
    tuna::web::wire::listen(move |message, post| {
        if let Some(reply) = tuna::web::wire::handle_js(&mut state, &message, &tuna::web::wire::worker_now) {
            post(reply.into(), js_sys::Array::new());
        }
    });
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
