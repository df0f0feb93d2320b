//! placeholder
use super::spec::Preprocess;
use crate::core::params::ParamValue;
impl Preprocess {
    /// placeholder
    pub fn with_param(&self, key: &str, value: &ParamValue) -> Result<Preprocess, String> { let _ = value; Err(key.into()) }
}
