//! The page's state, apart from the components that show it: the panels
//! import it here instead of from the page that holds them. Plain modules
//! (all targets, tested natively): the bundled demos, a run as one value and
//! the live view of its search. In wasm32, the signals the panels share, each
//! handed to a panel as the narrowest half it needs.

mod demos;
#[cfg(test)]
mod fixtures;
#[cfg(target_arch = "wasm32")]
mod handles;
mod live;
mod readiness;
mod run;

pub use demos::{CLASSIFICATION_DEMO, DEMO_FILES, REGRESSION_DEMO};
#[cfg(target_arch = "wasm32")]
pub use handles::{Config, Files, PairCheck, ParsedConfig, ReadFiles};
pub use live::{LiveRow, LiveSearch, live_cell};
pub use readiness::{Blocker, Inputs, Panel, Status, blocker, status};
pub use run::{Run, RunState, Search};
