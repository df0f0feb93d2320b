//! placeholder
use super::spec::Preprocess;
use crate::core::frame::Column;
impl Preprocess {
    /// placeholder
    pub fn check(&self, names: &[String], columns: &[Column]) -> Result<(), Vec<String>> { let _ = (names, columns); Ok(()) }
}
/// placeholder
pub fn check_without(names: &[String], columns: &[Column]) -> Result<(), String> { let _ = (names, columns); Ok(()) }
