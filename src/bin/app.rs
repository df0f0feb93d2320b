//! The page's entry point: mounts the Leptos app. Natively an empty program.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(tuna::web::app::App);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
