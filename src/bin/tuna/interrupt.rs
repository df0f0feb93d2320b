//! Ctrl+C (SIGINT) and SIGTERM during `tuna run`.
//!
//! The first cancels the search the way the page's Cancel does: no new fit
//! starts, the fits in progress finish, and the job returns what finished, so
//! the results files are written and the tracked run is closed as KILLED. A
//! second signal exits at once, for when waiting is not wanted.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// The exit code of a run stopped by a signal: 128 + SIGINT, as shells report
/// a process that Ctrl+C ended.
pub const EXIT_CODE: u8 = 130;

/// Whether the person asked the run to stop.
#[derive(Clone, Default)]
pub struct Interrupt(Arc<AtomicBool>);

impl Interrupt {
    /// Catches Ctrl+C and SIGTERM for the rest of the process. If the handler
    /// cannot be installed, says so: the signals then end the run at once.
    pub fn install() -> Interrupt {
        let interrupt = Interrupt::default();
        let seen = interrupt.0.clone();
        let installed = ctrlc::set_handler(move || {
            if seen.swap(true, Ordering::SeqCst) {
                eprintln!("WARNING: interrupted again: stopped at once");
                std::process::exit(EXIT_CODE.into());
            }
            eprintln!(
                "WARNING: interrupted: cancelling the search; the fits in progress finish, then the results are \
                 written (press Ctrl+C again to stop at once)"
            );
        });
        if let Err(e) = installed {
            eprintln!("WARNING: Ctrl+C will stop tuna at once, without writing the results: {e}");
        }
        interrupt
    }

    /// True once a signal came.
    pub fn requested(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}
