//! The bundled demos: two jobs on the same two files (the RAND Health
//! Insurance Experiment), served from the page's own `demos/` folder.

/// The job shown on first load: a random forest predicting outpatient visits (`mdvis`).
pub const REGRESSION_DEMO: &str = include_str!("../../../www/demos/regression.toml");

/// The classification demo: the same files, target `any_visit`.
pub const CLASSIFICATION_DEMO: &str = include_str!("../../../www/demos/classification.toml");

/// The demos' inputs and targets files, in that order.
pub const DEMO_FILES: [&str; 2] = ["randhie_inputs.csv", "randhie_targets.csv"];
