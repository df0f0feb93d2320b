#![warn(missing_docs)]
//! Tuna: hyperparameter tuning with scikit-learn's semantics, in a web page or a terminal.
//!
//! Layers, from the bottom: [`core`] (pure engine), [`io`] (config, CSV reading,
//! validation, lineage, tracking and alert services), [`jobs`] (`TuningJob::run`,
//! written once for every front end), [`web`] (the page and its Web Workers).

pub mod core;
pub mod io;
pub mod jobs;
pub mod web;

pub use crate::core::data::Dataset;
pub use crate::core::results::SearchResults;
pub use crate::jobs::tuning::TuningJob;
