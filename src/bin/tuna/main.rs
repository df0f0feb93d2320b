//! `tuna`: run a tuning job from a terminal with the same engine as the page.
//!
//! Native only: a wasm32 build of the package (for browser tests and the page)
//! compiles this binary to an empty program.

#[cfg(not(target_arch = "wasm32"))]
mod cli;
#[cfg(not(target_arch = "wasm32"))]
mod interrupt;
#[cfg(not(target_arch = "wasm32"))]
mod results_files;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}
