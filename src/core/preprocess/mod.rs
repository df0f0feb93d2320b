//! The `[preprocess]` section: scikit-learn's `ColumnTransformer` of
//! per-column pipelines, fitted on each training fold only.
//!
//! A section is a spec (serde, tagged on `KIND` like every other component);
//! [`Preprocess::check`] reads it against the data's columns before any fit;
//! [`Preprocess::fit`] learns its statistics from the training rows and the
//! [`Fitted`] result turns any rows into the numeric matrix a model fits on.
//! Grid keys reach into it with scikit-learn's names
//! (`preprocess__<transformer>__<step>__<param>`, see [`Preprocess::with_param`]).
//! Without a section, [`check_without`] names the columns a model cannot take
//! and [`suggest`] writes the section that handles them.

// The section as written, and grid keys into it.
mod params;
mod spec;
// Before any fit: the check against the data, and the section Tuna offers.
mod check;
mod suggest;
// Fitting: the ColumnTransformer, the columns between steps, each step.
mod encoders;
mod fit;
mod impute;
mod scalers;
mod work;
// Agreement with scikit-learn's own outputs, and no panic on any input.
#[cfg(test)]
mod expected;
#[cfg(test)]
mod robust;

pub use check::check_without;
pub use fit::Fitted;
pub use spec::*;
pub use suggest::{LeftOut, Suggestion, suggest, suggest_with_reasons, to_toml};
