//! The pure engine: data, models, metrics, splitters, searchers and results.
//!
//! Nothing here touches files, the network, clocks or the browser, so the same
//! code runs natively and in a Web Worker and gives the same numbers.

pub mod catalog;
pub mod data;
pub mod frame;
mod libc_exp;
pub mod metrics;
pub mod models;
mod numpy_random;
mod numpy_sum;
pub mod params;
pub mod pipeline;
pub mod preprocess;
pub mod results;
pub mod search;
pub mod searchers;
mod shuffle_split;
pub mod splitters;
pub mod wording;
