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

mod check;
mod encoders;
#[cfg(test)]
mod expected;
mod fit;
mod impute;
mod params;
#[cfg(test)]
mod robust;
mod scalers;
mod spec;
mod suggest;
mod sums;
mod work;

pub use check::check_without;
pub use fit::Fitted;
pub use spec::*;
pub use suggest::{LeftOut, Suggestion, suggest, suggest_with_reasons, to_toml};
