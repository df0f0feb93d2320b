//! The reader's Web Worker: loads the file readers (CSV, Parquet and its
//! codecs), says `Ready`, then reads each picked file it is sent with
//! `wire::answer_read`. A binary of its own, so the page and the pool's
//! workers never load the readers. Natively an empty program.

#[cfg(target_arch = "wasm32")]
fn main() {
    tuna::web::wire::listen(|message, post| match tuna::web::wire::read_from_js(&message) {
        Some((request, file)) => tuna::web::wire::answer_read(&request, &file, &tuna::web::wire::worker_now, post),
        None => post(
            tuna::web::protocol::encode(&tuna::web::protocol::FromWorker::Error("a reader reads files only".into()))
                .into(),
            js_sys::Array::new(),
        ),
    });
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
